"""Progress of a long step: a bar on a terminal (files done, files/s, ETA), periodic log lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

LOG_INTERVAL_SECONDS = 10.0  # without a terminal: at most one progress line per interval (plus the last)


class _FilesPerSecond(ProgressColumn):
    """Files per second since the step started."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} files/s" if speed else "- files/s", style="progress.data.speed")


def progress_line(label: str, done: int, total: int, elapsed: float) -> str:
    """One progress log line: files done of total, files/s and the estimated time left."""
    rate = done / elapsed if elapsed > 0 else 0.0
    left = f"{(total - done) / rate:.0f} s" if rate > 0 and done < total else "-"
    percent = 100 * done / total if total else 100.0
    return f"{label}: {done}/{total} files ({percent:.0f} %), {rate:.1f} files/s, ETA {left}"


class FileProgress:
    """Counts files through one step of a run and shows it where the operator looks.

    On a terminal a bar is drawn on stderr; otherwise ``log`` gets a line at most every
    ``LOG_INTERVAL_SECONDS`` and when the step completes. ``on_update(done, total)`` is called on every
    advance (the flow mirrors it into a Prefect progress artifact). The bar is drawn on ``console`` (default:
    rich's console on stderr).
    """

    def __init__(
        self,
        label: str,
        total: int,
        log: Callable[[str], None],
        on_update: Callable[[int, int], None] | None = None,
        terminal: bool | None = None,
        interval: float = LOG_INTERVAL_SECONDS,
        console: Console | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.log = log
        self.on_update = on_update
        self.interval = interval
        self.started = time.monotonic()
        self.last_logged = self.started
        use_bar = sys.stderr.isatty() if terminal is None else terminal
        self.bar: Progress | None = None
        self.task_id = None
        if use_bar and total:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                _FilesPerSecond(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
            )
            self.task_id = self.bar.add_task(label, total=total)
            self.bar.start()

    def advance(self, files: int) -> None:
        """``files`` more files are done."""
        self.done += files
        if self.on_update is not None:
            self.on_update(self.done, self.total)
        if self.bar is not None and self.task_id is not None:
            self.bar.update(self.task_id, advance=files)
            return
        now = time.monotonic()
        if now - self.last_logged >= self.interval or self.done >= self.total:
            self.last_logged = now
            self.log(progress_line(self.label, self.done, self.total, now - self.started))

    def close(self) -> None:
        """Stop the bar (the log lines need no closing)."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> FileProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
