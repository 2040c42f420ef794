"""Listing edge cases: what a server's odd paging answers make hcsync ask next, and the exact
error a user reads when a list cannot be trusted.

Each test talks to a small scripted server (a function from the request's query to the
answer) through ``httpx.MockTransport``: a ``pages.next`` of every shape Intercom's versions
use (a URL, an object, a bare page number, a ``starting_after`` cursor) and of shapes no
version should (garbage), paging that never ends or loops, counts that never add up. The
errors are pinned in full: they are the only thing a user sees of a listing gone wrong, and
they must name the request and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support import TOKEN, no_sleep

from hcsync.client import MAX_LISTING_PAGES, MAX_LISTING_PASSES, IntercomClient
from hcsync.connection import open_http
from hcsync.errors import ApiError, ListingError
from hcsync.kinds.collection import COLLECTIONS as ENDPOINT

BASE = "https://api.intercom.io"
COLLECTIONS = "/help_center/collections"
ARTICLES = "/articles"
LIST_URL = f"{BASE}{COLLECTIONS}"
NOW = 1_700_000_000
INCOMPLETE = (
    "; hcsync does not plan from an incomplete list (a collection it missed would be created "
    "again): wait until nobody else is editing the Help Center and try again"
)

Query = dict[str, str]
Answer = Callable[[Query], dict[str, Any]]


class Server:
    """A list endpoint answered by ``answer(query)``; every query asked is recorded."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.asked: list[Query] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        self.asked.append(query)
        return httpx.Response(200, json=self.answer(query))

    def client(self, *, concurrency: int = 1) -> IntercomClient:
        http = open_http(BASE, TOKEN, transport=httpx.MockTransport(self))
        return IntercomClient(http, sleep=no_sleep, concurrency=concurrency)


def item(key: object, at: int = NOW) -> dict[str, Any]:
    return {"type": "collection", "id": str(key), "name": f"C {key}", "updated_at": at}


def answer(
    items: list[dict[str, Any]],
    *,
    per_page: object = 1,
    total_count: object = None,
    **paging: object,
) -> dict[str, Any]:
    """A list answer: ``items``, ``total_count`` when given, and ``pages`` with ``per_page``
    and whatever else ``paging`` says (``next``, ``total_pages``, ``page``)."""
    body: dict[str, Any] = {
        "type": "list",
        "data": items,
        "pages": {"type": "pages", "per_page": per_page, **paging},
    }
    if total_count is not None:
        body["total_count"] = total_count
    return body


def first_page_only(**paging: object) -> Server:
    """Page 1 holds one of three collections and names its next page by ``paging``;
    anything else asked for is answered with no more pages."""

    def respond(query: Query) -> dict[str, Any]:
        if query == {"page": "1", "per_page": "150"}:
            return answer([item(1)], total_count=3, **paging)
        return answer([item(2), item(3)], total_count=3)

    return Server(respond)


# -- a pages.next that cannot be used is refused before anything is asked with it -----------


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("http://[::1", "pages.next is not a URL hcsync can read"),
        (True, "pages.next is neither a URL nor an object"),
        ([2], "pages.next is neither a URL nor an object"),
        (2.5, "pages.next is neither a URL nor an object"),
        ({"page": "two"}, "pages.next names a page that is not a number"),
        ({"page": 0}, "pages.next names a page that is not a number"),
        (f"{LIST_URL}?page=abc", "pages.next names a page that is not a number"),
        ({"page": 2, "per_page": "many"}, "pages.next names a per_page that is not a number"),
        (f"{LIST_URL}?page=2&per_page=0", "pages.next names a per_page that is not a number"),
        ({"starting_after": ""}, "pages.next names an unusable starting_after"),
        ({"starting_after": False}, "pages.next names an unusable starting_after"),
        ({"starting_after": "c" * 1001}, "pages.next names an unusable starting_after"),
        ({"per_page": 5}, "pages.next names neither a page nor a starting_after"),
        (f"{LIST_URL}?per_page=5", "pages.next names neither a page nor a starting_after"),
    ],
    ids=[
        "URL that does not parse",
        "boolean",
        "list",
        "float",
        "page not a number",
        "page zero",
        "URL page not a number",
        "per_page not a number",
        "URL per_page zero",
        "blank cursor",
        "boolean cursor",
        "cursor too long",
        "object with neither",
        "URL with neither",
    ],
)
def test_an_unusable_next_link_is_a_listing_error_naming_it(link: object, message: str) -> None:
    """A user sees which part of Intercom's paging hcsync could not follow, on which request,
    and nothing more is asked: a garbled link is never guessed at."""
    server = first_page_only(next=link)

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    err = caught.value
    assert str(err) == f"GET {LIST_URL}: {message}"
    assert (err.method, err.url) == ("GET", LIST_URL)
    assert len(server.asked) == 1


