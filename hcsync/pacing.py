"""Pacing: spend Intercom's rate-limit budget without running into 429s.

Owns one thread-safe ``Pacer`` per client. Every response's ``X-RateLimit-Limit``,
``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (Unix seconds when the window ends) are
fed to ``Pacer.done``; before every request ``Pacer.start`` decides whether it may go now.
Must not do HTTP or decide retries (``retry`` does); time is read from the injected clock and
waited through the injected sleep, so tests never really wait.

The rule is deliberately simple. The budget still free is what the last answer said remained,
minus the requests sent since and not yet answered (with N threads sharing a client, up to N
are in flight). While that is above a small reserve, a request goes at once. When it is not,
the request waits until the window resets. When a window has passed, its numbers no longer
hold: the budget is assumed full again until the next answer says otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

DEFAULT_RESERVE = 2  # requests kept back from each window for answers still on their way
MAX_PACING_WAIT = 60.0  # seconds: a reset further away than this (a skewed clock) is capped
RESET_MARGIN = 0.05  # seconds after the reset: the server's window must really have rolled


@dataclass(frozen=True)
class Budget:
    """What the last answer said about the current window."""

    limit: int
    remaining: int
    reset: float


def budget_from(headers: Mapping[str, str]) -> Budget | None:
    """The X-RateLimit-* headers of one answer, or None when any is missing or garbled."""
    try:
        limit = int(headers["x-ratelimit-limit"])
        remaining = int(headers["x-ratelimit-remaining"])
        reset = float(headers["x-ratelimit-reset"])
    except (KeyError, ValueError):
        return None
    if limit < 1 or remaining < 0:
        return None
    return Budget(limit, remaining, reset)


class Pacer:
    """Delays requests when the window's budget is nearly spent; safe to share across threads.

    It keeps no statistics: every wait goes through the injected ``sleep``, which the client
    counts (``ClientStats.paced`` and ``slept``).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        reserve: int = DEFAULT_RESERVE,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._reserve = max(reserve, 0)
        self._lock = threading.Condition()
        self._budget: Budget | None = None  # None: nothing known (no answer yet, or stale)
        self._in_flight = 0

    def start(self) -> None:
        """Block until one more request may be sent; pair every call with ``done``."""
        while True:
            with self._lock:
                wait = self._wait_needed()
                if wait is None:
                    self._in_flight += 1
                    return
                if wait == 0.0:
                    # The budget is thin but the window's end is unknown: an answer on its way
                    # will say more. Woken by ``done``; the timeout is a safety net only.
                    self._lock.wait(timeout=1.0)
                    continue
            self._sleep(wait)  # outside the lock: other threads keep finishing meanwhile

    def done(self, headers: Mapping[str, str] | None) -> None:
        """One request finished (answered or not); learn from its headers when it has some."""
        with self._lock:
            self._in_flight = max(self._in_flight - 1, 0)
            seen = budget_from(headers) if headers is not None else None
            if seen is not None:
                self._learn(seen)
            self._lock.notify_all()

    def _learn(self, seen: Budget) -> None:
        known = self._budget
        if known is None or seen.reset > known.reset:
            self._budget = seen  # a newer window
        elif seen.reset == known.reset:
            # Answers arrive out of order; within a window the lowest count is the latest.
            self._budget = Budget(seen.limit, min(seen.remaining, known.remaining), seen.reset)
        # An answer from an older window says nothing about this one.

    def _wait_needed(self) -> float | None:
        """None: go now. 0.0: wait for an answer. Otherwise: seconds until the reset."""
        budget = self._budget
        if budget is None:
            return None
        now = self._clock()
        if now >= budget.reset + RESET_MARGIN:
            return None if self._in_flight < budget.limit else 0.0
        # A tiny limit (a test's, or a throttled app's) cannot afford the whole reserve.
        reserve = min(self._reserve, budget.limit // 4)
        if budget.remaining - self._in_flight > reserve:
            return None
        return min(budget.reset + RESET_MARGIN - now, MAX_PACING_WAIT)
