"""Markdown for pull-request comments: the layout, and the size limit of a GitHub comment.

Layout details shared with the other renderers are pinned in test_render.py; here are the
cases only Markdown has: per-locale translation rows and the summarised large plan. Regenerate
goldens after a deliberate change with ``HCSYNC_UPDATE_GOLDEN=1 pytest tests/test_markdown.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hcsync.model import Text
from hcsync.plan import Change, FieldChange, Plan
from hcsync.render.markdown import MAX_COMMENT_CHARS, render_markdown

GOLDEN = Path(__file__).parent / "golden"
GITHUB_COMMENT_LIMIT = 65_536
TRAILER_END = "see the JSON plan (`hcsync plan --format json`) or the job log.\n"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HCSYNC_UPDATE_GOLDEN") == "1":
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), f"{path} missing; run with HCSYNC_UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_bytes().decode("utf-8")


def generated_plan(
    creates: int, updates: int, deletes: int, *, name_length: int = 12, warnings: int = 1
) -> Plan:
    """A deterministic plan with the given numbers of changes, in the order build_plan sorts."""

    def name(kind: str, i: int) -> str:
        base = f"{kind} {i:04d}"
        pad = name_length - len(base) - 1
        return base + " " + "x" * pad if pad > 0 else base

    changes: list[Change] = []
    for i in range(creates):
        changes.append(
            Change(
                kind="create",
                path=("Guides", name("New", i)),
                parent_path=("Guides",),
                parent_id="1",
                description=f"Created number {i}",
                translations=(("fr", Text(f"Nouveau {i}", "Créé")),),
                source=f"collections.yaml:{10 + i}",
                resource="collection",
            )
        )
    for i in range(updates):
        changes.append(
            Change(
                kind="update",
                path=("Guides", name("Changed", i)),
                id=str(1000 + i),
                changes=(
                    FieldChange("description", "old", f"new {i}"),
                    FieldChange("translations.de", Text("Alt"), Text("Neu", "Beschreibung")),
                ),
                source=f"collections.yaml:{5000 + i}",
                updated_at=1700000000 + i,
                resource="collection",
            )
        )
    for i in range(deletes):
        changes.append(
            Change(
                kind="delete",
                path=("Archive", name("Gone", i), name("Leaf", i)),
                id=str(9000 + i),
                updated_at=1,
                resource="collection",
            )
        )
    return Plan(
        help_center="acme",
        help_center_id="5",
        changes=tuple(changes),
        live_counts=(("collection", updates + deletes + 1),),
        source="collections.yaml",
        warnings=tuple(f"warning number {i}" for i in range(warnings)),
    )


def deleted_paths_listed(text: str, plan: Plan) -> list[str]:
    return [" / ".join(c.path) for c in plan.of_kind("delete") if " / ".join(c.path) not in text]


def test_a_plan_that_fits_is_not_summarised() -> None:
    plan = generated_plan(3, 2, 2)
    text = render_markdown(plan)
    assert "too long for one comment" not in text
    assert text.count("<details>") == 7


def test_translations_are_one_row_per_locale_with_name_and_description() -> None:
    plan = generated_plan(1, 1, 0)
    text = render_markdown(plan)
    assert "| locale | name | description |" in text
    assert '| fr | "Nouveau 0" | "Créé" |' in text
    assert '| de | changed | "Alt" → "Neu" | "" → "Beschreibung" |' in text


def test_summarised_plan_golden() -> None:
    # Small limit, small golden: some changes in full, the rest one per line, deletes all kept.
    plan = generated_plan(6, 4, 3)
    assert len(render_markdown(plan, limit=10_000)) > 3_500
    text = render_markdown(plan, limit=3_500)
    assert len(text) <= 3_500
    assert "one per line" in text
    assert "not shown" not in text
    assert deleted_paths_listed(text, plan) == []
    check_golden("summarised.md", text)


def test_summarised_plan_with_changes_left_out_golden() -> None:
    plan = generated_plan(20, 10, 4)
    text = render_markdown(plan, limit=3_000)
    assert len(text) <= 3_000
    assert deleted_paths_listed(text, plan) == []
    assert text.endswith(
        "not shown; see the JSON plan (`hcsync plan --format json`) or the job log.\n"
    )
    check_golden("summarised-truncated.md", text)


def test_summary_counts_and_warnings_survive_summarising() -> None:
    plan = generated_plan(200, 100, 50, warnings=3)
    text = render_markdown(plan, limit=8_000)
    assert "**200 to create, 100 to update, 50 to delete**" in text
    assert "| 200 | 100 | 50 |" in text
    for i in range(3):
        assert f"warning number {i}" in text


def test_the_safety_threshold_warning_survives_summarising() -> None:
    plan = generated_plan(0, 400, 400)  # 800 of 801 live touched: over the threshold
    assert plan.too_much_change is not None
    text = render_markdown(plan, limit=6_000)
    assert "over the 30% safety threshold" in text


def test_every_delete_is_listed_in_a_large_plan_under_the_real_limit() -> None:
    plan = generated_plan(4_000, 900, 100, name_length=60)
    text = render_markdown(plan)
    assert len(text) <= MAX_COMMENT_CHARS
    assert deleted_paths_listed(text, plan) == []
    assert "too long for one comment (60,000 characters)" in text


def test_deletes_past_the_limit_are_listed_as_many_as_fit_and_the_rest_counted() -> None:
    # What the docs promise for a very large plan: deletes first, as many as fit; not all.
    plan = generated_plan(10, 0, 1_000, name_length=60)
    text = render_markdown(plan)
    assert len(text) <= MAX_COMMENT_CHARS
    missing = deleted_paths_listed(text, plan)
    assert 0 < len(missing) < 1_000
    listed = 1_000 - len(missing)
    assert f"{listed} more one per line, {len(missing) + 10} not shown" in text
    assert "New 0000" not in text  # no create is listed while a delete is left out
    assert text.endswith(f"... and {len(missing) + 10} more changes not shown; {TRAILER_END}")


@pytest.mark.parametrize(
    ("creates", "updates", "deletes"),
    [(5_000, 0, 0), (2_000, 2_000, 1_000), (0, 0, 5_000)],
)
def test_a_huge_plan_with_long_names_stays_under_the_comment_limit(
    creates: int, updates: int, deletes: int
) -> None:
    plan = generated_plan(creates, updates, deletes, name_length=250, warnings=2_000)
    text = render_markdown(plan)
    assert MAX_COMMENT_CHARS < GITHUB_COMMENT_LIMIT
    assert len(text) <= MAX_COMMENT_CHARS
    assert text.endswith("or the job log.\n")
    assert "warning number 0" in text  # the first warnings are kept
    assert "more warnings, in the job log" in text


def test_changes_past_the_one_per_line_budget_are_still_named() -> None:
    # Updates' one-line forms are long (fields, live id); their names alone are short.
    plan = generated_plan(0, 30, 2)
    text = render_markdown(plan, limit=3_050)
    assert len(text) <= 3_050
    assert "**Not shown above, by name only:**" in text
    named = [line for line in text.splitlines() if line.endswith("(update)")]
    assert named and all(line.startswith("- Guides / Changed ") for line in named)
    assert f"{len(named)} more by name only" in text


def test_a_summarised_plan_repeats_the_refusal_under_the_counts() -> None:
    plan = generated_plan(20, 10, 4)
    lines = render_markdown(plan, limit=3_000).splitlines()
    table = lines.index("| 20 | 10 | 4 |")
    assert lines[table + 2] == (
        "**Warning: apply refuses this plan unless --force (updates or deletes 14 of 15 existing"
        " collections, over the 30% threshold).**"
    )


def test_a_full_plan_keeps_its_warnings_right_under_the_counts() -> None:
    plan = generated_plan(2, 10, 4)
    lines = render_markdown(plan).splitlines()
    table = lines.index("| 2 | 10 | 4 |")
    assert lines[table + 2 : table + 5] == ["> **Warnings**", ">", f"> - {plan.notices()[0]}"]
    assert not any(line.startswith("**Warning: apply refuses") for line in lines)


def test_markup_in_names_cannot_escape_even_in_one_line_form() -> None:
    evil = Change(
        kind="delete", path=("</details><img src=x>| *a*",), id="1", resource="collection"
    )
    filler = generated_plan(50, 0, 0)
    plan = Plan(
        "acme",
        "5",
        changes=(*filler.changes, evil),
        live_counts=(("collection", 1),),
        source="c.yaml",
    )
    text = render_markdown(plan, limit=3_000)
    assert "one per line" in text
    assert "</details><img" not in text
    assert "&#60;/details&#62;&#60;img src=x&#62;&#124; &#42;a&#42;" in text