@pytest.mark.parametrize(
    "paging",
    [{}, {"next": None}, {"next": ""}, {"next": {}}],
    ids=["no next", "null", "empty string", "empty object"],
)
def test_an_empty_next_link_ends_the_list(paging: dict[str, object]) -> None:
    """Each way a server says "no more pages" is taken as such, not as a garbled link."""
    server = Server(
        lambda _query: answer([item(1), item(2)], per_page=150, total_count=2, **paging)
    )

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == ["1", "2"]
    assert server.asked == [{"page": "1", "per_page": "150"}]


@pytest.mark.parametrize("pages", [None, "garbled", [1, 2]], ids=["null", "a string", "a list"])
def test_a_list_without_readable_paging_is_one_page(pages: object) -> None:
    """A server that says nothing usable about pages has given the whole list in one answer."""
    server = Server(lambda _query: {"type": "list", "data": [item(1)], "pages": pages})

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == ["1"]
    assert len(server.asked) == 1


# -- the pages a usable pages.next names are the ones asked for ------------------------------


def test_a_next_that_is_a_bare_page_number_is_followed() -> None:
    """``pages.next: 2`` asks for page 2 at the size the server honoured."""

    def respond(query: Query) -> dict[str, Any]:
        if query["page"] == "1":
            return answer([item(1)], total_count=2, next=2)
        return answer([item(2)], total_count=2)

    server = Server(respond)

    listed = server.client().list_all(ENDPOINT)

    assert sorted(c["id"] for c in listed) == ["1", "2"]
    assert server.asked == [
        {"page": "1", "per_page": "150"},
        {"page": "2", "per_page": "1"},
        {"page": "1", "per_page": "1"},
    ]


def cursor_server(items: list[dict[str, Any]], *, first_size: int, size: int) -> Server:
    """Pages by ``starting_after`` (the id of the last item seen): page 1 holds
    ``first_size`` items, each later page ``size``, and every ``next`` asks for ``size``."""

    def respond(query: Query) -> dict[str, Any]:
        if "starting_after" in query:
            start = [c["id"] for c in items].index(query["starting_after"]) + 1
            data = items[start : start + size]
        else:
            start, data = 0, items[:first_size]
        end = start + len(data)
        paging: dict[str, object] = {"per_page": first_size}
        if end < len(items):
            paging["next"] = {"starting_after": data[-1]["id"], "per_page": size}
        return answer(data, total_count=len(items), **paging)

    return Server(respond)


def test_a_starting_after_cursor_and_its_per_page_are_followed() -> None:
    """A cursor-paged list (``next`` names ``starting_after`` and a page size, no page) is
    read to the end with exactly what each ``next`` asks for, then page 1 again."""
    items = [item(key) for key in range(1, 8)]
    server = cursor_server(items, first_size=3, size=2)

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == [str(key) for key in range(1, 8)]
    assert server.asked == [
        {"page": "1", "per_page": "150"},
        {"per_page": "2", "starting_after": "3"},
        {"per_page": "2", "starting_after": "5"},
        {"page": "1", "per_page": "3"},
    ]


