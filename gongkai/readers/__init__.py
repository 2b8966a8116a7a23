"""Readers: bytes of one format in, a :class:`Document` of rows and cells out."""

from __future__ import annotations

from gongkai.readers.document import Cell, Document, LimitExceeded, Reader, ReaderError, Row, Table
from gongkai.readers.docx import DocxReader
from gongkai.readers.html import HtmlReader
from gongkai.readers.legacy_word import LegacyWordReader
from gongkai.readers.limits import (
    DOCUMENT_MAX_CELLS,
    DOCUMENT_MAX_CHARS,
    DOCUMENT_MAX_ROW_CELLS,
    DOCUMENT_MAX_ROW_CHARS,
    DOCUMENT_MAX_ROWS,
)
from gongkai.readers.pdf import PdfReader
from gongkai.readers.sniff import Sniffed, sniff
from gongkai.readers.text import TextReader

_READERS: dict[str, Reader] = {}
for _reader in (TextReader(), HtmlReader(), PdfReader(), DocxReader(), LegacyWordReader()):
    for _media_type in _reader.media_types:
        _READERS[_media_type] = _reader


def has_reader(media_type: str) -> bool:
    """Whether a reader is registered for ``media_type``."""
    return media_type in _READERS


def read_document(content: bytes, media_type: str) -> Document:
    """Read ``content`` with the reader registered for ``media_type``; ReaderError when there is none,
    LimitExceeded when the file (or what the reader made of it) passes a cap."""
    reader = _READERS.get(media_type)
    if reader is None:
        raise ReaderError(f"no reader for media type {media_type}")
    document = reader.read(content)
    check_document(document)
    document.media_type = media_type
    return document


def check_document(document: Document) -> None:
    """The final guard: LimitExceeded when a document is too big for the parser, whichever reader made it."""
    rows = sum(1 for _row in document.rows())
    if rows > DOCUMENT_MAX_ROWS:
        raise LimitExceeded(f"document has {rows:,} rows (limit {DOCUMENT_MAX_ROWS:,})")
    cells = chars = 0
    for row in document.rows():
        row_chars = sum(len(cell.text) for cell in row.cells)
        if len(row.cells) > DOCUMENT_MAX_ROW_CELLS:
            raise LimitExceeded(f"row '{row.locator}' has {len(row.cells):,} cells (limit {DOCUMENT_MAX_ROW_CELLS:,})")
        if row_chars > DOCUMENT_MAX_ROW_CHARS:
            raise LimitExceeded(f"row '{row.locator}' has {row_chars:,} characters (limit {DOCUMENT_MAX_ROW_CHARS:,})")
        cells += len(row.cells)
        chars += row_chars
    if cells > DOCUMENT_MAX_CELLS:
        raise LimitExceeded(f"document has {cells:,} cells (limit {DOCUMENT_MAX_CELLS:,})")
    if chars > DOCUMENT_MAX_CHARS:
        raise LimitExceeded(f"document has {chars:,} characters (limit {DOCUMENT_MAX_CHARS:,})")


__all__ = [
    "Cell",
    "Document",
    "LimitExceeded",
    "Reader",
    "ReaderError",
    "Row",
    "Sniffed",
    "Table",
    "check_document",
    "has_reader",
    "read_document",
    "sniff",
]
