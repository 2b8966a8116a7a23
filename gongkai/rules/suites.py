"""The committed rulebook: GX ExpectationSuite JSON files in ``expectations/``, one per rule family.

Each expectation is one rule. Its ``meta`` holds what auditors read (rule id, family, severity, Chinese
description, the words for the two sides compared, why it may not apply) and ``batch``, the rule table of the
rule database it validates (created by ``expectations/sql/*.sql``). GX runs exactly these documents.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from gongkai import keys

SUITE_NAMES = ("table_rules", "structure_rules", "narrative_rules", "cross_report_rules")
ENV_VAR = "GONGKAI_EXPECTATIONS"
_META_KEYS = (
    "rule_id",
    "family",
    "severity",
    "description",
    "batch",
    "formats",
    "left_words",
    "right_words",
    "not_applicable",
)


def default_suites_dir() -> Path:
    """``$GONGKAI_EXPECTATIONS``, else ``expectations/`` next to the ``gongkai`` package."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "expectations"


def load_expectations(directory: Path | None = None) -> list[dict[str, Any]]:
    """Every expectation of the suites, in suite and file order (checked: one per rule, meta complete)."""
    directory = (directory or default_suites_dir()).resolve()
    stamps = tuple((directory / f"{name}.json").stat().st_mtime_ns for name in SUITE_NAMES)
    return [dict(e) for e in _load(directory, stamps)]


def rule_catalogue(directory: Path | None = None) -> list[dict[str, Any]]:
    """The rules as auditors read them: rule_id, family, severity, description and formats, in suite order."""
    return [
        {k: e["meta"][k] for k in ("rule_id", "family", "severity", "description", "formats")}
        for e in load_expectations(directory)
    ]


def catalogue_table(expectations: list[dict[str, Any]]) -> pa.Table:
    """The rules' meta as a table (``rule_catalog`` of the rule database), with each rule's position."""
    rows = [{**{k: e["meta"][k] for k in _META_KEYS}, "rule_pos": pos} for pos, e in enumerate(expectations)]
    return pa.Table.from_pylist(rows)


@lru_cache(maxsize=4)
def _load(directory: Path, _stamps: tuple[int, ...]) -> tuple[dict[str, Any], ...]:
    expectations: list[dict[str, Any]] = []
    for name in SUITE_NAMES:
        document = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        expectations.extend(document["expectations"])
    seen: set[str] = set()
    for expectation in expectations:
        meta = expectation["meta"]
        missing = [k for k in _META_KEYS if k not in meta]
        if missing:
            raise ValueError(f"expectation {meta.get('rule_id')}: meta lacks {missing}")
        if meta["rule_id"] in seen:
            raise ValueError(f"rule {meta['rule_id']} has more than one expectation")
        if meta["severity"] not in keys.SEVERITY_LABELS or meta["family"] not in keys.RULE_FAMILIES:
            raise ValueError(f"rule {meta['rule_id']}: unknown severity or family")
        if meta["batch"] != "rule_" + meta["rule_id"].lower():
            raise ValueError(f"rule {meta['rule_id']} must validate the table rule_{meta['rule_id'].lower()}")
        seen.add(meta["rule_id"])
    return tuple(expectations)
