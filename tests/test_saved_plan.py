"""Saved plans end to end: ``plan --out`` then ``apply --plan``, against the emulator.

The contract: apply carries out exactly the reviewed plan, and refuses it - naming each
collection - when the YAML file or the live help center changed since it was made, unless
``--refresh`` re-plans and shows only what differs. A refusal writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import count
from pathlib import Path

import httpx
import pytest
from support import TOKEN, RunCli, write
from test_render import every_kind_plan

from hcsync.compare import plan_difference
from hcsync.emulator import Emulator
from hcsync.errors import UsageError
from hcsync.model import Text
from hcsync.plan import Change, FieldChange, Plan
from hcsync.render.difference import SAME, render_difference
from hcsync.saved import read_saved_plan
from hcsync.staleness import Staleness, stale

BASE = """\
    help_center: acme
    default_locale: en
    collections:
      - name: Getting started
        description: First steps
        translated_content:
          fr: {name: Premiers pas}
      - name: Billing
        collections:
          - name: Invoices
          - name: Refunds
      - name: Old stuff
"""


@pytest.fixture
def emulator() -> Emulator:
    """Like conftest's, with a clock that ticks a second per reading: every write bumps
    ``updated_at``, as it does in Intercom when an edit is more than a second later."""
    ticks = count(1_717_000_000)
    emu = Emulator(token=TOKEN, sleep=lambda _s: None, clock=lambda: float(next(ticks)))
    emu.add_help_center("acme", "Acme Help Center")
    return emu


def ids(emu: Emulator) -> dict[str, str]:
    """Top-level and nested collection names -> ids (names are unique in these tests)."""
    return {c["name"]: c["id"] for c in emu.collections()}


def writes(emu: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests if r.method in ("POST", "PUT", "DELETE")]


def planned(hcsync: RunCli, tmp_path: Path, text: str) -> tuple[str, str]:
    """Seed live with BASE, write ``text`` as the file and save its plan: (file, plan file)."""
    base = write(tmp_path, BASE, "base.yaml")
    assert hcsync("apply", base).code == 0
    config = write(tmp_path, text)
    out = str(tmp_path / "plan.json")
    result = hcsync("plan", config, "--out", out)
    assert result.code == 0, result.err
    return config, out


CHANGED = BASE.replace("First steps", "Start here").replace("      - name: Old stuff\n", "")


def test_saved_plan_is_applied_and_converges(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config, plan_file = planned(hcsync, tmp_path, CHANGED)
    result = hcsync("apply", "--plan", plan_file)  # FILE is optional: the plan names it
    assert result.code == 0, result.out + result.err
    assert "Applying the saved plan" in result.out
    assert "Verified" in result.out
    names = ids(emulator)
    assert "Old stuff" not in names
    assert emulator.collection(names["Getting started"])["description"] == "Start here"  # type: ignore[index]
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out


def test_the_saved_plan_is_what_is_applied_not_a_re_plan(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    # Proof that apply carries out the file's plan, not one it recomputes: a plan saved from
    # the same file and live state, with FILE given explicitly, makes exactly its writes.
    config, plan_file = planned(hcsync, tmp_path, CHANGED)
    saved = read_saved_plan(plan_file)
    before = len(writes(emulator))
    assert hcsync("apply", config, "--plan", plan_file).code == 0
    done = writes(emulator)[before:]
    assert len(done) == len(saved.changes)
    assert [w.split()[0] for w in done] == [
        {"create": "POST", "update": "PUT", "delete": "DELETE"}[c.kind] for c in saved.changes
    ]


def test_yaml_changed_after_the_plan_is_refused(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config, plan_file = planned(hcsync, tmp_path, CHANGED)
    Path(config).write_text(Path(config).read_text() + "  - name: Surprise\n", encoding="utf-8")
    before = writes(emulator)
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert f"{config} changed since the plan was made" in result.err
    assert "run plan again" in result.err
    assert writes(emulator) == before


def test_another_file_than_the_planned_one_is_refused(hcsync: RunCli, tmp_path: Path) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    other = write(tmp_path, CHANGED, "other.yaml")
    result = hcsync("apply", other, "--plan", plan_file)
    assert result.code == 1
    assert "was made from" in result.err and "other.yaml" in result.err


def test_edited_in_intercom_since_the_plan_is_refused_naming_it(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    invoices = ids(emulator)["Invoices"]
    plan = read_saved_plan(plan_file)
    was = dict(plan.live_versions)[("collection", invoices)]
    now = emulator.edit_collection(invoices, name="Bills")["updated_at"]
    before = writes(emulator)
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert (
        f"Billing / Bills (id {invoices}): edited in Intercom since the plan"
        f" (updated_at {was} -> {now})"
    ) in result.err
    assert "1 live collection changed" in result.err
    assert "--refresh" in result.err and "Nothing was applied" in result.err
    assert writes(emulator) == before  # nothing written after the refusal


def test_every_changed_collection_is_named(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    names = ids(emulator)
    emulator.edit_collection(names["Refunds"], description="edited by hand")
    emulator.edit_collection(names["Getting started"], name="Start")
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert "2 live collections changed" in result.err
    assert f"Billing / Refunds (id {names['Refunds']}): edited" in result.err
    assert f"Start (id {names['Getting started']}): edited" in result.err


def test_deleted_in_intercom_since_the_plan_is_refused(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    old = ids(emulator)["Old stuff"]
    # Deleted through the API, as a colleague's script would.
    gone = emulator.handle(
        httpx.Request(
            "DELETE",
            f"https://api.intercom.io/help_center/collections/{old}",
            headers={"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"},
        )
    )
    assert gone.status_code == 200
    before = writes(emulator)
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert f"Old stuff (id {old}): deleted in Intercom since the plan" in result.err
    assert writes(emulator) == before


def test_a_deleted_collection_the_plan_does_not_change_is_named_by_its_path(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    refunds = ids(emulator)["Refunds"]  # the plan changes Getting started and Old stuff only
    gone = emulator.handle(
        httpx.Request(
            "DELETE",
            f"https://api.intercom.io/help_center/collections/{refunds}",
            headers={"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"},
        )
    )
    assert gone.status_code == 200
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    # Its path comes from the live tree the plan recorded: no change of the plan names it.
    assert f"  Billing / Refunds (id {refunds}): deleted in Intercom since the plan\n" in (
        result.err
    )


def test_created_in_intercom_since_the_plan_is_refused(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    new = emulator.add_collection("Press", parent_id=ids(emulator)["Billing"])["id"]
    before = writes(emulator)
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert f"Billing / Press (id {new}): created in Intercom since the plan" in result.err
    assert writes(emulator) == before


def test_refresh_shows_only_the_difference_then_converges(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config, plan_file = planned(hcsync, tmp_path, CHANGED)
    names = ids(emulator)
    emulator.edit_collection(names["Invoices"], description="By hand")  # not in the plan
    emulator.add_collection("Press")  # will be deleted: the file does not list it
    result = hcsync("apply", "--plan", plan_file, "--refresh")
    assert result.code == 0, result.out + result.err
    assert "re-planned (--refresh)" in result.out
    assert f"Billing / Invoices (id {names['Invoices']}): edited" in result.out
    assert (
        f"+ not in the reviewed plan: update Billing / Invoices (id {names['Invoices']}):"
        ' description "By hand" -> ""'
    ) in result.out
    assert "+ not in the reviewed plan: delete Press" in result.out
    # Only the difference: the reviewed changes that still hold are not shown again.
    assert "Start here" not in result.out.split("Applying:")[0]
    assert "Old stuff" not in result.out.split("Applying:")[0]
    assert "Verified" in result.out
    assert "Press" not in ids(emulator) and "Invoices" in ids(emulator)
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_refresh_when_the_fresh_plan_is_the_same(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    # An edit that the plan overwrites anyway: the fresh plan does the same things.
    emulator.edit_collection(ids(emulator)["Getting started"], description="Hand-edited")
    result = hcsync("apply", "--plan", plan_file, "--refresh")
    assert result.code == 0, result.out + result.err
    assert "~ changed: update Getting started" in result.out  # its old value differs
    assert "Old stuff" not in ids(emulator)


def test_refresh_without_plan_and_no_input_are_usage_errors(hcsync: RunCli) -> None:
    assert "--refresh only goes with --plan" in hcsync("apply", "x.yaml", "--refresh").err
    assert "apply needs the YAML file" in hcsync("apply").err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such plan file"),
        ("{not json", "not a JSON plan"),
        ('{"format_version": 99}', "plan format_version 99, but this hcsync reads"),
        ('{"format_version": 3, "changes": []}', "not a valid hcsync plan"),
        ('{"format_version": 2, "changes": []}', "reads format_version 3; make the plan again"),
        ('{"format_version": 1, "changes": []}', "reads format_version 3; make the plan again"),
        ("[1]", "expected a JSON object"),
    ],
)
def test_bad_plan_files_are_clear_usage_errors(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        read_saved_plan(str(path))


def test_a_hand_edited_plan_is_refused(hcsync: RunCli, tmp_path: Path) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    data = json.loads(Path(plan_file).read_text())
    data["changes"][0]["action"] = "destroy"
    Path(plan_file).write_text(json.dumps(data))
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert "not a valid hcsync plan" in result.err


# ---- the pure parts ----------------------------------------------------------------------


def full_plan() -> Plan:
    return replace(
        every_kind_plan(),
        source_digest="ab" * 32,
        live_versions=(
            (("collection", "12"), 1700000123),
            (("collection", "30"), 1700000456),
            (("collection", "40"), None),
        ),
    )


def test_plan_round_trips_through_its_dict() -> None:
    plan = full_plan()
    assert Plan.from_dict(plan.to_dict()) == plan
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
    assert Plan.from_dict(plan.to_dict()).fingerprint() == plan.fingerprint()


def test_without_deletes_keeps_everything_else() -> None:
    plan = full_plan()
    kept = plan.without_deletes()
    assert kept.counts() == {"create": 3, "update": 2, "delete": 0}
    assert kept.live_count == plan.live_count and kept.live_versions == plan.live_versions


def test_stale_compares_updated_at_and_membership() -> None:
    plan = replace(
        full_plan(),
        live_versions=(
            (("collection", "12"), 1),
            (("collection", "30"), 2),
            (("collection", "40"), 3),
        ),
    )
    live = [
        {"id": "12", "name": "Billing", "parent_id": None, "updated_at": 1},
        {"id": "30", "name": "Refunds", "parent_id": "12", "updated_at": 9},
        {"id": "50", "name": "New", "parent_id": None, "updated_at": 4},
        {"id": "60", "name": "Theirs", "parent_id": None, "updated_at": 5},
    ]
    managed = {("collection", cid) for cid in ("12", "30", "50")}
    found = stale(plan, {"collection": live}, managed=managed)  # 60 is ignored: not ours
    assert found == [
        Staleness("edited", "30", ("Billing", "Refunds"), 2, 9, resource="collection"),
        Staleness("deleted", "40", ("Old stuff",), 3, resource="collection"),
        Staleness("created", "50", ("New",), None, 4, resource="collection"),
    ]
    assert [str(s) for s in found] == [
        "Billing / Refunds (id 30): edited in Intercom since the plan (updated_at 2 -> 9)",
        "Old stuff (id 40): deleted in Intercom since the plan",
        "New (id 50): created in Intercom since the plan",
    ]


def test_plan_difference_ignores_updated_at_and_pairs_by_kind_and_path() -> None:
    reviewed = full_plan()
    update = reviewed.changes[1]
    fresh_changes = (
        *(c for c in reviewed.changes if c.path != ("Old stuff", "B")),
        Change(
            kind="create", path=("Press",), source="help/collections.yaml:30", resource="collection"
        ),
    )
    fresh = replace(
        reviewed,
        changes=tuple(
            replace(c, updated_at=99)
            if c.kind == "delete"
            else replace(c, changes=(FieldChange("name", "Pay", "Billing"),))
            if c is update
            else c
            for c in fresh_changes
        ),
    )
    difference = plan_difference(reviewed, fresh)
    assert [c.path for c in difference.added] == [("Press",)]
    assert [c.path for c in difference.dropped] == [("Old stuff", "B")]
    assert [a.fresh.path for a in difference.altered] == [("Billing",)]
    text = render_difference(difference)
    assert "+ not in the reviewed plan: create Press" in text
    assert "- no longer planned: delete Old stuff / B (id 43)" in text
    assert 'name "Pay" -> "Billing"' in text
    assert render_difference(plan_difference(reviewed, reviewed)) == SAME


# ---- names from Intercom never reach the terminal raw ---------------------------------------

EVIL = "Evil\x1b]0;pwned\x07\x1b[2J X"  # sets the window title, then clears the screen
SHOWN = "Evil\\u001b]0;pwned\\u0007\\u001b[2J X"


def assert_no_escapes(*outputs: str) -> None:
    for text in outputs:
        assert "\x1b" not in text and "\x07" not in text


def test_a_stale_plan_message_escapes_live_names(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    invoices = ids(emulator)["Invoices"]
    emulator.edit_collection(invoices, name=EVIL)
    new = emulator.add_collection(f"New {EVIL}")["id"]
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert f"Billing / {SHOWN} (id {invoices}): edited in Intercom" in result.err
    assert f"New {SHOWN} (id {new}): created in Intercom" in result.err
    assert_no_escapes(result.out, result.err)


def test_refresh_output_escapes_live_names(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    emulator.edit_collection(ids(emulator)["Invoices"], description=f"By {EVIL}")
    emulator.add_collection(EVIL)  # not in the file: a delete the reviewed plan lacked
    result = hcsync("apply", "--plan", plan_file, "--refresh")
    assert result.code == 0, result.out + result.err
    assert f'description "By {SHOWN}" -> ""' in result.out
    assert f"+ not in the reviewed plan: delete {SHOWN}" in result.out
    assert_no_escapes(result.out, result.err)


def test_a_difference_escapes_every_name_and_text() -> None:
    evil = Change(
        kind="create",
        path=(EVIL, EVIL),
        parent_path=(EVIL,),
        description=EVIL,
        translations=(("fr", Text(EVIL, EVIL)),),
        resource="collection",
    )
    gone = Change(
        kind="delete", path=(EVIL,), id="7", subtree=((EVIL, EVIL),), resource="collection"
    )
    moved = Change(
        kind="update",
        path=("A",),
        id="8",
        changes=(FieldChange("parent", EVIL, "(top level)"), FieldChange("name", EVIL, "A")),
        resource="collection",
    )
    reviewed = Plan("acme", "101", (replace(evil, description=""), moved))
    fresh = Plan("acme", "101", (evil, gone))
    text = render_difference(plan_difference(reviewed, fresh))
    assert SHOWN in text
    assert_no_escapes(text)


# ---- a saved plan that would crash apply is refused up front --------------------------------


@pytest.mark.parametrize("where", ["path", "subtree"])
def test_a_saved_plan_with_an_empty_path_is_a_usage_error(
    hcsync: RunCli, tmp_path: Path, where: str
) -> None:
    _config, plan_file = planned(hcsync, tmp_path, CHANGED)
    data = json.loads(Path(plan_file).read_text())
    delete = next(c for c in data["changes"] if c["action"] == "delete")
    if where == "path":
        delete["path"] = []
    else:
        delete["subtree"] = [[]]
    Path(plan_file).write_text(json.dumps(data))
    with pytest.raises(UsageError, match="not a valid hcsync plan"):
        read_saved_plan(plan_file)
    result = hcsync("apply", "--plan", plan_file)
    assert result.code == 1
    assert "not a valid hcsync plan" in result.err
