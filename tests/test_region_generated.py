"""Region and year resolution measured on 500 generated publishers drawn from the real region table.

The set (benchmarks/generate_publishers.py) mixes township, street, county, prefecture and provincial
publishers and departments, same-name townships (城关镇, 新城街道 …), historical units, misleading context,
and about 4% of reports that carry no clue beyond a shared name (they must be flagged).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_regions import evaluate  # noqa: E402
from generate_publishers import generate  # noqa: E402


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("publishers")
    generate(500, folder, seed=23)
    summary, _ = evaluate(folder)
    return summary


def test_no_report_is_resolved_to_a_wrong_region(measured: dict) -> None:
    assert measured["claimed_level_wrong"] == 0, measured


def test_reports_with_a_clue_resolve_and_the_rest_are_flagged(measured: dict) -> None:
    with_clue = measured["ambiguous_by_design"]["no"]
    assert with_clue["correct"] / sum(with_clue.values()) >= 0.97, measured
    assert set(measured["ambiguous_by_design"]["yes"]) == {"flagged"}, measured
    assert measured["county_level"]["correct"] >= 93.0, measured


def test_the_year_is_always_right(measured: dict) -> None:
    assert measured["year_correct_pct"] == 100.0 and measured["year_wrong"] == 0, measured
    assert measured["published_on_correct_pct"] >= 99.0, measured
