"""The main job: land -> parse -> check the rulebook (GX) -> warehouse and marts (dbt) -> auditor report.

The flow only orchestrates; every step is a plain function in ``gongkai`` that tests call directly.
Files are handled in batches, one task per batch, so a run of 100,000 files makes a few hundred task
runs and holds one batch in memory at a time. Each file is read and parsed in a worker process under a
time and a memory limit (gongkai.isolation), so one bad file costs only itself. The whole run holds the
lake's lock, so two runs never write one lake at once.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger, task

from gongkai import landing, staging
from gongkai.changes import BuildPlan, plan_build, record_build
from gongkai.discovery import discover
from gongkai.isolation import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT, Limits
from gongkai.lake import Lake, remove_leftovers
from gongkai.lake_lock import lake_lock
from gongkai.quarantine import quarantine_oversize
from gongkai.run_summary import RunSummary

if TYPE_CHECKING:   # imported where used: the rulebook and dbt are heavy
    from gongkai.reports.auditor import AuditorReportStats
    from gongkai.rules.check import CheckResult
    from gongkai.warehouse import WarehouseBuild


@task(retries=2, retry_delay_seconds=2, tags=["land"])
def land(candidates: list, lake_root: str, inbox: str) -> landing.LandedBatch:
    """Land one batch of new files as a raw Parquet part."""
    return landing.land_batch(candidates, Lake.at(lake_root), Path(inbox))


@task(tags=["stage"])
def stage(raw_part: str, lake_root: str, limits: Limits) -> staging.StagedBatch:
    """Parse one raw part into staging tables, each file isolated."""
    return staging.stage_raw_part(Lake.at(lake_root), Path(raw_part), limits)


@task(tags=["check"])
def check(lake_root: str, run_name: str, new_reports: list[str] | None) -> CheckResult:
    """Run the rulebook (GX) over the new reports and their pairs (None: every staged report); write the findings."""
    from gongkai.rules import check_lake

    return check_lake(Lake.at(lake_root), run_name, new_reports=new_reports)


@task(tags=["warehouse"])
def build_warehouse(lake_root: str) -> WarehouseBuild:
    """Build warehouse.duckdb and the marts with dbt (tests included)."""
    from gongkai.warehouse import build_warehouse as build

    return build(Lake.at(lake_root))


@task(tags=["report"])
def write_report(lake_root: str, summary: dict, pages: list[str] | None) -> AuditorReportStats:
    """Write the auditor report (the pages of ``pages`` reports, None: every page) and the Excel workbook."""
    from gongkai.reports import write_auditor_report
    from gongkai.reports.excel import write_findings_workbook
    from gongkai.reports.sources import copy_sources, problem_file_ids

    lake = Lake.at(lake_root)
    sources = copy_sources(lake, problem_file_ids(lake.warehouse))
    stats = write_auditor_report(lake.warehouse, lake.auditor_report, summary, sources=sources,
                                 pages=None if pages is None else set(pages))
    write_findings_workbook(lake.warehouse, lake.findings_workbook)
    return stats


@flow(name="pipeline", log_prints=True)
def pipeline(inbox: str, lake: str = "data_lake", batch_size: int = 500,
             time_limit: float = DEFAULT_TIME_LIMIT, memory_limit: int = DEFAULT_MEMORY_LIMIT,
             max_file_size: int = landing.DEFAULT_MAX_FILE_SIZE, wait_if_busy: bool = True) -> dict:
    """Run the warehouse end to end on every file in ``inbox``; returns the run summary.

    ``time_limit`` (seconds) and ``memory_limit`` (bytes) bound the work on one file; files over
    ``max_file_size`` bytes are quarantined without landing. When another run holds the lake, wait for it
    (``wait_if_busy``) or fail at once with LakeBusy.
    """
    logger = get_run_logger()
    lake_dir = Lake.at(lake)
    with lake_lock(lake_dir, wait=wait_if_busy, inbox=str(inbox),
                   on_wait=lambda who: logger.warning("the lake is in use by %s; waiting for it", who)):
        return _run(Path(inbox), lake_dir, batch_size, Limits(time_limit, memory_limit), max_file_size)


def _run(inbox: Path, lake_dir: Lake, batch_size: int, limits: Limits, max_file_size: int) -> dict:
    logger = get_run_logger()
    remove_leftovers(lake_dir)
    summary = RunSummary(inbox=str(inbox.resolve()), lake=lake_dir)

    with summary.timed("discover"):
        found = discover(inbox, landing.landed_file_ids(lake_dir), max_file_size)
        summary.record_discovery(found, lake_dir, max_file_size)
        quarantine_oversize(lake_dir, found.oversize, max_file_size)   # a part of its own: the plan sees it
    batches = list(landing.batched(found.new, batch_size))
    logger.info("inbox: %d entries, %d new, %d duplicates, %d skipped, %d too large; landing in %d batches",
                found.seen, len(found.new), len(found.duplicates), len(found.skipped), len(found.oversize),
                len(batches))
    with summary.timed("land"):
        for done, landed in enumerate(land.map(batches, lake_root=str(lake_dir.root), inbox=str(inbox)), start=1):
            summary.record_landed(landed.result())
            logger.info("landed batch %d/%d", done, len(batches))

    parts = staging.pending_parts(lake_dir)
    logger.info("staging %d raw parts", len(parts))
    with summary.timed("stage"):
        for done, staged in enumerate(stage.map([str(p) for p in parts], lake_root=str(lake_dir.root),
                                                limits=limits), start=1):
            summary.record_staged(staged.result())
            logger.info("staged part %d/%d", done, len(parts))

    plan = plan_build(lake_dir)
    summary.record_plan(plan)
    logger.info("build: %s", plan.describe())
    if plan.needed:
        _build(lake_dir, plan, summary)
    else:
        logger.info("nothing new since the last build: warehouse and report are current")
        summary.warehouse_current = True
    summary.finish()
    return summary.as_dict()


def _build(lake_dir: Lake, plan: BuildPlan, summary: RunSummary) -> None:
    """Check, build the warehouse and write the report, each in full or for the touched reports only."""
    logger = get_run_logger()
    with summary.timed("check"):
        if plan.full_check or plan.new_reports:
            checked = check(str(lake_dir.root), summary.run_name,
                            None if plan.full_check else sorted(plan.new_reports))
        else:
            from gongkai.rules.check import lake_findings

            checked = lake_findings(lake_dir)
        summary.record_check(checked)
    with summary.timed("warehouse"):
        built = build_warehouse(str(lake_dir.root))
    summary.record_build(built)
    if not built.published:
        logger.error("dbt tests failed (%s): the warehouse, marts and auditor report were not updated; "
                     "the failed build is in %s", ", ".join(built.failed_tests), lake_dir.state)
        return
    pages = None if plan.all_pages or checked.checked is None else sorted(touched_reports(plan, checked))
    with summary.timed("report"):
        write_report(str(lake_dir.root), summary.as_dict(), pages)
    record_build(lake_dir, plan.current)


def touched_reports(plan: BuildPlan, checked: CheckResult) -> set[str]:
    """The reports whose findings, cells or reviews this build changed."""
    from gongkai.staging import report_id_of

    return set(plan.new_reports) | set(checked.checked or ()) | {report_id_of(f) for f in plan.reviewed_files}
