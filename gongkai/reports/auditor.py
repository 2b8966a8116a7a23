"""The auditor report (审计报告): one self-contained HTML page on the data quality of the warehouse.

It is written for 政务公开办 supervisors, researchers and journalists: every report with a failed or
uncertain check gets its own section with the evidence cells, the passing reports are listed compactly,
and every quarantined file and every incompletely parsed report is listed.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pyarrow as pa

from gongkai import keys
from gongkai.discovery import SKIP_REASONS, display_name
from gongkai.lake import write_atomic
from gongkai.quarantine import QUARANTINE_REASONS, STAGES
from gongkai.reports.locators import page_of, readable
from gongkai.reviews import REVIEW_STATUSES

MAX_REPORT_SECTIONS = 2000      # problem reports given a full section; the rest stay in the summary table
MAX_FINDINGS_PER_REPORT = 100   # FAIL/UNCERTAIN findings shown in full per report; the rest are counted
MAX_FINDINGS_TOTAL = 10_000     # FAIL/UNCERTAIN findings shown in full over all sections, to bound the page size
MAX_CELLS_PER_FINDING = 30      # evidence rows shown per finding; the rest are counted
MAX_WARNINGS_PER_REPORT = 50    # parser warnings shown per report; the rest are counted

STATUS_ORDER = ("FAIL", "UNCERTAIN", "PASS", "NOT_ASSESSABLE")
STATUS_LABELS = {"PASS": "通过", "FAIL": "不通过", "UNCERTAIN": "无法确定", "NOT_ASSESSABLE": "无法评估"}
SEVERITY_LABELS = {"E": "错误", "W": "警告", "I": "提示"}
FORMAT_LABELS = {
    keys.FMT2021: "2021年版格式",
    keys.FMT2019: "2019年版格式",
    keys.PRE2019: "2019年以前格式",
    keys.NOT_A_REPORT: "非年度报告",
    keys.UNKNOWN: "未识别格式",
}
PARSE_STATUS_LABELS = {"complete": "完整", "partial": "部分解析", "no_tables": "未识别到表格"}
VALUE_STATUS_LABELS = {
    "number": "数字", "zero": "零", "blank": "空白", "placeholder": "占位符",
    "text": "文字", "missing": "缺失", "uncertain": "不确定",
}
TABLE_LABELS = {
    "T2_1": "表二 第二十条第（一）项",
    "T2_5": "表二 第二十条第（五）项",
    "T2_6": "表二 第二十条第（六）项",
    "T2_8": "表二 第二十条第（八）项",
    "T2_9": "表二 第二十条第（九）项",
    "T3": "表三 收到和处理政府信息公开申请情况",
    "T4": "表四 政府信息公开行政复议、行政诉讼情况",
}
SCOPE_KIND_LABELS = {"col": "列", "row": "行", "table": "表", "pair": "年度对", "cell": "单元格"}
RUN_COUNT_LABELS = (
    ("files_seen", "发现文件"),
    ("landed", "入湖文件"),
    ("duplicates", "重复文件"),
    ("parsed", "已解析"),
    ("quarantined", "已隔离"),
    ("skipped", "跳过的条目"),
)
_ROW_LABELS = {"T3": keys.T3_ROW_LABELS, "T4": keys.T4_ROW_LABELS, "T2": keys.T2_ROW_LABELS}
_COL_LABELS = {"T3": keys.T3_COL_LABELS, "T4": keys.T4_COL_LABELS, "T2": keys.T2_COL_LABELS}
_TEMPLATE = "auditor_report.html"
REGION_STATUS_LABELS = {"resolved": "已确定", "partial": "部分确定", "low_confidence": "把握不足", "ambiguous": "多个候选", "conflict": "线索矛盾",
                        "context_only": "发布机关无区划名", "no_publisher": "未找到发布机关区划"}
CLUE_KIND_LABELS = {"name": "区划名", "short": "区划简称", "phone_area_code": "电话区号", "postal_code": "邮政编码",
                    "domain": "网站域名", "wording": "措辞", "vintage": "区划年份", "variant": "名称变体"}
CLUE_WHERE_LABELS = {"strong": "强区", "body": "正文", "text": "正文", "source_uri": "来源地址", "publisher": "发布机关",
                     "year": "报告年度"}


@dataclass(frozen=True)
class AuditorReportStats:
    """What one call of :func:`write_auditor_report` wrote."""

    reports_total: int           # rows in the warehouse's reports table
    reports_with_findings: int   # reports with a FAIL or UNCERTAIN finding (all listed in the summary)
    sections_rendered: int       # of those, the reports given a full section
    findings_rendered: int       # FAIL/UNCERTAIN findings shown in full
    bytes_written: int


@dataclass(frozen=True)
class Count:
    """A labelled count, e.g. one finding status."""

    key: str
    label: str
    value: Any
    css: str = ""


@dataclass(frozen=True)
class WarningView:
    code: str
    detail: str


@dataclass(frozen=True)
class CellView:
    key: str
    label: str
    value: str
    raw: str
    status: str
    locator: str
    readable: str = ""       # the locator in Chinese (reports/locators.py)
    href: str = ""           # opens the copied source file there (a PDF at the page); "" when not copied


@dataclass(frozen=True)
class FindingView:
    rule_id: str
    status: str
    status_label: str
    css: str
    severity: str
    severity_label: str
    scope: str
    scope_label: str
    message: str
    left: str
    right: str
    delta: str
    has_values: bool         # False when left, right and delta are all null
    cells: list[CellView]
    cells_total: int
    cells_note: str          # set when the cells text is not a JSON list of cells
    review_label: str = ""   # 审核结论 in force ("" when not reviewed)
    review_note: str = ""


@dataclass(frozen=True)
class CoverageView:
    """How many units of one level the reference data has below the regions the corpus covers, and how many published."""

    level_label: str
    year: str
    units: int
    published: int

    @property
    def share(self) -> str:
        return f"{100 * self.published / self.units:.1f}%" if self.units else "—"


@dataclass(frozen=True)
class StaleDecisionView:
    """An auditor's decision whose finding is no longer there (the parser or the report changed)."""

    file_id_short: str
    file_name: str
    rule_id: str
    scope_label: str
    review_label: str
    review_note: str
    reviewed_at: str


