"""The main job: land -> parse and validate -> warehouse and marts (dbt) -> auditor report.

The flow only orchestrates; every step is a plain function in ``gongkai`` that tests call directly.
Files are handled in batches, one task per batch, so a run of 100,000 files makes a few hundred task
runs and holds one batch in memory at a time.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from gongkai import landing, staging
from gongkai.lake import Lake
from gongkai.run_summary import RunSummary, build_is_current, record_build


@task(retries=2, retry_delay_seconds=2, tags=["land"])
def land(candidates: list[landing.Candidate], lake_root: str) -> str | None:
    """Land one batch of new files as a raw Parquet part."""
    part = landing.land_batch(candidates, Lake.at(lake_root))
    return str(part) if part else None


@task(tags=["stage"])
def stage(raw_part: str, lake_root: str) -> staging.StagedBatch:
    """Parse one raw part into staging tables and run the rule suites on it."""
    return staging.stage_raw_part(Lake.at(lake_root), Path(raw_part))


@task(tags=["warehouse"])
def build_warehouse(lake_root: str):
    """Build warehouse.duckdb and the marts with dbt (tests included)."""
    from gongkai.warehouse import build_warehouse as build

    return build(Lake.at(lake_root))


@task(tags=["report"])
def write_report(lake_root: str, summary: dict):
    """Write the auditor report from the warehouse."""
    from gongkai.reports import write_auditor_report

    lake = Lake.at(lake_root)
    return write_auditor_report(lake.warehouse, lake.auditor_report, summary)


@flow(name="pipeline", log_prints=True)
def pipeline(inbox: str, lake: str = "data_lake", batch_size: int = 500) -> dict:
    """Run the warehouse end to end on every file in ``inbox``; returns the run summary."""
    logger = get_run_logger()
    lake_dir = Lake.at(lake)
    summary = RunSummary(inbox=str(Path(inbox).resolve()), lake=lake_dir)

    found = landing.discover(Path(inbox), landing.landed_file_ids(lake_dir))
    summary.record_discovery(found)
    staging.quarantine_unreadable(lake_dir, found.unreadable)
    batches = list(landing.batched(found.new, batch_size))
    logger.info("inbox: %d files, %d new, %d duplicates, %d unreadable; landing in %d batches",
                found.seen, len(found.new), len(found.duplicates), len(found.unreadable), len(batches))
    for done, future in enumerate(land.map(batches, lake_root=str(lake_dir.root)), start=1):
        future.result()
        logger.info("landed batch %d/%d", done, len(batches))
    summary.landed = len(found.new)

    parts = staging.pending_parts(lake_dir)
    logger.info("staging %d raw parts", len(parts))
    for done, future in enumerate(stage.map([str(p) for p in parts], lake_root=str(lake_dir.root)), start=1):
        summary.record_staged(future.result())
        logger.info("staged part %d/%d", done, len(parts))

    if parts or found.unreadable or not build_is_current(lake_dir):
        built = build_warehouse(str(lake_dir.root))
        summary.record_build(built)
        if built.published:
            write_report(str(lake_dir.root), summary.as_dict())
            record_build(lake_dir)
        else:
            logger.error("dbt tests failed (%s): the warehouse, marts and auditor report were not updated; "
                         "the failed build is in %s", ", ".join(built.failed_tests), lake_dir.state)
    else:
        logger.info("nothing new since the last build: warehouse and report are current")
        summary.warehouse_current = True
    summary.finish()
    return summary.as_dict()
