"""Where hcsync talks to and with what credentials: regions, base URL rules, the token.

This module owns the three decisions made before the first request: which host to call
(``resolve_base_url``: a known region, or an explicit base URL that is https, or plain http
only to a loopback address such as the local emulator), which token to send
(``token_from_env``) and how the ``httpx.Client`` is configured (``open_http``: the headers
Intercom 2.10 expects). It must not print, and it must never put the token anywhere but the
Authorization header: not in a message, not in a URL, not in a repr.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from hcsync import API_VERSION, __version__
from hcsync.errors import UsageError
from hcsync.limits import DEFAULT_PARALLELISM

if TYPE_CHECKING:  # imported when a command connects, not by `hcsync --help` or `validate`
    import httpx

REGIONS: dict[str, str] = {
    "us": "https://api.intercom.io",
    "eu": "https://api.eu.intercom.io",
    "au": "https://api.au.intercom.io",
}

TOKEN_VARIABLE = "INTERCOM_ACCESS_TOKEN"
DEFAULT_TIMEOUT = 30.0  # seconds, per request (each attempt of it: see retry.RetryPolicy)


def resolve_base_url(region: str = "us", base_url: str | None = None) -> str:
    """The API root to call: ``base_url`` when given (checked), else the region's host.

    Raises UsageError for an unknown region, a base URL that is not http(s), carries
    credentials, or is plain http to anything but loopback (the token would cross the
    network in clear text).
    """
    if base_url is None:
        try:
            return REGIONS[region]
        except KeyError:
            valid = ", ".join(REGIONS)
            raise UsageError(f"unknown region {region!r}; use one of: {valid}") from None
    return _checked_base_url(base_url)


def _checked_base_url(base_url: str) -> str:
    from urllib.parse import urlsplit  # here, with ipaddress and httpx: not for `--help`

    try:
        parts = urlsplit(base_url.strip())
        host = parts.hostname
    except ValueError:
        raise UsageError(f"base URL {base_url!r} is not a valid URL") from None
    try:
        parts.port  # noqa: B018 - reading the port is what checks it
    except ValueError:
        raise UsageError(
            f"base URL {base_url!r} has an invalid port; write a number from 1 to 65535,"
            " like http://127.0.0.1:8765"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        raise UsageError(f"base URL {base_url!r} must look like https://host[:port][/path]")
    # Credentials in the URL would be echoed in every error message that names the URL.
    if parts.username is not None or parts.password is not None:
        raise UsageError("base URL must not contain credentials; the token goes in the environment")
    if parts.query or parts.fragment:
        raise UsageError(f"base URL {base_url!r} must not have a query or fragment")
    if scheme == "http" and not _is_loopback(host):
        raise UsageError(f"refusing to send the access token over plain http to {host}; use https")
    checked = parts.geturl().rstrip("/")
    import httpx

    try:
        httpx.URL(checked)  # what urlsplit lets through, httpx may still refuse
    except (httpx.InvalidURL, ValueError):
        raise UsageError(f"base URL {base_url!r} is not a valid URL") from None
    return checked


def _is_loopback(host: str) -> bool:
    """True only for names and addresses that cannot leave this machine."""
    import ipaddress

    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost: it could resolve anywhere
        return False


def token_from_env(env: Mapping[str, str]) -> str:
    """The access token from ``INTERCOM_ACCESS_TOKEN``; UsageError when missing or blank, or
    when it holds what no HTTP header can carry."""
    token = env.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise UsageError(
            f"{TOKEN_VARIABLE} is not set; create an access token in Intercom's Developer Hub "
            f"and run: export {TOKEN_VARIABLE}=<your token>"
        )
    _check_token(token)
    return token


def _check_token(token: str) -> None:
    """UsageError, without showing the token, when it holds anything but printable ASCII.

    A line break would otherwise end up in httpx's "Illegal header value" message, and a
    non-ASCII character in a traceback: both would print the token.
    """
    if not all(" " <= ch <= "~" for ch in token):
        raise UsageError(
            f"{TOKEN_VARIABLE} contains characters that cannot be sent in an HTTP header"
            " (a line break, a control character or a non-ASCII character); copy the token again"
        )


def open_http(
    base_url: str,
    token: str,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    connections: int = DEFAULT_PARALLELISM,
) -> httpx.Client:
    """An ``httpx.Client`` rooted at ``base_url`` sending the headers Intercom 2.10 expects.

    ``transport`` is the one seam for tests and the emulator: pass ``emu.transport`` or an
    ``httpx.MockTransport`` instead of patching anything. ``timeout`` (seconds) bounds each
    attempt of a request: connecting, each read and each write. ``connections`` is how many
    requests will be in flight at most (the client's ``concurrency``): that many are opened
    and kept alive. httpx keeps 20 by default, so above 20 every request closed a connection
    and opened another, and the pool's bookkeeping under its lock became what the threads
    waited on.
    """
    _check_token(token)
    headers = {
        "Authorization": f"Bearer {token}",
        "Intercom-Version": API_VERSION,
        "Accept": "application/json",
        "User-Agent": f"hcsync/{__version__}",
    }
    import httpx

    # Redirects are not followed: a redirect to another host would carry the token with it.
    return httpx.Client(
        base_url=base_url,
        headers=headers,
        transport=transport,
        timeout=timeout,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )
