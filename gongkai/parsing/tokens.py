"""The document as a flat stream of label, value and blank tokens, independent of the source layout.

Real copies of the same table put a row's values on its label's line (TSV), one per line (seed 003),
one per pipe-terminated line (seed 004) or in a grid (HTML, PDF). Reading labels and values as one
stream, and remembering which rows had values, makes all of them the same problem (format_spec §7.4).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Iterator

from gongkai.parsing.flattened import is_flattened, split_flattened
from gongkai.parsing.normalize import VALUE_STATUSES, read_squashed, squash
from gongkai.readers.document import Cell, Document


class Kind(Enum):
    LABEL = "label"
    VALUE = "value"
    BLANK = "blank"


@dataclass(frozen=True)
class Token:
    kind: Kind
    norm: str          # squashed text used for matching
    cell: Cell         # the source cell: raw text and locator
    row_index: int     # index of the row (line) the cell is on
    joined: bool = False   # a digit run from flattened text that may hold several cells' values
    grid: bool = False     # from a real table grid: cells are in their true columns


# A number is part of a sentence, never a cell, when the text it was split from goes on with a date or a count
# word ("2023" / "年1月1日", "5" / "件") or leads into it with a document-number bracket or an ordinal ("〔" / "2023").
SENTENCE_AFTER = "年月日号时%％〕]】件条次人个项份家余多"
SENTENCE_BEFORE = "〔[【第"


def tokenize(document: Document) -> tuple[list[Token], list[bool]]:
    """Tokens in reading order, and for each row whether it holds at least one value token.

    A number split off running text (see SENTENCE_AFTER / SENTENCE_BEFORE) is read as text, not as a value.
    """
    tokens, row_has_value = _tokens(document)
    return _numbers_in_sentences_as_text(tokens, row_has_value)


def _numbers_in_sentences_as_text(tokens: list[Token], row_has_value: list[bool]) -> tuple[list[Token], list[bool]]:
    printed = [i for i, t in enumerate(tokens) if t.kind is not Kind.BLANK]
    for position, index in enumerate(printed):
        token = tokens[index]
        if token.kind is not Kind.VALUE or token.grid or token.joined:
            continue
        before = tokens[printed[position - 1]] if position else None
        after = tokens[printed[position + 1]] if position + 1 < len(printed) else None
        if (after is not None and after.kind is Kind.LABEL and after.norm[:1] in SENTENCE_AFTER) or (
                before is not None and before.kind is Kind.LABEL and before.norm[-1:] in SENTENCE_BEFORE):
            tokens[index] = replace(token, kind=Kind.LABEL)
    has_value = [False] * len(row_has_value)
    for token in tokens:
        if token.kind is Kind.VALUE and 0 <= token.row_index < len(has_value):
            has_value[token.row_index] = True
    return tokens, has_value


def _tokens(document: Document) -> tuple[list[Token], list[bool]]:
    tokens: list[Token] = []
    row_has_value: list[bool] = []
    for row_index, row in enumerate(document.rows()):
        has_value = False
        for cell in _cells(row.cells):
            if isinstance(cell, Token):   # a piece of a flattened table
                tokens.append(replace(cell, row_index=row_index))
                has_value = has_value or cell.kind is Kind.VALUE
                continue
            if cell.covered:
                continue   # a position under a merged cell: not printed
            norm = squash(cell.text)
            status = read_squashed(norm).status
            if status == "blank":
                kind = Kind.BLANK
            elif status in VALUE_STATUSES:
                kind = Kind.VALUE
                has_value = True
            else:
                kind = Kind.LABEL
            tokens.append(Token(kind, norm, cell, row_index, grid=row.grid))
        row_has_value.append(has_value)
    return tokens, row_has_value


def _cells(cells: tuple[Cell, ...]) -> Iterator[Cell | Token]:
    """The row's cells, with a flattened table cell replaced by its label and joined-value pieces."""
    for cell in cells:
        if not is_flattened(cell.text):
            yield cell
            continue
        for start, end, is_value in split_flattened(cell.text):
            piece = Cell(cell.text[start:end], f"{cell.locator} chars {start + 1}-{end}", cell.confidence)
            kind = Kind.VALUE if is_value else Kind.LABEL
            yield Token(kind, squash(piece.text), piece, row_index=-1, joined=is_value)


def starts_new_run(previous: Token | None, token: Token, row_has_value: list[bool]) -> bool:
    """True when a row without values lies between two value tokens: they belong to different table rows."""
    if previous is None:
        return True
    return any(not row_has_value[i] for i in range(previous.row_index + 1, token.row_index))


def identical_lines_merged(tokens: list[Token]) -> bool:
    """Whether the tables were scraped one cell per line with runs of identical lines printed once.

    The signature: at least 10 values, (nearly) every value alone on its line, and never the same value on two
    consecutive lines -- a table of counts always has runs of equal cells (zeros at least), so a text that never
    repeats a line has merged them.
    """
    values = [t for t in tokens if t.kind is Kind.VALUE and not t.grid and not t.joined]
    if len(values) < 10:
        return False
    per_line: dict[int, int] = {}
    for token in values:
        per_line[token.row_index] = per_line.get(token.row_index, 0) + 1
    alone = sum(1 for token in values if per_line[token.row_index] == 1)
    printed = [t for t in tokens if t.kind is not Kind.BLANK]
    repeated = any(a.kind is Kind.VALUE and b.kind is Kind.VALUE and a.norm == b.norm
                   for a, b in zip(printed, printed[1:]))
    return alone >= 0.9 * len(values) and not repeated