@dataclass(frozen=True)
class ReportView:
    report_id: str
    anchor: str
    in_reports: bool         # False when findings name a report_id missing from the reports table
    publisher: str
    title: str
    year: str
    format_version: str
    format_label: str
    file_name: str
    source_uri: str
    file_id: str
    file_id_short: str
    parse_status: str
    parse_status_label: str
    warnings: list[WarningView]
    warnings_total: int
    n_fail: int
    n_uncertain: int
    n_pass: int
    n_not_assessable: int
    n_total: int
    region: str                      # the official names resolved, e.g. "河南省 洛阳市 孟津区 城关镇"
    region_status: str
    region_status_label: str
    region_confidence: str
    region_review: bool
    region_note: str
    region_clues: list[str]
    region_candidates: list[str]


@dataclass(frozen=True)
class ReportSection:
    report: ReportView
    findings: list[FindingView]
    findings_hidden: int


@dataclass(frozen=True)
class QuarantineView:
    file_name: str
    file_id: str
    file_id_short: str
    source_uri: str
    media_type: str
    stage: str
    stage_label: str
    reason_code: str
    reason_label: str
    reason: str


@dataclass(frozen=True)
class SkippedView:
    """An inbox entry the run did not read (from the run summary)."""

    path: str
    code: str
    label: str
    detail: str


