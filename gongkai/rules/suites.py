"""The committed rule suites: GX ExpectationSuite JSON files in ``expectations/``, read as rule definitions.

Every expectation's ``meta`` describes its rule (id, severity, Chinese description, operand terms). The
files are loaded by name and never written at runtime; GX runs exactly these documents.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

RECONCILIATION = "reconciliation"   # sum rules, validated on the operand frame
CELL_VALUES = "cell_values"         # single-cell rules, validated on the cell frame
REPORT_CHECKS = "report_checks"     # report-level rules, validated on the report frame
SUITE_NAMES = (RECONCILIATION, CELL_VALUES, REPORT_CHECKS)
ENV_VAR = "GONGKAI_EXPECTATIONS"

# Meta keys that may differ between the expectations of one rule (e.g. the two checks of T3_NONNEG_INT).
_PER_EXPECTATION_META = frozenset({"violation"})


@dataclass(frozen=True)
class Substitution:
    """Keys ``replace`` on ``axis`` stand in for ``with_`` when a report printed only the latter."""

    axis: str
    replace: tuple[str, ...]
    with_: tuple[str, ...]


@dataclass(frozen=True)
class SumRule:
    """``Σ lhs = Σ rhs`` in every scope (a row or a column of one table)."""

    rule_id: str
    severity: str
    description: str
    formats: tuple[str, ...]
    table: str
    table_words: str
    scope_axis: str                          # "row" or "col"
    scopes: dict[str, tuple[str, ...]]       # by format_version
    lhs: tuple[str, ...]                     # keys on the other axis
    rhs: tuple[str, ...]
    lhs_words: str
    rhs_words: str
    substitutions: tuple[Substitution, ...]

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.table,)

    @property
    def table_scope(self) -> str:
        return f"table={self.table}"


@dataclass(frozen=True)
class CellRule:
    """A condition on every printed value of some tables."""

    rule_id: str
    severity: str
    description: str
    formats: tuple[str, ...]
    tables: tuple[str, ...]
    table_words: str
    table_scope: str
    exclude_cols: tuple[str, ...]


@dataclass(frozen=True)
class ReportRule:
    """A check on a report's metadata: its format must be the one its year prescribes (S_FORMAT_YEAR)."""

    rule_id: str
    severity: str
    description: str
    formats: tuple[str, ...]
    expected_by_year: tuple[tuple[int | None, int | None, str], ...]   # (from year, to year, format)

    @property
    def table_scope(self) -> str:
        return "report"

    def expected_format(self, year: int | None) -> str | None:
        """The format prescribed for ``year`` (None when the year is unknown)."""
        if year is None:
            return None
        return next((fmt for start, end, fmt in self.expected_by_year
                     if (start is None or year >= start) and (end is None or year <= end)), None)


Rule = SumRule | CellRule


@dataclass(frozen=True, eq=False)
class Suites:
    """The suite documents as GX reads them, and the rules they define (in file order)."""

    directory: Path
    documents: dict[str, dict[str, Any]]
    sum_rules: tuple[SumRule, ...]
    cell_rules: tuple[CellRule, ...]
    report_rules: tuple[ReportRule, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.sum_rules + self.cell_rules

    @property
    def formats(self) -> frozenset[str]:
        """Every format some rule applies to; reports of other formats cannot be assessed."""
        return frozenset(f for rule in self.rules for f in rule.formats)


def default_suites_dir() -> Path:
    """``$GONGKAI_EXPECTATIONS``, else ``expectations/`` next to the ``gongkai`` package."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "expectations"


def load_suites(directory: Path | None = None) -> Suites:
    """The suites in ``directory`` (cached until a file changes)."""
    directory = (directory or default_suites_dir()).resolve()
    stamps = tuple((directory / f"{name}.json").stat().st_mtime_ns for name in SUITE_NAMES)
    return _load(directory, stamps)


def rule_catalogue(directory: Path | None = None) -> list[dict[str, Any]]:
    """The rules for the auditor report: rule_id, severity, description and formats, in suite order."""
    suites = load_suites(directory)
    return [{"rule_id": r.rule_id, "severity": r.severity, "description": r.description, "formats": list(r.formats)}
            for r in (*suites.rules, *suites.report_rules)]


def selected_rule(expectation: dict[str, Any]) -> str | None:
    """The rule_id that an expectation's row condition ``Column("rule_id") == <id>`` selects, as GX serializes it."""
    condition = expectation["kwargs"].get("row_condition") or {}
    if (condition.get("type") == "comparison" and condition.get("column", {}).get("name") == "rule_id"
            and condition.get("operator") == "=="):
        return condition.get("parameter")
    return None


@lru_cache(maxsize=8)
def _load(directory: Path, _stamps: tuple[int, ...]) -> Suites:
    documents = {name: json.loads((directory / f"{name}.json").read_text(encoding="utf-8")) for name in SUITE_NAMES}
    return Suites(
        directory=directory,
        documents=documents,
        sum_rules=tuple(_sum_rule(m) for m in _rule_metas(documents[RECONCILIATION])),
        cell_rules=tuple(_cell_rule(m) for m in _rule_metas(documents[CELL_VALUES])),
        report_rules=tuple(_report_rule(m) for m in _rule_metas(documents[REPORT_CHECKS])),
    )


def _rule_metas(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One meta per rule; checks that each expectation's row condition selects its own rule's rows."""
    metas: dict[str, dict[str, Any]] = {}
    for expectation in document["expectations"]:
        meta = expectation["meta"]
        rule_id = meta["rule_id"]
        if selected_rule(expectation) != rule_id:
            raise ValueError(f"suite {document['name']}: the row_condition of {rule_id} must be "
                             f"Column(\"rule_id\") == \"{rule_id}\"")
        shared = {k: v for k, v in meta.items() if k not in _PER_EXPECTATION_META}
        if metas.setdefault(rule_id, shared) != shared:
            raise ValueError(f"suite {document['name']}: the expectations of {rule_id} disagree in meta")
    return list(metas.values())


def _sum_rule(meta: dict[str, Any]) -> SumRule:
    formats = tuple(meta["formats"])
    scopes = meta["scopes"]   # one list for every format, or a list per format
    by_format = {f: tuple(scopes[f] if isinstance(scopes, dict) else scopes) for f in formats}
    return SumRule(
        rule_id=meta["rule_id"], severity=meta["severity"], description=meta["description"], formats=formats,
        table=meta["table"], table_words=meta["table_words"], scope_axis=meta["scope_axis"], scopes=by_format,
        lhs=tuple(meta["lhs"]), rhs=tuple(meta["rhs"]), lhs_words=meta["lhs_words"], rhs_words=meta["rhs_words"],
        substitutions=tuple(Substitution(s["axis"], tuple(s["replace"]), tuple(s["with"]))
                            for s in meta.get("substitutions", ())),
    )


def _cell_rule(meta: dict[str, Any]) -> CellRule:
    return CellRule(
        rule_id=meta["rule_id"], severity=meta["severity"], description=meta["description"],
        formats=tuple(meta["formats"]), tables=tuple(meta["tables"]), table_words=meta["table_words"],
        table_scope=meta["scope"], exclude_cols=tuple(meta["exclude_cols"]),
    )


def _report_rule(meta: dict[str, Any]) -> ReportRule:
    return ReportRule(
        rule_id=meta["rule_id"], severity=meta["severity"], description=meta["description"],
        formats=tuple(meta["formats"]),
        expected_by_year=tuple((e["from"], e["to"], e["format"]) for e in meta["expected_by_year"]),
    )
