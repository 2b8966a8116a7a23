"""Numbers the narrative states: applications, outcomes, review, litigation, fees (docs/formats.md#narrative-facts,
#narrative-rules).

Facts come only from narrative text, never from tables. Sections 二/三/四 are skipped when they hold one of
the fixed 2019+ tables (they are tables plus captions); pre-2019 reports have no such table, so all their
sections are read. Table rows (grid rows, tab-separated cells, lone values) and an annex statistics table
("附件1：…统计表", "附表：…") printed inside a one-line scrape are never read.

Lines of a paragraph are joined before matching, because PDF text wraps mid-sentence ("不予公开答复 2" /
"件"); a short line (a heading or a label) ends a clause instead. A clause is the text between ，。；！？
marks; each fact keeps its clause as a rule's evidence.
"依申请公开信息3条" counts website items, not applications (N_APP_ITEMS_AMBIGUITY), so application
patterns require a verb of receiving (收到/受理…) and the word 申请.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from gongkai.parsing.sections import Line, Section, split_sections
from gongkai.readers.document import Row
from gongkai.text import squash

NONE_STATED = "none_stated"
APPROX_SUFFIX = "_approx"

# Sections read for every report; 二/三/四 too unless they hold a fixed table.
_NARRATIVE_SECTIONS = frozenset({"preamble", "s1_overview", "s5_problems", "s6_other"})
_TABLE_SECTIONS = frozenset({"s2_active", "s3_requests", "s4_review_litigation"})
_FIXED_TABLE_CUES = re.compile(r"第二十条|[勾钩]稽关系|申请人情况|本年新收|尚未审结|复议后起诉|本年制发件数")
_ANNEX = re.compile(r"附(?:件\s*\d*|表\s*\d*)\s*[：:]")
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
_WRAPPED = 20  # a line this long (or longer) that ends mid-sentence wrapped: join it to the next line
_SPACE = re.compile(r"\s")

# Pieces of the patterns, matched on a clause without whitespace and with fullwidth forms folded (NFKC).
_NUM = r"(?<![\d.])(?P<num>\d+(?:\.\d+)?|[零〇○一二两三四五六七八九十百]{1,4})"
_APPROX = r"(?P<approx>余|多)?"
_COUNT = r"(?:件|个|份|条|宗|起|次)"
_GAP = r"[^,;:。\d]"  # filler inside one clause, no digits
_APP_NOUN = r"(?:(?:政府信息公开|信息公开|依申请公开)?申请)"
_RECEIVE = r"(?:收到|受理|接到|接收)"
_NEGATION = r"(?P<neg>没有|尚未|未|无)"
_NOT_APPLICATIONS = re.compile(r"复议|诉讼|起诉")  # a clause about review or litigation, not applications
_ADMIN_FEE = re.compile(r"事业性收费")  # 行政事业性收费 is not 信息处理费 (docs/formats.md#legal-basis)


@dataclass(frozen=True)
class NarrativeFact:
    """A number (or a "none" statement) the narrative states, with the clause it came from."""

    fact_key: str
    value: Decimal | None
    value_raw: str  # the number as printed; for a none statement the negation word (未/没有/无)
    unit: str | None
    sentence: str  # the clause, verbatim (line breaks of wrapped text removed)
    section_key: str | None
    locator: str  # the line holding the number (or the negation)
    pattern: str


@dataclass(frozen=True)
class _Pattern:
    keys: tuple[str, ...]  # fact keys the match gives (a joint "行政复议和行政诉讼均为0件" gives two)
    name: str
    regex: re.Pattern[str]
    guard: re.Pattern[str] | None = None  # skip the clause when this matches it


def _p(keys: str | tuple[str, ...], name: str, regex: str, guard: re.Pattern[str] | None = None) -> _Pattern:
    return _Pattern(keys if isinstance(keys, tuple) else (keys,), name, re.compile(regex), guard)


# Count patterns, in priority order: a number taken by one pattern is not read again by a later one.
_COUNT_PATTERNS = (
    _p(
        "apps_carried_in",
        "apps_carried_in",
        rf"上一?年度?结转(?:的)?{_APP_NOUN}?(?:数量|数)?(?:为|共)?{_NUM}{_APPROX}(?P<unit>件)",
    ),
    _p(
        "apps_carried_out",
        "apps_carried_out",
        rf"(?:结转|顺延|转)(?:到|至)?下一?年度?(?:继续)?(?:办理|答复|处理)*(?:的)?(?:申请)?(?:有|共|为)?"
        rf"{_NUM}{_APPROX}(?P<unit>件)",
    ),
    _p(
        "apps_carried_out",
        "apps_carried_out_num_first",
        rf"{_NUM}{_APPROX}(?P<unit>件)(?:申请)?{_GAP}{{0,12}}?(?:结转|顺延|转)(?:到|至)?下一?年度?",
    ),
    _p(
        "apps_answered",
        "apps_answered",
        rf"(?<!公开)(?<!予以)(?:答复|办结)(?:了)?{_APP_NOUN}?(?:共|总数|数量|数)?(?:为|达|计)?{_NUM}{_APPROX}(?P<unit>件)",
    ),
    _p(
        "apps_granted",
        "apps_granted",
        rf"(?<!不)(?:予以|同意)公开(?:答复)?(?:的)?(?:申请)?(?:有|共|为)?{_NUM}{_APPROX}(?P<unit>件)",
    ),
    _p(
        "apps_partly_granted",
        "apps_partly_granted",
        rf"(?<![及和、与])部分公开(?:答复)?(?:的)?(?:有|共|为)?{_NUM}{_APPROX}(?P<unit>件)",
    ),
    _p(
        "apps_denied",
        "apps_denied",
        rf"(?:不予公开|不同意公开|否决公开)(?:答复)?(?:的)?(?:有|共|为)?{_NUM}{_APPROX}(?P<unit>件)",
    ),
    _p(
        ("review_cases", "litigation_cases"),
        "review_litigation_joint",
        rf"行政复议(?:和|及|与|、|或)(?:提起)?行政诉讼(?:案件)?(?:均|都|各)?(?:为|共)?{_NUM}(?P<unit>件)",
    ),
    _p(
        "review_cases",
        "review_cases",
        rf"行政复议(?:申请|案件)?(?:共|数|数量)?(?:为|共|计|有)?{_NUM}{_APPROX}(?P<unit>{_COUNT})",
    ),
    _p(
        "litigation_cases",
        "litigation_cases",
        rf"(?:行政)?(?:诉讼|起诉)(?:案件)?(?:共|数|数量)?(?:为|共|计|有)?{_NUM}{_APPROX}(?P<unit>{_COUNT})",
    ),
    _p("review_cases", "review_cases_num_first", rf"{_NUM}{_APPROX}(?P<unit>件|起|宗){_GAP}{{0,16}}?行政复议"),
    _p(
        "litigation_cases",
        "litigation_cases_num_first",
        rf"{_NUM}{_APPROX}(?P<unit>件|起|宗){_GAP}{{0,16}}?行政(?:诉讼|起诉)",
    ),
    _p(
        "apps_received",
        "apps_received",
        rf"{_RECEIVE}(?:了)?{_GAP}{{0,16}}?{_APP_NOUN}(?:共|总数|数量|数)?(?:为|达|计|共)?{_NUM}{_APPROX}"
        rf"(?P<unit>件|个|份|条)",
        _NOT_APPLICATIONS,
    ),
    _p(
        "apps_received",
        "apps_received_num_first",
        rf"{_RECEIVE}(?:了)?{_NUM}{_APPROX}(?P<unit>件|个|份){_GAP}{{0,8}}?申请",
        _NOT_APPLICATIONS,
    ),
    _p(
        "fees_collected",
        "fees_collected",
        rf"(?:信息处理费|处理费|检索费|复制费|邮寄费|费用|收费)(?:金额|总额)?(?:共计|共|合计|计|为)*{_NUM}{_APPROX}"
        r"(?P<unit>万元|元)",
        _ADMIN_FEE,
    ),
    _p(
        "proactive_items",
        "proactive_items_cumulative",
        rf"累计主动公开(?:了)?{_GAP}{{0,8}}?信息(?:数|总数|数量)?(?:共|为|达|计)?{_NUM}{_APPROX}(?P<unit>条|件|项)",
    ),
    _p(
        "proactive_items",
        "proactive_items",
        rf"(?<!法定)(?<!应)主动公开(?:了)?{_GAP}{{0,8}}?信息(?:数|总数|数量)?(?:共|为|达|计)?{_NUM}{_APPROX}(?P<unit>条|件|项)",
    ),
    _p(
        "proactive_items",
        "proactive_items_published",
        rf"共(?:发布|公开)(?:政府)?信息公开(?:信息)?{_NUM}{_APPROX}(?P<unit>条|件)",
    ),
)

# "None" statements: value 0, pattern NONE_STATED.
_NONE_PATTERNS = (
    _p(
        "apps_received",
        NONE_STATED,
        rf"(?:(?P<neg>没有|尚未|未)(?:收到|受理|接到|接收|发生|产生|有)|(?P<neg2>无))(?:任何)?{_GAP}{{0,12}}?"
        rf"(?:信息公开|依申请公开|公开政府信息){_GAP}{{0,6}}?申请",
        _NOT_APPLICATIONS,
    ),
    _p("review_cases", NONE_STATED, rf"{_NEGATION}(?!经){_GAP}{{0,24}}?行政复议"),
    _p("litigation_cases", NONE_STATED, rf"{_NEGATION}(?!经){_GAP}{{0,30}}?(?:行政诉讼|行政起诉|提起诉讼)"),
    _p(
        "fees_collected",
        NONE_STATED,
        rf"{_NEGATION}(?:产生|收取|发生|有)?(?:任何)?{_GAP}{{0,12}}?(?:信息处理费|处理费|费用|收费)",
        _ADMIN_FEE,
    ),
)

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100}


def chinese_number(text: str) -> int | None:
    """A small Chinese numeral: '三' -> 3, '十二' -> 12, '二十' -> 20, '一百零五' -> 105; None if malformed."""
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            if _CN_DIGITS[char] == 0 and total and digit is None:
                continue  # the 零 of "一百零五" only marks a skipped place
            if digit is not None:
                return None  # two digits in a row: "一二" is not a number
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _number(raw: str) -> Decimal | None:
    if raw[0].isdigit():
        return Decimal(raw)
    value = chinese_number(raw)
    return None if value is None else Decimal(value)


def _fold(text: str) -> tuple[str, list[int]]:
    """The clause without whitespace and with fullwidth forms folded, and each kept character's offset."""
    chars, offsets = [], []
    for offset, char in enumerate(text):
        if _SPACE.match(char):
            continue
        folded = unicodedata.normalize("NFKC", char)
        chars.append(folded if len(folded) == 1 else char)
        offsets.append(offset)
    return "".join(chars), offsets


