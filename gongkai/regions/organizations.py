"""Which reports of different years come from the same organization (docs/formats.md#cross-report-rules, #publishers).

``organization_key`` keys a publisher as "<region code>[/<township>]|<organ>|<org_type>". The region code is the
12-digit code at county level or above, followed to its successor across 撤县设区 / 撤市设区 renames (linked from
the reference vintages, or by the alias table where the short form changed); a township is its county's code plus
its name, because NBS and MCA township codes differ. The organ is the name without the region's names and without
its 局/厅/委员会 suffix, with 2018–2019 机构改革 renames (and a government office publishing its government's report)
mapped by ``data_lake/reference/organ_aliases.csv``; every alias and rename used is named. Without a region code
the key is *weak* ("*/<places printed>|…"). ``pair_reports`` links each report to its organization's previous one.

The look-ups by code and the rename tables are derived from the region index once, into a cache file
``regions.organizations-<digest>.arrow`` beside the region table (or in ``$GONGKAI_CACHE``), rebuilt when the region
table, the alias table or the code deriving them changes (see gongkai.regions.cache).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pyarrow as pa

from gongkai.regions.cache import Tables, cache_path, cached_tables
from gongkai.regions.index import DERIVED_BY, LEVELS, Groups, RegionIndex, Unit, groups_table, open_index, region_index
from gongkai.regions.names import short_form
from gongkai.regions.organ import read_organ
from gongkai.regions.reference import DEFAULT_PATH, effective_vintages
from gongkai.regions.zones import functional_zones

ALIASES_PATH = DEFAULT_PATH.parents[1] / "organ_aliases.csv"
_PLACE_ENDINGS = ("省", "市", "县", "区", "旗", "州", "盟", "地区", "镇", "乡", "街道", "苏木")
_TOWN_ENDINGS = ("镇", "乡", "街道", "苏木")
# A township printed after the county (or after 人民政府: 官渡区人民政府六甲街道办事处), where an organ word follows.
_TOWNSHIP = re.compile(
    r"(?:人民政府|政府)?([\u4e00-\u9fff]{1,12}?(?:镇|乡|街道|苏木))"
    r"(?=人民政府|政府|办事处|党委|党工委|$|(?<=街道)办)"
)
# A relative level word ("区政府办公室", "市生态环境局"), not the first character of an organ word (市场, 市政, 区域 …).
_RELATIVE = re.compile(r"^(?:自治区|[省市县区州旗盟])(?!场|政(?!府|务)|容|域|级|委)")
_GOVERNMENT = ("", "人民政府", "政府")
_REPORT_WORDS = re.compile(
    r"(?:(?:19|20)\d{2}年度?)?"
    r"(?:(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报))?$"
)
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|[《》“”\"'「」]")
_JOINT_PARTY = re.compile(r"^中共(.{2,15}?)(?:委员会|委)(?:办公室)?(?=\1)")  # 中共孟津区委孟津区人民政府…
_SUFFIX = re.compile(r"(?<=..)(?:委员会|局|厅)$")
# Cached tables (see derive_tables).
_TOWN_CODE = pa.struct([("code_system", pa.string()), ("last_year", pa.int16()), ("row", pa.int32())])
_SUCCESSOR = pa.schema([("old", pa.string()), ("new", pa.string()), ("why", pa.string())])
_TOWN_SUCCESSOR = pa.schema([("county", pa.string()), ("xiang", pa.string()), ("zhen", pa.string())])


@dataclass(frozen=True)
class Alias:
    """One row of the alias table."""

    alias_id: str
    kind: str  # government_office | organ_reform | organ_variant | region_rename
    old_names: tuple[str, ...]
    new_name: str
    old_code: str
    new_code: str
    source: str

    def describe(self, old: str) -> str:
        return f"{self.alias_id}: {old}→{self.new_name}（{self.source}）"


@dataclass(frozen=True)
class OrganizationKey:
    """A publisher's identity across years; equal ``key`` means the same organization."""

    key: str
    region_code: str | None  # canonical 12-digit code (county level or above, successor after renames)
    place: str | None  # township name (strong keys), or the place names printed (weak keys)
    organ: str  # normalized organ name, suffix 局/厅/委员会 dropped ("人民政府" for a government)
    org_type: str
    weak: bool  # region unknown or coarser than the publisher: match only a single candidate
    alias_applied: str | None  # the alias rows and renames used, "；"-joined


