-- 规则检查结果 by region, year and rule: for each rule, how many reports of a region (at every level) fail it,
-- with its family and severity, so a BI user can chart e.g. open errors by county and rule family.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_groups() }}") }}
{%- set incremental = is_incremental() %}
with joined as (
    {{ rolled_up('int_rule_outcomes_by_report', incremental) }}
),

aggregated as (
    select
        {{ rollup_counts() }},
        rule_id,
        any_value(family) as family,
        cast(count(*) filter (where failed > 0) as bigint) as reports_failed,
        cast(count(*) filter (where failed > 0 and failed_severity = 'E') as bigint) as reports_failed_error,
        cast(count(*) filter (where failed = 0 and uncertain = 0 and passed_lenient > 0) as bigint)
            as reports_passed_lenient,
        cast(count(*) filter (where uncertain > 0 and failed = 0) as bigint) as reports_uncertain,
        cast(count(*) filter (where not_assessable > 0 and passed + passed_lenient + failed + uncertain = 0) as bigint)
            as reports_not_assessable,
        cast(sum(failed) as bigint) as findings_failed,
        cast(sum(review_open) as bigint) as review_open,
        cast(sum(review_confirmed) as bigint) as review_confirmed,
        cast(sum(review_dismissed) as bigint) as review_dismissed
    from joined
    group by region_id, report_year, rule_id
),

labelled as (
    {{ with_region_labels('aggregated') }}
)

select
    labelled.*,
    {{ code_label('rule_family', 'labelled.family') }} as family_zh
from labelled
order by province nulls last, city nulls first, county nulls first, township nulls first, report_year, rule_id
