"""The Prefect API a run reports to: the configured one, the lake's running server, or a temporary one.

In order of preference:

1. ``PREFECT_API_URL`` when it is set (an existing Prefect server, shared by a team);
2. the server ``gongkai serve`` started for this lake (recorded in ``<lake>/state/prefect-server.json``), when it
   answers: a run then costs no server start, and shows up in the same UI as the scheduled runs;
3. a temporary local server for this run (the API only: no UI, no background services, as Prefect's own
   temporary server, and no block registration), shared by the flow and its worker processes. It is started as a
   subprocess *before* this process imports Prefect (:func:`early_api_server`; gongkai.cli launches it even before
   it looks for new files, and stops it unused when there are none), so that its start-up runs on the other core
   while the run's own does; it is waited for only when the flow begins. On a busy machine the server (uvicorn plus a
   SQLite migration) can take longer to answer than a first wait, so a start that times out is stopped and tried
   again with a longer wait. The waits are ``GONGKAI_SERVER_START_TIMEOUTS`` (comma-separated seconds, default
   ``60,120,240``); its output goes to ``<lake>/state/prefect-temporary.log``.

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
import tomllib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from gongkai.lake import Lake, write_atomic

DEFAULT_START_TIMEOUTS = (60.0, 120.0, 240.0)
DEFAULT_PORT = 4200  # Prefect's own default: the UI at http://127.0.0.1:4200
_PAUSE_BETWEEN_ATTEMPTS = 2.0
_RECORD = "prefect-server.json"
_TEMPORARY_LOG = "prefect-temporary.log"
# `prefect server start` for one run, ending with the run: a killed run (kill -9 runs no clean-up) must not leave
# its server behind. A thread watches the parent and, once it is gone, ends the server's session (its own group).
_ENDS_WITH_PARENT = """
import os, signal, sys, threading, time
parent = os.getppid()
def end_with_parent():
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(0, signal.SIGTERM)
threading.Thread(target=end_with_parent, daemon=True).start()
sys.argv[0] = "prefect"
from prefect.cli import app
sys.exit(app())
"""


# A run's server needs no UI and no block types (a run uses no blocks): registering them made the server import every
# installed Prefect collection first (prefect-dask, and Dask with it), 0.45 s of the CPU the run's start shares.
_TEMPORARY_SERVER_SETTINGS = {
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


class ServerStartError(RuntimeError):
    """The Prefect server did not answer after every attempt."""


def start_timeouts() -> tuple[float, ...]:
    """The wait of each start attempt, from ``GONGKAI_SERVER_START_TIMEOUTS`` or the default."""
    configured = os.environ.get("GONGKAI_SERVER_START_TIMEOUTS")
    if not configured:
        return DEFAULT_START_TIMEOUTS
    return tuple(float(part) for part in configured.split(",") if part.strip())


class TemporaryServer:
    """A Prefect API server for one run: :meth:`launch` starts it without waiting, :meth:`ready` waits for it
    (retrying with the next, longer wait when a start does not answer in time), :meth:`stop` ends it."""

    def __init__(self, log_path: Path, on_retry: Callable[[str], None] = print) -> None:
        self.log_path = log_path
        self.on_retry = on_retry
        self.api_url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def launch(self) -> None:
        """Start the server process on loopback (a free port, the same one for every attempt); return at once."""
        if not self.api_url:
            self.api_url = f"http://127.0.0.1:{free_port(0)}/api"
        port = int(self.api_url.rsplit(":", 1)[1].removesuffix("/api"))
        options = ["--no-services", "--no-ui", "--analytics-off", "--log-level", "WARNING"]
        self._process = _launch_prefect_server(
            [sys.executable, "-c", _ENDS_WITH_PARENT], port, options, _TEMPORARY_SERVER_SETTINGS, self.log_path
        )

    def ready(self) -> str:
        """Wait until the server answers and return its API URL; ServerStartError when every attempt failed."""
        timeouts = start_timeouts()
        if self._process is None:
            self.launch()
        for attempt, timeout in enumerate(timeouts, start=1):
            assert self._process is not None
            try:
                _wait_until_answers(self.api_url, self._process, self.log_path, timeout)
                return self.api_url
            except ServerStartError as error:
                self.stop()
                if attempt == len(timeouts):
                    raise ServerStartError(
                        f"the temporary Prefect server did not start after {len(timeouts)} attempts "
                        f"(waited {', '.join(f'{t:g}' for t in timeouts)} s): {error}. Start a persistent server "
                        "(`gongkai serve` or `prefect server start`) and set PREFECT_API_URL, or set "
                        "GONGKAI_SERVER_START_TIMEOUTS"
                    ) from error
                self.on_retry(
                    f"gongkai: the temporary Prefect server did not answer within {timeout:g} s "
                    f"(attempt {attempt} of {len(timeouts)}); trying again"
                )
                time.sleep(_PAUSE_BETWEEN_ATTEMPTS)
                self.launch()
        raise ServerStartError("no start attempts configured (GONGKAI_SERVER_START_TIMEOUTS is empty)")

    def __enter__(self) -> str:
        return self.ready()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        """End the server process (terminate, then kill after 10 s)."""
        process, self._process = self._process, None
        if process is not None:
            _end(process, grace=10)


def answers(api_url: str, timeout: float = 2.0, client: httpx.Client | None = None) -> bool:
    """Whether a Prefect API answers its health check at ``api_url`` (through ``client``, if given: a poll reuses
    one, since every new client builds an SSL context, about 40 ms of the CPU a starting server needs)."""
    try:
        get = client.get if client is not None else httpx.get
        return get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
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
        with _prefect_settings(api_url):
            yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)


@contextmanager
def _prefect_settings(api_url: str) -> Iterator[None]:
    """Prefect's settings context with ``api_url``, for the block."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


