"""The auditor report (审计报告): a small static site on the data quality of the warehouse, usable offline.

Written for 政务公开办 supervisors, researchers and journalists, beside the lake's other reports:

- ``auditor_report.html``, the index: the run, the counts, the report list (filtered and searched in the page),
  failures by rule and by region and year, quarantined and skipped files, parse and region problems, URLs that
  could not be fetched;
- ``reports/<report id>.html``, one page per report: every finding that did not pass, with its evidence cells
  linked to the copied source (``sources/``), and the passed rules;
- ``site/``: the shared style sheet, the index's script and the report list's data files.

Nothing is loaded from the network; every link is relative, so the folder can be copied or zipped as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

import duckdb
import jinja2

from gongkai.lake import write_bytes_atomic
from gongkai.reports import loading
from gongkai.reports.index_page import NO_REGION, REPORT_FIELDS, STATUS_FILTERS, region_year_table, write_report_data
from gongkai.reports.labels import SEVERITY_LABELS, STATUS_LABELS, UNKNOWN_YEAR, status_css
from gongkai.reports.paths import ASSETS, DATA_DOCS, DBT_DOCS, REPORT_PAGES
from gongkai.reports.report_page import write_report_pages
from gongkai.reports.views import MAX_CELLS_PER_FINDING, MAX_WARNINGS_PER_REPORT, Count

MAX_LISTED = 1_000  # rows of each list on the index (quarantine, parse and region problems, ...); the rest counted
ASSET_FILES = ("auditor.css", "auditor_index.js")  # copied from the package's templates into site/
RUN_COUNT_LABELS = (
    ("files_seen", "发现文件"),
    ("landed", "入湖文件"),
    ("duplicates", "重复文件"),
    ("parsed", "已解析"),
    ("quarantined", "已隔离"),
    ("skipped", "跳过的条目"),
)


@dataclass(frozen=True)
class AuditorReportStats:
    """What one call of :func:`write_auditor_report` wrote."""

    reports_total: int  # rows in the warehouse's reports table
    reports_with_problems: int  # reports with a FAIL or UNCERTAIN finding
    report_pages: int  # pages written under reports/ by this call
    findings_shown: int  # findings shown in full on the report pages (all but PASS)
    index_bytes: int
    pages_bytes: int
    largest_page_bytes: int


def write_auditor_report(
    warehouse: Path,
    out_path: Path,
    run_summary: dict | None = None,
    *,
    sources: dict[str, str] | None = None,
    pages: set[str] | None = None,
) -> AuditorReportStats:
    """Render the auditor site of ``warehouse`` (opened read-only) with its index at ``out_path``.

    ``sources`` maps a file_id to its source copy's link from the index (reports/sources.py). ``pages``: rewrite the
    pages of these reports only (and of reports with no page yet); None rewrites every page. The index and the report
    list are always rewritten. Every file is written atomically; the index last, so that it never links a data file or
    page not yet written.
    """
    folder = out_path.parent
    env = _environment()
    common = {
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "limits": {"cells": MAX_CELLS_PER_FINDING, "warnings": MAX_WARNINGS_PER_REPORT, "listed": MAX_LISTED},
        "status_labels": STATUS_LABELS,
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reports = loading.load_reports(con)
        rules = loading.load_rules(con)
        status_counts = loading.load_status_counts(con)
        quarantine = loading.load_quarantine(con)
        stale = loading.load_stale_decisions(con)
        coverage = loading.load_coverage(con)
        written = write_report_pages(
            con,
            reports,
            folder / REPORT_PAGES,
            env.get_template("auditor_report_page.html"),
            sources or {},
            common,
            only=pages,
        )
    _write_assets(folder / ASSETS)
    data_files = write_report_data(reports, folder / ASSETS)

    problems = sum(r.has_problems for r in reports)
    data = (
        env.get_template("auditor_report.html")
        .render(
            common,
            warehouse=str(warehouse),
            has_run_summary=run_summary is not None,
            run_counts=_run_counts(run_summary),
            run_findings=_status_counts((run_summary or {}).get("findings_by_status") or {}) if run_summary else [],
            reports_total=len(reports),
            problems=problems,
            clean=len(reports) - problems,
            status_counts=_status_counts(status_counts),
            coverage=coverage,
            rules=rules,
            failed_rules=[r for r in rules if r.n_fail],
            region_year=region_year_table(reports),
            quarantine=quarantine,
            parse_problems=[r for r in reports if r.parse_status != "complete"],
            region_review=sorted(
                (r for r in reports if r.region_review),
                key=lambda r: (r.region_status, r.publisher, r.year or 0, r.report_id),
            ),
            skipped=loading.skipped_entries(run_summary),
            web=(run_summary or {}).get("web"),
            web_failures=loading.web_failures(run_summary),
            stale_decisions=stale,
            status_filters=STATUS_FILTERS,
            severity_labels=SEVERITY_LABELS,
            site={
                "fields": REPORT_FIELDS,
                "reports": len(reports),
                "pages": REPORT_PAGES,
                "severities": list(SEVERITY_LABELS),
                "labels": {"no_region": NO_REGION, "unknown_year": UNKNOWN_YEAR},
            },
            data_files=data_files,
            assets=ASSETS,
            report_pages=REPORT_PAGES,
            data_docs=DATA_DOCS if (folder / DATA_DOCS).is_file() else "",
            dbt_docs=DBT_DOCS if (folder / DBT_DOCS).is_file() else "",
        )
        .encode("utf-8")
    )
    write_bytes_atomic(out_path, data)
    return AuditorReportStats(
        reports_total=len(reports),
        reports_with_problems=problems,
        report_pages=written.pages,
        findings_shown=written.findings,
        index_bytes=len(data),
        pages_bytes=written.bytes,
        largest_page_bytes=written.largest,
    )


def _status_counts(counts: dict[str, int]) -> list[Count]:
    """Every known status in a fixed order (zero when absent), then any unexpected status as found."""
    known = [Count(s, label, counts.get(s, 0), status_css(s)) for s, label in STATUS_LABELS.items()]
    extra = [
        Count(str(s), str(s), n, "other")
        for s, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
        if s not in STATUS_LABELS
    ]
    return known + extra


def _run_counts(run_summary: dict | None) -> list[Count]:
    if run_summary is None:
        return []
    return [Count(key, label, run_summary.get(key, "—")) for key, label in RUN_COUNT_LABELS]


def _write_assets(assets: Path) -> None:
    """The style sheet and the index's script, from the package."""
    templates = resources.files("gongkai.reports").joinpath("templates")
    for name in ASSET_FILES:
        content = templates.joinpath(name).read_bytes()
        write_bytes_atomic(assets / name, content)


def _environment() -> jinja2.Environment:
    """The templates in gongkai/reports/templates, compiled once per environment."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("gongkai.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
