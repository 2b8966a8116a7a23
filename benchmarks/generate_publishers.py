"""Generate synthetic annual reports whose publishers are real regions, with a truth file for the region resolver.

Each report is a complete 政府信息公开工作年度报告 (tables drawn and printed by ``generate_reports.py``) whose
publisher is a real unit of ``data_lake/reference/regions/regions.parquet``: a township government, a street
office, a development-zone committee, a county government, office or department, a prefecture government or
department, or a provincial office or department. The unit is valid in the report year (2019–2023: an NBS
vintage of that year; 2024: NBS 2023 or MCA 2025, so MCA-only units get 2024).

What a report says about where it comes from varies (the clues, listed per file in the truth): a title with
the county prefix, the bare organ name, no organ or no title; a signature with or without the county and a
publication date in the following year; a statistics-period statement; the county or city portal URL; a
contact address; "县委、县政府" wording that matches the county's type; mentions of the county, city or
province; misleading mentions (a neighbouring county, 河南县). About 30 % of townships bear a name shared by
several townships (城关镇 ×80…), and about 5 % of files carry nothing but such a name (``ambiguous_by_design``).
Portal host names, postal codes and telephone area codes are real ones from ``clues.parquet`` (next to the
region table); without that table these three clues are left out.

Report ``i`` depends only on ``(seed, i)``.

Usage::

    python benchmarks/generate_publishers.py 600 /tmp/pubs --seed 11
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq

import generate_reports as gr
from gongkai import keys
from gongkai.regions.names import ETHNIC_GROUPS, ShortFormRule, short_form
from gongkai.regions.reference import DEFAULT_PATH, load_regions

CLUES_PATH = DEFAULT_PATH.with_name("clues.parquet")
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
YEAR_WEIGHTS = (1.0, 1.0, 1.5, 2.0, 2.0, 1.5)
LAST_NBS_VINTAGE = 2023
EXCLUDED_PROVINCES = ("香港特别行政区", "澳门特别行政区")

# ---- kinds of publisher -----------------------------------------------------------------------
# kind -> (org_type, admin_level, weight)
KINDS: dict[str, tuple[str, str, int]] = {
    "township_gov": ("people_gov", "township", 44),
    "street": ("subdistrict_office", "township", 14),
    "dev_zone": ("dev_zone_committee", "township", 2),
    "county_gov": ("people_gov", "county", 4),
    "county_office": ("gov_office", "county", 2),
    "county_dept": ("department", "county", 20),
    "prefecture_gov": ("people_gov", "prefecture", 2),
    "prefecture_dept": ("department", "prefecture", 8),
    "province_office": ("gov_office", "province", 1),
    "province_dept": ("department", "province", 3),
}
COUNTY_DEPARTMENTS = (
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
PREFECTURE_DEPARTMENTS = (
    "发展和改革委员会",
    "教育局",
    "财政局",
    "民政局",
    "生态环境局",
    "住房和城乡建设局",
    "市场监督管理局",
    "自然资源和规划局",
    "交通运输局",
    "卫生健康委员会",
    "审计局",
)
PROVINCE_DEPARTMENTS = (
    "教育厅",
    "财政厅",
    "民政厅",
    "司法厅",
    "自然资源厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "水利厅",
    "农业农村厅",
    "卫生健康委员会",
    "市场监督管理局",
    "统计局",
)
MUNICIPALITY_DEPARTMENTS = (
    "教育委员会",
    "财政局",
    "民政局",
    "司法局",
    "交通委员会",
    "水务局",
    "农业农村局",
    "卫生健康委员会",
    "市场监督管理局",
    "统计局",
)

# ---- township sampling ------------------------------------------------------------------------
FAMOUS_NAMES = (
    "城关镇",
    "太平镇",
    "长滩镇",
    "古城镇",
    "兴隆镇",
    "新城镇",
    "城关街道",
    "东城街道",
    "城南街道",
    "城东街道",
    "新城街道",
    "西城街道",
)
SEED_TOWNSHIPS = (
    "640302:利通区/上桥镇",
    "411325:内乡县/赤眉镇",
    "410308:孟津区/城关镇",
    "632323:泽库县/泽曲镇",
    "450703:钦北区/长滩镇",
)
# Where a township or street is drawn from (cumulative shares): the five seed cases, famous shared names,
# other shared names, units absent from MCA 2025 (historical), and names unique in the report year.
TOWNSHIP_POOLS = (("seed", 0.03), ("famous", 0.15), ("shared", 0.26), ("historical", 0.36), ("unique", 1.0))
NO_CLUE_SHARE = 0.05

_TOWNSHIP_NAME = re.compile(r"[\u4e00-\u9fff]{2,}(?:镇|乡|苏木)")
_STREET_NAME = re.compile(r"[\u4e00-\u9fff]{2,}街道")
_ZONE_NAME = re.compile(r"[\u4e00-\u9fff]{2,}(?:开发区|工业园区)")
_COUNTY_NAME = re.compile(r"[\u4e00-\u9fff]+(?:县|区|市|旗)")
_NOT_A_COUNTY = re.compile(r"开发区|园区|管委会|管理区|示范区|产业|试验区|工业区|高新区|新城|海洋城|群岛|委员会|海域")
# Short forms as publishers write them (gongkai.regions.names.short_form): ethnic-group words go only before
# 自治县/旗/州/区, never below 2 characters; the full name when nothing shorter is left (赵县).
PUBLISHER_SHORT_FORM = ShortFormRule(
    suffixes=("自治县", "自治旗", "自治州", "自治区", "林区", "特区", "地区", "省", "市", "县", "区", "旗", "盟"),
    bare_groups=ETHNIC_GROUPS,
    groups_only_autonomous=True,
    keep_two=True,
)

# ---- text -------------------------------------------------------------------------------------
ROADS = (
    "人民路",
    "解放路",
    "建设路",
    "文化路",
    "府前街",
    "中山路",
    "新华街",
    "政府街",
    "迎宾大道",
    "滨河路",
    "团结路",
    "和平路",
    "长征路",
    "振兴大道",
)
CONTACT_OFFICES = ("党政办公室", "办公室", "综合办公室", "政务公开办公室")
URI_SECTIONS = ("zwgk/zfxxgkndbg", "xxgk/ndbg", "zfxxgk/fdzdgknr/ndbg", "zwgk/xxgkml/zfxxgknb", "col/col1229/art")
CN_DIGITS = "〇一二三四五六七八九"


# ---- the region table -------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """One official unit of the region table, with the report years it is valid for."""

    region_id: str
    level: str
    name: str
    province: str
    prefecture: str | None
    county: str | None
    parent_id: str | None
    years: frozenset[int]
    in_mca: bool


@dataclass(frozen=True)
class Catalog:
    """The units a publisher can be drawn from, indexed by report year."""

    units: dict[str, Unit]
    pools: dict[tuple[str, int], tuple[Unit, ...]]  # (pool, year) -> units, pool as "township:famous"
    name_counts: Counter[tuple[str, int, str]]  # (level, year, name) -> number of units
    children: dict[tuple[str, int], tuple[Unit, ...]]  # (parent region_id, year) -> county-level units
    capitals: dict[str, str]  # province -> capital prefecture
    clue_table: dict[tuple[str, str], tuple[str, ...]]  # (clue_kind, region_id) -> values of clues.parquet

    def pool(self, name: str, year: int) -> tuple[Unit, ...]:
        return self.pools.get((name, year), ())

    def ancestors(self, unit: Unit) -> list[Unit]:
        """The unit and the units above it, nearest first."""
        chain = [unit]
        while chain[-1].parent_id in self.units:
            chain.append(self.units[chain[-1].parent_id])
        return chain

    def clue_values(self, kind: str, unit: Unit) -> tuple[str, ...]:
        """The values of a clues.parquet kind for the unit or, failing that, the nearest unit above it."""
        return next((v for u in self.ancestors(unit) if (v := self.clue_table.get((kind, u.region_id)))), ())


def _valid_years(rows: list[dict]) -> frozenset[int]:
    """Report years a unit is valid for: its NBS vintages, and 2024 when in NBS 2023 or MCA 2025."""
    years: set[int] = set()
    for row in rows:
        if row["code_system"] == "mca":
            years.add(2024)
            continue
        years.update(y for y in YEARS if row["first_year"] <= y <= row["last_year"])
        if row["last_year"] == LAST_NBS_VINTAGE:
            years.add(2024)
    return frozenset(years)


def _unit(rows: list[dict]) -> Unit:
    latest = max(rows, key=lambda r: (r["last_year"], r["code_system"] == "mca"))
    return Unit(
        latest["region_id"],
        latest["level"],
        latest["name"],
        latest["province"],
        latest["prefecture"],
        latest["county"],
        latest["parent_region_id"],
        _valid_years(rows),
        any(r["code_system"] == "mca" for r in rows),
    )


def _pool_of(unit: Unit, units: dict[str, Unit]) -> str | None:
    """The kind of publisher a unit can stand for, or None for units left out (dev-zone counties, farms …)."""
    if unit.level in ("province", "prefecture"):
        return unit.level
    if unit.level == "county":
        ordinary = _COUNTY_NAME.fullmatch(unit.name) and (unit.in_mca or not _NOT_A_COUNTY.search(unit.name))
        return "county" if ordinary else None
    parent = units.get(unit.parent_id or "")
    if parent is None or (parent.level == "county" and _pool_of(parent, units) is None):
        return None
    for pattern, pool in ((_TOWNSHIP_NAME, "township"), (_STREET_NAME, "street"), (_ZONE_NAME, "dev_zone")):
        if pattern.fullmatch(unit.name):
            return pool
    return None


def _load_clue_table(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """(clue_kind, region_id) -> clue values (area codes, postal codes, host labels); empty without the file."""
    if not path.is_file():
        return {}
    names = ("clue_kind", "clue_value", "region_id")
    table = pq.read_table(path, columns=list(names))
    values: dict[tuple[str, str], list[str]] = defaultdict(list)
    for kind, value, region_id in zip(*(table.column(c).to_pylist() for c in names), strict=True):
        values[kind, region_id].append(value)
    return {key: tuple(sorted(v)) for key, v in values.items()}


def load_catalog(clues_path: Path = CLUES_PATH) -> Catalog:
    """Read the region table (and the clue table, if any) once; index the units by kind, report year and name."""
    return _load_catalog(Path(clues_path).resolve())


@lru_cache(maxsize=2)
def _load_catalog(clues_path: Path) -> Catalog:
    table = load_regions()
    columns = {
        name: table.column(name).to_pylist()
        for name in (
            "region_id",
            "level",
            "name",
            "province",
            "prefecture",
            "county",
            "parent_region_id",
            "code_system",
            "first_year",
            "last_year",
            "gb2260_code",
        )
    }
    rows_by_id: dict[str, list[dict]] = defaultdict(list)
    for values in zip(*columns.values(), strict=True):
        row = dict(zip(columns, values, strict=True))
        if row["province"] not in EXCLUDED_PROVINCES:
            rows_by_id[row["region_id"]].append(row)
    units = {rid: _unit(rows) for rid, rows in sorted(rows_by_id.items())}
    name_counts: Counter[tuple[str, int, str]] = Counter((u.level, y, u.name) for u in units.values() for y in u.years)
    pools: dict[tuple[str, int], list[Unit]] = defaultdict(list)
    children: dict[tuple[str, int], list[Unit]] = defaultdict(list)
    for unit in units.values():
        pool = _pool_of(unit, units)
        if pool is None:
            continue
        for year in unit.years:
            pools[pool, year].append(unit)
            if pool == "county":
                children[unit.parent_id or "", year].append(unit)
            if pool in ("township", "street"):
                shared = name_counts[unit.level, year, unit.name] > 1
                pools[f"{pool}:{'shared' if shared else 'unique'}", year].append(unit)
                if shared and unit.name in FAMOUS_NAMES:
                    pools[f"{pool}:famous", year].append(unit)
                if not unit.in_mca:
                    pools[f"{pool}:historical", year].append(unit)
    capitals = {
        row["province"]: row["name"]
        for rows in rows_by_id.values()
        for row in rows
        if row["level"] == "prefecture" and (row["gb2260_code"] or "").endswith("0100")
    }
    return Catalog(
        units,
        {k: tuple(v) for k, v in pools.items()},
        name_counts,
        {k: tuple(v) for k, v in children.items()},
        capitals,
        _load_clue_table(clues_path),
    )


# ---- names ------------------------------------------------------------------------------------
def short_name(name: str) -> str:
    """The short form of a county, prefecture or province name (孟津区 → 孟津, 黄南藏族自治州 → 黄南); the full
    name when the short form would be a single character (赵县)."""
    return short_form(name, rule=PUBLISHER_SHORT_FORM) or name


def county_type(name: str) -> str:
    """The character the party committee and government of a county-level unit are called by: 县, 区, 市 or 旗."""
    for suffix, kind in (("自治县", "县"), ("自治旗", "旗"), ("林区", "区"), ("特区", "区")):
        if name.endswith(suffix):
            return kind
    return name[-1]


def prefecture_type(name: str) -> str:
    """市, 州, 地区 or 盟, as a prefecture's organs call it ("州财政局")."""
    for suffix, kind in (("自治州", "州"), ("地区", "地区"), ("盟", "盟")):
        if name.endswith(suffix):
            return kind
    return "市"


