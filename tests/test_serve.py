"""`gongkai serve` as an operator runs it: a real `prefect server start` in the lake, the deployment on a cron
schedule, runs triggered through the API, their final states and artifacts.

One serve process for the module: started without PREFECT_API_URL, so it starts the embedded Prefect server
itself; stopped (SIGINT, then its process group) at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

from cli_runs import cli_env
from corpus import SAMPLE_INBOX
from flows.local_server import early_api_server, free_port
from flows.serve import served_deployment
from gongkai.lake import Lake

DEPLOYMENT = "pipeline/gongkai-test"
_START_SECONDS = 240
_RUN_SECONDS = 600


@dataclass
class Served:
    api_url: str
    inbox: Path
    lake: Path
    log: Path


def _wait_for_deployment(process: subprocess.Popen, lake: Path, log: Path) -> str:
    """The served API URL once the server answers and the deployment exists."""
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gongkai serve exited: {log.read_text(errors='replace')[-3000:]}"
        api_url = served_deployment(Lake(lake), DEPLOYMENT.split("/")[1])
        if api_url:
            return api_url
        time.sleep(1)
    raise AssertionError(f"no deployment after {_START_SECONDS} s: {log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("serve")
    inbox, lake, log = root / "inbox", root / "lake", root / "serve.log"
    inbox.mkdir()
    for path in sorted(SAMPLE_INBOX.glob("*.txt"))[:3]:
        shutil.copy(path, inbox / path.name)
    command = [
        sys.executable,
        "-m",
        "gongkai.cli",
        "serve",
        "--inbox",
        str(inbox),
        "--lake",
        str(lake),
        "--workers",
        "1",
        "--cron",
        "0 2 * * *",
        "--name",
        DEPLOYMENT.split("/")[1],
        "--port",
        str(free_port(0)),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=cli_env(None, PREFECT_HOME=str(root / "prefect-home")),
        )
    try:
        yield Served(_wait_for_deployment(process, lake, log), inbox, lake, log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _run(served: Served) -> FlowRun:
    with temporary_settings(updates={PREFECT_API_URL: served.api_url}):
        flow_run = run_deployment(DEPLOYMENT, timeout=_RUN_SECONDS, poll_interval=2)
    assert isinstance(flow_run, FlowRun) and flow_run.state is not None
    assert flow_run.state.is_final(), f"still {flow_run.state.name}: {served.log.read_text(errors='replace')[-3000:]}"
    return flow_run


def _artifacts(served: Served, flow_run: FlowRun) -> dict[str, object]:
    with temporary_settings(updates={PREFECT_API_URL: served.api_url}), get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])))
    return {artifact.key: artifact.data for artifact in artifacts if artifact.key}


def test_the_deployment_is_scheduled_and_its_server_lives_in_the_lake(served: Served) -> None:
    with temporary_settings(updates={PREFECT_API_URL: served.api_url}), get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(DEPLOYMENT)
    [schedule] = deployment.schedules
    assert getattr(schedule.schedule, "cron", None) == "0 2 * * *"
    assert getattr(schedule.schedule, "timezone", None) == "Asia/Shanghai"
    assert deployment.parameters["lake"] == str(served.lake.resolve())
    assert (served.lake / "state" / "prefect" / "prefect.db").exists()  # the embedded server's SQLite database
    assert served.api_url.startswith("http://127.0.0.1:")


def test_a_run_triggered_through_the_api_completes_with_its_artifacts(served: Served) -> None:
    flow_run = _run(served)
    assert flow_run.state is not None and flow_run.state.type == StateType.COMPLETED
    summary = json.loads((served.lake / "reports" / "run_summary.json").read_text(encoding="utf-8"))
    assert summary["landed"] == summary["parsed"] == 3
    expected_name = "Completed with findings" if summary["findings_by_status"].get("FAIL") else "Completed"
    assert flow_run.state.name == expected_name
    artifacts = _artifacts(served, flow_run)
    assert {
        "gongkai-run-summary",
        "gongkai-findings-by-status",
        "gongkai-failing-rules",
        "gongkai-auditor-report",
        "gongkai-data-docs",
    } <= set(artifacts)
    markdown = str(artifacts["gongkai-run-summary"])
    assert "gongkai run summary" in markdown and Path(summary["auditor_report"]).as_uri() in markdown
    assert f"({Path(summary['auditor_report']).as_uri()})" in str(artifacts["gongkai-auditor-report"])
    by_status = {row["status"]: row["findings"] for row in json.loads(str(artifacts["gongkai-findings-by-status"]))}
    assert by_status == summary["findings_by_status"]


def test_a_gongkai_run_on_the_served_lake_reuses_its_server(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(updates={PREFECT_API_URL: None}), early_api_server(Lake.at(served.lake)) as api_url:
        assert api_url() == served.api_url


def test_a_run_whose_contract_tests_fail_ends_failed(served: Served) -> None:
    reports = next((Lake.at(served.lake).staging_table("reports")).glob("part-*.parquet"))
    shutil.copy(reports, reports.with_name("part-copied-by-hand.parquet"))  # every report twice: not unique
    flow_run = _run(served)
    assert flow_run.state is not None and flow_run.state.type == StateType.FAILED
    assert "dbt contract tests failed" in (flow_run.state.message or "")
    assert "unique_stg_lake__reports_report_id" in (flow_run.state.message or "")
    assert "gongkai-run-summary" in _artifacts(served, flow_run)  # a failed run still says what happened
