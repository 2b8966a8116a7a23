"""Operand frames, built with DuckDB (in memory) from one batch of cells.

* sum operands: one row per (report, rule, scope) with exact DECIMAL(38,10) sums of the lhs and rhs terms
  (blank = 0), their DOUBLE casts for GX, a completeness flag and the operand cells as JSON evidence;
* cell values: one row per (report, rule, cell) for the single-cell rules.

Tables of the session: ``c`` (the cells, values as DECIMAL(38,10)), ``cv`` (every cell of a batch report once,
with ids, label, value text and evidence), ``sum_template`` (the cells each sum rule reads, from the suites).
"""
from __future__ import annotations

import json
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gongkai import keys
from gongkai.rules.suites import SumRule, Suites

_SETUP = """
CREATE MACRO num_text(v) AS CASE WHEN v = trunc(v) THEN CAST(CAST(v AS HUGEINT) AS VARCHAR)
    ELSE rtrim(CAST(v AS VARCHAR), '0') END;
CREATE MACRO evidence(cell, label, value_text, raw, status, locator) AS CAST(json_object(
    'cell', cell, 'label', label, 'value', value_text, 'raw', raw, 'status', status, 'locator', locator) AS VARCHAR);
CREATE MACRO brief(cell, value_text) AS CAST(json_object('cell', cell, 'value', value_text) AS VARCHAR);
CREATE VIEW rep AS SELECT report_id, coalesce(format_version, 'unknown') AS format_version, report_pos FROM reports_in;
CREATE VIEW c AS SELECT report_id, table_id, row_key, col_key, CAST(value AS DECIMAL(38, 10)) AS value, value_raw,
    coalesce(value_status, 'missing') AS value_status, locator FROM cells_in;
"""

# Every printed cell of a batch report once, with its ids, label, print position, value text and JSON evidence.
_CV_TABLE = """
CREATE TEMP TABLE cv AS
SELECT r.report_pos, k.key_id, c.report_id, c.table_id, c.col_key, c.value, k.label, k.pos, k.cell,
    num_text(c.value) AS value_text, evidence(k.cell, k.label, value_text, c.value_raw, c.value_status, c.locator)
    AS evidence, brief(k.cell, value_text) AS brief
FROM c
JOIN rep r USING (report_id)
JOIN cell_keys k ON k.table_id = c.table_id AND k.row_key = c.row_key AND k.col_key = c.col_key
"""

_SUM_OPERANDS = """
WITH tables AS (SELECT DISTINCT report_id, table_id FROM c),
present AS (
    SELECT DISTINCT report_id, table_id, 'row' AS axis, row_key AS key FROM c
    UNION ALL SELECT DISTINCT report_id, table_id, 'col' AS axis, col_key AS key FROM c),
applied AS (  -- substitutions that apply: none of the replaced keys printed, some alternative key printed
    SELECT r.report_id, s.rule_id, s.sub_id
    FROM rep r CROSS JOIN sum_subs s
    LEFT JOIN present p ON p.report_id = r.report_id AND p.table_id = s.table_id AND p.axis = s.axis AND p.key = s.key
    GROUP BY r.report_id, s.rule_id, s.sub_id
    HAVING bool_and(s.role = 'with' OR p.key IS NULL) AND bool_or(s.role = 'with' AND p.key IS NOT NULL)),
terms AS (
    SELECT r.report_id, r.report_pos, t.*, k.key_id
    FROM rep r
    JOIN sum_template t ON t.format_version = r.format_version
    JOIN cell_keys k ON k.table_id = t.table_id AND k.row_key = t.row_key AND k.col_key = t.col_key
    JOIN tables tb ON tb.report_id = r.report_id AND tb.table_id = t.table_id
    LEFT JOIN applied a ON a.report_id = r.report_id AND a.rule_id = t.rule_id AND a.sub_id = t.sub_id
    WHERE t.sub_id IS NULL OR (t.sub_role = 'with') = (a.sub_id IS NOT NULL)),
sums AS (
    SELECT t.report_pos, t.rule_pos, t.scope_pos,
        CAST(coalesce(sum(cv.value) FILTER (WHERE t.side = 'lhs'), 0) AS DECIMAL(38, 10)) AS lhs_exact,
        CAST(coalesce(sum(cv.value) FILTER (WHERE t.side = 'rhs'), 0) AS DECIMAL(38, 10)) AS rhs_exact,
        count(*) FILTER (WHERE t.side = 'lhs') AS lhs_count,
        count(*) FILTER (WHERE t.side = 'rhs') AS rhs_count,
        count(*) FILTER (WHERE cv.value IS NULL) AS null_count,
        -- the operand cells in term order (lhs first); list_sort is much faster than an ordered aggregate
        list_sort(list({'pos': t.pos, 'cv_row': cv.rowid, 'key_id': t.key_id})) AS operands
    FROM terms t
    LEFT JOIN cv ON cv.report_pos = t.report_pos AND cv.key_id = t.key_id
    GROUP BY t.report_pos, t.rule_pos, t.scope_pos)
SELECT r.report_id, sc.rule_id, sc.scope, report_pos, rule_pos, scope_pos, sc.scope_label, lhs_exact, rhs_exact,
    CAST(lhs_exact - rhs_exact AS DECIMAL(38, 10)) AS delta_exact,
    CAST(lhs_exact AS DOUBLE) AS lhs, CAST(rhs_exact AS DOUBLE) AS rhs,
    num_text(lhs_exact) AS lhs_text, num_text(rhs_exact) AS rhs_text, num_text(abs(lhs_exact - rhs_exact)) AS gap_text,
    lhs_count, rhs_count, null_count = 0 AS complete, null_count, operands
FROM sums
JOIN rep r USING (report_pos)
JOIN (SELECT DISTINCT rule_pos, format_version, scope_pos, rule_id, scope, scope_label FROM sum_template) sc
    USING (rule_pos, format_version, scope_pos)
"""

