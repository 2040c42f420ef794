"""Matching and apply scenarios at the edges: a create answered ambiguously beside a
namesake that existed before the plan, a pinned collection moved under a parent the same plan
creates, namesakes of a created parent's children, ``previously`` names tried in order, and
the bound on create rounds when an ambiguous create never settles.

Each runs the real CLI against the emulator and asserts on live state afterwards, on the plan
(as JSON, the same ``to_dict()`` people review) and on the next plan being empty.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from support import FakeTime, RunCli, run_cli, write, writes

from hcsync.apply import MAX_CREATE_ROUNDS
from hcsync.emulator import Emulator


def live_paths(emu: Emulator) -> dict[tuple[str, ...], str]:
    """Every live collection's path of names -> its id (asserts no path is there twice)."""
    live = {c["id"]: c for c in emu.collections()}

    def path(cid: str) -> tuple[str, ...]:
        item = live[cid]
        parent = item["parent_id"]
        return (*(path(parent) if parent else ()), item["name"])

    paths = [path(cid) for cid in live]
    twice = [p for p, n in Counter(paths).items() if n > 1]
    assert not twice, f"duplicated collections: {twice}"
    return {path(cid): cid for cid in live}


def plan_json(hcsync: RunCli, config: str) -> list[dict[str, Any]]:
    """The planned changes, as ``plan --format json`` lists them."""
    run = hcsync("plan", config, "--format", "json")
    assert run.code == 0, run.out + run.err
    changes: list[dict[str, Any]] = json.loads(run.out)["changes"]
    return changes


def summary(changes: list[dict[str, Any]]) -> set[tuple[str, str, str | None]]:
    """Each change as (action, path shown "A / B", live id or None for a create)."""
    return {(c["action"], " / ".join(c["path"]), c.get("id")) for c in changes}


def assert_converged(hcsync: RunCli, config: str) -> None:
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes" in again.out


def posts(emu: Emulator) -> list[str]:
    """The name each create request asked for, in the order they were sent."""
    return [r.body["name"] for r in writes(emu) if r.method == "POST"]


# ---- 1. an ambiguous create beside a namesake that existed before the plan ---------------


