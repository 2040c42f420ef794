"""Every HTTP call hcsync makes to Intercom's Help Center API (version 2.10).

This module owns the wire, for every kind alike: one generic method per call a kind makes,
given the kind's ``resource.Endpoint`` (``list_all``, ``get``, ``create``, ``update``,
``delete``), plus the help centers and the article count; pagination of a kind's list (see
``IntercomClient.list_all``: whole passes over the pages, compared as sets, until the
distinct ids add up to ``total_count``, so callers may rely on a complete list holding each
id once) and of the article list (``list_articles``, paged alike); retries, 429 waits
and pacing, all in the one choke point ``IntercomClient._request`` (the rules are in
``retry``, the budget in ``pacing``); the bound
on requests in flight (``concurrency``, held around each attempt actually sent); and turning
error answers into ``ApiError``, unreachable hosts and unreadable answers into
``TransportError``, a list that cannot be read whole into ``ListingError``, and creates that
may or may not have happened (or did, without saying which id they got) into
``AmbiguousCreateError``.

It knows nothing of plans or config files; from the model it uses only the pure readings
of raw values (``collection_id``, ``timestamp``, ``newest_by_id``) every module shares. It
is safe to share between threads (``httpx.Client`` is, the pacer, the semaphore and the
counters lock). It never puts the token in a message: URLs in errors are the request URL
without credentials, transport errors are raised ``from None`` so httpx's traceback (which
holds the request) is not chained, and transport messages are scrubbed of the token. It
never sends a request to a host named in an answer: of a ``pages.next`` link only the query
parameters are used, on the client's own base URL.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from hcsync.errors import (
    AmbiguousCreateError,
    ApiError,
    ListingChangedError,
    ListingError,
    TransportError,
    UnreadableAnswerError,
    UsageError,
)
from hcsync.limits import DEFAULT_PARALLELISM, MAX_PER_PAGE
from hcsync.model import collection_id, count, id_order, newest_by_id, timestamp
from hcsync.pacing import Pacer
from hcsync.resource import Endpoint
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

# Articles are counted (what a collection's delete would take with it), not yet managed.
ARTICLES = Endpoint("/articles", "article", "articles", "an")
HELP_CENTERS = "/help_center/help_centers"
ADMINS = "/admins"

# The documented maximum for such lists: more may be refused with a 400. The server says in
# pages.per_page what it honoured, and that is what later pages ask for.
REQUESTED_PER_PAGE = MAX_PER_PAGE
# Whole passes over the collection list before giving up: up to MAX for small lists, fewer
# for big ones so that one listing costs at most about LISTING_REQUEST_BUDGET requests
# (20,000 collections are 134 pages: 4 passes), but never fewer than MIN.
MAX_LISTING_PASSES = 10
MIN_LISTING_PASSES = 3
LISTING_REQUEST_BUDGET = 600
# Pages read beyond what total_count needs (ceil(total_count / per_page)) before the
# server's paging claims are refused, and an absolute cap (over a million collections at 150
# a page, 100,000 at 20) for when it gives no total_count.
PAGE_MARGIN = 2
MAX_LISTING_PAGES = 5_000
_NEXT_KEYS = ("page", "per_page", "starting_after")
_MAX_CURSOR = 1_000  # characters of a starting_after cursor taken from pages.next
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


# Seconds: a wait longer than this is reported through ``on_wait`` (shorter ones go unsaid).
NOTICE_WAIT = 2.0


def _rate_limit_reason(seconds: float, headers: Mapping[str, str]) -> str:
    """Why the client waits after a 429: until the window's reset, named when Intercom gave it."""
    reason = f"waiting {seconds:.0f} s for Intercom's rate limit"
    try:
        reset = float(headers.get("x-ratelimit-reset", ""))
        when = time.strftime("%H:%M:%S", time.localtime(reset))
    except (ValueError, OverflowError, OSError):
        return reason
    return f"{reason} (resets at {when})"


