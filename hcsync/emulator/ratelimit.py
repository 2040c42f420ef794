"""Intercom-style rate limiting: a request budget per fixed 10-second window.

Owns: counting requests per window and the ``X-RateLimit-*`` header values.
Must not: read the clock itself (the caller passes ``now`` from the injected clock) or
decide the limit (``Faults.rate_limit`` does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .faults import DEFAULT_RATE_LIMIT, WINDOW_SECONDS


@dataclass(frozen=True)
class Budget:
    """The state of the current window after one request was (or was not) counted."""

    allowed: bool
    limit: int
    remaining: int
    reset: int  # Unix seconds when the current window ends

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """Fixed windows aligned to multiples of 10 seconds of the clock, as Intercom's are."""

    def __init__(self) -> None:
        self._window = -1
        self._used = 0

    def _roll(self, now: float) -> int:
        window = math.floor(now / WINDOW_SECONDS)
        if window != self._window:
            self._window, self._used = window, 0
        return (window + 1) * WINDOW_SECONDS

    def take(self, now: float, limit: int | None) -> Budget:
        """Count one request; refused (not counted) when the window's budget is spent.

        With ``limit=None`` nothing is refused; the headers then report the nominal default
        limit with the whole of it remaining, so clients that pace themselves from them see
        sensible values and are never held back by a limit that is not enforced.
        """
        reset = self._roll(now)
        shown = DEFAULT_RATE_LIMIT if limit is None else limit
        if limit is None:
            return Budget(True, shown, shown, reset)
        if self._used >= limit:
            return Budget(False, shown, 0, reset)
        self._used += 1
        return Budget(True, shown, max(shown - self._used, 0), reset)

    def peek(self, now: float, limit: int | None) -> Budget:
        """The window's state without counting (for answers that cost nothing, like 401)."""
        reset = self._roll(now)
        shown = DEFAULT_RATE_LIMIT if limit is None else limit
        remaining = shown if limit is None else max(shown - self._used, 0)
        return Budget(True, shown, remaining, reset)