def test_a_cursor_of_the_longest_allowed_length_is_followed() -> None:
    """A 1,000-character ``starting_after`` is still an id hcsync sends back as given."""
    cursor = "c" * 1000

    def respond(query: Query) -> dict[str, Any]:
        if query.get("starting_after") == cursor:
            return answer([item(2)], total_count=2)
        return answer([item(1)], total_count=2, next={"starting_after": cursor})

    server = Server(respond)

    listed = server.client().list_all(ENDPOINT)

    assert sorted(c["id"] for c in listed) == ["1", "2"]
    assert server.asked[1] == {"per_page": "1", "starting_after": cursor}


# -- paging that loops or never ends is refused with a message that shows where ---------------


def test_a_next_link_that_leads_back_names_the_page_and_keeps_the_count() -> None:
    """Page 2 names page 2 again: the error shows the whole repeated query."""
    server = Server(lambda _query: answer([item(1)], total_count=12, next={"page": 2}))

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    err = caught.value
    assert str(err) == (
        f"GET {LIST_URL}: pages.next leads back to a page already read (page=2&per_page=1); "
        "hcsync stopped rather than go round in circles"
    )
    assert (err.method, err.url, err.total_count) == ("GET", LIST_URL, 12)
    assert len(server.asked) == 2


def test_a_cursor_that_leads_back_is_shown_cut_to_200_characters() -> None:
    """A long looping cursor is named, but only its first characters: the message stays
    readable whatever the server sent."""
    cursor = "k" * 300
    server = Server(
        lambda _query: answer([item(1)], total_count=5, next={"starting_after": cursor})
    )

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    shown = f"per_page=1&starting_after={cursor}"[:200]
    assert str(caught.value) == (
        f"GET {LIST_URL}: pages.next leads back to a page already read ({shown}); "
        "hcsync stopped rather than go round in circles"
    )
    assert len(server.asked) == 2


def endless(path: str) -> Server:
    """Every page of three items' worth names the next one, forever."""

    def respond(query: Query) -> dict[str, Any]:
        page = int(query["page"])
        return answer([item(page, NOW - page)], total_count=3, page=page, next={"page": page + 1})

    return Server(respond)


@pytest.mark.parametrize(("path", "noun"), [(COLLECTIONS, "collections"), (ARTICLES, "articles")])
def test_a_next_link_that_never_ends_stops_at_total_count_and_the_margin(
    path: str, noun: str
) -> None:
    """Three items at one a page need three pages; after two more, the sixth is refused and
    the error says what was counted, in the list's own words."""
    server = endless(path)
    client = server.client()

    with pytest.raises(ListingError) as caught:
        client.list_all(ENDPOINT) if path == COLLECTIONS else client.list_articles()

    err = caught.value
    assert str(err) == (
        f"GET {BASE}{path}: pages.next still names another page (page=6&per_page=1) after 5 "
        f"pages, more than 3 {noun} at 1 a page need; "
        "hcsync stopped rather than follow it further"
    )
    assert (err.method, err.url, err.total_count) == ("GET", f"{BASE}{path}", 3)
    assert [q["page"] for q in server.asked] == ["1", "2", "3", "4", "5"]


def test_an_absurd_page_count_without_a_total_count_is_refused_at_once() -> None:
    """Without ``total_count`` the bound is the absolute cap, and the message says the
    number is unknown rather than printing "None"."""
    server = Server(lambda _query: answer([item(1)], total_pages=MAX_LISTING_PAGES + 1))

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    assert str(caught.value) == (
        f"GET {LIST_URL}: Intercom claims {MAX_LISTING_PAGES + 1} pages (pages.total_pages) "
        f"for an unknown number of collections at 1 a page; hcsync reads at most "
        f"{MAX_LISTING_PAGES} and stopped rather than trust the claim"
    )
    assert len(server.asked) == 1


