"""One request, edge by edge: what the client sends, what it says while it waits, what it
counts, and the exact message a user reads when a request fails.

Every answer comes from a scripted transport (a function from request to response) and time
moves only when the client sleeps, so nothing here waits or touches the network. The
messages are pinned whole: they are what a user reads on the terminal or in a CI log.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support import TOKEN, FakeTime
from test_retry import NOW, Step, scripted, status

from hcsync.client import ClientStats, IntercomClient, Stopped
from hcsync.connection import open_http
from hcsync.errors import AmbiguousCreateError, ApiError, TransportError, UsageError
from hcsync.kinds.collection import COLLECTIONS as ENDPOINT
from hcsync.retry import RetryPolicy

BASE = "https://api.intercom.io"
COLLECTIONS = f"{BASE}/help_center/collections"
ONE = f"{COLLECTIONS}/7"
CENTERS = f"{BASE}/help_center/help_centers"
SEED = 1


def body(code: int, **kwargs: Any) -> Step:
    return lambda request: httpx.Response(code, **kwargs)


def raising(kind: type[httpx.RequestError], message: str = "boom") -> Step:
    def fail(request: httpx.Request) -> httpx.Response:
        raise kind(message, request=request)

    return fail


def connect(
    transport: httpx.BaseTransport,
    clock: FakeTime | None = None,
    said: list[str] | None = None,
    *,
    base: str = BASE,
    seed: int = SEED,
    **kwargs: Any,
) -> IntercomClient:
    """A client on ``transport`` with a seeded rng; ``said`` collects its wait notices."""
    clock = clock or FakeTime(NOW)
    return IntercomClient(
        open_http(base, TOKEN, transport=transport),
        sleep=clock.sleep,
        clock=clock.clock,
        rng=random.Random(seed),
        on_wait=said.append if said is not None else None,
        **kwargs,
    )


def draws(*ceilings: float, seed: int = SEED) -> list[float]:
    """The delays a client seeded with ``seed`` draws, one per ceiling, in order."""
    rng = random.Random(seed)
    return [rng.uniform(0.0, ceiling) for ceiling in ceilings]


# -- what the client says while it waits ----------------------------------------------------


def test_a_429_wait_says_when_intercoms_window_resets() -> None:
    """A user held back by the rate limit is told how long and until what time."""
    clock, said = FakeTime(NOW), list[str]()
    reset = NOW + 30
    transport, seen = scripted(status(429, {"X-RateLimit-Reset": f"{reset:.0f}"}), status(200))

    assert connect(transport, clock, said).get(ENDPOINT, "7")["id"] == "7"

    (jitter,) = draws(RetryPolicy().rate_limit_jitter)
    assert clock.sleeps == [30 + jitter]
    when = time.strftime("%H:%M:%S", time.localtime(reset))
    assert said == [f"waiting {30 + jitter:.0f} s for Intercom's rate limit (resets at {when})"]
    assert len(seen) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "5"},
        {"Retry-After": "5", "X-RateLimit-Reset": "soon"},
        {"Retry-After": "5", "X-RateLimit-Reset": "1e300"},  # beyond any calendar
    ],
    ids=["no reset", "garbled reset", "absurd reset"],
)
def test_a_429_wait_without_a_readable_reset_names_no_time(headers: dict[str, str]) -> None:
    """Retry-After says how long; a reset time that cannot be read is left out, not guessed."""
    clock, said = FakeTime(NOW), list[str]()
    transport, _ = scripted(status(429, headers), status(200))

    connect(transport, clock, said).get(ENDPOINT, "7")

    assert clock.sleeps == [5.0]
    assert said == ["waiting 5 s for Intercom's rate limit"]


def test_a_429_without_any_wait_header_backs_off_as_for_a_failure() -> None:
    """No Retry-After and no reset: the client still retries, after a short jittered wait."""
    clock = FakeTime(NOW)
    transport, seen = scripted(status(429), status(429), status(200))

    client = connect(transport, clock)
    assert client.get(ENDPOINT, "7")["name"] == "Billing"

    policy = RetryPolicy()
    assert clock.sleeps == draws(policy.ceiling(1), policy.ceiling(2))
    assert len(seen) == 3
    assert client.stats.rate_limited == 2


def test_a_429_asking_for_exactly_the_longest_wait_is_waited() -> None:
    """The limit on a 429 wait is inclusive: 60 s is waited, 61 s is refused."""
    clock = FakeTime(NOW)
    transport, seen = scripted(status(429, {"Retry-After": "60"}), status(200))
    connect(transport, clock).get(ENDPOINT, "7")
    assert clock.sleeps == [60.0] and len(seen) == 2


def test_a_5xx_retry_wait_is_said_with_the_attempt_number() -> None:
    """A struggling server never looks like a hung hcsync: the retry is announced."""
    clock, said = FakeTime(NOW), list[str]()
    transport, _ = scripted(status(503, {"Retry-After": "3"}), status(200))

    connect(transport, clock, said).get(ENDPOINT, "7")

    assert clock.sleeps == [3.0]
    assert said == [f"GET {ONE} answered 503, retrying in 3.0 s (attempt 2 of 5)"]


def test_a_transport_retry_wait_is_said_with_the_reason() -> None:
    """A request that got no answer says why and when it tries again."""
    clock, said = FakeTime(NOW), list[str]()
    transport, _ = scripted(raising(httpx.ReadTimeout, "the read timed out"), status(200))
    policy = RetryPolicy(base=8.0, attempts=3)

    connect(transport, clock, said, policy=policy, seed=2).get(ENDPOINT, "7")

    (delay,) = draws(policy.ceiling(1), seed=2)
    assert delay > 2.0  # long enough to be said (the seed is chosen for it)
    assert clock.sleeps == [delay]
    assert said == [
        f"GET {ONE} got no answer (timed out: the read timed out), retrying in {delay:.1f} s"
        " (attempt 2 of 3)"
    ]


def budget(remaining: int, reset: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "10",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{reset:.0f}",
    }


def test_a_pacing_wait_is_said_and_counted() -> None:
    """When the window's budget is spent the next request waits for the reset, and says so."""
    clock, said = FakeTime(NOW), list[str]()

    def spent(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"id": "7"}, headers=budget(0, NOW + 30))

    transport, seen = scripted(spent, status(200))
    client = connect(transport, clock, said)

    client.get(ENDPOINT, "7")
    client.get(ENDPOINT, "7")

    assert len(seen) == 2
    assert clock.sleeps == [pytest.approx(30.05)]
    assert said == [
        "waiting 30 s to stay inside Intercom's rate limit (this window's budget is spent)"
    ]
    assert client.stats == ClientStats(requests=2, paced=1, slept=clock.sleeps[0])


