"""Safe runs of the real `gongkai run`: two runs on one lake, kill -9 at random points, exit codes.

Every run here is a separate process started as a user would start it; the warehouse each one leaves is
compared with the warehouse of one clean run on the same inbox.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import cli_runs
from corpus import SAMPLE_INBOX

KILL_SEED = 20261207
KILLS = 3


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """The bundled samples plus one file that is quarantined (a PDF cut short)."""
    folder = tmp_path_factory.mktemp("inbox")
    for path in SAMPLE_INBOX.iterdir():
        shutil.copy(path, folder / path.name)
    pdf = next(SAMPLE_INBOX.glob("*.pdf"))
    (folder / "cut_short.pdf").write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 3])
    return folder


@pytest.fixture(scope="module")
def clean(prefect_server: str, inbox: Path, tmp_path_factory) -> tuple[dict, Path, float]:
    """One uninterrupted run: its warehouse snapshot, its lake (not to be changed) and how long it took."""
    lake = tmp_path_factory.mktemp("clean_lake")
    started = time.monotonic()
    result = cli_runs.run(inbox, lake, api_url=prefect_server)
    assert result.returncode == 0, result.stderr
    return cli_runs.snapshot(lake), lake, time.monotonic() - started


def _lake_leftovers(lake: Path) -> list[Path]:
    return [*lake.glob("**/.*.tmp"), *lake.glob("warehouse.building-*")]


def test_two_runs_on_one_lake_wait_for_each_other_and_a_third_gives_up(
    prefect_server, inbox: Path, clean, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    # The first run starts its own Prefect server, and its first start attempt is made to time out.
    first = cli_runs.start_run(inbox, lake, api_url=None, GONGKAI_SERVER_START_TIMEOUTS="0.01,180")
    lock = lake / "state" / "run.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and f'"pid": {first.pid}' in lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    second = cli_runs.start_run(inbox, lake, api_url=prefect_server)
    third = cli_runs.run(inbox, lake, "--if-busy", "exit", api_url=prefect_server, timeout=60)
    first_out, first_err = first.communicate(timeout=600)
    second_out, second_err = second.communicate(timeout=600)

    assert third.returncode == 4 and f"in use by pid {first.pid}" in third.stderr and "did not start" in third.stderr
    assert first.returncode == 0 and second.returncode == 0, (first_err, second_err)
    assert "did not answer within 0.01 s (attempt 1 of 2); trying again" in first_err
    assert "waiting for it to finish" in second_err
    for output in (first_err, second_err, third.stderr, first_out, second_out, third.stdout):
        assert "Traceback" not in output
    assert cli_runs.snapshot(lake) == clean[0]
    assert cli_runs.summary(lake)["warehouse_current"] is True  # the second run found nothing left to do
    assert not _lake_leftovers(lake)


def test_kill_9_at_random_points_then_a_rerun_gives_the_clean_warehouse(
    prefect_server, inbox: Path, clean, tmp_path: Path
) -> None:
    snapshot, _lake, clean_seconds = clean
    lake = tmp_path / "lake"
    rng = random.Random(KILL_SEED)
    killed_at = []
    for _ in range(KILLS):
        run = cli_runs.start_run(inbox, lake, api_url=prefect_server)
        delay = rng.uniform(0.5, clean_seconds)
        try:
            run.communicate(timeout=delay)
        except subprocess.TimeoutExpired:  # still running at the kill point, as intended
            os.killpg(run.pid, signal.SIGKILL)
            run.communicate()
        killed_at.append((round(delay, 1), run.returncode))
    final = cli_runs.run(inbox, lake, api_url=prefect_server)
    assert final.returncode == 0, (killed_at, final.stderr)
    assert cli_runs.snapshot(lake) == snapshot, killed_at
    assert not _lake_leftovers(lake)
    again = cli_runs.run(inbox, lake, api_url=prefect_server)
    assert again.returncode == 0 and cli_runs.summary(lake)["landed"] == 0


def test_a_lake_whose_contract_tests_fail_exits_3_and_keeps_the_published_warehouse(
    prefect_server, inbox: Path, clean, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    shutil.copytree(clean[1], lake)
    reports = next((lake / "staging" / "reports").glob("part-*.parquet"))
    shutil.copy(reports, reports.with_name("part-copied-by-hand.parquet"))  # every report twice: not unique
    broken = cli_runs.run(inbox, lake, api_url=prefect_server)
    assert broken.returncode == 3, broken.stderr
    assert "contract tests failed" in broken.stderr and "Traceback" not in broken.stderr
    assert cli_runs.snapshot(lake) == clean[0]


def test_exit_codes_for_bad_arguments(tmp_path: Path) -> None:
    assert cli_runs.run(tmp_path / "missing", tmp_path / "lake", api_url=None).returncode == 2
    bad_size = cli_runs.run(tmp_path, tmp_path / "lake", "--memory-limit", "lots", api_url=None)
    assert bad_size.returncode == 2 and "not a size" in bad_size.stderr
