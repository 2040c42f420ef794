"""More listing edge cases: how many passes a list gets, when a pass is enough, where the
pages are read, and the order of what comes back.

Like ``test_listing_edges.py``, each test talks to a small scripted server (a function from
the request's query to the answer) through ``httpx.MockTransport`` and pins what a user
sees: the list returned, the error raised, the requests it cost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support import TOKEN, no_sleep

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.errors import ApiError, ListingError
from hcsync.kinds.collection import COLLECTIONS

BASE = "https://api.intercom.io"
LIST_URL = f"{BASE}/help_center/collections"
NOW = 1_700_000_000

Query = dict[str, str]


class Server:
    """A list endpoint answered by ``answer(n, query)``, n counting the answers from 0; every
    query asked is recorded, with the name of the thread that asked it."""

    def __init__(self, answer: Callable[[int, Query], dict[str, Any] | httpx.Response]) -> None:
        self.answer = answer
        self.asked: list[Query] = []
        self.threads: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        with self.lock:
            n = len(self.asked)
            self.asked.append(query)
            self.threads.append(threading.current_thread().name)
        body = self.answer(n, query)
        return body if isinstance(body, httpx.Response) else httpx.Response(200, json=body)

    def client(self, *, concurrency: int = 1) -> IntercomClient:
        http = open_http(BASE, TOKEN, transport=httpx.MockTransport(self))
        return IntercomClient(http, sleep=no_sleep, concurrency=concurrency)


def item(key: object, at: object = NOW) -> dict[str, Any]:
    return {"type": "collection", "id": str(key), "name": f"C {key}", "updated_at": at}


def answer(items: list[dict[str, Any]], *, total_count: object = None, **pages: object) -> dict:
    body: dict[str, Any] = {
        "type": "list",
        "data": items,
        "pages": {"type": "pages", "per_page": 1, **pages},
    }
    if total_count is not None:
        body["total_count"] = total_count
    return body


# -- how many passes --------------------------------------------------------------------------


def test_the_pass_budget_is_set_by_the_first_pass_however_short_later_ones_are() -> None:
    """The first pass takes 101 requests (100 pages and page 1 again): 600 // 101 = 5 passes
    in all, even though every later pass is a single page."""
    first_pass = 101

    def respond(n: int, query: Query) -> dict[str, Any]:
        if n < first_pass:
            page = int(query["page"])
            return answer([item(page)], total_count=101, page=page, total_pages=100)
        return answer([item(1)], total_count=101)

    server = Server(respond)

    with pytest.raises(ListingError) as caught:
        server.client().list_all(COLLECTIONS)

    err = caught.value
    assert (err.seen, err.total_count, err.passes) == (100, 101, 5)
    assert str(err).startswith(
        f"GET {LIST_URL}: saw 100 distinct collections of total_count 101 after 5 passes"
    )
    assert len(server.asked) == first_pass + 4


def test_without_total_count_two_equal_passes_end_the_list() -> None:
    """Two pages and no count: the second pass finds nothing new, so there is no third."""
    server = Server(
        lambda _n, query: answer([item(query["page"])], page=int(query["page"]), total_pages=2)
    )

    listed = server.client().list_all(COLLECTIONS)

    assert [c["id"] for c in listed] == ["1", "2"]
    assert len(server.asked) == 6


def test_without_total_count_an_empty_first_pass_is_not_the_end() -> None:
    """Two empty pages are no proof the list is empty: a collection created since shows up
    in the next pass, and the pass after it confirms nothing more is new."""

    def respond(n: int, query: Query) -> dict[str, Any]:
        page = int(query["page"])
        items = [item(7)] if n >= 3 and page == 1 else []
        return answer(items, page=page, total_pages=2)

    server = Server(respond)

    listed = server.client().list_all(COLLECTIONS)

    assert [c["id"] for c in listed] == ["7"]
    assert len(server.asked) == 9


def test_a_pass_after_an_edit_between_passes_is_confirmed_by_another() -> None:
    """No count, and collection 1 was edited after the first pass: the second pass is a new
    snapshot with nothing to compare it with, so a third must find nothing new."""

    def respond(n: int, query: Query) -> dict[str, Any]:
        page = int(query["page"])
        return answer([item(page, NOW + (page == 1 and n >= 3))], page=page, total_pages=2)

    server = Server(respond)

    listed = server.client().list_all(COLLECTIONS)

    assert [(c["id"], c["updated_at"]) for c in listed] == [("1", NOW + 1), ("2", NOW)]
    assert len(server.asked) == 9


def test_a_total_count_that_changes_within_every_pass_is_named() -> None:
    """Page 2 says 2 where page 1 said 3: whatever else it saw, a pass whose answers
    disagree on the count saw a write, and is not trusted."""

    def respond(_n: int, query: Query) -> dict[str, Any]:
        page = int(query["page"])
        return answer([item(page)], total_count=1 + page % 2 + 1, page=page, total_pages=2)

    server = Server(respond)

    with pytest.raises(ListingError) as caught:
        server.client().list_all(COLLECTIONS)

    err = caught.value
    assert str(err).startswith(
        f"GET {LIST_URL}: saw 2 distinct collections of total_count 3 after 10 passes over "
        "the list; it kept changing while it was read (total_count went from 3 to 2)"
    )
    assert len(server.asked) == 30


# -- the order of the result -------------------------------------------------------------------


@pytest.mark.parametrize("at", [0, -5], ids=["zero", "negative"])
def test_a_collection_with_no_updated_at_comes_after_one_at_zero_or_before(at: int) -> None:
    """An unreadable updated_at sorts last, after even the oldest readable one, whatever
    the ids say; one second later is newer, whatever the ids say."""
    listing = [item(1, None), item(2, at), item(3, "garbled"), item(4, 1)]
    server = Server(lambda _n, _query: answer(listing, per_page=150, total_count=4))

    listed = server.client().list_all(COLLECTIONS)

    assert [c["id"] for c in listed] == ["4", "2", "1", "3"]


# -- where the pages after page 1 are read ------------------------------------------------------


@pytest.mark.parametrize(
    ("later_pages", "concurrency", "pool"),
    [(1, 4, 0), (2, 2, 2), (5, 2, 2), (5, 1, 0)],
    ids=["one later page", "two later pages", "five later pages", "concurrency one"],
)
def test_later_pages_are_read_by_a_page_pool_no_wider_than_the_concurrency(
    later_pages: int, concurrency: int, pool: int
) -> None:
    """With more than one page after page 1 and a concurrency above one, they are read by a
    pool of ``hcsync-page`` threads at most ``concurrency`` wide, even while the first two
    pages are slow to answer; a single later page, or a concurrency of one, is read by the
    calling thread."""
    total_pages = later_pages + 1
    # Pages 2 and 3 answer only once both are asked, and then slowly: meanwhile the pages
    # after them are handed to the pool, which must not grow a thread for each.
    both = threading.Barrier(2, timeout=5)

    def respond(_n: int, query: Query) -> dict[str, Any]:
        page = int(query["page"])
        if pool and page in (2, 3):
            both.wait()
            time.sleep(0.1)
        return answer([item(page)], total_count=total_pages, page=page, total_pages=total_pages)

    server = Server(respond)

    listed = server.client(concurrency=concurrency).list_all(COLLECTIONS)

    assert sorted(int(c["id"]) for c in listed) == list(range(1, total_pages + 1))
    later = server.threads[1:total_pages]
    here = threading.current_thread().name
    if pool:
        assert all(name.startswith("hcsync-page") for name in later)
        assert 1 <= len(set(later)) <= pool
    else:
        assert set(later) == {here}
    assert server.threads[0] == server.threads[-1] == here


# -- a first page that cannot be used ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/help_center/collections", "a collection in 'data' has no id"),
        ("/articles", "an article in 'data' has no id"),
    ],
    ids=["collections", "articles"],
)
def test_an_item_without_an_id_on_page_1_is_an_error_naming_the_list(
    path: str, message: str
) -> None:
    """The error names the request that brought the id-less item, and nothing more is asked."""
    server = Server(lambda _n, _query: answer([item(1), {"name": "no id"}], total_count=2))
    client = server.client()

    with pytest.raises(ApiError) as caught:
        client.list_all(COLLECTIONS) if path.startswith("/help") else client.list_articles()

    assert str(caught.value) == f"GET {BASE}{path} -> 200: {message}"
    assert len(server.asked) == 1


# -- a page that fails while others are read -----------------------------------------------------


def test_a_failed_page_is_reported_only_once_the_pages_being_read_are_done() -> None:
    """Page 2 fails while page 4 is still being read: the error reaches the caller only once
    page 4 is done, so no read of this listing is left running behind it."""
    page_4_started, page_2_failed, page_4_done = (threading.Event() for _ in range(3))

    def respond(_n: int, query: Query) -> dict[str, Any] | httpx.Response:
        page = int(query["page"])
        if page == 2:
            page_4_started.wait(5)
            page_2_failed.set()
            return httpx.Response(404, json={"type": "error.list", "errors": []})
        if page == 4:
            page_4_started.set()
            page_2_failed.wait(5)
            time.sleep(0.2)
            page_4_done.set()
        return answer([item(page)], total_count=6, page=page, total_pages=6)

    server = Server(respond)

    with pytest.raises(ApiError) as caught:
        server.client(concurrency=2).list_all(COLLECTIONS)

    assert caught.value.status == 404
    assert page_4_done.is_set()
    assert {"1", "2", "3", "4"} <= {q["page"] for q in server.asked}
