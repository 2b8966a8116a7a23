"""The text reader and parser on the five real seed reports: every T2, T3 and T4 cell against the truth.

The truth below was read off each seed by eye (tables printed with all zeros except the cells listed),
not produced by the parser.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from corpus import SAMPLE_INBOX
from gongkai import keys
from gongkai.parsing.parser import parse_document
from gongkai.readers import read_document, sniff
from gongkai.readers.text import split_cells


def _all_zero(fmt: str) -> dict[str, str | None]:
    """Every cell of the three tables of a report of this format, printed as 0."""
    cells: dict[str, str | None] = {}
    for table, cols in keys.T2_DEFAULT_COLS[fmt].items():
        for row in keys.T2_ROWS_BY_FORMAT[fmt][table]:
            cells.update({f"{table}.{row}.{col}": "0" for col in cols})
    for row in keys.t3_rows(fmt):
        cells.update({f"T3.{row}.{col}": "0" for col in keys.T3_COLS})
    for row in keys.T4_ROWS:
        cells.update({f"T4.{row}.{col}": "0" for col in keys.T4_COLS})
    return cells


def _truth(fmt: str, **printed: str | None) -> dict[str, str | None]:
    cells = _all_zero(fmt)
    for key, value in printed.items():
        dotted = key.replace("__", ".")
        assert dotted in cells, dotted
        cells[dotted] = value
    return cells


SEED_TRUTH = {
    "000_75550300a700e9da.txt": ("fmt2021", 2022, "利通区上桥镇", _truth("fmt2021")),
    "001_7e5e7a0e1b0fd111.txt": ("fmt2021", 2023, "赤眉镇人民政府", _truth("fmt2021")),
    "002_8eeef03c195206a0.txt": ("fmt2021", 2022, "城关镇人民政府", _truth("fmt2021")),
    "003_5f15ad0c90ddf270.txt": (
        "fmt2019",
        2022,
        "泽曲镇人民政府",
        _truth(
            "fmt2019",
            T2_1__normative_doc__new_made="11",
            T2_1__normative_doc__new_published="11",
            T2_1__normative_doc__published_total="11",
            T3__new_received__social_welfare="16",
            T3__new_received__other_org="1",
            T3__new_received__total="17",
            T3__carried_in__social_welfare="6",
            T3__carried_in__other_org="2",
            T3__carried_in__total="8",
        ),
    ),
    "004_88f4efaced47710b.txt": (
        "fmt2021",
        2021,
        "钦北区长滩镇人民政府",
        _truth("fmt2021", T3__carried_out__total=None),
    ),  # printed blank
}


def _parse(name: str):
    content = (SAMPLE_INBOX / name).read_bytes()
    return parse_document(read_document(content, sniff(content).media_type))


@pytest.mark.parametrize("name", sorted(SEED_TRUTH))
def test_every_cell_of_each_seed_matches_the_truth(name: str) -> None:
    fmt, year, publisher, truth = SEED_TRUTH[name]
    report = _parse(name)
    assert (report.format_version, report.report_year, report.publisher) == (fmt, year, publisher)
    got = {f"{c.table_id}.{c.row_key}.{c.col_key}": c for c in report.cells}
    assert set(got) == set(truth), set(got) ^ set(truth)
    for key, expected in truth.items():
        cell = got[key]
        if expected is None:
            assert (cell.value, cell.value_status) == (None, "blank"), key
        else:
            assert cell.value == Decimal(expected), key
            assert cell.value_status == ("zero" if expected == "0" else "number"), key
        assert cell.locator.startswith("line "), key


def test_cells_keep_their_raw_text_and_line() -> None:
    report = _parse("003_5f15ad0c90ddf270.txt")
    total = next(c for c in report.cells if (c.table_id, c.row_key, c.col_key) == ("T3", "new_received", "total"))
    assert total.value_raw == "\u200217"
    assert total.locator == "line 121 cell 2"
    assert total.label_raw == "一、本年新收政府信息数量"


def test_seed_003_rows_without_labels_are_assigned_by_position_and_flagged() -> None:
    report = _parse("003_5f15ad0c90ddf270.txt")
    codes = [code for code, _detail in report.warnings]
    assert codes.count("LABEL_MISSING") == 3  # 不予公开, 无法提供, 不予处理
    assert "EXTRA_VALUES" in codes  # those rows print 8 values for 7 columns
    rows = {c.row_key for c in report.cells if c.table_id == "T3"}
    assert "other_processing" in rows and "other_misc" not in rows


def test_seed_004_blank_total_is_blank_not_zero_and_flagged() -> None:
    report = _parse("004_88f4efaced47710b.txt")
    cell = next(c for c in report.cells if (c.row_key, c.col_key) == ("carried_out", "total"))
    assert cell.value is None and cell.value_status == "blank"
    assert cell.confidence < 1.0
    assert "BLANK_POSITION_ASSUMED" in {code for code, _ in report.warnings}


def test_seed_002_extra_columns_are_resolved_and_flagged() -> None:
    report = _parse("002_8eeef03c195206a0.txt")
    flagged = [d for code, d in report.warnings if code == "EXTRA_VALUES"]
    assert len(flagged) == 3 and all("10 values for 7 cells" in d for d in flagged)


@pytest.mark.parametrize(
    "line, cells",
    [
        ("a\tb\t\tc", ["a", "b", "", "c"]),
        ("0 |", ["0 "]),
        ("| 0 | 1 |", [" 0 ", " 1 "]),
        ("| ||", [" ", ""]),
        ("行政许可", ["行政许可"]),
    ],
)
def test_split_cells(line: str, cells: list[str]) -> None:
    assert split_cells(line) == cells


def _report_text(t3_row: str) -> bytes:
    return (
        "2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        + t3_row
        + "\n四、政府信息公开行政复议、行政诉讼情况\n"
    ).encode()


def test_extra_values_with_two_readings_that_add_up_are_uncertain_not_guessed() -> None:
    # 9 values for 7 cells; both [1 0 0 0 0 0 1] and [0 0 0 0 1 0 ...] style windows add up differently.
    doc = read_document(_report_text("二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\t0\t1"), "text/plain")
    report = parse_document(doc)
    row = [c for c in report.cells if c.row_key == "carried_in"]
    assert {c.value_status for c in row} == {"uncertain"}
    assert all(c.value is None for c in row)
    assert row[0].value_raw == "1 0 0 0 0 0 1 0 1"


def test_extra_values_resolved_by_the_row_total_when_only_one_reading_adds_up() -> None:
    doc = read_document(_report_text("二、上年结转政府信息公开申请数量\t5\t1\t2\t0\t0\t0\t0\t3"), "text/plain")
    row = [c for c in parse_document(doc).cells if c.row_key == "carried_in"]
    assert [c.value for c in row] == [Decimal(v) for v in "1200003"]
    assert all(c.confidence < 1.0 for c in row)


def test_without_a_table_four_the_none_of_a_later_section_is_not_read_as_its_cells() -> None:
    text = _report_text("二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0").decode() + (
        "本年度未发生政府信息公开行政复议、行政诉讼。\n五、存在的主要问题及改进情况\n无\n六、其他需要报告的事项\n无\n"
    )
    report = parse_document(read_document(text.encode(), "text/plain"))
    assert [c for c in report.cells if c.table_id == "T4"] == []
    assert [c for c in report.cells if c.row_key == "carried_in"]  # the tables before it are still read


def test_a_document_that_is_not_a_report_has_no_cells() -> None:
    text = "平潭县政府信息公开指南\n一、公开范围\n本机关主动公开下列政府信息。\n".encode()
    report = parse_document(read_document(text, "text/plain"))
    assert report.format_version == keys.NOT_A_REPORT
    assert report.cells == []


def test_a_news_item_that_mentions_a_report_is_not_a_report() -> None:
    text = (
        "区政府办公室发布2022年政府信息公开工作年度报告\n记者 张三\n"
        "日前，区政府办公室在门户网站发布了《2022年政府信息公开工作年度报告》，全年主动公开政府信息2645条。\n"
    ).encode()
    report = parse_document(read_document(text, "text/plain"))
    assert report.format_version == keys.NOT_A_REPORT and report.cells == []


def test_a_report_without_title_or_tables_is_recognised_by_its_sections() -> None:
    text = "\n".join(
        [
            "我要收藏",
            "一、总体情况",
            "本年度……",
            "二、主动公开政府信息情况",
            "（略）",
            "三、收到和处理政府信息公开申请情况",
            "（略）",
            "五、存在的主要问题及改进情况",
            "无",
        ]
    ).encode()
    assert parse_document(read_document(text, "text/plain")).format_version == keys.UNKNOWN


def _markdown_report(values: dict[str, tuple[int, ...]]) -> str:
    """A fmt2021 report whose tables are Markdown pipe tables (as PDF-to-Markdown tools write them)."""
    lines = [
        "# 某县人民政府2022年政府信息公开工作年度报告",
        "",
        "二、主动公开政府信息情况",
        "",
        "| 第二十条第（一）项 | | | |",
        "|---|---|---|---|",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| 规章 | 0 | 0 | 0 |",
        "| 行政规范性文件 | 3 | 1 | 12 |",
        "| 第二十条第（五）项 | | | |",
        "| 信息内容 | 本年处理决定数量 | | |",
        "| 行政许可 | 57 | | |",
        "| 第二十条第（六）项 | | | |",
        "| 信息内容 | 本年处理决定数量 | | |",
        "| 行政处罚 | 9 | | |",
        "| 行政强制 | 0 | | |",
        "| 第二十条第（八）项 | | | |",
        "| 信息内容 | 本年收费金额（单位：万元） | | |",
        "| 行政事业性收费 | 12.3456 | | |",
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 自然人 | 商业企业 | 科研机构 "
        "| 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in keys.T3_ROWS_2021:
        lines.append("| " + keys.T3_ROW_LABELS[row] + " | " + " | ".join(str(v) for v in values[row]) + " |")
    lines += [
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        "| 行政复议 | | | | | 行政诉讼 |",
        "|---|---|---|---|---|---|",
        "| " + " | ".join(["1", "0", "0", "1", "2"] + ["0"] * 10) + " |",
        "",
        "五、存在的主要问题及改进情况",
        "无。",
    ]
    return "\n".join(lines)


def test_markdown_pipe_tables_read_every_cell() -> None:
    values = {row: (0,) * 7 for row in keys.T3_ROWS_2021}
    values.update(
        new_received=(5, 1, 0, 0, 0, 0, 6),
        carried_in=(1, 0, 0, 0, 0, 0, 1),
        granted=(4, 1, 0, 0, 0, 0, 5),
        outcome_total=(4, 1, 0, 0, 0, 0, 5),
        carried_out=(2, 0, 0, 0, 0, 0, 2),
    )
    content = _markdown_report(values).encode("gb18030")
    assert sniff(content).media_type == "text/markdown"
    report = parse_document(read_document(content, sniff(content).media_type))
    got = {(c.table_id, c.row_key, c.col_key): c.value for c in report.cells}
    for row, row_values in values.items():
        for col, value in zip(keys.T3_COLS, row_values, strict=True):
            assert got[("T3", row, col)] == Decimal(value), (row, col)
    assert got[("T2_1", "normative_doc", "valid")] == Decimal(12)
    assert got[("T2_8", "admin_fee", "fee_amount")] == Decimal("12.3456")
    assert [got[("T4", "review", col)] for col in keys.T4_COLS] == [Decimal(v) for v in (1, 0, 0, 1, 2)]
    assert report.format_version == "fmt2021" and report.report_year == 2022
