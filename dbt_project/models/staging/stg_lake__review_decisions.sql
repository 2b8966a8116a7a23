with source as (
    select * from {{ source('reviews', 'decisions') }}
),

renamed as (
    select
        cast(file_id as varchar) as file_id,
        cast(rule_id as varchar) as rule_id,
        cast(scope as varchar) as scope,
        cast(review_status as varchar) as review_status,
        cast(review_note as varchar) as review_note,
        cast(reviewer as varchar) as reviewer,
        cast(reviewed_at as timestamp with time zone) as reviewed_at,
        cast(import_id as varchar) as import_id,
        cast(source as varchar) as source
    from source
)

select * from renamed
