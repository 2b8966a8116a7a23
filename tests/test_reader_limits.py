"""Readers refuse hostile structure early and cheaply (gongkai.readers.limits), and still read real-sized files.

Every hostile file is made here as real bytes: span bombs, huge and deep HTML, zip bombs (honest and lying
headers), billion laughs and XXE inside DOCX, PDFs claiming or holding too many pages, bogus page sizes, huge
text lines. Each is refused with LimitExceeded (or, where a library guard stops it, ReaderError) within a
couple of seconds and without growing the process.
"""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pypdfium2
import pytest

import handmade_pdf
from docx_fixtures import build_report
from gongkai.readers import (
    Cell,
    Document,
    LimitExceeded,
    ReaderError,
    Row,
    check_document,
    limits,
    read_document,
    sniff,
)
from gongkai.readers.ocr import render_page
from gongkai.readers.pdf import OCR_SCALE
from gongkai.readers.sniff import BINARY, DOCX, HTML, PDF, TEXT

SECONDS = 2.0
MEGABYTES = 64


def _status_kb(field: str) -> int:
    return int(re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE).group(1))


@contextmanager
def cheap(seconds: float = SECONDS, megabytes: int = MEGABYTES) -> Iterator[None]:
    """The block takes under ``seconds`` and its peak resident memory (C libraries' included) rises less than
    ``megabytes`` above where it started; the kernel's high-water mark is reset first, so the peak is its own."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    growth = (_status_kb("VmHWM") - before) / 1024
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert growth < megabytes, f"peak memory rose by {growth:.0f} MB"


def refused(content: bytes, media_type: str, match: str) -> None:
    """``content`` is refused with LimitExceeded, quickly and cheaply."""
    with cheap(), pytest.raises(LimitExceeded, match=match):
        read_document(content, media_type)


# ---- text -----------------------------------------------------------------------------------------------


def test_a_10_mb_one_line_text_is_refused_before_it_is_decoded() -> None:
    refused(b"a" * 10_000_000, TEXT, r"text has at least 2,500,000 characters \(limit 2,000,000\)")


def test_a_line_over_the_cap_is_refused_before_it_is_split() -> None:
    content = ("标题\n" + "年" * (limits.DOCUMENT_MAX_ROW_CHARS + 1)).encode()
    refused(content, TEXT, r"line 2 has 200,001 characters \(limit 200,000\)")


def test_a_200000_column_tsv_line_is_refused() -> None:
    refused("\t".join(["1"] * 200_000).encode(), TEXT, r"line 1 has 399,999 characters")


def test_a_line_of_too_many_cells_is_refused() -> None:
    refused("\t".join(["12"] * (limits.DOCUMENT_MAX_ROW_CELLS + 1)).encode(), TEXT, r"line 1 has 1,001 cells")


def test_too_many_lines_are_refused() -> None:
    refused(b"x\n" * limits.DOCUMENT_MAX_ROWS, TEXT, r"text has 100,001 lines \(limit 100,000\)")


def test_too_many_characters_are_refused() -> None:
    line = "本年度收到政府信息公开申请0件。" * 6 + "\n"  # 97 characters a line
    refused((line * 20_620).encode(), TEXT, r"text has 2,000,140 characters \(limit 2,000,000\)")


def test_too_many_cells_in_all_are_refused() -> None:
    line = "\t".join(["0"] * limits.DOCUMENT_MAX_ROW_CELLS) + "\n"
    refused(line.encode() * 501, TEXT, r"text has 501,001 cells \(limit 500,000\)")


def test_nul_bytes_are_not_text() -> None:
    for content in (b"\x00" * 100_000, "\ufeff年度报告\x00\x00".encode("utf-8"), "年度\x00".encode("utf-16")):
        assert sniff(content).media_type == BINARY
        with cheap(), pytest.raises(ReaderError, match="NUL"):
            read_document(content, TEXT)
    refused(b"\x00" * 10_000_000, TEXT, "at least")


def test_sniffing_blank_and_pathological_text_is_fast() -> None:
    with cheap():
        for content in (b"\n" * 200_000, b" " * 200_000, b" \n" * 100_000, b"|---" + b" " * 200_000 + b"x"):
            assert sniff(content).media_type == TEXT


def test_a_real_sized_text_report_still_reads() -> None:
    lines = ["标题: 2023年政府信息公开工作年度报告"] + ["本机关坚持以公开为常态、不公开为例外。" * 20] * 500
    lines += ["\t".join(["项目", "1", "2", "3"] * 10)] * 100 + ["年" * 150_000]
    document = read_document("\n".join(lines).encode(), TEXT)
    assert sum(1 for _ in document.rows()) == 602


# ---- HTML -----------------------------------------------------------------------------------------------


def _page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


def test_a_span_bomb_is_refused_before_its_grid_is_built() -> None:
    rows = "<tr><td colspan=999999 rowspan=999999>x</td></tr>" * 1000
    refused(
        _page(f"<p>表</p><table>{rows}</table>"),
        HTML,
        r"HTML table 1 would have 1,000 x 1,000,000 grid cells \(limit 100,000\)",
    )


def test_a_table_just_over_the_cell_cap_is_refused() -> None:
    row = "<tr><td>项目</td><td colspan=1000>1</td></tr>"
    refused(
        _page("<table><tr><td>a</td></tr></table><table>" + row * 100 + "</table>"),
        HTML,
        r"HTML table 2 would have 100 x 1,001 grid cells \(limit 100,000\)",
    )


def test_tables_over_the_document_cap_in_all_are_refused() -> None:
    table = "<table>" + "<tr><td colspan=1000>1</td></tr>" * 99 + "</table>"
    refused(_page(table * 6), HTML, r"HTML tables would have 594,000 grid cells in all \(limit 500,000\)")


def test_a_300000_row_table_is_refused_before_it_is_parsed() -> None:
    refused(
        _page("<table>" + "<tr><td>1</td></tr>" * 300_000 + "</table>"),
        HTML,
        r"HTML page has up to 600,\d{3} elements \(limit 300,000\)",
    )


def test_200000_deep_nesting_is_refused() -> None:
    refused(_page("<div>" * 200_000 + "深" + "</div>" * 200_000), HTML, r"nested more than 200 deep")


def test_nesting_just_over_the_cap_is_refused_and_just_under_reads() -> None:
    def nested(depth: int) -> bytes:  # html and body are two levels
        return _page("<div>" * (depth - 2) + "深处的文字" + "</div>" * (depth - 2))

    refused(nested(limits.HTML_MAX_DEPTH + 1), HTML, r"nested more than 200 deep \(limit 200\)")
    assert [row.text for row in read_document(nested(limits.HTML_MAX_DEPTH), HTML).rows()] == ["深处的文字"]


def test_pages_that_made_the_script_and_string_scans_quadratic_read_fast() -> None:
    escaped = '<p class=\\"a\\">一</p>' * 3
    for content in (_page("<script>" * 200_000), (escaped + '"\\' * 500_000).encode()):
        with cheap(seconds=3.0):
            read_document(content, HTML)


def test_html_never_resolves_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL-SECRET")
    page = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<html><body><p>甲 &xxe; 乙</p><table><tr><td>丙</td></tr></table></body></html>"
    ).encode()
    document = read_document(page, HTML)
    assert not any("SENTINEL" in cell.text for row in document.rows() for cell in row.cells)


def test_a_real_sized_html_report_still_reads() -> None:
    head = "<tr><td rowspan=3>三、本年度办理结果</td>" + "<td>0</td>" * 12 + "</tr>"
    table = "<table>" + head + ("<tr>" + "<td>1</td>" * 12 + "</tr>") * 40 + "</table>"
    paragraphs = "<p>本机关坚持以公开为常态、不公开为例外，全面推进政务公开工作。</p>" * 2000
    document = read_document(_page(paragraphs + table * 5), HTML)
    assert sum(1 for _ in document.rows()) == 2000 + 5 * 41


# ---- DOCX -----------------------------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document_xml(body: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
        f"<w:document {_W}><w:body>{body}</w:body></w:document>"
    ).encode()


@lru_cache(maxsize=1)
def _report_docx() -> bytes:
    return build_report().content


def _with_part(name: str, data: bytes) -> bytes:
    """A real DOCX (python-docx made) with part ``name`` replaced by ``data``."""
    source = zipfile.ZipFile(io.BytesIO(_report_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, data if info.filename == name else source.read(info))
    return out.getvalue()


def _deflated(chunk: bytes, repeat: int) -> bytes:
    """Raw deflate of ``chunk * repeat``, made without holding the whole of it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return b"".join(compressor.compress(chunk) for _ in range(repeat)) + compressor.flush()