def province_type(name: str) -> str:
    """省, 自治区 or 市 (直辖市)."""
    for suffix in ("自治区", "省"):
        if name.endswith(suffix):
            return suffix
    return "市"


def party_wording(unit: Unit) -> str:
    """The leadership the body thanks, consistent with the unit's county (or prefecture, province) type."""
    if unit.level in ("township", "county") and unit.county:
        kind = county_type(unit.county)
        return f"{kind}委、{kind}政府"
    if unit.level != "province" and unit.prefecture:
        kind = prefecture_type(unit.prefecture)
        return {"地区": "地委、行署", "盟": "盟委、行署"}.get(kind, f"{kind}委、{kind}政府")
    kind = province_type(unit.province)
    return "自治区党委、政府" if kind == "自治区" else f"{kind}委、{kind}政府"


def _we(organ: str, kind: str, unit: Unit) -> str:
    """How the body calls the organ in the first person ("我镇", "我局")."""
    if kind == "township_gov":
        return "我苏木" if unit.name.endswith("苏木") else f"我{unit.name[-1]}"
    if kind == "street":
        return "我街道"
    if kind == "dev_zone":
        return "我园区" if unit.name.endswith("园区") else "我区"
    if kind == "county_gov":
        return f"我{county_type(unit.name)}"
    if kind == "prefecture_gov":
        return f"我{prefecture_type(unit.name)}"
    for suffix, we in (("办公室", "我办"), ("办公厅", "我厅"), ("委员会", "我委"), ("厅", "我厅")):
        if organ.endswith(suffix):
            return we
    return "我局"


