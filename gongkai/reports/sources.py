"""Copies of the source files beside the auditor report, so that every locator can open its file (a PDF at its page).

Only files with a FAIL, UNCERTAIN or PASS_LENIENT finding are copied, from the landed bytes, under
``<lake>/reports/sources/`` as ``<first 16 hex of the sha256><extension>``; a copy already there is kept (same name,
same bytes). Web pages are copied as ``.html.txt``: an auditor sees the markup, and scripts of a published page never
run from the report folder.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from gongkai.lake import Lake, part_files, write_bytes_atomic

SOURCES_FOLDER = "sources"
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/html": ".html.txt",
    "text/plain": ".txt",
    "text/markdown": ".md.txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/x-ole-storage": ".doc",
}


def problem_file_ids(warehouse: Path) -> set[str]:
    """The files with at least one FAIL, UNCERTAIN or PASS_LENIENT finding in the published warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT DISTINCT file_id FROM int_findings_reviewed "
            "WHERE status IN ('FAIL', 'UNCERTAIN', 'PASS_LENIENT') AND file_id IS NOT NULL"
        ).fetchall()
    return {row[0] for row in rows}


def copy_sources(lake: Lake, file_ids: set[str]) -> dict[str, str]:
    """Copy the landed bytes of ``file_ids`` beside the auditor report; file_id -> href relative to the report."""
    folder = lake.reports_dir / SOURCES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    hrefs: dict[str, str] = {}
    wanted = sorted(file_ids)
    for part in part_files(lake.raw):
        if len(hrefs) == len(wanted):
            break
        index = pq.read_table(part, columns=["file_id", "media_type"]).to_pylist()
        here = [row for row in index if row["file_id"] in file_ids and row["file_id"] not in hrefs]
        if not here:
            continue
        names = {row["file_id"]: row["file_id"][:16] + _EXTENSIONS.get(row["media_type"], ".bin") for row in here}
        missing = [fid for fid, name in names.items() if not (folder / name).exists()]
        if missing:
            table = pq.read_table(part, columns=["file_id", "content"], filters=[("file_id", "in", missing)])
            for row in table.to_pylist():  # never a half-written copy under the final name
                write_bytes_atomic(folder / names[row["file_id"]], row["content"])
        hrefs.update({fid: f"{SOURCES_FOLDER}/{name}" for fid, name in names.items()})
    return hrefs
