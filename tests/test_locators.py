"""Locators in the auditor's outputs: Chinese a person reads, and links that open the source at the place."""

from __future__ import annotations

import pytest

from gongkai.reports.formatting import source_link
from gongkai.reports.locators import page_of, readable


@pytest.mark.parametrize(
    "locator, words",
    [
        ("p4 bbox(72,400,96,412)", "第4页（距左72、距顶400磅）"),
        ("p2 ocr bbox(768,1016,769,1037)", "第2页（扫描件，距左768、距顶1016像素）"),
        ("line 120 cell 1", "第120行"),
        ("line 12 cell 3 chars 340-349 part 2", "第12行第3格，第340–349字，拆分出的第2个数"),
        ("line 301 cell 1 (printed once for 7 cells)", "第301行，此值一行代表7格"),
        ("table 3 r3 c2", "网页表格3第3行第2列"),
        ("docx table 3 r5 c4", "Word表格3第5行第4列"),
        ("converted from doc: docx table 1 r2 c3", "（.doc/.wps 转换后）Word表格1第2行第3列"),
        ("html 88 line 2", "网页源码第88行"),
        ("lines 12-40", "第12–40行"),
        ("something new", "something new"),  # an unknown form is shown as it is, never lost
    ],
)
def test_locators_read_in_chinese(locator: str, words: str) -> None:
    assert readable(locator) == words


def test_a_pdf_locator_opens_its_page_and_others_open_the_file() -> None:
    assert page_of("p4 bbox(72,400,96,412)") == 4 and page_of("line 3 cell 1") is None
    assert source_link("sources/ab.pdf", "p4 bbox(72,400,96,412)") == "sources/ab.pdf#page=4"
    assert source_link("sources/ab.txt", "line 3 cell 1") == "sources/ab.txt"
    assert source_link("", "p4 bbox(72,400,96,412)") == ""
