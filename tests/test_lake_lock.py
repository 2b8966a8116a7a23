"""One run at a time per lake: a real flock held by another process, released when that process dies."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.lake import Lake
from gongkai.run.lake_lock import LakeBusy, lake_lock

HOLD = """
import sys, time
from gongkai.lake import Lake
from gongkai.run.lake_lock import lake_lock
with lake_lock(Lake.at(sys.argv[1]), wait=False, inbox="/some/inbox"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(lake: Path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(lake), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_second_run_gives_up_at_once_and_says_who_holds_the_lake(tmp_path: Path) -> None:
    holder = _holder(tmp_path / "lake", 30)
    try:
        started = time.monotonic()
        with pytest.raises(LakeBusy, match=rf"in use by pid {holder.pid} on .*inbox /some/inbox"):
            with lake_lock(Lake.at(tmp_path / "lake"), wait=False):
                pass
        assert time.monotonic() - started < 1
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_run_says_so_once_and_starts_when_the_lake_is_free(tmp_path: Path) -> None:
    holder = _holder(tmp_path / "lake", 1.5)
    messages: list[str] = []
    started = time.monotonic()
    with lake_lock(Lake.at(tmp_path / "lake"), wait=True, on_wait=messages.append):
        waited = time.monotonic() - started
    holder.wait()
    assert 0.5 < waited < 10 and len(messages) == 1 and f"pid {holder.pid}" in messages[0]


def test_a_killed_holder_leaves_the_lake_free(tmp_path: Path) -> None:
    holder = _holder(tmp_path / "lake", 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with lake_lock(Lake.at(tmp_path / "lake"), wait=False):
        pass


def test_the_process_holding_the_lock_may_take_it_again(tmp_path: Path) -> None:
    lake = Lake.at(tmp_path / "lake")
    with lake_lock(lake, wait=False):
        with lake_lock(lake, wait=False):
            pass
        other = subprocess.run(
            [sys.executable, "-c", HOLD, str(lake.root), "0"], capture_output=True, text=True, timeout=30
        )
        assert other.returncode == 1 and "LakeBusy" in other.stderr  # still held here: nobody else gets it
