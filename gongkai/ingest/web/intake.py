"""One run's web intake: fetch the manifest's URLs and the crawl, decide each URL's outcome, spool what is new,
write the fetch log; then land the spooled files through the same raw-part writer as folder files.

Fetching goes level by level (the seeds, then the links they lead to), ``settings.workers`` downloads at once, each
host rate-limited. Every URL attempted gets one fetch-log row with its outcome:

- ``landed``: new bytes, spooled under ``<lake>/web/spool/<sha256>`` and landed by :func:`land_fetched`;
- ``not_modified``: the server answered 304 to the validators of the copy already landed;
- ``duplicate``: the same bytes as a file already landed (or landed by another URL in this run);
- ``listing``: a crawled listing page, read for its links, never landed;
- ``failed``: with a reason code (:data:`gongkai.ingest.web.reasons.FETCH_REASONS`); retried by the next web run.

A manifest URL that is a web page is a report page: it lands, and so do its attachments (same site), each with its
page as ``parent_uri`` and the page's hints. A crawl starts at a listing page and follows, on the same site, links to
report pages, attachments and further listing pages (pagination), within ``crawl_depth`` links and ``crawl_max`` URLs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.ingest.discovery import Skipped
from gongkai.ingest.hints import SourceHints
from gongkai.ingest.landing import LandedBatch, RawFile, landed_file_ids, write_raw_part
from gongkai.ingest.web import fetch_log
from gongkai.ingest.web.content import content_problem, file_name, is_web_page
from gongkai.ingest.web.fetch import Download, Fetcher, FetchSettings, Validators
from gongkai.ingest.web.links import (
    Link,
    is_attachment,
    is_pagination,
    is_report_link,
    is_report_page,
    page_links,
    prints_the_form,
    same_site,
)
from gongkai.ingest.web.manifest import normalize_url, read_manifest
from gongkai.ingest.web.reasons import reason_text
from gongkai.lake import Lake, write_bytes_atomic

MAX_ATTACHMENTS = 20  # attachments followed from one page
MAX_FAILED_RUNS = 5  # a failure carried over from earlier runs is retried this many runs, then given up
SHOWN_FAILURES = 20  # failures the printed run summary lists (run_summary.json lists all)


@dataclass(frozen=True)
class WebSources:
    """What a run fetches (``gongkai run --urls / --crawl``) and how."""

    manifest: str | None = None  # a URL list or CSV manifest (gongkai.ingest.web.manifest)
    crawl: tuple[str, ...] = ()  # listing pages to crawl
    crawl_depth: int = 3  # links followed from a crawl's start
    crawl_max: int = 200  # URLs fetched per crawl start
    settings: FetchSettings = field(default_factory=FetchSettings)
    retry_failed: bool = True  # retry the URLs whose last attempt (an earlier run) failed


@dataclass(frozen=True)
class _Job:
    """One URL to fetch and why."""

    url: str
    role: str  # document (manifest: a file or a report page) | file | page (crawl) | start (crawl)
    via: str  # manifest | crawl | attachment | retry
    depth: int
    max_depth: int  # links from this job are followed while depth < max_depth
    parent: str | None = None
    hints: SourceHints = SourceHints()
    crawl: str | None = None  # the crawl start it belongs to (counts against that crawl's crawl_max)


@dataclass(frozen=True)
class FetchedFile:
    """A new file fetched and spooled, to be landed."""

    file_id: str
    file_name: str
    url: str
    status: int | None
    fetched_at: datetime
    parent: str | None
    hints: str | None  # JSON
    spool: str
    size_bytes: int


@dataclass
class WebIntake:
    """What one run's fetching did."""

    to_land: list[FetchedFile] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    failures: list[dict] = field(default_factory=list)  # {url, code, reason, status}
    given_up: list[str] = field(default_factory=list)  # failed MAX_FAILED_RUNS runs in a row: not retried
    off_site_links: int = 0
    over_crawl_limit: int = 0
    bytes_fetched: int = 0
    seconds: float = 0.0
    log_parts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The run summary's ``web`` entry."""
        return {
            "urls": sum(self.outcomes.values()),
            **{k: self.outcomes.get(k, 0) for k in ("landed", "not_modified", "duplicate", "listing", "failed")},
            "failed_by_reason": dict(Counter(f["code"] for f in self.failures)),
            "failures": self.failures,
            "given_up": self.given_up,
            "retry_runs": MAX_FAILED_RUNS,
            "off_site_links": self.off_site_links,
            "over_crawl_limit": self.over_crawl_limit,
            "bytes_fetched": self.bytes_fetched,
            "seconds": round(self.seconds, 1),
            "fetch_log": self.log_parts,
        }