@contextmanager
def early_api_server(lake: Lake, on_retry: Callable[[str], None] = print) -> Iterator[Callable[[], str]]:
    """Choose the API a run reports to before Prefect is imported, and yield a function that returns its URL once
    it answers (call it inside the block, before the flow runs).

    ``PREFECT_API_URL`` (from the environment or the active Prefect profile) or the lake's running server costs
    nothing; otherwise a temporary server is launched at once, so that it starts while the caller imports the
    flow, and stopped when the block ends. Its URL is put in the environment before Prefect is imported: Prefect
    builds its global settings at import, and the threads it starts without a settings context read them."""
    configured = os.environ.get("PREFECT_API_URL") or _profile_api_url() or running_server(lake)
    if configured:
        with _api_url(configured):
            yield lambda: configured
        return
    server = TemporaryServer(lake.state / _TEMPORARY_LOG, on_retry)
    server.launch()
    os.environ["PREFECT_API_URL"] = server.api_url  # every start attempt uses this port
    with ExitStack() as settings:

        def api_url() -> str:
            ready = server.ready()
            settings.enter_context(_prefect_settings(ready))  # for a Prefect imported before the block
            return ready

        try:
            yield api_url
        finally:
            _drain_prefect_workers()
            server.stop()
            os.environ.pop("PREFECT_API_URL", None)


def _profile_api_url() -> str | None:
    """``PREFECT_API_URL`` of the active Prefect profile, read without importing Prefect (which takes seconds):
    ``$PREFECT_PROFILES_PATH``, else ``$PREFECT_HOME/profiles.toml`` (default ``~/.prefect``); the profile named
    by ``$PREFECT_PROFILE``, else the file's ``active`` one."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    value = profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL") if active else None
    return str(value) if value else None


def _drain_prefect_workers() -> None:
    """Send the logs and events Prefect still holds before their server stops (as Prefect's test harness does)."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)


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
    process = _launch_prefect_server(
        [sys.executable, "-m", "prefect"], port, [], {"PREFECT_HOME": str(home)}, server_log
    )
    record = lake.state / _RECORD
    try:
        _wait_until_answers(api_url, process, server_log)
        write_atomic(
            record, lambda tmp: tmp.write_text(json.dumps({"api_url": api_url, "pid": process.pid}), encoding="utf-8")
        )
        log(f"gongkai: Prefect server at {api_url.removesuffix('/api')} (database and log in {home})")
        with _api_url(api_url):
            yield api_url
    finally:
        record.unlink(missing_ok=True)
        _end(process, grace=30)


def _launch_prefect_server(
    program: list[str], port: int, options: list[str], environment: dict[str, str], log_path: Path
) -> subprocess.Popen[bytes]:
    """Start ``<program> server start`` on 127.0.0.1:``port`` with ``options``, in its own session, its output
    appended to ``log_path``; analytics off, ``environment`` added, and no PREFECT_API_URL (it is the API)."""
    variables = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **environment}
    variables.pop("PREFECT_API_URL", None)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as output:
        return subprocess.Popen(
            [*program, "server", "start", "--host", "127.0.0.1", "--port", str(port), *options],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=variables,
            start_new_session=True,
        )


def _end(process: subprocess.Popen[bytes], grace: float) -> None:
    """Terminate ``process`` if it still runs, and kill it when it has not ended after ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_answers(
    api_url: str, process: subprocess.Popen[bytes], server_log: Path, timeout: float | None = None
) -> None:
    """Wait for the health check, up to ``timeout`` (default: the longest start timeout); ServerStartError if the
    server exits or stays mute."""
    wait = max(start_timeouts()) if timeout is None else timeout
    deadline = time.monotonic() + wait
    with httpx.Client() as client:
        while True:
            if process.poll() is not None:
                raise ServerStartError(f"the server exited with code {process.returncode}; see {server_log}")
            if answers(api_url, timeout=max(0.05, min(2.0, deadline - time.monotonic())), client=client):
                return
            if time.monotonic() >= deadline:
                raise ServerStartError(f"no answer at {api_url} in {wait:g} s; see {server_log}")
            time.sleep(0.1)
