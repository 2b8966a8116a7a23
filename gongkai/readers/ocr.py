"""OCR reader: page images (scans, pasted table pictures) to rows and tables the parser can read.

RapidOCR finds text boxes. Ruled tables are found with opencv morphology; each enclosed white region of a
table is a grid cell, so merged cells come out once, in the grid row where they start. Cells that look like
values are read a second time from a tight crop of their ink, because the detector often misses or
under-scores lone digits. Text outside tables is grouped into lines, and lines into cells by wide gaps
(also between the characters of one detected box). A skewed page is turned level first, so locators are
pixels of the levelled page.
OCR cells are never certain: confidence is capped below 1, and digits read with a low score fall below the
pipeline's 0.8 threshold so they are flagged rather than trusted.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from statistics import median

import cv2
import numpy as np
import pypdfium2
from PIL import Image

from gongkai.readers.document import Block, Cell, Document, LimitExceeded, ReaderError, Row, Table
from gongkai.readers.limits import OCR_MAX_PAGE_POINTS, OCR_MAX_PIXELS, PDF_MAX_PAGES
from gongkai.readers.ocr_slots import ocr_slot
from gongkai.readers.sniff import PDF

log = logging.getLogger(__name__)
cv2.setNumThreads(1)  # like onnxruntime (see _engine): one page's OCR takes one core

MAX_CONFIDENCE = 0.9  # no OCR cell is fully certain
DIGITS_TRUSTED = 0.95  # a number read with a lower score is flagged (confidence below FLAG_BELOW)
FLAG_BELOW = 0.8
UNREADABLE = 0.0  # confidence of a cell with ink that OCR could not read
DISAGREEMENT = 0.5  # confidence when the two readings of a value cell differ
_CELL_GAP = 1.0  # a gap wider than this many text heights splits a text line into cells
_KIND_GAP = 0.5  # a narrower gap does when it lies between a digit and a non-digit ("出具  0")
_NUMBER_SYMBOLS = tuple("0123456789.,-")
_NUMBER_ALIAS = {
    "O": "0",
    "o": "0",
    "〇": "0",
    "．": ".",
    "，": ",",
    "－": "-",
    "—": "-",
    **{chr(ord("０") + d): str(d) for d in range(10)},
}
_MARGIN = 0.1  # share of the page height at top and bottom where page numbers are printed
_PAGE_NUMBER = re.compile(r"^[-—－–\s]*\d{1,3}[-—－–\s]*$")
_FORM_WORD_FIXES = (("子以公开", "予以公开"), ("不子公开", "不予公开"), ("不子处理", "不予处理"), ("中请", "申请"))
_MAX_SKEW = 0.15  # degrees of page skew tolerated before the page is turned level
_MIN_NUMBER_RATIO = 2.0  # width/height the recognizer input is padded to for short text
_DETECT_SIDE = 1600  # longest side of the page image the text detector sees (A4: 137 dpi)
_REC_HEIGHT = 48  # the recognizer's input height (PP-OCRv4)
_NUMBER_BATCH = 6  # number crops of one width read in one recognizer call (larger batches run slower)
_SECOND_LOOK_MARGIN = 3  # pixels kept clear of a cell's ruling lines when an empty-looking cell is read again
_SECOND_LOOK_ZOOM = 3  # how much the empty-looking cell is enlarged for its second reading
_FAINT_INK = 200  # grey level below which a pixel counts as (faint) ink on the second look
_MIN_FAINT_PIXELS = 8  # a connected stroke smaller than this is speckle: the cell is blank
_VALUE_LIKE = re.compile(r"^[\s\d.,，．+\-—－/／oOlI|°]*$")

Rect = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Box:
    """One OCR text box, axis-aligned, in image pixels."""

    rect: Rect
    text: str
    score: float

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.rect
        return (x0 + x1) / 2, (y0 + y1) / 2

    @property
    def height(self) -> int:
        return self.rect[3] - self.rect[1]


@dataclass
class _GridCell:
    """One enclosed region of a ruled table, with the boxes whose centre lies in it."""

    rect: Rect
    boxes: list[_Box]
    ink: Rect | None = None  # bounding box of the ink inside, away from the rules
    number: tuple[str, float] | None = None  # the ink read as a number, with its score


@lru_cache(maxsize=1)
def _engine():
    """The process-wide RapidOCR engine (loading the models takes about a second).

    One onnxruntime thread: a worker's OCR never takes more than one core (pages run in parallel across workers,
    and one thread with no pool to spin is also the fastest on a shared core). No angle classifier: scans are
    upright or nearly so (turned level by :func:`_upright`). Text crops are padded to _MIN_NUMBER_RATIO, not to
    RapidOCR's 320 pixels, which made a lone digit cost as much as a line of text.
    """
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(
        intra_op_num_threads=1,
        inter_op_num_threads=1,
        use_cls=False,
        max_side_len=_DETECT_SIDE,
        rec_img_shape=[3, _REC_HEIGHT, int(_REC_HEIGHT * _MIN_NUMBER_RATIO)],
        rec_batch_num=1,
    )


def _ocr(pixels: np.ndarray) -> list:
    """RapidOCR results with character boxes: [points, text, score, char_points, chars, char_scores]."""
    result, _elapsed = _engine()(pixels, return_word_box=True)
    return result or []


def _boxes(result: list) -> list[_Box]:
    """Axis-aligned boxes of RapidOCR results, each split where its characters leave a wide gap.

    The detector joins a row of spaced numbers ("21  0  0 ... 21") into one box; the gaps between its
    characters separate them again. A split part keeps the score of its weakest character.
    """
    boxes = []
    for points, _text, _score, char_points, chars, char_scores in result:
        top, bottom = min(p[1] for p in points), max(p[1] for p in points)
        for part in _char_runs(char_points, chars, bottom - top):
            text = "".join(chars[i] for i in part).strip()
            xs = [p[0] for i in part for p in char_points[i]]
            if text:
                rect = (int(min(xs)), int(top), int(max(xs)), int(bottom))
                boxes.append(_Box(rect, text, float(min(char_scores[i] for i in part))))
    return boxes


def _char_runs(char_points: list, chars: list[str], height: float) -> list[list[int]]:
    """Indexes of a box's characters, grouped into runs separated by wide gaps."""
    runs: list[list[int]] = []
    for index, char_box in enumerate(char_points):
        if runs:
            gap = min(p[0] for p in char_box) - max(p[0] for p in char_points[index - 1])
            kind_changes = chars[index].isdigit() != chars[index - 1].isdigit()
            if gap <= (_KIND_GAP if kind_changes else _CELL_GAP) * height:
                runs[-1].append(index)
                continue
        runs.append([index])
    return runs


