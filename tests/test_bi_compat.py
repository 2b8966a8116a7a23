"""BI tools bundle their own, older DuckDB: a real warehouse built by dbt must open read-only with DuckDB 1.1.3 (in a
separate environment, tests/bi_compat/) and give every mart, and its Parquet export, exactly as the project's DuckDB
does. Skipped, with the reason, when that environment cannot be built (no network); in CI it must run
(GONGKAI_REQUIRE_BI_COMPAT)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bi_compat import old_duckdb
from gongkai.lake import Lake
from gongkai.warehouse.build import MARTS, build_warehouse
from test_warehouse_dbt import write_good_lake

RELATIONS = (*MARTS, "dim_region", "cell_keys", "code_labels")


@pytest.fixture(scope="session")
def old_python() -> Path:
    try:
        return old_duckdb.ensure_environment()
    except old_duckdb.Unavailable as error:
        if old_duckdb.required():
            pytest.fail(f"{error} ({old_duckdb.REQUIRED} is set)")
        pytest.skip(f"DuckDB {old_duckdb.VERSION} environment unavailable: {error}")


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = write_good_lake(tmp_path_factory.mktemp("bi_lake"))
    build = build_warehouse(lake, docs=False)
    assert build.published, build.failed_tests
    return lake


def read(python: Path | str, lake: Lake) -> dict:
    """What ``tests/bi_compat/read_warehouse.py`` sees with ``python``'s DuckDB."""
    done = subprocess.run(
        [str(python), str(old_duckdb.READER), str(lake.warehouse), str(lake.marts), *RELATIONS],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def old(old_python: Path, lake: Lake) -> dict:
    """What DuckDB 1.1.3 reads; the warehouse file must be left byte for byte as it was."""
    before = hashlib.sha256(lake.warehouse.read_bytes()).hexdigest()
    seen = read(old_python, lake)
    assert hashlib.sha256(lake.warehouse.read_bytes()).hexdigest() == before, "opened read-only, left unchanged"
    return seen


def test_duckdb_1_1_reads_every_mart_of_the_warehouse_read_only(old: dict, lake: Lake) -> None:
    assert old["duckdb"] == old_duckdb.VERSION
    new = read(sys.executable, lake)
    assert new["duckdb"] == duckdb.__version__ != old["duckdb"]
    assert old["counts"] == new["counts"], "every table and view is read, with the same rows"
    assert set(RELATIONS) <= set(old["counts"]) and all(old["counts"][mart] > 0 for mart in RELATIONS)
    for relation in RELATIONS:
        assert old["tables"][relation] == new["tables"][relation], relation
    applications = old["tables"]["mart_applications_by_region_year"]
    types = dict(applications["columns"])
    assert types["report_year"] == "INTEGER" and types["region_id"] == "VARCHAR"
    for column in ("reports", "reports_with_t3_non_integer", "new_received", "granted", "outcome_total"):
        assert types[column] == "BIGINT" and set(applications["python_types"][column]) <= {"int", "NoneType"}
    assert "int" in applications["python_types"]["granted"]
    assert not [
        (relation, name, kind)
        for relation in RELATIONS
        for name, kind in old["tables"][relation]["columns"]
        if kind.startswith(("DECIMAL", "DOUBLE"))
    ]


def test_duckdb_1_1_reads_the_parquet_marts_as_the_warehouse_holds_them(old: dict) -> None:
    assert set(old["parquet"]) == set(MARTS)
    for mart in MARTS:
        exported, table = old["parquet"][mart], old["tables"][mart]
        assert {k: v for k, v in exported.items() if k != "metadata_keys"} == table, mart
        assert "description" in exported["metadata_keys"], "the model's description is in the file's metadata"
