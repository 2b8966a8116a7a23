"""A scheduled run end to end: `gongkai serve` (its own Prefect server in the lake) and runs triggered through the
API, timed from the operator's side.

    python benchmarks/bench_serve.py [--reports 200]

Times: serve start until the deployment exists (server start, migration, deployment), a first run over the
generated reports (API trigger to final state), a second run with one new report, a third with nothing new.
Writes benchmarks/out/bench_serve.md (git-ignored) and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.serve import served_deployment
from gongkai.lake import Lake

HERE = Path(__file__).resolve().parent
DEPLOYMENT = "pipeline/gongkai-bench"


def _env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return env


def wait_for_deployment(process: subprocess.Popen, lake: Path, timeout: float = 600) -> str:
    """The API URL once the served deployment exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gongkai serve exited with {process.returncode}")
        api_url = served_deployment(Lake(lake), DEPLOYMENT.split("/")[1])
        if api_url:
            return api_url
        time.sleep(0.5)
    raise RuntimeError("the deployment did not appear")


def timed_run(api_url: str) -> tuple[float, str]:
    """Trigger one run through the API and wait for its final state: (seconds, state name)."""
    started = time.perf_counter()
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        flow_run = run_deployment(DEPLOYMENT, timeout=3600, poll_interval=1)
    seconds = time.perf_counter() - started
    state = flow_run.state.name if flow_run.state else "?"
    return seconds, state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=200)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-bench-serve-"))
    inbox, lake = workdir / "inbox", workdir / "lake"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate_reports.py"),
            str(args.reports + 1),
            str(workdir / "gen"),
            "--truth-dir",
            str(workdir / "truth"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    generated = sorted((workdir / "gen").glob("*.txt"))
    inbox.mkdir()
    for path in generated[:-1]:
        shutil.copy(path, inbox / path.name)
    started = time.perf_counter()
    with (workdir / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gongkai.cli",
                "serve",
                "--inbox",
                str(inbox),
                "--lake",
                str(lake),
                "--name",
                DEPLOYMENT.split("/")[1],
                "--port",
                "0",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_env(workdir / "home"),
            start_new_session=True,
        )
    rows = []
    try:
        api_url = wait_for_deployment(process, lake)
        rows.append(("serve start → deployment ready", time.perf_counter() - started, "-"))
        for label, prepare in (
            (f"first run, {args.reports} reports", None),
            ("+1 report", lambda: shutil.copy(generated[-1], inbox / generated[-1].name)),
            ("nothing new", None),
        ):
            if prepare:
                prepare()
            seconds, state = timed_run(api_url)
            summary = json.loads((lake / "reports" / "run_summary.json").read_text(encoding="utf-8"))
            rows.append(
                (
                    label,
                    seconds,
                    f"{state}; run's own elapsed {summary['elapsed_seconds']} s "
                    f"({', '.join(f'{k} {v:g}' for k, v in summary.get('seconds', {}).items())})",
                )
            )
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    table = "\n".join(
        [
            "| step | seconds | state and breakdown |",
            "|---|---|---|",
            *(f"| {label} | {seconds:.1f} | {note} |" for label, seconds, note in rows),
        ]
    )
    out = HERE / "out" / "bench_serve.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(table + "\n", encoding="utf-8")
    print(table)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