# -- a list that never adds up ---------------------------------------------------------------


def test_a_total_count_never_reached_is_reported_in_full() -> None:
    """A steady list one short of its count: the message counts what was seen, says no more
    (nothing moved), and tells the user what to do."""
    server = Server(
        lambda query: answer(
            [item(query["page"])], total_count=3, page=int(query["page"]), total_pages=2
        )
    )

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    err = caught.value
    assert str(err) == (
        f"GET {LIST_URL}: saw 2 distinct collections of total_count 3 after "
        f"{MAX_LISTING_PASSES} passes over the list{INCOMPLETE}"
    )
    assert (err.seen, err.total_count, err.passes) == (2, 3, MAX_LISTING_PASSES)


def test_a_list_without_total_count_that_keeps_growing_is_reported_in_full() -> None:
    """Every pass finds a collection the one before did not, and Intercom gives no count to
    add up to: the message says so instead of naming a count of None."""
    seen = 0

    def respond(query: Query) -> dict[str, Any]:
        nonlocal seen
        if query["page"] == "1":
            return answer([item(1)], page=1, total_pages=2)
        seen += 1
        return answer([item(100 + seen)], page=2, total_pages=2)

    server = Server(respond)

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    err = caught.value
    distinct = 1 + MAX_LISTING_PASSES
    assert str(err) == (
        f"GET {LIST_URL}: saw {distinct} distinct collections, Intercom gave no total_count, "
        f"after {MAX_LISTING_PASSES} passes over the list{INCOMPLETE}"
    )
    assert (err.seen, err.total_count, err.passes) == (distinct, None, MAX_LISTING_PASSES)


def test_a_total_count_that_changes_on_every_answer_is_named_in_the_error() -> None:
    """Someone keeps writing: the error names the change the last pass saw, from the first
    count of that pass to the next one."""
    counted = 5

    def respond(query: Query) -> dict[str, Any]:
        nonlocal counted
        counted += 1
        page = int(query["page"])
        return answer([item(page)], total_count=counted, page=page, total_pages=2)

    server = Server(respond)

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    # Three answers a pass (pages 1, 2 and page 1 again); the last pass starts at answer 28.
    first = 5 + 3 * (MAX_LISTING_PASSES - 1) + 1
    err = caught.value
    assert str(err) == (
        f"GET {LIST_URL}: saw 2 distinct collections of total_count {first} after "
        f"{MAX_LISTING_PASSES} passes over the list; it kept changing while it was read "
        f"(total_count went from {first} to {first + 1}){INCOMPLETE}"
    )
    assert (err.seen, err.total_count, err.passes) == (2, first, MAX_LISTING_PASSES)


# -- single objects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "path"),
    [
        (lambda client: client.get_help_center("7"), "/help_center/help_centers/7"),
        (lambda client: client.list_help_centers(), "/help_center/help_centers"),
    ],
    ids=["one", "the list"],
)
def test_a_refused_help_center_read_is_an_error_naming_the_get(
    read: Callable[[IntercomClient], object], path: str
) -> None:
    """The error for a help center read Intercom refuses names the request as sent."""

    def handle(request: httpx.Request) -> httpx.Response:
        body = {"type": "error.list", "errors": [{"code": "not_found", "message": "Not found"}]}
        return httpx.Response(404, json=body)

    http = open_http(BASE, TOKEN, transport=httpx.MockTransport(handle))
    client = IntercomClient(http, sleep=no_sleep)

    with pytest.raises(ApiError) as caught:
        read(client)

    assert str(caught.value) == f"GET {BASE}{path} -> 404: not_found: Not found"
    assert caught.value.method == "GET"


# -- how many passes, and what a pass that sees a write does ------------------------------------


def numbered(script: Callable[[int, Query], dict[str, Any]]) -> Server:
    """A server whose n-th answer (from 0) is ``script(n, query)``: with one page per pass
    n is the pass; with two pages and the re-read of page 1, n // 3 is."""
    calls = iter(range(1_000_000))
    return Server(lambda query: script(next(calls), query))


