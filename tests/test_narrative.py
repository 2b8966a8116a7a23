"""Narrative facts on the seed reports, on real reports and on synthetic clauses (docs/formats.md#narrative-facts,
#narrative-rules).

Every expected value was checked against the report's text by eye; the line numbers are the files' own.
The real reports are read from the real corpus (tests/corpus.py); their tests skip when it is absent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from corpus import SAMPLE_INBOX, real_report
from gongkai.parsing.narrative import NONE_STATED, NarrativeFact, chinese_number, extract_narrative_facts
from gongkai.parsing.sections import split_sections
from gongkai.readers import read_document, sniff
from gongkai.readers.document import Cell, Row


def _rows(path: Path) -> list[Row]:
    content = path.read_bytes()
    return list(read_document(content, sniff(content).media_type).rows())


def _facts(path: Path) -> list[NarrativeFact]:
    return extract_narrative_facts(_rows(path))


def _brief(facts: list[NarrativeFact]) -> list[tuple[str, int, str, str | None]]:
    return [(f.fact_key, int(f.value), f.pattern, f.section_key) for f in facts]


def _text_facts(*lines: str) -> list[NarrativeFact]:
    rows = [Row((Cell(text, f"line {n} cell 1"),), f"line {n}") for n, text in enumerate(lines, start=1)]
    return extract_narrative_facts(rows)


def test_seed_000_applications_and_fee_statements() -> None:
    facts = _facts(SAMPLE_INBOX / "000_75550300a700e9da.txt")
    assert _brief(facts) == [
        ("proactive_items", 28, "proactive_items", "s1_overview"),  # line 13 "主动公开政府信息28条"
        ("apps_received", 0, NONE_STATED, "s1_overview"),  # line 15 "我镇未收到政府信息公开申请"
        ("fees_collected", 0, NONE_STATED, "s6_other"),  # line 92 "没有产生信息公开处理费用"
    ]
    assert [f.locator for f in facts] == ["line 13", "line 15", "line 92"]
    assert facts[1].sentence == "我镇未收到政府信息公开申请" and facts[1].value_raw == "未"
    assert (facts[0].value_raw, facts[0].unit) == ("28", "条")


def test_seed_000_states_nothing_about_review_or_litigation() -> None:
    keys = {f.fact_key for f in _facts(SAMPLE_INBOX / "000_75550300a700e9da.txt")}
    assert not keys & {"review_cases", "litigation_cases"}  # T4 is all zeros, but the narrative is silent


def test_seed_001_no_applications_no_review_and_an_approximate_count() -> None:
    facts = _facts(SAMPLE_INBOX / "001_7e5e7a0e1b0fd111.txt")
    assert _brief(facts) == [
        ("proactive_items", 463, "proactive_items_approx", "s1_overview"),  # "463 余条"
        ("apps_received", 0, NONE_STATED, "s1_overview"),
        ("review_cases", 0, NONE_STATED, "s1_overview"),
        ("litigation_cases", 0, NONE_STATED, "s1_overview"),
    ]
    assert facts[2].sentence == "也未收到因政府信息公开申请行政复议和提起行政诉讼案件"
    assert all(f.locator == "line 7" for f in facts)


def test_seed_004_zero_applications_and_website_items_that_are_not_applications() -> None:
    facts = _facts(SAMPLE_INBOX / "004_88f4efaced47710b.txt")
    assert _brief(facts) == [
        ("proactive_items", 63, "proactive_items_published", "s1_overview"),
        ("apps_received", 0, "apps_received_num_first", "s1_overview"),  # "共收到0件依申请公开件"
        ("review_cases", 0, NONE_STATED, "s1_overview"),
        ("litigation_cases", 0, NONE_STATED, "s1_overview"),  # "…或者行政起诉的案例发生"
    ]
    assert (facts[1].value_raw, facts[1].unit, facts[1].locator) == ("0", "件", "line 9")
    assert not any("依申请公开信息3条" in f.sentence for f in facts)  # N_APP_ITEMS_AMBIGUITY


@pytest.mark.parametrize("name", ["002_8eeef03c195206a0.txt", "003_5f15ad0c90ddf270.txt"])
def test_seeds_whose_narrative_states_no_numbers_give_no_facts(name: str) -> None:
    # Seed 003's table 三 prints 17 new and 8 carried-in applications; tables are never read.
    assert _facts(SAMPLE_INBOX / name) == []


@pytest.mark.parametrize("name, proactive", [("r018_pingtan_czj_2009.txt", 6), ("r028_pingtan_ajj_2009.txt", 3)])
def test_pre_2019_reports_read_every_section_but_not_the_annex_table(name: str, proactive: int) -> None:
    assert _brief(_facts(real_report(name))) == [
        ("proactive_items", proactive, "proactive_items", "s2_active"),  # "本局共主动公开政府信息N条"
        ("apps_received", 0, NONE_STATED, "s3_requests"),  # "我局没有收到信息公开申请"
        ("fees_collected", 0, NONE_STATED, "s3_requests"),  # "无收费及减免情况"
    ]


def test_pre_2019_county_report() -> None:
    facts = _facts(real_report("r012_pingtan_xian_2011.txt"))
    assert _brief(facts)[0] == ("proactive_items", 425, "proactive_items", "s2_active")
    assert _brief(facts)[-2:] == [
        ("apps_received", 0, NONE_STATED, "s3_requests"),
        ("review_cases", 0, NONE_STATED, "s3_requests"),
    ]
    assert "litigation_cases" not in {f.fact_key for f in facts}  # only the annex table ("行政诉讼数条00") says so
    assert all(f.locator.startswith("line 10 chars ") for f in facts)


def test_wrapped_pdf_lines_are_read_as_one_paragraph() -> None:
    facts = _facts(real_report("r030_shanghai_kewei_2024_pdfextract.md"))
    assert {(f.fact_key, int(f.value), f.locator) for f in facts} == {
        ("review_cases", 1, "line 19"),
        ("litigation_cases", 0, "line 21"),
        ("apps_received", 34, "line 42"),
        ("apps_carried_in", 2, "line 43"),
        ("apps_granted", 9, "line 44"),
        ("apps_partly_granted", 0, "line 44"),
        ("apps_denied", 2, "line 44"),  # "不予公开答复 2" / "件" wraps onto line 45
        ("apps_carried_out", 1, "line 46"),
        ("fees_collected", 0, "line 207"),
    }


def test_html_report_counts_and_grid_tables_ignored() -> None:
    facts = _facts(real_report("r040_shanghai_szfbgt_2019_embedded.js"))
    assert {(f.fact_key, int(f.value)) for f in facts} == {
        ("apps_received", 859),
        ("apps_answered", 805),
        ("apps_carried_in", 18),
        ("apps_carried_out", 72),
        ("apps_denied", 35),
        ("review_cases", 7),
        ("litigation_cases", 9),
    }
    # "予以公开及部分公开258件" is a sum of two outcomes, not a count of either
    assert all(f.section_key == "s1_overview" and f.locator == "html /html/body/p[14]" for f in facts)


def test_given_sections_are_used() -> None:
    rows = _rows(SAMPLE_INBOX / "001_7e5e7a0e1b0fd111.txt")
    sections = split_sections(rows)
    assert extract_narrative_facts(rows, sections) == extract_narrative_facts(rows)
    without_overview = [s for s in sections if s.section_key != "s1_overview"]
    assert extract_narrative_facts(rows, without_overview) == []


@pytest.mark.parametrize(
    "clause, expected",
    [
        ("共受理政府信息公开申请859件", [("apps_received", 859, "apps_received")]),
        ("本年度收到三件政府信息公开申请", [("apps_received", 3, "apps_received_num_first")]),
        ("收到行政复议申请0件", [("review_cases", 0, "review_cases")]),
        (
            "行政复议和行政诉讼均为0件",
            [("review_cases", 0, "review_litigation_joint"), ("litigation_cases", 0, "review_litigation_joint")],
        ),
        ("未经行政复议直接提起行政诉讼1件", [("litigation_cases", 1, "litigation_cases")]),
        (
            "共受理申请20件（含上年结转3件）",
            [("apps_received", 20, "apps_received"), ("apps_carried_in", 3, "apps_carried_in")],
        ),
        ("结转下年度继续办理两件", [("apps_carried_out", 2, "apps_carried_out")]),
        ("实际收取信息处理费共计400元", [("fees_collected", 400, "fees_collected")]),
        ("主动公开政府信息755多条", [("proactive_items", 755, "proactive_items_approx")]),
        ("尚未收到政府信息公开申请", [("apps_received", 0, NONE_STATED)]),
        ("未收取任何费用", [("fees_collected", 0, NONE_STATED)]),
        ("依申请公开信息3条", []),
        ("无行政事业性收费", []),  # an administrative fee, not the 信息处理费
        ("其他应主动公开的政府信息14条", []),  # a category of items, not the total
        ("予以公开及部分公开258件", []),
        ("本年度全区共收到申请若干", []),
    ],
)
def test_clause_patterns(clause: str, expected: list[tuple[str, int, str]]) -> None:
    facts = _text_facts("一、总体情况", clause + "。")
    assert [(f.fact_key, int(f.value), f.pattern) for f in facts] == expected
    assert all(f.sentence == clause for f in facts)


def test_table_rows_are_never_read() -> None:
    text = "\n".join(
        ["一、总体情况", "收到政府信息公开申请\t5\t件", "行政复议", "\t3", "全年共收到政府信息公开申请2件。"]
    )
    facts = extract_narrative_facts(list(read_document(text.encode(), "text/plain").rows()))
    assert [(f.fact_key, int(f.value), f.locator) for f in facts] == [("apps_received", 2, "line 5")]


def test_an_annex_table_inside_the_text_is_not_read() -> None:
    facts = _text_facts(
        "一、总体情况", "全年未收到政府信息公开申请。 附件1：统计表 受理依申请公开信息总数条00 行政复议数件3"
    )
    assert [(f.fact_key, f.pattern) for f in facts] == [("apps_received", NONE_STATED)]


@pytest.mark.parametrize(
    "text, value",
    [
        ("零", 0),
        ("两", 2),
        ("九", 9),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十五", 35),
        ("一百零五", 105),
        ("一二", None),
        ("件", None),
    ],
)
def test_chinese_number(text: str, value: int | None) -> None:
    assert chinese_number(text) == value


def test_values_are_decimals() -> None:
    fact = _text_facts("六、其他需要报告的事项", "收取信息处理费12.5元。")[0]
    assert (fact.value, fact.value_raw, fact.unit, fact.section_key) == (Decimal("12.5"), "12.5", "元", "s6_other")
