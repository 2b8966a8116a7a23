"""The warehouse queries behind the auditor site: a few set-wise queries, and the findings streamed report by report.

The findings table may carry two columns newer than the contract this was written against: ``family`` (the rule's
family) and ``compared_report_id`` (the other report a cross-year rule compared); both are read when present.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa

from gongkai.ingest.discovery import SKIP_REASONS, display_name
from gongkai.ingest.quarantine import QUARANTINE_REASONS, STAGES
from gongkai.ingest.web.reasons import FETCH_REASONS
from gongkai.reports.formatting import scope_label, short_id
from gongkai.reports.labels import (
    FORMAT_LABELS,
    PARSE_STATUS_LABELS,
    REGION_LEVEL_LABELS,
    REGION_STATUS_LABELS,
    SEVERITY_LABELS,
    family_label,
    rule_family,
)
from gongkai.reports.paths import report_page_name
from gongkai.reports.reviews import REVIEW_STATUSES
from gongkai.reports.views import (
    CoverageView,
    QuarantineView,
    ReportView,
    RuleView,
    SkippedView,
    StaleDecisionView,
    WebFailureView,
    parse_warnings,
)

_FINDINGS = "int_findings_reviewed"  # the findings with the auditor's decision in force (dbt)
_FETCH_ROWS = 20_000


def optional_columns(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """SQL for the findings' family and compared_report_id: the columns when present, else NULL."""
    present = {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [_FINDINGS]
        ).fetchall()
    }
    family, compared = (
        f"f.{name}" if name in present else "NULL::VARCHAR" for name in ("family", "compared_report_id")
    )
    return family, compared


_REPORTS_SQL = f"""
WITH failed AS (
    SELECT report_id, list(DISTINCT rule_id ORDER BY rule_id) AS failed_rules
    FROM {_FINDINGS} WHERE status = 'FAIL' GROUP BY report_id
)
SELECT r.report_id,
       r.publisher, r.title, r.report_year, r.format_version, r.file_name, r.source_uri, r.file_id,
       r.parse_status, r.warnings, r.province, r.city, r.county, r.township,
       r.region_status, r.region_confidence, coalesce(r.region_review, false), r.region_clues,
       coalesce(c.failed, 0), coalesce(c.failed_errors, 0), coalesce(c.failed_info, 0),
       coalesce(c.failed_warnings, 0), coalesce(c.uncertain, 0), coalesce(c.passed_lenient, 0),
       coalesce(c.not_assessable, 0), coalesce(c.passed, 0), coalesce(c.findings, 0),
       coalesce(c.review_confirmed, 0), coalesce(c.review_explained, 0), coalesce(c.review_ignored, 0),
       coalesce(c.review_parse_error, 0), coalesce(c.review_open, 0), f.failed_rules
FROM reports r
LEFT JOIN int_findings_by_report c ON c.report_id = r.report_id  -- its findings by status, severity and review (dbt)
LEFT JOIN failed f ON f.report_id = r.report_id
ORDER BY r.province NULLS LAST, r.city NULLS FIRST, r.county NULLS FIRST, r.township NULLS FIRST, r.report_year,
         r.publisher, r.file_name, 1
"""
_SEVERITIES = ("E", "I", "W")  # the order of the counts above
_REVIEWS = ("confirmed", "explained", "ignored", "parse_error")  # the order of the counts above


