"""Caps on what the readers accept, so that hostile structure is refused early and cheaply.

Each cap is far above what a real report needs (text reports are 5-60 KB, HTML pages up to ~1 MB with a
few thousand elements, PDFs up to ~100 pages, a DOCX's document.xml up to a few MB) and low enough that a
file at the cap costs the reader, and the parser after it, seconds and a few hundred MB rather than the
per-file time and memory limits. A reader checks a cap before allocating in proportion to what it counts
and raises :class:`~gongkai.readers.document.LimitExceeded` when it is passed.
"""

from __future__ import annotations

# ---- every document (read_document checks what any reader made; the text reader checks lines first) ---------
DOCUMENT_MAX_ROWS = 100_000  # a 100-page PDF makes ~5,000 rows; the parser reads 100,000 in ~10 s
DOCUMENT_MAX_ROW_CELLS = 1_000  # the widest real rows have ~30 cells
DOCUMENT_MAX_CELLS = 500_000  # real reports have a few thousand; a cell costs ~300 B and ~10 us to parse
DOCUMENT_MAX_ROW_CHARS = 200_000  # a whole 60 KB report flattened onto one line is ~30,000 characters
DOCUMENT_MAX_CHARS = 2_000_000  # a 100-page PDF has ~150,000; the parser reads 1,000,000 in ~10 s

# ---- tables (HTML <table>, DOCX w:tbl, ruled PDF grids), checked from the spans before the grid is built --
TABLE_MAX_SPAN = 1_000  # an HTML rowspan/colspan above this is read as this; real spans are under 50
TABLE_MAX_CELLS = 100_000  # grid positions of one table, merged cells expanded; real tables have < 1,000

# ---- HTML ------------------------------------------------------------------------------------------------------
HTML_MAX_ELEMENTS = 300_000  # start tags, counted before parsing; a 1 MB real page has a few thousand
HTML_MAX_DEPTH = 200  # real pages nest ~30 deep; lxml stops at 256 and silently drops the rest

# ---- PDF -------------------------------------------------------------------------------------------------------
PDF_MAX_PAGES = 500  # real reports have up to ~100 pages
PDF_MAX_RULES = 1_000  # ruling lines on a page once joined; real pages have < 60, tables cost rules^2
PDF_MAX_PAGE_CHARS = 20_000  # a dense real page has ~4,000; placing them in tables costs chars x tables
PDF_MAX_PAGE_CONTENT_BYTES = 32 * 2**20  # a page's content inflated (pdfminer inflates it whole); real pages < 1 MB
OCR_MAX_PIXELS = 20_000_000  # largest render for OCR (A4 at 300 dpi is 8.7 M, A3 17.4 M); beyond: lower dpi
OCR_MAX_PAGE_POINTS = 14_400  # PDF's largest page side (200 in); a bigger page is refused, not rendered

# ---- DOCX (a zip of XML parts), checked on the central directory before anything is decompressed ------------
ZIP_MAX_ENTRIES = 10_000  # a DOCX has 10-30 parts, a few hundred with many images
ZIP_MAX_MEMBER_BYTES = 64 * 2**20  # document.xml of a real report is a few MB, so is an embedded image
ZIP_MAX_TOTAL_BYTES = 256 * 2**20  # all parts together; python-docx holds every part in memory
ZIP_MAX_RATIO = 200  # real XML parts compress up to ~50:1, a zip bomb ~1000:1
ZIP_RATIO_MIN_BYTES = 2**20  # smaller parts are not judged by ratio (a few KB of blank compress 1000:1)
XML_MAX_ELEMENTS = 1_000_000  # in all XML parts, counted before python-docx builds trees; reports have ~20,000

# ---- legacy Word -----------------------------------------------------------------------------------------------
LIBREOFFICE_SECONDS = 60.0  # a conversion takes 1-3 s; stays under the parse worker's 120 s time limit
