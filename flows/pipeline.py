"""The main job: land -> parse -> check the rulebook (GX) -> warehouse and marts (dbt) -> auditor report.

The flow only orchestrates; every step is a plain function in ``gongkai`` that tests call directly.
New files are landed in raw parts sized so that every staging worker has several
(gongkai.ingest.landing.files_per_part); the parts are staged by a sub-flow on the chosen task runner (threads,
a process pool, or Dask: flows/runners.py), and progress is shown as parts complete. Each file is read and parsed in
a worker process under a time and a memory limit (gongkai.staging.isolation), so one bad file costs only itself. The
whole run holds the lake's lock, so two runs never write one lake at once.

The run ends **Failed** when the warehouse's contract tests fail (the previous warehouse is kept), and
**Completed** otherwise, named "Completed with findings" when some report fails a rule. Every run publishes its
summary, counts by status and rule and links to the auditor report as Prefect artifacts (flows/artifacts.py).
"""

# No `from __future__ import annotations` here: a served run may carry this flow to its process pickled by value,
# and Prefect validates its parameters against the annotations, which must then be objects, not names.
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State
from prefect.tasks import exponential_backoff

from flows.artifacts import publish_run_artifacts
from flows.runners import describe_runner, staging_runner
from gongkai.ingest import landing
from gongkai.ingest.discovery import Discovery, discover, take_over
from gongkai.ingest.quarantine import quarantine_oversize
from gongkai.ingest.web import intake as web_intake
from gongkai.lake import Lake, remove_leftovers
from gongkai.run import side_worker
from gongkai.run.changes import BuildPlan, remember_build_inputs
from gongkai.run.lake_lock import lake_lock
from gongkai.run.progress import FileProgress
from gongkai.run.summary import RunSummary
from gongkai.run.work import Work
from gongkai.staging import stage as staging
from gongkai.staging.isolation import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT, Limits

if TYPE_CHECKING:  # imported where used: the rulebook and dbt are heavy
    from prefect import Task
    from prefect.client.schemas.objects import TaskRun
    from prefect.task_runners import TaskRunner

    from gongkai.reports.auditor import AuditorReportStats
    from gongkai.rules.check import CheckResult
    from gongkai.warehouse.build import WarehouseBuild, WarehouseBuilder

RETRIES = 3
RETRY_DELAYS = exponential_backoff(backoff_factor=2)  # 2, 4, 8 s (with Prefect's jitter)


def is_transient(_task: "Task[..., Any]", _run: "TaskRun", state: State[Any]) -> bool:
    """Retry a task only for what may pass by itself: I/O errors (a busy disk or share, a file held by another
    process) and timeouts. Bugs and bad data fail at once: retrying them only delays the report."""
    error = state.data if isinstance(state.data, BaseException) else state.result(raise_on_failure=False)
    return isinstance(error, OSError | TimeoutError) or type(error).__name__ == "IOException"  # duckdb's I/O error


_retrying: dict[str, Any] = {
    "retries": RETRIES,
    "retry_delay_seconds": RETRY_DELAYS,
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": is_transient,
}


@task(tags=["land"], **_retrying)
def land(candidates: list, lake_root: str, inbox: str) -> landing.LandedBatch:
    """Land one batch of new files as a raw Parquet part."""
    return landing.land_batch(candidates, Lake.at(lake_root), Path(inbox))


@task(tags=["fetch"], **_retrying)
def fetch(sources: web_intake.WebSources, lake_root: str) -> web_intake.WebIntake:
    """Fetch the run's URLs and crawls (gongkai.ingest.web), spool what is new and write the fetch log."""
    return web_intake.fetch_sources(sources, Lake.at(lake_root))


@task(tags=["land"], **_retrying)
def land_fetched(files: list, lake_root: str) -> landing.LandedBatch:
    """Land one batch of fetched files as a raw Parquet part."""
    return web_intake.land_fetched(files, Lake.at(lake_root))


@task(tags=["stage"], **_retrying)
def stage(raw_part: str, lake_root: str, limits: Limits) -> staging.StagedBatch:
    """Parse one raw part into staging tables, each file isolated (a retry replaces the part's own output)."""
    return staging.stage_raw_part(Lake.at(lake_root), Path(raw_part), limits)


@task(tags=["check"], **_retrying)
def check(lake_root: str, run_name: str, new_reports: list[str] | None) -> "CheckResult":
    """Run the rulebook (GX) over the new reports and their pairs (None: every staged report) in the side worker
    (gongkai.run.side_worker); write the findings."""
    from gongkai.rules.check import check_lake

    return side_worker.call(check_lake, Lake.at(lake_root), run_name, new_reports=new_reports, docs_now=False)


