"""Reading one printed cell value, and what tells a value cell from a number inside a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.text import squash

_PLACEHOLDERS = frozenset({"-", "--", "—", "——", "－", "/", "／", "无", "不适用", "…", "---"})
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"^(?P<num>.+?)(?P<unit>万元|元|件|条|个|项)$")
_LONGEST_VALUE = 32  # "1,234,567,890,123.1234567890万元" fits; anything longer is text


@dataclass(frozen=True)
class CellValue:
    """A printed cell read as a value: its status, the exact number (or None) and the unit it carried."""

    status: str  # number | zero | blank | placeholder | text
    value: Decimal | None
    unit: str | None = None


def read_value(raw: str) -> CellValue:
    """Read a printed cell: '0' -> zero, '1,234' -> 1234, '251000元' -> 251000 (unit 元), '—' -> placeholder."""
    return read_squashed(squash(raw))


def read_squashed(text: str) -> CellValue:
    """:func:`read_value` of text that is already squashed."""
    if len(text) > _LONGEST_VALUE:
        return CellValue("text", None)
    if not text:
        return CellValue("blank", None)
    if text in _PLACEHOLDERS:
        return CellValue("placeholder", None)
    unit = None
    match = _UNIT_SUFFIX.match(text)
    if match and _NUMBER.match(match["num"]):
        text, unit = match["num"], match["unit"]
    if not _NUMBER.match(text):
        return CellValue("text", None)
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return CellValue("text", None)
    return CellValue("zero" if number == 0 else "number", number, unit)


# A number is part of a sentence, never a cell, when the text it was split from goes on with a date or a count
# word ("2023" / "年1月1日", "5" / "件") or leads into it with a document-number bracket or an ordinal ("〔" / "2023").
SENTENCE_AFTER = "年月日号时%％〕]】件条次人个项份家余多"
SENTENCE_BEFORE = "〔[【第"

VALUE_STATUSES = frozenset({"number", "zero", "placeholder"})  # what a value cell reads as (blank is apart)