_CELL_TERMS = """
CREATE TEMP VIEW cell_terms AS
SELECT cv.report_id, r.rule_id, cv.pos, cv.cell, cv.label, cv.value, cv.value_text, cv.evidence
FROM cv
JOIN rep USING (report_id)
JOIN cell_rule_tables r ON r.table_id = cv.table_id AND r.format_version = rep.format_version
WHERE NOT list_contains(r.exclude_cols, cv.col_key)
"""

_CELL_VALUES = """
SELECT report_id, rule_id, cell, CAST(value AS DOUBLE) AS value, value = trunc(value) AS is_integer
FROM cell_terms WHERE value IS NOT NULL
"""

_CELL_SUMMARY = """
SELECT report_id, rule_id, count(*) AS n_cells, count(*) FILTER (WHERE value IS NULL) AS n_null,
    list(label ORDER BY pos) FILTER (WHERE value IS NULL) AS null_labels,
    '[' || string_agg(evidence, ',' ORDER BY pos) FILTER (WHERE value IS NULL) || ']' AS null_cells
FROM cell_terms GROUP BY report_id, rule_id
"""

_FAILING_CELLS = """
WITH f AS (
    SELECT report_id, rule_id, cell, string_agg(DISTINCT violation, '、' ORDER BY violation) AS violation
    FROM failing_in GROUP BY report_id, rule_id, cell)
SELECT t.report_id, t.rule_id,
    list('「' || t.label || '」为' || t.value_text || '，' || f.violation ORDER BY t.pos) AS problems,
    '[' || string_agg(t.evidence, ',' ORDER BY t.pos) || ']' AS cells
FROM f JOIN cell_terms t USING (report_id, rule_id, cell)
GROUP BY t.report_id, t.rule_id
"""

_FAILING_SCHEMA = pa.schema([("report_id", pa.string()), ("rule_id", pa.string()), ("cell", pa.string()),
                             ("violation", pa.string())])
_TEMPLATE_SCHEMA = pa.schema([
    ("rule_id", pa.string()), ("rule_pos", pa.int64()), ("format_version", pa.string()), ("scope", pa.string()),
    ("scope_pos", pa.int64()), ("scope_label", pa.string()), ("side", pa.string()), ("pos", pa.int64()),
    ("table_id", pa.string()), ("row_key", pa.string()), ("col_key", pa.string()), ("sub_id", pa.int64()),
    ("sub_role", pa.string()),
])
_SUBS_SCHEMA = pa.schema([("rule_id", pa.string()), ("sub_id", pa.int64()), ("table_id", pa.string()),
                          ("axis", pa.string()), ("key", pa.string()), ("role", pa.string())])
