"""Edges of carrying out a plan (``hcsync.apply``): what each step reports, what a stopped
apply says it did not do (and in which order), how another writer's collections are told
from ours, and how an ambiguous create is looked for.

The library is called directly where the result is the contract (``apply_plan`` returns every
step and the changes it never reached; the CLI prints them), and the CLI where the words are.
A transport function between the client and the emulator changes the one answer a scenario
needs: the httpx seam, nothing patched.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import FakeTime, RunCli, client_for, run_cli, write

from hcsync.apply import ApplyResult, Step, apply_plan
from hcsync.client import IntercomClient
from hcsync.config import load_config
from hcsync.emulator import Emulator
from hcsync.errors import ApiError, ConcurrentWriterError
from hcsync.pipeline import plan_against_live
from hcsync.plan import Change, Plan

COLLECTIONS = "/help_center/collections"
Handler = Callable[[httpx.Request], httpx.Response]


# ---- helpers --------------------------------------------------------------------------------


def plan_of(config: str, client: IntercomClient) -> Plan:
    return plan_against_live(load_config(config), client).plan


def apply_with(
    plan: Plan, client: IntercomClient, parallelism: int = 8
) -> tuple[ApplyResult, list[Step]]:
    """Apply ``plan``; the result and every step as the callback heard it."""
    heard: list[Step] = []
    result = apply_plan(
        plan, client, default_locale="en", parallelism=parallelism, on_step=heard.append
    )
    return result, heard


def refuse(message: str, status: int = 400) -> httpx.Response:
    error = {"code": "parameter_invalid", "message": message}
    return httpx.Response(status, json={"type": "error.list", "errors": [error]})


def is_listing(request: httpx.Request) -> bool:
    return request.method == "GET" and request.url.path == COLLECTIONS


def change_at(plan: Plan, kind: str, *path: str) -> Change:
    return next(c for c in plan.changes if c.kind == kind and c.path == path)


def by_name(emu: Emulator) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in emu.collections()}


# ---- what each step reports -----------------------------------------------------------------


def test_every_step_is_reported_once_numbered_with_its_outcome_and_live_id(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """A progress line with the wrong number, total, id or outcome misleads whoever watches
    the run; the callback hears exactly the steps the result holds."""
    keep = emulator.add_collection("Keep", description="old words")
    gone = emulator.add_collection("Gone")
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: Keep
            description: new words
          - name: Fresh
        """,
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    result, heard = apply_with(plan, client, parallelism=1)
    fresh = by_name(emulator)["Fresh"]["id"]
    assert result.ok and result.failed is None and result.failures == ()
    assert result.not_done == ()
    assert result.created == {("collection", ("Fresh",)): fresh}
    assert list(result.steps) == heard
    assert {(s.number, s.total) for s in heard} == {(1, 3), (2, 3), (3, 3)}
    assert sorted(heard, key=lambda s: s.number) == heard
    assert {s.change.path: (s.outcome, s.id, s.error, s.park) for s in heard} == {
        ("Keep",): ("updated", keep["id"], None, False),
        ("Fresh",): ("created", fresh, None, False),
        ("Gone",): ("deleted", gone["id"], None, False),
    }
    assert all(s.change in plan.changes for s in heard)


