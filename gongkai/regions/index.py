"""In-memory index of the region reference table: units by id, by official name and by short form."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from gongkai.regions.names import short_form
from gongkai.regions.reference import DEFAULT_PATH, VINTAGES, effective_vintages, load_regions

LEVELS = ("province", "prefecture", "county", "township")
# How reports shorten autonomous areas: 河南蒙古族自治县 -> 河南县, 黄南藏族自治州 -> 黄南州.
_AUTONOMOUS_ALIAS = {"自治县": "县", "自治旗": "旗", "自治州": "州"}


@dataclass(frozen=True, slots=True)
class Code:
    """One code a unit carries in one code system over a run of vintages."""

    code_system: str
    code: str
    first_year: int
    last_year: int


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit (all its codes and vintages folded together)."""

    region_id: str
    level: str
    name: str
    province: str
    prefecture: str | None
    county: str | None
    township: str | None
    parent_id: str | None
    vintages: frozenset[int]
    codes: tuple[Code, ...]

    def valid_in(self, year: int | None) -> bool:
        """Whether the unit exists in the vintage(s) standing for ``year`` (True when the year is unknown)."""
        return year is None or any(v in self.vintages for v in effective_vintages(year))

    def code_for(self, year: int | None) -> Code:
        """The code to report for ``year``: NBS 统计用区划代码 up to 2023, MCA from 2024, nearest vintage otherwise."""
        wanted = effective_vintages(year) if year is not None else (max(VINTAGES),)
        prefer = "nbs" if year is not None and year <= 2023 else "mca"

        def rank(code: Code) -> tuple[bool, bool, int]:
            covers = any(code.first_year <= v <= code.last_year for v in wanted)
            return covers, code.code_system == prefer, code.last_year
        return max(self.codes, key=rank)


@dataclass
class RegionIndex:
    """Look-ups the resolver needs; built once per process from the committed table."""

    units: dict[str, Unit]
    by_name: dict[str, list[Unit]]           # official full names, plus aliases such as 河南县 (河南蒙古族自治县)
    by_short: dict[str, list[Unit]]          # county, prefecture and province short forms
    short_of: dict[str, str]                 # region_id -> its short form (孟津区 -> 孟津)
    aliases_of: dict[str, tuple[str, ...]]   # region_id -> full names reports use besides the official one
    higher_names: dict[str, list[Unit]]      # names (and aliases) of county- and prefecture-level units
    provinces: list[Unit]
    longest_name: int = field(default=0)

    def named(self, name: str) -> list[Unit]:
        """Units whose official full name is ``name``."""
        return self.by_name.get(name, [])

    def ancestors(self, unit: Unit) -> list[Unit]:
        """The unit's parent, grandparent, … up to its province."""
        chain, parent = [], unit.parent_id
        while parent and parent in self.units:
            chain.append(self.units[parent])
            parent = self.units[parent].parent_id
        return chain

    def full_names(self, unit: Unit) -> tuple[str, ...]:
        """The unit's official name and its aliases (河南蒙古族自治县, 河南县)."""
        return (unit.name,) + self.aliases_of.get(unit.region_id, ())

    @cached_property
    def by_code(self) -> dict[str, list[str]]:
        """Codes of any system and vintage -> region_ids: 6 digits for provinces, prefectures and counties (as GB/T
        2260 writes them: 410000, 410300, 410308), 9 for townships."""
        by_code: dict[str, list[str]] = defaultdict(list)
        for unit in self.units.values():
            for code in sorted({c.code if len(c.code) == 9 else c.code.ljust(6, "0") for c in unit.codes}):
                by_code[code].append(unit.region_id)
        return dict(by_code)

    def names_of(self, unit: Unit) -> tuple[str, ...]:
        """The unit's full names and its short form."""
        short = self.short_of.get(unit.region_id)
        return self.full_names(unit) + ((short,) if short else ())


@lru_cache(maxsize=2)
def region_index(path: str | None = None) -> RegionIndex:
    """The index of the table at ``path`` (default: the committed file); cached per process."""
    table = load_regions(Path(path) if path else DEFAULT_PATH)
    columns = {name: table[name].to_pylist() for name in table.column_names}
    rows = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["region_id"]].append(row)
    units: dict[str, Unit] = {}
    for region_id, unit_rows in grouped.items():
        latest = max(unit_rows, key=lambda r: (r["last_year"], r["code_system"] == "mca"))
        vintages = frozenset(v for r in unit_rows for v in VINTAGES if r["first_year"] <= v <= r["last_year"])
        codes = tuple(sorted((Code(r["code_system"], r["code"], r["first_year"], r["last_year"]) for r in unit_rows),
                             key=lambda c: (c.first_year, c.code_system)))
        units[region_id] = Unit(region_id, latest["level"], latest["name"], latest["province"], latest["prefecture"],
                                latest["county"], latest["township"], latest["parent_region_id"], vintages, codes)
    by_name: dict[str, list[Unit]] = defaultdict(list)
    by_short: dict[str, list[Unit]] = defaultdict(list)
    short_of: dict[str, str] = {}
    aliases_of: dict[str, tuple[str, ...]] = {}
    for unit in units.values():
        by_name[unit.name].append(unit)
        short = short_form(unit.name, unit.level)
        if short:
            by_short[short].append(unit)
            short_of[unit.region_id] = short
            suffix = _AUTONOMOUS_ALIAS.get(unit.name[-3:]) if unit.level in ("county", "prefecture") else None
            if suffix:
                by_name[short + suffix].append(unit)
                aliases_of[unit.region_id] = (short + suffix,)
    higher_names = {name: [u for u in named if u.level in ("county", "prefecture")]
                    for name, named in by_name.items() if any(u.level in ("county", "prefecture") for u in named)}
    provinces = [u for u in units.values() if u.level == "province"]
    return RegionIndex(units, dict(by_name), dict(by_short), short_of, aliases_of, higher_names, provinces,
                       max(len(n) for n in by_name))
