with source as (
    select * from {{ source('lake', 'quarantine') }}
),

renamed as (
    select
        cast(file_id as varchar) as file_id,
        cast(file_name as varchar) as file_name,
        cast(source_uri as varchar) as source_uri,
        cast(media_type as varchar) as media_type,
        cast(stage as varchar) as stage,
        cast(reason_code as varchar) as reason_code,
        cast(reason as varchar) as reason,
        cast(parser_version as varchar) as parser_version
    from source
)

select * from renamed