def _zip_of(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip of raw deflate streams by name, the directory declaring each one's (stream, size, crc)."""
    body, directory = b"", b""
    for name, (stream, size, crc) in members.items():
        raw = name.encode()
        header = struct.pack("<5H3L2H", 20, 0, 8, 0, 0, crc, len(stream), size, len(raw), 0)
        directory += b"PK\x01\x02" + struct.pack("<H", 20) + header + struct.pack("<3H2L", 0, 0, 0, 0, len(body)) + raw
        body += b"PK\x03\x04" + header + raw + stream
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return body + directory + end


def _honest(data: bytes) -> tuple[bytes, int, int]:
    return _deflated(data, 1), len(data), zlib.crc32(data)


def _declaring(content: bytes, name: str, size: int) -> bytes:
    """``content`` with the central directory declaring ``size`` bytes for member ``name``."""
    data = bytearray(content)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<L", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def test_a_zip_bomb_docx_is_refused_from_its_directory() -> None:
    bomb = _deflated(b"<w:p/>" * 100_000, 200)  # 120 MB of XML in ~120 KB
    content = _zip_of({"word/document.xml": (bomb, 120_000_000, 0)})
    refused(content, DOCX, r"DOCX part word/document.xml would decompress to 114 MB \(limit 64 MB\)")


def test_a_part_declared_at_2_gb_is_refused() -> None:
    content = _declaring(_report_docx(), "word/document.xml", int(2.1 * 2**30))
    refused(content, DOCX, r"DOCX part word/document.xml would decompress to 2.1 GB \(limit 64 MB\)")


def test_a_part_compressed_like_a_bomb_is_refused_under_the_size_cap() -> None:
    refused(_with_part("word/document.xml", _document_xml(" " * 50 * 2**20)), DOCX, r"is compressed 1,0\d\d to 1")


def test_a_lying_header_cannot_make_python_docx_inflate_the_bomb() -> None:
    report = zipfile.ZipFile(io.BytesIO(_report_docx()))
    members = {info.filename: _honest(report.read(info)) for info in report.infolist()}
    head = report.read("word/document.xml")[:4096]
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(head) + b"".join(compressor.compress(b"<w:p/>" * 100_000) for _ in range(500))
    members["word/document.xml"] = (stream + compressor.flush(), len(head), zlib.crc32(head))  # 300 MB said 4 KB
    content = _zip_of(members)
    with cheap(), pytest.raises(ReaderError):  # python-docx sees the 4 KB the header declares: truncated XML
        read_document(content, DOCX)


def test_too_many_zip_entries_are_refused_and_sniff_stays_fast() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", _document_xml(""))
        for index in range(limits.ZIP_MAX_ENTRIES):
            archive.writestr(f"media/{index}", b"")
    content = out.getvalue()
    with cheap():
        assert sniff(content).media_type == DOCX
    refused(content, DOCX, r"DOCX has 10,001 zip entries \(limit 10,000\)")


def test_a_damaged_zip_directory_never_makes_sniff_raise() -> None:
    good = _report_docx()
    directory = good.find(b"PK\x01\x02")
    damaged = [
        good[: directory + 30],
        good[:directory] + bytes(range(256)) * 4 + good[-22:],
        good[:-22] + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 65535, 65535, 2**32 - 1, 2**32 - 1, 0),
        b"PK\x03\x04" + b"\xff" * 5000,
    ]
    for content in damaged:
        with cheap():
            assert sniff(content).media_type in (BINARY, DOCX, "application/zip")
        with pytest.raises(ReaderError):
            read_document(content, DOCX)


