"""Reader for PDFs: prose lines as rows, ruled tables rebuilt from ruling lines and character positions.

Tables are not taken from the text order of the page. The ruling lines (line objects, thin filled
rectangles, stroked rectangles and straight pieces of stroked paths) give a grid; a pair of grid cells
with no rule between them belong to one merged cell; every character goes to the cell its centre lies
in. A merged cell prints its text in the first grid row it spans and an empty cell in the others, so
each row keeps its own values in column order. Pages without a text layer go to OCR, told from their content
streams before pdfminer interprets them.

Why not pdfplumber's ``TableFinder`` (lines strategy, snap and join tolerances of SNAP, edge length
MIN_RULE_LENGTH), measured on the test PDFs (r001, the pdf_fixtures reports, generated five-page reports):
it is less accurate and slower, so the grid is built here.

* A table part that continues on the next page without a closing rule (WPS; pdf_fixtures with
  ``close_at_break=False``): TableFinder drops the last row (17 grid lines and 115 cells instead of 18 and 125),
  where the extent of the vertical rules closes it here.
* r001 (real, 100 % exact with this reader): TableFinder adds tables that are not there (pages 1, 4 and 5) and
  grows table 二's first part on page 2 to 33 cells instead of 19.
* Time: about five times the reader's for the table step on those pages (282-317 ms of CPU against 56-59 ms),
  before the cost of ``page.objects``, which TableFinder needs for its edges and this reader does without
  (:func:`page_objects`).

``benchmarks/compare_tablefinder.py`` prints these figures.

The page count is checked before any page is read (as the page tree claims it, with pdfium, and as pdfminer
walks it), and each page's characters, ruling lines and table grids before the work they cost.
"""

from __future__ import annotations

import io
import re
import zlib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice, pairwise
from operator import itemgetter
from typing import Any

import pdfplumber
import pypdfium2
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTCurve, LTLine, LTRect
from pdfminer.pdfinterp import LITERAL_FORM
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfplumber.page import fix_fontname_bytes
from pdfplumber.utils.text import LIGATURES, chars_to_textmap, extract_text

from gongkai.ingest.sizes import format_size
from gongkai.readers.document import Block, Cell, Document, LimitExceeded, ReaderError, Row, Table
from gongkai.readers.limits import (
    PDF_MAX_PAGE_CHARS,
    PDF_MAX_PAGE_CONTENT_BYTES,
    PDF_MAX_PAGES,
    PDF_MAX_RULES,
    TABLE_MAX_CELLS,
)
from gongkai.readers.sniff import PDF

SNAP = 2.0  # points: coordinates closer than this are the same rule or grid line
RULE_THICKNESS = 2.0  # points: a filled rectangle thinner than this is a drawn rule
MIN_RULE_LENGTH = 4.0  # points: shorter pieces are glyph-like marks, not rules
DEDUPE_TOLERANCE = 1.0  # points: one glyph drawn again this close is drawn twice at one place
MARGIN = 0.08  # share of the page height at the top and bottom where page furniture sits
OCR_SCALE = 300 / 72  # render pages for OCR at 300 dpi
_INFLATE_STEP = 2**20  # bytes of a content stream inflated at a time when measuring it
_SHOWS_TEXT = re.compile(rb"T[jJ]|['\"]")  # the operators that show text in a content stream
MAX_FORM_DEPTH = 8  # form XObjects nested deeper than this are taken to show text
_PAGE_NUMBER = re.compile(
    r"^[-–—－~·\s]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?)[-–—－~·\s]*$"
)
_CID = re.compile(r"\(cid:\d+\)")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")

Char = dict[str, Any]  # a pdfplumber character object: text, x0, x1, top, bottom, ...
_SAME_GLYPH = itemgetter("upright", "text", "fontname", "size")
_POSITION = itemgetter("doctop", "x0")


@dataclass(frozen=True)
class Segment:
    """An axis-aligned rule: ``pos`` is its x (vertical) or y (horizontal); it runs from ``start`` to ``end``."""

    vertical: bool
    pos: float
    start: float
    end: float

    def covers(self, point: float) -> bool:
        return self.start - SNAP <= point <= self.end + SNAP


