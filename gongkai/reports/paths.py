"""Where the auditor site's files live, relative to the index page (``<lake>/reports/auditor_report.html``)."""

from __future__ import annotations

import hashlib
import re

REPORT_PAGES = "reports"  # one page per report: reports/<page name>
ASSETS = "site"  # the style sheet, the index's script and the report list's data files
DATA_DOCS = "data_docs/index.html"  # Great Expectations Data Docs, when built beside the report
DBT_DOCS = "dbt-docs/index.html"  # dbt docs of the warehouse (models, columns, tests, exposures), when built

_SAFE_ID = re.compile(r"[0-9a-z][0-9a-z_-]{0,63}")


def report_page_name(report_id: str) -> str:
    """The file name of a report's page: the report id itself (16 hex digits) when it is a safe file name, else a
    hash of it, so that no report id can name a path outside the folder."""
    if _SAFE_ID.fullmatch(report_id):
        return f"{report_id}.html"
    return "id-" + hashlib.sha1(report_id.encode("utf-8")).hexdigest()[:16] + ".html"


def report_href(report_id: str) -> str:
    """The link from the index (or the workbook beside it) to a report's page."""
    return f"{REPORT_PAGES}/{report_page_name(report_id)}"
