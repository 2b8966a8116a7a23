"""Staging on a real Dask cluster (a 2-worker LocalCluster started here, reached by its address as a cluster of
several machines would be) through prefect-dask, compared with the same raw parts staged in this process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster

from corpus import SAMPLE_INBOX
from flows.pipeline import pipeline
from flows.runners import staging_runner
from gongkai.lake import Lake
from gongkai.staging import stage as staging


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as running:
        yield running


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for path in sorted(SAMPLE_INBOX.glob("*.txt"))[:6]:
        shutil.copy(path, folder / path.name)
    return folder


def _staged_rows(lake: Path) -> list[tuple]:
    """The staged reports and cells, without what differs between two stagings of the same bytes."""
    lake_dir = Lake(lake)
    reports = pq.read_table(
        lake_dir.staging_table("reports"),
        columns=["report_id", "publisher", "region_id", "report_year", "format_version"],
    )
    cells = pq.read_table(
        lake_dir.staging_table("report_cells"), columns=["report_id", "table_id", "row_key", "col_key", "value"]
    )
    return [
        *sorted(tuple(row.values()) for row in reports.to_pylist()),
        *sorted(tuple(row.values()) for row in cells.to_pylist()),
    ]


def test_staging_runs_on_the_dask_workers(prefect_server, cluster: LocalCluster, inbox: Path, tmp_path: Path) -> None:
    on_dask = pipeline(
        inbox=str(inbox),
        lake=str(tmp_path / "dask"),
        workers=2,
        task_runner="dask",
        dask_address=cluster.scheduler_address,
    )
    assert on_dask["parsed"] == 6 and on_dask["quarantined"] == 0
    assert on_dask["task_runner"] == f"dask {cluster.scheduler_address}"
    assert on_dask["staging_workers"] == 2  # both Dask worker processes staged parts
    assert on_dask["dbt"]["success"]
    # The same raw parts staged in this process give the same rows.
    local = Lake.at(tmp_path / "local")
    shutil.copytree(Lake(tmp_path / "dask").raw, local.raw, dirs_exist_ok=True)
    for part in staging.pending_parts(local):
        staging.stage_raw_part(local, part)
    assert _staged_rows(tmp_path / "dask") == _staged_rows(tmp_path / "local")


def test_an_address_needs_the_dask_runner() -> None:
    with pytest.raises(ValueError, match="needs the dask task runner"):
        staging_runner("process", 2, dask_address="tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="unknown task runner"):
        staging_runner("ray", 2)
