"""Table 三: applications received and how they were handled (25 rows x 7 columns; 23 rows in 2019)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from gongkai import keys
from gongkai.parsing.cells import ParsedCell, missing_cells, row_cells
from gongkai.parsing.fitting import Fit, Span, complete_grid_row, fit_row
from gongkai.parsing.tokens import Kind, Token, starts_new_run

# Leaf rows by keyword, checked in this order (docs/formats.md#normalisation). The first match wins.
_LEAF_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("carried_out", r"结转下一?年度?继续办理|结转下年"),
        ("new_received", r"本年新收"),
        ("carried_in", r"上年结转"),
        ("partly_granted", r"部分公开"),
        ("granted", r"(?<!不)予以公开"),
        ("denied_state_secret", r"国家秘密"),
        ("denied_law_prohibited", r"禁止公开"),
        ("denied_security_stability", r"三安全"),
        ("denied_third_party", r"第三方"),
        ("denied_internal_affairs", r"内部事务"),
        ("denied_process_info", r"过程性"),
        ("denied_enforcement_file", r"执法案卷"),
        ("denied_admin_query", r"查询事项"),
        ("unable_not_held", r"不掌握"),
        ("unable_need_creation", r"另行制作"),
        ("unable_still_unclear", r"补正后"),
        ("noproc_petition", r"信访"),
        ("noproc_repeat", r"重复申请"),
        ("noproc_publication", r"出版物"),
        ("noproc_massive", r"大量反复"),
        ("noproc_confirm", r"确认或重新出具"),
        ("other_no_correction", r"不补正"),
        ("other_fee_unpaid", r"缴纳费用|收费通知"),
        ("outcome_total", r"总计"),
    )
)
_GROUPS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("outcome", re.compile(r"本年度?办理结果"), ()),
    ("denied", re.compile(r"不予公开"), keys.DENIED_ROWS),
    ("unable", re.compile(r"无法提供"), keys.UNABLE_ROWS),
    ("noproc", re.compile(r"不予处理"), keys.NOPROC_ROWS),
    ("other", re.compile(r"其他处理"), keys.OTHER_ROWS_2021),
)
_ENUMERATOR = re.compile(r"^(?P<n>\d{1,2})[.、．]")
_OTHER_MISC = re.compile(r"(?:^|3[.、．])其他$")  # "3.其他", "其他", "（六）其他处理3.其他"


@dataclass
class T3Result:
    cells: list[ParsedCell]
    warnings: list[tuple[str, str]] = field(default_factory=list)
    has_other_subrows: bool = False


@dataclass
class _Scan:
    """State while walking T3's tokens."""

    spans: dict[str, Span] = field(default_factory=dict)
    group_spans: dict[str, Span] = field(default_factory=dict)  # values printed right after a group label
    warnings: list[tuple[str, str]] = field(default_factory=list)
    group: str | None = None
    current: Span | None = None
    current_is_group: bool = False
    detached: set[str] = field(default_factory=set)  # rows whose values may belong to a neighbouring label


def _classify(norm: str, group: str | None) -> tuple[str, str] | None:
    """('leaf', row_key) or ('group', name) for a label, or None when it names no row."""
    for key, pattern in _LEAF_KEYWORDS:
        if pattern.search(norm):
            return "leaf", key
    if _OTHER_MISC.search(norm) and (group == "other" or "其他处理" in norm):
        return "leaf", "other_misc"
    for name, pattern, _rows in _GROUPS:
        if pattern.search(norm):
            return "group", name
    enumerated = _ENUMERATOR.match(norm)
    group_rows = dict((name, rows) for name, _p, rows in _GROUPS).get(group or "", ())
    if enumerated and 0 < int(enumerated["n"]) <= len(group_rows):
        return "leaf", group_rows[int(enumerated["n"]) - 1]
    return None


_BARE_ENUMERATOR = re.compile(
    r"^(?:\d{1,2}[.、．]?|[(（][一二三四五六七八九十]{1,2}[)）]"
    r"|[一二三四五六七八九十]{1,2}、)$"
)
_PUNCTUATION_ONLY = re.compile(r"^[“”\"'‘’「」『』、，,。:：;；]+$")


def join_label_pieces(tokens: list[Token]) -> list[Token]:
    """Labels wrapped over several lines read as one: "1." / "属于国家秘密" -> "1.属于国家秘密", "（六）" / "其他处理".

    A bare enumerator, or a piece of punctuation only, is joined to the label that follows it.
    """
    joined: list[Token] = []
    pending: Token | None = None
    for token in tokens:
        if token.kind is Kind.LABEL and pending is not None:
            token = replace(
                token,
                norm=pending.norm + token.norm,
                cell=replace(
                    token.cell, text=pending.cell.text.strip() + token.cell.text.strip(), locator=pending.cell.locator
                ),
            )
            pending = None
        elif pending is not None:
            joined.append(pending)
            pending = None
        if token.kind is Kind.LABEL and (_BARE_ENUMERATOR.match(token.norm) or _PUNCTUATION_ONLY.match(token.norm)):
            pending = token
            continue
        joined.append(token)
    if pending is not None:
        joined.append(pending)
    return joined


