"""Whole annual reports built as real Word documents with python-docx, and the truth of every table cell.

The tables follow the official grids (docs/formats.md#fmt2021, #fmt2019): T3's three header rows with the
merged 3x3 note and the 申请人情况 / 法人或其他组织 spans, the 三、本年度办理结果 and group labels merged
down their rows, T4's three header rows. Values are mostly non-zero; one T3 cell (and in 2021 one T2
cell) is printed blank. The bytes are deterministic: every zip member carries the same fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import docx
from docx.document import Document as DocxDocument
from docx.table import Table as DocxTable

from gongkai import keys

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_GROUPS = {  # T3 group label -> its leaf rows and their printed labels
    "（三）不予公开": keys.DENIED_ROWS,
    "（四）无法提供": keys.UNABLE_ROWS,
    "（五）不予处理": keys.NOPROC_ROWS,
    "（六）其他处理": keys.OTHER_ROWS_2021,
}
_LEAF_LABELS = {
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
}
_SPANNING_ROWS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "carried_out": "四、结转下年度继续办理",
}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


@dataclass(frozen=True)
class TruthCell:
    """A printed cell: its text (None when printed blank) and its reader locator."""

    text: str | None
    locator: str


Truth = dict[str, TruthCell]  # "T3.granted.total" -> cell


@dataclass
class Report:
    """A generated report: the .docx bytes and what a correct parse must find."""

    content: bytes
    format_version: str
    title: str
    publisher: str
    year: int
    truth: Truth = field(default_factory=dict)


class _Grid:
    """A python-docx table filled by grid position, recording the truth of the value cells."""

    def __init__(
        self, document: DocxDocument, rows: int, cols: int, number: int, truth: Truth, printed: Mapping[str, str | None]
    ) -> None:
        self.table: DocxTable = document.add_table(rows=rows, cols=cols)
        self.table.style = "Table Grid"
        self.number = number
        self.truth = truth
        self.printed = printed

    def put(self, r: int, c: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        """Write ``text`` at (r, c), merged over ``rowspan`` x ``colspan``; paragraphs split on newlines."""
        cell = self.table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(self.table.cell(r + rowspan - 1, c + colspan - 1))
        first, *more = text.split("\n")
        cell.text = first
        for line in more:
            cell.add_paragraph(line)

    def value(self, key: str, r: int, c: int, text: str | None, colspan: int = 1) -> None:
        """Write the value cell ``key``: ``text``, unless the report prints something else there."""
        text = self.printed.get(key, text)
        self.put(r, c, text or "", colspan=colspan)
        self.truth[key] = TruthCell(text, f"docx table {self.number} r{r + 1} c{c + 1}")


def _number(seed: int) -> str:
    return str((seed * 7) % 11)


# ---- T2 ------------------------------------------------------------------------------------------

_T2_2021 = (  # caption, header cells (the last spans the rest), rows
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
_T2_2019 = (
    ("第二十条第（一）项", ("本年新\n制作数量", "本年新\n公开数量", "对外公开总数量"), ("规章", "规范性文件")),
    ("第二十条第（五）项", ("上一年\n项目数量", "本年增/减", "处理决定数量"), ("行政许可", "其他对外管理服务事项")),
    ("第二十条第（六）项", ("上一年\n项目数量", "本年增/减", "处理决定数量"), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("上一年\n项目数量", "本年增/减"), ("行政事业性收费",)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
)
_T2_ROW_KEYS = {label: key for key, label in keys.T2_ROW_LABELS.items()} | {"规范性文件": "normative_doc"}
_T2_SPECIAL = {  # cells printed other than as a plain count
    "T2_1.regulation.repealed": None,
    "T2_8.admin_fee.fee_amount": "1.2500",
    "T2_5.license.items_change": "-3",
    "T2_9.central_procurement.procurement_amount": "251000元",
}


def _t2(document: DocxDocument, fmt: str, truth: Truth, printed: Mapping[str, str | None]) -> None:
    blocks = _T2_2021 if fmt == keys.FMT2021 else _T2_2019
    grid = _Grid(document, sum(2 + len(rows) for _c, _h, rows in blocks), 4, 1, truth, printed)
    r = 0
    for caption, header, rows in blocks:
        table_id = "T2_" + {"一": "1", "五": "5", "六": "6", "八": "8", "九": "9"}[caption[6]]
        cols = keys.T2_DEFAULT_COLS[fmt][table_id]
        grid.put(r, 0, caption, colspan=4)
        grid.put(r + 1, 0, "信息内容")
        for c, text in enumerate(header, start=1):
            grid.put(r + 1, c, text, colspan=4 - c if c == len(header) else 1)
        for offset, label in enumerate(rows, start=2):
            grid.put(r + offset, 0, label)
            for c, col in enumerate(cols, start=1):
                key = f"{table_id}.{_T2_ROW_KEYS[label]}.{col}"
                text = _T2_SPECIAL.get(key, _number(r + offset + c))
                grid.value(key, r + offset, c, text, colspan=4 - c if c == len(cols) else 1)
        r += 2 + len(rows)


# ---- T3 ------------------------------------------------------------------------------------------


def _t3_layout(fmt: str) -> list[tuple[str, str | None, str | None]]:
    """(row key, group label starting at this row or None, own label) for each data row."""
    layout: list[tuple[str, str | None, str | None]] = [
        ("granted", None, "（一）予以公开"),
        ("partly_granted", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ]
    for group, rows in _GROUPS.items():
        if fmt == keys.FMT2019 and rows == keys.OTHER_ROWS_2021:
            layout.append((keys.OTHER_ROW_2019, None, group))
            continue
        for index, row in enumerate(rows):
            label = _LEAF_LABELS.get(row, keys.T3_ROW_LABELS[row].split(" ", 1)[1])
            layout.append((row, group if index == 0 else None, label))
    layout.append(("outcome_total", None, "（七）总计"))
    return layout


def _t3_values(grid: _Grid, row_key: str, r: int, seed: int) -> None:
    numbers = [(seed + 3 * j) % 5 * (j % 2 + 1) for j in range(6)]
    texts: list[str | None] = [str(n) for n in numbers] + [str(sum(numbers))]
    if row_key == "carried_out":
        texts[-1] = None  # printed blank, as in seed 004
    for offset, (col, text) in enumerate(zip(keys.T3_COLS, texts, strict=True)):
        grid.value(f"T3.{row_key}.{col}", r, 3 + offset, text)


def _t3(document: DocxDocument, fmt: str, truth: Truth, printed: Mapping[str, str | None]) -> None:
    layout = _t3_layout(fmt)
    grid = _Grid(document, 3 + 3 + len(layout), 10, 2, truth, printed)
    grid.put(0, 0, T3_NOTE, rowspan=3, colspan=3)
    grid.put(0, 3, "申请人情况", colspan=7)
    grid.put(1, 3, "自然人", rowspan=2)
    grid.put(1, 4, "法人或其他组织", colspan=5)
    grid.put(1, 9, "总计", rowspan=2)
    for c, text in enumerate(T3_ORGS, start=4):
        grid.put(2, c, text)
    for r, row in ((3, "new_received"), (4, "carried_in")):
        grid.put(r, 0, _SPANNING_ROWS[row], colspan=3)
        _t3_values(grid, row, r, r)
    grid.put(5, 0, "三、本年度办理结果", rowspan=len(layout))
    for r, (row, group, label) in enumerate(layout, start=5):
        if group is not None:
            grid.put(r, 1, group, rowspan=len(_GROUPS[group]))
            grid.put(r, 2, label)
        elif row.startswith(("denied", "unable", "noproc", "other_")) and row != keys.OTHER_ROW_2019:
            grid.put(r, 2, label)
        else:
            grid.put(r, 1, label, colspan=2)
        _t3_values(grid, row, r, r)
    last = 5 + len(layout)
    grid.put(last, 0, _SPANNING_ROWS["carried_out"], colspan=3)
    _t3_values(grid, "carried_out", last, last)


# ---- T4 ------------------------------------------------------------------------------------------


def _t4(document: DocxDocument, truth: Truth, printed: Mapping[str, str | None]) -> None:
    grid = _Grid(document, 4, 15, 3, truth, printed)
    grid.put(0, 0, "行政复议", colspan=5)
    grid.put(0, 5, "行政诉讼", colspan=10)
    for c, text in enumerate(T4_RESULTS):
        grid.put(1, c, text, rowspan=2)
    grid.put(1, 5, "未经复议直接起诉", colspan=5)
    grid.put(1, 10, "复议后起诉", colspan=5)
    for c, text in enumerate(T4_RESULTS * 2, start=5):
        grid.put(2, c, text)
    for g, row in enumerate(keys.T4_ROWS):
        numbers = [(g + k) % 3 for k in range(4)]
        for k, (col, n) in enumerate(zip(keys.T4_COLS, numbers + [sum(numbers)], strict=True)):
            grid.value(f"T4.{row}.{col}", 3, 5 * g + k, str(n))


# ---- the report ----------------------------------------------------------------------------------


def _fixed_timestamps(content: bytes) -> bytes:
    """The package re-zipped with one fixed timestamp for every member (python-docx stamps the current time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), source.read(info), info.compress_type)
    return buffer.getvalue()