def load_reports(con: duckdb.DuckDBPyConnection) -> list[ReportView]:
    """Every report with its counts (dbt's int_findings_by_report) and failed rules; by region, year, publisher."""
    views = []
    for (
        report_id,
        publisher,
        title,
        year,
        fmt,
        file_name,
        source_uri,
        file_id,
        parse_status,
        warnings_text,
        province,
        city,
        county,
        township,
        region_status,
        region_confidence,
        region_review,
        region_clues,
        n_fail,
        failed_e,
        failed_i,
        failed_w,
        n_uncertain,
        n_lenient,
        n_na,
        n_pass,
        n_total,
        confirmed,
        explained,
        ignored,
        parse_error,
        n_open,
        failed_rules,
    ) in con.execute(_REPORTS_SQL).fetchall():
        views.append(
            ReportView(
                report_id=report_id or "",
                page=report_page_name(report_id or ""),
                publisher=publisher or "（未识别发布机关）",
                title=title or "",
                year=year,
                format_version=fmt or "",
                format_label=FORMAT_LABELS.get(fmt or "", fmt or "—"),
                file_name=file_name or "",
                source_uri=source_uri or "",
                file_id=file_id or "",
                parse_status=parse_status or "",
                parse_status_label=PARSE_STATUS_LABELS.get(parse_status or "", parse_status or "—"),
                warnings=parse_warnings(warnings_text),
                province=province or "",
                city=city or "",
                county=county or "",
                township=township or "",
                region_status=region_status or "",
                region_status_label=REGION_STATUS_LABELS.get(region_status or "", region_status or "—"),
                region_confidence=f"{region_confidence:.2f}" if region_confidence is not None else "—",
                region_review=bool(region_review),
                region_evidence=region_clues,
                n_fail=n_fail,
                n_fail_by_severity={
                    k: n for k, n in zip(_SEVERITIES, (failed_e, failed_i, failed_w), strict=True) if n
                },
                n_uncertain=n_uncertain,
                n_lenient=n_lenient,
                n_not_assessable=n_na,
                n_pass=n_pass,
                n_total=n_total,
                reviews={
                    REVIEW_STATUSES.get(k, k): n
                    for k, n in zip(_REVIEWS, (confirmed, explained, ignored, parse_error), strict=True)
                    if n
                },
                n_open=n_open,
                failed_rules=list(failed_rules or []),
            )
        )
    return views


def number_text(column: str) -> str:
    """SQL for a DECIMAL as the auditor reads it: no trailing zeros ('17.0000000000' -> '17'); NULL stays NULL.
    Formatting in the query spares reading 10,000 reports' findings as Python Decimals."""
    text = f"{column}::VARCHAR"
    return f"CASE WHEN contains({text}, '.') THEN rtrim(rtrim({text}, '0'), '.') ELSE {text} END"


_STATUS_ORDER = (
    "CASE f.status WHEN 'FAIL' THEN 0 WHEN 'UNCERTAIN' THEN 1 WHEN 'PASS_LENIENT' THEN 2 "
    "WHEN 'NOT_ASSESSABLE' THEN 3 WHEN 'PASS' THEN 5 ELSE 4 END"
)
_FINDINGS_SQL = """
SELECT coalesce(f.report_id, ''), f.file_id, f.rule_id, {family}, {compared}, f.scope, f.status, f.severity,
       {left}, {right}, {delta}, CASE WHEN f.status = 'PASS' THEN NULL ELSE f.cells END, f.message,
       f.review_status, f.review_note, f.reviewed_at
FROM {table} f {where}
ORDER BY 1, {status_order}, CASE f.severity WHEN 'E' THEN 0 WHEN 'W' THEN 1 WHEN 'I' THEN 2 ELSE 3 END,
         f.rule_id, f.scope
"""


