"""Decide, without starting the orchestrator, whether a run has anything to do."""
from __future__ import annotations

from pathlib import Path

from gongkai import landing, staging
from gongkai.lake import Lake
from gongkai.run_summary import RunSummary, build_is_current


def summary_if_nothing_new(inbox: Path, lake_root: Path) -> dict | None:
    """The run summary of a run that would change nothing, or None when there is work to do.

    Nothing to do means: every inbox file is already landed (and readable), every landed file is
    staged, and the warehouse and auditor report were built from the current staging files.
    """
    lake = Lake.at(lake_root)
    found = landing.discover(inbox, landing.landed_file_ids(lake))
    if found.new or found.unreadable or staging.pending_parts(lake) or not build_is_current(lake):
        return None
    summary = RunSummary(inbox=str(inbox.resolve()), lake=lake)
    summary.record_discovery(found)
    summary.warehouse_current = True
    summary.finish()
    return summary.as_dict()