def _detect(pixels: np.ndarray) -> list[_Box]:
    return _boxes(_ocr(pixels))


def _skew_degrees(result: list) -> float:
    """Median slope of the top edges of long text boxes, in degrees (positive: text rises to the right)."""
    angles = []
    for points, *_rest in result:
        (x0, y0), (x1, y1) = points[0][:2], points[1][:2]
        height = abs(points[3][1] - points[0][1])
        if x1 - x0 > 3 * max(height, 1):
            angles.append(np.degrees(np.arctan2(y0 - y1, x1 - x0)))
    return float(median(angles)) if angles else 0.0


def _upright(pixels: np.ndarray) -> tuple[np.ndarray, list[_Box]]:
    """The page turned level when it is scanned askew (ruling lines must be horizontal), and its boxes."""
    result = _ocr(pixels)
    angle = _skew_degrees(result)
    if abs(angle) < _MAX_SKEW:
        return pixels, _boxes(result)
    height, width = pixels.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    level = cv2.warpAffine(pixels, turn, (width, height), flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255))
    return level, _detect(level)


def _ink(gray: np.ndarray) -> np.ndarray:
    """Dark pixels as 255 (Otsu threshold; light table fills stay background)."""
    _threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def _ruling(ink: np.ndarray, text_height: int) -> np.ndarray:
    """Horizontal and vertical ruling lines: ink runs much longer than a character."""
    long_run = max(3 * text_height, 20)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_run, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_run)))
    return cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))


def _tables(lines: np.ndarray, text_height: int) -> list[Rect]:
    """Bounding boxes of ruled grids: line networks with both width and height of several text lines."""
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(lines, connectivity=8)
    rects = []
    for x, y, w, h, _area in stats[1:count]:
        if w > 8 * text_height and h > 2 * text_height:
            rects.append((int(x), int(y), int(x + w), int(y + h)))
    return sorted(rects, key=lambda r: r[1])