def test_waits_of_two_seconds_or_less_go_unsaid_and_no_wait_is_no_sleep() -> None:
    """Short waits are not worth a line on the terminal; a zero wait does not sleep at all."""
    clock, said = FakeTime(NOW), list[str]()
    transport, seen = scripted(
        status(503, {"Retry-After": "2"}), status(503, {"Retry-After": "0"}), status(200)
    )

    client = connect(transport, clock, said)
    client.get(ENDPOINT, "7")

    assert len(seen) == 3
    assert clock.sleeps == [2.0]
    assert said == []
    assert client.stats == ClientStats(requests=3, retries=2, slept=2.0)


# -- what the client counts -----------------------------------------------------------------


def test_a_fresh_client_has_counted_nothing() -> None:
    transport, _ = scripted(status(200))
    assert connect(transport).stats == ClientStats(0, 0, 0, 0, 0.0)


def test_stats_count_attempts_retries_429s_and_every_second_waited() -> None:
    """A run's summary adds up: each attempt, each retry, each 429, every second slept."""
    clock = FakeTime(NOW)
    transport, seen = scripted(
        status(503, {"Retry-After": "3"}),
        status(429, {"Retry-After": "4"}),
        raising(httpx.ConnectError),
        status(502, {"Retry-After": "1.5"}),
        status(200),
    )
    client = connect(transport, clock)

    client.update(ENDPOINT, "7", {"name": "Billing"})

    (backoff,) = draws(RetryPolicy().ceiling(2))
    assert clock.sleeps == [3.0, 4.0, backoff, 1.5]
    assert len(seen) == 5
    assert client.stats == ClientStats(
        requests=5, retries=3, rate_limited=1, paced=0, slept=3.0 + 4.0 + backoff + 1.5
    )


