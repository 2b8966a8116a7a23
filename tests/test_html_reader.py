"""The HTML reader on generated report pages in four encodings and on the real Shanghai 2019 report (r040).

Generated pages (html_fixtures.py) carry the truth of every T2/T3/T4 cell. The r040 values below were
read off the file by eye: its tables print zeros as ``&nbsp;`` and leave the 总计 column blank in most rows.
r040 is read from the real corpus (tests/corpus.py); its tests skip when the corpus is absent.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from corpus import real_report
from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers import sniff
from gongkai.readers.document import Document, Table
from gongkai.readers.html import HtmlReader, decode_html, unwrap_js_html
from html_fixtures import PUBLISHER, TITLE, YEAR, html_cases

CASES = {case.name: case for case in html_cases()}
R040 = "r040_shanghai_szfbgt_2019_embedded.js"

# The codec each page is decoded with: the meta's when the bytes agree with it, else what the bytes say.
READ_AS = {
    "utf8_meta": "utf-8",
    "utf8_no_meta": "utf-8",
    "gbk_meta": "gbk",
    "gb2312_meta": "gb2312",
    "gb18030_meta": "gb18030",
    "gbk_no_meta": "gb18030",
    "gbk_wrong_meta_utf8": "gb18030",
    "utf8_wrong_meta_gb2312": "utf-8",
}


def _cells(report: ParsedReport) -> dict:
    return {f"{c.table_id}.{c.row_key}.{c.col_key}": c for c in report.cells}


def _is_right(cell, expected: str | None) -> bool:
    if expected is None:
        return cell.value is None and cell.value_status == "blank"
    return cell.value == Decimal(expected) and cell.value_status == "number"


def _grid_text(document: Document) -> dict[str, str]:
    """Every table cell's text by its locator ('table 2 r6 c4')."""
    return {
        cell.locator: cell.text
        for block in document.blocks
        if isinstance(block, Table)
        for row in block.rows
        for cell in row.cells
    }


# ---- generated pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_encoding_is_read_from_the_bytes_and_a_wrong_meta_is_flagged(name: str) -> None:
    case = CASES[name]
    document = HtmlReader().read(case.content)
    assert document.encoding == READ_AS[name] and document.media_type == "text/html"
    assert ("ENCODING_MISMATCH" in {code for code, _ in document.warnings}) == case.meta_mismatch
    assert TITLE in [row.text for row in document.rows()]


@pytest.mark.parametrize("name", sorted(CASES))
def test_chrome_is_dropped_and_title_and_signature_survive(name: str) -> None:
    texts = [row.text for row in HtmlReader().read(CASES[name].content).rows()]
    joined = "".join(texts)
    for chrome in ("首页", "当前位置", "分享到", "主办", "广告", "td {"):
        assert chrome not in joined, chrome
    assert texts[0] == TITLE
    assert texts[-2:] == [PUBLISHER, "2023年1月20日"]


def test_t3_grid_keeps_each_spanning_label_once_and_blanks_empty() -> None:
    document = HtmlReader().read(CASES["utf8_meta"].content)
    t3 = [block for block in document.blocks if isinstance(block, Table)][1]
    assert len(t3.rows) == 28 and {len(row.cells) for row in t3.rows} == {10}
    column1 = [row.cells[0].text for row in t3.rows]
    assert column1.count("三、本年度办理结果") == 1
    assert column1[5] == "三、本年度办理结果" and column1[6:26] == [""] * 20
    granted = t3.rows[5]
    assert [c.text for c in granted.cells] == [
        "三、本年度办理结果",
        "（一）予以公开",
        "",
        "25",
        "26",
        "27",
        "28",
        "29",
        "30",
        "",
    ]
    assert granted.cells[3].locator == "table 2 r6 c4"


def test_cell_paragraphs_and_line_breaks_are_joined() -> None:
    grid = _grid_text(HtmlReader().read(CASES["gbk_meta"].content))
    assert grid["table 1 r2 c2"] == "本年制发件数"  # "本年制发<br/>件数"


