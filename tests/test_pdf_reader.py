"""The PDF reader on the real r001 report and on generated ruled-table reports, through the real parser.

r001 is read from the real corpus (tests/corpus.py); its tests skip when the corpus is absent.

The r001 truth was read off the rendered pages by eye, not produced by the reader: table 二 runs from
page 2 to page 3, table 三 from page 3 to page 4 with a vertical 三、本年度办理结果 label, （六）其他处理
is a single row, and table 四 prints "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0".
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pdfplumber
import pypdfium2
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from corpus import REAL_CORPUS, real_report
from gongkai import keys
from gongkai.parsing.parser import parse_document
from gongkai.readers import pdf as pdf_reader
from gongkai.readers.document import Cell, ReaderError, Row, Table
from gongkai.readers.pdf import PdfReader, may_draw_text
from pdf_fixtures import fmt2021_report

R001 = REAL_CORPUS / "r001_huaian_hongze_qu_2023.pdf"  # may be absent: tests get it through r001_bytes
LOCATOR = re.compile(r"^p(\d+) bbox\((\d+),(\d+),(\d+),(\d+)\)$")


def _r001_truth() -> dict[str, str]:
    cells = {
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
    natural_person = {
        "new_received": "21",
        "partly_granted": "4",
        "denied_state_secret": "1",
        "denied_process_info": "1",
        "denied_enforcement_file": "1",
        "unable_not_held": "10",
        "unable_need_creation": "3",
        "noproc_petition": "1",
        "outcome_total": "21",
    }
    for row in keys.T3_ROWS_2019:
        count = natural_person.get(row, "0")
        cells.update({f"T3.{row}.{col}": "0" for col in keys.T3_COLS})
        cells[f"T3.{row}.natural_person"] = cells[f"T3.{row}.total"] = count
    printed = "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0".split()
    for i, value in enumerate(printed):
        cells[f"T4.{keys.T4_ROWS[i // 5]}.{keys.T4_COLS[i % 5]}"] = value
    return cells


def _assert_cells(report, truth: dict[str, str]) -> None:
    got = {f"{c.table_id}.{c.row_key}.{c.col_key}": c for c in report.cells}
    assert set(got) == set(truth), set(got) ^ set(truth)
    for key, expected in truth.items():
        cell = got[key]
        assert cell.value == Decimal(expected), key
        assert cell.value_status == ("zero" if expected == "0" else "number"), key
        assert LOCATOR.match(cell.locator), (key, cell.locator)
        assert cell.confidence == 1.0, key


@pytest.fixture(scope="module")
def r001_bytes() -> bytes:
    return real_report(R001.name).read_bytes()


@pytest.fixture(scope="module")
def r001_document(r001_bytes: bytes):
    return PdfReader().read(r001_bytes)


def test_r001_every_table_cell_matches_the_truth(r001_document) -> None:
    report = parse_document(r001_document)
    assert (report.format_version, report.report_year, report.parse_status) == ("fmt2021", 2023, "complete")
    _assert_cells(report, _r001_truth())


def test_r001_tables_are_joined_across_pages_and_merged_cells_expanded(r001_document) -> None:
    tables = [b for b in r001_document.blocks if isinstance(b, Table)]
    assert len(tables) == 3  # 二 (pages 2-3), 三 (pages 3-4), 四
    t2, t3, t4 = ([[c.text for c in row.cells] for row in t.rows] for t in tables)
    assert t2[-1] == ["行政事业性收费", "7730.28"] and len(t2) == 14
    granted = t3[5]
    assert granted == ["三、本年度办理结果", "（一）予以公开"] + ["0"] * 7
    assert t3[7] == ["", "（三）不予公开", "1.属于国家秘密", "1", "0", "0", "0", "0", "0", "1"]
    assert t3[8] == ["", "", "2.其他法律行政止公开"] + ["0"] * 7
    assert t3[17] == ["", "", "3.补正后申请内容仍不明确"] + ["0"] * 7  # first row on page 4
    assert t3[23] == ["", "（六）其他处理"] + ["0"] * 7
    assert t4[-1] == "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0".split()
    texts = [b.text for b in r001_document.blocks if not isinstance(b, Table)]
    assert not any(re.fullmatch(r"-\s*\d\s*-", t) for t in texts)  # page numbers dropped


def test_r001_locators_name_page_and_box(r001_document) -> None:
    for block in r001_document.blocks:
        rows = block.rows if isinstance(block, Table) else (block,)
        for row in rows:
            assert LOCATOR.match(row.locator), row.locator
            for cell in row.cells:
                page, x0, top, x1, bottom = map(int, LOCATOR.match(cell.locator).groups())
                assert 1 <= page <= 5 and x0 < x1 and top < bottom, cell.locator


@pytest.mark.parametrize(
    "rules, close_at_break, printed",
    [
        ("lines", True, None),
        ("rects", False, None),
        ("boxes", True, None),
        ("rects", False, {"T4.review.total": "6"}),  # a total that does not add up is read as printed
    ],
)
def test_generated_report_reads_exactly(rules: str, close_at_break: bool, printed: dict[str, str] | None) -> None:
    truth = fmt2021_report(rules, close_at_break, printed)
    document = PdfReader().read(truth.content)
    blocks = [
        ("table", [[c.text for c in row.cells] for row in b.rows]) if isinstance(b, Table) else ("text", b.text)
        for b in document.blocks
    ]
    assert blocks == truth.blocks
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert [[[c.locator for c in row.cells] for row in t.rows] for t in tables] == truth.locators
    report = parse_document(document)
    assert (report.format_version, report.parse_status, report.warnings) == ("fmt2021", "complete", [])
    _assert_cells(report, truth.cells)


def _first_half(content: bytes) -> bytes:
    return content[: len(content) // 2]


def _password_protected() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt=StandardEncryption("secret"))
    canvas.drawString(100, 700, "2023")
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"%PDF-1.4 truncated", "not a readable PDF"),
        (_first_half(fmt2021_report().content), "not a readable PDF"),
        (_password_protected(), "not a readable PDF: PDFPasswordIncorrect"),
    ],
)
def test_files_that_cannot_be_opened_are_refused_with_a_reason(content: bytes, reason: str) -> None:
    with pytest.raises(ReaderError, match=reason):
        PdfReader().read(content)


def test_a_truncated_real_pdf_is_refused(r001_bytes: bytes) -> None:
    with pytest.raises(ReaderError, match="not a readable PDF"):
        PdfReader().read(r001_bytes[:60000])


def _scan() -> bytes:
    """A one-page image-only PDF: the first page of the generated report rendered and drawn as an image."""
    image = pypdfium2.PdfDocument(fmt2021_report().content)[0].render(scale=1).to_pil()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=image.size)
    canvas.drawImage(ImageReader(image), 0, 0, *image.size)
    canvas.save()
    return buffer.getvalue()


def _text_in_a_form() -> bytes:
    """A page whose only text is drawn by a form XObject."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.beginForm("stamp")
    canvas.drawString(100, 700, "2023")
    canvas.endForm()
    canvas.doForm("stamp")
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, shows_text", [(_scan(), False), (fmt2021_report().content, True), (_text_in_a_form(), True)]
)
def test_the_reader_tells_a_scan_from_its_content_streams(content: bytes, shows_text: bool) -> None:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        assert may_draw_text(pdf.pages[0]) is shows_text


def test_a_page_without_a_text_layer_goes_to_ocr_without_the_text_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def text_path(_page: object) -> None:
        raise AssertionError("pdfminer interpreted a scanned page")

    def ocr(_pdfium: object, _index: int, page_number: int) -> list[Row]:
        return [Row((Cell("read by OCR", f"p{page_number}"),), f"p{page_number}")]

    monkeypatch.setattr(pdfplumber.page.Page, "layout", property(text_path))
    monkeypatch.setattr(pdf_reader, "ocr_blocks", ocr)
    document = PdfReader().read(_scan())
    assert [block.text for block in document.blocks] == ["read by OCR"]
    assert document.warnings == [("PAGE_OCR", "page 1 has no text layer; read by OCR")]
