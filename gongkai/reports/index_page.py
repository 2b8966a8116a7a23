"""The index page's parts that scale with the corpus: the report list's data files and the failure tables.

The report list is not in the page: its rows are written as small local scripts (``site/reports_index_<n>.js``, at most
REPORTS_PER_DATA_FILE reports each) that the page loads with ``<script src>``, since a browser refuses fetch() on
file:// pages. The page's own script (templates/auditor_index.js) filters, searches and pages through them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gongkai.lake import write_bytes_atomic
from gongkai.reports.labels import SEVERITY_LABELS, STATUS_LABELS, UNKNOWN_YEAR
from gongkai.reports.paths import ASSETS
from gongkai.reports.views import ReportView

REPORTS_PER_DATA_FILE = 2_500
DATA_FILE_PREFIX = "reports_index_"
# The columns of a report list row, in order; the page reads this list (GONGKAI_SITE.fields) to name them.
REPORT_FIELDS = (
    "page",
    "publisher",
    "title",
    "file_name",
    "province",
    "city",
    "county",
    "township",
    "year",
    "format",
    "parse_status",
    "fail",
    *(f"fail_{s}" for s in SEVERITY_LABELS),
    "uncertain",
    "lenient",
    "pass",
    "not_assessable",
    "open",
    "reviews",
    "rules",
    "region_review",
)
NO_REGION = "（区划未确定）"

# The report list's status filter: value -> label (the page's script knows each value's test).
STATUS_FILTERS = {
    "fail": f"有“{STATUS_LABELS['FAIL']}”",
    "uncertain": f"有“{STATUS_LABELS['UNCERTAIN']}”",
    "lenient": f"有“{STATUS_LABELS['PASS_LENIENT']}”",
    "clean": "未发现问题",
    "open": "有待审核的问题",
    "region_review": "区划待复核",
    "parse": "解析不完整",
}


@dataclass(frozen=True)
class RegionYearCell:
    reports: int
    failed_reports: int  # reports with at least one FAIL
    fails: int  # FAIL findings


@dataclass(frozen=True)
class RegionYearRow:
    """A province, or a city under the province row before it."""

    level: str  # "province" | "city"
    province: str
    city: str
    cells: list[RegionYearCell]

    @property
    def name(self) -> str:
        return self.city if self.level == "city" else self.province or NO_REGION


@dataclass(frozen=True)
class RegionYearTable:
    years: list[str]
    rows: list[RegionYearRow]


def report_row(report: ReportView) -> list[object]:
    """One report as a row of the list's data, in REPORT_FIELDS order."""
    by_severity = report.n_fail_by_severity
    reviews = "；".join(f"{label} {n}" for label, n in report.reviews.items())
    return [
        report.page,
        report.publisher,
        report.title,
        report.file_name,
        report.province,
        report.city,
        report.county,
        report.township,
        report.year,
        report.format_label,
        report.parse_status,
        report.n_fail,
        *(by_severity.get(s, 0) for s in SEVERITY_LABELS),
        report.n_uncertain,
        report.n_lenient,
        report.n_pass,
        report.n_not_assessable,
        report.n_open,
        reviews,
        report.failed_rules,
        int(report.region_review),
    ]


def write_report_data(reports: list[ReportView], assets: Path) -> list[str]:
    """Write the report list's data files into ``assets``; their links from the index page, in order. Data files of
    an earlier, larger corpus are removed."""
    names = []
    for start in range(0, max(len(reports), 1), REPORTS_PER_DATA_FILE):
        name = f"{DATA_FILE_PREFIX}{start // REPORTS_PER_DATA_FILE + 1}.js"
        data = _data_script(report_row(r) for r in reports[start : start + REPORTS_PER_DATA_FILE]).encode("utf-8")
        write_bytes_atomic(assets / name, data)
        names.append(name)
    for old in assets.glob(f"{DATA_FILE_PREFIX}*.js"):
        if old.name not in names:
            old.unlink()
    return [f"{ASSETS}/{name}" for name in names]


def _data_script(rows: Iterable[list[object]]) -> str:
    """A script that appends its rows to GONGKAI_REPORT_CHUNKS, one JSON row a line."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    return f"(window.GONGKAI_REPORT_CHUNKS = window.GONGKAI_REPORT_CHUNKS || []).push([\n{lines}\n]);\n"


def region_year_table(reports: list[ReportView]) -> RegionYearTable:
    """FAIL findings and failed reports by province (and city within it) and year, in the reports' region order."""
    years = sorted({r.year for r in reports if r.year is not None})
    columns = [str(y) for y in years] + ([UNKNOWN_YEAR] if any(r.year is None for r in reports) else [])
    index = {column: i for i, column in enumerate(columns)}
    totals: dict[tuple[str, str], list[list[int]]] = {}
    for report in reports:
        column = index[str(report.year) if report.year is not None else UNKNOWN_YEAR]
        keys = [(report.province, "")] + ([(report.province, report.city)] if report.city else [])
        for key in keys:
            cell = totals.setdefault(key, [[0, 0, 0] for _ in columns])[column]
            cell[0] += 1
            cell[1] += bool(report.n_fail)
            cell[2] += report.n_fail
    rows = [
        RegionYearRow("city" if city else "province", province, city, [RegionYearCell(*c) for c in cells])
        for (province, city), cells in totals.items()
    ]
    return RegionYearTable(columns, rows)