@dataclass
class Grid:
    """A ruled table: grid line coordinates and the merged cell each grid cell belongs to."""

    xs: list[float]
    ys: list[float]
    owner: list[list[int]] = field(default_factory=list)  # owner[r][c] = merged-cell id

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """Grid (row, column) holding the point, or None outside the table."""
        col, row = bisect_right(self.xs, x) - 1, bisect_right(self.ys, y) - 1
        if 0 <= row < len(self.ys) - 1 and 0 <= col < len(self.xs) - 1:
            return row, col
        return None


# ---- page objects ------------------------------------------------------------------------------------


@dataclass
class PageObjects:
    """What the reader takes from a page: its characters and the shapes that can draw rules, as pdfplumber
    objects with the keys the reader and pdfplumber's text helpers use (text, x0, x1, top, bottom, doctop, ...)."""

    chars: list[Char]
    lines: list[Char]
    rects: list[Char]
    curves: list[Char]
    height: float


def page_objects(page: Any) -> PageObjects:
    """The page's characters, lines, rectangles and curves from one pass over pdfminer's layout of it.

    pdfplumber's ``page.objects`` walks the same layout, but converts every attribute of every object (colours,
    marked content, paths): a third of a page's reading time. This keeps the values it gives the keys used
    (checked equal on every object of the test PDFs).
    """
    objects = PageObjects([], [], [], [], page.height)
    for item in _leaves(page.layout):
        if isinstance(item, LTChar):
            objects.chars.append(_char(page, item))
        elif isinstance(item, LTCurve):
            shape = _box(page, item) | {"stroke": item.stroke, "fill": item.fill}
            if isinstance(item, LTRect):
                objects.rects.append(shape)
            elif isinstance(item, LTLine):
                objects.lines.append(shape)
            else:
                objects.curves.append(shape | {"pts": [page.point2coord(point) for point in item.pts]})
    return objects


def _leaves(container: LTContainer) -> Iterable[LTComponent]:
    """The objects drawn, figures (form XObjects) opened, as pdfplumber lists them."""
    for item in container:
        if isinstance(item, LTContainer):
            yield from _leaves(item)
        else:
            yield item


def _box(page: Any, item: LTComponent) -> Char:
    """The object's box in pdfplumber's coordinates: from the top of the page, shifted by the MediaBox."""
    left, top = page.mediabox[0], page.mediabox[1]
    return {
        "x0": item.x0 + left,
        "x1": item.x1 + left,
        "top": page.height - item.y1 + top,
        "bottom": page.height - item.y0 + top,
    }


def _char(page: Any, item: LTChar) -> Char:
    char = _box(page, item)
    fontname = item.fontname
    char.update(
        text=item.get_text(),
        doctop=page.initial_doctop + char["top"],
        upright=item.upright,
        fontname=fix_fontname_bytes(fontname) if isinstance(fontname, bytes) else fontname,
        size=item.size,
    )
    return char


# ---- ruling lines ------------------------------------------------------------------------------------


def _segment(x0: float, top: float, x1: float, bottom: float) -> Segment | None:
    """The rule a thin box draws, or None when the box is neither thin nor long enough."""
    width, height = x1 - x0, bottom - top
    if width <= RULE_THICKNESS and height >= MIN_RULE_LENGTH:
        return Segment(True, (x0 + x1) / 2, top, bottom)
    if height <= RULE_THICKNESS and width >= MIN_RULE_LENGTH:
        return Segment(False, (top + bottom) / 2, x0, x1)
    return None


def _rect_edges(rect: dict[str, Any]) -> Iterable[tuple[float, float, float, float]]:
    """The boxes a rectangle contributes: itself when filled thin, its four sides when stroked."""
    x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
    if rect.get("stroke"):
        yield from ((x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom))
    elif rect.get("fill"):
        yield x0, top, x1, bottom


def _path_pieces(curve: dict[str, Any]) -> Iterable[tuple[float, float, float, float]]:
    """Straight pieces of a stroked path (some producers draw a whole grid as one path)."""
    if not curve.get("stroke"):
        return
    points = curve.get("pts") or []
    for (ax, ay), (bx, by) in pairwise(points):
        yield min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def ruling_segments(page: PageObjects) -> list[Segment]:
    """Every horizontal and vertical rule drawn on the page."""
    boxes: list[tuple[float, float, float, float]] = [
        (line["x0"], line["top"], line["x1"], line["bottom"]) for line in page.lines
    ]
    for rect in page.rects:
        boxes.extend(_rect_edges(rect))
    for curve in page.curves:
        boxes.extend(_path_pieces(curve))
    return [s for s in (_segment(*box) for box in boxes) if s is not None]


