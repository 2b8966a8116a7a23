-- Consistency-rule outcomes (findings) per region and year, rolled up like the applications mart.
with rollup as (
    select * from {{ ref('int_report_region_rollup') }}
),

findings as (
    select * from {{ ref('int_findings_by_report') }}
),

joined as (
    select
        rollup.rollup_region_id as region_id,
        rollup.report_year,
        rollup.is_own_region,
        rollup.region_review,
        findings.*
    from rollup
    inner join findings on findings.report_id = rollup.report_id
),

aggregated as (
    select
        region_id,
        report_year,
        cast(count(*) as bigint) as reports,
        cast(count(*) filter (where is_own_region) as bigint) as reports_at_region,
        cast(count(*) filter (where region_review) as bigint) as reports_flagged,
        cast(sum(rules_checked) as bigint) as rules_checked,
        cast(sum(passed) as bigint) as passed,
        cast(sum(failed) as bigint) as failed,
        cast(sum(uncertain) as bigint) as uncertain,
        cast(sum(not_assessable) as bigint) as not_assessable,
        cast(count(*) filter (where failed > 0) as bigint) as reports_with_failures
    from joined
    group by region_id, report_year
),

labelled as (
    {{ with_region_labels('aggregated') }}
)

select * from labelled
order by province nulls last, city nulls first, county nulls first, township nulls first, report_year