# ---- one report's plan ------------------------------------------------------------------------
@dataclass
class Plan:
    """Everything drawn for one report: publisher, year, dates and the clues its text carries."""

    index: int
    kind: str
    unit: Unit
    year: int
    organ: str  # the publisher as printed
    short: str  # how the body names the organ ("上桥镇", "县教育局")
    prefix: str | None  # the names above the organ that a title or signature may prepend ("利通区")
    layout: str
    encoding: str
    title_kind: str  # one of the title clues: title_prefixed … no_title
    clues: set[str]
    pub_date: date
    ambiguous: bool
    name_count: int
    host: str | None = None  # portal host label ("mengjin")
    address: str | None = None  # 联系地址
    postal: str | None = None  # 邮政编码
    phone: str | None = None  # 联系电话
    source_uri: str | None = None

    @property
    def org_type(self) -> str:
        return KINDS[self.kind][0]

    @property
    def admin_level(self) -> str:
        return KINDS[self.kind][1]

    @property
    def published_on(self) -> date | None:
        """The publication date, when the text prints it (signature or page chrome)."""
        return self.pub_date if self.clues & {"signature_date", "chrome_date"} else None


def _draw_year(rng: random.Random) -> int:
    return rng.choices(YEARS, YEAR_WEIGHTS)[0]