def test_an_ambiguous_create_never_adopts_a_namesake_the_plan_moves_away(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """The old "Setup" is pinned and moved into a new "Archive"; a new "Setup" (with a child)
    takes its place at the top level. Every create commits and is answered 502, so apply
    looks for each one before creating it again.

    When the new "Setup" is looked for, the old one is still at the top level under that
    name (its move waits for "Archive" to exist), and it has the lower id. It existed when
    the plan was made, so it can never be what this apply just created. Adopting it would
    claim the wrong collection: the one that did commit would then look like a stranger, and
    apply would stop at the next wave blaming "another writer", half done (and were it to go
    on, the new child would land in the old collection, as Archive / Setup / Steps).
    """
    old = emulator.add_collection("Setup", description="The old setup notes")
    config = write(
        tmp_path,
        f"""\
        help_center: acme
        collections:
          - name: Setup
            description: The new setup guide
            collections:
              - name: Steps
          - name: Archive
            collections:
              - name: Setup
                id: '{old["id"]}'
                description: The old setup notes
        """,
    )
    assert summary(plan_json(hcsync, config)) == {
        ("create", "Setup", None),
        ("create", "Archive", None),
        ("create", "Setup / Steps", None),
        ("update", "Archive / Setup", old["id"]),
    }
    emulator.faults.commit_then_502 = 1.0  # every create commits, then answers 502

    run = hcsync("apply", config)

    assert run.code == 0, run.out + run.err
    assert run.out.count("found after an ambiguous failure") == 3
    live = live_paths(emulator)  # no duplicates
    assert set(live) == {("Setup",), ("Setup", "Steps"), ("Archive",), ("Archive", "Setup")}
    assert live[("Archive", "Setup")] == old["id"]  # moved, not recreated
    assert live[("Setup",)] != old["id"]
    assert posts(emulator) == ["Setup", "Archive", "Steps"]  # each create sent once
    emulator.faults.commit_then_502 = 0.0
    assert_converged(hcsync, config)


# ---- 2. a pinned collection moved under a parent the plan creates -----------------------


def test_a_pinned_top_level_collection_moves_under_a_parent_the_plan_creates(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """A pinned "Billing" goes into a new "Money". Before the plan, Billing is at the top
    level, and a parent this plan creates has no id yet either: comparing parent ids alone
    (None == None) would see no move. The plan would only create Money, the reviewer would
    never see the move, and apply would fail its own check afterwards ("did not converge"),
    the move showing up only in the plan after.
    """
    billing = emulator.add_collection("Billing", description="Paying us")
    invoices = emulator.add_collection("Invoices", parent_id=billing["id"])
    config = write(
        tmp_path,
        f"""\
        help_center: acme
        collections:
          - name: Money
            collections:
              - name: Billing
                id: '{billing["id"]}'
                description: Paying us
                collections:
                  - name: Invoices
        """,
    )
    changes = plan_json(hcsync, config)
    assert summary(changes) == {
        ("create", "Money", None),
        ("update", "Money / Billing", billing["id"]),
    }
    move = next(c for c in changes if c["action"] == "update")
    assert move["changes"] == [{"field": "parent", "old": "(top level)", "new": "Money"}]
    assert move["parent_path"] == ["Money"] and move["parent_id"] is None

    run = hcsync("apply", config)

    assert run.code == 0, run.out + run.err
    live = live_paths(emulator)
    assert set(live) == {("Money",), ("Money", "Billing"), ("Money", "Billing", "Invoices")}
    assert live[("Money", "Billing")] == billing["id"]
    assert live[("Money", "Billing", "Invoices")] == invoices["id"]  # came along
    # Order is the contract: the parent is created before the move names its new id.
    sent = [(r.method, r.body.get("parent_id")) for r in writes(emulator)]
    assert sent == [("POST", None), ("PUT", live[("Money",)])]
    assert_converged(hcsync, config)


# ---- 3. a created parent's children match by pin only -----------------------------------


def test_children_of_a_created_parent_match_only_by_pin_never_by_a_namesake_elsewhere(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """The file gathers a new "Guides" holding "Install" (no pin) and "FAQ" (pinned); the old
    top-level "Install" is no longer in the file.

    A parent this plan creates has no live children, so its "Install" is new: the top-level
    "Install" is deleted, not quietly moved into Guides because it happens to share a name
    (a name match is only ever under the parent the desired parent matched). The pinned
    "FAQ" is the exception the pin asks for: one move, same id.
    """
    install = emulator.add_collection(
        "Install",
        description="Old install notes",
        translated_content={"fr": {"name": "Installer", "description": "Anciennes notes"}},
    )
    faq = emulator.add_collection("FAQ", description="Questions")
    config = write(
        tmp_path,
        f"""\
        help_center: acme
        collections:
          - name: Guides
            collections:
              - name: Install
                description: Old install notes
                translated_content:
                  fr: {{name: Installer, description: Anciennes notes}}
              - name: FAQ
                id: '{faq["id"]}'
                description: Questions
        """,
    )
    assert summary(plan_json(hcsync, config)) == {
        ("create", "Guides", None),
        ("create", "Guides / Install", None),
        ("update", "Guides / FAQ", faq["id"]),
        ("delete", "Install", install["id"]),
    }

    run = hcsync("apply", config)

    assert run.code == 0, run.out + run.err
    live = live_paths(emulator)
    assert set(live) == {("Guides",), ("Guides", "Install"), ("Guides", "FAQ")}
    assert live[("Guides", "FAQ")] == faq["id"]
    assert emulator.collection(install["id"]) is None
    assert [r.method for r in writes(emulator)].count("PUT") == 1  # the FAQ's move only
    assert_converged(hcsync, config)


# ---- 4. previously, in the order given ---------------------------------------------------


def test_previously_names_are_tried_in_the_order_given(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """Both "Billing" and "Money" are live, and "Payments" lists previously: [Billing,
    Money]. The first name listed wins: Billing (with its Invoices) is renamed, and Money,
    matched by nothing, is deleted. Money has the lower id, so neither "lowest id" nor the
    list read backwards would keep the right one; either would delete Billing and Invoices
    and create Invoices again, losing its id.
    """
    money = emulator.add_collection("Money", description="Older")
    billing = emulator.add_collection("Billing", description="Newer")
    invoices = emulator.add_collection("Invoices", parent_id=billing["id"])
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: Payments
            previously: [Billing, Money]
            description: Newer
            collections:
              - name: Invoices
        """,
    )
    assert summary(plan_json(hcsync, config)) == {
        ("update", "Payments", billing["id"]),
        ("delete", "Money", money["id"]),
    }

    run = hcsync("apply", config)

    assert run.code == 0, run.out + run.err
    assert live_paths(emulator) == {
        ("Payments",): billing["id"],
        ("Payments", "Invoices"): invoices["id"],
    }
    assert_converged(hcsync, config)


# ---- 5. the bound on create rounds --------------------------------------------------------


def test_a_create_that_never_settles_stops_after_the_bounded_number_of_rounds(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Every create is answered 502 *without* committing (the emulator's ``error_rate``,
    switched on for POSTs only), so each lookup finds nothing and the create is sent again.

    Apply gives up after exactly MAX_CREATE_ROUNDS attempts, six, the number the
    one-in-a-million reasoning in ``apply`` rests on, with an error naming the create and
    the server's answer. Without the bound it would loop for ever; stopping after one would
    fail a create that a flaky network would have let through on the next try. Once the
    server recovers, a plain rerun creates the collection once.
    """
    config = write(
        tmp_path,
        """\
        help_center: acme
        collections:
          - name: Doomed
            collections:
              - name: Never reached
        """,
    )
    lock = threading.Lock()
    sent = 0

    def posts_fail(request: httpx.Request) -> httpx.Response:
        nonlocal sent
        with lock:  # the switch and the request it is for, together
            sent += request.method == "POST"
            # Past 50 creates the server recovers, so an apply without its bound ends (and
            # this test fails) instead of hanging the run.
            emulator.faults.error_rate = 1.0 if request.method == "POST" and sent <= 50 else 0.0
            try:
                return emulator.handle(request)
            finally:
                emulator.faults.error_rate = 0.0

    run = run_cli(httpx.MockTransport(posts_fail), "apply", config, time=fake_time)

    assert run.code == 1
    assert "apply stopped at create of Doomed" in run.err
    assert re.search(r"POST \S+ -> 50[023]", run.err)  # the last answer, named
    assert "sent 6 times" in run.err and "'Doomed' was not there when looked for" in run.err
    assert "0 changes done, 2 not done" in run.err
    assert posts(emulator) == ["Doomed"] * MAX_CREATE_ROUNDS
    assert MAX_CREATE_ROUNDS == 6  # pinned: a change to the bound must be deliberate
    assert emulator.collections() == []

    rerun = run_cli(emulator.transport, "apply", config, time=fake_time)
    assert rerun.code == 0, rerun.out + rerun.err
    assert set(live_paths(emulator)) == {("Doomed",), ("Doomed", "Never reached")}
