"""The document as a flat stream of label, value and blank tokens, independent of the source layout.

Real copies of the same table put a row's values on its label's line (TSV), one per line (seed 003),
one per pipe-terminated line (seed 004) or in a grid (HTML, PDF). Reading labels and values as one
stream, and remembering which rows had values, makes all of them the same problem (docs/formats.md#row-recovery).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import Enum
from itertools import pairwise

from gongkai.parsing.flattened import is_flattened, split_flattened
from gongkai.parsing.normalize import SENTENCE_AFTER, SENTENCE_BEFORE, VALUE_STATUSES, read_squashed
from gongkai.readers.document import Cell, Document
from gongkai.text import squash


class Kind(Enum):
    LABEL = "label"
    VALUE = "value"
    BLANK = "blank"


@dataclass(frozen=True)
class Token:
    kind: Kind
    norm: str  # squashed text used for matching
    cell: Cell  # the source cell: raw text and locator
    row_index: int  # index of the row (line) the cell is on
    joined: bool = False  # a digit run from flattened text that may hold several cells' values
    grid: bool = False  # from a real table grid: cells are in their true columns


def tokenize(document: Document) -> tuple[list[Token], list[bool]]:
    """Tokens in reading order, and for each row whether it holds at least one value token.

    A number split off running text (see SENTENCE_AFTER / SENTENCE_BEFORE) is read as text, not as a value.
    """
    tokens, rows = _tokens(document)
    _numbers_in_sentences_as_text(tokens)
    row_has_value = [False] * rows
    for token in tokens:
        if token.kind is Kind.VALUE:
            row_has_value[token.row_index] = True
    return tokens, row_has_value


def _numbers_in_sentences_as_text(tokens: list[Token]) -> None:
    """Turn a value token that a sentence runs through into a label, in place."""
    printed = [i for i, t in enumerate(tokens) if t.kind is not Kind.BLANK]
    for position, index in enumerate(printed):
        token = tokens[index]
        if token.kind is not Kind.VALUE or token.grid or token.joined:
            continue
        before = tokens[printed[position - 1]] if position else None
        after = tokens[printed[position + 1]] if position + 1 < len(printed) else None
        if (after is not None and after.kind is Kind.LABEL and after.norm[:1] in SENTENCE_AFTER) or (
            before is not None and before.kind is Kind.LABEL and before.norm[-1:] in SENTENCE_BEFORE
        ):
            tokens[index] = replace(token, kind=Kind.LABEL)


def _tokens(document: Document) -> tuple[list[Token], int]:
    """Every token in reading order, and the number of rows."""
    tokens: list[Token] = []
    rows = 0
    for row_index, row in enumerate(document.rows()):
        rows += 1
        for cell in _cells(row.cells):
            if isinstance(cell, Token):  # a piece of a flattened table
                tokens.append(replace(cell, row_index=row_index))
                continue
            if cell.covered:
                continue  # a position under a merged cell: not printed
            norm = squash(cell.text)
            status = read_squashed(norm).status
            if status == "blank":
                kind = Kind.BLANK
            elif status in VALUE_STATUSES:
                kind = Kind.VALUE
            else:
                kind = Kind.LABEL
            tokens.append(Token(kind, norm, cell, row_index, grid=row.grid))
    return tokens, rows


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
    repeated = any(a.kind is Kind.VALUE and b.kind is Kind.VALUE and a.norm == b.norm for a, b in pairwise(printed))
    return alone >= 0.9 * len(values) and not repeated