@task(tags=["check"], **_retrying)
def build_data_docs() -> float:
    """Build the Data Docs of the check in the side worker (it left them for later, so that the findings, and the
    rest of the warehouse build, come first); the seconds it took."""
    from gongkai.rules.gx_context import build_deferred_docs

    return side_worker.call(build_deferred_docs)


@task(tags=["warehouse"], **_retrying)
def start_warehouse(lake_root: str, touched: list[str] | None) -> "WarehouseBuilder":
    """Start a warehouse build (None: a full one) and build the models that do not read the findings."""
    from gongkai.warehouse.build import BEFORE_FINDINGS, WarehouseBuilder

    builder = WarehouseBuilder(Lake.at(lake_root), None if touched is None else set(touched))
    builder.build(BEFORE_FINDINGS)
    return builder


@task(tags=["warehouse"], **_retrying)
def finish_warehouse(lake_root: str, builder: "WarehouseBuilder", touched: list[str] | None) -> "WarehouseBuild":
    """Build the findings' models for the ``touched`` reports (dbt tests included) and publish the warehouse if
    green; the marts are exported by :func:`export_marts`. A retry after an error, or an incremental start whose
    check judged every report (``touched`` None), builds again from the start."""
    from gongkai.warehouse.build import EVERYTHING, FINDINGS, WarehouseBuilder

    if builder.abandoned or (touched is None and builder.incremental):
        builder = WarehouseBuilder(Lake.at(lake_root), None if touched is None else set(touched))
        builder.build(EVERYTHING)
    else:
        builder.touch(set(touched or ()))
        builder.build(FINDINGS)
    return builder.publish(export=False)


@task(tags=["warehouse"], **_retrying)
def export_marts(lake_root: str) -> tuple[dict[str, Path], float]:
    """Export the marts of the published warehouse as Parquet; (the files, the seconds it took)."""
    from gongkai.warehouse.build import MARTS
    from gongkai.warehouse.build import export_marts as export

    started = time.perf_counter()
    return export(Lake.at(lake_root), list(MARTS)), time.perf_counter() - started


@task(tags=["report"], **_retrying)
def write_report(lake_root: str, summary: dict, pages: list[str] | None) -> "AuditorReportStats":
    """Write the auditor report: the pages of ``pages`` reports (None: every page), the index and the sources."""
    from gongkai.reports import write_auditor_report
    from gongkai.reports.sources import copy_sources, problem_file_ids

    lake = Lake.at(lake_root)
    sources = copy_sources(lake, problem_file_ids(lake.warehouse))
    return write_auditor_report(
        lake.warehouse, lake.auditor_report, summary, sources=sources, pages=None if pages is None else set(pages)
    )


@task(tags=["report"], **_retrying)
def write_workbook(lake_root: str) -> int:
    """Write the auditor's Excel workbook in the side worker (gongkai.run.side_worker); the rows written."""
    from gongkai.reports.excel import write_findings_workbook

    lake = Lake.at(lake_root)
    return side_worker.call(write_findings_workbook, lake.warehouse, lake.findings_workbook)


@flow(name="stage-parts", log_prints=True)
def stage_parts(parts: list[str], lake_root: str, limits: Limits) -> list[staging.StagedBatch]:
    """Stage raw parts on this sub-flow's task runner, reporting progress as each part completes."""
    logger = get_run_logger()
    total = sum(staging.files_in_part(Path(part)) for part in parts)
    artifact = create_progress_artifact(0.0, key="gongkai-staging-progress", description="files staged")
    assert isinstance(artifact, UUID)  # the synchronous call (Prefect types it for async callers as well)

    def mirror(done: int, all_files: int) -> None:
        update_progress_artifact(artifact, 100.0 * done / all_files if all_files else 100.0)

    staged: list[staging.StagedBatch] = []
    futures = stage.map(parts, lake_root=lake_root, limits=limits)
    with FileProgress("staged", total, log=logger.info, on_update=mirror) as progress:
        for future in as_completed(list(futures)):
            batch = future.result()
            staged.append(batch)
            progress.advance(batch.files)
    return staged


