"""Apply runs independent calls at once, bounded, and never repeats a create that committed.

The schedule is the contract (``order.schedule``): writes parent-first, then deletes
children-first; siblings created one after another in file order (one lane), lanes of a wave
at once. Concurrency is proved with a barrier (calls that wait for each other can only pass
if they are in flight together), never with timing.
"""

from __future__ import annotations

import _thread
import json
import os
import sys
import threading
import time as real_time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import EXAMPLE, ROOT, FakeTime, RunCli, client_for, run_cli

from hcsync.apply import ApplyResult, Step, apply_plan
from hcsync.config import load_config
from hcsync.emulator import Emulator
from hcsync.errors import TransportError
from hcsync.order import schedule
from hcsync.pipeline import plan_against_live
from hcsync.plan import Change, FieldChange, LiveEntry
from hcsync.retry import RetryPolicy

sys.path.insert(0, str(ROOT))
from benchmarks.trees import to_yaml, tree

Handler = Callable[[httpx.Request], httpx.Response]


def apply_file(
    emu: Emulator,
    path: Path,
    time: FakeTime,
    handler: Handler | None = None,
    parallelism: int = 8,
) -> tuple[ApplyResult, list[Step]]:
    config = load_config(str(path))
    client = client_for(handler or emu.handle, time)
    plan = plan_against_live(config, client).plan
    steps: list[Step] = []
    result = apply_plan(
        plan, client, default_locale="en", parallelism=parallelism, on_step=steps.append
    )
    return result, steps


def duplicates(emu: Emulator) -> list[tuple[Any, str]]:
    seen = Counter((c["parent_id"], c["name"]) for c in emu.collections())
    return [key for key, n in seen.items() if n > 1]


def converged(emu: Emulator, path: Path, time: FakeTime) -> bool:
    client = client_for(emu.handle, time)
    return plan_against_live(load_config(str(path)), client).plan.empty


def generated(tmp_path: Path, count: int) -> Path:
    path = tmp_path / f"tree-{count}.yaml"
    path.write_text(to_yaml(tree(count)), encoding="utf-8")
    return path


def test_the_schedule_is_writes_parent_first_siblings_in_lanes_then_deletes_deepest_first() -> None:
    live = (
        LiveEntry("collection", "1", None, "B"),
        LiveEntry("collection", "2", None, "y"),
        LiveEntry("collection", "3", None, "Old"),
        LiveEntry("collection", "4", "3", "k"),
        LiveEntry("collection", "5", "4", "j"),
        LiveEntry("collection", "6", None, "Gone"),
        LiveEntry("collection", "7", "6", "q"),
    )
    moved = (FieldChange("parent", "(top level)", "A"),)
    renamed = (FieldChange("name", "b", "B"),)
    changes = (
        Change("create", ("A",), resource="collection"),
        Change("create", ("C",), resource="collection"),
        Change("update", ("B",), id="1", changes=renamed, resource="collection"),
        Change("create", ("A", "x"), parent_path=("A",), resource="collection"),
        Change("create", ("A", "w"), parent_path=("A",), resource="collection"),
        Change(
            "update", ("A", "y"), id="2", parent_path=("A",), changes=moved, resource="collection"
        ),
        Change("create", ("A", "x", "z"), parent_path=("A", "x"), resource="collection"),
        Change("delete", ("Old",), id="3", resource="collection"),
        Change("delete", ("Old", "k"), id="4", resource="collection"),
        Change("delete", ("Old", "k", "j"), id="5", resource="collection"),
        Change("delete", ("Gone", "q"), id="7", resource="collection"),
        Change("delete", ("Gone",), id="6", resource="collection"),
    )
    waves = [
        [[(s.change.kind, s.change.path) for s in lane] for lane in wave]
        for wave in schedule(changes, live).waves
    ]
    assert waves == [
        [[("create", ("A",)), ("create", ("C",))], [("update", ("B",))]],
        [[("create", ("A", "x")), ("create", ("A", "w"))], [("update", ("A", "y"))]],
        [[("create", ("A", "x", "z"))]],
        [[("delete", ("Old", "k", "j"))], [("delete", ("Gone", "q"))]],
        [[("delete", ("Old", "k"))], [("delete", ("Gone",))]],
        [[("delete", ("Old",))]],
    ]


