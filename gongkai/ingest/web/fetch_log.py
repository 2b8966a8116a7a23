"""The fetch log, ``<lake>/web/fetches/part-*.parquet`` (schema ``contract.WEB_FETCHES``): one row per URL and run.

The latest rows of a URL tell the next run what to do: send the validators (ETag, Last-Modified) of the copy that
landed, replay a page's links when it answers 304, and retry a URL whose last attempt failed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.contract import WEB_FETCHES
from gongkai.lake import Lake, part_files, write_parquet_atomic

GOOD_OUTCOMES = frozenset({"landed", "not_modified", "duplicate", "listing"})


@dataclass(frozen=True)
class History:
    """What earlier runs saw of one URL: the latest row, and the latest row that was not a failure."""

    last: dict
    good: dict | None


def new_run_id() -> str:
    """An id for one run's rows; sorts by time."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f") + "-" + uuid.uuid4().hex[:8]


def read_history(lake: Lake) -> dict[str, History]:
    """url -> its :class:`History`, from every part of the log."""
    rows: list[dict] = []
    for part in part_files(lake.web_fetches):
        rows += pq.read_table(part).to_pylist()
    rows.sort(key=lambda row: (row["fetched_at"] or datetime.min.replace(tzinfo=UTC), row["run_id"]))
    last: dict[str, dict] = {}
    good: dict[str, dict] = {}
    for row in rows:
        last[row["url"]] = row
        if row["outcome"] in GOOD_OUTCOMES:
            good[row["url"]] = row
    return {url: History(row, good.get(url)) for url, row in last.items()}


def write_rows(lake: Lake, run_id: str, rows: list[dict], level: int) -> str | None:
    """Append ``rows`` as one part (named after the run and crawl level); its path, or None when empty."""
    if not rows:
        return None
    table = pa.Table.from_pylist(rows, schema=WEB_FETCHES)
    return str(write_parquet_atomic(table, lake.web_fetches, stem=f"{run_id}-{level:02d}"))
