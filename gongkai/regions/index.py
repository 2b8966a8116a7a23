"""Index of the region reference table: units by id, by official name, by short form and by code.

The look-ups are derived once from the committed ``regions.parquet`` into a cache file
``regions.index-<digest>.arrow`` beside it (or in ``$GONGKAI_CACHE``; see :mod:`gongkai.regions.cache`), rebuilt
when the table or the code deriving it (this module, ``names.py``, ``reference.py``) changes. A process maps that
file: nothing is parsed, and a ``Unit`` is built from its row the first time it is looked up. A look-up's keys are
read into a dict the first time the look-up is used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, ValuesView
from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gongkai import keys
from gongkai.regions import names, reference
from gongkai.regions.cache import Tables, cache_path, cached_tables
from gongkai.regions.names import short_form
from gongkai.regions.reference import DEFAULT_PATH, VINTAGES, effective_vintages, load_regions

LEVELS = tuple(keys.REGION_LEVEL_LABELS)  # top down
# How reports shorten autonomous areas: 河南蒙古族自治县 -> 河南县, 黄南藏族自治州 -> 黄南州.
_AUTONOMOUS_ALIAS = {"自治县": "县", "自治旗": "旗", "自治州": "州"}
# The code the cache is derived by, besides the table itself.
DERIVED_BY = (Path(__file__), Path(names.__file__), Path(reference.__file__))
_UNIT_COLUMNS = ("region_id", "level", "name", "province", "prefecture", "county", "township", "parent_id")
_CODE = pa.struct(
    [("code_system", pa.string()), ("code", pa.string()), ("first_year", pa.int16()), ("last_year", pa.int16())]
)

T = TypeVar("T")


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


class Units(Mapping[str, Unit]):
    """region_id -> Unit over the cached ``units`` table (in table order); a Unit is built on first access."""

    def __init__(self, table: pa.Table) -> None:
        self._columns = {name: table.column(name) for name in (*_UNIT_COLUMNS, "vintages", "codes")}
        self._built: list[Unit | None] = [None] * table.num_rows
        self._all_built = False

    @cached_property
    def rows(self) -> dict[str, int]:
        """region_id -> row, read on first use."""
        return {region_id: row for row, region_id in enumerate(self._columns["region_id"].to_pylist())}

    def at(self, row: int) -> Unit:
        """The unit of row ``row``."""
        unit = self._built[row]
        if unit is None:
            unit = self._built[row] = self._build(row)
        return unit

    def _build(self, row: int) -> Unit:
        return _unit({name: column[row].as_py() for name, column in self._columns.items()})

    def values(self) -> ValuesView[Unit]:
        """Every unit in table order; the ones not built yet are built in one pass over the columns."""
        if not self._all_built:
            columns = {name: column.to_pylist() for name, column in self._columns.items()}
            for row, values in enumerate(zip(*columns.values(), strict=True)):
                if self._built[row] is None:
                    self._built[row] = _unit(dict(zip(columns, values, strict=True)))
            self._all_built = True
        return super().values()

    def __getitem__(self, region_id: str) -> Unit:
        return self.at(self.rows[region_id])

    def __contains__(self, region_id: object) -> bool:
        return region_id in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self._built)


def _unit(row: dict[str, Any]) -> Unit:
    """The Unit of a row of the ``units`` table."""
    fields = {name: row[name] for name in _UNIT_COLUMNS}
    return Unit(**fields, vintages=frozenset(row["vintages"]), codes=tuple(Code(**code) for code in row["codes"]))


class Groups(Mapping[str, list[T]]):
    """key -> list over a cached (key, values) table; a key's list is converted on first access."""

    def __init__(self, table: pa.Table, convert: Callable[[Any], T]) -> None:
        self._keys, self._values, self._convert = table.column("key"), table.column("values"), convert
        self._built: dict[str, list[T]] = {}

    @cached_property
    def rows(self) -> dict[str, int]:
        """key -> row, read on first use."""
        return {key: row for row, key in enumerate(self._keys.to_pylist())}

    def __getitem__(self, key: str) -> list[T]:
        found = self._built.get(key)
        if found is None:
            found = self._built[key] = [self._convert(v) for v in self._values[self.rows[key]].as_py()]
        return found

    def get(self, key: str, default: Any = None) -> Any:
        """The key's list, else ``default`` (without Mapping.get's KeyError: misses are common)."""
        return self[key] if key in self.rows else default

    def __contains__(self, key: object) -> bool:
        return key in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self._keys)


