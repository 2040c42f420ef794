"""Answers that arrive but cannot be used: a body that cannot be decoded, a create that names
no id. Each is one of our errors (never a traceback), the pacer hears that the request ended,
and a create that did commit is ambiguous, so apply looks for it instead of crashing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support import EXAMPLE, TOKEN, FakeTime, run_cli

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.errors import AmbiguousCreateError, ApiError, TransportError
from hcsync.kinds.collection import COLLECTIONS

BASE = "https://api.intercom.io"
NOW = 1_700_000_000.0
Handler = Callable[[httpx.Request], httpx.Response]


def garbled(status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    """An answer that says it is gzip but is not: httpx cannot decode it."""
    return httpx.Response(
        status, headers={"content-encoding": "gzip", **(headers or {})}, content=b'{"id": "7"}'
    )


def connect(handler: Handler, time: FakeTime | None = None) -> IntercomClient:
    """A client on a fake clock (``time``, or a fresh one) that moves only when it sleeps."""
    time = time or FakeTime(NOW)
    http = open_http(BASE, TOKEN, transport=httpx.MockTransport(handler))
    return IntercomClient(http, sleep=time.sleep, clock=time.clock)


# -- a body that cannot be decoded ----------------------------------------------------------


def test_a_read_whose_answer_cannot_be_decoded_is_a_transport_error_not_retried() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return garbled()

    with pytest.raises(TransportError) as caught:
        connect(answer).get(COLLECTIONS, "7")

    err = caught.value
    assert str(err).startswith(f"GET {BASE}/help_center/collections/7 -> no answer: ")
    assert "could not be decoded" in str(err)
    assert err.__cause__ is None and err.__suppress_context__
    assert TOKEN not in str(err)
    assert len(seen) == 1  # it did answer: not a connection failure worth another try


def test_a_create_whose_success_answer_cannot_be_decoded_is_ambiguous() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return garbled(200)

    with pytest.raises(AmbiguousCreateError) as caught:
        connect(answer).create(COLLECTIONS, {"name": "Billing"})

    assert isinstance(caught.value.cause, TransportError)
    assert (caught.value.method, caught.value.url) == ("POST", f"{BASE}/help_center/collections")
    assert len(seen) == 1  # it committed: never sent again


def budget(remaining: int) -> dict[str, str]:
    return {
        "x-ratelimit-limit": "8",
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(int(NOW) + 5),
    }


def bug(request: httpx.Request) -> httpx.Response:
    raise RuntimeError("a bug in the transport")


@pytest.mark.parametrize(
    ("failure", "raised"),
    [(lambda request: garbled(), TransportError), (bug, RuntimeError)],
    ids=["undecodable answer", "bug"],
)
def test_a_request_that_ends_in_an_exception_is_no_longer_counted_in_flight(
    failure: Handler, raised: type[Exception]
) -> None:
    # 7 of 8 left in this window and a reserve of 2: five requests wrongly still counted in
    # flight would leave 2, and the next request would wait for the reset.
    calls = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if 2 <= calls <= 6:
            return failure(request)
        return httpx.Response(200, json={"id": "7"}, headers=budget(7))

    time = FakeTime(NOW)
    client = connect(answer, time)
    client.get(COLLECTIONS, "7")
    for _ in range(5):
        with pytest.raises(raised):
            client.get(COLLECTIONS, "7")
    client.get(COLLECTIONS, "7")

    assert client.stats.paced == 0 and time.sleeps == []
    assert client.stats.requests == 7


# -- a create that names no id --------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"name": "Billing"}),
        httpx.Response(200, json={"id": ""}),
        httpx.Response(200, json={"id": None}),
        httpx.Response(200, json=["7"]),
        httpx.Response(200, text="created"),
        httpx.Response(201),
    ],
    ids=["no id", "empty id", "null id", "not an object", "not json", "no body"],
)
def test_a_create_answered_without_an_id_is_ambiguous(answer: httpx.Response) -> None:
    with pytest.raises(AmbiguousCreateError) as caught:
        connect(lambda request: answer).create(COLLECTIONS, {"name": "Billing"})
    assert isinstance(caught.value.cause, ApiError)
    assert 200 <= caught.value.cause.status < 300
    assert "look for the collection before creating it again" in str(caught.value)


def test_apply_adopts_collections_whose_create_answers_named_no_id(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    def without_ids(request: httpx.Request) -> httpx.Response:
        response = emulator.handle(request)
        if request.method == "POST" and response.status_code == 200:
            body: dict[str, Any] = json.loads(response.content)
            body.pop("id")
            return httpx.Response(200, json=body)  # committed, but which one is it?
        return response

    result = run_cli(httpx.MockTransport(without_ids), "apply", str(EXAMPLE), time=fake_time)

    assert result.code == 0, result.err
    assert emulator.collections()
    # Nothing to do: every collection of the file exists, and none twice (a second copy
    # would be planned as a delete).
    again = run_cli(emulator.transport, "plan", str(EXAMPLE), "--detailed-exitcode", time=fake_time)
    assert again.code == 0, again.out


# -- through the CLI ------------------------------------------------------------------------


def test_an_undecodable_answer_is_a_clean_error_with_exit_code_1() -> None:
    result = run_cli(httpx.MockTransport(lambda request: garbled()), "plan", str(EXAMPLE))
    assert result.code == 1
    assert "could not be decoded" in result.err
    assert "Traceback" not in result.err
    assert TOKEN not in result.out + result.err


# -- a listed collection without an id --------------------------------------------------------


def test_a_listed_collection_without_an_id_is_an_error_not_a_silent_gap() -> None:
    # Left out, it would be planned as a create (a duplicate); it cannot be managed either.
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/help_centers"):
            return httpx.Response(
                200, json={"type": "list", "data": [{"id": "1", "identifier": "acme"}]}
            )
        data = [{"id": "7", "name": "A", "updated_at": 1}, {"name": "B", "updated_at": 1}]
        meta = {"type": "pages", "page": 1, "per_page": 150, "total_pages": 1}
        return httpx.Response(
            200, json={"type": "list", "data": data, "total_count": 2, "pages": meta}
        )

    with pytest.raises(ApiError, match="a collection in 'data' has no id"):
        connect(answer).list_all(COLLECTIONS)
    result = run_cli(httpx.MockTransport(answer), "plan", str(EXAMPLE))
    assert result.code == 1
    assert "has no id" in result.err and "Traceback" not in result.err