@dataclass
class _Settled:
    """What a download thread made of one job: its log row (outcome still open for new bytes), the jobs its links
    lead to, the spooled file when its bytes may be new, and links not followed because they leave the site."""

    row: dict
    children: list[_Job] = field(default_factory=list)
    fetched: FetchedFile | None = None
    off_site: int = 0


class _Run:
    """One run's fetching (see the module docstring). Download threads fetch, check, hash, spool and read links;
    the outcomes are decided and counted in the calling thread, in job order, so that of two URLs serving the same
    bytes the first listed always lands."""

    def __init__(self, sources: WebSources, lake: Lake) -> None:
        self.sources, self.lake = sources, lake
        self.run_id = fetch_log.new_run_id()
        self.history = fetch_log.read_history(lake)
        self.known = landed_file_ids(lake)
        self.intake = WebIntake()
        self.landing: dict[str, str] = {}  # sha256 -> URL that lands it in this run
        self.crawled: Counter = Counter()  # crawl start -> URLs fetched for it

    def seeds(self) -> list[_Job]:
        jobs = []
        if self.sources.manifest:
            jobs += [
                _Job(t.url, "document", "manifest", 0, 1, hints=t.hints)
                for t in read_manifest(Path(self.sources.manifest))
            ]
        for start in self.sources.crawl:
            url = normalize_url(start)
            jobs.append(_Job(url, "start", "crawl", 0, self.sources.crawl_depth, crawl=url))
        listed = {job.url for job in jobs}
        for url, seen in sorted(self.history.items()) if self.sources.retry_failed else ():
            last = seen.last
            if last["outcome"] != "failed" or url in listed:
                continue
            if last["failed_runs"] >= MAX_FAILED_RUNS:
                self.intake.given_up.append(url)
                continue
            jobs.append(
                _Job(
                    url,
                    last["role"],
                    "retry",
                    last["depth"],
                    last["depth"] + 1,
                    last["parent_url"],
                    SourceHints.from_json(last["hints"]),
                )
            )
        return jobs

    def run(self) -> WebIntake:
        started = time.monotonic()
        self.lake.web_spool.mkdir(parents=True, exist_ok=True)
        for leftover in self.lake.web_spool.iterdir():  # spooled by a run killed before landing: fetched again
            leftover.unlink()
        level, visited = self.seeds(), set[str]()
        settings = self.sources.settings
        with Fetcher(settings) as fetcher, ThreadPoolExecutor(max(settings.workers, 1)) as pool:
            depth = 0
            while level:
                jobs = self._admit(level, visited)
                # hosts taken in turn, so that the workers do not all wait on one rate-limited host; the outcomes
                # are decided in the jobs' own order
                turns = _by_host_in_turn(jobs)
                results = pool.map(lambda job: self._settle(job, fetcher.get(job.url, self._validators(job))), turns)
                by_job = dict(zip(map(id, turns), results, strict=True))
                settled = [by_job[id(job)] for job in jobs]
                for done in settled:
                    self._decide(done)
                part = fetch_log.write_rows(self.lake, self.run_id, [done.row for done in settled], depth)
                if part:
                    self.intake.log_parts.append(part)
                level = [child for done in settled for child in done.children]
                depth += 1
        self.intake.seconds = time.monotonic() - started
        return self.intake

    def _admit(self, level: list[_Job], visited: set[str]) -> list[_Job]:
        """The jobs of a level not fetched yet in this run, each crawl within its URL budget."""
        jobs = []
        for job in level:
            if job.url in visited:
                continue
            if job.crawl is not None:
                if self.crawled[job.crawl] >= self.sources.crawl_max:
                    self.intake.over_crawl_limit += 1
                    continue
                self.crawled[job.crawl] += 1
            visited.add(job.url)
            jobs.append(job)
        return jobs

    def _validators(self, job: _Job) -> Validators | None:
        """The validators of the copy landed before (only if its bytes really are in the lake, or it was a listing
        whose links are in the log)."""
        seen = self.history.get(job.url)
        good = seen.good if seen else None
        if good is None or not (good["etag"] or good["last_modified"]):
            return None
        if good["outcome"] != "listing" and good["sha256"] not in self.known:
            return None
        return Validators(good["etag"], good["last_modified"])

    def _decide(self, done: _Settled) -> None:
        """Close the outcome of new bytes (landed, or a duplicate of a file landed before or by an earlier URL of
        this run) and count everything."""
        row = done.row
        if row["outcome"] is None:
            sha = row["sha256"]
            first = self.landing.setdefault(sha, row["url"])
            if sha in self.known or first != row["url"]:
                row.update(
                    outcome="duplicate", reason="已入湖（同一 sha256）" if sha in self.known else f"与 {first} 内容相同"
                )
            else:
                row["outcome"] = "landed"
                assert done.fetched is not None  # set whenever the outcome is left open
                self.intake.to_land.append(done.fetched)
        if row["outcome"] == "failed":
            self.intake.failures.append(
                {
                    "url": row["url"],
                    "code": row["reason_code"],
                    "reason": row["reason"],
                    "status": row["status"],
                    "parent": row["parent_url"],
                }
            )
        self.intake.outcomes[row["outcome"]] += 1
        if row["outcome"] != "not_modified":  # a 304 carries the size of the copy landed before
            self.intake.bytes_fetched += row["bytes"] or 0
        self.intake.off_site_links += done.off_site

    def _settle(self, job: _Job, download: Download) -> _Settled:
        """The fetch-log row of one download (in a download thread); new bytes are spooled, links read."""
        row = self._row(job, download)
        if download.failure:
            return _Settled(self._failed(row, *download.failure))
        good = self.history[job.url].good if job.url in self.history else None
        if download.not_modified and good is not None:
            row.update(
                outcome="not_modified",
                sha256=good["sha256"],
                bytes=good["bytes"],
                role=good["role"],
                links=good["links"],
                etag=row["etag"] or good["etag"],
                last_modified=row["last_modified"] or good["last_modified"],
            )
            return _Settled(row, self._replay(job, good["links"]))
        content = download.content or b""
        problem = content_problem(job.url, download.content_type, content, expect_file=job.role == "file")
        if problem:
            return _Settled(self._failed(row, *problem))
        sha = hashlib.sha256(content).hexdigest()
        row.update(sha256=sha, bytes=len(content), role="file")
        settled = _Settled(row)
        if job.role != "file" and is_web_page(content):
            links = page_links(content, download.final_url or job.url)
            # a crawl's start is a listing unless it prints the form; a manifest's page is a report page
            listing = (job.role == "start" and not prints_the_form(content)) or (
                job.role == "page" and not is_report_page(content, links)
            )
            row["role"] = "listing" if listing else "report_page"
            settled.children, settled.off_site = self._follow(job, links, listing)
            row["links"] = json.dumps([[child.url, child.role] for child in settled.children], ensure_ascii=False)
            if listing:
                row["outcome"] = "listing"
                return settled
        if sha not in self.known:
            spool = write_bytes_atomic(self.lake.web_spool / sha, content)
            settled.fetched = FetchedFile(
                sha,
                file_name(download.final_url or job.url, download.disposition, content),
                job.url,
                download.status,
                download.fetched_at,
                job.parent,
                job.hints.to_json(),
                str(spool),
                len(content),
            )
        return settled

    def _follow(self, job: _Job, links: list[Link], listing: bool) -> tuple[list[_Job], int]:
        """The jobs a page's links lead to: from a listing, attachments, report pages and pagination; from a report
        page, its attachments. Same site only (the links that leave it are counted), within the depth limit."""
        if job.depth >= job.max_depth:
            return [], 0
        children: list[_Job] = []
        attachments = off_site = 0
        via = "crawl" if job.crawl else "attachment"
        for link in links:
            if is_attachment(link):
                role = "file"
            elif listing and (is_report_link(link) or is_pagination(link)):
                role = "page"
            else:
                continue
            if not same_site(link.url, job.url):
                off_site += 1
                continue
            if role == "file":
                if attachments >= MAX_ATTACHMENTS:
                    continue
                attachments += 1
            children.append(_Job(link.url, role, via, job.depth + 1, job.max_depth, job.url, job.hints, job.crawl))
        return children, off_site

    def _replay(self, job: _Job, links_json: str | None) -> list[_Job]:
        """The jobs of a page that answered 304: the links it led to last time."""
        if job.depth >= job.max_depth or not links_json:
            return []
        via = "crawl" if job.crawl else "attachment"
        return [
            _Job(url, role, via, job.depth + 1, job.max_depth, job.url, job.hints, job.crawl)
            for url, role in json.loads(links_json)
        ]

    def _row(self, job: _Job, download: Download) -> dict:
        return {
            "run_id": self.run_id,
            "url": job.url,
            "final_url": download.final_url,
            "parent_url": job.parent,
            "via": job.via,
            "depth": job.depth,
            "role": job.role,
            "status": download.status,
            "fetched_at": download.fetched_at,
            "attempts": download.attempts,
            "etag": download.etag,
            "last_modified": download.last_modified,
            "content_type": download.content_type,
            "bytes": None,
            "sha256": None,
            "outcome": None,
            "reason_code": None,
            "reason": None,
            "failed_runs": 0,
            "links": None,
            "hints": job.hints.to_json(),
        }

    def _failed(self, row: dict, code: str, detail: str) -> dict:
        seen = self.history.get(row["url"])
        before = seen.last["failed_runs"] if seen and seen.last["outcome"] == "failed" else 0
        row.update(outcome="failed", reason_code=code, reason=reason_text(code, detail), failed_runs=before + 1)
        return row