# -- the message a failed request ends with -------------------------------------------------


@pytest.mark.parametrize(
    ("call", "steps", "message"),
    [
        (
            "get",
            [status(404)],
            f"GET {ONE} -> 404: e404: m404",
        ),
        (
            "put",
            [status(503), status(404)],
            f"PUT {ONE} -> 404: e404: m404 (after 2 attempts)",
        ),
        (
            "put",
            [status(502)],
            f"PUT {ONE} -> 502: e502: m502 (after 5 attempts)",
        ),
        (
            "delete",
            [status(404)],
            f"DELETE {ONE} -> 404: e404: m404",
        ),
        (
            "delete",
            [raising(httpx.ReadTimeout), status(404)],
            f"DELETE {ONE} -> 404: e404: m404"
            " (an earlier attempt got no clear answer and probably deleted it)",
        ),
        (
            "delete",
            [status(504), status(409)],
            f"DELETE {ONE} -> 409: e409: m409 (after 2 attempts)",
        ),
        (
            "get",
            [status(429, {"Retry-After": "1"})],
            f"GET {ONE} -> 429: e429: m429 (still rate limited after 6 tries; another client "
            "may be using this app's budget: try again later)",
        ),
        (
            "get",
            [status(429, {"Retry-After": "61"})],
            f"GET {ONE} -> 429: e429: m429 (Intercom asks to wait 61 s, more than the 60 s "
            "hcsync waits: try again later)",
        ),
        (
            "get",
            [raising(httpx.ConnectError, "[Errno 111] Connection refused")],
            f"GET {ONE} -> no answer: could not connect: [Errno 111] Connection refused"
            " (after 5 attempts)",
        ),
        (
            "get",
            [raising(httpx.UnsupportedProtocol, "no such scheme")],
            f"GET {ONE} -> no answer: unsupported protocol: no such scheme",
        ),
    ],
    ids=[
        "4xx",
        "4xx after a retry",
        "5xx to the end",
        "delete 404",
        "delete 404 after no answer",
        "delete 409 after a retry",
        "429 to the end",
        "429 too long",
        "unreachable",
        "not retried",
    ],
)
def test_a_failed_request_ends_with_one_exact_message(
    call: str, steps: list[Step], message: str
) -> None:
    """The last line a user reads names the call, the status, Intercom's words and how hard
    hcsync tried; nothing is added when it tried once."""
    transport, _ = scripted(*steps)
    client = connect(transport)
    with pytest.raises((ApiError, TransportError)) as caught:
        if call == "get":
            client.get(ENDPOINT, "7")
        elif call == "put":
            client.update(ENDPOINT, "7", {"name": "Billing"})
        else:
            client.delete(ENDPOINT, "7")
    err = caught.value
    assert isinstance(err, ApiError | TransportError)
    assert str(err) == message
    assert (err.method, err.url) == (call.upper(), ONE)


def test_an_api_error_carries_its_parts() -> None:
    """Callers (apply, the CLI) read status and code from the error, not from its text."""
    for steps in ([status(429, {"Retry-After": "1"})], [status(429, {"Retry-After": "99"})]):
        transport, _ = scripted(*steps)
        with pytest.raises(ApiError) as caught:
            connect(transport).get(ENDPOINT, "7")
        err = caught.value
        assert (err.method, err.url, err.status, err.code, err.api_message[:4]) == (
            "GET",
            ONE,
            429,
            "e429",
            "m429",
        )


