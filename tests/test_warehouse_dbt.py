"""The dbt project and build_warehouse on small staging lakes written with pyarrow (three dbt builds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from gongkai import keys
from gongkai.contract import REPORTS as REPORTS_SCHEMA
from gongkai.lake import Lake
from gongkai.regions.index import region_index
from gongkai.warehouse import build as warehouse_build
from gongkai.warehouse.build import (
    BEFORE_FINDINGS,
    EVERYTHING,
    MARTS,
    WarehouseBuild,
    WarehouseBuildError,
    build_warehouse,
    dbt_project_dir,
)
from lake_factory import cell, fact, finding, quarantined, report, section, t3_total_column, write_part
from tools import gen_seeds

NX_TOWN, NX_COUNTY, NX_CITY, NX = "640302:利通区/上桥镇", "640302:利通区", "640300:吴忠市", "640000:宁夏回族自治区"
QH_COUNTY, QH_CITY, QH = "632323:泽库县", "632300:黄南藏族自治州", "630000:青海省"
LOST = keys.UNRESOLVED_REGION

REPORTS = [
    report("nx_town22", region_id=NX_TOWN, report_year=2022),
    report("nx_cnty22", region_id=NX_COUNTY, report_year=2022),
    report("nx_cnty19", region_id=NX_COUNTY, report_year=2019, format_version=keys.FMT2019),
    report("qh_cnty22", region_id=QH_COUNTY, report_year=2022, parse_status="partial"),
    report("qh_dept22", region_id=QH_COUNTY, report_year=2022, parse_status="no_tables"),
    report("lost23", region_id=None, report_year=2023),
    report("junk", region_id=None, report_year=None, format_version=keys.NOT_A_REPORT, parse_status="no_tables"),
]

# The T3 总计 column of each report with tables; rows not listed print 0. None is a blank cell.
T3_FIGURES = {
    "nx_town22": {"new_received": 3, "granted": 2, "denied_third_party": 1, "outcome_total": 3},
    "nx_cnty22": {
        "new_received": 20,
        "carried_in": 2,
        "granted": 10,
        "partly_granted": 3,
        "denied_state_secret": 1,
        "denied_process_info": 2,
        "unable_not_held": 3,
        "noproc_repeat": 1,
        "other_no_correction": 1,
        "other_misc": 1,
        "outcome_total": 22,
    },
    "nx_cnty19": {
        "new_received": 8,
        "carried_in": 1,
        "granted": 5,
        "unable_need_creation": 2,
        "other_processing": 1,
        "outcome_total": 8,
        "carried_out": 1,
    },
    "qh_cnty22": {
        "new_received": 12,
        "carried_in": None,
        "granted": 6,
        "partly_granted": None,
        "unable_still_unclear": 2,
        "noproc_petition": 1,
        "other_fee_unpaid": 1,
        "outcome_total": 10,
        "carried_out": 2,
    },
    "lost23": {"new_received": 4, "granted": 4, "outcome_total": 4, "carried_out": "0.5"},  # not a count
}
FORMATS = {row["report_id"]: row["format_version"] for row in REPORTS}
UNCERTAIN_CELL = ("qh_cnty22", "partly_granted")

FINDINGS = [
    finding("nx_town22", "T3_BALANCE", "PASS", left=3, right=3),
    finding("nx_town22", "T3_OUTCOME_SUM", "PASS", left=3, right=3),
    finding("nx_cnty22", "T3_BALANCE", "FAIL", left=22, right=21),
    finding("nx_cnty22", "T3_OUTCOME_SUM", "PASS", left=22, right=22),
    finding("nx_cnty22", "T4_ROW_SUM", "NOT_ASSESSABLE", severity="W"),
    finding("nx_cnty19", "T3_BALANCE", "PASS", left=9, right=9),
    finding("qh_cnty22", "T3_BALANCE", "UNCERTAIN"),
    finding("qh_cnty22", "T3_OUTCOME_SUM", "FAIL", left=10, right=9),
    finding("qh_dept22", "T3_BALANCE", "NOT_ASSESSABLE"),
    finding("lost23", "T3_BALANCE", "PASS", left=4, right=4),
]

GRAIN = ["region_id", "report_year"]
SUM_GROUPS = {
    "new_received": ("new_received",),
    "carried_in": ("carried_in",),
    "granted": ("granted",),
    "partly_granted": ("partly_granted",),
    "denied": keys.DENIED_ROWS,
    "unable": keys.UNABLE_ROWS,
    "noproc": keys.NOPROC_ROWS,
    "outcome_total": ("outcome_total",),
    "carried_out": ("carried_out",),
}


def t3_cells(report_id: str) -> list[dict]:
    """The full T3 总计 column of a report as written to the lake."""
    values = {row_key: 0 for row_key in keys.t3_rows(FORMATS[report_id])} | T3_FIGURES[report_id]
    cells = t3_total_column(report_id, values)
    for row in cells:
        if (row["report_id"], row["row_key"]) == UNCERTAIN_CELL:
            row["value_status"] = "uncertain"
    return cells


def write_good_lake(root: Path) -> Lake:
    """A lake following the contract: several part files per table, some of them empty."""
    lake = Lake.at(root)
    write_part(lake, "reports", REPORTS[:4], stem="a")
    write_part(lake, "reports", REPORTS[4:], stem="b")
    cells = [row for report_id in T3_FIGURES for row in t3_cells(report_id)]
    extra = [
        cell("nx_cnty22", "T3", "new_received", "natural_person", 15),
        cell("nx_cnty22", "T3", "new_received", "commercial", 5),
        cell("nx_cnty22", "T2_8", "admin_fee", "fee_amount", "1.2345"),
        cell("nx_cnty22", "T4", "review", "total", 2),
    ]
    write_part(lake, "report_cells", cells[:40], stem="a")
    write_part(lake, "report_cells", cells[40:] + extra, stem="b")
    write_part(lake, "report_cells", [], stem="c")
    write_part(lake, "findings", FINDINGS, stem="a")
    write_part(lake, "findings", [], stem="b")
    write_part(lake, "quarantine", [quarantined("scan.jpg", "read", "image without text layer")])
    write_part(
        lake,
        "report_sections",
        [
            section("nx_town22", "preamble", 0, ""),
            section("nx_town22", "s1_overview", 1, "一、总体情况"),
            section("nx_cnty22", "s6_other", 6, "六、其他需要报告的事项"),
        ],
    )
    write_part(lake, "narrative_facts", [fact("nx_town22", "apps_received", 3), fact("nx_cnty22", "review_cases", 0)])
    return lake


def rollup_of(report_id: str) -> list[tuple]:
    """The mart rows a report counts in: its region and every ancestor (or the unresolved group), by year."""
    row = next(r for r in REPORTS if r["report_id"] == report_id)
    if row["region_id"] is None:
        return [(LOST, row["report_year"])]
    unit = region_index().units[row["region_id"]]
    return [(u.region_id, row["report_year"]) for u in [unit, *region_index().ancestors(unit)]]


def expected_applications() -> dict[tuple, dict]:
    """The applications mart computed in Python from T3_FIGURES."""
    expected: dict[tuple, dict] = {}
    for row in REPORTS:
        if row["format_version"] != keys.NOT_A_REPORT:
            for key in rollup_of(row["report_id"]):
                group = expected.setdefault(
                    key,
                    {
                        "reports": 0,
                        "reports_with_t3_total": 0,
                        "reports_with_t3_gaps": 0,
                        "reports_with_t3_non_integer": 0,
                        **{column: None for column in [*SUM_GROUPS, "other"]},
                    },
                )
                group["reports"] += 1
    for report_id in T3_FIGURES:
        printed = {c["row_key"]: c["value"] for c in t3_cells(report_id)}
        values = {row: value if value is None or value == int(value) else None for row, value in printed.items()}
        other_rows = (keys.OTHER_ROW_2019,) if FORMATS[report_id] == keys.FMT2019 else keys.OTHER_ROWS_2021
        for key in rollup_of(report_id):
            group = expected[key]
            group["reports_with_t3_total"] += 1
            group["reports_with_t3_gaps"] += any(value is None for value in values.values())
            group["reports_with_t3_non_integer"] += values != printed
            for column, rows in {**SUM_GROUPS, "other": other_rows}.items():
                present = [values[r] for r in rows if values.get(r) is not None]
                if present:
                    group[column] = (group[column] or 0) + sum(present)
    return expected


def mart_models() -> list[dict]:
    """The models of dbt_project/models/marts/ as their YAML declares them."""
    path = dbt_project_dir() / "models" / "marts" / "_marts__models.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["models"]


def read_rows(lake: Lake, sql: str) -> list[dict]:
    """Rows of a query on the warehouse, opened read-only."""
    with duckdb.connect(str(lake.warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, WarehouseBuild]:
    lake = write_good_lake(tmp_path_factory.mktemp("lake"))
    project_files = sorted(dbt_project_dir().rglob("*"))
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("GONGKAI_DBT_TARGET", raising=False)
        environment = dict(os.environ)
        build = build_warehouse(lake)
        assert dict(os.environ) == environment, "build_warehouse must restore the environment"
    assert sorted(dbt_project_dir().rglob("*")) == project_files, "dbt wrote into the project directory"
    return lake, build


def test_build_passes_every_model_and_test(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, build = built
    assert build.success, build.failed_tests
    models = len(list((dbt_project_dir() / "models").rglob("*.sql")))
    seeds = len(list((dbt_project_dir() / "seeds").glob("*.csv")))
    assert (build.models_built, build.models_skipped) == (models + seeds, 0)
    assert build.tests_failed == 0 and build.failed_tests == [] and build.tests_passed > 50
    assert (build.dbt_target / "run_results.json").is_file() and (build.dbt_target / "dbt.log").is_file()
    assert build.dbt_target == lake.state / "dbt"


def test_the_two_parts_of_a_build_select_what_one_build_selects(built: tuple[Lake, WarehouseBuild]) -> None:
    """A run builds the models that do not read findings while the check runs, and the rest after it: together the
    two parts hold every node of one `dbt build` (full or incremental), none twice."""
    lake, _ = built

    def nodes(part: str, incremental: bool) -> set[str]:
        listing = ["ls", "--output", "name", "--resource-types", "model", "seed", "test", "unit_test"]
        selection = warehouse_build._selection_arguments(part, incremental)
        outcome = warehouse_build._invoke_dbt(
            [*listing, *selection], lake, lake.warehouse, lake.state / "dbt", {"GONGKAI_WAREHOUSE_ACCESS": "read_only"}
        )
        assert outcome.success, outcome.exception
        return set(outcome.result)

    for incremental in (False, True):
        parts = [nodes(part, incremental) for part in (EVERYTHING, BEFORE_FINDINGS, warehouse_build.FINDINGS)]
        whole, before, after = parts
        assert before | after == whole and not before & after, incremental
        assert {"stg_lake__reports", "mart_applications_by_region_year"} <= before
        assert {"stg_lake__findings", "mart_rule_outcomes_by_region_year"} <= after
        # a test that reads a model of each part runs with the second
        assert any(name.startswith("relationships_stg_lake__findings_report_id") for name in after)
        assert ("dim_region" in whole) != incremental  # an incremental build keeps the copied dimension


def test_warehouse_is_released_after_the_build(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    probe = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('create or replace table probe as select 1')"
    subprocess.run([sys.executable, "-c", probe, str(lake.warehouse)], check=True, timeout=60)
    with duckdb.connect(str(lake.warehouse)) as con:
        con.execute("drop table probe")


def test_contract_tables_keep_rows_and_types(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    counts = read_rows(
        lake,
        """
        select (select count(*) from reports) as reports, (select count(*) from report_cells) as cells,
               (select count(*) from findings) as findings, (select count(*) from quarantine) as quarantine""",
    )
    n_cells = sum(len(t3_cells(report_id)) for report_id in T3_FIGURES) + 4
    assert counts == [{"reports": 7, "cells": n_cells, "findings": 10, "quarantine": 1}]
    types = {
        (r["table_name"], r["column_name"]): r["data_type"]
        for r in read_rows(
            lake, "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'main'"
        )
    }
    assert types[("reports", "report_year")] == "INTEGER"
    assert types[("report_cells", "confidence")] == "DOUBLE"
    for column in ("report_cells", "value"), ("findings", "left_value"), ("findings", "delta"):
        assert types[column] == "DECIMAL(38,10)"
    fee = read_rows(lake, "select value from report_cells where table_id = 'T2_8'")
    assert fee == [{"value": Decimal("1.2345")}]


def test_t3_totals_pivot_per_report(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    rows = {r["report_id"]: r for r in read_rows(lake, "select * from int_t3_totals_by_report")}
    assert rows["nx_cnty22"]["denied"] == 3 and rows["nx_cnty22"]["other"] == 2
    assert rows["nx_cnty19"]["other"] == 1 and rows["nx_cnty19"]["t3_total_cells"] == len(keys.T3_ROWS_2019)
    assert rows["qh_cnty22"]["t3_total_null_cells"] == 2 and rows["qh_cnty22"]["carried_in"] is None
    assert rows["qh_dept22"]["has_t3_total"] is False and rows["qh_dept22"]["new_received"] is None
    lost = rows["lost23"]  # a printed 0.5 is not a count: never rounded into carried_out, counted apart
    assert (
        lost["carried_out"],
        lost["t3_total_non_integer_cells"],
        lost["t3_total_null_cells"],
        lost["has_t3_total_gaps"],
    ) == (None, 1, 0, True)
    assert rows["nx_cnty22"]["t3_total_non_integer_cells"] == 0


LABELS = (
    "region_level",
    "region_level_zh",
    "region_name",
    "province",
    "city",
    "county",
    "township",
    "parent_region_id",
    "reports_at_region",
    "reports_flagged",
)


def test_applications_mart_rolls_up_every_level(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    rows = read_rows(lake, "select * from mart_applications_by_region_year")
    actual = {tuple(r[c] for c in GRAIN): {k: v for k, v in r.items() if k not in GRAIN + list(LABELS)} for r in rows}
    assert actual == expected_applications()
    by_key = {tuple(r[c] for c in GRAIN): r for r in rows}
    litong_2022 = by_key[(NX_COUNTY, 2022)]
    assert (
        litong_2022["reports"],
        litong_2022["reports_at_region"],
        litong_2022["new_received"],
        litong_2022["denied"],
    ) == (2, 1, 23, 4)
    town = by_key[(NX_TOWN, 2022)]
    assert (
        town["region_level"],
        town["region_level_zh"],
        town["province"],
        town["city"],
        town["county"],
        town["township"],
        town["parent_region_id"],
    ) == ("township", "乡镇（街道）", "宁夏回族自治区", "吴忠市", "利通区", "上桥镇", NX_COUNTY)
    ningxia = by_key[(NX, 2022)]
    assert (ningxia["region_level"], ningxia["region_name"], ningxia["city"], ningxia["reports"]) == (
        "province",
        "宁夏回族自治区",
        None,
        2,
    )
    assert by_key[(QH_CITY, 2022)]["region_name"] == "黄南藏族自治州"
    assert by_key[(QH, 2022)]["reports_with_t3_gaps"] == 1
    lost = by_key[(LOST, 2023)]
    assert (lost["region_level"], lost["region_level_zh"], lost["granted"], lost["reports_flagged"]) == (
        "unresolved",
        "未识别",
        4,
        1,
    )
    assert (lost["carried_out"], lost["reports_with_t3_non_integer"], lost["reports_with_t3_gaps"]) == (None, 1, 1)
    assert all(type(r[column]) is int for r in rows for column in SUM_GROUPS if r[column] is not None)
    assert not any(key[1] is None for key in actual), "not_a_report files must stay out of the marts"


def test_quality_mart_counts_findings_by_status(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    actual = {
        tuple(r[c] for c in GRAIN): tuple(
            r[c]
            for c in (
                "reports",
                "rules_checked",
                "passed",
                "failed",
                "uncertain",
                "not_assessable",
                "reports_with_failures",
            )
        )
        for r in read_rows(lake, "select * from mart_quality_by_region_year")
    }
    litong = {(NX_COUNTY, 2019): (1, 1, 1, 0, 0, 0, 0), (NX_COUNTY, 2022): (2, 4, 3, 1, 0, 1, 1)}
    zeku = (2, 2, 0, 1, 1, 1, 1)
    assert actual == {
        **litong,
        **{(region, year): row for (_, year), row in litong.items() for region in (NX_CITY, NX)},
        (NX_TOWN, 2022): (1, 2, 2, 0, 0, 0, 0),
        **{(region, 2022): zeku for region in (QH_COUNTY, QH_CITY, QH)},
        (LOST, 2023): (1, 1, 1, 0, 0, 0, 0),
    }


def test_rule_outcomes_mart_counts_reports_failing_each_rule_at_every_level(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    rows = {
        (r["region_id"], r["report_year"], r["rule_id"]): r
        for r in read_rows(lake, "select * from mart_rule_outcomes_by_region_year")
    }
    for region in (NX_COUNTY, NX_CITY, NX):  # nx_cnty22 fails T3_BALANCE; nx_town22 (below the county) passes
        balance = rows[(region, 2022, "T3_BALANCE")]
        assert (
            balance["reports"],
            balance["reports_failed"],
            balance["reports_failed_error"],
            balance["review_open"],
            balance["family"],
            balance["family_zh"],
        ) == (2, 1, 1, 1, "table", "表内勾稽")
    assert rows[(NX_TOWN, 2022, "T3_BALANCE")]["reports_failed"] == 0
    assert rows[(QH_COUNTY, 2022, "T3_BALANCE")]["reports_uncertain"] == 1
    assert rows[(QH_COUNTY, 2022, "T3_OUTCOME_SUM")]["findings_failed"] == 1


def test_coverage_mart_lists_who_published_below_each_covered_region(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    rows = read_rows(lake, "select * from mart_publication_coverage")
    by_key = {(r["region_id"], r["report_year"]): r for r in rows}
    town = by_key[(NX_TOWN, 2022)]
    assert (town["published"], town["reports_at_region"], town["parent_region_id"]) == (True, 1, NX_COUNTY)
    assert (town["region_level"], town["region_level_zh"]) == ("township", "乡镇（街道）")
    litong_towns = [r for r in rows if r["parent_region_id"] == NX_COUNTY and r["report_year"] == 2022]
    expected = read_rows(
        lake,
        f"select count(*) as n from dim_region where parent_region_id = '{NX_COUNTY}' "
        "and first_vintage <= 2022 and last_vintage >= 2022",
    )[0]["n"]
    assert len(litong_towns) == expected > 1 and sum(r["published"] for r in litong_towns) == 1
    assert (by_key[(NX_COUNTY, 2022)]["reports_at_region"], by_key[(NX_COUNTY, 2022)]["reports"]) == (1, 2)
    assert by_key[(QH_COUNTY, 2022)]["published"] and by_key[(QH_COUNTY, 2022)]["reports_at_region"] == 2
    assert not any(r["published"] for r in rows if r["parent_region_id"] == QH_COUNTY)
    assert by_key[(NX_COUNTY, 2019)]["published"] and (NX_TOWN, 2019) in by_key
    assert {r["report_year"] for r in rows} == {2019, 2022}  # the unresolved 2023 report covers no region


ARROW_TYPES = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "BOOLEAN": pa.bool_()}


def test_mart_exports_keep_types_exactly_and_carry_the_yaml_descriptions(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, build = built
    assert set(build.exports) == set(MARTS)
    documented = {model["name"]: model for model in mart_models()}
    for name, path in build.exports.items():
        assert path == lake.marts / f"{name}.parquet"
        table = pq.read_table(path)
        columns = read_rows(
            lake,
            f"select column_name, data_type from duckdb_columns() where table_name = '{name}' order by column_index",
        )
        assert table.num_rows == read_rows(lake, f"select count(*) as n from {name}")[0]["n"]
        schema = table.schema
        assert [(f.name, f.type) for f in schema] == [(c["column_name"], ARROW_TYPES[c["data_type"]]) for c in columns]
        assert schema.field("reports").type == pa.int64() and schema.field("report_year").type == pa.int32()
        assert schema.metadata[b"description"].decode() == documented[name]["description"].strip()
        yaml_docs = {column["name"]: column["description"].strip() for column in documented[name]["columns"]}
        assert {f.name: f.metadata[b"description"].decode() for f in schema} == yaml_docs
    applications = pq.read_table(build.exports["mart_applications_by_region_year"]).to_pylist()
    assert all(type(row["granted"]) is int for row in applications if row["granted"] is not None)
    assert not list(lake.marts.glob(".*.tmp"))


def test_marts_are_typed_bigint_and_declare_their_keys(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    decimals = read_rows(
        lake,
        "select table_name, column_name from duckdb_columns() where data_type like 'DECIMAL%' "
        "and (table_name like 'mart_%' or table_name = 'dim_region')",
    )
    assert decimals == [], "counts in the marts are BIGINT"
    keys_declared = {
        (r["table_name"], r["constraint_type"], tuple(r["constraint_column_names"]))
        for r in read_rows(
            lake,
            "select table_name, constraint_type, constraint_column_names from duckdb_constraints() "
            "where constraint_type in ('PRIMARY KEY', 'UNIQUE')",
        )
    }
    assert keys_declared == {
        ("dim_region", "PRIMARY KEY", ("region_id",)),
        ("mart_applications_by_region_year", "UNIQUE", ("region_id", "report_year")),
        ("mart_quality_by_region_year", "UNIQUE", ("region_id", "report_year")),
        ("mart_rule_outcomes_by_region_year", "UNIQUE", ("region_id", "report_year", "rule_id")),
        ("mart_publication_coverage", "PRIMARY KEY", ("region_id", "report_year")),
    }
    not_null = {
        r["column_name"]
        for r in read_rows(
            lake,
            "select unnest(constraint_column_names) as column_name from duckdb_constraints() "
            "where table_name = 'mart_quality_by_region_year' and constraint_type = 'NOT NULL'",
        )
    }
    assert {"region_id", "region_level", "reports", "failed", "review_open"} <= not_null
    assert "report_year" not in not_null and "province" not in not_null
    with duckdb.connect(str(lake.warehouse)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute(
            f"insert into dim_region (region_id, region_level, region_name) values ('{NX_COUNTY}', 'county', '利通区')"
        )


def test_docs_of_the_published_warehouse_are_generated_for_offline_reading(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, build = built
    assert build.docs == lake.dbt_docs / "index.html" and build.docs_error is None
    assert 0 < build.docs_seconds < build.elapsed_seconds
    page = build.docs.read_text(encoding="utf-8")
    assert '"MANIFEST.JSON INLINE DATA"' not in page and '"CATALOG.JSON INLINE DATA"' not in page  # inlined
    assert "mart_applications_by_region_year" in page and "exposure.gongkai.auditor_report" in page
    catalog = json.loads((lake.dbt_docs / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["errors"] is None
    assert {f"model.gongkai.{name}" for name in MARTS} <= set(catalog["nodes"])
    granted = catalog["nodes"]["model.gongkai.mart_applications_by_region_year"]["columns"]["granted"]
    assert granted["type"] == "BIGINT"
    run_results = json.loads((build.dbt_target / "run_results.json").read_text(encoding="utf-8"))
    assert run_results["args"]["which"] == "build", "the docs must not overwrite the build's run results"


def test_dbt_vars_mirror_the_canonical_keys() -> None:
    project = yaml.safe_load((dbt_project_dir() / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"] == {
        "t3_denied_rows": list(keys.DENIED_ROWS),
        "t3_unable_rows": list(keys.UNABLE_ROWS),
        "t3_noproc_rows": list(keys.NOPROC_ROWS),
        "t3_other_rows_2021": list(keys.OTHER_ROWS_2021),
        "t3_other_row_2019": keys.OTHER_ROW_2019,
        "unresolved_region": keys.UNRESOLVED_REGION,
    }


def test_project_override_must_point_at_a_dbt_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_DBT_PROJECT", str(tmp_path))
    with pytest.raises(WarehouseBuildError, match="no dbt project"):
        dbt_project_dir()


def test_bad_data_is_reported_as_failed_tests(tmp_path: Path) -> None:
    lake = Lake.at(tmp_path)
    duplicate = report("dup", region_id=NX_COUNTY, report_year=2022)
    write_part(lake, "reports", [duplicate, duplicate])
    write_part(lake, "report_cells", [cell("dup", "T3", "granted", "total", 1, status="approximately")])
    write_part(lake, "findings", [finding("ghost", "T3_BALANCE", "MAYBE")])
    write_part(lake, "quarantine", [])
    write_part(lake, "report_sections", [section("dup", "s7_unknown", 0, "七、附录")])
    write_part(lake, "narrative_facts", [fact("ghost", "apps_received", -1)])
    build = build_warehouse(lake)
    assert not build.success
    failed = " ".join(build.failed_tests)
    for expected in (
        "unique_stg_lake__reports_report_id",
        "in_vocabulary_stg_lake__report_cells_value_status",
        "in_vocabulary_stg_lake__findings_status",
        "relationships_stg_lake__findings",
        "in_vocabulary_stg_lake__report_sections_section_key",
        "relationships_stg_lake__narrative_facts",
        "non_negative_stg_lake__narrative_facts",
    ):
        assert expected in failed, build.failed_tests
    assert build.tests_failed == len(build.failed_tests) >= 4
    assert build.models_skipped > 0 and build.exports == {}
    assert not list(lake.marts.glob("*.parquet"))
    assert not build.published and not lake.warehouse.exists()  # a failed build is never published
    assert (lake.state / "warehouse.failed.duckdb").exists()  # but kept for inspection


def test_a_model_that_cannot_build_raises(tmp_path: Path) -> None:
    lake = Lake.at(tmp_path)
    reports = pa.Table.from_pylist([REPORTS[0]], schema=REPORTS_SCHEMA)
    year = reports.schema.get_field_index("report_year")
    reports = reports.set_column(year, "report_year", pa.array(["二〇二二年"]))
    pq.write_table(reports, lake.staging_table("reports") / "part-0.parquet")
    for table in ("report_cells", "findings", "quarantine", "report_sections", "narrative_facts"):
        write_part(lake, table, [])
    with pytest.raises(WarehouseBuildError, match=r"(?s)stg_lake__reports.*Conversion Error"):
        build_warehouse(lake)
    duckdb.connect(str(lake.warehouse)).close()


def test_a_rebuild_replaces_the_file_and_a_failed_one_leaves_it(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    size = lake.warehouse.stat().st_size
    rebuilt = build_warehouse(lake, docs=False)
    assert rebuilt.published and lake.warehouse.stat().st_size < 1.2 * size  # no growth per rebuild
    reports_before = read_rows(lake, "select count(*) as n from reports")[0]["n"]
    marts_before = {p.name: p.stat().st_mtime_ns for p in lake.marts.glob("*.parquet")}
    duplicate = report("dup", region_id=NX_COUNTY, report_year=2022)
    write_part(lake, "reports", [duplicate, duplicate], stem="zz-duplicate")
    failed = build_warehouse(lake)
    assert not failed.published and not failed.success and failed.docs is None
    assert read_rows(lake, "select count(*) as n from reports")[0]["n"] == reports_before
    assert {p.name: p.stat().st_mtime_ns for p in lake.marts.glob("*.parquet")} == marts_before


def test_dim_region_holds_every_reference_unit_with_its_ancestors(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    units = len(region_index().units)
    assert read_rows(lake, "select count(*) as n from dim_region")[0]["n"] == units + 1  # + the unresolved group
    changtan = read_rows(lake, "select * from dim_region where region_id = '450703:钦北区/长滩镇'")[0]
    assert (changtan["nbs_code"], changtan["mca_code"]) == ("450703106", "450703107")  # two code systems
    assert (
        changtan["province_region_id"],
        changtan["prefecture_region_id"],
        changtan["county_region_id"],
        changtan["township_region_id"],
    ) == ("450000:广西壮族自治区", "450700:钦州市", "450703:钦北区", "450703:钦北区/长滩镇")
    old_town = read_rows(lake, "select * from dim_region where region_id = '410308:孟津区/城关镇'")[0]
    assert (old_town["last_vintage"], old_town["mca_code"], old_town["nbs_code"]) == (2023, None, "410308100")
    dongguan = read_rows(lake, "select * from dim_region where city = '东莞市' and region_level = 'township' limit 1")[
        0
    ]
    assert dongguan["county_region_id"] is None and dongguan["prefecture_region_id"] == "441900:东莞市"


def test_the_label_seeds_hold_the_python_vocabularies_and_label_every_level(built: tuple[Lake, WarehouseBuild]) -> None:
    lake, _ = built
    codes = read_rows(lake, "select * from code_labels order by vocabulary, sort_order")
    assert [tuple(r.values()) for r in codes] == sorted(gen_seeds.code_labels_rows(), key=lambda r: (r[0], r[3]))
    cells = read_rows(lake, "select * from cell_keys order by sort_order")
    assert [tuple(r.values()) for r in cells] == gen_seeds.cell_keys_rows()
    levels = read_rows(lake, "select distinct region_level, region_level_zh from dim_region")
    assert {r["region_level"]: r["region_level_zh"] for r in levels} == keys.MART_LEVEL_LABELS