@pytest.mark.parametrize("name", sorted(CASES))
def test_reader_puts_every_truth_value_in_its_grid_position(name: str) -> None:
    """Reader-level truth: each T3 value sits in its row's value columns 4-10, blanks as ''."""
    case = CASES[name]
    document = HtmlReader().read(case.content)
    t3 = [block for block in document.blocks if isinstance(block, Table)][1]
    by_label = {}
    for row in t3.rows[3:]:
        label = next(c.text for c in reversed(row.cells[:3]) if c.text)
        by_label[label] = [c.text for c in row.cells[3:]]
    assert by_label["（七）总计"] == [
        case.truth[f"T3.outcome_total.{col}"] or ""
        for col in ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
    ]
    assert by_label["2.重复申请"][0] == "" and by_label["2.重复申请"][6] == ""


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_parsed_cell_is_right(name: str) -> None:
    case = CASES[name]
    report = parse_document(HtmlReader().read(case.content))
    assert (report.title, report.publisher, report.report_year, report.format_version) == (
        TITLE,
        PUBLISHER,
        YEAR,
        "fmt2021",
    )
    cells = _cells(report)
    assert set(cells) == set(case.truth)
    for key, expected in case.truth.items():
        assert _is_right(cells[key], expected), key
        assert cells[key].locator.startswith("table "), key


def test_layout_table_is_read_as_text_around_its_data_table() -> None:
    page = (
        "<table><tr><td><h1>标题</h1><table><caption>表一</caption><tr><td rowspan=2>规章</td><td>3</td></tr>"
        "<tr><td>&nbsp;</td></tr></table><p>落款</p></td></tr></table>"
    )
    document = HtmlReader().read(page.encode())
    assert [getattr(b, "text", "table") for b in document.blocks] == ["标题", "表一", "table", "落款"]
    assert [[c.text for c in row.cells] for row in document.blocks[2].rows] == [["规章", "3"], ["", ""]]


# ---- encoding and JavaScript unwrapping -------------------------------------------------------------------


def test_meta_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    page = '<html><head><meta charset="big5"></head><body><p>年度報告</p></body></html>'
    decoded = decode_html(page.encode("big5"))
    assert (decoded.text, decoded.encoding) == (page, "big5")


def test_single_byte_meta_does_not_turn_chinese_into_mojibake() -> None:
    decoded = decode_html('<meta charset="iso-8859-1"><p>政府信息公开</p>'.encode("gbk"))
    assert decoded.encoding == "gb18030" and "政府信息公开" in decoded.text
    assert decoded.warning is not None and decoded.warning[0] == "ENCODING_MISMATCH"


def test_ascii_page_needs_no_charset_and_raises_no_mismatch() -> None:
    decoded = decode_html(b'<meta charset="gbk"><p>&#x62A5;&#x544A;</p>')
    assert (decoded.encoding, decoded.warning) == ("ascii", None)


def test_bom_wins() -> None:
    decoded = decode_html(b"\xef\xbb\xbf<meta charset=gbk><p>\xe6\x8a\xa5\xe5\x91\x8a</p>")
    assert decoded.encoding == "utf-8-sig" and "报告" in decoded.text and decoded.warning is None


def test_escaped_html_inside_a_script_of_a_normal_page_is_left_alone() -> None:
    tag = '<a href=\\"/\\" class=\\"x\\">广告</a>'
    page = f'<html><body><script>var s = "{tag}{tag}{tag}{tag}";</script><p class="t">正文</p></body></html>'
    assert unwrap_js_html(page) is None
    assert [row.text for row in HtmlReader().read(page.encode()).rows()] == ["正文"]


def test_js_string_escapes_are_undone() -> None:
    script = 'let content = "<p class=\\"a\\">一</p>\\n<p class=\\"b\\">二\\u4e09</p>\\t<td colspan=\\"2\\">x</td>";'
    assert unwrap_js_html(script) == '<p class="a">一</p>\n<p class="b">二三</p>\t<td colspan="2">x</td>'


# ---- the real Shanghai 2019 report embedded in a JavaScript file ------------------------------------------


@pytest.fixture(scope="module")
def r040_bytes() -> bytes:
    return real_report(R040).read_bytes()


