"""Sibling order survives apply: created in file order, and a differing live order is a note.

``order`` is read-only in Intercom's API 2.10, so the only control is the order of creation.
"""

from __future__ import annotations

import re
from pathlib import Path

from support import TICK, TOKEN, FakeTime, RunCli, run_cli

from hcsync.emulator import Emulator

TREE = """\
help_center: acme
collections:
  - name: Zeta
    collections:
      - name: Second
      - name: First
      - name: Third
  - name: Alpha
  - name: Mu
    collections:
      - name: One
      - name: Two
"""


def listed(emu: Emulator, parent: str | None) -> list[str]:
    siblings = [c for c in emu.collections() if c["parent_id"] == parent]
    return [c["name"] for c in sorted(siblings, key=lambda c: int(c["order"]))]


def test_a_restore_from_an_export_comes_back_in_the_same_order(tmp_path: Path) -> None:
    for _ in range(3):  # concurrency must never shuffle it: the same order every run
        time = FakeTime(tick=TICK)
        source = Emulator(token=TOKEN, clock=time.clock, sleep=time.sleep)
        source.add_help_center("acme")
        path = tmp_path / "tree.yaml"
        path.write_text(TREE, encoding="utf-8")
        assert run_cli(source.transport, "apply", str(path), time=time).code == 0
        exported = tmp_path / "exported.yaml"
        assert run_cli(source.transport, "export", "--out", str(exported), time=time).code == 0
        unpinned = tmp_path / "restore.yaml"
        unpinned.write_text(re.sub(r"\n *id: .*", "", exported.read_text()), encoding="utf-8")

        target = Emulator(token=TOKEN, clock=time.clock, sleep=time.sleep)
        target.add_help_center("acme")
        run = run_cli(target.transport, "apply", str(unpinned), "--parallelism", "8", time=time)
        assert run.code == 0, run.err
        assert listed(target, None) == ["Zeta", "Alpha", "Mu"]
        zeta = next(c["id"] for c in target.collections() if c["name"] == "Zeta")
        assert listed(target, zeta) == ["Second", "First", "Third"]


def test_a_live_order_that_differs_from_the_file_is_a_note_not_a_change(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.add_collection("B")
    emulator.add_collection("A")
    path = tmp_path / "ab.yaml"
    path.write_text("help_center: acme\ncollections:\n  - name: A\n  - name: B\n")
    plan = hcsync("plan", str(path), "--detailed-exitcode")
    assert plan.code == 0, plan.out  # not a change: the drift job stays green
    assert "at the top level, Intercom lists 'B', 'A' in another order than the file" in plan.out
    assert "cannot reorder existing collections" in plan.out
    path.write_text("help_center: acme\ncollections:\n  - name: B\n  - name: A\n")
    again = hcsync("plan", str(path))
    assert "another order" not in again.out
