"""Great Expectations on the rule database: a file-backed context in ``<lake>/gx``, Data Docs in
``<lake>/reports/data_docs``.

Each rule is one expectation in a suite of its own, validated against its table ``rule_<id>`` of
``<lake>/checks/rules.duckdb`` through GX's SQL data source; one checkpoint runs them all, keeps the
validation results of every run in the context's store, and rebuilds the Data Docs.

GX 1.24's SQL engine reads a DuckDB cursor after closing its connection and gets no rows (stack_notes R1,
great_expectations#10738); :func:`_keep_duckdb_connection` gives DuckDB the persisted connection GX already
gives SQLite, which makes every metric correct (tests/test_rulebook.py checks it on a real DuckDB file).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.lake import Lake, write_atomic

if TYPE_CHECKING:
    from great_expectations.data_context.store.store import DataDocsSiteConfigTypedDict

DATASOURCE = "rules"
CHECKPOINT = "rulebook"
DOCS_SITE = "gongkai"
INDEX_COLUMNS = ["report_id", "scope", "mode"]
WHOLE_TABLE = "all"  # the one batch definition of each rule table
KEEP_VALIDATION_RUNS = 5  # GX results (and their Data Docs pages) of the newest runs; the findings keep the rest


@dataclass(frozen=True)
class ExpectationOutcome:
    """GX's result for one rule: its meta, how many rows it found unexpected, the rows it returned, and the
    query that selects all of them (GX returns at most 200 rows)."""

    meta: dict[str, Any]
    unexpected_count: int
    unexpected_rows: list[dict[str, Any]]
    unexpected_query: str | None
    exception: str | None


# The Data Docs a check left for later (run_rulebook(docs_now=False)): its context and the results to show.
_docs_to_build: list[tuple[Any, list[Any]]] = []


def run_rulebook(
    lake: Lake,
    expectations: list[dict[str, Any]],
    run_name: str,
    timings: dict[str, float] | None = None,
    *,
    docs_now: bool = True,
) -> list[ExpectationOutcome]:
    """Validate every expectation against its rule table, keep the results and rebuild the Data Docs (or, when not
    ``docs_now``, leave that to :func:`build_deferred_docs` in this process, so that the findings come first).

    ``timings`` receives the seconds of each part: gx_setup (import, context, suites), gx_run, gx_docs."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from great_expectations.core.run_identifier import RunIdentifier

    _keep_duckdb_connection()
    context = _context(lake)
    checkpoint = _stored_checkpoint(context, lake, expectations) or _add_checkpoint(context, lake, expectations)
    timings["gx_setup"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        result = checkpoint.run(run_id=RunIdentifier(run_name=run_name))
    finally:
        _close_engines(str(lake.rule_db))
    timings["gx_run"] = time.perf_counter() - started
    started = time.perf_counter()
    prune_validation_runs(lake)
    if docs_now:
        _build_docs(context, list(result.run_results))
        timings["gx_docs"] = time.perf_counter() - started
    else:
        _docs_to_build.append((context, list(result.run_results)))
    return [_outcome(item) for validation in result.run_results.values() for item in validation.results]


def build_deferred_docs() -> float:
    """Build the Data Docs of the checks this process ran with ``docs_now=False``; the seconds it took."""
    started = time.perf_counter()
    while _docs_to_build:
        _build_docs(*_docs_to_build.pop(0))
    return time.perf_counter() - started


def _build_docs(context: Any, results: list[Any]) -> None:
    # One Data Docs build for the whole run (a checkpoint action would rebuild the site after every rule).
    context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=results)


def _add_checkpoint(context: Any, lake: Lake, expectations: list[dict[str, Any]]) -> Any:
    """Write the data source, one suite and one validation definition per rule and the checkpoint into the
    context, and remember what they were written from (:func:`_stored_checkpoint`)."""
    import great_expectations as gx

    datasource = _datasource(context, lake, sorted({e["meta"]["batch"] for e in expectations}))
    definitions = []
    for expectation in expectations:
        rule_id, table = expectation["meta"]["rule_id"], expectation["meta"]["batch"]
        batch = datasource.get_asset(table).get_batch_definition(WHOLE_TABLE)
        suite = context.suites.add_or_update(gx.ExpectationSuite(name=rule_id, expectations=[expectation]))
        definitions.append(
            context.validation_definitions.add_or_update(gx.ValidationDefinition(name=rule_id, data=batch, suite=suite))
        )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=definitions,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS},
        )
    )
    write_atomic(_fingerprint_file(lake), lambda tmp: tmp.write_text(_fingerprint(lake, expectations)))
    return checkpoint


