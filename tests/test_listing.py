"""Listing the collections against servers that page the way real ones may.

Each fake here is a small handler that wraps or replaces ``Emulator.handle`` for the list
request only: an order among equal ``updated_at`` that changes on every request, a server
that clamps ``per_page``, one that gives ``pages.next`` instead of ``total_pages`` (pointing
at another host, or going round in circles), one that claims absurd page counts or a
``total_count`` the pages never add up to. The rule they check: never a missed collection
(it would be planned as a create: a duplicate), never a request to a host named in an
answer, and a clear, bounded error when the list cannot be read whole.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import TOKEN, run_cli

from hcsync.client import MAX_LISTING_PASSES, REQUESTED_PER_PAGE, IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.errors import ListingError
from hcsync.kinds.collection import COLLECTIONS as ENDPOINT

BASE = "https://api.intercom.io"
COLLECTIONS = "/help_center/collections"
NOW = 1_700_000_000
Handler = Callable[[httpx.Request], httpx.Response]


def connect(handler: Handler, *, concurrency: int = 8) -> IntercomClient:
    http = open_http(BASE, TOKEN, transport=httpx.MockTransport(handler))
    return IntercomClient(http, sleep=lambda _s: None, concurrency=concurrency)


class Stepping:
    """A clock that moves on by one second every ``every`` readings (ties in groups), or
    when told to."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.readings = 0
        self.jumped = 0

    def __call__(self) -> float:
        self.readings += 1
        return float(NOW + self.jumped + self.readings // self.every)

    def jump(self, seconds: int) -> None:
        self.jumped += seconds


def stepping(every: int) -> Stepping:
    return Stepping(every)


def world(count: int, *, clock: Callable[[], float], max_per_page: int = 150) -> Emulator:
    emu = Emulator(
        token=TOKEN,
        clock=clock,
        default_per_page=min(20, max_per_page),
        max_per_page=max_per_page,
    )
    emu.faults.rate_limit = None
    center = emu.add_help_center("acme")
    for number in range(count):
        emu.add_collection(f"Collection {number}", help_center_id=center["id"])
    return emu


def is_listing(request: httpx.Request) -> bool:
    return request.method == "GET" and request.url.path == COLLECTIONS


def page_body(
    items: list[dict[str, Any]], page: int, per_page: int, total_count: int | None = None
) -> dict[str, Any]:
    start = (page - 1) * per_page
    return {
        "type": "list",
        "data": items[start : start + per_page],
        "total_count": len(items) if total_count is None else total_count,
        "pages": {
            "type": "pages",
            "page": page,
            "per_page": per_page,
            "total_pages": math.ceil(len(items) / per_page),
        },
    }


def requested(request: httpx.Request, max_per_page: int) -> tuple[int, int]:
    params = request.url.params
    return int(params.get("page", 1)), min(int(params.get("per_page", 20)), max_per_page)


class Unstable:
    """The emulator, but its list shuffles every group of equal ``updated_at`` on each
    request before cutting the page, as a database sorting on a non-unique key may; pages
    of at most ``max_per_page``. ``before_page`` runs (once per request) before a page
    other than 1 is answered: someone else writing meanwhile."""

    def __init__(
        self,
        emu: Emulator,
        *,
        max_per_page: int = 10,
        seed: int = 0,
        before_page: Callable[[int], None] | None = None,
    ) -> None:
        self.emu = emu
        self.max_per_page = max_per_page
        self.rng = random.Random(seed)
        self.before_page = before_page
        self.lock = threading.Lock()
        self.listed: list[tuple[int, int]] = []  # (page, per_page) of each list request

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if not is_listing(request):
            return self.emu.handle(request)
        page, per_page = requested(request, self.max_per_page)
        with self.lock:
            self.listed.append((page, per_page))
            if page > 1 and self.before_page is not None:
                self.before_page(page)
            items: list[dict[str, Any]] = []
            for _, group in itertools.groupby(self.emu.collections(), lambda c: c["updated_at"]):
                tied = list(group)
                self.rng.shuffle(tied)
                items.extend(tied)
        return httpx.Response(200, json=page_body(items, page, per_page))


def ids(items: list[dict[str, Any]]) -> list[str]:
    return sorted(str(item["id"]) for item in items)


# -- an unstable order among equal updated_at ------------------------------------------------


@pytest.mark.parametrize(
    "clock",
    [lambda: float(NOW), stepping(12)],
    ids=["all updated_at equal", "a few groups of equal updated_at"],
)
@pytest.mark.parametrize("seed", range(3))
def test_an_unstable_tie_order_still_lists_every_collection_exactly_once(
    clock: Callable[[], float], seed: int
) -> None:
    emu = world(60, clock=clock)
    server = Unstable(emu, seed=seed)

    listed = connect(server).list_all(ENDPOINT)

    assert [item["id"] for item in listed] == list(dict.fromkeys(item["id"] for item in listed))
    assert ids(listed) == ids(emu.collections())
    assert {size for _, size in server.listed[1:]} == {10}  # the size the server honoured


def config_for(tmp_path: Path, names: list[str], extra: list[str]) -> Path:
    lines = ["help_center: acme", "default_locale: en", "collections:"]
    for number, name in enumerate(names):
        lines.append(f"  - name: {name}")
        if number % 10 == 0:
            lines.append(f"    description: Revised {number}")
    lines.extend(f"  - name: {name}" for name in extra)
    path = tmp_path / "collections.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "clock", [lambda: float(NOW), stepping(12)], ids=["all equal", "a few groups"]
)
def test_plan_apply_and_export_all_succeed_when_equal_updated_at_come_back_shuffled(
    tmp_path: Path, clock: Callable[[], float]
) -> None:
    emu = world(60, clock=clock)
    server = httpx.MockTransport(Unstable(emu, seed=1))
    names = [c["name"] for c in sorted(emu.collections(), key=lambda c: int(c["id"]))]
    path = config_for(tmp_path, names[:-1], ["New A", "New B"])  # 2 creates, 6 updates, 1 delete

    planned = run_cli(server, "plan", str(path), "--detailed-exitcode")
    assert planned.code == 2, planned.err
    assert "New A" in planned.out and "Collection 59" in planned.out  # a create, a delete
    applied = run_cli(server, "apply", str(path))
    assert applied.code == 0, applied.out + applied.err
    assert "Verified" in applied.out
    again = run_cli(server, "plan", str(path), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    out = tmp_path / "exported.yaml"
    exported = run_cli(server, "export", "--out", str(out))
    assert exported.code == 0, exported.err

    live = emu.collections()
    assert sorted(c["name"] for c in live) == sorted([*names[:-1], "New A", "New B"])
    assert all(f"id: '{c['id']}'" in out.read_text() for c in live)


def test_a_write_during_an_unstable_listing_leads_to_a_re_read_that_sees_it() -> None:
    clock = stepping(12)
    emu = world(60, clock=clock)
    center = emu.collections()[0]["help_center_id"]
    oldest = emu.collections()[-1]["id"]
    done: list[str] = []

    def create_and_delete(page: int) -> None:
        # Someone creates one collection and deletes another while page 3 is read: the
        # count stays the same, so only the new collection on page 1 can tell.
        if page == 3 and not done:
            clock.jump(5)  # a later second than anything listed so far
            done.append(emu.add_collection("Late", help_center_id=center)["id"])
            emu.handle(
                httpx.Request(
                    "DELETE",
                    f"{BASE}{COLLECTIONS}/{oldest}",
                    headers={"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"},
                )
            )

    server = Unstable(emu, before_page=create_and_delete)
    listed = connect(server, concurrency=1).list_all(ENDPOINT)

    assert ids(listed) == ids(emu.collections())
    assert done[0] in ids(listed) and oldest not in ids(listed)
    assert [page for page, _ in server.listed].count(1) >= 4  # at least a second pass


# -- a listing that never adds up -------------------------------------------------------------


def test_a_listing_that_never_reaches_total_count_is_a_clear_bounded_error() -> None:
    emu = world(25, clock=stepping(5))
    calls = 0

    def overcounting(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        if not is_listing(request):
            return emu.handle(request)
        calls += 1
        page, per_page = requested(request, 10)
        return httpx.Response(200, json=page_body(emu.collections(), page, per_page, 26))

    with pytest.raises(ListingError) as caught:
        connect(overcounting).list_all(ENDPOINT)

    err = caught.value
    assert (err.seen, err.total_count, err.passes) == (25, 26, MAX_LISTING_PASSES)
    assert f"saw 25 distinct collections of total_count 26 after {MAX_LISTING_PASSES} passes" in (
        str(err)
    )
    assert str(err).startswith(f"GET {BASE}{COLLECTIONS}: ")
    assert calls == MAX_LISTING_PASSES * 4  # three pages and page 1 again, ten times


# -- page sizes -----------------------------------------------------------------------------


def test_per_page_150_is_asked_for_and_a_clamp_to_50_is_followed() -> None:
    emu = world(120, clock=stepping(1), max_per_page=50)

    listed = connect(emu.handle).list_all(ENDPOINT)

    assert ids(listed) == ids(emu.collections())
    asked = [r.query for r in emu.requests if r.path == COLLECTIONS]
    assert asked[0] == {"page": "1", "per_page": str(REQUESTED_PER_PAGE)}
    assert REQUESTED_PER_PAGE == 150
    assert sorted((q["page"], q["per_page"]) for q in asked[1:]) == [
        ("1", "50"),
        ("2", "50"),
        ("3", "50"),
    ]


# -- pages.next instead of total_pages -------------------------------------------------------


def with_next(emu: Emulator, link: Callable[[int, int], object]) -> Handler:
    """The emulator's list without ``total_pages``, with ``pages.next = link(page, per_page)``
    while there are more pages."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = emu.handle(request)
        if not is_listing(request):
            return response
        body = response.json()
        pages = body["pages"]
        total_pages = pages.pop("total_pages")
        if pages["page"] < total_pages:
            pages["next"] = link(pages["page"], pages["per_page"])
        return httpx.Response(200, json=body)

    return handle


@pytest.mark.parametrize(
    "link",
    [
        lambda page, size: f"{BASE}{COLLECTIONS}?page={page + 1}&per_page={size}",
        lambda page, size: {"page": page + 1, "per_page": size},
    ],
    ids=["a URL", "an object"],
)
def test_without_total_pages_pages_next_is_followed(link: Callable[[int, int], object]) -> None:
    emu = world(23, clock=stepping(1), max_per_page=5)

    listed = connect(with_next(emu, link)).list_all(ENDPOINT)

    assert ids(listed) == ids(emu.collections())
    pages = [int(r.query["page"]) for r in emu.requests if r.path == COLLECTIONS]
    assert pages == [1, 2, 3, 4, 5, 1]  # one by one, then page 1 again


def test_a_next_link_to_another_host_is_never_contacted() -> None:
    emu = world(12, clock=stepping(1), max_per_page=5)
    hosts: list[str] = []
    inner = with_next(
        emu, lambda page, size: f"https://evil.example/steal{COLLECTIONS}?page={page + 1}"
    )

    def record(request: httpx.Request) -> httpx.Response:
        hosts.append(f"{request.url.scheme}://{request.url.host}{request.url.path}")
        return inner(request)

    listed = connect(record).list_all(ENDPOINT)

    assert ids(listed) == ids(emu.collections())
    assert set(hosts) == {f"{BASE}{COLLECTIONS}"}  # only our own base URL and path
    asked = [r.query for r in emu.requests if r.path == COLLECTIONS]
    assert {q["per_page"] for q in asked[1:]} == {"5"}  # kept: the link did not say


def test_a_next_link_that_leads_back_is_an_error() -> None:
    emu = world(12, clock=stepping(1), max_per_page=5)
    looping = with_next(emu, lambda page, size: f"{BASE}{COLLECTIONS}?page=2&per_page={size}")

    with pytest.raises(ListingError, match=r"leads back to a page already read \(page=2"):
        connect(looping).list_all(ENDPOINT)


def test_a_next_link_that_never_ends_is_bounded_by_total_count() -> None:
    emu = world(12, clock=stepping(1), max_per_page=5)
    calls = 0

    def endless(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        page, per_page = requested(request, 5)
        body = page_body(emu.collections(), page, per_page)
        body["pages"] = {"type": "pages", "page": page, "per_page": per_page}
        body["pages"]["next"] = f"{BASE}{COLLECTIONS}?page={page + 1}&per_page={per_page}"
        return httpx.Response(200, json=body)

    with pytest.raises(ListingError, match="still names another page") as caught:
        connect(endless).list_all(ENDPOINT)
    assert "12 collections at 5 a page" in str(caught.value)
    assert calls == 3 + 2  # the three pages 12 collections need, and the margin


# -- absurd claims ----------------------------------------------------------------------------


def test_an_absurd_total_pages_is_refused_at_once_without_growing() -> None:
    emu = world(60, clock=stepping(1))
    calls = 0

    def bragging(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        page, per_page = requested(request, 10)
        body = page_body(emu.collections(), page, per_page)
        body["pages"]["total_pages"] = 1_000_000_000
        return httpx.Response(200, json=body)

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ListingError) as caught:
            connect(bragging).list_all(ENDPOINT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert time.perf_counter() - started < 1.0
    assert peak < 5_000_000  # bytes: nothing was sized by the claim
    assert calls == 1
    assert "claims 1000000000 pages (pages.total_pages) for 60 collections at 10 a page" in str(
        caught.value
    )
    assert "at most 8" in str(caught.value)


def test_the_cli_reports_an_absurd_listing_as_a_clean_error(tmp_path: Path) -> None:
    emu = world(3, clock=stepping(1))

    def bragging(request: httpx.Request) -> httpx.Response:
        response = emu.handle(request)
        if not is_listing(request):
            return response
        body = response.json()
        body["pages"]["total_pages"] = 10**12
        return httpx.Response(200, json=body)

    path = config_for(tmp_path, ["Collection 0"], [])
    result = run_cli(httpx.MockTransport(bragging), "plan", str(path))

    assert result.code == 1
    assert "claims 1000000000000 pages" in result.err
    assert "Traceback" not in result.err