@pytest.mark.parametrize(
    ("script", "seen", "total", "moved"),
    [
        (
            lambda n: ([item(1), item(2)], 10 + n),
            2,
            19,
            "total_count went from 18 to 19",
        ),
        (
            lambda n: ([item(1, NOW + n), item(2)], 3),
            2,
            3,
            "collection 1 was edited between passes",
        ),
        (
            lambda n: ([item(1), item(100 + n, NOW + 1 + n)], 3),
            2,
            3,
            "a collection was created or edited between passes",
        ),
        (
            lambda n: ([item(2 * n + 1), item(2 * n + 2)], 3),
            2,
            3,
            "more distinct collections were seen than the total_count of 3",
        ),
    ],
    ids=["count changed", "edited", "created", "more than counted"],
)
def test_a_list_that_moves_between_passes_says_how_it_moved(
    script: Callable[[int], tuple[list[dict[str, Any]], int]], seen: int, total: int, moved: str
) -> None:
    """Someone keeps writing between whole reads of a one-page list: the error says what
    the last pass saw change, and counts only what that pass saw."""

    def respond(n: int, _query: Query) -> dict[str, Any]:
        items, counted = script(n)
        return answer(items, per_page=150, total_count=counted)

    server = numbered(respond)

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    err = caught.value
    assert str(err) == (
        f"GET {LIST_URL}: saw {seen} distinct collections of total_count {total} after "
        f"{MAX_LISTING_PASSES} passes over the list; it kept changing while it was read "
        f"({moved}){INCOMPLETE}"
    )
    assert (err.seen, err.total_count, err.passes) == (seen, total, MAX_LISTING_PASSES)
    assert len(server.asked) == MAX_LISTING_PASSES


def test_a_collection_deleted_between_passes_is_not_kept() -> None:
    """Pass 1 sees 1 and 9 of three; 9 is then deleted. Pass 2 sees 1 and 2 of two: that is
    the list, without 9 (kept, it would stand in for a collection that is gone)."""
    passes = [
        answer([item(1), item(9)], per_page=150, total_count=3),
        answer([item(1), item(2)], per_page=150, total_count=2),
    ]
    server = numbered(lambda n, _query: passes[min(n, 1)])

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == ["1", "2"]
    assert len(server.asked) == 2


def test_copies_read_later_win_on_a_tie() -> None:
    """Two reads of one collection with the same updated_at: the one read last is listed,
    within a pass (page 1 read again) and across passes."""
    names = iter(["first", "second", "third", "fourth", "fifth", "sixth"])

    def respond(n: int, query: Query) -> dict[str, Any]:
        if query["page"] == "2":
            found = [item(2)] if n >= 3 else []  # pass 1 misses collection 2
            return answer(found, total_count=2, page=2, total_pages=2)
        named = {**item(1), "name": next(names)}
        return answer([named], total_count=2, page=1, total_pages=2)

    server = numbered(respond)

    listed = server.client().list_all(ENDPOINT)

    assert [(c["id"], c["name"]) for c in listed] == [("1", "fourth"), ("2", "C 2")]
    assert len(server.asked) == 6


