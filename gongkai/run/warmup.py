"""Warm-up: import what the steps after staging need while the run waits for its Prefect server.

The warehouse build (dbt, ~2 s to import) and the report are imported by the steps that use them, so a run with
nothing to build pays nothing for them. A run with new files pays them on its critical path. The CLI, once it knows
there is work, waits for the Prefect server with nothing else to do: :func:`warm_up_while` imports the modules in a
background thread during that wait and joins the thread before the run goes on. The join matters: two threads
importing one package at once can each be handed it half-initialised (Python breaks the import-lock cycle that way),
which made a check's ``import great_expectations`` fail now and then while a warm-up thread was still importing it.
An import that fails here fails again, with its error, in the step that needs it. A served run (gongkai serve) imports
them in its steps, as they come. The rulebook (Great Expectations, ~3 s) is not imported here at all: the check runs
in a process of its own, which the CLI starts beside this one (gongkai.run.side_worker).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

# What the build's plan, the warehouse build and the report import first (gongkai.run.changes, gongkai.warehouse.build).
WARM_MODULES = (
    "gongkai.rules.check",
    "dbt.cli.main",
    "dbt.task.build",  # imported by `dbt build` itself, not by dbt.cli.main
    "dbt.adapters.duckdb.connections",
    "gongkai.warehouse.build",
    "gongkai.reports",
)


def warm_up_while(wait: Callable[[], T], modules: tuple[str, ...] = WARM_MODULES) -> tuple[T, float]:
    """Run ``wait()`` (which must import nothing) while a thread imports ``modules``; return its result and the
    seconds spent waiting for the imports after it returned."""
    thread = threading.Thread(target=_import_all, args=(modules,), name="gongkai-warm-up", daemon=True)
    thread.start()
    result = wait()
    waited = time.perf_counter()
    thread.join()
    return result, time.perf_counter() - waited


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # the step that needs it reports it
            log.debug("warm-up could not import %s: %s", name, error)
