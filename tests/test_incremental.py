"""Incremental builds: adding a file re-checks only its report and its pairs, and ends where a full build ends.

Two lakes are built from generated report series (five years of one publisher each, so that cross-year rules pair
reports) and the bundled text samples. One lake is built without the middle year of a series, then that report is
added: an incremental run. The other is built from everything at once. Their findings, warehouse tables and marts
must be equal. The triggers of full rebuilds (rulebook, dbt project, region reference) are shown on copies of the
incremental lake, with the inputs redirected by their environment variables.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from corpus import REPO, SAMPLE_INBOX
from flows.pipeline import pipeline
from gongkai.lake import Lake
from gongkai.run.changes import (
    FULL,
    INCREMENTAL,
    NOTHING,
    REPORT_CODE,
    RULES_CODE,
    TEMPLATES,
    current_inputs,
    plan_build,
    published_pairs,
    remember_build_inputs,
)
from gongkai.staging.stage import report_id_of

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_reports import generate  # noqa: E402

SERIES = 3
HELD_BACK = 7  # the middle year (2021) of the second series
NEXT_YEAR = 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """(an inbox of every file but the held-back report, the generated files in index order)."""
    root = tmp_path_factory.mktemp("corpus")
    files = generate(SERIES * 5, root / "generated", 0, truth_dir=root / "truth", series=True)
    inbox = root / "inbox"
    inbox.mkdir()
    for path in [*files, *(p for p in SAMPLE_INBOX.iterdir() if p.suffix == ".txt")]:
        if path != files[HELD_BACK]:
            shutil.copy(path, inbox / path.name)
    return inbox, files


@pytest.fixture(scope="module")
def lakes(prefect_server: str, corpus, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """An incremental lake (base, then +1 file) and a full lake (everything in one run), with their summaries.
    One inbox serves both, so that the reports' source URIs are equal."""
    inbox, files = corpus
    incremental, full = tmp_path_factory.mktemp("incremental"), tmp_path_factory.mktemp("full")
    first = pipeline(inbox=str(inbox), lake=str(incremental))
    shutil.copy(files[HELD_BACK], inbox / files[HELD_BACK].name)
    second = pipeline(inbox=str(inbox), lake=str(incremental))
    whole = pipeline(inbox=str(inbox), lake=str(full))
    return {"incremental": incremental, "full": full, "first": first, "second": second, "whole": whole}


def _report_id(path: Path) -> str:
    return report_id_of(hashlib.sha256(path.read_bytes()).hexdigest())


def _rows(lake: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(Lake(lake).warehouse), read_only=True) as con:
        return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def _tables(lake: Path) -> list[str]:
    with duckdb.connect(str(Lake(lake).warehouse), read_only=True) as con:
        return [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]


def test_adding_a_file_checks_only_its_report_and_the_next_year(lakes: dict, corpus) -> None:
    _inbox, files = corpus
    assert lakes["first"]["build"].startswith(FULL)
    second = lakes["second"]
    assert second["landed"] == 1 and second["build"].startswith(INCREMENTAL), second["build"]
    # the new report, and the next year's report whose previous year it now is; the year before is only read
    assert second["checked_reports"] == 2
    assert second["dbt"]["incremental"] and not lakes["whole"]["dbt"]["incremental"]
    with duckdb.connect(str(Lake(lakes["incremental"]).rule_db), read_only=True) as con:  # the last check's
        checked = {r for (r,) in con.execute("SELECT report_id FROM subjects").fetchall()}
        judged = {r for (r,) in con.execute("SELECT DISTINCT report_id FROM rule_t3_balance").fetchall()}
    assert checked == {_report_id(files[HELD_BACK]), _report_id(files[NEXT_YEAR])}
    assert judged <= checked  # GX validates the subjects' rows only