@dataclass(frozen=True)
class ClientStats:
    """What a client has done so far: for tests, benchmarks and a run's summary."""

    requests: int = 0  # attempts sent, retries included
    retries: int = 0  # attempts repeated after a 5xx, timeout or connection error
    rate_limited: int = 0  # 429 answers received
    paced: int = 0  # requests the pacer held back to stay inside the rate limit
    slept: float = 0.0  # seconds waited in all: backoff, 429 waits and pacing


class Stopped(Exception):
    """Raised in place of a request by a client that was told to ``stop``. Not an
    HcsyncError: whoever stopped the client no longer listens for its answers."""


class IntercomClient:
    """Intercom's Help Center endpoints over an ``httpx.Client`` made by ``open_http``.

    ``sleep``, ``clock`` and ``rng`` are injectable so tests never really wait; ``policy``
    says how hard to retry (``RetryPolicy()`` when None); ``concurrency`` bounds how many
    requests this client has in flight at once, whichever threads send them (apply's
    workers, the listing's page pool): a semaphore is held around each attempt actually
    sent, never around a backoff, 429 or pacing wait, and the listing's page pool is at most
    that wide. One client may be shared by threads.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        concurrency: int = DEFAULT_PARALLELISM,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self._http = http
        # Told why, whenever a wait is long enough to notice: the CLI prints it, so a run
        # held back by Intercom's rate limit or a struggling server never looks hung.
        self._on_wait = on_wait
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._concurrency = max(concurrency, 1)
        self._in_flight = threading.BoundedSemaphore(self._concurrency)
        self._pacer = Pacer(clock=clock, sleep=self._paced_sleep)
        self._counts_lock = threading.Lock()
        self._counts: dict[str, float] = dict.fromkeys(
            ("requests", "retries", "rate_limited", "paced", "slept"), 0
        )
        self._stopped = threading.Event()

    def __repr__(self) -> str:
        return f"IntercomClient({_safe_url(self._http.base_url)!r})"

    def stop(self) -> None:
        """Send nothing more: every later attempt, and every wait, raises ``Stopped``. For a
        listing started early and no longer wanted (the config file it was for is invalid);
        a request already in flight finishes."""
        self._stopped.set()

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

    def list_admins(self) -> list[dict[str, Any]]:
        """The workspace's teammates (``GET /admins``): who may author an article."""
        answer = self._object("GET", ADMINS)
        admins = answer.get("admins")
        if not isinstance(admins, list) or not all(isinstance(a, dict) for a in admins):
            raise UnreadableAnswerError(
                "GET", self._url(ADMINS), 200, "expected a list of objects in 'admins'"
            )
        return admins

    def get_help_center(self, id: str) -> dict[str, Any]:
        return self._object("GET", f"{HELP_CENTERS}/{_segment(id)}")

    # -- any kind -----------------------------------------------------------------------

    def list_all(self, endpoint: Endpoint) -> list[dict[str, Any]]:
        """Every item at ``endpoint`` (collections: of all help centers), each id once.

        The list is ordered by descending ``updated_at``, which has one-second resolution:
        many items share a value, and their order among themselves may differ between
        two reads of the same page, so offset pages can overlap or skip such items. A
        write while the pages are read moves things too (an edited or created item
        goes to the top, a delete shifts every later one up). So the list is read in whole
        passes (``_pass``), compared as sets of ``(id, updated_at)``, never by order, and the
        distinct ids are gathered across passes until they add up to ``total_count``.

        The gathered set is kept from pass to pass only while nothing shows a write: a
        ``total_count`` that differs between answers, one id with two ``updated_at``s,
        something newer than all seen before, or more distinct ids than ``total_count``. On
        such evidence it starts again from the latest pass (or from nothing when the latest
        pass itself saw the write), because a deleted item kept in it would stand in
        for one never seen. Without ``total_count``, the list is taken as complete when a
        pass adds nothing new. ListingError when it never adds up in a bounded number of
        passes (``MAX_LISTING_PASSES``, fewer for big lists), or when the server's paging
        claims are absurd. The result is ordered newest first, then by id.
        """
        url = self._url(endpoint.path)
        union: dict[str, dict[str, Any]] = {}
        total: int | None = None
        allowed = MAX_LISTING_PASSES
        passes = 0
        while True:
            listing = self._pass(endpoint, union)
            passes += 1
            if passes == 1:
                allowed = max(
                    MIN_LISTING_PASSES,
                    min(MAX_LISTING_PASSES, LISTING_REQUEST_BUDGET // listing.requests),
                )
            moved = listing.changed or _moved_since(union, total, listing, endpoint)
            grew = True
            if listing.changed:
                union, total = {}, None  # this pass saw a write: nothing of it is trusted
            elif moved:
                union, total = dict(listing.items), listing.total_count
            else:
                grew = not listing.items.keys() <= union.keys()
                union.update(listing.items)  # same updated_at: the later read wins
                total = listing.total_count
            if not listing.changed and _complete(union, total, listing, grew, passes):
                return _ordered(union)
            if passes >= allowed:
                if listing.changed:  # what the last pass saw, though it was not kept
                    raise _incomplete(
                        url, listing.items, listing.total_count, passes, moved, endpoint
                    )
                raise _incomplete(url, union, total, passes, moved, endpoint)

    def _pass(self, endpoint: Endpoint, seen: Mapping[str, Mapping[str, Any]]) -> _Pass:
        """One pass over every page of the list; ``seen`` is what earlier passes gathered.

        Page 1 first, which says how pages go on: ``total_pages`` (pages 2..N are then
        fetched concurrently) or, without it, ``pages.next`` followed one page at a time.
        With more than one page, page 1 is read again at the end: a create or an update
        since the first read puts an item there that is newer than anything seen.
        """
        path = endpoint.path
        first, _, rest, per_page = self._read_pages(endpoint)
        again = self._list_page({"page": 1, "per_page": per_page}, path) if rest else None
        return _Pass.read(first, rest, again, seen, self._url(path), endpoint)

    def _read_pages(
        self, endpoint: Endpoint
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], int]:
        """Every page of the list at ``path`` once: page 1, its items (checked), the pages
        after it, and the page size honoured.

        Page 1 at ``REQUESTED_PER_PAGE``, which says how pages go on: ``total_pages`` (pages
        2..N are then fetched concurrently; an absurd claim is refused at once) or, without
        it, ``pages.next`` followed one page at a time (``_follow_next``).
        """
        path, noun = endpoint.path, endpoint.plural
        url = self._url(path)
        first = self._list_page({"page": 1, "per_page": REQUESTED_PER_PAGE}, path)
        first_items = _items(first, url, endpoint)
        per_page, size, total_count, total_pages = _paging(first, first_items)
        if total_pages is None:
            rest = self._follow_next(first, per_page, size, total_count, url, path, noun)
        elif total_pages > (limit := _page_limit(total_count, size)):
            raise ListingError(
                "GET",
                url,
                f"Intercom claims {total_pages} pages (pages.total_pages) for "
                f"{_counted(total_count, noun)} at {size} a page; hcsync reads at most "
                f"{limit} and stopped rather than trust the claim",
                total_count=total_count,
            )
        else:
            rest = self._pages(range(2, total_pages + 1), per_page, path)
        return first, first_items, rest, per_page

    def _list_page(self, params: Mapping[str, Any], path: str) -> dict[str, Any]:
        return self._object("GET", path, params=params)

    def _pages(self, numbers: Sequence[int], per_page: int, path: str) -> list[dict[str, Any]]:
        """Pages ``numbers`` of the list at ``path``, in order, fetched ``concurrency`` at once."""

        def fetch(page: int) -> dict[str, Any]:
            return self._list_page({"page": page, "per_page": per_page}, path)

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

    def _follow_next(
        self,
        first: Mapping[str, Any],
        per_page: int,
        size: int,
        total_count: int | None,
        url: str,
        path: str,
        noun: str,
    ) -> list[dict[str, Any]]:
        """The pages after ``first``, following ``pages.next`` one by one until there is none.

        Only ``page``, ``per_page`` and ``starting_after`` are taken from ``next`` and asked
        of our own base URL: a host or path in the answer is never contacted (it would get
        the token). A ``next`` that leads back to a page already read, or still names one
        after more pages than ``total_count`` needs (plus ``PAGE_MARGIN``), is a ListingError.
        """
        answers: list[dict[str, Any]] = []
        read: set[tuple[object, object]] = {(1, None)}
        current: Mapping[str, Any] = first
        smallest = size
        while True:
            params = _next_params(current, per_page, url)
            if params is None:
                return answers
            key = (params.get("page"), params.get("starting_after"))
            if key in read:
                raise ListingError(
                    "GET",
                    url,
                    f"pages.next leads back to a page already read ({_shown(params)}); "
                    "hcsync stopped rather than go round in circles",
                    total_count=total_count,
                )
            read.add(key)
            smallest = min(smallest, params["per_page"])
            limit = _page_limit(total_count, smallest)
            if len(read) > limit:
                raise ListingError(
                    "GET",
                    url,
                    f"pages.next still names another page ({_shown(params)}) after {limit} "
                    f"pages, more than {_counted(total_count, noun)} at {smallest} a page need; "
                    "hcsync stopped rather than follow it further",
                    total_count=total_count,
                )
            current = self._list_page(params, path)
            answers.append(current)

    def get(self, endpoint: Endpoint, id: str) -> dict[str, Any]:
        return self._object("GET", f"{endpoint.path}/{_segment(id)}")

    def create(self, endpoint: Endpoint, body: Mapping[str, Any]) -> dict[str, Any]:
        """The created item, which always has an ``id``.

        A success answer that cannot be read, is not an object or names no id means the
        item was created but we cannot tell which one it is: AmbiguousCreateError, so the
        caller looks for it rather than creating it again.
        """
        try:
            answer = self._object("POST", endpoint.path, json=body)
            if not _has_id(answer):
                raise UnreadableAnswerError(
                    "POST", self._url(endpoint.path), 200, "the answer has no id"
                )
        except ApiError as err:
            if not 200 <= err.status < 300:
                raise
            raise AmbiguousCreateError("POST", err.url, err) from None
        return answer

    def update(self, endpoint: Endpoint, id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._object("PUT", f"{endpoint.path}/{_segment(id)}", json=body)

    def delete(self, endpoint: Endpoint, id: str) -> None:
        self._request("DELETE", f"{endpoint.path}/{_segment(id)}")

    # -- articles -----------------------------------------------------------------------

    def list_articles(self) -> list[dict[str, Any]]:
        """Every article of the workspace, each id once, newest ``updated_at`` first (then id).

        Paged as the collection list is (``_article_pass``), with the same bounds on absurd
        paging claims; copies of one id are merged keeping the newest ``updated_at``. Offset
        pages can skip an article that a write or an ``updated_at`` tie moves across a page
        boundary, so while the distinct ids fall short of ``total_count`` the list is read
        again and the passes are united, at most ``MIN_LISTING_PASSES`` times, then
        ListingError. An article deleted between two passes may stay in the result: for
        counting what a collection's delete would take with it, too many errs on the safe
        side and too few would not.
        """
        url = self._url(ARTICLES.path)
        union: dict[str, dict[str, Any]] = {}
        total_count: int | None = None
        for _ in range(MIN_LISTING_PASSES):
            items, total_count = self._article_pass(url)
            union = newest_by_id([*union.values(), *items])
            if total_count is None or len(union) >= total_count:
                return _ordered(union)
        raise ListingError(
            "GET",
            url,
            f"saw {len(union)} distinct articles of total_count {total_count} after "
            f"{MIN_LISTING_PASSES} passes over the list; hcsync does not count articles from "
            "an incomplete list: wait until nobody else is editing the Help Center and try again",
            seen=len(union),
            total_count=total_count,
            passes=MIN_LISTING_PASSES,
        )

    def _article_pass(self, url: str) -> tuple[list[dict[str, Any]], int | None]:
        """One read of every page of the article list: its items and page 1's ``total_count``."""
        first, first_items, rest, _ = self._read_pages(ARTICLES)
        items = [*first_items, *(item for page in rest for item in _items(page, url, ARTICLES))]
        return items, count(first.get("total_count"))

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
            raise UnreadableAnswerError(method, self._url(path), 200, "expected a JSON object")
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
                    delay = policy.backoff(failures, self._rng)
                    self._wait(
                        delay,
                        f"{method} {url} got no answer ({self._reason(exc)}), retrying in"
                        f" {delay:.1f} s (attempt {failures + 1} of {policy.attempts})",
                    )
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
                delay = self._rate_limit_delay(response, limited, method, url, code, message)
                self._wait(delay, _rate_limit_reason(delay, response.headers))
                continue
            if may_retry_status(method, status) and failures + 1 < policy.attempts:
                failures += 1
                self._count("retries")
                after = server_retry_after(response.headers)
                delay = policy.backoff(failures, self._rng) if after is None else after
                delay = min(delay, policy.cap)
                self._wait(
                    delay,
                    f"{method} {url} answered {status}, retrying in {delay:.1f} s"
                    f" (attempt {failures + 1} of {policy.attempts})",
                )
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
        """One attempt, paced and bounded: at most ``concurrency`` attempts hold a slot at
        once, and only while they are sent. The pacer hears that it finished however it ends
        (an answer, an httpx error or anything else), so a failure never leaves it counted in
        flight."""
        if self._stopped.is_set():
            raise Stopped("the client was stopped")
        self._pacer.start()  # may wait: before taking a slot, so waiting blocks nobody
        response: httpx.Response | None = None
        try:
            with self._in_flight:
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

    def _wait(self, seconds: float, reason: str | None = None) -> None:
        """Wait ``seconds``; say ``reason`` through ``on_wait`` when the wait is a long one."""
        if self._stopped.is_set():
            raise Stopped("the client was stopped")
        if seconds > 0:
            self._count("slept", seconds)
            if reason is not None and self._on_wait is not None and seconds > NOTICE_WAIT:
                self._on_wait(reason)
            self._sleep(seconds)

    def _paced_sleep(self, seconds: float) -> None:
        self._count("paced")
        self._wait(
            seconds,
            f"waiting {seconds:.0f} s to stay inside Intercom's rate limit"
            " (this window's budget is spent)",
        )

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
        raise UnreadableAnswerError(
            method, url, response.status_code, "the answer was not JSON"
        ) from None


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
        raise UnreadableAnswerError(method, url, 200, "expected a list of objects in 'data'")
    return data


def _has_id(answer: Mapping[str, Any]) -> bool:
    value = answer.get("id")
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.strip() != "")


