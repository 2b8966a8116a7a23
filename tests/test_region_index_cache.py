"""The region index's cache file (gongkai.regions.cache): derived from a small reference table, loaded by a fresh
process without rebuilding, rebuilt (and the stale file removed) when the table changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from gongkai.regions import cache
from gongkai.regions.index import _units, index_cache_path, open_index
from gongkai.regions.reference import DEFAULT_PATH

# A fresh process loads the index with derive_tables disabled: it must map the file the test process wrote.
_LOAD = """
import sys
from gongkai.regions import index
index.derive_tables = None
loaded = index.open_index(sys.argv[1])
unit = loaded.named("孟津区")[0]
print(len(loaded.units), unit.region_id, [a.name for a in loaded.ancestors(unit)], loaded.short_of[unit.region_id])
"""


@pytest.fixture
def table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The reference rows of 河南省 (the province, 洛阳市 and all its units), in a folder of their own."""
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    rows = pq.read_table(DEFAULT_PATH)
    in_luoyang = pc.or_kleene(pc.equal(rows["level"], "province"), pc.equal(rows["prefecture"], "洛阳市"))
    rows = rows.filter(pc.and_(pc.equal(rows["province"], "河南省"), in_luoyang))
    path = tmp_path / "regions.parquet"
    pq.write_table(rows, path)
    return path


def test_cache_round_trips_in_a_fresh_process(table: Path) -> None:
    index = open_index(str(table))
    written = index_cache_path(str(table))
    assert written.is_file() and written.parent == table.parent
    assert dict(index.units) == _units(pq.read_table(table))
    done = subprocess.run([sys.executable, "-c", _LOAD, str(table)], capture_output=True, text=True, check=True)
    assert done.stdout.split(" ", 2)[:2] == [str(len(index.units)), "410308:孟津区"]
    assert "['洛阳市', '河南省'] 孟津" in done.stdout


def test_a_changed_table_rebuilds_and_removes_the_stale_file(table: Path) -> None:
    stale = index_cache_path(str(table))
    open_index(str(table))
    rows = pq.read_table(table)
    pq.write_table(rows.filter(pc.invert(pc.equal(rows["name"], "孟津区"))), table)
    fresh = index_cache_path(str(table))
    assert fresh != stale
    index = open_index(str(table))
    assert fresh.is_file() and not stale.exists()
    assert index.named("孟津区") == [] and len(index.units) == len(_units(pq.read_table(table)))


def test_gongkai_cache_moves_the_file(table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    open_index(str(table))
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [index_cache_path(str(table)).name]
