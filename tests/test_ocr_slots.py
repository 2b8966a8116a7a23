"""The bounded OCR pool: no more pages are read at once than there are slots, and a killed holder frees its slot."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from gongkai.readers import ocr, ocr_slots


@pytest.fixture
def slots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GONGKAI_OCR_SLOT_DIR", str(tmp_path))
    monkeypatch.setenv("GONGKAI_OCR_SLOTS", "1")
    return tmp_path


def _most_at_once(workers: int) -> int:
    """Run ``workers`` threads that each hold a slot for a while; the most that held one at the same time."""
    lock, holding, most = threading.Lock(), [0], [0]
    inside = threading.Barrier(workers, timeout=0.5)  # all would meet here, were they let in together

    def work() -> None:
        with ocr_slots.ocr_slot():
            with lock:
                holding[0] += 1
                most[0] = max(most[0], holding[0])
            try:
                inside.wait()
            except threading.BrokenBarrierError:
                pass
            with lock:
                holding[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return most[0]


def test_one_slot_lets_one_page_in_at_a_time(slots: Path) -> None:
    assert _most_at_once(3) == 1


def test_two_slots_let_two_pages_in(slots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_OCR_SLOTS", "2")
    assert _most_at_once(2) == 2


def test_default_leaves_a_core_free(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GONGKAI_OCR_SLOTS", raising=False)
    monkeypatch.setattr(ocr_slots.os, "cpu_count", lambda: 2)
    assert ocr_slots.slot_count() == 1
    monkeypatch.setattr(ocr_slots.os, "cpu_count", lambda: 1)
    assert ocr_slots.slot_count() == 1


def test_a_killed_holder_frees_its_slot(slots: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom gongkai.readers.ocr_slots import ocr_slot\n"
            "with ocr_slot():\n    print('held', flush=True)\n    time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert ocr_slots._try_slots(slots, 1) is None  # taken by the other process
    finally:
        holder.kill()
        holder.wait()
    with ocr_slots.ocr_slot():
        pass


def test_a_page_is_read_holding_a_slot(slots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    free_while_reading = []
    monkeypatch.setattr(
        ocr, "_read_page", lambda image, page: free_while_reading.append(ocr_slots._try_slots(slots, 1)) or []
    )
    ocr.ocr_page(Image.new("RGB", (10, 10), "white"), 1)
    assert free_while_reading == [None]
