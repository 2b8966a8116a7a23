"""Functional zones that publish under their own name but stand for official divisions (平潭综合实验区 → 平潭县).

The table is hand-kept with a source per row: ``data_lake/reference/regions/functional_zones.csv`` (see the
PROVENANCE.md beside it). The resolver reads a zone's name in the publisher or signature as the names of the
division(s) whose territory it is, so that the usual name-and-clue resolution applies; the publisher keeps its
own name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from gongkai.regions.index import LEVELS
from gongkai.regions.reference import DEFAULT_PATH

ZONES_PATH = DEFAULT_PATH.parent / "functional_zones.csv"


@dataclass(frozen=True)
class FunctionalZone:
    """One zone: its names, the official divisions its territory is (outermost first), its years and source."""

    zone: str
    names: tuple[str, ...]  # the zone's name and the other names reports use, longest first
    divisions: tuple[str, ...]  # e.g. ("福建省", "福州市", "平潭县")
    first_year: int
    last_year: int | None
    source: str
    note: str

    def exists_in(self, year: int | None) -> bool:
        """Whether the zone existed in ``year`` (True when the year is unknown)."""
        return year is None or (self.first_year <= year and (self.last_year is None or year <= self.last_year))


@lru_cache(maxsize=2)
def functional_zones(path: str = str(ZONES_PATH)) -> tuple[FunctionalZone, ...]:
    """Every zone of the table."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    zones = []
    for row in rows:
        names = sorted({row["zone"], *filter(None, row["also_called"].split("|"))}, key=len, reverse=True)
        zones.append(
            FunctionalZone(
                row["zone"],
                tuple(names),
                tuple(row[level] for level in LEVELS if row[level]),
                int(row["first_year"]),
                int(row["last_year"]) if row["last_year"] else None,
                row["source"],
                row["note"],
            )
        )
    return tuple(zones)


def read_zone(printed: str | None, year: int | None) -> tuple[str, FunctionalZone] | None:
    """The name of a zone printed in ``printed`` (that existed in ``year``), and the zone; None if there is none."""
    if not printed:
        return None
    found = [
        (name, zone) for zone in functional_zones() if zone.exists_in(year) for name in zone.names if name in printed
    ]
    return max(found, key=lambda item: len(item[0])) if found else None


def as_divisions(printed: str, name: str, zone: FunctionalZone) -> str:
    """``printed`` with the zone's name replaced by its divisions' names.

    "平潭综合实验区公安局" → "福建省福州市平潭县公安局".

    Division names printed just before the zone ("福建省平潭综合实验区") are not repeated.
    """
    before, _, after = printed.partition(name)
    divisions = [d for d in zone.divisions if d not in before]
    return before + "".join(divisions) + after
