"""Requests per token per minute (a token bucket kept in memory, per server process).

Why in memory: the API is one process; a restart gives every token a full bucket, which is
harmless for a read-only API, and a read never has to write to the store for counting.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """`allow(key, now)` answers 0 (go ahead) or the seconds to wait before the next try."""

    per_minute: int
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: int, now: float) -> int:
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))
