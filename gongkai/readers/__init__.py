"""Readers: bytes of one format in, a :class:`Document` of rows and cells out."""
from __future__ import annotations

from gongkai.readers.document import Cell, Document, Reader, ReaderError, Row, Table
from gongkai.readers.sniff import Sniffed, sniff
from gongkai.readers.docx import DocxReader
from gongkai.readers.html import HtmlReader
from gongkai.readers.legacy_word import LegacyWordReader
from gongkai.readers.pdf import PdfReader
from gongkai.readers.text import TextReader

_READERS: dict[str, Reader] = {}
for _reader in (TextReader(), HtmlReader(), PdfReader(), DocxReader(), LegacyWordReader()):
    for _media_type in _reader.media_types:
        _READERS[_media_type] = _reader


def read_document(content: bytes, media_type: str) -> Document:
    """Read ``content`` with the reader registered for ``media_type``; ReaderError when there is none."""
    reader = _READERS.get(media_type)
    if reader is None:
        raise ReaderError(f"no reader for media type {media_type}")
    document = reader.read(content)
    document.media_type = media_type
    return document


__all__ = ["Cell", "Document", "Reader", "ReaderError", "Row", "Sniffed", "Table", "read_document", "sniff"]