def _stored_checkpoint(context: Any, lake: Lake, expectations: list[dict[str, Any]]) -> Any | None:
    """The checkpoint the context holds, when it was written from these expectations for this lake by this GX
    version (writing 59 suites, definitions and the checkpoint again costs seconds a run); None otherwise."""
    stored = _fingerprint_file(lake)
    if not stored.is_file() or stored.read_text() != _fingerprint(lake, expectations):
        return None
    try:
        return context.checkpoints.get(CHECKPOINT)
    except Exception:  # removed or unreadable: written again
        return None


def _fingerprint(lake: Lake, expectations: list[dict[str, Any]]) -> str:
    import great_expectations as gx

    content = json.dumps(
        [gx.__version__, str(lake.rule_db.resolve()), INDEX_COLUMNS, expectations],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _fingerprint_file(lake: Lake) -> Path:
    return lake.root / "gx" / "rulebook.sha256"


def _datasource(context: Any, lake: Lake, tables: list[str]) -> Any:
    """The SQL data source on the rule database with one table asset per rule table, each with one whole-table
    batch definition. Written in one call when the lake is new or moved or the rulebook changed: adding the assets
    one by one rewrites the context's YAML twice per asset (10 s for 59 rules)."""
    url = f"duckdb:///{lake.rule_db}"
    if DATASOURCE in context.data_sources.all():
        datasource = context.data_sources.get(DATASOURCE)
        if (
            datasource.connection_string == url
            and sorted(datasource.get_asset_names()) == tables
            and all([b.name for b in a.batch_definitions] == [WHOLE_TABLE] for a in datasource.assets)
        ):
            return datasource
    assets = [
        {"name": table, "type": "table", "table_name": table, "batch_definitions": [{"name": WHOLE_TABLE}]}
        for table in tables
    ]
    return context.data_sources.add_or_update_sql(DATASOURCE, connection_string=url, assets=assets)


def prune_validation_runs(lake: Lake, keep: int = KEEP_VALIDATION_RUNS) -> None:
    """Remove GX's validation results and their Data Docs pages but those of the newest ``keep`` runs.

    GX keeps every result of every run (one file per rule and run, ``<suite>/<run name>/<run time>/``), and
    rebuilding the Data Docs index reads them all: without a bound, a daily run's checks would slow down day by
    day. The findings tables and the auditor report are the record of older runs."""
    roots = [lake.root / "gx" / "uncommitted" / "validations", lake.data_docs / "validations"]
    leaves = [leaf for root in roots if root.is_dir() for leaf in root.glob("*/*/*") if leaf.is_dir()]
    newest = set(sorted({leaf.name for leaf in leaves}, reverse=True)[:keep])  # run times sort as they read
    for leaf in leaves:
        if leaf.name not in newest:
            shutil.rmtree(leaf, ignore_errors=True)
            if not any(leaf.parent.iterdir()):
                leaf.parent.rmdir()


def data_docs_index(lake: Lake) -> Path:
    """Where the Data Docs' entry page is written."""
    return lake.data_docs / "index.html"


def _context(lake: Lake) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(lake.root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    site: DataDocsSiteConfigTypedDict = {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(lake.data_docs)},
    }
    sites = context.config.data_docs_sites or {}
    if sites.get(DOCS_SITE) != site:
        if DOCS_SITE in sites:
            context.update_data_docs_site(DOCS_SITE, site)
        else:
            context.add_data_docs_site(DOCS_SITE, site)
    for other in [name for name in sites if name != DOCS_SITE]:
        context.delete_data_docs_site(other)
    return context


def _outcome(item: Any) -> ExpectationOutcome:
    meta = dict(item.expectation_config.meta)
    if item.exception_info.get("raised_exception"):
        return ExpectationOutcome(meta, 0, [], None, item.exception_info.get("exception_message"))
    for info in item.exception_info.values():  # metric errors are keyed by metric id
        if isinstance(info, dict) and info.get("raised_exception"):
            return ExpectationOutcome(meta, 0, [], None, info.get("exception_message"))
    result = item.result
    if "details" in result:  # UnexpectedRowsExpectation
        rows = result["details"].get("unexpected_rows") or []
        query = item.expectation_config.kwargs["unexpected_rows_query"].replace("{batch}", meta["batch"])
        return ExpectationOutcome(meta, int(result["observed_value"]), rows, query, None)
    rows = result.get("unexpected_index_list") or []
    if result.get("unexpected_count") is None:  # an empty table: GX computes no counts
        if result.get("element_count", 0) != 0 or "observed_value" in result and result["observed_value"]:
            raise RuntimeError(f"GX returned no unexpected count for {meta['rule_id']}: {result}")
        return ExpectationOutcome(meta, 0, [], None, None)
    return ExpectationOutcome(
        meta,
        int(result["unexpected_count"]),
        rows,
        _index_query(item.expectation_config.kwargs, result.get("unexpected_index_query")),
        None,
    )


def _index_query(kwargs: dict[str, Any], query: str | None) -> str | None:
    """GX's query for the unexpected rows of a built-in expectation, made to honour ``ignore_row_if``.

    GX 1.24 counts a column pair expectation's unexpected rows without the rows it ignores, but its
    ``unexpected_index_query`` for ``expect_column_pair_values_to_be_equal`` still returns the rows where one value
    is missing; those rows are filtered out here so that the query returns exactly the rows GX counted.
    """
    if query is None or kwargs.get("ignore_row_if") != "either_value_is_missing":
        return query
    pair = (kwargs["column_A"], kwargs["column_B"])
    return (
        f"SELECT * FROM ({query.rstrip().rstrip(';')}) AS gx_unexpected "
        f"WHERE {pair[0]} IS NOT NULL AND {pair[1]} IS NOT NULL"
    )


def _close_engines(database: str) -> None:
    """Close the DuckDB connections GX left open on ``database``, so that it can be opened again, or replaced, in
    this process. GX creates engines internally (and keeps one connection per engine, :func:`_keep_duckdb_connection`)
    and drops them without disposing their pools, so the engines and the pools are found by type, in one pass
    over the objects the collector tracks (dropped ones are listed until collected; a collection first would cost
    0.4 s with dbt, GX and Prefect loaded)."""
    import gc

    from great_expectations.execution_engine import SqlAlchemyExecutionEngine
    from sqlalchemy.pool import Pool

    engines: list[SqlAlchemyExecutionEngine] = []
    pools: list[Pool] = []
    for tracked in gc.get_objects():
        if isinstance(tracked, SqlAlchemyExecutionEngine):
            engines.append(tracked)
        elif isinstance(tracked, Pool):
            pools.append(tracked)
    for engine in engines:
        if engine.engine is not None and engine.engine.url.database == database and engine._connection is not None:
            engine._connection.close()  # back to its pool, which is disposed below
            engine._connection = None
    for pool in pools:
        # a pool never given an engine's dialect has SQLAlchemy's placeholder _ConnDialect, which has no name
        if getattr(getattr(pool, "_dialect", None), "name", None) == "duckdb":
            pool.dispose()


def _keep_duckdb_connection() -> None:
    """Make GX hold one DuckDB connection per engine, as it does for SQLite (see the module docstring)."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

    if not any(getattr(d, "value", None) == _DuckDBDialect.value for d in engine._PERSISTED_CONNECTION_DIALECTS):
        # GX declares this private tuple as GXSqlDialect members only; the stand-in compares equal to one
        engine._PERSISTED_CONNECTION_DIALECTS = (  # type: ignore[assignment]
            *engine._PERSISTED_CONNECTION_DIALECTS,
            _DuckDBDialect(),
        )


class _DuckDBDialect:
    """Compares equal to GX's name for the DuckDB dialect, like a member of GXSqlDialect would."""

    value = "duckdb"

    def __eq__(self, other: object) -> bool:
        return str(getattr(other, "value", other)).lower() == self.value

    def __hash__(self) -> int:
        return hash(self.value)
