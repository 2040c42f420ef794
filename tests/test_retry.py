"""The retry policy, and the client obeying it: what is retried, how long it waits, what is not.

The client is driven through scripted transports (a function from request to response) and
a fake clock whose time moves only when the client sleeps, so nothing here really waits.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import httpx
import pytest
from support import FakeTime

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.errors import AmbiguousCreateError, ApiError, TransportError
from hcsync.kinds.collection import COLLECTIONS
from hcsync.retry import (
    RetryPolicy,
    is_ambiguous_status,
    is_ambiguous_transport,
    may_retry_status,
    may_retry_transport,
    rate_limit_wait,
)

TOKEN = "test-token-not-a-secret"
BASE = "https://api.intercom.io"
NOW = 1_700_000_000.0
Step = Callable[[httpx.Request], httpx.Response]


RUNAWAY = 50  # requests for one call: no policy here allows this many


def scripted(*steps: Step) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering the n-th request with the n-th step (the last one repeats).

    A client that keeps retrying past any policy fails the test at once instead of hanging it.
    """
    seen: list[httpx.Request] = []
    queue: Iterator[Step] = iter(steps)
    last: list[Step] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert len(seen) <= RUNAWAY, f"{len(seen)} requests: the client never gives up"
        step = next(queue, None)
        if step is None:
            step = last[0]
        else:
            last[:] = [step]
        return step(request)

    return httpx.MockTransport(handle), seen


def status(code: int, headers: dict[str, str] | None = None) -> Step:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"type": "error.list", "errors": [{"code": f"e{code}", "message": f"m{code}"}]}
        if code < 400:
            body = {"id": "7", "name": "Billing"}
        return httpx.Response(code, json=body, headers=headers or {})

    return answer


def raising(kind: type[httpx.TransportError]) -> Step:
    def fail(request: httpx.Request) -> httpx.Response:
        raise kind("boom", request=request)

    return fail


def client(transport: httpx.BaseTransport, fake: FakeTime, **kwargs: object) -> IntercomClient:
    return IntercomClient(
        open_http(BASE, TOKEN, transport=transport),
        sleep=fake.sleep,
        clock=fake.clock,
        rng=random.Random(1),
        **kwargs,  # type: ignore[arg-type]
    )


# -- the policy alone ---------------------------------------------------------------------


@pytest.mark.parametrize("retry", [1, 2, 3, 4, 5, 10])
def test_backoff_is_full_jitter_under_an_exponential_ceiling_and_a_cap(retry: int) -> None:
    policy = RetryPolicy(base=0.5, cap=8.0)
    ceiling = min(8.0, 0.5 * 2 ** (retry - 1))
    rng = random.Random(retry)
    delays = [policy.backoff(retry, rng) for _ in range(200)]
    assert all(0.0 <= d <= ceiling for d in delays)
    assert max(delays) > ceiling * 0.8  # spread over the whole range, not a fixed delay
    assert min(delays) < ceiling * 0.2


@pytest.mark.parametrize(
    ("method", "code", "retry", "ambiguous"),
    [
        ("GET", 500, True, False),
        ("GET", 502, True, False),
        ("PUT", 503, True, False),
        ("DELETE", 504, True, False),
        ("GET", 501, False, False),
        ("GET", 400, False, False),
        ("PUT", 404, False, False),
        # A 429 is the client's own branch (wait for the reset, then retry any method):
        # see the test_a_429_* tests below, which drive a GET and a POST through it.
        ("POST", 500, False, True),
        ("POST", 502, False, True),
        ("POST", 400, False, False),
    ],
)
def test_which_answers_are_retried_and_which_creates_are_ambiguous(
    method: str, code: int, retry: bool, ambiguous: bool
) -> None:
    assert may_retry_status(method, code) is retry
    assert is_ambiguous_status(method, code) is ambiguous


@pytest.mark.parametrize(
    ("method", "kind", "retry", "ambiguous"),
    [
        ("GET", httpx.ReadTimeout, True, False),
        ("PUT", httpx.RemoteProtocolError, True, False),
        ("DELETE", httpx.ReadError, True, False),
        ("POST", httpx.ConnectError, True, False),  # never left: safe to send again
        ("POST", httpx.ConnectTimeout, True, False),
        ("POST", httpx.ReadTimeout, False, True),  # may have been carried out
        ("POST", httpx.RemoteProtocolError, False, True),
        ("GET", httpx.UnsupportedProtocol, False, False),
    ],
)
def test_which_transport_failures_are_retried(
    method: str, kind: type[httpx.TransportError], retry: bool, ambiguous: bool
) -> None:
    exc = kind("boom")
    assert may_retry_transport(method, exc) is retry
    if not retry:
        assert is_ambiguous_transport(method, exc) is ambiguous


def test_a_429_wait_comes_from_retry_after_else_from_the_reset() -> None:
    assert rate_limit_wait({"retry-after": "3"}, NOW) == 3.0
    assert rate_limit_wait({"x-ratelimit-reset": str(int(NOW) + 7)}, NOW) == 7.0
    assert rate_limit_wait({"x-ratelimit-reset": str(int(NOW) - 7)}, NOW) == 0.0
    assert rate_limit_wait({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, NOW) is None
    assert rate_limit_wait({}, NOW) is None


def test_a_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base=-1)