class RegionIndex:
    """Look-ups the resolver needs, over the cached tables of the committed table (see the module docstring)."""

    def __init__(self, tables: Tables) -> None:
        self._tables = tables
        self.units = Units(tables["units"])

    def unit_groups(self, name: str) -> Groups[Unit]:
        """A cached table of key -> unit rows, as key -> units."""
        return Groups(self._tables[name], self.units.at)

    @cached_property
    def by_name(self) -> Groups[Unit]:
        """Official full names, plus aliases such as 河南县 (河南蒙古族自治县)."""
        return self.unit_groups("by_name")

    @cached_property
    def by_short(self) -> Groups[Unit]:
        """County, prefecture and province short forms."""
        return self.unit_groups("by_short")

    @cached_property
    def higher_names(self) -> Groups[Unit]:
        """Names (and aliases) of county- and prefecture-level units."""
        return self.unit_groups("higher_names")

    @cached_property
    def by_code(self) -> Groups[str]:
        """Codes of any system and vintage -> region_ids: 6 digits for provinces, prefectures and counties (as GB/T
        2260 writes them: 410000, 410300, 410308), 9 for townships."""
        return Groups(self._tables["by_code"], str)

    @cached_property
    def short_of(self) -> dict[str, str]:
        """region_id -> its short form (孟津区 -> 孟津)."""
        return dict(self._where("short", pc.is_valid(self._tables["units"]["short"])))

    @cached_property
    def aliases_of(self) -> dict[str, tuple[str, ...]]:
        """region_id -> full names reports use besides the official one."""
        has_aliases = pc.is_valid(self._tables["units"]["aliases"])
        return {region_id: tuple(aliases) for region_id, aliases in self._where("aliases", has_aliases)}

    def _where(self, column: str, mask: pa.ChunkedArray) -> zip[tuple[str, Any]]:
        """(region_id, ``column``) of the units where ``mask`` holds, in table order."""
        rows = pc.indices_nonzero(mask)
        units = self._tables["units"]
        return zip(units["region_id"].take(rows).to_pylist(), units[column].take(rows).to_pylist(), strict=True)

    @cached_property
    def provinces(self) -> list[Unit]:
        """The province-level units, in table order."""
        return self.unit_groups("by_level")["province"]

    @cached_property
    def longest_name(self) -> int:
        """The length of the longest key of ``by_name``."""
        return pc.max(pc.utf8_length(self._tables["by_name"]["key"])).as_py() or 0

    def warm(self) -> None:
        """Read the keys of every look-up the resolver uses now (they are otherwise read on first use)."""
        lookups: tuple[Units | Groups, ...] = (self.units, self.by_name, self.by_short, self.higher_names, self.by_code)
        _ = [lookup.rows for lookup in lookups], self.short_of, self.aliases_of, self.longest_name, self.provinces

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

    def names_of(self, unit: Unit) -> tuple[str, ...]:
        """The unit's full names and its short form."""
        short = self.short_of.get(unit.region_id)
        return self.full_names(unit) + ((short,) if short else ())


@lru_cache(maxsize=2)
def region_index(path: str | None = None) -> RegionIndex:
    """The index of the table at ``path`` (default: the committed file); cached per process."""
    return open_index(path)


def open_index(path: str | None = None) -> RegionIndex:
    """A new index over the cache file of the table at ``path``, built first when missing."""
    return RegionIndex(cached_tables(index_cache_path(path), lambda: derive_tables(Path(path or DEFAULT_PATH))))


def index_cache_path(path: str | None = None) -> Path:
    """The cache file of the index of the table at ``path`` (see the module docstring)."""
    table = Path(path or DEFAULT_PATH)
    if not table.is_file():
        load_regions(table)  # raises the error that says how to rebuild the table
    return cache_path(f"{table.stem}.index", (table, *DERIVED_BY), beside=table)