def write_auditor_report(warehouse: Path, out_path: Path, run_summary: dict | None = None, *,
                         max_sections: int = MAX_REPORT_SECTIONS,
                         sources: dict[str, str] | None = None) -> AuditorReportStats:
    """Render the auditor report of ``warehouse`` (opened read-only) into ``out_path``, atomically.

    Reports with a FAIL or UNCERTAIN finding are all listed in the summary; the first of them (most FAILs
    first) get a full section with their evidence, up to ``max_sections`` reports and MAX_FINDINGS_TOTAL findings.
    """
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        reports = _load_reports(con)
        problems = sorted((r for r in reports if r.n_fail or r.n_uncertain),
                          key=lambda r: (-r.n_fail, -r.n_uncertain, r.publisher, r.year, r.report_id))
        expanded = _expanded(problems, max_sections)
        findings = _load_problem_findings(con, [r.report_id for r in expanded], sources or {})
        status_counts = dict(con.execute("SELECT status, count(*) FROM findings GROUP BY status").fetchall())
        quarantine = _load_quarantine(con)
        stale = _load_stale_decisions(con)
        coverage = _load_coverage(con)
    finally:
        con.close()

    sections = []
    for report in expanded:
        shown = findings.get(report.report_id, [])
        sections.append(ReportSection(report, shown, report.n_fail + report.n_uncertain - len(shown)))
    passed = sorted((r for r in reports if not (r.n_fail or r.n_uncertain)),
                    key=lambda r: (r.publisher, r.year, r.file_name, r.report_id))
    parse_problems = sorted((r for r in reports if r.in_reports and r.parse_status != "complete"),
                            key=lambda r: (r.parse_status, r.publisher, r.year, r.report_id))
    reports_total = sum(r.in_reports for r in reports)
    region_review = sorted((r for r in reports if r.in_reports and r.region_review),
                           key=lambda r: (r.region_status, r.publisher, r.year, r.report_id))
    data = _template().render(
        region_review=region_review,
        generated_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        warehouse=str(warehouse),
        has_run_summary=run_summary is not None,
        run_counts=_run_counts(run_summary),
        run_findings=_run_findings(run_summary),
        reports_total=reports_total,
        status_counts=_status_counts(status_counts),
        problems=problems,
        sections=sections,
        expanded_ids={r.report_id for r in expanded},
        passed=passed,
        quarantine=quarantine,
        stale_decisions=stale,
        coverage=coverage,
        skipped=_skipped(run_summary),
        parse_problems=parse_problems,
        limits={"sections": max_sections, "findings_total": MAX_FINDINGS_TOTAL,
                "findings": MAX_FINDINGS_PER_REPORT, "cells": MAX_CELLS_PER_FINDING,
                "warnings": MAX_WARNINGS_PER_REPORT},
    ).encode("utf-8")
    write_atomic(out_path, lambda tmp: tmp.write_bytes(data))
    return AuditorReportStats(
        reports_total=reports_total,
        reports_with_findings=len(problems),
        sections_rendered=len(sections),
        findings_rendered=sum(len(section.findings) for section in sections),
        bytes_written=len(data),
    )


def _expanded(problems: list[ReportView], max_sections: int) -> list[ReportView]:
    """The leading problem reports that get a full section, within the section and finding budgets."""
    expanded: list[ReportView] = []
    budget = MAX_FINDINGS_TOTAL
    for report in problems[:max_sections]:
        cost = min(report.n_fail + report.n_uncertain, MAX_FINDINGS_PER_REPORT)
        if expanded and cost > budget:
            break
        expanded.append(report)
        budget -= cost
    return expanded


# ---- formatting helpers ---------------------------------------------------------------------------

def format_decimal(value: Any) -> str:
    """A number without trailing zeros (Decimal('17.0000000000') -> '17', 0.0052 stays '0.0052'); '—' for null."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def visible_raw(raw: str | None) -> str:
    """Cell text with invisible characters made visible: U+2002 becomes '⟨U+2002⟩', '' becomes '（空）'."""
    if raw is None:
        return "（无）"
    if raw == "":
        return "（空）"
    return "".join(f"⟨U+{ord(ch):04X}⟩" if ch.isspace() and ch != " " else ch for ch in raw)


def scope_label(rule_id: str, scope: str | None) -> str:
    """Chinese reading of a finding's scope: 'col=total' -> '列：总计', 'row=review' -> '行：行政复议'."""
    if not scope:
        return "整份报告"
    table = _rule_table(rule_id)
    parts = []
    for part in re.split(r"[;,]\s*|\s+", scope.strip()):
        kind, sep, key = part.partition("=")
        if not sep:
            parts.append(part)
            continue
        if kind == "row":
            name = _lookup(_ROW_LABELS, table, key)
        elif kind == "col":
            name = _lookup(_COL_LABELS, table, key)
        elif kind == "table":
            name = TABLE_LABELS.get(key, key)
        else:
            name = key
        parts.append(f"{SCOPE_KIND_LABELS.get(kind, kind)}：{name}")
    return "；".join(parts)


def cell_label(cell_key: str) -> str:
    """Chinese label of a 'T3.new_received.total' cell key; the key itself if it has another shape."""
    table_id, row_key, col_key = (cell_key.split(".") + ["", "", ""])[:3]
    if not (table_id and row_key and col_key):
        return cell_key
    return keys.label_of(table_id, row_key, col_key)


def _rule_table(rule_id: str) -> str | None:
    """The table family a rule checks (T2, T3, T4), from its id."""
    return next((t for t in ("T2", "T3", "T4") if rule_id.startswith(t)), None)


def _lookup(labels: dict[str, dict[str, str]], table: str | None, key: str) -> str:
    """A row or column label from the rule's own table first, then from any table."""
    order = ([table] if table else []) + ["T3", "T4", "T2"]
    return next((labels[t][key] for t in order if key in labels[t]), key)


