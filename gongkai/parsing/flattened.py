"""Tables flattened to text: a scraper dropped every cell boundary, so labels and values run together.

A page like ``…一、本年新收政府信息公开申请数量640020470二、上年结转…`` holds a whole table in one line.
Such a cell is split at digit runs and at the starts of the tables' own labels; each digit run becomes a
*joined* value token that may stand for several cells. :func:`decode_joined` splits joined runs back into
cells only when the layout (the row's column count, no leading zeros) allows exactly one split, and the row's
total identity, where it has one, confirms it. Identities never choose between two possible splits: such a
row is left uncertain, with its printed digits (docs/formats.md#text-layouts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from gongkai.parsing.normalize import SENTENCE_AFTER, SENTENCE_BEFORE
from gongkai.parsing.totals import totals_hold

_CJK = r"[\u4e00-\u9fff]"
# A digit run; a trailing single digit followed by "." or "、" and a CJK character is the next row's
# enumerator ("…00000002.其他法律…"), not a value.
_NUMBER = r"(?:(?<=[\d\u4e00-\u9fff])[-+])?\d+(?:\.\d+)?"  # 本年增/减 prints signs: "2648-18538"
_DIGITS = re.compile(rf"{_NUMBER}(?=\d[.、．]\s*{_CJK})|{_NUMBER}")
# A digit run inside a sentence ("2023年", "〔2023〕5号", "共5件") is text, never a cell.
_IN_SENTENCE_AFTER = re.compile(rf"\s*[{re.escape(SENTENCE_AFTER)}]")
_ENUMERATOR = re.compile(rf"\d[.、．]\s*(?={_CJK})")
# Where a new label starts inside flattened text: table captions, row labels, section numerals.
_LABEL_START = re.compile(
    r"第二十条|信息内容|规章|行政规范性文件|(?<!行政)规范性文件|行政许可|其他对外管理服务事项|行政处罚|行政强制"
    r"|行政事业性?收费|政府集中采购|申请人情况|[一二三四五六]、|(?<!第二十条第)[（(][一二三四五六七][)）]|行政复议"
)
_ADJACENT = re.compile(rf"(?:{_CJK}|[）)])\d")
_MIN_LENGTH, _MIN_ADJACENT = 200, 10
_MAX_PART_DIGITS = 9


def is_flattened(text: str) -> bool:
    """A long cell in which labels are glued to digits again and again: a table flattened to text."""
    return len(text) >= _MIN_LENGTH and len(_ADJACENT.findall(text)) >= _MIN_ADJACENT


def split_flattened(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_value) pieces of a flattened cell, in order; value pieces are digit runs."""
    position = 0
    for match in _DIGITS.finditer(text):
        if _ENUMERATOR.match(text, match.start()) and match.end() - match.start() == 1:
            continue  # "1.属于国家秘密": the enumerator of a label, not a value
        if _IN_SENTENCE_AFTER.match(text, match.end()) or (
            match.start() and text[match.start() - 1] in SENTENCE_BEFORE
        ):
            continue  # a year, a date, a document number or a count in running text
        yield from _split_labels(text, position, match.start())
        yield match.start(), match.end(), True
        position = match.end()
    yield from _split_labels(text, position, len(text))


def _split_labels(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    cuts = [start] + [m.start() for m in _LABEL_START.finditer(text, start, end) if m.start() > start] + [end]
    for left, right in pairwise(cuts):
        if text[left:right].strip():
            yield left, right, False


@dataclass(frozen=True)
class JoinedSplit:
    """How run-together values split: the only split the layout allows (None when there are 0 or several),
    how many splits the layout allows (2 stands for "two or more"), and whether the row's total identity holds."""

    parts: list[str] | None
    splits: int
    total_holds: bool | None  # None: no identity to check (or no single split)


def decode_joined(runs: Sequence[tuple[str, bool]], expected: int, group: int | None) -> JoinedSplit:
    """Split ``runs`` (text, joined?) into ``expected`` values, by the layout alone.

    A joined run splits into one or more parts, with no leading zero in a part of several digits and a sign
    only at the start of the run; a run with a decimal point stays whole. The row's identity (with ``group``
    set, every consecutive ``group`` parts end with the sum of the others, see :func:`totals_hold`) never
    chooses between splits: it only confirms the single split the layout allows.
    """
    solutions: list[list[str]] = []
    values: list[str] = []

    def next_run(index: int) -> None:
        if len(solutions) > 1:
            return
        if index == len(runs):
            if len(values) == expected:
                solutions.append(list(values))
            return
        text, joined = runs[index]
        if joined and "." not in text:
            split_run(index, text)
            return
        values.append(text)
        next_run(index + 1)
        values.pop()

    def split_run(index: int, text: str) -> None:
        sign = text[0] if text[0] in "+-" else ""
        digits = text[len(sign) :]
        remaining_runs = len(runs) - index - 1
        for size in range(1, min(len(digits), _MAX_PART_DIGITS) + 1):
            if len(values) + remaining_runs >= expected or (size > 1 and digits.startswith("0")):
                return
            values.append(sign + digits[:size])
            next_run(index + 1) if size == len(digits) else split_run(index, digits[size:])
            values.pop()

    next_run(0)
    if len(solutions) != 1:
        return JoinedSplit(None, len(solutions), None)
    parts = solutions[0]
    holds = (
        None
        if group is None
        else all(totals_hold([Decimal(v) for v in parts[i : i + group]], group) for i in range(0, len(parts), group))
    )
    return JoinedSplit(parts, 1, holds)