def test_too_many_xml_elements_are_refused_before_python_docx_parses() -> None:
    paragraphs = "".join(f"<w:p><w:r><w:t>{index}</w:t></w:r></w:p>" for index in range(340_000))
    refused(
        _with_part("word/document.xml", _document_xml(paragraphs)),
        DOCX,
        r"more than 1,000,000 elements \(limit 1,000,000; passed in word/document.xml\)",
    )


def test_a_gridspan_bomb_is_refused_before_the_grid_is_built() -> None:
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
    xml = _document_xml(f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>")
    refused(_with_part("word/document.xml", xml), DOCX, r"DOCX table 1 would have 1 x 1,000,000,000 grid cells")


def test_billion_laughs_does_not_explode() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    xml = _document_xml("<w:p><w:r><w:t>&j;</w:t></w:r></w:p>", f"<!DOCTYPE w:document [{entities}]>")
    content = _with_part("word/document.xml", xml)
    with cheap():
        try:
            document = read_document(content, DOCX)
        except ReaderError:
            return  # libxml2's amplification guard
    assert all(len(row.text) < 1000 for row in document.rows())


def test_docx_never_resolves_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL-SECRET")
    general = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    parameter = f'<!DOCTYPE w:document [<!ENTITY % xxe SYSTEM "{secret.as_uri()}"> %xxe;]>'
    for doctype in (general, parameter):
        xml = _document_xml("<w:p><w:r><w:t>甲 &xxe; 乙</w:t></w:r></w:p>", doctype)
        try:
            document = read_document(_with_part("word/document.xml", xml), DOCX)
        except ReaderError as error:
            assert "SENTINEL" not in str(error)
            continue
        assert not any("SENTINEL" in row.text for row in document.rows())


def test_a_real_docx_report_still_reads() -> None:
    document = read_document(_report_docx(), DOCX)
    assert sum(1 for _ in document.rows()) > 50


# ---- PDF ------------------------------------------------------------------------------------------------

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pages_pdf(
    pages: int,
    count: int,
    content: bytes = b"BT /F1 12 Tf 72 720 Td (Report) Tj ET",
    box: bytes = b"0 0 595 842",
    filters: bytes = b"",
) -> bytes:
    """``pages`` pages sharing one content stream, under a page tree whose /Count says ``count``."""
    kids = b" ".join(b"%d 0 R" % (5 + index) for index in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    return handmade_pdf.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            handmade_pdf.stream(content, filters),
            _FONT,
        ]
        + [page % box] * pages
    )


