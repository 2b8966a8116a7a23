"""The auditor's Excel workbook (auditor_findings.xlsx): findings to review, the cells of their tables, the reports.

Sheet 发现 has one row per FAIL or UNCERTAIN finding, with the numbers, the difference, the locators and a link to
the report's page of the auditor report, and two columns for the auditor: 审核结论 (a list: 确认问题 / 解析错误 /
已说明 / 忽略) and 审核意见. Decisions already recorded are filled in. ``gongkai review import`` reads the sheet back;
the three key columns at its right end tie each row to its finding across re-runs. Headers are Chinese, the header
row is frozen and filtered. Written in openpyxl's streaming mode, so 10,000 reports fit in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from gongkai import keys
from gongkai.lake import write_atomic
from gongkai.reports.formatting import scope_label
from gongkai.reports.labels import SEVERITY_LABELS, STATUS_LABELS, VALUE_STATUS_LABELS
from gongkai.reports.locators import readable
from gongkai.reports.paths import report_href
from gongkai.reports.reviews import (
    DECISION_HEADER,
    FINDINGS_SHEET,
    KEY_HEADERS,
    NOTE_HEADER,
    REVIEW_STATUSES,
    REVIEWER_HEADER,
)

CELLS_SHEET = "不通过表格的单元格"
REPORTS_SHEET = "报告"
MAX_LINK_LENGTH = 255  # Excel's limit for a hyperlink
MAX_CELL_TEXT = 32_767  # Excel's limit for the text of a cell

# (header, width) of each sheet, in order.
FINDING_COLUMNS = (
    ("报告文件", 28),
    ("发布机关", 24),
    ("省", 10),
    ("市", 10),
    ("县区", 12),
    ("乡镇街道", 12),
    ("年度", 7),
    ("规则", 20),
    ("范围", 18),
    ("严重程度", 9),
    ("状态", 9),
    ("说明", 40),
    ("左边", 12),
    ("右边", 12),
    ("差额", 10),
    ("位置", 40),
    ("链接", 12),
    (DECISION_HEADER, 12),
    (NOTE_HEADER, 30),
    (REVIEWER_HEADER, 10),
    *((header, 14) for header in KEY_HEADERS.values()),
)
CELL_COLUMNS = (
    ("报告文件", 28),
    ("发布机关", 24),
    ("年度", 7),
    ("表", 8),
    ("行", 22),
    ("列", 14),
    ("标签", 36),
    ("数值", 12),
    ("原文", 14),
    ("读取状态", 10),
    ("位置", 30),
    ("原始定位", 24),
)
REPORT_COLUMNS = (
    ("报告文件", 28),
    ("发布机关", 24),
    ("省", 10),
    ("市", 10),
    ("县区", 12),
    ("乡镇街道", 12),
    ("年度", 7),
    ("格式", 10),
    ("解析状态", 10),
    (STATUS_LABELS["FAIL"], 8),
    (STATUS_LABELS["UNCERTAIN"], 8),
    ("待审核", 8),
    ("链接", 12),
    ("文件标识", 14),
)

_FINDINGS_SQL = """
SELECT r.file_name, r.publisher, r.province, r.city, r.county, r.township, r.report_year,
       f.rule_id, f.scope, f.severity, f.status, f.message, f.left_value, f.right_value, f.delta, f.cells,
       f.report_id, f.review_status, f.review_note, f.reviewer, f.file_id
FROM int_findings_reviewed f JOIN reports r USING (report_id)
WHERE f.status IN ('FAIL', 'UNCERTAIN')
ORDER BY r.province NULLS LAST, r.city NULLS FIRST, r.county NULLS FIRST, r.township NULLS FIRST, r.report_year,
         r.publisher, r.file_name, CASE f.status WHEN 'FAIL' THEN 0 ELSE 1 END, f.rule_id, f.scope
"""
_CELLS_SQL = """
WITH failing AS (
    SELECT DISTINCT report_id, split_part(json_extract_string(cell.value, '$.cell'), '.', 1) AS table_id
    FROM findings, json_each(findings.cells) AS cell
    WHERE status IN ('FAIL', 'UNCERTAIN')
)
SELECT r.file_name, r.publisher, r.report_year, c.table_id, c.row_key, c.col_key, c.label_raw, c.value,
       c.value_raw, c.value_status, c.locator
FROM report_cells c JOIN failing USING (report_id, table_id) JOIN reports r USING (report_id)
ORDER BY r.publisher, r.report_year, r.file_name, c.table_id
"""
_REPORTS_SQL = """
SELECT r.file_name, r.publisher, r.province, r.city, r.county, r.township, r.report_year, r.format_version,
       r.parse_status,
       count(f.status) FILTER (WHERE f.status = 'FAIL'),
       count(f.status) FILTER (WHERE f.status = 'UNCERTAIN'),
       count(f.status) FILTER (WHERE f.status IN ('FAIL', 'UNCERTAIN') AND f.review_status IS NULL),
       r.report_id, r.file_id