# ---- tables from rules -------------------------------------------------------------------------------


def merge_collinear(segments: list[Segment]) -> list[Segment]:
    """Join rules that continue or overlap one another on one line (cell borders drawn cell by cell)."""
    lines: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.vertical, s.pos)):
        previous = lines[-1][-1] if lines else None
        if previous is not None and previous.vertical == segment.vertical and segment.pos - previous.pos <= SNAP:
            lines[-1].append(segment)
        else:
            lines.append([segment])
    return [merged for line in lines for merged in _merge_intervals(line)]


def _merge_intervals(line: list[Segment]) -> list[Segment]:
    """The pieces of one line joined where they overlap or touch."""
    pieces: list[list[Segment]] = []
    end = 0.0  # of the piece being joined
    for segment in sorted(line, key=lambda s: s.start):
        if pieces and segment.start <= end + SNAP:
            pieces[-1].append(segment)
            end = max(end, segment.end)
        else:
            pieces.append([segment])
            end = segment.end
    return [
        Segment(
            group[0].vertical,
            sum(s.pos for s in group) / len(group),
            min(s.start for s in group),
            max(s.end for s in group),
        )
        for group in pieces
    ]


def _cross(a: Segment, b: Segment) -> bool:
    """A vertical and a horizontal rule meet."""
    return a.covers(b.pos) and b.covers(a.pos)


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    parent[_find(parent, a)] = _find(parent, b)


def _connected(segments: list[Segment]) -> list[list[Segment]]:
    """Groups of rules that cross one another: one group per table."""
    parent = list(range(len(segments)))
    verticals = [i for i, s in enumerate(segments) if s.vertical]
    for i, a in enumerate(segments):
        if not a.vertical:
            for j in verticals:
                if _cross(a, segments[j]):
                    _union(parent, i, j)
    groups: dict[int, list[Segment]] = {}
    for i, segment in enumerate(segments):
        groups.setdefault(_find(parent, i), []).append(segment)
    return list(groups.values())


def _cluster(values: Iterable[float]) -> list[float]:
    """Sorted coordinates with near-equal ones (within SNAP) merged into their mean."""
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= SNAP:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [sum(c) / len(c) for c in clusters]


def build_grid(segments: list[Segment], page_number: int) -> Grid | None:
    """The grid of one group of rules, with merged cells; None when the rules do not enclose cells.

    The outer extent of the vertical rules closes a table whose bottom (or top) rule is missing
    because it continues on the next page. LimitExceeded, before the cells are made, for too big a grid.
    """
    verticals = [s for s in segments if s.vertical]
    horizontals = [s for s in segments if not s.vertical]
    if not verticals or not horizontals:
        return None
    xs = _cluster(s.pos for s in verticals)
    ys = _cluster([s.pos for s in horizontals] + [min(s.start for s in verticals), max(s.end for s in verticals)])
    if len(xs) < 2 or len(ys) < 2:
        return None
    if (len(ys) - 1) * (len(xs) - 1) > TABLE_MAX_CELLS:
        raise LimitExceeded(
            f"PDF page {page_number} has a table of {len(ys) - 1:,} x {len(xs) - 1:,} grid cells "
            f"(limit {TABLE_MAX_CELLS:,})"
        )
    grid = Grid(xs, ys)
    grid.owner = _merge_cells(grid, verticals, horizontals)
    return grid


