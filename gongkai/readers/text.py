"""Reader for plain text and Markdown: one row per line, cells split on tabs or pipes."""
from __future__ import annotations

import re

from gongkai.readers.document import Cell, Document, ReaderError, Row
from gongkai.readers.sniff import MARKDOWN, TEXT, decode_text

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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


class TextReader:
    """UTF-8 and GB18030 text, TSV-like copies, pipe scrapes and Markdown pipe tables."""

    media_types = (TEXT, MARKDOWN)

    def read(self, content: bytes) -> Document:
        decoded = decode_text(content)
        if decoded is None:
            raise ReaderError("text is neither UTF-8 nor GB18030")
        text, encoding = decoded
        rows = []
        for number, line in enumerate(_LINE_BREAK.split(text), start=1):
            cells = tuple(
                Cell(part, f"line {number} cell {index}")
                for index, part in enumerate(split_cells(line), start=1)
            )
            rows.append(Row(cells, f"line {number}"))
        return Document(blocks=rows, media_type=TEXT, encoding=encoding)
