{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_reports() }}") }}
{%- set incremental = is_incremental() %}
with source as (
    select * from {{ source('lake', 'report_cells') }}
    where {{ only_touched(incremental) }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(table_id as varchar) as table_id,
        cast(row_key as varchar) as row_key,
        cast(col_key as varchar) as col_key,
        cast(value as decimal(38, 10)) as value,
        cast(value_raw as varchar) as value_raw,
        cast(value_status as varchar) as value_status,
        cast(label_raw as varchar) as label_raw,
        cast(locator as varchar) as locator,
        cast(confidence as double) as confidence
    from source
)

select * from renamed
