"""The retry policy: which failures are worth another try, for which method, and how long to wait.

Owns the decisions, not the loop: ``IntercomClient._request`` asks this module "may I try
again?" and "how long do I wait?", and does the waiting itself through its injected ``sleep``.
Must not do IO, sleep, or read the clock: time and randomness are passed in, so every
decision is a pure function a test can check directly.

The rules, and why:

- GET, PUT and DELETE are idempotent: a 500/502/503/504, a timeout or a dropped connection
  is retried with exponential backoff and *full jitter* (a delay drawn uniformly from
  ``[0, min(cap, base * 2**retry)]``), so many clients that failed together do not retry
  together.
- POST creates a collection and is not idempotent. A failure that happened *before* the
  request left (connection refused, connect timeout, no free connection in the pool) is safe
  to retry. Any other failure (a 5xx, a read timeout, a dropped connection, an answer that
  cannot be decoded) is ambiguous: the create may have committed. It is never retried; the
  client raises ``AmbiguousCreateError`` so the caller can look for the collection before
  creating it again.
- A 429 means the request was not processed, so it is retried for every method, POST
  included, after waiting until ``X-RateLimit-Reset`` (or ``Retry-After`` seconds when given).
  A wait longer than ``max_rate_limit_wait`` is not waited: the client fails saying so.
- Any other 4xx is the caller's mistake and is never retried, and so is an answer whose body
  cannot be decoded (it is not a transient connection failure).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # httpx is imported when a request fails, not by `hcsync --help`
    import random

    import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})
RATE_LIMITED = 429


@cache
def _not_sent() -> tuple[type[httpx.TransportError], ...]:
    """Failures raised before a single byte of the request was sent: retrying cannot duplicate."""
    import httpx

    return (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@cache
def _transient() -> tuple[type[httpx.TransportError], ...]:
    """Failures that a later attempt may not meet: slow or dropped connections, not bad
    requests."""
    import httpx

    return (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. The defaults wait at most 0.5 + 1 + 2 + 4 = 7.5 s over 5 attempts."""

    attempts: int = 5  # tries in all for a 5xx, timeout or connection error (1 = no retry)
    base: float = 0.5  # seconds: the first retry waits up to this much
    cap: float = 8.0  # seconds: no single backoff is longer
    rate_limit_attempts: int = 6  # 429s answered in a row before giving up
    max_rate_limit_wait: float = 60.0  # seconds: a longer wait asked for by a 429 is refused
    rate_limit_jitter: float = 1.0  # seconds, at most, added after a reset so clients spread

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.rate_limit_attempts < 1:
            raise ValueError("attempts and rate_limit_attempts must be at least 1")
        if min(self.base, self.cap, self.max_rate_limit_wait, self.rate_limit_jitter) < 0:
            raise ValueError("delays must be >= 0 seconds")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The wait before retry number ``retry`` (1 for the first retry), full jitter."""
        return rng.uniform(0.0, self.ceiling(retry))

    def ceiling(self, retry: int) -> float:
        """The longest wait before retry number ``retry``."""
        return min(self.cap, self.base * 2.0 ** max(retry - 1, 0))

    def give_up_after(self, timeout: float) -> float:
        """At most how many seconds one request takes before hcsync gives up on a server that
        never answers: every attempt runs into ``timeout``, with the longest backoff between
        them. (A server that answers 429 is not hung; those waits are bounded apart.)"""
        waits = sum(self.ceiling(retry) for retry in range(1, self.attempts))
        return self.attempts * timeout + waits


def may_retry_status(method: str, status: int) -> bool:
    """True when an error answer with ``status`` to ``method`` is worth sending again as is.

    A 429 is not decided here: it is retried for every method, after the wait
    ``rate_limit_wait`` says, and the client handles it before asking this.
    """
    return method.upper() in IDEMPOTENT_METHODS and status in RETRYABLE_STATUSES


def may_retry_transport(method: str, exc: httpx.RequestError) -> bool:
    """True when a request that got no (readable) answer may be sent again without risk of a
    duplicate. An answer that could not be decoded is not retried: it came, so it is no
    transient connection failure."""
    if isinstance(exc, _not_sent()):
        return True
    return method.upper() in IDEMPOTENT_METHODS and isinstance(exc, _transient())


def is_ambiguous_status(method: str, status: int) -> bool:
    """A POST answered 5xx: the server may have done the work before failing."""
    return method.upper() not in IDEMPOTENT_METHODS and status >= 500


def is_ambiguous_transport(method: str, exc: httpx.RequestError) -> bool:
    """A POST that may have reached the server and got no answer back (or one it could not
    read: a garbled 2xx means the create did commit)."""
    return method.upper() not in IDEMPOTENT_METHODS and not isinstance(exc, _not_sent())


def server_retry_after(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds when the server sent one as a number (dates are ignored)."""
    seconds = _number(headers.get("retry-after"))
    return seconds if seconds is not None and seconds >= 0 else None


def rate_limit_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until a 429's window ends: ``Retry-After``, else ``X-RateLimit-Reset - now``.

    None when the answer says neither (the caller then backs off as for a 5xx).
    """
    after = server_retry_after(headers)
    if after is not None:
        return after
    reset = _number(headers.get("x-ratelimit-reset"))
    if reset is None:
        return None
    return max(reset - now, 0.0)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None
