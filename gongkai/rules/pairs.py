"""report_pairs: each report's previous report of the same organisation, as a table for the cross-report rules.

Organisations are matched by gongkai.regions.organizations (region code + normalised organ name + organ type,
through the alias table of renamed bodies). Documents that are not reports take no part.
"""

from __future__ import annotations

import pyarrow as pa

from gongkai import keys
from gongkai.regions.organizations import ReportOrg, organization_key, pair_reports

PAIRS = pa.schema(
    [
        ("report_id", pa.string()),
        ("org_key", pa.string()),
        ("prev_report_id", pa.string()),
        ("prev_year", pa.int32()),
        ("consecutive", pa.bool_()),
        ("alias_applied", pa.string()),  # why two differently named reports were matched
        ("duplicates", pa.list_(pa.string())),  # other reports of the previous organisation-year, passed over
    ]
)


def report_pairs(reports: pa.Table) -> pa.Table:
    """One row per report that has an organisation; ``prev_*`` empty when it has no earlier report."""
    orgs = []
    for report in reports.to_pylist():
        if report["format_version"] == keys.NOT_A_REPORT:
            continue
        org = organization_key(
            report["publisher"],
            report["region_code"],
            report["org_type"],
            report["report_year"],
            admin_level=report["admin_level"],
        )
        orgs.append(ReportOrg(report["report_id"], org, report["report_year"], report["file_name"] or ""))
    rows = [
        {
            "report_id": p.report_id,
            "org_key": p.key,
            "prev_report_id": p.previous_report_id,
            "prev_year": p.previous_year,
            "consecutive": p.consecutive,
            "alias_applied": p.alias_applied,
            "duplicates": list(p.duplicates),
        }
        for p in pair_reports(orgs)
        if p.key is not None
    ]
    return pa.Table.from_pylist(rows, schema=PAIRS)


def paired_with(pairs: pa.Table, before: pa.Table | None, changed: set[str]) -> set[str]:
    """The reports whose findings ``changed`` reports can alter: themselves, the reports whose pair row differs
    from ``before`` (a new previous year, a new duplicate), and the reports whose previous report changed."""
    now = {row["report_id"]: row for row in pairs.to_pylist()}
    old = {row["report_id"]: row for row in before.to_pylist()} if before is not None else {}
    affected = set(changed)
    affected |= {report_id for report_id, row in now.items() if old.get(report_id) != row}
    affected |= {report_id for report_id, row in now.items() if row["prev_report_id"] in changed}
    return affected


def previous_of(pairs: pa.Table, reports: set[str]) -> set[str]:
    """The previous reports of ``reports`` (read by their cross-report rules)."""
    return {
        row["prev_report_id"]
        for row in pairs.to_pylist()
        if row["report_id"] in reports and row["prev_report_id"] is not None
    }