@dataclass(frozen=True)
class ReportOrg:
    """A report to pair: its id, organization, year, and a tie-breaker (e.g. the file name)."""

    report_id: str
    org: OrganizationKey | None
    year: int | None
    tie_breaker: str = ""


@dataclass(frozen=True)
class ReportPair:
    """A report and the previous report of the same organization (None: none found, or not usable)."""

    report_id: str
    key: str | None
    year: int | None
    previous_report_id: str | None
    previous_year: int | None
    consecutive: bool  # year - previous_year == 1
    duplicates: tuple[str, ...]  # other reports of the previous organization-year, passed over
    same_year: tuple[str, ...]  # other reports of this report's own organization-year
    alias_applied: str | None  # why the two names matched (aliases of either side)


@dataclass
class _Tables:
    index: RegionIndex
    organ_alias: dict[str, Alias]  # old organ name or its stem -> alias
    successor: dict[str, tuple[str, str]]  # region_id -> (successor region_id, why)
    by_gb: Mapping[str, list[Unit]]  # 6-digit code -> units of county level and above
    by_town_code: Mapping[str, list[tuple[str, int, Unit]]]  # 9-digit code -> (code_system, last_year, unit)
    town_successor: dict[tuple[str, str], str]  # (canonical county code, X乡) -> X镇


def stem(name: str) -> str:
    """An organ name without its body-type suffix: 自然资源局, 自然资源厅 -> 自然资源; 卫生健康委 -> 卫生健康."""
    if name.endswith("委") and len(name) >= 5:
        return name[:-1]
    return _SUFFIX.sub("", name)


