"""Intercom's documented limits, the defaults hcsync derives from them, and its own thresholds.

Owns the numbers every layer shares (the client's page size and bound on requests in flight,
apply's default parallelism, the safety threshold) and the reasoning behind them, so a
command's ``--help`` can show them without importing the HTTP stack or the planner.

Intercom documents, for a private app: 10,000 calls a minute per app and 25,000 per
workspace, enforced in 10-second windows (so about 1,666 calls per window, 166 a second),
with ``X-RateLimit-Remaining``/``X-RateLimit-Reset`` on every answer; and at most 150 items a
page on its lists. It documents no limit on requests in flight.

So the rate limit, not the number of connections, is what must not be crossed, and the pacer
(``pacing.py``) keeps hcsync inside it whatever the parallelism: it spreads the calls left in
a window over the time left in it. Parallelism only decides how much of the per-request
latency is overlapped. Requests in flight divided by latency is the request rate: 32 in
flight at 200 ms, a typical round trip to a cloud API from another continent, is 160 calls a
second, just under the 166 Intercom allows. Fewer leaves the budget unused at that latency
(8 in flight: a quarter of it); more cannot go faster than the budget, and only makes the
pacer wait more often. Hence 32.
"""

from __future__ import annotations

RATE_LIMIT_PER_MINUTE = 10_000  # per private app (25,000 per workspace)
RATE_LIMIT_WINDOW = 10.0  # seconds: the budget is enforced per 10-second window
MAX_PER_PAGE = 150  # the documented largest page of a list
MAX_DEPTH = 3  # Help Center collections nest at most three levels deep
TYPICAL_LATENCY = 0.2  # seconds: a round trip to Intercom's API, for sizing the default

# Requests in flight that use (not exceed) the whole budget at a typical latency (see above):
# 166 calls a second x 0.2 s is 33; a round 32.
DEFAULT_PARALLELISM = 32

# octoDNS's TooMuchChange: a plan that updates or deletes more than this share of what exists
# is refused by apply unless forced. Below MIN_EXISTING live collections any share is allowed,
# since touching 4 of 5 collections in a young help center is ordinary.
MAX_CHANGE_SHARE = 0.30
MIN_EXISTING = 10
