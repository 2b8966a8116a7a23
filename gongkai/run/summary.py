"""The run summary operators read: every input file accounted for, findings by status, where outputs are."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai import keys
from gongkai.ingest.discovery import SKIP_REASONS, Candidate, Discovery, Skipped, display_name
from gongkai.ingest.landing import oversize_reason
from gongkai.ingest.sizes import format_size
from gongkai.lake import Lake, write_atomic

_SHOWN_PER_REASON = 10  # skipped entries printed per reason; run_summary.json lists all of them
SHOWN_FILES = 20  # quarantined files and files to review printed; run_summary.json lists all of them


@dataclass
class RunSummary:
    """Counts and paths of one pipeline run; ``as_dict`` is what is printed and saved as JSON."""

    inbox: str | None  # None: only web sources were read
    lake: Lake
    started_at: float = field(default_factory=time.time)  # epoch seconds: the process start for a CLI run
    run_name: str = field(default_factory=lambda: time.strftime("run-%Y%m%dT%H%M%S"))
    files_seen: int = 0
    landed: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    parsed: int = 0
    cells: int = 0
    quarantined: list[tuple[str, str, str, str]] = field(default_factory=list)  # (file, stage, code, reason)
    workers_started: int = 0
    findings_by_status: Counter = field(default_factory=Counter)
    failing_rules: Counter = field(default_factory=Counter)
    data_docs: str | None = None
    check_seconds: dict[str, float] = field(default_factory=dict)
    formats: Counter = field(default_factory=Counter)
    region_statuses: Counter = field(default_factory=Counter)
    region_review: list[tuple[str, str, str]] = field(default_factory=list)  # (file, status, note)
    dbt: dict[str, Any] | None = None
    marts: list[str] = field(default_factory=list)
    warehouse_current: bool = False
    build: str = ""  # the kind of build and why (gongkai.run.changes.BuildPlan.describe)
    checked_reports: int | None = None  # reports the rulebook checked in this run
    task_runner: str = ""
    staging_workers: set[str] = field(default_factory=set)  # host:pid/thread of each worker that staged a part
    seconds: dict[str, float] = field(default_factory=dict)  # per step, in the order the steps ran
    startup_seconds: dict[str, float] = field(default_factory=dict)  # the parts of "startup" (gongkai.cli)
    elapsed_seconds: float | None = None
    web: dict[str, Any] | None = None  # the web intake (gongkai.ingest.web.intake.WebIntake.as_dict)

    def timed(self, step: str, since: float) -> None:
        """Record that ``step`` ran from ``since`` (time.perf_counter) until now."""
        self.seconds[step] = round(self.seconds.get(step, 0.0) + time.perf_counter() - since, 1)

    def record_discovery(self, found: Discovery, to_quarantine: list[Candidate], max_file_size: int) -> None:
        """What the inbox held: every entry is counted once, in exactly one list (a file too large to land
        counts as quarantined in the run that quarantines it, ``to_quarantine``, as a duplicate in later runs)."""
        self.files_seen = found.seen
        self.duplicates = list(found.duplicates)
        self.skipped = list(found.skipped)
        quarantining = set(to_quarantine)
        for candidate in found.oversize:
            if candidate not in quarantining:
                self.duplicates.append((candidate.path.name, "already quarantined: too large to land"))
            else:
                self.quarantined.append(
                    (candidate.path.name, "land", "too_large", oversize_reason(candidate.size_bytes, max_file_size))
                )

    def record_web(self, intake) -> None:
        """The web intake's outcomes per URL (gongkai.ingest.web.intake.WebIntake)."""
        self.web = intake.as_dict()

    def record_landed(self, batch) -> None:
        """One landing batch: files landed, and files that changed or vanished since discovery."""
        self.landed += batch.landed
        self.skipped += batch.skipped

    def record_staged(self, batch) -> None:
        """One staged raw part: reports, cells, quarantined files and region outcomes."""
        self.staging_workers.add(batch.worker)
        self.parsed += batch.reports
        self.cells += batch.cells
        self.quarantined += batch.quarantined
        self.workers_started += batch.workers_started
        self.formats.update(batch.formats)
        self.region_statuses.update(batch.region_statuses)
        self.region_review += batch.region_review

    def record_plan(self, plan) -> None:
        """Which build this run does (gongkai.run.changes.BuildPlan)."""
        self.build = plan.describe()

    def record_check(self, checked) -> None:
        """The lake's findings after the check (gongkai.rules.CheckResult), and how many reports it checked."""
        self.checked_reports = checked.reports
        self.findings_by_status = Counter(checked.by_status)
        self.failing_rules = Counter(checked.failing_rules)
        self.data_docs = checked.data_docs
        self.check_seconds = {k: round(v, 1) for k, v in checked.seconds.items()}

    def record_data_docs(self, seconds: float) -> None:
        """The seconds the check's Data Docs took, built after its findings."""
        self.check_seconds["gx_docs"] = round(seconds, 1)

    def record_warehouse(self, built) -> None:
        """The dbt build's outcome and the marts it exported."""
        self.dbt = {
            "success": built.success,
            "published": built.published,
            "tests_passed": built.tests_passed,
            "tests_failed": built.tests_failed,
            "failed_tests": list(built.failed_tests),
            "seconds": round(built.elapsed_seconds, 1),
            "incremental": built.incremental,
            "steps": dict(built.steps),
            "docs": str(built.docs) if built.docs else None,
            "docs_seconds": round(built.docs_seconds, 1),
            "docs_error": built.docs_error,
        }
        self.marts = [str(p) for p in built.exports.values()]

    def record_marts(self, exports: dict[str, Path], seconds: float) -> None:
        """The marts exported after the build, when the build did not export them itself."""
        self.marts = [str(p) for p in exports.values()]
        if self.dbt:
            self.dbt["steps"]["export"] = round(seconds, 2)

    def finish(self) -> None:
        """Stop the clock and save the summary as JSON next to the auditor report."""
        self.elapsed_seconds = round(time.time() - self.started_at, 1)
        text = json.dumps(self.as_dict(), ensure_ascii=False, indent=2)
        write_atomic(self.lake.run_summary, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def as_dict(self) -> dict[str, Any]:
        """The summary as printed, saved as JSON and published as a Prefect artifact."""
        return {
            "inbox": self.inbox,
            "lake": str(self.lake.root),
            "files_seen": self.files_seen,
            "landed": self.landed,
            "duplicates": len(self.duplicates),
            "duplicate_files": [{"file": f, "why": why} for f, why in self.duplicates],
            "skipped": len(self.skipped),
            "skipped_by_reason": dict(Counter(entry.code for entry in self.skipped)),
            "skipped_entries": [
                {"path": e.path, "code": e.code, "detail": e.detail, "reason": e.reason} for e in self.skipped
            ],
            "web": self.web,
            "parsed": self.parsed,
            "cells": self.cells,
            "quarantined": len(self.quarantined),
            "quarantined_files": [{"file": f, "stage": s, "code": c, "reason": r} for f, s, c, r in self.quarantined],
            "parse_workers_started": self.workers_started,
            "task_runner": self.task_runner,
            "staging_workers": len(self.staging_workers),
            "formats": dict(self.formats),
            "regions": dict(self.region_statuses),
            "regions_to_review": len(self.region_review),
            "region_review_files": [{"file": f, "status": s, "note": n} for f, s, n in self.region_review],
            "findings_by_status": dict(self.findings_by_status),
            "failing_rules": dict(self.failing_rules.most_common()),
            "data_docs": self.data_docs,
            "check_seconds": self.check_seconds,
            "dbt": self.dbt,
            "warehouse_current": self.warehouse_current,
            "build": self.build or ("nothing new" if self.warehouse_current else ""),
            "checked_reports": self.checked_reports,
            "warehouse": str(self.lake.warehouse),
            "marts": self.marts or [str(p) for p in sorted(self.lake.marts.glob("*.parquet"))],
            "auditor_report": str(self.lake.auditor_report),
            "auditor_workbook": str(self.lake.findings_workbook),
            "run_summary": str(self.lake.run_summary),
            "seconds": self.seconds,
            "elapsed_seconds": self.elapsed_seconds,
            "startup_seconds": self.startup_seconds,
        }


def render_text(summary: dict[str, Any]) -> str:
    """The summary as the CLI prints it."""
    findings = summary["findings_by_status"]
    lines = [
        "",
        "== gongkai run summary ==",
        f"files seen:    {summary['files_seen']}",
        f"landed (new):  {summary['landed']}",
        f"duplicates:    {summary['duplicates']}",
        f"skipped:       {summary['skipped']}" + _by_reason(summary["skipped_by_reason"]),
    ]
    lines += _skipped_lines(summary["skipped_entries"])
    lines += _web_lines(summary.get("web"))
    lines += [
        f"parsed:        {summary['parsed']}  "
        f"({', '.join(f'{k} {v}' for k, v in sorted(summary['formats'].items())) or '-'})",
        f"quarantined:   {summary['quarantined']}",
    ]
    lines += _capped(
        [
            f"    {display_name(q['file'])} [{q['stage']}, {q['code']}]: {q['reason']}"
            for q in summary["quarantined_files"]
        ]
    )
    lines.append(
        f"regions:       {', '.join(f'{k} {v}' for k, v in sorted(summary['regions'].items())) or '-'}; "
        f"to review {summary['regions_to_review']}"
    )
    lines += _capped([f"    {r['file']} [{r['status']}]: {r['note']}" for r in summary["region_review_files"]])
    lines.append(f"build:         {summary.get('build') or '-'}")
    if summary.get("checked_reports") is not None:
        lines.append(f"checked:       {summary['checked_reports']} reports")
    lines.append(
        "findings:      " + (", ".join(f"{k} {findings[k]}" for k in keys.FINDING_STATUSES if k in findings) or "-")
    )
    failing = summary.get("failing_rules") or {}
    if failing:
        lines.append(
            "failing rules: "
            + ", ".join(f"{rule} {n}" for rule, n in list(failing.items())[:10])
            + (f", … {len(failing) - 10} more" if len(failing) > 10 else "")
        )
    dbt = summary["dbt"]
    if dbt:
        lines.append(
            f"dbt build:     {'ok' if dbt['success'] else 'FAILED'}"
            f"{' (incremental)' if dbt.get('incremental') else ''}, tests passed {dbt['tests_passed']}, "
            f"failed {dbt['tests_failed']}" + (f" ({', '.join(dbt['failed_tests'])})" if dbt["failed_tests"] else "")
        )
        if not dbt["published"]:
            lines.append(
                "               the warehouse, marts and auditor report were NOT updated (previous build kept)"
            )
        elif dbt.get("docs_error"):
            lines.append(f"dbt docs:      FAILED ({dbt['docs_error']}); the previous docs are kept")
        elif dbt.get("docs"):
            lines.append(f"dbt docs:      {dbt['docs']} ({dbt['docs_seconds']} s)")
    elif summary["warehouse_current"]:
        lines.append("dbt build:     skipped, nothing new since the last build")
    lines += [
        f"warehouse:     {summary['warehouse']}",
        "marts:         " + ("\n               ".join(summary["marts"]) or "-"),
        f"auditor report: {summary['auditor_report']}",
        f"data docs (GX): {summary.get('data_docs') or '-'}",
        f"review workbook: {summary['auditor_workbook']} (fill 审核结论, then: gongkai review import FILE)",
        f"run summary:   {summary['run_summary']}",
        f"elapsed:       {summary['elapsed_seconds']} s" + _breakdown(summary.get("seconds") or {}),
    ]
    if summary.get("startup_seconds"):
        lines.append("startup:       " + _breakdown(summary["startup_seconds"]).strip(" ()"))
    return "\n".join(lines)


def _capped(lines: list[str]) -> list[str]:
    """The first SHOWN_FILES lines, then how many more the auditor report lists."""
    if len(lines) <= SHOWN_FILES:
        return lines
    return [*lines[:SHOWN_FILES], f"    … and {len(lines) - SHOWN_FILES} more: see the auditor report"]


def _breakdown(seconds: dict[str, float]) -> str:
    return f"  ({', '.join(f'{step} {value:g} s' for step, value in seconds.items())})" if seconds else ""


def render_markdown(summary: dict[str, Any]) -> str:
    """The summary as a Prefect markdown artifact: the text summary, with links to the outputs."""
    report = Path(summary["auditor_report"]).as_uri()
    links = [f"[auditor report (审核报告)]({report})"]
    if summary.get("data_docs"):
        links.append(f"[GX Data Docs]({Path(summary['data_docs']).as_uri()})")
    return "# gongkai run\n\n" + " · ".join(links) + "\n\n```text\n" + render_text(summary).strip() + "\n```\n"


def _by_reason(counts: dict[str, int]) -> str:
    return f"  ({', '.join(f'{code} {n}' for code, n in sorted(counts.items()))})" if counts else ""


def _skipped_lines(entries: list[dict[str, str]]) -> list[str]:
    """Skipped entries by reason, at most a few per reason (the JSON summary lists every one)."""
    lines = []
    for code in SKIP_REASONS:
        of_code = [entry for entry in entries if entry["code"] == code]
        lines += [f"    {entry['path']} [{code}]: {entry['reason']}" for entry in of_code[:_SHOWN_PER_REASON]]
        if len(of_code) > _SHOWN_PER_REASON:
            lines.append(f"    … {len(of_code) - _SHOWN_PER_REASON} more [{code}] in run_summary.json")
    return lines


def _web_lines(web: dict[str, Any] | None) -> list[str]:
    """Outcomes of the URLs fetched, and the failures with their reasons (the first SHOWN_FILES)."""
    if not web:
        return []
    lines = [
        f"web:           {web['urls']} URLs: landed {web['landed']}, not modified {web['not_modified']}, "
        f"duplicates {web['duplicate']}, listings {web['listing']}, failed {web['failed']}"
        + _by_reason(web["failed_by_reason"])
        + f"; {format_size(web['bytes_fetched'])} in {web['seconds']} s"
    ]
    lines += _capped([f"    {f['url']} [{f['code']}]: {f['reason']}" for f in web["failures"]])
    notes = [
        f"{web['off_site_links']} off-site links not followed" if web["off_site_links"] else "",
        f"{web['over_crawl_limit']} links over --crawl-max" if web["over_crawl_limit"] else "",
        f"{len(web['given_up'])} URLs given up after failing {web['retry_runs']} runs" if web["given_up"] else "",
    ]
    if any(notes):
        lines.append("               " + "; ".join(note for note in notes if note))
    return lines
