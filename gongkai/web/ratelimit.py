"""A per-host rate limit: requests to one host start at least ``interval`` seconds apart, whatever the threads."""
from __future__ import annotations

import threading
import time


class HostRateLimit:
    """Each call of :meth:`wait` reserves the host's next free slot and sleeps until it (0 s: no limit)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Sleep until a request to ``host`` may start; returns the seconds slept."""
        if self.interval <= 0:
            return 0.0
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        delay = slot - now
        if delay > 0:
            time.sleep(delay)
        return max(delay, 0.0)
