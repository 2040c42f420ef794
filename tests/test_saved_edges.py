"""Saved plans at their edges: every way a plan file can be wrong, the words of a stale-plan
refusal, "already applied" against "changed by someone else", and what a fresh plan does
differently from the reviewed one.

A mistake here either applies a plan that no longer holds, or refuses a good one with a
message that does not say why. Messages are pinned whole: they are what a user acts on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support import RunCli, write
from test_saved_plan import emulator, full_plan  # noqa: F401 (emulator: a fixture)

from hcsync.compare import plan_difference
from hcsync.emulator import Emulator
from hcsync.errors import StalePlanError, UsageError
from hcsync.plan import Change, FieldChange, LiveEntry, Plan
from hcsync.render.json import render_json
from hcsync.saved import file_digest, read_saved_plan
from hcsync.staleness import Staleness, already_applied, stale

# The emulator whose clock ticks a second per reading (every write moves ``updated_at``), and
# ``write``, are test_saved_plan's.


# -------------------------------------------------------------------- reading a plan file


def saved(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def valid() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_json(full_plan()))
    return data


def refusal(path: str) -> str:
    with pytest.raises(UsageError) as caught:
        read_saved_plan(path)
    return str(caught.value)


def test_a_valid_plan_file_reads_back_as_the_plan(tmp_path: Path) -> None:
    assert read_saved_plan(saved(tmp_path, valid())) == full_plan()


def test_a_missing_plan_file_says_how_to_make_one(tmp_path: Path) -> None:
    path = str(tmp_path / "nowhere.json")
    assert (
        refusal(path) == f"{path}: no such plan file; make one with: hcsync plan FILE --out {path}"
    )


def test_an_unreadable_plan_file_says_why(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b'\xff{"format_version": 2}')
    assert refusal(str(path)) == (
        f"{path}: cannot read the plan: 'utf-8' codec can't decode byte 0xff in position 0:"
        " invalid start byte"
    )


def test_a_plan_file_that_is_not_json_points_at_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{\n  "format_version": 2,\n  oops\n}', encoding="utf-8")
    assert refusal(str(path)) == (
        f"{path}:3:3: not a JSON plan (Expecting property name enclosed in double quotes);"
        " make one with: hcsync plan FILE --out PLAN.json"
    )


def test_json_that_is_not_an_object_is_not_a_plan(tmp_path: Path) -> None:
    path = saved(tmp_path, ["format_version", 2])
    assert refusal(path) == f"{path}: not a hcsync plan (expected a JSON object)"


@pytest.mark.parametrize(("version", "shown"), [(1, "1"), (2, "2"), (None, "None"), ("3", "'3'")])
def test_another_format_version_is_refused_naming_both(
    tmp_path: Path, version: object, shown: str
) -> None:
    data = valid()
    if version is None:
        del data["format_version"]
    else:
        data["format_version"] = version
    path = saved(tmp_path, data)
    assert refusal(path) == (
        f"{path}: plan format_version {shown}, but this hcsync reads format_version 3;"
        " make the plan again with this hcsync"
    )


@pytest.mark.parametrize(
    "where",
    [("changes", 0, "kind"), ("parked",), ("live_counts",)],
    ids=["a change", "a parked item", "the live counts"],
)
def test_a_plan_naming_a_kind_this_hcsync_does_not_manage_is_refused(
    tmp_path: Path, where: tuple[str | int, ...]
) -> None:
    data = valid()
    if where == ("parked",):
        data["parked"] = [{"kind": "widget", "id": "7"}]
    elif where == ("live_counts",):
        data["live_counts"]["widget"] = 3
    else:
        data["changes"][0]["kind"] = "widget"
    path = saved(tmp_path, data)
    assert refusal(path) == (
        f"{path}: the plan names 'widget', which this hcsync does not manage (it manages"
        " article, collection); make the plan again with this hcsync"
    )


def _edit(*edits: tuple[tuple[str | int, ...], Any]) -> dict[str, Any]:
    """A valid plan with each ``(path, value)`` set (a value of ``...`` deletes the key)."""
    data: dict[str, Any] = valid()
    for (*parents, key), value in edits:
        target: Any = data
        for part in parents:
            target = target[part]
        if value is ...:
            del target[key]
        else:
            target[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "said"),
    [
        pytest.param(
            # an id goes into a URL path: '7/../8' would reach another endpoint
            _edit((("changes", 1, "id"), "7/../8")),
            "at changes/1/id: '7/../8' is not an Intercom id (ids are digits)",
            id="an id that is not digits is named as such",
        ),
        pytest.param(
            _edit((("source_digest",), "not-hex")),
            "at source_digest: 'not-hex' does not match '^([0-9a-f]{64})?$'",
            id="another pattern keeps the schema's own words",
        ),
        pytest.param(
            _edit((("changes",), ...)),
            "at (top): 'changes' is a required property",
            id="a missing top-level field is placed at the top",
        ),
        pytest.param(
            _edit(
                (("source_digest",), "not-hex"),
                (("changes", 3, "id"), "x"),
                (("changes", 1, "id"), "y"),
            ),
            "at changes/1/id: 'y' is not an Intercom id (ids are digits) (and 2 more problems)",
            id="several problems show the first by place and count the rest",
        ),
        pytest.param(
            _edit((("changes", 3, "id"), "x"), (("changes", 1, "id"), "y")),
            "at changes/1/id: 'y' is not an Intercom id (ids are digits) (and 1 more problem)",
            id="two problems show one and count the other",
        ),
    ],
)
def test_a_plan_the_schema_refuses_is_named_at_its_first_problem(
    tmp_path: Path, data: dict[str, Any], said: str
) -> None:
    path = saved(tmp_path, data)
    assert refusal(path) == (
        f"{path}: not a valid hcsync plan: {said}; was it edited by hand? Make it again with:"
        " hcsync plan FILE --out PLAN.json"
    )


# ------------------------------------------------------------------------ the file digest


def test_the_digest_is_the_sha256_of_the_file_s_bytes(tmp_path: Path) -> None:
    path = tmp_path / "collections.yaml"
    path.write_bytes(b"help_center: acme\r\ncollections: []\n")
    expected = hashlib.sha256(b"help_center: acme\r\ncollections: []\n").hexdigest()
    assert file_digest(str(path)) == expected


def test_a_digest_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    path = str(tmp_path / "gone.yaml")
    with pytest.raises(UsageError) as caught:
        file_digest(path)
    assert str(caught.value) == f"cannot read {path}: No such file or directory"


# ------------------------------------------------------------------ the stale-plan message


def test_a_collection_with_no_known_path_is_named_by_its_id() -> None:
    assert str(Staleness("deleted", "7", None, 5, resource="collection")) == (
        "collection 7: deleted in Intercom since the plan"
    )
    assert str(Staleness("edited", "8", None, 1, 2, resource="collection")) == (
        "collection 8: edited in Intercom since the plan (updated_at 1 -> 2)"
    )


def test_a_stale_plan_names_every_change_and_both_ways_out() -> None:
    changed = [
        Staleness("edited", "12", ("Billing",), 1, 2, resource="collection"),
        Staleness("created", "50", ("New",), None, 4, resource="collection"),
    ]
    err = StalePlanError("out/plan.json", "help/collections.yaml", changed)
    assert err.plan_file == "out/plan.json"
    assert err.changed == tuple(changed)
    assert str(err) == (
        "out/plan.json is stale: 2 live collections changed since the plan was made:\n"
        "  Billing (id 12): edited in Intercom since the plan (updated_at 1 -> 2)\n"
        "  New (id 50): created in Intercom since the plan\n"
        "Nothing was applied. Make and review the plan again"
        " (hcsync plan help/collections.yaml --out out/plan.json), or run apply with"
        " --refresh to re-plan and see only what differs from the reviewed plan."
    )


def test_one_stale_collection_is_counted_in_the_singular() -> None:
    err = StalePlanError(
        "p.json", "c.yaml", [Staleness("deleted", "7", ("Old",), 3, resource="collection")]
    )
    assert str(err).startswith(
        "p.json is stale: 1 live collection changed since the plan was made:\n"
        "  Old (id 7): deleted in Intercom since the plan\nNothing was applied."
    )


def test_a_deleted_collection_is_named_by_its_path_when_the_plan_was_made() -> None:
    """Gone from Intercom, it can only be named from the plan: its path in the plan's live
    tree, else the path of the change planned for it, else its id; in id order, by value."""
    plan = replace(
        plan_of(
            Change(
                kind="delete", path=("Planned", "Path"), id="8", updated_at=1, resource="collection"
            )
        ),
        live_versions=(
            (("collection", "1"), 1),
            (("collection", "10"), 1),
            (("collection", "5"), 1),
            (("collection", "6"), 1),
            (("collection", "7"), 1),
            (("collection", "8"), 1),
        ),
        live_tree=(
            LiveEntry("collection", "1", None, "Top"),
            LiveEntry("collection", "5", "1", "Mid"),
            LiveEntry("collection", "6", "5", "Deep"),
            LiveEntry("collection", "7", "99", "Under a parent the tree lacks"),
            LiveEntry("collection", "8", "8", "Its own parent"),
        ),
    )
    live = [{"id": "1", "name": "Top", "parent_id": None, "updated_at": 1}]
    assert [str(s) for s in stale(plan, {"collection": live})] == [
        "Top / Mid (id 5): deleted in Intercom since the plan",
        "Top / Mid / Deep (id 6): deleted in Intercom since the plan",
        "collection 7: deleted in Intercom since the plan",
        "Planned / Path (id 8): deleted in Intercom since the plan",
        "collection 10: deleted in Intercom since the plan",
    ]


# --------------------------------------------------------- already applied, or changed since


def plan_of(*changes: Change) -> Plan:
    return Plan(help_center="acme", help_center_id="5", changes=changes, source="c.yaml")


UPDATE = Change(kind="update", path=("Billing",), id="12", updated_at=1, resource="collection")
DELETE = Change(kind="delete", path=("Old",), id="40", updated_at=1, resource="collection")
CREATE = Change(
    kind="create", path=("Billing", "New"), parent_path=("Billing",), resource="collection"
)


def test_the_plan_s_own_writes_are_already_applied() -> None:
    plan = plan_of(UPDATE, DELETE, CREATE)
    assert already_applied(
        plan_of(UPDATE), [Staleness("edited", "12", ("Billing",), 1, 2, resource="collection")]
    )
    assert already_applied(
        plan_of(DELETE), [Staleness("deleted", "40", ("Old",), 1, resource="collection")]
    )
    assert already_applied(
        plan_of(CREATE),
        [Staleness("created", "77", ("Billing", "New"), None, 3, resource="collection")],
    )
    assert already_applied(
        plan,
        [
            Staleness("edited", "12", ("Billing",), 1, 2, resource="collection"),
            Staleness("deleted", "40", ("Old",), 1, resource="collection"),
            Staleness("created", "77", ("Billing", "New"), None, 3, resource="collection"),
        ],
    )


def test_nothing_changed_is_not_already_applied() -> None:
    """The caller applies an unchanged plan; "already applied" would skip it."""
    assert not already_applied(plan_of(UPDATE, DELETE, CREATE), [])


@pytest.mark.parametrize(
    "other",
    [
        Staleness(
            "edited", "13", ("Other",), 1, 2, resource="collection"
        ),  # a collection the plan does not touch
        Staleness("deleted", "41", ("Other",), 1, resource="collection"),
        Staleness(
            "created", "78", ("Elsewhere",), None, 3, resource="collection"
        ),  # not where the plan creates
        Staleness(
            "edited", "99", ("Billing", "New"), 1, 2, resource="collection"
        ),  # at a created path, but edited
    ],
)
def test_any_change_the_plan_does_not_make_is_not_already_applied(other: Staleness) -> None:
    plan = plan_of(UPDATE, DELETE, CREATE)
    own = Staleness("edited", "12", ("Billing",), 1, 2, resource="collection")
    assert not already_applied(plan, [own, other])
    assert not already_applied(plan, [other])


def test_a_create_s_path_does_not_cover_an_edit_and_an_update_s_id_not_a_create() -> None:
    assert not already_applied(
        plan_of(UPDATE), [Staleness("created", "12", ("Billing",), None, 3, resource="collection")]
    )
    assert not already_applied(
        plan_of(CREATE), [Staleness("deleted", "5", ("Billing", "New"), 1, resource="collection")]
    )


BASE = """\
    help_center: acme
    default_locale: en
    collections:
      - name: Billing
        description: Money
      - name: Support
