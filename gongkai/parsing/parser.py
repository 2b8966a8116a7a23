"""Document -> canonical report: metadata, format, and the cells of tables 二, 三 and 四."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import keys
from gongkai.ingest.hints import SourceHints
from gongkai.parsing import metadata
from gongkai.parsing.cells import ParsedCell
from gongkai.parsing.fuzzy import allowed_typos, edit_distance
from gongkai.parsing.narrative import NarrativeFact, extract_narrative_facts
from gongkai.parsing.sections import Section, split_sections
from gongkai.parsing.t2 import FORMAT_CUES, extract_t2
from gongkai.parsing.t3 import extract_t3
from gongkai.parsing.t4 import extract_t4
from gongkai.parsing.tokens import Kind, Token, identical_lines_merged, tokenize
from gongkai.readers.document import Document

PARSER_VERSION = "text-0.2.1"  # 0.2: regions resolved, sections and narrative facts; 0.2.1: no T4 without header

_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.]|\([一二三四五六七八九十\d]+\))")
_T2_CAPTION = re.compile(r"^第二十条")
_T3_ANCHOR = re.compile(r"[勾钩]稽关系|^申请人情况$|本年新收")
_OTHER_SUBROW_CUES = ("不补正", "缴纳费用", "收费通知")
_CLOSING_SECTIONS = re.compile(r"存在的?主要?问题|其他需要报告的事项")
_T4_HEADER = re.compile(r"维持|纠正|审结")  # words of T4's column header (keys.T4_COL_LABELS)
_CERTAIN_STATUSES = frozenset({"number", "zero", "blank", "placeholder"})


@dataclass
class ParsedReport:
    """What the parser made of one document; file-level fields and the region are added by the caller."""

    title: str | None
    publisher: str | None
    publisher_source: str | None
    signature: str | None  # the organ as signed at the end, if any
    text: str  # the document's text, one line per row (what the region resolver reads beyond the fields above)
    org_type: str | None
    printed_level: str | None  # the publisher's level as far as its printed name tells (gongkai.parsing.metadata)
    report_year: int | None
    year_source: str | None
    published_on: str | None
    format_version: str
    parse_status: str
    cells: list[ParsedCell]
    sections: list[Section] = field(default_factory=list)
    narrative: list[NarrativeFact] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    parser_version: str = PARSER_VERSION


def is_heading(norm: str) -> bool:
    """A short line with no sentence inside it, e.g. '五、存在的主要问题及改进情况'."""
    return len(norm) <= 40 and "。" not in norm.rstrip("。")


def _first(tokens: list[Token], start: int, test) -> int | None:
    return next((i for i in range(start, len(tokens)) if tokens[i].kind is Kind.LABEL and test(tokens[i].norm)), None)


@dataclass(frozen=True)
class _Regions:
    t2: tuple[int, int] | None
    t3: tuple[int, int] | None
    t4: tuple[int, int] | None


def _is_t4_heading(norm: str) -> bool:
    """T4's own heading or its first header cell, also with one character misprinted ("行政法复议")."""
    if norm == "行政复议" or ("行政复议" in norm and "行政诉讼" in norm and is_heading(norm)):
        return True
    return len(norm) <= 6 and edit_distance(norm, "行政复议", allowed_typos("行政复议")) <= allowed_typos("行政复议")


def _locate(tokens: list[Token]) -> _Regions:
    """Where each table's tokens are: anchored on the tables' own captions and header text.

    T4 ends at the first closing section heading after its values: a heading misplaced among T4's header cells
    (as some scrapes print it) does not cut the table off. Without a T4 column header (维持, 纠正, 审结) before
    its first value there is no table: the heading of section 四 is followed by text, and a "无" of section 五
    or 六 is not read as its 15 cells.
    """
    t2_start = _first(tokens, 0, lambda n: len(n) < 30 and bool(_T2_CAPTION.match(n)))
    t3_start = _first(tokens, t2_start or 0, lambda n: len(n) < 80 and bool(_T3_ANCHOR.search(n)))
    after_t3 = t3_start if t3_start is not None else (t2_start or 0)
    t4_start = _first(tokens, after_t3, _is_t4_heading)
    t4_end = None
    if t4_start is not None:
        first_value = next((i for i in range(t4_start, len(tokens)) if tokens[i].kind is Kind.VALUE), t4_start)
        has_header = any(
            tokens[i].kind is Kind.LABEL and _T4_HEADER.search(tokens[i].norm) for i in range(t4_start, first_value)
        )
        t4_end = _first(
            tokens,
            first_value if has_header else t4_start,
            lambda n: bool(_CLOSING_SECTIONS.search(n)) and is_heading(n),
        )
    end = len(tokens)
    t2 = (t2_start, t3_start or t4_start or end) if t2_start is not None else None
    t3 = (t3_start, t4_start or end) if t3_start is not None else None
    t4 = (t4_start, t4_end or end) if t4_start is not None else None
    return _Regions(t2, t3, t4)