def test_without_total_count_a_second_pass_that_adds_nothing_ends_the_list() -> None:
    """No count to add up to: two pages are read until a whole pass finds nothing new."""
    seconds = [[item(2)], [item(3)], [item(3)]]

    def respond(n: int, query: Query) -> dict[str, Any]:
        if query["page"] == "2":
            return answer(seconds[n // 3], page=2, total_pages=2)
        return answer([item(1)], page=1, total_pages=2)

    server = numbered(respond)

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == ["1", "2", "3"]
    assert len(server.asked) == 9


@pytest.mark.parametrize(
    ("pages", "total", "seen", "changed"),
    [
        (
            [[item(1), item(2)], [item(1, NOW - 5)], [item(1), item(2)]],
            3,
            2,
            "collection 1 was edited while the pages were read",
        ),
        (
            [[item(1)], [item(2)], [item(3, NOW + 1)]],
            3,
            3,
            "a collection was created or edited while the pages were read",
        ),
        (
            [[item(1)], [item(2)], [item(3)]],
            2,
            3,
            "3 distinct collections for a total_count of 2",
        ),
    ],
    ids=["two versions", "newer on page 1 again", "more than counted"],
)
def test_a_write_seen_inside_every_pass_is_named(
    pages: list[list[dict[str, Any]]], total: int, seen: int, changed: str
) -> None:
    """Each pass reads page 1, page 2 and page 1 again, and each sees a write: nothing of it
    is trusted, and the error names the evidence."""

    def respond(n: int, query: Query) -> dict[str, Any]:
        page = int(query["page"])
        return answer(pages[n % 3], per_page=2, total_count=total, page=page, total_pages=2)

    server = numbered(respond)

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    err = caught.value
    assert str(err) == (
        f"GET {LIST_URL}: saw {seen} distinct collections of total_count {total} after "
        f"{MAX_LISTING_PASSES} passes over the list; it kept changing while it was read "
        f"({changed}){INCOMPLETE}"
    )
    assert (err.seen, err.total_count, err.passes) == (seen, total, MAX_LISTING_PASSES)
    assert len(server.asked) == 3 * MAX_LISTING_PASSES


# -- the order of the result -----------------------------------------------------------------


MIXED = [
    item("10"),
    item("a"),
    {**item("4"), "updated_at": "garbage"},
    item("3", NOW + 5),
    item("9"),
    {**item("2"), "updated_at": None},
    item("09"),
]
MIXED_ORDER = ["3", "09", "9", "10", "a", "2", "4"]


def test_collections_are_listed_newest_first_then_by_id() -> None:
    """Newest updated_at first, numeric ids by value, unreadable updated_at last: the same
    order every time, whatever order Intercom sent."""
    server = Server(lambda _query: answer(MIXED, per_page=150, total_count=len(MIXED)))

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == MIXED_ORDER


# -- what page 1 says of the pages after it ------------------------------------------------


def paged(first: dict[str, Any], later: list[dict[str, Any]] | None = None) -> Server:
    """Page 1 is ``first``; any other page holds ``later`` (nothing by default)."""

    def respond(query: Query) -> dict[str, Any]:
        if query.get("page") == "1":
            return first
        return {"type": "list", "data": later or [], "total_count": first.get("total_count")}

    return Server(respond)


def test_the_page_bound_counts_the_page_size_really_given() -> None:
    """A server that claims 150 a page but gives 2: four collections are two pages, so with
    the margin four are read and a fifth claimed page is refused."""
    claimed = answer([item(1), item(2)], per_page=150, total_count=4, total_pages=5)

    with pytest.raises(ListingError) as caught:
        paged(claimed).client().list_all(ENDPOINT)

    assert str(caught.value) == (
        f"GET {LIST_URL}: Intercom claims 5 pages (pages.total_pages) for 4 collections at "
        "2 a page; hcsync reads at most 4 and stopped rather than trust the claim"
    )
    assert caught.value.total_count == 4


def test_a_page_count_at_the_bound_is_read_at_the_size_claimed() -> None:
    """Four claimed pages of two-item pages for four collections are within the bound:
    pages 2 to 4 are asked for at the per_page the server said it honoured."""
    first = answer([item(1), item(2)], per_page=150, total_count=4, total_pages=4)
    server = paged(first, [item(3), item(4)])

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == ["1", "2", "3", "4"]
    assert server.asked == [
        {"page": "1", "per_page": "150"},
        {"page": "2", "per_page": "150"},
        {"page": "3", "per_page": "150"},
        {"page": "4", "per_page": "150"},
        {"page": "1", "per_page": "150"},
    ]


def test_an_empty_first_page_bounds_pages_by_the_size_claimed() -> None:
    """No collections at ten a page need no pages; the margin allows two, not three."""
    claimed = answer([], per_page=10, total_count=0, total_pages=3)

    with pytest.raises(ListingError) as caught:
        paged(claimed).client().list_all(ENDPOINT)

    assert str(caught.value) == (
        f"GET {LIST_URL}: Intercom claims 3 pages (pages.total_pages) for 0 collections at "
        "10 a page; hcsync reads at most 2 and stopped rather than trust the claim"
    )


@pytest.mark.parametrize("per_page", [None, 0, "lots"], ids=["absent", "zero", "garbled"])
def test_later_pages_are_asked_at_the_requested_size_when_page_1_gives_none(
    per_page: object,
) -> None:
    """A per_page that is missing or unusable is not guessed at: later pages are asked at
    the size hcsync requested."""
    first = answer([item(1)], total_count="2", total_pages="2")
    first["pages"]["per_page"] = per_page
    server = paged(first, [item(2)])

    listed = server.client().list_all(ENDPOINT)

    assert [c["id"] for c in listed] == ["1", "2"]
    assert server.asked[1] == {"page": "2", "per_page": "150"}


def test_pages_fetched_side_by_side_are_gathered_in_full() -> None:
    """With several requests in flight, every page is asked for once a pass and all of them
    make up the list."""
    server = Server(
        lambda query: answer(
            [item(query["page"])], total_count=6, page=int(query["page"]), total_pages=6
        )
    )

    listed = server.client(concurrency=4).list_all(ENDPOINT)

    assert [c["id"] for c in listed] == ["1", "2", "3", "4", "5", "6"]
    assert sorted(q["page"] for q in server.asked) == ["1", "1", "2", "3", "4", "5", "6"]
    assert {q["per_page"] for q in server.asked[1:]} == {"1"}


# -- answers that cannot be used ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([item(2), {"name": "no id"}], "a collection in 'data' has no id"),
        ([item(2), {"id": " "}], "a collection in 'data' has no id"),
        ({"0": item(2)}, "expected a list of objects in 'data'"),
        ([item(2), "3"], "expected a list of objects in 'data'"),
    ],
    ids=["no id", "blank id", "not a list", "not objects"],
)
@pytest.mark.parametrize("where", ["page 2", "page 1 again"])
def test_an_unusable_later_page_is_an_error_naming_the_list(
    data: object, message: str, where: str
) -> None:
    """A page after the first (or page 1 read again) that cannot be read whole stops the
    listing with an error naming the list, rather than leaving a gap."""
    calls = iter(range(100))

    def respond(query: Query) -> dict[str, Any]:
        n = next(calls)
        bad = (where == "page 2" and query["page"] == "2") or (where == "page 1 again" and n == 2)
        body = answer([item(query["page"])], total_count=2, total_pages=2)
        if bad:
            body["data"] = data
        return body

    with pytest.raises(ApiError) as caught:
        Server(respond).client().list_all(ENDPOINT)

    assert str(caught.value) == f"GET {LIST_URL} -> 200: {message}"


