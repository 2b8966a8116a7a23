"""gongkai (公开): a data warehouse of China's government information-disclosure annual reports."""

import os as _os

# Telemetry off everywhere, before Prefect, Great Expectations or dbt are imported.
for _name, _value in (
    ("DO_NOT_TRACK", "1"),
    ("GX_ANALYTICS_ENABLED", "false"),
    ("DBT_SEND_ANONYMOUS_USAGE_STATS", "false"),
    ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
):
    _os.environ.setdefault(_name, _value)
