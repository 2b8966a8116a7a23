"""A per-host rate limit: requests to one host start at least ``interval`` seconds apart, whatever the threads."""

from __future__ import annotations

import threading
import time


class HostRateLimit:
    """:meth:`wait` lets one request to a host start at a time, ``interval`` seconds after the one before it
    really started (0 s: no limit). Other hosts are not held up."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Sleep until a request to ``host`` may start; returns the seconds slept."""
        if self.interval <= 0:
            return 0.0
        with self._lock:
            host_lock = self._locks.setdefault(host, threading.Lock())
        with host_lock:
            last = self._last.get(host)
            delay = 0.0 if last is None else last + self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._last[host] = time.monotonic()
        return max(delay, 0.0)
