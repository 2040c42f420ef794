"""The pacer at its edges: the exact moment a window rolls, answers from other windows,
the reserve, the cap on a wait, and a request held back until another one is answered.

What a user would feel if these went wrong: 429s in a big apply (the pacer lets too much
through), or a run that stalls (it waits when it need not, or for far too long). The clock
is fake and counts its readings, so a pacer that polled in a loop fails fast instead of
spinning.
"""

from __future__ import annotations

import threading

import pytest
from support import FakeTime

from hcsync.pacing import MAX_PACING_WAIT, RESET_MARGIN, Budget, Pacer, budget_from

RESET = 1_700_000_010.0


# More readings than any test here needs: a pacer stuck re-checking the same state fails
# the test (FakeTime's ``limit``) instead of hanging it.
READINGS = 50


def headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
    }


# ------------------------------------------------------------------------- reading headers


def test_headers_are_read_into_a_budget() -> None:
    assert budget_from(headers(166, 12, 1_700_000_010.5)) == Budget(166, 12, 1_700_000_010.5)


@pytest.mark.parametrize(
    ("limit", "remaining", "read"),
    [
        (1, 0, True),  # a limit of one, spent: still a budget to respect
        (1, 1, True),
        (0, 0, False),  # a limit of nothing is garbage
        (5, -1, False),
        (0, 3, False),
    ],
)
def test_the_smallest_sane_numbers_are_read_and_nonsense_is_not(
    limit: int, remaining: int, read: bool
) -> None:
    budget = budget_from(headers(limit, remaining, RESET))
    assert budget == (Budget(limit, remaining, RESET) if read else None)


@pytest.mark.parametrize(
    "missing", ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]
)
def test_an_answer_missing_any_of_the_three_headers_says_nothing(missing: str) -> None:
    full = headers(100, 50, RESET)
    assert budget_from({k: v for k, v in full.items() if k != missing}) is None
    assert budget_from({**full, missing: "soon"}) is None


# -------------------------------------------------------------------------- the reserve


def pacer_told(
    limit: int, remaining: int, reset: float = RESET, *, now: float, reserve: int = 2
) -> tuple[Pacer, FakeTime]:
    """A pacer that has sent one request and heard the given budget back."""
    time = FakeTime(now, limit=READINGS)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=reserve)
    pacer.start()
    pacer.done(headers(limit, remaining, reset))
    return pacer, time


def test_a_reserve_of_zero_spends_the_last_request_of_the_window() -> None:
    pacer, time = pacer_told(100, 1, now=RESET - 5, reserve=0)
    pacer.start()
    assert time.sleeps == []
    pacer.start()  # the one left is in flight: nothing more in this window
    assert time.sleeps == [pytest.approx(5 + RESET_MARGIN)]


def test_a_negative_reserve_counts_as_none() -> None:
    pacer, time = pacer_told(100, 1, now=RESET - 5, reserve=-3)
    pacer.start()
    assert time.sleeps == []
    pacer.start()
    assert len(time.sleeps) == 1


def test_a_fresh_pacer_has_nothing_in_flight() -> None:
    """Told 3 are left with a reserve of 2, exactly one more request goes before waiting."""
    time = FakeTime(RESET - 5, limit=READINGS)
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    pacer.done(headers(100, 3, RESET))  # an answer to a request the pacer did not see start
    pacer.start()
    assert time.sleeps == []
    pacer.start()
    assert len(time.sleeps) == 1


def test_every_answer_frees_exactly_one_request() -> None:
    pacer, time = pacer_told(100, 10, now=RESET - 5, reserve=0)
    for _ in range(10):
        pacer.start()  # ten in flight: the window's budget is spent
    pacer.done(None)
    pacer.done(None)  # two answered without headers: two may go again
    pacer.start()
    pacer.start()
    assert time.sleeps == []
    pacer.start()
    assert len(time.sleeps) == 1


def test_more_answers_than_requests_never_make_room_out_of_nothing() -> None:
    """Answers without a start (a retry's, say) cannot push the count below zero and let
    extra requests through."""
    pacer, time = pacer_told(100, 1, now=RESET - 5, reserve=0)
    pacer.done(None)
    pacer.done(None)
    pacer.start()
    assert time.sleeps == []
    pacer.start()
    assert len(time.sleeps) == 1


def test_a_limit_of_eight_keeps_the_whole_reserve_of_two() -> None:
    pacer, time = pacer_told(8, 2, now=RESET - 5)
    pacer.start()
    assert len(time.sleeps) == 1


# ---------------------------------------------------------------------- how long it waits


