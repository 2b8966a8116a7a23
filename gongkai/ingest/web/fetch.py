"""HTTP downloads: httpx with connect/read timeouts and a total deadline, retries with exponential backoff on
transient failures (timeouts, connection errors, 429 and 5xx, honouring Retry-After), a per-host rate limit, a
streaming size cap, conditional requests (If-None-Match / If-Modified-Since) and an honest User-Agent.

A :class:`Download` is the final answer for one URL after its retries: the bytes, a 304, or a failure with a reason
code of :data:`gongkai.ingest.web.reasons.FETCH_REASONS`. Nothing here raises for a network or server problem.
"""

from __future__ import annotations

import email.utils
import importlib.metadata
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from gongkai.ingest.landing import DEFAULT_MAX_FILE_SIZE
from gongkai.ingest.sizes import format_size
from gongkai.ingest.web.ratelimit import HostRateLimit


def _version() -> str:
    try:
        return importlib.metadata.version("gongkai")
    except importlib.metadata.PackageNotFoundError:
        return "dev"


# Browser-like (sites that turn away unknown clients accept it) but honest: it names gongkai and what it does.
USER_AGENT = (
    f"Mozilla/5.0 (compatible; gongkai/{_version()}; collector of government information-disclosure annual reports)"
)
ACCEPT = (
    "text/html,application/xhtml+xml,application/pdf,application/msword,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,*/*;q=0.8"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch (``gongkai run --fetch-*`` options)."""

    connect_timeout: float = 10.0  # seconds to open a connection
    read_timeout: float = 30.0  # seconds without a byte from the server
    total_timeout: float = 300.0  # seconds for one whole download (a server trickling bytes is cut off)
    retries: int = 3  # attempts after the first, on transient failures only
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_backoff: float = 30.0  # longest wait between two attempts (Retry-After included)
    host_interval: float = 1.0  # seconds between two requests to one host (0: no limit)
    max_bytes: int = DEFAULT_MAX_FILE_SIZE
    workers: int = 4  # downloads at once (over all hosts; each host still waits its interval)
    max_redirects: int = 5
    proxy: str | None = field(default_factory=lambda: os.environ.get("GONGKAI_HTTP_PROXY") or None)
    user_agent: str = field(default_factory=lambda: os.environ.get("GONGKAI_USER_AGENT") or USER_AGENT)


@dataclass(frozen=True)
class Validators:
    """What a server said about the copy landed before, sent back so that it can answer 304 Not Modified."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}


@dataclass
class Download:
    """One URL's answer after its retries."""

    url: str
    fetched_at: datetime
    final_url: str | None = None  # after redirects
    status: int | None = None  # the last response's status (None: no response)
    attempts: int = 1
    content: bytes | None = None  # the body of a 2xx answer
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    disposition: str | None = None  # Content-Disposition
    failure: tuple[str, str] | None = None  # (reason code, detail)

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.failure is None


@dataclass
class _Transient:
    """A failure worth another attempt."""

    failure: tuple[str, str]
    status: int | None = None
    retry_after: float | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _retry_after(value: str | None) -> float | None:
    """Seconds of a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - _now()).total_seconds(), 0.0) if when.tzinfo else None


class Fetcher:
    """A pooled httpx client shared by the download threads; use as a context manager."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings = settings or FetchSettings()
        self.limit = HostRateLimit(settings.host_interval)
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=True,
            max_redirects=settings.max_redirects,
            proxy=settings.proxy,
            limits=httpx.Limits(max_connections=max(settings.workers * 2, 4)),
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def get(self, url: str, validators: Validators | None = None) -> Download:
        """GET ``url`` (conditionally when ``validators`` are given), retrying transient failures with backoff."""
        headers = validators.headers() if validators else {}
        host = (urlsplit(url).hostname or "").lower()
        attempt = 0
        while True:
            attempt += 1
            self.limit.wait(host)
            outcome = self._once(url, headers)
            if isinstance(outcome, Download):
                outcome.attempts = attempt
                return outcome
            if attempt > self.settings.retries:
                return Download(url, _now(), status=outcome.status, attempts=attempt, failure=outcome.failure)
            time.sleep(self._delay(attempt, outcome.retry_after))

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = self.settings.backoff * 2 ** (attempt - 1)
        return min(max(backoff, retry_after or 0.0), self.settings.max_backoff)

    def _once(self, url: str, headers: dict[str, str]) -> Download | _Transient:
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                said = f"HTTP {status} {response.reason_phrase}".strip()
                if status in RETRY_STATUSES:
                    code = "rate_limited" if status == 429 else "server_error"
                    return _Transient((code, said), status, _retry_after(response.headers.get("retry-after")))
                answer = Download(
                    url,
                    _now(),
                    str(response.url),
                    status,
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    disposition=response.headers.get("content-disposition"),
                )
                if status == 304:
                    return answer
                if not 200 <= status < 300:
                    answer.failure = ("not_found" if status in (404, 410) else "http_error", said)
                    return answer
                return self._read_body(response, answer, started)
        except httpx.TooManyRedirects as error:
            return Download(url, _now(), failure=("too_many_redirects", str(error)))
        except httpx.TimeoutException as error:
            return _Transient(
                (
                    "timeout",
                    f"{type(error).__name__} (connect {self.settings.connect_timeout:g} s, "
                    f"read {self.settings.read_timeout:g} s)",
                )
            )
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            return Download(url, _now(), failure=("bad_url", str(error)))
        except httpx.DecodingError as error:
            return Download(url, _now(), failure=("protocol", f"{type(error).__name__}: {error}"))
        except httpx.RemoteProtocolError as error:
            return _Transient(("protocol", f"{type(error).__name__}: {error}"))
        except httpx.TransportError as error:
            return _Transient(("connection", f"{type(error).__name__}: {error}"))

    def _read_body(self, response: httpx.Response, answer: Download, started: float) -> Download | _Transient:
        """Stream the body into memory, stopping at the size cap and the total deadline."""
        cap = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            answer.failure = ("too_large", f"{format_size(int(declared))} declared, over the {format_size(cap)} limit")
            return answer
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                answer.failure = ("too_large", f"over the {format_size(cap)} limit; the download was stopped")
                return answer
            if time.monotonic() - started > self.settings.total_timeout:
                return _Transient(("timeout", f"the download took over {self.settings.total_timeout:g} s"))
            chunks.append(chunk)
        answer.content = b"".join(chunks)
        answer.fetched_at = _now()
        return answer