def test_a_create_answered_5xx_is_ambiguous_with_the_answer_as_cause() -> None:
    transport, seen = scripted(status(500))
    with pytest.raises(AmbiguousCreateError) as caught:
        connect(transport).create(ENDPOINT, {"name": "Billing"})
    err = caught.value
    assert str(err) == (
        f"POST {COLLECTIONS} -> 500: e500: m500; the create may have gone through, so it was "
        "not sent again: look for the collection before creating it again"
    )
    assert (err.method, err.url) == ("POST", COLLECTIONS)
    assert isinstance(err.cause, ApiError) and err.cause.status == 500
    assert len(seen) == 1


def test_a_create_that_timed_out_is_ambiguous_with_the_transport_error_as_cause() -> None:
    transport, seen = scripted(raising(httpx.ReadTimeout, "read timed out"))
    with pytest.raises(AmbiguousCreateError) as caught:
        connect(transport).create(ENDPOINT, {"name": "Billing"})
    err = caught.value
    assert str(err.cause) == f"POST {COLLECTIONS} -> no answer: timed out: read timed out"
    assert (err.method, err.url) == ("POST", COLLECTIONS)
    assert len(seen) == 1


def test_a_create_that_never_connected_is_a_plain_transport_error() -> None:
    """Nothing left this machine, so nothing was created: no need to look for it."""
    transport, seen = scripted(raising(httpx.ConnectError, "refused"))
    with pytest.raises(TransportError) as caught:
        connect(transport).create(ENDPOINT, {"name": "Billing"})
    assert not isinstance(caught.value, AmbiguousCreateError)
    assert str(caught.value) == (
        f"POST {COLLECTIONS} -> no answer: could not connect: refused (after 5 attempts)"
    )
    assert len(seen) == 5


@pytest.mark.parametrize("code", [300, 400, 422])
def test_a_create_refused_outright_is_a_plain_api_error(code: int) -> None:
    """Only a success without a usable answer, or a 5xx, may have created something."""
    transport, _ = scripted(status(code) if code >= 400 else body(code, json={"id": "7"}))
    with pytest.raises(ApiError) as caught:
        connect(transport).create(ENDPOINT, {"name": "Billing"})
    assert not isinstance(caught.value, AmbiguousCreateError)
    assert caught.value.status == code


# -- Intercom's error bodies ----------------------------------------------------------------


def errors(*entries: object) -> dict[str, object]:
    return {"type": "error.list", "errors": list(entries)}


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (body(400, text="<html>oops</html>"), "400: Bad Request"),
        (body(400, json=["not", "an", "object"]), "400: Bad Request"),
        (body(400, json={"type": "error.list"}), "400: Bad Request"),
        (body(400, json={"errors": "bad"}), "400: Bad Request"),
        (body(400, json={"errors": 7}), "400: Bad Request"),
        (body(400, json=errors()), "400: Bad Request"),
        (body(400, json=errors("bad", 7)), "400: Bad Request"),
        (body(400, json=errors({"code": "x"})), "400: x: Bad Request"),
        (body(400, json=errors({"message": "Name is missing."})), "400: Name is missing."),
        (body(400, json=errors({"code": "", "message": "M"})), "400: M"),
        (
            body(400, json=errors("junk", {"code": "c1", "message": 42}, {"code": "c2"})),
            "400: c1: 42",
        ),
        (
            body(400, json=errors({"code": "c1"}, {"code": "c2", "message": "second"})),
            "400: c1: second",
        ),
        (
            body(400, json=errors({"code": "c", "message": "One."}, {"message": "Two."})),
            "400: c: One.; Two.",
        ),
        (
            body(400, text="no", extensions={"reason_phrase": b"Refused Here"}),
            "400: Refused Here",
        ),
        (body(499, text="?"), "499: error"),
        (body(499, json=errors({"code": "c"})), "499: c: error"),
        (body(499, json=errors()), "499: error"),
        (body(499, json=errors(1)), "499: error"),
        (body(499, json=[]), "499: error"),
    ],
    ids=[
        "not json",
        "not an object",
        "no errors",
        "errors not a list",
        "errors a number",
        "errors empty",
        "errors not objects",
        "no message",
        "no code",
        "empty code",
        "first object gives the code",
        "messages skip the silent",
        "all messages joined",
        "the server's own status text",
        "unknown status, not json",
        "unknown status, no message",
        "unknown status, errors empty",
        "unknown status, errors not objects",
        "unknown status, not an object",
    ],
)
def test_an_error_answer_is_shown_by_intercoms_words_else_the_status_text(
    answer: Step, shown: str
) -> None:
    """Whatever shape the error body has, the message says what Intercom said, or at least
    what the status means: never a crash, never an empty message."""
    transport, _ = scripted(answer)
    with pytest.raises(ApiError) as caught:
        connect(transport).get(ENDPOINT, "7")
    assert str(caught.value) == f"GET {ONE} -> {shown}"