_CELL_RULE_SCHEMA = pa.schema([("rule_id", pa.string()), ("format_version", pa.string()), ("table_id", pa.string()),
                               ("exclude_cols", pa.list_(pa.string()))])
_CELL_KEYS_SCHEMA = pa.schema([("key_id", pa.int64()), ("table_id", pa.string()), ("row_key", pa.string()),
                               ("col_key", pa.string()), ("cell", pa.string()), ("label", pa.string()),
                               ("pos", pa.int64()), ("missing_evidence", pa.string()),
                               ("missing_brief", pa.string())])
_AXIS_LABELS = {"T3": (keys.T3_ROW_LABELS, keys.T3_COL_LABELS), "T4": (keys.T4_ROW_LABELS, keys.T4_COL_LABELS)}

# Print order of rows and columns, so that evidence lists cells as the tables print them.
_ROW_ORDER = {k: i for i, k in enumerate(keys.T3_ROWS_2021[:-2] + (keys.OTHER_ROW_2019,) + keys.T3_ROWS_2021[-2:]
                                         + keys.T4_ROWS + tuple(keys.T2_ROW_LABELS))}
_COL_ORDER = {k: i for i, k in enumerate(keys.T3_COLS + keys.T4_COLS + tuple(keys.T2_COL_LABELS))}
_TABLE_ORDER = {k: i for i, k in enumerate(keys.TABLE_IDS)}


