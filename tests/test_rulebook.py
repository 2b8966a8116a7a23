"""The whole rulebook (expectations/*.json + expectations/sql/*.sql) on one synthetic lake, checked by one GX run.

One module-scoped lake holds small reports, each designed to make given rules PASS, FAIL, PASS_LENIENT (a blank
that passes only as 0), UNCERTAIN (an operand that cannot be read) or NOT_ASSESSABLE; ``check_lake`` runs once and
every test reads its findings. ``CASES`` names, per rule and report, the status the inputs were built for; every
rule of the catalogue must have a PASS, a FAIL, an UNCERTAIN and a NOT_ASSESSABLE case, unless an allow-list says
why it cannot (``test_every_rule_has_a_case_of_every_status``), and every cross-report rule that compares two
reports passes and fails on a two-year pair (``test_every_pair_rule_is_tested_on_two_year_pairs``), 孟津县→孟津区
(a renamed publisher) among them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from gongkai import keys
from gongkai.lake import Lake
from gongkai.rules import CheckResult, check_lake
from gongkai.rules.gx_context import prune_validation_runs
from gongkai.rules.suites import load_expectations, rule_catalogue
from lake_factory import report, report_sections, statement, table_cells, write_part

RUN_NAME = "rulebook-test"
F21, F19, PRE = keys.FMT2021, keys.FMT2019, keys.PRE2019

# ---- inputs ------------------------------------------------------------------------------------------------------


def t3(rows: Mapping[str, Any], cols: Iterable[str] = ("natural_person", "total")) -> dict[str, Any]:
    """T3 cells: each row's value in each of ``cols``."""
    return {f"T3.{row}.{col}": value for row, value in rows.items() for col in cols}


# A consistent table 三: 5 new + 1 carried in = 5 answered (3 granted, 1 partly, 1 other) + 1 carried out, all
# from natural persons (the other applicant columns are 0).
T3_CLEAN = {"new_received": 5, "carried_in": 1, "granted": 3, "partly_granted": 1, "outcome_total": 5, "carried_out": 1}
CLEAN = {
    F21: {
        **t3({**T3_CLEAN, "other_fee_unpaid": 1}),
        "T4.review.upheld": 1,
        "T4.review.total": 1,
        "T2_1.normative_doc.made": 3,
        "T2_1.normative_doc.repealed": 1,
        "T2_1.normative_doc.valid": 10,
        "T2_5.license.decisions": 20,
        "T2_6.penalty.decisions": 4,
        "T2_8.admin_fee.fee_amount": "1.25",
    },
    F19: {
        **t3({**T3_CLEAN, "other_processing": 1}),
        "T4.review.upheld": 1,
        "T4.review.total": 1,
        "T2_1.normative_doc.new_made": 2,
        "T2_1.normative_doc.new_published": 2,
        "T2_1.normative_doc.published_total": 12,
        "T2_5.license.items_prev_year": 10,
        "T2_5.license.items_change": -1,
        "T2_5.license.decisions": 30,
        "T2_5.other_external_service.items_prev_year": 5,
        "T2_6.penalty.items_prev_year": 3,
        "T2_6.penalty.items_change": 1,
        "T2_6.penalty.decisions": 7,
        "T2_8.admin_fee.items_prev_year": 2,
        "T2_9.central_procurement.procurement_items": 2,
        "T2_9.central_procurement.procurement_amount": "35.5",
    },
}
CLEAN_RAW = {F19: {"T2_9.central_procurement.procurement_amount": "35.5万元"}}

# Texts of consecutive years differ (by the year's parity), so that XR_DUP_TEXT passes; each section 五 refers back
# to last year's problems (XR_SEC5_FOLLOWUP) and section 六 mentions 信息处理费 (N_FEE_INFO_PROC).
S1 = (
    "本机关坚持以公开为常态、不公开为例外，围绕重点领域信息公开，完善政务公开目录，推动决策、执行、管理、服务、"
    "结果全过程公开，依法办理依申请公开事项。",
    "本机关聚焦群众关切，优化政府网站和政务新媒体栏目设置，加强政策解读与回应关切，规范依申请公开办理流程，落实"
    "信息发布审查制度，公开质量稳步提升。",
)
BREAKDOWN = "全年共发布信息30条，其中政策文件10条、工作动态20条。"
S5 = (
    "针对上一年度报告指出的栏目更新不及时问题，本年度已建立信息更新台账并逐月核对。存在的问题是部分政策解读形式"
    "单一，计划增加图解和视频解读。",
    "针对上一年度报告指出的政策解读形式单一问题，本年度推出图解和音视频解读。存在的问题是依申请公开答复文书格式不够"
    "统一，计划制定统一文书模板。",
)
S6 = (
    "本年度发出收费通知1件，依据《政府信息公开信息处理费管理办法》收取信息处理费。人大代表建议和政协提案办理结果"
    "均已按要求公开，本机关无其他需要报告的事项。",
    "本年度依据《政府信息公开信息处理费管理办法》发出收费通知1件。本机关落实政务公开工作年度要点的情况已在门户网站"
    "专栏公开，无其他需要报告的事项。",
)
# The same texts in two years, without a year and without referring back (organisation C).
C_S1 = (
    "本机关持续推进政务公开标准化规范化建设，按照公开目录及时发布各类政府信息，依法办理政府信息公开申请，各项工作"
    "平稳有序开展。" + BREAKDOWN
)
C_S5 = (
    "存在的问题是政策解读的形式比较单一，信息发布的时效性有待提高。改进情况：已建立信息发布台账，并安排专人负责每周"
    "核对栏目内容，确保信息准确，上年结转的申请均已办结。"
)  # "上年结转" is no reference to last year's problems


def texts(year: int, **override: str | None) -> dict[str, str]:
    """The six sections (and preamble) of a well-formed report; ``override`` replaces (None: drops) a section."""
    sections = {
        "preamble": f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限为{year}年1月1日至"
        f"{year}年12月31日。",
        "s1_overview": f"{year}年，{S1[year % 2]}{BREAKDOWN}",
        "s2_active": "主动公开政府信息情况详见下表。",
        "s3_requests": "收到和处理政府信息公开申请情况详见下表。",
        "s4_review_litigation": "行政复议、行政诉讼情况详见下表。",
        "s5_problems": S5[year % 2],
        "s6_other": S6[year % 2],
    }
    sections.update(override)
    return {key: text for key, text in sections.items() if text is not None}


def clean_facts(report_id: str, fmt: str) -> list[dict]:
    """Statements matching CLEAN: fmt2021 states 收到5件 and 未发生行政诉讼; fmt2019 states 6件 (新收 + 结转)
    and 行政诉讼0件."""
    if fmt == F21:
        return [
            statement(report_id, "apps_received", 5),
            statement(report_id, "apps_carried_in", 1),
            statement(report_id, "apps_carried_out", 1),
            statement(report_id, "apps_answered", 5),
            statement(report_id, "apps_granted", 3),
            statement(report_id, "review_cases", 1),
            statement(report_id, "litigation_cases", 0, pattern="none_stated", sentence="未发生行政诉讼"),
        ]
    return [
        statement(report_id, "apps_received", 6),
        statement(report_id, "apps_carried_in", 1),
        statement(report_id, "apps_carried_out", 1),
        statement(report_id, "apps_answered", 5),
        statement(report_id, "apps_denied", 0),
        statement(report_id, "review_cases", 1),
        statement(report_id, "litigation_cases", 0),
    ]


@dataclass
class Doc:
    report: dict
    cells: list
    sections: list
    facts: list


DOCS: dict[str, Doc] = {}
_serial = iter(range(1, 1000))


def doc(
    report_id: str,
    fmt: str,
    year: int | None,
    region: str | None = "410311:洛龙区",
    *,
    values: Mapping[str, Any] | None = None,
    base: bool = True,
    raw: Mapping[str, str] | None = None,
    statuses: Mapping[str, str] | None = None,
    omit: Iterable[str] = (),
    sections: Mapping[str, str] | None = None,
    facts: Iterable[dict] | None = None,
    tables: bool = True,
    **fields: Any,
) -> str:
    """Register a report: CLEAN values of its format (unless ``base`` is False: all 0) updated by ``values``.

    Reports default to a department of 洛龙区 with a name of their own, so that no two are the same organisation;
    ``fields`` override the ``reports`` row (publisher, org_type, published_on, …)."""
    assert report_id not in DOCS
    row = report(report_id, region_id=region, report_year=year, format_version=fmt)
    if region == "410311:洛龙区" and "publisher" not in fields:
        row |= {"publisher": f"洛龙区第{next(_serial)}号试验局", "org_type": "department"}
    row |= fields
    cells = []
    if tables and fmt in (F21, F19):
        cells = table_cells(
            report_id,
            fmt,
            {**(CLEAN[fmt] if base else {}), **(values or {})},
            raw={**(CLEAN_RAW.get(fmt, {}) if base else {}), **(raw or {})},
            statuses=statuses,
            omit=omit,
        )
    section_rows = report_sections(report_id, sections if sections is not None else texts(year or 2022))
    fact_rows = list(facts) if facts is not None else (clean_facts(report_id, fmt) if base and tables else [])
    DOCS[report_id] = Doc(row, cells, section_rows, fact_rows)
    return report_id