def _draw_township(rng: random.Random, catalog: Catalog, pool: str, year: int, no_clue: bool) -> tuple[Unit, int]:
    """A township, street or dev zone valid in ``year`` (a seed case moves the year into its validity).

    A pool that is empty for the kind and year (no seed cases among streets …) falls back to all its units.
    """
    if no_clue:
        return rng.choice(catalog.pool(f"{pool}:famous", year) or catalog.pool(f"{pool}:shared", year)), year
    if pool == "dev_zone":
        return rng.choice(catalog.pool(pool, year)), year
    roll = rng.random()
    source = next(name for name, share in TOWNSHIP_POOLS if roll < share)
    if source == "seed" and pool == "township":
        unit = catalog.units[rng.choice(SEED_TOWNSHIPS)]
        return unit, rng.choice(sorted(unit.years))
    return rng.choice(catalog.pool(f"{pool}:{source}", year) or catalog.pool(pool, year)), year


def _organ(rng: random.Random, kind: str, unit: Unit, bare: bool) -> tuple[str, str, set[str]]:
    """The organ's printed name, its short name in the body, and the clue its name itself carries.

    ``bare``: a street office never takes the "XX区人民政府X街道办事处" form (that names the county).
    """
    if kind == "township_gov":
        return f"{unit.name}人民政府", unit.name, set()
    if kind == "street":
        if unit.county and not bare and rng.random() < 0.25:
            return f"{unit.county}人民政府{unit.name}办事处", unit.name, {"publisher_full_chain"}
        return f"{unit.name}办事处", unit.name, set()
    if kind == "dev_zone":
        # a zone whose official name holds no place name ("经济开发区") is called after its county
        place = "" if not unit.county or short_name(unit.county)[:2] in unit.name else unit.county
        organ = place + unit.name + rng.choice(("管理委员会", "管委会"))
        return organ, unit.name, {"publisher_full_chain"} if place else set()
    if kind in ("county_gov", "county_office"):
        office = "人民政府办公室" if kind == "county_office" else "人民政府"
        return f"{unit.name}{office}", unit.name if kind == "county_gov" else "政府办", set()
    if kind == "county_dept":
        dept = rng.choice(COUNTY_DEPARTMENTS)
        return f"{unit.name}{dept}", f"{county_type(unit.name)}{dept}", set()
    if kind == "prefecture_gov":
        return f"{unit.name}人民政府", unit.name, set()
    if kind == "prefecture_dept":
        dept = rng.choice(PREFECTURE_DEPARTMENTS)
        return f"{unit.name}{dept}", f"{prefecture_type(unit.name)}{dept}", set()
    if kind == "province_office":
        return f"{unit.name}人民政府办公厅", f"{province_type(unit.name)}政府办公厅", set()
    depts = MUNICIPALITY_DEPARTMENTS if province_type(unit.name) == "市" else PROVINCE_DEPARTMENTS
    dept = rng.choice(depts)
    return f"{unit.name}{dept}", f"{province_type(unit.name)}{dept}", set()


def _prefix(unit: Unit, organ: str) -> str | None:
    """The next name up that the organ's name does not already hold (the county for a township …)."""
    chain = {
        "township": (unit.county, unit.prefecture, unit.province),
        "county": (unit.prefecture, unit.province),
        "prefecture": (unit.province,),
        "province": (),
    }[unit.level]
    return next((name for name in chain if name and name not in organ), None)


def _portal_owner(catalog: Catalog, unit: Unit) -> Unit:
    """Whose portal hosts the report: the county's (or prefecture's) for a township, else the unit's own."""
    return catalog.units[unit.parent_id or ""] if unit.level == "township" else unit


def _mentions(unit: Unit) -> dict[str, str]:
    """The names above the unit that the body may mention, by clue."""
    above = {
        "township": {"county_in_body": unit.county, "city_in_body": unit.prefecture},
        "county": {"city_in_body": unit.prefecture},
        "prefecture": {},
        "province": {},
    }[unit.level]
    if unit.level != "province":
        above["province_in_body"] = unit.province
    return {clue: name for clue, name in above.items() if name}


def _draw_title(rng: random.Random, layout: str, prefix: str | None, no_clue: bool) -> str:
    if rng.random() < (0.6 if layout == gr.PIPE else 0.13):
        return "no_title"
    kinds, weights = ("title_prefixed", "title_organ", "title_no_organ", "title_without_year"), (30, 35, 14, 8)
    if no_clue:
        kinds, weights = ("title_organ", "title_no_organ"), (2, 1)
    title = rng.choices(kinds, weights)[0]
    return "title_organ" if title == "title_prefixed" and prefix is None else title


def _draw_year_clues(rng: random.Random, title: str) -> set[str]:
    """Where the report year is printed besides the narrative: title, period statement, lead sentence."""
    if title in ("title_prefixed", "title_organ", "title_no_organ"):
        clues = {"title_year"}
        if rng.random() < 0.55:
            clues.add("period_statement")
        if rng.random() < 0.5:
            clues.add("lead_year")
        return clues
    roll = rng.random()
    if roll < 0.35:
        return {"period_statement"}
    if roll < 0.6:
        return {"lead_year"}
    if roll < 0.9:
        return {"period_statement", "lead_year"}
    return {"year_only_in_narrative"}


