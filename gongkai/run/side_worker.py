"""A warm second process for the steps a run can do beside its own thread: the rulebook check, the Excel workbook.

A run's steps after staging are Python-heavy, and one process runs Python on one core at a time. This worker takes
calls from the flow (on threads of its task runner, which only wait for it) while the flow's own thread does other
work: the check runs while the first part of the warehouse builds, the workbook is written while the auditor's pages
are. It also keeps Great Expectations' imports and memory out of the process that orchestrates the run: importing GX
takes about 3 s of CPU, and a run with new files starts this worker as soon as it knows there is work (gongkai.cli,
before it imports the flow; the flow starts it itself otherwise), so that the import is done by the time the check
comes.

The worker is a gongkai.staging.isolation child without a time or memory limit of its own (a check of a large lake
takes minutes; the machine's memory bounds it): the isolation module gives it a warm start, a clean interpreter and
an end when the run is killed. It runs one call at a time. An error in a call comes back as the same exception,
raised here (so that the flow's retry policy sees an OSError as an OSError), with the worker's traceback as a note;
a worker that dies is an error.
"""

from __future__ import annotations

import atexit
import importlib
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gongkai.staging.isolation import Failure, IsolatedRunner, Limits, Notify

T = TypeVar("T")
# no limit of its own: a time limit would have to grow with the lake, and the check's memory is the machine's
_UNLIMITED = Limits(seconds=float("inf"), memory_bytes=os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
_PRELOAD = ("great_expectations", "gongkai.rules.check", "gongkai.reports.excel")


class SideWorkerError(RuntimeError):
    """The side worker ended before it answered (killed, or out of memory)."""


@dataclass(frozen=True)
class Call:
    """A module-level function and its arguments, sent to the worker."""

    function: str  # module:qualified name
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def run_call(call: Call, _notify: Notify) -> tuple[Any, BaseException | None]:
    """In the worker: the call's result, or the exception it raised (with its traceback as a note)."""
    module, name = call.function.split(":")
    function = getattr(importlib.import_module(module), name)
    try:
        return function(*call.args, **call.kwargs), None
    except Exception as error:  # sent back whole: the caller raises it
        error.add_note(f"in the side worker (pid {os.getpid()}):\n{traceback.format_exc()}")
        try:
            pickle.dumps(error)
        except Exception:
            return None, RuntimeError(f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
        return None, error


_runner: IsolatedRunner[Call, tuple[Any, BaseException | None]] | None = None
_lock = threading.Lock()  # guards _runner
_calling = threading.Lock()  # one call at a time: the worker takes one item at a time


def _the_runner() -> IsolatedRunner[Call, tuple[Any, BaseException | None]]:
    global _runner
    with _lock:
        if _runner is None:
            _runner = IsolatedRunner(run_call, _UNLIMITED, preload=_PRELOAD)
            atexit.register(_runner.close)
        return _runner


def prestart() -> None:
    """Launch the worker now, unless it runs; it imports the rulebook while the caller goes on."""
    _the_runner().prestart()


def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` in the worker (started now if it is not); ``function`` is module-level and its
    arguments and result can be pickled. Waits for the calls before it."""
    request = Call(f"{function.__module__}:{function.__qualname__}", args, kwargs)
    with _calling:
        outcome = _the_runner().run(request)
    if isinstance(outcome, Failure):
        raise SideWorkerError(f"the side worker stopped before it answered: {outcome.reason}")
    result, error = outcome
    if error is not None:
        raise error
    return result
