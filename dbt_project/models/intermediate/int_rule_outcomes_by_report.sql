-- One row per (report, rule): how many of the rule's scopes ended in each status, and their review.
select
    report_id,
    rule_id,
    any_value(family) as family,
    max(severity) filter (where status = 'FAIL') as failed_severity,
    cast(count(*) filter (where status = 'PASS') as bigint) as passed,
    cast(count(*) filter (where status = 'PASS_LENIENT') as bigint) as passed_lenient,
    cast(count(*) filter (where status = 'FAIL') as bigint) as failed,
    cast(count(*) filter (where status = 'UNCERTAIN') as bigint) as uncertain,
    cast(count(*) filter (where status = 'NOT_ASSESSABLE') as bigint) as not_assessable,
    cast(count(*) filter (where status in ('FAIL', 'UNCERTAIN') and review_status is null) as bigint) as review_open,
    cast(count(*) filter (where status in ('FAIL', 'UNCERTAIN') and review_status = 'confirmed') as bigint)
        as review_confirmed,
    cast(count(*) filter (where status in ('FAIL', 'UNCERTAIN') and review_status in ('parse_error', 'explained', 'ignored'))
        as bigint) as review_dismissed
from {{ ref('int_findings_reviewed') }}
group by report_id, rule_id