def derive_tables(path: Path) -> Tables:
    """The index's tables, derived from the reference table at ``path``."""
    units = _units(pq.read_table(path))  # not load_regions: its per-process cache may hold an older table
    by_name, by_short, short_of, aliases_of = _names(units)
    higher_names = {
        name: [u for u in named if u.level in ("county", "prefecture")]
        for name, named in by_name.items()
        if any(u.level in ("county", "prefecture") for u in named)
    }
    by_level: dict[str, list[Unit]] = defaultdict(list)
    for unit in units.values():
        by_level[unit.level].append(unit)
    row = {region_id: i for i, region_id in enumerate(units)}

    def rows(groups: dict[str, list[Unit]]) -> pa.Table:
        return groups_table({key: [row[u.region_id] for u in group] for key, group in groups.items()}, pa.int32())

    return {
        "units": _units_table(units, short_of, aliases_of),
        "by_name": rows(by_name),
        "by_short": rows(by_short),
        "higher_names": rows(higher_names),
        "by_level": rows(by_level),
        "by_code": groups_table(_by_code(units), pa.string()),
    }


def _names(
    units: dict[str, Unit],
) -> tuple[dict[str, list[Unit]], dict[str, list[Unit]], dict[str, str], dict[str, tuple[str, ...]]]:
    """by_name (official names and aliases), by_short, short_of and aliases_of (see :class:`RegionIndex`)."""
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
    return by_name, by_short, short_of, aliases_of


def groups_table(groups: Mapping[str, list[Any]], value_type: pa.DataType) -> pa.Table:
    """A (key, values) table of ``groups``, in its order: what :class:`Groups` reads."""
    return pa.table(
        {"key": pa.array(list(groups), pa.string()), "values": pa.array(list(groups.values()), pa.list_(value_type))}
    )


def _units(table: pa.Table) -> dict[str, Unit]:
    """One Unit per region_id (in order of first row): the latest row's attributes, every code and vintage."""
    columns = {name: table[name].to_pylist() for name in table.column_names}
    rows = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["region_id"]].append(row)
    units: dict[str, Unit] = {}
    for region_id, group in grouped.items():
        latest = max(group, key=lambda r: (r["last_year"], r["code_system"] == "mca"))
        vintages = frozenset(v for r in group for v in VINTAGES if r["first_year"] <= v <= r["last_year"])
        codes = tuple(
            sorted(
                (Code(r["code_system"], r["code"], r["first_year"], r["last_year"]) for r in group),
                key=lambda c: (c.first_year, c.code_system),
            )
        )
        units[region_id] = Unit(
            region_id,
            latest["level"],
            latest["name"],
            latest["province"],
            latest["prefecture"],
            latest["county"],
            latest["township"],
            latest["parent_region_id"],
            vintages,
            codes,
        )
    return units


def _by_code(units: dict[str, Unit]) -> dict[str, list[str]]:
    """6-digit codes (GB/T 2260 form) and 9-digit township codes -> region_ids."""
    by_code: dict[str, list[str]] = defaultdict(list)
    for unit in units.values():
        for code in sorted({c.code if len(c.code) == 9 else c.code.ljust(6, "0") for c in unit.codes}):
            by_code[code].append(unit.region_id)
    return by_code


def _units_table(units: dict[str, Unit], short_of: dict[str, str], aliases_of: dict[str, tuple[str, ...]]) -> pa.Table:
    """One row per unit, with its short form and aliases."""
    values = list(units.values())
    columns: dict[str, pa.Array] = {
        name: pa.array([getattr(u, name) for u in values], pa.string()) for name in _UNIT_COLUMNS
    }
    columns["vintages"] = pa.array([sorted(u.vintages) for u in values], pa.list_(pa.int16()))
    columns["codes"] = pa.array([[asdict(c) for c in u.codes] for u in values], pa.list_(_CODE))
    columns["short"] = pa.array([short_of.get(u.region_id) for u in values], pa.string())
    columns["aliases"] = pa.array(
        [list(aliases_of.get(u.region_id, ())) or None for u in values], pa.list_(pa.string())
    )
    return pa.table(columns)
