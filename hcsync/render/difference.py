"""A PlanDifference as plain text: what ``apply --plan --refresh`` shows before applying.

Only what differs from the reviewed plan is shown, so a reviewer reads the surprise and
nothing else. Pure: no IO, no colour.
"""

from __future__ import annotations

from hcsync.model import Text, show_path
from hcsync.plan import Change
from hcsync.saved import PlanDifference

SAME = "The fresh plan is the same as the reviewed one.\n"


def render_difference(difference: PlanDifference) -> str:
    if difference.empty:
        return SAME
    lines = ["The fresh plan differs from the reviewed one:"]
    for change in difference.added:
        lines.append(f"  + not in the reviewed plan: {describe(change)}")
    for change in difference.dropped:
        lines.append(f"  - no longer planned: {describe(change)}")
    for altered in difference.altered:
        lines.append(f"  ~ changed: {describe(altered.fresh)}")
        lines.append(f"      reviewed: {_fields(altered.reviewed)}")
        lines.append(f"      now:      {_fields(altered.fresh)}")
    return "\n".join(lines) + "\n"


def describe(change: Change) -> str:
    """One line: ``update Billing / Invoices (id 7): name 'Bills' -> 'Invoices'``."""
    ident = f" (id {change.id})" if change.id else ""
    head = f"{change.kind} {show_path(change.path)}{ident}"
    if change.kind == "update":
        return f"{head}: {_fields(change)}"
    if change.kind == "delete" and change.subtree:
        return f"{head}, with {', '.join(show_path(p) for p in change.subtree)}"
    return head


def _fields(change: Change) -> str:
    if change.kind == "update":
        return "; ".join(f"{c.field} {_show(c.old)} -> {_show(c.new)}" for c in change.changes)
    if change.kind == "create":
        under = show_path(change.parent_path)
        return f"create under {under}, description {_show(change.description)}" + "".join(
            f", {loc} {_show(text)}" for loc, text in change.translations
        )
    return f"delete {show_path(change.path)}"


def _show(value: str | Text | None) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Text):
        return repr(value.name) + (f" ({value.description!r})" if value.description else "")
    return repr(value)
