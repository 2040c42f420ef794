"""Both sides in one model, at the edges: what ``normalize`` makes of odd desired and live data.

A wrong answer here shows up as a plan that changes something the server will undo, or that
misses a change: a translation compared that Intercom mirrors, a path one level short, a
warning that names the wrong collection. Desired state is built as Config values and live
state as the raw dicts Intercom sends (``test_diff``'s builders).
"""

from __future__ import annotations

from typing import Any

from test_diff import col, config

from hcsync.kinds.collection import (
    desired_entries,
    desired_nodes,
    live_default_locales,
    live_nodes,
    read_live,
)
from hcsync.model import LiveNode, Node, Text

# ------------------------------------------------------------------------------ desired side


def test_nested_entries_keep_their_whole_path_and_parent_path() -> None:
    """A grandchild's node is at A / B / C under A / B: a path one level short would make the
    plan create it in the wrong place (or not see it at all)."""
    cfg = config({"name": "A", "children": [{"name": "B", "children": [{"name": "C"}]}]})
    nodes = desired_nodes(cfg)
    assert list(nodes) == [("A",), ("A", "B"), ("A", "B", "C")]
    assert [n.path for n in nodes.values()] == list(nodes)
    assert nodes[("A", "B", "C")].parent_path == ("A", "B")
    assert nodes[("A", "B")].parent_path == ("A",)
    assert nodes[("A",)].parent_path == ()


def test_desired_entries_walk_parents_first_in_file_order() -> None:
    cfg = config(
        {"name": "A", "children": [{"name": "A1"}, {"name": "A2"}]},
        {"name": "B", "children": [{"name": "B1"}]},
    )
    walked = [(path, entry.name) for path, entry in desired_entries(cfg)]
    assert walked == [
        (("A",), "A"),
        (("A", "A1"), "A1"),
        (("A", "A2"), "A2"),
        (("B",), "B"),
        (("B", "B1"), "B1"),
    ]


def test_a_missing_description_is_the_empty_string_on_both_levels() -> None:
    """Intercom answers "" for "not given"; None here would show a change on every run."""
    cfg = config(
        {"name": "A", "description": None, "translations": {"fr": ("Un", None)}},
        {"name": "B", "description": "Kept"},
    )
    nodes = desired_nodes(cfg)
    assert nodes[("A",)] == Node(
        path=("A",), description="", translations=(("fr", Text("Un", "")),)
    )
    assert nodes[("B",)].description == "Kept"


def test_the_default_locale_in_translations_is_dropped_and_the_rest_sorted() -> None:
    """The server mirrors name/description into the default locale: a Config built by hand
    that names it anyway must not plan a translation the server will overwrite."""
    cfg = config(
        {
            "name": "A",
            "translations": {
                "fr": ("Un", "Texte"),
                "en": ("Other", "Mirrored"),
                "de": ("", "Nur Text"),
                "es": ("", None),
            },
        },
        default_locale="en",
    )
    (node,) = desired_nodes(cfg).values()
    # es has neither name nor description: nothing to compare or write.
    assert node.translations == (("de", Text("", "Nur Text")), ("fr", Text("Un", "Texte")))


def test_a_translation_with_a_name_only_is_kept() -> None:
    (node,) = desired_nodes(config({"name": "A", "translations": {"fr": ("Un",)}})).values()
    assert node.translations == (("fr", Text("Un", "")),)


# --------------------------------------------------------------------------------- live side


def raw(cid: str, name: object, parent: str | None = None, **extra: Any) -> dict[str, Any]:
    """A bare live collection: only what read_live looks at, unless ``extra`` adds more."""
    return {"id": cid, "name": name, "parent_id": parent, **extra}


def test_live_paths_follow_the_parent_chain_in_id_order() -> None:
    tree = read_live(
        [raw("10", "Child", "9"), raw("9", "Top"), raw("11", "Grandchild", "10")], "en"
    )
    assert list(tree.nodes) == ["9", "10", "11"]  # by value: "9" before "10"
    assert tree.nodes["11"].node.path == ("Top", "Child", "Grandchild")
    assert tree.nodes["11"].parent_id == "10"
    assert tree.nodes["10"].parent_id == "9"
    assert tree.nodes["9"].parent_id is None
    assert tree.warnings == ()


def test_every_live_field_the_model_keeps_is_read() -> None:
    item = col(
        7,
        "Billing",
        description="Pay us",
        translations={"fr": ("Facturation", "Payez")},
        updated_at=1_700_000_123,
        order="3",
    )
    node = read_live([item], "en").nodes["7"]
    assert node == LiveNode(
        id="7",
        parent_id=None,
        node=Node(
            path=("Billing",),
            description="Pay us",
            translations=(("fr", Text("Facturation", "Payez")),),
        ),
        updated_at=1_700_000_123,
        order=3,
    )


def test_null_name_and_description_read_as_empty_strings() -> None:
    node = read_live([raw("1", None, description=None)], "en").nodes["1"]
    assert node.node.path == ("",)
    assert node.node.description == ""
    numeric = read_live([raw("2", 404, description=12)], "en").nodes["2"]
    assert numeric.node.path == ("404",)
    assert numeric.node.description == "12"


