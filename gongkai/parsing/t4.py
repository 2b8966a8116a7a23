"""Table 四: administrative review and litigation (one value row of 15 cells)."""

from __future__ import annotations

from dataclasses import replace

from gongkai import keys
from gongkai.parsing.cells import ParsedCell, row_cells
from gongkai.parsing.fitting import Span, fit_row
from gongkai.parsing.tokens import Kind, Token

_WIDTH = len(keys.T4_COLS)
T4_CELLS = len(keys.T4_ROWS) * _WIDTH


def extract_t4(tokens: list[Token], merged_lines: bool = False) -> tuple[list[ParsedCell], list[tuple[str, str]]]:
    """Cells of table 四 from the tokens of its region: header labels, then the 15 values."""
    span = Span(label=None, label_text="行政复议、行政诉讼")
    for token in tokens:
        if token.kind is Kind.LABEL:
            if span.values:
                break  # the first text after the values ends the table
            span.slots.clear()  # blanks count only after the last header label
            continue
        span.slots.append(token)
    if not span.values:
        return [], [("TABLE_NOT_FOUND", "table 四 has no values")]
    fit = fit_row(span, T4_CELLS, group=_WIDTH, what="T4", merged_lines=merged_lines)
    warnings = [fit.warning] if fit.warning else []
    flat_cols = tuple(col for _row in keys.T4_ROWS for col in keys.T4_COLS)
    flat = row_cells("T4", "", flat_cols, span, fit)
    cells = []
    for index, cell in enumerate(flat):
        row = keys.T4_ROWS[index // _WIDTH]
        cells.append(replace(cell, row_key=row, label_raw=keys.T4_ROW_LABELS[row]))
    return cells, warnings
