"""validate_cells: the findings of one batch of reports, decided by GX running the committed suites.

Status of one (report, rule, scope):
* NOT_ASSESSABLE: the report's format is none the suites know, or it has no cell of the rule's table;
* UNCERTAIN: an operand is null (blank, placeholder, text, missing, uncertain); the message gives GX's verdict
  with blanks counted as 0 (spec §2.6, lenient mode);
* FAIL: GX found the row unexpected; PASS otherwise.
For the cell rules a value GX flags is a FAIL even if other cells are blank.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from gongkai import keys
from gongkai.contract import FINDINGS
from gongkai.rules import messages
from gongkai.rules.gx_runner import CheckResult, run_suite
from gongkai.rules.operands import Operands
from gongkai.rules.report_checks import report_findings
from gongkai.rules.suites import CELL_VALUES, RECONCILIATION, CellRule, Rule, Suites, load_suites

_SUM_FRAME = ["report_id", "rule_id", "scope", "lhs", "rhs"]
_ORDER = ["report_pos", "rule_pos", "scope_pos"]
_ORDERED = pa.schema(list(FINDINGS) + [pa.field(name, pa.int64()) for name in _ORDER])


def validate_cells(reports: pa.Table, cells: pa.Table, suites_dir: Path | None = None) -> pa.Table:
    """Check every rule of the suites on every report (REPORTS, REPORT_CELLS) and return FINDINGS rows."""
    suites = load_suites(suites_dir)
    with Operands(reports, cells, suites) as operands:
        present = operands.tables_present()
        sums = operands.sum_operands()
        sum_checks = _validate(suites, RECONCILIATION, sums.select(_SUM_FRAME), ["report_id", "scope"])
        sum_unexpected = {(check.meta["rule_id"], row["report_id"], row["scope"])
                          for check in sum_checks for row in check.unexpected}
        cell_checks = _validate(suites, CELL_VALUES, operands.cell_values(), ["report_id", "cell"])
        failing = [(row["report_id"], check.meta["rule_id"], row["cell"], check.meta["violation"])
                   for check in cell_checks for row in check.unexpected]
        failing_cells = operands.failing_cells(failing)
        summary = operands.cell_summary()
    others = _other_findings(suites, reports, present, summary, failing_cells)
    report_level = pa.Table.from_pylist(report_findings(suites, reports), schema=_ORDERED)
    findings = pa.concat_tables([_sum_findings(suites, sums, sum_unexpected), others, report_level]).combine_chunks()
    return findings.sort_by([(name, "ascending") for name in _ORDER]).select(FINDINGS.names)


def _validate(suites: Suites, suite_name: str, frame: pa.Table, index_columns: list[str]) -> list[CheckResult]:
    if frame.num_rows == 0:
        return []
    # categorical key columns make GX's row-condition filtering about twice as fast
    return run_suite(suites.documents[suite_name], frame.to_pandas(strings_to_categorical=True), index_columns)


def _sum_findings(suites: Suites, sums: pa.Table, unexpected: set[tuple[str, str, str]]) -> pa.Table:
    """PASS, FAIL or UNCERTAIN for every scope of the sum operand frame."""
    rules = {rule.rule_id: rule for rule in suites.sum_rules}
    keys_ = zip(*(sums[name].to_pylist() for name in ("report_id", "rule_id", "scope")), strict=True)
    operands = zip(*(sums[name].to_pylist() for name in messages.SumOperands._fields), strict=True)
    statuses, texts, severities = [], [], []
    for (report_id, rule_id, scope), values in zip(keys_, operands, strict=True):
        rule, row = rules[rule_id], messages.SumOperands._make(values)
        equal = (rule_id, report_id, scope) not in unexpected
        statuses.append("UNCERTAIN" if not row.complete else "PASS" if equal else "FAIL")
        texts.append(messages.sum_message(rule, row, equal))
        severities.append(rule.severity)
    status = pa.array(statuses, pa.string())
    decided = pc.is_in(status, pa.array(["PASS", "FAIL"]))
    return pa.table({
        "report_id": sums["report_id"], "rule_id": sums["rule_id"], "scope": sums["scope"], "status": status,
        "severity": pa.array(severities, pa.string()),
        "left_value": pc.if_else(decided, sums["lhs_exact"], None),
        "right_value": pc.if_else(decided, sums["rhs_exact"], None),
        "delta": pc.if_else(decided, sums["delta_exact"], None),
        # Full evidence (label, raw text, status, locator) where an auditor reads it; ids and values on a PASS.
        "cells": pc.if_else(pc.equal(status, "PASS"), sums["cells_brief"], sums["cells"]),
        "message": pa.array(texts, pa.string()),
        "report_pos": sums["report_pos"], "rule_pos": sums["rule_pos"], "scope_pos": sums["scope_pos"],
    }, schema=_ORDERED)


def _other_findings(suites: Suites, reports: pa.Table, present: set[tuple[str, str]],
                    summary: dict[tuple[str, str], dict[str, Any]],
                    failing: dict[tuple[str, str], dict[str, Any]]) -> pa.Table:
    """NOT_ASSESSABLE rows of every rule, and the findings of the cell rules."""
    rows: list[dict[str, Any]] = []
    ids = reports["report_id"].to_pylist()
    formats = [f or keys.UNKNOWN for f in reports["format_version"].to_pylist()]
    for report_pos, (report_id, format_version) in enumerate(zip(ids, formats, strict=True)):
        for rule_pos, rule in enumerate(suites.rules):
            if format_version not in rule.formats:
                if format_version not in suites.formats:
                    rows.append(_row(report_id, rule, "NOT_ASSESSABLE",
                                     messages.not_assessable_format(rule, format_version), report_pos, rule_pos))
            elif not any((report_id, table) in present for table in rule.tables):
                rows.append(_row(report_id, rule, "NOT_ASSESSABLE", messages.not_assessable_table(rule),
                                 report_pos, rule_pos))
            elif isinstance(rule, CellRule):
                key = (report_id, rule.rule_id)
                rows.append(_cell_finding(rule, summary.get(key), failing.get(key), report_id, report_pos, rule_pos))
    return pa.Table.from_pylist(rows, schema=_ORDERED)


def _cell_finding(rule: CellRule, summary: dict[str, Any] | None, failing: dict[str, Any] | None,
                  report_id: str, report_pos: int, rule_pos: int) -> dict[str, Any]:
    n_cells = summary["n_cells"] if summary else 0
    null_labels = (summary["null_labels"] or []) if summary else []
    if failing:
        return _row(report_id, rule, "FAIL", messages.cell_fail(rule, failing["problems"]), report_pos, rule_pos,
                    failing["cells"])
    if null_labels:
        return _row(report_id, rule, "UNCERTAIN", messages.cell_uncertain(rule, n_cells, null_labels), report_pos,
                    rule_pos, summary["null_cells"])
    return _row(report_id, rule, "PASS", messages.cell_pass(rule, n_cells), report_pos, rule_pos)


def _row(report_id: str, rule: Rule, status: str, message: str, report_pos: int, rule_pos: int,
         cells: str = "[]") -> dict[str, Any]:
    """A findings row without left/right values (they belong to the sum rules)."""
    return {"report_id": report_id, "rule_id": rule.rule_id, "scope": rule.table_scope, "status": status,
            "severity": rule.severity, "left_value": None, "right_value": None, "delta": None, "cells": cells,
            "message": message, "report_pos": report_pos, "rule_pos": rule_pos, "scope_pos": 0}
