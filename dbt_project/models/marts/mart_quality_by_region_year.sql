-- Consistency-rule outcomes (findings) per region and year, rolled up like the applications mart.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_groups() }}") }}
{%- set incremental = is_incremental() %}
with joined as (
    {{ rolled_up('int_findings_by_report', incremental) }}
),

aggregated as (
    select
        {{ rollup_counts() }},
        cast(sum(rules_checked) as bigint) as rules_checked,
        cast(sum(passed) as bigint) as passed,
        cast(sum(passed_lenient) as bigint) as passed_lenient,
        cast(sum(failed) as bigint) as failed,
        cast(sum(uncertain) as bigint) as uncertain,
        cast(sum(not_assessable) as bigint) as not_assessable,
        cast(count(*) filter (where failed > 0) as bigint) as reports_with_failures,
        cast(sum(failed_errors) as bigint) as failed_errors,
        cast(sum(failed_warnings) as bigint) as failed_warnings,
        cast(sum(failed_info) as bigint) as failed_info,
        cast(sum(failed_table) as bigint) as failed_table,
        cast(sum(failed_structure) as bigint) as failed_structure,
        cast(sum(failed_narrative) as bigint) as failed_narrative,
        cast(sum(failed_cross_report) as bigint) as failed_cross_report,
        cast(sum(open_errors) as bigint) as open_errors,
        cast(sum(review_open) as bigint) as review_open,
        cast(sum(review_confirmed) as bigint) as review_confirmed,
        cast(sum(review_parse_error) as bigint) as review_parse_error,
        cast(sum(review_explained) as bigint) as review_explained,
        cast(sum(review_ignored) as bigint) as review_ignored
    from joined
    group by region_id, report_year
),

labelled as (
    {{ with_region_labels('aggregated') }}
)

select * from labelled
order by province nulls last, city nulls first, county nulls first, township nulls first, report_year