def test_a_pdf_claiming_a_million_pages_is_refused() -> None:
    refused(_pages_pdf(1, 1_000_000), PDF, r"PDF has 1,000,000 pages \(limit 500\)")


def test_a_pdf_hiding_pages_behind_a_small_count_is_refused() -> None:
    refused(_pages_pdf(limits.PDF_MAX_PAGES + 1, 1), PDF, r"PDF has more than 500 pages \(limit 500\)")


def test_a_huge_image_only_page_is_refused_before_it_is_rendered() -> None:
    content = _pages_pdf(1, 1, b"0 0 0 rg 10 10 5000 5000 re f", b"0 0 200000 200000")
    refused(content, PDF, r"PDF page 1 is 200,000 x 200,000 pt \(limit 14,400 pt a side\)")


def test_a_large_page_is_rendered_for_ocr_at_a_lower_resolution() -> None:
    content = _pages_pdf(1, 1, b"0 0 0 rg 10 10 500 500 re f", b"0 0 3000 3000")
    with cheap(megabytes=200):  # a 20 M-pixel bitmap (80 MB) and its PIL copy; at 300 dpi it would be 1.2 GB
        image = render_page(pypdfium2.PdfDocument(content)[0], 1, OCR_SCALE)
    assert image.width * image.height <= limits.OCR_MAX_PIXELS + image.width + image.height  # sides round up
    assert image.width == pytest.approx(3000 * (limits.OCR_MAX_PIXELS / 3000**2) ** 0.5, abs=2)
    a4 = render_page(pypdfium2.PdfDocument(_pages_pdf(1, 1))[0], 1, OCR_SCALE)
    assert a4.width == pytest.approx(595 * OCR_SCALE, abs=1) and a4.height == pytest.approx(842 * OCR_SCALE, abs=1)


