"""The emulator's fault switches: latency, server errors, ambiguous creates, rate limits.

Owns: the ``Faults`` settings (mutable on purpose, so a test can turn a fault on halfway
through) and validating them.
Must not: draw random numbers or sleep itself; ``app`` does both, with the emulator's seeded
``random.Random`` and injected sleep, so runs are reproducible and tests never really wait.
"""

from __future__ import annotations

from dataclasses import dataclass

# Intercom enforces its per-app limit in 10-second windows. Its documented default for
# private apps is now 10,000 calls a minute (1,666 a window); the emulator's default stays
# at the conservative 10-second share of the older 1,000 a minute: 1000 / 6, rounded down.
DEFAULT_RATE_LIMIT = 166
WINDOW_SECONDS = 10


@dataclass
class Faults:
    """What goes wrong, and how often. A rate of 0 means the fault never happens."""

    latency: float = 0.0  # seconds added to every request
    error_rate: float = 0.0  # chance of a 500/502/503 answered without doing the work
    commit_then_502: float = 0.0  # chance that a create is committed and then answered 502
    rate_limit: int | None = DEFAULT_RATE_LIMIT  # requests per 10-second window; None: off

    def __post_init__(self) -> None:
        if self.latency < 0:
            raise ValueError("latency must be >= 0 seconds")
        for name in ("error_rate", "commit_then_502"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {rate}")
        if self.rate_limit is not None and self.rate_limit < 1:
            raise ValueError("rate_limit must be a positive number of requests, or None")
