"""How the pieces of a plan are put into words, the same in every output that shows them.

Owns what text, Markdown and the reviewed-vs-fresh difference all say alike: the mark of a
change kind, one side of a field change (``show_value``), a name with its description
(``show_text``), the notes on a delete, the note on a move through the top level and the short
line saying why apply refuses a plan. Escaping is ``hcsync.escape``'s; layout and colour are
each renderer's own. Pure: no IO, no Markdown, no colour.
"""

from __future__ import annotations

from collections.abc import Iterable

from hcsync.escape import clean, quote
from hcsync.model import Text
from hcsync.plan import Change, FieldChange, Plan

NONE = "(none)"
# An update whose move goes through the top level: one more call, shown where it happens.
PARKED = (
    "moved to the top level first, then to its place: no direct order of the calls keeps"
    " the tree within three levels"
)
MARKS = {"create": "+", "update": "~", "delete": "-"}


def show_value(change: FieldChange, value: str | Text | None) -> str:
    """One side of a field change as people read it."""
    if value is None:
        return NONE
    if isinstance(value, Text):
        return show_text(value)
    if change.field == "parent":
        return clean(value)  # already a tree path such as "Billing / Refunds" or "(top level)"
    return quote(value)


def show_text(text: Text) -> str:
    more = [("description", text.description)] if text.description else []
    more += list(text.extra)
    if not more:
        return quote(text.name)
    return f"{quote(text.name)} ({', '.join(f'{clean(k)}: {quote(v)}' for k, v in more)})"


def verb(change: Change, named: bool) -> str:
    """What a change does: ``create``, or ``create article`` when ``named`` (the plan changes
    items of more than one kind, so a path alone could name either)."""
    return f"{change.kind} {change.resource}" if named else change.kind


def names_kinds(changes: Iterable[Change]) -> bool:
    """Whether change lines must name their kind: they span more than one."""
    return len({c.resource for c in changes}) > 1


Shown = str | list[str]  # one line of value, or lines a kind shows a long field in


def created_rows(plan: Plan, change: Change) -> list[tuple[str, Shown]]:
    """A create's default-locale content as (field, shown value): name, description and the
    kind's own fields (as the kind shows a long one: ``ResourceKind.shown``)."""
    rows: list[tuple[str, Shown]] = [("name", quote(change.name))]
    if change.description:
        rows.append(("description", quote(change.description)))
    show = plan.kind(change.resource).shown
    for key, value in change.extra:
        lines = show(key, None, value)
        rows.append((clean(key), quote(value) if lines is None else lines))
    return rows


def changed_rows(plan: Plan, change: Change) -> list[tuple[str, Shown]]:
    """An update's fields as (field, ``old -> new``), or the lines its kind shows it in."""
    show = plan.kind(change.resource).shown
    rows: list[tuple[str, Shown]] = []
    for c in change.changes:
        lines = show(c.field, c.old, c.new)
        shown = f"{show_value(c, c.old)} -> {show_value(c, c.new)}" if lines is None else lines
        rows.append((c.field, shown))
    return rows


def translation_shown(plan: Plan, change: Change, locale: str, text: Text) -> Shown:
    """A created translation, as its kind shows it, else as ``show_text``."""
    lines = plan.kind(change.resource).shown(f"translations.{locale}", None, text)
    return show_text(text) if lines is None else lines


def delete_notes(change: Change) -> list[str]:
    """What a reader must know of a delete: the articles it holds, or that it is a cleanup."""
    notes = []
    if change.articles:
        notes.append(f"holds {change.articles} article{'s' if change.articles != 1 else ''}")
    if change.cleanup:
        notes.append(
            f"an empty duplicate of id {clean(change.duplicate_of or '')}: a cleanup, not"
            " counted by the safety threshold"
        )
    return notes


def refusal(plan: Plan) -> str | None:
    """Why apply refuses this plan without ``--force``, in one short line, or None.

    A short form of the safety notices (``Plan.too_much_change``, ``Plan.holding_articles``),
    repeated beside the counts at the end of a plan.
    """
    reasons = []
    over = plan.over_threshold
    if over is not None:
        reasons.append(
            f"updates or deletes {over.touched} of {over.existing} existing {over.plural},"
            f" over the {over.limit:.0%} threshold"
        )
    holding = plan.holding_articles
    if holding:
        articles = sum(c.articles or 0 for c in holding)
        reasons.append(
            f"deletes {len(holding)} collection{'s' if len(holding) != 1 else ''} holding"
            f" {articles} article{'s' if articles != 1 else ''}"
        )
    if not reasons:
        return None
    return f"apply refuses this plan unless --force ({'; '.join(reasons)})"