def _ruled_page(horizontal: int, vertical: int, step: float, length: float) -> bytes:
    """A text page with ``horizontal`` and ``vertical`` rules ``step`` apart, each ``length`` long."""
    rules = [b"%.2f 20 m %.2f %.2f l S" % (20 + i * step, 20 + i * step, 20 + length) for i in range(vertical)]
    rules += [b"20 %.2f m %.2f %.2f l S" % (20 + i * step, 20 + length, 20 + i * step) for i in range(horizontal)]
    content = b"0.2 w\n" + b"\n".join(rules) + b"\nBT /F1 12 Tf 30 30 Td (Report) Tj ET"
    return _pages_pdf(1, 1, content, b"0 0 14000 14000")


def test_a_page_of_too_many_ruling_lines_is_refused() -> None:
    refused(_ruled_page(600, 600, 12.0, 5.0), PDF, r"PDF page 1 has 1,200 ruling lines \(limit 1,000\)")


def test_a_ruled_grid_over_the_cell_cap_is_refused() -> None:
    refused(_ruled_page(320, 320, 12.0, 12.0 * 319), PDF, r"PDF page 1 has a table of 319 x 319 grid cells")


def test_a_page_of_too_many_characters_is_refused() -> None:
    text = b"BT /F1 2 Tf 20 20 Td (" + b"a" * (limits.PDF_MAX_PAGE_CHARS + 1) + b") Tj ET"
    refused(_pages_pdf(1, 1, text, b"0 0 14000 14000"), PDF, r"PDF page 1 has 20,001 characters")


def test_a_content_stream_inflating_to_100_mb_is_refused_before_pdfminer_inflates_it() -> None:
    compressor = zlib.compressobj(9)
    spaces = b" " * 2**20
    bomb = compressor.compress(b"BT /F1 12 Tf 72 720 Td (Report) Tj ET\n")
    bomb += b"".join(compressor.compress(spaces) for _ in range(100)) + compressor.flush()
    refused(
        _pages_pdf(1, 1, bomb, filters=b"/Filter /FlateDecode "),
        PDF,
        r"PDF page 1 content inflates to more than 32 MB \(limit 32 MB\)",
    )
    compressed = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Report) Tj ET\n" + b" " * 2**20)
    assert [
        row.text for row in read_document(_pages_pdf(1, 1, compressed, filters=b"/Filter /FlateDecode "), PDF).rows()
    ] == ["Report"]


def test_a_real_sized_pdf_still_reads() -> None:
    document = read_document(_pages_pdf(120, 120), PDF)
    assert [row.text for row in document.rows()] == ["Report"] * 120


# ---- every document ---------------------------------------------------------------------------------------


def _document(rows: int, cells: int, text: str) -> Document:
    row = Row(tuple(Cell(text, f"c{index}") for index in range(cells)), "r")
    return Document(blocks=[row] * rows, media_type=TEXT)


@pytest.mark.parametrize(
    ("document", "match"),
    [
        (_document(limits.DOCUMENT_MAX_ROWS + 1, 1, "x"), r"document has 100,001 rows \(limit 100,000\)"),
        (_document(1, limits.DOCUMENT_MAX_ROW_CELLS + 1, "x"), r"row 'r' has 1,001 cells \(limit 1,000\)"),
        (_document(1, 2, "x" * 100_001), r"row 'r' has 200,002 characters \(limit 200,000\)"),
        (_document(501, 1_000, ""), r"document has 501,000 cells \(limit 500,000\)"),
        (_document(11, 1, "x" * 190_000), r"document has 2,090,000 characters \(limit 2,000,000\)"),
    ],
)
def test_the_final_guard_refuses_what_no_parser_should_see(document: Document, match: str) -> None:
    with cheap(), pytest.raises(LimitExceeded, match=match):
        check_document(document)


def test_limit_exceeded_is_a_reader_error() -> None:
    assert issubclass(LimitExceeded, ReaderError)