def _merge_cells(grid: Grid, verticals: list[Segment], horizontals: list[Segment]) -> list[list[int]]:
    """Merged-cell id of every grid cell: neighbours with no rule between them are one cell."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    rules_at_x = [_at(verticals, x) for x in grid.xs]
    rules_at_y = [_at(horizontals, y) for y in grid.ys]
    parent = list(range(n_rows * n_cols))
    for r in range(n_rows):
        mid_y = (grid.ys[r] + grid.ys[r + 1]) / 2
        for c in range(n_cols):
            mid_x = (grid.xs[c] + grid.xs[c + 1]) / 2
            if c + 1 < n_cols and not _crossed(rules_at_x[c + 1], mid_y):
                _union(parent, r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not _crossed(rules_at_y[r + 1], mid_x):
                _union(parent, r * n_cols + c, (r + 1) * n_cols + c)
    return [[_find(parent, r * n_cols + c) for c in range(n_cols)] for r in range(n_rows)]


def _at(rules: list[Segment], pos: float) -> list[Segment]:
    """The rules lying on the grid line at ``pos``."""
    return [s for s in rules if abs(s.pos - pos) <= SNAP]


def _crossed(rules: list[Segment], across: float) -> bool:
    """One of the rules of a grid line crosses the point ``across`` along it."""
    return any(s.covers(across) for s in rules)


# ---- text --------------------------------------------------------------------------------------------


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one cell: no space between Chinese text, one space between Latin words."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not (_CJK.match(text[-1]) or _CJK.match(line[0])):
            text += " "
        text += line
    return text


def cell_text(chars: list[Char]) -> str:
    """Text of one cell: its lines (stacked single characters for vertical labels) joined."""
    if not chars:
        return ""
    if len(chars) == 1 and chars[0]["upright"]:  # most cells print one digit: what extract_text makes of it
        text: str = chars[0]["text"]
        return _join_lines([LIGATURES.get(text) or text])
    return _join_lines(extract_text(chars).split("\n"))


def _locator(page_number: int, bbox: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = bbox
    return f"p{page_number} bbox({x0:.0f},{top:.0f},{x1:.0f},{bottom:.0f})"


def _center(char: Char) -> tuple[float, float]:
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


@dataclass(frozen=True)
class Span:
    """The grid rows and columns a merged cell covers (inclusive)."""

    first_row: int
    last_row: int
    first_col: int
    last_col: int


def cell_spans(grid: Grid) -> dict[int, Span]:
    """The span of every merged cell, by merged-cell id."""
    spans: dict[int, Span] = {}
    for r, owners in enumerate(grid.owner):
        for c, owner in enumerate(owners):
            old = spans.get(owner, Span(r, r, c, c))
            spans[owner] = Span(old.first_row, r, min(old.first_col, c), max(old.last_col, c))
    return spans


def table_block(grid: Grid, chars: list[tuple[Char, tuple[int, int]]], page_number: int) -> Table:
    """The table's grid rows from its characters with their grid cells: one cell per merged cell crossing the
    row, text in the first row it spans.

    The printed cell's locator is the whole merged cell; in later rows the merged cell is a covered
    position (not a printed blank) whose locator is the part of it inside that row.
    """
    texts: dict[int, list[Char]] = {}
    for char, (row, col) in chars:
        texts.setdefault(grid.owner[row][col], []).append(char)
    spans = cell_spans(grid)
    rows = []
    for r, owners in enumerate(grid.owner):
        cells = []
        for c, owner in enumerate(owners):
            if c > 0 and owners[c - 1] == owner:
                continue
            span = spans[owner]
            first = span.first_row == r
            top, bottom = (span.first_row, span.last_row + 1) if first else (r, r + 1)
            bbox = (grid.xs[span.first_col], grid.ys[top], grid.xs[span.last_col + 1], grid.ys[bottom])
            text = cell_text(texts.get(owner, [])) if first else ""
            cells.append(Cell(text, _locator(page_number, bbox), covered=not first))
        row_box = (grid.xs[0], grid.ys[r], grid.xs[-1], grid.ys[r + 1])
        rows.append(Row(tuple(cells), _locator(page_number, row_box), grid=True))
    return Table(tuple(rows), _locator(page_number, grid.bbox))


# ---- pages -------------------------------------------------------------------------------------------


def _is_furniture(line: dict[str, Any], height: float) -> bool:
    """A page number in the top or bottom margin ("- 3 -", "第3页 共5页")."""
    middle = (line["top"] + line["bottom"]) / 2
    in_margin = middle < height * MARGIN or middle > height * (1 - MARGIN)
    return in_margin and bool(_PAGE_NUMBER.match(line["text"]))


def dedupe_chars(chars: list[Char]) -> list[Char]:
    """A character drawn twice at one place (a fake bold) kept once, in page order.

    The result of pdfplumber's ``dedupe_chars`` (tolerance 1, same font and size) at a tenth of its cost: it ends
    with ``sorted(key=chars.index)``, quadratic, and clusters every group of equal glyphs with generic helpers;
    the two took half the reading time of a table page.
    """
    same_glyph: dict[tuple[Any, ...], list[int]] = {}
    for index, char in enumerate(chars):
        same_glyph.setdefault(_SAME_GLYPH(char), []).append(index)
    kept: list[int] = []
    for group in same_glyph.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        for line in _runs(chars, group, "doctop"):
            kept.extend(_kept(chars, place) for place in _runs(chars, line, "x0"))
    return [chars[index] for index in sorted(kept)]


def _runs(chars: list[Char], indices: list[int], key: str) -> list[list[int]]:
    """The characters at ``indices`` in runs by ``key``, split where it jumps by more than DEDUPE_TOLERANCE
    (the clusters of pdfplumber's ``cluster_objects``)."""
    if len(indices) == 1:
        return [indices]
    ordered = sorted(indices, key=lambda i: chars[i][key])
    runs = [[ordered[0]]]
    for previous, index in pairwise(ordered):
        if chars[index][key] > chars[previous][key] + DEDUPE_TOLERANCE:
            runs.append([index])
        else:
            runs[-1].append(index)
    return runs


def _kept(chars: list[Char], place: list[int]) -> int:
    """The one character kept of those drawn at one place: the top left one (the first in page order of those
    equal to it, as pdfplumber orders it)."""
    if len(place) == 1:
        return place[0]
    first = chars[min(place, key=lambda i: (_POSITION(chars[i]), i))]
    return min(i for i in place if chars[i] is first or chars[i] == first)


def _partition(chars: list[Char], grids: list[Grid]) -> tuple[list[list[tuple[Char, tuple[int, int]]]], list[Char]]:
    """The characters inside each table with their grid cells, and the rest (prose)."""
    inside: list[list[tuple[Char, tuple[int, int]]]] = [[] for _ in grids]
    prose = []
    for char in chars:
        x, y = _center(char)
        for grid, placed in zip(grids, inside, strict=True):
            cell = grid.locate(x, y)
            if cell is not None:
                placed.append((char, cell))
                break
        else:
            prose.append(char)
    return inside, prose


def _prose_rows(chars: list[Char], page_number: int, height: float) -> list[tuple[float, Row]]:
    """One single-cell row per text line with its top, page numbers left out."""
    if not chars:
        return []
    rows = []
    for line in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=False):
        if line["text"] and not _is_furniture(line, height):
            cell = Cell(line["text"], _locator(page_number, (line["x0"], line["top"], line["x1"], line["bottom"])))
            rows.append((line["top"], Row((cell,), cell.locator)))
    return rows


