"""One local Prefect API server for a run, shared by the flow and its worker processes.

Without ``PREFECT_API_URL`` Prefect starts a temporary server per process; with a process pool that
means one server per worker. This starts one, registers it as Prefect's default temporary server,
and exports its URL so that spawned workers report to it. Prefect stops it when the process exits.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, temporary_settings


@contextmanager
def shared_api_server() -> Iterator[str | None]:
    """Yield the API URL in use: the configured one, or a local server started for this block."""
    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    server = SubprocessASGIServer()   # the instance Prefect's own clients look up
    server.start()                    # stopped by Prefect at exit, after its log and event workers drain
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
