"""Per-file isolation on real worker processes: limits on time and memory, crashes, and reuse of a warm worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import isolation_jobs as jobs
from gongkai.staging.isolation import Failure, IsolatedRunner, Limits, WorkerStartError


@pytest.fixture
def runner_for():
    made: list[IsolatedRunner] = []

    def make(function, seconds: float = 30, memory_mb: int = 1024) -> IsolatedRunner:
        runner = IsolatedRunner(function, Limits(seconds, memory_mb * 2**20))
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_items_run_one_after_another_in_one_warm_worker(runner_for) -> None:
    runner = runner_for(jobs.echo)
    results = [runner.run(i) for i in range(200)]
    assert [item for _pid, item in results] == list(range(200))
    assert len({pid for pid, _item in results}) == 1 and results[0][0] != os.getpid()
    assert runner.started == 1


def test_an_item_over_its_time_is_killed_and_the_next_gets_a_fresh_worker(runner_for) -> None:
    runner = runner_for(jobs.sleep, seconds=1)
    started = time.monotonic()
    outcome = runner.run(30)
    assert isinstance(outcome, Failure) and time.monotonic() - started < 5
    assert (outcome.code, outcome.reason, outcome.stage) == ("timeout", "timeout after 1 s", "sleeping")
    assert runner.run(0.01) == 0.01 and runner.started == 2


def test_growing_past_the_memory_limit_is_stopped_near_the_limit(runner_for) -> None:
    runner = runner_for(jobs.grow, memory_mb=300)
    outcome = runner.run(4000)
    assert isinstance(outcome, Failure)
    assert (outcome.code, outcome.reason, outcome.stage) == ("memory_limit", "memory limit 300 MB exceeded", "growing")
    assert runner.run(10) == 10


def test_one_enormous_allocation_fails_at_once(runner_for) -> None:
    runner = runner_for(jobs.allocate_at_once, memory_mb=500)
    started = time.monotonic()
    outcome = runner.run(64)
    assert isinstance(outcome, Failure) and outcome.code == "memory_limit"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("number, name", [(signal.SIGSEGV, "SIGSEGV"), (signal.SIGKILL, "SIGKILL")])
def test_a_worker_that_dies_is_reported_with_its_signal(runner_for, number: int, name: str) -> None:
    runner = runner_for(jobs.crash)
    outcome = runner.run(number)
    assert isinstance(outcome, Failure)
    assert (outcome.code, outcome.reason) == ("worker_crashed", f"worker crashed: signal {number} ({name})")


def test_a_worker_that_exits_is_reported_with_its_code(runner_for) -> None:
    outcome = runner_for(jobs.exit_hard).run(7)
    assert isinstance(outcome, Failure) and outcome.reason == "worker crashed: exit code 7"


def test_processes_the_worker_started_are_killed_with_it(runner_for, tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    outcome = runner_for(jobs.start_grandchild_and_hang, seconds=2).run(str(pid_file))
    assert isinstance(outcome, Failure) and outcome.code == "timeout"
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_memory_of_the_workers_children_counts(runner_for) -> None:
    outcome = runner_for(jobs.grandchild_grows, memory_mb=300).run(1000)
    assert isinstance(outcome, Failure) and outcome.code == "memory_limit"


def test_a_workers_own_start_is_not_counted_against_the_first_item(tmp_path: Path) -> None:
    runner = IsolatedRunner(jobs.slow_start_marker, Limits(seconds=1), preload=("slow_import_for_tests",))
    try:
        assert runner.run(None) < 1  # 2 s of imports, then a 1 s limit for the item itself
    finally:
        runner.close()


def test_a_worker_that_cannot_start_is_an_error_not_a_bad_file() -> None:
    runner = IsolatedRunner(jobs.echo, Limits(), preload=("no_such_module_anywhere",))
    with pytest.raises(WorkerStartError, match="could not start: exit code 1"):
        runner.run(1)


ORPHANING = """
import sys
sys.path.insert(0, sys.argv[2])
import isolation_jobs as jobs
from gongkai.staging.isolation import IsolatedRunner, Limits
IsolatedRunner(jobs.start_grandchild_and_hang, Limits(seconds=600)).run(sys.argv[1])
"""


def test_a_worker_and_its_children_end_when_the_run_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    run = subprocess.Popen([sys.executable, "-c", ORPHANING, str(pid_file), str(Path(__file__).parent)])
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    worker = int(Path(f"/proc/{int(pid_file.read_text())}/stat").read_text().split()[3])  # the grandchild's parent
    run.kill()
    run.wait()
    deadline = time.monotonic() + 5
    while (_alive(worker) or _alive(int(pid_file.read_text()))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker) and not _alive(int(pid_file.read_text()))


def test_items_sent_together_each_get_their_own_limit_and_the_rest_go_to_a_fresh_worker(runner_for) -> None:
    runner = runner_for(jobs.sleep_or_echo, seconds=1)
    items = [0, 0.5, 0.6, 0.7, 30, 0, 0.2]  # together longer than the limit; only one item is
    outcomes = list(runner.run_many(items))
    assert len(outcomes) == len(items)
    assert [isinstance(o, Failure) for o in outcomes] == [False, False, False, False, True, False, False]
    assert outcomes[4].code == "timeout"
    before, after = {o[0] for o in outcomes[:4]}, {o[0] for o in outcomes[5:]}
    assert len(before) == len(after) == 1 and before != after and runner.started == 2
    assert [o[1] for o in outcomes if not isinstance(o, Failure)] == [0, 0.5, 0.6, 0.7, 0, 0.2]


def test_a_caller_that_stops_early_leaves_no_stale_answers(runner_for) -> None:
    runner = runner_for(jobs.echo)
    first = next(runner.run_many(["a", "b", "c"]))
    assert first[1] == "a"
    assert runner.run("d")[1] == "d"