# -- success answers that cannot be used ----------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (body(200, text="not json"), "the answer was not JSON"),
        (body(200, json=["a", "list"]), "expected a JSON object"),
        (body(200, content=b""), "expected a JSON object"),
        (body(200, json="text"), "expected a JSON object"),
    ],
)
def test_a_success_that_is_not_an_object_is_an_api_error(answer: Step, message: str) -> None:
    transport, seen = scripted(answer)
    with pytest.raises(ApiError) as caught:
        connect(transport).get(ENDPOINT, "7")
    assert str(caught.value) == f"GET {ONE} -> 200: {message}"
    assert len(seen) == 1


def test_a_delete_answered_with_an_empty_body_succeeds() -> None:
    transport, seen = scripted(body(200, content=b""))
    connect(transport).delete(ENDPOINT, "7")
    assert [(r.method, str(r.url), r.content) for r in seen] == [("DELETE", ONE, b"")]


@pytest.mark.parametrize(
    "data",
    [None, "x", {"id": "1"}, [{"id": "1"}, "x"], [["id", "1"]]],
    ids=["missing", "a string", "an object", "one not an object", "a list of lists"],
)
def test_a_help_center_list_without_a_list_of_objects_is_an_api_error(data: object) -> None:
    answer = {"type": "list"} if data is None else {"type": "list", "data": data}
    transport, _ = scripted(body(200, json=answer))
    with pytest.raises(ApiError) as caught:
        connect(transport).list_help_centers()
    assert str(caught.value) == f"GET {CENTERS} -> 200: expected a list of objects in 'data'"


def test_a_help_center_list_of_objects_is_returned_as_is() -> None:
    centers = [{"id": "1", "identifier": "acme"}, {"id": "2", "identifier": "b"}]
    transport, _ = scripted(body(200, json={"type": "list", "data": centers}))
    assert connect(transport).list_help_centers() == centers
    empty, _ = scripted(body(200, json={"type": "list", "data": []}))
    assert connect(empty).list_help_centers() == []


@pytest.mark.parametrize("id", [7, 0, "7", " 8 "])
def test_a_create_answered_with_an_id_returns_the_answer(id: object) -> None:
    transport, _ = scripted(body(200, json={"id": id, "name": "Billing"}))
    assert connect(transport).create(ENDPOINT, {"name": "Billing"}) == {
        "id": id,
        "name": "Billing",
    }