@dataclass(frozen=True)
class _Pass:
    """What one pass over a kind's list saw."""

    items: dict[str, dict[str, Any]]  # id -> its copy (the newest; on a tie the last read)
    total_count: int | None  # as the first answer said; None when it said nothing usable
    requests: int  # answers it took
    changed: str | None  # evidence of a write inside the pass, else None

    @classmethod
    def read(
        cls,
        first: Mapping[str, Any],
        rest: Sequence[Mapping[str, Any]],
        again: Mapping[str, Any] | None,
        seen: Mapping[str, Mapping[str, Any]],
        url: str,
        endpoint: Endpoint,
    ) -> _Pass:
        answers = [first, *rest, *([again] if again is not None else [])]
        counts = [count(answer.get("total_count")) for answer in answers]
        total_count = counts[0]
        before = [item for answer in (first, *rest) for item in _items(answer, url, endpoint)]
        latest = _items(again, url, endpoint) if again is not None else []
        # The re-read of page 1 first: on a tie it is the copy read last.
        items = newest_by_id([*latest, *before])
        changed = None
        if len(set(counts)) > 1:
            changed = f"total_count went from {counts[0]} to {_first_other(counts)}"
        changed = changed or _two_versions([*before, *latest], endpoint)
        newest = _newest([*seen.values(), *before])
        fresh = _newest(latest)
        if not changed and newest is not None and fresh is not None and fresh > newest:
            changed = f"{endpoint.one} was created or edited while the pages were read"
        if not changed and total_count is not None and len(items) > total_count:
            changed = f"{len(items)} distinct {endpoint.plural} for a total_count of {total_count}"
        return cls(items, total_count, len(answers), changed)


