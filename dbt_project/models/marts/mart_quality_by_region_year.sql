-- Consistency-rule outcomes (findings) by province, city, county and year.
with regions as (
    select * from {{ ref('int_reports_with_region') }}
),

findings as (
    select * from {{ ref('int_findings_by_report') }}
),

joined as (
    select
        regions.province,
        regions.city,
        regions.county,
        regions.report_year,
        findings.*
    from regions
    inner join findings on findings.report_id = regions.report_id
),

aggregated as (
    select
        province,
        city,
        county,
        report_year,
        cast(count(*) as bigint) as reports,
        cast(sum(rules_checked) as bigint) as rules_checked,
        cast(sum(passed) as bigint) as passed,
        cast(sum(failed) as bigint) as failed,
        cast(sum(uncertain) as bigint) as uncertain,
        cast(sum(not_assessable) as bigint) as not_assessable,
        cast(count(*) filter (where failed > 0) as bigint) as reports_with_failures
    from joined
    group by province, city, county, report_year
)

select * from aggregated
order by province, city, county, report_year
