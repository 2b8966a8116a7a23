"""Turn fitted rows into canonical cells (one dict per report_cells row)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongkai.parsing.fitting import Fit, Span
from gongkai.parsing.normalize import read_value

# A cell read with less confidence than this (a low OCR score, a split no total confirms, a blank whose place is
# assumed) is not a reading but a guess: it is stored uncertain, with the printed text and the confidence.
CERTAIN_CONFIDENCE = 0.8


@dataclass(frozen=True)
class ParsedCell:
    table_id: str
    row_key: str
    col_key: str
    value: Decimal | None
    value_raw: str
    value_status: str
    label_raw: str
    locator: str
    confidence: float
    unit: str | None = None


def row_cells(table_id: str, row_key: str, col_keys: tuple[str, ...], span: Span, fit: Fit) -> list[ParsedCell]:
    """The cells of one row: read from its fitted tokens, or uncertain with the row's raw values."""
    label = span.label_text
    if fit.tokens is None:
        raw = span.raw_values()
        return [
            ParsedCell(table_id, row_key, col, None, raw, "uncertain", label, span.locator, fit.confidence)
            for col in col_keys
        ]
    cells = []
    for col, token in zip(col_keys, fit.tokens, strict=True):
        read = read_value(token.cell.text)
        confidence = token.cell.confidence * fit.confidence
        if confidence < CERTAIN_CONFIDENCE:
            cells.append(
                ParsedCell(
                    table_id,
                    row_key,
                    col,
                    None,
                    token.cell.text,
                    "uncertain",
                    label,
                    token.cell.locator,
                    confidence,
                    read.unit,
                )
            )
            continue
        cells.append(
            ParsedCell(
                table_id,
                row_key,
                col,
                read.value,
                token.cell.text,
                read.status,
                label,
                token.cell.locator,
                confidence,
                read.unit,
            )
        )
    return cells


def missing_cells(table_id: str, row_key: str, col_keys: tuple[str, ...]) -> list[ParsedCell]:
    """Cells of a row the table should have but whose label was not found."""
    return [ParsedCell(table_id, row_key, col, None, "", "missing", "", "", 0.0) for col in col_keys]
