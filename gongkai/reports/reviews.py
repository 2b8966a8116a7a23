"""The auditor's decisions on findings: imported from the Excel workbook (or a CSV), kept append-only in the lake.

A decision is keyed by the report file's sha256, the rule and the scope -- never by a row number -- so it survives
re-runs and re-parses of the same file. Each import writes one new part under ``<lake>/reviews/decisions/``; no run
writes there, and the latest decision of a key wins. The next warehouse build carries the decisions into the
findings (dbt ``int_findings_reviewed``); a decision whose finding no longer exists is reported as stale.
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from gongkai.contract import REVIEW_DECISIONS
from gongkai.lake import Lake, write_parquet_atomic

# 审核结论: code -> the label the auditor picks in the workbook.
REVIEW_STATUSES = {"confirmed": "确认问题", "parse_error": "解析错误", "explained": "已说明", "ignored": "忽略"}
STATUS_OF_LABEL = {label: code for code, label in REVIEW_STATUSES.items()}

FINDINGS_SHEET = "发现"
# The columns of the findings sheet that the import reads (the export writes them, see reports/excel.py).
DECISION_HEADER = "审核结论"
NOTE_HEADER = "审核意见"
REVIEWER_HEADER = "审核人"
KEY_HEADERS = {"file_id": "文件标识（勿改）", "rule_id": "规则编号（勿改）", "scope": "范围（勿改）"}


class ReviewImportError(ValueError):
    """The file cannot be imported: a missing column or an unknown 审核结论; nothing was recorded."""


@dataclass
class ImportResult:
    """What one import recorded."""

    imported: int
    part: Path | None
    stale: list[tuple[str, str, str]] = field(default_factory=list)  # keys with no current finding to review


def import_decisions(lake: Lake, path: Path, now: datetime | None = None) -> ImportResult:
    """Record the decisions filled in ``path`` (.xlsx from the export, or .csv with the same headers)."""
    rows = _read_rows(path)
    decisions = _decisions(rows, path.name, now or datetime.now(UTC))
    if not decisions:
        return ImportResult(0, None)
    table = pa.Table.from_pylist(decisions, schema=REVIEW_DECISIONS)
    stamp = decisions[0]["reviewed_at"].strftime("%Y%m%dT%H%M%S")
    part = write_parquet_atomic(table, lake.review_decisions, f"{stamp}-{decisions[0]['import_id'][:12]}")
    keys = [(d["file_id"], d["rule_id"], d["scope"]) for d in decisions]
    return ImportResult(len(decisions), part, stale_keys(lake, keys))


def stale_keys(lake: Lake, keys: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The keys among ``keys`` that have no FAIL or UNCERTAIN finding in the published warehouse."""
    if not lake.warehouse.exists() or not keys:
        return []
    with duckdb.connect(str(lake.warehouse), read_only=True) as con:
        current = set(
            con.execute(
                "SELECT file_id, rule_id, scope FROM int_findings_reviewed WHERE status IN ('FAIL', 'UNCERTAIN')"
            ).fetchall()
        )
    return [key for key in keys if key not in current]


def _read_rows(path: Path) -> list[dict[str, str]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
    if path.suffix.lower() == ".xlsx":
        return _workbook_rows(path)
    raise ReviewImportError(f"{path.name}: not an .xlsx workbook or a .csv file")


def _workbook_rows(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if FINDINGS_SHEET not in workbook.sheetnames:
            raise ReviewImportError(f"{path.name}: no sheet named {FINDINGS_SHEET}")
        rows = workbook[FINDINGS_SHEET].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        return [
            {
                name: "" if value is None else str(value).strip()
                for name, value in zip(header, row, strict=False)
                if name
            }
            for row in rows
        ]
    finally:
        workbook.close()


def _decisions(rows: list[dict[str, str]], source: str, now: datetime) -> list[dict]:
    if rows:
        missing = [h for h in (DECISION_HEADER, *KEY_HEADERS.values()) if h not in rows[0]]
        if missing:
            raise ReviewImportError(f"{source}: missing column(s) {', '.join(missing)}")
    import_id = uuid.uuid4().hex
    decisions, problems = [], []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        label = row.get(DECISION_HEADER, "")
        if not label:
            continue
        code = STATUS_OF_LABEL.get(label, label if label in REVIEW_STATUSES else None)
        keys = {key: row.get(header, "") for key, header in KEY_HEADERS.items()}
        if code is None:
            problems.append(f"row {number}: 审核结论 {label!r} is not one of {' / '.join(REVIEW_STATUSES.values())}")
        elif not all(keys.values()):
            problems.append(f"row {number}: the key columns {' / '.join(KEY_HEADERS.values())} are empty")
        else:
            decisions.append(
                {
                    **keys,
                    "review_status": code,
                    "review_note": row.get(NOTE_HEADER) or None,
                    "reviewer": row.get(REVIEWER_HEADER) or None,
                    "reviewed_at": now,
                    "import_id": import_id,
                    "source": source,
                }
            )
    if problems:
        raise ReviewImportError(f"{source}: nothing imported; " + "; ".join(problems[:20]))
    return decisions
