"""Generate synthetic 政府信息公开工作年度报告 text files, each with a ground-truth JSON file.

The reports imitate the seed corpus (docs/formats.md#text-layouts): three text layouts (``tsv_block``,
``one_cell_per_line``, ``pipe_html_scrape``), the 2021 and 2019 table formats, township and county
department publishers, and the irregularities parsers must survive (shifted rows, wrapped labels,
blank totals, U+2002 padding, colspan residue, GB18030 encoding).

Every report is generated from its own RNG seeded by ``(seed, index)``, so output is deterministic
and report ``i`` is the same whatever ``n`` is.

Usage::

    python benchmarks/generate_reports.py 1000 /tmp/inbox --truth-dir /tmp/truth --seed 7 --duplicates 5
    python benchmarks/generate_reports.py 1000 /tmp/inbox --truth-dir /tmp/truth --series --inject 0.8

``--series`` writes each publisher's reports of 2019–2023, consistent within and across years (a clean series
fails no rule of the rulebook); ``--inject`` gives a share of the series one known violation (bench_rules.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai import keys

TSV, ONE_CELL, PIPE = "tsv_block", "one_cell_per_line", "pipe_html_scrape"
LAYOUT_WEIGHTS = {TSV: 60, ONE_CELL: 20, PIPE: 20}

# ---- publishers -------------------------------------------------------------------------------
# (province, city, county, portal host label, townships)
REGIONS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "宁夏回族自治区",
        "吴忠市",
        "利通区",
        "ltq",
        ("上桥镇", "古城镇", "金银滩镇", "高闸镇", "扁担沟镇", "金积镇", "东塔寺乡", "郭家桥乡", "马莲渠乡"),
    ),
    (
        "河南省",
        "南阳市",
        "内乡县",
        "neixiang",
        ("赤眉镇", "城关镇", "湍东镇", "马山口镇", "夏馆镇", "师岗镇", "王店镇", "灌涨镇", "余关乡", "板场乡"),
    ),
    (
        "河南省",
        "洛阳市",
        "孟津区",
        "mengjin",
        ("城关镇", "会盟镇", "平乐镇", "白鹤镇", "朝阳镇", "麻屯镇", "常袋镇", "横水镇"),
    ),
    (
        "青海省",
        "黄南藏族自治州",
        "泽库县",
        "zeku",
        ("泽曲镇", "麦秀镇", "和日镇", "宁秀镇", "王家乡", "西卜沙乡", "多禾茂乡"),
    ),
    (
        "广西壮族自治区",
        "钦州市",
        "钦北区",
        "qinbei",
        ("长滩镇", "小董镇", "板城镇", "那蒙镇", "大寺镇", "大直镇", "贵台镇", "新棠镇", "大垌镇", "平吉镇"),
    ),
    (
        "浙江省",
        "杭州市",
        "临安区",
        "linan",
        (
            "於潜镇",
            "太湖源镇",
            "昌化镇",
            "龙岗镇",
            "河桥镇",
            "湍口镇",
            "清凉峰镇",
            "岛石镇",
            "板桥镇",
            "高虹镇",
            "太阳镇",
            "天目山镇",
        ),
    ),
    (
        "四川省",
        "绵阳市",
        "三台县",
        "santai",
        ("潼川镇", "芦溪镇", "西平镇", "刘营镇", "塔山镇", "观桥镇", "新德镇", "鲁班镇"),
    ),
    (
        "湖南省",
        "怀化市",
        "麻阳苗族自治县",
        "mayang",
        ("高村镇", "锦和镇", "郭公坪镇", "兰里镇", "吕家坪镇", "岩门镇", "尧市镇"),
    ),
    (
        "山东省",
        "临沂市",
        "沂水县",
        "yishui",
        ("沂水镇", "许家湖镇", "黄山铺镇", "诸葛镇", "高桥镇", "马站镇", "院东头镇"),
    ),
    (
        "江西省",
        "赣州市",
        "于都县",
        "yudu",
        ("贡江镇", "铁山垅镇", "盘古山镇", "禾丰镇", "祁禄山镇", "银坑镇", "岭背镇"),
    ),
    (
        "河北省",
        "保定市",
        "涞源县",
        "laiyuan",
        ("涞源镇", "银坊镇", "走马驿镇", "水堡镇", "王安镇", "杨家庄镇", "白石山镇"),
    ),
    ("甘肃省", "天水市", "秦安县", "qinan", ("兴国镇", "莲花镇", "西川镇", "陇城镇", "郭嘉镇", "五营镇")),
    (
        "云南省",
        "大理白族自治州",
        "宾川县",
        "binchuan",
        ("金牛镇", "宾居镇", "州城镇", "大营镇", "鸡足山镇", "力角镇", "乔甸镇"),
    ),
    ("安徽省", "宣城市", "宁国市", "ningguo", ("港口镇", "梅林镇", "中溪镇", "南极乡", "霞西镇", "甲路镇", "胡乐镇")),
    (
        "湖北省",
        "黄冈市",
        "麻城市",
        "macheng",
        ("龟山镇", "宋埠镇", "歧亭镇", "白果镇", "夫子河镇", "中馆驿镇", "木子店镇"),
    ),
    ("贵州省", "遵义市", "湄潭县", "meitan", ("永兴镇", "复兴镇", "马山镇", "高台镇", "茅坪镇", "兴隆镇")),
    ("陕西省", "延安市", "志丹县", "zhidan", ("旦八镇", "金丁镇", "永宁镇", "义正镇", "顺宁镇", "杏河镇")),
    ("福建省", "南平市", "建瓯市", "jianou", ("徐墩镇", "吉阳镇", "房道镇", "南雅镇", "迪口镇", "小桥镇", "玉山镇")),
    ("黑龙江省", "绥化市", "海伦市", "hailun", ("海北镇", "伦河镇", "共合镇", "海兴镇", "祥富镇", "东风镇")),
    ("内蒙古自治区", "赤峰市", "翁牛特旗", "wengniute", ("乌丹镇", "梧桐花镇", "海拉苏镇", "亿合公镇", "广德公镇")),
)
DEPARTMENTS = (
    "市场监督管理局",
    "自然资源局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "农业农村局",
    "卫生健康局",
    "民政局",
    "教育局",
)
DEPARTMENT_SHARE = 0.12


@dataclass(frozen=True)
class Org:
    """The publishing organ: a township government or a county department."""

    province: str
    city: str
    county: str
    host: str
    township: str | None
    department: str | None

    @property
    def short(self) -> str:
        """How the body refers to the organ ("上桥镇", "县市场监督管理局")."""
        return self.township or f"{self.county[-1]}{self.department}"

    @property
    def publisher(self) -> str:
        return f"{self.township}人民政府" if self.township else f"{self.county}{self.department}"

    @property
    def we(self) -> str:
        return f"我{self.township[-1]}" if self.township else "我局"

    @property
    def parent(self) -> str:
        """The county-level party committee and government as the body names them ("县委、县政府")."""
        level = self.county[-1]
        return f"{level}委、{level}政府"


# ---- table labels -----------------------------------------------------------------------------
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS = "三、本年度办理结果"
T3_GROUPS = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "noproc": "（五）不予处理",
    "other": "（六）其他处理",
}
T3_TOP_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "carried_out": "四、结转下年度继续办理",
}
T3_L2_LABELS = {
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "other_processing": "（六）其他处理",
    "outcome_total": "（七）总计",
}
T3_SUB_LABELS = {
    key: keys.T3_ROW_LABELS[key].split(" ", 1)[1]
    for key in keys.DENIED_ROWS + keys.UNABLE_ROWS + keys.NOPROC_ROWS + keys.OTHER_ROWS_2021
}
T3_SUB_LABELS["other_no_correction"] = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
T3_SUB_LABELS["other_fee_unpaid"] = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
T3_ORG_COLS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
SPACED_HEADERS = {
    "自然人": "自 然 人",
    "商业企业": "商业 企业",
    "科研机构": "科研 机构",
    "社会公益组织": "社会公 益组织",
    "法律服务机构": "法律服 务机构",
    "结果维持": "结果 维持",
    "结果纠正": "结果 纠正",
    "其他结果": "其他 结果",
    "尚未审结": "尚未 审结",
    T3_RESULTS: "三、本 年度 办理 结果",
    "（三）不予公开": "（三） 不 予 公 开",
}
T4_RESULT_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# Header cells that one_cell_per_line exports split over two lines (seed 003).
WRAPPED_HEADERS = {
    "本年新制作数量": "本年新\n制作数量",
    "本年新公开数量": "本年新\n公开数量",
    "上一年项目数量": "上一年\n项目数量",
    "采购项目数量": "采购\n项目数量",
    "本年处理决定数量": "本年处理\n决定数量",
    "现行有效件数": "现行有效\n件数",
}

# Per format: (table_id, caption numeral, column headers, ((row_key, row label), ...)).
T2_BLOCKS: dict[str, tuple[tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...]] = {
    keys.FMT2021: (
        (
            "T2_1",
            "一",
            ("本年制发件数", "本年废止件数", "现行有效件数"),
            (("regulation", "规章"), ("normative_doc", "行政规范性文件")),
        ),
        ("T2_5", "五", ("本年处理决定数量",), (("license", "行政许可"),)),
        ("T2_6", "六", ("本年处理决定数量",), (("penalty", "行政处罚"), ("coercion", "行政强制"))),
        ("T2_8", "八", ("本年收费金额（单位：万元）",), (("admin_fee", "行政事业性收费"),)),
    ),
    keys.FMT2019: (
        (
            "T2_1",
            "一",
            ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
            (("regulation", "规章"), ("normative_doc", "规范性文件")),
        ),
        (
            "T2_5",
            "五",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            (("license", "行政许可"), ("other_external_service", "其他对外管理服务事项")),
        ),
        (
            "T2_6",
            "六",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            (("penalty", "行政处罚"), ("coercion", "行政强制")),
        ),
        ("T2_8", "八", ("上一年项目数量", "本年增/减"), (("admin_fee", "行政事业性收费"),)),
        ("T2_9", "九", ("采购项目数量", "采购总金额"), (("central_procurement", "政府集中采购"),)),
    ),
}
# The lines above must agree with the public contract.
assert all(tuple(r for r, _ in b[3]) == keys.T2_ROWS_BY_FORMAT[f][b[0]] for f, bl in T2_BLOCKS.items() for b in bl)

ASCII_PUNCT = (("（", "("), ("）", ")"), ("，", ","), ("：", ":"), ("；", ";"))
ENUM_STYLES = ("full", "ascii", "ascii_space", "dun")
_PAREN_NUM = re.compile(r"^（([一二三四五六七八九])）")
_DOT_NUM = re.compile(r"^(\d)\.")


def _styled(label: str, style: str) -> str:
    """Rewrite the enumerator of a label: （一）/(一)/(一) and 1./1. /1、 as seen in the seeds."""
    if style in ("ascii", "ascii_space"):
        label = _PAREN_NUM.sub(r"(\1) " if style == "ascii_space" else r"(\1)", label)
    if style == "ascii_space":
        return _DOT_NUM.sub(r"\1. ", label)
    if style == "dun":
        return _DOT_NUM.sub(r"\1、", label)
    return label


@dataclass(frozen=True)
class T3Row:
    """How one T3 row is printed: its label cells and its place in the rowspan groups."""

    key: str
    kind: str  # "top" (colspan 3), "l2" (under 三、, colspan 2) or "l3" (group + sub-label)
    label: str  # own label (the sub-label for l3 rows)
    group: str = ""  # group label of an l3 row
    first: bool = False  # first row of its rowspan group (prints the group label)


def _t3_layout(fmt: str, style: str) -> tuple[T3Row, ...]:
    rows: list[T3Row] = []
    seen_groups: set[str] = set()
    for key in keys.t3_rows(fmt):
        if key in T3_TOP_LABELS:
            rows.append(T3Row(key, "top", T3_TOP_LABELS[key]))
        elif key in T3_L2_LABELS:
            rows.append(T3Row(key, "l2", _styled(T3_L2_LABELS[key], style), first=key == "granted"))
        else:
            group = T3_GROUPS[key.split("_", 1)[0]]
            rows.append(
                T3Row(key, "l3", _styled(T3_SUB_LABELS[key], style), _styled(group, style), group not in seen_groups)
            )
            seen_groups.add(group)
    return tuple(rows)


T3_LAYOUTS = {(fmt, style): _t3_layout(fmt, style) for fmt in (keys.FMT2021, keys.FMT2019) for style in ENUM_STYLES}

# ---- narrative --------------------------------------------------------------------------------
OVERVIEW_INTRO = (
    "{year}年，在{parent}的正确领导下，{we}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "紧紧围绕“应公开、尽公开”的要求，扎实有序推进政府信息公开工作，努力保障人民群众的知情权、参与权、表达权和监督权。",
    "{year}年，{org}政府信息公开工作在{parent}的指导下，不断创新公开方式、完善公开机制、强化公开意识、突出公开重点，"
    "推进重点领域信息公开，进一步提高了政府工作的公信力和透明度，有效促进了依法行政。",
    "{year}年以来，{we}深入贯彻{congress}精神，严格落实《条例》和上级有关政府信息公开工作的部署要求，聚焦经济社会发展重点和群众关注焦点，"
    "认真做好政策、政务两大要素公开，完善政府信息公开平台、队伍、制度三个层次建设。",
)
OVERVIEW_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "主动公开情况",
        (
            "{year}年，{we}通过{county}人民政府门户网站、政务微信公众号和政务公开栏主动公开政府信息{n1}条，其中工作动态{n2}条，通知公告{n3}条，财政预决算信息{n4}条。",
            "围绕群众关心关注的问题，{we}坚持应公开尽公开，重点做好惠民惠农政策、乡村振兴、安全生产、疫情防控等领域信息的发布。",
            "严格按照政府信息公开的内容、时限和程序要求，规范政府信息公开流程，做到及时、准确、全面地公开各类政府信息。",
            "及时公开年度部门预算、决算和“三公”经费情况，主动接受社会监督。",
        ),
    ),
    ("依申请公开情况", ()),
    (
        "政府信息管理情况",
        (
            "{we}认真贯彻落实《条例》，安排专人负责政府信息公开工作，建立健全政务信息制作、公开、存档等制度，不断完善政务信息常态化管理机制。",
            "明确分管领导和责任办公室，严格执行信息发布“三审三校”制度，严把公开内容，规范公开流程，充分保证信息发布的准确性和规范性。",
            "年内{we}更新了政府信息主动公开标准目录和政府信息公开指南，明确了政府信息公开的范围、形式和时限。",
            "对拟公开的政府信息严格进行保密审查，做到涉密信息不上网，上网信息不涉密。",
        ),
    ),
    (
        "政府信息公开平台建设情况",
        (
            "{we}现有政务新媒体{n5}个，通过及时转发党中央、国务院重要政务动态和政策解读，努力打造公众指尖上的数字政府。",
            "坚持把网络问政作为解决群众诉求的主通道，对通过12345热线、政府门户网站等渠道收到的留言逐一办理，做到件件有落实。",
            "在便民服务大厅设置政务公开专区和公示栏，及时公开惠民政策、办事指南等信息，同时利用各村（社区）公示栏发布惠民惠农政策信息。",
            "进一步整合优化政府信息公开平台，围绕公众关切梳理各类信息，建设相关专题，使群众获取信息更加便捷。",
        ),
    ),
    (
        "监督保障情况",
        (
            "成立以主要负责同志为组长的政务公开工作领导小组，把政府信息公开工作纳入重要议事日程，研究存在的问题，提出整改措施。",
            "把政府信息公开工作纳入年度考核范围，通过群众评议、监督评议等形式开展社会评议，并公开评议结果。",
            "{year}年{we}未发生因信息公开工作开展不当被责任追究的情况。",
            "指定专人负责政务公开工作，主要职责包括具体承办信息公开事项、维护和更新政府信息、编制信息公开年度报告等。",
        ),
    ),
)
PROBLEMS = (
    "一是政府信息主动公开的意识还不够强，公开时效性、公开内容质量有待加强；",
    "二是信息公开有的栏目公开事项较少，工作动态较多，其他栏目重视程度不够；",
    "三是公开的内容和形式还欠丰富，政策解读的深度和广度有待提升；",
    "四是从事政府信息公开工作人员的业务水平还有待提高。",
)
IMPROVEMENTS = (
    "下一步，{we}将按照《条例》规定及上级有关政务公开工作的部署要求，进一步规范内容、完善制度、创新载体、强化监督，不断提高政务公开工作水平。",
    "一是进一步充实信息公开内容，突出重点、热点和难点问题，认真梳理政府信息公开事项，查漏补缺，完善政府信息公开目录。",
    "二是加大培训和宣传力度，加强对工作人员特别是具体承办人员的《条例》学习和培训，不断提高信息公开的及时性、主动性。",
    "三是及时回应群众诉求，对群众要求公开而又不涉密的政务信息，做到及时公开、全面公开，让群众参与到政府信息公开监督工作中来。",
)
OTHER_MATTERS = (
    "无",
    "无其他需要说明的事项",
    "按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定的按件、按量收费标准，本年度没有产生信息公开处理费用。",
    "本年度未收取信息处理费。",
)
PAGE_CHROME_TOP = ("我要收藏", "公共资源调用站点", "文章分享")
PAGE_CHROME_BOTTOM = ("文件下载:", "关联文件:", "扫一扫在手机打开当前页")
SECTION_TITLES = (
    ("总体情况",),
    ("主动公开政府信息情况",),
    ("收到和处理政府信息公开申请情况",),
    ("政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
    ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在问题及改进情况"),
    ("其他需要报告的事项",),
)
CN_NUMERALS = "一二三四五六七八九"


# ---- values -----------------------------------------------------------------------------------
Tables = dict[str, dict[str, dict[str, str | None]]]


@dataclass
class Report:
    """Everything that is drawn for one report before it is printed."""

    name: str
    year: int
    fmt: str
    layout: str
    encoding: str
    org: Org | SeriesOrg
    t2: dict[str, dict[str, list[str]]]  # table -> row -> raw cell texts
    t3: dict[str, list[int | None]]  # row -> 7 values (None = blank)
    t4: dict[str, list[int]]  # row -> 5 values
    quirks: list[str] = field(default_factory=list)
    anomalies: list[dict[str, object]] = field(default_factory=list)


_OUTCOME_WEIGHTS = {
    "granted": 50,
    "partly_granted": 8,
    "denied_third_party": 2,
    "denied_process_info": 2,
    "unable_not_held": 15,
    "unable_need_creation": 3,
    "unable_still_unclear": 2,
    "noproc_petition": 3,
    "noproc_repeat": 3,
    "other_no_correction": 2,
    "other_misc": 2,
    "other_processing": 4,
}
_OUTCOMES = {
    fmt: (rows, [_OUTCOME_WEIGHTS.get(r, 1) for r in rows])
    for fmt, rows in ((keys.FMT2021, keys.OUT21), (keys.FMT2019, keys.OUT19))
}
_COL_ACTIVITY = (0.95, 0.35, 0.05, 0.1, 0.15, 0.1)  # chance an applicant column has applications


def _t3_values(rng: random.Random, fmt: str, busy: bool, scale: int) -> dict[str, list[int | None]]:
    """A balanced T3: per column new + carried_in = concluded + carried_out, outcome rows sum to （七）总计."""
    outcomes, weights = _OUTCOMES[fmt]
    table: dict[str, list[int | None]] = {r: [0] * 6 for r in keys.t3_rows(fmt)}
    if busy:
        for c, activity in enumerate(_COL_ACTIVITY):
            new = rng.randint(1, scale) if rng.random() < activity else 0
            carried_in = rng.randint(1, 2) if new and rng.random() < 0.25 else 0
            carried_out = rng.randint(0, min(2, new + carried_in)) if rng.random() < 0.3 else 0
            table["new_received"][c], table["carried_in"][c], table["carried_out"][c] = new, carried_in, carried_out
            for row in rng.choices(outcomes, weights, k=new + carried_in - carried_out):
                table[row][c] += 1
    _fill_totals(table, outcomes)
    return table


def _fill_totals(table: dict[str, list[int | None]], outcomes: tuple[str, ...]) -> None:
    for c in range(6):
        table["outcome_total"][c] = sum(table[r][c] for r in outcomes)
    for values in table.values():
        del values[6:]
        values.append(sum(values))


def _break_balance(rng: random.Random, table: dict[str, list[int | None]], outcomes: tuple[str, ...]) -> None:
    """Break T3_BALANCE: either no outcome recorded at all (seed 003) or a wrong carried_out."""
    if table["new_received"][6] and rng.random() < 0.5:
        for row in outcomes + ("outcome_total", "carried_out"):
            table[row][:6] = [0] * 6
    else:
        table["carried_out"][rng.randrange(6)] += rng.randint(1, 3)
    _fill_totals(table, outcomes)


def _unbalanced_cols(table: dict[str, list[int | None]]) -> list[str]:
    return [
        col
        for c, col in enumerate(keys.T3_COLS)
        if table["new_received"][c] + table["carried_in"][c] != table["outcome_total"][c] + table["carried_out"][c]
    ]


def _t4_values(rng: random.Random, active: bool) -> dict[str, list[int]]:
    table = {}
    for row, chance in zip(keys.T4_ROWS, (0.6, 0.4, 0.2), strict=True):
        counts = [rng.choice((0, 0, 1, 1, 2)) for _ in range(4)] if active and rng.random() < chance else [0] * 4
        table[row] = counts + [sum(counts)]
    return table


def _count(rng: random.Random, p_zero: float, hi: int) -> int:
    return 0 if rng.random() < p_zero else rng.randint(1, hi)


def _fee(rng: random.Random, decimals: tuple[int, int] = (4, 6)) -> str:
    """本年收费金额 in 万元: mostly zero, sometimes with ``decimals`` (fewest, most) decimals; the series keep to
    (1, 4), what T2_FEE_PRECISION allows."""
    roll = rng.random()
    if roll < 0.8:
        return "0"
    if roll < 0.88:
        return rng.choice(("0.00", "0.0000"))
    return f"{rng.uniform(0.001, 30):.{rng.randint(*decimals)}f}"


def _signed(rng: random.Random, value: int) -> str:
    return f"+{value}" if value > 0 and rng.random() < 0.5 else str(value)


def _t2_values(rng: random.Random, fmt: str, dept: bool) -> dict[str, dict[str, list[str]]]:
    busy = 0.3 if dept else 0.75  # chance of a zero count
    if fmt == keys.FMT2021:
        made = _count(rng, busy, 5)
        repealed = _count(rng, 0.7, 2)
        return {
            "T2_1": {
                "regulation": ["0", "0", "0"],
                "normative_doc": [str(made), str(repealed), str(max(made - repealed, 0) + _count(rng, 0.3, 12))],
            },
            "T2_5": {"license": [str(_count(rng, busy, 400 if dept else 60))]},
            "T2_6": {"penalty": [str(_count(rng, busy, 120 if dept else 20))], "coercion": [str(_count(rng, 0.9, 5))]},
            "T2_8": {"admin_fee": [_fee(rng)]},
        }
    t2: dict[str, dict[str, list[str]]] = {}
    made = _count(rng, busy, 12)
    published = rng.randint(0, made)
    t2["T2_1"] = {
        "regulation": ["0", "0", "0"],
        "normative_doc": [str(made), str(published), str(published + _count(rng, 0.3, 40))],
    }
    for table_id, rows in (
        ("T2_5", ("license", "other_external_service")),
        ("T2_6", ("penalty", "coercion")),
        ("T2_8", ("admin_fee",)),
    ):
        t2[table_id] = {}
        for row in rows:
            prev = _count(rng, busy, 30)
            cells = [str(prev), _signed(rng, rng.randint(-min(prev, 3), 4) if rng.random() < 0.4 else 0)]
            if table_id != "T2_8":
                cells.append(str(_count(rng, busy, 200)))
            t2[table_id][row] = cells
    items = _count(rng, 0.7, 6)
    amount = items * rng.randint(1, 500) * 1000
    t2["T2_9"] = {"central_procurement": [str(items), _amount_raw(rng, amount)]}
    return t2


def _amount_raw(rng: random.Random, yuan: int) -> str:
    """采购总金额 as printed: no unit, 元, or 万元."""
    unit = rng.choice(("", "", "元", "万元")) if yuan else ""
    if unit == "万元":
        return f"{(Decimal(yuan) / 10000).normalize():f}万元"
    return f"{yuan}{unit}"


def _t2_value(raw: str) -> str:
    """The canonical value of a printed T2 cell (signs dropped, 采购总金额 normalised to 元)."""
    if raw.endswith("万元"):
        return f"{(Decimal(raw[:-2]) * 10000).normalize():f}"
    return raw.removesuffix("元").lstrip("+")


def draw_report(seed: int, index: int) -> Report:
    """Draw publisher, year, format, layout and all table values of report ``index``."""
    rng = random.Random(f"{seed}:{index}")
    province, city, county, host, townships = rng.choice(REGIONS)
    dept = rng.random() < DEPARTMENT_SHARE
    org = Org(
        province, city, county, host, None if dept else rng.choice(townships), rng.choice(DEPARTMENTS) if dept else None
    )
    fmt = keys.FMT2019 if rng.random() < 0.2 else keys.FMT2021
    quirks = []
    if fmt == keys.FMT2021:
        year = rng.choice((2021, 2022, 2022, 2023, 2023, 2024))
    elif rng.random() < 0.15:
        year = rng.choice((2021, 2022))
        quirks.append("fmt2019_used_late")
    else:
        year = rng.choice((2019, 2020))
    layout = rng.choices(tuple(LAYOUT_WEIGHTS), tuple(LAYOUT_WEIGHTS.values()))[0]
    t3 = _t3_values(rng, fmt, busy=rng.random() < (0.7 if dept else 0.2), scale=40 if dept else 6)
    anomalies: list[dict[str, object]] = []
    if rng.random() < 0.05:
        _break_balance(rng, t3, _OUTCOMES[fmt][0])
        anomalies.append({"rule": "T3_BALANCE", "cols": _unbalanced_cols(t3)})
    if rng.random() < 0.03:
        row = "carried_out" if rng.random() < 0.5 else rng.choice(keys.t3_rows(fmt))
        t3[row][6] = None
        anomalies.append({"rule": "BLANK_TOTAL", "row": row})
    return Report(
        name=f"syn{seed}_{index:06d}",
        year=year,
        fmt=fmt,
        layout=layout,
        encoding="gb18030" if rng.random() < 0.1 else "utf-8",
        org=org,
        t2=_t2_values(rng, fmt, dept),
        t3=t3,
        t4=_t4_values(rng, active=rng.random() < (0.15 if dept else 0.03)),
        quirks=quirks,
        anomalies=anomalies,
    )


def truth_tables(report: Report) -> tuple[Tables, Tables]:
    """Every T2/T3/T4 cell as {table_id: {row_key: {col_key: value}}} (None when blank), and the printed
    text of the cells whose text differs from their value ("+3", "12.5万元")."""
    tables: Tables = {}
    printed: Tables = {}
    for table_id, rows in report.t2.items():
        cols = keys.T2_DEFAULT_COLS[report.fmt][table_id]
        tables[table_id] = {
            row: {col: _t2_value(raw) for col, raw in zip(cols, raws, strict=True)} for row, raws in rows.items()
        }
        for row, raws in rows.items():
            for col, raw in zip(cols, raws, strict=True):
                if raw != tables[table_id][row][col]:
                    printed.setdefault(table_id, {}).setdefault(row, {})[col] = raw
    tables["T3"] = {
        row: {col: None if v is None else str(v) for col, v in zip(keys.T3_COLS, values, strict=True)}
        for row, values in report.t3.items()
    }
    tables["T4"] = {row: dict(zip(keys.T4_COLS, map(str, values), strict=True)) for row, values in report.t4.items()}
    return tables, printed


def iter_cells(truth: dict[str, object]) -> Iterator[tuple[str, str, str, str | None]]:
    """Flatten a truth file's tables to (table_id, row_key, col_key, value) in print order."""
    for table_id, rows in truth["tables"].items():
        for row_key, cols in rows.items():
            for col_key, value in cols.items():
                yield table_id, row_key, col_key, value