"""


def test_re_applying_a_plan_of_updates_is_nothing_to_do_until_someone_else_edits(
    hcsync: RunCli,
    emulator: Emulator,  # noqa: F811 (the fixture imported from test_saved_plan)
    tmp_path: Path,
) -> None:
    """The merge job re-run: the plan's own update moved updated_at, so the plan looks stale,
    yet it is only itself. An edit it did not make is still refused, naming it."""
    assert hcsync("apply", write(tmp_path, BASE, "base.yaml")).code == 0
    config = write(tmp_path, BASE.replace("Money", "Money matters"))
    plan_file = str(tmp_path / "plan.json")
    assert hcsync("plan", config, "--out", plan_file).code == 0
    assert hcsync("apply", "--plan", plan_file).code == 0

    again = hcsync("apply", "--plan", plan_file)
    assert again.code == 0, again.err
    assert "Nothing to do: this plan is already applied" in again.out

    support = next(c["id"] for c in emulator.collections() if c["name"] == "Support")
    emulator.edit_collection(support, name="Support")  # same content, a new updated_at
    refused = hcsync("apply", "--plan", plan_file)
    assert refused.code == 1
    assert f"{plan_file} is stale: 2 live collections changed" in refused.err
    assert f"  Support (id {support}): edited in Intercom since the plan" in refused.err


# ------------------------------------------------------- what a fresh plan does differently


def test_an_update_now_matched_to_another_collection_is_one_altered_change() -> None:
    """The collection at Billing was replaced by a twin with another id: the same update,
    to a different collection, shown as changed, not as one added and one dropped."""
    reviewed = plan_of(replace(UPDATE, changes=(FieldChange("description", "", "Money"),)))
    fresh = plan_of(replace(reviewed.changes[0], id="13"))
    difference = plan_difference(reviewed, fresh)
    assert difference.added == () and difference.dropped == ()
    assert [(a.reviewed.id, a.fresh.id) for a in difference.altered] == [("12", "13")]


def test_two_deletes_at_one_path_are_told_apart_by_id() -> None:
    twin_a = Change(kind="delete", path=("Old",), id="40", updated_at=1, resource="collection")
    twin_b = Change(kind="delete", path=("Old",), id="41", updated_at=1, resource="collection")
    difference = plan_difference(plan_of(twin_a, twin_b), plan_of(twin_b))
    assert difference.dropped == (twin_a,)
    assert difference.added == () and difference.altered == ()
    assert plan_difference(plan_of(twin_a), plan_of(twin_a, twin_b)).added == (twin_b,)
