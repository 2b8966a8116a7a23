"""Benchmark the web intake: URL intake throughput (URLs/s and MB/s fetched and landed) against a local server.

It generates N text reports (benchmarks/generate_reports.py) plus one PDF-sized file (about 1 MB, a generated PDF
padded with a PDF comment) for every ten, serves them from a real HTTP server on 127.0.0.1 (tests/web_server.py)
under H government hostnames, and times gongkai's fetch and landing (gongkai.ingest.web.intake) on a URL list of all
of them:

- ``first, no rate limit``: everything new, fetched with ``--fetch-interval 0``;
- ``re-run (304)``: the same list again, every URL answered 304 Not Modified;
- ``first, rate limit on``: a fresh lake, the default per-host interval (``--fetch-interval``, 1 s): the rate is
  bounded by hosts / interval.

The client and the server share this process (and the GIL), so the figures are a floor of what the client does.

Usage::

    .venv/bin/python benchmarks/bench_web.py [--reports 300] [--hosts 10] [--interval 1.0] [--workers 4]
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generate_reports import generate  # sibling module: this file runs as a script

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from gongkai.ingest.landing import batched  # noqa: E402
from gongkai.ingest.web.fetch import FetchSettings  # noqa: E402
from gongkai.ingest.web.intake import WebIntake, WebSources, fetch_sources, land_fetched  # noqa: E402
from gongkai.lake import Lake  # noqa: E402
from web_server import FixtureServer, Route, serve  # noqa: E402  (the tests' server)

SAMPLE_PDF = Path(__file__).resolve().parent.parent / "samples" / "inbox" / "gen_pdf_fmt2021_2022.pdf"
PDF_BYTES = 1 << 20


@dataclass
class Measured:
    scenario: str
    urls: int
    landed: int
    not_modified: int
    megabytes: float
    fetch_s: float
    land_s: float

    @property
    def total_s(self) -> float:
        return self.fetch_s + self.land_s

    def row(self) -> str:
        return (
            f"| {self.scenario} | {self.urls} | {self.landed} | {self.not_modified} | {self.megabytes:.1f} | "
            f"{self.fetch_s:.2f} | {self.land_s:.2f} | {self.urls / self.total_s:.1f} | "
            f"{self.megabytes / self.total_s:.2f} |"
        )


def files(count: int, workdir: Path) -> list[tuple[str, bytes, str]]:
    """(name, bytes, content type): the generated text reports and, one for ten, a padded PDF."""
    texts = generate(count, workdir / "reports", seed=7)
    served = [(path.name, path.read_bytes(), "text/plain; charset=utf-8") for path in texts]
    pdf = SAMPLE_PDF.read_bytes()
    for i in range(count // 10):
        padding = b"%" + b"gongkai bench padding " * ((PDF_BYTES - len(pdf)) // 22) + b"\n"
        served.append((f"report_{i:04d}.pdf", pdf + f"%{i}\n".encode() + padding, "application/pdf"))
    return served


def publish(server: FixtureServer, served: list[tuple[str, bytes, str]], hosts: int) -> list[str]:
    """Serve every file under one of ``hosts`` hostnames; the URLs, hosts interleaved."""
    return [
        server.add(f"/ndbg/{name}", Route(content, media), host=f"www.bench{i % hosts:02d}.gov.cn")
        for i, (name, content, media) in enumerate(served)
    ]


def timed(scenario: str, lake: Lake, sources: WebSources) -> Measured:
    started = time.monotonic()
    fetched: WebIntake = fetch_sources(sources, lake)
    fetch_s = time.monotonic() - started
    started = time.monotonic()
    for batch in batched(fetched.to_land, 500):
        land_fetched(batch, lake)
    land_s = time.monotonic() - started
    assert not fetched.failures, fetched.failures[:3]
    return Measured(
        scenario,
        sum(fetched.outcomes.values()),
        fetched.outcomes["landed"],
        fetched.outcomes["not_modified"],
        fetched.bytes_fetched / 2**20,
        fetch_s,
        land_s,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=300, help="generated text reports (default 300)")
    parser.add_argument("--hosts", type=int, default=10, help="hostnames they are served under (default 10)")
    parser.add_argument(
        "--interval",
        type=float,
        default=FetchSettings().host_interval,
        help="per-host interval of the rate-limited scenario (default: gongkai's default)",
    )
    parser.add_argument("--workers", type=int, default=FetchSettings().workers, help="downloads at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-web-") as tmp, serve() as server:
        workdir = Path(tmp)
        served = files(args.reports, workdir)
        urls = publish(server, served, args.hosts)
        manifest = workdir / "urls.txt"
        manifest.write_text("\n".join(urls) + "\n", encoding="utf-8")

        def sources(interval: float) -> WebSources:
            return WebSources(
                str(manifest), settings=FetchSettings(host_interval=interval, workers=args.workers, proxy=server.proxy)
            )

        lake = Lake.at(workdir / "lake")
        results = [
            timed("first, no rate limit", lake, sources(0.0)),
            timed("re-run (304)", lake, sources(0.0)),
            timed(
                f"first, rate limit {args.interval:g} s per host", Lake.at(workdir / "lake2"), sources(args.interval)
            ),
        ]
    megabytes = sum(len(content) for _, content, _ in served) / 2**20
    print(
        f"{len(served)} files ({args.reports} text reports, {args.reports // 10} PDFs of ~1 MB; {megabytes:.1f} MB) "
        f"under {args.hosts} hosts, {args.workers} workers; {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}"
    )
    print()
    print("| scenario | URLs | landed | not modified | MB fetched | fetch s | land s | URLs/s | MB/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
