"""Decide, without starting the orchestrator, whether a run has anything to do (gongkai.run.work decides; the flow
asks it the same questions step by step)."""

from __future__ import annotations

import time
from pathlib import Path

from gongkai.ingest import landing
from gongkai.ingest.discovery import discover, hand_over
from gongkai.lake import Lake
from gongkai.run.summary import RunSummary
from gongkai.run.work import Work


def summary_if_nothing_new(
    inbox: Path, lake_root: Path, max_file_size: int, started_at: float | None = None
) -> dict | None:
    """The run summary of a run that would change nothing, or None when there is work to do.

    Nothing to do means: every inbox file is already landed (or, when too large, already quarantined),
    every landed file is staged, and the warehouse and auditor report were built from the current inputs
    (gongkai.run.changes: staging files, decisions, rulebook, parser, dbt project, regions, templates). Skipped
    entries change nothing; they are listed in the summary all the same.
    """
    lake = Lake.at(lake_root)
    found = discover(inbox, landing.landed_file_ids(lake), max_file_size)
    hand_over(inbox, lake.root, max_file_size, found)  # the run this process starts next need not look again
    work = Work(lake, found)
    if work.anything():
        return None
    summary = RunSummary(inbox=str(inbox.resolve()), lake=lake, started_at=started_at or time.time())
    summary.record_discovery(found, work.to_quarantine, max_file_size)
    summary.warehouse_current = True
    summary.finish()
    return summary.as_dict()