def text_page(page: PageObjects, page_number: int) -> list[Block]:
    """Blocks of a page with a text layer: ruled tables and the prose lines around them, top to bottom.

    LimitExceeded for a page with too many characters or ruling lines, before they are placed or grouped.
    """
    if len(page.chars) > PDF_MAX_PAGE_CHARS:
        raise LimitExceeded(f"PDF page {page_number} has {len(page.chars):,} characters (limit {PDF_MAX_PAGE_CHARS:,})")
    rules = merge_collinear(ruling_segments(page))
    if len(rules) > PDF_MAX_RULES:
        raise LimitExceeded(f"PDF page {page_number} has {len(rules):,} ruling lines (limit {PDF_MAX_RULES:,})")
    groups = _connected(rules)
    grids = [grid for grid in (build_grid(group, page_number) for group in groups) if grid is not None]
    inside, prose = _partition(dedupe_chars(page.chars), grids)
    placed: list[tuple[float, Block]] = [
        (grid.ys[0], table_block(grid, chars, page_number)) for grid, chars in zip(grids, inside, strict=True)
    ]
    placed += _prose_rows(prose, page_number, page.height)
    placed.sort(key=lambda item: item[0])
    return [block for _top, block in placed]


def check_contents(page: Any, page_number: int) -> None:
    """LimitExceeded when the page's content streams inflate past the cap, measured before pdfminer, which
    inflates each stream whole, reads the page (a 1 MB stream can inflate to 1 GB)."""
    left = PDF_MAX_PAGE_CONTENT_BYTES
    for stream in page.page_obj.contents:
        left -= _inflated_size(resolve1(stream), left + 1)
        if left < 0:
            raise LimitExceeded(
                f"PDF page {page_number} content inflates to more than "
                f"{format_size(PDF_MAX_PAGE_CONTENT_BYTES)} (limit "
                f"{format_size(PDF_MAX_PAGE_CONTENT_BYTES)})"
            )