@pytest.fixture(scope="module")
def r040(r040_bytes: bytes) -> tuple[Document, ParsedReport]:
    document = HtmlReader().read(r040_bytes)
    return document, parse_document(document)


def test_r040_is_unwrapped_and_its_tables_are_grids(r040, r040_bytes: bytes) -> None:
    document, _report = r040
    assert sniff(r040_bytes).media_type == "text/html"
    assert ("HTML_IN_JAVASCRIPT" in {code for code, _ in document.warnings}) and document.encoding == "utf-8"
    tables = [block for block in document.blocks if isinstance(block, Table)]
    assert [(len(t.rows), len(t.rows[0].cells)) for t in tables] == [(18, 5), (26, 10), (4, 15)]
    grid = _grid_text(document)
    assert [grid[f"table 2 r4 c{c}"] for c in range(1, 11)] == [
        "一、本年新收政府信息公开申请数量",
        "",
        "",
        "821",
        "35",
        "",
        "",
        "2",
        "1",
        "859",
    ]
    assert grid["table 2 r6 c10"] == ""  # 予以公开 总计 printed as &nbsp;
    assert "let " not in "".join(row.text for row in document.rows())  # the JS around the string is gone


R040_T3 = {  # (row, col) -> printed value; None = &nbsp;
    ("new_received", "natural_person"): "821",
    ("new_received", "commercial"): "35",
    ("new_received", "research"): None,
    ("new_received", "legal_service"): "2",
    ("new_received", "other_org"): "1",
    ("new_received", "total"): "859",
    ("carried_in", "natural_person"): "18",
    ("carried_in", "commercial"): None,
    ("carried_in", "total"): "18",
    ("denied_state_secret", "natural_person"): "14",
    ("denied_state_secret", "total"): None,
    ("unable_not_held", "natural_person"): "252",
    ("unable_not_held", "legal_service"): "1",
    ("unable_not_held", "total"): None,
    ("noproc_petition", "natural_person"): "148",
    ("noproc_petition", "commercial"): "1",
    ("outcome_total", "natural_person"): "767",
    ("outcome_total", "commercial"): "35",
    ("outcome_total", "research"): None,
    ("outcome_total", "total"): "805",
    ("carried_out", "natural_person"): "72",
    ("carried_out", "other_org"): None,
    ("carried_out", "total"): "72",
}
R040_T4 = dict(
    zip(
        [
            (row, col)
            for row in ("review", "lit_direct", "lit_after_review")
            for col in ("upheld", "corrected", "other", "pending", "total")
        ],
        ["5", None, None, "2", "7", "8", None, None, "1", "9", None, None, None, None, None],
        strict=True,
    )
)


def test_r040_metadata(r040) -> None:
    _document, report = r040
    assert (report.publisher, report.report_year, report.format_version) == ("上海市人民政府办公厅", 2019, "fmt2019")


@pytest.mark.parametrize("table, truth", [("T3", R040_T3), ("T4", R040_T4)])
def test_r040_cells_blank_stays_blank(r040, table: str, truth: dict) -> None:
    cells = _cells(r040[1])
    for (row, col), expected in truth.items():
        assert _is_right(cells[f"{table}.{row}.{col}"], expected), (row, col)


def test_r040_all_blank_rows_are_blank(r040) -> None:
    """2.其他法律行政法规禁止公开 and （六）其他处理 print &nbsp; in all seven cells (docs/formats.md#blanks: blank)."""
    cells = _cells(r040[1])
    for row in ("denied_law_prohibited", "noproc_publication", "other_processing"):
        for col in ("natural_person", "total"):
            assert _is_right(cells[f"T3.{row}.{col}"], None), row


def test_r040_t2_2019_columns(r040) -> None:
    cells = _cells(r040[1])
    assert cells["T2_1.regulation.published_total"].value == Decimal(524)
    assert cells["T2_1.normative_doc.new_made"].value == Decimal(60)
    assert (
        cells["T2_9.central_procurement.procurement_amount"].value,
        cells["T2_9.central_procurement.procurement_amount"].unit,
    ) == (Decimal(251000), "元")


def test_sniff_sees_generated_pages_as_html() -> None:
    assert all(sniff(case.content).media_type == "text/html" for case in CASES.values())