def test_a_delete_of_a_collection_already_gone_is_done_not_failed(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Someone deleted it by hand between plan and apply: the goal is met (404), so apply
    goes on; any other refusal of a delete is a failure naming the delete."""
    gone = emulator.add_collection("Gone")
    refused = emulator.add_collection("Refused")
    config = write(tmp_path, "help_center: acme\ncollections: []\n")
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE" and request.url.path.endswith(f"/{gone['id']}"):
            return refuse("Resource Not Found", 404)
        if request.method == "DELETE" and request.url.path.endswith(f"/{refused['id']}"):
            return refuse("Injected refusal")
        return emulator.handle(request)

    result, _ = apply_with(plan, client_for(handler, fake_time), parallelism=1)
    outcomes = {s.change.path: (s.outcome, s.id) for s in result.steps}
    assert outcomes[("Gone",)] == ("already gone", gone["id"])
    assert outcomes[("Refused",)] == ("failed", refused["id"])
    failed = result.failed
    assert failed is not None and failed.change == change_at(plan, "delete", "Refused")
    assert isinstance(failed.error, ApiError) and failed.error.status == 400
    assert "Injected refusal" in str(failed.error)


def test_a_failed_update_reports_its_live_id_and_error_and_is_not_a_park(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The failed step names the collection it was writing (its live id) and the error, as a
    plain step: only a move through the top level is a park."""
    billing = emulator.add_collection("Billing")
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: Billing
            description: Money matters
        """,
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            return refuse("Injected failure")
        return emulator.handle(request)

    result, heard = apply_with(plan, client_for(handler, fake_time))
    (failed,) = result.failures
    assert heard == [failed]
    assert failed.error is not None and "Injected failure" in str(failed.error)
    assert failed == Step(1, 1, plan.changes[0], "failed", billing["id"], failed.error, False)
    assert result.not_done == ()  # reported as failed, not again as not done


# ---- parallelism ----------------------------------------------------------------------------


def test_one_call_at_a_time_is_allowed_and_none_is_refused(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    config = write(tmp_path, "help_center: acme\ncollections:\n  - name: A\n  - name: B\n")
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    with pytest.raises(ValueError, match=r"^parallelism must be at least 1$"):
        apply_plan(plan, client, default_locale="en", parallelism=0)
    assert emulator.collections() == []
    result, _ = apply_with(plan, client, parallelism=1)
    assert result.ok
    assert sorted(by_name(emulator)) == ["A", "B"]


def test_writes_run_on_threads_named_for_apply(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """A thread dump of a hung apply names apply's workers, not anonymous pool threads."""
    names: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            names.add(threading.current_thread().name)
        return emulator.handle(request)

    config = write(tmp_path, "help_center: acme\ncollections:\n  - name: A\n")
    client = client_for(handler, fake_time)
    result, _ = apply_with(plan_of(config, client), client)
    assert result.ok
    assert names and all(name.startswith("hcsync-apply_") for name in names)


# ---- what a stopped apply did not do ----------------------------------------------------------

TWO_WAVES = """\
    help_center: acme
    collections:
      - name: A
        collections:
          - name: a1
      - name: M2
        previously: [M]
      - name: P
        collections:
          - name: q2
            previously: [q]
    """


def test_what_a_stopped_apply_did_not_do_is_listed_in_plan_order(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The create of A fails; the renames beside it in its wave and the create under it in the
    next are not done. They are listed as the plan lists them (parents first), not in the
    order the stop reached them, so the list reads like the plan the reviewer approved."""
    p = emulator.add_collection("P")
    emulator.add_collection("q", parent_id=p["id"])
    emulator.add_collection("M")
    config = write(tmp_path, TWO_WAVES)

    def creates_fail(request: httpx.Request) -> httpx.Response:
        return refuse("Injected failure") if request.method == "POST" else emulator.handle(request)

    run = run_cli(
        httpx.MockTransport(creates_fail), "apply", config, "--parallelism", "1", time=fake_time
    )
    assert run.code == 1
    assert "apply stopped at create of A: POST" in run.err
    assert (
        "0 changes done, 4 not done:\n"
        "  create A\n"
        "  update M2\n"
        "  create A / a1\n"
        "  update P / q2\n"
        "Fix the cause and run apply again" in run.err
    )
    assert sorted(by_name(emulator)) == ["M", "P", "q"]  # nothing renamed after the stop


def test_a_failed_listing_before_creates_stops_the_wave_blaming_its_first_create(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Apply lists live collections before each wave's creates (another writer?); when that
    listing fails, nothing of the wave is sent, the first create is named, and the rest of
    the wave and every later wave (here two more) are not done."""
    emulator.add_collection("M")
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: M2
            previously: [M]
          - name: A
          - name: B
            collections:
              - name: b1
                collections:
                  - name: b2
        """,
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)

    def listing_fails(request: httpx.Request) -> httpx.Response:
        if is_listing(request):
            return refuse("Injected listing failure")
        return emulator.handle(request)

    result, heard = apply_with(plan, client_for(listing_fails, fake_time))
    (failed,) = heard
    assert "Injected listing failure" in str(failed.error)
    # a create has no live id yet; and it is a plain step, not the park of a move
    assert failed == Step(1, 5, change_at(plan, "create", "A"), "failed", None, failed.error)
    assert [c.path for c in result.not_done] == [("M2",), ("B",), ("B", "b1"), ("B", "b1", "b2")]
    assert [r for r in emulator.requests if r.method != "GET"] == []


def test_when_an_ambiguous_create_cannot_be_looked_for_its_lane_is_not_done(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The first of three siblings is answered 502 (it may have committed); the listing that
    would find it fails. That create fails with the listing's error and its two later siblings
    are not done: creating them without knowing would break the file's order."""
    config = write(
        tmp_path,
        "help_center: acme\ncollections:\n  - name: S1\n  - name: S2\n  - name: S3\n",
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    listings = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal listings
        if request.method == "POST":
            return refuse("Bad Gateway", 502)
        if is_listing(request):
            listings += 1
            if listings == 2:  # the look for the ambiguous create; the first is before the wave
                return refuse("Injected listing failure")
        return emulator.handle(request)

    result, heard = apply_with(plan, client_for(handler, fake_time))
    (failed,) = heard
    assert "Injected listing failure" in str(failed.error)
    assert failed == Step(1, 3, change_at(plan, "create", "S1"), "failed", None, failed.error)
    assert [c.path for c in result.not_done] == [("S2",), ("S3",)]
    assert emulator.collections() == []


# ---- another writer: adopt what the plan explains, stop at anything else ---------------------


def writer_before_listing(emu: Emulator, number: int, write: Callable[[], object]) -> Handler:
    """A handler on ``emu`` that runs ``write()`` just before the ``number``-th listing of
    collections is answered (the plan's own is the first; apply looks again before the
    creates of each wave)."""
    listings = 0
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal listings
        if is_listing(request) and request.url.params.get("page") in (None, "1"):
            with lock:
                listings += 1
                now = listings
            if now == number:
                write()
        return emu.handle(request)

    return handle


def with_ids(inner: Handler, new_ids: dict[str, str]) -> Handler:
    """``inner``, with the collections of ``new_ids`` listed under other ids: real
    Intercom ids are not all of one length, and "9" comes before "10"."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = inner(request)
        if not (is_listing(request) and response.is_success):
            return response
        data = response.json()
        for item in data["data"]:
            item["id"] = new_ids.get(item["id"], item["id"])
        kept = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-type", "content-encoding")
        }
        return httpx.Response(response.status_code, headers=kept, json=data)

    return handle


@pytest.mark.parametrize(("strangers", "more"), [(5, ""), (6, " and 1 more")], ids=["five", "six"])
def test_the_message_names_the_first_five_unexplained_collections_by_id(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path, strangers: int, more: str
) -> None:
    """Strangers appear since the plan: the message counts them all, names the first five in
    id order (numeric: 9 before 10), says how many more there are, and nothing is written."""
    config = write(tmp_path, "help_center: acme\ncollections:\n  - name: A\n")
    new_ids: dict[str, str] = {}

    def other_writer() -> None:
        for n in range(strangers):  # X9 listed as id 9, X10 as id 10, ...
            new_ids[emulator.add_collection(f"X{9 + n}")["id"]] = str(9 + n)

    handler = with_ids(writer_before_listing(emulator, 2, other_writer), new_ids)
    run = run_cli(httpx.MockTransport(handler), "apply", config, time=fake_time)
    assert run.code == 1
    shown = ", ".join(f"'X{n}' (id {n})" for n in range(9, 14))
    assert (
        "apply stopped at create of A: another writer is active (a second apply, or someone in"
        f" Intercom): {strangers} collections appeared since the plan that it does not create: "
        f"{shown}{more}. apply stopped; run plan again once the other writer is done"
        " (duplicates show as a cleanup)\n"
    ) in run.err
    assert "0 changes done, 1 not done:\n  create A\n" in run.err
    assert [r for r in emulator.requests if r.method != "GET"] == []


def test_one_stranger_is_one_collection_and_the_blame_falls_on_a_create_not_adopted(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The other writer made A (which the plan creates: adoptable) and Z (which it does not).
    Apply stops before adopting anything, and names B, the first create it could not
    account for, rather than A."""
    config = write(tmp_path, "help_center: acme\ncollections:\n  - name: A\n  - name: B\n")
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    made: dict[str, str] = {}

    def other_writer() -> None:
        made.update({n: emulator.add_collection(n)["id"] for n in ("A", "Z")})

    handler = writer_before_listing(emulator, 1, other_writer)  # this client's first listing
    result, heard = apply_with(plan, client_for(handler, fake_time))
    (failed,) = heard
    assert failed.change == change_at(plan, "create", "B")
    assert isinstance(failed.error, ConcurrentWriterError)
    assert str(failed.error) == (
        "another writer is active (a second apply, or someone in Intercom): 1 collection"
        f" appeared since the plan that it does not create: 'Z' (id {made['Z']}). apply"
        " stopped; run plan again once the other writer is done (duplicates show as a cleanup)"
    )
    assert [c.path for c in result.not_done] == [("A",)]
    assert result.created == {}


def test_a_parent_and_child_another_writer_made_are_both_adopted_and_aligned(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The other writer made the planned A (in its own words) and A / a1 under it. Both are
    adopted, the child matched under the adopted parent; A gets one PUT with the one field
    that differs, a1 (already as planned) none; nothing is created."""
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: A
            description: Our words
            collections:
              - name: a1
                description: Same words
        """,
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    made: dict[str, str] = {}

    def other_writer() -> None:
        made["A"] = emulator.add_collection("A", description="Their words")["id"]
        made["a1"] = emulator.add_collection("a1", parent_id=made["A"], description="Same words")[
            "id"
        ]

    handler = writer_before_listing(emulator, 1, other_writer)
    result, heard = apply_with(plan, client_for(handler, fake_time))
    assert result.ok, result.failed
    assert [(s.number, s.change.path, s.outcome, s.id) for s in heard] == [
        (1, ("A",), "adopted", made["A"]),
        (2, ("A", "a1"), "adopted", made["a1"]),
    ]
    assert result.created == {
        ("collection", ("A",)): made["A"],
        ("collection", ("A", "a1")): made["a1"],
    }
    written = [(r.method, r.path, r.body) for r in emulator.requests if r.method != "GET"]
    assert written == [("PUT", f"{COLLECTIONS}/{made['A']}", {"description": "Our words"})]
    assert plan_of(config, client).empty


def test_an_adopted_collection_that_cannot_be_aligned_fails_and_stops_its_wave(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: A
            description: Our words
          - name: B
        """,
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    made: dict[str, str] = {}

    def other_writer() -> None:
        made["A"] = emulator.add_collection("A", description="Their words")["id"]

    inner = writer_before_listing(emulator, 1, other_writer)

    def handler(request: httpx.Request) -> httpx.Response:
        return refuse("Injected failure") if request.method == "PUT" else inner(request)

    result, heard = apply_with(plan, client_for(handler, fake_time))
    (failed,) = heard
    assert failed.change == change_at(plan, "create", "A") and failed.outcome == "failed"
    assert "Injected failure" in str(failed.error)
    assert [c.path for c in result.not_done] == [("B",)]
    assert [r.method for r in emulator.requests if r.method != "GET"] == []


def test_an_ignored_collection_is_not_taken_for_another_writer(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """Collections hcsync does not manage were there when the plan was made: apply's look
    before creating must not count them as new."""
    internal = emulator.add_collection("Internal")
    emulator.add_collection("Notes", parent_id=internal["id"])
    config = write(
        tmp_path,
        "help_center: acme\nignore:\n  - Internal\ncollections:\n  - name: A\n",
    )
    run = hcsync("apply", config)
    assert run.code == 0, run.out + run.err
    assert sorted(by_name(emulator)) == ["A", "Internal", "Notes"]


def test_with_two_help_centers_the_looks_list_the_planned_one(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Every create commits and is answered 502 in a workspace of two help centers: the looks
    before and after each create choose the planned help center, as the plan did."""
    emulator.add_help_center("other", "Other Help Center")
    config = write(tmp_path, "help_center: acme\ncollections:\n  - name: A\n  - name: B\n")
    emulator.faults.commit_then_502 = 1.0
    run = run_cli(emulator.transport, "apply", config, time=fake_time)
    assert run.code == 0, run.out + run.err
    assert run.out.count("found after an ambiguous failure") == 2
    assert sorted(by_name(emulator)) == ["A", "B"]
    for name, live in by_name(emulator).items():  # each line names the id it found
        assert f"created {name} (id {live['id']}; found after an ambiguous failure)" in run.out


def test_an_adopted_collection_is_done_even_when_a_later_adoption_fails(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """A and B were both made by another writer in other words: A is adopted and aligned,
    B's alignment is refused. The report must not list A as not done (it is), nor B twice."""
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: A
            description: Our words
          - name: B
            description: Our words
          - name: C
        """,
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    made: dict[str, str] = {}

    def other_writer() -> None:
        for name in ("A", "B"):
            made[name] = emulator.add_collection(name, description="Their words")["id"]

    inner = writer_before_listing(emulator, 1, other_writer)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.url.path.endswith(f"/{made.get('B')}"):
            return refuse("Injected failure")
        return inner(request)

    result, heard = apply_with(plan, client_for(handler, fake_time))
    assert [(s.change.path, s.outcome, s.id) for s in heard] == [
        (("A",), "adopted", made["A"]),
        (("B",), "failed", None),
    ]
    assert [c.path for c in result.not_done] == [("C",)]
    assert by_name(emulator)["A"]["description"] == "Our words"


def test_an_ambiguous_create_is_not_sent_again_once_another_call_failed(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """In one wave a create is answered 502 (not committed) and a rename is refused for good.
    Once the lookup finds nothing, the create is not sent again: apply has stopped, and the
    create and its later sibling are reported not done."""
    emulator.add_collection("M")
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: M2
            previously: [M]
          - name: S1
          - name: S2
        """,
    )
    client = client_for(emulator.handle, fake_time)
    plan = plan_of(config, client)
    posted: list[str] = []
    create_sent = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posted.append(request.read().decode())
            create_sent.set()
            return refuse("Bad Gateway", 502)
        if request.method == "PUT":
            assert create_sent.wait(timeout=10)  # both calls of the wave are under way
            return refuse("Injected failure")
        return emulator.handle(request)

    result, heard = apply_with(plan, client_for(handler, fake_time))
    assert [(s.change.path, s.outcome) for s in heard] == [(("M2",), "failed")]
    assert [c.path for c in result.not_done] == [("S1",), ("S2",)]
    assert len(posted) == 1 and '"S1"' in posted[0]  # sent once, never again
