"""Safe beside a second writer: Intercom has no lock, so safety comes from looking again,
adopting, stopping, and a plan that cleans up what two writers left behind."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import httpx
from support import EXAMPLE, TOKEN, FakeTime, RunCli, run_cli

from hcsync.emulator import Emulator

Handler = httpx.MockTransport


def tree(emu: Emulator) -> Counter[tuple[str, ...]]:
    """Every live collection as its path of names, counted: a duplicate counts 2."""
    live = {c["id"]: c for c in emu.collections()}

    def path(cid: str) -> tuple[str, ...]:
        item = live[cid]
        parent = item["parent_id"]
        return (*(path(parent) if parent else ()), item["name"])

    return Counter(path(cid) for cid in live)


def example_tree(tmp_path: Path) -> Counter[tuple[str, ...]]:
    emu = Emulator(token=TOKEN)
    emu.add_help_center("acme")
    assert run_cli(emu.transport, "apply", str(EXAMPLE)).code == 0
    return tree(emu)


def writer_at_second_listing(emu: Emulator, write: object) -> Handler:
    """A transport on ``emu`` that runs ``write()`` just before the second listing of
    collections is answered: after the plan's own listing, at apply's look before creating."""
    listings = 0
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal listings
        if request.method == "GET" and request.url.path == "/help_center/collections":
            with lock:
                listings += 1
                now = listings
            if now == 2 and request.url.params.get("page") in (None, "1"):
                write()  # type: ignore[operator]
        return emu.handle(request)

    return httpx.MockTransport(handle)


def test_collections_another_writer_made_since_the_plan_are_adopted_not_duplicated(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    def other_writer() -> None:
        emulator.add_collection("Getting started")
        emulator.add_collection("Integrations")

    transport = writer_at_second_listing(emulator, other_writer)
    run = run_cli(transport, "apply", str(EXAMPLE), time=fake_time)
    assert run.code == 0, run.out + run.err
    assert "adopted Getting started" in run.out
    assert "created by another writer since the plan" in run.out
    assert max(tree(emulator).values()) == 1  # no duplicates
    assert len(emulator.collections()) == 15


def test_a_collection_no_planned_create_explains_stops_apply(
    hcsync: RunCli, emulator: Emulator, fake_time: FakeTime
) -> None:
    def other_writer() -> None:
        emulator.add_collection("Getting started")  # one apply would adopt...
        emulator.add_collection("Drafts")  # ...but this says someone else is at work

    transport = writer_at_second_listing(emulator, other_writer)
    run = run_cli(transport, "apply", str(EXAMPLE), time=fake_time)
    assert run.code == 1
    assert "another writer is active (a second apply, or someone in Intercom)" in run.err
    assert "'Drafts' (id " in run.err
    assert "adopted" not in run.out  # decided before any write: nothing adopted, nothing sent
    assert sorted(c["name"] for c in emulator.collections()) == ["Drafts", "Getting started"]
    assert not [r for r in emulator.requests if r.method in ("PUT", "POST", "DELETE")]
    assert "0 changes done, 15 not done" in run.err
    # Once the other writer is done, a plain apply goes on (Drafts is not in the file: the
    # plan deletes it, as it would any collection the file does not have).
    again = hcsync("apply", str(EXAMPLE))
    assert again.code == 0, again.err
    assert len(emulator.collections()) == 15
    assert max(tree(emulator).values()) == 1


def test_the_plan_shows_empty_duplicates_as_a_cleanup_that_needs_no_force(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    assert hcsync("apply", str(EXAMPLE)).code == 0
    # What two applies at once leave: empty copies beside the real collections, ten of them,
    # past the 30% threshold of 15 existing collections if they counted.
    for name in ("Getting started", "Account and billing", "Integrations", "Troubleshooting"):
        twin = next(c for c in emulator.collections() if c["name"] == name)
        for _ in range(3 if name != "Troubleshooting" else 1):
            emulator.add_collection(
                name,
                description=twin["description"],
                translated_content={
                    loc: text
                    for loc, text in twin["translated_content"].items()
                    if loc not in ("type", "en") and text is not None
                },
            )
    plan = hcsync("plan", str(EXAMPLE))
    assert "a cleanup, not counted by the safety threshold" in plan.out
    assert "safety threshold);" not in plan.out  # no threshold warning
    run = hcsync("apply", str(EXAMPLE))
    assert run.code == 0, run.err
    assert max(tree(emulator).values()) == 1


def test_a_duplicate_that_differs_is_not_a_cleanup(hcsync: RunCli, emulator: Emulator) -> None:
    assert hcsync("apply", str(EXAMPLE)).code == 0
    emulator.add_collection("Troubleshooting", description="someone else's words")
    plan = hcsync("plan", str(EXAMPLE))
    assert "- delete  Troubleshooting" in plan.out
    assert "cleanup" not in plan.out


def test_two_applies_at_once_leave_the_exact_tree_after_at_most_one_more_plain_apply(
    tmp_path: Path,
) -> None:
    expected = example_tree(tmp_path)
    for trial in range(10):
        emu = Emulator(token=TOKEN, seed=trial)
        emu.faults.rate_limit = None
        emu.faults.latency = 0.002  # real time: the two applies overlap
        emu.add_help_center("acme")
        start = threading.Barrier(2, timeout=10)
        codes: list[int] = []

        def one_apply(
            emu: Emulator = emu, start: threading.Barrier = start, codes: list[int] = codes
        ) -> None:
            start.wait()
            codes.append(run_cli(emu.transport, "apply", str(EXAMPLE)).code)

        threads = [threading.Thread(target=one_apply) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(codes) == 2
        if tree(emu) != expected:
            again = run_cli(emu.transport, "apply", str(EXAMPLE))  # no --force
            assert again.code == 0, f"trial {trial}: {again.out}{again.err}"
        assert tree(emu) == expected, f"trial {trial}"