def _moved_since(
    union: Mapping[str, Mapping[str, Any]], total: int | None, listing: _Pass, endpoint: Endpoint
) -> str | None:
    """Evidence of a write between what earlier passes gathered and this pass, else None."""
    if not union:
        return None
    if listing.total_count != total:
        return f"total_count went from {total} to {listing.total_count}"
    for key, item in listing.items.items():
        kept = union.get(key)
        if kept is not None and timestamp(kept.get("updated_at")) != timestamp(
            item.get("updated_at")
        ):
            return f"{endpoint.noun} {key} was edited between passes"
    newest, fresh = _newest(union.values()), _newest(listing.items.values())
    if newest is not None and fresh is not None and fresh > newest:
        return f"{endpoint.one} was created or edited between passes"
    if total is not None and len(union.keys() | listing.items.keys()) > total:
        return f"more distinct {endpoint.plural} were seen than the total_count of {total}"
    return None


def _complete(
    union: Mapping[str, Any], total: int | None, listing: _Pass, grew: bool, passes: int
) -> bool:
    if total is not None:
        return len(union) == total
    # No total_count to add up to: one answer is one snapshot; pages need a second pass
    # that finds nothing new.
    return listing.requests == 1 or (passes > 1 and not grew)


def _incomplete(
    url: str,
    seen: Mapping[str, Any],
    total: int | None,
    passes: int,
    moved: str | None,
    endpoint: Endpoint,
) -> ListingError:
    why = f"; it kept changing while it was read ({moved})" if moved else ""
    counted = (
        f"saw {len(seen)} distinct {endpoint.plural} of total_count {total}"
        if total is not None
        else f"saw {len(seen)} distinct {endpoint.plural}, Intercom gave no total_count,"
    )
    error = ListingChangedError if moved else ListingError
    return error(
        "GET",
        url,
        f"{counted} after {passes} passes over the list{why}; hcsync does not plan from an "
        f"incomplete list ({endpoint.one} it missed would be created again): wait until "
        "nobody else is editing the Help Center and try again",
        seen=len(seen),
        total_count=total,
        passes=passes,
    )


