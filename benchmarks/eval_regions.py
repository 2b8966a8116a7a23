"""Measure region resolution and year reading on a generated publisher set (benchmarks/generate_publishers.py).

Each report is read, parsed and its region resolved exactly as the pipeline does (``source_uri`` from the truth
file is passed as the pipeline passes the landed file's URI). Per report the outcome is:

* ``correct``: not flagged, and the resolved unit is the truth's unit (its county, for the county share);
* ``flagged``: sent to review, and every level it did fill is the truth's;
* ``wrong``: a filled level differs from the truth (flagged or not): the error a reviewer would not see.

Usage::

    .venv/bin/python benchmarks/generate_publishers.py 600 /tmp/pubs --seed 11
    .venv/bin/python benchmarks/eval_regions.py /tmp/pubs [--show wrong flagged year]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers import read_document
from gongkai.readers.sniff import sniff
from gongkai.regions.index import region_index
from gongkai.staging.report_region import ReportRegion, report_region

LEVELS = ("province", "prefecture", "county", "township")
Result = tuple[dict[str, Any], ParsedReport, ReportRegion]  # truth, parsed report, its region


def outcome(truth: dict[str, Any], region: ReportRegion) -> str:
    """correct, flagged or wrong (see the module docstring)."""
    claimed = region.resolution.chain
    if any(claimed[level] is not None and claimed[level] != truth[level] for level in LEVELS):
        return "wrong"
    if region.resolution.needs_review:
        return "flagged"
    return "correct" if region.resolution.unit.region_id == truth["region_id"] else "wrong"


def county_outcome(truth: dict[str, Any], region: ReportRegion) -> str:
    """The same judgement at county level (the truth's county, or its own unit above county level)."""
    verdict = outcome(truth, region)
    if verdict != "wrong" or region.resolution.needs_review:
        return verdict
    claimed = region.resolution.chain
    upto = LEVELS[:3] if truth["county"] else LEVELS
    return "correct" if all(claimed[level] == truth[level] for level in upto) else "wrong"


def evaluate(folder: Path) -> tuple[dict[str, Any], list[Result]]:
    """Parse every report of ``folder`` and score it against ``folder/truth.jsonl``."""
    region_index()  # load the reference once, outside the timing
    truths = [json.loads(line) for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    results: list[Result] = []
    started = time.perf_counter()
    for truth in truths:
        content = (folder / "reports" / truth["file"]).read_bytes()
        report = parse_document(read_document(content, sniff(content).media_type))
        results.append((truth, report, report_region(report, truth["source_uri"])))
    seconds = time.perf_counter() - started
    exact, county = Counter(), Counter()
    for truth, _report, region in results:
        exact[outcome(truth, region)] += 1
        county[county_outcome(truth, region)] += 1
    total = len(results)
    summary = {
        "reports": total,
        "outcome": dict(exact),
        "county_level": {key: round(100 * county[key] / total, 2) for key in ("correct", "flagged", "wrong")},
        "claimed_level_wrong": exact["wrong"],
        "year_correct_pct": round(100 * sum(r.report_year == t["report_year"] for t, r, _ in results) / total, 2),
        "year_wrong": sum(r.report_year is not None and r.report_year != t["report_year"] for t, r, _ in results),
        "published_on_correct_pct": round(
            100 * sum(r.published_on == t["published_on"] for t, r, _ in results) / total, 2
        ),
        "org_type_correct_pct": round(100 * sum(r.org_type == t["org_type"] for t, r, _ in results) / total, 2),
        "admin_level_correct_pct": round(
            100 * sum(region.admin_level == t["admin_level"] for t, _, region in results) / total, 2
        ),
        "ms_per_report": round(1000 * seconds / total, 1),
        "by_admin_level": _by(results, lambda t: t["admin_level"]),
        "ambiguous_by_design": _by(results, lambda t: "yes" if t["ambiguous_by_design"] else "no"),
    }
    return summary, results


def _by(results: list[Result], key) -> dict[str, dict[str, int]]:
    groups: dict[str, Counter] = {}
    for truth, _report, region in results:
        groups.setdefault(key(truth), Counter())[outcome(truth, region)] += 1
    return {name: dict(counts) for name, counts in sorted(groups.items())}


def _show(results: list[Result], kind: str, limit: int = 15) -> None:
    shown = 0
    for truth, report, region in results:
        miss = report.report_year != truth["report_year"] if kind == "year" else outcome(truth, region) == kind
        if miss and shown < limit:
            shown += 1
            res = region.resolution
            print(
                f"{truth['file']} truth {truth['region_id']} {truth['report_year']} | got {report.publisher!r} "
                f"{report.report_year} {res.status} {res.confidence} "
                f"{res.unit.region_id if res.unit else None} | {res.note} | {','.join(truth['clues'])}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show", nargs="*", default=[], choices=("wrong", "flagged", "year"))
    args = parser.parse_args(argv)
    summary, results = evaluate(args.folder)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for kind in args.show:
        print(f"== {kind}")
        _show(results, kind)
    return 0


if __name__ == "__main__":
    sys.exit(main())