@flow(name="pipeline", log_prints=True)
def pipeline(
    inbox: str | None,
    lake: str = "data_lake",
    batch_size: int = 500,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    max_file_size: int = landing.DEFAULT_MAX_FILE_SIZE,
    wait_if_busy: bool = True,
    workers: int = 1,
    task_runner: str = "thread",
    dask_address: str | None = None,
    started_at: float | None = None,
    startup: dict[str, float] | None = None,
    web: web_intake.WebSources | None = None,
) -> State[dict]:
    """Run the warehouse end to end on every file in ``inbox`` and, with ``web``, every report fetched from its URLs
    and crawls (fetched first); the final state's data is the run summary.

    ``time_limit`` (seconds) and ``memory_limit`` (bytes) bound the work on one file; files over
    ``max_file_size`` bytes are quarantined without landing. When another run holds the lake, wait for it
    (``wait_if_busy``) or fail at once with LakeBusy. Staging runs on ``workers`` workers of ``task_runner``
    ("thread", the default, "process" or "dask"; with ``dask_address``, the Dask cluster there). ``started_at`` (epoch
    seconds) is when the run began for the operator (the CLI's process start); default: the flow's start.
    ``startup``: the seconds of the parts of the start the caller measured (gongkai.cli: before the run, imports,
    waiting for the Prefect server); the rest, until the flow began, is recorded as ``flow_start``.
    """
    logger = get_run_logger()
    lake_dir = Lake.at(lake)
    summary = RunSummary(
        inbox=str(Path(inbox).resolve()) if inbox else None,
        lake=lake_dir,
        started_at=started_at or time.time(),
        task_runner=describe_runner(task_runner, workers, dask_address),
    )
    if started_at is not None:  # imports and the Prefect start, before the flow began
        summary.seconds["startup"] = round(time.time() - started_at, 1)
        measured = {part: round(seconds, 2) for part, seconds in (startup or {}).items()}
        summary.startup_seconds = measured | {
            "flow_start": round(max(0.0, time.time() - started_at - sum((startup or {}).values())), 2)
        }
    with lake_lock(
        lake_dir,
        wait=wait_if_busy,
        inbox=str(inbox or "web"),
        on_wait=lambda who: logger.warning("the lake is in use by %s; waiting for it", who),
    ):
        _run(
            Path(inbox) if inbox else None,
            lake_dir,
            summary,
            batch_size,
            Limits(time_limit, memory_limit),
            max_file_size,
            workers,
            web,
            # never more workers than parts: a pool whose start-up would cost more than the files is not started
            # (each file is still parsed in its own process, gongkai.staging.isolation); Dask stages even one part
            runner_for=lambda parts: staging_runner(task_runner, min(workers, parts), dask_address),
            stage_one_part_here=task_runner != "dask",
        )
    result = summary.as_dict()
    publish_run_artifacts(result)
    return final_state(result)


def final_state(summary: dict) -> State[dict]:
    """Failed when the warehouse's contract tests failed; Completed (with findings, when any FAIL) otherwise."""
    dbt = summary["dbt"]
    if dbt and dbt["tests_failed"]:
        return Failed(
            message=f"dbt contract tests failed ({', '.join(dbt['failed_tests'])}): the warehouse, marts "
            "and auditor report were not updated",
            data=summary,
        )
    failing = summary["findings_by_status"].get("FAIL", 0)
    if failing:
        return Completed(
            name="Completed with findings",
            data=summary,
            message=f"{failing} FAIL findings in {len(summary['failing_rules'])} rules: see the auditor report",
        )
    return Completed(message="no FAIL findings", data=summary)