FROM reports r LEFT JOIN int_findings_reviewed f USING (report_id)
GROUP BY ALL
ORDER BY r.province NULLS LAST, r.city NULLS FIRST, r.county NULLS FIRST, r.township NULLS FIRST, r.report_year,
         r.publisher, r.file_name
"""


def write_findings_workbook(warehouse: Path, out_path: Path) -> int:
    """Write the workbook of ``warehouse`` (opened read-only) to ``out_path`` atomically; the findings it holds.

    The workbook sits beside the auditor report's index; its links open the reports' pages (reports/<id>.html).
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        findings = con.execute(_FINDINGS_SQL).fetchall()
        cells = con.execute(_CELLS_SQL).fetchall()
        reports = con.execute(_REPORTS_SQL).fetchall()
    _sheet(
        workbook,
        FINDINGS_SHEET,
        FINDING_COLUMNS,
        (_finding_row(row) for row in findings),
        decisions_for=max(1, len(findings)),
    )
    _sheet(workbook, CELLS_SHEET, CELL_COLUMNS, (_cell_row(row) for row in cells))
    _sheet(workbook, REPORTS_SHEET, REPORT_COLUMNS, (_report_row(row) for row in reports))
    write_atomic(out_path, workbook.save)
    return len(findings)


def _sheet(
    workbook: Any,
    title: str,
    columns: tuple[tuple[str, int], ...],
    rows: Iterable[list[Any]],
    decisions_for: int | None = None,
) -> None:
    """One sheet: Chinese headers, column widths, frozen and filtered header row; with ``decisions_for`` rows, the
    审核结论 column offers the four decisions as a list."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = workbook.create_sheet(title)
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if decisions_for is not None:
        letter = get_column_letter([header for header, _width in columns].index(DECISION_HEADER) + 1)
        choice = DataValidation(
            type="list",
            formula1='"' + ",".join(REVIEW_STATUSES.values()) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=DECISION_HEADER,
            error="请选择：" + " / ".join(REVIEW_STATUSES.values()),
        )
        choice.add(f"{letter}2:{letter}{decisions_for + 1}")
        sheet.data_validations.append(choice)  # the streaming sheet has no add_data_validation
    sheet.append([header for header, _width in columns])
    count = 0
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _cell_value(value: Any) -> Any:
    """A value a worksheet can hold: control characters (a hostile file name) shown escaped, text cut to
    Excel's limit."""
    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)[:MAX_CELL_TEXT]


def _link(report_id: str) -> str:
    """A HYPERLINK formula to the report's page of the auditor report (works in Excel, WPS and LibreOffice)."""
    return f'=HYPERLINK("{report_href(report_id)[:MAX_LINK_LENGTH]}","查看")'


def _number(value: Decimal | None) -> float | int | None:
    """A decimal as Excel can hold it (integers stay exact)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _locators(cells_text: str | None) -> str:
    try:
        items = json.loads(cells_text or "[]")
    except ValueError:
        return ""
    return "；".join(
        f"{item.get('label') or item.get('cell')}：{readable(item.get('locator'))}"
        for item in items
        if isinstance(item, dict) and item.get("locator")
    )[:2000]


def _finding_row(row: tuple) -> list[Any]:
    (
        file_name,
        publisher,
        province,
        city,
        county,
        township,
        year,
        rule_id,
        scope,
        severity,
        status,
        message,
        left,
        right,
        delta,
        cells_text,
        report_id,
        review_status,
        review_note,
        reviewer,
        file_id,
    ) = row
    return [
        file_name,
        publisher,
        province,
        city,
        county,
        township,
        year,
        rule_id,
        scope_label(rule_id, scope),
        SEVERITY_LABELS.get(severity, severity),
        STATUS_LABELS.get(status, status),
        message,
        _number(left),
        _number(right),
        _number(delta),
        _locators(cells_text),
        _link(report_id),
        REVIEW_STATUSES.get(review_status or "", None),
        review_note,
        reviewer,
        file_id,
        rule_id,
        scope,
    ]


def _cell_row(row: tuple) -> list[Any]:
    (file_name, publisher, year, table_id, row_key, col_key, label_raw, value, value_raw, value_status, locator) = row
    row_words, _, col_words = keys.label_of(table_id, row_key, col_key).partition(" · ")
    return [
        file_name,
        publisher,
        year,
        table_id,
        row_words,
        col_words,
        label_raw,
        _number(value),
        value_raw,
        VALUE_STATUS_LABELS.get(value_status, value_status),
        readable(locator),
        locator,
    ]


def _report_row(row: tuple) -> list[Any]:
    (
        file_name,
        publisher,
        province,
        city,
        county,
        township,
        year,
        fmt,
        parse_status,
        n_fail,
        n_uncertain,
        n_open,
        report_id,
        file_id,
    ) = row
    return [
        file_name,
        publisher,
        province,
        city,
        county,
        township,
        year,
        fmt,
        parse_status,
        n_fail,
        n_uncertain,
        n_open,
        _link(report_id),
        file_id,
    ]
