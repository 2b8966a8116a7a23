"""Parser accuracy against truth files: share of cells exact, flagged uncertain, and wrong while certain.

A truth file ``<name>.truth.json`` sits beside (or in a truth folder next to) each report file and holds
``{"format": ..., "tables": {table_id: {row_key: {col_key: "12" | null}}}}`` (null = printed blank).
Every truth cell ends in exactly one class:

* exact: the parser's value equals the truth (a blank is exact when read as blank);
* flagged: not exact, but the parser said so (status uncertain or missing, or confidence below
  ``CERTAIN``) -- an honest miss that the auditor report shows;
* wrong: not exact while marked certain -- the failure that must not happen.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gongkai.parsing.parser import parse_document
from gongkai.readers import ReaderError, read_document, sniff

CERTAIN = 0.8   # a cell below this confidence counts as flagged, not as a claim


@dataclass
class Tally:
    """Counts for one group of files (a media type)."""

    files: int = 0
    cells: int = 0
    exact: int = 0
    flagged: int = 0
    wrong: int = 0
    extra: int = 0            # cells the parser emitted that the truth does not have
    unreadable: int = 0       # files the reader refused
    seconds: float = 0.0
    wrong_examples: list[str] = field(default_factory=list)

    def row(self, name: str) -> dict:
        share = (lambda n: round(100.0 * n / self.cells, 2) if self.cells else 0.0)
        return {"group": name, "files": self.files, "cells": self.cells, "exact_pct": share(self.exact),
                "flagged_pct": share(self.flagged), "wrong_pct": share(self.wrong), "wrong": self.wrong,
                "extra": self.extra, "unreadable": self.unreadable,
                "ms_per_file": round(1000 * self.seconds / self.files, 1) if self.files else 0.0}


def _classify(truth: str | None, cell) -> str:
    if cell is None or cell.value_status in ("uncertain", "missing"):
        return "flagged"
    if truth is None:
        matches = cell.value is None and cell.value_status == "blank"
    else:
        matches = cell.value is not None and cell.value == Decimal(truth)
    if matches:
        return "exact"
    return "flagged" if cell.confidence < CERTAIN else "wrong"


def truth_path(report: Path, truth_dir: Path | None) -> Path:
    return (truth_dir or report.parent) / f"{report.stem}.truth.json"


def write_truth(path: Path, cells: dict[str, str | None]) -> None:
    """Write a truth file from {"T3.granted.total": "1" or None} (None: printed blank)."""
    tables: dict = {}
    for key, value in cells.items():
        table, row, col = key.split(".")
        tables.setdefault(table, {}).setdefault(row, {})[col] = value
    path.write_text(json.dumps({"tables": tables}, ensure_ascii=False), encoding="utf-8")


def evaluate_file(report: Path, truth: dict, tallies: dict[str, Tally]) -> None:
    """Parse one file and add its cells to the tally of its format (OCR'd PDFs apart from text-layer ones)."""
    content = report.read_bytes()
    group = sniff(content).media_type
    started = time.perf_counter()
    try:
        document = read_document(content, group)
        parsed = parse_document(document)
        if any(code == "PAGE_OCR" for code, _detail in document.warnings):
            group += " (scan, OCR)"
    except ReaderError:
        parsed = None
    tally = tallies[group]
    tally.seconds += time.perf_counter() - started
    tally.files += 1
    got = {} if parsed is None else {(c.table_id, c.row_key, c.col_key): c for c in parsed.cells}
    tally.unreadable += parsed is None
    expected = {(t, r, c): v for t, rows in truth["tables"].items() for r, cols in rows.items() for c, v in cols.items()}
    tally.extra += len(set(got) - set(expected))
    for key, value in expected.items():
        outcome = _classify(value, got.get(key))
        tally.cells += 1
        setattr(tally, outcome, getattr(tally, outcome) + 1)
        if outcome == "wrong" and len(tally.wrong_examples) < 20:
            cell = got[key]
            tally.wrong_examples.append(f"{report.name} {'.'.join(key)}: truth {value}, parsed {cell.value} "
                                        f"({cell.value_raw!r} at {cell.locator})")


def evaluate(fixtures: Path, truth_dir: Path | None = None) -> dict[str, Tally]:
    """Accuracy by media type over every file in ``fixtures`` that has a truth file."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for report in sorted(p for p in fixtures.iterdir() if p.is_file() and not p.name.endswith(".truth.json")):
        truth_file = truth_path(report, truth_dir)
        if not truth_file.exists():
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        evaluate_file(report, truth, tallies)
    return dict(tallies)


def render_table(tallies: dict[str, Tally]) -> str:
    """A Markdown table, one row per media type plus the total."""
    total = Tally()
    for tally in tallies.values():
        for name in ("files", "cells", "exact", "flagged", "wrong", "extra", "unreadable", "seconds"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    rows = [t.row(name) for name, t in sorted(tallies.items())] + [total.row("all")]
    header = "| format | files | cells | exact % | flagged % | wrong % | wrong | extra | unreadable | ms/file |"
    lines = [header, "|" + "---|" * 10]
    lines += [f"| {r['group']} | {r['files']} | {r['cells']} | {r['exact_pct']} | {r['flagged_pct']} | "
              f"{r['wrong_pct']} | {r['wrong']} | {r['extra']} | {r['unreadable']} | {r['ms_per_file']} |" for r in rows]
    return "\n".join(lines)
