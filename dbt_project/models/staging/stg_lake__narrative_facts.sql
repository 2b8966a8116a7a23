{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_reports() }}") }}
{%- set incremental = is_incremental() %}
with source as (
    select * from {{ source('lake', 'narrative_facts') }}
    where {{ only_touched(incremental) }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(fact_key as varchar) as fact_key,
        cast(value as decimal(38, 10)) as value,
        cast(value_raw as varchar) as value_raw,
        cast(unit as varchar) as unit,
        cast(pattern as varchar) as pattern,
        cast(section_key as varchar) as section_key,
        cast(sentence as varchar) as sentence,
        cast(locator as varchar) as locator
    from source
)

select * from renamed
