"""How long a process takes to have the region index (and the organisation tables) ready, and how fast the resolver
and the organisation keys then run.

Every figure is taken in a fresh process (the median of ``--runs``): ``cold`` builds the cache files into an empty
``$GONGKAI_CACHE``; ``load`` maps them (``index``; ``index_warm`` with its look-ups read by ``warm()``), then
``organizations._tables()`` (``tables``); ``resolve`` resolves the publishers of a generated report set (ms per
report, a first and a second pass); ``keys`` computes 10,000 organisation keys; ``max_rss_mb`` is the process's peak
resident memory. With ``--before <checkout>`` the same fresh-process figures are taken for an older checkout (its
``gongkai`` first on ``sys.path``; there the index is built from the Parquet in every process).

Usage::

    .venv/bin/python benchmarks/generate_publishers.py 300 /tmp/pubs --seed 11
    git worktree add /tmp/old <commit>   # or: git archive <commit> gongkai data_lake | tar -x -C /tmp/old
    .venv/bin/python benchmarks/bench_region_index.py /tmp/pubs [--before /tmp/old] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run in a fresh process; prints one JSON object of seconds. argv: what to measure, the publisher set.
_PROBE = r"""
import json, sys, time
import pyarrow, pyarrow.compute, pyarrow.parquet   # imported by every worker anyway: not counted
started = time.perf_counter()
from gongkai.regions.index import region_index
index = region_index()
mapped = time.perf_counter()
if hasattr(index, "warm"):
    index.warm()
ready = time.perf_counter()
from gongkai.regions import organizations
organizations._tables()
out = {"index": mapped - started, "index_warm": ready - started, "tables": time.perf_counter() - ready}
import resource
out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if sys.argv[1] == "resolve":   # the texts staging hands the resolver, then the resolver alone
    from pathlib import Path
    from gongkai.parsing import parser
    from gongkai.readers import read_document
    from gongkai.readers.sniff import sniff
    from gongkai.regions.clues import load_clues
    from gongkai.regions.resolver import Resolution, resolve
    texts = []
    capture = lambda text, *_: texts.append(text) or Resolution("no_publisher", 0.0, None, None)
    if "resolution" in parser.ParsedReport.__dataclass_fields__:   # an older checkout: the parser resolves
        parser.resolve = capture
        read = lambda document, uri: parser.parse_document(document, source_uri=uri)
    else:   # the parser returns what it read, gongkai.staging.report_region resolves it
        try:
            from gongkai.staging import report_region
        except ImportError:   # an older checkout: gongkai/report_region.py
            from gongkai import report_region
        report_region.resolve = capture
        read = lambda document, uri: report_region.report_region(parser.parse_document(document), uri)
    folder = Path(sys.argv[2])
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        content = (folder / "reports" / truth["file"]).read_bytes()
        read(read_document(content, sniff(content).media_type), truth["source_uri"])
    load_clues()
    for round in ("resolve_first_ms", "resolve_again_ms"):   # first: units built on first look-up
        begun = time.perf_counter()
        for text in texts:
            resolve(text)
        out[round] = 1000 * (time.perf_counter() - begun) / len(texts)
if sys.argv[1] == "keys":
    publishers = ["财政局", "教育局", "国土资源局", "自然资源局", "人民政府", "人民政府办公室", "统计局", "公安局"]
    codes = ["410308000000", "410322000000", "350300000000", "530111008000", "450703106000"]
    begun = time.perf_counter()
    for i in range(10_000):
        organizations.organization_key(publishers[i % 8], codes[i % 5], "department", 2015 + i % 9)
    out["keys_10k"] = time.perf_counter() - begun
print(json.dumps(out))
"""


def probe(what: str, folder: Path, checkout: Path | None, cache: Path | None) -> dict[str, float]:
    """One fresh process's figures (see ``_PROBE``)."""
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(checkout), env.get("PYTHONPATH"))))
    if cache is not None:
        env["GONGKAI_CACHE"] = str(cache)
    # ``python -c`` puts its working folder first on sys.path: the checkout measured
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, what, str(folder.resolve())],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=checkout or REPO,
    )
    return json.loads(done.stdout.splitlines()[-1])


def medians(what: str, folder: Path, checkout: Path | None, runs: int) -> dict[str, float]:
    """The median of each figure over ``runs`` fresh processes."""
    results = [probe(what, folder, checkout, None) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def measure(folder: Path, checkout: Path | None, runs: int) -> dict[str, dict[str, float]]:
    """Cold build (new checkout only), load, resolver and key throughput."""
    figures: dict[str, dict[str, float]] = {}
    if checkout is None:
        with tempfile.TemporaryDirectory() as cache:
            figures["cold"] = probe("load", folder, None, Path(cache))
    figures["load"] = medians("load", folder, checkout, runs)
    figures["resolve"] = medians("resolve", folder, checkout, max(1, runs // 2))
    figures["keys"] = medians("keys", folder, checkout, max(1, runs // 2))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a generate_publishers.py output folder")
    parser.add_argument("--before", type=Path, help="an older checkout to measure the same way")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    report = {"after": measure(args.folder, None, args.runs)}
    if args.before:
        report["before"] = measure(args.folder, args.before.resolve(), args.runs)
    print(
        json.dumps(
            {
                side: {kind: {k: round(v, 4) for k, v in values.items()} for kind, values in figures.items()}
                for side, figures in report.items()
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
