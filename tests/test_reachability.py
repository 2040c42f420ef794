"""Any valid target tree is reachable from any valid live tree, in one apply.

A property-based test: random live trees and random target trees (up to three levels, moves,
renames, deletes, creates, pins, matches by name, some ``ignore:`` and ``protect:`` entries),
applied with ``--force`` (random trees trip the safety threshold) against the emulator, which
checks depth on every create and every move and refuses to delete a collection with children.
Either one apply exits 0 and the next plan is empty, or the plan names the subtree that makes
the target impossible and nothing is written.

``HCSYNC_REACH_EXAMPLES`` raises the number of examples (``make test-heavy``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import TICK, TOKEN, FakeTime, run_cli

from hcsync.emulator import Emulator

EXAMPLES = int(os.environ.get("HCSYNC_REACH_EXAMPLES", "500"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None,  # nothing written into the checkout
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # the one file is rewritten each example
    ],
)


@dataclass
class LiveSpec:
    name: str
    parent: int | None  # index of the parent in the live list
    depth: int


@dataclass
class Entry:
    name: str
    pin: int | None  # index of the live collection it pins
    children: list[Entry] = field(default_factory=list)


@dataclass
class Scenario:
    live: list[LiveSpec]
    target: list[Entry]
    ignore: list[int]  # live indexes ignored (with their subtrees)
    protect: list[int]


def _below(live: Sequence[LiveSpec], index: int) -> set[int]:
    out = {index}
    changed = True
    while changed:
        changed = False
        for i, spec in enumerate(live):
            if spec.parent in out and i not in out:
                out.add(i)
                changed = True
    return out


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    live: list[LiveSpec] = []
    for i in range(draw(st.integers(0, 22))):
        roots = [j for j, spec in enumerate(live) if spec.depth < 3]
        parent = draw(st.none() | st.sampled_from(roots)) if roots else None
        depth = 1 if parent is None else live[parent].depth + 1
        live.append(LiveSpec(f"l{i}", parent, depth))

    ignore: list[int] = []
    protect: list[int] = []
    if live and draw(st.booleans()):
        ignore = sorted(set(draw(st.lists(st.integers(0, len(live) - 1), max_size=2))))
    if live and draw(st.booleans()):
        protect = sorted(set(draw(st.lists(st.integers(0, len(live) - 1), max_size=2))))
    ignored: set[int] = set()
    for i in ignore:
        ignored |= _below(live, i)
    protect = [i for i in protect if i not in ignored]

    # The target: each entry pins a live collection (a move or a rename), takes a live name
    # (matched by name when its parent matches, else a create beside a delete), or is new.
    free = [i for i in range(len(live)) if i not in ignored]
    ignored_names = {live[i].name for i in ignored}
    names: set[str] = set()
    target: list[Entry] = []
    flat: list[tuple[Entry, int]] = []  # entry, depth
    for n in range(draw(st.integers(0, 22))):
        roots = [(e, d) for e, d in flat if d < 3]
        where = draw(st.none() | st.sampled_from(range(len(roots)))) if roots else None
        depth = 1 if where is None else roots[where][1] + 1
        how = draw(st.sampled_from(["pin", "pin-rename", "live-name", "new"]))
        pin: int | None = None
        name = f"n{n}"
        if how.startswith("pin") and free:
            pin = draw(st.sampled_from(free))
            free.remove(pin)
            name = live[pin].name if how == "pin" else f"r{n}"
        elif how == "live-name" and live:
            name = draw(st.sampled_from([spec.name for spec in live]))
        if name in names or name in ignored_names:
            name = f"n{n}"
        names.add(name)
        entry = Entry(name, pin)
        (target if where is None else roots[where][0].children).append(entry)
        flat.append((entry, depth))
    return Scenario(live, target, ignore, protect)


def _yaml(entries: Sequence[Entry], ids: Sequence[str]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for entry in entries:
        item: dict[str, object] = {"name": entry.name}
        if entry.pin is not None:
            item["id"] = int(ids[entry.pin])
        if entry.children:
            item["collections"] = _yaml(entry.children, ids)
        out.append(item)
    return out


def _snapshot(emu: Emulator) -> list[tuple[object, ...]]:
    return sorted((c["id"], c["parent_id"], c["name"]) for c in emu.collections())


def check(scenario: Scenario, folder: Path) -> str:
    """Apply the scenario; 'applied' (and converged) or 'impossible' (and nothing written)."""
    time = FakeTime(tick=TICK)
    emu = Emulator(token=TOKEN, clock=time.clock, sleep=time.sleep)
    emu.faults.rate_limit = None
    emu.add_help_center("acme")
    ids: list[str] = []
    for spec in scenario.live:
        parent = None if spec.parent is None else ids[spec.parent]
        ids.append(emu.add_collection(spec.name, parent_id=parent)["id"])
    config: dict[str, object] = {"help_center": "acme", "default_locale": "en"}
    if scenario.ignore:
        config["ignore"] = [ids[i] for i in scenario.ignore]
    if scenario.protect:
        config["protect"] = [ids[i] for i in scenario.protect]
    config["collections"] = _yaml(scenario.target, ids)
    path = folder / "collections.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    before = _snapshot(emu)

    applied = run_cli(emu.transport, "apply", str(path), "--force", time=time)
    if applied.code != 0 and "cannot be reached" in applied.err:
        # Impossible: only a collection the plan keeps in place (ignored, protected, or kept
        # as the parent of one) can make it so, the plan names it, and nothing was written.
        kept: set[str] = set()
        for i in scenario.ignore + scenario.protect:
            kept |= {ids[j] for j in _below(scenario.live, i)}
            parent = scenario.live[i].parent
            while parent is not None:
                kept.add(ids[parent])
                parent = scenario.live[parent].parent
        named = set(re.findall(r"\(id (\d+)\)", applied.err))
        assert named & kept, applied.err
        assert _snapshot(emu) == before
        assert not [r for r in emu.requests if r.method != "GET"]
        return "impossible"
    assert applied.code == 0, applied.out + applied.err
    again = run_cli(emu.transport, "plan", str(path), "--detailed-exitcode", time=time)
    assert again.code == 0, again.out + again.err
    return "applied"


@SETTINGS
@given(scenario=scenarios())
def test_every_target_tree_is_reached_in_one_apply(scenario: Scenario, tmp_path: Path) -> None:
    check(scenario, tmp_path)


def test_moving_a_parent_under_a_sibling_while_its_grandchild_moves_away(tmp_path: Path) -> None:
    """live S, T/U, P/Q/R; file S/P/Q, T/U/R: R must move before P can (issue's first case)."""
    live = [
        LiveSpec("S", None, 1),
        LiveSpec("T", None, 1),
        LiveSpec("U", 1, 2),
        LiveSpec("P", None, 1),
        LiveSpec("Q", 3, 2),
        LiveSpec("R", 4, 3),
    ]
    target = [
        Entry("S", 0, [Entry("P", 3, [Entry("Q", 4)])]),
        Entry("T", 1, [Entry("U", 2, [Entry("R", 5)])]),
    ]
    assert check(Scenario(live, target, [], []), tmp_path) == "applied"


# live P/Q/R, S; file S/P/Q (P moves under S, R is not in the file): the second case
PQR_S = [LiveSpec("P", None, 1), LiveSpec("Q", 0, 2), LiveSpec("R", 1, 3), LiveSpec("S", None, 1)]
S_P_Q = [Entry("S", 3, [Entry("P", 0, [Entry("Q", 1)])])]


def test_a_delete_frees_room_for_a_move(tmp_path: Path) -> None:
    """R is deleted before P moves under S."""
    assert check(Scenario(PQR_S, S_P_Q, [], []), tmp_path) == "applied"


def test_a_protected_grandchild_that_makes_the_target_too_deep_is_named(tmp_path: Path) -> None:
    assert check(Scenario(PQR_S, S_P_Q, [], [2]), tmp_path) == "impossible"


def test_no_delete_that_keeps_a_subtree_too_deep_is_refused_before_any_write(
    tmp_path: Path,
) -> None:
    """live P/Q/R, S; file S/P/Q: R must go for P to move; --no-delete keeps it."""
    time = FakeTime(tick=TICK)
    emu = Emulator(token=TOKEN, clock=time.clock, sleep=time.sleep)
    emu.add_help_center("acme")
    p = emu.add_collection("P")["id"]
    q = emu.add_collection("Q", parent_id=p)["id"]
    r = emu.add_collection("R", parent_id=q)["id"]
    emu.add_collection("S")
    path = tmp_path / "collections.yaml"
    path.write_text(
        "help_center: acme\ncollections:\n  - name: S\n    collections:\n"
        f"      - name: P\n        id: {p}\n        collections:\n"
        f"          - name: Q\n            id: {q}\n",
        encoding="utf-8",
    )
    before = _snapshot(emu)
    run = run_cli(emu.transport, "apply", str(path), "--no-delete", time=time)
    assert run.code == 1
    assert f"'S / P / Q / R' (id {r}) would end up 4 levels deep" in run.err
    assert "a delete is skipped" in run.err
    assert _snapshot(emu) == before
    assert not [req for req in emu.requests if req.method != "GET"]
