"""Run a function on items, one at a time, in a child process under a time limit and a memory limit.

One bad file must cost only itself. The child is a long-lived Python process started once (it imports the
modules named in ``preload``, which may warm caches, before it takes items), and items reach it in chunks,
so a normal item pays only for its input and its result passing through a pipe. While the child works, the
parent watches the clock (per item) and the resident memory of the child and everything the child started
(e.g. LibreOffice); an item that runs too long or grows too big gets the whole process tree killed and
comes back as a :class:`Failure`, and the items after it go to a fresh child. A child that dies on its own
(a segfault, the kernel's OOM killer) is a Failure too. The stage an item had reached is read from a few
bytes of memory the child writes as it goes.

The child is a plain interpreter started with subprocess, not a multiprocessing process: nothing of the
parent's state (threads, locks, open lake files) is inherited, and no forkserver or resource tracker is
left running when the run exits; ``close`` waits for the child to end. The child kills itself and what it
started when the process that started it is gone (killed).

Inside the child an address-space limit is set as a backstop above the memory limit, so that a single
enormous allocation fails at once with MemoryError instead of swapping before the watchdog sees it.
"""

from __future__ import annotations

import atexit
import importlib
import mmap
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Generic, TypeVar

from gongkai.ingest.sizes import format_size

DEFAULT_TIME_LIMIT = 120.0  # seconds per file; a long scanned report needs ~3 s a page of OCR
DEFAULT_MEMORY_LIMIT = 2 * 2**30  # bytes of resident memory per worker (a normal report needs < 600 MB)
_POLL_SECONDS = 0.02  # how often the watchdog looks at the clock and the memory
_ADDRESS_SPACE_SLACK = 4 * 2**30  # virtual reservations (thread stacks, allocator arenas) beyond RSS
_START_SECONDS = 300.0  # a worker's own start (imports, region index), not counted against a file
_ORPHAN_CHECK_SECONDS = 0.5  # how often a worker checks that the run that started it is still there
_PAGE = os.sysconf("SC_PAGE_SIZE")
WORKER_PROGRAM = Path(__file__).with_name("worker_main.py")  # run as a script file: see its docstring

In = TypeVar("In")
Out = TypeVar("Out")
Notify = Callable[[str], None]


@dataclass(frozen=True)
class Limits:
    """What one item may use: wall-clock seconds and resident bytes of its worker's process tree."""

    seconds: float = DEFAULT_TIME_LIMIT
    memory_bytes: int = DEFAULT_MEMORY_LIMIT


@dataclass(frozen=True)
class Failure:
    """An item the worker could not finish within its limits."""

    code: str  # timeout | memory_limit | worker_crashed
    reason: str  # e.g. "timeout after 120 s", "memory limit 2 GB exceeded", "worker crashed: signal 11 (SIGSEGV)"
    stage: str  # the last stage the item reported reaching


class _StageBoard:
    """A few bytes of memory shared with the worker (a memfd): the stage its current item has reached.

    Written by the worker at no cost to the item, read by the parent only when the item fails.
    """

    SIZE = 64

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.map = mmap.mmap(fd, self.SIZE)

    @classmethod
    def create(cls) -> _StageBoard:
        """A new board, to be passed to a worker by its descriptor."""
        fd = os.memfd_create("gongkai-stage", os.MFD_CLOEXEC)
        os.ftruncate(fd, cls.SIZE)
        return cls(fd)

    def write(self, stage: str) -> None:
        self.map[:] = stage.encode("utf-8")[: self.SIZE].ljust(self.SIZE, b"\0")

    def read(self) -> str:
        return self.map[:].rstrip(b"\0").decode("utf-8", errors="replace")

    def release(self) -> None:
        """Unmap and close the board (once)."""
        if not self.map.closed:
            self.map.close()
            os.close(self.fd)


def serve(function_path: str, read_fd: int, write_fd: int, stage_fd: int, headroom: int, preload: list[str]) -> None:
    """The child's loop: receive a chunk of items and send back ``function(item, notify)`` for each, in
    order; stop when told or on EOF.

    ``function_path`` is ``module:name``; ``notify(stage)`` writes to the stage board at ``stage_fd``;
    ``headroom`` bytes of address space beyond the child's own size (after ``preload``) are allowed.
    """
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), daemon=True).start()
    for module in preload:
        importlib.import_module(module)
    module_name, name = function_path.split(":")
    function = getattr(importlib.import_module(module_name), name)
    address_space = _own_address_space() + headroom
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    inbox, outbox = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    outbox.send(("ready", None))

    notify = _StageBoard(stage_fd).write
    while True:
        try:
            kind, first_stage, items = inbox.recv()
        except EOFError:
            return
        if kind == "stop":
            return
        for item in items:
            notify(first_stage)
            try:
                outbox.send(("done", function(item, notify)))
            except MemoryError:
                outbox.send(("out_of_memory", None))
                return  # its memory may be in any state: the parent starts a fresh worker


