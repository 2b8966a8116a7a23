-- Every finding with its report's file and the auditor's decision in force, if any.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_reports() }}") }}
{%- set incremental = is_incremental() %}
select
    findings.*,
    reports.file_id,
    decision.review_status,
    decision.review_note,
    decision.reviewer,
    decision.reviewed_at
from {{ ref('stg_lake__findings') }} as findings
left join {{ ref('stg_lake__reports') }} as reports on reports.report_id = findings.report_id
left join {{ ref('int_review_latest') }} as decision
    on decision.file_id = reports.file_id
    and decision.rule_id = findings.rule_id
    and decision.scope = findings.scope
where {{ only_touched(incremental, 'findings.report_id') }}
