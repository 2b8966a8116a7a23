"""OCR cost per scanned page on one core, split by part (issue #14).

    .venv/bin/python benchmarks/bench_ocr.py [--repeat N] [--dpi DPI] [--only NAME]

Pages: the generated ruled-table reports (``pdf_fixtures``, three ways of drawing rules; two A4 pages each) and the
real r001 (five pages), each turned into an image-only scan at ``--dpi`` (default 200) as ``build_eval_set.py``
does, then read the way ``PdfReader`` reads a page without a text layer. The generated scans need a CJK font
(``make bench-fonts``) and r001 the real corpus; either is skipped with a note when missing.

The process is pinned to one core. Each page is read once to warm up, then ``--repeat`` times (default 3); the
table gives the median CPU seconds of each part (everything runs on one thread, so CPU seconds are the seconds
of one core; ``wall`` also counts the waits for a core shared with other work). Parts are timed by wrapping the
reader's functions (a part's time excludes the parts it calls): render (PDF page to pixels), detection and
recognition (RapidOCR's first pass over the page), classifier (RapidOCR's text-angle model, when used), deskew
(skew measurement), grid (ink, ruling lines, tables, cells), re-reads (value cells and lone numbers read again
from tight crops, empty-looking cells), and assembly: the rest of the page (boxes to cells, rows and tables).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import pypdfium2  # noqa: E402

import pdf_fixtures  # noqa: E402
from build_eval_set import _scan_of, cjk_font_installed  # noqa: E402
from gongkai.readers import ocr  # noqa: E402
from gongkai.readers.pdf import OCR_SCALE  # noqa: E402
from test_pdf_reader import R001  # noqa: E402

PARTS = ("render", "detection", "classifier", "recognition", "deskew", "grid", "re-reads", "assembly")
_MODULE_PARTS = {
    "_skew_degrees": "deskew",
    "_ink": "grid",
    "_ruling": "grid",
    "_tables": "grid",
    "_fill_grid": "grid",
    "_read_numbers": "re-reads",
    "_read_number": "re-reads",
    "_detect_in": "re-reads",
    "_second_look": "re-reads",
}
_ENGINE_PARTS = {
    "text_det": "detection",
    "text_cls": "classifier",
    "text_rec": "recognition",
    "cal_rec_boxes": "recognition",
}


class _Clock:
    """CPU seconds per part; a part's time excludes the wrapped parts it calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.nested: list[float] = []

    def wrap(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.nested.append(0.0)
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.process_time() - started
                self.seconds[part] += spent - self.nested.pop()
                if self.nested:
                    self.nested[-1] += spent

        return timed


class _Timed:
    """A RapidOCR model whose calls are timed as ``part`` (its other attributes pass through)."""

    def __init__(self, clock: _Clock, part: str, model: Any) -> None:
        self._model = model
        self._call = clock.wrap(part, model)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(*args, **kwargs)


def _instrument(clock: _Clock) -> None:
    """Wrap the reader's parts (only those this version of the reader has)."""
    for name, part in _MODULE_PARTS.items():
        if hasattr(ocr, name):
            setattr(ocr, name, clock.wrap(part, getattr(ocr, name)))
    engine = ocr._engine()
    for name, part in _ENGINE_PARTS.items():
        setattr(engine, name, _Timed(clock, part, getattr(engine, name)))
    ocr.ocr_page = clock.wrap("assembly", ocr.ocr_page)
    ocr.render_page = clock.wrap("render", ocr.render_page)


def _scans(dpi: int) -> list[tuple[str, bytes]]:
    """The image-only scans to read, with a note on stderr for each set left out."""
    scans = []
    if cjk_font_installed():
        for rules, close_at_break in (("lines", True), ("rects", False), ("boxes", True)):
            scans.append(
                (f"generated_{rules}", _scan_of(pdf_fixtures.fmt2021_report(rules, close_at_break).content, dpi))
            )
    else:
        print("note: no CJK font installed (make bench-fonts): the generated scans are skipped", file=sys.stderr)
    if R001.is_file():
        scans.append(("r001 (real)", _scan_of(R001.read_bytes(), dpi)))
    else:
        print(f"note: real report {R001} not found (set GONGKAI_REAL_CORPUS): its scan is skipped", file=sys.stderr)
    return scans


def _read_page(clock: _Clock, pdf: pypdfium2.PdfDocument, index: int) -> dict[str, float]:
    """CPU seconds per part of one reading of one page, with its CPU and wall totals."""
    clock.seconds.clear()
    started, cpu = time.perf_counter(), time.process_time()
    ocr.ocr_page(ocr.render_page(pdf[index], index + 1, OCR_SCALE), index + 1)
    return {**clock.seconds, "total": time.process_time() - cpu, "wall": time.perf_counter() - started}


def _median_page(clock: _Clock, pdf: pypdfium2.PdfDocument, index: int, repeat: int) -> dict[str, float]:
    _read_page(clock, pdf, index)  # warm-up: onnxruntime prepares each new input shape once per process
    readings = [_read_page(clock, pdf, index) for _ in range(repeat)]
    return {key: statistics.median(r.get(key, 0.0) for r in readings) for key in (*PARTS, "total", "wall")}


def _table(rows: list[tuple[str, dict[str, float]]]) -> str:
    columns = (*PARTS, "total", "wall")
    lines = ["| page | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    lines += [f"| {name} | " + " | ".join(f"{row[c]:.2f}" for c in columns) + " |" for name, row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timed readings of each page (default 3)")
    parser.add_argument("--dpi", type=int, default=200, help="scan resolution (default 200)")
    parser.add_argument("--only", default="", help="read only the scans whose name contains this (e.g. lines)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    clock = _Clock()
    _instrument(clock)
    rows = []
    for name, content in _scans(args.dpi):
        if args.only not in name:
            continue
        pdf = pypdfium2.PdfDocument(content)
        for index in range(len(pdf)):
            rows.append((f"{name} p{index + 1}", _median_page(clock, pdf, index, args.repeat)))
            print(f"{rows[-1][0]}: {rows[-1][1]['total']:.2f} s", file=sys.stderr, flush=True)
    if not rows:
        print("nothing to read: no CJK font and no real corpus", file=sys.stderr)
        return
    rows.append(("median page", {k: statistics.median(r[k] for _n, r in rows) for k in rows[0][1]}))
    print(f"CPU seconds per {args.dpi}-dpi page on one core (median of {args.repeat} readings after a warm-up):\n")
    print(_table(rows))


if __name__ == "__main__":
    main()
