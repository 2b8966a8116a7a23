"""A real HTTP server on 127.0.0.1 for the web intake's tests and benchmark: routes of fixture bytes with ETag and
Last-Modified (304 on a match), failures before success, slow answers, redirects; and every request recorded.

It is also an HTTP proxy of sorts: a request for ``http://www.mengjin.gov.cn/x`` sent through it (``proxy=
server.proxy``) is answered from the route of that host, so tests can use the government hostnames region clues
come from without any DNS.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LOCAL = "127.0.0.1"


@dataclass
class Route:
    """What one URL answers."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    validators: bool = True  # send ETag and Last-Modified, answer 304 when they come back
    fail_first: int = 0  # answer ``fail_status`` to the first requests
    fail_status: int = 500
    delay: float = 0.0  # seconds before answering
    redirect: str | None = None  # 302 to this location
    headers: dict[str, str] = field(default_factory=dict)
    declare_length: bool = True  # send Content-Length (False: stream the body without it)


@dataclass(frozen=True)
class Request:
    host: str
    path: str
    headers: dict[str, str]
    at: float


class FixtureServer:
    """The routes, keyed by (host, path); ``url`` builds the URL a test fetches."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Request] = []
        self.hits: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()
        self.port = 0

    @property
    def proxy(self) -> str:
        return f"http://{LOCAL}:{self.port}"

    def url(self, path: str, host: str = LOCAL) -> str:
        return f"http://{host}:{self.port}{path}" if host == LOCAL else f"http://{host}{path}"

    def add(self, path: str, route: Route, host: str = LOCAL) -> str:
        """Serve ``route`` at ``path`` of ``host``; returns its URL."""
        self.routes[(host, path)] = route
        return self.url(path, host)

    def requested(self, url: str) -> list[Request]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return [r for r in self.requests if (r.host, r.path) == (parts.hostname, path)]


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        fixtures = self.server.fixtures
        target = urlsplit(self.path)
        host = target.hostname or LOCAL  # absolute-form: a request through the "proxy"
        path = target.path + (f"?{target.query}" if target.query else "")
        with fixtures.lock:
            fixtures.requests.append(Request(host, path, dict(self.headers), time.monotonic()))
            fixtures.hits[(host, path)] += 1
            hit = fixtures.hits[(host, path)]
        route = fixtures.routes.get((host, path))
        if route is None:
            return self._send(
                404,
                b"<html><head><title>404 Not Found</title></head><body><p>404</p></body></html>",
                "text/html; charset=utf-8",
            )
        if route.delay:
            time.sleep(route.delay)
        if hit <= route.fail_first:
            return self._send(route.fail_status, b"<html><body><p>error</p></body></html>", "text/html")
        if route.redirect:
            return self._send(302, b"", "text/html", {"Location": route.redirect})
        headers = dict(route.headers)
        if route.validators:
            headers.update({"ETag": _etag(route.body), "Last-Modified": LAST_MODIFIED})
            if self.headers.get("If-None-Match") == headers["ETag"] or (
                "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                return self._send(304, b"", None, headers)
        self._send(route.status, route.body, route.content_type, headers, route.declare_length)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str] | None = None,
        declare_length: bool = True,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if declare_length or status == 304:
            self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        if status != 304:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (a size cap)
                pass
        if not declare_length:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fixtures: FixtureServer


@contextmanager
def serve() -> Iterator[FixtureServer]:
    """A running server on 127.0.0.1 (a free port), shut down on exit."""
    fixtures = FixtureServer()
    server = _Server((LOCAL, 0), _Handler)
    server.fixtures = fixtures
    fixtures.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fixtures
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
