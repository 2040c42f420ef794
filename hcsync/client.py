"""Every HTTP call hcsync makes to Intercom's Help Center API (version 2.10).

This module owns the wire: one method per endpoint, pagination of the collection list (with
de-duplication and re-listing when a concurrent write shifts items between pages), and
turning error answers into ``ApiError`` and unreachable hosts into ``TransportError``. All
requests go through ``IntercomClient._request`` so retries and rate-limit pacing can later be
added in one place. It knows nothing of plans, config files or the model, and never puts the
token in a message: URLs in errors are the request URL without credentials, and transport
errors are raised ``from None`` so httpx's traceback (which holds the request) is not chained.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from hcsync.errors import ApiError, HcsyncError, TransportError

COLLECTIONS = "/help_center/collections"
HELP_CENTERS = "/help_center/help_centers"

REQUESTED_PER_PAGE = 250  # ask for a lot; the server says in pages.per_page what it honours
MAX_LISTING_ATTEMPTS = 4  # first listing plus re-listings after a concurrent write
_REASON_LIMIT = 200

_TRANSPORT_REASONS: tuple[tuple[type[httpx.TransportError], str], ...] = (
    (httpx.TimeoutException, "timed out"),
    (httpx.ConnectError, "could not connect"),
    (httpx.ProxyError, "proxy error"),
    (httpx.UnsupportedProtocol, "unsupported protocol"),
    (httpx.ProtocolError, "protocol error"),
    (httpx.NetworkError, "network error"),
)


class IntercomClient:
    """Intercom's Help Center endpoints over an ``httpx.Client`` made by ``open_http``."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def __repr__(self) -> str:
        return f"IntercomClient({_safe_url(self._http.base_url)!r})"

    # -- help centers -------------------------------------------------------------------

    def list_help_centers(self) -> list[dict[str, Any]]:
        """Every help center of the workspace, in the order Intercom lists them."""
        answer = self._object("GET", HELP_CENTERS)
        return _data(answer, "GET", self._url(HELP_CENTERS))

    def get_help_center(self, id: str) -> dict[str, Any]:
        return self._object("GET", f"{HELP_CENTERS}/{_segment(id)}")

    # -- collections --------------------------------------------------------------------

    def list_collections(self) -> list[dict[str, Any]]:
        """Every collection of the workspace (all help centers), each exactly once.

        The list is ordered by descending ``updated_at``, so a write while we page moves an
        item to page 1 (missed) and pushes another onto the next page (seen twice). Items are
        de-duplicated by id (the later copy wins, it is fresher); if the unique count differs
        from ``total_count`` the whole list is read again, a bounded number of times.
        """
        for _ in range(MAX_LISTING_ATTEMPTS):
            listing = self._list_collections_once()
            if listing is not None:
                return listing
        raise HcsyncError(
            f"GET {self._url(COLLECTIONS)}: the live state kept changing while it was listed "
            f"({MAX_LISTING_ATTEMPTS} attempts); wait until nobody else is editing the "
            "Help Center and try again"
        )

    def _list_collections_once(self) -> list[dict[str, Any]] | None:
        """One pass over all pages; None when the pages did not add up (re-list)."""
        url = self._url(COLLECTIONS)
        first = self._object("GET", COLLECTIONS, params={"page": 1, "per_page": REQUESTED_PER_PAGE})
        pages = first.get("pages") or {}
        per_page = _int(pages.get("per_page"), REQUESTED_PER_PAGE)
        total_pages = _int(pages.get("total_pages"), 1)
        total_count = first.get("total_count")
        by_id: dict[str, dict[str, Any]] = {}
        answers = [first]
        for page in range(2, total_pages + 1):
            answers.append(
                self._object("GET", COLLECTIONS, params={"page": page, "per_page": per_page})
            )
        for answer in answers:
            if answer.get("total_count") != total_count:
                return None  # a create or delete happened between pages
            for item in _data(answer, "GET", url):
                by_id[str(item.get("id"))] = item
        if isinstance(total_count, int) and len(by_id) != total_count:
            return None
        return list(by_id.values())

    def get_collection(self, id: str) -> dict[str, Any]:
        return self._object("GET", f"{COLLECTIONS}/{_segment(id)}")

    def create_collection(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._object("POST", COLLECTIONS, json=body)

    def update_collection(self, id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._object("PUT", f"{COLLECTIONS}/{_segment(id)}", json=body)

    def delete_collection(self, id: str) -> None:
        self._request("DELETE", f"{COLLECTIONS}/{_segment(id)}")

    # -- the one choke point ------------------------------------------------------------

    def _object(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        answer = self._request(method, path, params=params, json=json)
        if not isinstance(answer, dict):
            raise ApiError(method, self._url(path), 200, None, "expected a JSON object")
        return answer

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one request; the parsed JSON answer, or ApiError / TransportError."""
        try:
            response = self._http.request(
                method, path, params=dict(params) if params else None, json=json
            )
        except httpx.TransportError as exc:
            url = _safe_url(exc.request.url) if _has_request(exc) else self._url(path)
            # from None: the chained httpx traceback would show the request, headers included.
            raise TransportError(method, url, self._reason(exc)) from None
        url = _safe_url(response.request.url)
        if not response.is_success:
            code, message = _error_detail(response)
            raise ApiError(method, url, response.status_code, code, message)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                method, url, response.status_code, None, "the answer was not JSON"
            ) from None

    def _url(self, path: str) -> str:
        return _safe_url(self._http.base_url.join(path.lstrip("/")))

    def _reason(self, exc: httpx.TransportError) -> str:
        kind = next((text for cls, text in _TRANSPORT_REASONS if isinstance(exc, cls)), "")
        detail = " ".join(str(exc).split())[:_REASON_LIMIT]
        # Belt and braces: whatever a transport put in its message, the token never leaves.
        token = _bearer(self._http)
        if token:
            detail = detail.replace(token, "***")
        kind = kind or type(exc).__name__
        return f"{kind}: {detail}" if detail else kind


def _error_detail(response: httpx.Response) -> tuple[str | None, str]:
    """Code and message from Intercom's error.list body, else the HTTP status text."""
    fallback = response.reason_phrase or httpx.codes.get_reason_phrase(response.status_code)
    try:
        body = response.json()
    except ValueError:  # json.JSONDecodeError is a ValueError
        return None, fallback or "error"
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list) or not errors:
        return None, fallback or "error"
    entries = [e for e in errors if isinstance(e, dict)]
    if not entries:
        return None, fallback or "error"
    code = entries[0].get("code")
    messages = [str(e["message"]) for e in entries if e.get("message")]
    message = "; ".join(messages) or fallback or "error"
    return (str(code) if code else None), message


def _data(answer: Mapping[str, Any], method: str, url: str) -> list[dict[str, Any]]:
    data = answer.get("data")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ApiError(method, url, 200, None, "expected a list of objects in 'data'")
    return data


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and value > 0 else default


def _segment(id: str) -> str:
    """An id as one path segment: ids are digits, but never let one change the path."""
    return quote(str(id), safe="")


def _safe_url(url: httpx.URL) -> str:
    return str(url.copy_with(username=None, password=None))


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - httpx raises RuntimeError when no request is attached
    except RuntimeError:
        return False
    return True


def _bearer(http: httpx.Client) -> str:
    value = http.headers.get("authorization", "")
    return value[len("Bearer ") :].strip() if value.lower().startswith("bearer ") else ""
