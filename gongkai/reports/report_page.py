"""One page per report (``reports/<page name>``): its metadata, every finding that did not pass with the evidence,
grouped by rule family, and the passed rules folded away.

The findings are streamed from one query, report by report, and each page is rendered by one compiled template
and written at once, so 10,000 pages cost neither a query each nor all findings in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import jinja2

from gongkai.lake import write_atomic
from gongkai.reports.formatting import scope_label
from gongkai.reports.labels import FAMILY_LABELS
from gongkai.reports.loading import stream_findings
from gongkai.reports.views import ComparedView, FindingView, PassedView, ReportView, finding_view

UP = "../"  # from a report page to the index's folder


@dataclass(frozen=True)
class FamilyGroup:
    """The findings of one rule family on a report's page."""

    label: str
    findings: list[FindingView]


@dataclass
class PagesWritten:
    """What :func:`write_report_pages` wrote."""

    pages: int = 0
    bytes: int = 0
    largest: int = 0
    findings: int = 0  # findings shown in full (not passed)


def write_report_pages(
    con: duckdb.DuckDBPyConnection,
    reports: list[ReportView],
    folder: Path,
    template: jinja2.Template,
    sources: dict[str, str],
    common: dict[str, Any],
    only: set[str] | None = None,
) -> PagesWritten:
    """Write the page of every report in ``reports`` into ``folder`` and remove pages of reports no longer there.

    ``sources`` maps a file_id to its copy's link from the index; ``common`` is passed to every page. ``only``: write
    the pages of these report ids, and of reports that have no page yet; keep every other page as it is.
    """
    by_id = {r.report_id: r for r in reports}
    written = PagesWritten()
    pages: set[str] = set()

    def write(report: ReportView, rows: list[tuple[Any, ...]]) -> None:
        problems, passed = _findings(rows, by_id, sources)
        data = template.render(
            common,
            report=report,
            families=_by_family(problems),
            passed=passed,
            source_href=UP + sources[report.file_id] if report.file_id in sources else "",
            up=UP,
        ).encode("utf-8")
        write_atomic(folder / report.page, lambda tmp: tmp.write_bytes(data))
        pages.add(report.page)
        written.pages += 1
        written.bytes += len(data)
        written.largest = max(written.largest, len(data))
        written.findings += len(problems)

    existing = {path.name for path in folder.glob("*.html")}
    wanted = None if only is None else only | {r.report_id for r in reports if r.page not in existing}
    for report_id, rows in stream_findings(con, wanted):
        write(by_id[report_id], rows)
    for report in reports:
        if report.page not in pages and (wanted is None or report.report_id in wanted):
            write(report, [])
    current = {report.page for report in reports}
    for name in existing - current:
        (folder / name).unlink()
    return written


def _findings(
    rows: Iterable[tuple[Any, ...]], by_id: dict[str, ReportView], sources: dict[str, str]
) -> tuple[list[FindingView], list[PassedView]]:
    """(findings that did not pass, passed findings) of one report's rows, in the rows' order."""
    problems: list[FindingView] = []
    passed: list[PassedView] = []
    for (
        file_id,
        rule_id,
        family,
        compared_id,
        scope,
        status,
        severity,
        left,
        right,
        delta,
        cells,
        message,
        review_status,
        review_note,
        reviewed_at,
    ) in rows:
        if status == "PASS":
            passed.append(
                PassedView(
                    rule_id or "",
                    scope_label(rule_id or "", scope),
                    message or "",
                    left if left is not None else "—",
                    right if right is not None else "—",
                )
            )
            continue
        source = sources.get(file_id or "")
        view = finding_view(
            rule_id,
            family,
            scope,
            status,
            severity,
            left,
            right,
            delta,
            cells,
            message,
            review_status,
            review_note,
            reviewed_at,
            source_href=UP + source if source else "",
            compared=_compared(compared_id, by_id),
        )
        problems.append(view)
    return problems, passed


def _compared(report_id: str | None, by_id: dict[str, ReportView]) -> ComparedView | None:
    """The report a cross-year finding compared with, linked to its page (a sibling of this one)."""
    if not report_id:
        return None
    other = by_id.get(report_id)
    if other is None:
        return ComparedView(f"报告 {report_id}（不在数据仓库中）", "")
    return ComparedView(f"{other.year_label} {other.publisher} 报告", other.page)


def _by_family(findings: list[FindingView]) -> list[FamilyGroup]:
    """Findings grouped by rule family, the families in FAMILY_LABELS order, any other family after them."""
    groups: dict[str, list[FindingView]] = {}
    for finding in findings:
        groups.setdefault(finding.family, []).append(finding)
    order = list(FAMILY_LABELS)
    ranked = sorted(groups, key=lambda f: (order.index(f) if f in order else len(order), f))
    return [FamilyGroup(groups[f][0].family_label, groups[f]) for f in ranked]
