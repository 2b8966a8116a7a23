"""The task runner that stages raw parts: threads (the default), a local process pool, or a Dask cluster
(prefect-dask).

Staging is the only step spread over workers. Every file is parsed in an isolated parse process either way
(gongkai.staging.isolation); with threads, each thread drives its own, and only decoding the results and writing
the Parquet parts run in the flow's process. That is faster than a process pool on 2 cores (measured staging 1,000
generated text reports with 2 workers: 9-11 s against 13.5-14 s, 17 CPU-s against 24; 100 reports: 2.1 s against
6 s), because every pool process first imports Prefect and the staging code. Each staging task reads and writes the
lake by path, so with Dask on several machines the lake must be on storage every worker mounts at the same path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Prefect is imported where a runner is made: the CLI reads TASK_RUNNERS for --help
    from prefect.task_runners import TaskRunner

TASK_RUNNERS = ("process", "thread", "dask")


def describe_runner(kind: str, workers: int, dask_address: str | None) -> str:
    """How the run summary names the staging runner."""
    if kind == "dask":
        return f"dask {dask_address}" if dask_address else f"dask LocalCluster ({workers} workers)"
    return f"{kind} ({workers} workers)"


def staging_runner(kind: str, workers: int, dask_address: str | None = None) -> TaskRunner[Any]:
    """A fresh task runner of ``kind`` with ``workers`` workers (ignored when ``dask_address`` names a cluster)."""
    if kind not in TASK_RUNNERS:
        raise ValueError(f"unknown task runner {kind!r}: choose one of {', '.join(TASK_RUNNERS)}")
    if dask_address and kind != "dask":
        raise ValueError("a Dask scheduler address needs the dask task runner")
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    workers = max(1, workers)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner  # imports distributed: only when asked for

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # One single-threaded process per worker: parsing holds the GIL, and each process starts its own
        # isolated parse worker (gongkai.staging.isolation) that a thread pool would share.
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        )
    if kind == "process" and workers > 1:
        return ProcessPoolTaskRunner(max_workers=workers)
    return ThreadPoolTaskRunner(max_workers=workers)
