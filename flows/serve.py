"""``gongkai serve``: the pipeline as a scheduled Prefect deployment, served from this process.

The deployment (``pipeline/<name>``) runs the flow on a cron schedule against the inbox and lake given here; runs
can also be started by hand from the Prefect UI or API (``prefect deployment run pipeline/<name>``). Each run
executes in a subprocess of this one. Without ``PREFECT_API_URL`` a real ``prefect server start`` is run on
127.0.0.1 with its SQLite database in the lake (flows/local_server.py), and stopped when serving stops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.types.entrypoint import EntrypointType

from flows.local_server import DEFAULT_PORT, persistent_server, running_server
from flows.pipeline import pipeline
from gongkai.lake import Lake

FLOW_NAME = "pipeline"
DEFAULT_TIMEZONE = "Asia/Shanghai"  # the publishers' time: reports appear on Chinese office days


def serve(
    lake: Lake,
    name: str,
    cron: str,
    parameters: dict[str, Any],
    timezone: str = DEFAULT_TIMEZONE,
    port: int = DEFAULT_PORT,
    log: Callable[[str], None] = print,
) -> None:
    """Serve the pipeline as deployment ``pipeline/<name>`` on ``cron`` (in ``timezone``) until interrupted
    (Ctrl-C, SIGTERM); the schedule is paused when serving stops, so runs do not pile up unserved."""
    configured = PREFECT_API_URL.value()
    if configured:
        log(f"gongkai: serving against the Prefect server at {configured}")
        _serve(name, Cron(cron, timezone=timezone), parameters, log)
        return
    with persistent_server(lake, port=port, log=log):
        _serve(name, Cron(cron, timezone=timezone), parameters, log)


def _serve(name: str, schedule: Any, parameters: dict[str, Any], log: Callable[[str], None]) -> None:
    log(
        f"gongkai: deployment {FLOW_NAME}/{name} is served; start a run now with "
        f"`prefect deployment run {FLOW_NAME}/{name}` or from the UI"
    )
    # The module path (flows.pipeline.pipeline) is importable wherever the package is installed, whatever the
    # working directory; one run at a time, since runs of one lake wait for each other's lock anyway.
    pipeline.serve(
        name=name,
        schedules=[schedule],
        parameters=parameters,
        limit=1,
        entrypoint_type=EntrypointType.MODULE_PATH,
        print_starting_message=False,
    )


def served_deployment(lake: Lake, name: str) -> str | None:
    """The API URL of the server ``gongkai serve`` runs for ``lake`` once deployment ``pipeline/<name>`` exists on
    it; None before (the server is starting, or the deployment is not created yet)."""
    api_url = running_server(lake)
    if api_url is None:
        return None
    with temporary_settings(updates={PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        try:
            client.read_deployment_by_name(f"{FLOW_NAME}/{name}")
        except ObjectNotFound:
            return None
    return api_url
