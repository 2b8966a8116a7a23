"""A bounded pool of OCR slots shared by every process on the machine, so scanned files never starve the others.

OCR is the one reader that costs seconds of CPU per page. Each page is read while holding one of ``slot_count()``
slots: one fewer than the machine has cores (at least one), so however many parse workers meet scans at the same
time, a core stays free for the files that need no OCR. A slot is an exclusive ``flock`` on a small file in a
per-user folder of the temp dir; the kernel releases it when its holder exits or is killed (a worker over its time
limit), so a slot is never lost. ``GONGKAI_OCR_SLOTS`` sets the count and ``GONGKAI_OCR_SLOT_DIR`` the folder.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_WAIT_SECONDS = 0.05  # how often a page waiting for a slot tries again


def slot_count() -> int:
    """How many OCR pages may be read at once on this machine."""
    configured = os.environ.get("GONGKAI_OCR_SLOTS")
    if configured:
        return max(int(configured), 1)
    return max((os.cpu_count() or 1) - 1, 1)


def slot_dir() -> Path:
    """The folder of the slot files (made on first use)."""
    configured = os.environ.get("GONGKAI_OCR_SLOT_DIR")
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / f"gongkai-ocr-slots-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _try_slots(folder: Path, count: int) -> int | None:
    """An open descriptor holding one free slot, or None when all are taken."""
    for index in range(count):
        descriptor = os.open(folder / f"slot-{index}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        return descriptor
    return None


@contextmanager
def ocr_slot() -> Iterator[None]:
    """Hold one OCR slot for the duration of the block, waiting for one to be free."""
    folder, count = slot_dir(), slot_count()
    descriptor = _try_slots(folder, count)
    while descriptor is None:
        time.sleep(_WAIT_SECONDS)
        descriptor = _try_slots(folder, count)
    try:
        yield
    finally:
        os.close(descriptor)  # closing the last descriptor of the open file releases the lock
