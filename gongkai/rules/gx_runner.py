"""Run a committed suite with Great Expectations on a pandas frame.

GX validates pandas batches (its SQL path on DuckDB returns no metrics, stack_notes R1). GX is imported on
first use (the import takes seconds) and one ephemeral context is kept per process.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_LOCK = threading.Lock()   # the shared context and batch definition are not meant for concurrent use


@dataclass(frozen=True)
class CheckResult:
    """One expectation's outcome: its meta and the index columns of every row GX found unexpected."""

    meta: dict[str, Any]
    unexpected: list[dict[str, Any]]


def run_suite(document: dict[str, Any], frame: pd.DataFrame, index_columns: list[str]) -> list[CheckResult]:
    """Validate ``frame`` against the suite ``document`` (as read from its JSON file)."""
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": index_columns}
    with _LOCK:
        batch_definition = _batch_definition()
        import great_expectations as gx

        suite = gx.ExpectationSuite(**document)
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        validation = batch.validate(suite, result_format=result_format)
    checks = []
    for result in validation.results:
        meta = result.expectation_config.meta
        if result.exception_info.get("raised_exception"):
            raise RuntimeError(f"GX could not evaluate {meta.get('rule_id')}: "
                               f"{result.exception_info.get('exception_message')}")
        unexpected = result.result.get("unexpected_index_list") or []
        if len(unexpected) != result.result.get("unexpected_count", 0):
            raise RuntimeError(f"GX returned {len(unexpected)} of {result.result['unexpected_count']} "
                               f"unexpected rows for {meta.get('rule_id')}")
        checks.append(CheckResult(meta=dict(meta), unexpected=unexpected))
    return checks


def warm_up() -> None:
    """Import GX and build the context now rather than during the first validation."""
    with _LOCK:
        _batch_definition()


@lru_cache(maxsize=1)
def _batch_definition() -> Any:
    """A whole-dataframe batch definition on a pandas data source of an ephemeral context."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("gongkai").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole")
