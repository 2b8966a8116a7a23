"""One run at a time per lake: an advisory lock (flock) on ``<lake>/state/run.lock``.

The kernel releases the lock when the holding process exits, even by ``kill -9``, so a crashed run never
leaves the lake locked. The lock file records who holds it (pid, host, start time, inbox) for the
message a second run prints. Taking the lock again in a process that already holds it is a no-op, so the
CLI and the flow it calls can both take it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from gongkai.lake import Lake

_POLL_SECONDS = 0.5
_held: dict[Path, int] = {}  # lock file -> how many times this process holds it
_held_guard = threading.Lock()


class LakeBusy(RuntimeError):
    """Another run holds the lake."""


def holder(lake: Lake) -> str:
    """Who holds (or last held) the lake, as a sentence fragment for messages."""
    try:
        info = json.loads(lake.lock_file.read_text(encoding="utf-8"))
        return f"pid {info['pid']} on {info['host']}, started {info['started']}" + (
            f", inbox {info['inbox']}" if info.get("inbox") else ""
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def lake_lock(
    lake: Lake,
    *,
    wait: bool,
    inbox: str | None = None,
    on_wait: Callable[[str], None] | None = None,
    timeout: float | None = None,
) -> Iterator[None]:
    """Hold the lake's run lock for the block.

    When another process holds it: with ``wait`` call ``on_wait(holder)`` once and wait (at most
    ``timeout`` seconds, if given), else raise LakeBusy at once.
    """
    path = lake.lock_file.resolve()
    with _held_guard:
        if _held.get(path):
            _held[path] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(fd, lake, wait, on_wait, timeout)
        _record_holder(fd, inbox)
        with _held_guard:
            _held[path] = 1
        try:
            yield
        finally:
            with _held_guard:
                del _held[path]
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, lake: Lake, wait: bool, on_wait: Callable[[str], None] | None, timeout: float | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    if not wait:
        raise LakeBusy(f"the lake {lake.root} is in use by {holder(lake)}")
    if on_wait is not None:
        on_wait(holder(lake))
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if deadline is not None and time.monotonic() > deadline:
                raise LakeBusy(
                    f"the lake {lake.root} is still in use by {holder(lake)} after waiting {timeout:g} s"
                ) from None
            time.sleep(_POLL_SECONDS)


def _record_holder(fd: int, inbox: str | None) -> None:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "inbox": inbox,
    }
    data = json.dumps(info).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)