@pytest.mark.parametrize(
    "answer",
    [
        {"name": "Billing"},
        {"id": None},
        {"id": True},
        {"id": False},
        {"id": ""},
        {"id": "  "},
        {"id": 7.0},
        {"id": ["7"]},
    ],
)
def test_a_create_answered_without_a_usable_id_is_ambiguous(answer: dict[str, Any]) -> None:
    """The create went through but nothing says which collection it made: apply looks for it
    instead of creating a second one."""
    transport, seen = scripted(body(200, json=answer))
    with pytest.raises(AmbiguousCreateError) as caught:
        connect(transport).create(ENDPOINT, {"name": "Billing"})
    assert str(caught.value.cause) == f"POST {COLLECTIONS} -> 200: the answer has no id"
    assert (caught.value.method, caught.value.url) == ("POST", COLLECTIONS)
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (body(201, text="{oops"), "the answer was not JSON"),
        (body(200, json=["7"]), "expected a JSON object"),
    ],
)
def test_a_create_whose_success_cannot_be_read_is_ambiguous(answer: Step, message: str) -> None:
    transport, _ = scripted(answer)
    with pytest.raises(AmbiguousCreateError) as caught:
        connect(transport).create(ENDPOINT, {"name": "Billing"})
    cause = caught.value.cause
    assert isinstance(cause, ApiError)
    assert str(cause) == f"POST {COLLECTIONS} -> {cause.status}: {message}"
    assert (caught.value.method, caught.value.url) == ("POST", COLLECTIONS)


# -- what is sent ---------------------------------------------------------------------------


def test_each_call_sends_its_method_path_and_body() -> None:
    """The wire: no stray query string, the body as JSON only where there is one."""
    transport, seen = scripted(status(200))
    client = connect(transport)

    client.get(ENDPOINT, "7")
    client.create(ENDPOINT, {"name": "Billing", "parent_id": "3"})
    client.update(ENDPOINT, "7", {"description": "Money"})
    client.delete(ENDPOINT, "7")
    client.get_help_center("12")

    assert [(r.method, str(r.url)) for r in seen] == [
        ("GET", ONE),
        ("POST", COLLECTIONS),
        ("PUT", ONE),
        ("DELETE", ONE),
        ("GET", f"{CENTERS}/12"),
    ]
    assert [r.content for r in seen] == [
        b"",
        b'{"name":"Billing","parent_id":"3"}',
        b'{"description":"Money"}',
        b"",
        b"",
    ]


def test_single_calls_name_their_method_in_errors() -> None:
    transport, _ = scripted(status(404))
    client = connect(transport)
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: client.get(ENDPOINT, "7"), f"GET {ONE}"),
        (lambda: client.update(ENDPOINT, "7", {"name": "x"}), f"PUT {ONE}"),
        (lambda: client.delete(ENDPOINT, "7"), f"DELETE {ONE}"),
        (lambda: client.get_help_center("12"), f"GET {CENTERS}/12"),
        (lambda: client.create(ENDPOINT, {"name": "x"}), f"POST {COLLECTIONS}"),
        (client.list_help_centers, f"GET {CENTERS}"),
    ]
    for call, named in calls:
        with pytest.raises(ApiError) as caught:
            call()
        assert str(caught.value) == f"{named} -> 404: e404: m404"


@pytest.mark.parametrize("id", ["..", "7/../8", "?x=1", "", " 7", "7a", "\u0663", "-1"])
def test_an_id_that_is_not_digits_is_refused_before_anything_is_sent(id: str) -> None:
    """An id from a crafted plan could name another endpoint: nothing is sent for it."""
    transport, seen = scripted(status(200))
    client = connect(transport)
    calls: list[Callable[[], object]] = [
        lambda: client.get(ENDPOINT, id),
        lambda: client.update(ENDPOINT, id, {"name": "x"}),
        lambda: client.delete(ENDPOINT, id),
        lambda: client.get_help_center(id),
    ]
    for call in calls:
        with pytest.raises(UsageError) as caught:
            call()
        assert (
            str(caught.value) == f"{id!r} is not an Intercom id (ids are digits); nothing was sent"
        )
    assert seen == []