def _short_id(file_id: str) -> str:
    return f"{file_id[:12]}…" if len(file_id) > 12 else file_id


def report_anchor(report_id: str) -> str:
    """A stable HTML id for a report section, safe whatever characters report_id holds."""
    return "r-" + hashlib.sha1(report_id.encode("utf-8")).hexdigest()[:12]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _status_css(status: str) -> str:
    return status.lower().replace("_", "-") if status in STATUS_LABELS else "other"


def _status_counts(counts: dict[str, int]) -> list[Count]:
    """The four statuses in a fixed order (zero when absent), then any unexpected status as found."""
    known = [Count(s, STATUS_LABELS[s], counts.get(s, 0), _status_css(s)) for s in STATUS_ORDER]
    extra = [Count(str(s), str(s), n, "other") for s, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
             if s not in STATUS_LABELS]
    return known + extra


def _run_counts(run_summary: dict | None) -> list[Count]:
    if run_summary is None:
        return []
    return [Count(key, label, run_summary.get(key, "—")) for key, label in RUN_COUNT_LABELS]


def _run_findings(run_summary: dict | None) -> list[Count]:
    by_status = (run_summary or {}).get("findings_by_status")
    return _status_counts(by_status) if by_status else []


# ---- loading ----------------------------------------------------------------------------------------

_REPORTS_SQL = """
WITH counts AS (
    SELECT report_id,
           count(*) FILTER (WHERE status = 'FAIL')           AS n_fail,
           count(*) FILTER (WHERE status = 'UNCERTAIN')      AS n_uncertain,
           count(*) FILTER (WHERE status = 'PASS')           AS n_pass,
           count(*) FILTER (WHERE status = 'NOT_ASSESSABLE') AS n_not_assessable,
           count(*)                                          AS n_total
    FROM findings
    GROUP BY report_id
)
SELECT coalesce(r.report_id, c.report_id), r.report_id IS NOT NULL,
       r.publisher, r.title, r.report_year, r.format_version, r.file_name, r.source_uri, r.file_id,
       r.parse_status, r.warnings,
       concat_ws(' ', r.province, r.city, r.county, r.township), r.region_status, r.region_confidence,
       coalesce(r.region_review, false), r.region_clues,
       coalesce(c.n_fail, 0), coalesce(c.n_uncertain, 0), coalesce(c.n_pass, 0),
       coalesce(c.n_not_assessable, 0), coalesce(c.n_total, 0)
FROM reports r FULL OUTER JOIN counts c ON r.report_id = c.report_id
"""

_FINDING_ORDER = """CASE f.status WHEN 'FAIL' THEN 0 ELSE 1 END,
         CASE f.severity WHEN 'E' THEN 0 WHEN 'W' THEN 1 WHEN 'I' THEN 2 ELSE 3 END,
         f.rule_id, f.scope"""

_FINDINGS_SQL = f"""
SELECT f.report_id, f.file_id, f.rule_id, f.scope, f.status, f.severity, f.left_value, f.right_value, f.delta,
       f.cells, f.message, f.review_status, f.review_note
FROM int_findings_reviewed f JOIN expanded_reports e ON coalesce(f.report_id, '') = e.report_id
WHERE f.status IN ('FAIL', 'UNCERTAIN')
QUALIFY row_number() OVER (PARTITION BY f.report_id ORDER BY {_FINDING_ORDER}) <= $cap
ORDER BY f.report_id, {_FINDING_ORDER}
"""