def _inflated_size(stream: Any, most: int) -> int:
    """The size of a content stream once decoded, counted up to ``most`` bytes.

    A Flate stream (what producers write) is inflated a step at a time and thrown away; a stream with another
    first filter counts its raw size, and damaged data counts what inflates before the damage.
    """
    if not isinstance(stream, PDFStream):
        return 0
    if stream.data is not None:  # decoded already, for a page sharing it
        return len(stream.data)
    raw = stream.rawdata or b""
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(raw)
    inflater, size = zlib.decompressobj(), 0
    try:
        while raw and size < most and not inflater.eof:
            size += len(inflater.decompress(raw, _INFLATE_STEP))
            raw = inflater.unconsumed_tail
    except zlib.error:
        pass
    return size


def may_draw_text(page: Any) -> bool:
    """Whether the page's content streams, or the forms they draw, show text (``Tj``, ``TJ``, ``'``, ``"``).

    False for a scan: it has no text layer and goes to OCR without pdfminer's pass over it. The streams are
    decoded by pdfminer, which keeps the result for its own pass (after :func:`check_contents`).
    """
    resources = page.page_obj.resources
    return any(_shows_text(resolve1(stream), resources, set(), 0) for stream in page.page_obj.contents)


def _shows_text(stream: Any, resources: Any, seen: set[int], depth: int) -> bool:
    """A content stream shows text, or draws a form XObject that does; True when that cannot be told."""
    if not isinstance(stream, PDFStream):
        return False
    try:
        data = stream.get_data()
    except Exception:  # damaged data: pdfminer's pass says what it can
        return True
    return bool(_SHOWS_TEXT.search(data)) or _forms_show_text(resources, seen, depth)


def _forms_show_text(resources: Any, seen: set[int], depth: int) -> bool:
    """One of the form XObjects in ``resources`` shows text (each form looked at once, MAX_FORM_DEPTH deep)."""
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if not isinstance(xobjects, dict):
        return xobjects is not None
    for ref in xobjects.values():
        form = resolve1(ref)
        if not isinstance(form, PDFStream) or form.get("Subtype") is not LITERAL_FORM or id(form) in seen:
            continue
        seen.add(id(form))
        if depth >= MAX_FORM_DEPTH or _shows_text(form, resolve1(form.get("Resources")) or resources, seen, depth + 1):
            return True
    return False


def has_text_layer(chars: list[Char]) -> bool:
    """The page's characters are there, and not mostly unmapped glyph ids ("(cid:123)")."""
    text = "".join(ch["text"] for ch in chars)
    return bool(text.strip()) and len("".join(_CID.findall(text))) < len(text) / 2


def open_pdfium(content: bytes) -> pypdfium2.PdfDocument | None:
    """The file opened with pdfium (which renders pages for OCR), or None when pdfium cannot open it."""
    try:
        return pypdfium2.PdfDocument(content)
    except Exception:  # pypdfium2 raises its own PdfiumError and plain exceptions
        return None


def ocr_blocks(pdfium: pypdfium2.PdfDocument | None, index: int, page_number: int) -> list[Block]:
    """Blocks of a page without a text layer, read by OCR from a 300 dpi rendering (lower for a huge page)."""
    try:
        from gongkai.readers.ocr import ocr_page, render_page
    except ImportError as error:
        raise ReaderError(f"page {page_number} has no text layer and OCR is unavailable: {error}") from error
    if pdfium is None:
        raise ReaderError(f"page {page_number} has no text layer and cannot be rendered: pdfium cannot open the file")
    try:
        page = pdfium[index]
    except Exception as error:  # pypdfium2 raises its own PdfiumError and plain exceptions
        raise ReaderError(f"page {page_number} has no text layer and cannot be rendered: {error}") from error
    try:
        return ocr_page(render_page(page, page_number, OCR_SCALE), page_number)
    finally:
        page.close()


