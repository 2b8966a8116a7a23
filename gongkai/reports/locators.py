"""Locators as a person reads them.

"p4 bbox(72,400,96,412)" -> "第4页（距左72、距顶400磅）", "line 120 cell 1" -> "第120行".

The readers write compact English locators (README "Readers"); the auditor's outputs show them in Chinese and keep
the original as a tooltip, so a cell can always be traced to the exact place.
"""

from __future__ import annotations

import re

_WHOLE = (  # (pattern of the place, how it reads); the first that matches the start wins
    (re.compile(r"p(\d+) ocr bbox\((\d+),(\d+),\d+,\d+\)"), "第{0}页（扫描件，距左{1}、距顶{2}像素）"),
    (re.compile(r"p(\d+) ocr table (\d+) r(\d+)"), "第{0}页 扫描表格{1}第{2}行"),
    (re.compile(r"p(\d+) bbox\((\d+),(\d+),\d+,\d+\)"), "第{0}页（距左{1}、距顶{2}磅）"),
    (re.compile(r"docx table (\d+) r(\d+) c(\d+)"), "Word表格{0}第{1}行第{2}列"),
    (re.compile(r"docx paragraph (\d+)"), "Word第{0}段"),
    (re.compile(r"table (\d+) r(\d+) c(\d+)"), "网页表格{0}第{1}行第{2}列"),
    (re.compile(r"html (\d+)(?: line (\d+))?"), "网页源码第{0}行"),
    (re.compile(r"lines (\d+)-(\d+)"), "第{0}–{1}行"),
    (re.compile(r"line (\d+) cell 1\b"), "第{0}行"),
    (re.compile(r"line (\d+) cell (\d+)"), "第{0}行第{1}格"),
)
_SUFFIXES = (
    (re.compile(r" chars (\d+)-(\d+)"), "第{0}–{1}字"),
    (re.compile(r" part (\d+)"), "拆分出的第{0}个数"),
    (re.compile(r" \(printed once for (\d+) cells\)"), "此值一行代表{0}格"),
)
_CONVERTED = "converted from doc: "
_PAGE = re.compile(r"^(?:converted from doc: )?p(\d+) ")


def readable(locator: str | None) -> str:
    """The locator in Chinese; a locator of an unknown form is returned unchanged."""
    if not locator:
        return ""
    text, prefix = locator, ""
    if text.startswith(_CONVERTED):
        text, prefix = text[len(_CONVERTED) :], "（.doc/.wps 转换后）"
    for pattern, words in _WHOLE:
        match = pattern.match(text)
        if match:
            parts = [words.format(*match.groups())]
            rest = text[match.end() :]
            for suffix, suffix_words in _SUFFIXES:
                found = suffix.search(rest)
                if found:
                    parts.append(suffix_words.format(*found.groups()))
            return prefix + "，".join(parts)
    return locator


def page_of(locator: str | None) -> int | None:
    """The PDF page a locator points at, if it is a page locator."""
    match = _PAGE.match(locator or "")
    return int(match.group(1)) if match else None
