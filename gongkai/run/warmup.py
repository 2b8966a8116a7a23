"""Warm-up: import what the steps after staging need while landing and staging run.

The rulebook (Great Expectations, ~3.5 s to import) and the warehouse build (dbt, ~2 s) are imported by the steps
that use them, so a run with nothing to check pays nothing for them. A run with new files does pay, after
staging, on its critical path. :func:`start_warm_up` imports them in a background thread as soon as a run knows it
has work (the CLI: once Prefect is imported, while it waits for the Prefect server; a served run: before staging):
the coordinator only waits for the server and for its workers to land and stage, so the imports use time that is
idle otherwise, and the check and the build start warm. Nothing is shared but the modules; an import that fails here
fails again, with its error, in the step that needs it.
"""

from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

# What the check, the warehouse build and the report import first (gongkai.rules.check, gongkai.warehouse.build).
WARM_MODULES = (
    "great_expectations",
    "gongkai.rules.check",
    "dbt.cli.main",
    "dbt.adapters.duckdb.connections",
    "gongkai.warehouse.build",
    "gongkai.reports",
)


_started: dict[tuple[str, ...], threading.Thread] = {}


def start_warm_up(modules: tuple[str, ...] = WARM_MODULES) -> threading.Thread:
    """Import ``modules`` in a daemon thread and return it (``join`` it to wait); once per process: a second
    call returns the first call's thread."""
    if modules not in _started:
        thread = threading.Thread(target=_import_all, args=(modules,), name="gongkai-warm-up", daemon=True)
        thread.start()
        _started[modules] = thread
    return _started[modules]


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # the step that needs it reports it
            log.debug("warm-up could not import %s: %s", name, error)