def test_an_incremental_build_equals_a_full_build(lakes: dict) -> None:
    incremental, full = lakes["incremental"], lakes["full"]
    with duckdb.connect() as con:
        findings = [
            con.execute(
                "SELECT * FROM read_parquet(?) ORDER BY ALL",
                [str(Lake(lake).staging_table("findings") / "part-*.parquet")],
            ).fetchall()
            for lake in (incremental, full)
        ]
    assert findings[0] == findings[1] and findings[0]
    tables = _tables(full)
    assert _tables(incremental) == tables
    for table in [t for t in tables if t.startswith(("mart_", "dim_"))] + [
        "findings",
        "reports",
        "report_cells",
        "int_findings_reviewed",
        "cell_keys",  # the seeds: loaded by the full build, kept by the incremental one
        "code_labels",
    ]:
        assert _rows(incremental, table) == _rows(full, table), table
    assert lakes["second"]["findings_by_status"] == lakes["whole"]["findings_by_status"]


def test_a_check_that_falls_back_to_every_report_makes_a_full_warehouse_build(
    prefect_server: str, corpus, lakes: dict, tmp_path: Path
) -> None:
    """A lake whose last check left no report pairs (built before they were kept) is checked in full when a file is
    added; the warehouse then takes every report's findings, not only the new report's (the warehouse's first part
    was started as an incremental build before the check said so)."""
    inbox, files = corpus
    held_back = files[HELD_BACK]
    base_inbox = tmp_path / "inbox"
    shutil.copytree(inbox, base_inbox, ignore=lambda _folder, names: [n for n in names if n == held_back.name])
    lake = tmp_path / "lake"
    pipeline(inbox=str(base_inbox), lake=str(lake))
    published_pairs(Lake.at(lake)).unlink()
    shutil.copy(held_back, base_inbox / held_back.name)
    second = pipeline(inbox=str(base_inbox), lake=str(lake))
    assert second["build"].startswith(INCREMENTAL), second["build"]
    assert second["checked_reports"] == lakes["whole"]["checked_reports"]  # every report
    assert not second["dbt"]["incremental"]
    for table in (
        "findings",
        "int_findings_reviewed",
        "mart_rule_outcomes_by_region_year",
        "mart_quality_by_region_year",
    ):
        assert _rows(lake, table) == _rows(lakes["full"], table), table


def test_after_an_incremental_build_nothing_is_new(lakes: dict) -> None:
    plan = plan_build(Lake.at(lakes["incremental"]))
    assert plan.kind == NOTHING, plan.describe()


@pytest.fixture
def lake_copy(lakes: dict, tmp_path: Path) -> Lake:
    """A copy of the incremental lake, to record and change inputs on."""
    shutil.copytree(lakes["incremental"], tmp_path / "lake")
    return Lake.at(tmp_path / "lake")


def _redirect(monkeypatch: pytest.MonkeyPatch, variable: str, source: Path, copy: Path) -> Path:
    """Point ``variable`` at a copy of ``source`` and record the lake's inputs with it (nothing changed yet)."""
    if source.is_dir():
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("target", "logs"))
    else:
        shutil.copy(source, copy)
    monkeypatch.setenv(variable, str(copy))
    return copy


