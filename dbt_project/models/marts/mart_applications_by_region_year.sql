-- Applications received and handled (T3 总计 column) per region and year, at every level: each report
-- counts in its own region and rolls up into every ancestor (township > county > city > province).
-- Every figure is a count (BIGINT); int_t3_totals_by_report leaves a printed value that is not a whole number out.
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
        cast(count(*) filter (where t3_total_non_integer_cells > 0) as bigint) as reports_with_t3_non_integer,
        cast(sum(new_received) as bigint) as new_received,
        cast(sum(carried_in) as bigint) as carried_in,
        cast(sum(granted) as bigint) as granted,
        cast(sum(partly_granted) as bigint) as partly_granted,
        cast(sum(denied) as bigint) as denied,
        cast(sum(unable) as bigint) as unable,
        cast(sum(noproc) as bigint) as noproc,
        cast(sum(other) as bigint) as other,
        cast(sum(outcome_total) as bigint) as outcome_total,
        cast(sum(carried_out) as bigint) as carried_out
    from joined
    group by region_id, report_year
),

labelled as (
    {{ with_region_labels('aggregated') }}
)

select * from labelled
order by province nulls last, city nulls first, county nulls first, township nulls first, report_year