def load_aliases(path: str = str(ALIASES_PATH)) -> tuple[Alias, ...]:
    """The rows of the alias table."""
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            Alias(
                r["alias_id"],
                r["kind"],
                tuple(r["old_names"].split("|")),
                r["new_name"],
                r["old_code"],
                r["new_code"],
                r["source"],
            )
            for r in csv.DictReader(handle)
        )


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The look-ups, mapped from their cache file (see :func:`derive_tables`); the organ aliases from the CSV."""
    index, aliases = region_index(), load_aliases()
    cached = cached_tables(tables_cache_path(), lambda: derive_tables(open_index(), aliases))
    organ_alias = {
        key: a for a in aliases if a.kind != "region_rename" for old in a.old_names for key in (old, stem(old))
    }
    return _Tables(
        index,
        organ_alias,
        {r["old"]: (r["new"], r["why"]) for r in cached["successor"].to_pylist()},
        Groups(cached["by_gb"], index.units.at),
        Groups(cached["by_town_code"], lambda v: (v["code_system"], v["last_year"], index.units.at(v["row"]))),
        {(r["county"], r["xiang"]): r["zhen"] for r in cached["town_successor"].to_pylist()},
    )


def tables_cache_path() -> Path:
    """The cache file of the tables below, beside the region table: rebuilt when the region table, the alias table
    or the code deriving them changes (see gongkai.regions.cache)."""
    return cache_path(
        f"{DEFAULT_PATH.stem}.organizations",
        (DEFAULT_PATH, *DERIVED_BY, ALIASES_PATH, Path(__file__)),
        beside=DEFAULT_PATH,
    )


def derive_tables(index: RegionIndex, aliases: tuple[Alias, ...]) -> Tables:
    """Units by 6-digit code (county level and above) and by 9-digit township code, rename successors (region
    lineage and the alias table's renames), and 撤乡设镇 successors."""
    by_gb: dict[str, list[Unit]] = defaultdict(list)
    by_town_code: dict[str, list[tuple[str, int, Unit]]] = defaultdict(list)
    groups: dict[tuple, list[Unit]] = defaultdict(list)
    for unit in index.units.values():
        if unit.level == "township":
            for code in unit.codes:
                by_town_code[code.code].append((code.code_system, code.last_year, unit))
            continue
        by_gb[unit.region_id[:6]].append(unit)
        short = index.short_of.get(unit.region_id)
        if short and unit.level in ("county", "prefecture"):
            above = unit.prefecture if unit.level == "county" else None  # 那曲地区 and 那曲市 are one parent
            groups[unit.level, unit.province, above and (short_form(above, "prefecture") or above), short].append(unit)
    successor = _successors(groups, by_gb, aliases)
    row = index.units.rows
    town_codes = {
        code: [{"code_system": system, "last_year": year, "row": row[u.region_id]} for system, year, u in found]
        for code, found in by_town_code.items()
    }
    return {
        "by_gb": groups_table({code: [row[u.region_id] for u in units] for code, units in by_gb.items()}, pa.int32()),
        "by_town_code": groups_table(town_codes, _TOWN_CODE),
        "successor": pa.Table.from_pylist(
            [{"old": old, "new": new, "why": why} for old, (new, why) in successor.items()], schema=_SUCCESSOR
        ),
        "town_successor": _town_successors(index, successor),
    }


def _successors(
    groups: dict[tuple, list[Unit]], by_gb: dict[str, list[Unit]], aliases: tuple[Alias, ...]
) -> dict[str, tuple[str, str]]:
    """region_id -> (successor region_id, why): from the reference's lineage, then the alias table's renames."""
    successor: dict[str, tuple[str, str]] = {}
    for units in groups.values():  # same short form, same parent, never coexisting: one unit renamed
        units.sort(key=lambda u: min(u.vintages))
        for old, new in pairwise(units):
            if max(old.vintages) < min(new.vintages):
                successor[old.region_id] = (
                    new.region_id,
                    f"region_lineage: {old.name}({old.region_id[:6]})→"
                    f"{new.name}({new.region_id[:6]})（区划表：至{max(old.vintages)}年／"
                    f"自{min(new.vintages)}年）",
                )
    for a in aliases:
        if a.kind == "region_rename":
            old_unit = next((u for u in by_gb.get(a.old_code, ()) if u.name == a.old_names[0]), None)
            new_unit = next((u for u in by_gb.get(a.new_code, ()) if u.name == a.new_name), None)
            if old_unit and new_unit:
                successor[old_unit.region_id] = (new_unit.region_id, a.describe(a.old_names[0]))
    return successor


def _town_successors(index: RegionIndex, successor: dict[str, tuple[str, str]]) -> pa.Table:
    """(canonical county code, X乡) -> X镇 where X乡 and X镇 of one county never coexist (撤乡设镇)."""
    towns: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in index.units.values():
        if unit.level == "township" and unit.name[-1] in "乡镇" and unit.parent_id:
            towns[(_final(unit.parent_id, successor)[0][:6], unit.name[:-1])].append(unit)
    rows = []
    for (county, _), units in towns.items():
        xiang = [u for u in units if u.name.endswith("乡")]
        zhen = [u for u in units if u.name.endswith("镇")]
        if len(xiang) == len(zhen) == 1 and max(xiang[0].vintages) < min(zhen[0].vintages):
            rows.append({"county": county, "xiang": xiang[0].name, "zhen": zhen[0].name})
    return pa.Table.from_pylist(rows, schema=_TOWN_SUCCESSOR)


def _final(region_id: str, successor: Mapping[str, tuple[str, str]]) -> tuple[str, list[str]]:
    """The region_id at the end of the rename chain, and why each step was taken."""
    whys: list[str] = []
    while region_id in successor and len(whys) < 10:
        region_id, why = successor[region_id]
        whys.append(why)
    return region_id, whys


def _in_county(name: str, code: str, t: _Tables) -> bool:
    """Whether a township called ``name`` lies in the county of canonical ``code``."""
    return any(u.parent_id and _final(u.parent_id, t.successor)[0][:6] == code[:6] for u in t.index.named(name))


def _unit_of(code: str, year: int | None, t: _Tables) -> Unit | None:
    """The unit a 12-digit region code names in ``year`` (NBS codes up to 2023, MCA from 2024)."""
    vintages = effective_vintages(year) if year is not None else ()
    if code[6:9] != "000":
        system = "nbs" if year is not None and year <= 2023 else "mca"
        found = t.by_town_code.get(code[:9], [])
        best = max(found, default=None, key=lambda f: (any(v in f[2].vintages for v in vintages), f[0] == system, f[1]))
        return best[2] if best else None
    return max(
        t.by_gb.get(code[:6], []), default=None, key=lambda u: (any(v in u.vintages for v in vintages), max(u.vintages))
    )


@lru_cache(maxsize=4096)
def _place_names(region_id: str) -> tuple[str, ...]:
    """Names (full, alias, short, functional zone) of a unit, its ancestors and their renamed relatives, longest
    first."""
    t = _tables()
    members = [t.index.units[region_id], *t.index.ancestors(t.index.units[region_id])]
    ids = {m.region_id for m in members}
    ids |= {t.successor[i][0] for i in ids if i in t.successor}
    ids |= {old for old, (new, _) in t.successor.items() if new in ids}
    names = {name for rid in ids for name in t.index.names_of(t.index.units[rid])}
    names |= {name for zone in functional_zones() if zone.divisions[-1] in names for name in zone.names}
    return tuple(sorted(names, key=len, reverse=True))


def clean_publisher(publisher: str) -> str:
    """Width, whitespace, bracketed notes, a joint 中共… name, and trailing report words removed."""
    text = unicodedata.normalize("NFKC", publisher)
    parts = [p for p in re.split(r"[\s、,，;；/]+", text) if p]
    text = "".join([p for p in parts if not p.startswith("中共")] or parts)
    text = _JOINT_PARTY.sub("", _BRACKETS.sub("", text))
    return _REPORT_WORDS.sub("", re.sub(r"^(?:19|20)\d{2}年度?", "", text))


def _strip_prefixes(name: str, prefixes: tuple[str, ...]) -> str:
    """``name`` without the ``prefixes`` at its start (福建省福州市平潭县公安局 -> 公安局); a short form is not stripped
    again after its full name (公安县公安局 -> 公安局, not 局), nor from a township named after its county
    (庆城镇人民政府 stays whole, as in 庆城县庆城镇人民政府)."""
    used: set[str] = set()
    while prefix := next(
        (
            p
            for p in prefixes
            if name.startswith(p) and p[:2] not in used and not name[len(p) :].startswith(_TOWN_ENDINGS)
        ),
        None,
    ):
        name = name[len(prefix) :]
        used.add(prefix[:2])
    return name


def _leading_places(text: str, index: RegionIndex) -> tuple[list[str], str]:
    """Official place names at the start of ``text`` (organ-like NBS names such as 林业局 excluded), and the rest."""
    organ, parts, position = read_organ(text, index), [], 0
    for part in organ.parts:
        printed = organ.variants.get(part, part)
        start = text.find(printed, position)
        if start < 0 or not part.endswith(_PLACE_ENDINGS):
            break
        parts.append(part)
        position = start + len(printed)
    return parts, text[position:]


def organization_key(
    publisher: str | None,
    region_code: str | None,
    org_type: str | None,
    year: int | None,
    *,
    admin_level: str | None = None,
) -> OrganizationKey | None:
    """The organization a report comes from (see the module docstring); None when publisher and region are unknown."""
    name = clean_publisher(publisher) if publisher else ""
    known = bool(name)
    code = (region_code or "").strip().ljust(12, "0") if (region_code or "").strip().isdigit() else ""
    if not name and not code:
        return None
    t = _tables()
    whys: list[str] = []
    town, weak, place = None, not code, ""
    unit = _unit_of(code, year, t) if code else None
    if unit is not None and admin_level in LEVELS and LEVELS.index(admin_level) < LEVELS.index(unit.level):
        unit = next((a for a in t.index.ancestors(unit) if a.level == admin_level), unit)
    if unit is not None:
        town = unit.name if unit.level == "township" else None
        higher = t.index.units[unit.parent_id] if town and unit.parent_id else unit
        final, whys = _final(higher.region_id, t.successor)
        code = final[:6] + "000000"
        name = _strip_prefixes(name, _place_names(higher.region_id))
    parts, rest = _leading_places(name, t.index)
    weak = weak or any(not p.endswith(_TOWN_ENDINGS) for p in parts)  # the region is coarser than the publisher
    printed_town = None
    if match := _TOWNSHIP.match(rest):
        printed_town, rest = match.group(1), rest[match.end() :]
    elif town and rest.startswith(town):
        rest = rest[len(town) :]
    # a township of this county printed wins over the code's unit (a code of the other code system names another
    # one); a spelling not of this county (上桥乡 for 上桥镇) does not
    printed = [n for n in (parts[-1] if parts and parts[-1].endswith(_TOWN_ENDINGS) else None, printed_town) if n]
    town = next((n for n in printed if _in_county(n, code, t)), None) or town or next(iter(printed), None)
    if relative := _RELATIVE.match(rest):
        rest = rest[relative.end() :]
    if weak:
        place = "".join(parts) + (printed_town or "") + (relative.group(0) if relative else "")
    elif town:
        if (code[:6], town) in t.town_successor:
            whys.append(f"{town}→{t.town_successor[(code[:6], town)]}（撤乡设镇，区划表）")
            town = t.town_successor[(code[:6], town)]
        place = town
    organ, kind, alias = _organ(rest, (place or "").endswith("街道"), t) if known else ("?", org_type, None)
    weak = weak or not known
    if alias:
        whys.append(alias)
    kind = kind or org_type or "unknown"
    key = f"{code or '*'}{'/' + place if place else ''}|{organ}|{kind}"
    return OrganizationKey(key, code or None, place or None, organ, kind, weak, "；".join(whys) or None)


def _organ(rest: str, subdistrict: bool, t: _Tables) -> tuple[str, str | None, str | None]:
    """Canonical organ, the org_type it implies (None: keep the given one), and the alias used."""
    rest = re.sub(r"管委会$", "管理委员会", rest)
    if subdistrict and rest in (*_GOVERNMENT, "办事处", "办"):
        return "办事处", "subdistrict_office", None
    if rest in _GOVERNMENT:
        return "人民政府", "people_gov", None
    alias = t.organ_alias.get(rest) or t.organ_alias.get(stem(rest))
    if alias is None:
        return stem(rest), None, None
    if alias.kind == "government_office":
        if subdistrict:
            return "办事处", "subdistrict_office", None
        return "人民政府", "people_gov", alias.describe(rest)
    return stem(alias.new_name), None, alias.describe(rest)


def pair_reports(reports: Iterable[ReportOrg]) -> list[ReportPair]:
    """For each report (input order), the report of its organization's latest earlier year.

    Of several reports of one organization-year, the smallest (tie_breaker, report_id) is used and the others are
    listed. A weak key is paired only when both years have exactly one report.
    """
    reports = list(reports)
    groups: dict[str, dict[int, list[ReportOrg]]] = defaultdict(lambda: defaultdict(list))
    for report in sorted(reports, key=lambda r: (r.tie_breaker, r.report_id)):
        if report.org is not None and report.year is not None:
            groups[report.org.key][report.year].append(report)
    pairs = []
    for report in reports:
        org, year = report.org, report.year
        if org is None or year is None:
            pairs.append(ReportPair(report.report_id, org.key if org else None, year, None, None, False, (), (), None))
            continue
        years = groups[org.key]
        same = tuple(r.report_id for r in years.get(year, ()) if r is not report)
        earlier = max((y for y in years if y < year), default=None) if years else None
        previous = years[earlier] if earlier is not None else []
        chosen = previous[0] if previous and not (org.weak and (len(previous) > 1 or same)) else None
        # a report in ``groups`` always has an organization
        chosen_alias = chosen.org.alias_applied if chosen and chosen.org else None
        why = "；".join(dict.fromkeys(a for a in (chosen_alias, org.alias_applied) if a))
        pairs.append(
            ReportPair(
                report.report_id,
                org.key,
                year,
                chosen.report_id if chosen else None,
                earlier if chosen else None,
                chosen is not None and earlier is not None and year - earlier == 1,
                tuple(r.report_id for r in previous if r is not chosen),
                same,
                (why or None) if chosen else None,
            )
        )
    return pairs