def test_calls_of_independent_lanes_are_in_flight_together(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    """The first creates under three different parents can only pass a three-party barrier
    if they run at once; siblings under one parent never do (they keep file order)."""
    barrier = threading.Barrier(3, timeout=10)
    firsts = {"Installation", "Plans and pricing", "Slack"}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and json.loads(request.content)["name"] in firsts:
            barrier.wait()  # raises BrokenBarrierError if they were not concurrent
        return emulator.handle(request)

    path = EXAMPLE
    result, _ = apply_file(emulator, path, fake_time, handler, parallelism=8)
    assert result.ok, result.failed
    assert len(emulator.collections()) == 15
    assert converged(emulator, path, fake_time)


def test_siblings_are_created_in_file_order(emulator: Emulator, fake_time: FakeTime) -> None:
    """``order`` is read-only in Intercom's API: creation order is what a reader sees."""
    result, _ = apply_file(emulator, EXAMPLE, fake_time, parallelism=8)
    assert result.ok, result.failed
    posts = [r.body["name"] for r in emulator.requests if r.method == "POST"]
    config = load_config(str(EXAMPLE))
    groups = [config.collections]
    while groups:
        siblings = groups.pop()
        names = [entry.name for entry in siblings]
        assert sorted(names, key=posts.index) == names
        groups.extend(entry.children for entry in siblings)
    live = emulator.collections()
    parents = {None, *(c["id"] for c in live)}
    for siblings in ([c for c in live if c["parent_id"] == p] for p in parents):
        ordered = sorted(siblings, key=lambda c: c["order"])
        assert [c["name"] for c in ordered] == sorted(
            (c["name"] for c in siblings), key=posts.index
        )


@pytest.mark.parametrize("parallelism", [1, 3])
def test_no_more_than_parallelism_calls_at_once(
    emulator: Emulator, tmp_path: Path, parallelism: int, fake_time: FakeTime
) -> None:
    """Counted from the start of apply: the plan before it lists the help centers beside the
    collections, two requests at once, whatever apply's parallelism."""
    in_flight = peak = 0
    lock = threading.Lock()
    applying = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight) if applying.is_set() else 0
        try:
            return emulator.handle(request)
        finally:
            with lock:
                in_flight -= 1

    path = generated(tmp_path, 60)
    client = client_for(handler, fake_time)
    plan = plan_against_live(load_config(str(path)), client).plan
    applying.set()
    steps: list[Step] = []
    result = apply_plan(
        plan, client, default_locale="en", parallelism=parallelism, on_step=steps.append
    )
    assert result.ok
    assert peak <= parallelism
    assert [s.number for s in steps] == list(range(1, 61))  # numbered as they finish
    assert {s.total for s in steps} == {60}
    assert converged(emulator, path, fake_time)


def test_a_parent_is_created_before_any_of_its_children(
    emulator: Emulator, tmp_path: Path, fake_time: FakeTime
) -> None:
    path = generated(tmp_path, 300)
    result, _ = apply_file(emulator, path, fake_time)
    assert result.ok
    created_at: dict[str, int] = {}
    for index, req in enumerate(emulator.requests):
        if req.method == "POST" and req.status == 200:
            parent = req.body.get("parent_id")
            assert (
                parent is None
                or parent in created_at.values()
                or parent in {c["id"] for c in emulator.collections()}
            )
            created_at[req.body["name"]] = index
    live = {c["id"]: c for c in emulator.collections()}
    for c in live.values():
        if c["parent_id"] is not None:
            assert created_at[live[c["parent_id"]]["name"]] < created_at[c["name"]]
    assert not duplicates(emulator)
    assert converged(emulator, path, fake_time)


