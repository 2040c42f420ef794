"""Matching at the edges: which live collection each desired entry becomes, and why.

A wrong match is the most expensive mistake hcsync can make: a collection deleted and
created again (its articles orphaned, its URL gone) instead of updated, or a rename that
steals a sibling. Desired state is built as Config values and live state as raw dicts
(``test_diff``'s builders); ``match`` answers with pairs, leftovers and warnings.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_diff import col, config

from hcsync.errors import ConfigError
from hcsync.kinds.collection import COLLECTION, COLLECTIONS, live_nodes
from hcsync.match import Matching, match
from hcsync.model import name_key


def matched(cfg: Any, *live: dict[str, Any]) -> Matching:
    return match(COLLECTION.desired(cfg), live_nodes(list(live), "en"), COLLECTIONS)


# ------------------------------------------------------------------------------- by name


def test_names_match_level_by_level_under_the_matched_parent() -> None:
    """A child is matched under the live collection its parent matched, never a namesake
    under another parent; what nothing matches is left over, in id order (by value)."""
    cfg = config(
        {"name": "Billing", "children": [{"name": "Invoices"}]},
        {"name": "Help"},
    )
    result = matched(
        cfg,
        col(9, "Billing"),
        col(30, "Invoices", 9),
        col(40, "Other"),
        col(41, "Invoices", 40),
        col(100, "Stray"),
        col(12, "Help"),
    )
    assert result.pairs == {("Billing",): "9", ("Billing", "Invoices"): "30", ("Help",): "12"}
    assert result.live_id(("Billing", "Invoices")) == "30"
    assert result.live_id(("Nowhere",)) is None
    assert result.unmatched == ("40", "41", "100")
    assert result.warnings == ()


def test_children_of_a_created_parent_are_all_new() -> None:
    """ "New" is not live, so its child "Invoices" is created too, though a top-level
    "Invoices" exists: that one is left over."""
    cfg = config({"name": "New", "children": [{"name": "Invoices"}]})
    result = matched(cfg, col(7, "Invoices"))
    assert result.pairs == {}
    assert result.unmatched == ("7",)


def test_an_unfound_entry_does_not_stop_its_later_siblings_matching() -> None:
    cfg = config(
        {"name": "Brand new"}, {"name": "Existing"}, {"name": "Renamed", "previously": ["Old"]}
    )
    result = matched(cfg, col(1, "Existing"), col(2, "Old"))
    assert result.pairs == {("Existing",): "1", ("Renamed",): "2"}
    assert result.unmatched == ()


RENAMED_B: dict[str, Any] = {"name": "B", "previously": ["A"]}


@pytest.mark.parametrize("first", [True, False])
def test_every_sibling_tries_its_own_name_before_any_tries_previously(first: bool) -> None:
    """B was once called A; the entry literally named A keeps the A collection, and B finds
    nothing to rename, whichever entry comes first."""
    entries = [RENAMED_B, {"name": "A"}] if first else [{"name": "A"}, RENAMED_B]
    result = matched(config(*entries), col(1, "A"))
    assert result.pairs == {("A",): "1"}


def test_several_renames_in_one_group_all_match() -> None:
    cfg = config(
        {"name": "Same"},
        {"name": "New one", "previously": ["Gone", "Old one"]},
        {"name": "New two", "previously": ["Old two"]},
    )
    result = matched(cfg, col(1, "Same"), col(2, "Old one"), col(3, "Old two"))
    assert result.pairs == {("Same",): "1", ("New one",): "2", ("New two",): "3"}
    assert result.unmatched == ()


def test_a_renamed_parent_still_matches_its_children_by_name() -> None:
    cfg = config(
        {"name": "Payments", "previously": ["Billing"], "children": [{"name": "Invoices"}]}
    )
    result = matched(cfg, col(1, "Billing"), col(2, "Invoices", 1))
    assert result.pairs == {("Payments",): "1", ("Payments", "Invoices"): "2"}


def test_html_escaped_live_names_match_their_plain_spelling() -> None:
    """Intercom may read a name back HTML-escaped: compared raw, "Billing & Payments" would be
    deleted and created again on every run."""
    assert name_key("Billing &amp; Payments") == "Billing & Payments"
    assert name_key("Q&amp;A &lt;new&gt;") == "Q&A <new>"
    assert name_key("Plain") == "Plain"
    cfg = config({"name": "Billing & Payments"}, {"name": "Q&amp;A"})
    result = matched(cfg, col(1, "Billing &amp; Payments"), col(2, "Q&A"))
    assert result.pairs == {("Billing & Payments",): "1", ("Q&amp;A",): "2"}


# ------------------------------------------------------------------------- same-named twins


def test_of_twins_the_lowest_id_is_matched_with_a_warning_naming_all() -> None:
    cfg = config({"name": "Parent", "children": [{"name": "Twin"}]})
    result = matched(cfg, col(1, "Parent"), col(10, "Twin", 1), col(9, "Twin", 1))
    assert result.pairs[("Parent", "Twin")] == "9"
    assert result.unmatched == ("10",)
    assert result.warnings == (
        "live collections 9, 10 are all named 'Twin' under Parent; matching 9 (lowest id),"
        " the others are not matched by this entry",
    )


def test_of_twins_the_one_holding_collections_wins_over_a_lower_id() -> None:
    """Two writers made "Twin" twice and one copy got children: matching the empty copy
    would delete the full one and create its children again."""
    cfg = config({"name": "Twin", "children": [{"name": "Kid"}]})
    result = matched(cfg, col(9, "Twin"), col(10, "Twin"), col(11, "Kid", 10))
    assert result.pairs == {("Twin",): "10", ("Twin", "Kid"): "11"}
    assert result.unmatched == ("9",)
    assert result.warnings == (
        "live collections 10, 9 are all named 'Twin' under (top level); matching 10 (the one"
        " with collections in it), the others are not matched by this entry",
    )


def test_two_entries_named_alike_take_one_twin_each_and_warn_once() -> None:
    """Hand-built (the checks reject duplicate siblings): the second entry gets the copy
    the first did not take, and only the first saw two to choose from."""
    cfg = config({"name": "Twin"}, {"name": "Twin"})
    result = matched(cfg, col(9, "Twin"), col(10, "Twin"))
    assert result.unmatched == ()
    assert set(result.pairs.values()) <= {"9", "10"}
    assert len(result.warnings) == 1


def test_a_single_namesake_gives_no_warning() -> None:
    result = matched(config({"name": "One"}), col(1, "One"), col(2, "Two"))
    assert result.pairs == {("One",): "1"}
    assert result.warnings == ()


# ---------------------------------------------------------------------------------- pins


def test_a_pin_wins_wherever_the_collection_lives_and_no_name_can_steal_it() -> None:
    """ "Moved" (unpinned first) pins collection 5, which lives under "Old parent" and is
    called "Top": the top-level entry literally named "Top" must not take it, and gets the
    other "Top" instead."""
    cfg = config(
        {"name": "Plain"},
        {"name": "Top"},
        {"name": "Holder", "children": [{"name": "Moved", "id": "5"}]},
    )
    result = matched(cfg, col(1, "Old parent"), col(5, "Top", 1), col(6, "Top"), col(7, "Plain"))
    assert result.pairs == {("Plain",): "7", ("Top",): "6", ("Holder", "Moved"): "5"}
    assert result.unmatched == ("1",)


def test_a_pinned_entry_is_not_matched_again_by_its_name() -> None:
    cfg = config({"name": "Docs", "id": "5"})
    result = matched(cfg, col(4, "Docs"), col(5, "Elsewhere"))
    assert result.pairs == {("Docs",): "5"}
    assert result.unmatched == ("4",)


def test_a_pin_naming_no_live_collection_points_at_the_entry() -> None:
    cfg = config({"name": "A"}, {"name": "B", "id": "77"})
    with pytest.raises(ConfigError) as caught:
        matched(cfg, col(1, "A"))
    assert str(caught.value) == (
        "hc.yaml:4:3: collections[1].id: id 77 is pinned but no live collection has it;"
        " remove the pin or fix the id\n1 problem found"
    )


def test_one_id_pinned_twice_is_refused_pointing_at_the_second_pin() -> None:
    cfg = config({"name": "A", "id": "5"}, {"name": "B", "id": "5"}, {"name": "C", "id": "6"})
    with pytest.raises(ConfigError) as caught:
        matched(cfg, col(5, "A"))
    assert str(caught.value) == (
        "hc.yaml:4:3: collections[1].id: id 5 is already pinned at line 1; pin each id once\n"
        "hc.yaml:7:3: collections[2].id: id 6 is pinned but no live collection has it;"
        " remove the pin or fix the id\n2 problems found"
    )
