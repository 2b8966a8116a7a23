"""The document every reader produces and every parser reads: ordered rows of cells with locators.

A reader turns bytes of one format into a :class:`Document`. Text lines and table rows are both
:class:`Row` objects in reading order, so the parser never sees the source format; a :class:`Table`
groups the rows of one real table grid (HTML ``<table>``, DOCX table, ruled PDF table) so that
format-aware readers can keep their structure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Cell:
    """One cell of text and where it came from ("line 48 cell 3", "p3 bbox(72,400,96,412)", "table 2 r5 c3").

    ``covered`` marks a grid position covered by a merged cell (rowspan/colspan): it is not a printed
    cell, so it is neither a value nor a blank.
    """

    text: str
    locator: str
    confidence: float = 1.0
    covered: bool = False


@dataclass(frozen=True)
class Row:
    """A text line or a table row: its cells in reading order.

    ``grid`` is True for a row of a real table grid (HTML, DOCX, ruled PDF), whose cells sit in their
    true columns, so a printed blank is a real empty cell rather than padding.
    """

    cells: tuple[Cell, ...]
    locator: str
    grid: bool = False

    @property
    def text(self) -> str:
        return "".join(cell.text for cell in self.cells)


@dataclass(frozen=True)
class Table:
    """A table grid as read from the source: rows of cells, merged cells already expanded."""

    rows: tuple[Row, ...]
    locator: str


Block = Row | Table


@dataclass
class Document:
    """What a reader made of one file: blocks in reading order plus reader notes."""

    blocks: list[Block]
    media_type: str
    encoding: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def rows(self) -> Iterator[Row]:
        """Every row in reading order, table rows included."""
        for block in self.blocks:
            if isinstance(block, Table):
                yield from block.rows
            else:
                yield block


class ReaderError(Exception):
    """The reader could not make a document of these bytes (the file is quarantined with this reason)."""


class LimitExceeded(ReaderError):
    """The file passes one of the caps in :mod:`gongkai.readers.limits`: refused before the work it would cost.

    The message names what was too big, how big, and the limit.
    """


class Reader(Protocol):
    """Bytes of one media type in, a :class:`Document` out."""

    @property
    def media_types(self) -> tuple[str, ...]:
        """The media types the reader reads (a class attribute in the readers)."""
        ...

    def read(self, content: bytes) -> Document: ...
