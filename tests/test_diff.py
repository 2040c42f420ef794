"""build_plan at the plan level: every kind of change, normalisation no-ops, order, errors.

Desired state is built directly as Config values (the loader is tested elsewhere); live
state is raw collection dicts shaped exactly like Intercom's answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from hcsync.config import Config, DesiredCollection, Translation, load_config_text
from hcsync.diff import build_plan
from hcsync.errors import ConfigError, UsageError
from hcsync.kinds.collection import desired_nodes, live_nodes
from hcsync.model import Text
from hcsync.plan import Change, FieldChange, Plan

LOCALES = ("de", "en", "es", "fr", "ja", "pt-BR")


# ------------------------------------------------------------------------------ builders


def config(*entries: Mapping[str, Any], default_locale: str = "en") -> Config:
    """A Config from nested dicts: name, description, translations, id, previously, children.

    Lines are handed out in walk order (one entry every 3 lines), so `source` is predictable.
    """
    counter = iter(range(1, 10_000))

    def build(spec: Mapping[str, Any], path: str) -> DesiredCollection:
        line = 1 + 3 * (next(counter) - 1)
        translations = {
            loc: Translation(*t) if isinstance(t, tuple) else Translation(t)
            for loc, t in spec.get("translations", {}).items()
        }
        kids = spec.get("children", ())
        return DesiredCollection(
            name=spec["name"],
            description=spec.get("description"),
            translations=translations,
            id=spec.get("id"),
            previously=tuple(spec.get("previously", ())),
            children=tuple(build(kid, f"{path}.collections[{i}]") for i, kid in enumerate(kids)),
            path=path,
            line=line,
            column=3,
        )

    return Config(
        source="hc.yaml",
        help_center="acme",
        default_locale=default_locale,
        collections=tuple(build(e, f"collections[{i}]") for i, e in enumerate(entries)),
    )


def col(
    cid: str | int,
    name: str,
    parent: str | int | None = None,
    *,
    description: str | None = "",
    translations: Mapping[str, tuple[str, str | None]] | None = None,
    default_locale: str | None = "en",
    updated_at: int = 1700000000,
    **extra: Any,
) -> dict[str, Any]:
    """A live collection as Intercom returns it: every locale key present, unused ones null,
    the default locale mirroring name/description, read-only fields filled in."""
    content: dict[str, Any] = {"type": "group_translated_content"}
    content.update(dict.fromkeys(LOCALES))
    if default_locale:
        content[default_locale] = {
            "type": "group_content",
            "name": name,
            "description": description,
        }
    for loc, (tname, tdesc) in (translations or {}).items():
        content[loc] = {"type": "group_content", "name": tname, "description": tdesc}
    raw: dict[str, Any] = {
        "id": str(cid),
        "workspace_id": "w0rk",
        "name": name,
        "description": description,
        "created_at": 1690000000,
        "updated_at": updated_at,
        "url": f"https://help.example.com/en/collections/{cid}",
        "icon": "book-bookmark",
        "order": 0,
        "translated_content": content,
        "parent_id": None if parent is None else str(parent),
        "help_center_id": 5,
    }
    if default_locale:
        raw["default_locale"] = default_locale
    raw.update(extra)
    return raw


def plan_of(cfg: Config, live: list[dict[str, Any]], **kw: Any) -> Plan:
    return build_plan(cfg, {"collection": live}, help_center="acme", help_center_id="5", **kw)


def summary(plan: Plan) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.kind, c.path) for c in plan.changes]


def only(plan: Plan) -> Change:
    assert len(plan.changes) == 1, summary(plan)
    return plan.changes[0]


# -------------------------------------------------------------------------------- creates


def test_create_three_levels_parent_first_with_parent_paths() -> None:
    cfg = config(
        {
            "name": "Getting started",
            "description": "Start here",
            "translations": {"fr": ("Premiers pas", "Commencez ici")},
            "children": [{"name": "Installation", "children": [{"name": "Linux"}]}],
        }
    )
    plan = plan_of(cfg, [])

    assert summary(plan) == [
        ("create", ("Getting started",)),
        ("create", ("Getting started", "Installation")),
        ("create", ("Getting started", "Installation", "Linux")),
    ]
    top, mid, leaf = plan.changes
    assert (top.parent_path, top.parent_id) == ((), None)
    assert (mid.parent_path, mid.parent_id) == (("Getting started",), None)
    assert (leaf.parent_path, leaf.parent_id) == (("Getting started", "Installation"), None)
    assert top.description == "Start here"
    assert top.translations == (("fr", Text("Premiers pas", "Commencez ici")),)
    assert mid.description == ""  # not given means empty, as Intercom stores it
    assert [c.source for c in plan.changes] == ["hc.yaml:1", "hc.yaml:4", "hc.yaml:7"]
    assert plan.counts() == {"create": 3, "update": 0, "delete": 0}
    assert plan.live_count == 0


def test_create_under_existing_parent_carries_its_live_id() -> None:
    cfg = config({"name": "Billing", "children": [{"name": "Invoices"}]})
    change = only(plan_of(cfg, [col(11, "Billing")]))

    assert change.kind == "create"
    assert change.parent_path == ("Billing",)
    assert change.parent_id == "11"


def test_children_of_a_created_parent_are_created_even_if_a_namesake_lives_elsewhere() -> None:
    cfg = config({"name": "New", "children": [{"name": "Child"}]})
    plan = plan_of(cfg, [col(1, "Other"), col(2, "Child", 1)])

    assert summary(plan) == [
        ("create", ("New",)),
        ("create", ("New", "Child")),
        ("delete", ("Other", "Child")),
        ("delete", ("Other",)),
    ]


# -------------------------------------------------------------------------------- updates


def test_rename_by_id_pin() -> None:
    cfg = config({"name": "Payments", "id": "12"})
    change = only(plan_of(cfg, [col(12, "Billing", updated_at=1700000123)]))

    assert change.kind == "update"
    assert change.id == "12"
    assert change.changes == (FieldChange("name", "Billing", "Payments"),)
    assert change.updated_at == 1700000123
    assert change.source == "hc.yaml:1"


def test_rename_by_previously() -> None:
    cfg = config({"name": "Payments", "previously": ["Money", "Billing"]})
    change = only(plan_of(cfg, [col(12, "Billing")]))

    assert (change.kind, change.id) == ("update", "12")
    assert change.changes == (FieldChange("name", "Billing", "Payments"),)


def test_previously_does_not_steal_a_sibling_literally_named_that() -> None:
    # "Renamed" comes first in the file, but "Billing" still exists under its own name.
    cfg = config({"name": "Renamed", "previously": ["Billing"]}, {"name": "Billing"})
    plan = plan_of(cfg, [col(12, "Billing")])

    assert summary(plan) == [("create", ("Renamed",))]


def test_renaming_a_parent_does_not_move_its_children() -> None:
    cfg = config({"name": "Payments", "previously": ["Billing"], "children": [{"name": "Refunds"}]})
    change = only(plan_of(cfg, [col(12, "Billing"), col(13, "Refunds", 12)]))

    assert change.path == ("Payments",)
    assert [c.field for c in change.changes] == ["name"]


def test_description_change_carries_full_desired_state() -> None:
    cfg = config(
        {
            "name": "Billing",
            "description": "Money matters",
            "translations": {"fr": ("Facturation", "")},
            "children": [{"name": "Invoices", "description": "PDFs"}],
        }
    )
    live = [
        col(12, "Billing", description="Old words", translations={"fr": ("Facturation", "")}),
        col(13, "Invoices", 12, description=""),
    ]
    plan = plan_of(cfg, live)

    assert summary(plan) == [("update", ("Billing",)), ("update", ("Billing", "Invoices"))]
    billing, invoices = plan.changes
    assert billing.changes == (FieldChange("description", "Old words", "Money matters"),)
    # apply sends full state: the update holds everything, not just what differs
    assert billing.translations == (("fr", Text("Facturation", "")),)
    assert (billing.parent_path, billing.parent_id) == ((), None)
    assert invoices.changes == (FieldChange("description", "", "PDFs"),)
    assert (invoices.parent_path, invoices.parent_id) == (("Billing",), "12")


def test_translation_added_changed_and_removed() -> None:
    cfg = config(
        {
            "name": "Billing",
            "translations": {"de": "Abrechnung", "fr": ("Facturation", "Tout sur l'argent")},
        }
    )
    live = [col(12, "Billing", translations={"fr": ("Paiement", ""), "es": ("Facturación", "")})]
    change = only(plan_of(cfg, live))

    assert change.changes == (
        FieldChange("translations.de", None, Text("Abrechnung", "")),
        FieldChange("translations.es", Text("Facturación", ""), None),
        FieldChange(
            "translations.fr", Text("Paiement", ""), Text("Facturation", "Tout sur l'argent")
        ),
    )
    assert [c.locale for c in change.changes] == ["de", "es", "fr"]


def test_move_by_id_pin_is_an_update_of_the_parent() -> None:
    cfg = config(
        {"name": "Account"},
        {"name": "Billing", "children": [{"name": "Refunds", "id": "30"}]},
    )
    live = [col(10, "Account"), col(20, "Billing"), col(30, "Refunds", 10)]
    change = only(plan_of(cfg, live))

    assert (change.kind, change.id, change.path) == ("update", "30", ("Billing", "Refunds"))
    assert change.changes == (FieldChange("parent", "Account", "Billing"),)
    assert (change.parent_path, change.parent_id) == (("Billing",), "20")


def test_move_to_top_level_by_id_pin() -> None:
    cfg = config({"name": "Account"}, {"name": "Refunds", "id": "30"})
    change = only(plan_of(cfg, [col(10, "Account"), col(30, "Refunds", 10)]))

    assert change.changes == (FieldChange("parent", "Account", "(top level)"),)
    assert (change.parent_path, change.parent_id) == ((), None)


def test_pin_wins_under_a_parent_this_plan_creates() -> None:
    cfg = config({"name": "New home", "children": [{"name": "Refunds", "id": "30"}]})
    plan = plan_of(cfg, [col(10, "Account"), col(30, "Refunds", 10)])

    assert summary(plan) == [
        ("create", ("New home",)),
        ("update", ("New home", "Refunds")),
        ("delete", ("Account",)),
    ]
    move = plan.changes[1]
    assert move.changes == (FieldChange("parent", "Account", "New home"),)
    # the parent has no id yet: apply passes the new id down by parent_path
    assert (move.parent_path, move.parent_id) == (("New home",), None)
    # the kept child was moved away first, so it is not listed as deleted with its old parent
    assert plan.changes[2].subtree == ()


def test_moved_and_renamed_lists_fields_in_reading_order() -> None:
    cfg = config(
        {"name": "Account"},
        {"name": "Billing", "children": [{"name": "Refunds!", "id": "30", "description": "d"}]},
    )
    live = [col(10, "Account"), col(20, "Billing"), col(30, "Refunds", 10)]
    change = only(plan_of(cfg, live))

    assert [c.field for c in change.changes] == ["name", "description", "parent"]


# -------------------------------------------------------------------------------- deletes


def test_delete_subtree_children_first_with_subtree_listed() -> None:
    live = [col(1, "Old"), col(2, "Stuff", 1), col(3, "Deep", 2), col(4, "More", 1)]
    plan = plan_of(config(), live)

    assert summary(plan) == [
        ("delete", ("Old", "Stuff", "Deep")),
        ("delete", ("Old", "More")),
        ("delete", ("Old", "Stuff")),
        ("delete", ("Old",)),
    ]
    by_id = {c.id: c for c in plan.changes}
    assert by_id["1"].subtree == (("Old", "More"), ("Old", "Stuff"), ("Old", "Stuff", "Deep"))
    assert by_id["2"].subtree == ()  # its top-most deleted ancestor lists it
    assert by_id["3"].subtree == ()
    assert plan.counts() == {"create": 0, "update": 0, "delete": 4}
    assert plan.live_count == 4


# -------------------------------------------------------------------------- normalisation


def test_server_normalisations_give_an_empty_plan() -> None:
    cfg = config(
        {
            "name": "Billing",
            "translations": {"fr": "Facturation"},
            "children": [{"name": "Invoices", "description": "PDFs"}],
        },
        {"name": "Legacy"},
        {"name": "Plain"},
    )
    billing = col(12, "Billing", description=None, translations={"fr": ("Facturation", None)})
    billing["order"] = "1"
    billing["help_center_id"] = "5"
    invoices = col(13, "Invoices", 12, description="PDFs", default_locale=None)
    invoices["order"] = 2
    invoices["id"] = 13  # an integer id, as some examples show
    invoices["parent_id"] = 12
    legacy = col(14, "Legacy")
    legacy["translated_content"] = None
    legacy["order"] = 2  # after Billing ("1"), as in the file: no order note
    plain = {"id": "15", "name": "Plain"}  # nearly every key missing
    plan = plan_of(cfg, [billing, invoices, legacy, plain])

    assert plan.empty, summary(plan)
    assert plan.warnings == ()
    assert plan.live_count == 4


def test_normalised_nodes_compare_equal_on_both_sides() -> None:
    cfg = config({"name": "Billing", "translations": {"fr": ("Facturation", None)}})
    live = live_nodes([col(12, "Billing", translations={"fr": ("Facturation", "")})], "en")

    assert desired_nodes(cfg)[("Billing",)] == live["12"].node


@pytest.mark.parametrize("written", ["description:", "description: null", 'description: ""', ""])
def test_null_empty_and_absent_descriptions_are_the_same(written: str) -> None:
    # The README promises these are one thing; the file must load and plan as no change.
    text = (
        f"collections:\n  - name: Billing\n    {written}\n"
        f"    translated_content:\n      fr:\n        name: Facturation\n        {written}\n"
    )
    cfg = load_config_text(text, "hc.yaml")
    for desc in (None, ""):
        live = [col(12, "Billing", description=desc, translations={"fr": ("Facturation", desc)})]
        assert plan_of(cfg, live).empty, summary(plan_of(cfg, live))


def test_empty_translation_entries_are_ignored() -> None:
    live = [col(12, "Billing", translations={"de": ("", "")})]
    assert plan_of(config({"name": "Billing"}), live).empty


# ---------------------------------------------------------------------------------- order


def test_order_writes_parent_first_in_file_order_then_deletes_children_first() -> None:
    cfg = config(
        {"name": "B", "children": [{"name": "B1", "description": "new"}]},
        {"name": "A", "children": [{"name": "A1", "children": [{"name": "A1x"}]}]},
    )
    live = [
        col(1, "B"),
        col(2, "B1", 1),
        col(3, "Gone"),
        col(4, "Gone child", 3),
        col(5, "Gone grandchild", 4),
    ]
    plan = plan_of(cfg, live)

    assert summary(plan) == [
        ("create", ("A",)),
        ("update", ("B", "B1")),
        ("create", ("A", "A1")),
        ("create", ("A", "A1", "A1x")),
        ("delete", ("Gone", "Gone child", "Gone grandchild")),
        ("delete", ("Gone", "Gone child")),
        ("delete", ("Gone",)),
    ]


def test_plan_is_deterministic_whatever_the_live_listing_order() -> None:
    cfg = config({"name": "A", "children": [{"name": "A1"}]}, {"name": "B"})
    live = [col(1, "A"), col(2, "X", 1), col(3, "Y"), col(4, "Z", 3)]

    first = plan_of(cfg, live)
    second = plan_of(cfg, list(reversed(live)))
    assert first == second
    assert first.fingerprint() == second.fingerprint()


# -------------------------------------------------------------------------- odd live trees


def test_duplicate_live_siblings_match_lowest_id_and_warn() -> None:
    plan = plan_of(config({"name": "Billing"}), [col(21, "Billing"), col(9, "Billing")])

    assert summary(plan) == [("delete", ("Billing",))]
    assert plan.changes[0].id == "21"  # "9" < "21" numerically: 9 is kept
    assert len(plan.warnings) == 1
    assert "9" in plan.warnings[0] and "21" in plan.warnings[0]


def test_orphan_is_treated_as_top_level_with_a_warning() -> None:
    plan = plan_of(config({"name": "Lost"}), [col(7, "Lost", 999)])

    assert plan.empty
    assert len(plan.warnings) == 1
    assert "999" in plan.warnings[0] and "top level" in plan.warnings[0]


def test_parent_cycle_is_cut_with_a_warning() -> None:
    plan = plan_of(config(), [col(1, "A", 2), col(2, "B", 1)])

    assert summary(plan) == [("delete", ("A", "B")), ("delete", ("A",))]
    assert len(plan.warnings) == 1


def test_duplicate_ids_in_a_listing_keep_the_newest() -> None:
    old = col(12, "Billing", description="old", updated_at=1)
    new = col(12, "Billing", description="new", updated_at=2)
    plan = plan_of(config({"name": "Billing", "description": "new"}), [new, old])

    assert plan.empty
    assert plan.live_count == 1


# --------------------------------------------------------------------------------- errors


def test_default_locale_mismatch_reported_by_collections() -> None:
    live = [col(12, "Facturation", default_locale="fr")]
    with pytest.raises(UsageError, match=r"default locale is fr .*default_locale: en"):
        plan_of(config({"name": "Billing"}), live)


def test_default_locale_mismatch_given_by_caller() -> None:
    live = [col(12, "Billing", default_locale=None)]
    with pytest.raises(UsageError, match="default_locale: fr"):
        plan_of(config({"name": "Billing"}), live, default_locale="fr")


def test_default_locale_that_agrees_is_fine() -> None:
    cfg = config({"name": "Facturation"}, default_locale="fr")
    live = [col(12, "Facturation", default_locale="fr", translations={"en": ("Billing", "")})]
    change = only(plan_of(cfg, live, default_locale="fr"))
    assert change.changes == (FieldChange("translations.en", Text("Billing", ""), None),)


def test_pinned_id_missing_points_at_the_entry() -> None:
    cfg = config({"name": "A"}, {"name": "Billing", "id": "123"})
    with pytest.raises(ConfigError) as caught:
        plan_of(cfg, [col(1, "A")])

    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("hc.yaml", 4, 3)
    assert problem.path == "collections[1].id"
    assert "id 123 is pinned but no live collection has it" in problem.message
    assert str(caught.value).startswith("hc.yaml:4:3: collections[1].id: id 123 is pinned")


def test_every_missing_pin_is_reported_at_once() -> None:
    cfg = config({"name": "A", "id": "1"}, {"name": "B", "id": "2"})
    with pytest.raises(ConfigError) as caught:
        plan_of(cfg, [])
    assert [p.line for p in caught.value.problems] == [1, 4]