def _host_labels(catalog: Catalog, unit: Unit) -> tuple[list[str], list[str]]:
    """Host labels of the portal that carries the unit's reports (clues.parquet): the pinyin ones, short form
    first ("mengjin", "mengjinqu"), and the initials ("mjq", as long as the name has characters)."""
    owner = _portal_owner(catalog, unit)
    labels = catalog.clue_table.get(("domain_label", owner.region_id), ())
    spelled = sorted((label for label in labels if len(label) != len(owner.name)), key=len)
    return spelled, [label for label in labels if len(label) == len(owner.name)]


def _draw_portal(rng: random.Random, spelled: list[str], initials: list[str]) -> tuple[set[str], str | None]:
    """Whether the preamble names the portal, its clues and its host label (mostly the short-form pinyin)."""
    if not spelled or rng.random() >= 0.45:
        return set(), None
    clues = {"portal_owner_named"} if rng.random() < 0.6 else set()
    if initials and rng.random() < 0.15:
        return clues | {"portal_url_initials"}, initials[0]
    return clues | {"portal_url"}, spelled[0] if rng.random() < 0.8 else spelled[-1]


def _draw_contact(rng: random.Random, catalog: Catalog, plan: Plan) -> None:
    """联系地址, 邮政编码 and 联系电话 of the contact sentence, each with its clue."""
    unit = plan.unit
    if rng.random() < 0.3:
        local = unit.level == "county" or unit.level == "township" and unit.county
        plan.clues.add("address_county" if local and rng.random() < 0.5 else "address_full")
        plan.address = _address(rng, plan, catalog)
    postal_codes = catalog.clue_values("postal_code", unit)
    if postal_codes and rng.random() < 0.2:
        plan.clues.add("postal_code")
        plan.postal = rng.choice(postal_codes)
    area_codes = catalog.clue_values("phone_area_code", unit)
    if area_codes and rng.random() < 0.25:
        plan.clues.add("phone_area_code")
        plan.phone = f"{rng.choice(area_codes)}-{rng.randint(2, 8)}{rng.randint(0, 9999999):07d}"


def _draw_body_clues(rng: random.Random, catalog: Catalog, unit: Unit, year: int) -> set[str]:
    """Party wording, mentions of the units above, and misleading context."""
    clues: set[str] = set()
    if rng.random() < 0.55:
        clues.add("party_wording")
    for clue, share in (("county_in_body", 0.15), ("city_in_body", 0.2), ("province_in_body", 0.15)):
        if clue in _mentions(unit) and rng.random() < share:
            clues.add(clue)
    if unit.level == "township" and unit.county and short_name(unit.county) != unit.county and rng.random() < 0.1:
        clues.add("county_short_in_body")
    if _neighbour(catalog, unit, year) and rng.random() < 0.05:
        clues.add("misleading_neighbour")
    if rng.random() < (0.4 if unit.province == "青海省" else 0.015 if unit.province != "河南省" else 0):
        clues.add("misleading_henan")
    return clues


# Clues that tell apart units of the same name: the county for townships, the prefecture for counties.
DISCRIMINATING = {
    "township": {
        "title_prefixed",
        "signature_full",
        "address_full",
        "address_county",
        "portal_owner_named",
        "portal_url",
        "county_in_body",
        "county_short_in_body",
        "source_uri",
        "publisher_full_chain",
    },
    "county": {"title_prefixed", "signature_full", "address_full", "city_in_body"},
}


def _ensure_discriminating(clues: set[str], unit: Unit) -> None:
    """A shared name that is not ambiguous by design gets at least one clue naming the unit above it."""
    if clues & DISCRIMINATING.get(unit.level, set()):
        return
    mentions = _mentions(unit)
    clues.add(next(c for c in ("county_in_body", "city_in_body", "province_in_body") if c in mentions))


def _pub_date(rng: random.Random, year: int) -> date:
    """Publication date: mostly January to March of the following year."""
    month = rng.randint(1, 3) if rng.random() < 0.9 else rng.randint(4, 6)
    return date(year + 1, month, rng.randint(1, 28))


def _source_uri(rng: random.Random, host: str, published: date) -> str:
    section = rng.choice(URI_SECTIONS)
    number = rng.randint(100000, 9999999)
    return f"http://www.{host}.gov.cn/{section}/{published:%Y%m}/t{published:%Y%m%d}_{number}.html"


def draw_plan(seed: int, index: int, catalog: Catalog) -> Plan:
    """Draw publisher, year, layout and clues of report ``index``."""
    rng = random.Random(f"{seed}:{index}")
    no_clue = rng.random() < NO_CLUE_SHARE
    kind = (
        rng.choice(("township_gov", "street"))
        if no_clue
        else rng.choices(tuple(KINDS), tuple(w for *_, w in KINDS.values()))[0]
    )
    year = _draw_year(rng)
    level = KINDS[kind][1]
    if level == "township":
        pool = {"township_gov": "township", "street": "street", "dev_zone": "dev_zone"}[kind]
        unit, year = _draw_township(rng, catalog, pool, year, no_clue)
    else:
        unit = rng.choice(catalog.pool(level, year))
    organ, short, clues = _organ(rng, kind, unit, bare=no_clue)
    prefix = _prefix(unit, organ)
    layout = rng.choices(tuple(gr.LAYOUT_WEIGHTS), tuple(gr.LAYOUT_WEIGHTS.values()))[0]
    title = _draw_title(rng, layout, prefix, no_clue)
    clues |= {title} | _draw_year_clues(rng, title)
    if title == "no_title" or rng.random() < 0.35:
        full = prefix is not None and not no_clue and rng.random() < (0.6 if title == "no_title" else 0.5)
        clues |= {"signature_full" if full else "signature_short", "signature_date"}
    if title == "no_title" and rng.random() < 0.5:
        clues.add("chrome_date")
    plan = Plan(
        index,
        kind,
        unit,
        year,
        organ,
        short,
        prefix,
        layout,
        "gb18030" if rng.random() < 0.1 else "utf-8",
        title,
        clues,
        _pub_date(rng, year),
        no_clue,
        catalog.name_counts[unit.level, year, unit.name],
    )
    if no_clue:
        return plan
    spelled, initials = _host_labels(catalog, unit)
    portal_clues, plan.host = _draw_portal(rng, spelled, initials)
    clues |= portal_clues | _draw_body_clues(rng, catalog, unit, year)
    _draw_contact(rng, catalog, plan)
    if spelled and rng.random() < 0.25:
        clues.add("source_uri")
        plan.source_uri = _source_uri(rng, spelled[0], plan.pub_date)
    if plan.name_count > 1:
        _ensure_discriminating(clues, unit)
    return plan