def _extend_to_edges(grid: np.ndarray, reach: int) -> None:
    """Extend ruling lines that stop just short of the table's edge (a table cut by a page break)."""
    if min(grid.shape) <= 4 * reach:
        return
    grid[:reach, grid[reach : 2 * reach].all(axis=0)] = 255
    grid[-reach:, grid[-2 * reach : -reach].all(axis=0)] = 255
    grid[grid[:, reach : 2 * reach].all(axis=1), :reach] = 255
    grid[grid[:, -2 * reach : -reach].all(axis=1), -reach:] = 255


def _grid_cells(lines: np.ndarray, table: Rect, text_height: int) -> tuple[list[Rect], np.ndarray]:
    """The table's cells (enclosed white regions) and a label image mapping pixels to cell numbers."""
    x0, y0, x1, y1 = table
    grid = lines[y0:y1, x0:x1].copy()
    _extend_to_edges(grid, max(text_height // 2, 2))
    free = cv2.bitwise_not(grid)
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(free, connectivity=4)
    rects = []
    for x, y, w, h, _area in stats[1:count]:
        rects.append((int(x0 + x), int(y0 + y), int(x0 + x + w), int(y0 + y + h)))
    return rects, labels


def _cell_of(box: _Box, table: Rect, labels: np.ndarray) -> int | None:
    """Index of the grid cell holding the box's centre (searching a few pixels around a ruling line)."""
    cx, cy = (int(v) for v in box.centre)
    x0, y0, x1, y1 = table
    if not (x0 <= cx < x1 and y0 <= cy < y1):
        return None
    for dx, dy in ((0, 0), (3, 0), (-3, 0), (0, 3), (0, -3), (6, 0), (-6, 0), (0, 6), (0, -6)):
        x, y = cx - x0 + dx, cy - y0 + dy
        if 0 <= x < x1 - x0 and 0 <= y < y1 - y0 and labels[y, x] > 0:
            return int(labels[y, x]) - 1
    return None


def _straddles(box: _Box, rect: Rect, text_height: int) -> bool:
    """True when the box reaches well past its cell's sides: the detector merged text of several cells."""
    slack = text_height / 2
    return box.rect[0] < rect[0] - slack or box.rect[2] > rect[2] + slack


def _text_lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes grouped into lines: a box joins a line when their vertical centres overlap; lines top to bottom."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.centre[1]):
        line = lines[-1] if lines else None
        if line is not None and abs(box.centre[1] - _line_centre(line)) < min(box.height, line[0].height) / 2:
            line.append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.rect[0]) for line in lines]


def _line_centre(line: list[_Box]) -> float:
    return sum(b.centre[1] for b in line) / len(line)


def _union(boxes: list[_Box]) -> Rect:
    return (
        min(b.rect[0] for b in boxes),
        min(b.rect[1] for b in boxes),
        max(b.rect[2] for b in boxes),
        max(b.rect[3] for b in boxes),
    )


def _locator(page: int, rect: Rect) -> str:
    return f"p{page} ocr bbox({rect[0]},{rect[1]},{rect[2]},{rect[3]})"


def _confidence(text: str, score: float) -> float:
    """Capped OCR score; numbers read with less than DIGITS_TRUSTED drop below the flag threshold."""
    confidence = min(score, MAX_CONFIDENCE)
    if any(ch.isdigit() for ch in text) and score < DIGITS_TRUSTED:
        confidence = min(confidence, FLAG_BELOW - 0.01)
    return round(confidence, 3)


def _line_cells(line: list[_Box], page: int) -> list[Cell]:
    """Split one text line into cells at gaps wider than _CELL_GAP text heights."""
    groups: list[list[_Box]] = [[line[0]]]
    for box in line[1:]:
        gap = box.rect[0] - groups[-1][-1].rect[2]
        if gap > _CELL_GAP * median(b.height for b in line):
            groups.append([box])
        else:
            groups[-1].append(box)
    return [_cell(group, page) for group in groups]


def _fix_form_words(text: str) -> str:
    """Undo OCR confusions inside the form's own words (予 read as 子 in 予以公开, 不予公开, 不予处理)."""
    for wrong, right in _FORM_WORD_FIXES:
        text = text.replace(wrong, right)
    return text


def _cell(boxes: list[_Box], page: int) -> Cell:
    text = _fix_form_words("".join(b.text for b in boxes))
    return Cell(text, _locator(page, _union(boxes)), _confidence(text, min(b.score for b in boxes)))


