"""Reader for Word 2007+ files (DOCX): body paragraphs and tables in document order.

Tables become true grids: a cell merged across columns (``w:gridSpan``) or rows (``w:vMerge``) keeps its
text at its top-left grid position and leaves the positions it covers empty, which is what the parser
expects of a label spanning rows. Sliver grid columns (under 1 pt wide, left by cell borders that miss
each other by a hair, as in converted .doc files) are dropped. Paragraphs inside a cell are joined without
a separator. A table that holds other tables is a layout container (whole reports are often wrapped in
one): its cells are read as body content, so the tables inside keep their own grids.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Iterator

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.package import Package
from lxml import etree

from gongkai.readers.document import Block, Cell, Document, ReaderError, Row, Table
from gongkai.readers.sniff import DOCX

_P, _T, _TBL, _TR, _TC = qn("w:p"), qn("w:t"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_TRANSPARENT = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})   # wrappers around content
_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
       "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
# Run text in document order; a text box's fallback copy (mc:Fallback) would repeat it.
_RUN_TEXT = etree.XPath(
    ".//w:r/*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]"
    "[not(ancestor::mc:Fallback)]",
    namespaces=_NS,
)
_SLIVER_TWIPS = 20   # a grid column narrower than 1 pt holds no text of its own
_RUN_CHARS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _children(element: etree._Element) -> Iterator[etree._Element]:
    """Child elements, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag in _TRANSPARENT:
            yield from _children(child)
        else:
            yield child


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of one ``w:p``: runs, tabs and line breaks (hyperlinks and tracked insertions included)."""
    return "".join((node.text or "") if node.tag == _T else _RUN_CHARS[node.tag] for node in _RUN_TEXT(paragraph))


def _cell_text(tc: etree._Element) -> str:
    return "".join(paragraph_text(p) for p in _children(tc) if p.tag == _P)


def _int_attr(parent: etree._Element, path: str, default: int) -> int:
    found = parent.find(path, _NS)
    return int(found.get(qn("w:val"), default)) if found is not None else default


def _continues_vertical_merge(tc: etree._Element) -> bool:
    merge = tc.find("w:tcPr/w:vMerge", _NS)
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


@dataclass(frozen=True)
class _Span:
    """One cell of a row: the grid columns it covers and its text (None: covered by a merge above)."""

    start: int
    width: int
    text: str | None


def _row_spans(tr: etree._Element) -> list[_Span]:
    spans = [_Span(0, _int_attr(tr, "w:trPr/w:gridBefore", 0), None)]
    for tc in (child for child in _children(tr) if child.tag == _TC):
        start = spans[-1].start + spans[-1].width
        text = None if _continues_vertical_merge(tc) else _cell_text(tc)
        spans.append(_Span(start, _int_attr(tc, "w:tcPr/w:gridSpan", 1), text))
    return spans


def _sliver_columns(tbl: etree._Element, rows: list[list[_Span]]) -> set[int]:
    """Sliver grid columns, made by cell borders that miss each other by a hair: dropped from the grid."""
    widths = [int(col.get(qn("w:w"), 0)) for col in tbl.findall("w:tblGrid/w:gridCol", _NS)]
    slivers = {i for i, width in enumerate(widths) if 0 < width < _SLIVER_TWIPS}
    for span in (span for row in rows for span in row):
        covered = set(range(span.start, span.start + span.width))
        if covered and covered <= slivers:
            slivers -= covered   # a cell lying only on slivers keeps them
    return slivers


def table_grid(tbl: etree._Element) -> list[list[str | None]]:
    """The table as a rectangular grid of texts, merged cells expanded; None where a merge covers."""
    rows = [_row_spans(tr) for tr in _children(tbl) if tr.tag == _TR]
    dropped = _sliver_columns(tbl, rows)
    grid: list[list[str | None]] = []
    for spans in rows:
        texts: list[str | None] = []
        for span in spans:
            kept = sum(col not in dropped for col in range(span.start, span.start + span.width))
            texts += [span.text][:kept] + [None] * (kept - 1)
        grid.append(texts)
    width = max((len(row) for row in grid), default=0)
    return [row + [None] * (width - len(row)) for row in grid]


@dataclass
class _Walk:
    """Blocks collected so far and the paragraph and table counters behind the locators."""

    prefix: str
    blocks: list[Block] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0

    def paragraph(self, p: etree._Element) -> None:
        self.paragraphs += 1
        text = paragraph_text(p)
        if text.strip():
            locator = f"{self.prefix}docx paragraph {self.paragraphs}"
            self.blocks.append(Row((Cell(text, locator),), locator))

    def table(self, tbl: etree._Element) -> None:
        if tbl.find(".//w:tc//w:tbl", _NS) is not None:
            self.layout_table(tbl)
            return
        self.tables += 1
        name = f"{self.prefix}docx table {self.tables}"
        rows = tuple(
            Row(tuple(Cell(text or "", f"{name} r{r} c{c}", covered=text is None)
                      for c, text in enumerate(texts, start=1)), f"{name} r{r}", grid=True)
            for r, texts in enumerate(table_grid(tbl), start=1)
        )
        self.blocks.append(Table(rows, name))

    def layout_table(self, tbl: etree._Element) -> None:
        """A table holding tables: read each cell's paragraphs and tables as body content."""
        for tr in (child for child in _children(tbl) if child.tag == _TR):
            for tc in (child for child in _children(tr) if child.tag == _TC):
                if not _continues_vertical_merge(tc):
                    self.content(tc)

    def content(self, container: etree._Element) -> None:
        for child in _children(container):
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)


class DocxReader:
    """Word 2007+ documents; ``locator_prefix`` marks documents converted from another format."""

    media_types = (DOCX,)

    def __init__(self, locator_prefix: str = "") -> None:
        self.locator_prefix = locator_prefix

    def read(self, content: bytes) -> Document:
        walk = _Walk(self.locator_prefix)
        walk.content(_body(content))
        return Document(blocks=walk.blocks, media_type=DOCX)


def _body(content: bytes) -> etree._Element:
    """The ``w:body`` of the main document part (.docx, .docm, .dotx alike, unlike ``docx.Document``)."""
    try:
        package = Package.open(io.BytesIO(content))
        return package.main_document_part.element.body
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise ReaderError(f"not a readable Word document: {error}") from error