def _neighbour(catalog: Catalog, unit: Unit, year: int) -> str | None:
    """Another county of the same prefecture, named as a joint meeting would name it: for a township, when such
    a county has a township of the same name, that township ("新安县城关镇")."""
    county_id = unit.parent_id if unit.level == "township" else unit.region_id
    county = catalog.units.get(county_id or "")
    if unit.level not in ("township", "county") or county is None or county.level != "county":
        return None
    others = [c for c in catalog.children.get((county.parent_id or "", year), ()) if c.name != county.name]
    if unit.level == "township":
        twins = [c for c in others if f"{c.region_id}/{unit.name}" in catalog.units]
        if twins:
            return f"{twins[0].name}{unit.name}"
    return others[0].name if others else None


# ---- tables -----------------------------------------------------------------------------------
def draw_tables(plan: Plan) -> gr.Report:
    """The T2/T3/T4 values of the report, drawn as ``generate_reports`` draws them (its ``Org`` is filled in for
    completeness; the table renderers do not read it)."""
    rng = random.Random(f"tables:{plan.index}:{plan.unit.region_id}:{plan.year}")
    if plan.year <= 2020 or (plan.year <= 2022 and rng.random() < 0.15):
        fmt = keys.FMT2019
    else:
        fmt = keys.FMT2021
    organ_level = plan.admin_level != "township"
    unit = plan.unit
    org = gr.Org(
        unit.province,
        unit.prefecture or "",
        unit.county or "",
        plan.host or "",
        unit.name if unit.level == "township" else None,
        None if unit.level == "township" else plan.organ,
    )
    return gr.Report(
        name=f"pub_{plan.index:05d}",
        year=plan.year,
        fmt=fmt,
        layout=plan.layout,
        encoding=plan.encoding,
        org=org,
        t2=gr._t2_values(rng, fmt, organ_level),
        t3=gr._t3_values(rng, fmt, busy=rng.random() < (0.6 if organ_level else 0.2), scale=30 if organ_level else 6),
        t4=gr._t4_values(rng, active=rng.random() < (0.15 if organ_level else 0.03)),
    )


# ---- text -------------------------------------------------------------------------------------
def _cn_date(day: date) -> str:
    """二〇二三年一月十八日."""

    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        return ("" if tens < 2 else CN_DIGITS[tens]) + ("十" if tens else "") + (CN_DIGITS[ones] if ones else "")

    return f"{''.join(CN_DIGITS[int(d)] for d in str(day.year))}年{number(day.month)}月{number(day.day)}日"


def _title(rng: random.Random, plan: Plan) -> str | None:
    clue = plan.title_kind
    if clue == "no_title":
        return None
    year = f" {plan.year} " if rng.random() < 0.2 else str(plan.year)
    year += "年度" if plan.admin_level != "township" and rng.random() < 0.3 else "年"
    doc = "政府信息公开工作年度报" + (" 告" if rng.random() < 0.1 else "告")
    own = (
        plan.unit.name
        if plan.kind in ("township_gov", "street") and "publisher_full_chain" not in plan.clues
        else plan.organ
    )
    if clue == "title_prefixed":
        return f"{plan.prefix}{own}{year}{doc}"
    if clue == "title_organ":
        return f"{plan.organ}{year}{doc}"
    if clue == "title_no_organ":
        return f" {year}{doc}"
    return f"{own}政府信息公开工作年度报告"


def _address(rng: random.Random, plan: Plan, catalog: Catalog) -> str:
    """联系地址: from the county down (address_county), or from the prefecture or province down (address_full)."""
    unit = plan.unit
    if unit.level == "province":
        above = [catalog.capitals.get(unit.name)]
    elif "address_county" in plan.clues:
        above = [unit.county] if unit.level == "township" else []
    else:
        above = {
            "township": [unit.province, unit.prefecture, unit.county],
            "county": [unit.province, unit.prefecture],
            "prefecture": [unit.province],
        }[unit.level]
        if unit.level != "prefecture" and unit.prefecture and rng.random() < 0.7:
            above = above[1:]  # most addresses leave out the province
    chain = [unit.name, *above] if unit.level == "province" else [*above, unit.name]
    return "".join(name for name in chain if name) + f"{rng.choice(ROADS)}{rng.randint(1, 300)}号"


