"""Load the committed region reference table and look regions up by official name.

The table (``data_lake/reference/regions/regions.parquet``) is built by ``python -m tools.regions.build``;
one row per (region_id, code_system, code, contiguous run of vintages). Township codes of
the two code systems (``mca`` / ``nbs``) differ, so look-ups go by name and region_id,
never by a bare township code.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data_lake" / "reference" / "regions" / "regions.parquet"

# Vintages held in the table: NBS 统计用区划代码 2016-2023, MCA 国家地名信息库 2025-12-31.
VINTAGES: tuple[int, ...] = (2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2025)

_UNIT_FIELDS = (
    "region_id",
    "level",
    "name",
    "province",
    "prefecture",
    "county",
    "township",
    "parent_region_id",
    "gb2260_code",
)


def load_regions(path: str | Path | None = None) -> pa.Table:
    """Return the region table (default: the committed file next to the package)."""
    return _load(str(Path(path) if path is not None else DEFAULT_PATH))


@lru_cache(maxsize=4)
def _load(path: str) -> pa.Table:
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"region reference table not found at {path}; rebuild it with `.venv/bin/python -m tools.regions.build`"
        )
    return pq.read_table(path)


def _rows_named(path: str, name: str) -> list[dict]:
    table = _load(path)
    return table.filter(pc.equal(table["name"], name)).to_pylist()


def effective_vintages(year: int) -> tuple[int, ...]:
    """Vintages that stand for ``year``: the year itself if held, else the nearest one(s).

    2024 has no vintage (NBS stopped after 2023, the packaged MCA layer is 2025), so it maps
    to both 2023 and 2025; years before 2016 map to 2016, after 2025 to 2025.
    """
    if year in VINTAGES:
        return (year,)
    best = min(abs(v - year) for v in VINTAGES)
    return tuple(v for v in VINTAGES if abs(v - year) == best)


def find(name: str, year: int | None = None, *, level: str | None = None, path: str | Path | None = None) -> list[dict]:
    """Candidate regions whose official full name is exactly ``name``.

    With ``year``, only units with a row valid in that year (see :func:`effective_vintages`)
    are returned. One dict per region_id: the unit's attributes taken from its most recent
    matching row, plus ``codes``, every (code_system, code, first_year, last_year) the unit
    has in the table. Sorted by gb2260/code order of the preferred row.
    """
    key = str(Path(path) if path is not None else DEFAULT_PATH)
    rows = _rows_named(key, name.strip())
    if level is not None:
        rows = [r for r in rows if r["level"] == level]
    by_unit: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_unit[r["region_id"]].append(r)
    vintages = effective_vintages(year) if year is not None else None
    out = []
    for unit_rows in by_unit.values():
        if vintages is not None:
            valid = [r for r in unit_rows if any(r["first_year"] <= v <= r["last_year"] for v in vintages)]
            if not valid:
                continue
        else:
            valid = unit_rows
        # most recent row wins; MCA preferred over NBS on a tie
        best = max(valid, key=lambda r: (r["last_year"], r["code_system"] == "mca"))
        cand = {f: best[f] for f in _UNIT_FIELDS}
        cand["code_system"], cand["code"] = best["code_system"], best["code"]
        cand["first_year"] = min(r["first_year"] for r in unit_rows)
        cand["last_year"] = max(r["last_year"] for r in unit_rows)
        cand["codes"] = sorted(
            (
                {
                    "code_system": r["code_system"],
                    "code": r["code"],
                    "first_year": r["first_year"],
                    "last_year": r["last_year"],
                }
                for r in unit_rows
            ),
            key=lambda c: (c["first_year"], c["code_system"]),
        )
        out.append(cand)
    out.sort(key=lambda c: (c["code"], c["region_id"]))
    return out