def _end_with_parent(parent: int) -> None:
    """Once the run that started this worker is gone (killed), kill what the worker started, then its group."""
    while os.getppid() == parent:
        time.sleep(_ORPHAN_CHECK_SECONDS)
    for child in _descendants(os.getpid()):
        os.kill(child, signal.SIGKILL)
    os.killpg(0, signal.SIGKILL)


def serve_from_command_line() -> None:
    """:func:`serve` with the arguments IsolatedRunner gives its worker (gongkai.staging.worker_main)."""
    function_path, read_fd, write_fd, stage_fd, headroom, *preload = sys.argv[1:]
    serve(function_path, int(read_fd), int(write_fd), int(stage_fd), int(headroom), preload)


def _descendants(pid: int) -> list[int]:
    """The pids of every process below ``pid`` (from /proc/<pid>/task/*/children)."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as handle:
                    children = [int(child) for child in handle.read().split()]
            except OSError:
                continue
            found += children
            queue += children
    return found


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _kill_worker(pid: int) -> None:
    """SIGKILL a worker, everything below it (LibreOffice runs in a session of its own) and its group."""
    for victim in [*_descendants(pid), pid]:
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(pid, signal.SIGKILL)  # what is left in the worker's own group (orphans of a crashed worker)
    except ProcessLookupError:
        pass


def _own_address_space() -> int:
    """The virtual size of this process."""
    with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * _PAGE


class WorkerStartError(RuntimeError):
    """A worker could not even start (a broken installation, not a bad file)."""


class IsolatedRunner(Generic[In, Out]):
    """Runs ``function(item, notify)`` in a warm child process, one item at a time, within ``limits``.

    ``function`` must be a module-level function; ``notify(stage)`` lets it say how far it got, which a
    Failure reports. ``preload`` names modules the child imports before its first item (a module may warm
    caches at import).
    """

    def __init__(self, function: Callable[[In, Notify], Out], limits: Limits, preload: tuple[str, ...] = ()) -> None:
        self.function_path = f"{function.__module__}:{function.__qualname__}"
        self.limits = limits
        self.preload = preload
        self.process: subprocess.Popen[bytes] | None = None
        self.inbox: Connection | None = None  # what the child sends
        self.outbox: Connection | None = None  # what the child receives
        self.stage = _StageBoard.create()
        self.started = 0  # children started, for the run's statistics
        self.starting = False  # a child was launched and has not said it is ready yet

    def run(self, item: In, first_stage: str = "start") -> Out | Failure:
        """``function(item)`` from the child, or the Failure that stopped it (the child is then replaced)."""
        return next(self.run_many([item], first_stage))

    def run_many(self, items: Sequence[In], first_stage: str = "start") -> Iterator[Out | Failure]:
        """``function(item)`` for each item, in order, or the Failure that stopped it.

        The items go to the worker together, so it never waits for the parent between two items; each item
        still gets its own time limit, counted from the moment the worker starts on it. After a Failure the
        worker is replaced and gets the items that were not done yet. Callers bound a chunk's size.
        """
        remaining = list(items)
        while remaining:
            self.prestart()  # a worker unless one runs (or is starting)
            if self.starting:
                self._await_ready()
            done = 0
            for outcome in self._chunk(remaining, first_stage):
                done += 1
                yield outcome
            remaining = remaining[done:]

    def _chunk(self, items: list[In], first_stage: str) -> Iterator[Out | Failure]:
        """Results of ``items`` from the current worker, up to and including the first Failure."""
        assert self.process is not None and self.inbox is not None and self.outbox is not None
        self.stage.write(first_stage)
        try:
            self.outbox.send(("items", first_stage, items))
        except OSError:
            yield self._fail("worker_crashed", self._crash_reason())
            return
        answered = 0
        try:
            for _ in items:
                outcome = self._next_result()
                answered += 1
                yield outcome
                if isinstance(outcome, Failure):
                    return
        finally:
            if answered < len(items) and self.process is not None:
                self._discard()  # the caller stopped early: the worker's queue holds items nobody will read

    def _next_result(self) -> Out | Failure:
        """The worker's answer for the item it is on, watching its time and memory meanwhile."""
        assert self.process is not None and self.inbox is not None
        deadline = time.monotonic() + self.limits.seconds
        while True:
            if self.inbox.poll(_POLL_SECONDS):
                try:
                    kind, payload = self.inbox.recv()
                except (EOFError, OSError):
                    return self._fail("worker_crashed", self._crash_reason())
                if kind == "out_of_memory":
                    return self._fail("memory_limit", self._memory_reason())
                return payload
            if self._exit_status() is not None:
                return self._fail("worker_crashed", self._crash_reason())
            if time.monotonic() > deadline:
                return self._fail("timeout", f"timeout after {self.limits.seconds:g} s")
            pids = [self.process.pid, *_descendants(self.process.pid)]
            if sum(_resident_bytes(pid) for pid in pids) > self.limits.memory_bytes:
                return self._fail("memory_limit", self._memory_reason())

    def close(self) -> None:
        """Stop the child (politely, then by force), wait for it and free the stage board; the runner is done."""
        if self.process is not None:
            try:
                if self.outbox is not None:
                    self.outbox.send(("stop", None, None))
            except OSError:
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _kill_worker(self.process.pid)
                self.process.wait()
            self._forget()
        self.stage.release()

    def prestart(self) -> None:
        """Launch the child, unless one runs, without waiting for it, so that it imports while the caller does other
        work; the first item waits for it to be ready."""
        if self.process is None or self._exit_status() is not None:
            self._launch()

    def _launch(self) -> None:
        self._discard()  # a worker that ended between items
        child_read, parent_write = os.pipe()
        parent_read, child_write = os.pipe()
        headroom = self.limits.memory_bytes + _ADDRESS_SPACE_SLACK
        command = [
            sys.executable,
            "-P",  # the script's folder is not put on the module path
            str(WORKER_PROGRAM),
            self.function_path,
            str(child_read),
            str(child_write),
            str(self.stage.fd),
            str(headroom),
            *self.preload,
        ]
        try:
            self.process = subprocess.Popen(
                command,
                pass_fds=(child_read, child_write, self.stage.fd),
                stdin=subprocess.DEVNULL,
                env=_child_environment(),
                start_new_session=True,
            )
        finally:
            os.close(child_read)
            os.close(child_write)
        self.inbox = Connection(parent_read, writable=False)
        self.outbox = Connection(parent_write, readable=False)
        self.started += 1
        self.starting = True

    def _await_ready(self) -> None:
        """Wait until the new worker has imported what it needs; WorkerStartError if it cannot start."""
        assert self.inbox is not None
        self.starting = False
        try:
            if self.inbox.poll(_START_SECONDS) and self.inbox.recv() == ("ready", None):
                return
            problem = f"it did not start within {_START_SECONDS:g} s"
        except (EOFError, OSError):
            problem = self._crash_reason().removeprefix("worker crashed: ")
        self._discard()
        raise WorkerStartError(f"a worker for {self.function_path} could not start: {problem}")

    def _fail(self, code: str, reason: str) -> Failure:
        stage = self.stage.read()
        self._discard()
        return Failure(code, reason, stage)

    def _discard(self) -> None:
        """Kill the worker and what it started, reap it, and close the pipes."""
        if self.process is not None:
            _kill_worker(self.process.pid)
            self.process.wait()
        self._forget()

    def _forget(self) -> None:
        for connection in (self.inbox, self.outbox):
            if connection is not None:
                connection.close()
        self.process, self.inbox, self.outbox = None, None, None
        self.starting = False

    def _exit_status(self) -> os.waitid_result | None:
        """How the worker ended, or None while it runs; it is not reaped, so its group id stays valid."""
        assert self.process is not None
        return os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)

    def _crash_reason(self) -> str:
        deadline = time.monotonic() + 5
        while (status := self._exit_status()) is None and time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)  # the pipe closed a moment before the process ended
        if status is None:
            return "worker crashed: it stopped answering"
        if status.si_code in (os.CLD_KILLED, os.CLD_DUMPED):
            return f"worker crashed: signal {status.si_status} ({signal.Signals(status.si_status).name})"
        return f"worker crashed: exit code {status.si_status}"

    def _memory_reason(self) -> str:
        return f"memory limit {format_size(self.limits.memory_bytes)} exceeded"


