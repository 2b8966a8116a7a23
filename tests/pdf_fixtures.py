"""Build text-layer PDF reports with reportlab for the PDF reader tests, together with their truth.

The report is a full 2021-format table set drawn with real ruling lines: rowspan labels (the vertical
三、本年度办理结果, （三）不予公开 …), wrapped labels, two-level headers, non-zero values, and table 三
running over a page break with the page number printed between its two parts. Ruling is drawn as line
objects, as thin filled rectangles or as one stroked rectangle per cell; the rule under a table part
that continues on the next page can be left out (as WPS does). Coordinates are whole points so that
locators can be compared exactly. The bytes are deterministic (reportlab's invariant mode: no timestamp, fixed id).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from gongkai import keys

FONT = "STSong-Light"
FONT_SIZE = 9
LEADING = 11
PAD = 3
MIN_ROW_HEIGHT = 18
PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 rounded to whole points
LEFT, TOP, BOTTOM = 65, 60, 770  # content area, measured from the top of the page
RULE = 0.8  # rule thickness

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True)
class SpecCell:
    """A printed cell of a table spec at grid (row, col), spanning rows and columns."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableSpec:
    """Column widths and the cells covering every grid position exactly once."""

    widths: list[int]
    cells: list[SpecCell] = field(default_factory=list)

    def add_row(self, *cells: tuple[str, int] | str, rowspans: dict[int, int] | None = None) -> None:
        """Append a row: each item is a text (one column) or (text, colspan); columns covered by
        rowspans from earlier rows are skipped."""
        row = self.n_rows
        col = 0
        for item in cells:
            while self._covered(row, col):
                col += 1
            text, colspan = (item, 1) if isinstance(item, str) else item
            self.cells.append(SpecCell(row, col, text, (rowspans or {}).get(col, 1), colspan))
            col += colspan

    @property
    def n_rows(self) -> int:
        return max((c.row + 1 for c in self.cells), default=0)

    def _covered(self, row: int, col: int) -> bool:
        return any(c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan for c in self.cells)

    def cells_in_row(self, row: int) -> list[SpecCell]:
        """The cells crossing a grid row, in column order."""
        return sorted((c for c in self.cells if c.row <= row < c.row + c.rowspan), key=lambda c: c.col)

    def expected_rows(self) -> list[list[str]]:
        """The reader's view: one cell per merged cell and row, text only in the first row it spans."""
        rows = max(c.row + c.rowspan for c in self.cells)
        return [[c.text if c.row == r else "" for c in self.cells_in_row(r)] for r in range(rows)]


@dataclass
class PdfTruth:
    """What the reader and the parser must make of a generated PDF."""

    content: bytes
    blocks: list[tuple[str, object]]  # ("text", line) or ("table", rows of cell texts)
    locators: list[list[list[str]]]  # per table: per row: the cell locators
    cells: dict[str, str]  # "T3.granted.total" -> printed value