def test_a_numeric_id_is_sent_as_its_digits() -> None:
    transport, seen = scripted(status(200))
    connect(transport).get(ENDPOINT, 42)  # type: ignore[arg-type]
    assert str(seen[0].url) == f"{COLLECTIONS}/42"


def test_urls_in_errors_keep_a_base_urls_path() -> None:
    """Behind a proxy at a path, the URL a message names is the one that was called."""
    base = "https://proxy.example/intercom"
    answers = [
        (body(200, json={"type": "list", "data": "x"}), "list_help_centers"),
        (body(200, json={"name": "no id"}), "create_collection"),
        (raising(httpx.ReadTimeout), "create_collection"),
        (body(200, json=[]), "get_help_center"),
    ]
    for answer, call in answers:
        transport, seen = scripted(answer)
        client = connect(transport, base=base)
        with pytest.raises((ApiError, AmbiguousCreateError)) as caught:
            if call == "get_help_center":
                client.get_help_center("12")
            elif call == "create_collection":
                client.create(ENDPOINT, {"name": "x"})
            else:
                client.list_help_centers()
        err = caught.value
        assert isinstance(err, ApiError | AmbiguousCreateError)
        assert err.url == str(seen[0].url)
        assert err.url.startswith(f"{base}/help_center/")


def test_the_repr_names_the_base_url_without_credentials() -> None:
    http = httpx.Client(
        base_url="https://user:secret-not-a-secret@api.intercom.io/x/",
        transport=httpx.MockTransport(status(200)),
    )
    assert repr(IntercomClient(http)) == "IntercomClient('https://api.intercom.io/x/')"


# -- transport failures ---------------------------------------------------------------------


class Unlisted(httpx.TransportError):
    """A transport failure hcsync has no words for."""


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (raising(httpx.UnsupportedProtocol, ""), "unsupported protocol"),
        (
            raising(httpx.UnsupportedProtocol, "  scheme\n  'ftp'  "),
            "unsupported protocol: scheme 'ftp'",
        ),
        (raising(Unlisted, "odd"), "Unlisted: odd"),
        (raising(Unlisted, ""), "Unlisted"),
        (raising(httpx.DecodingError, "bad gzip"), "the answer could not be decoded: bad gzip"),
        (raising(httpx.TooManyRedirects, "loop"), "too many redirects: loop"),
        (raising(httpx.ProxyError, "denied"), "proxy error: denied"),
        (raising(httpx.LocalProtocolError, "h11"), "protocol error: h11"),
        (raising(httpx.UnsupportedProtocol, "x" * 300), "unsupported protocol: " + "x" * 200),
    ],
    ids=[
        "no detail",
        "detail on one line",
        "unknown kind",
        "unknown kind, no detail",
        "undecodable",
        "redirects",
        "proxy",
        "protocol",
        "long detail cut",
    ],
)
def test_a_request_without_an_answer_says_what_went_wrong(failure: Step, reason: str) -> None:
    transport, seen = scripted(failure)
    with pytest.raises(TransportError) as caught:
        connect(transport).get(ENDPOINT, "7")
    assert str(caught.value) == f"GET {ONE} -> no answer: {reason}"
    assert len(seen) == 1


def test_a_token_echoed_by_a_transport_is_masked_in_place() -> None:
    def leaky(request: httpx.Request) -> httpx.Response:
        raise httpx.UnsupportedProtocol(f"sent {request.headers['authorization']}!")

    transport, _ = scripted(leaky)
    with pytest.raises(TransportError) as caught:
        connect(transport).get(ENDPOINT, "7")
    assert str(caught.value) == f"GET {ONE} -> no answer: unsupported protocol: sent Bearer ***!"


def test_a_client_without_a_bearer_token_masks_nothing() -> None:
    """The mask hides a bearer token only; with none, a transport's words are left whole."""
    for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        http = httpx.Client(
            base_url=BASE,
            headers=headers,
            transport=httpx.MockTransport(
                raising(httpx.UnsupportedProtocol, "XXXX cjpwYXNz Basic dXNlcjpwYXNz")
            ),
        )
        with pytest.raises(TransportError) as caught:
            IntercomClient(http).get_help_center("1")
        assert str(caught.value) == (
            f"GET {CENTERS}/1 -> no answer: unsupported protocol: XXXX cjpwYXNz Basic dXNlcjpwYXNz"
        )


