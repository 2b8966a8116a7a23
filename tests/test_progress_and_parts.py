"""How work is split over workers, what the operator sees while it runs, and the summary's capped lists."""

from __future__ import annotations

import io
import math

import pytest
from rich.console import Console

from gongkai.ingest.landing import PARTS_PER_WORKER, batched, files_per_part
from gongkai.lake import Lake
from gongkai.run.progress import FileProgress, progress_line
from gongkai.run.summary import SHOWN_FILES, RunSummary, render_text


@pytest.mark.parametrize("files", [1, 3, 8, 40, 499, 501, 10_000])
@pytest.mark.parametrize("workers", [1, 2, 4])
def test_every_worker_gets_several_parts_for_any_corpus_size(files: int, workers: int) -> None:
    per_part = files_per_part(files, workers, max_files=500)
    parts = [len(part) for part in batched(list(range(files)), per_part, size=lambda _: 1)]
    assert sum(parts) == files and max(parts) <= 500
    wanted = min(files, workers * PARTS_PER_WORKER)
    assert len(parts) >= min(files, workers)  # every worker has a part
    assert max(parts) <= max(math.ceil(files / wanted), math.ceil(files / 500))  # and none holds a long queue
    assert len(parts) <= max(wanted, math.ceil(files / 500))  # no more parts (tasks) than that needs


def test_progress_lines_say_files_rate_and_time_left() -> None:
    assert progress_line("staged", 30, 120, 10.0) == "staged: 30/120 files (25 %), 3.0 files/s, ETA 30 s"
    assert progress_line("staged", 120, 120, 40.0) == "staged: 120/120 files (100 %), 3.0 files/s, ETA -"


def test_without_a_terminal_progress_is_logged_at_intervals_and_at_the_end() -> None:
    lines: list[str] = []
    updates: list[tuple[int, int]] = []
    with FileProgress(
        "staged", 10, log=lines.append, on_update=lambda d, t: updates.append((d, t)), terminal=False, interval=3600
    ) as progress:
        for _ in range(10):
            progress.advance(1)
    assert updates == [(n, 10) for n in range(1, 11)]
    assert len(lines) == 1 and lines[0].startswith("staged: 10/10 files (100 %)")


def test_on_a_terminal_a_bar_counts_files() -> None:
    screen = io.StringIO()
    with FileProgress(
        "staged", 4, log=print, terminal=True, console=Console(file=screen, force_terminal=True, width=100)
    ) as progress:
        assert progress.bar is not None
        progress.advance(3)
        task = progress.bar.tasks[0]
        assert (task.completed, task.total) == (3, 4)
    assert progress.bar is None
    assert "3/4" in screen.getvalue() and "files/s" in screen.getvalue()


def test_the_summary_lists_the_first_files_and_points_to_the_report_for_the_rest(tmp_path) -> None:
    summary = RunSummary(inbox=str(tmp_path), lake=Lake.at(tmp_path / "lake"))
    summary.region_review = [(f"report-{n:03}.pdf", "ambiguous", "two candidates") for n in range(108)]
    summary.quarantined = [(f"bad-{n:03}.pdf", "read", "unreadable_format", "not a PDF") for n in range(5)]
    summary.finish()
    text = render_text(summary.as_dict())
    assert text.count("[ambiguous]") == SHOWN_FILES
    assert f"… and {108 - SHOWN_FILES} more: see the auditor report" in text
    assert text.count("[read, unreadable_format]") == 5 and "… and" not in text.split("regions:")[0]
    assert len(summary.as_dict()["region_review_files"]) == 108  # run_summary.json keeps every one
