"""The rulebook check of a run, in a warm process of its own.

Importing Great Expectations takes about 3 s of CPU. A run with new files starts this worker as soon as it knows
there is work (gongkai.cli, before it imports the flow; the flow starts it itself otherwise), so the import runs on
the other core while the run starts Prefect, lands and stages; the check then costs only its work. It also keeps GX's
memory out of the process that orchestrates the run.

The worker is a gongkai.staging.isolation child without a time or memory limit of its own (a check of a large lake
takes minutes; the machine's memory bounds it): the isolation module gives it a warm start, a clean interpreter and
an end when the run is killed. An error in the check comes back as the same exception, raised here (so that the flow's
retry policy sees an OSError as an OSError), with the worker's traceback as a note; a worker that dies is an error.
"""

from __future__ import annotations

import atexit
import os
import pickle
import threading
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongkai.lake import Lake
from gongkai.staging.isolation import Failure, IsolatedRunner, Limits, Notify

if TYPE_CHECKING:
    from gongkai.rules.check import CheckResult

# no limit of its own: a time limit would have to grow with the lake, and the check's memory is the machine's
_UNLIMITED = Limits(seconds=float("inf"), memory_bytes=os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


class RulesWorkerError(RuntimeError):
    """The rules worker ended before it answered (killed, or out of memory)."""


@dataclass(frozen=True)
class CheckRequest:
    """The arguments of gongkai.rules.check.check_lake, sent to the worker."""

    lake_root: str
    run_name: str
    new_reports: tuple[str, ...] | None


def check_in_worker(request: CheckRequest, _notify: Notify) -> tuple[CheckResult | None, BaseException | None]:
    """In the worker: the check's result, or the exception it raised (with its traceback as a note)."""
    from gongkai.rules.check import check_lake

    try:
        return check_lake(Lake.at(request.lake_root), request.run_name, new_reports=request.new_reports), None
    except Exception as error:  # sent back whole: the caller raises it
        error.add_note(f"in the rules worker (pid {os.getpid()}):\n{traceback.format_exc()}")
        try:
            pickle.dumps(error)
        except Exception:
            return None, RuntimeError(f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
        return None, error


_runner: IsolatedRunner[CheckRequest, tuple[CheckResult | None, BaseException | None]] | None = None
_lock = threading.Lock()  # guards _runner
_checking = threading.Lock()  # one check at a time: the worker takes one item at a time


def _the_runner() -> IsolatedRunner[CheckRequest, tuple[CheckResult | None, BaseException | None]]:
    global _runner
    with _lock:
        if _runner is None:
            _runner = IsolatedRunner(check_in_worker, _UNLIMITED, preload=("great_expectations", "gongkai.rules.check"))
            atexit.register(_runner.close)
        return _runner


def prestart() -> None:
    """Launch the worker now, unless it runs; it imports the rulebook while the caller goes on."""
    _the_runner().prestart()


def check(lake: Lake, run_name: str, new_reports: list[str] | None) -> CheckResult:
    """gongkai.rules.check.check_lake(lake, run_name, new_reports=...) in the worker (started now if it is not)."""
    request = CheckRequest(str(lake.root), run_name, None if new_reports is None else tuple(new_reports))
    with _checking:
        outcome = _the_runner().run(request)
    if isinstance(outcome, Failure):
        raise RulesWorkerError(f"the rules worker stopped before it answered: {outcome.reason}")
    result, error = outcome
    if error is not None:
        raise error
    assert result is not None
    return result