def _items(answer: Mapping[str, Any], url: str, endpoint: Endpoint) -> list[dict[str, Any]]:
    """A list answer's items; UnreadableAnswerError when one has no id (an item without one
    could not be managed, and leaving it out would plan it as a create; an article could not
    be counted)."""
    items = _data(answer, "GET", url)
    if any(collection_id(item.get("id")) is None for item in items):
        raise UnreadableAnswerError("GET", url, 200, f"{endpoint.one} in 'data' has no id")
    return items


def _id(item: Mapping[str, Any]) -> str:
    key = collection_id(item.get("id"))
    assert key is not None  # _items refused answers with id-less items
    return key


def _two_versions(items: Sequence[Mapping[str, Any]], endpoint: Endpoint) -> str | None:
    """Evidence of an edit inside one pass: one id listed with two ``updated_at``s."""
    versions: dict[str, int | None] = {}
    for item in items:
        key, at = _id(item), timestamp(item.get("updated_at"))
        if versions.setdefault(key, at) != at:
            return f"{endpoint.noun} {key} was edited while the pages were read"
    return None


def _newest(items: Iterable[Mapping[str, Any]]) -> int | None:
    stamps = [timestamp(item.get("updated_at")) for item in items]
    known = [at for at in stamps if at is not None]
    return max(known) if known else None