def test_a_failure_lets_its_wave_finish_and_starts_nothing_after(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    # the first creates under the three second-level parents are in flight together (a
    # barrier), so the failure of one cannot stop the others from having started
    barrier = threading.Barrier(3, timeout=10)
    firsts = {b'"Installation"', b'"Plans and pricing"', b'"Slack"'}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and any(name in request.content for name in firsts):
            barrier.wait()
        if request.method == "POST" and b'"Slack"' in request.content:
            error = {"code": "parameter_invalid", "message": "Injected failure"}
            return httpx.Response(400, json={"type": "error.list", "errors": [error]})
        return emulator.handle(request)

    result, steps = apply_file(emulator, EXAMPLE, fake_time, handler)
    assert not result.ok
    assert [s.change.path for s in result.failures] == [("Integrations", "Slack")]
    created = {s.change.path for s in steps if s.outcome == "created"}
    # the other lanes of the wave were in flight: they finish; nothing after Slack starts
    assert ("Getting started", "Installation") in created
    assert ("Account and billing", "Plans and pricing") in created
    assert ("Integrations", "GitHub") not in created
    assert all(len(p) < 3 for p in created)  # no third level began
    assert ("Integrations", "GitHub") in {c.path for c in result.not_done}
    assert len(emulator.collections()) == len(created)


def commits_then_fails(emulator: Emulator, status: int, *, commit: bool) -> Handler:
    """Every name's first create answers ``status``; it commits first when ``commit``."""
    tried: set[bytes] = set()
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            with lock:
                first = request.content not in tried
                tried.add(request.content)
            if first:
                if commit:
                    emulator.handle(request)
                error = {"code": "bad_gateway", "message": "Bad Gateway"}
                return httpx.Response(status, json={"type": "error.list", "errors": [error]})
        return emulator.handle(request)

    return handler


def test_an_ambiguous_create_that_committed_is_adopted_not_repeated(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    handler = commits_then_fails(emulator, 502, commit=True)
    before = len(emulator.requests)
    result, steps = apply_file(emulator, EXAMPLE, fake_time, handler)
    assert result.ok, result.failed
    assert {s.outcome for s in steps} == {"found after an ambiguous failure"}
    assert len(emulator.collections()) == 15
    assert not duplicates(emulator)
    assert set(result.created.values()) == {c["id"] for c in emulator.collections()}
    # one listing per round of paused lanes, not one per failed create; plus the plan's own
    # and one look before each wave's creates (another writer?). Siblings are created one
    # after another, so a wave takes as many rounds as its longest lane: 4 top-level, then 3
    # under "Account and billing", then 2 under each of two.
    listings = [
        r
        for r in emulator.requests[before:]
        if r.method == "GET" and r.path.endswith("collections")
    ]
    assert len(listings) == 1 + 3 + 4 + 3 + 2
    assert converged(emulator, EXAMPLE, fake_time)


def test_an_ambiguous_create_that_did_not_commit_is_made_again(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    handler = commits_then_fails(emulator, 503, commit=False)
    result, steps = apply_file(emulator, EXAMPLE, fake_time, handler)
    assert result.ok, result.failed
    assert {s.outcome for s in steps} == {"created"}
    assert len(emulator.collections()) == 15
    assert not duplicates(emulator)
    assert converged(emulator, EXAMPLE, fake_time)


def test_a_create_that_never_resolves_fails_after_bounded_rounds(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and b'"Integrations"' in request.content:
            error = {"code": "service_unavailable", "message": "Service Unavailable"}
            return httpx.Response(503, json={"type": "error.list", "errors": [error]})
        return emulator.handle(request)

    result, _ = apply_file(emulator, EXAMPLE, fake_time, handler)
    assert [s.change.path for s in result.failures] == [("Integrations",)]
    assert "503" in str(result.failures[0].error)
    assert not duplicates(emulator)


def test_cli_parallelism_flag(hcsync: RunCli, emulator: Emulator) -> None:
    bad = hcsync("apply", str(EXAMPLE), "--parallelism", "0")
    assert bad.code != 0
    assert "at least 1" in bad.err
    assert emulator.collections() == []
    ok = hcsync("apply", str(EXAMPLE), "--parallelism", "2")
    assert ok.code == 0, ok.err
    assert "Verified" in ok.out


def test_cli_says_when_a_create_was_found_after_an_ambiguous_failure(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    transport = httpx.MockTransport(commits_then_fails(emulator, 502, commit=True))
    run = run_cli(transport, "apply", str(EXAMPLE), time=fake_time)
    assert run.code == 0, run.err
    assert "found after an ambiguous failure" in run.out
    assert not duplicates(emulator)


# ---- an exception that is not a step's failure stops the run ------------------------------


def flat(tmp_path: Path, count: int) -> Path:
    """A file of ``count`` top-level collections: one wave of ``count`` creates."""
    names = "".join(f"  - name: Collection {n:02}\n" for n in range(count))
    path = tmp_path / f"flat-{count}.yaml"
    path.write_text(f"help_center: acme\ncollections:\n{names}", encoding="utf-8")
    return path


class CallbackBroke(Exception):
    """Raised by a progress callback: a bug outside apply, not a failed step."""


@pytest.mark.parametrize("raised", [CallbackBroke, KeyboardInterrupt])
def test_an_exception_from_the_callback_stops_the_rest_of_the_wave(
    emulator: Emulator, tmp_path: Path, fake_time: FakeTime, raised: type[BaseException]
) -> None:
    config = load_config(str(flat(tmp_path, 40)))
    client = client_for(emulator.handle, fake_time)
    plan = plan_against_live(config, client).plan

    def on_step(step: Step) -> None:
        raise raised(f"step {step.number}")

    with pytest.raises(raised):
        apply_plan(plan, client, default_locale="en", parallelism=2, on_step=on_step)
    # Only the calls already in flight when the first step raised: the queue never ran.
    assert len(emulator.collections()) <= 2 + 2


def main_thread_waits_for_a_result() -> bool:
    """Whether the main thread is blocked waiting for the lanes (``wait`` or ``result``)."""
    frame = sys._current_frames().get(threading.main_thread().ident or 0)
    while frame is not None:
        if frame.f_code.co_name in ("result", "wait"):
            return True
        frame = frame.f_back
    return False


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = real_time.monotonic() + seconds
    while not condition() and real_time.monotonic() < deadline:
        real_time.sleep(0.001)


@pytest.mark.skipif(
    "MUTANT_UNDER_TEST" in os.environ,
    reason="reads the main thread's frames by function name, which mutation testing renames",
)
def test_ctrl_c_while_apply_waits_stops_the_rest_of_the_wave(
    emulator: Emulator, tmp_path: Path, fake_time: FakeTime
) -> None:
    """Ctrl-C (or a CI cancel) reaches the main thread while it waits for the workers.

    Synchronised on the main thread's state, not on time: the first POST interrupts once every
    call is queued and the main thread waits; later POSTs wait until it has taken the
    interrupt (bounded, since it only does once the result it waits for is in).
    """
    interrupted = threading.Event()
    once = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            if interrupted.is_set():
                wait_for(lambda: not main_thread_waits_for_a_result(), 2)
            else:
                wait_for(main_thread_waits_for_a_result, 30)
                with once:
                    if not interrupted.is_set():
                        interrupted.set()
                        _thread.interrupt_main()  # as if SIGINT arrived now
        return emulator.handle(request)

    config = load_config(str(flat(tmp_path, 40)))
    client = client_for(handler, fake_time)
    plan = plan_against_live(config, client).plan
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan, client, default_locale="en", parallelism=2)
    assert len(emulator.collections()) <= 2 + 2


# ---- only the client decides that a create is ambiguous -----------------------------------


def test_a_create_that_was_never_sent_fails_without_looking_for_it(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    """Connection refused: the POST never left, so there is nothing to look for or adopt."""
    attempts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        if request.method == "POST" and b'"Integrations"' in request.content:
            attempts += 1
            raise httpx.ConnectError("connection refused", request=request)
        return emulator.handle(request)

    before = len(emulator.requests)
    result, _ = apply_file(emulator, EXAMPLE, fake_time, handler)
    assert [s.change.path for s in result.failures] == [("Integrations",)]
    assert isinstance(result.failures[0].error, TransportError)
    # The client's own retries, once: no rounds of "list, then create again".
    assert attempts == RetryPolicy().attempts
    listings = [
        r
        for r in emulator.requests[before:]
        if r.method == "GET" and r.path.endswith("collections")
    ]
    assert len(listings) == 2  # the plan's own, and the look before the first creates


def null_help_center_ids(emulator: Emulator) -> Handler:
    """Intercom reports ``help_center_id: null`` for top-level collections of the default
    help center; the emulator always names it. This handler answers listings the Intercom way,
    and lets every name's first create commit and then answer 502."""
    inner = commits_then_fails(emulator, 502, commit=True)

    def handler(request: httpx.Request) -> httpx.Response:
        response = inner(request)
        if request.method != "GET" or not request.url.path.endswith("/collections"):
            return response
        body = json.loads(response.read())
        for item in body.get("data", []):
            item["help_center_id"] = None
        return httpx.Response(response.status_code, headers=response.headers, json=body)

    return handler


def test_a_committed_create_is_found_when_intercom_reports_a_null_help_center(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    result, steps = apply_file(emulator, EXAMPLE, fake_time, null_help_center_ids(emulator))
    assert result.ok, result.failed
    assert {s.outcome for s in steps} == {"found after an ambiguous failure"}
    assert len(emulator.collections()) == 15
    assert not duplicates(emulator)
