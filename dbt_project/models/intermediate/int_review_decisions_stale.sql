-- Decisions in force whose finding is no longer there to review (no FAIL or UNCERTAIN finding of that file, rule
-- and scope: the parser or the report changed). Reported, never dropped.
select decision.*
from {{ ref('int_review_latest') }} as decision
where not exists (
    select 1
    from {{ ref('int_findings_reviewed') }} as finding
    where finding.file_id = decision.file_id
      and finding.rule_id = decision.rule_id
      and finding.scope = decision.scope
      and finding.status in ('FAIL', 'UNCERTAIN')
)
