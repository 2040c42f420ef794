"""The access token never appears in any output, message or traceback, on any failure path.

One distinctive token is driven through every failure the CLI can meet (and, where the CLI
would really sleep between retries, through the client with an injected sleep), and stdout,
stderr, error messages, reprs and formatted tracebacks are all searched for it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

import httpx
import pytest
from support import EXAMPLE, Run, run_cli

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.errors import HcsyncError
from hcsync.kinds.collection import COLLECTIONS

SECRET = "tok-SECRET-do-not-print-1234"
ENV = {"INTERCOM_ACCESS_TOKEN": SECRET}
Handler = Callable[[httpx.Request], httpx.Response]


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
        assert "SECRET-do-not-print" not in text  # not even a fragment of it
        assert f"Bearer {SECRET}" not in text


def cli(handler: Handler | None, *args: str) -> Run:
    transport = httpx.MockTransport(handler) if handler is not None else None
    run = run_cli(transport, *args, env=ENV)
    assert_clean(run.out, run.err)
    return run


def emulator() -> Emulator:
    emu = Emulator(token=SECRET, sleep=lambda _s: None)
    emu.faults.rate_limit = None
    emu.add_help_center("acme", "Acme")
    return emu


def answering(status: int, headers: dict[str, str] | None = None) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        body = {"type": "error.list", "errors": [{"code": "x", "message": "no"}]}
        return httpx.Response(status, json=body, headers=headers or {})

    return handle


def echoing(kind: type[Exception]) -> Handler:
    """A transport whose failure message carries the Authorization header, as a careless
    proxy or a debugging transport might."""

    def handle(request: httpx.Request) -> httpx.Response:
        header = request.headers["authorization"]
        if issubclass(kind, httpx.TransportError):
            raise kind(f"failed while sending {header}", request=request)
        raise kind(f"failed while sending {header}")

    return handle


# -- through the CLI ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "handler"),
    [
        ("401 unauthorised", Emulator(token="another-token", sleep=lambda _s: None).handle),
        ("404 not found", answering(404)),
        ("400 bad request", answering(400)),
        ("429 until giving up", answering(429, {"Retry-After": "0"})),
        ("429 asking too long", answering(429, {"Retry-After": "86400"})),
        ("5xx until giving up", answering(503, {"Retry-After": "0"})),
        ("not JSON", lambda request: httpx.Response(200, text="<html>")),
    ],
)
@pytest.mark.parametrize("command", ["plan", "apply", "export"])
def test_error_answers_never_show_the_token(name: str, handler: Handler, command: str) -> None:
    args = [command, str(EXAMPLE)] if command != "export" else [command]
    run = cli(handler, *args)
    assert run.code == 1, name
    assert run.err.startswith("error: ")


def test_an_unexpected_exception_in_the_client_is_a_scrubbed_traceback() -> None:
    run = cli(echoing(RuntimeError), "plan", str(EXAMPLE))
    assert run.code == 3
    assert "Traceback" in run.err and "RuntimeError" in run.err


def test_an_ambiguous_create_that_echoes_the_token_never_shows_it() -> None:
    emu = emulator()
    fail = echoing(httpx.ReadTimeout)

    def handle(request: httpx.Request) -> httpx.Response:
        return fail(request) if request.method == "POST" else emu.handle(request)

    run = cli(handle, "apply", str(EXAMPLE))
    assert run.code == 1
    assert "was not there when looked for after any of them" in run.err  # 6 timeouts


def test_apply_failing_half_way_never_shows_the_token() -> None:
    emu = emulator()
    posts = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        if request.method == "POST":
            posts += 1
            if posts == 4:
                return answering(400)(request)
        return emu.handle(request)

    run = cli(handle, "apply", str(EXAMPLE))
    assert run.code == 1
    assert emu.collections()  # some of it was done


@pytest.mark.parametrize(
    "base_url",
    [
        "http://example.com",  # plain http off loopback
        f"https://user:{SECRET}@example.com",  # credentials in the URL
        "ftp://example.com",
        "https://[::1",  # not a URL at all
    ],
)
def test_a_bad_base_url_never_shows_the_token(base_url: str) -> None:
    run = cli(None, "plan", str(EXAMPLE), "--base-url", base_url)
    assert run.code == 1


# -- through the client, where the CLI would really sleep between retries -----------------


def no_sleep(_seconds: float) -> None:
    return None


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError],
)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "POST"])
def test_transport_failures_after_retries_never_show_the_token(
    failure: type[httpx.TransportError], method: str
) -> None:
    http = open_http(
        "https://api.intercom.io", SECRET, transport=httpx.MockTransport(echoing(failure))
    )
    client = IntercomClient(http, sleep=no_sleep)
    calls: dict[str, Callable[[], object]] = {
        "GET": lambda: client.list_all(COLLECTIONS),
        "PUT": lambda: client.update(COLLECTIONS, "1", {"name": "x"}),
        "DELETE": lambda: client.delete(COLLECTIONS, "1"),
        "POST": lambda: client.create(COLLECTIONS, {"name": "x"}),
    }
    call = calls[method]
    with pytest.raises(HcsyncError) as caught:
        call()
    err = caught.value
    assert_clean(str(err), repr(err), "".join(traceback.format_exception(err)), repr(client))


def test_a_real_refused_connection_never_shows_the_token() -> None:
    http = open_http("http://127.0.0.1:9", SECRET, timeout=2.0)
    with http:
        client = IntercomClient(http, sleep=no_sleep)
        with pytest.raises(HcsyncError) as caught:
            client.list_help_centers()
    shown = "".join(traceback.format_exception(caught.value))
    assert "could not connect" in str(caught.value)
    assert_clean(str(caught.value), shown)


def test_httpx_own_exceptions_and_objects_do_not_carry_the_token() -> None:
    # What a bug elsewhere might print: httpx's own exception, request and client reprs.
    http = open_http(
        "https://api.intercom.io", SECRET, transport=httpx.MockTransport(echoing(RuntimeError))
    )
    request = http.build_request("GET", "/help_center/collections")
    exc = httpx.ConnectError("refused", request=request)
    texts = [repr(exc), str(exc), repr(request), repr(http), repr(IntercomClient(http))]
    texts.append("".join(traceback.format_exception(exc)))
    assert_clean(*texts)
