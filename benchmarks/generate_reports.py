"""Generate synthetic 政府信息公开工作年度报告 text files, each with a ground-truth JSON file.

The reports imitate the seed corpus (format_spec.md §7.2–7.3): three text layouts (``tsv_block``,
``one_cell_per_line``, ``pipe_html_scrape``), the 2021 and 2019 table formats, township and county
department publishers, and the irregularities parsers must survive (shifted rows, wrapped labels,
blank totals, U+2002 padding, colspan residue, GB18030 encoding).

Every report is generated from its own RNG seeded by ``(seed, index)``, so output is deterministic
and report ``i`` is the same whatever ``n`` is.

Usage::

    python benchmarks/generate_reports.py 1000 /tmp/inbox --truth-dir /tmp/truth --seed 7 --duplicates 5
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gongkai import keys

TSV, ONE_CELL, PIPE = "tsv_block", "one_cell_per_line", "pipe_html_scrape"
LAYOUT_WEIGHTS = {TSV: 60, ONE_CELL: 20, PIPE: 20}

# ---- publishers -------------------------------------------------------------------------------
# (province, city, county, portal host label, townships)
REGIONS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("宁夏回族自治区", "吴忠市", "利通区", "ltq",
     ("上桥镇", "古城镇", "金银滩镇", "高闸镇", "扁担沟镇", "金积镇", "东塔寺乡", "郭家桥乡", "马莲渠乡")),
    ("河南省", "南阳市", "内乡县", "neixiang",
     ("赤眉镇", "城关镇", "湍东镇", "马山口镇", "夏馆镇", "师岗镇", "王店镇", "灌涨镇", "余关乡", "板场乡")),
    ("河南省", "洛阳市", "孟津区", "mengjin", ("城关镇", "会盟镇", "平乐镇", "白鹤镇", "朝阳镇", "麻屯镇", "常袋镇", "横水镇")),
    ("青海省", "黄南藏族自治州", "泽库县", "zeku", ("泽曲镇", "麦秀镇", "和日镇", "宁秀镇", "王家乡", "西卜沙乡", "多禾茂乡")),
    ("广西壮族自治区", "钦州市", "钦北区", "qinbei",
     ("长滩镇", "小董镇", "板城镇", "那蒙镇", "大寺镇", "大直镇", "贵台镇", "新棠镇", "大垌镇", "平吉镇")),
    ("浙江省", "杭州市", "临安区", "linan",
     ("於潜镇", "太湖源镇", "昌化镇", "龙岗镇", "河桥镇", "湍口镇", "清凉峰镇", "岛石镇", "板桥镇", "高虹镇", "太阳镇",
      "天目山镇")),
    ("四川省", "绵阳市", "三台县", "santai", ("潼川镇", "芦溪镇", "西平镇", "刘营镇", "塔山镇", "观桥镇", "新德镇", "鲁班镇")),
    ("湖南省", "怀化市", "麻阳苗族自治县", "mayang", ("高村镇", "锦和镇", "郭公坪镇", "兰里镇", "吕家坪镇", "岩门镇", "尧市镇")),
    ("山东省", "临沂市", "沂水县", "yishui", ("沂水镇", "许家湖镇", "黄山铺镇", "诸葛镇", "高桥镇", "马站镇", "院东头镇")),
    ("江西省", "赣州市", "于都县", "yudu", ("贡江镇", "铁山垅镇", "盘古山镇", "禾丰镇", "祁禄山镇", "银坑镇", "岭背镇")),
    ("河北省", "保定市", "涞源县", "laiyuan", ("涞源镇", "银坊镇", "走马驿镇", "水堡镇", "王安镇", "杨家庄镇", "白石山镇")),
    ("甘肃省", "天水市", "秦安县", "qinan", ("兴国镇", "莲花镇", "西川镇", "陇城镇", "郭嘉镇", "五营镇")),
    ("云南省", "大理白族自治州", "宾川县", "binchuan", ("金牛镇", "宾居镇", "州城镇", "大营镇", "鸡足山镇", "力角镇", "乔甸镇")),
    ("安徽省", "宣城市", "宁国市", "ningguo", ("港口镇", "梅林镇", "中溪镇", "南极乡", "霞西镇", "甲路镇", "胡乐镇")),
    ("湖北省", "黄冈市", "麻城市", "macheng", ("龟山镇", "宋埠镇", "歧亭镇", "白果镇", "夫子河镇", "中馆驿镇", "木子店镇")),
    ("贵州省", "遵义市", "湄潭县", "meitan", ("永兴镇", "复兴镇", "马山镇", "高台镇", "茅坪镇", "兴隆镇")),
    ("陕西省", "延安市", "志丹县", "zhidan", ("旦八镇", "金丁镇", "永宁镇", "义正镇", "顺宁镇", "杏河镇")),
    ("福建省", "南平市", "建瓯市", "jianou", ("徐墩镇", "吉阳镇", "房道镇", "南雅镇", "迪口镇", "小桥镇", "玉山镇")),
    ("黑龙江省", "绥化市", "海伦市", "hailun", ("海北镇", "伦河镇", "共合镇", "海兴镇", "祥富镇", "东风镇")),
    ("内蒙古自治区", "赤峰市", "翁牛特旗", "wengniute", ("乌丹镇", "梧桐花镇", "海拉苏镇", "亿合公镇", "广德公镇")),
)
DEPARTMENTS = ("市场监督管理局", "自然资源局", "人力资源和社会保障局", "住房和城乡建设局", "农业农村局", "卫生健康局",
               "民政局", "教育局")
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
T3_GROUPS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "noproc": "（五）不予处理", "other": "（六）其他处理"}
T3_TOP_LABELS = {"new_received": "一、本年新收政府信息公开申请数量", "carried_in": "二、上年结转政府信息公开申请数量",
                 "carried_out": "四、结转下年度继续办理"}
T3_L2_LABELS = {"granted": "（一）予以公开", "partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                "other_processing": "（六）其他处理", "outcome_total": "（七）总计"}
T3_SUB_LABELS = {
    key: keys.T3_ROW_LABELS[key].split(" ", 1)[1]
    for key in keys.DENIED_ROWS + keys.UNABLE_ROWS + keys.NOPROC_ROWS + keys.OTHER_ROWS_2021
}
T3_SUB_LABELS["other_no_correction"] = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
T3_SUB_LABELS["other_fee_unpaid"] = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
T3_ORG_COLS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
SPACED_HEADERS = {"自然人": "自 然 人", "商业企业": "商业 企业", "科研机构": "科研 机构", "社会公益组织": "社会公 益组织",
                  "法律服务机构": "法律服 务机构", "结果维持": "结果 维持", "结果纠正": "结果 纠正", "其他结果": "其他 结果",
                  "尚未审结": "尚未 审结", T3_RESULTS: "三、本 年度 办理 结果", "（三）不予公开": "（三） 不 予 公 开"}
T4_RESULT_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# Header cells that one_cell_per_line exports split over two lines (seed 003).
WRAPPED_HEADERS = {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量",
                   "上一年项目数量": "上一年\n项目数量", "采购项目数量": "采购\n项目数量",
                   "本年处理决定数量": "本年处理\n决定数量", "现行有效件数": "现行有效\n件数"}

# Per format: (table_id, caption numeral, column headers, ((row_key, row label), ...)).
T2_BLOCKS: dict[str, tuple[tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...]] = {
    keys.FMT2021: (
        ("T2_1", "一", ("本年制发件数", "本年废止件数", "现行有效件数"),
         (("regulation", "规章"), ("normative_doc", "行政规范性文件"))),
        ("T2_5", "五", ("本年处理决定数量",), (("license", "行政许可"),)),
        ("T2_6", "六", ("本年处理决定数量",), (("penalty", "行政处罚"), ("coercion", "行政强制"))),
        ("T2_8", "八", ("本年收费金额（单位：万元）",), (("admin_fee", "行政事业性收费"),)),
    ),
    keys.FMT2019: (
        ("T2_1", "一", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
         (("regulation", "规章"), ("normative_doc", "规范性文件"))),
        ("T2_5", "五", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("license", "行政许可"), ("other_external_service", "其他对外管理服务事项"))),
        ("T2_6", "六", ("上一年项目数量", "本年增/减", "处理决定数量"), (("penalty", "行政处罚"), ("coercion", "行政强制"))),
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
    kind: str          # "top" (colspan 3), "l2" (under 三、, colspan 2) or "l3" (group + sub-label)
    label: str         # own label (the sub-label for l3 rows)
    group: str = ""    # group label of an l3 row
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
            rows.append(T3Row(key, "l3", _styled(T3_SUB_LABELS[key], style), _styled(group, style), group not in seen_groups))
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
    ("主动公开情况", (
        "{year}年，{we}通过{county}人民政府门户网站、政务微信公众号和政务公开栏主动公开政府信息{n1}条，其中工作动态{n2}条，通知公告{n3}条，财政预决算信息{n4}条。",
        "围绕群众关心关注的问题，{we}坚持应公开尽公开，重点做好惠民惠农政策、乡村振兴、安全生产、疫情防控等领域信息的发布。",
        "严格按照政府信息公开的内容、时限和程序要求，规范政府信息公开流程，做到及时、准确、全面地公开各类政府信息。",
        "及时公开年度部门预算、决算和“三公”经费情况，主动接受社会监督。",
    )),
    ("依申请公开情况", ()),
    ("政府信息管理情况", (
        "{we}认真贯彻落实《条例》，安排专人负责政府信息公开工作，建立健全政务信息制作、公开、存档等制度，不断完善政务信息常态化管理机制。",
        "明确分管领导和责任办公室，严格执行信息发布“三审三校”制度，严把公开内容，规范公开流程，充分保证信息发布的准确性和规范性。",
        "年内{we}更新了政府信息主动公开标准目录和政府信息公开指南，明确了政府信息公开的范围、形式和时限。",
        "对拟公开的政府信息严格进行保密审查，做到涉密信息不上网，上网信息不涉密。",
    )),
    ("政府信息公开平台建设情况", (
        "{we}现有政务新媒体{n5}个，通过及时转发党中央、国务院重要政务动态和政策解读，努力打造公众指尖上的数字政府。",
        "坚持把网络问政作为解决群众诉求的主通道，对通过12345热线、政府门户网站等渠道收到的留言逐一办理，做到件件有落实。",
        "在便民服务大厅设置政务公开专区和公示栏，及时公开惠民政策、办事指南等信息，同时利用各村（社区）公示栏发布惠民惠农政策信息。",
        "进一步整合优化政府信息公开平台，围绕公众关切梳理各类信息，建设相关专题，使群众获取信息更加便捷。",
    )),
    ("监督保障情况", (
        "成立以主要负责同志为组长的政务公开工作领导小组，把政府信息公开工作纳入重要议事日程，研究存在的问题，提出整改措施。",
        "把政府信息公开工作纳入年度考核范围，通过群众评议、监督评议等形式开展社会评议，并公开评议结果。",
        "{year}年{we}未发生因信息公开工作开展不当被责任追究的情况。",
        "指定专人负责政务公开工作，主要职责包括具体承办信息公开事项、维护和更新政府信息、编制信息公开年度报告等。",
    )),
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
    org: Org
    t2: dict[str, dict[str, list[str]]]              # table -> row -> raw cell texts
    t3: dict[str, list[int | None]]                  # row -> 7 values (None = blank)
    t4: dict[str, list[int]]                         # row -> 5 values
    quirks: list[str] = field(default_factory=list)
    anomalies: list[dict[str, object]] = field(default_factory=list)


_OUTCOME_WEIGHTS = {"granted": 50, "partly_granted": 8, "denied_third_party": 2, "denied_process_info": 2,
                    "unable_not_held": 15, "unable_need_creation": 3, "unable_still_unclear": 2, "noproc_petition": 3,
                    "noproc_repeat": 3, "other_no_correction": 2, "other_misc": 2, "other_processing": 4}
_OUTCOMES = {fmt: (rows, [_OUTCOME_WEIGHTS.get(r, 1) for r in rows]) for fmt, rows in
             ((keys.FMT2021, keys.OUT21), (keys.FMT2019, keys.OUT19))}
_COL_ACTIVITY = (0.95, 0.35, 0.05, 0.1, 0.15, 0.1)   # chance an applicant column has applications


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
    return [col for c, col in enumerate(keys.T3_COLS)
            if table["new_received"][c] + table["carried_in"][c] != table["outcome_total"][c] + table["carried_out"][c]]


def _t4_values(rng: random.Random, active: bool) -> dict[str, list[int]]:
    table = {}
    for row, chance in zip(keys.T4_ROWS, (0.6, 0.4, 0.2), strict=True):
        counts = [rng.choice((0, 0, 1, 1, 2)) for _ in range(4)] if active and rng.random() < chance else [0] * 4
        table[row] = counts + [sum(counts)]
    return table


def _count(rng: random.Random, p_zero: float, hi: int) -> int:
    return 0 if rng.random() < p_zero else rng.randint(1, hi)


def _fee(rng: random.Random) -> str:
    """本年收费金额 in 万元: mostly zero, sometimes with 4 to 6 decimals."""
    roll = rng.random()
    if roll < 0.8:
        return "0"
    if roll < 0.88:
        return rng.choice(("0.00", "0.0000"))
    return f"{rng.uniform(0.001, 30):.{rng.randint(4, 6)}f}"


def _signed(rng: random.Random, value: int) -> str:
    return f"+{value}" if value > 0 and rng.random() < 0.5 else str(value)


def _t2_values(rng: random.Random, fmt: str, dept: bool) -> dict[str, dict[str, list[str]]]:
    busy = 0.3 if dept else 0.75   # chance of a zero count
    if fmt == keys.FMT2021:
        made = _count(rng, busy, 5)
        repealed = _count(rng, 0.7, 2)
        return {
            "T2_1": {"regulation": ["0", "0", "0"],
                     "normative_doc": [str(made), str(repealed), str(max(made - repealed, 0) + _count(rng, 0.3, 12))]},
            "T2_5": {"license": [str(_count(rng, busy, 400 if dept else 60))]},
            "T2_6": {"penalty": [str(_count(rng, busy, 120 if dept else 20))], "coercion": [str(_count(rng, 0.9, 5))]},
            "T2_8": {"admin_fee": [_fee(rng)]},
        }
    t2: dict[str, dict[str, list[str]]] = {}
    made = _count(rng, busy, 12)
    published = rng.randint(0, made)
    t2["T2_1"] = {"regulation": ["0", "0", "0"],
                  "normative_doc": [str(made), str(published), str(published + _count(rng, 0.3, 40))]}
    for table_id, rows in (("T2_5", ("license", "other_external_service")), ("T2_6", ("penalty", "coercion")),
                           ("T2_8", ("admin_fee",))):
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
    org = Org(province, city, county, host, None if dept else rng.choice(townships),
              rng.choice(DEPARTMENTS) if dept else None)
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
        name=f"syn{seed}_{index:06d}", year=year, fmt=fmt, layout=layout,
        encoding="gb18030" if rng.random() < 0.1 else "utf-8", org=org,
        t2=_t2_values(rng, fmt, dept), t3=t3, t4=_t4_values(rng, active=rng.random() < (0.15 if dept else 0.03)),
        quirks=quirks, anomalies=anomalies)


def truth_tables(report: Report) -> tuple[Tables, Tables]:
    """Every T2/T3/T4 cell as {table_id: {row_key: {col_key: value}}} (None when blank), and the printed
    text of the cells whose text differs from their value ("+3", "12.5万元")."""
    tables: Tables = {}
    printed: Tables = {}
    for table_id, rows in report.t2.items():
        cols = keys.T2_DEFAULT_COLS[report.fmt][table_id]
        tables[table_id] = {row: {col: _t2_value(raw) for col, raw in zip(cols, raws, strict=True)} for row, raws in rows.items()}
        for row, raws in rows.items():
            for col, raw in zip(cols, raws, strict=True):
                if raw != tables[table_id][row][col]:
                    printed.setdefault(table_id, {}).setdefault(row, {})[col] = raw
    tables["T3"] = {row: {col: None if v is None else str(v) for col, v in zip(keys.T3_COLS, values, strict=True)}
                    for row, values in report.t3.items()}
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


def _t2_tsv(rng: random.Random, report: Report) -> list[str]:
    rows: list[list[str] | None] = []
    for table_id, numeral, headers, data in T2_BLOCKS[report.fmt]:
        rows += [[f"第二十条第（{numeral}）项"], ["信息内容", *headers]]
        rows += [[label, *report.t2[table_id][row]] for row, label in data]
    if rng.random() < 0.1:
        rows.insert(rng.randrange(2, len(rows)), None)
    if rng.random() < 0.2:   # a page break: lines after it lose their padding (seed 001)
        cut = rng.randrange(len(rows) // 2, len(rows))
        return _pad(rows[:cut], 4) + [""] + ["\t".join(r) for r in rows[cut:] if r is not None]
    return _pad(rows, 4)


def _t2_one_cell(rng: random.Random, report: Report) -> list[str]:
    lines: list[str] = []
    caption = "第二十条（第{}项）" if rng.random() < 0.5 else "第二十条第（{}）项"
    wrap = rng.random() < 0.7
    for table_id, numeral, headers, data in T2_BLOCKS[report.fmt]:
        lines += [f"\t{caption.format(numeral)}", "", "\t信息内容"]
        lines += [f"\t{WRAPPED_HEADERS.get(h, h) if wrap else h}" for h in headers]
        lines.append("")
        for row, label in data:
            lines += [f"\t{label}", *(f"\t{v}" for v in report.t2[table_id][row]), ""]
    return lines


def _t2_pipe(rng: random.Random, report: Report) -> list[str]:
    lines: list[str] = []
    for table_id, numeral, headers, data in T2_BLOCKS[report.fmt]:
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
    blocks: list[list[list[str] | None]] = [[
        [T3_NOTE, "", "申请人情况", "", "", "", "", "", "总计"],
        ["", "", spaced.get("自然人", "自然人"), "法人或其他组织"],
        ["", "", "", *(spaced.get(h, h) for h in T3_ORG_COLS)],
    ]]
    for row in layout:
        if row.key == split_at:
            blocks.append([])
            report.quirks.append("t3_second_block")
        in_second = len(blocks) > 1
        if row.kind == "top":
            labels = [row.label, ""]
        elif row.kind == "l2":
            labels = [row.label, ""] if in_second else [spaced.get(T3_RESULTS, T3_RESULTS) if row.first else "", row.label]
        else:
            group = spaced.get(row.group, row.group) if row.first else ""
            labels = [group, row.label] if in_second else ["", group, row.label]
        if row.kind != "top":
            labels += extra_pad
        if row.kind != "top" and not row.first and labels[0] == "" and rng.random() < 0.04:
            labels = [row.label]   # left-shifted row (seed 000 "7. 属于行政执法案卷")
            report.quirks.append(f"t3_left_shift:{row.key}")
        continuation = None
        if len(row.label) > 20 and rng.random() < 0.12:   # wrapped label (seed 002)
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
    lines = [f"\t{note}", "\t申请人情况", "", "\t", "\t自然人", "\t法人或其他组织", "\t总计", "", "\t", "\t",
             *(f"\t{h}" for h in T3_ORG_COLS), "\t", ""]
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
    return _pad([["行政复议", "", "", "", "", "行政诉讼"], heads + ["未经复议直接起诉", "", "", "", "", "复议后起诉"],
                 [""] * 5 + heads * 2, _t4_cells(report)], 15)


def _t4_one_cell(rng: random.Random, report: Report) -> list[str]:
    vertical = rng.random() < 0.6
    heads = ["\t" + ("\n".join(h) if vertical else h) for h in T4_RESULT_HEADERS]
    return ["\t行政复议", "\t行政诉讼", "", *heads, "\t未经复议直接起诉", "\t复议后起诉", "", *(["\t"] * 5), *heads, *heads, "",
            *(f"\t{v}" for v in _t4_cells(report)), ""]


def _t4_pipe(rng: random.Random, report: Report) -> list[str]:
    heads = list(T4_RESULT_HEADERS)
    return (_pipe_row(["行政复议", "行政诉讼"], 15) + _pipe_row(heads + ["未经复议直接起诉", "复议后起诉"], 15)
            + _pipe_row(heads * 2, 15) + _pipe_row(_t4_cells(report), 15))


TABLE_RENDERERS = {
    TSV: (_t2_tsv, _t3_tsv, _t4_tsv),
    ONE_CELL: (_t2_one_cell, _t3_one_cell, _t4_one_cell),
    PIPE: (_t2_pipe, _t3_pipe, _t4_pipe),
}


# ---- whole report -----------------------------------------------------------------------------
def _paragraph(rng: random.Random, pool: tuple[str, ...], ctx: dict[str, object], k: tuple[int, int],
               enumerated: bool = False) -> str:
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
    ctx = {"year": year, "we": org.we, "org": org.short, "parent": org.parent, "county": org.county,
           "congress": "党的二十大" if year >= 2022 else "党的十九大和十九届历次全会",
           "n1": rng.randint(20, 400), "n2": rng.randint(5, 80), "n3": rng.randint(3, 40), "n4": rng.randint(1, 6),
           "n5": rng.randint(1, 4)}
    t2_render, t3_render, t4_render = TABLE_RENDERERS[report.layout]
    style = "ascii_space" if report.layout == TSV and rng.random() < 0.5 else rng.choice(ENUM_STYLES)
    arabic_headings = report.layout == ONE_CELL and rng.random() < 0.6
    title = _title(rng, report)
    lines: list[str] = list(PAGE_CHROME_TOP) if report.layout == PIPE and title is None else ["", ""]
    if title is not None:
        lines += [title, ""]
    if rng.random() < 0.4 or title is None or org.short not in title:
        lines.append(f"{org.short}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，现发布{year}年政府信息公开工作年度报告。"
                     f"本报告电子版可在{org.county}人民政府门户网站（http://www.{org.host}.gov.cn）查阅或下载。"
                     f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。")
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
            lines.append(f"{year}年，{org.we}政府信息公开工作取得了一定成效，但还存在一些不足。"
                         + _paragraph(rng, PROBLEMS, ctx, (2, 4), enumerated=True))
            lines.append(_paragraph(rng, IMPROVEMENTS, ctx, (2, 4), enumerated=True))
        else:
            lines.append(rng.choice(OTHER_MATTERS))
    if title is None or rng.random() < 0.2:
        signer = org.publisher if org.department else f"{org.county}{org.publisher}"
        lines += [signer, f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"]
    if report.layout == PIPE and title is None:
        lines += PAGE_CHROME_BOTTOM
    if report.layout == TSV:   # seeds 000–002: blank line after each text line, punctuation sometimes ASCII
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
        "file": file_name, "encoding": report.encoding, "layout": report.layout, "format": report.fmt,
        "year": report.year, "title": title, "publisher": org.publisher, "province": org.province, "city": org.city,
        "county": org.county, "township": org.township, "quirks": report.quirks, "anomalies": report.anomalies,
        "tables": tables, "printed": printed,
    }


def generate(n: int, out_dir: Path, seed: int = 0, *, truth_dir: Path | None = None, start: int = 0,
             duplicates: int = 0) -> list[Path]:
    """Write reports ``start .. start+n-1`` to ``out_dir`` and their truth files to ``truth_dir`` (default ``out_dir``).

    ``duplicates`` extra files are byte-identical copies of randomly chosen reports under new names; the
    copy -> original mapping goes to ``truth_dir/duplicates.json``. Returns the report paths written.
    """
    out_dir, truth_dir = Path(out_dir), Path(truth_dir or out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        report = draw_report(seed, index)
        text, title = render(report)
        path = out_dir / f"{report.name}.txt"
        path.write_bytes(text.encode(report.encoding))
        (truth_dir / f"{report.name}.truth.json").write_text(
            json.dumps(_truth(report, path.name, title), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
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
    args = parser.parse_args(argv)
    began = time.perf_counter()
    paths = generate(args.n, args.out_dir, args.seed, truth_dir=args.truth_dir, start=args.start,
                     duplicates=args.duplicates)
    elapsed = time.perf_counter() - began
    print(f"wrote {len(paths)} reports to {args.out_dir} in {elapsed:.2f} s "
          f"({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
