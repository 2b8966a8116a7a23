"""Where everything lives in a lake directory, and atomic Parquet writes."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.contract import REVIEW_DECISIONS


@dataclass(frozen=True)
class Lake:
    """Paths of one lake (default ``data_lake/``). Generated contents are git-ignored."""

    root: Path

    @classmethod
    def at(cls, root: str | os.PathLike) -> Lake:
        """A lake at ``root``, with its folders created."""
        lake = cls(Path(root).resolve())
        for folder in (lake.raw, lake.marts, lake.reports_dir, lake.state):
            folder.mkdir(parents=True, exist_ok=True)
        for table in ("reports", "report_cells", "findings", "quarantine"):
            lake.staging_table(table).mkdir(parents=True, exist_ok=True)
        lake.review_decisions.mkdir(parents=True, exist_ok=True)
        if not any(lake.review_decisions.glob("part-*.parquet")):  # dbt reads the folder: it is never empty
            write_parquet_atomic(REVIEW_DECISIONS.empty_table(), lake.review_decisions, "000-empty")
        return lake

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def staging(self) -> Path:
        return self.root / "staging"

    def staging_table(self, name: str) -> Path:
        return self.staging / name

    def oversize_quarantine_part(self, file_id: str) -> Path:
        """The quarantine part of a file too large to land (one per file, so it can be removed alone)."""
        return self.staging_table("quarantine") / f"part-land-{file_id[:16]}.parquet"

    @property
    def web_fetches(self) -> Path:
        """The web intake's fetch log: one part per run and crawl level (gongkai/ingest/web/fetch_log.py)."""
        return self.root / "web" / "fetches"

    @property
    def web_spool(self) -> Path:
        """Fetched files waiting to be landed (named by sha256; emptied by landing and at each run's fetch)."""
        return self.root / "web" / "spool"

    @property
    def checks(self) -> Path:
        """The rule database of the last check (rebuilt by every run)."""
        return self.root / "checks"

    @property
    def rule_db(self) -> Path:
        return self.checks / "rules.duckdb"

    @property
    def data_docs(self) -> Path:
        """GX Data Docs, beside the auditor report (the GX context itself is ``<lake>/gx``)."""
        return self.reports_dir / "data_docs"

    @property
    def dbt_docs(self) -> Path:
        """dbt docs of the published warehouse (``index.html`` works offline), beside the auditor report."""
        return self.reports_dir / "dbt-docs"

    @property
    def lock_file(self) -> Path:
        """Held (flock) by the run that is using the lake."""
        return self.state / "run.lock"

    @property
    def marts(self) -> Path:
        return self.root / "marts"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def auditor_report(self) -> Path:
        return self.reports_dir / "auditor_report.html"

    @property
    def run_summary(self) -> Path:
        return self.reports_dir / "run_summary.json"

    @property
    def findings_workbook(self) -> Path:
        """The auditor's Excel workbook: findings to review, with columns for the decisions."""
        return self.reports_dir / "auditor_findings.xlsx"

    @property
    def review_decisions(self) -> Path:
        """Append-only parts of the auditor's decisions (gongkai review import); no run writes here."""
        return self.root / "reviews" / "decisions"


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Create ``path`` by ``write(temporary path)`` in the same folder, then a rename: it is never half written.

    The temporary name (``.<name>.<random>.tmp``) is one that :func:`remove_leftovers` deletes after a kill.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`write_atomic`)."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_parquet_atomic(table: pa.Table, folder: Path, stem: str | None = None) -> Path:
    """Write ``table`` as ``folder/part-<stem>.parquet`` atomically (see :func:`write_atomic`)."""
    return write_atomic(
        folder / f"part-{stem or uuid.uuid4().hex}.parquet", lambda tmp: pq.write_table(table, tmp, compression="zstd")
    )


def remove_leftovers(lake: Lake) -> int:
    """Delete temporary files a killed run left behind (call only while holding the lake lock)."""
    leftovers = [
        *lake.root.glob("**/.*.tmp"),
        *lake.root.glob("**/.*.tmp.wal"),
        *lake.root.glob("warehouse.building-*.duckdb*"),
    ]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return len(leftovers)


def read_columns(path: Path, columns: list[str]) -> pa.Table:
    """``columns`` of one Parquet file. ``pq.read_table`` goes through ``pyarrow.dataset``, whose import (pandas
    with it) cost a quarter of a second on the runs that only look at the lake to find nothing to do."""
    return pq.ParquetFile(path).read(columns=columns)


def part_files(folder: Path) -> list[Path]:
    """The committed part files of a table folder, in a stable order."""
    return sorted(folder.glob("part-*.parquet"))
