"""What every flow run publishes as Prefect artifacts: the summary, counts by status and rule, and links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from gongkai import keys
from gongkai.reports.labels import STATUS_LABELS
from gongkai.run.summary import render_markdown


def publish_run_artifacts(summary: dict[str, Any]) -> None:
    """Publish the run summary (markdown), findings by status and by rule (tables) and links to the auditor
    report and the GX Data Docs. Keys are stable, so the Prefect UI shows each artifact's history across runs."""
    create_markdown_artifact(
        key="gongkai-run-summary", markdown=render_markdown(summary), description="gongkai run summary"
    )
    by_status = summary["findings_by_status"]
    create_table_artifact(
        key="gongkai-findings-by-status",
        table=[
            {"status": status, "label": STATUS_LABELS.get(status, status), "findings": by_status[status]}
            for status in keys.FINDING_STATUSES
            if status in by_status
        ],
        description="Findings by status over the whole lake",
    )
    create_table_artifact(
        key="gongkai-failing-rules",
        table=[{"rule_id": rule, "fail_findings": count} for rule, count in summary["failing_rules"].items()],
        description="Rules with FAIL findings, most frequent first",
    )
    create_link_artifact(
        key="gongkai-auditor-report",
        link=Path(summary["auditor_report"]).as_uri(),
        link_text="auditor report (审核报告)",
        description="The auditor report of this lake",
    )
    if summary.get("data_docs"):
        create_link_artifact(
            key="gongkai-data-docs",
            link=Path(summary["data_docs"]).as_uri(),
            link_text="Great Expectations Data Docs",
            description="Validation results of the rulebook",
        )
