"""Mechanics of bench_run with a stand-in pipeline: run with ``python -m pytest benchmarks``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import bench_run

STAND_IN = """
import json, os, subprocess, sys, time
from multiprocessing import Pool
from pathlib import Path

def init():
    global ballast
    ballast = b"x" * (40 * 2**20)      # ~40 MB resident per worker

def work(path):
    return path.name, len(path.read_bytes())

if __name__ == "__main__":
    inbox, lake = Path(sys.argv[1]), Path(sys.argv[2])
    lake.mkdir(parents=True, exist_ok=True)
    state = lake / "seen.json"
    seen = json.loads(state.read_text()) if state.exists() else {}
    new = [p for p in sorted(inbox.iterdir()) if p.name not in seen]
    if new:
        with Pool(2, initializer=init) as pool:
            seen.update(pool.map(work, new, chunksize=8))
            time.sleep(0.5)
    state.write_text(json.dumps(seen))
    leaked = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    (lake / "leaked.pid").write_text(str(leaked.pid))
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False


def test_bench_runs_measures_the_tree_and_writes_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN)
    workdir = tmp_path / "work"
    code = bench_run.main(
        [
            "--reports",
            "40",
            "120",
            "--workdir",
            str(workdir),
            "--keep",
            "--new-pct",
            "10",
            "--command",
            f"{sys.executable} {script} {{inbox}} {{lake}}",
        ]
    )
    assert code == 0
    results = json.loads((workdir / "bench_results.json").read_text())
    runs = {(r["reports"], r["run"]): r for r in results["runs"]}
    assert set(runs) == {(n, run) for n in (40, 120) for run in ("first", "rerun", "plus_10pct")}
    assert runs[120, "plus_10pct"]["files_in_inbox"] == 132
    assert json.loads((workdir / "n120" / "lake" / "seen.json").read_text()).keys() == {
        p.name for p in (workdir / "n120" / "inbox").iterdir()
    }
    first = runs[120, "first"]
    assert first["peak_processes"] >= 3
    assert first["peak_tree_rss_mb"] > first["max_process_rss_mb"] + 40  # two 40 MB workers summed
    assert all(r["leftover_processes"] == 1 and r["exit_code"] == 0 for r in results["runs"])
    assert not _alive(int((workdir / "n120" / "lake" / "leaked.pid").read_text()))
    assert any(t["target"].startswith("peak tree RSS") for t in results["targets"])
    out = capsys.readouterr().out
    assert "| 120 | first | 120 |" in out and "PASS: re-run with nothing new" in out


def test_failures_and_timeouts_are_reported(tmp_path: Path) -> None:
    failing = bench_run.measure([sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "fail.log", timeout_s=30)
    assert failing.exit_code == 3 and not failing.timed_out
    slow = bench_run.measure(
        [sys.executable, "-c", "import time; time.sleep(30)"], tmp_path / "slow.log", timeout_s=0.5
    )
    assert slow.timed_out and slow.exit_code == -9 and slow.wall_s < 5


def test_memory_of_a_single_process_is_measured(tmp_path: Path) -> None:
    usage = bench_run.measure(
        [sys.executable, "-c", "import time; b = b'x' * (200 * 2**20); time.sleep(0.5)"],
        tmp_path / "mem.log",
        timeout_s=30,
    )
    assert 200 < usage.max_process_rss_mb < 260
    assert 200 < usage.peak_tree_rss_mb < 260 and usage.peak_processes == 1
    assert (tmp_path / "mem.log").exists()