def wrap(text: str, width: float) -> list[str]:
    """Character-wrap text to a cell width (Chinese text has no word breaks)."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and pdfmetrics.stringWidth(line + char, FONT, FONT_SIZE) > width - 2 * PAD:
            lines.append(line)
            line = ""
        line += char
    return lines + [line] if line else lines


class ReportBuilder:
    """Lays out text lines and ruled tables top-down over A4 pages, numbering the pages "- n -"."""

    def __init__(self, rules: str = "lines", close_at_break: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True)
        self.rules = rules
        self.close_at_break = close_at_break
        self.page = 1
        self.y = TOP
        self.blocks: list[tuple[str, object]] = []
        self.locators: list[list[list[str]]] = []

    def text(self, line: str, size: int = 11) -> None:
        if self.y + size + 6 > BOTTOM:
            self.new_page()
        self.canvas.setFont(FONT, size)
        self.canvas.drawString(LEFT, PAGE_HEIGHT - (self.y + size), line)
        self.y += size + 8
        self.blocks.append(("text", line))

    def new_page(self) -> None:
        self.canvas.setFont(FONT, 10)
        self.canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 805, f"- {self.page} -")
        self.canvas.showPage()
        self.page += 1
        self.y = TOP

    def finish(self) -> bytes:
        self.new_page()
        self.canvas.save()
        return self.buffer.getvalue()

    def table(self, spec: TableSpec) -> None:
        """Draw the table, continuing on a new page when a row does not fit."""
        heights = _row_heights(spec)
        tops: list[int] = []
        part_start = 0
        for r, height in enumerate(heights):
            if self.y + height > BOTTOM:
                self._draw_part(spec, part_start, r, tops, heights, last=False)
                self.new_page()
                part_start = r
            tops.append(self.y)
            self.y += height
        self._draw_part(spec, part_start, len(heights), tops, heights, last=True)
        self.blocks.append(("table", spec.expected_rows()))
        self.y += 16

    def _draw_part(
        self, spec: TableSpec, first: int, end: int, tops: list[int], heights: list[int], last: bool
    ) -> None:
        """Borders and text of the cells crossing rows first..end-1 on the current page."""
        xs = [LEFT + sum(spec.widths[:i]) for i in range(len(spec.widths) + 1)]
        if first == 0:
            self.locators.append([])
        for _r in range(first, end):
            self.locators[-1].append([])
        for cell in spec.cells:
            top_row, end_row = max(cell.row, first), min(cell.row + cell.rowspan, end)
            if top_row >= end_row:
                continue
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            top, bottom = tops[top_row], tops[end_row - 1] + heights[end_row - 1]
            self._borders(x0, top, x1, bottom, bottom_rule=last or self.close_at_break or end_row < end)
            if cell.row >= first:
                self._cell_text(cell.text, x0, top, x1, bottom)
            for r in range(top_row, end_row):
                band = (top, bottom) if r == top_row else (tops[r], tops[r] + heights[r])
                self.locators[-1][r].append((cell.col, f"p{self.page} bbox({x0},{band[0]},{x1},{band[1]})"))
        for r in range(first, end):
            self.locators[-1][r] = [loc for _col, loc in sorted(self.locators[-1][r])]

    def _borders(self, x0: int, top: int, x1: int, bottom: int, bottom_rule: bool) -> None:
        if self.rules == "boxes":  # one stroked rectangle per cell
            self.canvas.setLineWidth(RULE)
            self.canvas.rect(x0, PAGE_HEIGHT - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
            return
        sides = [(x0, top, x1, top), (x0, top, x0, bottom), (x1, top, x1, bottom)]
        if bottom_rule:
            sides.append((x0, bottom, x1, bottom))
        for ax, ay, bx, by in sides:
            if self.rules == "lines":
                self.canvas.setLineWidth(RULE)
                self.canvas.line(ax, PAGE_HEIGHT - ay, bx, PAGE_HEIGHT - by)
            else:  # thin filled rectangles centred on the rule
                half = RULE / 2
                self.canvas.rect(ax - half, PAGE_HEIGHT - by - half, bx - ax + RULE, by - ay + RULE, stroke=0, fill=1)

    def _cell_text(self, text: str, x0: int, top: int, x1: int, bottom: int) -> None:
        lines = wrap(text, x1 - x0)
        first_baseline = top + (bottom - top - len(lines) * LEADING) / 2 + FONT_SIZE
        assert len(lines) * LEADING <= bottom - top, f"{text!r} does not fit its cell"
        self.canvas.setFont(FONT, FONT_SIZE)
        for i, line in enumerate(lines):
            self.canvas.drawString(x0 + PAD, PAGE_HEIGHT - (first_baseline + i * LEADING), line)


def _row_heights(spec: TableSpec) -> list[int]:
    """Each row tall enough for its one-row cells; rows under a taller merged cell grow at the bottom."""
    heights = [MIN_ROW_HEIGHT] * max(c.row + c.rowspan for c in spec.cells)
    for cell in spec.cells:
        width = sum(spec.widths[cell.col : cell.col + cell.colspan])
        needed = len(wrap(cell.text, width)) * LEADING + 2 * PAD
        rows = range(cell.row, cell.row + cell.rowspan)
        deficit = needed - sum(heights[r] for r in rows)
        if deficit > 0:
            heights[rows[-1]] += deficit
    return heights


# ---- the 2021-format report -------------------------------------------------------------------------

T2_VALUES = {
    "T2_1.regulation": ("1", "0", "3"),
    "T2_1.normative_doc": ("12", "3", "46"),
    "T2_5.license": ("1285",),
    "T2_6.penalty": ("342",),
    "T2_6.coercion": ("17",),
    "T2_8.admin_fee": ("86.5432",),
}
T3_APPLICANTS = {
    "new_received": (30, 4, 1, 0, 2, 1),
    "carried_in": (3, 1, 0, 0, 0, 0),
    "granted": (12, 2, 0, 0, 1, 0),
    "partly_granted": (5, 1, 0, 0, 0, 0),
    "denied_law_prohibited": (1, 0, 0, 0, 0, 0),
    "denied_third_party": (2, 0, 0, 0, 0, 0),
    "denied_internal_affairs": (0, 1, 0, 0, 0, 0),
    "denied_admin_query": (1, 0, 0, 0, 0, 0),
    "unable_not_held": (4, 0, 1, 0, 0, 0),
    "unable_still_unclear": (1, 0, 0, 0, 0, 0),
    "noproc_repeat": (2, 0, 0, 0, 0, 0),
    "other_no_correction": (1, 0, 0, 0, 0, 1),
    "other_misc": (0, 1, 0, 0, 0, 0),
}
T4_VALUES = ("3", "1", "1", "0", "5", "2", "0", "1", "1", "4", "1", "1", "0", "0", "2")


def t3_values() -> dict[str, tuple[int, ...]]:
    """All 25 rows of 7 values; outcome total and carried-out follow from the others."""
    rows = {row: T3_APPLICANTS.get(row, (0,) * 6) for row in keys.T3_ROWS_2021}
    rows["outcome_total"] = tuple(sum(rows[r][i] for r in keys.OUT21) for i in range(6))
    rows["carried_out"] = tuple(
        rows["new_received"][i] + rows["carried_in"][i] - rows["outcome_total"][i] for i in range(6)
    )
    return {row: values + (sum(values),) for row, values in rows.items()}


def t2_spec(cells: Mapping[str, str]) -> TableSpec:
    spec = TableSpec([150, 105, 105, 105])
    for caption, header, rows in (
        (
            "第二十条第（一）项",
            ("本年制发件数", "本年废止件数", "现行有效件数"),
            (("规章", "T2_1.regulation"), ("行政规范性文件", "T2_1.normative_doc")),
        ),
        ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", "T2_5.license"),)),
        ("第二十条第（六）项", ("本年处理决定数量",), (("行政处罚", "T2_6.penalty"), ("行政强制", "T2_6.coercion"))),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("行政事业性收费", "T2_8.admin_fee"),)),
    ):
        spec.add_row((caption, 4))
        span = 4 - len(header)  # a single header spans the three value columns
        spec.add_row("信息内容", *header[:-1], (header[-1], span))
        for label, key in rows:
            values = [cells[f"{key}.{col}"] for col in keys.T2_DEFAULT_COLS[keys.FMT2021][key.split(".")[0]]]
            spec.add_row(label, *values[:-1], (values[-1], span))
    return spec


T3_LABELS = {
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "outcome_total": "（七）总计",
}
T3_GROUPS = (
    (
        "（三）不予公开",
        keys.DENIED_ROWS,
        (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ),
    ),
    (
        "（四）无法提供",
        keys.UNABLE_ROWS,
        ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"),
    ),
    (
        "（五）不予处理",
        keys.NOPROC_ROWS,
        (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ),
    ),
    (
        "（六）其他处理",
        keys.OTHER_ROWS_2021,
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ),
    ),
)


def t3_spec(cells: Mapping[str, str]) -> TableSpec:
    spec = TableSpec([20, 70, 150] + [33] * 7)
    values = {row: [cells[f"T3.{row}.{col}"] for col in keys.T3_COLS] for row in keys.T3_ROWS_2021}
    spec.add_row(
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3), ("申请人情况", 7), rowspans={0: 3}
    )
    spec.add_row("自然人", ("法人或其他组织", 5), "总计", rowspans={3: 2, 9: 2})
    spec.add_row("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    spec.add_row(("一、本年新收政府信息公开申请数量", 3), *values["new_received"])
    spec.add_row(("二、上年结转政府信息公开申请数量", 3), *values["carried_in"])
    spec.add_row("三、本年度办理结果", (T3_LABELS["granted"], 2), *values["granted"], rowspans={0: 22})
    spec.add_row((T3_LABELS["partly_granted"], 2), *values["partly_granted"])
    for group, rows, labels in T3_GROUPS:
        for i, (row, label) in enumerate(zip(rows, labels, strict=True)):
            lead = (group,) if i == 0 else ()
            spec.add_row(*lead, label, *values[row], rowspans={1: len(rows)} if i == 0 else None)
    spec.add_row((T3_LABELS["outcome_total"], 2), *values["outcome_total"])
    spec.add_row(("四、结转下年度继续办理", 3), *values["carried_out"])
    return spec


def t4_spec(cells: Mapping[str, str]) -> TableSpec:
    spec = TableSpec([31] * 15)
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    spec.add_row(("行政复议", 5), ("行政诉讼", 10))
    spec.add_row(*results, ("未经复议直接起诉", 5), ("复议后起诉", 5), rowspans={c: 2 for c in range(5)})
    spec.add_row(*results, *results)
    spec.add_row(*(cells[f"T4.{row}.{col}"] for row in keys.T4_ROWS for col in keys.T4_COLS))
    return spec


def truth_cells() -> dict[str, str]:
    """Every canonical T2, T3 and T4 cell of the report and its printed value."""
    cells: dict[str, str] = {}
    for key, values in T2_VALUES.items():
        table = key.split(".")[0]
        cols = keys.T2_DEFAULT_COLS[keys.FMT2021][table]
        cells.update({f"{key}.{col}": v for col, v in zip(cols, values, strict=True)})
    for row, values in t3_values().items():
        cells.update({f"T3.{row}.{col}": str(v) for col, v in zip(keys.T3_COLS, values, strict=True)})
    for i, value in enumerate(T4_VALUES):
        cells[f"T4.{keys.T4_ROWS[i // 5]}.{keys.T4_COLS[i % 5]}"] = value
    return cells


def fmt2021_report(
    rules: str = "lines", close_at_break: bool = True, printed: Mapping[str, str] | None = None
) -> PdfTruth:
    """The full report; table 三 breaks over pages 1 and 2.

    ``printed`` replaces the printed value of some cells ({"T4.review.total": "6"}), e.g. to make a rule fail;
    the truth follows what is printed.
    """
    cells = truth_cells()
    assert set(printed or {}) <= set(cells), f"no such cell: {set(printed or {}) - set(cells)}"
    cells.update(printed or {})
    builder = ReportBuilder(rules, close_at_break)
    builder.text("测试市测试区人民政府2022年政府信息公开工作年度报告", size=14)
    builder.text("一、总体情况")
    builder.text("2022年，测试区人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。")
    builder.text("二、主动公开政府信息情况")
    builder.table(t2_spec(cells))
    builder.text("三、收到和处理政府信息公开申请情况")
    builder.table(t3_spec(cells))
    builder.text("四、政府信息公开行政复议、行政诉讼情况")
    builder.table(t4_spec(cells))
    builder.text("五、存在的主要问题及改进情况")
    builder.text("依申请公开答复的规范性有待提高。")
    builder.text("六、其他需要报告的事项")
    builder.text("本年度未收取信息处理费。")
    return PdfTruth(builder.finish(), builder.blocks, builder.locators, cells)
