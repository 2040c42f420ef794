"""Every HTTP call hcsync makes to Intercom's Help Center API (version 2.10).

This module owns the wire: one method per endpoint; pagination of the collection list (page 1
first, then pages 2..N concurrently on a bounded pool, then page 1 again, re-listed when a
write happened meanwhile, and de-duplicated by id so callers may rely on unique ids);
retries, 429 waits and pacing, all in the one choke point ``IntercomClient._request`` (the
rules are in ``retry``, the budget in ``pacing``); and turning error answers into
``ApiError``, unreachable hosts and unreadable answers into ``TransportError``, and creates
that may or may not have happened (or did, without saying which id they got) into
``AmbiguousCreateError``.

It knows nothing of plans, config files or the model. It is safe to share between threads
(``httpx.Client`` is, the pacer and the counters lock). It never puts the token in a message:
URLs in errors are the request URL without credentials, transport errors are raised
``from None`` so httpx's traceback (which holds the request) is not chained, and transport
messages are scrubbed of the token.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from hcsync.errors import AmbiguousCreateError, ApiError, HcsyncError, TransportError
from hcsync.pacing import Pacer
from hcsync.retry import (
    RATE_LIMITED,
    RetryPolicy,
    is_ambiguous_status,
    is_ambiguous_transport,
    may_retry_status,
    may_retry_transport,
    rate_limit_wait,
    server_retry_after,
)

COLLECTIONS = "/help_center/collections"
HELP_CENTERS = "/help_center/help_centers"

REQUESTED_PER_PAGE = 250  # ask for a lot; the server says in pages.per_page what it honours
MAX_LISTING_ATTEMPTS = 4  # first listing plus re-listings after a concurrent write
DEFAULT_CONCURRENCY = 8  # pages fetched at once after page 1
_REASON_LIMIT = 200

_TRANSPORT_REASONS: tuple[tuple[type[httpx.RequestError], str], ...] = (
    (httpx.TimeoutException, "timed out"),
    (httpx.ConnectError, "could not connect"),
    (httpx.ProxyError, "proxy error"),
    (httpx.UnsupportedProtocol, "unsupported protocol"),
    (httpx.ProtocolError, "protocol error"),
    (httpx.NetworkError, "network error"),
    (httpx.DecodingError, "the answer could not be decoded"),
    (httpx.TooManyRedirects, "too many redirects"),
)


@dataclass(frozen=True)
class ClientStats:
    """What a client has done so far: for tests, benchmarks and a run's summary."""

    requests: int = 0  # attempts sent, retries included
    retries: int = 0  # attempts repeated after a 5xx, timeout or connection error
    rate_limited: int = 0  # 429 answers received
    paced: int = 0  # requests the pacer held back to stay inside the rate limit
    slept: float = 0.0  # seconds waited in all: backoff, 429 waits and pacing