def _preamble(rng: random.Random, plan: Plan, catalog: Catalog) -> str:
    """Lead sentence, portal, statistics period and contact address, each present only when it is a clue."""
    sentences = []
    lead_needed = plan.clues & {"title_no_organ", "no_title", "lead_year"}
    if lead_needed or rng.random() < 0.4:
        who = plan.organ if rng.random() < 0.5 else plan.short
        what = f"现发布{plan.year}年政府信息公开工作年度报告" if "lead_year" in plan.clues else "编制本年度报告"
        sentences.append(f"{who}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，{what}。")
    if plan.host:
        owner = f"{_portal_owner(catalog, plan.unit).name}人民政府" if "portal_owner_named" in plan.clues else "政府"
        sentences.append(f"本报告电子版可在{owner}门户网站（http://www.{plan.host}.gov.cn）查阅或下载。")
    if "period_statement" in plan.clues:
        sentences.append(
            rng.choice(
                (
                    "本报告所列数据统计期限为{y}年1月1日至{y}年12月31日。",
                    "本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
                )
            ).format(y=plan.year)
        )
    contact = "；".join(
        f"{label}：{value}"
        for label, value in (("联系地址", plan.address), ("邮政编码", plan.postal), ("联系电话", plan.phone))
        if value
    )
    if contact:
        sentences.append(f"如对本报告有任何疑问，请与{rng.choice(CONTACT_OFFICES)}联系（{contact}）。")
    return "".join(sentences)


def _context_paragraph(plan: Plan, catalog: Catalog) -> str:
    """Body sentences that mention places: superiors, the county's short form, a neighbour, 河南县."""
    unit, year, names = plan.unit, plan.year, _mentions(plan.unit)
    sentences = []
    if "county_in_body" in plan.clues:
        sentences.append(
            f"认真落实《{names['county_in_body']}推进政务服务向基层延伸工作实施方案》，推动公开事项向村（社区）延伸。"
        )
    if "city_in_body" in plan.clues:
        sentences.append(f"按照《{names['city_in_body']}{year}年政务公开工作要点》要求，结合工作实际，细化公开任务。")
    if "province_in_body" in plan.clues:
        sentences.append(f"严格落实{names['province_in_body']}政务公开工作部署，持续提升公开质量。")
    if "county_short_in_body" in plan.clues:
        short = short_name(unit.county or "")
        sentences.append(f"围绕建设美丽{short}，为{short}高质量发展营造公开透明的政务环境。")
    if "misleading_neighbour" in plan.clues:
        sentences.append(f"与相邻的{_neighbour(catalog, unit, year)}召开政务公开工作联席会议，交流信息公开工作经验。")
    if "misleading_henan" in plan.clues:
        sentences.append(
            "组织工作人员赴河南县学习政务公开标准化规范化建设经验。"
            if unit.province == "青海省"
            else "认真做好对口支援青海省河南县相关信息公开工作。"
        )
    return "".join(sentences)


def _applications_text(report: gr.Report, we: str) -> str:
    new, carried = sum(report.t3["new_received"][:6]), sum(report.t3["carried_in"][:6])
    if not new + carried:
        return f"{report.year}年，{we}未收到政府信息公开申请。"
    text = f"{report.year}年，{we}共收到政府信息公开申请{new}件" + (f"，上年结转{carried}件" if carried else "")
    return text + "，均按照法定程序和时限予以答复。"


def _overview(rng: random.Random, plan: Plan, report: gr.Report, catalog: Catalog) -> list[str]:
    """Section 一: intro, place mentions, and the five customary sub-items."""
    we = _we(plan.organ, plan.kind, plan.unit)
    parent = party_wording(plan.unit) if "party_wording" in plan.clues else "上级党委、政府"
    ctx = {
        "year": plan.year,
        "we": we,
        "org": plan.short,
        "parent": parent,
        "county": "",
        "congress": "党的二十大" if plan.year >= 2022 else "党的十九大和十九届历次全会",
        "n1": rng.randint(20, 400),
        "n2": rng.randint(5, 80),
        "n3": rng.randint(3, 40),
        "n4": rng.randint(1, 6),
        "n5": rng.randint(1, 4),
    }
    intros = gr.OVERVIEW_INTRO[:2] if "party_wording" in plan.clues else gr.OVERVIEW_INTRO
    lines = [rng.choice(intros).format(**ctx)]
    if context := _context_paragraph(plan, catalog):
        lines.append(context)
    for item, (item_title, pool) in enumerate(gr.OVERVIEW_ITEMS):
        body = _applications_text(report, we) if item == 1 else gr._paragraph(rng, pool, ctx, (2, 4))
        lines.append(f"（{gr.CN_NUMERALS[item]}）{item_title}。{body}")
    return lines


