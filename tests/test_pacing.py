"""Pacing from X-RateLimit-* headers: requests spread over the window, 429s rare.

The emulator and the client share one fake clock that moves only when the client sleeps, so
the emulator's 10-second windows roll over exactly as the client "waits" for them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from support import FakeTime

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.kinds.collection import COLLECTIONS
from hcsync.pacing import RESET_MARGIN, Pacer, budget_from

TOKEN = "test-token-not-a-secret"
START = 1_700_000_003.0  # three seconds into a 10-second window


def no_sleep(_seconds: float) -> None:
    return None


def headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(int(reset)),
    }


# -- the pacer alone ----------------------------------------------------------------------


def test_headers_are_read_and_garbage_is_ignored() -> None:
    assert budget_from(headers(166, 12, 1_700_000_010)) is not None
    assert budget_from({"x-ratelimit-limit": "166"}) is None
    assert budget_from(headers(166, 12, 10) | {"x-ratelimit-remaining": "lots"}) is None


def test_with_no_headers_seen_requests_go_at_once() -> None:
    time = FakeTime(START)
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    for _ in range(50):
        pacer.start()
        pacer.done(None)
    assert time.sleeps == []


def test_a_thin_budget_waits_for_the_reset_and_a_fresh_window_goes_again() -> None:
    time = FakeTime(START)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=2)
    reset = 1_700_000_010
    pacer.start()
    pacer.done(headers(100, 3, reset))  # 3 left, reserve 2: one more may go
    pacer.start()
    assert time.sleeps == []
    pacer.done(headers(100, 2, reset))
    pacer.start()  # 2 left is the reserve: wait for the window to roll
    assert time.sleeps == [pytest.approx(reset + RESET_MARGIN - START)]
    pacer.done(headers(100, 99, reset + 10))
    pacer.start()
    assert len(time.sleeps) == 1  # the fresh window's request went at once


def test_requests_in_flight_count_against_the_budget() -> None:
    time = FakeTime(START)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=0)
    pacer.start()
    pacer.done(headers(100, 3, 1_700_000_010))
    for _ in range(3):
        pacer.start()  # three in flight, none answered: the budget is spent
    assert time.sleeps == []
    pacer.start()
    assert len(time.sleeps) == 1


def test_an_older_answer_arriving_late_does_not_raise_the_budget() -> None:
    time = FakeTime(START)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=0)
    reset = 1_700_000_010
    pacer.start()
    pacer.start()
    pacer.done(headers(100, 0, reset))
    pacer.done(headers(100, 5, reset))  # sent earlier, answered later
    pacer.start()
    assert len(time.sleeps) == 1


# -- against the emulator -------------------------------------------------------------------


def paced_setup(limit: int, collections: int = 3) -> tuple[Emulator, IntercomClient, FakeTime]:
    time = FakeTime(START)
    emu = Emulator(token=TOKEN, clock=time.clock, sleep=no_sleep)
    emu.faults.rate_limit = limit
    center = emu.add_help_center("acme")
    for number in range(collections):
        emu.add_collection(f"C{number}", help_center_id=center["id"])
    http = open_http("https://api.intercom.io", TOKEN, transport=emu.transport)
    client = IntercomClient(http, sleep=time.sleep, clock=time.clock)
    return emu, client, time


def rate_limited(emu: Emulator) -> int:
    return sum(1 for r in emu.requests if r.status == 429)


def test_a_sequential_burst_over_the_limit_never_meets_a_429() -> None:
    emu, client, time = paced_setup(limit=20)
    ids = [c["id"] for c in emu.collections()]
    for number in range(200):
        client.get(COLLECTIONS, ids[number % len(ids)])
    assert rate_limited(emu) == 0
    assert client.stats.paced >= 9  # 200 requests at 20 a window: about ten windows
    assert client.stats.paced == len(time.sleeps)  # every wait was the pacer's, counted once
    assert client.stats.slept == pytest.approx(sum(time.sleeps))
    assert time.clock() - START >= 90


@pytest.mark.parametrize("threads", [4, 8])
def test_threads_sharing_one_client_stay_within_the_limit(threads: int) -> None:
    emu, client, _ = paced_setup(limit=30)
    ids = [c["id"] for c in emu.collections()]
    calls = 300
    with ThreadPoolExecutor(max_workers=threads) as pool:
        names = list(pool.map(lambda n: client.get(COLLECTIONS, ids[n % 3])["name"], range(calls)))
    assert len(names) == calls
    # Pacing makes 429s rare rather than routine; those that slip through are retried.
    assert rate_limited(emu) < calls / 10
    assert client.stats.rate_limited == rate_limited(emu)
