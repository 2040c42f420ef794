"""build_plan at its edges: the exact words of its warnings and refusals, what the plan records
besides its changes, and the corners of comparing, moving and deleting.

Messages are part of the product: each test pins the sentence a user reads, since a warning
that names the wrong collection or the wrong pattern sends them to fix the wrong thing. The
builders of tests/test_diff.py make desired and live state; ownership rules (``ignore:``,
``protect:``) come from a small YAML text so entries have real lines.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_diff import col, config, only, plan_of, summary

from hcsync.config import load_config_text
from hcsync.diff import build_plan, field_changes
from hcsync.errors import ConfigError, ImpossiblePlanError, UsageError
from hcsync.kinds.collection import COLLECTION, MAX_ORDER_NOTES
from hcsync.model import Node, Text
from hcsync.plan import FieldChange, LiveEntry, Plan


def yaml_plan(text: str, live: list[dict[str, Any]], **kw: Any) -> Plan:
    """The plan of a YAML file named hc.yaml against ``live``."""
    cfg = load_config_text(text, "hc.yaml")
    return build_plan(cfg, {"collection": live}, help_center="acme", help_center_id="5", **kw)


def refusal(text: str, live: list[dict[str, Any]]) -> list[str]:
    """The problems of the ConfigError a plan of ``text`` raises, as printed."""
    with pytest.raises(ConfigError) as caught:
        yaml_plan(text, live)
    return [str(p) for p in caught.value.problems]


# ------------------------------------------------------------------------- default locale


def test_a_wrong_default_locale_names_each_one_found_and_the_fix() -> None:
    """The user sees every locale Intercom reports that differs from the file, sorted, and is
    told the one line to change (the first of them), naming their file."""
    live = [col(1, "Abrechnung", default_locale="de")]
    with pytest.raises(UsageError) as caught:
        plan_of(config({"name": "Billing"}), live, default_locale="fr")
    assert str(caught.value) == (
        "hc.yaml: the help center's default locale is de, fr but hc.yaml says default_locale: en;"
        " translations would be compared against the wrong locale."
        " Set default_locale: de in hc.yaml."
    )


def test_a_wrong_default_locale_is_reported_at_the_files_default_locale_line() -> None:
    """Read from a file, the mismatch points at the ``default_locale:`` line to change."""
    text = "help_center: acme\n\ndefault_locale: en\ncollections:\n  - name: Billing\n"
    cfg = load_config_text(text, "hc.yaml")
    with pytest.raises(UsageError) as caught:
        plan_of(cfg, [col(1, "Billing", default_locale="de")])
    assert str(caught.value).startswith("hc.yaml:3: the help center's default locale is de ")


def test_a_default_locale_from_the_caller_that_agrees_is_no_error() -> None:
    """Told the help center's locale is the file's, or told nothing, the plan goes ahead."""
    live = [col(1, "Billing", default_locale=None)]
    for told in ("en", None, ""):
        assert plan_of(config({"name": "Billing"}), live, default_locale=told).empty


# ---------------------------------------------------------------------------- order notes


def order_note(where: str, names: str) -> str:
    return (
        f"{where}, Intercom lists {names} in another order than the file; Intercom's API cannot"
        " reorder existing collections (order is read-only): reorder them in Intercom's"
        " editor, or in the file (not a change)"
    )


def test_siblings_listed_in_another_order_get_one_note_per_parent() -> None:
    """Intercom's order (by ``order``, ties by id) differs from the file's, at the top level
    and under a parent: one note each, naming the names in Intercom's order. A parent the
    plan creates, earlier in the file, gets none and hides none."""
    cfg = config(
        {"name": "Fresh", "children": [{"name": "z"}, {"name": "y"}]},  # created: no note
        {"name": "Second"},
        {"name": "First", "children": [{"name": "Y"}, {"name": "X"}]},
    )
    live = [
        col(2, "Second", order=5),
        col(9, "First", order=1),
        col(3, "X", 9, order=0),
        col(4, "Y", 9, order=0),  # a tie with X: the lower id comes first
    ]
    plan = plan_of(cfg, live)
    assert [c.kind for c in plan.changes] == ["create"] * 3
    assert plan.warnings == (
        order_note("at the top level", "'First', 'Second'"),
        order_note("under First", "'X', 'Y'"),
    )


def test_siblings_in_the_files_order_get_no_note() -> None:
    """Ties in ``order`` are broken by id, numerically: 9 before 10, as the file says."""
    cfg = config({"name": "Nine", "children": [{"name": "a"}, {"name": "b"}]}, {"name": "Ten"})
    live = [col(10, "Ten"), col(9, "Nine"), col(11, "a", 9, order=1), col(12, "b", 9, order=2)]
    plan = plan_of(cfg, live)
    assert plan.empty
    assert plan.warnings == ()


def test_no_order_note_for_collections_this_plan_creates_or_moves() -> None:
    """Under a parent the plan creates everything is created in file order; a collection
    moved in from elsewhere, or one with no ``order``, is not compared either."""
    cfg = config(
        {"name": "New", "children": [{"name": "B"}, {"name": "A"}]},
        {"name": "Home", "children": [{"name": "Moved", "id": "7"}, {"name": "Stays"}]},
        {"name": "Loose", "children": [{"name": "P"}, {"name": "Q"}]},
    )
    live = [
        col(5, "Home", order=2),
        col(6, "Elsewhere", order=1),
        col(7, "Moved", 6, order=9),
        col(8, "Stays", 5, order=1),
        col(20, "Loose", order=3),
        col(21, "P", 20, order=None),
        col(22, "Q", 20, order=1),
    ]
    plan = plan_of(cfg, live)
    assert all("another order" not in w for w in plan.warnings), plan.warnings


def test_order_notes_stop_after_five_parents_with_a_count_of_the_rest() -> None:
    """A help center whose every parent is listed differently does not drown the plan."""
    parents = 8
    cfg = config(
        *({"name": f"P{i}", "children": [{"name": "b"}, {"name": "a"}]} for i in range(parents))
    )
    live: list[dict[str, Any]] = []
    for i in range(parents):
        base = 100 * (i + 1)
        live += [col(base, f"P{i}"), col(base + 1, "a", base), col(base + 2, "b", base)]
    plan = plan_of(cfg, live)
    assert MAX_ORDER_NOTES == 5
    assert plan.warnings == (
        *(order_note(f"under P{i}", "'a', 'b'") for i in range(5)),
        "... and 3 more parents whose order differs",
    )


def test_exactly_five_order_notes_are_all_shown() -> None:
    cfg = config(*({"name": f"P{i}", "children": [{"name": "b"}, {"name": "a"}]} for i in range(5)))
    live: list[dict[str, Any]] = []
    for i in range(5):
        base = 100 * (i + 1)
        live += [col(base, f"P{i}"), col(base + 1, "a", base), col(base + 2, "b", base)]
    warnings = plan_of(cfg, live).warnings
    assert len(warnings) == 5
    assert not any("more parents" in w for w in warnings)


# ---------------------------------------------------------------------------------- ignore

CHAIN = [col(1, "A"), col(2, "B", 1), col(3, "C", 2), col(4, "D", 2)]


def test_the_ignore_warning_counts_in_the_singular_and_names_each_entry_once() -> None:
    """One collection: 'collection', not 'collections'; several entries, named once each in
    the order of the lowest id they cover."""
    one = yaml_plan("ignore: [D]\ncollections: [{name: A, collections: [{name: B}]}]\n", CHAIN)
    assert one.warnings[0] == "1 live collection ignored (ignore: D)"
    live = [*CHAIN, col(5, "E", 4), col(6, "F")]
    many = yaml_plan(
        "ignore: [F, D, C]\ncollections: [{name: A, collections: [{name: B}]}]\n", live
    )
    assert many.warnings == ("4 live collections ignored (ignore: C, D, F)",)
    assert many.empty
    by_number = yaml_plan(
        "ignore: [Ten, Nine]\ncollections: []\n", [col(10, "Ten"), col(9, "Nine")]
    )
    assert by_number.warnings == ("2 live collections ignored (ignore: Nine, Ten)",)


def test_an_ignored_subtree_is_left_out_of_counts_and_versions_but_not_the_tree() -> None:
    """Ignored collections are never planned or counted, yet the live tree the apply order
    checks still holds them (they count for depth and keep their parent)."""
    live = [col(10, "Keep", updated_at=7), col(9, "Skip"), col(11, "Under", 9)]
    plan = yaml_plan("ignore: [Skip]\ncollections: [{name: Keep}]\n", live)
    assert plan.empty
    assert plan.live_count == 1
    assert plan.live_versions == ((("collection", "10"), 7),)
    assert set(plan.live_tree) == {
        LiveEntry("collection", "10", None, "Keep"),
        LiveEntry("collection", "9", None, "Skip"),
        LiveEntry("collection", "11", "9", "Under"),
    }


def test_an_ignored_collection_deep_below_a_match_covers_only_its_own_subtree() -> None:
    """``ignore: [B]`` covers B and everything below it, not its parent or siblings."""
    live = [*CHAIN, col(5, "E", 3), col(6, "Other", 1)]
    plan = yaml_plan("ignore: [B]\ncollections: [{name: A}]\n", live)
    assert summary(plan) == [("delete", ("A", "Other"))]
    assert plan.warnings == ("4 live collections ignored (ignore: B)",)


def test_an_ignored_collection_keeps_the_unlisted_parents_above_it() -> None:
    """The user is told which parents stay and why, 'them' for several, and what to do."""
    plan = yaml_plan("ignore: [C]\ncollections: []\n", CHAIN)
    assert summary(plan) == [("delete", ("A", "B", "D"))]
    assert plan.warnings == (
        "1 live collection ignored (ignore: C)",
        "'A / B / C' (id 3) is ignored (ignore: C) but its parent is not in the file:"
        " 'A / B' (id 2), 'A' (id 1) left in place; add them to the file or move"
        " 'A / B / C' (id 3) in Intercom",
    )


def test_parents_kept_for_ignored_collections_are_reported_by_id() -> None:
    """One warning per ignored collection that keeps a parent, in id order (9 before 10)."""
    live = [col(1, "P"), col(10, "Ten", 1), col(2, "Q"), col(9, "Nine", 2), col(3, "Loose")]
    plan = yaml_plan("ignore: [Ten, Nine, Loose]\ncollections: []\n", live)
    assert plan.empty
    assert [w.split(" (id")[0] for w in plan.warnings[1:]] == ["'Q / Nine'", "'P / Ten'"]


def test_one_unlisted_parent_kept_for_an_ignored_child_is_it() -> None:
    plan = yaml_plan("ignore: [C]\ncollections: [{name: A}]\n", CHAIN)
    assert summary(plan) == [("delete", ("A", "B", "D"))]
    assert plan.warnings[1] == (
        "'A / B / C' (id 3) is ignored (ignore: C) but its parent is not in the file:"
        " 'A / B' (id 2) left in place; add it to the file or move 'A / B / C' (id 3)"
        " in Intercom"
    )


def test_no_parent_warning_when_the_ignored_collections_parent_is_managed_or_ignored() -> None:
    """Under a parent in the file, or below another ignored one, nothing needs keeping."""
    listed = yaml_plan(
        "ignore: [C]\ncollections:\n- name: A\n  collections:\n  - name: B\n"
        "    collections: [{name: D}]\n",
        CHAIN,
    )
    assert listed.warnings == ("1 live collection ignored (ignore: C)",)
    assert listed.empty
    nested = yaml_plan("ignore: [B]\ncollections: [{name: A}]\n", CHAIN)
    assert nested.warnings == ("3 live collections ignored (ignore: B)",)
    top = yaml_plan("ignore: [A]\ncollections: []\n", CHAIN)
    assert top.warnings == ("4 live collections ignored (ignore: A)",)
    assert top.empty


def test_an_entry_beside_an_ignored_top_level_namesake_is_refused() -> None:
    """An id pattern ignores a top-level collection; a file entry of that name would make a
    second one beside it. The lowest of several ignored namesakes is named (9 before 12)."""
    live = [col(12, "Billing"), col(9, "Billing"), col(40, "Other")]
    problems = refusal("ignore: ['12', '9']\ncollections:\n  - name: Billing\n", live)
    assert problems == [
        "hc.yaml:3:5: collections[0]: 'Billing' has the same path as live 9, which is"
        " ignored (ignore: 9); manage it here or ignore it, not both"
    ]


def test_a_child_of_a_created_parent_never_clashes_with_an_ignored_collection() -> None:
    """A parent this plan creates has no live children, so no namesake can sit beside; the
    entries after it are still checked."""
    live = [col(30, "Secret"), col(31, "Hidden")]
    text = (
        "ignore: ['30', '31']\ncollections:\n  - name: New\n    collections:\n"
        "      - name: Secret\n  - name: Hidden\n"
    )
    assert refusal(text, live) == [
        "hc.yaml:6:5: collections[1]: 'Hidden' has the same path as live 31, which is"
        " ignored (ignore: 31); manage it here or ignore it, not both"
    ]
    plan = yaml_plan(text.removesuffix("  - name: Hidden\n"), live)
    assert summary(plan) == [("create", ("New",)), ("create", ("New", "Secret"))]


def test_every_entry_beside_an_ignored_namesake_is_reported_at_once() -> None:
    live = [col(1, "Home"), col(2, "One", 1), col(3, "Two", 1)]
    text = (
        "ignore: ['2', '3']\ncollections:\n  - name: Home\n    collections:\n"
        "      - name: One\n      - name: Two\n"
    )
    assert [p.split(":")[1] for p in refusal(text, live)] == ["5", "6"]


def test_every_pin_to_an_ignored_collection_is_reported_at_once() -> None:
    live = [col(1, "Hidden"), col(2, "Inside", 1), col(3, "Also", 1)]
    text = "ignore: [Hidden]\ncollections:\n  - name: X\n    id: '2'\n  - name: Y\n    id: '3'\n"
    assert refusal(text, live) == [
        "hc.yaml:3:5: collections[0]: 'X' pins id 2, which is ignored (ignore: Hidden);"
        " manage it here or ignore it, not both",
        "hc.yaml:5:5: collections[1]: 'Y' pins id 3, which is ignored (ignore: Hidden);"
        " manage it here or ignore it, not both",
    ]


# --------------------------------------------------------------------------------- protect


def test_protected_collections_keep_their_parents_named_nearest_first_and_only_once() -> None:
    """The first protected collection names every parent it keeps, nearest first; a second
    one under the same parents has nothing more to keep, so no 'and so is'."""
    plan = yaml_plan("protect: [C, D]\ncollections: []\n", CHAIN)
    assert plan.empty
    assert plan.warnings == (
        "'A / B / C' (id 3) is protected (protect: C) and not in the file: left in place,"
        " and so is 'A / B' (id 2), 'A' (id 1) above it; add it to the file or remove it"
        " from protect:",
        "'A / B / D' (id 4) is protected (protect: D) and not in the file: left in place;"
        " add it to the file or remove it from protect:",
    )


def test_a_protected_collection_under_a_listed_parent_keeps_nothing_else() -> None:
    plan = yaml_plan("protect: ['3']\ncollections: [{name: A, collections: [{name: B}]}]\n", CHAIN)
    assert summary(plan) == [("delete", ("A", "B", "D"))]
    assert plan.warnings == (
        "'A / B / C' (id 3) is protected (protect: 3) and not in the file: left in place;"
        " add it to the file or remove it from protect:",
    )


# ------------------------------------------------------------------------ updates and moves


def test_a_moved_collection_lists_parent_between_its_texts_and_translations() -> None:
    """Fields read name, description, parent, translations, whatever else changed."""
    cfg = config(
        {"name": "Home"},
        {"name": "Refunds", "id": "30", "translations": {"fr": "Remboursements"}},
    )
    change = only(plan_of(cfg, [col(10, "Home"), col(30, "Refunds", 10)]))
    assert change.changes == (
        FieldChange("parent", "Home", "(top level)"),
        FieldChange("translations.fr", None, Text("Remboursements", "")),
    )
    cfg = config({"name": "Home"}, {"name": "Refunds!", "id": "30", "translations": {"fr": "R"}})
    change = only(plan_of(cfg, [col(10, "Home"), col(30, "Refunds", 10)]))
    assert [c.field for c in change.changes] == ["name", "parent", "translations.fr"]


def test_an_update_records_where_it_came_from_and_what_it_was_computed_from() -> None:
    cfg = config({"name": "Top"}, {"name": "Billing", "description": "new"})
    change = only(plan_of(cfg, [col(3, "Top"), col(4, "Billing", updated_at=42)]))
    assert change.kind == "update"
    assert (change.id, change.path, change.source, change.updated_at) == (
        "4",
        ("Billing",),
        "hc.yaml:4",
        42,
    )
    assert change.description == "new"


def test_a_move_from_top_level_under_a_live_parent() -> None:
    """A collection at the top level moved under an existing parent: the old place reads
    '(top level)', the new parent is known by id."""
    cfg = config({"name": "Home", "children": [{"name": "Refunds", "id": "30"}]})
    change = only(plan_of(cfg, [col(10, "Home"), col(30, "Refunds")]))
    assert change.changes == (FieldChange("parent", "(top level)", "Home"),)
    assert (change.parent_path, change.parent_id) == (("Home",), "10")


def test_a_move_from_top_level_under_a_parent_this_plan_creates() -> None:
    """The new parent has no id yet, and neither has the top level: still a move."""
    cfg = config({"name": "New home", "children": [{"name": "Refunds", "id": "30"}]})
    plan = plan_of(cfg, [col(30, "Refunds")])
    assert summary(plan) == [("create", ("New home",)), ("update", ("New home", "Refunds"))]
    move = plan.changes[1]
    assert move.changes == (FieldChange("parent", "(top level)", "New home"),)
    assert (move.parent_path, move.parent_id) == (("New home",), None)


# ----------------------------------------------------------------------- comparing fields


def node(name: str, description: str = "", **translations: Text) -> Node:
    return Node(
        path=(name,), description=description, translations=tuple(sorted(translations.items()))
    )


def test_html_escaped_texts_from_the_server_are_no_change() -> None:
    """A server that reads names back HTML-escaped shows no change, in any field."""
    old = node("Q &amp; A", "Tips &lt;3", fr=Text("Q &amp; R", "&quot;x&quot;"))
    new = node("Q & A", "Tips <3", fr=Text("Q & R", '"x"'))
    assert field_changes(old, new, COLLECTION) == []


def test_changed_fields_report_the_texts_as_they_are() -> None:
    """Compared unescaped, reported as written on each side, one entry per changed field."""
    old = node("Q &amp; A", "same", de=Text("Alt", ""), fr=Text("Q &amp; R", "x"))
    new = node("Q & B", "same", de=Text("Alt", ""), fr=Text("Q & R", "y"))
    assert field_changes(old, new, COLLECTION) == [
        FieldChange("name", "Q &amp; A", "Q & B"),
        FieldChange("translations.fr", Text("Q &amp; R", "x"), Text("Q & R", "y")),
    ]
    assert field_changes(node("A", "one"), node("A", "two"), COLLECTION) == [
        FieldChange("description", "one", "two")
    ]


# ---------------------------------------------------------------------------------- deletes


def test_an_empty_duplicate_of_a_kept_sibling_is_a_cleanup_naming_it() -> None:
    """Two writers at once leave a twin: its delete names the kept one (lowest id) and is not
    counted by the safety threshold."""
    cfg = config({"name": "Home", "children": [{"name": "Billing", "description": "d"}]})
    live = [
        col(1, "Home"),
        col(5, "Billing", 1, description="d"),
        col(8, "Billing", 1, description="d"),
        col(9, "Billing", 1, description="other"),
        col(7, "Billing", description="d"),  # same content, another parent
    ]
    plan = plan_of(cfg, live)
    by_id = {c.id: c for c in plan.of_kind("delete")}
    assert set(by_id) == {"7", "8", "9"}
    assert by_id["8"].duplicate_of == "5"
    assert by_id["8"].cleanup
    assert by_id["9"].duplicate_of is None
    assert by_id["7"].duplicate_of is None


def test_a_cleanup_names_the_lowest_id_of_several_kept_twins() -> None:
    """Ids compare as numbers, as everywhere: 9 is named before 12."""
    cfg = config({"name": "A", "id": "9"}, {"name": "X"})
    plan = plan_of(cfg, [col(9, "X"), col(12, "X"), col(15, "X")])
    assert [(c.kind, c.id, c.duplicate_of) for c in plan.changes] == [
        ("update", "9", None),
        ("delete", "15", "9"),
    ]


def test_a_duplicate_with_children_is_not_a_cleanup() -> None:
    """A twin that holds collections of its own is real content: a plain delete."""
    cfg = config({"name": "Billing", "children": [{"name": "Invoices"}]})
    live = [col(5, "Billing"), col(6, "Invoices", 5), col(8, "Billing"), col(9, "Refunds", 8)]
    plan = plan_of(cfg, live)
    twin = next(c for c in plan.changes if c.id == "8")
    assert twin.duplicate_of is None
    assert twin.subtree == (("Billing", "Refunds"),)
    leaf = next(c for c in plan.changes if c.id == "9")
    assert leaf.duplicate_of is None  # its likeness has another parent than anything kept
    assert (leaf.kind, leaf.updated_at, leaf.subtree) == ("delete", 1700000000, ())


def test_an_empty_twin_of_the_collection_kept_for_its_children_is_a_cleanup() -> None:
    """Matching keeps the twin with collections in it, even at a higher id; the empty one
    is the leftover and names it."""
    plan = plan_of(
        config({"name": "Billing"}), [col(5, "Billing"), col(8, "Billing"), col(9, "R", 8)]
    )
    twin = next(c for c in plan.changes if c.id == "5")
    assert twin.duplicate_of == "8"


def test_a_kept_child_is_not_listed_in_its_deleted_parents_subtree() -> None:
    """Only descendants deleted with it are listed, deepest through deleted ones only."""
    cfg = config({"name": "Kept", "id": "3"})
    live = [col(1, "Old"), col(3, "Kept", 1), col(2, "Gone", 1), col(4, "Deeper", 2)]
    plan = plan_of(cfg, live)
    old = next(c for c in plan.changes if c.id == "1")
    assert old.subtree == (("Old", "Gone"), ("Old", "Gone", "Deeper"))


def test_a_deleted_subtree_under_a_kept_parent_lists_its_descendants() -> None:
    """The top-most deleted collection need not be at the top level: under a parent the
    file keeps, it still lists what goes with it."""
    cfg = config({"name": "Kept"})
    plan = plan_of(cfg, [col(1, "Kept"), col(2, "Old", 1), col(3, "Deep", 2)])
    old = next(c for c in plan.changes if c.id == "2")
    assert old.subtree == (("Kept", "Old", "Deep"),)


# ------------------------------------------------------------------ what the plan records


def test_the_plan_records_its_help_center_source_and_versions_by_id() -> None:
    cfg = config({"name": "A"}, {"name": "B"})
    live = [col(10, "B", updated_at=2), col(9, "A", updated_at=1), col(11, "Gone", updated_at=3)]
    plan = build_plan(cfg, {"collection": live}, help_center="acme", help_center_id=5)  # type: ignore[arg-type]
    assert (plan.help_center, plan.help_center_id, plan.source) == ("acme", "5", "hc.yaml")
    assert plan.live_versions == (
        (("collection", "9"), 1),
        (("collection", "10"), 2),
        (("collection", "11"), 3),
    )
    assert plan.live_count == 3
    assert summary(plan) == [("delete", ("Gone",))]
    assert plan.parked == ()


def test_warnings_come_in_order_live_tree_then_matching_then_ownership_then_order() -> None:
    """A plan's warnings read from what was found in Intercom to what the file decides."""
    text = "ignore: [Hidden]\nprotect: [Kept]\ncollections:\n  - name: B\n  - name: A\n"
    live = [
        col(1, "A"),
        col(2, "B"),
        col(3, "A"),  # a duplicate: matching warns
        col(4, "Lost", 99),  # an orphan: reading the live tree warns
        col(5, "Hidden"),
        col(6, "Kept"),
    ]
    warnings = yaml_plan(text, live).warnings
    assert [w.split(",")[0] for w in warnings] == [
        "live collection 4 'Lost' names parent 99",
        "live collections 1",
        "1 live collection ignored (ignore: Hidden)",
        "'Kept' (id 6) is protected (protect: Kept) and not in the file: left in place; add it"
        " to the file or remove it from protect:",
        "at the top level",
    ]


def test_a_hand_built_config_naming_its_default_locale_in_translations_is_no_change() -> None:
    """The default locale's text is the name and description themselves: a Config built in
    code that repeats it as a translation plans nothing (the file's checks refuse it)."""
    cfg = config({"name": "Billing", "translations": {"en": ("Billing", "")}})
    assert plan_of(cfg, [col(1, "Billing")]).empty


def test_a_kept_collection_pushed_too_deep_makes_the_plan_impossible() -> None:
    """Moving a parent deeper while a protected grandchild stays in it cannot be done in any
    order: the user is told while planning, with the subtree named, before any write."""
    text = (
        "protect: [P]\ncollections:\n  - name: X\n  - name: Y\n"
        "    collections:\n      - name: A\n        id: '1'\n"
    )
    live = [col(1, "A"), col(2, "B", 1), col(3, "P", 2), col(4, "X")]
    with pytest.raises(ImpossiblePlanError) as caught:
        yaml_plan(text, live)
    assert "'Y / A / B / P' (id 3) would end up 4 levels deep" in str(caught.value)
