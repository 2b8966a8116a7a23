"""The Word readers on generated reports: DOCX directly, and a real .doc made by LibreOffice.

Every T2, T3 and T4 cell is checked after parsing, with its raw text and its locator in the grid.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Twips

from docx_fixtures import Report, TruthCell, build_report
from gongkai import keys
from gongkai.parsing.cells import ParsedCell
from gongkai.parsing.normalize import read_value
from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers import ReaderError, Table, sniff
from gongkai.readers.docx import DocxReader
from gongkai.readers.legacy_word import LOCATOR_PREFIX, LegacyWordReader, find_soffice
from gongkai.readers.sniff import DOCX, OLE

FORMATS = (keys.FMT2021, keys.FMT2019)
# The parser cannot yet place a printed blank in a row whose label spans the three label columns
# (四、结转下年度继续办理): the label's covered cells are blank tokens too, so the blank fits two ways.
PARSER_AMBIGUOUS_ROW = "T3.carried_out."

needs_soffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed: run `make system-deps`"
)


def _check_cells(report: Report, parsed: ParsedReport, prefix: str, ambiguous_row: bool = False) -> None:
    """Every truth cell outside (or inside) the ambiguous row has its value, status, raw text and locator."""
    got = {f"{c.table_id}.{c.row_key}.{c.col_key}": c for c in parsed.cells}
    assert set(got) == set(report.truth), set(got) ^ set(report.truth)
    for key, truth in report.truth.items():
        if key.startswith(PARSER_AMBIGUOUS_ROW) == ambiguous_row:
            _check_cell(key, got[key], truth, prefix)


def _check_cell(key: str, cell: ParsedCell, truth: TruthCell, prefix: str) -> None:
    expected = read_value(truth.text or "")
    assert (cell.value, cell.value_status, cell.unit) == (expected.value, expected.status, expected.unit), key
    assert cell.value_raw == (truth.text or ""), key
    assert cell.locator == prefix + truth.locator, key


def _check_metadata(report: Report, parsed: ParsedReport) -> None:
    assert (parsed.format_version, parsed.title, parsed.publisher, parsed.report_year) == (
        report.format_version,
        report.title,
        report.publisher,
        report.year,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_docx_report_every_cell(fmt: str) -> None:
    report = build_report(fmt)
    assert sniff(report.content).media_type == DOCX
    parsed = parse_document(DocxReader().read(report.content))
    _check_metadata(report, parsed)
    _check_cells(report, parsed, prefix="")


@pytest.mark.parametrize("fmt", FORMATS)
def test_docx_blank_in_row_with_wide_label(fmt: str) -> None:
    report = build_report(fmt)
    _check_cells(report, parse_document(DocxReader().read(report.content)), "", ambiguous_row=True)


def test_merged_cells_keep_their_text_at_the_top_left_only() -> None:
    document = DocxReader().read(build_report().content)
    t3 = [block for block in document.blocks if isinstance(block, Table)][1]
    grid = [[cell.text for cell in row.cells] for row in t3.rows]
    assert all(len(row) == 10 for row in grid)
    assert grid[0][0].startswith("（本列数据") and grid[0][1:3] == ["", ""] and grid[1][:3] == grid[2][:3] == [""] * 3
    assert grid[0][3:] == ["申请人情况"] + [""] * 6
    assert grid[1][3:] == ["自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert [row[0] for row in grid[5:27]] == ["三、本年度办理结果"] + [""] * 21
    assert [row[1] for row in grid[7:15]] == ["（三）不予公开"] + [""] * 7
    assert t3.rows[7].cells[2].locator == "docx table 2 r8 c3"


def test_paragraphs_and_tables_keep_document_order_and_cell_paragraphs_join() -> None:
    document = docx.Document()
    document.add_paragraph("第一段")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "本年新"
    table.cell(0, 0).add_paragraph("制作数量")
    document.add_paragraph("")
    document.add_paragraph("第二段")
    read = DocxReader().read(_save(document))
    assert [type(block).__name__ for block in read.blocks] == ["Row", "Table", "Row"]
    assert read.blocks[2].locator == "docx paragraph 3"  # the empty paragraph is counted, not emitted
    assert [c.text for c in read.blocks[1].rows[0].cells] == ["本年新制作数量", ""]


def test_a_sliver_column_from_misaligned_borders_is_dropped() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, (2000, 1, 2000), strict=True):
        col.w = Twips(width)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "行政复议"
    table.cell(0, 2).text = "行政诉讼"
    table.cell(1, 0).text = "总计"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "未经复议直接起诉"
    grid = [[c.text for c in row.cells] for row in DocxReader().read(_save(document)).blocks[0].rows]
    assert grid == [["行政复议", "行政诉讼"], ["总计", "未经复议直接起诉"]]


def test_a_table_holding_tables_is_read_as_layout() -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1).cell(0, 0)
    outer.text = "标题"
    inner = outer.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "行政许可", "5"
    outer.add_paragraph("结尾")
    read = DocxReader().read(_save(document))
    assert [getattr(block, "text", None) for block in read.blocks] == ["标题", None, "结尾"]
    assert [c.locator for c in read.blocks[1].rows[0].cells] == ["docx table 1 r1 c1", "docx table 1 r1 c2"]


def test_bytes_that_are_not_a_word_document_are_a_reader_error() -> None:
    with pytest.raises(ReaderError):
        DocxReader().read(b"PK\x03\x04 not really a zip")


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _to_doc(docx_bytes: bytes, work: Path) -> bytes:
    """A real Word 97 .doc of the given DOCX, made by LibreOffice."""
    (work / "report.docx").write_bytes(docx_bytes)
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(work),
            str(work / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (work / "report.doc").read_bytes()


@needs_soffice
@pytest.mark.parametrize("fmt", FORMATS)
def test_legacy_doc_report_every_cell(fmt: str, tmp_path: Path) -> None:
    report = build_report(fmt)
    content = _to_doc(report.content, tmp_path)
    assert sniff(content).media_type == OLE
    document = LegacyWordReader().read(content)
    assert document.media_type == OLE
    parsed = parse_document(document)
    _check_metadata(report, parsed)
    _check_cells(report, parsed, prefix=LOCATOR_PREFIX)


@needs_soffice
def test_an_ole_file_libreoffice_cannot_read_is_a_reader_error() -> None:
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096
    with pytest.raises(ReaderError, match="could not convert"):
        LegacyWordReader().read(damaged)


def test_a_missing_converter_is_a_reader_error() -> None:
    with pytest.raises(ReaderError, match="not installed"):
        LegacyWordReader(soffice="/nonexistent/soffice").read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@needs_soffice
def test_a_conversion_over_its_time_limit_is_a_reader_error(tmp_path: Path) -> None:
    content = _to_doc(build_report().content, tmp_path)
    with pytest.raises(ReaderError, match="timed out"):
        LegacyWordReader(timeout=0.2).read(content)
