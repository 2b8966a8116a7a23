-- One row per report: how many findings it has in each status, by severity and rule family, and how far their
-- review has got.
with reports as (
    select report_id
    from {{ ref('stg_lake__reports') }}
),

findings as (
    select report_id, status, severity, family, review_status,
           status in ('FAIL', 'UNCERTAIN') as to_review
    from {{ ref('int_findings_reviewed') }}
),

counted as (
    select
        reports.report_id,
        count(findings.status) as findings,
        count(findings.status) filter (where findings.status = 'PASS') as passed,
        count(findings.status) filter (where findings.status = 'PASS_LENIENT') as passed_lenient,
        count(findings.status) filter (where findings.status = 'FAIL') as failed,
        count(findings.status) filter (where findings.status = 'UNCERTAIN') as uncertain,
        count(findings.status) filter (where findings.status = 'NOT_ASSESSABLE') as not_assessable,
        count(findings.status) filter (where findings.status = 'FAIL' and findings.severity = 'E') as failed_errors,
        count(findings.status) filter (where findings.status = 'FAIL' and findings.severity = 'W') as failed_warnings,
        count(findings.status) filter (where findings.status = 'FAIL' and findings.severity = 'I') as failed_info,
        {%- for family in ['table', 'structure', 'narrative', 'cross_report'] %}
        count(findings.status) filter (where findings.status = 'FAIL' and findings.family = '{{ family }}')
            as failed_{{ family }},
        {%- endfor %}
        count(findings.status) filter (where findings.status = 'FAIL' and findings.severity = 'E'
                                       and (findings.review_status is null or findings.review_status = 'confirmed'))
            as open_errors,
        count(findings.status) filter (where findings.to_review and findings.review_status is null) as review_open,
        count(findings.status) filter (where findings.to_review and findings.review_status = 'confirmed') as review_confirmed,
        count(findings.status) filter (where findings.to_review and findings.review_status = 'parse_error') as review_parse_error,
        count(findings.status) filter (where findings.to_review and findings.review_status = 'explained') as review_explained,
        count(findings.status) filter (where findings.to_review and findings.review_status = 'ignored') as review_ignored
    from reports
    left join findings on findings.report_id = reports.report_id
    group by reports.report_id
),

final as (
    select
        report_id,
        cast(findings as bigint) as findings,
        cast(passed + passed_lenient + failed + uncertain as bigint) as rules_checked,
        cast(passed as bigint) as passed,
        cast(passed_lenient as bigint) as passed_lenient,
        cast(failed as bigint) as failed,
        cast(uncertain as bigint) as uncertain,
        cast(not_assessable as bigint) as not_assessable,
        cast(failed_errors as bigint) as failed_errors,
        cast(failed_warnings as bigint) as failed_warnings,
        cast(failed_info as bigint) as failed_info,
        cast(failed_table as bigint) as failed_table,
        cast(failed_structure as bigint) as failed_structure,
        cast(failed_narrative as bigint) as failed_narrative,
        cast(failed_cross_report as bigint) as failed_cross_report,
        cast(open_errors as bigint) as open_errors,
        cast(review_open as bigint) as review_open,
        cast(review_confirmed as bigint) as review_confirmed,
        cast(review_parse_error as bigint) as review_parse_error,
        cast(review_explained as bigint) as review_explained,
        cast(review_ignored as bigint) as review_ignored
    from counted
)

select * from final