@dataclass(frozen=True)
class _Stream:
    """Consecutive narrative lines of one section joined into one text, with where each line starts."""

    text: str
    starts: list[int]
    lines: list[Line]
    section_key: str

    def locator(self, offset: int) -> str:
        return self.lines[bisect.bisect_right(self.starts, offset) - 1].locator


def _joined(run: list[Line]) -> tuple[str, list[int]]:
    """The lines as one text: a wrapped line runs on into the next; after a short line (a heading) a break."""
    text, starts = "", []
    for index, line in enumerate(run):
        if index:
            text += "" if len(squash(run[index - 1].text)) >= _WRAPPED else "\n"
        starts.append(len(text))
        text += line.text
    return text, starts


def _streams(section: Section) -> list[_Stream]:
    """Runs of non-table lines joined into one text each; an annex table ends the narrative."""
    lines = list(section.lines) or [
        Line(text, section.locator, None, "\t" in text) for text in section.text.split("\n") if text.strip()
    ]
    streams, run = [], []
    for line in lines + [None]:
        if line is not None and not line.table:
            run.append(line)
            continue
        if run:
            text, starts = _joined(run)
            annex = _ANNEX.search(text)
            streams.append(_Stream(text[: annex.start()] if annex else text, starts, run, section.section_key))
        run = []
    return streams


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) pieces between clause marks."""
    clauses, start = [], 0
    for mark in _CLAUSE_END.finditer(text):
        clauses.append((start, text[start : mark.start()]))
        start = mark.end()
    clauses.append((start, text[start:]))
    return [(offset, clause) for offset, clause in clauses if clause.strip()]


def _count_facts(stream: _Stream, offset: int, clause: str) -> list[tuple[int, NarrativeFact]]:
    folded, offsets = _fold(clause)
    taken: list[tuple[int, int]] = []
    facts = []
    for pattern in _COUNT_PATTERNS:
        if pattern.guard and pattern.guard.search(folded):
            continue
        for match in pattern.regex.finditer(folded):
            span = match.span("num")
            value = _number(match["num"])
            if value is None or any(s < span[1] and span[0] < e for s, e in taken):
                continue
            taken.append(span)
            name = pattern.name + (APPROX_SUFFIX if match.groupdict().get("approx") else "")
            position = offset + offsets[span[0]]
            facts += [
                (
                    position,
                    NarrativeFact(
                        key,
                        value,
                        match["num"],
                        match["unit"],
                        clause.strip(),
                        stream.section_key,
                        stream.locator(position),
                        name,
                    ),
                )
                for key in pattern.keys
            ]
    return facts


def _none_facts(stream: _Stream, offset: int, clause: str) -> list[tuple[int, NarrativeFact]]:
    folded, offsets = _fold(clause)
    facts = []
    for pattern in _NONE_PATTERNS:
        if pattern.guard and pattern.guard.search(folded):
            continue
        match = pattern.regex.search(folded)
        if match:
            group = "neg" if match["neg"] else "neg2"
            position = offset + offsets[match.start(group)]
            facts.append(
                (
                    position,
                    NarrativeFact(
                        pattern.keys[0],
                        Decimal(0),
                        match[group],
                        None,
                        clause.strip(),
                        stream.section_key,
                        stream.locator(position),
                        NONE_STATED,
                    ),
                )
            )
    return facts


def _is_narrative(section: Section) -> bool:
    if section.section_key in _NARRATIVE_SECTIONS:
        return True
    return section.section_key in _TABLE_SECTIONS and not _FIXED_TABLE_CUES.search(section.text)


def extract_narrative_facts(rows: list[Row], sections: list[Section] | None = None) -> list[NarrativeFact]:
    """The facts stated by the report's narrative, in reading order; ``sections`` defaults to split_sections."""
    facts: list[NarrativeFact] = []
    for section in sections if sections is not None else split_sections(rows):
        if not _is_narrative(section):
            continue
        for stream in _streams(section):
            found = []
            for offset, clause in _clauses(stream.text):
                found += _count_facts(stream, offset, clause) + _none_facts(stream, offset, clause)
            facts += [fact for _position, fact in sorted(found, key=lambda item: item[0])]
    return facts