def unread(cells: Mapping[str, tuple[str, str]], values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``doc`` arguments for ``values`` and cells printed but not read: no value, their status and their text."""
    return {
        "values": {**(values or {}), **dict.fromkeys(cells)},
        "statuses": {ref: status for ref, (status, _) in cells.items()},
        "raw": {ref: text for ref, (_, text) in cells.items()},
    }


# -- clean organisations, each in two consecutive years (cross-report rules pass) ----------------------------------
doc("a2021", F21, 2021, "410323:新安县")
doc(
    "a2022", F21, 2022, "410323:新安县", published_on=dt.date(2023, 3, 15), values={"T2_1.normative_doc.valid": 12}
)  # 10 + 3 made − 1 repealed
doc(
    "b2019",
    F19,
    2019,
    "410324:栾川县",
    values={
        "T2_5.license.items_prev_year": 12,
        "T2_5.license.items_change": -2,
        "T2_6.penalty.items_prev_year": 2,
        "T2_1.normative_doc.published_total": 10,
    },
)
doc("b2020", F19, 2020, "410324:栾川县", published_on=dt.date(2021, 2, 1))  # 12 − 2 = 10 licences, 2 + 1 = 3 …
# 孟津县 (2020, fmt2019) became 孟津区 (2021, fmt2021): one organisation through the alias table
doc("m2020", F19, 2020, "410322:孟津县")
doc("m2021", F21, 2021, "410308:孟津区")
CLEAN_REPORTS = ("a2021", "a2022", "b2019", "b2020", "m2020", "m2021")

# -- organisations whose second year breaks cross-report rules -----------------------------------------------------
C_TEXTS = {"s1_overview": C_S1, "s5_problems": C_S5}
doc(
    "c2021",
    F21,
    2021,
    "410325:嵩县",
    sections=texts(2021, **C_TEXTS),
    values={"T4.review.upheld": 0, "T4.review.pending": 1},
)  # one case still pending
doc(
    "c2022",
    F21,
    2022,
    "410325:嵩县",
    sections=texts(2022, **C_TEXTS),
    values={
        **t3({"carried_in": 3, "carried_out": 3}),  # last year carried out 1
        "T2_1.normative_doc.valid": 20,
    },
)  # 10 + 3 − 1 = 12 expected
# 总计 carried over agrees, the columns do not (a warning)
doc("k2021", F21, 2021, "410326:汝阳县")
doc(
    "k2022",
    F21,
    2022,
    "410326:汝阳县",
    values={
        "T3.carried_in.natural_person": 0,
        "T3.carried_in.commercial": 1,
        "T3.carried_out.natural_person": 0,
        "T3.carried_out.commercial": 1,
    },
)
# fmt2019 → fmt2021 with a carry that does not match
doc("g2020", F19, 2020, "410327:宜阳县")
doc("g2021", F21, 2021, "410327:宜阳县", values=t3({"carried_in": 3, "carried_out": 3}))
doc(
    "d2019",
    F19,
    2019,
    "410328:洛宁县",
    values={"T2_5.license.items_prev_year": 12, "T2_1.normative_doc.published_total": 10},
)
doc(
    "d2020", F19, 2020, "410328:洛宁县", values={"T2_1.normative_doc.published_total": 8}
)  # 12 − 1 = 11 licences expected; 8 < 10
doc("h2021", F21, 2021, "410329:伊川县")
doc("h2022", F19, 2022, "410329:伊川县")  # back to the 2019 format
doc("j2019", F19, 2019, "410302:老城区")
doc("j2021", F21, 2021, "410302:老城区")  # no 2020 report

# the previous year's operands of cross-report rules cannot be read
doc(
    "ua2021",
    F21,
    2021,
    publisher="洛龙区审计局",
    org_type="department",
    **unread(
        {
            "T3.carried_out.total": ("uncertain", "1?"),
            "T2_1.normative_doc.valid": ("placeholder", "—"),
            "T4.review.pending": ("uncertain", "0?"),
        }
    ),
)
doc("ua2022", F21, 2022, publisher="洛龙区审计局", org_type="department", values={"T2_1.normative_doc.valid": 12})
doc(
    "ub2019",
    F19,
    2019,
    publisher="洛龙区统计局",
    org_type="department",
    **unread(
        {
            "T2_5.license.items_change": ("placeholder", "—"),
            "T2_1.normative_doc.published_total": ("uncertain", "1O"),
            "T3.granted.total": ("uncertain", "3?"),
            "T2_9.central_procurement.procurement_amount": ("text", "详见附件"),
        },
        {"T2_5.license.items_prev_year": 12, "T2_6.penalty.items_prev_year": 2},
    ),
)
doc("ub2020", F19, 2020, publisher="洛龙区统计局", org_type="department")

PAIRS = {
    "a2022": "a2021",
    "b2020": "b2019",
    "m2021": "m2020",
    "c2022": "c2021",
    "k2022": "k2021",
    "g2021": "g2020",
    "d2020": "d2019",
    "h2022": "h2021",
    "ua2022": "ua2021",
    "ub2020": "ub2019",
}
GAPS = {"j2021": "j2019"}

# -- publication deadlines -----------------------------------------------------------------------------------------
doc(
    "dept22",
    F21,
    2022,
    "410323:新安县",
    publisher="新安县财政局",
    org_type="department",
    published_on=dt.date(2023, 1, 20),
)
doc(
    "deptlate22",
    F21,
    2022,
    "410323:新安县",
    publisher="新安县教育局",
    org_type="department",
    published_on=dt.date(2023, 2, 15),
)
doc("govlate22", F21, 2022, "410303:西工区", published_on=dt.date(2023, 4, 10))
doc("town22", F21, 2022, "431202:鹤城区/城中街道", published_on=dt.date(2023, 2, 10))  # 怀化: by 02-20
doc("townlate22", F21, 2022, "431202:鹤城区/城北街道", published_on=dt.date(2023, 3, 1))
doc("pre2017", PRE, 2017, "410304:瀍河回族区", published_on=dt.date(2018, 3, 20))
doc(
    "prelate2017",
    PRE,
    2017,
    "410305:涧西区",
    published_on=dt.date(2018, 5, 2),
    sections=texts(2017, s4_review_litigation=None),
)  # pre-2019: a missing section is a warning

# -- table rules ---------------------------------------------------------------------------------------------------
doc("f_balance", F21, 2022, values=t3({"carried_out": 2}))
doc("f_rowtotal", F21, 2022, values={"T3.granted.total": 4, "T3.partly_granted.total": 0})
doc("f_outcome", F21, 2022, values=t3({"outcome_total": 6, "carried_out": 0}))
doc("f19_outcome", F19, 2020, values=t3({"outcome_total": 6, "carried_out": 0}))
doc(
    "f_nonneg3",
    F21,
    2022,
    values={
        **t3({"noproc_petition": 1, "noproc_repeat": -1}, ("research", "total")),
        **t3({"granted": "2.5", "partly_granted": "1.5"}),
    },
)
doc(
    "f_zeroflow",
    F21,
    2022,
    values={
        **t3({"granted": 1, "outcome_total": 1}, ("research",)),
        "T3.granted.total": 4,
        "T3.outcome_total.total": 6,
    },
)
doc("f_carrybound", F21, 2022, values=t3({"carried_out": 7}))
doc("f_complete3", F21, 2022, omit=["T3.noproc_massive.legal_service"])
doc("f19_complete3", F19, 2020, omit=["T3.other_processing.research"])
doc("f_t4review", F21, 2022, values={"T4.review.total": 2})
doc("f_t4direct", F21, 2022, values={"T4.lit_direct.corrected": 1})
doc("f_t4after", F21, 2022, values={"T4.lit_after_review.other": 2, "T4.lit_after_review.total": 1})
doc("f_nonneg4", F21, 2022, values={"T4.review.upheld": 2, "T4.review.corrected": -1})
doc("f_complete4", F21, 2022, omit=["T4.lit_after_review.other"])
doc("f_t2nonneg", F21, 2022, values={"T2_5.license.decisions": -2, "T2_6.penalty.decisions": "1.5"})
doc("f_feeneg", F21, 2022, values={"T2_8.admin_fee.fee_amount": "-0.5"})
doc("f_feeyuan", F21, 2022, values={"T2_8.admin_fee.fee_amount": 12500}, raw={"T2_8.admin_fee.fee_amount": "12500元"})
doc("f_feetown", F21, 2022, "431221:中方县/桐木镇", values={"T2_8.admin_fee.fee_amount": 1500})
doc("f_feeprec", F21, 2022, values={"T2_8.admin_fee.fee_amount": "1.234567"})
doc("f_reglevel", F21, 2022, values={"T2_1.regulation.made": 1, "T2_1.regulation.valid": 1})
doc(
    "reg_pref22",
    F21,
    2022,
    "410300:洛阳市",
    publisher="洛阳市人民政府",
    values={"T2_1.regulation.made": 2, "T2_1.regulation.valid": 30},
)
doc(
    "f_validnet",
    F21,
    2022,
    values={"T2_1.normative_doc.made": 5, "T2_1.normative_doc.repealed": 0, "T2_1.normative_doc.valid": 3},
)
doc("f_complete2", F21, 2022, omit=["T2_6.coercion.decisions"])
doc("f19_nonneg2", F19, 2020, values={"T2_5.license.decisions": -3})
doc("f19_pubtotal", F19, 2020, values={"T2_1.normative_doc.new_published": 20})
doc("f19_items", F19, 2020, values={"T2_5.license.items_prev_year": 1, "T2_5.license.items_change": -3})
doc("f19_proczero", F19, 2020, values={"T2_9.central_procurement.procurement_items": 0})
doc(
    "f19_procunit",
    F19,
    2020,
    values={"T2_9.central_procurement.procurement_amount": 355000},
    raw={"T2_9.central_procurement.procurement_amount": "355000"},
)
doc(
    "f19_complete2",
    F19,
    2020,
    omit=["T2_9.central_procurement.procurement_items", "T2_9.central_procurement.procurement_amount"],
)
doc("f_t4noapps", F21, 2022, base=False, values={"T4.review.upheld": 1, "T4.review.total": 1})

# -- blanks, unreadable cells, other formats -----------------------------------------------------------------------
doc(
    "lenient21",
    F21,
    2022,
    values={
        "T3.carried_in.commercial": None,
        "T4.lit_direct.pending": None,
        "T4.lit_after_review.total": None,
        "T2_1.regulation.made": None,
    },
)
UNREAD21 = {  # cell id: (value status, printed text) of cells that cannot be read
    "T3.new_received.total": ("uncertain", "5?"),
    "T4.review.total": ("placeholder", "—"),
    "T4.lit_direct.other": ("text", "见附表"),
    "T2_5.license.decisions": ("uncertain", "2O"),
    "T2_1.normative_doc.valid": ("uncertain", "1O"),
    "T2_8.admin_fee.fee_amount": ("placeholder", "—"),
}
doc("uncertain21", F21, 2022, **unread(UNREAD21))
doc("blankfail21", F21, 2022, values={"T3.carried_out.total": None})
doc("notreport", keys.NOT_A_REPORT, 2022, sections={"preamble": "关于印发某某工作方案的通知。"})

# -- structure -----------------------------------------------------------------------------------------------------
doc("s_missing", F21, 2022, sections=texts(2022, s4_review_litigation=None))
doc("s_order", F21, 2022, sections=dict(sorted(texts(2022).items(), key=lambda kv: kv[0] == "s2_active")))
doc("s_unknown", keys.UNKNOWN, 2022, tables=False)
doc("s_formatyear", F19, 2022)
doc(
    "s_titleyear",
    F21,
    2022,
    sections=texts(2022, preamble="本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。"),
)
doc("s_period", F21, 2022, sections=texts(2022, preamble="本报告中所列数据的统计期限为2022年1月1日至2022年6月30日。"))
doc("s_noorg", F21, 2022, publisher=None)
doc("s_sec5", F21, 2022, sections=texts(2022, s5_problems="无。"))
doc(
    "s_misplaced",
    F21,
    2022,
    sections=texts(2022, s6_other="下一步，我们将进一步完善公开工作机制，本机关无其他需要报告的事项。"),
)

# -- narrative -----------------------------------------------------------------------------------------------------
doc(
    "n_fail",
    F21,
    2022,
    sections=texts(
        2022,
        s1_overview="2022年，本机关依法公开政府信息。全年共发布信息30条，其中政策文件10条、工作动态15条。",
        s6_other="本机关无其他需要报告的事项。",
    ),  # no word of 信息处理费
    facts=[
        statement("n_fail", "apps_received", 0, pattern="none_stated", sentence="未收到政府信息公开申请"),
        statement("n_fail", "apps_received", 7, ordinal=2),
        statement("n_fail", "apps_carried_in", 2),
        statement("n_fail", "apps_carried_out", 0),
        statement("n_fail", "apps_answered", 4),
        statement("n_fail", "apps_denied", 2),
        statement("n_fail", "review_cases", 0, pattern="none_stated", sentence="未发生行政复议"),
        statement("n_fail", "review_cases", 3, ordinal=2),
        statement("n_fail", "litigation_cases", 2),
    ],
)
doc(
    "n_none",
    F21,
    2022,
    base=False,
    facts=[
        statement("n_none", "apps_received", 0, pattern="none_stated", sentence="未收到政府信息公开申请"),
        statement("n_none", "review_cases", 0, pattern="none_stated", sentence="未发生行政复议"),
    ],
)
doc(
    "n_approx",
    F21,
    2022,
    facts=[statement("n_approx", "apps_received", 5, pattern="apps_received_approx", sentence="收到申请5余件")],
    sections=texts(2022, s1_overview=f"2022年，{S1[0]}全年共发布信息30条，其中绝大部分为工作动态。"),
)  # no part counted
# The table's totals cannot be read where the text states a number.
doc(
    "n_unread",
    F21,
    2022,
    **unread(
        {
            "T3.new_received.total": ("placeholder", "—"),
            "T3.carried_in.total": ("uncertain", "1?"),
            "T3.carried_out.total": ("uncertain", "1?"),
            "T3.outcome_total.total": ("uncertain", "5?"),
            "T3.other_fee_unpaid.total": ("uncertain", "1?"),
            "T4.review.total": ("placeholder", "—"),
            "T4.lit_direct.total": ("uncertain", "0?"),
        }
    ),
    facts=[
        statement("n_unread", "apps_received", 0, pattern="none_stated", sentence="未收到政府信息公开申请"),
        statement("n_unread", "apps_carried_in", 1),
        statement("n_unread", "apps_carried_out", 1),
        statement("n_unread", "apps_answered", 5),
        statement("n_unread", "review_cases", 0, pattern="none_stated", sentence="未发生行政复议"),
        statement("n_unread", "litigation_cases", 0),
    ],
)
# Approximate numbers ("余") that the table's exact numbers may well match: 460余件 against 468, and 10余条 + 18条
# against 30: UNCERTAIN, never FAIL.
doc(
    "n_approx_off",
    F21,
    2022,
    values={**t3({"new_received": 468, "granted": 466, "outcome_total": 468})},
    facts=[
        statement(
            "n_approx_off", "apps_received", 460, pattern="apps_received_approx", sentence="收到政府信息公开申请460余件"
        )
    ],
    sections=texts(2022, s1_overview=f"2022年，{S1[0]}全年共发布信息30条，其中政策文件10余条、工作动态18条。"),
)

# -- unreadable operands of other rules, and rules that do not apply -----------------------------------------------
doc(
    "u_noregion",
    F21,
    2022,
    None,
    publisher="某某管理局",  # whose level is unknown
    values={"T2_1.regulation.made": 1, "T2_1.regulation.valid": 1},
)
doc("u_noregion0", F21, 2022, None, publisher="某某服务中心")  # no 规章 at all: passes
doc("na_notables21", F21, 2022, tables=False)  # tables printed as images: no cell located, nothing stated
doc("na_notables19", F19, 2020, tables=False)
doc(
    "na_plain",
    F21,
    2022,
    base=False,
    sections={  # no period, no year in the text, no sections 五 and 六
        "preamble": "本报告根据《中华人民共和国政府信息公开条例》编制。",
        "s1_overview": S1[0],
        "s2_active": "主动公开政府信息情况详见下表。",
        "s3_requests": "收到和处理政府信息公开申请情况详见下表。",
        "s4_review_litigation": "行政复议、行政诉讼情况详见下表。",
    },
)
doc("pre_nodate", PRE, 2017)  # no publication date found
doc(
    "n_semicolons",
    F21,
    2022,
    sections=texts(
        2022,
        s1_overview=f"2022年，{S1[0]}全年共发布信息249条，其中：行政公文"
        "9条；人事信息7条；重点工作39条；其他信息194条。",
    ),
)
doc(
    "s_period_since",
    F21,
    2022,
    sections=texts(2022, preamble="本报告中所列数据的统计期限自2017年1月1日起至2022年12月31日止。"),
)


# ---- the cases ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """``rule`` on ``report`` has ``status`` in ``scope`` (None: in every scope it has); a FAIL lists the
    ``evidence`` ids it must name and, where given, the two numbers compared."""

    rule: str
    report: str
    status: str
    scope: str | None = None
    evidence: tuple[str, ...] = ()
    values: tuple[Any, Any] | None = None

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.report}-{self.status}" + (f"-{self.scope}" if self.scope else "")


def col(column: str, rows: Iterable[str]) -> tuple[str, ...]:
    return tuple(f"T3.{r}.{column}" for r in rows)


BALANCE_ROWS = ("new_received", "carried_in", "outcome_total", "carried_out")
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
N = Decimal
P, L, F, U, NA = "PASS", "PASS_LENIENT", "FAIL", "UNCERTAIN", "NOT_ASSESSABLE"
V21 = CLEAN[F21]


def t2_rows(fmt: str) -> int:
    return sum(len(rows) for rows in keys.T2_ROWS_BY_FORMAT[fmt].values())


CASES = [
    # T3 (docs/formats.md#consistency-rules, #rules-2019)
    Case("T3_BALANCE", "a2022", P),
    Case("T3_BALANCE", "b2020", P),
    Case(
        "T3_BALANCE",
        "f_balance",
        F,
        "col=total",
        col("total", BALANCE_ROWS),
        (N(T3_CLEAN["new_received"] + T3_CLEAN["carried_in"]), N(T3_CLEAN["outcome_total"] + 2)),
    ),
    Case("T3_BALANCE", "f_balance", F, "col=natural_person"),
    Case("T3_BALANCE", "f_balance", P, "col=research"),
    Case("T3_BALANCE", "lenient21", L, "col=commercial"),
    Case("T3_BALANCE", "uncertain21", U, "col=total"),
    Case("T3_BALANCE", "blankfail21", U, "col=total"),
    Case("T3_BALANCE", "na_notables21", NA),
    Case("T3_ROW_TOTAL", "a2022", P),
    Case("T3_ROW_TOTAL", "b2020", P),
    Case(
        "T3_ROW_TOTAL",
        "f_rowtotal",
        F,
        "row=granted",
        tuple(f"T3.granted.{c}" for c in APPLICANTS),
        (N(T3_CLEAN["granted"]), N(4)),
    ),
    Case("T3_ROW_TOTAL", "f_rowtotal", F, "row=partly_granted"),
    Case("T3_ROW_TOTAL", "f_rowtotal", P, "row=new_received"),
    Case("T3_ROW_TOTAL", "lenient21", L, "row=carried_in"),
    Case("T3_ROW_TOTAL", "uncertain21", U, "row=new_received"),
    Case("T3_ROW_TOTAL", "blankfail21", U, "row=carried_out"),
    Case("T3_ROW_TOTAL", "f_complete3", U, "row=noproc_massive"),
    Case("T3_ROW_TOTAL", "na_notables21", NA),
    Case("T3_OUTCOME_TOTAL", "a2022", P),
    Case(
        "T3_OUTCOME_TOTAL",
        "f_outcome",
        F,
        "col=total",
        col("total", ("granted", "partly_granted", "other_fee_unpaid")),
        (N(T3_CLEAN["outcome_total"]), N(6)),
    ),
    Case("T3_OUTCOME_TOTAL", "f_outcome", P, "col=commercial"),
    Case("T3_OUTCOME_TOTAL", "b2020", NA),
    Case("T3_OUTCOME_TOTAL", "f_complete3", U, "col=legal_service"),
    Case("T3_OUTCOME_TOTAL", "na_notables21", NA),
    Case("T3_OUTCOME_TOTAL_2019", "b2020", P),
    Case("T3_OUTCOME_TOTAL_2019", "a2022", NA),
    Case(
        "T3_OUTCOME_TOTAL_2019",
        "f19_outcome",
        F,
        "col=total",
        col("total", ("granted", "other_processing")),
        (N(T3_CLEAN["outcome_total"]), N(6)),
    ),
    Case("T3_OUTCOME_TOTAL_2019", "ub2019", U, "col=total", ("T3.granted.total",)),
    Case("T3_OUTCOME_TOTAL_2019", "na_notables19", NA),
    Case("T3_NONNEG_INT", "a2022", P),
    Case("T3_NONNEG_INT", "b2020", P),
    Case(
        "T3_NONNEG_INT",
        "f_nonneg3",
        F,
        "table=T3",
        ("T3.noproc_repeat.research", "T3.noproc_repeat.total", "T3.granted.natural_person", "T3.partly_granted.total"),
    ),
    Case("T3_NONNEG_INT", "lenient21", L),
    Case("T3_NONNEG_INT", "uncertain21", U),
    Case("T3_NONNEG_INT", "na_notables21", NA),
    Case("T3_ZERO_FLOW", "a2022", P),
    Case(
        "T3_ZERO_FLOW",
        "f_zeroflow",
        F,
        "col=research",  # the outcome rows it reads, not 总计
        col("research", ("new_received", "carried_in", "granted", "carried_out")),
    ),
    Case("T3_ZERO_FLOW", "f_zeroflow", P, "col=commercial"),
    Case("T3_ZERO_FLOW", "lenient21", L, "col=commercial"),
    Case("T3_ZERO_FLOW", "uncertain21", U, "col=total", ("T3.new_received.total",)),
    Case("T3_ZERO_FLOW", "na_notables21", NA),
    Case("T3_CARRY_OUT_BOUND", "a2022", P),
    Case(
        "T3_CARRY_OUT_BOUND",
        "f_carrybound",
        F,
        "col=total",
        col("total", ("new_received", "carried_in", "carried_out")),
        (N(T3_CLEAN["new_received"] + T3_CLEAN["carried_in"]), N(7)),
    ),
    Case("T3_CARRY_OUT_BOUND", "lenient21", L, "col=commercial"),
    Case("T3_CARRY_OUT_BOUND", "uncertain21", U, "col=total", ("T3.new_received.total",)),
    Case("T3_CARRY_OUT_BOUND", "na_notables19", NA),
    Case("T3_COMPLETE", "a2022", P),
    Case("T3_COMPLETE", "lenient21", P),
    Case("T3_COMPLETE", "uncertain21", P),
    Case(
        "T3_COMPLETE",
        "f_complete3",
        F,
        "table=T3",
        ("T3.noproc_massive.legal_service",),
        (N(len(keys.T3_ROWS_2021) * len(keys.T3_COLS) - 1), N(len(keys.T3_ROWS_2021) * len(keys.T3_COLS))),
    ),
    Case("T3_COMPLETE", "b2020", NA),
    Case("T3_COMPLETE_2019", "b2020", P),
    Case("T3_COMPLETE_2019", "f19_complete3", F, "table=T3", ("T3.other_processing.research",)),
    Case("T3_COMPLETE_2019", "a2022", NA),
    # T4
    Case("T4_REVIEW_TOTAL", "a2022", P),
    Case(
        "T4_REVIEW_TOTAL",
        "f_t4review",
        F,
        "row=review",
        tuple(f"T4.review.{c}" for c in keys.T4_COLS),
        (N(V21["T4.review.upheld"]), N(2)),
    ),
    Case("T4_REVIEW_TOTAL", "uncertain21", U),
    Case("T4_REVIEW_TOTAL", "na_notables21", NA),
    Case("T4_LIT_DIRECT_TOTAL", "a2022", P),
    Case(
        "T4_LIT_DIRECT_TOTAL",
        "f_t4direct",
        F,
        "row=lit_direct",
        ("T4.lit_direct.corrected", "T4.lit_direct.total"),
        (N(1), N(0)),
    ),
    Case("T4_LIT_DIRECT_TOTAL", "lenient21", L),
    Case("T4_LIT_DIRECT_TOTAL", "uncertain21", U, "row=lit_direct", ("T4.lit_direct.other",)),
    Case("T4_LIT_DIRECT_TOTAL", "na_notables19", NA),
    Case("T4_LIT_AFTER_REVIEW_TOTAL", "b2020", P),
    Case(
        "T4_LIT_AFTER_REVIEW_TOTAL",
        "f_t4after",
        F,
        "row=lit_after_review",
        ("T4.lit_after_review.other", "T4.lit_after_review.total"),
        (N(2), N(1)),
    ),
    Case("T4_LIT_AFTER_REVIEW_TOTAL", "f_complete4", U),
    Case("T4_LIT_AFTER_REVIEW_TOTAL", "lenient21", L),
    Case("T4_LIT_AFTER_REVIEW_TOTAL", "na_notables21", NA),
    Case("T4_NONNEG_INT", "a2022", P),
    Case("T4_NONNEG_INT", "f_nonneg4", F, "table=T4", ("T4.review.corrected",)),
    Case("T4_NONNEG_INT", "lenient21", L),
    Case("T4_NONNEG_INT", "uncertain21", U, "table=T4", ("T4.review.total", "T4.lit_direct.other")),
    Case("T4_NONNEG_INT", "na_notables19", NA),
    Case("T4_COMPLETE", "a2022", P),
    Case("T4_COMPLETE", "b2020", P),
    Case(
        "T4_COMPLETE",
        "f_complete4",
        F,
        "table=T4",
        ("T4.lit_after_review.other",),
        (N(len(keys.T4_ROWS) * len(keys.T4_COLS) - 1), N(len(keys.T4_ROWS) * len(keys.T4_COLS))),
    ),
    Case("T4_COMPLETE", "pre2017", NA),
    # T2
    Case("T2_NONNEG_INT", "a2022", P),
    Case("T2_NONNEG_INT", "lenient21", L),
    Case("T2_NONNEG_INT", "f_t2nonneg", F, "table=T2", ("T2_5.license.decisions", "T2_6.penalty.decisions")),
    Case("T2_NONNEG_INT", "uncertain21", U, "table=T2", ("T2_5.license.decisions", "T2_1.normative_doc.valid")),
    Case("T2_NONNEG_INT", "na_notables21", NA),
    Case("T2_FEE_NONNEG", "a2022", P),
    Case("T2_FEE_NONNEG", "f_feeneg", F, "cell=T2_8.admin_fee.fee_amount", ("T2_8.admin_fee.fee_amount",)),
    Case("T2_FEE_NONNEG", "uncertain21", U, "cell=T2_8.admin_fee.fee_amount", ("T2_8.admin_fee.fee_amount",)),
    Case("T2_FEE_NONNEG", "na_notables21", NA),
    Case("T2_FEE_UNIT", "a2022", P),
    Case("T2_FEE_UNIT", "f_feeneg", P),
    Case("T2_FEE_UNIT", "f_feeyuan", F, "cell=T2_8.admin_fee.fee_amount", ("T2_8.admin_fee.fee_amount",)),
    Case("T2_FEE_UNIT", "f_feetown", F, "cell=T2_8.admin_fee.fee_amount", ("T2_8.admin_fee.fee_amount",)),
    Case("T2_FEE_UNIT", "uncertain21", U, "cell=T2_8.admin_fee.fee_amount", ("T2_8.admin_fee.fee_amount",)),
    Case("T2_FEE_UNIT", "na_notables21", NA),
    Case("T2_FEE_PRECISION", "a2022", P),
    Case("T2_FEE_PRECISION", "f_feeprec", F, "cell=T2_8.admin_fee.fee_amount", ("T2_8.admin_fee.fee_amount",)),
    Case("T2_FEE_PRECISION", "uncertain21", NA),  # a placeholder has no decimals to count
    Case("T2_REG_LEVEL", "a2022", P),
    Case("T2_REG_LEVEL", "reg_pref22", P),
    Case("T2_REG_LEVEL", "f_reglevel", F, "row=regulation", ("T2_1.regulation.made", "T2_1.regulation.valid")),
    Case("T2_REG_LEVEL", "u_noregion", U, "row=regulation", ("T2_1.regulation.made",)),
    Case("T2_REG_LEVEL", "na_notables19", NA),
    Case("T2_VALID_GE_NET", "a2022", P),
    Case("T2_VALID_GE_NET", "lenient21", L, "row=regulation"),
    Case(
        "T2_VALID_GE_NET",
        "f_validnet",
        F,
        "row=normative_doc",
        ("T2_1.normative_doc.made", "T2_1.normative_doc.repealed", "T2_1.normative_doc.valid"),
        (N(3), N(5)),
    ),
    Case("T2_VALID_GE_NET", "uncertain21", U, "row=normative_doc", ("T2_1.normative_doc.valid",)),
    Case("T2_VALID_GE_NET", "na_notables21", NA),
    Case("T2_COMPLETE", "a2022", P),
    Case(
        "T2_COMPLETE",
        "f_complete2",
        F,
        "table=T2",
        ("T2_6.coercion.decisions",),
        (N(t2_rows(F21) - 1), N(t2_rows(F21))),
    ),
    Case("T2_COMPLETE", "b2020", NA),
    Case("T2_19_NONNEG", "b2020", P),
    Case("T2_19_NONNEG", "f19_nonneg2", F, "table=T2", ("T2_5.license.decisions",)),
    Case(
        "T2_19_NONNEG",
        "ub2019",
        U,
        "table=T2",
        ("T2_1.normative_doc.published_total", "T2_9.central_procurement.procurement_amount"),
    ),
    Case("T2_19_NONNEG", "na_notables19", NA),
    Case("T2_19_PUBTOTAL_GE_NEW", "b2020", P),
    Case(
        "T2_19_PUBTOTAL_GE_NEW",
        "f19_pubtotal",
        F,
        "row=normative_doc",
        ("T2_1.normative_doc.new_published", "T2_1.normative_doc.published_total"),
        (N(CLEAN[F19]["T2_1.normative_doc.published_total"]), N(20)),
    ),
    Case("T2_19_PUBTOTAL_GE_NEW", "ub2019", U, "row=normative_doc", ("T2_1.normative_doc.published_total",)),
    Case("T2_19_PUBTOTAL_GE_NEW", "na_notables19", NA),
    Case("T2_19_ITEMS_AFTER_CHANGE", "b2020", P),
    Case(
        "T2_19_ITEMS_AFTER_CHANGE",
        "f19_items",
        F,
        "row=license",
        ("T2_5.license.items_prev_year", "T2_5.license.items_change"),
    ),
    Case("T2_19_ITEMS_AFTER_CHANGE", "ub2019", U, "row=license", ("T2_5.license.items_change",)),
    Case("T2_19_ITEMS_AFTER_CHANGE", "na_notables19", NA),
    Case("T2_19_PROC_ZERO", "b2020", P),
    Case(
        "T2_19_PROC_ZERO",
        "f19_proczero",
        F,
        "row=central_procurement",
        ("T2_9.central_procurement.procurement_items", "T2_9.central_procurement.procurement_amount"),
    ),
    Case("T2_19_PROC_ZERO", "f19_complete2", NA),
    Case("T2_19_PROC_ZERO", "ub2019", U, "row=central_procurement", ("T2_9.central_procurement.procurement_amount",)),
    Case("T2_19_PROC_UNIT", "b2020", P),
    Case(
        "T2_19_PROC_UNIT",
        "f19_procunit",
        F,
        "cell=T2_9.central_procurement.procurement_amount",
        ("T2_9.central_procurement.procurement_amount",),
    ),
    Case("T2_19_PROC_UNIT", "f19_complete2", NA),
    Case("T2_19_COMPLETE", "b2020", P),
    Case(
        "T2_19_COMPLETE",
        "f19_complete2",
        F,
        "table=T2",
        ("T2_9.central_procurement.procurement_items", "T2_9.central_procurement.procurement_amount"),
    ),
    Case("T2_19_COMPLETE", "a2022", NA),
    Case("X_T4_WITHOUT_APPS", "a2022", P),
    Case("X_T4_WITHOUT_APPS", "n_none", P),
    Case("X_T4_WITHOUT_APPS", "f_t4noapps", F, "report", ("T4.review.total", "T3.new_received.total")),
    Case("X_T4_WITHOUT_APPS", "uncertain21", U),
    Case("X_T4_WITHOUT_APPS", "lenient21", L),
    Case("X_T4_WITHOUT_APPS", "na_notables21", NA),
    # structure (docs/formats.md#structure-rules)
    Case("S_SECTIONS", "a2022", P),
    Case("S_SECTIONS", "pre2017", P),
    Case("S_SECTIONS", "s_missing", F, "report", ("section:s4_review_litigation",)),
    Case("S_SECTIONS", "s_order", F, "report"),
    Case("S_SECTIONS", "prelate2017", F, "report"),
    Case("S_SECTIONS", "notreport", NA),
    Case("S_FORMAT_DETECT", "a2022", P),
    Case("S_FORMAT_DETECT", "pre2017", P),
    Case("S_FORMAT_DETECT", "s_unknown", F, "report", ("report:format_version",)),
    Case("S_FORMAT_DETECT", "notreport", NA),
    Case("S_FORMAT_YEAR", "a2022", P),
    Case("S_FORMAT_YEAR", "b2020", P),
    Case("S_FORMAT_YEAR", "s_unknown", NA),
    Case("S_FORMAT_YEAR", "s_formatyear", F, "report", ("report:report_year", "report:format_version")),
    Case("S_FORMAT_YEAR", "h2022", F),
    Case("S_TITLE_YEAR", "a2022", P),
    Case("S_TITLE_YEAR", "c2022", P),
    Case("S_TITLE_YEAR", "s_titleyear", F, "report", ("report:title",)),
    Case("S_TITLE_YEAR", "na_plain", NA),
    Case("S_PERIOD", "a2022", P),
    Case("S_PERIOD", "s_period", F, "report", ("section:preamble",)),
    Case("S_PERIOD", "s_titleyear", F),
    Case("S_PERIOD", "na_plain", NA),
    Case("S_ORG", "a2022", P),
    Case("S_ORG", "s_noorg", F, "report", ("report:publisher",)),
    Case("S_ORG", "notreport", NA),
    Case("S_SEC5_NONEMPTY", "a2022", P),
    Case("S_SEC5_NONEMPTY", "s_sec5", F, "section=s5_problems", ("section:s5_problems",)),
    Case("S_SEC5_NONEMPTY", "s_missing", P),
    Case("S_SEC5_NONEMPTY", "na_plain", NA),
    Case("S_SEC_MISPLACED", "a2022", P),
    Case("S_SEC_MISPLACED", "s_misplaced", F, "section=s6_other", ("section:s6_other",)),
    Case("S_SEC_MISPLACED", "na_plain", NA),
    # narrative (docs/formats.md#narrative-rules)
    Case("N_NO_APPS", "n_none", P),
    Case("N_NO_APPS", "a2022", NA),
    Case(
        "N_NO_APPS",
        "n_fail",
        F,
        "fact=apps_received#1",
        ("fact:apps_received#1", "T3.new_received.total"),
        (N(0), N(T3_CLEAN["new_received"])),
    ),
    Case("N_NO_APPS", "n_unread", U, "fact=apps_received#1", ("T3.new_received.total",)),
    Case("N_APPS_COUNT", "a2022", P),
    Case("N_APPS_COUNT", "b2020", P),  # b2020 states 新收 + 结转
    Case(
        "N_APPS_COUNT",
        "n_fail",
        F,
        "fact=apps_received#2",
        ("fact:apps_received#2", "T3.new_received.total"),
        (N(7), N(T3_CLEAN["new_received"])),
    ),
    Case("N_APPS_COUNT", "n_approx", U, "fact=apps_received#1"),
    Case("N_APPS_COUNT", "uncertain21", U, "fact=apps_received#1", ("T3.new_received.total",)),
    Case("N_APPS_COUNT", "n_none", NA),
    Case("N_CARRY_IN", "a2022", P),
    Case(
        "N_CARRY_IN",
        "n_fail",
        F,
        "fact=apps_carried_in#1",
        ("fact:apps_carried_in#1", "T3.carried_in.total"),
        (N(2), N(T3_CLEAN["carried_in"])),
    ),
    Case("N_CARRY_IN", "n_unread", U, "fact=apps_carried_in#1", ("T3.carried_in.total",)),
    Case("N_CARRY_IN", "n_none", NA),
    Case("N_CARRY_OUT", "a2022", P),
    Case("N_CARRY_OUT", "n_fail", F, "fact=apps_carried_out#1", ("fact:apps_carried_out#1", "T3.carried_out.total")),
    Case("N_CARRY_OUT", "n_unread", U, "fact=apps_carried_out#1", ("T3.carried_out.total",)),
    Case("N_CARRY_OUT", "n_none", NA),
    Case("N_OUTCOME", "a2022", P),
    Case("N_OUTCOME", "b2020", P),
    Case(
        "N_OUTCOME",
        "n_fail",
        F,
        "fact=apps_answered#1",
        ("fact:apps_answered#1", "T3.outcome_total.total"),
        (N(4), N(T3_CLEAN["outcome_total"])),
    ),
    Case("N_OUTCOME", "n_fail", F, "fact=apps_denied#1", ("fact:apps_denied#1", "T3.denied_state_secret.total")),
    Case("N_OUTCOME", "n_unread", U, "fact=apps_answered#1", ("T3.outcome_total.total",)),
    Case("N_OUTCOME", "n_none", NA),
    Case("N_NO_REVIEW_LIT", "a2022", P),
    Case("N_NO_REVIEW_LIT", "n_none", P),
    Case("N_NO_REVIEW_LIT", "n_fail", F, "fact=review_cases#1", ("fact:review_cases#1", "T4.review.total")),
    Case("N_NO_REVIEW_LIT", "n_unread", U, "fact=review_cases#1", ("T4.review.total",)),
    Case("N_NO_REVIEW_LIT", "b2020", NA),
    Case("N_REVIEW_COUNT", "a2022", P),
    Case(
        "N_REVIEW_COUNT",
        "n_fail",
        F,
        "fact=review_cases#2",
        ("fact:review_cases#2", "T4.review.total"),
        (N(3), N(V21["T4.review.total"])),
    ),
    Case("N_REVIEW_COUNT", "uncertain21", U, "fact=review_cases#1", ("T4.review.total",)),
    Case("N_REVIEW_COUNT", "n_none", NA),
    Case("N_LIT_COUNT", "b2020", P),
    Case("N_LIT_COUNT", "a2022", NA),
    Case(
        "N_LIT_COUNT",
        "n_fail",
        F,
        "fact=litigation_cases#1",
        ("fact:litigation_cases#1", "T4.lit_direct.total", "T4.lit_after_review.total"),
    ),
    Case("N_LIT_COUNT", "n_unread", U, "fact=litigation_cases#1", ("T4.lit_direct.total",)),
    Case("N_FEE_INFO_PROC", "a2022", P),
    Case("N_FEE_INFO_PROC", "b2020", NA),
    Case("N_FEE_INFO_PROC", "n_fail", F, "report", ("T3.other_fee_unpaid.total",)),
    Case("N_FEE_INFO_PROC", "n_unread", U, "report", ("T3.other_fee_unpaid.total",)),
    Case("N_FEE_INFO_PROC", "na_notables21", NA),
    Case("N_BREAKDOWN_SUM", "a2022", P),
    Case("N_BREAKDOWN_SUM", "pre2017", P),
    Case("N_BREAKDOWN_SUM", "n_fail", F, "sentence=s1_overview#1", ("section:s1_overview",), (N(30), N(25))),
    Case("N_BREAKDOWN_SUM", "n_approx", U, "sentence=s1_overview#1", ("section:s1_overview",)),
    Case("N_BREAKDOWN_SUM", "na_plain", NA),
    Case("N_BREAKDOWN_SUM", "n_approx_off", U, "sentence=s1_overview#1"),  # a part is 10余条
    Case("N_BREAKDOWN_SUM", "n_semicolons", P, "sentence=s1_overview#1"),  # parts separated by "；"
    Case("N_APPS_COUNT", "n_approx_off", U, "fact=apps_received#1"),  # 460余件 against 468
    Case("T2_REG_LEVEL", "u_noregion0", P),  # no 规章, level unknown
    Case("S_PERIOD", "s_period_since", F, "report", ("section:preamble",)),  # "自…起至…止" over 6 years
    # cross-report (docs/formats.md#cross-report-rules)
    Case("XR_CARRY", "a2022", P),
    Case("XR_CARRY", "b2020", P),
    Case("XR_CARRY", "m2021", P),
    Case("XR_CARRY", "a2021", NA),
    Case("XR_CARRY", "j2021", NA),
    Case("XR_CARRY", "c2022", F, "col=total", ("T3.carried_in.total", "prev:T3.carried_out.total"), (N(3), N(1))),
    Case("XR_CARRY", "c2022", P, "col=commercial"),
    Case("XR_CARRY", "g2021", F, "col=total", ("T3.carried_in.total", "prev:T3.carried_out.total"), (N(3), N(1))),
    Case("XR_CARRY", "k2022", P, "col=total"),
    Case("XR_CARRY", "k2022", F, "col=commercial"),
    Case("XR_CARRY", "ua2022", U, "col=total", ("prev:T3.carried_out.total",)),
    Case("XR_VALID", "a2022", P),
    Case("XR_VALID", "m2021", NA),
    Case(
        "XR_VALID",
        "c2022",
        F,
        "row=normative_doc",
        ("T2_1.normative_doc.valid", "prev:T2_1.normative_doc.valid"),
        (
            N(20),
            N(V21["T2_1.normative_doc.valid"] + V21["T2_1.normative_doc.made"] - V21["T2_1.normative_doc.repealed"]),
        ),
    ),
    Case("XR_VALID", "c2022", P, "row=regulation"),
    Case("XR_VALID", "ua2022", U, "row=normative_doc", ("prev:T2_1.normative_doc.valid",)),
    Case("XR_ITEMS_2019", "b2020", P),
    Case(
        "XR_ITEMS_2019",
        "d2020",
        F,
        "row=license",
        ("T2_5.license.items_prev_year", "prev:T2_5.license.items_prev_year", "prev:T2_5.license.items_change"),
        (N(CLEAN[F19]["T2_5.license.items_prev_year"]), N(12 + CLEAN[F19]["T2_5.license.items_change"])),
    ),
    Case("XR_ITEMS_2019", "ub2020", U, "row=license", ("prev:T2_5.license.items_change",)),
    Case("XR_ITEMS_2019", "b2019", NA),
    Case("XR_ITEMS_2019", "h2022", NA),
    Case("XR_PUBTOTAL_2019", "b2020", P),
    Case(
        "XR_PUBTOTAL_2019",
        "d2020",
        F,
        "row=normative_doc",
        ("T2_1.normative_doc.published_total", "prev:T2_1.normative_doc.published_total"),
        (N(8), N(10)),
    ),
    Case("XR_PUBTOTAL_2019", "ub2020", U, "row=normative_doc", ("prev:T2_1.normative_doc.published_total",)),
    Case("XR_PUBTOTAL_2019", "b2019", NA),
    Case("XR_PUBTOTAL_2019", "h2022", NA),
    Case("XR_FORMAT_CONTINUITY", "a2022", P),
    Case("XR_FORMAT_CONTINUITY", "m2021", P),
    Case("XR_FORMAT_CONTINUITY", "h2022", F, "report", ("report:format_version",)),
    Case("XR_FORMAT_CONTINUITY", "a2021", NA),
    Case("XR_DEADLINE_DEPT", "dept22", P),
    Case("XR_DEADLINE_DEPT", "a2022", NA),
    Case("XR_DEADLINE_DEPT", "deptlate22", F, "report", ("report:published_on",)),
    Case("XR_DEADLINE_GOV", "a2022", P),
    Case("XR_DEADLINE_GOV", "b2020", P),
    Case("XR_DEADLINE_GOV", "dept22", NA),
    Case("XR_DEADLINE_GOV", "govlate22", F, "report", ("report:published_on",)),
    Case("XR_DEADLINE_GOV", "b2019", NA),  # no publication date found
    Case("XR_DEADLINE_TOWNSHIP", "town22", P),
    Case("XR_DEADLINE_TOWNSHIP", "townlate22", F, "report", ("report:published_on",)),
    Case("XR_DEADLINE_TOWNSHIP", "a2022", NA),
    Case("XR_DEADLINE_PRE2019", "pre2017", P),
    Case("XR_DEADLINE_PRE2019", "prelate2017", F, "report", ("report:published_on",)),
    Case("XR_DEADLINE_PRE2019", "pre_nodate", NA),
    Case("XR_DUP_TEXT", "a2022", P),
    Case("XR_DUP_TEXT", "b2020", P),
    Case("XR_DUP_TEXT", "c2022", F, "section=s1_overview", ("section:s1_overview",)),
    Case("XR_DUP_TEXT", "c2022", F, "section=s5_problems"),
    Case("XR_DUP_TEXT", "a2021", NA),
    Case("XR_SEC5_FOLLOWUP", "a2022", P),
    Case("XR_SEC5_FOLLOWUP", "m2021", P),
    Case("XR_SEC5_FOLLOWUP", "c2022", F, "section=s5_problems", ("section:s5_problems",)),
    Case("XR_SEC5_FOLLOWUP", "a2021", NA),
    Case("XR_MISSING_YEAR", "a2022", P),
    Case("XR_MISSING_YEAR", "j2021", F, "report", ("report:report_year",), (N(2021), N(2019))),
    Case("XR_MISSING_YEAR", "a2021", NA),
    Case("XR_T4_PENDING", "a2022", P),
    Case("XR_T4_PENDING", "c2022", F, "report", ("prev:T4.review.pending",)),
    Case("XR_T4_PENDING", "ua2022", U, "report", ("prev:T4.review.pending",)),
    Case("XR_T4_PENDING", "a2021", NA),
]

# Rules that cannot have a status, with the reason (test_allow_lists_are_true checks the reasons against the SQL).
# Empty: every rule fails and passes on some input.
CANNOT_FAIL: dict[str, str] = {}
CANNOT_PASS: dict[str, str] = {}
# UNCERTAIN needs a row that is not complete; these rules' tables say `true AS complete` on every row, strict mode
# only, so a finding is PASS or FAIL (or, without a row, NOT_ASSESSABLE).
_COUNTS_LOCATED = "counts the cells located: a cell printed but unreadable is located all the same"
CANNOT_BE_UNCERTAIN: dict[str, str] = {
    "T3_COMPLETE": _COUNTS_LOCATED,
    "T3_COMPLETE_2019": _COUNTS_LOCATED,
    "T4_COMPLETE": _COUNTS_LOCATED,
    "T2_COMPLETE": "counts the rows with a cell located: " + _COUNTS_LOCATED,
    "T2_19_COMPLETE": "counts the rows with a cell located: " + _COUNTS_LOCATED,
    "T2_FEE_PRECISION": "counts the printed decimals of a read amount; an unread amount has no row",
    "T2_19_PROC_UNIT": "reads the unit printed with a non-zero amount; an unread amount has no row",
    "S_SECTIONS": "counts the section headings found, always a number",
    "S_FORMAT_DETECT": "reads the format the reader decided ('unknown' fails)",
    "S_FORMAT_YEAR": "rows only where the year and format are known",
    "S_TITLE_YEAR": "rows only where two of the years are found, each read or absent",
    "S_PERIOD": "rows only where a whole period is found in the text",
    "S_ORG": "reads the publisher field, which is identified or null (null fails)",
    "S_SEC5_NONEMPTY": "reads the text of section 五, present whenever there is a row",
    "S_SEC_MISPLACED": "searches the text of section 六, present whenever there is a row",
    "XR_FORMAT_CONTINUITY": "compares two known formats",
    "XR_DEADLINE_DEPT": "compares a read publication date with the deadline; no date, no row",
    "XR_DEADLINE_GOV": "compares a read publication date with the deadline; no date, no row",
    "XR_DEADLINE_TOWNSHIP": "compares a read publication date with the local deadline; no date, no row",
    "XR_DEADLINE_PRE2019": "compares a read publication date with the deadline; no date, no row",
    "XR_DUP_TEXT": "a similarity of two texts of at least 50 characters, always a number",
    "XR_SEC5_FOLLOWUP": "searches this year's section 五 for a reference back, found or not",
    "XR_MISSING_YEAR": "compares two known report years",
}
# Empty: no rule covers documents that are not reports (keys.NOT_A_REPORT), so every rule is 不适用 to one.
CANNOT_BE_NOT_ASSESSABLE: dict[str, str] = {}
REQUIRED = {F: CANNOT_FAIL, P: CANNOT_PASS, U: CANNOT_BE_UNCERTAIN, NA: CANNOT_BE_NOT_ASSESSABLE}

# Cross-report rules that read one report only (no pair): the deadline of the report's own year.
SINGLE_REPORT_XR = {
    rule: "compares the report's publication date with the deadline of its own year"
    for rule in ("XR_DEADLINE_DEPT", "XR_DEADLINE_GOV", "XR_DEADLINE_TOWNSHIP", "XR_DEADLINE_PRE2019")
}


# ---- the lake and its one check ----------------------------------------------------------------------------------


@dataclass
class Checked:
    lake: Lake
    result: CheckResult
    findings: list[dict]
    by_key: dict[tuple[str, str], list[dict]]  # (report_id, rule_id) -> findings
    rules: dict[str, dict]  # rule_id -> meta


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    lake = Lake.at(tmp_path_factory.mktemp("rulebook") / "lake")
    write_part(lake, "reports", [d.report for d in DOCS.values()])
    write_part(lake, "report_cells", [c for d in DOCS.values() for c in d.cells])
    write_part(lake, "report_sections", [s for d in DOCS.values() for s in d.sections])
    write_part(lake, "narrative_facts", [f for d in DOCS.values() for f in d.facts])
    result = check_lake(lake, RUN_NAME)
    findings = pq.read_table(lake.staging_table("findings")).to_pylist()
    by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for finding in findings:
        by_key[finding["report_id"], finding["rule_id"]].append(finding)
    rules = {e["meta"]["rule_id"]: e["meta"] for e in load_expectations()}
    return Checked(lake, result, findings, dict(by_key), rules)


def evidence(finding: dict) -> list[dict]:
    return json.loads(finding["cells"])


def cell_map(report_id: str) -> dict[str, dict]:
    """The cells written for a report, by cell id."""
    return {f"{c['table_id']}.{c['row_key']}.{c['col_key']}": c for c in DOCS[report_id].cells}


# ---- per rule and report -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(checked: Checked, case: Case) -> None:
    found = checked.by_key.get((case.report, case.rule), [])
    assert found, f"no finding of {case.rule} for {case.report}"
    if case.scope is not None:
        found = [f for f in found if f["scope"] == case.scope]
        assert len(found) == 1, f"{case.rule} on {case.report}: scopes {[f['scope'] for f in found]}"
    statuses = {f["scope"]: f["status"] for f in found}
    assert set(statuses.values()) == {case.status}, statuses
    for finding in found:
        assert finding["family"] == checked.rules[case.rule]["family"]
        ids = [item["cell"] for item in evidence(finding)]
        assert set(case.evidence) <= set(ids), ids
        if case.values is not None:
            assert (finding["left_value"], finding["right_value"]) == case.values
            assert finding["delta"] == case.values[0] - case.values[1]
        if case.status == NA:
            assert finding["scope"] == "report" and finding["cells"] == "[]" and "不适用" in finding["message"]
            meta = checked.rules[case.rule]
            if DOCS[case.report].report["format_version"] in meta["formats"]:  # the rule's own reason
                assert finding["message"].endswith("不适用：" + meta["not_applicable"]), finding["message"]
            else:
                assert "不适用：本规则只适用于" in finding["message"], finding["message"]
        if case.status == U:
            assert finding["left_value"] is None and "无法判断" in finding["message"]


def test_every_rule_has_a_case_of_every_status() -> None:
    """A PASS, a FAIL, an UNCERTAIN and a NOT_ASSESSABLE case for every rule, save the allow-listed."""
    catalogue = {rule["rule_id"] for rule in rule_catalogue()}
    assert len(catalogue) == len(rule_catalogue())
    assert {c.rule for c in CASES} <= catalogue, "cases of rules that are not in the catalogue"
    for status, exempt in REQUIRED.items():
        assert set(exempt) <= catalogue, f"{status} allow-list entries that are not rules"
        assert all(reason.strip() for reason in exempt.values()), f"{status} allow-list entries without a reason"
        covered = {c.rule for c in CASES if c.status == status}
        assert sorted(catalogue - covered - set(exempt)) == [], f"rules without a case of status {status}"
        assert sorted(covered & set(exempt)) == [], f"{status} allow-list entries with a case"


def _rule_sql() -> dict[str, str]:
    """The CREATE TABLE statement of each rule table, by rule id."""
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((Path(__file__).resolve().parents[1] / "expectations" / "sql").glob("*.sql"))
    )
    statements = re.findall(r"^CREATE TABLE rule_(\w+) AS\n(.*?);$", text, flags=re.M | re.S)
    return {name.upper(): body for name, body in statements}


def test_allow_lists_are_true() -> None:
    sql = _rule_sql()
    assert set(sql) == {rule["rule_id"] for rule in rule_catalogue()}
    # a rule cannot be UNCERTAIN exactly when its table has only complete rows
    always_complete = {rule for rule, body in sql.items() if re.search(r"\btrue AS complete\b", body)}
    assert set(CANNOT_BE_UNCERTAIN) == always_complete
    # and every rule can be NOT_ASSESSABLE: none covers documents that are not reports
    assert all(keys.NOT_A_REPORT not in rule["formats"] for rule in rule_catalogue())
    # the single-report cross-report rules read no previous report
    assert {rule for rule in sql if rule.startswith("XR_") and "compared_report_id" not in sql[rule]} == set(
        SINGLE_REPORT_XR
    )


def test_every_case_names_a_report_of_the_lake() -> None:
    assert {c.report for c in CASES} <= set(DOCS)
    assert len({c.id for c in CASES}) == len(CASES)


# ---- the whole findings table ------------------------------------------------------------------------------------


def test_one_finding_per_report_rule_and_scope_for_every_report_and_rule(checked: Checked) -> None:
    keys_seen = Counter((f["report_id"], f["rule_id"], f["scope"]) for f in checked.findings)
    assert max(keys_seen.values()) == 1
    assert set(checked.by_key) == {(r, rule) for r in DOCS for rule in checked.rules}
    assert {f["status"] for f in checked.findings} <= set(keys.FINDING_STATUSES)
    for (report_id, rule_id), found in checked.by_key.items():
        if any(f["status"] == NA for f in found):
            assert len(found) == 1, (report_id, rule_id)


def test_check_result_counts_the_findings_written(checked: Checked) -> None:
    result = checked.result
    assert result.reports == len(DOCS)
    assert result.findings == len(checked.findings)
    assert result.by_status == Counter(f["status"] for f in checked.findings)
    assert result.failing_rules == Counter(f["rule_id"] for f in checked.findings if f["status"] == F)
    assert set(result.seconds) == {"pairs", "rule_tables", "gx_setup", "gx_run", "gx_docs", "gx_validation", "findings"}


@pytest.mark.parametrize("report_id", CLEAN_REPORTS)
def test_clean_reports_have_no_fail_and_no_uncertain(checked: Checked, report_id: str) -> None:
    statuses = {(f["rule_id"], f["scope"]): f["status"] for f in checked.findings if f["report_id"] == report_id}
    assert {s for s in statuses.values()} <= {P, NA}, {k: s for k, s in statuses.items() if s not in (P, NA)}


# Rules of the report's format that do not apply to a clean report, and why.
CLEAN_NOT_APPLICABLE = {
    "a2022": {
        "N_NO_APPS": "states a number of applications, not 未收到",
        "N_LIT_COUNT": "states 未发生行政诉讼",
        "XR_DEADLINE_DEPT": "a government",
        "XR_DEADLINE_TOWNSHIP": "a county",
    },
    "b2020": {
        "N_NO_APPS": "states a number of applications",
        "N_NO_REVIEW_LIT": "states numbers of cases",
        "XR_DEADLINE_DEPT": "a government",
        "XR_DEADLINE_TOWNSHIP": "a county",
    },
}


@pytest.mark.parametrize("report_id", sorted(CLEAN_NOT_APPLICABLE))
def test_clean_reports_pass_every_rule_that_applies(checked: Checked, report_id: str) -> None:
    fmt = DOCS[report_id].report["format_version"]
    for rule_id, meta in checked.rules.items():
        statuses = {f["status"] for f in checked.by_key[report_id, rule_id]}
        applies = fmt in meta["formats"] and rule_id not in CLEAN_NOT_APPLICABLE[report_id]
        assert statuses == ({P} if applies else {NA}), (rule_id, statuses)


def test_a_document_that_is_not_a_report_has_no_rule(checked: Checked) -> None:
    for rule_id in checked.rules:
        [finding] = checked.by_key["notreport", rule_id]
        assert finding["status"] == NA and finding["scope"] == "report"
        assert finding["left_value"] is None and finding["compared_report_id"] is None


def test_not_assessable_says_why(checked: Checked) -> None:
    [other_format] = checked.by_key["a2022", "T3_OUTCOME_TOTAL_2019"]
    assert "本规则只适用于2019年版格式的报告，本报告为2021年版" in other_format["message"]
    [first_year] = checked.by_key["a2021", "XR_CARRY"]
    assert first_year["message"].endswith(checked.rules["XR_CARRY"]["not_applicable"])


def test_lenient_and_uncertain_findings_say_which_cells(checked: Checked) -> None:
    [lenient] = [f for f in checked.by_key["lenient21", "T3_BALANCE"] if f["scope"] == "col=commercial"]
    assert "宽松通过" in lenient["message"]
    blank = {item["cell"]: item for item in evidence(lenient)}["T3.carried_in.commercial"]
    assert blank["status"] == "blank" and blank["value"] is None
    assert (lenient["left_value"], lenient["right_value"]) == (N(0), N(0))  # read as 0

    [uncertain] = [f for f in checked.by_key["uncertain21", "T3_BALANCE"] if f["scope"] == "col=total"]
    unread = {item["cell"]: item for item in evidence(uncertain)}["T3.new_received.total"]
    assert (unread["status"], unread["raw"], unread["value"]) == ("uncertain", "5?", None)
    assert uncertain["left_value"] is None and "即使将空白视为0也不相符" not in uncertain["message"]

    [still_wrong] = [f for f in checked.by_key["blankfail21", "T3_BALANCE"] if f["scope"] == "col=total"]
    assert "即使将空白视为0也不相符" in still_wrong["message"]


# ---- evidence and severity ---------------------------------------------------------------------------------------

CELL_ID = re.compile(r"^(?:prev:)?T(?:2_[15689]|3|4)\.[a-z_]+\.[a-z_]+$")


def test_fail_findings_of_table_rules_name_their_operand_cells(checked: Checked) -> None:
    failing = [f for f in checked.findings if f["status"] == F and f["family"] == "table"]
    assert {f["rule_id"] for f in failing} == {r for r, m in checked.rules.items() if m["family"] == "table"}
    for finding in failing:
        items = evidence(finding)
        assert items, finding
        for item in items:
            assert CELL_ID.match(item["cell"]), item
            assert {"label", "value", "raw", "status", "locator"} <= set(item), item
            assert item["label"], item
        printed = cell_map(finding["report_id"])
        for item in items:  # the value and text shown are the report's own cell (or 'missing' when not printed)
            cell = printed.get(item["cell"])
            if cell is None:
                assert (item["status"], item["value"], item["locator"]) == ("missing", None, None), item
            else:
                assert (item["raw"], item["status"], item["locator"]) == (
                    cell["value_raw"],
                    cell["value_status"],
                    cell["locator"],
                ), item


def test_severity_is_the_rules_except_the_documented_overrides(checked: Checked) -> None:
    formats = {rid: d.report["format_version"] for rid, d in DOCS.items()}
    carry_total = {
        f["report_id"]: f["status"]
        for f in checked.findings
        if f["rule_id"] == "XR_CARRY" and f["scope"] == "col=total"
    }
    for finding in checked.findings:
        expected = checked.rules[finding["rule_id"]]["severity"]
        if finding["status"] != NA:
            if finding["rule_id"] == "S_SECTIONS" and formats[finding["report_id"]] == PRE:
                expected = "W"
            if (
                finding["rule_id"] == "XR_CARRY"
                and finding["scope"] != "col=total"
                and carry_total.get(finding["report_id"]) == P
            ):
                expected = "W"
        assert finding["severity"] == expected, finding


def test_unconfirmed_rules_are_warnings(checked: Checked) -> None:
    for rule_id in ("T2_REG_LEVEL", "XR_DEADLINE_PRE2019"):
        assert checked.rules[rule_id]["severity"] == "W" and "[R]" in checked.rules[rule_id]["description"]
        assert {f["severity"] for f in checked.findings if f["rule_id"] == rule_id and f["status"] == F} == {"W"}


def test_documented_severity_overrides(checked: Checked) -> None:
    def one(report_id: str, rule_id: str, scope: str) -> dict:
        [finding] = [f for f in checked.by_key[report_id, rule_id] if f["scope"] == scope]
        return finding

    # XR_CARRY: a column differs while 总计 agrees (k2022) is a warning; with 总计 differing too (c2022) an error
    column_only, total_too = one("k2022", "XR_CARRY", "col=commercial"), one("c2022", "XR_CARRY", "col=natural_person")
    assert (column_only["status"], column_only["severity"]) == (F, "W")
    assert (total_too["status"], total_too["severity"]) == (F, "E")
    # S_SECTIONS: pre-2019 reports had no fixed outline
    pre2019, fmt2021 = one("prelate2017", "S_SECTIONS", "report"), one("s_missing", "S_SECTIONS", "report")
    assert (pre2019["status"], pre2019["severity"], fmt2021["status"], fmt2021["severity"]) == (F, "W", F, "E")


# ---- cross-report pairs ------------------------------------------------------------------------------------------


def test_pairs_are_the_designed_organisations(checked: Checked) -> None:
    with duckdb.connect(str(checked.lake.rule_db), read_only=True) as con:
        pairs = dict(
            con.execute(
                "SELECT report_id, prev_report_id FROM report_pairs WHERE prev_report_id IS NOT NULL"
            ).fetchall()
        )
        consecutive = dict(con.execute("SELECT report_id, prev_report_id FROM consecutive_pairs").fetchall())
        [renamed] = con.execute("SELECT alias_applied FROM report_pairs WHERE report_id = 'm2021'").fetchone()
    assert consecutive == PAIRS
    assert pairs == {**PAIRS, **GAPS}
    assert renamed.startswith("rename2021_mengjin: 孟津县→孟津区")
    assert DOCS["m2020"].report["publisher"] == "孟津县人民政府"
    assert DOCS["m2021"].report["publisher"] == "孟津区人民政府"


PAIR_RULES = {
    "XR_CARRY",
    "XR_VALID",
    "XR_ITEMS_2019",
    "XR_PUBTOTAL_2019",
    "XR_FORMAT_CONTINUITY",
    "XR_DUP_TEXT",
    "XR_SEC5_FOLLOWUP",
    "XR_MISSING_YEAR",
    "XR_T4_PENDING",
}
PREV_CELL_RULES = {"XR_CARRY", "XR_VALID", "XR_ITEMS_2019", "XR_PUBTOTAL_2019", "XR_T4_PENDING"}


def test_cross_report_findings_name_the_previous_report(checked: Checked) -> None:
    assert PAIR_RULES | {r for r in checked.rules if r.startswith("XR_DEADLINE")} == {
        r for r, m in checked.rules.items() if m["family"] == "cross_report"
    }
    previous = {**PAIRS, **GAPS}
    for finding in checked.findings:
        if finding["rule_id"] in PAIR_RULES and finding["status"] != NA:
            assert finding["compared_report_id"] == previous[finding["report_id"]], finding
            if finding["rule_id"] in PREV_CELL_RULES:
                assert any(item["cell"].startswith("prev:") for item in evidence(finding)), finding
        else:
            assert finding["compared_report_id"] is None, finding
    # the renamed 孟津 is compared across the format change
    carry = checked.by_key["m2021", "XR_CARRY"]
    assert {f["scope"] for f in carry} == {f"col={c}" for c in keys.T3_COLS}
    assert {(f["status"], f["compared_report_id"]) for f in carry} == {(P, "m2020")}


def test_every_pair_rule_is_tested_on_two_year_pairs(checked: Checked) -> None:
    """Every cross-report rule that compares two reports passes, fails and (where it can) is uncertain on a pair of
    reports of one organisation, and its findings name the previous report."""
    previous = {**PAIRS, **GAPS}
    cross_report = {rule for rule, meta in checked.rules.items() if meta["family"] == "cross_report"}
    assert cross_report - set(SINGLE_REPORT_XR) == PAIR_RULES
    for rule in sorted(PAIR_RULES):
        for status in (P, F, U):
            if status == U and rule in CANNOT_BE_UNCERTAIN:
                continue
            on_pairs = [c for c in CASES if c.rule == rule and c.status == status and c.report in previous]
            assert on_pairs, f"{rule}: no {status} case on a two-year pair"
            for case in on_pairs:
                found = [f for f in checked.by_key[case.report, rule] if case.scope in (None, f["scope"])]
                assert {f["compared_report_id"] for f in found} == {previous[case.report]}, case.id


def test_prev_evidence_shows_the_previous_reports_cells(checked: Checked) -> None:
    [carry] = [f for f in checked.by_key["g2021", "XR_CARRY"] if f["scope"] == "col=total"]
    items = {item["cell"]: item for item in evidence(carry)}
    prev_cell = cell_map("g2020")
    assert items["prev:T3.carried_out.total"]["value"] == str(prev_cell["T3.carried_out.total"]["value"])
    assert items["prev:T3.carried_out.total"]["label"].startswith("上一年度：")
    assert items["prev:T3.carried_out.total"]["locator"] == prev_cell["T3.carried_out.total"]["locator"]
    assert items["T3.carried_in.total"]["value"] == "3"
    assert "对比2020年度报告" in carry["message"]


# ---- GX's own records --------------------------------------------------------------------------------------------


def test_gx_keeps_validation_results_and_data_docs(checked: Checked) -> None:
    lake = checked.lake
    results = sorted((lake.root / "gx" / "uncommitted" / "validations").rglob("*.json"))
    by_rule = {path.relative_to(lake.root / "gx" / "uncommitted" / "validations").parts[0]: path for path in results}
    assert set(by_rule) == set(checked.rules) and len(results) == len(checked.rules)
    assert all(RUN_NAME in path.parts for path in results)
    failing = {f["rule_id"] for f in checked.findings if f["status"] == F}
    for rule_id, path in by_rule.items():
        stored = json.loads(path.read_text(encoding="utf-8"))
        assert stored["meta"]["run_id"]["run_name"] == RUN_NAME
        if rule_id in failing:  # a strict row unexpected: GX's validation failed
            assert stored["success"] is False, rule_id
        [result] = stored["results"]
        assert result["expectation_config"]["meta"]["rule_id"] == rule_id
    index = lake.root / "reports" / "data_docs" / "index.html"
    assert index.is_file() and Path(checked.result.data_docs) == index
    assert any((lake.root / "reports" / "data_docs" / "validations").rglob("*.html"))


def test_later_checks_reuse_the_stored_checkpoint_and_keep_the_newest_validation_runs(checked: Checked) -> None:
    lake = checked.lake  # the module's last test: it checks the same lake again
    suites = sorted((lake.root / "gx" / "expectations").glob("*.json"))
    written = {path: path.stat().st_mtime_ns for path in suites}
    again = check_lake(lake, "again")
    assert {path: path.stat().st_mtime_ns for path in suites} == written  # suites and definitions not rewritten
    assert again.findings == checked.result.findings

    prune_validation_runs(lake, keep=1)
    for root in (lake.root / "gx" / "uncommitted" / "validations", lake.data_docs / "validations"):
        runs = {leaf.relative_to(root).parts[1] for leaf in root.glob("*/*/*")}
        assert runs == {"again"}, root
    assert len(list((lake.root / "gx" / "uncommitted" / "validations").rglob("*.json"))) == len(checked.rules)
