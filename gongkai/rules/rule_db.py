"""The rule database: ``<lake>/checks/rules.duckdb``, rebuilt on every check, that GX validates.

It holds the staged reports, cells, sections and narrative facts, the shapes rules read (one row per report,
mode and column of a table, one column per key: ``t3_by_col``, ``t3_by_row``, ``t4_by_row``, ``t2_by_row``),
the vocabulary tables generated from :mod:`gongkai.keys`, the organisations and year pairs of cross-report
rules, and then one table ``rule_<id>`` per rule, created by the committed SQL in ``expectations/sql/``.

Every cell enters twice (docs/formats.md#blanks): mode ``strict`` keeps blanks null, mode ``lenient`` reads a blank
cell as 0. Placeholders (—, /, 无), text and uncertain cells stay null in both modes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from gongkai import keys
from gongkai.lake import Lake, write_atomic
from gongkai.parsing.sections import SECTION_KEYS
from gongkai.rules.pairs import previous_of

FORMAT_WORDS = {
    keys.FMT2021: "2021年版",
    keys.FMT2019: "2019年版",
    keys.PRE2019: "2019年以前",
    keys.NOT_A_REPORT: "非年度报告",
    keys.UNKNOWN: "未能识别",
}
TABLE_WORDS = {
    "T2_1": "表二（一）",
    "T2_5": "表二（五）",
    "T2_6": "表二（六）",
    "T2_8": "表二（八）",
    "T2_9": "表二（九）",
    "T3": "表三",
    "T4": "表四",
}

STAGED = ("reports", "report_cells", "report_sections", "narrative_facts")
MODES = ("strict", "lenient")


def build_rule_db(
    lake: Lake,
    sql_dir: Path,
    local_deadlines: Path,
    catalogue: pa.Table,
    pairs: pa.Table,
    subjects: set[str] | None = None,
) -> Path:
    """Write ``<lake>/checks/rules.duckdb`` from the staged tables, the rule catalogue, the pairs and the rule SQL.

    ``subjects``: check only these reports (None: every staged report). Their previous reports are loaded too, for
    the cross-report rules, but every rule table keeps the rows of the subjects only: GX validates exactly them.
    """

    def build(tmp: Path) -> None:
        con = duckdb.connect(str(tmp))
        try:
            context = None if subjects is None else subjects | previous_of(pairs, subjects)
            _load_staged(con, lake, context)
            _subjects(con, subjects)
            con.register("catalog_arrow", catalogue)
            con.execute("CREATE TABLE rulebook AS SELECT * FROM catalog_arrow")
            _vocabulary(con)
            _pivots(con)
            con.register("pairs_arrow", pairs)
            con.execute(
                "CREATE TABLE report_pairs AS SELECT * FROM pairs_arrow "
                "WHERE report_id IN (SELECT report_id FROM subjects)"
            )
            con.execute(
                "CREATE TABLE local_deadlines AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
                [str(local_deadlines)],
            )
            for script in sorted(sql_dir.glob("*.sql")):
                con.execute(script.read_text(encoding="utf-8"))
            if subjects is not None:
                for table in sorted(rule_tables(con)):
                    con.execute(f"DELETE FROM {table} WHERE report_id NOT IN (SELECT report_id FROM subjects)")
        finally:
            con.close()

    lake.checks.mkdir(parents=True, exist_ok=True)
    return write_atomic(lake.rule_db, build)


def _subjects(con: duckdb.DuckDBPyConnection, subjects: set[str] | None) -> None:
    """``subjects``: the ids of the reports this check judges."""
    if subjects is None:
        con.execute("CREATE TABLE subjects AS SELECT report_id FROM reports")
    else:
        con.register("subjects_arrow", pa.table({"report_id": pa.array(sorted(subjects), pa.string())}))
        con.execute(
            "CREATE TABLE subjects AS SELECT report_id FROM subjects_arrow "
            "WHERE report_id IN (SELECT report_id FROM reports)"
        )
        con.unregister("subjects_arrow")


def rule_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the ``rule_*`` tables in an open rule database."""
    return {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'rule\\_%' ESCAPE '\\'"
        ).fetchall()
    }


def _load_staged(con: duckdb.DuckDBPyConnection, lake: Lake, context: set[str] | None) -> None:
    """The staged tables, only the rows of ``context`` reports when given."""
    from gongkai.contract import STAGING_TABLES

    where = ""
    if context is not None:
        con.register("context_arrow", pa.table({"report_id": pa.array(sorted(context), pa.string())}))
        con.execute("CREATE TEMP TABLE context_ids AS SELECT * FROM context_arrow")
        con.unregister("context_arrow")
        where = " WHERE report_id IN (SELECT report_id FROM context_ids)"
    for name in STAGED:
        folder = lake.staging_table(name)
        if any(folder.glob("part-*.parquet")):
            con.execute(
                f"CREATE TABLE staged_{name} AS SELECT * FROM read_parquet(?, union_by_name = true){where}",
                [str(folder / "part-*.parquet")],
            )
        else:
            con.register("empty_arrow", STAGING_TABLES[name].empty_table())
            con.execute(f"CREATE TABLE staged_{name} AS SELECT * FROM empty_arrow")
            con.unregister("empty_arrow")
    con.execute("CREATE TABLE reports AS SELECT * FROM staged_reports")
    con.execute("""
        CREATE TABLE cells AS
        SELECT *, table_id || '.' || row_key || '.' || col_key AS cell_id,
               value_status <> 'missing' AS printed
        FROM staged_report_cells""")
    con.execute("CREATE TABLE sections AS SELECT * FROM staged_report_sections")
    con.execute("""
        CREATE TABLE facts AS
        SELECT *, row_number() OVER (PARTITION BY report_id, fact_key ORDER BY locator, sentence) AS ordinal
        FROM staged_narrative_facts""")
    con.execute("CREATE TABLE modes AS SELECT * FROM (VALUES " + ", ".join(f"('{m}')" for m in MODES) + ") t(mode)")
    con.execute("""
        CREATE TABLE cell_modes AS
        SELECT c.report_id, c.table_id, c.row_key, c.col_key, c.cell_id, m.mode,
               CASE WHEN m.mode = 'lenient' AND c.value_status = 'blank' THEN 0 ELSE c.value END AS v
        FROM cells c CROSS JOIN modes m""")