def test_changing_a_rule_file_triggers_a_full_recheck(
    lake_copy: Lake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suites = _redirect(monkeypatch, "GONGKAI_EXPECTATIONS", REPO / "expectations", tmp_path / "expectations")
    remember_build_inputs(lake_copy, current_inputs(lake_copy))
    assert plan_build(lake_copy).kind == NOTHING
    with (suites / "sql" / "10_table_rules.sql").open("a", encoding="utf-8") as sql:
        sql.write("\n-- a changed rule\n")
    plan = plan_build(lake_copy)
    assert (plan.kind, plan.full_check, plan.full_warehouse, plan.all_pages) == (FULL, True, True, True)
    assert plan.reasons == ("the rulebook changed",)


@pytest.mark.parametrize("changed", ["models/marts/mart_quality_by_region_year.sql", "seeds/code_labels.csv"])
def test_changing_a_dbt_model_or_seed_triggers_a_full_refresh_only_of_the_warehouse(
    changed: str, lake_copy: Lake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _redirect(monkeypatch, "GONGKAI_DBT_PROJECT", REPO / "dbt_project", tmp_path / "dbt_project")
    remember_build_inputs(lake_copy, current_inputs(lake_copy))
    path = project / changed  # an incremental build skips the seeds: only a full one loads a changed seed
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    plan = plan_build(lake_copy)
    assert (plan.kind, plan.full_check, plan.full_warehouse, plan.all_pages) == (FULL, False, True, True)
    assert not plan.new_reports


def test_changing_the_region_reference_triggers_a_full_build(
    lake_copy: Lake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.regions.reference import DEFAULT_PATH

    regions = _redirect(monkeypatch, "GONGKAI_REGIONS", DEFAULT_PATH, tmp_path / "regions.parquet")
    remember_build_inputs(lake_copy, current_inputs(lake_copy))
    with regions.open("ab") as table:
        table.write(b"\0")
    plan = plan_build(lake_copy)
    assert (plan.kind, plan.full_check, plan.full_warehouse) == (FULL, True, True)
    assert plan.reasons == ("the region reference changed",)


def test_the_code_fingerprints_cover_the_rules_and_the_report_code() -> None:
    """The rulebook's and the report's fingerprints hash code found by path: the folders globbed hold that code."""
    assert {"check.py", "suites.py", "pairs.py"} <= {p.name for p in RULES_CODE.glob("*.py")}
    assert {"auditor.py", "loading.py", "excel.py"} <= {p.name for p in REPORT_CODE.glob("*.py")}
    assert {"auditor_report.html", "auditor.css"} <= {p.name for p in TEMPLATES.glob("*")}


def test_findings_parts_are_replaced_report_by_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full check writes parts of REPORTS_PER_PART reports; an incremental one adds a part and rewrites only the
    parts that held the reports it re-checked."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from gongkai.contract import FINDINGS
    from gongkai.rules import findings_store
    from lake_factory import finding

    monkeypatch.setattr(findings_store, "REPORTS_PER_PART", 2)
    lake = Lake.at(tmp_path / "lake")
    rows = [finding(f"r{i}", rule, "PASS") for i in range(5) for rule in ("T3_BALANCE", "T3_TOTAL_ROW")]
    findings_store.write_all(lake, pa.Table.from_pylist(rows, schema=FINDINGS), "full")
    parts = sorted(lake.staging_table("findings").glob("part-*.parquet"))
    assert [pq.read_table(p).column("report_id").to_pylist() for p in parts] == [
        ["r0", "r0", "r1", "r1"],
        ["r2", "r2", "r3", "r3"],
        ["r4", "r4"],
    ]
    stamps = {p.name: p.stat().st_mtime_ns for p in parts}
    again = [finding(r, "T3_BALANCE", "FAIL") for r in ("r1", "r5")]
    findings_store.replace_reports(lake, pa.Table.from_pylist(again, schema=FINDINGS), {"r1", "r5"}, "inc")
    now = sorted(lake.staging_table("findings").glob("part-*.parquet"))
    assert {p.name for p in now if stamps.get(p.name) == p.stat().st_mtime_ns} == {parts[1].name, parts[2].name}
    with duckdb.connect() as con:
        got = con.execute(
            "SELECT report_id, status, count(*) FROM read_parquet(?) GROUP BY ALL ORDER BY ALL", [[str(p) for p in now]]
        ).fetchall()
    assert got == [
        ("r0", "PASS", 2),
        ("r1", "FAIL", 1),
        ("r2", "PASS", 2),
        ("r3", "PASS", 2),
        ("r4", "PASS", 2),
        ("r5", "FAIL", 1),
    ]
    assert findings_store.count_findings(lake).by_status == {"PASS": 8, "FAIL": 2}