# -- the client obeying it ----------------------------------------------------------------


def test_a_get_that_fails_twice_then_answers_succeeds_after_two_backoffs() -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(status(503), raising(httpx.ReadTimeout), status(200))
    assert client(transport, fake).get(COLLECTIONS, "7")["name"] == "Billing"
    assert len(seen) == 3
    assert len(fake.sleeps) == 2
    assert 0 <= fake.sleeps[0] <= 0.5 and 0 <= fake.sleeps[1] <= 1.0


def test_retries_stop_after_the_policys_attempts_and_say_so() -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(status(502))
    api = client(transport, fake, policy=RetryPolicy(attempts=3))
    with pytest.raises(ApiError) as caught:
        api.update(COLLECTIONS, "7", {"name": "x"})
    assert len(seen) == 3
    assert caught.value.status == 502
    assert str(caught.value).endswith("m502 (after 3 attempts)")
    assert api.stats.retries == 2 and api.stats.requests == 3


def test_an_unreachable_host_is_retried_then_a_transport_error() -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(raising(httpx.ConnectError))
    with pytest.raises(TransportError, match=r"could not connect.*\(after 5 attempts\)"):
        client(transport, fake).list_help_centers()
    assert len(seen) == 5
    assert sum(fake.sleeps) <= 0.5 + 1 + 2 + 4


def test_a_server_retry_after_on_a_5xx_is_honoured_up_to_the_cap() -> None:
    fake = FakeTime(NOW)
    transport, _ = scripted(
        status(503, {"Retry-After": "2"}), status(503, {"Retry-After": "99"}), status(200)
    )
    client(transport, fake).get(COLLECTIONS, "7")
    assert fake.sleeps == [2.0, 8.0]


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_never_retried(code: int) -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(status(code))
    with pytest.raises(ApiError) as caught:
        client(transport, fake).get(COLLECTIONS, "7")
    assert (caught.value.status, len(seen), fake.sleeps) == (code, 1, [])


@pytest.mark.parametrize(
    "failure", [status(500), status(502), status(504), raising(httpx.ReadTimeout)]
)
def test_a_create_that_may_have_happened_is_not_sent_again_but_reported_as_ambiguous(
    failure: Step,
) -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(failure, status(200))
    with pytest.raises(AmbiguousCreateError) as caught:
        client(transport, fake).create(COLLECTIONS, {"name": "Billing"})
    err = caught.value
    assert len(seen) == 1
    assert (err.method, err.url) == ("POST", f"{BASE}/help_center/collections")
    assert isinstance(err.cause, ApiError | TransportError)
    assert "look for the collection before creating it again" in str(err)


def test_a_create_that_never_left_is_sent_again() -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(raising(httpx.ConnectError), status(200))
    assert client(transport, fake).create(COLLECTIONS, {"name": "Billing"})["id"] == "7"
    assert len(seen) == 2


def test_a_429_waits_until_the_reset_plus_a_little_jitter_then_retries_even_a_post() -> None:
    fake = FakeTime(NOW)
    reset = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0"}
    reset["X-RateLimit-Reset"] = str(int(NOW) + 6)
    transport, seen = scripted(status(429, reset), status(200))
    api = client(transport, fake)
    assert api.create(COLLECTIONS, {"name": "Billing"})["id"] == "7"
    assert len(seen) == 2
    waited = sum(fake.sleeps)
    assert 6.0 <= waited <= 6.0 + RetryPolicy().rate_limit_jitter + 0.1
    assert api.stats.rate_limited == 1


def test_a_429_with_retry_after_waits_exactly_that() -> None:
    fake = FakeTime(NOW)
    transport, _ = scripted(status(429, {"Retry-After": "3"}), status(200))
    client(transport, fake).get(COLLECTIONS, "7")
    assert fake.sleeps == [3.0]


def test_a_429_asking_for_too_long_a_wait_is_an_error_saying_so() -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(status(429, {"Retry-After": "3600"}))
    with pytest.raises(ApiError, match=r"asks to wait 3600 s, more than the 60 s") as caught:
        client(transport, fake).get(COLLECTIONS, "7")
    assert caught.value.status == 429 and len(seen) == 1 and fake.sleeps == []


def test_endless_429s_give_up_after_the_policys_tries() -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(status(429, {"Retry-After": "1"}))
    with pytest.raises(ApiError, match="still rate limited after 4 tries"):
        client(transport, fake, policy=RetryPolicy(rate_limit_attempts=4)).get(COLLECTIONS, "7")
    assert len(seen) == 4


def test_a_delete_whose_retry_finds_nothing_says_the_first_attempt_probably_did_it() -> None:
    fake = FakeTime(NOW)
    transport, seen = scripted(status(503), status(404))
    with pytest.raises(ApiError) as caught:
        client(transport, fake).delete(COLLECTIONS, "7")
    assert caught.value.status == 404  # apply reads a 404 on delete as "already gone"
    assert "probably deleted it" in str(caught.value)
    assert [r.method for r in seen] == ["DELETE", "DELETE"]