def render(plan: Plan, report: gr.Report, catalog: Catalog) -> str:
    """The whole report text: chrome or title, preamble, six sections with tables, signature."""
    rng = random.Random(f"render:{plan.index}:{plan.unit.region_id}")
    title = _title(rng, plan)
    t2_render, t3_render, t4_render = gr.TABLE_RENDERERS[plan.layout]
    style = rng.choice(gr.ENUM_STYLES)
    arabic_headings = plan.layout == gr.ONE_CELL and rng.random() < 0.6
    we = _we(plan.organ, plan.kind, plan.unit)
    if title is None:
        lines = list(gr.PAGE_CHROME_TOP)
        if "chrome_date" in plan.clues:
            lines.append(f"发布时间：{plan.pub_date:%Y-%m-%d}")
    else:
        lines = ["", "", title, ""]
    if preamble := _preamble(rng, plan, catalog):
        lines.append(preamble)
    for number, titles in enumerate(gr.SECTION_TITLES, start=1):
        if plan.layout == gr.TSV:
            lines.append("")
        heading = rng.choice(titles)
        lines.append(f"{number}、 {heading}" if arabic_headings else f"{gr.CN_NUMERALS[number - 1]}、{heading}")
        if number == 1:
            lines += _overview(rng, plan, report, catalog)
        elif number == 2:
            lines += t2_render(rng, report)
        elif number == 3:
            lines += t3_render(rng, report, gr.T3_LAYOUTS[report.fmt, style])
        elif number == 4:
            lines += t4_render(rng, report) + [gr._review_text(report)]
        elif number == 5:
            ctx = {"we": we}
            lines.append(
                f"{plan.year}年，{we}政府信息公开工作取得了一定成效，但还存在一些不足。"
                + gr._paragraph(rng, gr.PROBLEMS, ctx, (2, 4), enumerated=True)
            )
            lines.append(gr._paragraph(rng, gr.IMPROVEMENTS, ctx, (2, 4), enumerated=True))
        else:
            lines.append(rng.choice(gr.OTHER_MATTERS))
    lines += _signature(rng, plan)
    if title is None and plan.layout == gr.PIPE:
        lines += gr.PAGE_CHROME_BOTTOM
    if plan.layout == gr.TSV:
        lines = [gr._tsv_prose(rng, line) if line and "\t" not in line else line for line in lines]
    text = "\n".join(lines) + "\n"
    return gr._ascii_punct(text) if plan.layout == gr.PIPE else text


def _signature(rng: random.Random, plan: Plan) -> list[str]:
    if "signature_date" not in plan.clues:
        return []
    signer = f"{plan.prefix}{plan.organ}" if "signature_full" in plan.clues else plan.organ
    when = (
        _cn_date(plan.pub_date)
        if rng.random() < 0.1
        else f"{plan.pub_date.year}年{plan.pub_date.month}月{plan.pub_date.day}日"
    )
    return ["", signer, when]


# ---- output -----------------------------------------------------------------------------------
def truth_record(plan: Plan, file_name: str) -> dict[str, object]:
    """The truth line of one report."""
    unit = plan.unit
    township = unit.name if unit.level == "township" else None
    county = unit.county if unit.level in ("township", "county") else None
    prefecture = unit.prefecture if unit.level != "province" else None
    published = plan.published_on
    return {
        "file": file_name,
        "source_uri": plan.source_uri,
        "publisher": plan.organ,
        "org_type": plan.org_type,
        "admin_level": plan.admin_level,
        "region_id": unit.region_id,
        "province": unit.province,
        "prefecture": prefecture,
        "county": county,
        "township": township,
        "report_year": plan.year,
        "published_on": published.isoformat() if published else None,
        "clues": sorted(plan.clues),
        "ambiguous_by_design": plan.ambiguous,
        "same_name_count": plan.name_count,
        "layout": plan.layout,
        "encoding": plan.encoding,
    }


def generate(
    n: int, out_dir: Path, seed: int = 0, *, start: int = 0, clues_path: Path = CLUES_PATH
) -> list[dict[str, object]]:
    """Write reports ``start .. start+n-1`` to ``out_dir/reports`` and their truth to ``out_dir/truth.jsonl``."""
    catalog = load_catalog(clues_path)
    reports_dir = Path(out_dir) / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    records = []
    for index in range(start, start + n):
        plan = draw_plan(seed, index, catalog)
        report = draw_tables(plan)
        path = reports_dir / f"{report.name}.txt"
        path.write_bytes(render(plan, report, catalog).encode(plan.encoding))
        records.append(truth_record(plan, path.name))
    with (Path(out_dir) / "truth.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return records


def summary(records: list[dict[str, object]]) -> str:
    """Counts by org_type, admin level, year and clue, and the share of shared township names."""
    units = load_catalog().units
    lines = [f"{len(records)} reports"]
    for key in ("org_type", "admin_level", "report_year", "encoding"):
        counts = Counter(r[key] for r in records)
        lines.append(f"{key}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))))
    clues = Counter(c for r in records for c in r["clues"])
    lines.append("clues: " + ", ".join(f"{k} {v}" for k, v in clues.most_common()))
    townships = [r for r in records if r["admin_level"] == "township"]
    shared = sum(r["same_name_count"] > 1 for r in townships)
    lines.append(
        f"township-level files with a shared name: {shared}/{len(townships)} ({shared / max(len(townships), 1):.0%})"
    )
    lines.append(
        f"ambiguous by design: {sum(bool(r['ambiguous_by_design']) for r in records)}; "
        f"with source_uri: {sum(r['source_uri'] is not None for r in records)}; "
        f"historical units (not in MCA 2025): {sum(not units[str(r['region_id'])].in_mca for r in records)}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=600, help="number of reports (default 600)")
    parser.add_argument("out_dir", type=Path, help="output directory (reports/ and truth.jsonl)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="index of the first report")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    load_catalog()
    loaded = time.perf_counter()
    records = generate(args.n, args.out_dir, args.seed, start=args.start)
    done = time.perf_counter()
    print(summary(records))
    print(
        f"wrote {len(records)} reports to {args.out_dir / 'reports'} and truth.jsonl in {done - began:.2f} s "
        f"(region table {loaded - began:.2f} s, reports {done - loaded:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