def _vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    """Tables of keys from gongkai.keys: which cells each format prints, and the column orders."""
    expected = [
        (fmt, "T3", row, col)
        for fmt in (keys.FMT2021, keys.FMT2019)
        for row in keys.t3_rows(fmt)
        for col in keys.T3_COLS
    ]
    expected += [
        (fmt, "T4", row, col) for fmt in (keys.FMT2021, keys.FMT2019) for row in keys.T4_ROWS for col in keys.T4_COLS
    ]
    expected += [
        (fmt, table, row, col)
        for fmt, tables in keys.T2_ROWS_BY_FORMAT.items()
        for table, rows in tables.items()
        for row in rows
        for col in keys.T2_DEFAULT_COLS[fmt][table]
    ]
    _table(con, "expected_cells", ("format_version", "table_id", "row_key", "col_key"), expected)
    _table(con, "t3_cols", ("col_key", "col_order"), [(c, i) for i, c in enumerate(keys.T3_COLS)])
    _table(
        con,
        "t3_row_keys",
        ("format_version", "row_key", "row_order"),
        [(fmt, row, i) for fmt in (keys.FMT2021, keys.FMT2019) for i, row in enumerate(keys.t3_rows(fmt))],
    )
    cells = {(t, r, c) for _, t, r, c in expected} | {("T3", r, c) for r in keys.T3_ROW_LABELS for c in keys.T3_COLS}
    _table(
        con,
        "cell_labels",
        ("cell_id", "label"),
        sorted((f"{t}.{r}.{c}", f"{TABLE_WORDS[t]} {keys.label_of(t, r, c)}") for t, r, c in cells),
    )
    _table(con, "scope_labels", ("scope", "label"), sorted(_scope_labels(cells).items()))
    words = " ".join(f"WHEN '{fmt}' THEN '{text}'" for fmt, text in FORMAT_WORDS.items())
    con.execute(f"CREATE MACRO format_words(f) AS CASE f {words} ELSE f END")
    con.execute("""CREATE MACRO scope_words(scope) AS CASE
        WHEN starts_with(scope, 'fact=') THEN '正文第' || split_part(scope, '#', 2) || '处相关表述'
        WHEN starts_with(scope, 'sentence=') THEN '正文第' || split_part(scope, '#', 2) || '处分项表述'
        ELSE scope END""")


def _scope_labels(cells: set[tuple[str, str, str]]) -> dict[str, str]:
    """Chinese words for the fixed scopes of findings: a column, a row, a cell, a table, a section, the report."""
    labels = {f"col={c}": f"表三「{keys.T3_COL_LABELS[c]}」列" for c in keys.T3_COLS}
    labels |= {f"row={r}": f"表三「{label}」行" for r, label in keys.T3_ROW_LABELS.items()}
    labels |= {f"row={r}": f"表四「{label}」行" for r, label in keys.T4_ROW_LABELS.items()}
    labels |= {f"row={r}": f"表二「{label}」行" for r, label in keys.T2_ROW_LABELS.items()}
    labels |= {f"cell={t}.{r}.{c}": f"{TABLE_WORDS[t]}「{keys.label_of(t, r, c)}」" for t, r, c in cells}
    labels |= {"table=T2": "表二", "table=T3": "表三", "table=T4": "表四", "report": "全文"}
    labels |= {f"section={key}": f"第{numeral}部分" for key, numeral in zip(SECTION_KEYS, "一二三四五六", strict=True)}
    return labels


def _pivots(con: duckdb.DuckDBPyConnection) -> None:
    """One row per (report, mode, column or row) of a table, one column per key; a cell not printed is null."""
    t3_rows = dict.fromkeys(keys.T3_ROWS_2021 + keys.T3_ROWS_2019)
    t2_cols = keys.T2_COL_LABELS
    _pivot(con, "t3_by_col", "T3", "col_key", "row_key", t3_rows)
    _pivot(con, "t3_by_row", "T3", "row_key", "col_key", keys.T3_COLS)
    _pivot(con, "t4_by_row", "T4", "row_key", "col_key", keys.T4_COLS)
    _pivot(con, "t2_by_row", "T2_%", "row_key", "col_key", t2_cols, group_table=True)


def _pivot(
    con: duckdb.DuckDBPyConnection,
    name: str,
    table_like: str,
    group_key: str,
    spread_key: str,
    columns: Iterable[str],
    group_table: bool = False,
) -> None:
    spread = ",\n".join(f"max(v) FILTER (WHERE {spread_key} = '{key}') AS {key}" for key in columns)
    table_column = "table_id, " if group_table else ""
    con.execute(f"""
        CREATE TABLE {name} AS
        SELECT report_id, mode, {table_column}{group_key},
               {spread}
        FROM cell_modes WHERE table_id LIKE '{table_like}'
        GROUP BY report_id, mode, {table_column}{group_key}""")


def _table(con: duckdb.DuckDBPyConnection, name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    arrow = pa.Table.from_pylist([dict(zip(columns, row, strict=True)) for row in rows])
    con.register(f"{name}_arrow", arrow)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")