def build_report(fmt: str = keys.FMT2021, printed: Mapping[str, str | None] | None = None) -> Report:
    """A full report of format ``fmt`` (fmt2021 or fmt2019) as .docx bytes, with its truth.

    ``printed`` replaces the printed text of some value cells ({"T3.carried_out.total": "9"}, None = blank),
    e.g. a balanced table 三 or one wrong total; the truth follows what is printed.
    """
    printed = printed or {}
    year = 2022 if fmt == keys.FMT2021 else 2020
    publisher = "示例市示例区人民政府"
    title = f"{publisher}{year}年政府信息公开工作年度报告"
    report = Report(b"", fmt, title, publisher, year)
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本机关坚持以公开为常态、不公开为例外，全面推进政务公开工作。")
    document.add_paragraph("二、主动公开政府信息情况")
    _t2(document, fmt, report.truth, printed)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    _t3(document, fmt, report.truth, printed)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _t4(document, report.truth, printed)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("一是公开内容不够全面；二是解读形式较为单一。下一步将持续改进。")
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph("本年度未收取信息处理费。")
    document.add_paragraph(publisher)
    document.add_paragraph(f"{year + 1}年1月20日")
    assert set(printed) <= set(report.truth), f"no such cell: {set(printed) - set(report.truth)}"
    buffer = io.BytesIO()
    document.save(buffer)
    report.content = _fixed_timestamps(buffer.getvalue())
    return report
