"""Section splitting on the seed, generated and real reports and on synthetic heading variants
(docs/formats.md#normalisation, #skeleton).

Expected headings and line numbers were read off the files by eye. The real reports are read from the real
corpus (tests/corpus.py); their tests skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import SAMPLE_INBOX, SEEDS, real_report
from gongkai.parsing.sections import SECTION_KEYS, Section, split_sections
from gongkai.readers import read_document, sniff
from gongkai.readers.document import Cell, Row
from gongkai.readers.legacy_word import find_soffice

SIX = list(SECTION_KEYS)
REAL_REPORTS = (
    "r001_huaian_hongze_qu_2023.pdf",
    "r010_pingtan_syq_2019.txt",
    "r011_pingtan_syq_2021.txt",
    "r012_pingtan_xian_2011.txt",
    "r014_pingtan_syq_2020.txt",
    "r018_pingtan_czj_2009.txt",
    "r020_pingtan_gaj_2019.txt",
    "r021_pingtan_gaj_2024.txt",
    "r025_pingtan_htpq_2019.txt",
    "r028_pingtan_ajj_2009.txt",
    "r030_shanghai_kewei_2024_pdfextract.md",
    "r040_shanghai_szfbgt_2019_embedded.js",
)
SEED_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def _sections(path: Path) -> list[Section]:
    content = path.read_bytes()
    return split_sections(list(read_document(content, sniff(content).media_type).rows()))


def _by_key(sections: list[Section]) -> dict[str, Section]:
    return {section.section_key: section for section in sections}


def _rows(*lines: str) -> list[Row]:
    return [Row((Cell(text, f"line {n} cell 1"),), f"line {n}") for n, text in enumerate(lines, start=1)]


def _keys(sections: list[Section]) -> list[str]:
    return [section.section_key for section in sections]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_has_the_six_sections_in_order(path) -> None:
    sections = _sections(path)
    keys = [key for key in _keys(sections) if key in SIX]
    assert keys == SIX
    assert [s.order_index for s in sections] == list(range(len(sections)))
    headings = [s.heading.replace(" ", "") for s in sections if s.section_key in SIX]
    if path.name.startswith("003"):  # Arabic numbering "1、 总体情况" … "6、 其他需要报告的事项"
        assert headings == [f"{n}、{h[2:]}" for n, h in enumerate(SEED_HEADINGS, start=1)]
    else:
        assert headings == SEED_HEADINGS


def test_seed_000_locators_and_table_rows_belong_to_their_section() -> None:
    sections = _by_key(_sections(SAMPLE_INBOX / "000_75550300a700e9da.txt"))
    assert sections["preamble"].text.startswith("利通区上桥镇 2022 年政府信息公开工作年度报告")
    assert [sections[k].locator for k in SIX] == [
        "lines 7-23",
        "lines 25-41",
        "lines 43-73",
        "lines 75-80",
        "lines 82-88",
        "lines 90-92",
    ]
    assert "行政规范性文件\t0\t0\t0" in sections["s2_active"].text
    assert sections["s3_requests"].text.endswith("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0")
    assert "二、主动公开政府信息情况" not in sections["s1_overview"].text  # the heading is not in any text
    assert "signature" not in sections


def test_seed_002_inner_numbered_headings_stay_inside_section_one() -> None:
    sections = _by_key(_sections(SAMPLE_INBOX / "002_8eeef03c195206a0.txt"))
    overview = sections["s1_overview"].text
    assert "二、突出重点，明确形式，规范程序，不断深化政务公开" in overview
    assert "三、创新思路，真抓实干，务求政务公开工作富有成效" in overview
    assert sections["s2_active"].locator == "lines 39-55"
    assert sections["s6_other"].text.startswith("(一) 进一步完善政府信息公开制度")


def test_seed_004_sub_headings_of_another_style_and_the_signature() -> None:
    sections = _sections(SAMPLE_INBOX / "004_88f4efaced47710b.txt")
    assert _keys(sections) == ["preamble", *SIX, "signature"]
    by_key = _by_key(sections)
    assert by_key["preamble"].text.startswith("我要收藏\n公共资源调用站点\n文章分享")
    overview = by_key["s1_overview"].text
    assert "(一)政府信息主动公开情况" in overview and "(二)政府信息依申请公开情况" in overview
    assert by_key["s6_other"].text == "无其他需要说明的事项"
    signature = by_key["signature"]
    assert signature.heading == ""
    assert signature.text.split("\n")[:2] == ["钦北区长滩镇人民政府", "2022年1月17日"]
    assert signature.locator == "lines 357-361"


def test_seed_003_one_cell_per_line_tables_stay_in_their_sections() -> None:
    sections = _by_key(_sections(SAMPLE_INBOX / "003_5f15ad0c90ddf270.txt"))
    assert sections["s1_overview"].heading == "1、 总体情况"
    assert "（2） 强化组织领导，完善制度建设" in sections["s1_overview"].text
    assert "一、本年新收政府信息数量" in sections["s3_requests"].text
    assert sections["s5_problems"].text.startswith("（一）存在问题")
    assert sections["s6_other"].text == "无"


@pytest.mark.parametrize(
    "name, keys, headings",
    [
        (
            "r012_pingtan_xian_2011.txt",
            ["preamble", "s1_overview", "s2_active", "s3_requests", "s5_problems"],
            [
                "一、 概述",
                "二、主动公开政府信息情况",
                "三、政府信息依申请公开工作情况",
                "四、政府信息公开工作存在的主要问题及改进情况",
            ],
        ),
        (
            "r018_pingtan_czj_2009.txt",
            ["preamble", "s1_overview", "s2_active", "s3_requests", "s5_problems"],
            [
                "一、年度政府信息公开工作概述",
                "二、政府信息主动公开情况",
                "三、依申请公开政府信息情况",
                "五、存在的主要问题和改进措施",
            ],
        ),
        (
            "r028_pingtan_ajj_2009.txt",
            ["preamble", "s1_overview", "s2_active", "s3_requests", "s5_problems"],
            [
                "一、年度政府信息公开工作概述",
                "二、政府信息主动公开情况",
                "三、依申请公开政府信息情况",
                "五、存在的主要问题和改进措施",
            ],
        ),
    ],
)
def test_pre_2019_reports_printed_on_one_line(name: str, keys: list[str], headings: list[str]) -> None:
    sections = _sections(real_report(name))
    assert _keys(sections) == keys
    assert [s.heading for s in sections[1:]] == headings
    assert all(s.locator.startswith("line 10 chars ") for s in sections[1:])


def test_pre_2019_parts_without_a_2019_counterpart_stay_in_the_preceding_section() -> None:
    sections = _by_key(_sections(real_report("r018_pingtan_czj_2009.txt")))
    assert sections["s3_requests"].text == "2009年度，我局没有收到信息公开申请。 四、收费及减免情况 无收费及减免情况。"
    assert "附表： 指标名称" in sections["s5_problems"].text
    assert "本年报由工作概述、主动公开情况" in sections["preamble"].text  # a list of parts is not a heading


@pytest.mark.parametrize(
    "name, signature",
    [
        ("r020_pingtan_gaj_2019.txt", "平潭综合实验区公安局 2020年1月17日"),
        ("r025_pingtan_htpq_2019.txt", "平潭综合实验区海坛片区管理局 2020年1月2日"),
    ],
)
def test_a_signature_ending_a_one_line_report(name: str, signature: str) -> None:
    sections = _sections(real_report(name))
    assert _keys(sections)[-2:] == ["s6_other", "signature"]
    assert sections[-1].text == signature
    assert signature not in sections[-2].text


def test_a_missing_section_is_absent_not_invented() -> None:
    # The PDF extraction lost "四、存在的主要问题及改进情况" (its "（一）主要问题" follows table 三 directly).
    sections = _sections(real_report("r030_shanghai_kewei_2024_pdfextract.md"))
    assert _keys(sections) == [
        "preamble",
        "s1_overview",
        "s2_active",
        "s3_requests",
        "s4_review_litigation",
        "s6_other",
    ]
    by_key = _by_key(sections)
    assert by_key["s2_active"].heading == "一、主动公开政府信息情况"
    assert "三、主动公开工作情况" in by_key["s1_overview"].text  # a local narrative part, not the table section


def test_html_report_sections_include_their_grid_tables() -> None:
    sections = _by_key(_sections(real_report("r040_shanghai_szfbgt_2019_embedded.js")))
    assert [sections[k].heading for k in SIX][4] == "五、政府信息公开工作存在的主要问题及改进情况"
    assert sections["s3_requests"].locator == "html /html/body/p[28] to table 2 r26"
    assert "（二）依申请公开方面" in sections["s1_overview"].text


def _assert_splits_in_order(sections: list[Section]) -> None:
    numbered = [SIX.index(s.section_key) for s in sections if s.section_key in SIX]
    assert numbered == sorted(set(numbered)) and len(numbered) >= 4
    assert sections[0].section_key == "preamble"


@pytest.mark.parametrize("path", sorted(SAMPLE_INBOX.iterdir()), ids=lambda p: p.stem)
def test_every_sample_splits_in_order(path: Path) -> None:
    if path.suffix == ".doc" and find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the legacy .doc sample cannot be read")
    _assert_splits_in_order(_sections(path))


@pytest.mark.parametrize("name", REAL_REPORTS, ids=lambda name: name[:4])
def test_every_real_report_splits_in_order(name: str) -> None:
    _assert_splits_in_order(_sections(real_report(name)))


@pytest.mark.parametrize(
    "headings",
    [
        [
            "1、总体情况",
            "2. 主动公开政府信息情况",
            "3、收到和处理政府信息公开申请情况",
            "4、政府信息公开行政复议、行政诉讼情况",
            "5、存在的主要问题及改进情况",
            "6、其他需要报告的事项",
        ],
        [
            "(一)总体情况",
            "（二）主动公开政府信息情况",
            "(三)收到和处理政府信息公开申请情况",
            "(四)政府信息公开行政复议、行政诉讼情况",
            "（五）存在的主要问题及改进情况",
            "(六)其他需要报告的事项",
        ],
        [
            "总体情况",
            "主动公开政府信息情况",
            "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议、行政诉讼情况",
            "存在的主要问题及改进情况",
            "其他需要报告的事项",
        ],
        [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "五、存在问题及改进情况",
            "六、其他需要报告的事项",
        ],
        [
            "## 一、总体情况",
            "## 二、主动公开政府信息情况",
            "## 三、收到和处理政府信息公开申请情况",
            "## 四、政府信息公开行政复议和行政诉讼情况",
            "## 五、政府信息公开工作存在的主要问题及改进情况",
            "## 六、其他需要报告的事项",
        ],
    ],
    ids=["arabic", "paren", "no-numeral", "variants", "markdown"],
)
def test_numbering_and_heading_variants(headings: list[str]) -> None:
    lines = ["某镇2022年政府信息公开工作年度报告"]
    for number, heading in enumerate(headings, start=1):
        lines += [heading, f"第{number}部分的正文。"]
    sections = split_sections(_rows(*lines))
    assert _keys(sections) == ["preamble", *SIX]
    assert [s.heading for s in sections[1:]] == headings
    assert [s.text for s in sections[1:]] == [f"第{n}部分的正文。" for n in range(1, 7)]
    assert sections[3].locator == "lines 6-7"


def test_sub_headings_in_another_style_do_not_open_sections() -> None:
    sections = split_sections(
        _rows(
            "一、总体情况",
            "（一）主动公开情况",
            "正文。",
            "（二）依申请公开情况",
            "本年度未收到申请。",
            "（五）存在问题及改进情况",
            "二、主动公开政府信息情况",
            "表格",
        )
    )
    assert _keys(sections) == ["s1_overview", "s2_active"]
    assert sections[0].text.split("\n") == [
        "（一）主动公开情况",
        "正文。",
        "（二）依申请公开情况",
        "本年度未收到申请。",
        "（五）存在问题及改进情况",
    ]


def test_pre_2019_heading_list() -> None:
    sections = split_sections(
        _rows(
            "一、概述",
            "a",
            "二、主动公开政府信息情况",
            "b",
            "三、依申请公开、不予公开及咨询",
            "c",
            "四、行政复议、诉讼和申诉",
            "d",
            "五、收费及减免",
            "e",
            "六、问题及打算",
            "f",
        )
    )
    assert _keys(sections) == SIX[:5]
    assert sections[3].text == "d\n五、收费及减免\ne"
    assert sections[4].heading == "六、问题及打算"


def test_a_heading_printed_with_its_text_on_one_line() -> None:
    sections = split_sections(_rows("五、存在的主要问题及改进情况", "无", "六、其他需要报告的事项无"))
    assert [(s.heading, s.text) for s in sections] == [
        ("五、存在的主要问题及改进情况", "无"),
        ("六、其他需要报告的事项", "无"),
    ]
    assert sections[1].locator == "line 3 chars 1-12"


def test_table_rows_never_open_a_section() -> None:
    table_row = Row(
        (Cell("四、政府信息公开行政复议、行政诉讼情况", "t r1 c1"), Cell("0", "t r1 c2")), "t r1", grid=True
    )
    rows = _rows("一、总体情况", "正文。") + [table_row]
    sections = split_sections(rows)
    assert _keys(sections) == ["s1_overview"]
    assert sections[0].lines[-1].table


def test_no_headings_and_no_rows() -> None:
    assert _keys(split_sections(_rows("标题", "只有正文。"))) == ["preamble"]
    assert split_sections(_rows("", "  ")) == []
