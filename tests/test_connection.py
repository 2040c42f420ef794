"""Where hcsync connects and with what: regions, base URL rules, the token, the headers."""

from __future__ import annotations

import pytest

from hcsync import API_VERSION, __version__
from hcsync.client import IntercomClient
from hcsync.connection import REGIONS, open_http, resolve_base_url, token_from_env
from hcsync.emulator import Emulator
from hcsync.errors import UsageError
from hcsync.kinds.collection import COLLECTIONS

TOKEN = "test-token-not-a-secret"


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("us", "https://api.intercom.io"),
        ("eu", "https://api.eu.intercom.io"),
        ("au", "https://api.au.intercom.io"),
    ],
)
def test_each_region_has_its_host(region: str, expected: str) -> None:
    assert resolve_base_url(region) == expected


def test_default_region_is_us() -> None:
    assert resolve_base_url() == REGIONS["us"]


def test_unknown_region_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError, match=r"unknown region 'mars'.*us, eu, au"):
        resolve_base_url("mars")


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://intercom.example.com/", "https://intercom.example.com"),
        ("https://proxy.example.com:8443/intercom/", "https://proxy.example.com:8443/intercom"),
        ("http://localhost:8765", "http://localhost:8765"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("http://127.8.9.10", "http://127.8.9.10"),
        ("http://[::1]:8765", "http://[::1]:8765"),
    ],
)
def test_https_anywhere_and_plain_http_to_loopback_are_accepted(
    base_url: str, expected: str
) -> None:
    assert resolve_base_url("us", base_url) == expected


@pytest.mark.parametrize(
    ("base_url", "host"),
    [
        ("http://api.intercom.io", "api.intercom.io"),
        ("http://10.0.0.5:8765", "10.0.0.5"),
        ("http://localhost.evil.example", "localhost.evil.example"),
        ("http://128.0.0.1", "128.0.0.1"),
    ],
)
def test_plain_http_elsewhere_is_refused_because_the_token_would_travel_in_clear(
    base_url: str, host: str
) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_base_url("us", base_url)
    assert str(caught.value) == (
        f"refusing to send the access token over plain http to {host}; use https"
    )


@pytest.mark.parametrize(
    "base_url",
    ["ftp://api.intercom.io", "api.intercom.io", "https://", "https://user:pw@api.intercom.io"],
)
def test_base_urls_that_are_not_usable_are_refused(base_url: str) -> None:
    with pytest.raises(UsageError):
        resolve_base_url("us", base_url)


def test_token_comes_from_the_environment() -> None:
    assert token_from_env({"INTERCOM_ACCESS_TOKEN": f" {TOKEN}\n"}) == TOKEN


@pytest.mark.parametrize("env", [{}, {"INTERCOM_ACCESS_TOKEN": "   "}])
def test_missing_token_says_how_to_set_it(env: dict[str, str]) -> None:
    with pytest.raises(UsageError, match="export INTERCOM_ACCESS_TOKEN="):
        token_from_env(env)


def test_every_request_carries_the_intercom_headers() -> None:
    emu = Emulator(token=TOKEN)
    center = emu.add_help_center("acme")
    emu.add_collection("Getting started", help_center_id=center["id"])
    client = IntercomClient(open_http(REGIONS["us"], TOKEN, transport=emu.transport))

    client.list_help_centers()
    created = client.create(COLLECTIONS, {"name": "Billing"})
    client.list_all(COLLECTIONS)
    client.delete(COLLECTIONS, str(created["id"]))

    assert len(emu.requests) == 4
    for request in emu.requests:
        headers = {name.lower(): value for name, value in request.headers.items()}
        # The emulator records Authorization redacted; it answered 2xx, so the token matched.
        assert "authorization" in headers
        assert 200 <= request.status < 300
        assert headers["intercom-version"] == API_VERSION
        assert headers["accept"] == "application/json"
        assert headers["user-agent"] == f"hcsync/{__version__}"


def test_the_client_repr_does_not_show_the_token() -> None:
    client = IntercomClient(open_http(REGIONS["eu"], TOKEN))
    assert TOKEN not in repr(client)
    assert "api.eu.intercom.io" in repr(client)