def _run(
    inbox: Path | None,
    lake_dir: Lake,
    summary: RunSummary,
    batch_size: int,
    limits: Limits,
    max_file_size: int,
    workers: int,
    web: web_intake.WebSources | None,
    runner_for: Callable[[int], "TaskRunner[Any]"],
    stage_one_part_here: bool,
) -> None:
    logger = get_run_logger()
    remove_leftovers(lake_dir)
    if web is not None:
        started = time.perf_counter()
        fetched = fetch(web, str(lake_dir.root))
        summary.record_web(fetched)
        web_batches = list(
            landing.batched(fetched.to_land, landing.files_per_part(len(fetched.to_land), workers, batch_size))
        )
        logger.info(
            "web: %s; landing %d new files in %d parts", fetched.outcomes, len(fetched.to_land), len(web_batches)
        )
        for landed in land_fetched.map(web_batches, lake_root=str(lake_dir.root)):
            summary.record_landed(landed.result())
        summary.timed("web", started)

    started = time.perf_counter()
    found = (
        (
            take_over(inbox, lake_dir.root, max_file_size)
            or discover(inbox, landing.landed_file_ids(lake_dir), max_file_size)
        )
        if inbox
        else Discovery()
    )
    work = Work(lake_dir, found)  # what to do, asked before each step (the preflight asks the same)
    summary.record_discovery(found, work.to_quarantine, max_file_size)
    quarantine_oversize(lake_dir, work.to_quarantine, max_file_size)  # a part of its own: the plan sees it
    per_part = landing.files_per_part(len(work.to_land()), workers, batch_size)
    batches = list(landing.batched(work.to_land(), per_part))
    logger.info(
        "inbox: %d entries, %d new, %d duplicates, %d skipped, %d too large; landing in %d parts",
        found.seen,
        len(found.new),
        len(found.duplicates),
        len(found.skipped),
        len(found.oversize),
        len(batches),
    )
    if batches:
        side_worker.prestart()  # it imports the rulebook while files land and stage (the CLI may have started it)
    if stage_one_part_here and len(batches) == 1:
        staging.prestart_parse_worker(limits)  # it starts while the file lands
    with FileProgress("landed", len(found.new), log=logger.info) as progress:
        for landed in land.map(batches, lake_root=str(lake_dir.root), inbox=str(inbox)):
            batch = landed.result()
            summary.record_landed(batch)
            progress.advance(batch.landed + len(batch.skipped))
    summary.timed("landing", started)

    parts = work.to_stage()
    if parts:
        side_worker.prestart()  # unless it runs: parts left from an earlier run still need their check
        started = time.perf_counter()
        if stage_one_part_here and len(parts) == 1:
            # one part (a few new files): a task of this flow, in this thread, where its parse worker was launched
            # during landing; a sub-flow and its task runner would cost about a second
            logger.info("staging 1 raw part in the flow")
            summary.record_staged(stage(str(parts[0]), lake_root=str(lake_dir.root), limits=limits))
        else:
            logger.info("staging %d raw parts on %s", len(parts), summary.task_runner)
            for staged in stage_parts.with_options(task_runner=runner_for(len(parts)))(
                [str(p) for p in parts], lake_root=str(lake_dir.root), limits=limits
            ):
                summary.record_staged(staged)
        summary.timed("staging", started)

    plan = work.build()
    summary.record_plan(plan)
    logger.info("build: %s", plan.describe())
    if plan.needed:
        _build(lake_dir, plan, summary)
    else:
        logger.info("nothing new since the last build: warehouse and report are current")
        summary.warehouse_current = True
    summary.finish()


def _build(lake_dir: Lake, plan: BuildPlan, summary: RunSummary) -> None:
    """Check, build the warehouse and write the report, each in full or for the touched reports only.

    The check runs in the side worker (on a thread of the flow's task runner, which only waits for it) while this
    thread builds the part of the warehouse that does not read the findings; the rest is built once the check is
    done, for the reports it touched (the new ones and the reports paired with them)."""
    logger = get_run_logger()
    started = time.perf_counter()
    root = str(lake_dir.root)
    full_build = plan.full_warehouse or plan.full_check  # a full check can change any report's findings
    checking = None
    if plan.full_check or plan.new_reports:
        checking = check.submit(root, summary.run_name, None if plan.full_check else sorted(plan.new_reports))
    builder = start_warehouse(root, None if full_build else sorted(touched_reports(plan)))
    docs = None
    if checking is not None:
        checked = checking.result()
        docs = build_data_docs.submit()  # in the side worker, while this thread builds the rest of the warehouse
    else:  # only decisions or quarantined files are new: the findings stand
        from gongkai.rules.check import lake_findings

        checked = lake_findings(lake_dir)
    summary.record_check(checked)
    summary.timed("rules", started)
    # None when the check judged every report after all (a lake whose last check left no report pairs)
    touched = None if full_build or checked.checked is None else sorted(touched_reports(plan, checked))
    started = time.perf_counter()
    built = finish_warehouse(root, builder, touched)
    summary.record_warehouse(built)
    summary.timed("warehouse", started)
    if docs is not None:
        summary.record_data_docs(docs.result())
    if not built.published:
        logger.error(
            "dbt tests failed (%s): the warehouse, marts and auditor report were not updated; "
            "the failed build is in %s",
            ", ".join(built.failed_tests),
            lake_dir.state,
        )
        return
    started = time.perf_counter()
    # Three at once, each only reading the published warehouse: the workbook in the side worker, the marts' export
    # on a thread (in DuckDB and Arrow, mostly outside the GIL), the auditor's pages in this thread.
    workbook = write_workbook.submit(root)
    exporting = export_marts.submit(root)
    pages = None if plan.all_pages or touched is None else touched
    write_report(root, summary.as_dict(), pages)
    summary.record_marts(*exporting.result())
    workbook.result()
    remember_build_inputs(lake_dir, plan.current)
    summary.timed("report", started)


def touched_reports(plan: BuildPlan, checked: "CheckResult | None" = None) -> set[str]:
    """The reports whose cells or reviews this build changed, and (given the check) whose findings it changed."""
    from gongkai.staging.stage import report_id_of

    judged = set(checked.checked or ()) if checked is not None else set()
    return set(plan.new_reports) | judged | {report_id_of(f) for f in plan.reviewed_files}
