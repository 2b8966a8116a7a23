"""The OCR reader on a real report turned into a scan: every T2, T3 and T4 cell against the truth.

r001's table pages are rendered to images and wrapped into an image-only PDF, so the reader sees only
pixels. The truth was read off the rendered pages by eye. r001 prints 表三（六）其他处理 as one row (2019
style) inside a 2021-format report, and T4 as "10 1 0 0 0 | 0 0 0 0 0 | 5 0 0 0 0" (its totals do not add up).
r001 is read from the real corpus (tests/corpus.py); the tests that need it skip when the corpus is absent.
"""

from __future__ import annotations

import io
from decimal import Decimal

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from corpus import real_report
from gongkai import keys
from gongkai.parsing.cells import ParsedCell
from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers.document import Document, ReaderError, Table
from gongkai.readers.ocr import FLAG_BELOW, ocr_page, read_scanned_pdf

_TABLE_ANCHORS = ("第二十条", "申请人情况", "结转下年度", "行政复议")

_T2 = {
    "T2_1.regulation.made": "0",
    "T2_1.regulation.repealed": "0",
    "T2_1.regulation.valid": "0",
    "T2_1.normative_doc.made": "0",
    "T2_1.normative_doc.repealed": "5",
    "T2_1.normative_doc.valid": "5",
    "T2_5.license.decisions": "550",
    "T2_6.penalty.decisions": "4119",
    "T2_6.coercion.decisions": "195",
    "T2_8.admin_fee.fee_amount": "7730.28",
}
_T3_NONZERO = {  # row: (自然人, 总计); every other T3 cell is 0
    "new_received": 21,
    "partly_granted": 4,
    "denied_state_secret": 1,
    "denied_process_info": 1,
    "denied_enforcement_file": 1,
    "unable_not_held": 10,
    "unable_need_creation": 3,
    "noproc_petition": 1,
    "outcome_total": 21,
}
_T4 = {"review": (10, 1, 0, 0, 0), "lit_direct": (0, 0, 0, 0, 0), "lit_after_review": (5, 0, 0, 0, 0)}


def _truth() -> dict[str, Decimal]:
    truth = {key: Decimal(value) for key, value in _T2.items()}
    for row in keys.T3_ROWS_2019:
        n = _T3_NONZERO.get(row, 0)
        values = (n, 0, 0, 0, 0, 0, n)
        truth.update({f"T3.{row}.{col}": Decimal(v) for col, v in zip(keys.T3_COLS, values, strict=True)})
    for row, values in _T4.items():
        truth.update({f"T4.{row}.{col}": Decimal(v) for col, v in zip(keys.T4_COLS, values, strict=True)})
    return truth


@pytest.fixture(scope="module")
def table_page_images() -> list[Image.Image]:
    """r001's table pages rendered at 144 dpi (the pages are found by their table captions)."""
    pdf = pdfium.PdfDocument(real_report("r001_huaian_hongze_qu_2023.pdf"))
    pages = [
        pdf[i]
        for i in range(len(pdf))
        if any(anchor in pdf[i].get_textpage().get_text_range() for anchor in _TABLE_ANCHORS)
    ]
    return [page.render(scale=2).to_pil().convert("RGB") for page in pages]


def _without_rules(image: Image.Image) -> Image.Image:
    """The page with its table rules painted white, as in a table laid out with spaces only."""
    pixels = np.array(image)
    ink = (cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) < 128).astype(np.uint8)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 80), np.uint8)) | cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((80, 1), np.uint8)
    )
    pixels[cv2.dilate(rules, np.ones((5, 5), np.uint8)) > 0] = 255
    return Image.fromarray(pixels)


def _scanned(images: list[Image.Image]) -> bytes:
    """The page images as an image-only PDF."""
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=144)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def scanned_report(table_page_images: list[Image.Image]) -> ParsedReport:
    content = _scanned(table_page_images)
    assert b"/Font" not in content  # no text layer: only the OCR can read it
    return parse_document(read_scanned_pdf(content))


def _flagged(cell: ParsedCell | None) -> bool:
    return cell is None or cell.value_status in ("uncertain", "missing") or cell.confidence < FLAG_BELOW


def _score(report: ParsedReport, what: str) -> float:
    """Share of truth cells read exactly; fails when a wrong value is not flagged."""
    cells = {f"{c.table_id}.{c.row_key}.{c.col_key}": c for c in report.cells}
    truth = _truth()
    exact = [key for key, value in truth.items() if key in cells and cells[key].value == value]
    flagged = [key for key in truth if _flagged(cells.get(key))]
    wrong = [key for key in truth if key not in exact and not _flagged(cells.get(key))]
    print(f"{what}: {len(exact)}/{len(truth)} exact, {len(flagged)} flagged, {len(wrong)} wrong and certain")
    assert not wrong, [(key, cells[key].value_raw, cells[key].confidence) for key in wrong]
    return len(exact) / len(truth)


def test_scanned_r001_tables_read_exactly_and_never_wrong_with_confidence(scanned_report: ParsedReport) -> None:
    assert _score(scanned_report, "r001 scan") >= 0.97
    assert all(cell.confidence <= 0.9 for cell in scanned_report.cells)  # OCR is never fully certain


def test_scanned_r001_locators_point_at_page_pixels(scanned_report: ParsedReport) -> None:
    penalty = next(c for c in scanned_report.cells if c.row_key == "penalty")
    assert penalty.locator.startswith("p2 ocr bbox(")


def test_tables_without_rules_split_into_cells_by_gaps(table_page_images: list[Image.Image]) -> None:
    blocks = [
        block
        for number, image in enumerate(table_page_images, start=2)
        for block in ocr_page(_without_rules(image), number)
    ]
    assert not any(isinstance(block, Table) for block in blocks)
    report = parse_document(Document(blocks, "application/pdf"))
    assert _score(report, "r001 scan without rules") >= 0.9


def test_blank_page_raises() -> None:
    with pytest.raises(ReaderError, match="^page 7: "):
        ocr_page(Image.new("RGB", (800, 1100), "white"), 7)


def test_a_faint_digit_in_a_cell_that_looks_empty_is_read_again_not_taken_as_blank(
    table_page_images: list[Image.Image], scanned_report: ParsedReport
) -> None:
    cell = next(
        c for c in scanned_report.cells if (c.table_id, c.row_key, c.col_key) == ("T3", "carried_in", "research")
    )
    page = int(cell.locator.split()[0][1:])
    x0, y0, x1, y1 = (int(v) for v in cell.locator.split("bbox(")[1].rstrip(")").split(","))
    pixels = np.array(table_page_images[page - 1])
    pixels[y0 - 2 : y1 + 3, x0 - 2 : x1 + 3] = 255  # the printed "0" is gone …
    centre = (x0 + x1) // 2
    pixels[y0 : y1 + 1, centre : centre + 1] = 180  # … and a faint one-pixel "1" that the page's
    # ink threshold does not see is left
    rows = [row for block in ocr_page(Image.fromarray(pixels), page) if isinstance(block, Table) for row in block.rows]
    inside = [
        c
        for row in rows
        for c in row.cells
        if (box := [int(v) for v in c.locator.split("bbox(")[1].rstrip(")").split(",")])
        and box[0] <= centre <= box[2]
        and box[1] <= (y0 + y1) // 2 <= box[3]
    ]
    assert inside, "the cell is still read"
    assert not (inside[0].text.strip() == "" and inside[0].confidence >= FLAG_BELOW), (
        "a cell with ink in it is never a certain blank"
    )
