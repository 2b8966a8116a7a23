"""The temporary Prefect server of a run (flows/local_server.py) ends with the run, even when the run is killed."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

from cli_runs import cli_env, command
from corpus import SEEDS

_START_SECONDS = 120
_END_SECONDS = 30


def _servers_of(parent: int) -> list[int]:
    """Pids of the `prefect server start` processes whose parent is ``parent``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"server" in command and b"start" in command:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state != b"Z"


def test_a_killed_run_leaves_no_prefect_server_behind(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS[0], inbox)
    run = subprocess.Popen(
        command(inbox, tmp_path / "lake"), env=cli_env(None), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + _START_SECONDS
        servers: list[int] = []
        while not servers and time.monotonic() < deadline and run.poll() is None:
            servers = _servers_of(run.pid)
            time.sleep(0.2)
        assert servers, "the run started no temporary Prefect server"
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    deadline = time.monotonic() + _END_SECONDS
    while any(_running(pid) for pid in servers) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not any(_running(pid) for pid in servers), f"server processes {servers} outlived the killed run"
