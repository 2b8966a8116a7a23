{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_reports() }}") }}
{%- set incremental = is_incremental() %}
with source as (
    select * from {{ source('lake', 'findings') }}
    where {{ only_touched(incremental) }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(rule_id as varchar) as rule_id,
        cast(scope as varchar) as scope,
        cast(status as varchar) as status,
        cast(severity as varchar) as severity,
        cast(family as varchar) as family,
        cast(left_value as decimal(38, 10)) as left_value,
        cast(right_value as decimal(38, 10)) as right_value,
        cast(delta as decimal(38, 10)) as delta,
        cast(cells as varchar) as cells,
        cast(message as varchar) as message,
        cast(compared_report_id as varchar) as compared_report_id
    from source
)

select * from renamed
