"""Renderers, pinned by golden files in tests/golden/.

Regenerate after a deliberate change with ``HCSYNC_UPDATE_GOLDEN=1 pytest tests/test_render.py``
and review the diff of the golden files like any other code change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hcsync.model import Text
from hcsync.plan import Change, FieldChange, Plan
from hcsync.render import FORMATS, render
from hcsync.render.json import render_json
from hcsync.render.markdown import render_markdown
from hcsync.render.text import render_text

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HCSYNC_UPDATE_GOLDEN") == "1":
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), f"{path} missing; run with HCSYNC_UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_bytes().decode("utf-8")


def every_kind_plan() -> Plan:
    """One plan holding every kind of change and field, plus names that try to break output."""
    changes = (
        Change(
            kind="create",
            path=("Getting started",),
            description="Start here",
            translations=(("fr", Text("Premiers pas", "Commencez ici")),),
            source="help/collections.yaml:3",
            resource="collection",
        ),
        Change(
            kind="update",
            path=("Billing",),
            id="12",
            description="Money matters",
            translations=(("de", Text("Abrechnung")), ("fr", Text("Facturation"))),
            changes=(
                FieldChange("name", "Payments", "Billing"),
                FieldChange("description", "", "Money matters"),
                FieldChange("translations.de", None, Text("Abrechnung")),
                FieldChange("translations.es", Text("Pagos", "Todo"), None),
                FieldChange("translations.fr", Text("Paiement"), Text("Facturation")),
            ),
            source="help/collections.yaml:9",
            updated_at=1700000123,
            resource="collection",
        ),
        Change(
            kind="create",
            path=("Getting started", "Installation"),
            parent_path=("Getting started",),
            source="help/collections.yaml:6",
            resource="collection",
        ),
        Change(
            kind="update",
            path=("Billing", "Refunds"),
            id="30",
            parent_path=("Billing",),
            parent_id="12",
            changes=(FieldChange("parent", "Account", "Billing"),),
            source="help/collections.yaml:15",
            updated_at=1700000456,
            resource="collection",
        ),
        Change(
            kind="create",
            path=("Billing", "Tricky | *names* <b>"),
            parent_path=("Billing",),
            parent_id="12",
            description='Line one\nLine two with "quotes", `ticks` and \x1b[31mANSI',
            source="help/collections.yaml:18",
            resource="collection",
        ),
        Change(
            kind="delete",
            path=("Old stuff", "A", "Deep"),
            id="42",
            updated_at=1,
            resource="collection",
        ),
        Change(
            kind="delete", path=("Old stuff", "A"), id="41", updated_at=1, resource="collection"
        ),
        Change(
            kind="delete",
            path=("Old stuff", "B"),
            id="43",
            updated_at=1,
            articles=2,
            resource="collection",
        ),
        Change(
            kind="delete",
            path=("Billing",),
            id="13",
            updated_at=1,
            duplicate_of="12",
            resource="collection",
        ),
        Change(
            kind="delete",
            path=("Old stuff",),
            id="40",
            subtree=(("Old stuff", "A"), ("Old stuff", "A", "Deep"), ("Old stuff", "B")),
            updated_at=1,
            resource="collection",
        ),
    )
    return Plan(
        help_center="acme",
        help_center_id="5",
        changes=changes,
        live_counts=(("collection", 8),),
        source="help/collections.yaml",
        warnings=("live collections 9, 21 are all named 'Billing' under (top level)",),
        parked=(
            ("collection", "30"),
        ),  # its move goes through the top level: shown where it happens
    )


def empty_plan() -> Plan:
    return Plan(
        help_center="acme", help_center_id="5", live_counts=(("collection", 8),), source="hc.yaml"
    )


def past_threshold_plan() -> Plan:
    """Updates and deletes 7 of 20 live collections (over 30%), one delete holding articles."""
    updates = tuple(
        Change(
            kind="update",
            path=("Guides", f"Guide {i}"),
            id=str(100 + i),
            changes=(FieldChange("description", "old", f"new {i}"),),
            source=f"hc.yaml:{3 + i}",
            updated_at=1,
            resource="collection",
        )
        for i in range(5)
    )
    deletes = (
        Change(
            kind="delete",
            path=("Archive", "Old"),
            id="201",
            updated_at=1,
            articles=3,
            resource="collection",
        ),
        Change(kind="delete", path=("Archive",), id="200", updated_at=1, resource="collection"),
    )
    return Plan(
        help_center="acme",
        help_center_id="5",
        changes=updates + deletes,
        live_counts=(("collection", 20),),
        source="hc.yaml",
    )


def right_to_left_plan() -> Plan:
    """Hebrew and Arabic names beside Latin ones: each is isolated, neighbours stay put."""
    return Plan(
        help_center="acme",
        help_center_id="5",
        changes=(
            Change(
                kind="create",
                path=("עזרה", "Billing"),
                parent_path=("עזרה",),
                translations=(("ar", Text("الفواتير", "كل شيء")),),
                source="hc.yaml:3",
                resource="collection",
            ),
            Change(
                kind="update",
                path=("المساعدة",),
                id="7",
                changes=(FieldChange("name", "Help", "المساعدة"),),
                source="hc.yaml:8",
                updated_at=1,
                resource="collection",
            ),
        ),
        live_counts=(("collection", 3),),
        source="hc.yaml",
    )


PLANS = {
    "every-kind": every_kind_plan,
    "empty": empty_plan,
    "past-threshold": past_threshold_plan,
    "right-to-left": right_to_left_plan,
}


@pytest.mark.parametrize("plan_name", sorted(PLANS))
def test_text_golden(plan_name: str) -> None:
    check_golden(f"{plan_name}.txt", render_text(PLANS[plan_name]()))


@pytest.mark.parametrize("plan_name", sorted(PLANS))
def test_text_colour_golden(plan_name: str) -> None:
    check_golden(f"{plan_name}.color.txt", render_text(PLANS[plan_name](), color=True))


@pytest.mark.parametrize("plan_name", sorted(PLANS))
def test_markdown_golden(plan_name: str) -> None:
    check_golden(f"{plan_name}.md", render_markdown(PLANS[plan_name]()))


@pytest.mark.parametrize("plan_name", sorted(PLANS))
def test_json_golden(plan_name: str) -> None:
    check_golden(f"{plan_name}.json", render_json(PLANS[plan_name]()))


@pytest.mark.parametrize("plan_name", sorted(PLANS))
def test_json_round_trips_to_the_plan_dict(plan_name: str) -> None:
    plan = PLANS[plan_name]()
    assert json.loads(render_json(plan)) == plan.to_dict()


def test_plain_text_holds_no_escape_sequences() -> None:
    # A name with an ANSI escape must not reach the terminal raw, coloured or not.
    plain = render_text(every_kind_plan())
    assert "\x1b" not in plain
    coloured = render_text(every_kind_plan(), color=True)
    assert "\x1b[31mANSI" not in coloured
    assert "\\u001b[31mANSI" in coloured


def test_empty_plan_sentences() -> None:
    assert render_text(empty_plan()).endswith("No changes. The live help center matches hc.yaml.\n")
    assert "No changes. The live help center matches <code>hc.yaml</code>." in render_markdown(
        empty_plan()
    )


def test_render_dispatches_by_format() -> None:
    plan = every_kind_plan()
    assert render(plan, "text", color=True) == render_text(plan, color=True)
    assert render(plan, "markdown") == render_markdown(plan)
    assert render(plan, "json") == render_json(plan)
    assert FORMATS == ("text", "markdown", "json")
    with pytest.raises(ValueError, match="unknown plan format"):
        render(plan, "yaml")


def test_lone_surrogates_are_escaped_not_printed() -> None:
    # A lone surrogate cannot be encoded: printed raw, it would crash the write.
    plan = Plan(
        "acme",
        "101",
        (
            Change(
                kind="create", path=("Bad \ud800 name",), source="hc.yaml:3", resource="collection"
            ),
        ),
    )
    text = render_text(plan)
    assert "Bad \\ud800 name" in text
    text.encode("utf-8")  # raises UnicodeEncodeError if one got through


def test_the_refusal_is_repeated_beside_the_final_counts() -> None:
    text = render_text(past_threshold_plan())
    *_, counts, warning = text.splitlines()
    assert counts == "Plan: 0 to create, 5 to update, 2 to delete."
    assert warning == (
        "warning: apply refuses this plan unless --force (updates or deletes 7 of 20 existing"
        " collections, over the 30% threshold; deletes 1 collection holding 3 articles)"
    )
    # The full warnings are still at the top.
    assert "over the 30% safety threshold" in text.splitlines()[2]


def test_no_refusal_line_for_a_safe_plan() -> None:
    assert render_text(right_to_left_plan()).splitlines()[-1] == (
        "Plan: 1 to create, 1 to update, 0 to delete."
    )


def test_a_plan_with_only_articles_at_risk_repeats_that_alone() -> None:
    plan = every_kind_plan()  # 8 live: under the threshold's minimum, but a delete holds articles
    assert render_text(plan).splitlines()[-1] == (
        "warning: apply refuses this plan unless --force (deletes 1 collection holding 2 articles)"
    )


HEBREW, ARABIC = "עזרה", "الفواتير"


def test_right_to_left_names_are_isolated_in_text() -> None:
    text = render_text(right_to_left_plan())
    assert f"+ create  \u2068{HEBREW}\u2069 / Billing" in text
    assert f'translations.ar: "\u2068{ARABIC}\u2069" (description: "\u2068كل شيء\u2069")' in text
    assert 'name: "Help" -> "\u2068المساعدة\u2069"' in text
    # Latin names are left alone, and no isolate is ever escaped.
    assert "\u2068Billing" not in text
    assert "\\u2068" not in text and "\\u2069" not in text
    assert text.count("\u2068") == text.count("\u2069")


def test_right_to_left_names_are_isolated_in_markdown() -> None:
    text = render_markdown(right_to_left_plan())
    assert f"<b>\u2068{HEBREW}\u2069 / Billing</b>" in text
    assert f'| ar | "\u2068{ARABIC}\u2069" | "\u2068كل شيء\u2069" |' in text
    assert "\\u2068" not in text
    assert text.count("\u2068") == text.count("\u2069")


def test_isolates_in_a_live_name_are_escaped_not_trusted() -> None:
    # validate refuses isolates in names, but Intercom may hold one: it is escaped, so it can
    # never unbalance the isolates the renderer adds.
    name = f"{HEBREW}\u2069 x \u2068"
    plan = Plan(
        "acme",
        "5",
        (Change(kind="delete", path=(name,), id="1", updated_at=1, resource="collection"),),
        (("collection", 1),),
    )
    assert f"\u2068{HEBREW}\\u2069 x \\u2068\u2069" in render_text(plan)
    assert f"\u2068{HEBREW}&#92;u2069 x &#92;u2068\u2069" in render_markdown(plan)