# ---- layouts ----------------------------------------------------------------------------------
def _pad(rows: list[list[str] | None], width: int | None = None) -> list[str]:
    """Join cell rows with tabs, padding every row to the block width (``None`` rows are blank lines)."""
    width = width or max(len(r) for r in rows if r is not None)
    return ["" if r is None else "\t".join(r + [""] * (width - len(r))) for r in rows]


def _pipe_row(cells: list[str], grid: int) -> list[str]:
    """An HTML row flattened by a scraper: a lone '|' then one 'cell |' line each, colspan residue at the end."""
    lines = ["|"] + [f"{c} |" for c in cells]
    if len(cells) < grid:
        lines[-1] = f"{lines[-1]} {'|' * (grid - len(cells))}".lstrip()
    return lines


def _t2_blocks(report: Report) -> tuple[tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...]:
    """The 第二十条 blocks the report prints (series mode can leave one out: ``report.t2`` then lacks it)."""
    return tuple(block for block in T2_BLOCKS[report.fmt] if block[0] in report.t2)


def _t2_tsv(rng: random.Random, report: Report) -> list[str]:
    rows: list[list[str] | None] = []
    for table_id, numeral, headers, data in _t2_blocks(report):
        rows += [[f"第二十条第（{numeral}）项"], ["信息内容", *headers]]
        rows += [[label, *report.t2[table_id][row]] for row, label in data]
    if rng.random() < 0.1:
        rows.insert(rng.randrange(2, len(rows)), None)
    if rng.random() < 0.2:  # a page break: lines after it lose their padding (seed 001)
        cut = rng.randrange(len(rows) // 2, len(rows))
        return _pad(rows[:cut], 4) + [""] + ["\t".join(r) for r in rows[cut:] if r is not None]
    return _pad(rows, 4)


def _t2_one_cell(rng: random.Random, report: Report) -> list[str]:
    lines: list[str] = []
    caption = "第二十条（第{}项）" if rng.random() < 0.5 else "第二十条第（{}）项"
    wrap = rng.random() < 0.7
    for table_id, numeral, headers, data in _t2_blocks(report):
        lines += [f"\t{caption.format(numeral)}", "", "\t信息内容"]
        lines += [f"\t{WRAPPED_HEADERS.get(h, h) if wrap else h}" for h in headers]
        lines.append("")
        for row, label in data:
            lines += [f"\t{label}", *(f"\t{v}" for v in report.t2[table_id][row]), ""]
    return lines


def _t2_pipe(rng: random.Random, report: Report) -> list[str]:
    lines: list[str] = []
    for table_id, numeral, headers, data in _t2_blocks(report):
        lines += _pipe_row([f"第二十条第（{numeral}）项"], 4) + _pipe_row(["信息内容", *headers], 4)
        for row, label in data:
            lines += _pipe_row([label, *report.t2[table_id][row]], 4)
    return lines


def _t3_value_texts(report: Report, row: str) -> list[str]:
    return ["" if v is None else str(v) for v in report.t3[row]]


def _t3_tsv(rng: random.Random, report: Report, layout: tuple[T3Row, ...]) -> list[str]:
    """T3 as tab blocks (seeds 000–002): shifted value columns, optional second block, wrapped labels."""
    spaced = SPACED_HEADERS if rng.random() < 0.3 else {}
    split_at = "unable_not_held" if rng.random() < 0.3 else None
    extra_pad = [""] if rng.random() < 0.25 else []
    blocks: list[list[list[str] | None]] = [
        [
            [T3_NOTE, "", "申请人情况", "", "", "", "", "", "总计"],
            ["", "", spaced.get("自然人", "自然人"), "法人或其他组织"],
            ["", "", "", *(spaced.get(h, h) for h in T3_ORG_COLS)],
        ]
    ]
    for row in layout:
        if row.key == split_at:
            blocks.append([])
            report.quirks.append("t3_second_block")
        in_second = len(blocks) > 1
        if row.kind == "top":
            labels = [row.label, ""]
        elif row.kind == "l2":
            first_label = spaced.get(T3_RESULTS, T3_RESULTS) if row.first else ""
            labels = [row.label, ""] if in_second else [first_label, row.label]
        else:
            group = spaced.get(row.group, row.group) if row.first else ""
            labels = [group, row.label] if in_second else ["", group, row.label]
        if row.kind != "top":
            labels += extra_pad
        if row.kind != "top" and not row.first and labels[0] == "" and rng.random() < 0.04:
            labels = [row.label]  # left-shifted row (seed 000 "7. 属于行政执法案卷")
            report.quirks.append(f"t3_left_shift:{row.key}")
        continuation = None
        if len(row.label) > 20 and rng.random() < 0.12:  # wrapped label (seed 002)
            cut = rng.randint(len(row.label) // 2, len(row.label) - 4)
            slot = labels.index(row.label)
            labels[slot] = row.label[:cut]
            continuation = [""] * slot + [row.label[cut:]]
            report.quirks.append(f"t3_wrapped_label:{row.key}")
        blocks[-1].append(labels + _t3_value_texts(report, row.key))
        if continuation:
            blocks[-1] += [None, continuation] if rng.random() < 0.5 else [continuation]
        if rng.random() < 0.03:
            blocks[-1].append(None)
    lines: list[str] = []
    for block in blocks:
        lines += _pad(block, max(len(r) for r in block if r is not None) + rng.choice((0, 0, 1)))
    return lines


def _t3_one_cell(rng: random.Random, report: Report, layout: tuple[T3Row, ...]) -> list[str]:
    """T3 one cell per line (seed 003): tab-prefixed cells, U+2002 padding, sometimes no sub-row labels."""
    no_sublabels = rng.random() < 0.2
    if no_sublabels:
        report.quirks.append("t3_missing_sublabels")
    note = T3_NOTE.replace("本列数据", "本数据") if rng.random() < 0.2 else T3_NOTE
    lines = [
        f"\t{note}",
        "\t申请人情况",
        "",
        "\t",
        "\t自然人",
        "\t法人或其他组织",
        "\t总计",
        "",
        "\t",
        "\t",
        *(f"\t{h}" for h in T3_ORG_COLS),
        "\t",
        "",
    ]
    for row in layout:
        label = row.label
        if row.key == "new_received" and rng.random() < 0.2:
            label = "一、本年新收政府信息数量"
        elif row.key == "carried_out" and rng.random() < 0.2:
            label = "（四）结转下年继续办理"
        if row.kind == "top":
            cells = [label]
        elif row.key == "granted":
            cells = ["\t\u2002\n" + "\u2002\n" * 6 + T3_RESULTS if rng.random() < 0.5 else T3_RESULTS, label]
        elif row.kind == "l2":
            cells = ["", label]
        else:
            cells = ["", row.group if row.first else ""] + ([] if no_sublabels else [label])
        for value in _t3_value_texts(report, row.key):
            pad = rng.random()
            cells.append(f"\u2002{value}" if pad < 0.06 else f"{value}\u2002" if pad < 0.12 or not value else value)
        lines += [c if c.startswith("\t") else f"\t{c}" for c in cells]
        lines.append("")
    return lines


def _t3_pipe(rng: random.Random, report: Report, layout: tuple[T3Row, ...]) -> list[str]:
    lines = _pipe_row([T3_NOTE, "申请人情况"], 10) + _pipe_row(["自然人", "法人或其他组织", "总计"], 10)
    lines += _pipe_row(list(T3_ORG_COLS), 10)
    for row in layout:
        labels = [row.label]
        if row.key == "granted":
            labels.insert(0, T3_RESULTS)
        elif row.kind == "l3" and row.first:
            labels.insert(0, row.group)
        lines += _pipe_row(labels + _t3_value_texts(report, row.key), 10)
    return lines


def _t4_cells(report: Report) -> list[str]:
    return [str(v) for row in keys.T4_ROWS for v in report.t4[row]]


def _t4_tsv(rng: random.Random, report: Report) -> list[str]:
    spaced = SPACED_HEADERS if rng.random() < 0.3 else {}
    heads = [spaced.get(h, h) for h in T4_RESULT_HEADERS]
    return _pad(
        [
            ["行政复议", "", "", "", "", "行政诉讼"],
            heads + ["未经复议直接起诉", "", "", "", "", "复议后起诉"],
            [""] * 5 + heads * 2,
            _t4_cells(report),
        ],
        15,
    )


def _t4_one_cell(rng: random.Random, report: Report) -> list[str]:
    vertical = rng.random() < 0.6
    heads = ["\t" + ("\n".join(h) if vertical else h) for h in T4_RESULT_HEADERS]
    return [
        "\t行政复议",
        "\t行政诉讼",
        "",
        *heads,
        "\t未经复议直接起诉",
        "\t复议后起诉",
        "",
        *(["\t"] * 5),
        *heads,
        *heads,
        "",
        *(f"\t{v}" for v in _t4_cells(report)),
        "",
    ]


def _t4_pipe(rng: random.Random, report: Report) -> list[str]:
    heads = list(T4_RESULT_HEADERS)
    return (
        _pipe_row(["行政复议", "行政诉讼"], 15)
        + _pipe_row(heads + ["未经复议直接起诉", "复议后起诉"], 15)
        + _pipe_row(heads * 2, 15)
        + _pipe_row(_t4_cells(report), 15)
    )


TABLE_RENDERERS = {
    TSV: (_t2_tsv, _t3_tsv, _t4_tsv),
    ONE_CELL: (_t2_one_cell, _t3_one_cell, _t4_one_cell),
    PIPE: (_t2_pipe, _t3_pipe, _t4_pipe),
}


# ---- whole report -----------------------------------------------------------------------------
def _paragraph(
    rng: random.Random, pool: tuple[str, ...], ctx: dict[str, object], k: tuple[int, int], enumerated: bool = False
) -> str:
    """k sentences of the pool in pool order: a random subset, or the first k when they are numbered 一是, 二是…."""
    count = min(len(pool), rng.randint(*k))
    picks = range(count) if enumerated else sorted(rng.sample(range(len(pool)), count))
    return "".join(pool[i].format(**ctx) for i in picks)


def _title(rng: random.Random, report: Report) -> str | None:
    org, year = report.org, report.year
    if report.layout == PIPE and rng.random() < 0.7:
        return None
    spaced_year = f" {year} " if rng.random() < 0.25 else str(year)
    doc = "政府信息公开工作年度报" + (" 告" if rng.random() < 0.1 else "告")
    if org.department:
        suffix = "年度" if rng.random() < 0.3 else "年"
        return f"{org.county}{org.department}{year}{suffix}政府信息公开工作年度报告"
    roll = rng.random()
    if roll < 0.45:
        return f"{org.county}{org.township}{spaced_year}年{doc}"
    if roll < 0.8:
        return f"{org.township}人民政府{spaced_year}年{doc}"
    return f" {year}年{doc}"


def _applications_text(report: Report) -> str:
    new, carried = report.t3["new_received"][:6], report.t3["carried_in"][:6]
    we, year = report.org.we, report.year
    if not sum(new) + sum(carried):
        return f"{year}年，{we}未收到政府信息公开申请。"
    text = f"{year}年，{we}共收到政府信息公开申请{sum(new)}件"
    if sum(carried):
        text += f"，上年结转{sum(carried)}件"
    return text + "，均按照法定程序和时限予以答复。"


def _review_text(report: Report) -> str:
    cases = sum(report.t4[row][4] for row in keys.T4_ROWS)
    if cases:
        return f"本年度因政府信息公开被申请行政复议、提起行政诉讼共{cases}件。"
    return "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"


def render(report: Report) -> tuple[str, str | None]:
    """Print the report as text in its layout; return the text and its title line (None if untitled)."""
    rng = random.Random(f"render:{report.name}")
    org, year = report.org, report.year
    ctx = {
        "year": year,
        "we": org.we,
        "org": org.short,
        "parent": org.parent,
        "county": org.county,
        "congress": "党的二十大" if year >= 2022 else "党的十九大和十九届历次全会",
        "n1": rng.randint(20, 400),
        "n2": rng.randint(5, 80),
        "n3": rng.randint(3, 40),
        "n4": rng.randint(1, 6),
        "n5": rng.randint(1, 4),
    }
    t2_render, t3_render, t4_render = TABLE_RENDERERS[report.layout]
    style = "ascii_space" if report.layout == TSV and rng.random() < 0.5 else rng.choice(ENUM_STYLES)
    arabic_headings = report.layout == ONE_CELL and rng.random() < 0.6
    title = _title(rng, report)
    lines: list[str] = list(PAGE_CHROME_TOP) if report.layout == PIPE and title is None else ["", ""]
    if title is not None:
        lines += [title, ""]
    if rng.random() < 0.4 or title is None or org.short not in title:
        lines.append(
            f"{org.short}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，现发布{year}年政府信息公开工作年度报告。"
            f"本报告电子版可在{org.county}人民政府门户网站（http://www.{org.host}.gov.cn）查阅或下载。"
            f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。"
        )
    for number, titles in enumerate(SECTION_TITLES, start=1):
        heading = rng.choice(titles)
        if report.layout == TSV:
            lines.append("")
        lines.append(f"{number}、 {heading}" if arabic_headings else f"{CN_NUMERALS[number - 1]}、{heading}")
        if number == 1:
            lines.append(rng.choice(OVERVIEW_INTRO).format(**ctx))
            for item, (item_title, pool) in enumerate(OVERVIEW_ITEMS):
                body = _applications_text(report) if item == 1 else _paragraph(rng, pool, ctx, (2, 4))
                lines.append(f"（{CN_NUMERALS[item]}）{item_title}。{body}")
        elif number == 2:
            lines += t2_render(rng, report)
        elif number == 3:
            lines += t3_render(rng, report, T3_LAYOUTS[report.fmt, style])
        elif number == 4:
            lines += t4_render(rng, report)
            lines.append(_review_text(report))
        elif number == 5:
            lines.append(
                f"{year}年，{org.we}政府信息公开工作取得了一定成效，但还存在一些不足。"
                + _paragraph(rng, PROBLEMS, ctx, (2, 4), enumerated=True)
            )
            lines.append(_paragraph(rng, IMPROVEMENTS, ctx, (2, 4), enumerated=True))
        else:
            lines.append(rng.choice(OTHER_MATTERS))
    if title is None or rng.random() < 0.2:
        signer = org.publisher if org.department else f"{org.county}{org.publisher}"
        lines += [signer, f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"]
    if report.layout == PIPE and title is None:
        lines += PAGE_CHROME_BOTTOM
    if report.layout == TSV:  # seeds 000–002: blank line after each text line, punctuation sometimes ASCII
        lines = [_tsv_prose(rng, line) if line and "\t" not in line else line for line in lines]
    text = "\n".join(lines) + "\n"
    if report.layout == PIPE:
        text = _ascii_punct(text)
    return text, None if title is None else title.strip()


def _tsv_prose(rng: random.Random, line: str) -> str:
    return (_ascii_punct(line) if rng.random() < 0.15 else line) + "\n"


def _ascii_punct(text: str) -> str:
    """Fullwidth brackets, commas and colons as ASCII (seed 004 throughout, seed 000 in places)."""
    for fullwidth, ascii_ in ASCII_PUNCT:
        text = text.replace(fullwidth, ascii_)
    return text


def _truth(report: Report, file_name: str, title: str | None) -> dict[str, object]:
    org = report.org
    tables, printed = truth_tables(report)
    return {
        "file": file_name,
        "encoding": report.encoding,
        "layout": report.layout,
        "format": report.fmt,
        "year": report.year,
        "title": title,
        "publisher": org.publisher,
        "province": org.province,
        "city": org.city,
        "county": org.county,
        "township": org.township,
        "quirks": report.quirks,
        "anomalies": report.anomalies,
        "tables": tables,
        "printed": printed,
    }


# ---- series mode: one publisher's reports of consecutive years, with injected violations ----------
# ``generate(..., series=True)`` writes the reports of consecutive years of one publisher each (five reports a
# series, 2019–2023: fmt2019 for 2019–2020, fmt2021 from 2021), consistent within and across years, so that a
# clean series fails no rule of the rulebook (expectations/). ``inject`` is the share of series that carry one
# known violation of one rule (INJECTIONS, taken in turn), recorded in the truth files (``expect_fail``).
SERIES_YEARS = (2019, 2020, 2021, 2022, 2023)
SERIES_LENGTH = len(SERIES_YEARS)
# Publisher kinds of clean series, by series index modulo 20.
SERIES_KIND_SLOTS = ("township",) * 13 + ("county_dept",) * 4 + ("county_gov",) * 2 + ("prefecture_gov",)
SERIES_BUSY = {"township": 0.3, "township_huaihua": 0.3, "county_dept": 0.75, "county_gov": 0.9, "prefecture_gov": 0.9}
SERIES_T4_ACTIVE = {
    "township": 0.05,
    "township_huaihua": 0.05,
    "county_dept": 0.15,
    "county_gov": 0.3,
    "prefecture_gov": 0.3,
}
SERIES_DEPARTMENTS = (
    "教育局",
    "财政局",
    "民政局",
    "司法局",
    "市场监督管理局",
    "自然资源局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "农业农村局",
    "卫生健康局",
    "交通运输局",
    "水利局",
    "应急管理局",
    "统计局",
    "审计局",
    "发展和改革局",
)
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
JACCARD_LIMIT = 0.8  # XR_DUP_TEXT fails above 0.9: consecutive years' sections 一, 五, 六 stay below this

PROBLEM_POOL = (
    "政府信息主动公开的意识还不够强，公开时效性、公开内容质量有待加强",
    "信息公开有的栏目公开事项较少，工作动态较多，其他栏目重视程度不够",
    "公开的内容和形式还欠丰富，政策解读的深度和广度有待提升",
    "从事政府信息公开工作人员的业务水平还有待提高",
    "依申请公开答复文书的规范性仍需加强",
    "政务新媒体内容更新不够及时，互动回应不足",
    "基层政务公开标准化规范化建设推进不平衡",
    "政策解读形式较为单一，图解、视频等解读方式运用较少",
)
IMPROVEMENT_POOL = (
    "进一步充实信息公开内容，突出重点、热点和难点问题，完善政府信息公开目录",
    "加大培训和宣传力度，不断提高信息公开的及时性、主动性",
    "及时回应群众诉求，对群众要求公开而又不涉密的政务信息做到及时公开、全面公开",
    "严格执行信息发布审核制度，确保公开信息准确规范",
    "加强政务新媒体管理，提升信息发布和互动回应质量",
    "推进基层政务公开标准化规范化建设，扩大公众参与",
    "丰富政策解读形式，多用图表图解、音频视频等方式解读政策",
    "健全依申请公开办理机制，规范答复文书格式和内容",
)
FOLLOW_UPS = (
    "针对上年度报告中指出的问题，{we}逐项制定整改措施，已基本整改到位。",
    "对照上一年度查找出的不足，{we}持续抓好整改落实，取得了明显成效。",
    "去年报告中指出的问题已全部完成整改。",
)
ENUMERATORS = "一二三四五六七八"
CLEAN_OTHER_MATTERS = OTHER_MATTERS[:2] + ("本年度未收取信息处理费。", "无其他需要报告的事项。")
FEE_NOTICE = "本年度向申请人发出信息处理费缴费通知{n}件，申请人均未在规定期限内缴纳，{we}未收取信息处理费。"


@dataclass(frozen=True)
class SeriesOrg:
    """The publisher of a series: a township government, a county department or government, or a prefecture
    government, from the region table (``data_lake/reference/regions``)."""

    kind: str
    province: str
    city: str
    county: str | None
    township: str | None
    department: str | None
    host: str | None  # pinyin label of the portal that carries the report (clues.parquet), if known
    level_word: str  # how the body calls the organ's own level (县, 区, 市, 州 …)
    parent: str  # the leadership the body thanks ("县委、县政府")

    @property
    def publisher(self) -> str:
        return {
            "county_dept": f"{self.county}{self.department}",
            "county_gov": f"{self.county}人民政府",
            "prefecture_gov": f"{self.city}人民政府",
        }.get(self.kind, f"{self.township}人民政府")

    @property
    def signer(self) -> str:
        return f"{self.county}{self.township}人民政府" if self.township else self.publisher

    @property
    def short(self) -> str:
        return {
            "county_dept": f"{self.level_word}{self.department}",
            "county_gov": self.county or "",
            "prefecture_gov": self.city,
        }.get(self.kind, self.township or "")

    @property
    def we(self) -> str:
        if self.township:
            return f"我{self.township[-1]}"
        return "我局" if self.kind == "county_dept" else f"我{self.level_word}"

    @property
    def portal(self) -> str:
        """Whose portal carries the report: the county's (or the prefecture's, for its own government)."""
        return f"{self.city if self.kind == 'prefecture_gov' else self.county}人民政府"

    @property
    def may_make_rules(self) -> bool:
        """规章 are made only by 国务院部门, 省级 and 设区的市/自治州 governments (T2_REG_LEVEL,
        docs/formats.md#t2-2021)."""
        return self.kind == "prefecture_gov"


@dataclass(frozen=True)
class Injection:
    """One known violation: which rule it breaks, in which years it can be put, and what it does."""

    rule: str
    family: str
    years: tuple[int, ...]
    how: str
    needs: str = ""  # "busy": the year has applications; "zero": none, and none carried in
    kinds: tuple[str, ...] = ()  # publisher kinds it needs (empty: any)
    expect: tuple[tuple[int, str], ...] = ()  # (year offset, rule) that must FAIL; default ((0, rule),)

    @property
    def expected(self) -> tuple[tuple[int, str], ...]:
        return self.expect or ((0, self.rule),)


_ALL, _Y19, _Y21 = SERIES_YEARS, (2019, 2020), (2021, 2022, 2023)
INJECTIONS: tuple[Injection, ...] = (
    # table rules (docs/formats.md#consistency-rules, #rules-2019)
    Injection("T3_BALANCE", "table", _ALL, "本年新收 +1 in one applicant column and in 总计"),
    Injection("T3_ROW_TOTAL", "table", _ALL, "总计 of one outcome row +1 and of another −1 (column sums kept)", "busy"),
    Injection("T3_OUTCOME_TOTAL", "table", _Y21, "予以公开 +1 in a column and its 总计, （七）总计 kept", "busy"),
    Injection("T3_OUTCOME_TOTAL_2019", "table", _Y19, "予以公开 +1 in a column and its 总计, （七）总计 kept", "busy"),
    Injection("T3_NONNEG_INT", "table", _ALL, "不予处理·重复申请 −k and 信访举报 +k in one column (a negative cell)"),
    Injection(
        "T3_ZERO_FLOW",
        "table",
        _ALL,
        "an outcome in a column with nothing received or carried in",
        "zero",
        expect=((0, "T3_ZERO_FLOW"), (0, "T3_BALANCE")),
    ),
    Injection(
        "T3_CARRY_OUT_BOUND",
        "table",
        _ALL,
        "结转下年度 = 本年新收 + 上年结转 + 1 (next year carries it in)",
        "busy",
        expect=((0, "T3_CARRY_OUT_BOUND"), (0, "T3_BALANCE")),
    ),
    Injection("T3_COMPLETE", "table", _Y21, "table 三 left out (a year without applications)", "zero"),
    Injection("T3_COMPLETE_2019", "table", _Y19, "table 三 left out (a year without applications)", "zero"),
    Injection("T4_REVIEW_TOTAL", "table", _ALL, "行政复议 总计 one above its four results", "busy"),
    Injection("T4_LIT_DIRECT_TOTAL", "table", _ALL, "未经复议直接起诉 总计 one above its four results", "busy"),
    Injection("T4_LIT_AFTER_REVIEW_TOTAL", "table", _ALL, "复议后起诉 总计 one above its four results", "busy"),
    Injection("T4_NONNEG_INT", "table", _ALL, "行政复议 结果维持 −1, 结果纠正 +1 (总计 kept)"),
    Injection("T4_COMPLETE", "table", _ALL, "table 四 left out (no cases that year)"),
    Injection("T2_NONNEG_INT", "table", _Y21, "行政强制 本年处理决定数量 −1"),
    Injection("T2_FEE_NONNEG", "table", _Y21, "本年收费金额 negative"),
    Injection("T2_FEE_UNIT", "table", _Y21, '本年收费金额 printed in 元 ("3500元")'),
    Injection("T2_FEE_PRECISION", "table", _Y21, "本年收费金额 with 6 decimals"),
    Injection(
        "T2_REG_LEVEL",
        "table",
        _ALL,
        "规章 counted by a township, county department or county government",
        kinds=("township", "county_dept", "county_gov"),
    ),
    Injection("T2_VALID_GE_NET", "table", (2021,), "行政规范性文件 本年制发 = 现行有效 + 本年废止 + 1"),
    Injection("T2_COMPLETE", "table", _Y21, "第二十条第（五）项 left out"),
    Injection("T2_19_NONNEG", "table", _Y19, "行政处罚 处理决定数量 −1"),
    Injection("T2_19_PUBTOTAL_GE_NEW", "table", _Y19, "规范性文件 本年新公开数量 = 对外公开总数量 + 1"),
    Injection("T2_19_ITEMS_AFTER_CHANGE", "table", (2020,), "行政许可 本年增/减 = −(上一年项目数量 + 1)"),
    Injection("T2_19_PROC_ZERO", "table", _Y19, "政府集中采购: items counted, amount 0"),
    Injection("T2_19_PROC_UNIT", "table", _Y19, "采购总金额 printed without a unit"),
    Injection("T2_19_COMPLETE", "table", _Y19, "第二十条第（九）项 left out"),
    Injection("X_T4_WITHOUT_APPS", "table", _ALL, "a 行政复议 case in a year without applications", "zero"),
    # structure rules (docs/formats.md#structure-rules)
    Injection("S_SECTIONS", "structure", _ALL, "heading 六、其他需要报告的事项 left out (its text runs on in 五)"),
    Injection(
        "S_FORMAT_DETECT", "structure", _Y19, "table 二 left out of a 2019-format report (no header names the format)"
    ),
    Injection(
        "S_FORMAT_YEAR",
        "structure",
        (2021,),
        "the 2021 report printed in the 2019 format",
        expect=((0, "S_FORMAT_YEAR"), (1, "XR_FORMAT_CONTINUITY")),
    ),
    Injection("S_TITLE_YEAR", "structure", _ALL, 'section 一 opens with the previous year ("2021年，…" in 2022)'),
    Injection("S_PERIOD", "structure", _ALL, "statistics period ends on 11月30日"),
    Injection("S_ORG", "structure", (2023,), "no organ in title, preamble, body or signature"),
    Injection("S_SEC5_NONEMPTY", "structure", _Y19, "section 五 says only 无"),
    Injection("S_SEC_MISPLACED", "structure", _ALL, "an improvement plan (下一步…进一步完善…) in section 六"),
    # narrative rules (docs/formats.md#narrative-rules)
    Injection("N_NO_APPS", "narrative", _ALL, '"未收到政府信息公开申请" in a year with applications', "busy"),
    Injection("N_APPS_COUNT", "narrative", _ALL, "共收到申请 N件 with N = 本年新收 + 上年结转 + 1", "busy"),
    Injection("N_CARRY_IN", "narrative", _ALL, "上年结转 stated one too high", "busy"),
    Injection("N_CARRY_OUT", "narrative", _ALL, "结转下年度继续办理 stated one too high", "busy"),
    Injection("N_OUTCOME", "narrative", _ALL, "予以公开 stated one too high", "busy"),
    Injection(
        "N_NO_REVIEW_LIT", "narrative", _ALL, '"未发生…行政复议、行政诉讼" while table 四 counts a review', "busy"
    ),
    Injection("N_REVIEW_COUNT", "narrative", _ALL, "行政复议 N件 stated one too high", "busy"),
    Injection("N_LIT_COUNT", "narrative", _ALL, "行政诉讼 N件 stated one too high", "busy"),
    Injection(
        "N_FEE_INFO_PROC",
        "narrative",
        _Y21,
        "an application ends unpaid (（六）2.) and the text never names 信息处理费",
        "busy",
    ),
    Injection("N_BREAKDOWN_SUM", "narrative", _ALL, '"共N条，其中A条，B条，C条" with A+B+C ≠ N'),
    # cross-report rules (docs/formats.md#cross-report-rules)
    Injection(
        "XR_CARRY", "cross_report", SERIES_YEARS[1:], "上年结转 +1 against last year's 结转下年度 (one more answered)"
    ),
    Injection("XR_VALID", "cross_report", (2022, 2023), "行政规范性文件 现行有效 +1 against last year's chain"),
    Injection("XR_ITEMS_2019", "cross_report", (2020,), "行政许可 上一年项目数量 +1 against 2019's count and change"),
    Injection("XR_PUBTOTAL_2019", "cross_report", (2020,), "规范性文件 对外公开总数量 below 2019's"),
    Injection(
        "XR_FORMAT_CONTINUITY",
        "cross_report",
        (2020,),
        "the 2020 report printed in the 2021 format",
        expect=((0, "XR_FORMAT_CONTINUITY"), (0, "S_FORMAT_YEAR")),
    ),
    Injection(
        "XR_DEADLINE_DEPT", "cross_report", _ALL, "a county department publishes after 1月31日", kinds=("county_dept",)
    ),
    Injection(
        "XR_DEADLINE_GOV", "cross_report", _ALL, "a county government publishes after 3月31日", kinds=("county_gov",)
    ),
    Injection(
        "XR_DEADLINE_TOWNSHIP",
        "cross_report",
        _ALL,
        "a 怀化 township publishes after 2月20日 (local_deadlines.csv)",
        kinds=("township_huaihua",),
    ),
    Injection(
        "XR_DEADLINE_PRE2019",
        "cross_report",
        (2018,),
        "the series starts in 2018 with a report published after 2019-03-31 (printed in the 2019 format)",
        expect=((0, "XR_DEADLINE_PRE2019"), (0, "S_FORMAT_YEAR")),
    ),
    Injection("XR_DUP_TEXT", "cross_report", SERIES_YEARS[1:], "section 五 copied from last year's report"),
    Injection("XR_SEC5_FOLLOWUP", "cross_report", _Y21, "section 五 does not refer back to last year's problems"),
    Injection(
        "XR_MISSING_YEAR", "cross_report", (2021, 2022, 2023, 2024), "the year before is missing from the series"
    ),
    Injection(
        "XR_T4_PENDING",
        "cross_report",
        (2019, 2020, 2021, 2022),
        "a 行政复议 case 尚未审结 (next year's report fails)",
        "busy",
        expect=((1, "XR_T4_PENDING"),),
    ),
)
INJECTION_BY_RULE = {i.rule: i for i in INJECTIONS}
# Rules of the rulebook no injection covers, and why (benchmarks/README.md).
NOT_INJECTABLE: dict[str, str] = {}


@dataclass
class SeriesText:
    """What the narrative of one report says; the injections change some of it."""

    intro_year: int
    period_end: str = "12月31日"
    apps_none: bool = False  # "未收到政府信息公开申请" whatever the table says
    stated: dict[str, int] = field(default_factory=dict)  # received, carried_in, carried_out, granted, review, lit
    review_none: bool = False
    breakdown_off: int = 0  # added to the 共N条 of the breakdown sentence
    s5_nothing: bool = False
    s5_no_follow_up: bool = False
    s5_copy_previous: bool = False
    s6_plan: bool = False
    s6_no_fee: bool = False
    no_org: bool = False
    drop_heading6: bool = False
    drop_t3: bool = False
    drop_t4: bool = False
    published: dt.date | None = None
    # filled by _series_texts
    title: str | None = None
    lead: str = ""
    s1: list[str] = field(default_factory=list)
    s5: list[str] = field(default_factory=list)
    s6: str = ""
    signature: list[str] = field(default_factory=list)


@dataclass
class _Chains:
    """Values carried from one year to the next: T3 结转, 现行有效 (fmt2021), 对外公开总数量 and 项目数量 (fmt2019)."""

    carried: list[int]
    valid: dict[str, int]
    published_total: dict[str, int]
    items: dict[tuple[str, str], int]


@lru_cache(maxsize=4)
def _series_pools(seed: int) -> dict[str, tuple[SeriesOrg, ...]]:
    """The publishers series are drawn from, per kind, each in a seeded order (series s takes position s)."""
    import generate_publishers as gp  # sibling module, imported here: it imports this one

    catalog = gp.load_catalog()
    years = frozenset(range(2019, 2025))
    units = catalog.units

    def unique(unit: Any) -> bool:
        return all(catalog.name_counts[unit.level, y, unit.name] == 1 for y in years)

    def host(unit: Any) -> str | None:
        spelled, _ = gp._host_labels(catalog, unit)
        return spelled[0] if spelled else None

    counties = {
        u.region_id: u
        for u in units.values()
        if u.level == "county"
        and years <= u.years
        and gp._pool_of(u, units) == "county"
        and unique(u)
        and u.prefecture
        and u.province not in MUNICIPALITIES
    }
    pools: dict[str, list[SeriesOrg]] = {
        "township": [],
        "township_huaihua": [],
        "county_dept": [],
        "county_gov": [],
        "prefecture_gov": [],
    }
    for unit in sorted(units.values(), key=lambda u: u.region_id):
        if (
            unit.level == "township"
            and years <= unit.years
            and unit.parent_id in counties
            and unique(unit)
            and unit.name.endswith(("镇", "乡"))
            and not re.search("[县区市旗]", unit.name[:-1])
        ):
            # (NBS prints some townships with their county: 濮阳县五星乡; the organ never calls itself so)
            county = counties[unit.parent_id]
            kind = "township_huaihua" if unit.prefecture == "怀化市" else "township"
            pools[kind].append(
                SeriesOrg(
                    kind,
                    unit.province,
                    unit.prefecture or "",
                    unit.county,
                    unit.name,
                    None,
                    host(unit),
                    unit.name[-1],
                    gp.party_wording(county),
                )
            )
        elif unit.region_id in counties:
            level = gp.county_type(unit.name)
            above = gp.party_wording(units[unit.parent_id]) if unit.parent_id in units else "市委、市政府"
            for department in SERIES_DEPARTMENTS:
                pools["county_dept"].append(
                    SeriesOrg(
                        "county_dept",
                        unit.province,
                        unit.prefecture or "",
                        unit.name,
                        None,
                        department,
                        host(unit),
                        level,
                        gp.party_wording(unit),
                    )
                )
            pools["county_gov"].append(
                SeriesOrg(
                    "county_gov", unit.province, unit.prefecture or "", unit.name, None, None, host(unit), level, above
                )
            )
        elif (
            unit.level == "prefecture"
            and years <= unit.years
            and unique(unit)
            and unit.name.endswith(("市", "州"))
            and unit.province not in MUNICIPALITIES
            and gp._pool_of(unit, units) == "prefecture"
        ):
            province = units.get(unit.parent_id or "")
            pools["prefecture_gov"].append(
                SeriesOrg(
                    "prefecture_gov",
                    unit.province,
                    unit.name,
                    None,
                    None,
                    None,
                    host(unit),
                    gp.prefecture_type(unit.name),
                    gp.party_wording(province) if province else "省委、省政府",
                )
            )
    for kind, pool in pools.items():
        random.Random(f"series-pool:{seed}:{kind}").shuffle(pool)
    return {kind: tuple(pool) for kind, pool in pools.items()}


def _series_org(seed: int, series: int, kind: str) -> SeriesOrg:
    """The publisher of series ``series``: distinct for every series of a corpus (see SERIES_KIND_SLOTS)."""
    pool = _series_pools(seed)[kind]
    position = {
        "prefecture_gov": series // len(SERIES_KIND_SLOTS),  # one series in 20 is a prefecture's
        "township_huaihua": series // len(INJECTIONS),
    }.get(kind, series)  # only XR_DEADLINE_TOWNSHIP's
    return pool[position % len(pool)]


def series_plan(seed: int, series: int, inject: float) -> tuple[Injection | None, tuple[int, ...], int | None, str]:
    """The injection of a series (or None), its years, the position of the injected report and the publisher kind.

    Injected series take the rules in turn (rule = series index modulo the number of injections), so every rule
    gets its share.
    """
    rng = random.Random(f"series:{seed}:{series}:plan")
    injection = INJECTIONS[series % len(INJECTIONS)] if rng.random() < inject else None
    kind = SERIES_KIND_SLOTS[series % len(SERIES_KIND_SLOTS)]
    if injection is None:
        return None, SERIES_YEARS, None, kind
    if injection.kinds and kind not in injection.kinds:
        kind = injection.kinds[series % len(injection.kinds)]
    if injection.rule == "T2_REG_LEVEL" and kind == "prefecture_gov":
        kind = "township"
    if injection.rule == "XR_MISSING_YEAR":
        gap = rng.choice((2020, 2021, 2022, 2023))
        years = tuple(y for y in range(2019, 2025) if y != gap)
        return injection, years, years.index(gap + 1), kind
    if injection.rule == "XR_DEADLINE_PRE2019":
        return injection, tuple(range(2018, 2023)), 0, kind
    return injection, SERIES_YEARS, SERIES_YEARS.index(rng.choice(injection.years)), kind


def _series_format(year: int, injection: Injection | None, target: bool) -> str:
    if target and injection and injection.rule == "S_FORMAT_YEAR":
        return keys.FMT2019
    if target and injection and injection.rule == "XR_FORMAT_CONTINUITY":
        return keys.FMT2021
    return keys.FMT2019 if year <= 2020 else keys.FMT2021


def _series_t3(
    rng: random.Random, carried_in: list[int], busy: bool, scale: int, close_out: bool
) -> dict[str, list[int | None]]:
    """A balanced T3 in the 2021 rows: 上年结转 from last year, new applications, outcomes and 结转下年度."""
    outcomes, weights = _OUTCOMES[keys.FMT2021]
    table: dict[str, list[int | None]] = {r: [0] * 6 for r in keys.T3_ROWS_2021}
    for c, activity in enumerate(_COL_ACTIVITY):
        new = rng.randint(1, scale) if busy and (c == 0 or rng.random() < activity) else 0
        inflow = new + carried_in[c]
        carried_out = 0
        if inflow and not close_out and rng.random() < 0.3:
            carried_out = rng.randint(0, min(2, inflow - (1 if new and c == 0 else 0)))
        table["new_received"][c], table["carried_in"][c], table["carried_out"][c] = new, carried_in[c], carried_out
        for row in rng.choices(outcomes, weights, k=inflow - carried_out):
            table[row][c] += 1
    _fill_totals(table, outcomes)
    return table


def _t3_in_format(table: dict[str, list[int | None]], fmt: str) -> dict[str, list[int | None]]:
    """The 2021 rows as the format prints them: fmt2019 has one （六）其他处理 row for the three 2021 sub-rows."""
    if fmt == keys.FMT2021:
        return {row: list(values) for row, values in table.items()}
    other = [sum(table[r][c] for r in keys.OTHER_ROWS_2021) for c in range(7)]
    return {row: list(other if row == keys.OTHER_ROW_2019 else table[row]) for row in keys.T3_ROWS_2019}


def _series_t4(rng: random.Random, inflow: int, chance: float) -> dict[str, list[int]]:
    """Table 四 with cases only in a year with applications; none pending (XR_T4_PENDING would flag it)."""
    table = {}
    for row, row_chance in zip(keys.T4_ROWS, (1.0, 0.6, 0.3), strict=True):
        counts = (
            [rng.choice((0, 1, 1, 2)) for _ in range(3)] + [0]
            if inflow and rng.random() < chance * row_chance
            else [0] * 4
        )
        table[row] = counts + [sum(counts)]
    return table


def _series_t2(
    rng: random.Random, org: SeriesOrg, chains: _Chains, busy: float
) -> dict[str, dict[str, dict[str, list[str]]]]:
    """Table 二 of the year in both formats, continuing the chains (XR_VALID, XR_ITEMS_2019, XR_PUBTOTAL_2019).

    ``busy`` is the chance of a zero count (as in ``_t2_values``). Both formats are drawn every year, so a report
    printed in the other format (an injection) still continues its chain.
    """
    dept = org.kind != "township" and org.kind != "township_huaihua"
    t21: dict[str, dict[str, list[str]]] = {"T2_1": {}}
    for row in ("regulation", "normative_doc"):
        before = chains.valid[row]
        if row == "regulation" and not org.may_make_rules:
            made = repealed = 0
        else:
            made = _count(rng, busy, 3 if row == "regulation" else 12 if dept else 5)
            repealed = rng.randint(0, min(2, before + made)) if rng.random() < 0.3 else 0
        chains.valid[row] = before + made - repealed
        t21["T2_1"][row] = [str(made), str(repealed), str(chains.valid[row])]
    t21["T2_5"] = {"license": [str(_count(rng, busy, 400 if dept else 60))]}
    t21["T2_6"] = {"penalty": [str(_count(rng, busy, 120 if dept else 20))], "coercion": [str(_count(rng, 0.9, 5))]}
    t21["T2_8"] = {"admin_fee": [_fee(rng, (1, 4))]}
    t19: dict[str, dict[str, list[str]]] = {"T2_1": {}}
    for row in ("regulation", "normative_doc"):
        new_made = (
            _count(rng, busy, 3 if row == "regulation" else 12) if row == "normative_doc" or org.may_make_rules else 0
        )
        new_published = rng.randint(0, new_made)
        chains.published_total[row] += new_published
        t19["T2_1"][row] = [str(new_made), str(new_published), str(chains.published_total[row])]
    for table_id, rows in (
        ("T2_5", ("license", "other_external_service")),
        ("T2_6", ("penalty", "coercion")),
        ("T2_8", ("admin_fee",)),
    ):
        t19[table_id] = {}
        for row in rows:
            before = chains.items[table_id, row]
            change = rng.randint(-min(before, 3), 4) if rng.random() < 0.4 else 0
            chains.items[table_id, row] = before + change
            cells = [str(before), _signed(rng, change)]
            if table_id != "T2_8":
                cells.append(str(_count(rng, busy, 200)))
            t19[table_id][row] = cells
    items = _count(rng, 0.7, 6)
    amount = items * rng.randint(1, 500) * 1000
    unit = rng.choice(("元", "万元"))
    t19["T2_9"] = {"central_procurement": [str(items), _amount_raw_unit(amount, unit) if amount else "0"]}
    return {keys.FMT2021: t21, keys.FMT2019: t19}


def _amount_raw_unit(yuan: int, unit: str) -> str:
    return f"{(Decimal(yuan) / 10000).normalize():f}万元" if unit == "万元" else f"{yuan}元"


def _rechain(report: Report, chains: _Chains) -> None:
    """After an injection, the next year continues from what this report prints."""
    chains.carried = [int(v) for v in report.t3["carried_out"][:6]] if report.t3 else chains.carried
    t2_1 = report.t2.get("T2_1", {})
    if report.fmt == keys.FMT2021:
        for row, cells in t2_1.items():
            chains.valid[row] = max(int(cells[2]), 0)
    else:
        for row, cells in t2_1.items():
            chains.published_total[row] = max(int(cells[2]), 0)
        for table_id in ("T2_5", "T2_6", "T2_8"):
            for row, cells in report.t2.get(table_id, {}).items():
                chains.items[table_id, row] = max(int(cells[0]) + int(cells[1]), 0)


# ---- injections: each changes the drawn report (tables, or what its text will say) -------------
@dataclass
class _Target:
    rng: random.Random
    report: Report
    text: SeriesText
    before: _Chains  # the chains as they stood before this year


def _outcome_rows(report: Report) -> tuple[str, ...]:
    return _OUTCOMES[report.fmt][0]


def _t4_case(report: Report, row: str) -> None:
    """Make sure table 四 has a (decided) case in the row."""
    if report.t4[row][4] == 0:
        report.t4[row] = [1, 0, 0, 0, 1]


def _inject_t3_balance(x: _Target) -> None:
    c = x.rng.randrange(6)
    x.report.t3["new_received"][c] += 1
    x.report.t3["new_received"][6] += 1


def _inject_t3_row_total(x: _Target) -> None:
    t3, rows = x.report.t3, _outcome_rows(x.report)
    down = x.rng.choice([r for r in rows if t3[r][6] >= 1])
    up = x.rng.choice([r for r in rows if r != down])
    t3[up][6] += 1
    t3[down][6] -= 1


def _inject_t3_outcome_total(x: _Target) -> None:
    for c in (0, 6):
        x.report.t3["granted"][c] += 1


def _inject_t3_nonneg(x: _Target) -> None:
    t3, c = x.report.t3, x.rng.randrange(6)
    k = t3["noproc_repeat"][c] + 1
    for col in (c, 6):
        t3["noproc_repeat"][col] -= k
        t3["noproc_petition"][col] += k


def _inject_t3_zero_flow(x: _Target) -> None:
    c = x.rng.randrange(6)
    for col in (c, 6):
        x.report.t3["granted"][col] += 1
        x.report.t3["outcome_total"][col] += 1


def _inject_t3_carry_out_bound(x: _Target) -> None:
    t3 = x.report.t3
    more = t3["new_received"][0] + t3["carried_in"][0] + 1 - t3["carried_out"][0]
    t3["carried_out"][0] += more
    t3["carried_out"][6] += more


def _inject_drop_t3(x: _Target) -> None:
    x.text.drop_t3 = True


def _inject_t4_total(row: str) -> Callable[[_Target], None]:
    def inject(x: _Target) -> None:
        _t4_case(x.report, row)
        x.report.t4[row][4] += 1

    return inject


def _inject_t4_nonneg(x: _Target) -> None:
    review = x.report.t4["review"]
    review[1] += review[0] + 1
    review[0] = -1


def _inject_drop_t4(x: _Target) -> None:
    x.report.t4 = {row: [0] * 5 for row in keys.T4_ROWS}
    x.text.drop_t4 = True


def _set_t2(x: _Target, table_id: str, row: str, col: int, raw: str) -> None:
    x.report.t2[table_id][row][col] = raw


def _inject_t2_reg_level(x: _Target) -> None:
    x.report.t2["T2_1"]["regulation"] = ["1", "1", "0"] if x.report.fmt == keys.FMT2021 else ["1", "0", "0"]


def _inject_t2_valid_ge_net(x: _Target) -> None:
    made, repealed, valid = (int(v) for v in x.report.t2["T2_1"]["normative_doc"])
    x.report.t2["T2_1"]["normative_doc"] = [str(valid + repealed + 1), str(repealed), str(valid)]


def _inject_pubtotal_ge_new(x: _Target) -> None:
    made, published, total = (int(v) for v in x.report.t2["T2_1"]["normative_doc"])
    x.report.t2["T2_1"]["normative_doc"] = [str(max(made, total + 1)), str(total + 1), str(total)]


def _inject_items_after_change(x: _Target) -> None:
    before = int(x.report.t2["T2_5"]["license"][0])
    _set_t2(x, "T2_5", "license", 1, str(-(before + 1)))


def _inject_proc_zero(x: _Target) -> None:
    x.report.t2["T2_9"]["central_procurement"] = [str(x.rng.randint(1, 5)), "0"]


def _inject_proc_unit(x: _Target) -> None:
    items = x.rng.randint(1, 5)
    x.report.t2["T2_9"]["central_procurement"] = [str(items), str(items * x.rng.randint(1, 500) * 1000)]


def _inject_x_t4(x: _Target) -> None:
    x.report.t4["review"] = [1, 0, 0, 0, 1]


def _inject_fee_info_proc(x: _Target) -> None:
    t3 = x.report.t3
    source = [(r, c) for r in _outcome_rows(x.report) if r != "other_fee_unpaid" for c in range(6) if t3[r][c] >= 1]
    row, c = x.rng.choice(source)
    for col in (c, 6):
        t3[row][col] -= 1
        t3["other_fee_unpaid"][col] += 1
    x.text.s6_no_fee = True


def _inject_xr_carry(x: _Target) -> None:
    c = x.rng.randrange(6)
    for row in ("carried_in", "granted", "outcome_total"):
        for col in (c, 6):
            x.report.t3[row][col] += 1


def _inject_xr_pubtotal(x: _Target) -> None:
    made, _, _ = (int(v) for v in x.report.t2["T2_1"]["normative_doc"])
    x.report.t2["T2_1"]["normative_doc"] = [str(made), "0", str(x.before.published_total["normative_doc"] - 1)]


def _late(x: _Target, first: tuple[int, int], last: tuple[int, int], year: int | None = None) -> None:
    start = dt.date(year or x.report.year + 1, *first)
    days = (dt.date(year or x.report.year + 1, *last) - start).days
    x.text.published = start + dt.timedelta(days=x.rng.randint(0, days))


def _stated(key: str, value: Callable[[Report], int]) -> Callable[[_Target], None]:
    def inject(x: _Target) -> None:
        x.text.stated[key] = value(x.report) + 1

    return inject


def _with_case(row: str, then: Callable[[_Target], None]) -> Callable[[_Target], None]:
    def inject(x: _Target) -> None:
        _t4_case(x.report, row)
        then(x)

    return inject


def _set(**changes: object) -> Callable[[_Target], None]:
    def inject(x: _Target) -> None:
        for name, value in changes.items():
            setattr(x.text, name, value)

    return inject


def _nothing(x: _Target) -> None:
    """The violation is in how the series is laid out (its years, its format), not in the report's content."""


def _pending_review(x: _Target) -> None:
    review = x.report.t4["review"]
    review[3] += 1
    review[4] += 1


def _review_total(report: Report) -> int:
    return report.t4["review"][4]


def _lit_total(report: Report) -> int:
    return report.t4["lit_direct"][4] + report.t4["lit_after_review"][4]


INJECTORS: dict[str, Callable[[_Target], None]] = {
    "T3_BALANCE": _inject_t3_balance,
    "T3_ROW_TOTAL": _inject_t3_row_total,
    "T3_OUTCOME_TOTAL": _inject_t3_outcome_total,
    "T3_OUTCOME_TOTAL_2019": _inject_t3_outcome_total,
    "T3_NONNEG_INT": _inject_t3_nonneg,
    "T3_ZERO_FLOW": _inject_t3_zero_flow,
    "T3_CARRY_OUT_BOUND": _inject_t3_carry_out_bound,
    "T3_COMPLETE": _inject_drop_t3,
    "T3_COMPLETE_2019": _inject_drop_t3,
    "T4_REVIEW_TOTAL": _inject_t4_total("review"),
    "T4_LIT_DIRECT_TOTAL": _inject_t4_total("lit_direct"),
    "T4_LIT_AFTER_REVIEW_TOTAL": _inject_t4_total("lit_after_review"),
    "T4_NONNEG_INT": _inject_t4_nonneg,
    "T4_COMPLETE": _inject_drop_t4,
    "T2_NONNEG_INT": lambda x: _set_t2(x, "T2_6", "coercion", 0, "-1"),
    "T2_FEE_NONNEG": lambda x: _set_t2(x, "T2_8", "admin_fee", 0, f"-{x.rng.uniform(0.1, 5):.2f}"),
    "T2_FEE_UNIT": lambda x: _set_t2(x, "T2_8", "admin_fee", 0, f"{x.rng.randint(1200, 9000)}元"),
    "T2_FEE_PRECISION": lambda x: _set_t2(x, "T2_8", "admin_fee", 0, f"{x.rng.uniform(0.01, 20):.5f}1"),
    "T2_REG_LEVEL": _inject_t2_reg_level,
    "T2_VALID_GE_NET": _inject_t2_valid_ge_net,
    "T2_COMPLETE": lambda x: x.report.t2.pop("T2_5"),
    "T2_19_NONNEG": lambda x: _set_t2(x, "T2_6", "penalty", 2, "-1"),
    "T2_19_PUBTOTAL_GE_NEW": _inject_pubtotal_ge_new,
    "T2_19_ITEMS_AFTER_CHANGE": _inject_items_after_change,
    "T2_19_PROC_ZERO": _inject_proc_zero,
    "T2_19_PROC_UNIT": _inject_proc_unit,
    "T2_19_COMPLETE": lambda x: x.report.t2.pop("T2_9"),
    "X_T4_WITHOUT_APPS": _inject_x_t4,
    "S_SECTIONS": _set(drop_heading6=True),
    "S_FORMAT_DETECT": lambda x: x.report.t2.clear(),
    "S_FORMAT_YEAR": _nothing,
    "S_TITLE_YEAR": lambda x: setattr(x.text, "intro_year", x.report.year - 1),
    "S_PERIOD": _set(period_end="11月30日"),
    "S_ORG": _set(no_org=True),
    "S_SEC5_NONEMPTY": _set(s5_nothing=True),
    "S_SEC_MISPLACED": _set(s6_plan=True),
    "N_NO_APPS": _set(apps_none=True),
    "N_APPS_COUNT": _stated("received", lambda r: r.t3["new_received"][6] + r.t3["carried_in"][6]),
    "N_CARRY_IN": _stated("carried_in", lambda r: r.t3["carried_in"][6]),
    "N_CARRY_OUT": _stated("carried_out", lambda r: r.t3["carried_out"][6]),
    "N_OUTCOME": _stated("granted", lambda r: r.t3["granted"][6]),
    "N_NO_REVIEW_LIT": _with_case("review", _set(review_none=True)),
    "N_REVIEW_COUNT": _with_case("review", _stated("review", _review_total)),
    "N_LIT_COUNT": _with_case("lit_direct", _stated("lit", _lit_total)),
    "N_FEE_INFO_PROC": _inject_fee_info_proc,
    "N_BREAKDOWN_SUM": lambda x: setattr(x.text, "breakdown_off", x.rng.randint(1, 9)),
    "XR_CARRY": _inject_xr_carry,
    "XR_VALID": lambda x: _set_t2(x, "T2_1", "normative_doc", 2, str(int(x.report.t2["T2_1"]["normative_doc"][2]) + 1)),
    "XR_ITEMS_2019": lambda x: _set_t2(x, "T2_5", "license", 0, str(int(x.report.t2["T2_5"]["license"][0]) + 1)),
    "XR_PUBTOTAL_2019": _inject_xr_pubtotal,
    "XR_FORMAT_CONTINUITY": _nothing,
    "XR_DEADLINE_DEPT": lambda x: _late(x, (2, 5), (3, 28)),
    "XR_DEADLINE_GOV": lambda x: _late(x, (4, 5), (6, 28)),
    "XR_DEADLINE_TOWNSHIP": lambda x: _late(x, (2, 25), (3, 28)),
    "XR_DEADLINE_PRE2019": lambda x: _late(x, (4, 5), (6, 28)),
    "XR_DUP_TEXT": _set(s5_copy_previous=True),
    "XR_SEC5_FOLLOWUP": _set(s5_no_follow_up=True),
    "XR_MISSING_YEAR": _nothing,
    "XR_T4_PENDING": _with_case("review", _pending_review),
}
assert set(INJECTORS) == set(INJECTION_BY_RULE)


# ---- narrative of a series report -------------------------------------------------------------
def _grams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i : i + 5] for i in range(len(text) - 4)}


def jaccard(a: str, b: str) -> float:
    """XR_DUP_TEXT's similarity: Jaccard of character 5-grams, whitespace removed."""
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def _enumerated(rng: random.Random, pool: tuple[str, ...], k: int) -> str:
    picks = rng.sample(pool, k)
    return "；".join(f"{ENUMERATORS[i]}是{p}" for i, p in enumerate(picks)) + "。"


def _apps_text(report: Report, text: SeriesText, we: str) -> str:
    t3 = report.t3
    year = report.year
    new, carried_in = t3["new_received"][6], t3["carried_in"][6]
    if text.apps_none or (not new and not carried_in and not text.stated):
        sentence = f"{year}年，{we}未收到政府信息公开申请。"
    else:
        stated = text.stated
        denied = sum(t3[r][6] for r in keys.DENIED_ROWS)
        parts = [
            f"{year}年，{we}共收到政府信息公开申请{stated.get('received', new)}件",
            f"上年结转{stated.get('carried_in', carried_in)}件",
            f"办结{t3['outcome_total'][6]}件",
            f"其中予以公开{stated.get('granted', t3['granted'][6])}件",
        ]
        if t3["partly_granted"][6]:
            parts.append(f"部分公开{t3['partly_granted'][6]}件")
        if denied:
            parts.append(f"不予公开{denied}件")
        parts.append(f"结转下年度继续办理{stated.get('carried_out', t3['carried_out'][6])}件")
        sentence = "，".join(parts) + "，均按照法定程序和时限予以答复。"
    review, litigation = _review_total(report), _lit_total(report)
    review, litigation = text.stated.get("review", review), text.stated.get("lit", litigation)
    if text.review_none or not review + litigation:
        return sentence + "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    return sentence + f"全年因政府信息公开被申请行政复议{review}件，被提起行政诉讼{litigation}件。"


def _series_texts(
    rng: random.Random, report: Report, org: SeriesOrg, text: SeriesText, previous: SeriesText | None
) -> None:
    """Title, preamble, sections 一, 五, 六 and signature; 一, 五, 六 stay unlike last year's (XR_DUP_TEXT)."""
    year, we = report.year, org.we
    org_name = None if text.no_org else org
    # title
    title_kind = rng.random()
    if report.layout == PIPE and rng.random() < 0.7:
        text.title = None
    elif org_name is None or (org.township and title_kind < 0.2):
        text.title = f" {year}年政府信息公开工作年度报告"
    elif org.township and title_kind < 0.6:
        text.title = f"{org.county}{org.township}{year}年政府信息公开工作年度报告"
    elif org.township:
        text.title = f"{org.township}人民政府{year}年政府信息公开工作年度报告"
    else:
        text.title = f"{org.publisher}{year}{'年度' if rng.random() < 0.3 else '年'}政府信息公开工作年度报告"
    # preamble (with the statistics period)
    portal = (
        ""
        if org_name is None or not org.host
        else f"本报告电子版可在{org.portal}门户网站（http://www.{org.host}.gov.cn）查阅或下载。"
    )
    text.lead = (
        f"{'' if org_name is None else org.short}根据《中华人民共和国政府信息公开条例》"
        f"（以下简称《条例》）要求，现发布{year}年政府信息公开工作年度报告。{portal}"
        f"本报告所列数据统计期限为{year}年1月1日至{year}年{text.period_end}。"
    )
    # section 一
    portal_name = "政府门户网站" if org_name is None else f"{org.portal}门户网站"
    ctx = {
        "year": text.intro_year,
        "we": we,
        "org": org.short,
        "parent": org.parent,
        "county": org.county or org.city,
        "congress": "党的二十大" if year >= 2022 else "党的十九大和十九届历次全会",
        "n5": rng.randint(1, 4),
    }
    intros = [i for i in range(len(OVERVIEW_INTRO)) if not (org_name is None and "{org}" in OVERVIEW_INTRO[i])]
    for _ in range(30):
        parts = [rng.randint(5, 80), rng.randint(3, 40), rng.randint(1, 6)]
        total = sum(parts) + text.breakdown_off
        breakdown = (
            f"{year}年，{we}通过{portal_name}、政务微信公众号和政务公开栏共主动公开政府信息{total}条，"
            f"其中工作动态{parts[0]}条，通知公告{parts[1]}条，财政预决算信息{parts[2]}条。"
        )
        items = []
        for item, (item_title, pool) in enumerate(OVERVIEW_ITEMS):
            if item == 0:
                body = breakdown + _paragraph(rng, pool[1:], ctx, (1, 3))
            elif item == 1:
                body = _apps_text(report, text, we)
            else:
                body = _paragraph(rng, pool, ctx, (2, 4))
            items.append(f"（{CN_NUMERALS[item]}）{item_title}。{body}")
        s1 = [OVERVIEW_INTRO[rng.choice(intros)].format(**ctx), *items]
        if previous is None or jaccard("".join(s1), "".join(previous.s1)) < JACCARD_LIMIT:
            break
    text.s1 = s1
    # section 五
    if text.s5_nothing:
        text.s5 = ["无。"]
    elif text.s5_copy_previous and previous is not None:
        text.s5 = list(previous.s5)
    else:
        for _ in range(30):
            follow_up = "" if text.s5_no_follow_up else rng.choice(FOLLOW_UPS).format(we=we)
            s5 = [
                f"{year}年，{we}政府信息公开工作取得了一定成效，但还存在一些不足："
                + _enumerated(rng, PROBLEM_POOL, rng.randint(2, 4)),
                follow_up
                + f"下一步，{we}将按照《条例》规定及上级部署要求，重点做好以下工作："
                + _enumerated(rng, IMPROVEMENT_POOL, rng.randint(2, 4)),
            ]
            if previous is None or jaccard("".join(s5), "".join(previous.s5)) < JACCARD_LIMIT:
                break
        text.s5 = s5
    # section 六
    fee_notices = report.t3["other_fee_unpaid"][6] if report.fmt == keys.FMT2021 and not text.drop_t3 else 0
    if fee_notices and not text.s6_no_fee:
        text.s6 = FEE_NOTICE.format(n=fee_notices, we=we)
    elif text.s6_no_fee:
        text.s6 = "无"
    else:
        text.s6 = rng.choice([m for m in CLEAN_OTHER_MATTERS if previous is None or m != previous.s6])
    if text.s6_plan:
        text.s6 += f"下一步，{we}将进一步完善政府信息公开制度，不断提升政务公开质量。"
    # signature and date
    if text.published is None:
        last = {"county_dept": (1, 28), "county_gov": (3, 28), "prefecture_gov": (3, 28)}.get(org.kind, (2, 18))
        start = dt.date(year + 1, 1, 5)
        text.published = start + dt.timedelta(days=rng.randint(0, (dt.date(year + 1, *last) - start).days))
    if org_name is not None:
        text.signature = [org.signer, f"{text.published.year}年{text.published.month}月{text.published.day}日"]


def render_series(report: Report, text: SeriesText) -> tuple[str, str | None]:
    """Print a series report in its layout (tables as ``render`` prints them, the narrative of ``text``)."""
    rng = random.Random(f"render:{report.name}")
    t2_render, t3_render, t4_render = TABLE_RENDERERS[report.layout]
    style = "ascii_space" if report.layout == TSV and rng.random() < 0.5 else rng.choice(ENUM_STYLES)
    arabic_headings = report.layout == ONE_CELL and rng.random() < 0.6
    lines: list[str] = list(PAGE_CHROME_TOP) if report.layout == PIPE and text.title is None else ["", ""]
    if text.title is not None:
        lines += [text.title, ""]
    lines.append(text.lead)
    for number, titles in enumerate(SECTION_TITLES, start=1):
        heading = rng.choice(titles)
        if report.layout == TSV:
            lines.append("")
        if not (number == 6 and text.drop_heading6):
            lines.append(f"{number}、 {heading}" if arabic_headings else f"{CN_NUMERALS[number - 1]}、{heading}")
        if number == 1:
            lines += text.s1
        elif number == 2:
            lines += t2_render(rng, report) if report.t2 else []
        elif number == 3:
            lines += [] if text.drop_t3 else t3_render(rng, report, T3_LAYOUTS[report.fmt, style])
        elif number == 4:
            lines += [] if text.drop_t4 else t4_render(rng, report)
            lines.append(_review_text(report))
        elif number == 5:
            lines += text.s5
        else:
            lines.append(text.s6)
    lines += text.signature
    if report.layout == PIPE and text.title is None:
        lines += PAGE_CHROME_BOTTOM
    if report.layout == TSV:
        lines = [_tsv_prose(rng, line) if line and "\t" not in line else line for line in lines]
    out = "\n".join(lines) + "\n"
    if report.layout == PIPE:
        out = _ascii_punct(out)
    return out, None if text.title is None else text.title.strip()


@dataclass
class SeriesReport:
    """A report of a series, what its text says, and which rules must fail on it."""

    report: Report
    text: SeriesText
    series: int
    position: int
    injection: Injection | None  # the violation put in this report
    expect_fail: list[str]  # rules that must FAIL on this report (from its own or last year's injection)


@lru_cache(maxsize=64)
def draw_series(seed: int, series: int, inject: float) -> tuple[SeriesReport, ...]:
    """The reports of series ``series`` (indices series*5 … series*5+4), drawn year by year."""
    injection, years, target, kind = series_plan(seed, series, inject)
    org = _series_org(seed, series, kind)
    rng = random.Random(f"series:{seed}:{series}")
    busy_share = SERIES_BUSY[kind]
    t2_zero = 0.3 if kind != "township" and kind != "township_huaihua" else 0.75  # chance of a zero T2 count
    chains = _Chains(
        [0] * 6,
        {"regulation": rng.randint(5, 40) if org.may_make_rules else 0, "normative_doc": rng.randint(0, 30)},
        {"regulation": rng.randint(5, 40) if org.may_make_rules else 0, "normative_doc": rng.randint(1, 40)},
        {
            (t, r): _count(rng, t2_zero, 30)
            for t, rows in (
                ("T2_5", ("license", "other_external_service")),
                ("T2_6", ("penalty", "coercion")),
                ("T2_8", ("admin_fee",)),
            )
            for r in rows
        },
    )
    needs = {position: "" for position in range(SERIES_LENGTH)}
    if injection is not None and target is not None:
        needs[target] = injection.needs
    out: list[SeriesReport] = []
    previous_text: SeriesText | None = None
    expected_next: list[str] = []
    for position, year in enumerate(years):
        is_target = position == target
        fmt = _series_format(year, injection, is_target)
        index = series * SERIES_LENGTH + position
        name = f"ser{seed}_{index:06d}"
        busy = needs[position] == "busy" or (needs[position] != "zero" and rng.random() < busy_share)
        close_out = position + 1 < SERIES_LENGTH and needs[position + 1] == "zero"
        before = _Chains(list(chains.carried), dict(chains.valid), dict(chains.published_total), dict(chains.items))
        t3_21 = _series_t3(rng, chains.carried, busy, 40 if kind != "township" else 6, close_out)
        t2 = _series_t2(rng, org, chains, t2_zero)[fmt]
        t4 = _series_t4(rng, t3_21["new_received"][6] + t3_21["carried_in"][6], SERIES_T4_ACTIVE[kind])
        report = Report(
            name=name,
            year=year,
            fmt=fmt,
            layout=rng.choices(tuple(LAYOUT_WEIGHTS), tuple(LAYOUT_WEIGHTS.values()))[0],
            encoding="gb18030" if rng.random() < 0.1 else "utf-8",
            org=org,
            t2=t2,
            t3=_t3_in_format(t3_21, fmt),
            t4=t4,
        )
        text = SeriesText(intro_year=year)
        expect = list(expected_next)
        expected_next = []
        if is_target and injection is not None:
            INJECTORS[injection.rule](_Target(random.Random(f"series:{seed}:{series}:inject"), report, text, before))
            expect += [rule for offset, rule in injection.expected if offset == 0]
            expected_next = [rule for offset, rule in injection.expected if offset == 1]
            report.anomalies.append({"rule": injection.rule, "how": injection.how})
        _rechain(report, chains)
        _series_texts(rng, report, org, text, previous_text)
        out.append(SeriesReport(report, text, series, position, injection if is_target else None, sorted(set(expect))))
        previous_text = text
    return tuple(out)


def _series_truth(item: SeriesReport, report: Report, file_name: str, title: str | None) -> dict[str, object]:
    org = report.org
    truth = _truth(report, file_name, title)
    if item.text.drop_t3:
        truth["tables"].pop("T3")
    if item.text.drop_t4:
        truth["tables"].pop("T4")
    truth.update(
        {
            "publisher": None if item.text.no_org else org.publisher,
            "publisher_kind": org.kind,
            "series": item.series,
            "series_position": item.position,
            "published_on": None if item.text.no_org else item.text.published.isoformat(),
            "injection": None
            if item.injection is None
            else {"rule": item.injection.rule, "family": item.injection.family, "how": item.injection.how},
            "expect_fail": item.expect_fail,
        }
    )
    return truth


def generate(
    n: int,
    out_dir: Path,
    seed: int = 0,
    *,
    truth_dir: Path | None = None,
    start: int = 0,
    duplicates: int = 0,
    series: bool = False,
    inject: float = 0.0,
) -> list[Path]:
    """Write reports ``start .. start+n-1`` to ``out_dir`` and their truth files to ``truth_dir`` (default ``out_dir``).

    ``duplicates`` extra files are byte-identical copies of randomly chosen reports under new names; the
    copy -> original mapping goes to ``truth_dir/duplicates.json``. Returns the report paths written.
    ``series``: reports ``5s … 5s+4`` are one publisher's reports of consecutive years (``draw_series``), and a
    share ``inject`` of the series carries one known violation (truth key ``expect_fail``).
    """
    out_dir, truth_dir = Path(out_dir), Path(truth_dir or out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        if series:  # draw_series is cached and rendering notes quirks in the report: render a copy
            item = draw_series(seed, index // SERIES_LENGTH, inject)[index % SERIES_LENGTH]
            report = dataclasses.replace(item.report, quirks=list(item.report.quirks))
            text, title = render_series(report, item.text)
        else:
            report = draw_report(seed, index)
            text, title = render(report)
        path = out_dir / f"{report.name}.txt"
        path.write_bytes(text.encode(report.encoding))
        truth = _series_truth(item, report, path.name, title) if series else _truth(report, path.name, title)
        (truth_dir / f"{report.name}.truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        paths.append(path)
    if duplicates and paths:
        rng = random.Random(f"duplicates:{seed}:{start}")
        copies = {}
        for number in range(duplicates):
            original = rng.choice(paths[:n])
            copy = out_dir / f"{original.stem}_copy{number}.txt"
            shutil.copyfile(original, copy)
            copies[copy.name] = original.name
            paths.append(copy)
        (truth_dir / "duplicates.json").write_text(json.dumps(copies, indent=1), encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of reports")
    parser.add_argument("out_dir", type=Path, help="directory for the report .txt files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--truth-dir", type=Path, help="directory for <name>.truth.json (default: out_dir)")
    parser.add_argument("--start", type=int, default=0, help="index of the first report (to add new reports later)")
    parser.add_argument("--duplicates", type=int, default=0, metavar="K", help="also write K byte-identical copies")
    parser.add_argument(
        "--series",
        action="store_true",
        help="five consecutive years (2019-2023) of one publisher per series, consistent across years",
    )
    parser.add_argument(
        "--inject",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="with --series: share of series given one known violation (default 0)",
    )
    args = parser.parse_args(argv)
    if args.inject and not args.series:
        parser.error("--inject needs --series")
    began = time.perf_counter()
    paths = generate(
        args.n,
        args.out_dir,
        args.seed,
        truth_dir=args.truth_dir,
        start=args.start,
        duplicates=args.duplicates,
        series=args.series,
        inject=args.inject,
    )
    elapsed = time.perf_counter() - began
    print(
        f"wrote {len(paths)} reports to {args.out_dir} in {elapsed:.2f} s "
        f"({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
