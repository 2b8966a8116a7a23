"""Reader for HTML pages: text blocks as rows, ``<table>`` grids with rowspan/colspan expanded.

Encoding comes from the bytes first (BOM, strict UTF-8) and the page's meta charset second, because CMS
pages often declare one charset and are saved in another. HTML that was stored inside a JavaScript string
literal (escaped quotes, ``\\n`` escapes) is unwrapped before parsing. Page chrome (scripts, navigation,
share widgets) is dropped; every other piece of body text is kept in reading order.

Hostile structure is refused before the work it would cost (see ``limits``): the element count before the
page is parsed, the nesting depth before it is walked, and each table's grid from its spans before it is built.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from gongkai.readers.document import Block, Cell, Document, LimitExceeded, ReaderError, Row, Table
from gongkai.readers.limits import (
    DOCUMENT_MAX_CELLS,
    HTML_MAX_DEPTH,
    HTML_MAX_ELEMENTS,
    TABLE_MAX_CELLS,
    TABLE_MAX_SPAN,
)
from gongkai.readers.sniff import HTML

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_GB_FAMILY = frozenset(codecs.lookup(name).name for name in ("gb2312", "gbk", "gb18030"))
_ESCAPED_TAG = re.compile(r"<[A-Za-z][^<>]*=\\[\"']")
_QUOTED_TAG = re.compile(r"<[A-Za-z][^<>]*=[\"']")
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
_JS_STRING = {quote: re.compile(rf"{quote}(?:[^{quote}\\]++|\\.)*+{quote}", re.DOTALL) for quote in "\"'"}
_JS_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|\r\n|.)", re.DOTALL)
_JS_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_HTML_TAG = re.compile(r"<(?:p|div|table|tr|td|br|span|h[1-6])[\s>/]", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "select",
    "button",
    "nav",
    "aside",
)
_EDGE_TAGS = ("header", "footer")  # dropped unless inside the article itself
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:share|bdshare|jiathis|social|nav|navbar|menu|breadcrumbs?|crumbs?|footer|copyright|toolbar)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "address",
        "center",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "hr",
        "body",
        "html",
        "caption",
        "header",
        "footer",
    }
)
_CELL_TAGS = ("td", "th")
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})


# ---- encoding ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    """Page text, the codec that decoded it, and a warning when the page's own charset claim was wrong."""

    text: str
    encoding: str
    warning: tuple[str, str] | None = None


def _declared_charset(content: bytes) -> str | None:
    """The charset a ``<meta>`` tag declares near the top of the page, as a Python codec name."""
    match = _META_CHARSET.search(content[:8192])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _strict(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _same_family(declared: str, used: str) -> bool:
    return declared == used or (declared in _GB_FAMILY and used in _GB_FAMILY)


def _plausible(encoding: str) -> bool:
    """An ASCII-compatible charset that can hold Chinese: not latin-1/cp1252 (decode anything) nor UTF-16."""
    return "<中".encode(encoding, errors="ignore")[:1] == b"<" and len("中".encode(encoding, errors="ignore")) > 0


def decode_html(content: bytes) -> Decoded:
    """Decode by BOM, then strict UTF-8, then the declared charset, then GB18030; warn when meta disagreed."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return Decoded(content.decode(encoding, errors="replace"), encoding)
    if content.isascii():
        return Decoded(content.decode("ascii"), "ascii")
    declared = _declared_charset(content)
    trusted = [declared] if declared and _plausible(declared) else []
    candidates = ["utf-8", *trusted, "gb18030"]
    for encoding in candidates:
        text = _strict(content, encoding)
        if text is not None:
            return Decoded(text, encoding, _charset_warning(declared, encoding))
    fallback = trusted[0] if trusted else "gb18030"
    text = content.decode(fallback, errors="replace")
    return Decoded(text, fallback, ("ENCODING_ERRORS", f"no charset decodes the page strictly; read as {fallback}"))


def _charset_warning(declared: str | None, used: str) -> tuple[str, str] | None:
    if declared is None or _same_family(declared, used):
        return None
    return ("ENCODING_MISMATCH", f"meta charset says {declared}; the bytes decode as {used}")


# ---- HTML inside a JavaScript string ----------------------------------------------------------------------


def _js_unescape(literal: str) -> str:
    """The value of a JavaScript string literal's body (without its quotes)."""

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] in "ux" and len(escape) > 1:
            return chr(int(escape[1:], 16))
        if escape in ("\n", "\r\n"):
            return ""  # line continuation
        return _JS_SIMPLE_ESCAPES.get(escape, escape)

    return _JS_ESCAPE.sub(replace, literal)


