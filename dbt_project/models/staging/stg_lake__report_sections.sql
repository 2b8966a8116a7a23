{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_reports() }}") }}
{%- set incremental = is_incremental() %}
with source as (
    select * from {{ source('lake', 'report_sections') }}
    where {{ only_touched(incremental) }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(section_key as varchar) as section_key,
        cast(order_index as integer) as order_index,
        cast(heading as varchar) as heading,
        cast(text as varchar) as text,
        cast(locator as varchar) as locator
    from source
)

select * from renamed