def test_a_thin_budget_waits_until_just_after_the_reset() -> None:
    pacer, time = pacer_told(100, 2, now=RESET - 7)
    pacer.start()
    assert time.sleeps == [pytest.approx(7 + RESET_MARGIN)]


def test_a_reset_far_away_is_waited_for_at_most_the_cap() -> None:
    """A skewed clock must not stall a run for an hour."""
    pacer, time = pacer_told(100, 0, RESET + 150, now=RESET)
    pacer.start()
    assert time.sleeps == [MAX_PACING_WAIT, MAX_PACING_WAIT, pytest.approx(30 + RESET_MARGIN)]


def test_at_the_reset_itself_the_window_has_not_rolled_yet() -> None:
    """The server's window must really have rolled: the margin after the reset is waited."""
    pacer, time = pacer_told(100, 0, now=RESET)
    pacer.start()
    assert time.sleeps == [pytest.approx(RESET_MARGIN)]


def test_at_the_reset_plus_margin_the_old_budget_no_longer_holds() -> None:
    pacer, time = pacer_told(100, 0, now=RESET + RESET_MARGIN, reserve=0)
    time.limit = time.readings + 1  # one look at the clock, no polling
    pacer.start()
    assert time.sleeps == []


# -------------------------------------------------------------- answers from other windows


def test_an_answer_from_an_older_window_says_nothing_about_the_current_one() -> None:
    time = FakeTime(RESET - 5, limit=READINGS)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=0)
    pacer.start()
    pacer.start()
    pacer.done(headers(100, 50, RESET + 10))  # the newer window: plenty left
    pacer.done(headers(100, 0, RESET))  # sent before the reset, answered after
    pacer.start()
    assert time.sleeps == []


def test_a_newer_window_replaces_the_old_budget_even_when_lower() -> None:
    time = FakeTime(RESET - 5, limit=READINGS)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=0)
    pacer.start()
    pacer.done(headers(100, 50, RESET))
    pacer.start()
    pacer.done(headers(100, 0, RESET + 10))
    pacer.start()
    assert time.sleeps == [pytest.approx(15 + RESET_MARGIN)]


def test_within_one_window_the_lowest_count_holds_and_the_newest_limit() -> None:
    """Answers arrive out of order: 5 then 1 left means 1 left; the limit read last is the
    one reserve is cut by (a limit of 4 affords a reserve of 1, not 2)."""
    time = FakeTime(RESET - 5, limit=READINGS)
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    pacer.start()
    pacer.start()
    pacer.done(headers(100, 1, RESET))
    pacer.done(headers(4, 5, RESET))
    pacer.start()  # 1 left, in flight none, reserve min(2, 4 // 4) = 1: wait
    assert time.sleeps == [pytest.approx(5 + RESET_MARGIN)]


def test_within_one_window_a_later_higher_count_is_ignored() -> None:
    time = FakeTime(RESET - 5, limit=READINGS)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=0)
    pacer.start()
    pacer.start()
    pacer.done(headers(100, 2, RESET))
    pacer.done(headers(100, 40, RESET))
    pacer.start()
    pacer.start()
    assert time.sleeps == []
    pacer.start()
    assert len(time.sleeps) == 1


# ------------------------------------------------- held back until an answer comes in


def test_past_the_reset_with_the_whole_limit_in_flight_a_request_waits_for_an_answer() -> None:
    """After a window rolls the budget is assumed full, but never more than ``limit``
    requests are in flight at once: the next one waits (without sleeping) for an answer, then
    goes, and counts as in flight itself."""
    time = FakeTime(RESET + 1, limit=1000)
    pacer = Pacer(clock=time.clock, sleep=time.sleep, reserve=0)
    pacer.done(headers(1, 0, RESET))
    pacer.start()  # window rolled: this one goes, and fills the limit of 1
    readings = time.readings
    went = threading.Event()

    def second() -> None:
        pacer.start()
        went.set()

    worker = threading.Thread(target=second, daemon=True)
    worker.start()
    while time.readings == readings and worker.is_alive():
        threading.Event().wait(0.001)  # until it has looked (under the lock) and decided
    assert not went.is_set()

    pacer.done(headers(100, 1, RESET + 50))  # the first is answered: a new window, 1 left
    worker.join(timeout=10)
    assert went.is_set() and not worker.is_alive()
    assert time.sleeps == []  # it waited for the answer, not for a time

    pacer.start()  # 1 left, and the second request is in flight: this one waits
    assert time.sleeps == [pytest.approx(50 + RESET_MARGIN - 1)]