def _first_other(values: Sequence[object]) -> object:
    return next(value for value in values if value != values[0])


def _ordered(union: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Newest ``updated_at`` first (unreadable ones last), then by id: one stable order."""

    def key(item: dict[str, Any]) -> tuple[int, int, tuple[int, int, str]]:
        at = timestamp(item.get("updated_at"))
        return (0 if at is not None else 1, -(at or 0), id_order(_id(item)))

    return sorted(union.values(), key=key)


def _page_limit(total_count: int | None, size: int) -> int:
    """The most pages a listing of ``total_count`` at ``size`` a page may take."""
    if total_count is None:
        return MAX_LISTING_PAGES
    return min(MAX_LISTING_PAGES, math.ceil(total_count / size) + PAGE_MARGIN)


def _counted(total_count: int | None, noun: str) -> str:
    return f"an unknown number of {noun}" if total_count is None else f"{total_count} {noun}"


def _next_params(answer: Mapping[str, Any], per_page: int, url: str) -> dict[str, Any] | None:
    """The query to ask for the page ``pages.next`` names, or None when it names none.

    ``next`` is a full URL in 2.10 (``...?page=2&per_page=150``) and may be an object in
    other versions (``{"page": 2, "starting_after": "..."}``). Only ``page``, ``per_page``
    and ``starting_after`` are taken, checked, and sent to our own base URL.
    """
    pages = answer.get("pages")
    link = pages.get("next") if isinstance(pages, Mapping) else None
    if link is None or link == "" or link == {}:
        return None
    raw: dict[str, object]
    if isinstance(link, str):
        try:
            query = httpx.URL(link).params
        except (httpx.InvalidURL, TypeError, ValueError):
            raise ListingError("GET", url, "pages.next is not a URL hcsync can read") from None
        raw = {key: query.get(key) for key in _NEXT_KEYS}
    elif isinstance(link, Mapping):
        raw = {key: link.get(key) for key in _NEXT_KEYS}
    elif isinstance(link, int) and not isinstance(link, bool):
        raw = {"page": link}
    else:
        raise ListingError("GET", url, "pages.next is neither a URL nor an object")
    params: dict[str, Any] = {}
    if raw.get("page") is not None:
        page = _positive(raw["page"])
        if page is None:
            raise ListingError("GET", url, "pages.next names a page that is not a number")
        params["page"] = page
    size = _positive(raw.get("per_page")) if raw.get("per_page") is not None else per_page
    if size is None:
        raise ListingError("GET", url, "pages.next names a per_page that is not a number")
    params["per_page"] = size
    cursor = raw.get("starting_after")
    if cursor is not None:
        text = collection_id(cursor)
        if text is None or len(text) > _MAX_CURSOR:
            raise ListingError("GET", url, "pages.next names an unusable starting_after")
        params["starting_after"] = text
    if "page" not in params and "starting_after" not in params:
        raise ListingError("GET", url, "pages.next names neither a page nor a starting_after")
    return params


def _shown(params: Mapping[str, Any]) -> str:
    return "&".join(f"{key}={params[key]}" for key in _NEXT_KEYS if key in params)[:200]


def _paging(
    first: Mapping[str, Any], items: Sequence[object]
) -> tuple[int, int, int | None, int | None]:
    """What page 1 of a list says of the rest: ``per_page`` (as honoured), the page size to
    bound the pages with, ``total_count`` and ``total_pages`` (None when absent or garbled).

    A full first page is what the server really gives, whatever per_page it claims: the bound
    on pages counts with the smaller of the two.
    """
    pages = first.get("pages")
    pages = pages if isinstance(pages, Mapping) else {}
    per_page = _positive(pages.get("per_page")) or REQUESTED_PER_PAGE
    size = max(1, min(per_page, len(items))) if items else per_page
    return per_page, size, count(first.get("total_count")), count(pages.get("total_pages"))


def _positive(value: object) -> int | None:
    number = count(value)
    return number if number else None


def _segment(id: str) -> str:
    """An id as one path segment. Intercom's ids are digits; anything else (``..``, ``7/../8``,
    ``?x``, an id from a crafted plan file) could name another endpoint, so it is refused
    before any request is sent."""
    text = str(id)
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"{text!r} is not an Intercom id (ids are digits); nothing was sent")
    return quote(text, safe="")


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
