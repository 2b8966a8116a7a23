"""Staging throughput on Dask (prefect-dask) with 1, 2 and 4 workers, next to the local process pool.

The generated reports are landed once; each configuration then stages a copy of the same raw parts through the
pipeline's own staging sub-flow (flows/pipeline.py ``stage_parts``) on a fresh runner, so the figures hold the
runner's start (LocalCluster or process pool, and each worker's parse process) and the staging itself.

    python benchmarks/bench_dask.py [--reports 1200] [--workers 1 2 4]

Writes benchmarks/out/bench_dask.md (git-ignored) and prints the same table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.local_server import early_api_server
from gongkai.ingest import landing
from gongkai.ingest.discovery import discover
from gongkai.lake import Lake
from gongkai.staging import stage as staging
from gongkai.staging.isolation import Limits

HERE = Path(__file__).resolve().parent


def land_all(inbox: Path, lake: Lake, per_part: int) -> None:
    """Land every generated report in parts of ``per_part`` files."""
    found = discover(inbox, set(), landing.DEFAULT_MAX_FILE_SIZE)
    for batch in landing.batched(found.new, per_part):
        landing.land_batch(batch, lake, inbox)


def stage_with(runner: str, workers: int, landed: Lake, workdir: Path) -> tuple[float, int, int]:
    """Stage a copy of ``landed``'s raw parts on ``runner``; (seconds, files, distinct staging workers)."""
    from flows.pipeline import stage_parts  # imported once the Prefect server is chosen (flows/local_server.py)
    from flows.runners import staging_runner

    lake = Lake.at(workdir / f"{runner}-{workers}")
    shutil.copytree(landed.raw, lake.raw, dirs_exist_ok=True)
    parts = [str(part) for part in staging.pending_parts(lake)]
    started = time.perf_counter()
    staged = stage_parts.with_options(task_runner=staging_runner(runner, workers))(parts, str(lake.root), Limits())
    seconds = time.perf_counter() - started
    return seconds, sum(batch.files for batch in staged), len({batch.worker for batch in staged})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--runners", nargs="+", default=["dask", "process"])
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-bench-dask-"))
    inbox = workdir / "inbox"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate_reports.py"),
            str(args.reports),
            str(inbox),
            "--truth-dir",
            str(workdir / "truth"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    landed = Lake.at(workdir / "landed")
    per_part = landing.files_per_part(args.reports, max(args.workers), 500)
    land_all(inbox, landed, per_part)
    rows = []
    with early_api_server(landed) as api_url:
        api_url()
        for runner in args.runners:
            baseline = None
            for workers in args.workers:
                seconds, files, used = stage_with(runner, workers, landed, workdir)
                rate = files / seconds
                baseline = baseline or rate
                rows.append(
                    f"| {runner} | {workers} | {used} | {files} | {seconds:.1f} | {rate:.1f} | {rate / baseline:.2f}× |"
                )
                print(rows[-1], flush=True)
    table = "\n".join(
        [
            f"Staging {args.reports} generated text reports ({per_part} files per raw part), on this machine:",
            "",
            "| runner | workers | workers used | files | seconds | files/s | vs 1 worker |",
            "|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    out = HERE / "out" / "bench_dask.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(table + "\n", encoding="utf-8")
    print("\n" + table)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