def _load_reports(con: duckdb.DuckDBPyConnection) -> list[ReportView]:
    """Every report, and every report_id that only the findings table names, with its finding counts."""
    views = []
    for (report_id, in_reports, publisher, title, year, fmt, file_name, source_uri, file_id, parse_status,
         warnings_text, region, region_status, region_confidence, region_review, region_clues,
         n_fail, n_uncertain, n_pass, n_na, n_total) in con.execute(_REPORTS_SQL).fetchall():
        warnings = _parse_warnings(warnings_text)
        evidence = _parse_region_clues(region_clues)
        views.append(ReportView(
            report_id=report_id or "",
            anchor=report_anchor(report_id or ""),
            in_reports=bool(in_reports),
            publisher=publisher or "（未识别发布机关）",
            title=title or "",
            year=str(year) if year is not None else "（未知）",
            format_version=fmt or "",
            format_label=FORMAT_LABELS.get(fmt or "", fmt or "—"),
            file_name=file_name or "",
            source_uri=source_uri or "",
            file_id=file_id or "",
            file_id_short=_short_id(file_id or ""),
            parse_status=parse_status or "",
            parse_status_label=PARSE_STATUS_LABELS.get(parse_status or "", parse_status or "—"),
            warnings=warnings[:MAX_WARNINGS_PER_REPORT],
            warnings_total=len(warnings),
            n_fail=n_fail, n_uncertain=n_uncertain, n_pass=n_pass, n_not_assessable=n_na, n_total=n_total,
            region=region or "",
            region_status=region_status or "",
            region_status_label=REGION_STATUS_LABELS.get(region_status or "", region_status or "—"),
            region_confidence=f"{region_confidence:.2f}" if region_confidence is not None else "—",
            region_review=bool(region_review),
            region_note=str(evidence.get("note") or ""),
            region_clues=[_clue_text(c) for c in evidence.get("clues", [])],
            region_candidates=[f"{c.get('region_id')} ({c.get('score')})" for c in evidence.get("candidates", [])],
        ))
    return views


def _parse_region_clues(text: str | None) -> dict[str, Any]:
    """The reports.region_clues JSON object; anything else gives an empty one."""
    try:
        evidence = json.loads(text) if text else {}
    except ValueError:
        return {"note": text}
    return evidence if isinstance(evidence, dict) else {}


def _clue_text(clue: dict[str, Any]) -> str:
    """One clue as a line: '县名 孟津区（正文）+8.0'."""
    kind = CLUE_KIND_LABELS.get(str(clue.get("kind")), str(clue.get("kind")))
    where = CLUE_WHERE_LABELS.get(str(clue.get("where")), str(clue.get("where")))
    points = clue.get("points")
    sign = f"{points:+g}" if isinstance(points, (int, float)) else ""
    return f"{kind} {clue.get('value')}（{where}）{sign}"


def _load_problem_findings(con: duckdb.DuckDBPyConnection, report_ids: list[str],
                           sources: dict[str, str]) -> dict[str, list[FindingView]]:
    """The FAIL/UNCERTAIN findings of the given reports, at most MAX_FINDINGS_PER_REPORT each; their cells link to
    the copied sources (``sources``: file_id -> href)."""
    con.register("expanded_reports", pa.table({"report_id": pa.array(report_ids, pa.string())}))
    try:
        rows = con.execute(_FINDINGS_SQL, {"cap": MAX_FINDINGS_PER_REPORT}).fetchall()
    finally:
        con.unregister("expanded_reports")
    grouped: dict[str, list[FindingView]] = {}
    for report_id, file_id, *row in rows:
        grouped.setdefault(report_id or "", []).append(_finding_view(*row, source_href=sources.get(file_id or "", "")))
    return grouped


def _finding_view(rule_id: str | None, scope: str | None, status: str, severity: str | None,
                  left: Decimal | None, right: Decimal | None, delta: Decimal | None,
                  cells_text: str | None, message: str | None, review_status: str | None = None,
                  review_note: str | None = None, source_href: str = "") -> FindingView:
    cells, cells_total, cells_note = _parse_cells(cells_text, source_href)
    return FindingView(
        rule_id=rule_id or "",
        status=status,
        status_label=STATUS_LABELS.get(status, status),
        css=_status_css(status),
        severity=severity or "",
        severity_label=SEVERITY_LABELS.get(severity or "", severity or "—"),
        scope=scope or "",
        scope_label=scope_label(rule_id or "", scope),
        message=message or "",
        left=format_decimal(left),
        right=format_decimal(right),
        delta=format_decimal(delta),
        has_values=not (left is None and right is None and delta is None),
        cells=cells,
        cells_total=cells_total,
        cells_note=cells_note,
        review_label=REVIEW_STATUSES.get(review_status or "", review_status or ""),
        review_note=review_note or "",
    )