def test_an_unreadable_help_center_list_is_an_error_naming_it() -> None:
    """The help center list is read once to find the one configured: a garbled answer is
    an error naming the request, not an empty list."""
    server = Server(lambda _query: {"type": "list", "data": {"id": "1"}})

    with pytest.raises(ApiError) as caught:
        server.client().list_help_centers()

    assert str(caught.value) == (
        f"GET {BASE}/help_center/help_centers -> 200: expected a list of objects in 'data'"
    )


def test_help_centers_are_listed_in_the_order_given() -> None:
    centers = [{"id": "2", "identifier": "b"}, {"id": "1", "identifier": "a"}]
    server = Server(lambda _query: {"type": "list", "data": centers})

    assert server.client().list_help_centers() == centers
    assert server.asked == [{}]


# -- the article list ----------------------------------------------------------------------


def article(key: object, at: int = NOW, title: str = "") -> dict[str, Any]:
    return {"type": "article", "id": str(key), "title": title or f"A {key}", "updated_at": at}


def test_articles_are_read_page_by_page_and_merged_newest_first() -> None:
    """Every page of /articles at the size honoured; an article listed twice is kept in its
    newest copy; the result is newest first, then by id."""
    pages = {
        "1": [article(1), article(2, NOW - 1, "old")],
        "2": [article(2, NOW + 1, "new"), article(10)],
        "3": [article(9)],
    }
    server = Server(
        lambda query: answer(
            pages[query["page"]], per_page=2, total_count=4, page=int(query["page"]), total_pages=3
        )
    )

    listed = server.client().list_articles()

    assert [(a["id"], a["title"]) for a in listed] == [
        ("2", "new"),
        ("1", "A 1"),
        ("9", "A 9"),
        ("10", "A 10"),
    ]
    assert server.asked == [
        {"page": "1", "per_page": "150"},
        {"page": "2", "per_page": "2"},
        {"page": "3", "per_page": "2"},
    ]