def _by_host_in_turn(jobs: list[_Job]) -> list[_Job]:
    """The jobs reordered round-robin over their hosts (each host's own order kept)."""
    queues: dict[str, list[_Job]] = {}
    for job in jobs:
        queues.setdefault(urlsplit(job.url).netloc, []).append(job)
    ordered: list[_Job] = []
    for turn in itertools.zip_longest(*queues.values()):
        ordered += [job for job in turn if job is not None]
    return ordered


def fetch_sources(sources: WebSources, lake: Lake) -> WebIntake:
    """Fetch everything ``sources`` names (see the module docstring); the caller holds the lake's lock."""
    intake = _Run(sources, lake).run()
    intake.failures.sort(key=lambda failure: failure["url"])
    intake.to_land.sort(key=lambda fetched: fetched.url)
    return intake


def land_fetched(files: list[FetchedFile], lake: Lake) -> LandedBatch:
    """Land one batch of spooled files as a raw part (``source_uri`` = the URL), then drop them from the spool."""
    outcome = LandedBatch(part=None)
    raws = []
    for fetched in files:
        spool = Path(fetched.spool)
        try:
            content = spool.read_bytes()
        except OSError as error:
            outcome.skipped.append(Skipped(fetched.url, "unreadable", error.strerror or str(error)))
            continue
        if hashlib.sha256(content).hexdigest() != fetched.file_id:
            outcome.skipped.append(Skipped(fetched.url, "changed"))
            continue
        raws.append(
            RawFile(
                fetched.file_id,
                fetched.file_name,
                fetched.url,
                content,
                fetched.fetched_at,
                fetched.status,
                fetched.parent,
                fetched.hints,
            )
        )
    outcome.part = write_raw_part(raws, lake)
    outcome.landed = len(raws)
    for fetched in files:
        Path(fetched.spool).unlink(missing_ok=True)
    return outcome