def _ink_rect(ink: np.ndarray, rect: Rect, margin: int = 4) -> Rect | None:
    """Bounding box of the ink inside a grid cell, away from its ruling lines."""
    x0, y0, x1, y1 = rect[0] + margin, rect[1] + margin, rect[2] - margin, rect[3] - margin
    if x1 <= x0 or y1 <= y0:
        return None
    points = cv2.findNonZero(ink[y0:y1, x0:x1])
    if points is None or len(points) < 6:
        return None
    x, y, w, h = cv2.boundingRect(points)
    return x0 + x, y0 + y, x0 + x + w, y0 + y + h


def _crop(pixels: np.ndarray, rect: Rect, margin: int = 2) -> np.ndarray:
    x0, y0, x1, y1 = rect
    return pixels[max(y0 - margin, 0) : y1 + margin, max(x0 - margin, 0) : x1 + margin]


@lru_cache(maxsize=1)
def _number_classes() -> tuple[np.ndarray, ...]:
    """Recognizer classes of each symbol group: blank, each number symbol, any other character."""
    characters = _engine().text_rec.postprocess_op.character
    groups: list[list[int]] = [[0]] + [[] for _symbol in _NUMBER_SYMBOLS] + [[]]
    for index, char in enumerate(characters[1:], start=1):
        char = _NUMBER_ALIAS.get(char, char)
        groups[_NUMBER_SYMBOLS.index(char) + 1 if char in _NUMBER_SYMBOLS else -1].append(index)
    return tuple(np.array(group, dtype=np.intp) for group in groups)


def _symbol_mass(frames: np.ndarray) -> np.ndarray:
    """Per frame, the probability of each symbol group (sums of columns: a matrix product would call BLAS,
    whose threads fight over a worker's one core and cost more than the recognizer)."""
    return np.stack([frames[:, group].sum(axis=1) for group in _number_classes()], axis=1)


def _as_number_text(text: str) -> str:
    return "".join(_NUMBER_ALIAS.get(char, char) for char in text if not char.isspace())


def _read_number(pixels: np.ndarray, rect: Rect) -> tuple[str, float] | None:
    """Read a crop as a number (see :func:`_decode_number`); the crop is padded to at least twice its height."""
    return _read_numbers(pixels, [rect])[0]


def _read_numbers(pixels: np.ndarray, rects: list[Rect]) -> list[tuple[str, float] | None]:
    """:func:`_read_number` of each crop; crops of the same recognizer width are read in one call."""
    recognizer = _engine().text_rec
    inputs = []
    for rect in rects:
        crop = _crop(pixels, rect)
        inputs.append(recognizer.resize_norm_img(crop, max(crop.shape[1] / crop.shape[0], _MIN_NUMBER_RATIO)))
    by_width: dict[int, list[int]] = {}
    for index, norm in enumerate(inputs):
        by_width.setdefault(norm.shape[2], []).append(index)
    readings: list[tuple[str, float] | None] = [None] * len(inputs)
    for indexes in by_width.values():
        for start in range(0, len(indexes), _NUMBER_BATCH):
            batch = indexes[start : start + _NUMBER_BATCH]
            frames = recognizer.session(np.stack([inputs[i] for i in batch]).astype(np.float32))[0]
            for index, frame in zip(batch, frames, strict=True):
                readings[index] = _decode_number(_symbol_mass(frame))
    return readings


def _decode_number(mass: np.ndarray) -> tuple[str, float] | None:
    """Greedy CTC decoding over symbol groups, so the probability of glyphs that mean the same symbol adds up.

    None when any character is not a number symbol. The score is the weakest symbol's probability; a blank
    frame counts too when a different symbol came close, as that symbol may have been dropped.
    """
    other = mass.shape[1] - 1
    text, score, previous = "", 1.0, 0
    for row in mass:
        best = int(row.argmax())
        if best == other:
            return None
        if best == 0:
            runner = int(row[1:other].argmax()) + 1
            if runner != previous:
                score = min(score, 1.0 - float(row[runner]))
        else:
            if best != previous:
                text += _NUMBER_SYMBOLS[best - 1]
            score = min(score, float(row[best]))
        previous = best
    return (text, score) if text else None


