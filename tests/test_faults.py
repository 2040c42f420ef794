"""The client against a misbehaving emulator, over many seeds: 5xx answers, ambiguous creates,
rate limits, and writes while the list is being read.

Everything runs in process with one fake clock shared by the emulator and the client, so no
test really waits however many retries and 429 waits a seed brings.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable

import httpx
import pytest
from support import FakeTime

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.errors import AmbiguousCreateError
from hcsync.kinds.collection import COLLECTIONS

TOKEN = "test-token-not-a-secret"
SEEDS = range(int(os.environ.get("HCSYNC_FAULT_SEEDS", "25")))  # more: make test-heavy
Handler = Callable[[httpx.Request], httpx.Response]


def world(
    seed: int, *, collections: int = 30, max_per_page: int = 5
) -> tuple[Emulator, FakeTime, str]:
    time = FakeTime()
    emu = Emulator(
        token=TOKEN,
        clock=time.clock,
        sleep=lambda _s: None,
        seed=seed,
        default_per_page=min(5, max_per_page),
        max_per_page=max_per_page,
    )
    center = emu.add_help_center("acme")
    for number in range(collections):
        parent = emu.add_collection(f"Top {number}", help_center_id=center["id"])
        if number % 3 == 0:
            emu.add_collection(f"Child {number}", parent_id=parent["id"])
    return emu, time, str(center["id"])


def connect(
    handler: Handler, time: FakeTime, seed: int = 0, concurrency: int = 8
) -> IntercomClient:
    http = open_http("https://api.intercom.io", TOKEN, transport=httpx.MockTransport(handler))
    return IntercomClient(
        http,
        sleep=time.sleep,
        clock=time.clock,
        rng=random.Random(seed),
        concurrency=concurrency,
    )


def ids(items: list[dict[str, object]]) -> list[str]:
    return sorted(str(item["id"]) for item in items)


@pytest.mark.parametrize("seed", SEEDS)
def test_server_errors_on_reads_updates_and_deletes_are_retried_to_success(seed: int) -> None:
    emu, time, _ = world(seed)
    emu.faults.error_rate = 0.1
    client = connect(emu.handle, time, seed)

    listed = client.list_all(COLLECTIONS)
    assert ids(listed) == ids(emu.collections())
    tops = [c for c in emu.collections() if c["parent_id"] is None][:12]
    for item in tops[:8]:
        assert client.get(COLLECTIONS, item["id"])["id"] == item["id"]
        client.update(COLLECTIONS, item["id"], {"description": f"seed {seed}"})
    children = {c["parent_id"] for c in emu.collections() if c["parent_id"]}
    leaves = [c for c in tops[8:] if c["id"] not in children]
    for item in leaves:
        client.delete(COLLECTIONS, item["id"])

    assert all(emu.collection(c["id"])["description"] == f"seed {seed}" for c in tops[:8])  # type: ignore[index]
    assert all(emu.collection(c["id"]) is None for c in leaves)
    server_errors = sum(1 for r in emu.requests if r.status >= 500)
    # Every 5xx cost exactly one retry and nothing else did; about a tenth of the calls.
    assert client.stats.retries == server_errors
    assert server_errors <= client.stats.requests * 0.3


@pytest.mark.parametrize("seed", SEEDS)
def test_a_create_committed_then_answered_502_is_ambiguous_and_never_duplicated(
    seed: int,
) -> None:
    emu, time, center = world(seed, collections=0)
    emu.faults.commit_then_502 = 0.2
    client = connect(emu.handle, time, seed)
    ambiguous: list[str] = []
    for number in range(20):
        name = f"New {number}"
        try:
            client.create(COLLECTIONS, {"name": name, "help_center_id": int(center)})
        except AmbiguousCreateError as err:
            assert err.method == "POST" and err.url.endswith("/help_center/collections")
            ambiguous.append(name)

    names = [c["name"] for c in emu.collections()]
    assert sorted(names) == sorted(f"New {n}" for n in range(20))  # each exactly once
    assert len(ambiguous) == sum(1 for r in emu.requests if r.status == 502)
    assert set(ambiguous) <= set(names)  # the ambiguous ones did happen


@pytest.mark.parametrize("seed", SEEDS)
def test_a_low_rate_limit_with_server_errors_still_completes(seed: int) -> None:
    emu, time, _ = world(seed, collections=10)
    emu.faults.rate_limit = 15
    emu.faults.error_rate = 0.1
    client = connect(emu.handle, time, seed)
    items = emu.collections()
    calls = 120
    for number in range(calls):
        client.get(COLLECTIONS, items[number % len(items)]["id"])
    assert sum(1 for r in emu.requests if r.status == 429) < calls / 10


@pytest.mark.parametrize("seed", range(5))
def test_concurrent_listing_equals_sequential_listing(seed: int) -> None:
    emu, time, _ = world(seed, collections=60, max_per_page=7)
    together = connect(emu.handle, time, concurrency=8).list_all(COLLECTIONS)
    one_by_one = connect(emu.handle, time, concurrency=1).list_all(COLLECTIONS)
    assert together == one_by_one or sorted(together, key=str) == sorted(one_by_one, key=str)
    assert ids(together) == ids(emu.collections())
    pages = [int(r.query["page"]) for r in emu.requests if r.path == "/help_center/collections"]
    total_pages = -(-len(emu.collections()) // 7)
    assert sorted(pages) == sorted([1, *range(1, total_pages + 1)] * 2)  # page 1 read twice


def meddling(emu: Emulator, center: str, seed: int, *, writes: int) -> Handler:
    """The emulator, but while pages 2..N are read someone edits, creates or deletes
    collections (at most ``writes`` times), shifting items between pages."""
    rng = random.Random(seed)
    lock = threading.Lock()
    done = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal done
        with lock:
            if request.url.params.get("page", "1") != "1" and done < writes and rng.random() < 0.5:
                done += 1
                live = emu.collections()
                kind = rng.choice(["edit", "edit", "create", "delete"])
                if kind == "edit":
                    target = rng.choice(live)  # jumps to page 1: the classic miss
                    emu.edit_collection(target["id"], description=f"edit {done}")
                elif kind == "create":
                    emu.add_collection(f"Late {done}", help_center_id=center)
                else:
                    parents = {c["parent_id"] for c in live}
                    leaf = rng.choice([c for c in live if c["id"] not in parents])
                    emu.handle(  # someone else's delete, straight to the emulator
                        httpx.Request(
                            "DELETE",
                            f"https://api.intercom.io/help_center/collections/{leaf['id']}",
                            headers={
                                "Authorization": f"Bearer {TOKEN}",
                                "Intercom-Version": "2.10",
                            },
                        )
                    )
        return emu.handle(request)

    return handle


@pytest.mark.parametrize("seed", SEEDS)
def test_listing_while_others_write_never_misses_a_collection(seed: int) -> None:
    emu, time, center = world(seed, collections=40, max_per_page=6)
    client = connect(meddling(emu, center, seed, writes=3), time, seed)

    listed = client.list_all(COLLECTIONS)

    assert len(listed) == len({item["id"] for item in listed})
    assert ids(listed) == ids(emu.collections())