def test_an_orphan_is_top_level_with_a_warning_naming_it() -> None:
    tree = read_live([raw("5", "Lost", "99"), raw("6", "Fine")], "en")
    assert tree.nodes["5"].parent_id is None
    assert tree.nodes["5"].node.path == ("Lost",)
    assert tree.warnings == (
        "live collection 5 'Lost' names parent 99, which is not one of this help center's"
        " collections; treated as top level",
    )


def test_a_parent_cycle_is_cut_at_its_lowest_id_with_a_warning() -> None:
    """10 -> 9 -> 10: 9 (lowest by value, not by text) becomes top level; 11 hangs off the
    cycle and is not part of it; 12 is a plain top-level collection read before the loop."""
    tree = read_live(
        [
            raw("12", "Plain"),
            raw("11", "Leaf", "10"),
            raw("10", "Ten", "9"),
            raw("9", "Nine", "10"),
        ],
        "en",
    )
    assert tree.nodes["9"].parent_id is None
    assert tree.nodes["10"].node.path == ("Nine", "Ten")
    assert tree.nodes["11"].node.path == ("Nine", "Ten", "Leaf")
    assert tree.nodes["12"].node.path == ("Plain",)
    assert tree.warnings == (
        "live collections 9, 10 are each other's parents; 9 'Nine' is treated as top level",
    )


def test_a_chain_leading_into_a_cycle_only_cuts_the_cycle() -> None:
    """1 -> 2 -> 3 -> 2: the walk from 1 meets the loop 2 <-> 3; 1 is not in it."""
    tree = read_live([raw("1", "One", "2"), raw("2", "Two", "3"), raw("3", "Three", "2")], "en")
    assert tree.nodes["2"].parent_id is None
    assert tree.nodes["3"].parent_id == "2"
    assert tree.nodes["1"].node.path == ("Two", "One")
    assert tree.nodes["3"].node.path == ("Two", "Three")
    assert tree.warnings == (
        "live collections 2, 3 are each other's parents; 2 'Two' is treated as top level",
    )


def test_two_separate_cycles_each_get_their_own_warning_in_id_order() -> None:
    """Ids compare by value: the loop of 8 and 9 is reported before that of 10 and 11."""
    tree = read_live(
        [raw("10", "C", "11"), raw("11", "D", "10"), raw("9", "B", "8"), raw("8", "A", "9")],
        "en",
    )
    assert [n.node.path for n in tree.nodes.values()] == [("A",), ("A", "B"), ("C",), ("C", "D")]
    assert tree.warnings == (
        "live collections 8, 9 are each other's parents; 8 'A' is treated as top level",
        "live collections 10, 11 are each other's parents; 10 'C' is treated as top level",
    )


def translations_of(content: object, default_locale: str = "en") -> tuple[tuple[str, Text], ...]:
    return (
        read_live([raw("1", "X", translated_content=content)], default_locale)
        .nodes["1"]
        .node.translations
    )


def test_live_translations_drop_what_hcsync_cannot_compare_and_keep_the_rest() -> None:
    """Every skipped entry comes before one that must still be read: skipping one must not
    stop the reading of the others."""
    content = {
        "type": "group_translated_content",
        "en": {"type": "group_content", "name": "X", "description": "mirrored"},
        "de": None,
        "fr": "not a mapping",
        "xx-new": {"type": "group_content", "name": "Unknown locale", "description": ""},
        "pt-BR": {"type": "group_content", "name": "", "description": None},
        "ja": {"type": "group_content", "name": None, "description": "Setsumei"},
        "es": {"type": "group_content", "name": "Uno", "description": None},
    }
    assert translations_of(content) == (
        ("es", Text("Uno", "")),
        ("ja", Text("", "Setsumei")),
    )


def test_the_default_locale_is_whichever_the_help_center_uses() -> None:
    content = {
        "en": {"type": "group_content", "name": "Hello", "description": "Hi"},
        "fr": {"type": "group_content", "name": "Bonjour", "description": ""},
    }
    assert translations_of(content, "fr") == (("en", Text("Hello", "Hi")),)


def test_translated_content_that_is_not_a_mapping_means_none() -> None:
    assert translations_of(None) == ()
    assert translations_of(["fr"]) == ()


def test_live_default_locales_are_each_listed_once_in_listing_order() -> None:
    live: list[dict[str, Any]] = [
        {"default_locale": "fr"},
        {"default_locale": "en"},
        {"default_locale": "fr"},
        {"default_locale": ""},
        {"default_locale": 5},
        {"default_locale": None},
        {},
    ]
    assert live_default_locales(live) == ("fr", "en")
    assert live_default_locales([]) == ()


def test_live_nodes_are_the_read_tree_s_nodes_for_that_default_locale() -> None:
    content = {
        "en": {"type": "group_content", "name": "Hello", "description": ""},
        "fr": {"type": "group_content", "name": "Bonjour", "description": ""},
    }
    live = [raw("3", "Hello", translated_content=content), raw("4", "Child", "3")]
    nodes = live_nodes(live, "fr")
    assert nodes == read_live(live, "fr").nodes
    assert nodes["3"].node.translations == (("en", Text("Hello", "")),)
    assert nodes["4"].node.path == ("Hello", "Child")
