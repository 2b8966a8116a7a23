"""What a run has to do (gongkai.run.work), the one decision the flow and the preflight share."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import SEEDS
from gongkai.ingest import landing
from gongkai.ingest.discovery import discover
from gongkai.ingest.quarantine import quarantine_oversize
from gongkai.lake import Lake
from gongkai.run import work as work_module
from gongkai.run.summary import RunSummary
from gongkai.run.work import Work
from gongkai.staging import stage as stage_module


def test_a_file_too_large_is_to_quarantine_once_then_counted_as_a_duplicate(tmp_path: Path) -> None:
    inbox, lake = tmp_path / "inbox", Lake.at(tmp_path / "lake")
    inbox.mkdir()
    (inbox / "big.txt").write_bytes(SEEDS[0].read_bytes())
    limit = SEEDS[0].stat().st_size - 1
    found = discover(inbox, set(), limit)
    first = Work(lake, found)
    assert first.to_quarantine == found.oversize and not first.to_land() and first.anything()
    summary = RunSummary(inbox=str(inbox), lake=lake)
    summary.record_discovery(found, first.to_quarantine, limit)
    assert (len(summary.quarantined), len(summary.duplicates)) == (1, 0)
    assert quarantine_oversize(lake, first.to_quarantine, limit) == 1
    assert first.to_quarantine == found.oversize  # the answer before this run quarantined them

    again = Work(lake, discover(inbox, set(), limit))
    assert again.to_quarantine == []
    summary = RunSummary(inbox=str(inbox), lake=lake)
    summary.record_discovery(again.found, again.to_quarantine, limit)
    assert (len(summary.quarantined), len(summary.duplicates)) == (0, 1)


def test_the_steps_are_asked_cheapest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New files decide it: neither the staged parts nor the build plan are looked at."""
    inbox, lake = tmp_path / "inbox", Lake.at(tmp_path / "lake")
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(SEEDS[0].read_bytes())

    def not_asked(*_: object) -> None:
        raise AssertionError("asked")

    monkeypatch.setattr(work_module, "plan_build", not_asked)
    monkeypatch.setattr(stage_module, "pending_parts", not_asked)
    work = Work(lake, discover(inbox, set(), landing.DEFAULT_MAX_FILE_SIZE))
    assert work.anything() and [c.path.name for c in work.to_land()] == ["report.txt"]


def test_nothing_landed_and_nothing_staged_leaves_the_build_to_decide(tmp_path: Path) -> None:
    inbox, lake = tmp_path / "inbox", Lake.at(tmp_path / "lake")
    inbox.mkdir()
    work = Work(lake, discover(inbox, set(), landing.DEFAULT_MAX_FILE_SIZE))
    assert not work.to_land() and not work.to_quarantine and not work.to_stage()
    assert work.anything() == work.build().needed  # an empty lake has no published build yet
