-- Applications received and handled (T3 总计 column) per region and year, at every level: each report
-- counts in its own region and rolls up into every ancestor (township > county > city > province).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_groups() }}") }}
{%- set incremental = is_incremental() %}
with joined as (
    {{ rolled_up('int_t3_totals_by_report', incremental) }}
),

aggregated as (
    select
        {{ rollup_counts() }},
        cast(count(*) filter (where has_t3_total) as bigint) as reports_with_t3_total,
        cast(count(*) filter (where has_t3_total_gaps) as bigint) as reports_with_t3_gaps,
        cast(sum(new_received) as decimal(38, 10)) as new_received,
        cast(sum(carried_in) as decimal(38, 10)) as carried_in,
        cast(sum(granted) as decimal(38, 10)) as granted,
        cast(sum(partly_granted) as decimal(38, 10)) as partly_granted,
        cast(sum(denied) as decimal(38, 10)) as denied,
        cast(sum(unable) as decimal(38, 10)) as unable,
        cast(sum(noproc) as decimal(38, 10)) as noproc,
        cast(sum(other) as decimal(38, 10)) as other,
        cast(sum(outcome_total) as decimal(38, 10)) as outcome_total,
        cast(sum(carried_out) as decimal(38, 10)) as carried_out
    from joined
    group by region_id, report_year
),

labelled as (
    {{ with_region_labels('aggregated') }}
)

select * from labelled
order by province nulls last, city nulls first, county nulls first, township nulls first, report_year