def _without_scripts(text: str) -> str:
    """The text with its ``<script>...</script>`` blocks removed; from a script that never closes on, kept.

    One pass: each close is searched once (a lazy regex rescanned the rest of the page from every opening
    tag that never closes, which took minutes on pages of many ``<script>``).
    """
    kept, position = [], 0
    while (opening := _SCRIPT_OPEN.search(text, position)) is not None:
        closing = _SCRIPT_CLOSE.search(text, opening.end())
        if closing is None:
            break
        kept.append(text[position : opening.start()])
        position = closing.end()
    kept.append(text[position:])
    return "".join(kept)


def _js_string_bodies(text: str) -> list[str]:
    """The bodies of the JavaScript string literals in ``text``, left to right, in one pass.

    A quote that never closes ends the search for its kind of quote: every later quote of that kind would
    run to the end of the text too (scanning again from each of them made pages of stray quotes quadratic).
    """
    bodies: list[str] = []
    position = 0
    next_quote = {quote: text.find(quote) for quote in "\"'"}
    while True:
        for quote in [q for q, at in next_quote.items() if 0 <= at < position]:
            next_quote[quote] = text.find(quote, position)
        open_quotes = {quote: at for quote, at in next_quote.items() if at >= 0}
        if not open_quotes:
            return bodies
        quote = min(open_quotes, key=open_quotes.__getitem__)
        literal = _JS_STRING[quote].match(text, open_quotes[quote])
        if literal is None:
            next_quote[quote] = -1
            continue
        bodies.append(literal.group(0)[1:-1])
        position = literal.end()


def _looks_js_wrapped(text: str) -> bool:
    """Tags outside ``<script>`` mostly carry backslash-escaped quotes: the page is a JS string literal."""
    outside_scripts = _without_scripts(text)
    escaped = len(_ESCAPED_TAG.findall(outside_scripts))
    return escaped >= 3 and escaped > len(_QUOTED_TAG.findall(outside_scripts))


def unwrap_js_html(text: str) -> str | None:
    """The HTML held in JavaScript string literals when the page is one (see above), else None."""
    if not _looks_js_wrapped(text):
        return None
    pieces = [_js_unescape(body) for body in _js_string_bodies(text)]
    html_pieces = [piece for piece in pieces if _HTML_TAG.search(piece)]
    return "\n".join(html_pieces) if html_pieces else _js_unescape(text)


# ---- chrome -----------------------------------------------------------------------------------------------


def _is_chrome(element: etree._Element) -> bool:
    tag = element.tag
    if tag in _DROPPED_TAGS:
        return True
    if element.find(".//table") is not None:
        return False  # never drop a table (or a layout wrapper around one)
    if tag in _EDGE_TAGS:
        return not any(a.tag in ("article", "main") for a in element.iterancestors())
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(_CHROME_WORDS.search(marks))


def strip_chrome(root: etree._Element) -> None:
    """Remove scripts, styles, navigation, headers/footers and share widgets; comments too."""
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(element)
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.getparent() is not None and _is_chrome(element):
            _drop(element)


