"""Jobs for the isolation tests: module-level functions a forked worker can run (``function(item, notify)``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

Notify = Callable[[str], None]


def echo(item: object, notify: Notify) -> tuple[int, object]:
    """The worker's pid and the item: tells whether two items ran in the same worker."""
    return os.getpid(), item


def sleep(seconds: float, notify: Notify) -> float:
    notify("sleeping")
    time.sleep(seconds)
    return seconds


def grow(megabytes: int, notify: Notify) -> int:
    """Touch ``megabytes`` of memory one MB at a time (as a parser filling a huge table would)."""
    notify("growing")
    chunks = [bytearray(2**20) for _ in range(megabytes)]
    return len(chunks)


def allocate_at_once(gigabytes: int, notify: Notify) -> int:
    """One huge allocation (as a reader sizing a grid from a hostile header would)."""
    return len(bytearray(gigabytes * 2**30))


def crash(signal_number: int, notify: Notify) -> None:
    os.kill(os.getpid(), signal_number)


def exit_hard(code: int, notify: Notify) -> None:
    os._exit(code)


def start_grandchild_and_hang(pid_file: str, notify: Notify) -> None:
    """Start a long-lived child (as LibreOffice is started for .doc files), record its pid, then hang."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    with open(pid_file, "w", encoding="ascii") as handle:
        handle.write(str(child.pid))
    time.sleep(600)


def grandchild_grows(megabytes: int, notify: Notify) -> int:
    """A child process, not the worker itself, uses the memory."""
    code = f"x = [bytearray(2**20) for _ in range({megabytes})]; import time; time.sleep(600)"
    return subprocess.run([sys.executable, "-c", code], check=False).returncode


def ignore_sigterm(item: object, notify: Notify) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def slow_start_marker(item: object, notify: Notify) -> float:
    """How long ago the worker process started (it imported the slow module first)."""
    import slow_import_for_tests as slow

    return time.monotonic() - slow.IMPORTED_AT


def sleep_or_echo(item: float, notify: Notify) -> tuple[int, float]:
    """Sleep ``item`` seconds when it is positive; the worker's pid and the item."""
    if item > 0:
        time.sleep(item)
    return os.getpid(), item
