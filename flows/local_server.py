"""The Prefect API a run reports to: the configured one, the lake's running server, or a temporary one.

In order of preference:

1. ``PREFECT_API_URL`` when it is set (an existing Prefect server, shared by a team);
2. the server ``gongkai serve`` started for this lake (recorded in ``<lake>/state/prefect-server.json``), when it
   answers: a run then costs no server start, and shows up in the same UI as the scheduled runs;
3. a temporary local server for this run, shared by the flow and its worker processes (without it Prefect starts
   one per process). On a busy machine the server (uvicorn plus a SQLite migration) can take longer to answer
   than Prefect's default wait, so a start that times out is stopped and tried again with a longer wait. The
   waits are ``GONGKAI_SERVER_START_TIMEOUTS`` (comma-separated seconds, default ``60,120,240``).

``persistent_server`` starts a real ``prefect server start`` on loopback with its SQLite database in the lake, for
``gongkai serve``: the embedded default, no server to install.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, temporary_settings

from gongkai.lake import Lake, write_atomic

DEFAULT_START_TIMEOUTS = (60.0, 120.0, 240.0)
DEFAULT_PORT = 4200            # Prefect's own default: the UI at http://127.0.0.1:4200
_PAUSE_BETWEEN_ATTEMPTS = 2.0
_RECORD = "prefect-server.json"


class ServerStartError(RuntimeError):
    """The Prefect server did not answer after every attempt."""


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
                    "server (`gongkai serve` or `prefect server start`) and set PREFECT_API_URL, or set "
                    "GONGKAI_SERVER_START_TIMEOUTS"
                ) from error
            on_retry(f"gongkai: the temporary Prefect server did not answer within {timeout:g} s "
                     f"(attempt {attempt} of {len(timeouts)}); trying again")
            time.sleep(_PAUSE_BETWEEN_ATTEMPTS)
    raise ServerStartError("no start attempts configured (GONGKAI_SERVER_START_TIMEOUTS is empty)")


def answers(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at ``api_url``."""
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def running_server(lake: Lake) -> str | None:
    """The API URL of the server ``gongkai serve`` runs for ``lake``, if it is recorded and answers."""
    record = lake.state / _RECORD
    try:
        api_url = json.loads(record.read_text(encoding="utf-8"))["api_url"]
    except (OSError, ValueError, KeyError):
        return None
    return api_url if answers(api_url) else None


@contextmanager
def _api_url(api_url: str) -> Iterator[str]:
    """Point Prefect, here and in the processes this one starts, at ``api_url`` for the block."""
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)


@contextmanager
def shared_api_server(lake: Lake | None = None, on_retry: Callable[[str], None] = print) -> Iterator[str]:
    """Yield the API URL in use: the configured one, the lake's running server, or a temporary server started
    for this block (Prefect stops it when the process exits, after its log and event workers drain)."""
    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    reused = running_server(lake) if lake is not None else None
    api_url = reused or start_server(on_retry).api_url
    with _api_url(api_url):
        yield api_url


def free_port(preferred: int = DEFAULT_PORT) -> int:
    """``preferred`` when nothing listens on it on loopback, else a free port the system picks."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise ServerStartError("no free port on 127.0.0.1")


@contextmanager
def persistent_server(lake: Lake, port: int = DEFAULT_PORT, log: Callable[[str], None] = print) -> Iterator[str]:
    """Run ``prefect server start`` on 127.0.0.1 (its SQLite database in ``<lake>/state/prefect``) for the block,
    record it for ``gongkai run`` to reuse, and stop it afterwards. Yields the API URL."""
    home = lake.state / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    port = free_port(port)
    api_url = f"http://127.0.0.1:{port}/api"
    server_log = home / "server.log"
    environment = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    environment.pop("PREFECT_API_URL", None)
    with server_log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT, env=environment, start_new_session=True)
    record = lake.state / _RECORD
    try:
        _wait_until_answers(api_url, process, server_log)
        write_atomic(record, lambda tmp: tmp.write_text(
            json.dumps({"api_url": api_url, "pid": process.pid}), encoding="utf-8"))
        log(f"gongkai: Prefect server at {api_url.removesuffix('/api')} (database and log in {home})")
        with _api_url(api_url):
            yield api_url
    finally:
        record.unlink(missing_ok=True)
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answers(api_url: str, process: subprocess.Popen, server_log: Path) -> None:
    """Wait for the health check, up to the longest start timeout; ServerStartError if the server dies or stays mute."""
    deadline = time.monotonic() + max(start_timeouts())
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(f"prefect server start exited with code {process.returncode}; see {server_log}")
        if answers(api_url):
            return
        time.sleep(0.5)
    raise ServerStartError(f"the Prefect server did not answer at {api_url} in {max(start_timeouts()):g} s; "
                           f"see {server_log}")