class Operands:
    """A DuckDB session over one batch of reports and cells."""

    def __init__(self, reports: pa.Table, cells: pa.Table, suites: Suites) -> None:
        self._con = duckdb.connect()
        positions = pa.array(range(reports.num_rows), pa.int64())
        self._con.register("reports_in", reports.select(["report_id", "format_version"]).append_column(
            "report_pos", positions))
        self._con.register("cells_in", cells)
        self._con.register("sum_template", _sum_template(suites.sum_rules))
        self._con.register("sum_subs", _sum_subs(suites.sum_rules))
        self._con.register("cell_rule_tables", _cell_rule_tables(suites))
        self._con.execute(_SETUP)
        self._keys = self._cell_keys()
        self._con.register("cell_keys", self._keys)
        self._con.execute(_CV_TABLE)
        self._con.execute(_CELL_TERMS)

    def __enter__(self) -> Operands:
        return self

    def __exit__(self, *_: object) -> None:
        self._con.close()

    def tables_present(self) -> set[tuple[str, str]]:
        """(report_id, table_id) of every table that has at least one cell."""
        return set(self._con.sql("SELECT DISTINCT report_id, table_id FROM c").fetchall())

    def sum_operands(self) -> pa.Table:
        """The operand frame of the sum rules, with report_pos, rule_pos and scope_pos to order the findings."""
        table = self._con.sql(_SUM_OPERANDS).to_arrow_table()
        printed = self._con.sql("SELECT value_text, evidence, brief FROM cv ORDER BY rowid").to_arrow_table()
        texts = _operand_texts(table, printed, self._keys)
        table = table.drop_columns(["operands", "null_count"])
        for name, column in texts.items():
            table = table.append_column(name, column)
        return table

    def cell_values(self) -> pa.Table:
        """The printed (non-null) values the cell rules check: report_id, rule_id, cell, value, is_integer."""
        return self._con.sql(_CELL_VALUES).to_arrow_table()

    def cell_summary(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Per (report_id, rule_id): cell count, null count, null labels and the null cells' evidence."""
        return _by_report_rule(self._con.sql(_CELL_SUMMARY).to_arrow_table())

    def failing_cells(self, failing: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Per (report_id, rule_id): problems and evidence of the (report_id, rule_id, cell, violation) GX flagged."""
        columns = list(zip(*failing, strict=True)) if failing else [[], [], [], []]
        self._con.register("failing_in", pa.Table.from_arrays([pa.array(col, pa.string()) for col in columns],
                                                              schema=_FAILING_SCHEMA))
        return _by_report_rule(self._con.sql(_FAILING_CELLS).to_arrow_table())

    def _cell_keys(self) -> pa.Table:
        """An id, the Chinese label, the print position and the evidence when not printed, of every cell key
        printed or read by a sum rule."""
        printed = self._con.sql("SELECT DISTINCT table_id, row_key, col_key FROM c").fetchall()
        read = self._con.sql("SELECT DISTINCT table_id, row_key, col_key FROM sum_template").fetchall()
        distinct = list(dict.fromkeys(printed + read))
        cells = [f"{t}.{r}.{k}" for t, r, k in distinct]
        labels = [keys.label_of(t, r, k) for t, r, k in distinct]
        return pa.table({
            "key_id": pa.array(range(len(distinct)), pa.int64()),
            "table_id": [t for t, _, _ in distinct],
            "row_key": [r for _, r, _ in distinct],
            "col_key": [k for _, _, k in distinct],
            "cell": cells,
            "label": labels,
            "pos": pa.array([_print_pos(t, r, k) for t, r, k in distinct], pa.int64()),
            "missing_evidence": [_missing_evidence(cell, label) for cell, label in zip(cells, labels, strict=True)],
            "missing_brief": [json.dumps({"cell": cell, "value": None}, separators=(",", ":")) for cell in cells],
        }, schema=_CELL_KEYS_SCHEMA)


def _operand_texts(sums: pa.Table, printed: pa.Table, cell_keys: pa.Table) -> dict[str, pa.Array]:
    """lhs_terms ('17+8'), rhs_terms, null_labels, cells (JSON evidence) and cells_brief (cell ids and values).

    ``sums.operands`` lists each scope's operands in term order, lhs first, as rows of ``cv`` (``printed``, by
    rowid; null when not printed) and cell keys. Assembling the strings in Arrow from these numbers is several
    times faster than aggregating strings in DuckDB.
    """
    operands = sums["operands"].combine_chunks()
    flat = pc.list_flatten(operands)
    cv_rows, key_ids = flat.field("cv_row"), flat.field("key_id")
    texts = printed["value_text"].combine_chunks().take(cv_rows)       # null when blank or not printed
    evidence = pc.coalesce(printed["evidence"].combine_chunks().take(cv_rows),
                           cell_keys["missing_evidence"].combine_chunks().take(key_ids))
    brief = pc.coalesce(printed["brief"].combine_chunks().take(cv_rows),
                        cell_keys["missing_brief"].combine_chunks().take(key_ids))
    null_labels = cell_keys["label"].combine_chunks().take(key_ids).filter(pc.is_null(texts))

    starts = _offsets(pc.list_value_length(operands).to_numpy())
    sides = np.empty(2 * len(starts) - 1, np.int32)       # s0, s0+lhs0, s1, s1+lhs1, ...: lhs and rhs lists
    sides[0::2], sides[1::2] = starts, starts[:-1] + sums["lhs_count"].to_numpy()
    side_terms = pc.binary_join(pa.ListArray.from_arrays(pa.array(sides), pc.fill_null(texts, "空")), "+")
    n = len(starts) - 1
    return {
        "lhs_terms": side_terms.take(pa.array(np.arange(0, 2 * n, 2))),
        "rhs_terms": side_terms.take(pa.array(np.arange(1, 2 * n, 2))),
        "null_labels": pa.ListArray.from_arrays(pa.array(_offsets(sums["null_count"].to_numpy())), null_labels),
        "cells": _json_lists(starts, evidence),
        "cells_brief": _json_lists(starts, brief),
    }


def _json_lists(starts: np.ndarray, items: pa.Array) -> pa.Array:
    """'[item,item,...]' for each group of consecutive JSON items."""
    return pc.binary_join_element_wise("[", pc.binary_join(pa.ListArray.from_arrays(pa.array(starts), items), ","),
                                       "]", "")


def _offsets(counts: np.ndarray) -> np.ndarray:
    """List offsets for consecutive groups of ``counts`` items."""
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)


def _by_report_rule(table: pa.Table) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["report_id"], row["rule_id"]): row for row in table.to_pylist()}


def _missing_evidence(cell: str, label: str) -> str:
    """The evidence of a cell the report does not print (same JSON shape as DuckDB's ``evidence``)."""
    return json.dumps({"cell": cell, "label": label, "value": None, "raw": None, "status": "missing", "locator": None},
                      ensure_ascii=False, separators=(",", ":"))


def _print_pos(table_id: str, row_key: str, col_key: str) -> int:
    unknown = 999
    return (_TABLE_ORDER.get(table_id, unknown) * 1_000_000 + _ROW_ORDER.get(row_key, unknown) * 1_000
            + _COL_ORDER.get(col_key, unknown))


def _expand(keys_: tuple[str, ...], axis: str, rule: SumRule) -> list[tuple[str, int | None, str | None]]:
    """``keys_`` with the alternatives of each substitution that concerns them, tagged (sub_id, role)."""
    out: list[tuple[str, int | None, str | None]] = [(k, None, None) for k in keys_]
    for sub_id, sub in enumerate(rule.substitutions):
        if sub.axis != axis or not set(sub.replace) & set(keys_):
            continue
        out = [(k, sub_id, "replace") if k in sub.replace else (k, s, r) for k, s, r in out]
        last = max(i for i, (k, _, _) in enumerate(out) if k in sub.replace)
        out[last + 1:last + 1] = [(k, sub_id, "with") for k in sub.with_ if k not in keys_]
    return out


def _sum_template(rules: tuple[SumRule, ...]) -> pa.Table:
    """One row per (rule, format, scope, term): the cell each operand reads, with its substitution tag."""
    rows: list[dict[str, Any]] = []
    for rule_pos, rule in enumerate(rules):
        term_axis = "row" if rule.scope_axis == "col" else "col"
        sides = ([("lhs", t) for t in _expand(rule.lhs, term_axis, rule)]
                 + [("rhs", t) for t in _expand(rule.rhs, term_axis, rule)])
        for fmt in rule.formats:
            scopes = _expand(rule.scopes[fmt], rule.scope_axis, rule)
            for scope_pos, (scope_key, scope_sub, scope_role) in enumerate(scopes):
                for pos, (side, (term_key, term_sub, term_role)) in enumerate(sides):
                    row_key, col_key = (term_key, scope_key) if rule.scope_axis == "col" else (scope_key, term_key)
                    rows.append({
                        "rule_id": rule.rule_id, "rule_pos": rule_pos, "format_version": fmt,
                        "scope": f"{rule.scope_axis}={scope_key}", "scope_pos": scope_pos,
                        "scope_label": _axis_label(rule.table, rule.scope_axis, scope_key),
                        "side": side, "pos": pos, "table_id": rule.table, "row_key": row_key, "col_key": col_key,
                        "sub_id": scope_sub if scope_sub is not None else term_sub,
                        "sub_role": scope_role if scope_role is not None else term_role,
                    })
    return pa.Table.from_pylist(rows, schema=_TEMPLATE_SCHEMA)


def _sum_subs(rules: tuple[SumRule, ...]) -> pa.Table:
    """One row per (rule, substitution, key): the keys whose presence decides whether the substitution applies."""
    rows = [{"rule_id": rule.rule_id, "sub_id": sub_id, "table_id": rule.table, "axis": sub.axis, "key": key,
             "role": role}
            for rule in rules for sub_id, sub in enumerate(rule.substitutions)
            for role, group in (("replace", sub.replace), ("with", sub.with_)) for key in group]
    return pa.Table.from_pylist(rows, schema=_SUBS_SCHEMA)


def _cell_rule_tables(suites: Suites) -> pa.Table:
    rows = [{"rule_id": rule.rule_id, "format_version": fmt, "table_id": table, "exclude_cols": list(rule.exclude_cols)}
            for rule in suites.cell_rules for fmt in rule.formats for table in rule.tables]
    return pa.Table.from_pylist(rows, schema=_CELL_RULE_SCHEMA)


def _axis_label(table_id: str, axis: str, key: str) -> str:
    """e.g. '「总计」列', '「四、结转下年度继续办理」行', '「行政复议」行'."""
    row_labels, col_labels = _AXIS_LABELS.get(table_id, (keys.T2_ROW_LABELS, keys.T2_COL_LABELS))
    labels = col_labels if axis == "col" else row_labels
    return f"「{labels.get(key, key)}」{'列' if axis == 'col' else '行'}"
