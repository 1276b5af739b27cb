"""A small in-process sliding-window limiter for sign-in attempts.

Two limits use it (``auth.web``): every attempt per client address, which stops one address
trying many accounts, and failed attempts per account from one address, which stops one
address guessing one password without letting it lock the account's owner out elsewhere.
Each worker process keeps its own windows, which is enough for that.
"""

import time
from collections import defaultdict, deque
from collections.abc import Callable


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def _current(self, key: str) -> deque[float]:
        hits = self._hits[key]
        cutoff = self.clock() - self.window
        while hits and hits[0] <= cutoff:
            hits.popleft()
        if not hits:
            del self._hits[key]  # an idle key costs no memory
        return hits

    def blocked(self, key: str) -> bool:
        """Whether ``key`` has used up its window, without counting this question."""
        return len(self._current(key)) >= self.limit

    def record(self, key: str) -> None:
        self._hits[key].append(self.clock())

    def allow(self, key: str) -> bool:
        """Count one attempt for ``key``; False once it has used up its window."""
        if self.blocked(key):
            return False
        self.record(key)
        return True
