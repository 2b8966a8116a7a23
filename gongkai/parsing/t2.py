"""Table 二: proactive disclosure under 第二十条 (four blocks in 2021, five in 2019)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from gongkai import keys
from gongkai.parsing.cells import ParsedCell, missing_cells, row_cells
from gongkai.parsing.fitting import Span, fit_row
from gongkai.parsing.fuzzy import find_approx
from gongkai.parsing.tokens import Kind, Token
from gongkai.text import squash

_CAPTION = re.compile(r"^第二十条(?:第)?\(?第?(?P<n>[一五六八九])项?\)?")
_TABLE_OF_NUMERAL = {"一": "T2_1", "五": "T2_5", "六": "T2_6", "八": "T2_8", "九": "T2_9"}
_ROWS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("regulation", r"^规章"),
        ("normative_doc", r"^(?:行政)?规范性文件"),
        ("license", r"^行政许可"),
        ("other_external_service", r"^其他对外管理服务事项"),
        ("penalty", r"^行政处罚"),
        ("coercion", r"^行政强制"),
        ("admin_fee", r"^行政事业性?收费"),
        ("central_procurement", r"^政府集中采购"),
    )
)
_TABLE_OF_ROW = {row: table for table, rows in keys.T2_TABLE_ROWS.items() for row in rows}
# Column header keywords (docs/formats.md#t2-2021, #t2-2019); header cells are often split over lines.
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("made", "本年制发"),
    ("repealed", "本年废止"),
    ("valid", "现行有效"),
    ("new_made", "新制作"),
    ("new_published", "新公开"),
    ("published_total", "对外公开总数"),
    ("items_prev_year", "上一年项目数"),
    ("items_change", "增/减"),
    ("decisions", "处理决定数"),
    ("fee_amount", "收费金额"),
    ("procurement_items", "采购项目数"),
    ("procurement_amount", "采购总金额"),
)
# Which columns each block can have in either format: the skeleton that allows a misprinted header to be matched.
_SKELETON_COLUMNS = {
    table: tuple(
        dict.fromkeys(col for fmt in (keys.FMT2021, keys.FMT2019) for col in keys.T2_DEFAULT_COLS[fmt].get(table, ()))
    )
    for table in keys.T2_TABLE_ROWS
}
FORMAT_CUES = {
    keys.FMT2021: ("本年制发", "本年废止", "现行有效"),
    keys.FMT2019: ("新制作", "对外公开总数", "采购项目数"),
}


@dataclass
class T2Result:
    cells: list[ParsedCell]
    warnings: list[tuple[str, str]] = field(default_factory=list)
    header_text: str = ""  # all header text seen, for format detection


@dataclass
class _Block:
    table_id: str
    header: str = ""
    spans: dict[str, Span] = field(default_factory=dict)


def _row_key(norm: str) -> str | None:
    return next((key for key, pattern in _ROWS if pattern.search(norm)), None)


def _header_columns(header: str, table: str, warnings: list[tuple[str, str]]) -> tuple[str, ...]:
    """The block's columns in printed order; a column header the skeleton allows here is matched with a typo."""
    found = {col: header.find(word) for col, word in _COLUMNS if word in header}
    if found:
        taken = {p for col, start in found.items() for p in range(start, start + len(dict(_COLUMNS)[col]))}
        for col in _SKELETON_COLUMNS.get(table, ()):
            if col in found:
                continue
            label = squash(keys.T2_COL_LABELS[col])
            match = find_approx(label, header, taken)
            if match:
                start, printed = match
                found[col] = start
                taken.update(range(start, start + len(printed)))
                warnings.append(("HEADER_TYPO", f"{table} column header printed as {printed}, read as {label}"))
    return tuple(col for col, _pos in sorted(found.items(), key=lambda item: item[1]))


def _scan(tokens: list[Token]) -> list[_Block]:
    """Blocks by table, in order of appearance; a table printed in two places is one block."""
    blocks: dict[str, _Block] = {}
    block: _Block | None = None
    current: Span | None = None
    for token in tokens:
        if token.kind is not Kind.LABEL:
            if current is not None:
                current.slots.append(token)
            continue
        caption = _CAPTION.match(token.norm)
        row = None if caption else _row_key(token.norm)
        if caption:
            table = _TABLE_OF_NUMERAL[caption["n"]]
            block = blocks.setdefault(table, _Block(table))
        elif row:
            table = _TABLE_OF_ROW[row]
            block = blocks.setdefault(table, _Block(table))
        if row is None:
            if block is not None and not block.spans and not caption:
                block.header += token.norm
            current = None  # text after a row's values: what follows belongs to no known row
            continue
        current = Span(token, token.cell.text.strip())
        assert block is not None  # a row key (never empty) opened or continued a block above
        block.spans.setdefault(row, current)
    return list(blocks.values())


def _normalize_units(cell: ParsedCell, warnings: list[tuple[str, str]]) -> ParsedCell:
    """Fees are in 万元 (2021 T2_8); 2019 procurement amounts in 元. Convert a printed other unit, and say so."""
    if cell.value is None or cell.unit is None:
        return cell
    if cell.col_key == "fee_amount" and cell.unit == "元":
        warnings.append(("T2_FEE_UNIT", f"fee printed in 元 ({cell.value_raw}); converted to 万元"))
        return replace(cell, value=cell.value / Decimal(10000))
    if cell.col_key == "procurement_amount" and cell.unit == "万元":
        return replace(cell, value=cell.value * Decimal(10000))
    return cell


def extract_t2(tokens: list[Token], format_version: str, merged_lines: bool = False) -> T2Result:
    """Cells of table 二 from the tokens of its region."""
    blocks = _scan(tokens)
    result = T2Result([], header_text="".join(b.header for b in blocks))
    if not blocks:
        result.warnings.append(("TABLE_NOT_FOUND", "table 二 (第二十条) not found"))
        return result
    defaults = keys.T2_DEFAULT_COLS.get(format_version, {})
    expected_rows = keys.T2_ROWS_BY_FORMAT.get(format_version, {})
    for block in blocks:
        table = block.table_id
        cols = _header_columns(block.header, table, result.warnings) or defaults.get(table, ())
        if not cols:
            result.warnings.append(("T2_COLUMNS_UNKNOWN", f"{table}: no column header recognised"))
            continue
        for row in expected_rows.get(table, ()):
            if row not in block.spans:
                result.cells.extend(missing_cells(table, row, cols))
                result.warnings.append(("CELL_MISSING", f"{table} row {row} not found"))
        for row, span in block.spans.items():
            fit = fit_row(span, len(cols), what=f"{table} row {row}", merged_lines=merged_lines)
            if fit.warning:
                result.warnings.append(fit.warning)
            result.cells.extend(_normalize_units(c, result.warnings) for c in row_cells(table, row, cols, span, fit))
    return result
