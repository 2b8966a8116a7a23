"""Reader for Word 2007+ files (DOCX): body paragraphs and tables in document order.

Tables become true grids: a cell merged across columns (``w:gridSpan``) or rows (``w:vMerge``) keeps its
text at its top-left grid position and leaves the positions it covers empty, which is what the parser
expects of a label spanning rows. Sliver grid columns (under 1 pt wide, left by cell borders that miss
each other by a hair, as in converted .doc files) are dropped. Paragraphs inside a cell are joined without
a separator. A table that holds other tables is a layout container (whole reports are often wrapped in
one): its cells are read as body content, so the tables inside keep their own grids.

Hostile packages are refused from the zip's central directory before anything is decompressed (too many
entries, parts declared too big or compressed like a zip bomb), then from a count of the XML elements made
without building a tree. python-docx gets the checked parts re-packed uncompressed, so it never inflates the
original's data itself (see :func:`checked_package`).
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.package import Package
from lxml import etree

from gongkai.ingest.sizes import format_size
from gongkai.readers.document import Block, Cell, Document, LimitExceeded, ReaderError, Row, Table
from gongkai.readers.limits import (
    DOCUMENT_MAX_CELLS,
    TABLE_MAX_CELLS,
    XML_MAX_ELEMENTS,
    ZIP_MAX_ENTRIES,
    ZIP_MAX_MEMBER_BYTES,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL_BYTES,
    ZIP_RATIO_MIN_BYTES,
)
from gongkai.readers.sniff import DOCX, zip_entry_count

_P, _T, _TBL, _TR, _TC = qn("w:p"), qn("w:t"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_TRANSPARENT = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})  # wrappers around content
_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
# Run text in document order; a text box's fallback copy (mc:Fallback) would repeat it.
_RUN_TEXT = etree.XPath(
    ".//w:r/*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]"
    "[not(ancestor::mc:Fallback)]",
    namespaces=_NS,
)
_SLIVER_TWIPS = 20  # a grid column narrower than 1 pt holds no text of its own
_RUN_CHARS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_READ_STEP = 2**20  # bytes inflated per read of a zip member
# What zipfile raises for damaged or unsupported archives (an encrypted member: RuntimeError; an unknown
# compression method: NotImplementedError; damaged compressed data: zlib.error, OSError, LZMAError, EOFError).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)


# ---- the package ------------------------------------------------------------------------------------------


def checked_package(content: bytes) -> bytes:
    """The DOCX's parts checked against the caps and re-packed uncompressed, for python-docx to open.

    python-docx reads a part with ``ZipFile.read``, which inflates the member's whole compressed stream in one
    call whatever size the directory declares (a header that lies about a bomb's size costs gigabytes). Here
    every part is read in bounded steps and never past its declared size, which was checked first.
    """
    entries = zip_entry_count(content)
    if entries > ZIP_MAX_ENTRIES:
        raise LimitExceeded(f"DOCX has {entries:,} zip entries (limit {ZIP_MAX_ENTRIES:,})")
    parts = _read_parts(content)
    check_xml_elements(parts)
    return _stored_zip(parts)


def _read_parts(content: bytes) -> dict[str, bytes]:
    """Every member by name, once the central directory's sizes pass :func:`check_declared_sizes`."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_declared_sizes(archive.infolist())
            return {info.filename: _read_part(archive, info) for info in archive.infolist() if not info.is_dir()}
    except _ZIP_ERRORS as error:
        raise ReaderError(f"not a readable Word document: {error}") from error


def check_declared_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """LimitExceeded when the directory declares a part or all parts too big, or a part compressed like a bomb."""
    for info in infos:
        if info.file_size > ZIP_MAX_MEMBER_BYTES:
            raise LimitExceeded(
                f"DOCX part {info.filename} would decompress to {format_size(info.file_size)} "
                f"(limit {format_size(ZIP_MAX_MEMBER_BYTES)})"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > ZIP_MAX_RATIO:
            raise LimitExceeded(
                f"DOCX part {info.filename} is compressed {ratio:,.0f} to 1 (limit {ZIP_MAX_RATIO} to 1)"
            )
    total = sum(info.file_size for info in infos)
    if total > ZIP_MAX_TOTAL_BYTES:
        raise LimitExceeded(
            f"DOCX parts would decompress to {format_size(total)} in all (limit {format_size(ZIP_MAX_TOTAL_BYTES)})"
        )


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, inflated at most ``_READ_STEP`` at a time; zipfile stops at the declared size."""
    chunks = []
    with archive.open(info) as member:
        while chunk := member.read(_READ_STEP):
            chunks.append(chunk)
    return b"".join(chunks)


class _ElementCounter:
    """An lxml parser target that counts start tags over all parts and stops the parse past the cap."""

    def __init__(self) -> None:
        self.elements = 0
        self.part = ""

    def start(self, _tag: str, _attrib: dict, _nsmap: dict | None = None) -> None:
        self.elements += 1
        if self.elements > XML_MAX_ELEMENTS:
            raise LimitExceeded(
                f"DOCX XML parts have more than {XML_MAX_ELEMENTS:,} elements "
                f"(limit {XML_MAX_ELEMENTS:,}; passed in {self.part})"
            )

    def close(self) -> None:
        """The end of a part (lxml requires the method); the count goes on over the next part."""


def check_xml_elements(parts: dict[str, bytes]) -> None:
    """LimitExceeded when the XML parts hold too many elements.

    Counted by a parse that builds no tree, with libxml2 as python-docx uses it (so every encoding counts),
    resolving no entity and loading no DTD; a part that is not XML (an image) fails at once and counts nothing.
    """
    counter = _ElementCounter()
    for name, blob in parts.items():
        counter.part = name
        parser = etree.XMLParser(target=counter, resolve_entities=False, load_dtd=False, no_network=True)
        try:
            etree.fromstring(blob, parser)
        except etree.XMLSyntaxError:
            continue  # not XML, or XML that python-docx refuses too if it needs this part


def _stored_zip(parts: dict[str, bytes]) -> bytes:
    """The parts as an uncompressed zip: same names, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, blob in parts.items():
            archive.writestr(zipfile.ZipInfo(name), blob)
    return buffer.getvalue()


# ---- the body ---------------------------------------------------------------------------------------------


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
    """The ``w:val`` count at ``path`` (negative read as 0); ReaderError when it is not a number."""
    found = parent.find(path, _NS)
    if found is None:
        return default
    value = found.get(qn("w:val"), default)
    try:
        return max(0, int(value))
    except ValueError:
        raise ReaderError(f"not a readable Word document: {path} is {value!r}") from None


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
            slivers -= covered  # a cell lying only on slivers keeps them
    return slivers


def check_grid(rows: list[list[_Span]], number: int) -> int:
    """The grid cells of table ``number`` (before slivers are dropped); LimitExceeded when too many."""
    width = max((row[-1].start + row[-1].width for row in rows), default=0)
    if len(rows) * width > TABLE_MAX_CELLS:
        raise LimitExceeded(
            f"DOCX table {number} would have {len(rows):,} x {width:,} grid cells (limit {TABLE_MAX_CELLS:,})"
        )
    return len(rows) * width


def table_spans(tbl: etree._Element) -> list[list[_Span]]:
    """The cells of each row of the table as grid column spans."""
    return [_row_spans(tr) for tr in _children(tbl) if tr.tag == _TR]


def table_grid(tbl: etree._Element, rows: list[list[_Span]]) -> list[list[str | None]]:
    """The table as a rectangular grid of texts, merged cells expanded; None where a merge covers.

    ``rows`` are its :func:`table_spans`, whose size :func:`check_grid` checks first.
    """
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
    grid_cells: int = 0  # in the tables made so far

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
        spans = table_spans(tbl)
        self.count_grid(spans)
        name = f"{self.prefix}docx table {self.tables}"
        rows = tuple(
            Row(
                tuple(
                    Cell(text or "", f"{name} r{r} c{c}", covered=text is None) for c, text in enumerate(texts, start=1)
                ),
                f"{name} r{r}",
                grid=True,
            )
            for r, texts in enumerate(table_grid(tbl, spans), start=1)
        )
        self.blocks.append(Table(rows, name))

    def count_grid(self, spans: list[list[_Span]]) -> None:
        """Add the next table's grid cells to those made so far; LimitExceeded past either cap."""
        self.grid_cells += check_grid(spans, self.tables)
        if self.grid_cells > DOCUMENT_MAX_CELLS:
            raise LimitExceeded(
                f"DOCX tables would have {self.grid_cells:,} grid cells in all (limit {DOCUMENT_MAX_CELLS:,})"
            )

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
    checked = checked_package(content)
    try:
        package = Package.open(io.BytesIO(checked))
        return package.main_document_part.element.body
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise ReaderError(f"not a readable Word document: {error}") from error
