"""The plan as terminal text: Terraform-like, but calmer.

One header line naming the help center, any warnings, then one block per change in plan
order, then a one-line summary::

    + create  Getting started / Installation
        name:            "Installation"
        translations.fr: "Installation" (description: "Pour commencer")
        hc.yaml:4

Strings are quoted with every control character escaped (``hcsync.escape``), so a name
holding a newline or an ANSI escape can neither break the layout nor drive the terminal, and
right-to-left text cannot pull the quotes out of place. Colour (green
create, yellow update, red delete, dim sources) only when ``color=True``: whether to colour
is the CLI's decision. Pure: no IO, no terminal detection.
"""

from __future__ import annotations

from hcsync.escape import clean, quote, show_path
from hcsync.plan import Change, Plan
from hcsync.render.values import (
    MARKS,
    PARKED,
    Shown,
    changed_rows,
    created_rows,
    delete_notes,
    names_kinds,
    refusal,
    translation_shown,
    verb,
)

_COLORS = {"create": "32", "update": "33", "delete": "31", "dim": "2", "warn": "33"}


def render_text(plan: Plan, *, color: bool = False) -> str:
    paint = _Paint(color)
    lines = [header(plan)]
    if plan.notices():
        lines.append("")
    for warning in plan.notices():
        lines.append(paint("warn", f"warning: {clean(warning)}"))
    parked = set(plan.parked)
    named = names_kinds(plan.changes)
    for change in plan.changes:
        lines.append("")
        lines.extend(_change(plan, change, paint, parked=change.identity in parked, named=named))
    lines.append("")
    lines.append(footer(plan))
    short = refusal(plan)
    if short is not None:
        # The full warning sits at the top, which a long plan scrolls far out of sight.
        lines.append(paint("warn", f"warning: {short}"))
    return "\n".join(lines) + "\n"


def header(plan: Plan) -> str:
    return (
        f"Plan for help center {quote(plan.help_center)} (id {clean(plan.help_center_id)})"
        f" from {clean(plan.source)}, against {plan.live_summary()}"
    )


def footer(plan: Plan) -> str:
    if plan.empty:
        return f"No changes. The live help center matches {clean(plan.source)}."
    counts = plan.counts()
    return (
        f"Plan: {counts['create']} to create, {counts['update']} to update,"
        f" {counts['delete']} to delete."
    )


def _change(
    plan: Plan, change: Change, paint: _Paint, *, parked: bool = False, named: bool = False
) -> list[str]:
    title = f"{MARKS[change.kind]} {verb(change, named)}  {show_path(change.path)}"
    first = paint(change.kind, title)
    if change.id is not None:
        first += paint("dim", f"  (id {clean(change.id)})")
    out = [first]
    rows = field_rows(plan, change)
    width = max((len(name) for name, value in rows if isinstance(value, str)), default=0)
    for name, value in rows:
        if isinstance(value, str):
            out.append(f"    {name + ':':<{width + 1}} {value}")
        else:  # a long field, in the lines its kind shows it in
            out.append(f"    {name}:")
            out.extend(f"        {clean(line)}" for line in value)
    if change.subtree:
        also = ", ".join(show_path(p) for p in change.subtree)
        out.append(f"    (also deletes: {also})")
    if parked:
        out.append(f"    ({PARKED})")
    out.extend(f"    ({note})" for note in delete_notes(change))
    if change.source:
        out.append(paint("dim", f"    {clean(change.source)}"))
    return out


def field_rows(plan: Plan, change: Change) -> list[tuple[str, Shown]]:
    """(field, shown value) pairs: a create's content, or an update's ``old -> new``; a long
    field as the lines its kind shows it in."""
    if change.kind == "create":
        rows = created_rows(plan, change)
        rows.extend(
            (f"translations.{loc}", translation_shown(plan, change, loc, t))
            for loc, t in change.translations
        )
        return rows
    if change.kind == "update":
        return changed_rows(plan, change)
    return []


class _Paint:
    """Wraps text in an ANSI colour for its role, or leaves it alone when colour is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, role: str, text: str) -> str:
        if not self.color:
            return text
        return f"\x1b[{_COLORS[role]}m{text}\x1b[0m"
