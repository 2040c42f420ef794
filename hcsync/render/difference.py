"""A PlanDifference as plain text: what ``apply --plan --refresh`` shows before applying.

Only what differs from the reviewed plan is shown, so a reviewer reads the surprise and
nothing else. Names, ids and text are shown with ``hcsync.escape``'s escaping and
``render.values``' wording, so a collection name cannot drive the terminal. Pure: no IO, no
colour.
"""

from __future__ import annotations

from hcsync.compare import PlanDifference
from hcsync.escape import clean, quote, show_path
from hcsync.plan import Change, PlanSettings
from hcsync.render.values import names_kinds, show_text, show_value, verb

SAME = "The fresh plan is the same as the reviewed one.\n"


def render_difference(difference: PlanDifference) -> str:
    if difference.empty:
        return SAME
    lines = ["The fresh plan differs from the reviewed one:"]
    named = names_kinds(
        [*difference.added, *difference.dropped, *(a.fresh for a in difference.altered)]
    )
    for change in difference.added:
        lines.append(f"  + not in the reviewed plan: {describe(change, named)}")
    for change in difference.dropped:
        lines.append(f"  - no longer planned: {describe(change, named)}")
    for altered in difference.altered:
        lines.append(f"  ~ changed: {describe(altered.fresh, named)}")
        lines.append(f"      reviewed: {_fields(altered.reviewed)}")
        lines.append(f"      now:      {_fields(altered.fresh)}")
    if difference.settings is not None:
        reviewed, fresh = (_settings(s) for s in difference.settings)
        lines.append(f"  ~ settings: reviewed {reviewed}, now {fresh}")
    return "\n".join(lines) + "\n"


def _settings(settings: PlanSettings) -> str:
    """``article heading_levels: keep``, or ``none`` (each kind as the file left it)."""
    shown = [
        f"{clean(kind)} {clean(key)}: {clean(value)}"
        for kind, pairs in settings
        for key, value in pairs
    ]
    return "; ".join(shown) if shown else "none"


def describe(change: Change, named: bool = False) -> str:
    """One line: ``update Billing / Invoices (id 7): name "Bills" -> "Invoices"``; the kind
    after the action when ``named`` (``update article ...``)."""
    ident = f" (id {clean(change.id)})" if change.id else ""
    head = f"{verb(change, named)} {show_path(change.path)}{ident}"
    if change.kind == "update":
        return f"{head}: {_fields(change)}"
    if change.kind == "delete" and change.subtree:
        return f"{head}, with {', '.join(show_path(p) for p in change.subtree)}"
    return head


def _fields(change: Change) -> str:
    if change.kind == "update":
        return "; ".join(
            f"{clean(c.field)} {show_value(c, c.old)} -> {show_value(c, c.new)}"
            for c in change.changes
        )
    if change.kind == "create":
        under = show_path(change.parent_path)
        own = "".join(f", {clean(k)} {quote(v)}" for k, v in change.extra)
        return f"create under {under}, description {quote(change.description)}{own}" + "".join(
            f", {clean(loc)} {show_text(text)}" for loc, text in change.translations
        )
    return f"delete {show_path(change.path)}"
