"""hcsync is right whichever way the real Intercom behaves where its documentation is silent.

The main scenarios a team runs (create a tree, translate, rename, move, delete) under every
switch of the emulator's ``Behaviour``, each one a plausible behaviour of the real API
(``../shared/intercom-api.md`` lists the unknowns). Expected outcomes:

- depth checked on moves or not, unstable order of equal ``updated_at``, names read back
  HTML-escaped, ``per_page`` over the maximum clamped or refused, top-level ``parent_id`` read
  as "0", ``help_center_id`` null on top-level collections, no ``total_pages``, a null locale
  that deletes or is refused: every apply exits 0 and the next plan is empty;
- a null locale that is ignored: adding and changing translations converge, removing one
  stops with a message naming the locale Intercom kept;
- nested descriptions dropped: apply exits 1 naming the collection and the field;
- a PUT that replaces ``translated_content`` instead of merging it: the main scenarios
  converge; removing one translation loses the others, and apply names each one lost.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from support import TICK, TOKEN, FakeTime, Run, run_cli

from hcsync.emulator import Behaviour, Emulator, variants

FILLER = "".join(f"  - name: Topic {n:02}\n" for n in range(30))  # several pages of 10

CREATE = """\
help_center: acme
default_locale: en
collections:
  - name: Billing & Payments
    description: Money <and> more
    translated_content:
      fr: {name: Facturation & paiements}
    collections:
      - name: Invoices <PDF>
        collections:
          - name: Refunds
  - name: Getting started
    collections:
      - name: Install
  - name: Old
    collections:
      - name: Older
"""
TRANSLATE = CREATE.replace(
    "      fr: {name: Facturation & paiements}\n",
    "      fr: {name: Facturation et paiements}\n      de: {name: Abrechnung}\n",
)
RENAME = TRANSLATE.replace(
    "  - name: Getting started\n", "  - name: Start here\n    previously: [Getting started]\n"
)
MOVE = """\
help_center: acme
default_locale: en
collections:
  - name: Billing & Payments
    description: Money <and> more
    translated_content:
      fr: {name: Facturation et paiements}
      de: {name: Abrechnung}
    collections:
      - name: Invoices <PDF>
        collections:
          - name: Install
  - name: Start here
    collections:
      - name: Refunds
  - name: Old
    collections:
      - name: Older
"""
DELETE = MOVE[: MOVE.index("  - name: Old\n")]
UNTRANSLATE = DELETE.replace("      fr: {name: Facturation et paiements}\n", "")
SCENARIOS = [
    ("create", CREATE),
    ("translate", TRANSLATE),
    ("rename", RENAME),
    ("move", MOVE),
    ("delete", DELETE),
]


class Workspace:
    """One emulated workspace under one behaviour, and the CLI against it."""

    def __init__(self, behaviour: Behaviour, folder: Path) -> None:
        self.time = FakeTime(tick=TICK)
        # Pages of 10 so listings span several pages, unless refusing a large per_page is the
        # point: then the documented maximum, which hcsync asks for.
        small = behaviour.per_page_over_max == "clamp"
        self.emu = Emulator(
            token=TOKEN,
            clock=self.time.clock,
            sleep=self.time.sleep,
            max_per_page=10 if small else 150,
            default_per_page=10,
            behaviour=behaviour,
        )
        self.emu.faults.rate_limit = None
        self.emu.add_help_center("acme")
        self.path = folder / "collections.yaml"

    def run(self, *args: str) -> Run:
        return run_cli(self.emu.transport, *args, time=self.time)

    def apply(self, text: str) -> Run:
        self.path.write_text(text + FILLER, encoding="utf-8")
        return self.run("apply", str(self.path), "--force")

    def converged(self) -> bool:
        again = self.run("plan", str(self.path), "--detailed-exitcode")
        assert again.code in (0, 2), again.err
        return again.code == 0


STRICT_ENOUGH = [
    (name, b)
    for name, b in variants()
    if b.nested_description == "keep" and b.null_locale != "ignore"
]


@pytest.mark.parametrize(("name", "behaviour"), STRICT_ENOUGH, ids=[n for n, _ in STRICT_ENOUGH])
def test_the_main_scenarios_converge(name: str, behaviour: Behaviour, tmp_path: Path) -> None:
    space = Workspace(behaviour, tmp_path)
    for step, text in SCENARIOS:
        run = space.apply(text)
        assert run.code == 0, f"{step}: {run.out}{run.err}"
        assert space.converged(), step
    names = {c["name"] for c in space.emu.collections()}
    if not behaviour.escape_names:
        assert {"Billing & Payments", "Invoices <PDF>", "Start here"} <= names
    assert len(space.emu.collections()) == 5 + 30
    if behaviour.null_locale == "delete" and behaviour.translations_on_put == "merge":
        run = space.apply(UNTRANSLATE)
        assert run.code == 0, run.out + run.err
        assert space.converged()


def test_a_null_locale_that_is_ignored_is_named_when_a_translation_is_removed(
    tmp_path: Path,
) -> None:
    space = Workspace(replace(Behaviour(), null_locale="ignore"), tmp_path)
    for step, text in SCENARIOS:
        run = space.apply(text)
        assert run.code == 0, f"{step}: {run.out}{run.err}"
        assert space.converged(), step
    run = space.apply(UNTRANSLATE)
    assert run.code == 1
    assert "Intercom kept the fr translation of 'Billing & Payments' that apply removed" in run.err
    assert "did not converge: 1 to update" not in run.err


def test_nested_descriptions_that_are_dropped_are_named(tmp_path: Path) -> None:
    space = Workspace(replace(Behaviour(), nested_description="drop"), tmp_path)
    nested = CREATE.replace(
        "      - name: Invoices <PDF>\n",
        "      - name: Invoices <PDF>\n        description: Download them\n",
    )
    run = space.apply(nested)
    assert run.code == 1
    assert (
        "Intercom did not keep the description of 'Billing & Payments / Invoices <PDF>'"
        " (nested collections may not carry descriptions)"
    ) in run.err


def test_a_put_that_replaces_translations_is_named_when_it_loses_one(tmp_path: Path) -> None:
    space = Workspace(replace(Behaviour(), translations_on_put="replace"), tmp_path)
    for step, text in SCENARIOS:
        run = space.apply(text)
        assert run.code == 0, f"{step}: {run.out}{run.err}"
    run = space.apply(UNTRANSLATE)  # sends fr: null alone; the server drops de with it
    assert run.code == 1
    assert "Intercom lost the de translation of 'Billing & Payments'" in run.err
