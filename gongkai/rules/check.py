"""check_lake: run the rulebook over the staged reports of a lake and write the findings table.

Rules across reports (the same organisation in consecutive years) compare a report with its previous one, so a
check judges a set of *subjects* with their previous reports at hand: every staged report (a full check), or the new
reports and the reports paired with them (an incremental check: their findings replace the old ones, the findings of
every other report are kept). Either way: build the rule database of the subjects, let GX validate each rule table
(results and Data Docs kept in the lake, one validation run per check), and turn GX's verdicts into
``staging/findings`` (gongkai.rules.findings_store). The report pairs of the whole lake are written beside the rule
database (``checks/report_pairs.parquet``); a published build keeps them (gongkai.run.changes.remember_build_inputs),
and the next incremental check compares with them to find the reports whose previous year changed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.lake import Lake, part_files, write_atomic
from gongkai.rules import findings_store
from gongkai.rules.findings import assemble_findings, collect_rule_rows
from gongkai.rules.gx_context import ExpectationOutcome, data_docs_index, run_rulebook
from gongkai.rules.pairs import paired_with, report_pairs
from gongkai.rules.rule_db import build_rule_db, rule_tables
from gongkai.rules.suites import catalogue_table, default_suites_dir, load_expectations
from gongkai.run.changes import PAIRS_FILE, published_pairs

LOCAL_DEADLINES = Path(__file__).resolve().parents[2] / "data_lake" / "reference" / "local_deadlines.csv"
_PAIR_COLUMNS = (
    "report_id",
    "file_name",
    "publisher",
    "org_type",
    "admin_level",
    "region_code",
    "report_year",
    "format_version",
)


@dataclass
class CheckResult:
    """What a check did: the reports it checked, the lake's findings by status and by failing rule, where its
    outputs are."""

    reports: int = 0  # reports checked by this run
    findings: int = 0  # findings of the whole lake
    by_status: Counter[str] = field(default_factory=Counter)
    failing_rules: Counter[str] = field(default_factory=Counter)
    data_docs: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    checked: frozenset[str] | None = None  # the reports checked, None when every report was
    full: bool = True


def check_lake(
    lake: Lake,
    run_name: str,
    suites_dir: Path | None = None,
    new_reports: Collection[str] | None = None,
    *,
    docs_now: bool = True,
) -> CheckResult:
    """Validate every rule on the staged reports of ``lake`` and write ``staging/findings``.

    ``new_reports``: check only these reports and the reports paired with them, keeping every other report's
    findings (None: check every report). Falls back to a full check when the last check left no report pairs.
    ``docs_now``: build the Data Docs before returning (else gongkai.rules.gx_context.build_deferred_docs, in this
    process, builds them later).
    """
    suites_dir = suites_dir or default_suites_dir()
    expectations = load_expectations(suites_dir)
    catalogue = catalogue_table(expectations)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    pairs = report_pairs(_staged_reports(lake))
    subjects = None
    if new_reports is not None and published_pairs(lake).is_file():
        subjects = paired_with(pairs, pq.read_table(published_pairs(lake)), set(new_reports))
    timings["pairs"] = time.perf_counter() - started
    started = time.perf_counter()
    build_rule_db(lake, suites_dir / "sql", LOCAL_DEADLINES, catalogue, pairs, subjects)
    timings["rule_tables"] = time.perf_counter() - started
    con = duckdb.connect(str(lake.rule_db))
    try:
        _check_tables(con, catalogue)
    finally:
        con.close()  # GX opens the file itself

    started = time.perf_counter()
    outcomes = run_rulebook(lake, expectations, run_name, timings, docs_now=docs_now)
    timings["gx_validation"] = time.perf_counter() - started

    started = time.perf_counter()
    con = duckdb.connect(str(lake.rule_db))
    try:
        con.register("unexpected_arrow", _unexpected(con, outcomes))
        con.execute("CREATE OR REPLACE TABLE unexpected AS SELECT * FROM unexpected_arrow")
        collect_rule_rows(con, catalogue)
        findings = assemble_findings(con)
        checked = {report_id for (report_id,) in con.execute("SELECT report_id FROM subjects").fetchall()}
    finally:
        con.close()
    if subjects is None:
        findings_store.write_all(lake, findings, run_name)
    else:
        findings_store.replace_reports(lake, findings, checked, run_name)
    write_atomic(lake.checks / PAIRS_FILE, lambda tmp: pq.write_table(pairs, tmp))
    timings["findings"] = time.perf_counter() - started
    return lake_findings(
        lake, reports=len(checked), seconds=timings, checked=None if subjects is None else frozenset(checked)
    )


def lake_findings(
    lake: Lake, reports: int = 0, seconds: dict[str, float] | None = None, checked: frozenset[str] | None = frozenset()
) -> CheckResult:
    """The lake's findings counted as a CheckResult (``checked``: what the check judged; empty when none ran)."""
    counts = findings_store.count_findings(lake)
    return CheckResult(
        reports=reports,
        findings=counts.findings,
        by_status=counts.by_status,
        failing_rules=counts.failing_rules,
        data_docs=str(data_docs_index(lake)),
        seconds=seconds or {},
        checked=checked,
        full=checked is None,
    )


def _staged_reports(lake: Lake) -> pa.Table:
    """The columns of every staged report that pairing reads."""
    parts = part_files(lake.staging_table("reports"))
    if not parts:
        return pa.table({name: pa.array([], pa.string()) for name in _PAIR_COLUMNS})
    with duckdb.connect() as con:
        return con.execute(
            f"SELECT {', '.join(_PAIR_COLUMNS)} FROM read_parquet(?, union_by_name = true) ORDER BY report_id",
            [[str(p) for p in parts]],
        ).to_arrow_table()


def _check_tables(con: duckdb.DuckDBPyConnection, catalogue: pa.Table) -> None:
    """Every rule has its table and every rule table has its rule."""
    expected = set(catalogue.column("batch").to_pylist())
    present = rule_tables(con)
    if expected != present:
        raise ValueError(
            f"rule tables without a rule: {sorted(present - expected)}; "
            f"rules without a table: {sorted(expected - present)}"
        )


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
            raise RuntimeError(
                f"GX counted {outcome.unexpected_count} unexpected rows for {rule_id} but {len(found)} were returned"
            )
        rows.extend(
            {"rule_id": rule_id, "report_id": r["report_id"], "scope": r["scope"], "mode": r["mode"]} for r in found
        )
    schema = pa.schema([(name, pa.string()) for name in ("rule_id", "report_id", "scope", "mode")])
    return pa.Table.from_pylist(rows, schema=schema)
