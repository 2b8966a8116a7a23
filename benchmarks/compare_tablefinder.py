"""pdfplumber's TableFinder against the PDF reader's own grids, on the test PDFs (issue 15 item 7).

    python benchmarks/compare_tablefinder.py

For every page of r001 (when the real corpus is there), the pdf_fixtures reports (every way of ruling, with
and without a closing rule at the page break) and three generated five-page reports: the tables each finds as
(grid columns + 1, grid rows + 1, cells), and the CPU time of the table step alone (TableFinder is also given
pdfplumber's ``page.objects``, untimed, which the reader does without). The figures are quoted in the
docstring of gongkai/readers/pdf.py.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber.table import TableFinder, TableSettings

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import bench_pdf_pages  # noqa: E402
import pdf_fixtures  # noqa: E402
from corpus import REAL_CORPUS  # noqa: E402
from gongkai.readers import pdf as reader  # noqa: E402

SETTINGS = TableSettings.resolve(
    {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": reader.SNAP,
        "join_tolerance": reader.SNAP,
        "edge_min_length": reader.MIN_RULE_LENGTH,
        "intersection_tolerance": reader.SNAP,
    }
)
Shape = tuple[int, int, int]  # grid columns + 1, grid rows + 1, cells (merged cells counted once)


def own_tables(objects: reader.PageObjects) -> list[Shape]:
    rules = reader.merge_collinear(reader.ruling_segments(objects))
    grids = [grid for grid in (reader.build_grid(group, 1) for group in reader._connected(rules)) if grid]
    return [(len(grid.xs), len(grid.ys), len({owner for row in grid.owner for owner in row})) for grid in grids]


def finder_tables(page: pdfplumber.page.Page) -> list[Shape]:
    shapes = []
    for table in TableFinder(page, SETTINGS).tables:
        xs = reader._cluster([cell[0] for cell in table.cells] + [cell[2] for cell in table.cells])
        ys = reader._cluster([cell[1] for cell in table.cells] + [cell[3] for cell in table.cells])
        shapes.append((len(xs), len(ys), len(table.cells)))
    return shapes


def cases() -> dict[str, bytes]:
    found = {
        f"pdf_fixtures {rules}, closed at break: {closed}": pdf_fixtures.fmt2021_report(rules, closed).content
        for rules in ("lines", "rects", "boxes")
        for closed in (True, False)
    }
    found.update({f"generated {i}": pdf for i, pdf in enumerate(bench_pdf_pages.generated_pdfs(3, 0))})
    r001 = REAL_CORPUS / "r001_huaian_hongze_qu_2023.pdf"
    if r001.is_file():
        found["r001"] = r001.read_bytes()
    return found


def timed(function: Callable[[Any], list[Shape]], argument: Any) -> tuple[list[Shape], float]:
    began = time.process_time()
    shapes = function(argument)
    return shapes, time.process_time() - began


def main() -> int:
    seconds = {"reader": 0.0, "TableFinder": 0.0}
    for name, content in cases().items():
        differences = []
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                objects = reader.page_objects(page)  # both built before timing: TableFinder's edges come
                _objects = page.objects  # from pdfplumber's objects, the reader's rules from its own
                own, own_seconds = timed(own_tables, objects)
                found, found_seconds = timed(finder_tables, page)
                seconds["reader"] += own_seconds
                seconds["TableFinder"] += found_seconds
                if own != found:
                    differences.append(f"p{number}: reader {own}, TableFinder {found}")
        print(f"{name}: {'same tables' if not differences else '; '.join(differences)}")
    print(", ".join(f"{name} {value * 1000:.0f} ms" for name, value in seconds.items()), "(table step, CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
