"""Run `gongkai run` as a user would, in its own process session, and read what it left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

CONTRACT_TABLES = ("reports", "report_cells", "findings", "quarantine", "report_sections", "narrative_facts")


def cli_env(api_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a run: the test's Prefect server (or none: the run starts its own), telemetry off."""
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def command(inbox: Path, lake: Path, *options: str) -> list[str]:
    """The command line of a run; small test inboxes are staged in one process (--workers 1): a process pool
    would only add its start-up."""
    return [
        sys.executable,
        "-m",
        "gongkai.cli",
        "run",
        "--inbox",
        str(inbox),
        "--lake",
        str(lake),
        "--workers",
        "1",
        *options,
    ]


def start_run(inbox: Path, lake: Path, *options: str, api_url: str | None, **extra_env: str) -> subprocess.Popen:
    """Start `gongkai run` in a new session (so the whole process tree can be killed), output captured."""
    return subprocess.Popen(
        command(inbox, lake, *options),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(api_url, **extra_env),
        start_new_session=True,
    )


def run(
    inbox: Path, lake: Path, *options: str, api_url: str | None, timeout: float = 600, **extra_env: str
) -> subprocess.CompletedProcess:
    """Run `gongkai run` to the end."""
    process = start_run(inbox, lake, *options, api_url=api_url, **extra_env)
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def run_web(
    lake: Path, *options: str, api_url: str | None, timeout: float = 600, **extra_env: str
) -> subprocess.CompletedProcess:
    """Run `gongkai run` on web sources only (``--urls`` / ``--crawl`` in ``options``, no ``--inbox``) to the end."""
    args = [sys.executable, "-m", "gongkai.cli", "run", "--lake", str(lake), "--workers", "1", *options]
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(api_url, **extra_env),
        start_new_session=True,
    )
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def summary(lake: Path) -> dict:
    """The run summary the last run saved."""
    return json.loads((lake / "reports" / "run_summary.json").read_text(encoding="utf-8"))


def snapshot(lake: Path, tables: Sequence[str] = CONTRACT_TABLES) -> dict[str, list[tuple]]:
    """Every row of the warehouse's contract tables, in a stable order."""
    with duckdb.connect(str(lake / "warehouse.duckdb"), read_only=True) as con:
        return {table: con.execute(f"select * from {table} order by all").fetchall() for table in tables}