def test_a_failed_listing_page_is_named_with_its_query() -> None:
    """The message names the very page that got no answer."""
    transport, _ = scripted(raising(httpx.ConnectError, "refused"))
    with pytest.raises(TransportError) as caught:
        connect(transport).list_all(ENDPOINT)
    assert str(caught.value) == (
        f"GET {COLLECTIONS}?page=1&per_page=150 -> no answer: could not connect: refused"
        " (after 5 attempts)"
    )


def test_a_failure_raised_before_the_request_exists_still_names_the_url() -> None:
    """httpx attaches no request to an error raised by a request hook: the message falls
    back to the URL hcsync asked for."""

    def hook(request: httpx.Request) -> None:
        raise httpx.UnsupportedProtocol("refused by policy")

    transport, seen = scripted(status(200))
    http = open_http(BASE, TOKEN, transport=transport)
    http.event_hooks = {"request": [hook]}
    with pytest.raises(TransportError) as caught:
        IntercomClient(http).get(ENDPOINT, "7")
    assert str(caught.value) == f"GET {ONE} -> no answer: unsupported protocol: refused by policy"
    assert seen == []


# -- stopping and the bound on requests in flight -------------------------------------------


def test_a_stopped_client_sends_nothing() -> None:
    transport, seen = scripted(status(200))
    client = connect(transport)
    client.stop()
    with pytest.raises(Stopped, match=r"^the client was stopped$"):
        client.get(ENDPOINT, "7")
    assert seen == [] and client.stats == ClientStats()


def test_a_client_stopped_while_a_request_is_in_flight_does_not_wait_to_retry() -> None:
    """The request in flight finishes; the retry's wait, and the retry, never happen."""
    clock = FakeTime(NOW)
    client: IntercomClient | None = None

    def answer(request: httpx.Request) -> httpx.Response:
        assert client is not None
        client.stop()
        return status(503, {"Retry-After": "3"})(request)

    transport, seen = scripted(answer)
    client = connect(transport, clock)
    with pytest.raises(Stopped, match=r"^the client was stopped$"):
        client.get(ENDPOINT, "7")
    assert len(seen) == 1 and clock.sleeps == []


def test_a_client_stopped_during_a_wait_sends_no_retry() -> None:
    transport, seen = scripted(status(503, {"Retry-After": "3"}), status(200))
    client: IntercomClient | None = None

    def sleep(seconds: float) -> None:
        assert client is not None
        client.stop()

    client = IntercomClient(open_http(BASE, TOKEN, transport=transport), sleep=sleep)
    with pytest.raises(Stopped):
        client.get(ENDPOINT, "7")
    assert len(seen) == 1


class Gate:
    """A transport that counts requests in flight and holds each one briefly."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.now = 0
        self.peak = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.cond:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.cond.notify_all()
            self.cond.wait_for(lambda: self.now >= 2, timeout=0.02)
        with self.cond:
            self.now -= 1
        return httpx.Response(200, json={"id": "7"})


def in_threads(client: IntercomClient, count: int) -> None:
    threads = [
        threading.Thread(
            target=client.get,
            args=(
                ENDPOINT,
                "7",
            ),
        )
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads), "a request never got a slot"


@pytest.mark.parametrize(("concurrency", "peak"), [(0, 1), (1, 1), (2, 2)])
def test_concurrency_bounds_requests_in_flight_and_is_at_least_one(
    concurrency: int, peak: int
) -> None:
    gate = Gate()
    client = connect(httpx.MockTransport(gate), concurrency=concurrency)
    in_threads(client, 3)
    assert gate.peak == peak
    assert client.stats.requests == 3