def _detect_in(pixels: np.ndarray, rect: Rect) -> list[_Box]:
    """Detect and read the text of one grid cell on its own (boxes in page pixels)."""
    pad = 8
    crop = cv2.copyMakeBorder(_crop(pixels, rect), pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    dx, dy = max(rect[0] - 2, 0) - pad, max(rect[1] - 2, 0) - pad
    return [
        _Box((x0 + dx, y0 + dy, x1 + dx, y1 + dy), box.text, box.score)
        for box in _detect(crop)
        for x0, y0, x1, y1 in (box.rect,)
    ]


def _may_be_number(ink: Rect, boxes: list[_Box], text_height: int) -> bool:
    """Ink of one short line (a few digits high and wide) whose detected text, if any, looks like a number."""
    width, height = ink[2] - ink[0], ink[3] - ink[1]
    return (
        text_height / 3 <= height <= 2 * text_height
        and width <= 10 * text_height
        and bool(_VALUE_LIKE.match("".join(b.text for b in boxes)))
    )


def _number_cell(grid: _GridCell, page: int) -> Cell | None:
    """The cell read as a number; a reading that disagrees with the detector's is kept but flagged."""
    if grid.number is None or grid.ink is None:
        return None
    text, score = grid.number
    confidence = _confidence(text, score)
    if grid.boxes and _as_number_text("".join(b.text for b in grid.boxes)) != text:
        confidence = min(confidence, DISAGREEMENT)
    return Cell(text, _locator(page, grid.ink), confidence)


def _grid_cell(grid: _GridCell, page: int, pixels: np.ndarray) -> Cell:
    """One grid cell: its number reading when it has one, else its text boxes in line order."""
    number = _number_cell(grid, page)
    if number is not None:
        return number
    if grid.boxes:
        return _cell([box for line in _text_lines(grid.boxes) for box in line], page)
    if grid.ink is None:
        return _second_look(pixels, grid.rect, page)
    boxes = _detect_in(pixels, grid.ink)
    if not boxes:
        return Cell("", _locator(page, grid.ink), UNREADABLE)  # ink that reads as nothing: not a sure blank
    return _cell([box for line in _text_lines(boxes) for box in line], page)


def _second_look(pixels: np.ndarray, rect: Rect, page: int) -> Cell:
    """A grid cell that looks empty, read again before it counts as blank.

    Its interior, cropped tighter than the first look, is searched for a stroke darker than ``_FAINT_INK`` (a thin
    "1" that the page's threshold lost); speckle does not count. No stroke: a blank. Otherwise the crop is enlarged
    ``_SECOND_LOOK_ZOOM`` times and read. Ink that
    reads as a number: that number, flagged (confidence below FLAG_BELOW), since the first look saw nothing.
    Ink that does not read: unreadable, never a blank.
    """
    x0, y0, x1, y1 = (
        rect[0] + _SECOND_LOOK_MARGIN,
        rect[1] + _SECOND_LOOK_MARGIN,
        rect[2] - _SECOND_LOOK_MARGIN,
        rect[3] - _SECOND_LOOK_MARGIN,
    )
    if x1 - x0 < 4 or y1 - y0 < 4:
        return Cell("", _locator(page, rect), MAX_CONFIDENCE)
    faint_mask = (cv2.cvtColor(pixels[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY) < _FAINT_INK).astype(np.uint8)
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(faint_mask, connectivity=8)
    if count < 2 or int(stats[1:, cv2.CC_STAT_AREA].max()) < _MIN_FAINT_PIXELS:
        return Cell("", _locator(page, rect), MAX_CONFIDENCE)
    zoomed = cv2.resize(
        pixels[y0:y1, x0:x1], None, fx=_SECOND_LOOK_ZOOM, fy=_SECOND_LOOK_ZOOM, interpolation=cv2.INTER_CUBIC
    )
    faint = (cv2.cvtColor(zoomed, cv2.COLOR_RGB2GRAY) < _FAINT_INK).astype(np.uint8) * 255
    points = cv2.findNonZero(faint)
    x, y, w, h = cv2.boundingRect(points)
    reading = _read_number(zoomed, (x, y, x + w, y + h))
    if reading is None:
        return Cell("", _locator(page, rect), UNREADABLE)
    text, score = reading
    return Cell(text, _locator(page, rect), min(_confidence(text, score), FLAG_BELOW - 0.01))


def _table_rows(cells: list[_GridCell], text_height: int) -> list[list[_GridCell]]:
    """Grid rows: cells grouped by their top edge, so a merged cell appears in the first row it spans."""
    rows: list[list[_GridCell]] = []
    for cell in sorted(cells, key=lambda c: c.rect[1]):
        if rows and cell.rect[1] - rows[-1][0].rect[1] < text_height / 2:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    return [sorted(row, key=lambda c: c.rect[0]) for row in rows]


def _fill_grid(
    table: Rect, boxes: list[_Box], lines: np.ndarray, ink: np.ndarray, text_height: int
) -> tuple[list[_GridCell], list[_Box]]:
    """The table's grid cells with their boxes and ink, and the boxes that fell outside every cell."""
    rects, labels = _grid_cells(lines, table, text_height)
    grid = [_GridCell(rect, []) for rect in rects]
    outside = []
    for box in boxes:
        index = _cell_of(box, table, labels)
        if index is None:
            outside.append(box)
        elif not _straddles(box, grid[index].rect, text_height):
            grid[index].boxes.append(box)  # a box across ruling lines is dropped; its cells are read again
    min_side = text_height / 2
    grid = [g for g in grid if g.rect[2] - g.rect[0] > min_side and g.rect[3] - g.rect[1] > min_side]
    for cell in grid:
        cell.ink = _ink_rect(ink, cell.rect)
    return grid, outside


def _read_table(
    table: Rect,
    boxes: list[_Box],
    lines: np.ndarray,
    page: int,
    pixels: np.ndarray,
    ink: np.ndarray,
    text_height: int,
    number: int,
) -> tuple[Table, list[_Box]]:
    """One ruled table as a Table block, and the boxes that fell outside its cells."""
    grid, outside = _fill_grid(table, boxes, lines, ink, text_height)
    values = [
        (cell, cell.ink) for cell in grid if cell.ink is not None and _may_be_number(cell.ink, cell.boxes, text_height)
    ]
    for (cell, _ink), reading in zip(values, _read_numbers(pixels, [ink for _cell, ink in values]), strict=True):
        cell.number = reading
    rows = []
    for index, row in enumerate(_table_rows(grid, text_height), start=1):
        cells = tuple(_grid_cell(g, page, pixels) for g in row)
        rows.append(Row(cells, f"p{page} ocr table {number} r{index}"))
    return Table(tuple(rows), f"p{page} ocr table {number}"), outside


def _reread_numbers(pixels: np.ndarray, boxes: list[_Box], text_height: int) -> list[_Box]:
    """Boxes outside tables that look like numbers, read again as numbers (as grid cells are)."""
    values = [box for box in boxes if _may_be_number(box.rect, [box], text_height)]
    numbers = dict(zip(values, _read_numbers(pixels, [box.rect for box in values]), strict=True))
    reread = []
    for box in boxes:
        number = numbers.get(box)
        if number is None:
            reread.append(box)
            continue
        text, score = number
        if _as_number_text(box.text) != text:
            score = min(score, DISAGREEMENT)
        reread.append(_Box(box.rect, text, score))
    return reread


def _stray_numbers(pixels: np.ndarray, ink: np.ndarray, covered: list[Rect], text_height: int) -> list[_Box]:
    """Numbers the detector missed outside tables (lone digits far from other text), read from their ink."""
    mask = ink.copy()
    for x0, y0, x1, y1 in covered:
        mask[max(y0 - 2, 0) : y1 + 2, max(x0 - 2, 0) : x1 + 2] = 0
    reach = max(text_height // 3, 1)
    joined = cv2.dilate(mask, np.ones((reach, reach), np.uint8))
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(joined, connectivity=8)
    found = [
        _ink_rect(mask, (int(x), int(y), int(x + w), int(y + h)), margin=0) for x, y, w, h, _area in stats[1:count]
    ]
    values = [rect for rect in found if rect is not None and _may_be_number(rect, [], text_height)]
    return [
        _Box(rect, *number)
        for rect, number in zip(values, _read_numbers(pixels, values), strict=True)
        if number is not None
    ]


def _is_page_number(line: list[_Box], page_height: int) -> bool:
    """A lone number such as '- 3 -' in the top or bottom margin: the page number, not a value."""
    _x0, top, _x1, bottom = _union(line)
    in_margin = bottom < _MARGIN * page_height or top > (1 - _MARGIN) * page_height
    return in_margin and bool(_PAGE_NUMBER.match("".join(b.text for b in line)))


def _text_rows(
    boxes: list[_Box], tables: list[Rect], pixels: np.ndarray, ink: np.ndarray, text_height: int, page: int
) -> list[tuple[int, Row]]:
    """The text outside tables as rows (with their top edge), page numbers left out."""
    boxes = _reread_numbers(pixels, boxes, text_height)
    boxes += _stray_numbers(pixels, ink, [b.rect for b in boxes] + tables, text_height)
    rows = []
    for line in _text_lines(boxes):
        if not _is_page_number(line, pixels.shape[0]):
            top = _union(line)[1]
            rows.append((top, Row(tuple(_line_cells(line, page)), _locator(page, _union(line)))))
    return rows


def ocr_page(image: Image.Image, page_number: int) -> list[Block]:
    """OCR one page image into blocks in reading order: text lines as rows, ruled tables as tables.

    The page is read while holding one of the machine's OCR slots (:mod:`gongkai.readers.ocr_slots`).
    """
    with ocr_slot():
        return _read_page(image, page_number)


def _read_page(image: Image.Image, page_number: int) -> list[Block]:
    started = time.perf_counter()
    pixels = np.array(image.convert("RGB"))
    pixels, boxes = _upright(pixels)
    detected = len(boxes)
    if not boxes:
        raise ReaderError(f"page {page_number}: OCR found no text")
    text_height = int(median(b.height for b in boxes))
    ink = _ink(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY))
    lines = _ruling(ink, text_height)
    placed: list[tuple[int, Block]] = []
    tables = _tables(lines, text_height)
    for number, table in enumerate(tables, start=1):
        block, boxes = _read_table(table, boxes, lines, page_number, pixels, ink, text_height, number)
        placed.append((table[1], block))
    placed += _text_rows(boxes, tables, pixels, ink, text_height, page_number)
    placed.sort(key=lambda item: item[0])
    log.info("OCR page %d: %d boxes in %.2f s", page_number, detected, time.perf_counter() - started)
    return [block for _top, block in placed]


def render_scale(width: float, height: float, page_number: int, scale: float) -> float:
    """``scale``, or less when a page of ``width`` x ``height`` points would render to more than OCR_MAX_PIXELS.

    LimitExceeded for a page bigger than any PDF may have: a bogus MediaBox, not a page worth reading.
    """
    if max(width, height) > OCR_MAX_PAGE_POINTS:
        raise LimitExceeded(
            f"PDF page {page_number} is {width:,.0f} x {height:,.0f} pt (limit {OCR_MAX_PAGE_POINTS:,} pt a side)"
        )
    fit = math.sqrt(OCR_MAX_PIXELS / max(width * height, 1.0))
    return min(scale, fit)


def render_page(page: pypdfium2.PdfPage, page_number: int, scale: float) -> Image.Image:
    """A pypdfium2 page rendered for OCR at ``scale`` (see :func:`render_scale`)."""
    try:
        width, height = page.get_size()
    except Exception as error:  # pypdfium2 raises its own PdfiumError and plain exceptions
        raise ReaderError(f"page {page_number} has no text layer and cannot be rendered: {error}") from error
    scale = render_scale(width, height, page_number, scale)
    try:
        return page.render(scale=scale).to_pil()
    except Exception as error:
        raise ReaderError(f"page {page_number} has no text layer and cannot be rendered: {error}") from error


def read_scanned_pdf(content: bytes, scale: float = 2.0) -> Document:
    """Render every page of a PDF without a text layer and OCR it."""
    try:
        pdf = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError as error:
        raise ReaderError(f"PDF cannot be opened: {error}") from error
    if len(pdf) > PDF_MAX_PAGES:
        raise LimitExceeded(f"PDF has {len(pdf):,} pages (limit {PDF_MAX_PAGES:,})")
    blocks: list[Block] = []
    warnings: list[tuple[str, str]] = []
    for index in range(len(pdf)):
        image = render_page(pdf[index], index + 1, scale)
        try:
            blocks.extend(ocr_page(image, index + 1))
        except ReaderError as error:
            warnings.append(("OCR_EMPTY_PAGE", str(error)))
    if not blocks:
        raise ReaderError("scanned PDF: OCR found no text on any page")
    return Document(blocks=blocks, media_type=PDF, warnings=warnings)