def _parse_cells(text: str | None, source_href: str = "") -> tuple[list[CellView], int, str]:
    """Evidence cells from the findings.cells JSON text: (shown cells, total count, note on bad input); each locator
    in Chinese, linked to the source copy at ``source_href`` (a PDF at the cell's page)."""
    if not text:
        return [], 0, ""
    try:
        items = json.loads(text)
    except ValueError:
        return [], 0, text
    if not isinstance(items, list):
        return [], 0, text
    views = []
    for item in items[:MAX_CELLS_PER_FINDING]:
        if not isinstance(item, dict):
            item = {"cell": _text(item)}
        key = _text(item.get("cell"))
        views.append(CellView(
            key=key,
            label=_text(item.get("label")) or cell_label(key),
            value=format_decimal(item.get("value")),
            raw=visible_raw(None if item.get("raw") is None else _text(item.get("raw"))),
            status=VALUE_STATUS_LABELS.get(_text(item.get("status")), _text(item.get("status")) or "—"),
            locator=_text(item.get("locator")),
            readable=readable(_text(item.get("locator"))),
            href=_source_link(source_href, _text(item.get("locator"))),
        ))
    return views, len(items), ""


def _source_link(source_href: str, locator: str) -> str:
    if not source_href:
        return ""
    page = page_of(locator)
    return f"{source_href}#page={page}" if page and source_href.endswith(".pdf") else source_href


def _parse_warnings(text: str | None) -> list[WarningView]:
    """Parser warnings from the reports.warnings JSON text; text that is not JSON is shown as it is."""
    if not text:
        return []
    try:
        items = json.loads(text)
    except ValueError:
        return [WarningView("", text)]
    if not isinstance(items, list):
        items = [items]
    return [WarningView(_text(i.get("code")), _text(i.get("detail"))) if isinstance(i, dict)
            else WarningView("", _text(i)) for i in items]


_STALE_SQL = """
SELECT s.file_id, coalesce(r.file_name, ''), s.rule_id, s.scope, s.review_status, s.review_note, s.reviewed_at
FROM int_review_decisions_stale s LEFT JOIN (SELECT DISTINCT file_id, file_name FROM reports) r USING (file_id)
ORDER BY s.reviewed_at, s.file_id, s.rule_id, s.scope
"""


LEVEL_LABELS = {"province": "省级", "prefecture": "地市级", "county": "县级", "township": "乡镇（街道）"}
_COVERAGE_SQL = """
SELECT region_level, report_year, count(*), count(*) FILTER (WHERE published)
FROM mart_publication_coverage GROUP BY region_level, report_year
ORDER BY report_year, CASE region_level WHEN 'prefecture' THEN 0 WHEN 'county' THEN 1 ELSE 2 END
"""


def _load_coverage(con: duckdb.DuckDBPyConnection) -> list[CoverageView]:
    """Publication coverage by level and year (mart_publication_coverage)."""
    return [CoverageView(LEVEL_LABELS.get(level, level), str(year), units, published)
            for level, year, units, published in con.execute(_COVERAGE_SQL).fetchall()]


def _load_stale_decisions(con: duckdb.DuckDBPyConnection) -> list[StaleDecisionView]:
    """Decisions in force whose finding is gone: listed so that the auditor can look again."""
    return [StaleDecisionView(_short_id(file_id), file_name, rule_id, scope_label(rule_id, scope),
                              REVIEW_STATUSES.get(status, status), note or "",
                              reviewed_at.isoformat(timespec="seconds") if reviewed_at else "")
            for file_id, file_name, rule_id, scope, status, note, reviewed_at in con.execute(_STALE_SQL).fetchall()]


def _load_quarantine(con: duckdb.DuckDBPyConnection) -> list[QuarantineView]:
    rows = con.execute(
        "SELECT file_name, file_id, source_uri, media_type, stage, reason_code, reason FROM quarantine "
        "ORDER BY stage, reason_code, file_name, file_id"
    ).fetchall()
    return [
        QuarantineView(
            file_name=display_name(file_name or ""),
            file_id=file_id or "", file_id_short=_short_id(file_id or ""),
            source_uri=source_uri or "", media_type=media_type or "", stage=stage or "",
            stage_label=STAGES.get(stage or "", stage or "—"), reason_code=code or "",
            reason_label=QUARANTINE_REASONS.get(code or "", "（未记录原因）"), reason=reason or "",
        )
        for file_name, file_id, source_uri, media_type, stage, code, reason in rows
    ]


def _skipped(run_summary: dict | None) -> list[SkippedView]:
    entries = (run_summary or {}).get("skipped_entries") or []
    return [SkippedView(e["path"], e["code"], SKIP_REASONS.get(e["code"], e["code"]), e.get("detail", ""))
            for e in entries]


# ---- rendering and writing ------------------------------------------------------------------------------

def _template() -> jinja2.Template:
    source = resources.files("gongkai").joinpath("templates", _TEMPLATE).read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    return env.from_string(source)