def _child_environment() -> dict[str, str]:
    """The parent's environment, with its module search path (tests and scripts add folders to it)."""
    paths = [path for path in sys.path if path]
    inherited = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, *([inherited] if inherited else [])])}


class RunnerPool(Generic[In, Out]):
    """One :class:`IsolatedRunner` per thread (task runners may stage batches in threads), closed at exit."""

    def __init__(self, function: Callable[[In, Notify], Out], preload: tuple[str, ...] = ()) -> None:
        self.function = function
        self.preload = preload
        self.local = threading.local()
        self.all: list[IsolatedRunner[In, Out]] = []
        self.lock = threading.Lock()
        atexit.register(self.close)

    def runner(self, limits: Limits) -> IsolatedRunner[In, Out]:
        """This thread's runner for these limits (a runner with other limits is closed first)."""
        current: IsolatedRunner[In, Out] | None = getattr(self.local, "runner", None)
        if current is not None and current.limits == limits:
            return current
        runner = IsolatedRunner(self.function, limits, self.preload)
        with self.lock:
            if current is not None:
                current.close()
                self.all.remove(current)
            self.all.append(runner)
        self.local.runner = runner
        return runner

    def close(self) -> None:
        """Stop every child this pool started."""
        with self.lock:
            for runner in self.all:
                runner.close()
            self.all.clear()
