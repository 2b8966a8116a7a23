"""The ``gongkai run`` options of the web intake, and the :class:`WebSources` they make."""

from __future__ import annotations

import argparse
from pathlib import Path

from gongkai.ingest.web.fetch import FetchSettings
from gongkai.ingest.web.intake import WebSources
from gongkai.ingest.web.manifest import ManifestError, normalize_url, read_manifest, url_problem

_DEFAULTS = FetchSettings()


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def add_web_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of reports from the web to ``gongkai run`` and ``gongkai serve``."""
    group = parser.add_argument_group(
        "reports from the web",
        "Fetch reports over HTTP(S) and land them with the URL as source_uri (usable with --inbox). Without --inbox, "
        "only the web sources are read. A URL that failed is tried again by the next run that uses --urls or "
        "--crawl; one that answers 304 Not Modified, or serves bytes already landed, is not landed again.",
    )
    group.add_argument(
        "--urls",
        type=Path,
        metavar="FILE",
        help="a list of URLs (one a line) or a CSV manifest with a url column and optional publisher, "
        "region_code, year columns",
    )
    group.add_argument(
        "--crawl",
        action="append",
        default=[],
        metavar="URL",
        help="an annual-report listing page: follow its links to report pages and attachments on the "
        "same site (repeatable)",
    )
    group.add_argument(
        "--crawl-depth",
        type=_positive_int,
        default=3,
        metavar="N",
        help="links followed from a crawl's start (default 3: listing, next listing page, report page, attachment)",
    )
    group.add_argument(
        "--crawl-max", type=_positive_int, default=200, metavar="N", help="URLs fetched per crawl (default 200)"
    )
    group.add_argument(
        "--fetch-interval",
        type=_seconds,
        default=_DEFAULTS.host_interval,
        metavar="SECONDS",
        help=f"at least this long between two requests to one host (default {_DEFAULTS.host_interval:g}; 0: no limit)",
    )
    group.add_argument(
        "--fetch-timeout",
        type=_seconds,
        default=_DEFAULTS.read_timeout,
        metavar="SECONDS",
        help=f"give up a request when the server sends nothing this long (default "
        f"{_DEFAULTS.read_timeout:g}; connecting: {_DEFAULTS.connect_timeout:g})",
    )
    group.add_argument(
        "--fetch-retries",
        type=int,
        default=_DEFAULTS.retries,
        metavar="N",
        help=f"retries of a timeout, connection error, 429 or 5xx, with exponential backoff (default "
        f"{_DEFAULTS.retries})",
    )
    group.add_argument(
        "--fetch-workers",
        type=_positive_int,
        default=_DEFAULTS.workers,
        metavar="N",
        help=f"downloads at once, over all hosts (default {_DEFAULTS.workers})",
    )


def web_sources(args: argparse.Namespace) -> WebSources | None:
    """The web sources of a ``gongkai run``, or None without --urls and --crawl.

    Raises ManifestError when the manifest or a crawl URL cannot be used (the command exits with code 2).
    """
    if not args.urls and not args.crawl:
        return None
    if args.urls:
        try:
            read_manifest(args.urls)  # checked now: a bad line is a bad argument, not a failed run
        except OSError as error:
            raise ManifestError(f"{args.urls}: {error.strerror or error}") from None
    for url in args.crawl:
        if url_problem(url):
            raise ManifestError(f"--crawl {url}: {url_problem(url)}")
    settings = FetchSettings(
        read_timeout=args.fetch_timeout,
        retries=max(args.fetch_retries, 0),
        host_interval=args.fetch_interval,
        max_bytes=args.max_file_size,
        workers=args.fetch_workers,
    )
    return WebSources(
        manifest=str(args.urls.resolve()) if args.urls else None,
        crawl=tuple(normalize_url(url) for url in args.crawl),
        crawl_depth=args.crawl_depth,
        crawl_max=args.crawl_max,
        settings=settings,
    )
