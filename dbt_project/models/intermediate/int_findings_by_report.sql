-- One row per report: how many findings it has in each status.
with reports as (
    select report_id
    from {{ ref('stg_lake__reports') }}
),

findings as (
    select report_id, status
    from {{ ref('stg_lake__findings') }}
),

counted as (
    select
        reports.report_id,
        count(findings.status) as findings,
        count(findings.status) filter (where findings.status = 'PASS') as passed,
        count(findings.status) filter (where findings.status = 'FAIL') as failed,
        count(findings.status) filter (where findings.status = 'UNCERTAIN') as uncertain,
        count(findings.status) filter (where findings.status = 'NOT_ASSESSABLE') as not_assessable
    from reports
    left join findings on findings.report_id = reports.report_id
    group by reports.report_id
),

final as (
    select
        report_id,
        cast(findings as bigint) as findings,
        cast(passed + failed + uncertain as bigint) as rules_checked,
        cast(passed as bigint) as passed,
        cast(failed as bigint) as failed,
        cast(uncertain as bigint) as uncertain,
        cast(not_assessable as bigint) as not_assessable
    from counted
)

select * from final