def _detect_format(t2_text: str, t3_text: str, year: int | None, has_tables: bool, meta: metadata.ReportMeta) -> str:
    """From the tables' headers (docs/formats.md#structure-rules, S_FORMAT_DETECT), never from the year alone.

    A document about reports (a notice, a guide, a news item, a list) is ``not_a_report``, and so is a blank
    template (the format's tables with no organ, no year); a report of 2018 or before whose tables show neither
    national format is ``pre2019``.
    """
    if meta.kind in ("notice", "guide", "news"):
        return keys.NOT_A_REPORT
    if any(cue in t2_text for cue in FORMAT_CUES[keys.FMT2019]) or "第二十条第(九)项" in t2_text:
        return keys.FMT2019
    if any(cue in t2_text for cue in FORMAT_CUES[keys.FMT2021]) or any(c in t3_text for c in _OTHER_SUBROW_CUES):
        return keys.FMT2021
    if year is not None and year <= 2018:
        return keys.PRE2019
    if not has_tables and not meta.looks_like_report:
        return keys.NOT_A_REPORT
    return keys.UNKNOWN


def _is_blank_template(cells: list[ParsedCell], meta: metadata.ReportMeta) -> bool:
    """The format's tables with every cell blank, and no organ and no year: the national template, not a report."""
    return (
        bool(cells)
        and meta.publisher is None
        and meta.report_year is None
        and all(c.value is None and c.value_status in ("blank", "placeholder", "missing") for c in cells)
    )


def _joined(tokens: list[Token], region: tuple[int, int] | None) -> str:
    return "".join(t.norm for t in tokens[region[0] : region[1]]) if region else ""


def parse_document(document: Document, hints: SourceHints | None = None) -> ParsedReport:
    """Parse one report document into metadata, canonical cells, sections and narrative facts.

    ``hints`` (a URL manifest's columns): the publisher and the year are used only when the report prints none
    (``publisher_source`` / ``year_source`` ``manifest``), and a year that disagrees with the report's is a warning.
    The region is not resolved here: the caller resolves it from what this returns (gongkai.staging.report_region).
    """
    hints = hints or SourceHints()
    rows = list(document.rows())
    tokens, row_has_value = tokenize(document)
    meta = metadata.read_meta(rows)
    regions = _locate(tokens)
    fmt = _detect_format(
        _joined(tokens, regions.t2),
        _joined(tokens, regions.t3),
        meta.report_year,
        any((regions.t2, regions.t3, regions.t4)),
        meta,
    )
    cells: list[ParsedCell] = []
    warnings: list[tuple[str, str]] = list(document.warnings)
    if fmt in (keys.FMT2021, keys.FMT2019, keys.UNKNOWN):
        table_span = [r for r in (regions.t2, regions.t3, regions.t4) if r]
        merged = bool(table_span) and identical_lines_merged(tokens[table_span[0][0] : table_span[-1][1]])
        if merged:
            warnings.append(
                (
                    "MERGED_LINES",
                    "identical consecutive lines appear printed once; runs expanded only "
                    "where the row allows one reading",
                )
            )
        for name, region in (("二", regions.t2), ("三", regions.t3), ("四", regions.t4)):
            if region is None:
                warnings.append(("TABLE_NOT_FOUND", f"table {name} not found"))
        if regions.t2:
            t2 = extract_t2(tokens[slice(*regions.t2)], fmt, merged)
            cells += t2.cells
            warnings += t2.warnings
        if regions.t3:
            t3 = extract_t3(tokens[slice(*regions.t3)], row_has_value, fmt, merged)
            cells += t3.cells
            warnings += t3.warnings
        if regions.t4:
            t4_cells, t4_warnings = extract_t4(tokens[slice(*regions.t4)], merged)
            cells += t4_cells
            warnings += t4_warnings
    warnings += [
        ("YEAR_EVIDENCE_DISAGREES", f"year {meta.report_year} from the {meta.year_source}; {other}")
        for other in meta.year_warnings
    ]
    if _is_blank_template(cells, meta):
        fmt, cells = keys.NOT_A_REPORT, []
        warnings.append(("BLANK_TEMPLATE", "every table cell is blank and no organ or year is printed"))
    for code, detail in (
        ("TITLE_NOT_FOUND", meta.title),
        ("PUBLISHER_NOT_FOUND", meta.publisher),
        ("YEAR_NOT_FOUND", meta.report_year),
    ):
        if detail is None:
            warnings.append((code, ""))
    publisher, publisher_source = (
        (meta.publisher, meta.publisher_source)
        if meta.publisher or not hints.publisher
        else (hints.publisher, "manifest")
    )
    year, year_source = (
        (meta.report_year, meta.year_source) if meta.report_year or not hints.year else (hints.year, "manifest")
    )
    if hints.year and meta.report_year and hints.year != meta.report_year:
        warnings.append(
            (
                "YEAR_HINT_DISAGREES",
                f"year {meta.report_year} from the {meta.year_source}; the manifest says {hints.year}",
            )
        )
    sections = split_sections(rows)
    return ParsedReport(
        title=meta.title,
        publisher=publisher,
        publisher_source=publisher_source,
        signature=meta.signature,
        text="\n".join(r.text for r in rows),
        org_type=metadata.org_type(publisher),
        printed_level=metadata.admin_level(metadata.region_parts(publisher)),
        report_year=year,
        year_source=year_source,
        published_on=meta.published_on,
        format_version=fmt,
        parse_status=_status(cells, warnings),
        cells=cells,
        sections=sections,
        narrative=extract_narrative_facts(rows, sections),
        warnings=warnings,
    )


def _status(cells: list[ParsedCell], warnings: list[tuple[str, str]]) -> str:
    if not cells:
        return "no_tables"
    if any(code == "TABLE_NOT_FOUND" for code, _ in warnings) or any(
        c.value_status not in _CERTAIN_STATUSES for c in cells
    ):
        return "partial"
    return "complete"
