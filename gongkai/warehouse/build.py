"""Build ``<lake>/warehouse.duckdb`` with the dbt project and export the marts as Parquet.

Every build writes a DuckDB file beside the warehouse and replaces the warehouse with it only when every model
built and every test passed (an atomic rename): readers never see a half-built or failed warehouse. A full build
starts from an empty file. An incremental build starts from a copy of the published warehouse and rebuilds only the
rows of the reports it is given (listed in ``<lake>/state/touched_reports.parquet``, read by the incremental models:
dbt_project/macros/incremental.sql); ``dbt build`` runs every data and unit test either way. A failed build is kept
for inspection as ``<lake>/state/warehouse.failed.duckdb``. The file being built always has the same name, so that
dbt's partial parsing sees the same profile from one build to the next. A build may run in two parts
(:class:`WarehouseBuilder`): the models that do not read the rulebook's findings while the check runs, the rest after.

After a published build the marts are exported to ``<lake>/marts/<mart>.parquet``, each column carrying its
description from the dbt YAML (Arrow field metadata ``description``; the model's in the schema metadata), and
``dbt docs generate --static`` documents the published warehouse (opened read-only) in
``<lake>/reports/dbt-docs/index.html``, a single page that works offline.

The dbt project (``dbt_project/``) reads these environment variables, which ``build_warehouse`` sets for
the duration of the run:

* ``GONGKAI_LAKE``: absolute lake root; sources read ``<lake>/staging/<table>/part-*.parquet``.
* ``GONGKAI_WAREHOUSE``: absolute path of the DuckDB file being built.
* ``GONGKAI_REGIONS``: the region reference table read by ``dim_region`` (default: the committed
  ``data_lake/reference/regions/regions.parquet``).
* ``GONGKAI_WAREHOUSE_ACCESS``: DuckDB ``access_mode`` of the profile's connection: ``automatic`` for the
  build, ``read_only`` for the docs.

Optional overrides read here:

* ``GONGKAI_DBT_PROJECT``: the dbt project directory (default: ``dbt_project/`` next to the package).
* ``GONGKAI_DBT_TARGET``: where dbt writes its artifacts and ``dbt.log`` (default: ``<lake>/state/dbt``).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.lake import Lake, write_atomic
from gongkai.regions.reference import DEFAULT_PATH as REGIONS_PATH

if TYPE_CHECKING:
    from dbt.artifacts.schemas.results import NodeResult
    from dbt.cli.main import dbtRunnerResult

MARTS = (
    "mart_applications_by_region_year",
    "mart_quality_by_region_year",
    "mart_rule_outcomes_by_region_year",
    "mart_publication_coverage",
)

BUILDING = "warehouse.building-next.duckdb"  # removed as a leftover by gongkai.lake.remove_leftovers
TOUCHED_FILE = "touched_reports.parquet"
_MODEL_TYPES = frozenset({"model", "seed", "snapshot"})
_TEST_TYPES = frozenset({"test", "unit_test"})
DESCRIPTION = b"description"  # Parquet exports: key of a column's (and the model's) description
DOCS_FILES = ("manifest.json", "catalog.json")  # published beside the docs page, for tools that read them
_EXPORT_BATCH_ROWS = 100_000
# what an incremental build copies with the warehouse instead of building (see _run_dbt_build)
_KEPT_BY_INCREMENTAL = ("resource_type:unit_test", "resource_type:seed", "dim_region")


class WarehouseBuildError(RuntimeError):
    """dbt could not run, or a model failed to build."""


@dataclass(frozen=True)
class WarehouseBuild:
    """Outcome of one ``dbt build`` plus the mart exports."""

    success: bool  # every model built and every data and unit test passed
    models_built: int
    models_skipped: int  # downstream of a failed test: the table keeps its previous contents
    tests_passed: int
    tests_failed: int
    tests_skipped: int
    failed_tests: list[str]  # dbt names of the failed data and unit tests
    elapsed_seconds: float
    exports: dict[str, Path]  # mart name -> Parquet file written by this build
    warehouse: Path
    dbt_target: Path  # run_results.json, manifest.json and dbt.log
    published: bool  # the build replaced the warehouse (only a fully green build does)
    incremental: bool = False  # started from the published warehouse, rebuilding the touched reports' rows
    steps: dict[str, float] = field(default_factory=dict)  # seconds: copy, dbt, export
    docs: Path | None = None  # <lake>/reports/dbt-docs/index.html, written after a published build
    docs_seconds: float = 0.0  # time dbt docs generate took
    docs_error: str | None = None  # why the docs could not be generated (the build stands)


@dataclass
class _Tally:
    """dbt node results grouped by what build_warehouse reports."""

    built_models: list[str] = field(default_factory=list)
    model_errors: list[str] = field(default_factory=list)
    models_skipped: int = 0
    tests_passed: int = 0
    failed_tests: list[str] = field(default_factory=list)
    tests_skipped: int = 0

    def add(self, result: NodeResult) -> None:
        """Count one node result."""
        kind, status, name = str(result.node.resource_type), str(result.status), result.node.name
        if kind in _MODEL_TYPES:
            if status == "success":
                self.built_models.append(name)
            elif status == "skipped":
                self.models_skipped += 1
            else:
                self.model_errors.append(f"{name}: {result.message}")
        elif kind in _TEST_TYPES:
            if status in ("pass", "warn"):
                self.tests_passed += 1
            elif status == "skipped":
                self.tests_skipped += 1
            else:
                self.failed_tests.append(name)


def dbt_project_dir() -> Path:
    """The dbt project: ``$GONGKAI_DBT_PROJECT``, else ``dbt_project/`` beside the ``gongkai`` package."""
    override = os.environ.get("GONGKAI_DBT_PROJECT")
    project = Path(override) if override else Path(__file__).resolve().parents[2] / "dbt_project"
    if not (project / "dbt_project.yml").is_file():
        raise WarehouseBuildError(f"no dbt project at {project} (set GONGKAI_DBT_PROJECT)")
    return project.resolve()


def dbt_target_dir(lake: Lake) -> Path:
    """Where dbt writes artifacts and logs: ``$GONGKAI_DBT_TARGET``, else ``<lake>/state/dbt``."""
    override = os.environ.get("GONGKAI_DBT_TARGET")
    target = Path(override) if override else lake.state / "dbt"
    target.mkdir(parents=True, exist_ok=True)
    return target.resolve()


def build_warehouse(
    lake: Lake, touched: set[str] | None = None, *, docs: bool = True, export: bool = True
) -> WarehouseBuild:
    """Run ``dbt build``, publish the result as ``lake.warehouse`` if green, export the marts (``export``; a caller
    that exports them itself, e.g. beside other work, passes False) and (``docs``) generate the dbt docs of the
    published warehouse.

    ``touched``: build incrementally from the published warehouse, rebuilding the rows of these reports only (None,
    or no published warehouse: a full build into an empty file). An incremental build changes rows, never the
    models, so it keeps the docs of the last full build (it writes them only when there are none). Failed data or
    unit tests are reported, not raised, and leave the published warehouse, marts and docs as they were. Raises
    WarehouseBuildError when dbt cannot run or a model fails to build. Docs that cannot be generated are reported in
    ``docs_error``, not raised. Every DuckDB file is released before returning or raising.

    A caller with the findings still to come builds in two parts instead (:class:`WarehouseBuilder`).
    """
    builder = WarehouseBuilder(lake, touched)
    builder.build(EVERYTHING)
    return builder.publish(docs=docs, export=export)


# The parts of a build: the models that do not read the rulebook's findings can be built while the check runs;
# the findings' models and everything below them once it is done (their tests with them: buildable selection takes
# a test that also reads a model of the first part). Together they select what one `dbt build` selects.
EVERYTHING = "everything"
BEFORE_FINDINGS = "before_findings"
FINDINGS = "findings"
_FINDINGS_MODELS = "stg_lake__findings+"
_PART_SELECTION: dict[str, tuple[list[str], list[str], str]] = {  # part -> select, exclude, indirect selection
    EVERYTHING: ([], [], "cautious"),
    BEFORE_FINDINGS: ([], [_FINDINGS_MODELS], "cautious"),
    FINDINGS: ([_FINDINGS_MODELS], [], "buildable"),
}


class WarehouseBuilder:
    """One warehouse build, in one part (:data:`EVERYTHING`) or two (:data:`BEFORE_FINDINGS`, then :data:`FINDINGS`
    with the reports the check touched), then published (see :func:`build_warehouse`).

    A part stops the build (raising WarehouseBuildError, the file being built removed) when a model fails to build;
    after a part whose tests fail, later parts are not run and :meth:`publish` keeps the failed file for inspection.
    dbt's ``run_results.json`` holds the last part; a first part's is kept as ``run_results.<part>.json``.
    """

    def __init__(self, lake: Lake, touched: set[str] | None) -> None:
        self.started = time.perf_counter()
        self.lake = lake
        self.target = dbt_target_dir(lake)
        self.building = lake.root / BUILDING
        _remove_database(self.building)
        self.incremental = touched is not None and lake.warehouse.is_file()
        if self.incremental:
            shutil.copyfile(lake.warehouse, self.building)
        self.touch(touched or set())
        self.steps = {"copy": time.perf_counter() - self.started}
        self.tally = _Tally()
        self.parts: list[str] = []
        self.abandoned = False  # a part raised (the file being built is removed), or the build was published

    def _abandon(self) -> None:
        self.abandoned = True
        _remove_database(self.building)

    def touch(self, touched: set[str]) -> None:
        """The reports the next part rebuilds (an incremental build; a full build rebuilds every report)."""
        write_touched(self.lake, touched if self.incremental else set())

    @property
    def green(self) -> bool:
        """Every model built so far and every test passed."""
        return not self.tally.failed_tests and not self.tally.models_skipped

    def build(self, part: str) -> None:
        """Run ``dbt build`` on one part of the project; nothing when an earlier part failed a test."""
        if self.abandoned:
            raise WarehouseBuildError("this build was abandoned after an error, or published: start a new one")
        if not self.green:
            return
        started = time.perf_counter()
        if self.parts:  # the part before keeps its node results beside dbt's own file
            shutil.copyfile(self.target / "run_results.json", self.target / f"run_results.{self.parts[-1]}.json")
        try:
            for result in _run_dbt_build(self.lake, self.building, self.target, self.incremental, part):
                self.tally.add(result)
        except BaseException:
            self._abandon()
            raise
        self.parts.append(part)
        self.steps[f"dbt_{part}"] = time.perf_counter() - started
        self.steps["dbt"] = self.steps.get("dbt", 0.0) + self.steps[f"dbt_{part}"]
        if self.tally.model_errors:
            self._abandon()
            raise WarehouseBuildError("dbt could not build: " + "; ".join(self.tally.model_errors))

    def publish(self, *, docs: bool = True, export: bool = True) -> WarehouseBuild:
        """Replace the warehouse with the built file when green (else keep it as ``state/warehouse.failed.duckdb``),
        then export the marts and generate the docs as :func:`build_warehouse` says."""
        if self.abandoned:
            raise WarehouseBuildError("this build was abandoned after an error, or published: start a new one")
        lake, green, steps, tally = self.lake, self.green, self.steps, self.tally
        os.replace(self.building, lake.warehouse if green else lake.state / "warehouse.failed.duckdb")
        self.abandoned = True
        exports = {}
        if green and export:
            exporting = time.perf_counter()
            exports = export_marts(lake, list(MARTS))
            steps["export"] = time.perf_counter() - exporting
        docs_index, docs_seconds, docs_error = None, 0.0, None
        if green and docs and (not self.incremental or not (lake.dbt_docs / "index.html").is_file()):
            docs_started = time.perf_counter()
            try:
                docs_index = generate_docs(lake)
            except WarehouseBuildError as error:
                docs_error = str(error)
            docs_seconds = time.perf_counter() - docs_started
        return WarehouseBuild(
            success=green,
            models_built=len(tally.built_models),
            models_skipped=tally.models_skipped,
            tests_passed=tally.tests_passed,
            tests_failed=len(tally.failed_tests),
            tests_skipped=tally.tests_skipped,
            failed_tests=sorted(tally.failed_tests),
            elapsed_seconds=time.perf_counter() - self.started,
            exports=exports,
            warehouse=lake.warehouse.resolve(),
            dbt_target=self.target,
            published=green,
            incremental=self.incremental,
            steps={k: round(v, 2) for k, v in steps.items()},
            docs=docs_index or (lake.dbt_docs / "index.html" if green and docs and self.incremental else None),
            docs_seconds=docs_seconds,
            docs_error=docs_error,
        )


def write_touched(lake: Lake, touched: set[str]) -> Path:
    """``<lake>/state/touched_reports.parquet``: the reports an incremental build rebuilds."""
    table = pa.table({"report_id": pa.array(sorted(touched), pa.string())})
    return write_atomic(lake.state / TOUCHED_FILE, lambda tmp: pq.write_table(table, tmp))


def _remove_database(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if any."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def export_marts(lake: Lake, marts: list[str]) -> dict[str, Path]:
    """Copy each mart table to ``<lake>/marts/<mart>.parquet`` atomically, reading the warehouse read-only.

    Types are kept exactly (BIGINT is int64, DECIMAL stays decimal, INTEGER int32). Every column carries its
    description (the comment dbt's ``persist_docs`` stored from the YAML) as Arrow field metadata
    ``description``, and the schema metadata carries the model's ``description``; readers get them with
    ``pyarrow.parquet.read_schema`` (DuckDB shows the schema metadata in ``parquet_kv_metadata``).
    """
    lake.marts.mkdir(parents=True, exist_ok=True)
    exports = {}
    con = duckdb.connect(str(lake.warehouse), read_only=True)
    try:
        for mart in marts:
            table_doc, column_docs = _relation_docs(con, mart)
            order = ", ".join(f'"{column}"' for column in _grain(con, mart)) or "all"
            reader = con.execute(f"select * from main.{mart} order by {order}").to_arrow_reader(_EXPORT_BATCH_ROWS)
            schema = _described_schema(reader.schema, table_doc, column_docs)
            exports[mart] = write_atomic(lake.marts / f"{mart}.parquet", partial(_write_batches, reader, schema))
    finally:
        con.close()
    return exports


def _grain(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The columns of the table's primary key, else of its first unique constraint (the contract declares one per
    mart): sorting by them orders the rows as fully as sorting by every column, in half the time."""
    keys = con.execute(
        "select constraint_column_names from duckdb_constraints() where schema_name = 'main' and table_name = ? "
        "and constraint_type in ('PRIMARY KEY', 'UNIQUE') order by constraint_type = 'UNIQUE', constraint_index",
        [table],
    ).fetchall()
    return list(keys[0][0]) if keys else []


def _relation_docs(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[str, dict[str, str]]:
    """The comments of a table of the warehouse and of its columns (empty when there is none)."""
    table = con.execute(
        "select coalesce(comment, '') from duckdb_tables() where schema_name = 'main' and table_name = ?", [relation]
    ).fetchall()
    columns = con.execute(
        "select column_name, coalesce(comment, '') from duckdb_columns() where schema_name = 'main' and table_name = ?",
        [relation],
    ).fetchall()
    return (table[0][0] if table else "").strip(), {name: comment.strip() for name, comment in columns}


def _described_schema(schema: pa.Schema, table_doc: str, column_docs: dict[str, str]) -> pa.Schema:
    """``schema`` with each field's description in its metadata and the model's in the schema's."""
    fields = [
        field.with_metadata({DESCRIPTION: column_docs[field.name].encode("utf-8")})
        if column_docs.get(field.name)
        else field
        for field in schema
    ]
    metadata = {DESCRIPTION: table_doc.encode("utf-8")} if table_doc else None
    return pa.schema(fields, metadata=metadata)


def _write_batches(reader: pa.RecordBatchReader, schema: pa.Schema, path: Path) -> None:
    """Stream the batches of ``reader`` into a Parquet file with ``schema`` (the same fields, described)."""
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)


def generate_docs(lake: Lake) -> Path:
    """Run ``dbt docs generate --static`` on the published warehouse, opened read-only, and publish the page
    (one HTML file with the manifest and catalog inlined, so it works offline) as ``<lake>/reports/dbt-docs/
    index.html``, with ``manifest.json`` and ``catalog.json`` beside it. Tests are documented but not compiled
    (that halves the time). Raises WarehouseBuildError when dbt fails; the previous docs then stay."""
    target = dbt_target_dir(lake) / "docs"  # its own target: the build's run_results.json stays
    arguments = ["docs", "generate", "--static", "--exclude", "resource_type:test", "resource_type:unit_test"]
    outcome = _invoke_dbt(arguments, lake, lake.warehouse, target, {"GONGKAI_WAREHOUSE_ACCESS": "read_only"})
    if outcome.exception is not None or not outcome.success:
        raise WarehouseBuildError(f"dbt docs generate failed: {outcome.exception or 'see ' + str(target)}")
    lake.dbt_docs.mkdir(parents=True, exist_ok=True)
    for name in DOCS_FILES:
        write_atomic(lake.dbt_docs / name, partial(shutil.copyfile, target / name))
    return write_atomic(lake.dbt_docs / "index.html", partial(shutil.copyfile, target / "static_index.html"))


def _run_dbt_build(lake: Lake, database: Path, target: Path, incremental: bool, part: str) -> list[NodeResult]:
    """Invoke ``dbt build`` on ``part`` of the project in-process and return its node results; always release the
    DuckDB file.

    An incremental build changes rows, never models (a changed model makes gongkai.run.changes plan a full build): it
    skips the unit tests, which test model logic and passed in the last full build, the seeds and dim_region, whose
    tables it copied with the warehouse (a changed seed, project or region reference makes a full build); cautious
    indirect selection keeps the data tests that read them besides a rebuilt model. Its data tests read only the rows it
    rebuilt (dbt_project/macros/touched_tests.sql). dbt.log keeps warnings and errors only: formatting
    the per-node events cost a tenth of an incremental build (debug) and again a tenth (info); run_results.json
    in the target keeps every node's status, timing and message. dbt does not write manifest.json (0.3-0.7 s per
    invocation on the 10k benchmark lake; the docs have their own, and partial parsing its own file): this function
    writes run_results.json itself.
    """
    from dbt.artifacts.schemas.run import RunExecutionResult

    arguments = ["build", "--log-level-file", "warn", "--no-write-json", *_selection_arguments(part, incremental)]
    variables = {"GONGKAI_WAREHOUSE_ACCESS": "automatic", "GONGKAI_TOUCHED_TESTS": "1" if incremental else ""}
    outcome = _invoke_dbt(arguments, lake, database, target, variables)
    if outcome.exception is not None:
        raise WarehouseBuildError(f"dbt build could not run: {outcome.exception}") from outcome.exception
    if outcome.result is None:
        raise WarehouseBuildError("dbt build returned no results")
    if not isinstance(outcome.result, RunExecutionResult):
        raise WarehouseBuildError(f"dbt build returned {type(outcome.result).__name__}, not run results")
    outcome.result.write(str(target / "run_results.json"))
    return list(outcome.result.results)


def _selection_arguments(part: str, incremental: bool) -> list[str]:
    """The dbt node selection of one part of a build (incremental: without what it copies with the warehouse)."""
    select, exclude, indirect = _PART_SELECTION[part]
    exclude = [*exclude, *(_KEPT_BY_INCREMENTAL if incremental else ())]
    arguments = ["--indirect-selection", indirect]
    arguments += ["--select", *select] if select else []
    return arguments + (["--exclude", *exclude] if exclude else [])


def _invoke_dbt(
    arguments: list[str], lake: Lake, database: Path, target: Path, variables: dict[str, str]
) -> dbtRunnerResult:
    """Run the dbt command ``arguments`` in-process on ``database`` (the project's own project and profile dirs,
    artifacts and log in ``target``, quiet) with the project's variables plus ``variables``; always release the
    DuckDB file. Returns dbt's runner result."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    project, output = str(dbt_project_dir()), str(target)
    paths = ["--project-dir", project, "--profiles-dir", project, "--target-path", output, "--log-path", output]
    with _environment(_dbt_environment(lake, database) | variables):
        try:
            return dbtRunner().invoke([*arguments, *paths, "--quiet"])
        finally:
            DuckDBConnectionManager.close_all_connections()


def _dbt_environment(lake: Lake, database: Path) -> dict[str, str]:
    """The variables the dbt project and profile read, plus dbt's telemetry opt-outs."""
    root = str(lake.root.resolve())
    if any(char in root for char in "'{}"):
        raise WarehouseBuildError(f"the lake path must not contain quotes or braces: {root}")
    regions = str(Path(os.environ.get("GONGKAI_REGIONS") or REGIONS_PATH).resolve())
    if any(char in regions for char in "'{}"):
        raise WarehouseBuildError(f"the region table path must not contain quotes or braces: {regions}")
    return {
        "GONGKAI_LAKE": root,
        "GONGKAI_REGIONS": regions,
        "GONGKAI_WAREHOUSE": str(database.resolve()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block, then restore the previous values."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
