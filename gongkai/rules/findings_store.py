"""``staging/findings``: the findings of every report, in parts that a check can replace report by report.

A full check writes the findings in parts of at most ``REPORTS_PER_PART`` reports and removes every older part. An
incremental check writes the findings of the reports it checked as one new part and rewrites only the older parts
that held findings of those reports (without them), so a re-checked report's findings are replaced, never doubled,
and the cost follows the number of reports checked.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gongkai.lake import Lake, part_files, write_parquet_atomic

REPORTS_PER_PART = 500


@dataclass(frozen=True)
class FindingCounts:
    """Findings of the whole lake by status, and FAIL findings by rule."""

    findings: int
    by_status: Counter[str]
    failing_rules: Counter[str]


def write_all(lake: Lake, findings: pa.Table, batch: str) -> None:
    """Replace every findings part by ``findings`` (grouped by report), in parts of REPORTS_PER_PART reports."""
    folder = lake.staging_table("findings")
    old = part_files(folder)
    written = set()
    for number, (offset, rows) in enumerate(_report_slices(findings)):
        written.add(write_parquet_atomic(findings.slice(offset, rows), folder, stem=f"check-{batch}-{number:04d}"))
    if not written:  # the folder is read by dbt: never leave it empty
        written.add(write_parquet_atomic(findings, folder, stem=f"check-{batch}-0000"))
    for part in old:
        if part not in written:
            part.unlink()


def _report_slices(findings: pa.Table) -> list[tuple[int, int]]:
    """(offset, rows) of consecutive slices of REPORTS_PER_PART reports each."""
    if not findings.num_rows:
        return []
    runs = pc.run_end_encode(findings.column("report_id").combine_chunks())
    ends = runs.run_ends.to_pylist()
    if len(set(runs.values.to_pylist())) != len(ends):
        raise ValueError("findings are not grouped by report")
    slices, offset = [], 0
    for last in range(REPORTS_PER_PART - 1, len(ends) + REPORTS_PER_PART - 1, REPORTS_PER_PART):
        end = ends[min(last, len(ends) - 1)]
        slices.append((offset, end - offset))
        offset = end
    return slices


def replace_reports(lake: Lake, findings: pa.Table, reports: set[str], batch: str) -> None:
    """Make ``findings`` the findings of ``reports``: one new part, older parts rewritten without those reports."""
    folder = lake.staging_table("findings")
    old = part_files(folder)
    new = write_parquet_atomic(findings, folder, stem=f"check-{batch}-{uuid.uuid4().hex[:8]}")
    replaced = pa.array(sorted(reports), pa.string())
    for part in old:
        if part == new:
            continue
        ids = pq.read_table(part, columns=["report_id"]).column(0)
        if not pc.any(pc.is_in(ids, value_set=replaced)).as_py():
            continue
        table = pq.read_table(part)
        kept = table.filter(pc.invert(pc.is_in(table.column("report_id"), value_set=replaced)))
        if kept.num_rows:
            write_parquet_atomic(kept, folder, stem=part.stem.removeprefix("part-"))
        else:
            part.unlink()


def count_findings(lake: Lake) -> FindingCounts:
    """Counts over every findings part of the lake."""
    parts = part_files(lake.staging_table("findings"))
    if not parts:
        return FindingCounts(0, Counter(), Counter())
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT status, rule_id, count(*) FROM read_parquet(?) GROUP BY ALL", [[str(p) for p in parts]]
        ).fetchall()
    by_status: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    for status, rule_id, n in rows:
        by_status[status] += n
        if status == "FAIL":
            failing[rule_id] += n
    return FindingCounts(sum(by_status.values()), by_status, failing)