def _scan(tokens: list[Token]) -> _Scan:
    scan = _Scan()
    started = False
    for token in join_label_pieces(tokens):
        if token.kind is Kind.LABEL:
            match = _classify(token.norm, scan.group)
            if match is None:
                _continue_label(scan, token)
                continue
            kind, name = match
            started = started or (kind, name) != ("leaf", "outcome_total")  # 总计 is also a column header
            if not started:
                continue
            _open_span(scan, kind, name, token)
        elif started and scan.current is not None:
            scan.current.slots.append(token)
    return scan


def _continue_label(scan: _Scan, token: Token) -> None:
    """A label naming no row: a wrapped label before the values, otherwise text to ignore."""
    if scan.current is not None and not scan.current.values:
        scan.current.label_text += token.cell.text.strip()
    else:
        scan.current, scan.current_is_group = None, False  # values after it belong to no known row


def _open_span(scan: _Scan, kind: str, name: str, token: Token) -> None:
    span = Span(token, token.cell.text.strip())
    if kind == "group":
        scan.group = name
        scan.group_spans[name] = span
        scan.current, scan.current_is_group = span, True
        return
    if name in ("new_received", "carried_in", "outcome_total", "carried_out"):
        scan.group = None
    else:  # "（六）其他处理1.申请人…" in one label: the group is named too
        scan.group = next((g for g, pattern, _rows in _GROUPS if pattern.search(token.norm)), scan.group)
    if name in scan.spans and scan.current is scan.spans[name] and not scan.current.values:
        # a wrapped piece of the same label: "危及" / "三安全一稳定"
        scan.current.label_text += token.cell.text.strip()
        return
    if name in scan.spans:
        scan.warnings.append(("DUPLICATE_ROW", f"T3 row {name} printed twice; kept the first ({token.cell.locator})"))
        scan.current, scan.current_is_group = None, False
        return
    previous = scan.current
    if previous is not None and not previous.values and complete_grid_row(previous, len(keys.T3_COLS)) is None:
        if scan.current_is_group:
            span.label_text = f"{previous.label_text} {span.label_text}"  # "（三）不予公开 1.属于国家秘密"
        else:
            # Two row labels with no values between them: the values that follow may be either row's.
            scan.detached.update(row for row, s in scan.spans.items() if s is previous)
            scan.detached.add(name)
    scan.spans[name] = span
    scan.current, scan.current_is_group = span, False


def _runs(span: Span, row_has_value: list[bool]) -> list[Span]:
    """Split a group span's values into one span per printed row (a row without values separates them)."""
    runs: list[Span] = []
    previous: Token | None = None
    for token in span.slots:
        if token.kind is not Kind.VALUE:
            continue
        if starts_new_run(previous, token, row_has_value):
            runs.append(Span(span.label, span.label_text))
        runs[-1].slots.append(token)
        previous = token
    return runs


def _assign_group_values(scan: _Scan, row_has_value: list[bool]) -> None:
    """Rows printed without their sub-labels (seed 003): assign the value rows by position within the group."""
    group_rows = {name: rows for name, _p, rows in _GROUPS}
    for name, span in scan.group_spans.items():
        if (
            name == "other"
            and not any(row in scan.spans for row in keys.OTHER_ROWS_2021)
            and complete_grid_row(span, len(keys.T3_COLS)) is not None
        ):
            scan.spans[keys.OTHER_ROW_2019] = span  # （六）其他处理 printed as one row of its own (blanks too)
            continue
        if not span.values:
            continue
        runs = _runs(span, row_has_value)
        rows = group_rows[name]
        if name == "other" and len(runs) == 1:
            rows = (keys.OTHER_ROW_2019,)
        if len(runs) != len(rows) or any(row in scan.spans for row in rows):
            scan.warnings.append(
                (
                    "ALIGNMENT_AMBIGUOUS",
                    f"T3 group {span.label_text}: {len(runs)} value rows for {len(rows)} rows without labels",
                )
            )
            continue
        if rows != (keys.OTHER_ROW_2019,):
            scan.warnings.append(("LABEL_MISSING", f"T3 group {span.label_text}: rows assigned by position"))
        for row, run in zip(rows, runs, strict=True):
            scan.spans[row] = run


def extract_t3(
    tokens: list[Token], row_has_value: list[bool], format_version: str, merged_lines: bool = False
) -> T3Result:
    """Cells of table 三 from the tokens of its region."""
    scan = _scan(tokens)
    _assign_group_values(scan, row_has_value)
    if not scan.spans:
        return T3Result([], [("TABLE_NOT_FOUND", "table 三 has no recognisable rows")])
    has_subrows = any(row in scan.spans for row in keys.OTHER_ROWS_2021)
    single_other = keys.OTHER_ROW_2019 in scan.spans and not has_subrows
    rows = keys.T3_ROWS_2019 if (single_other or format_version == keys.FMT2019) else keys.T3_ROWS_2021
    result = T3Result([], scan.warnings, has_other_subrows=has_subrows)
    for row in rows:
        span = scan.spans.get(row)
        if span is None:
            result.cells.extend(missing_cells("T3", row, keys.T3_COLS))
            result.warnings.append(("CELL_MISSING", f"T3 row {row} not found"))
            continue
        fit = fit_row(span, len(keys.T3_COLS), group=len(keys.T3_COLS), what=f"T3 row {row}", merged_lines=merged_lines)
        if row in scan.detached:
            fit = Fit(None, 0.0, ("LABEL_DETACHED", f"T3 row {row}: its label and values are not adjacent"))
        if fit.warning:
            result.warnings.append(fit.warning)
        result.cells.extend(row_cells("T3", row, keys.T3_COLS, span, fit))
    return result
