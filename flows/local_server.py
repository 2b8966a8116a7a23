"""One local Prefect API server for a run, shared by the flow and its worker processes.

Without ``PREFECT_API_URL`` Prefect starts a temporary server per process; with a process pool that
means one server per worker. This starts one, registers it as Prefect's default temporary server,
and exports its URL so that spawned workers report to it. Prefect stops it when the process exits.

On a busy machine the server (uvicorn plus a SQLite migration) can take longer to answer than Prefect's
default wait, so a start that times out is stopped and tried again with a longer wait. The waits are
``GONGKAI_SERVER_START_TIMEOUTS`` (comma-separated seconds, default ``60,120,240``).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, temporary_settings

DEFAULT_START_TIMEOUTS = (60.0, 120.0, 240.0)
_PAUSE_BETWEEN_ATTEMPTS = 2.0


class ServerStartError(RuntimeError):
    """The temporary Prefect server did not answer after every attempt."""


def start_timeouts() -> tuple[float, ...]:
    """The wait of each start attempt, from ``GONGKAI_SERVER_START_TIMEOUTS`` or the default."""
    configured = os.environ.get("GONGKAI_SERVER_START_TIMEOUTS")
    if not configured:
        return DEFAULT_START_TIMEOUTS
    return tuple(float(part) for part in configured.split(",") if part.strip())


def start_server(on_retry: Callable[[str], None] = print) -> SubprocessASGIServer:
    """Start Prefect's temporary server, retrying with longer waits; ServerStartError when all fail."""
    timeouts = start_timeouts()
    for attempt, timeout in enumerate(timeouts, start=1):
        server = SubprocessASGIServer()   # the instance Prefect's own clients look up
        try:
            server.start(timeout=timeout)   # type: ignore[arg-type]   # Prefect compares it with floats
            return server
        except Exception as error:   # Prefect raises RuntimeError on timeout, httpx errors on a bad answer
            server.stop()
            if attempt == len(timeouts):
                raise ServerStartError(
                    f"the temporary Prefect server did not start after {len(timeouts)} attempts "
                    f"(waited {', '.join(f'{t:g}' for t in timeouts)} s): {str(error)[:300]}. Start a persistent "
                    "server (`prefect server start`) and set PREFECT_API_URL, or set GONGKAI_SERVER_START_TIMEOUTS"
                ) from error
            on_retry(f"gongkai: the temporary Prefect server did not answer within {timeout:g} s "
                     f"(attempt {attempt} of {len(timeouts)}); trying again")
            time.sleep(_PAUSE_BETWEEN_ATTEMPTS)
    raise ServerStartError("no start attempts configured (GONGKAI_SERVER_START_TIMEOUTS is empty)")


@contextmanager
def shared_api_server(on_retry: Callable[[str], None] = print) -> Iterator[str | None]:
    """Yield the API URL in use: the configured one, or a local server started for this block."""
    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    server = start_server(on_retry)   # stopped by Prefect at exit, after its log and event workers drain
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
