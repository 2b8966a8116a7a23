"""A report's rows split into its six sections (docs/formats.md#skeleton, #pre2019, #normalisation).

A section opens at a heading: an enumerator (一、 / 1、 / 1. / （一） or none) followed by one of the
section's keywords (docs/formats.md#normalisation). Sections must come in order s1 < s2 < … < s6, so a
later heading for an earlier (or the same) section, such as seed 002's inner "二、突出重点…", never opens a section.
All top-level headings of one report share one numbering style, so with "一、" headings a "（二）政府信息依申请公开情况"
sub-heading (seed 004) is not a section either.

Pre-2019 reports use other headings (概述, 政府信息主动公开情况, 依申请公开…, 行政复议、诉讼和申诉, 问题及打算).
They are matched by an extended keyword set; a part with no 2019+ counterpart (收费及减免情况, 附表) stays inside
the preceding section. Web scrapes that print a whole report on one line get their numbered headings found
inside the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from gongkai.parsing.normalize import read_squashed
from gongkai.readers.document import Row
from gongkai.text import squash

# The six sections of the form, in order, with their headings as the form prints them (docs/formats.md#skeleton).
SECTION_HEADINGS = {
    "s1_overview": "一、总体情况",
    "s2_active": "二、主动公开政府信息情况",
    "s3_requests": "三、收到和处理政府信息公开申请情况",
    "s4_review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "s5_problems": "五、存在的主要问题及改进情况",
    "s6_other": "六、其他需要报告的事项",
}
SECTION_KEYS = tuple(SECTION_HEADINGS)
PREAMBLE = "preamble"
SIGNATURE = "signature"
# report_sections.section_key: every key in report order, with its Chinese label.
SECTION_LABELS = {PREAMBLE: "开头", **SECTION_HEADINGS, SIGNATURE: "落款"}

# Heading keywords per section (docs/formats.md#normalisation), each with the tail words a heading may end with.
_CANONICAL = (
    r"总体情况|概述|基本(?:工作)?情况",
    r"主动公开政府信息(?:的)?情况",
    r"收到和处理政府信息公开申请(?:的)?情况|依申请公开(?:政府信息)?(?:的)?情况",
    r"行政复议[^。；;，,]{0,12}?行政诉讼(?:的)?(?:情况)?",
    r"存在(?:的)?(?:主要)?问题(?:及|和)(?:改进|整改)(?:情况|措施)",
    r"其他需要报告的事项",
)
# The canonical keywords plus pre-2019 and local variants (docs/formats.md#skeleton, #pre2019).
_EXTENDED = (
    _CANONICAL[0] + r"|概况",
    r"(?:政府信息)?主动公开(?:政府信息)?(?:工作)?(?:的)?情况",
    _CANONICAL[2] + r"|依申请公开(?:政府信息)?(?:工作)?(?:的)?(?:情况)?",
    r"行政复议[^。；;，,]{0,12}?(?:诉讼|申诉)(?:(?:和|及|与|、)[^\s\d，。；,;]{0,6}?(?:申诉|投诉))?(?:的)?(?:情况)?",
    r"(?:存在(?:的)?(?:主要)?)?问题(?:及|和|与)[^\s\d，。；,;]{0,8}?(?:改进|整改|打算|计划|措施)(?:情况|措施)?"
    r"|存在(?:的)?(?:主要)?问题",
    r"其他(?:需要)?(?:报告|说明)的?事项",
)
_ENUMERATOR = r"[一二三四五六七八九十]{1,2}\s*[、.．]|\d{1,2}\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]"
_PREFIX = r"[^\s\d，。；,;：:、()（）]{0,14}?"  # "政府信息公开工作" in "五、政府信息公开工作存在的主要问题…"
_CN_NUMERAL = "一二三四五六七八九十〇○零"
_MARKUP = re.compile(r"^[#>*\s]*")  # Markdown heading and emphasis marks before a heading
_STYLES = ("dun", "arabic", "paren", "none")  # 一、 | 1、 1. | （一） | no enumerator

_ORG_SUFFIX = r"(?:人民政府|办事处|委员会|管委会|办公厅|办公室|政府|局|委|厅|办|中心|院|所|站)"
_DATE = (
    r"(?:(?:19|20)\d{2}|[二〇○零一三四五六七八九]{4})年"
    r"[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日"
)
_DATE_LINE = re.compile(rf"^{_DATE}$")
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,40}}{_ORG_SUFFIX}$")
# An organ and a date ending a one-line scrape: "…无其他需要报告的事项。 平潭综合实验区海坛片区管理局 2020年1月2日".
_INLINE_SIGNATURE = re.compile(rf"(?<=[\s。])[\u4e00-\u9fff（）()]{{2,40}}?{_ORG_SUFFIX}\s*{_DATE}\s*$")
_SIGNATURE_TAIL = 6  # lines of web-page chrome allowed after the signature date ("文件下载:", "关联文件:")


@dataclass(frozen=True)
class Line:
    """One printed line of a section, or the part of a line between two headings printed inside it."""

    text: str  # cells joined with tabs, outer whitespace stripped
    row_locator: str  # the row it came from, e.g. "line 48"
    span: tuple[int, int] | None = None  # character span inside the row when the row was split
    table: bool = False  # a table row: a grid row, several cells, or a lone value

    @property
    def locator(self) -> str:
        """The row locator, with the character span when the row was split: "line 10 chars 377-900"."""
        if self.span is None:
            return self.row_locator
        return f"{self.row_locator} chars {self.span[0] + 1}-{self.span[1]}"


@dataclass(frozen=True)
class Section:
    """One section of a report (docs/formats.md#skeleton); ``lines`` keeps its body lines with their locators."""

    section_key: str
    heading: str
    text: str
    order_index: int
    locator: str
    lines: tuple[Line, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class _Unit:
    """A non-empty row: its text (cells joined with tabs) and whether it can hold a heading."""

    row: Row
    text: str
    table: bool
    heading_capable: bool


@dataclass(frozen=True)
class _Candidate:
    """A place where a section may start: a heading at characters start..end of a unit."""

    unit: int
    start: int
    end: int
    key: int  # index into SECTION_KEYS
    style: str
    whole_line: bool  # the heading is the whole row


@dataclass(frozen=True)
class _Mark:
    """Where a section starts in the unit stream; a signature mark has an empty heading (start == end)."""

    unit: int
    start: int
    end: int
    section_key: str
    whole_line: bool


def _heading_patterns(keywords: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?P<enum>{_ENUMERATOR})?\s*{_PREFIX}(?:{kw})") for kw in keywords)


def _inline_patterns(keywords: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """A numbered "一、" heading printed inside a longer line (web scrapes with the whole report on one line)."""
    return tuple(
        re.compile(rf"(?<![{_CN_NUMERAL}])(?P<enum>[一二三四五六七八九十]{{1,2}}\s*、)\s*{_PREFIX}(?:{kw})")
        for kw in keywords
    )


_PATTERN_SETS = {
    "canonical": (_heading_patterns(_CANONICAL), _inline_patterns(_CANONICAL)),
    "extended": (_heading_patterns(_EXTENDED), _inline_patterns(_EXTENDED)),
}


def _is_heading(norm: str) -> bool:
    """A short line with no sentence inside it (the rule of ``parser.is_heading``)."""
    return len(norm) <= 40 and "。" not in norm.rstrip("。")


def _style(enum: str | None) -> str:
    if not enum:
        return "none"
    if enum[0] in "(（":
        return "paren"
    return "arabic" if enum[0].isdigit() else "dun"


def _units(rows: Iterable[Row]) -> list[_Unit]:
    units = []
    for row in rows:
        texts = [cell.text for cell in row.cells if not cell.covered]
        text = "\t".join(texts)
        norm = squash(text)
        if not norm:
            continue
        filled = sum(1 for t in texts if squash(t))
        lone_value = read_squashed(norm).status in ("number", "zero")
        units.append(_Unit(row, text, table=row.grid or filled > 1 or lone_value, heading_capable=filled == 1))
    return units


def _line_candidates(
    index: int, unit: _Unit, patterns: tuple[re.Pattern[str], ...], allow_none: bool
) -> list[_Candidate]:
    """A heading at the start of a short line: the whole line, or the heading part when body text follows it."""
    markup = _MARKUP.match(unit.text)  # the pattern matches every string (possibly empty)
    lead = len(markup.group(0)) if markup else 0
    body = unit.text[lead:]
    for key, pattern in enumerate(patterns):
        match = pattern.match(body)
        if not match:
            continue
        style = _style(match["enum"])
        rest = squash(body[match.end() :])
        if style == "none":
            if allow_none and rest in ("", ":"):
                return [_Candidate(index, 0, len(unit.text), key, style, True)]
            continue
        if not rest or not (rest[0].isalnum()):
            return [_Candidate(index, 0, len(unit.text), key, style, True)]
        return [_Candidate(index, lead, lead + match.end(), key, style, False)]
    return []


def _inline_candidates(index: int, unit: _Unit, patterns: tuple[re.Pattern[str], ...]) -> list[_Candidate]:
    found = []
    for key, pattern in enumerate(patterns):
        found += [_Candidate(index, m.start(), m.end(), key, "dun", False) for m in pattern.finditer(unit.text)]
    return found


def _candidates(units: list[_Unit], pattern_set: str) -> list[_Candidate]:
    """Every place a section heading may start, in reading order."""
    line_patterns, inline_patterns = _PATTERN_SETS[pattern_set]
    found: list[_Candidate] = []
    for index, unit in enumerate(units):
        if not unit.heading_capable:
            continue
        line = (
            _line_candidates(index, unit, line_patterns, pattern_set == "canonical")
            if _is_heading(squash(unit.text))
            else []
        )
        found += line or _inline_candidates(index, unit, inline_patterns)
    return sorted(found, key=lambda c: (c.unit, c.start, c.key))


def _accept(candidates: list[_Candidate], style: str) -> list[_Candidate]:
    """Headings of one style whose sections come in order: each one's key is above the previous one's."""
    accepted: list[_Candidate] = []
    for candidate in candidates:
        if candidate.style != style:
            continue
        if accepted and (
            candidate.key <= accepted[-1].key
            or (candidate.unit == accepted[-1].unit and candidate.start < accepted[-1].end)
        ):
            continue
        accepted.append(candidate)
    return accepted


def _headings(units: list[_Unit]) -> list[_Candidate]:
    """The accepted headings of the best style and keyword set (canonical first on ties).

    Best means opening with section 一 (top-level headings come before their sub-headings), then the most
    sections: with "一、" headings whose later ones were lost, "（二）依申请公开情况" sub-headings still lose.
    """
    best: list[_Candidate] = []
    best_score = (False, 0)
    for pattern_set in ("canonical", "extended"):
        candidates = _candidates(units, pattern_set)
        for style in _STYLES:
            accepted = _accept(candidates, style)
            score = (bool(accepted) and accepted[0].key == 0, len(accepted))
            if score > best_score:
                best, best_score = accepted, score
    return best


def _piece(unit: _Unit, start: int, end: int) -> Line:
    """The part start..end of a split unit, trimmed, with its trimmed character span."""
    text = unit.text[start:end]
    lead = len(text) - len(text.lstrip())
    trimmed = text.strip()
    return Line(trimmed, unit.row.locator, (start + lead, start + lead + len(trimmed)), unit.table)


def _pieces(units: list[_Unit], marks: list[_Mark]) -> Iterator[tuple[_Mark | None, Line | None]]:
    """Lines in reading order: (mark, heading line or None) where a section starts, (None, line) for body lines."""
    by_unit: dict[int, list[_Mark]] = {}
    for mark in marks:
        by_unit.setdefault(mark.unit, []).append(mark)
    for index, unit in enumerate(units):
        unit_marks = by_unit.get(index)
        if not unit_marks:
            yield None, Line(unit.text.strip(), unit.row.locator, None, unit.table)
            continue
        if unit_marks[0].whole_line:
            yield unit_marks[0], Line(unit.text.strip(), unit.row.locator)
            continue
        position = 0
        for mark in unit_marks:
            if squash(unit.text[position : mark.start]):
                yield None, _piece(unit, position, mark.start)
            yield mark, (_piece(unit, mark.start, mark.end) if mark.end > mark.start else None)
            position = mark.end
        if squash(unit.text[position:]):
            yield None, _piece(unit, position, len(unit.text))


def _marks(units: list[_Unit], headings: list[_Candidate]) -> list[_Mark]:
    """Section starts: the accepted headings, plus a signature ending the last line after the last heading."""
    marks = [_Mark(h.unit, h.start, h.end, SECTION_KEYS[h.key], h.whole_line) for h in headings]
    if not marks or not units:
        return marks
    last, unit = len(units) - 1, units[-1]
    begin = marks[-1].end if marks[-1].unit == last else 0
    if unit.table or (marks[-1].unit == last and marks[-1].whole_line):
        return marks
    match = _INLINE_SIGNATURE.search(unit.text, begin)
    if match:
        marks.append(_Mark(last, match.start(), match.start(), SIGNATURE, False))
    return marks


def _span_locator(first: Line, last: Line) -> str:
    """'lines 12-40' for text lines; a character range when everything lies in one split row."""
    if first.row_locator == last.row_locator:
        if first.span is None or last.span is None:  # a whole row: not split, so first is last
            return first.row_locator
        return f"{first.row_locator} chars {first.span[0] + 1}-{last.span[1]}"
    numbers = [re.fullmatch(r"line (\d+)", line.row_locator) for line in (first, last)]
    if numbers[0] and numbers[1]:
        return f"lines {numbers[0].group(1)}-{numbers[1].group(1)}"
    return f"{first.row_locator} to {last.row_locator}"


def _section(key: str, heading: Line | None, body: list[Line], order_index: int) -> Section:
    span = ([heading] if heading else []) + body
    return Section(
        key,
        heading.text if heading else "",
        "\n".join(line.text for line in body),
        order_index,
        _span_locator(span[0], span[-1]),
        tuple(body),
    )


def _signature_start(body: list[Line]) -> int | None:
    """Where a trailing signature starts: an organ line and/or a date line near the end of the last section."""
    for index in range(len(body) - 1, max(-1, len(body) - 2 - _SIGNATURE_TAIL), -1):
        if not _DATE_LINE.match(squash(body[index].text)):
            continue
        if not all(_is_heading(squash(line.text)) for line in body[index + 1 :]):
            return None
        if index > 0 and _ORG_LINE.match(squash(body[index - 1].text)):
            return index - 1
        return index
    return None


def split_sections(rows: list[Row]) -> list[Section]:
    """Split a report's rows into preamble, the sections found among s1…s6, and a trailing signature."""
    units = _units(rows)
    marks = _marks(units, _headings(units))
    parts: list[tuple[str, Line | None, list[Line]]] = [(PREAMBLE, None, [])]
    for mark, line in _pieces(units, marks):
        if mark is None:
            assert line is not None  # _pieces yields a line with every body piece
            parts[-1][2].append(line)
        else:
            parts.append((mark.section_key, line, []))
    if len(parts) > 1 and parts[-1][0] != SIGNATURE:
        key, heading_line, body = parts[-1]
        start = _signature_start(body)
        if start is not None:
            parts[-1] = (key, heading_line, body[:start])
            parts.append((SIGNATURE, None, body[start:]))
    if not parts[0][2]:
        parts.pop(0)
    return [_section(key, heading, body, order) for order, (key, heading, body) in enumerate(parts)]