class IntercomClient:
    """Intercom's Help Center endpoints over an ``httpx.Client`` made by ``open_http``.

    ``sleep``, ``clock`` and ``rng`` are injectable so tests never really wait; ``policy``
    says how hard to retry (``RetryPolicy()`` when None); ``concurrency`` bounds how many
    pages of the collection list are fetched at once. One client may be shared by threads.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self._http = http
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._concurrency = max(concurrency, 1)
        self._pacer = Pacer(clock=clock, sleep=self._paced_sleep)
        self._counts_lock = threading.Lock()
        self._counts: dict[str, float] = dict.fromkeys(
            ("requests", "retries", "rate_limited", "paced", "slept"), 0
        )

    def __repr__(self) -> str:
        return f"IntercomClient({_safe_url(self._http.base_url)!r})"

    @property
    def stats(self) -> ClientStats:
        """A snapshot of the counters (requests, retries, 429s, pacing waits, seconds waited)."""
        with self._counts_lock:
            c = self._counts
            return ClientStats(
                requests=int(c["requests"]),
                retries=int(c["retries"]),
                rate_limited=int(c["rate_limited"]),
                paced=int(c["paced"]),
                slept=c["slept"],
            )

    # -- help centers -------------------------------------------------------------------

    def list_help_centers(self) -> list[dict[str, Any]]:
        """Every help center of the workspace, in the order Intercom lists them."""
        answer = self._object("GET", HELP_CENTERS)
        return _data(answer, "GET", self._url(HELP_CENTERS))

    def get_help_center(self, id: str) -> dict[str, Any]:
        return self._object("GET", f"{HELP_CENTERS}/{_segment(id)}")

    # -- collections --------------------------------------------------------------------

    def list_collections(self) -> list[dict[str, Any]]:
        """Every collection of the workspace (all help centers), each id exactly once.

        The list is ordered by descending ``updated_at``: a create or an update puts the
        collection at the top of page 1, and a delete shifts every later one up by one. So a
        write while pages 2..N are read can hide a collection (moved onto page 1, already
        read, or shifted onto a page already read) or show one twice, and a create plus a
        delete in the same gap leave every count as it was. A pass is therefore kept only if
        nothing was written while it ran; otherwise the whole list is read again, a bounded
        number of times. See ``_list_collections_once`` for how a write is noticed.
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
        """One pass over all pages; None when a write happened while it ran (re-list).

        With more than one page, page 1 is read again after pages 2..N (one extra request).
        Every create or update since the first read is on page 1 now, so page 1's sequence
        of ``(id, updated_at)`` differs; every delete changes ``total_count``, so some answer
        disagrees with the first. When neither happened, no write moved anything between the
        two reads of page 1 and the pages in between form one consistent snapshot. (An edit of
        the collection already at the top, within the same second, goes unseen: it moves
        nothing, so nothing is missed.) A single page is one answer: consistent as it is.
        """
        url = self._url(COLLECTIONS)
        first = self._list_page(1, REQUESTED_PER_PAGE)
        pages = first.get("pages") or {}
        per_page = _int(pages.get("per_page"), REQUESTED_PER_PAGE)
        total_pages = _int(pages.get("total_pages"), 1)
        total_count = first.get("total_count")
        answers = [first]
        if total_pages > 1:
            rest = self._pages(range(2, total_pages + 1), per_page)
            again = self._list_page(1, per_page)
            if _versions(_data(again, "GET", url)) != _versions(_data(first, "GET", url)):
                return None  # a create or an update happened while pages 2..N were read
            answers = [again, *rest]  # the later read of page 1: the same, or fresher
        if any(answer.get("total_count") != total_count for answer in answers):
            return None  # a create or a delete happened between pages
        listing = _newest_by_id(item for answer in answers for item in _data(answer, "GET", url))
        if isinstance(total_count, int) and len(listing) != total_count:
            return None
        return listing

    def _list_page(self, page: int, per_page: int) -> dict[str, Any]:
        return self._object("GET", COLLECTIONS, params={"page": page, "per_page": per_page})

    def _pages(self, numbers: Sequence[int], per_page: int) -> list[dict[str, Any]]:
        """Pages ``numbers`` of the collection list, in order, fetched ``concurrency`` at once."""

        def fetch(page: int) -> dict[str, Any]:
            return self._list_page(page, per_page)

        if self._concurrency == 1 or len(numbers) <= 1:
            return [fetch(page) for page in numbers]
        pool = ThreadPoolExecutor(
            max_workers=min(self._concurrency, len(numbers)), thread_name_prefix="hcsync-page"
        )
        try:
            return list(pool.map(fetch, numbers))
        finally:
            # On the first failure, pages not yet started are dropped rather than fetched.
            pool.shutdown(wait=True, cancel_futures=True)

    def get_collection(self, id: str) -> dict[str, Any]:
        return self._object("GET", f"{COLLECTIONS}/{_segment(id)}")

    def create_collection(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The created collection, which always has an ``id``.

        A success answer that cannot be read, is not an object or names no id means the
        collection was created but we cannot tell which one it is: AmbiguousCreateError, so
        the caller looks for it rather than creating it again.
        """
        try:
            answer = self._object("POST", COLLECTIONS, json=body)
            if not _has_id(answer):
                raise ApiError("POST", self._url(COLLECTIONS), 200, None, "the answer has no id")
        except ApiError as err:
            if not 200 <= err.status < 300:
                raise
            raise AmbiguousCreateError("POST", err.url, err) from None
        return answer

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
        """Send one request, retrying what ``retry`` allows; the parsed JSON answer.

        Raises ApiError (an error answer, or retries exhausted), TransportError (no answer)
        or AmbiguousCreateError (a POST that may have been carried out).
        """
        policy = self._policy
        failures = 0  # 5xx / transport failures so far: each costs one of policy.attempts
        limited = 0  # 429s so far: each costs one of policy.rate_limit_attempts
        while True:
            try:
                response = self._send(method, path, params=params, json=json)
            except httpx.RequestError as exc:
                # No answer we can read: no connection, a timeout, a dropped connection, or an
                # answer whose body cannot be decoded (a DecodingError is a RequestError but
                # not a TransportError; after a 2xx to a POST the create did commit).
                url = _safe_url(exc.request.url) if _has_request(exc) else self._url(path)
                if may_retry_transport(method, exc) and failures + 1 < policy.attempts:
                    failures += 1
                    self._count("retries")
                    self._wait(policy.backoff(failures, self._rng))
                    continue
                reason = self._reason(exc) + _tries(failures)
                error = TransportError(method, url, reason)
                if is_ambiguous_transport(method, exc):
                    raise AmbiguousCreateError(method, url, error) from None
                # from None: the chained httpx traceback would show the request, headers too.
                raise error from None
            url = _safe_url(response.request.url)
            status = response.status_code
            if response.is_success:
                return _parsed(response, method, url)
            code, message = _error_detail(response)
            if status == RATE_LIMITED:
                limited += 1
                self._count("rate_limited")
                self._wait(self._rate_limit_delay(response, limited, method, url, code, message))
                continue
            if may_retry_status(method, status) and failures + 1 < policy.attempts:
                failures += 1
                self._count("retries")
                after = server_retry_after(response.headers)
                delay = policy.backoff(failures, self._rng) if after is None else after
                self._wait(min(delay, policy.cap))
                continue
            if is_ambiguous_status(method, status):
                answer = ApiError(method, url, status, code, message)
                raise AmbiguousCreateError(method, url, answer)
            if failures and method.upper() == "DELETE" and status == 404:
                message += " (an earlier attempt got no clear answer and probably deleted it)"
            elif failures:
                message += _tries(failures)
            raise ApiError(method, url, status, code, message)

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        json: Mapping[str, Any] | None,
    ) -> httpx.Response:
        """One attempt, paced: the pacer hears that it finished however it ends (an answer,
        an httpx error or anything else), so a failure never leaves it counted in flight."""
        self._pacer.start()
        response: httpx.Response | None = None
        try:
            self._count("requests")
            response = self._http.request(
                method, path, params=dict(params) if params else None, json=json
            )
            return response
        finally:
            self._pacer.done(response.headers if response is not None else None)

    def _rate_limit_delay(
        self,
        response: httpx.Response,
        limited: int,
        method: str,
        url: str,
        code: str | None,
        message: str,
    ) -> float:
        """How long to wait after the ``limited``-th 429, or ApiError when not worth it."""
        policy = self._policy
        if limited >= policy.rate_limit_attempts:
            raise ApiError(
                method,
                url,
                RATE_LIMITED,
                code,
                f"{message} (still rate limited after {limited} tries; another client may be "
                "using this app's budget: try again later)",
            )
        wait = rate_limit_wait(response.headers, self._clock())
        if wait is None:
            return policy.backoff(limited, self._rng)
        if wait > policy.max_rate_limit_wait:
            raise ApiError(
                method,
                url,
                RATE_LIMITED,
                code,
                f"{message} (Intercom asks to wait {wait:.0f} s, more than the "
                f"{policy.max_rate_limit_wait:.0f} s hcsync waits: try again later)",
            )
        if server_retry_after(response.headers) is not None:
            return wait  # the server said exactly when
        # Everyone who hit the limit wakes at the same reset: spread them a little.
        return wait + self._rng.uniform(0.0, policy.rate_limit_jitter)

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._count("slept", seconds)
            self._sleep(seconds)

    def _paced_sleep(self, seconds: float) -> None:
        self._count("paced")
        self._wait(seconds)

    def _count(self, name: str, amount: float = 1) -> None:
        with self._counts_lock:
            self._counts[name] += amount

    def _url(self, path: str) -> str:
        return _safe_url(self._http.base_url.join(path.lstrip("/")))

    def _reason(self, exc: httpx.RequestError) -> str:
        kind = next((text for cls, text in _TRANSPORT_REASONS if isinstance(exc, cls)), "")
        detail = " ".join(str(exc).split())[:_REASON_LIMIT]
        # Belt and braces: whatever a transport put in its message, the token never leaves.
        token = _bearer(self._http)
        if token:
            detail = detail.replace(token, "***")
        kind = kind or type(exc).__name__
        return f"{kind}: {detail}" if detail else kind


def _parsed(response: httpx.Response, method: str, url: str) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise ApiError(method, url, response.status_code, None, "the answer was not JSON") from None


def _tries(failures: int) -> str:
    return f" (after {failures + 1} attempts)" if failures else ""


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


def _has_id(answer: Mapping[str, Any]) -> bool:
    value = answer.get("id")
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.strip() != "")


def _versions(items: Iterable[Mapping[str, Any]]) -> list[tuple[str, Any]]:
    """What a page says about order: each item's id and ``updated_at``, in page order."""
    return [(str(item.get("id")), item.get("updated_at")) for item in items]


def _newest_by_id(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One copy per id, in first-seen order: of several, the newest ``updated_at`` (the first
    on a tie). Pages come back in page order, not in the order they were fetched, so a later
    copy is not necessarily a fresher one; ``updated_at`` says which is."""
    by_id: dict[str, dict[str, Any]] = {}
    for item in items:
        key = str(item.get("id"))
        kept = by_id.get(key)
        if kept is None or _updated_at(item) > _updated_at(kept):
            by_id[key] = item  # an existing key keeps its place in the order
    return list(by_id.values())


def _updated_at(item: Mapping[str, Any]) -> float:
    value = item.get("updated_at")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return float("-inf")  # garbled or missing: any real timestamp is newer


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and value > 0 else default


def _segment(id: str) -> str:
    """An id as one path segment: ids are digits, but never let one change the path."""
    return quote(str(id), safe="")


def _safe_url(url: httpx.URL) -> str:
    return str(url.copy_with(username=None, password=None))


def _has_request(exc: httpx.RequestError) -> bool:
    try:
        exc.request  # noqa: B018 - httpx raises RuntimeError when no request is attached
    except RuntimeError:
        return False
    return True


def _bearer(http: httpx.Client) -> str:
    value = http.headers.get("authorization", "")
    return value[len("Bearer ") :].strip() if value.lower().startswith("bearer ") else ""
