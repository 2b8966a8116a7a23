"""Load the committed clue table: phone area codes, postal codes and domain labels -> regions.

The table (``data_lake/reference/regions/clues.parquet``) is built by
``python -m tools.regions.build_clues``; see the "Clue table" section of
``data_lake/reference/regions/PROVENANCE.md`` for sources, mapping and strength rules.
Every region_id it holds is a province, prefecture or county id of ``regions.parquet``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq

DEFAULT_CLUES_PATH = Path(__file__).resolve().parents[2] / "data_lake" / "reference" / "regions" / "clues.parquet"

CLUE_KINDS: tuple[str, ...] = ("phone_area_code", "postal_code", "domain_label")


def load_clues(path: str | Path | None = None) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """clue_kind -> clue_value -> [(region_id, strength), …], sorted by region_id.

    ``load_clues()["phone_area_code"]["0379"] == [("410300:洛阳市", "strong")]``.
    Area codes keep their leading 0, postal codes are 6 digits, domain labels lower-case
    ASCII. The result is cached per path and shared: do not mutate it.
    """
    return _load(str(Path(path) if path is not None else DEFAULT_CLUES_PATH))


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, dict[str, list[tuple[str, str]]]]:
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"region clue table not found at {path}; rebuild it with `.venv/bin/python -m tools.regions.build_clues`"
        )
    table = pq.read_table(path, columns=["clue_kind", "clue_value", "region_id", "strength"])
    out: dict[str, dict[str, list[tuple[str, str]]]] = {k: defaultdict(list) for k in CLUE_KINDS}
    cols = [table.column(c).to_pylist() for c in ("clue_kind", "clue_value", "region_id", "strength")]
    for kind, value, region_id, strength in zip(*cols, strict=True):
        out.setdefault(kind, defaultdict(list))[value].append((region_id, strength))
    return {kind: {v: sorted(regions) for v, regions in values.items()} for kind, values in out.items()}
