"""check_lake: run the whole rulebook over every staged report of a lake and write the findings table.

Rules across reports (the same organisation in consecutive years) need every report at once, so the check
runs after staging, on the whole lake: build the rule database, let GX validate each rule table (results and
Data Docs kept in the lake), and turn GX's verdicts into ``staging/findings`` (one part, replaced each run).
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from gongkai.lake import Lake, part_files, write_parquet_atomic
from gongkai.rules.findings import assemble_findings, collect_rule_rows
from gongkai.rules.gx_context import ExpectationOutcome, data_docs_index, run_rulebook
from gongkai.rules.rule_db import build_rule_db, rule_tables
from gongkai.rules.suites import catalogue_table, default_suites_dir, load_expectations

FINDINGS_PART = "checks"
LOCAL_DEADLINES = Path(__file__).resolve().parents[2] / "data_lake" / "reference" / "local_deadlines.csv"


@dataclass
class CheckResult:
    """What a check did: counts by status and by failing rule, and where its outputs are."""

    reports: int = 0
    findings: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    failing_rules: Counter[str] = field(default_factory=Counter)
    data_docs: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def check_lake(lake: Lake, run_name: str, suites_dir: Path | None = None) -> CheckResult:
    """Validate every rule on every staged report of ``lake``; write ``staging/findings``."""
    suites_dir = suites_dir or default_suites_dir()
    expectations = load_expectations(suites_dir)
    catalogue = catalogue_table(expectations)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    build_rule_db(lake, suites_dir / "sql", LOCAL_DEADLINES, catalogue)
    timings["rule_tables"] = time.perf_counter() - started
    con = duckdb.connect(str(lake.rule_db))
    try:
        _check_tables(con, catalogue)
    finally:
        con.close()   # GX opens the file itself

    started = time.perf_counter()
    outcomes = run_rulebook(lake, expectations, run_name)
    timings["gx_validation"] = time.perf_counter() - started

    started = time.perf_counter()
    con = duckdb.connect(str(lake.rule_db))
    try:
        con.register("unexpected_arrow", _unexpected(con, outcomes))
        con.execute("CREATE OR REPLACE TABLE unexpected AS SELECT * FROM unexpected_arrow")
        collect_rule_rows(con, catalogue)
        findings = assemble_findings(con)
        count_row = con.execute("SELECT count(*) FROM reports").fetchone()
        reports = count_row[0] if count_row else 0   # count(*) always returns one row
    finally:
        con.close()
    _write_findings(lake, findings)
    timings["findings"] = time.perf_counter() - started
    statuses = findings.column("status").to_pylist()
    failing = [rule for rule, status in zip(findings.column("rule_id").to_pylist(), statuses, strict=True)
               if status == "FAIL"]
    return CheckResult(reports=reports, findings=findings.num_rows, by_status=Counter(statuses),
                       failing_rules=Counter(failing), data_docs=str(data_docs_index(lake)), seconds=timings)


def _check_tables(con: duckdb.DuckDBPyConnection, catalogue: pa.Table) -> None:
    """Every rule has its table and every rule table has its rule."""
    expected = set(catalogue.column("batch").to_pylist())
    present = rule_tables(con)
    if expected != present:
        raise ValueError(f"rule tables without a rule: {sorted(present - expected)}; "
                         f"rules without a table: {sorted(expected - present)}")


def _unexpected(con: duckdb.DuckDBPyConnection, outcomes: list[ExpectationOutcome]) -> pa.Table:
    """(rule_id, report_id, scope, mode) of every row GX found unexpected.

    GX returns at most 200 rows per expectation; beyond that the rows come from the query GX reports for them
    (its own for built-in expectations, the expectation's for UnexpectedRowsExpectation), and their number must
    be the count GX computed.
    """
    rows: list[dict[str, str]] = []
    for outcome in outcomes:
        rule_id = outcome.meta["rule_id"]
        if outcome.exception:
            raise RuntimeError(f"GX could not evaluate {rule_id}: {outcome.exception}")
        found = outcome.unexpected_rows
        if len(found) < outcome.unexpected_count and outcome.unexpected_query:
            cursor = con.execute(outcome.unexpected_query.rstrip().rstrip(";"))
            names = [d[0] for d in cursor.description]
            found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        if len(found) != outcome.unexpected_count:
            raise RuntimeError(f"GX counted {outcome.unexpected_count} unexpected rows for {rule_id} "
                               f"but {len(found)} were returned")
        rows.extend({"rule_id": rule_id, "report_id": r["report_id"], "scope": r["scope"], "mode": r["mode"]}
                    for r in found)
    schema = pa.schema([(name, pa.string()) for name in ("rule_id", "report_id", "scope", "mode")])
    return pa.Table.from_pylist(rows, schema=schema)


def _write_findings(lake: Lake, findings: pa.Table) -> None:
    """Replace the findings table by this check's part (parts of older runs and staging batches are removed)."""
    folder = lake.staging_table("findings")
    written = write_parquet_atomic(findings, folder, stem=FINDINGS_PART)
    for part in part_files(folder):
        if part != written:
            part.unlink()
