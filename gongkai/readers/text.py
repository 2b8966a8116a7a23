"""Reader for plain text and Markdown: one row per line, cells split on tabs or pipes.

Sizes are checked before the work they would cost: the text's length before it is decoded and split, each
line's length before it is split into cells, and the number of cells before any is made (see ``limits``).
"""

from __future__ import annotations

import re

from gongkai.readers.document import Block, Cell, Document, LimitExceeded, ReaderError, Row
from gongkai.readers.limits import (
    DOCUMENT_MAX_CELLS,
    DOCUMENT_MAX_CHARS,
    DOCUMENT_MAX_ROW_CELLS,
    DOCUMENT_MAX_ROW_CHARS,
    DOCUMENT_MAX_ROWS,
)
from gongkai.readers.sniff import MARKDOWN, TEXT, decode_text

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")  # a Markdown table's |---|:--:| line: layout, never data
_MAX_BYTES_PER_CHAR = 4  # UTF-8 and GB18030 take at most 4 bytes a character, UTF-16 2 or 4


def split_cells(line: str) -> list[str]:
    """Split a line into cells: on tabs (TSV copies), else on pipes (Markdown and flattened HTML scrapes).

    A leading and a trailing pipe only delimit, so '0 |' is one cell and '| 0 | 1 |' two.
    """
    if "\t" in line:
        return line.split("\t")
    if "|" in line:
        parts = line.split("|")
        if line.lstrip().startswith("|"):
            parts = parts[1:]
        if line.rstrip().endswith("|"):
            parts = parts[:-1]
        return parts or [""]
    return [line]


def is_separator_row(parts: list[str]) -> bool:
    """A Markdown table separator ("|---|---|"): two or more cells, every one a rule of dashes."""
    return len(parts) > 1 and all(_SEPARATOR_CELL.match(part) for part in parts)


def check_size(content: bytes) -> None:
    """LimitExceeded when the bytes alone prove the text too long: n bytes hold at least n / 4 characters."""
    chars = len(content) // _MAX_BYTES_PER_CHAR
    if chars > DOCUMENT_MAX_CHARS:
        raise LimitExceeded(f"text has at least {chars:,} characters (limit {DOCUMENT_MAX_CHARS:,})")


def check_text(text: str) -> None:
    """LimitExceeded when the decoded text has too many characters or lines (counted before it is split)."""
    if len(text) > DOCUMENT_MAX_CHARS:
        raise LimitExceeded(f"text has {len(text):,} characters (limit {DOCUMENT_MAX_CHARS:,})")
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    if lines > DOCUMENT_MAX_ROWS:
        raise LimitExceeded(f"text has {lines:,} lines (limit {DOCUMENT_MAX_ROWS:,})")


def line_cells(line: str, number: int) -> list[str]:
    """The cells of line ``number``; LimitExceeded when the line is too long (checked before splitting) or
    splits into too many cells."""
    if len(line) > DOCUMENT_MAX_ROW_CHARS:
        raise LimitExceeded(f"line {number:,} has {len(line):,} characters (limit {DOCUMENT_MAX_ROW_CHARS:,})")
    parts = split_cells(line)
    if len(parts) > DOCUMENT_MAX_ROW_CELLS:
        raise LimitExceeded(f"line {number:,} has {len(parts):,} cells (limit {DOCUMENT_MAX_ROW_CELLS:,})")
    return parts


class TextReader:
    """UTF-8 and GB18030 text, TSV-like copies, pipe scrapes and Markdown pipe tables."""

    media_types = (TEXT, MARKDOWN)

    def read(self, content: bytes) -> Document:
        check_size(content)
        decoded = decode_text(content)
        if decoded is None:
            raise ReaderError("not text: neither UTF-8 nor GB18030, or it holds NUL characters")
        text, encoding = decoded
        check_text(text)
        lines = [line_cells(line, number) for number, line in enumerate(_LINE_BREAK.split(text), start=1)]
        cells = sum(len(parts) for parts in lines)
        if cells > DOCUMENT_MAX_CELLS:
            raise LimitExceeded(f"text has {cells:,} cells (limit {DOCUMENT_MAX_CELLS:,})")
        rows: list[Block] = [
            Row(
                tuple(Cell(part, f"line {number} cell {index}") for index, part in enumerate(parts, start=1)),
                f"line {number}",
            )
            for number, parts in enumerate(lines, start=1)
            if not is_separator_row(parts)
        ]
        return Document(blocks=rows, media_type=TEXT, encoding=encoding)