def join_pages(pages: list[list[Block]]) -> list[Block]:
    """All blocks in order; a table that closes one page and opens the next is one table."""
    blocks: list[Block] = []
    for page in pages:
        head = page[0] if page else None
        if blocks and isinstance(blocks[-1], Table) and isinstance(head, Table):
            blocks[-1] = Table(blocks[-1].rows + head.rows, blocks[-1].locator)
            page = page[1:]
        blocks.extend(page)
    return blocks


class PdfReader:
    """PDF files: the text layer where there is one, OCR for scanned pages."""

    media_types = (PDF,)

    def read(self, content: bytes) -> Document:
        warnings: list[tuple[str, str]] = []
        pdfium = open_pdfium(content)
        try:
            check_claimed_pages(pdfium)
            return Document(blocks=self._blocks(content, pdfium, warnings), media_type=PDF, warnings=warnings)
        finally:
            if pdfium is not None:
                pdfium.close()

    def _blocks(
        self, content: bytes, pdfium: pypdfium2.PdfDocument | None, warnings: list[tuple[str, str]]
    ) -> list[Block]:
        """Every page's blocks, read with pdfplumber (pdfium renders the scanned ones)."""
        try:
            pdf = pdfplumber.open(io.BytesIO(content))
        except Exception as error:  # pdfminer raises many unrelated types for broken or encrypted files
            raise _unreadable(error) from error
        check_page_tree(pdf)  # before `with pdf`: closing a PDF makes every one of its pages
        with pdf:
            try:
                pages = pdf.pages
            except Exception as error:  # a broken page tree
                raise _unreadable(error) from error
            return join_pages([read_page(pdfium, page, index, warnings) for index, page in enumerate(pages)])


def check_claimed_pages(pdfium: pypdfium2.PdfDocument | None) -> None:
    """LimitExceeded when the page tree claims too many pages (pdfium reads its /Count: no page is made).

    Without pdfium (it cannot open the file) pdfplumber says why, or reads what it can.
    """
    pages = len(pdfium) if pdfium is not None else 0
    if pages > PDF_MAX_PAGES:
        raise LimitExceeded(f"PDF has {pages:,} pages (limit {PDF_MAX_PAGES:,})")


def check_page_tree(pdf: pdfplumber.PDF) -> None:
    """LimitExceeded when pdfminer finds more pages than the cap, walking no further than one past it.

    pdfminer walks the page tree itself (a /Count can lie); ``pdf.pages`` would make every page first.
    """
    try:
        found = sum(1 for _page in islice(PDFPage.create_pages(pdf.doc), PDF_MAX_PAGES + 1))
    except Exception as error:  # a broken page tree
        raise _unreadable(error) from error
    if found > PDF_MAX_PAGES:
        raise LimitExceeded(f"PDF has more than {PDF_MAX_PAGES:,} pages (limit {PDF_MAX_PAGES:,})")


def _unreadable(error: Exception) -> ReaderError:
    """The reason a file cannot be opened; pdfplumber wraps pdfminer's error (PDFPasswordIncorrect, ...)."""
    inner = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    return ReaderError(f"not a readable PDF: {type(inner).__name__}: {inner}".rstrip(": "))


def read_page(
    pdfium: pypdfium2.PdfDocument | None, page: Any, index: int, warnings: list[tuple[str, str]]
) -> list[Block]:
    """One page from its text layer, or by OCR when it has none (noted in ``warnings``); the page's objects are
    let go once read."""
    page_number = index + 1
    try:
        check_contents(page, page_number)
        objects = page_objects(page) if may_draw_text(page) else None
        if objects is not None and has_text_layer(objects.chars):
            return text_page(objects, page_number)
    except ReaderError:
        raise
    except Exception as error:  # a damaged content stream
        raise ReaderError(f"page {page_number} cannot be read: {type(error).__name__}: {error}") from error
    finally:
        page.close()
    warnings.append(("PAGE_OCR", f"page {page_number} has no text layer; read by OCR"))
    return _without_page_numbers(ocr_blocks(pdfium, index, page_number))


def _without_page_numbers(blocks: list[Block]) -> list[Block]:
    """Drop a page number printed as the first or last line of an OCR-read page."""

    def is_number(block: Block) -> bool:
        return isinstance(block, Row) and bool(_PAGE_NUMBER.match(block.text))

    start, end = 0, len(blocks)
    if blocks and is_number(blocks[0]):
        start = 1
    if end > start and is_number(blocks[-1]):
        end -= 1
    return blocks[start:end]
