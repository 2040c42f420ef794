"""More edges of carrying out a plan (``hcsync.apply``), called as a library: how many calls
run at once when the caller bounds it, what a create that never settles leaves not done, and
that an error of the caller's own callback is not swallowed while other calls still run.

A transport function between the client and the emulator watches the requests: the httpx
seam, nothing patched.
"""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from support import TICK, TOKEN, FakeTime, client_for

from hcsync.apply import apply_plan
from hcsync.client import IntercomClient
from hcsync.config import load_config
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.errors import ConcurrentWriterError, UnsettledCreateError
from hcsync.pipeline import plan_against_live
from hcsync.plan import Plan

COLLECTIONS = "/help_center/collections"


def plan_of(tmp_path: Path, text: str, client: IntercomClient) -> Plan:
    config = tmp_path / "collections.yaml"
    config.write_text(textwrap.dedent(text), encoding="utf-8")
    return plan_against_live(load_config(str(config)), client).plan


def test_the_library_runs_no_more_calls_at_once_than_its_parallelism(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Six independent updates form six lanes of one wave; asked for two at a time, apply
    never has a third write in flight, even when each write is slow to answer."""
    for n in range(6):
        emulator.add_collection(f"C{n}")
    config = tmp_path / "collections.yaml"
    entries = "".join(f"  - name: C{n}\n    description: new\n" for n in range(6))
    config.write_text(textwrap.dedent("help_center: acme\ncollections:\n") + entries)
    lock = threading.Lock()
    crowd = threading.Condition(lock)
    in_flight = most = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        if request.method != "PUT":
            return emulator.handle(request)
        with crowd:
            in_flight += 1
            most = max(most, in_flight)
            crowd.notify_all()
            # Hold this write until a third arrives (or briefly): a pool that is too wide shows.
            crowd.wait_for(lambda: in_flight > 2, timeout=0.3)
        try:
            return emulator.handle(request)
        finally:
            with crowd:
                in_flight -= 1

    http = open_http("https://api.intercom.io", TOKEN, transport=httpx.MockTransport(handler))
    client = IntercomClient(http, sleep=fake_time.sleep, clock=fake_time.clock)
    plan = plan_against_live(load_config(str(config)), client).plan
    assert len(plan.changes) == 6
    result = apply_plan(plan, client, default_locale="en", parallelism=2)
    assert result.ok, result.failed
    assert most == 2
    assert {c["description"] for c in emulator.collections()} == {"new"}
    assert plan_against_live(load_config(str(config)), client).plan.empty


def test_a_create_that_never_settles_leaves_every_later_sibling_not_done(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """S1 is answered 502 without committing, round after round; after the last round it
    fails and both siblings queued behind it in its lane are reported not done."""
    posts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        if request.method == "POST":
            posts += 1
            error = {"code": "server_error", "message": "Bad Gateway"}
            return httpx.Response(502, json={"type": "error.list", "errors": [error]})
        return emulator.handle(request)

    client = client_for(handler, fake_time)
    text = "help_center: acme\ncollections:\n  - name: S1\n  - name: S2\n  - name: S3\n"
    plan = plan_of(tmp_path, text, client)
    result = apply_plan(plan, client, default_locale="en")
    (failed,) = result.steps
    assert failed.change.path == ("S1",) and failed.outcome == "failed"
    assert isinstance(failed.error, UnsettledCreateError)
    assert [c.path for c in result.not_done] == [("S2",), ("S3",)]
    assert posts == 6 and emulator.collections() == []


def test_the_callbacks_error_propagates_while_another_call_is_still_running(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Two updates run at once; the progress callback raises on the first step while the
    other write is still waiting for its answer. The error reaches the caller (it is not
    taken for a pause), and nothing after it starts."""
    for name in ("Fast", "Slow"):
        emulator.add_collection(name)
    ids = {c["name"]: c["id"] for c in emulator.collections()}
    slow_started, release = threading.Event(), threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.url.path.endswith(f"/{ids['Slow']}"):
            slow_started.set()
            release.wait(timeout=1)  # still unanswered when the callback raises
        if request.method == "PUT" and request.url.path.endswith(f"/{ids['Fast']}"):
            assert slow_started.wait(timeout=10)
        return emulator.handle(request)

    client = client_for(handler, fake_time)
    text = """\
        help_center: acme
        collections:
          - name: Fast
            description: new
          - name: Slow
            description: new
          - name: Later
            collections:
              - name: Child
        """
    plan = plan_of(tmp_path, text, client)

    def on_step(step: object) -> None:
        raise RuntimeError("the callback broke")

    with pytest.raises(RuntimeError, match="the callback broke"):
        apply_plan(plan, client, default_locale="en", parallelism=4, on_step=on_step)
    release.set()
    assert "Child" not in {c["name"] for c in emulator.collections()}


def test_a_create_refused_for_good_leaves_every_later_sibling_not_done(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            error = {"code": "parameter_invalid", "message": "Injected refusal"}
            return httpx.Response(400, json={"type": "error.list", "errors": [error]})
        return emulator.handle(request)

    client = client_for(handler, fake_time)
    text = "help_center: acme\ncollections:\n  - name: S1\n  - name: S2\n  - name: S3\n"
    result = apply_plan(plan_of(tmp_path, text, client), client, default_locale="en")
    assert [(s.change.path, s.outcome) for s in result.steps] == [(("S1",), "failed")]
    assert [c.path for c in result.not_done] == [("S2",), ("S3",)]


def another_writer(emu: Emulator, listing: int, write: Callable[[], object]) -> IntercomClient:
    """A client whose ``listing``-th first page of collections is answered just after
    ``write()`` ran: another writer, between apply's looks."""
    seen = 0
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal seen
        first_page = request.url.params.get("page") in (None, "1")
        if request.method == "GET" and request.url.path == COLLECTIONS and first_page:
            with lock:
                seen += 1
                if seen == listing:
                    write()
        return emu.handle(request)

    return client_for(handle, FakeTime(tick=TICK))


def test_what_another_writer_made_under_existing_and_planned_parents_is_adopted(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Before the first wave, another writer made Home / Child (under a collection that
    existed, and planned after New / Kid, whose parent is not made yet) and Last; apply adopts
    both, and creates the rest itself."""
    home = emulator.add_collection("Home")
    text = """\
        help_center: acme
        collections:
          - name: New
            collections:
              - name: Kid
          - name: Home
            collections:
              - name: Child
          - name: Last
        """
    plan = plan_of(tmp_path, text, client_for(emulator.handle, fake_time))
    made: dict[str, str] = {}

    def write() -> None:
        made["Child"] = emulator.add_collection("Child", parent_id=home["id"])["id"]
        made["Last"] = emulator.add_collection("Last")["id"]

    client = another_writer(emulator, 1, write)
    result = apply_plan(plan, client, default_locale="en")
    assert result.ok, result.failed
    adopted = {s.change.path: s.id for s in result.steps if s.outcome == "adopted"}
    assert adopted == {("Home", "Child"): made["Child"], ("Last",): made["Last"]}
    assert sorted(c["name"] for c in emulator.collections()) == [
        "Child",
        "Home",
        "Kid",
        "Last",
        "New",
    ]
    assert plan_of(tmp_path, text, client).empty


def test_a_child_another_writer_made_under_our_new_parent_between_waves_is_adopted(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Apply created New in the first wave; before the second, another writer made New / Kid
    under it. Apply adopts it (its parent is one of ours), rather than stopping."""
    emulator.add_collection("Old")
    text = """\
        help_center: acme
        collections:
          - name: Old
            description: changed
          - name: New
            collections:
              - name: Kid
        """
    plan = plan_of(tmp_path, text, client_for(emulator.handle, fake_time))
    made: dict[str, str] = {}

    def write() -> None:
        parent = next(c["id"] for c in emulator.collections() if c["name"] == "New")
        made["Kid"] = emulator.add_collection("Kid", parent_id=parent)["id"]

    client = another_writer(emulator, 2, write)
    result = apply_plan(plan, client, default_locale="en")
    assert result.ok, result.failed
    assert [(s.change.path, s.id) for s in result.steps if s.outcome == "adopted"] == [
        (("New", "Kid"), made["Kid"])
    ]
    assert plan_of(tmp_path, text, client).empty


def test_a_stranger_beside_an_adoptable_create_still_blames_that_create(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The wave's only create, A, was made by another writer, and so was Z, which the plan
    does not create: apply stops before adopting, and names the create of A."""
    text = "help_center: acme\ncollections:\n  - name: A\n"
    plan = plan_of(tmp_path, text, client_for(emulator.handle, fake_time))
    client = another_writer(
        emulator, 1, lambda: [emulator.add_collection(name) for name in ("A", "Z")]
    )
    result = apply_plan(plan, client, default_locale="en")
    (failed,) = result.steps
    assert failed.change == plan.changes[0] and failed.outcome == "failed"
    assert isinstance(failed.error, ConcurrentWriterError)
    assert "1 collection appeared since the plan that it does not create: 'Z'" in str(failed.error)
    assert result.created == {}


def test_an_ambiguous_create_is_found_past_a_namesake_under_another_parent(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """New / Kid commits and is answered 502; just before, someone made a top-level Kid
    (listed first). The look for the ambiguous create passes over that namesake and finds
    ours under New: nothing is created twice."""
    text = """\
        help_center: acme
        collections:
          - name: New
            collections:
              - name: Kid
        """
    plan = plan_of(tmp_path, text, client_for(emulator.handle, fake_time))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and b'"Kid"' in request.read():
            emulator.add_collection("Kid")
            response = emulator.handle(request)
            assert response.status_code == 200
            error = {"code": "server_error", "message": "Bad Gateway"}
            return httpx.Response(502, json={"type": "error.list", "errors": [error]})
        return emulator.handle(request)

    client = client_for(handler, fake_time)
    result = apply_plan(plan, client, default_locale="en")
    assert result.ok, result.failed
    kids = [c for c in emulator.collections() if c["name"] == "Kid"]
    assert len(kids) == 2  # the stranger at the top level, and ours under New
    found = [s for s in result.steps if s.outcome == "found after an ambiguous failure"]
    assert [(s.change.path, s.id) for s in found] == [
        (("New", "Kid"), next(k["id"] for k in kids if k["parent_id"] is not None))
    ]
