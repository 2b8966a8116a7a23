"""Parser accuracy against truth files: cells exact, flagged, missing and wrong; year, format and region right.

A truth file ``<name>.truth.json`` sits beside (or in a truth folder next to) each report file. It holds
``{"tables": {table_id: {row_key: {col_key: "12" | null | "?"}}}}`` (null: printed blank; "?": the file itself does
not decide the cell) and, optionally, ``"format"``, ``"year"`` and ``"region"``
(``{"province", "prefecture", "county", "township"}``, official names or null). Every truth cell ends in exactly
one class:

* exact: the parser's value equals the truth (a blank is exact when read as blank);
* flagged: not exact, but the parser said so (status uncertain, or confidence below ``CERTAIN``);
* missing: the parser has no such cell, or marked it missing (the row or table was not found) -- also honest;
* undecidable: the truth is "?" and the parser flagged the cell or left it missing;
* wrong: not exact while marked certain, including a certain value where the truth is "?" (a guess) -- the
  failure that must not happen.

Regions are scored to the county: right when province, prefecture and county all equal the truth; wrong when the
parser claims a division at one of those levels that differs from the truth (a shallower answer is not wrong).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gongkai.parsing.cells import CERTAIN_CONFIDENCE, ParsedCell
from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers import ReaderError, read_document, sniff
from gongkai.regions.index import LEVELS
from gongkai.staging.report_region import ReportRegion, report_region

CERTAIN = CERTAIN_CONFIDENCE  # a cell below this confidence counts as flagged, not as a claim
UNDECIDED = "?"
COUNTY_LEVELS = LEVELS[:3]  # province, prefecture, county
CELL_CLASSES = ("exact", "flagged", "missing", "undecidable", "wrong")


@dataclass
class Tally:
    """Counts for one group of files (a media type)."""

    files: int = 0
    cells: int = 0
    exact: int = 0
    flagged: int = 0
    missing: int = 0
    undecidable: int = 0
    undecidable_truth: int = 0  # truth cells marked "?" (undecidable, plus those guessed, which count as wrong)
    wrong: int = 0
    extra: int = 0  # cells the parser emitted that the truth does not have
    unreadable: int = 0  # files the reader refused
    year_known: int = 0
    year_right: int = 0
    format_known: int = 0
    format_right: int = 0
    region_known: int = 0
    region_right: int = 0  # right to the county
    region_wrong: int = 0  # a wrong division claimed at province, prefecture or county level
    seconds: float = 0.0
    wrong_examples: list[str] = field(default_factory=list)
    label_examples: list[str] = field(default_factory=list)  # wrong year, format or region

    def add(self, other: Tally) -> None:
        """Add another tally's counts (examples included) to this one."""
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    @property
    def decidable(self) -> int:
        """Cells whose truth the file decides: the denominator of exact %."""
        return self.cells - self.undecidable_truth

    def row(self, name: str) -> dict:
        """The tally as one row of the accuracy table."""

        def share(n: int, d: int) -> float | None:
            return round(100.0 * n / d, 2) if d else None

        return {
            "group": name,
            "files": self.files,
            "cells": self.cells,
            "undecided_truth": self.undecidable_truth,
            "exact_pct": share(self.exact, self.decidable),
            "exact": self.exact,
            "flagged": self.flagged,
            "missing": self.missing,
            "wrong": self.wrong,
            "extra": self.extra,
            "unreadable": self.unreadable,
            "format": f"{self.format_right}/{self.format_known}",
            "year": f"{self.year_right}/{self.year_known}",
            "region": f"{self.region_right}/{self.region_known}",
            "region_wrong": self.region_wrong,
            "ms_per_file": round(1000 * self.seconds / self.files, 1) if self.files else 0.0,
        }


def classify(truth: str | None, cell: ParsedCell | None) -> str:
    """One of CELL_CLASSES for a truth value and the parser's cell (None when it emitted none)."""
    if cell is None or cell.value_status == "missing":
        return "undecidable" if truth == UNDECIDED else "missing"
    if cell.value_status == "uncertain" or cell.confidence < CERTAIN:
        return "undecidable" if truth == UNDECIDED else "flagged"
    if truth == UNDECIDED:
        return "wrong"
    if truth is None:
        return "exact" if cell.value is None and cell.value_status == "blank" else "wrong"
    return "exact" if cell.value is not None and cell.value == Decimal(truth) else "wrong"


def truth_path(report: Path, truth_dir: Path | None) -> Path:
    """Where the truth of ``report`` is: ``<truth_dir or its folder>/<stem>.truth.json``."""
    return (truth_dir or report.parent) / f"{report.stem}.truth.json"


def write_truth(path: Path, cells: dict[str, str | None]) -> None:
    """Write a truth file from {"T3.granted.total": "1" or None} (None: printed blank)."""
    tables: dict = {}
    for key, value in cells.items():
        table, row, col = key.split(".")
        tables.setdefault(table, {}).setdefault(row, {})[col] = value
    path.write_text(json.dumps({"tables": tables}, ensure_ascii=False), encoding="utf-8")


def truth_cells(truth: dict) -> dict[tuple[str, str, str], str | None]:
    """Every truth cell by (table_id, row_key, col_key)."""
    return {
        (t, r, c): v for t, rows in truth.get("tables", {}).items() for r, cols in rows.items() for c, v in cols.items()
    }