def _drop(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# ---- text -------------------------------------------------------------------------------------------------


def join_pieces(pieces: list[str]) -> str:
    """Join text pieces: no separator next to Chinese text, one space between Latin words or numbers."""
    out = ""
    for piece in (p for p in pieces if p):
        if out and not (_CJK.search(out[-1]) or _CJK.search(piece[0])):
            out += " "
        out += piece
    return out


def _clean(text: str) -> str:
    """Collapse whitespace (NBSP included) to single spaces; whitespace-only text is empty."""
    return _SPACES.sub(" ", text).strip()


# ---- tables -----------------------------------------------------------------------------------------------


def _span(cell: etree._Element, name: str) -> int:
    match = re.match(r"\s*(\d+)", cell.get(name, "1"))
    return max(1, min(int(match.group(1)), TABLE_MAX_SPAN)) if match else 1


def cell_text(cell: etree._Element) -> str:
    """A cell's text: pieces split by ``<p>``/``<br>``/blocks, joined without spaces for Chinese."""
    return join_pieces([_clean(line) for line in _lines_of(cell)])


def _lines_of(element: etree._Element) -> list[str]:
    """The text of an element broken at block boundaries and ``<br>``."""
    lines = [""]

    def walk(node: etree._Element) -> None:
        if node.text:
            lines[-1] += node.text
        for child in node:
            breaks = child.tag == "br" or child.tag in _BLOCK_TAGS or child.tag in _TABLE_PARTS
            if breaks:
                lines.append("")
            walk(child)
            if breaks:
                lines.append("")
            if child.tail:
                lines[-1] += child.tail

    walk(element)
    return [line for line in lines if line.strip()]


def _cells(tr: etree._Element) -> list[etree._Element]:
    return [child for child in tr if child.tag in _CELL_TAGS]


def grid_size(rows: list[etree._Element]) -> tuple[int, int]:
    """The rows of a table's grid and an upper bound of its columns, from the cells' spans alone.

    A row is at most as wide as its own colspans plus the columns that rowspans from above take in it. For a
    well-formed table that is exactly its width; :func:`expand_grid` never makes a grid wider.
    """
    n_rows = len(rows)
    change = [0] * (n_rows + 1)  # change, from each row on, of the columns that rowspans from above take
    taken = width = 0
    for r, tr in enumerate(rows):
        taken += change[r]
        own = 0
        for cell in _cells(tr):
            rowspan, colspan = min(_span(cell, "rowspan"), n_rows - r), _span(cell, "colspan")
            own += colspan
            change[r + 1] += colspan
            change[r + rowspan] -= colspan
        width = max(width, own + taken)
    return n_rows, width


def check_grid(rows: list[etree._Element], number: int) -> int:
    """The grid cells table ``number`` will have (at most); LimitExceeded, before it is built, when too many."""
    n_rows, width = grid_size(rows)
    if n_rows * width > TABLE_MAX_CELLS:
        raise LimitExceeded(
            f"HTML table {number} would have {n_rows:,} x {width:,} grid cells (limit {TABLE_MAX_CELLS:,})"
        )
    return n_rows * width


def expand_grid(rows: list[etree._Element]) -> list[list[str | None]]:
    """The table as a true grid: each cell's text at its top-left position, None where a span covers.

    Its size is bounded by :func:`grid_size`, checked first (:func:`check_tables`).
    """
    grid: dict[tuple[int, int], str | None] = {}
    n_rows = len(rows)
    for r, tr in enumerate(rows):
        c = 0
        for cell in _cells(tr):
            while (r, c) in grid:
                c += 1
            rowspan = min(_span(cell, "rowspan"), n_rows - r)
            colspan = _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = cell_text(cell)
            c += colspan
    width = max((c for _r, c in grid), default=-1) + 1
    return [[grid.get((r, c), None) for c in range(width)] for r in range(n_rows)]


def make_table(rows: list[etree._Element], number: int) -> Table:
    """A :class:`Table` of grid rows whose spanned (or absent) positions are covered cells."""
    table_rows = []
    for r, texts in enumerate(expand_grid(rows), start=1):
        cells = tuple(
            Cell(text or "", f"table {number} r{r} c{c}", covered=text is None) for c, text in enumerate(texts, start=1)
        )
        table_rows.append(Row(cells, f"table {number} r{r}", grid=True))
    return Table(tuple(table_rows), f"table {number}")


# ---- walking the page -------------------------------------------------------------------------------------


@dataclass
class _Walker:
    """Collects blocks in reading order: one row per line of text, one table per data table."""

    blocks: list[Block] = field(default_factory=list)
    line: list[str] = field(default_factory=list)
    line_at: str = ""
    seen: dict[str, int] = field(default_factory=dict)  # rows already made per element path
    tables: int = 0

    def walk(self, element: etree._Element, path: str) -> list[Block]:
        self._visit(element, path)
        self._flush()
        return self.blocks

    def _visit(self, element: etree._Element, path: str) -> None:
        tag = element.tag
        if tag == "table" and not _is_layout(element):
            self._flush()
            for index, caption in enumerate(element.iter("caption"), start=1):
                self._visit(caption, f"{path}/caption[{index}]")
            self.tables += 1
            self.blocks.append(make_table(list(element.iter("tr")), self.tables))
            return
        is_block = tag in _BLOCK_TAGS or tag in _TABLE_PARTS
        if is_block:
            self._flush()
        self._add_text(element.text, path)
        siblings: dict[str, int] = {}
        for child in element:
            if isinstance(child.tag, str):
                siblings[child.tag] = siblings.get(child.tag, 0) + 1
                if child.tag == "br":
                    self._flush()
                else:
                    self._visit(child, f"{path}/{child.tag}[{siblings[child.tag]}]")
            self._add_text(child.tail, path)
        if is_block:
            self._flush()

    def _add_text(self, text: str | None, path: str) -> None:
        if not text:
            return
        if not self.line:
            self.line_at = path
        self.line.append(text)

    def _flush(self) -> None:
        text = _clean("".join(self.line))
        self.line = []
        if not text:
            return
        part = self.seen[self.line_at] = self.seen.get(self.line_at, 0) + 1
        locator = f"html {self.line_at}" + (f" line {part}" if part > 1 else "")
        self.blocks.append(Row((Cell(text, locator),), locator))


def _is_layout(table: etree._Element) -> bool:
    """A table used for page layout: it holds another table, so its cells are read as page text."""
    return table.find(".//table") is not None


def check_tables(root: etree._Element) -> None:
    """LimitExceeded when a data table, or all of them, would have too many grid cells; before any is built.

    Data tables are numbered in document order, as :class:`_Walker` numbers them.
    """
    total = 0
    data_tables = (table for table in root.iter("table") if not _is_layout(table))
    for number, table in enumerate(data_tables, start=1):
        total += check_grid(list(table.iter("tr")), number)
        if total > DOCUMENT_MAX_CELLS:
            raise LimitExceeded(f"HTML tables would have {total:,} grid cells in all (limit {DOCUMENT_MAX_CELLS:,})")


class HtmlReader:
    """HTML pages (and HTML embedded in JavaScript strings) to rows and table grids."""

    media_types = (HTML,)

    def read(self, content: bytes) -> Document:
        decoded = decode_html(content)
        warnings = [decoded.warning] if decoded.warning else []
        text = decoded.text
        unwrapped = unwrap_js_html(text)
        if unwrapped is not None:
            text = unwrapped
            warnings.append(("HTML_IN_JAVASCRIPT", "HTML unescaped from a JavaScript string literal"))
        root = _parse(text)
        strip_chrome(root)
        body = root.find("body")
        check_tables(body if body is not None else root)
        blocks = _Walker().walk(body, "/html/body") if body is not None else _Walker().walk(root, "/html")
        return Document(blocks=blocks, media_type=HTML, encoding=decoded.encoding, warnings=warnings)


def _parse(text: str) -> etree._Element:
    """The page's element tree; LimitExceeded for too many elements (before parsing) or too deep a nesting."""
    if not text.strip():
        raise ReaderError("empty HTML page")
    text = _XML_DECLARATION.sub("", text.replace("\x00", ""), count=1)
    check_elements(text)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ReaderError(f"unparseable HTML: {error}") from error
    check_depth(root)
    return root


def check_elements(text: str) -> None:
    """LimitExceeded when the page may have too many elements: every '<' but those of end tags may open one."""
    tags = text.count("<") - text.count("</")
    if tags > HTML_MAX_ELEMENTS:
        raise LimitExceeded(f"HTML page has up to {tags:,} elements (limit {HTML_MAX_ELEMENTS:,})")


def check_depth(root: etree._Element) -> None:
    """LimitExceeded when elements nest deeper than the cap (lxml stops at 256 and drops the rest of the page)."""
    depth = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > HTML_MAX_DEPTH:
            raise LimitExceeded(f"HTML elements are nested more than {HTML_MAX_DEPTH} deep (limit {HTML_MAX_DEPTH})")