def stream_findings(
    con: duckdb.DuckDBPyConnection, report_ids: set[str] | None = None
) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """(report_id, its finding rows) for every report id the findings name (or only ``report_ids``), in one query
    read in batches; a row is (file_id, rule_id, family, compared_report_id, scope, status, severity, left, right,
    delta, cells, message, review_status, review_note, reviewed_at), worst status first, the numbers as text
    (number_text). The cells of PASS findings are not read."""
    family, compared = optional_columns(con)
    where = ""
    if report_ids is not None:
        con.register("wanted_reports", pa.table({"report_id": pa.array(sorted(report_ids), pa.string())}))
        where = "WHERE f.report_id IN (SELECT report_id FROM wanted_reports)"
    cursor = con.execute(
        _FINDINGS_SQL.format(
            family=family,
            compared=compared,
            table=_FINDINGS,
            status_order=_STATUS_ORDER,
            where=where,
            left=number_text("f.left_value"),
            right=number_text("f.right_value"),
            delta=number_text("f.delta"),
        )
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        while batch := cursor.fetchmany(_FETCH_ROWS):
            yield from batch

    for report_id, group in itertools.groupby(rows(), key=lambda row: row[0]):
        yield report_id, [row[1:] for row in group]


_RULES_SQL = """
SELECT f.rule_id, any_value({family}), mode(f.severity), min(split_part(f.message, '。', 1)),
       count(*) FILTER (WHERE f.status = 'FAIL'), count(DISTINCT f.report_id) FILTER (WHERE f.status = 'FAIL'),
       count(*) FILTER (WHERE f.status = 'UNCERTAIN'), count(*)
FROM {table} f
GROUP BY f.rule_id
ORDER BY 5 DESC, 7 DESC, f.rule_id
"""


def load_rules(con: duckdb.DuckDBPyConnection) -> list[RuleView]:
    """Every rule in the findings with its FAIL and UNCERTAIN counts, the most failed first."""
    family_column, _ = optional_columns(con)
    views = []
    for rule_id, family, severity, description, n_fail, n_reports, n_uncertain, n_total in con.execute(
        _RULES_SQL.format(family=family_column, table=_FINDINGS)
    ).fetchall():
        family_key = rule_family(rule_id, family)
        views.append(
            RuleView(
                rule_id or "",
                family_key,
                family_label(family_key),
                severity or "",
                SEVERITY_LABELS.get(severity or "", severity or "—"),
                description or "",
                n_fail,
                n_reports,
                n_uncertain,
                n_total,
            )
        )
    return views


def load_status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return dict(con.execute(f"SELECT status, count(*) FROM {_FINDINGS} GROUP BY status").fetchall())


_STALE_SQL = """
SELECT s.file_id, coalesce(r.file_name, ''), s.rule_id, s.scope, s.review_status, s.review_note, s.reviewed_at
FROM int_review_decisions_stale s LEFT JOIN (SELECT DISTINCT file_id, file_name FROM reports) r USING (file_id)
ORDER BY s.reviewed_at, s.file_id, s.rule_id, s.scope
"""


def load_stale_decisions(con: duckdb.DuckDBPyConnection) -> list[StaleDecisionView]:
    """Decisions in force whose finding is gone: listed so that the auditor can look again."""
    return [
        StaleDecisionView(
            short_id(file_id),
            file_name,
            rule_id,
            scope_label(rule_id, scope),
            REVIEW_STATUSES.get(status, status),
            note or "",
            reviewed_at.isoformat(timespec="seconds") if reviewed_at else "",
        )
        for file_id, file_name, rule_id, scope, status, note, reviewed_at in con.execute(_STALE_SQL).fetchall()
    ]


_COVERAGE_SQL = """
SELECT region_level, report_year, count(*), count(*) FILTER (WHERE published)
FROM mart_publication_coverage GROUP BY region_level, report_year
ORDER BY report_year, CASE region_level WHEN 'prefecture' THEN 0 WHEN 'county' THEN 1 ELSE 2 END
"""


def load_coverage(con: duckdb.DuckDBPyConnection) -> list[CoverageView]:
    """Publication coverage by level and year (mart_publication_coverage)."""
    return [
        CoverageView(REGION_LEVEL_LABELS.get(level, level), str(year), units, published)
        for level, year, units, published in con.execute(_COVERAGE_SQL).fetchall()
    ]


def load_quarantine(con: duckdb.DuckDBPyConnection) -> list[QuarantineView]:
    rows = con.execute(
        "SELECT file_name, file_id, source_uri, media_type, stage, reason_code, reason FROM quarantine "
        "ORDER BY stage, reason_code, file_name, file_id"
    ).fetchall()
    return [
        QuarantineView(
            file_name=display_name(file_name or ""),
            file_id=file_id or "",
            file_id_short=short_id(file_id or ""),
            source_uri=source_uri or "",
            media_type=media_type or "",
            stage=stage or "",
            stage_label=STAGES.get(stage or "", stage or "—"),
            reason_code=code or "",
            reason_label=QUARANTINE_REASONS.get(code or "", "（未记录原因）"),
            reason=reason or "",
        )
        for file_name, file_id, source_uri, media_type, stage, code, reason in rows
    ]


def skipped_entries(run_summary: dict | None) -> list[SkippedView]:
    entries = (run_summary or {}).get("skipped_entries") or []
    return [
        SkippedView(e["path"], e["code"], SKIP_REASONS.get(e["code"], e["code"]), e.get("detail", "")) for e in entries
    ]


def web_failures(run_summary: dict | None) -> list[WebFailureView]:
    """The URLs the run's web intake could not land, with their reasons."""
    failures = ((run_summary or {}).get("web") or {}).get("failures") or []
    views = []
    for failure in failures:
        label = FETCH_REASONS.get(failure["code"], failure["code"])
        detail = failure["reason"].removeprefix(label).removeprefix("：")
        views.append(
            WebFailureView(
                failure["url"],
                failure["code"],
                label,
                detail,
                str(failure["status"]) if failure.get("status") else "—",
                failure.get("parent") or "",
            )
        )
    return views