def _parse(report: Path) -> tuple[str, ParsedReport | None, ReportRegion | None, float]:
    content = report.read_bytes()
    group = sniff(content).media_type
    started = time.perf_counter()
    try:
        document = read_document(content, group)
        parsed = parse_document(document)
        region = report_region(parsed)
        if any(code == "PAGE_OCR" for code, _detail in document.warnings):
            group += " (scan, OCR)"
    except ReaderError:
        parsed, region = None, None
    return group, parsed, region, time.perf_counter() - started


def _score_cells(name: str, truth: dict, parsed: ParsedReport | None, tally: Tally) -> None:
    got = {} if parsed is None else {(c.table_id, c.row_key, c.col_key): c for c in parsed.cells}
    expected = truth_cells(truth)
    tally.extra += len(set(got) - set(expected))
    for key, value in expected.items():
        cell = got.get(key)
        outcome = classify(value, cell)
        tally.cells += 1
        tally.undecidable_truth += value == UNDECIDED
        setattr(tally, outcome, getattr(tally, outcome) + 1)
        if outcome == "wrong" and cell is not None and len(tally.wrong_examples) < 30:
            tally.wrong_examples.append(
                f"{name} {'.'.join(key)}: truth {value}, parsed {cell.value} ({cell.value_raw!r} at {cell.locator})"
            )


def _score_labels(
    name: str, truth: dict, parsed: ParsedReport | None, resolved: ReportRegion | None, tally: Tally
) -> None:
    if "format" in truth:
        tally.format_known += 1
        got_format = parsed.format_version if parsed else None
        tally.format_right += got_format == truth["format"]
        if got_format != truth["format"]:
            tally.label_examples.append(f"{name}: format {got_format}, truth {truth['format']}")
    if truth.get("year") is not None:
        tally.year_known += 1
        got_year = parsed.report_year if parsed else None
        tally.year_right += got_year == truth["year"]
        if got_year != truth["year"]:
            tally.label_examples.append(f"{name}: year {got_year}, truth {truth['year']}")
    region = truth.get("region") or (
        {"province": truth["province"], "prefecture": truth.get("city"), "county": truth.get("county")}
        if truth.get("province")
        else None
    )
    if region and region.get("province"):
        tally.region_known += 1
        chain = resolved.resolution.chain if resolved else {}
        right = all(chain.get(level) == region.get(level) for level in COUNTY_LEVELS)
        wrong = any(chain.get(level) is not None and chain.get(level) != region.get(level) for level in COUNTY_LEVELS)
        tally.region_right += right
        tally.region_wrong += wrong
        if not right:
            got = "/".join(str(chain.get(level)) for level in COUNTY_LEVELS)
            want = "/".join(str(region.get(level)) for level in COUNTY_LEVELS)
            tally.label_examples.append(f"{name}: region {got} ({'WRONG' if wrong else 'short'}), truth {want}")


def evaluate_file(report: Path, truth: dict, tallies: dict[str, Tally], group_prefix: str = "") -> None:
    """Parse one file and add it to the tally of its format (OCR'd PDFs apart from text-layer ones)."""
    group, parsed, resolved, seconds = _parse(report)
    tally = tallies[group_prefix + group]
    tally.files += 1
    tally.seconds += seconds
    tally.unreadable += parsed is None
    _score_cells(report.name, truth, parsed, tally)
    _score_labels(report.name, truth, parsed, resolved, tally)


def evaluate_pairs(pairs: Iterable[tuple[Path, Path]], group_prefix: str = "") -> dict[str, Tally]:
    """Accuracy by media type over (report file, truth file) pairs."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for report, truth_file in pairs:
        evaluate_file(report, json.loads(truth_file.read_text(encoding="utf-8")), tallies, group_prefix)
    return dict(tallies)


def evaluate(fixtures: Path, truth_dir: Path | None = None, group_prefix: str = "") -> dict[str, Tally]:
    """Accuracy by media type over every file in ``fixtures`` that has a truth file."""
    reports = sorted(p for p in fixtures.iterdir() if p.is_file() and not p.name.endswith(".truth.json"))
    return evaluate_pairs(
        ((r, truth_path(r, truth_dir)) for r in reports if truth_path(r, truth_dir).exists()), group_prefix
    )


def total(tallies: dict[str, Tally]) -> Tally:
    """All groups added up."""
    whole = Tally()
    for tally in tallies.values():
        whole.add(tally)
    return whole


def render_table(tallies: dict[str, Tally]) -> str:
    """A Markdown table, one row per group plus the total."""
    rows = [t.row(name) for name, t in sorted(tallies.items())] + [total(tallies).row("all")]
    columns = (
        "group",
        "files",
        "cells",
        "undecided_truth",
        "exact_pct",
        "flagged",
        "missing",
        "wrong",
        "extra",
        "unreadable",
        "format",
        "year",
        "region",
        "region_wrong",
        "ms_per_file",
    )
    header = (
        "| format | files | cells | truth ? | exact % | flagged | missing | wrong | extra | unreadable "
        "| format label | year | region to county | wrong region | ms/file |"
    )
    lines = [header, "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join("-" if r[c] is None else str(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines)