def test_articles_missed_by_one_pass_are_found_by_the_next() -> None:
    """A pass short of total_count is followed by another, and the two are united."""
    passes = [[article(1)], [article(2)]]
    server = numbered(lambda n, _query: answer(passes[min(n, 1)], per_page=150, total_count=2))

    listed = server.client().list_articles()

    assert [a["id"] for a in listed] == ["1", "2"]
    assert len(server.asked) == 2


def test_articles_without_a_total_count_are_read_once() -> None:
    server = Server(lambda _query: answer(MIXED, per_page=150))

    listed = server.client().list_articles()

    assert [a["id"] for a in listed] == MIXED_ORDER
    assert len(server.asked) == 1


def test_an_article_list_that_never_adds_up_is_reported_in_full() -> None:
    """Three passes, then an error saying what was seen and why nothing is counted from it."""
    server = Server(lambda _query: answer([article(1), article(2)], per_page=150, total_count=3))

    with pytest.raises(ListingError) as caught:
        server.client().list_articles()

    err = caught.value
    assert str(err) == (
        f"GET {BASE}{ARTICLES}: saw 2 distinct articles of total_count 3 after 3 passes over "
        "the list; hcsync does not count articles from an incomplete list: wait until nobody "
        "else is editing the Help Center and try again"
    )
    assert (err.method, err.url, err.seen, err.total_count, err.passes) == (
        "GET",
        f"{BASE}{ARTICLES}",
        2,
        3,
        3,
    )
    assert len(server.asked) == 3


def test_an_article_without_an_id_on_a_later_page_is_an_error() -> None:
    def respond(query: Query) -> dict[str, Any]:
        data = [article(1)] if query["page"] == "1" else [{"title": "no id"}]
        return answer(data, total_count=2, page=int(query["page"]), total_pages=2)

    with pytest.raises(ApiError) as caught:
        Server(respond).client().list_articles()

    assert str(caught.value) == f"GET {BASE}{ARTICLES} -> 200: an article in 'data' has no id"


# -- a long list --------------------------------------------------------------------------


def test_a_long_list_gets_fewer_passes_within_the_request_budget() -> None:
    """120 pages and the re-read of page 1 are 121 requests a pass: 600 // 121 = 4 passes,
    not ten, before a count that is never reached is reported."""
    server = Server(
        lambda query: answer(
            [item(query["page"])], total_count=121, page=int(query["page"]), total_pages=120
        )
    )

    with pytest.raises(ListingError) as caught:
        server.client().list_all(ENDPOINT)

    err = caught.value
    assert (err.seen, err.total_count, err.passes) == (120, 121, 4)
    assert str(err).startswith(f"GET {LIST_URL}: saw 120 distinct collections of total_count")
    assert len(server.asked) == 4 * 121
