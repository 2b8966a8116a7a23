"""Findings from GX's verdicts: one row per (report, rule, scope) with a status, the numbers and the evidence.

GX says which rows of a rule table are unexpected; this module only combines those verdicts with the rows'
completeness, the two evaluation modes and the rule's meta (docs/formats.md#blanks):

* FAIL: GX found a strict row of the scope unexpected;
* PASS: every strict row is complete and none is unexpected;
* PASS_LENIENT: a strict operand is blank, and with blanks read as 0 every row is complete and expected;
* UNCERTAIN: an operand cannot be read (blank and failing even as 0, placeholder, text, missing, uncertain);
* NOT_ASSESSABLE: the report has no row in the rule's table (another format, no such table, no previous year,
  no statement in the narrative); the message says which.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from gongkai.contract import FINDINGS

_OPTIONAL = {
    "left_value": "DECIMAL(38, 10)",
    "right_value": "DECIMAL(38, 10)",
    "compared_report_id": "VARCHAR",
    "severity": "VARCHAR",
    "detail": "VARCHAR",
}
_REQUIRED = ("report_id", "scope", "mode", "complete", "evidence")
BRIEF_EVIDENCE = 30  # evidence items kept (cell and value only) on a PASS


def collect_rule_rows(con: duckdb.DuckDBPyConnection, rules: pa.Table) -> None:
    """``rule_rows``: every rule table's rows in one shape, tagged with the rule id."""
    con.execute(
        "CREATE OR REPLACE TABLE rule_rows (rule_id VARCHAR, report_id VARCHAR, scope VARCHAR, mode VARCHAR, "
        "complete BOOLEAN, evidence VARCHAR[], left_value DECIMAL(38, 10), right_value DECIMAL(38, 10), "
        "compared_report_id VARCHAR, severity VARCHAR, detail VARCHAR)"
    )
    for rule_id, table in zip(rules["rule_id"].to_pylist(), rules["batch"].to_pylist(), strict=True):
        columns = {
            name
            for (name,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
        }
        missing = [name for name in _REQUIRED if name not in columns]
        if missing:
            raise ValueError(f"rule table {table} lacks the columns {missing}")
        optional = [
            f"TRY_CAST({name} AS {kind})" if name in columns else f"NULL::{kind}" for name, kind in _OPTIONAL.items()
        ]
        con.execute(
            f"INSERT INTO rule_rows SELECT ?, report_id, scope, mode, complete, evidence, "
            f"{', '.join(optional)} FROM {table}",
            [rule_id],
        )


def assemble_findings(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """FINDINGS rows of the ``subjects`` from ``rule_rows``, ``unexpected`` (GX) and ``rulebook``, ordered by report
    and rule."""
    con.execute(_VERDICTS)
    con.execute(_EVIDENCE)
    return con.execute(_FINDINGS).to_arrow_table().cast(FINDINGS)


_VERDICTS = """
CREATE OR REPLACE TABLE verdicts AS
WITH flagged AS (
    SELECT r.*, u.report_id IS NOT NULL AS unexpected
    FROM rule_rows r LEFT JOIN (SELECT DISTINCT * FROM unexpected) u USING (rule_id, report_id, scope, mode)
),
grouped AS (
    SELECT rule_id, report_id, scope, mode,
           bool_and(complete) AS complete, bool_or(unexpected) AS unexpected,
           CASE WHEN bool_or(unexpected) THEN flatten(list(evidence) FILTER (WHERE unexpected))
                WHEN NOT bool_and(complete) THEN flatten(list(evidence) FILTER (WHERE NOT complete))
                ELSE flatten(list(evidence)) END AS evidence,
           arg_max(left_value, unexpected::INT) AS left_value, arg_max(right_value, unexpected::INT) AS right_value,
           arg_max(compared_report_id, unexpected::INT) AS compared_report_id,
           arg_max(severity, unexpected::INT) AS severity_override, arg_max(detail, unexpected::INT) AS detail
    FROM flagged
    GROUP BY rule_id, report_id, scope, mode
)
SELECT s.rule_id, s.report_id, s.scope,
       CASE WHEN s.unexpected THEN 'FAIL' WHEN s.complete THEN 'PASS'
            WHEN l.complete AND NOT l.unexpected THEN 'PASS_LENIENT' ELSE 'UNCERTAIN' END AS status,
       coalesce(l.unexpected, false) AS lenient_fails,
       CASE WHEN status = 'PASS_LENIENT' THEN l.left_value ELSE s.left_value END AS left_value,
       CASE WHEN status = 'PASS_LENIENT' THEN l.right_value ELSE s.right_value END AS right_value,
       CASE WHEN status = 'PASS_LENIENT' THEN l.evidence ELSE s.evidence END AS evidence,
       s.compared_report_id, s.severity_override, s.detail
FROM grouped s LEFT JOIN grouped l
    ON l.rule_id = s.rule_id AND l.report_id = s.report_id AND l.scope = s.scope AND l.mode = 'lenient'
WHERE s.mode = 'strict'
"""

# One JSON evidence item per id: a cell of the report (or 'prev:' of the compared report), a narrative statement
# ('fact:'), a section ('section:') or a report field ('report:'). Every join is on equalities only: a condition on
# the id's prefix alone would turn it into a nested-loop join (50 s instead of 1 s on 1,000 reports).
_EVIDENCE = f"""
CREATE OR REPLACE MACRO num_text(x) AS CASE WHEN x IS NULL THEN NULL
    WHEN x::VARCHAR LIKE '%.%' THEN rtrim(rtrim(x::VARCHAR, '0'), '.') ELSE x::VARCHAR END;
CREATE OR REPLACE TABLE evidence_json AS
WITH items AS (
    SELECT v.rule_id, v.report_id, v.scope, v.status, v.compared_report_id,
           unnest(v.evidence) AS ref, unnest(range(len(v.evidence))) AS ord
    FROM verdicts v
),
resolved AS (
    SELECT i.rule_id, i.report_id, i.scope, i.ord, i.status, i.ref,
           coalesce(CASE WHEN starts_with(i.ref, 'prev:') THEN '上一年度：' ELSE '' END || l.label,
                    f.fact_key, sec.heading, i.ref) AS label,
           coalesce(num_text(c.value), num_text(f.value),
                    CASE i.ref WHEN 'report:report_year' THEN rep.report_year::VARCHAR
                               WHEN 'report:published_on' THEN rep.published_on::VARCHAR END) AS value_text,
           coalesce(c.value_raw, f.sentence, left(sec.text, 200),
                    CASE i.ref WHEN 'report:title' THEN rep.title WHEN 'report:publisher' THEN rep.publisher
                               WHEN 'report:format_version' THEN rep.format_version END) AS raw,
           coalesce(c.value_status, CASE WHEN starts_with(i.ref, 'T') OR starts_with(i.ref, 'prev:') THEN 'missing' END)
               AS value_status,
           coalesce(c.locator, f.locator, sec.locator,
                    CASE i.ref WHEN 'report:title' THEN '标题' WHEN 'report:publisher' THEN '发布机关'
                               WHEN 'report:published_on' THEN '发布日期' WHEN 'report:report_year' THEN '报告年度'
                               WHEN 'report:format_version' THEN '表二、表三的表头' END) AS locator
    FROM items i
    LEFT JOIN cells c
        ON c.report_id = CASE WHEN starts_with(i.ref, 'prev:') THEN i.compared_report_id ELSE i.report_id END
       AND c.cell_id = CASE WHEN starts_with(i.ref, 'prev:') THEN substr(i.ref, 6) ELSE i.ref END
    LEFT JOIN cell_labels l ON l.cell_id = CASE WHEN starts_with(i.ref, 'prev:') THEN substr(i.ref, 6) ELSE i.ref END
    LEFT JOIN facts f ON f.report_id = i.report_id AND 'fact:' || f.fact_key || '#' || f.ordinal = i.ref
    LEFT JOIN sections sec ON sec.report_id = i.report_id AND 'section:' || sec.section_key = i.ref
    LEFT JOIN reports rep ON rep.report_id = CASE WHEN starts_with(i.ref, 'report:') THEN i.report_id END
    WHERE NOT (i.status = 'PASS' AND i.ord >= {BRIEF_EVIDENCE})
)
SELECT rule_id, report_id, scope,
       to_json(list(CASE WHEN status = 'PASS' THEN json_object('cell', ref, 'value', value_text)
                         ELSE json_object('cell', ref, 'label', label, 'value', value_text, 'raw', raw,
                                          'status', value_status, 'locator', locator) END ORDER BY ord))::VARCHAR
           AS cells
FROM resolved GROUP BY rule_id, report_id, scope
"""

_FINDINGS = """
WITH report_order AS (
    SELECT report_id, format_version, row_number() OVER (ORDER BY report_id) AS report_pos
    FROM reports WHERE report_id IN (SELECT report_id FROM subjects)
),
decided AS (
    SELECT v.*, coalesce(v.severity_override, k.severity) AS severity_used, k.*  EXCLUDE (rule_id, severity)
    FROM verdicts v JOIN rulebook k USING (rule_id)
),
not_assessable AS (
    SELECT k.rule_id, r.report_id, 'report' AS scope, 'NOT_ASSESSABLE' AS status, k.severity AS severity_used,
           k.family, k.rule_pos, k.description || '。不适用：' ||
           CASE WHEN NOT list_contains(k.formats, coalesce(r.format_version, 'unknown'))
                THEN '本规则只适用于' || array_to_string(list_transform(k.formats, f -> format_words(f)), '、')
                     || '格式的报告，本报告为' || format_words(coalesce(r.format_version, 'unknown'))
                ELSE k.not_applicable END AS message
    FROM rulebook k CROSS JOIN report_order r
    WHERE NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.rule_id = k.rule_id AND v.report_id = r.report_id)
),
messages AS (
    SELECT d.*, coalesce(sl.label, scope_words(d.scope)) AS scope_label,
           d.description || '。' || scope_label || '：' ||
           CASE d.status
               WHEN 'PASS' THEN '相符'
               WHEN 'PASS_LENIENT' THEN '将空白单元格视为0时相符（宽松通过）'
               WHEN 'FAIL' THEN CASE WHEN d.left_value IS NOT NULL AND d.right_value IS NOT NULL AND d.left_words <> ''
                   THEN d.left_words || ' ' || num_text(d.left_value) || '，' ||
                        CASE WHEN d.right_words <> ''
                             THEN d.right_words || ' ' || num_text(d.right_value) || '，' ELSE '' END
                        || '不符合'
                   ELSE '不符合' END
               ELSE '有数据为空白、占位符、文字或读数无把握，无法判断' ||
                    CASE WHEN d.lenient_fails THEN '；即使将空白视为0也不相符' ELSE '' END
           END || CASE WHEN d.detail IS NOT NULL AND d.detail <> '' THEN '。' || d.detail ELSE '' END AS message
    FROM decided d LEFT JOIN scope_labels sl ON sl.scope = d.scope
)
SELECT f.report_id, f.rule_id, f.scope, f.status, f.severity, f.family, f.left_value, f.right_value,
       f.left_value - f.right_value AS delta, f.cells, f.message, f.compared_report_id
FROM (
    SELECT m.report_id, m.rule_id, m.scope, m.status, m.severity_used AS severity, m.family,
           CASE WHEN m.status IN ('PASS', 'FAIL', 'PASS_LENIENT') THEN m.left_value END AS left_value,
           CASE WHEN m.status IN ('PASS', 'FAIL', 'PASS_LENIENT') THEN m.right_value END AS right_value,
           coalesce(e.cells, '[]') AS cells, m.message, m.compared_report_id, m.rule_pos
    FROM messages m LEFT JOIN evidence_json e USING (rule_id, report_id, scope)
    UNION ALL
    SELECT report_id, rule_id, scope, status, severity_used, family, NULL, NULL, '[]', message, NULL, rule_pos
    FROM not_assessable
) f JOIN report_order o USING (report_id)
ORDER BY o.report_pos, f.rule_pos, f.scope
"""
