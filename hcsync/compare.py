"""How a fresh plan differs from the reviewed one (``apply --plan --refresh``).

``plan_difference`` compares two plans change by change, keyed by kind, action, item kind and
path, ignoring fields that say when rather than what. Pure values; ``render.difference``
shows the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from hcsync.plan import Change, Plan, PlanSettings

Path = tuple[str, ...]

# Fields that say when, not what: a collection edited in Intercom has a new updated_at in the
# fresh plan even when the change planned for it is the same.
VOLATILE = ("live_updated_at",)


@dataclass(frozen=True)
class Altered:
    """The same kind of change to the same item, with different content."""

    reviewed: Change
    fresh: Change


@dataclass(frozen=True)
class PlanDifference:
    """What a fresh plan does that the reviewed plan did not, and the reverse."""

    added: tuple[Change, ...] = ()  # in the fresh plan only
    dropped: tuple[Change, ...] = ()  # in the reviewed plan only: no longer planned
    altered: tuple[Altered, ...] = ()
    # The reviewed plan's settings and the fresh one's, when they differ: its changes were
    # compared (and shown to the reviewer) under other rules.
    settings: tuple[PlanSettings, PlanSettings] | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.dropped or self.altered or self.settings)


def plan_difference(reviewed: Plan, fresh: Plan) -> PlanDifference:
    """Compare two plans change by change, keyed by (kind, path), ignoring volatile fields.

    A delete is keyed by its live id too, since two live items can share a path.
    """
    old = {_key(c): c for c in reviewed.changes}
    new = {_key(c): c for c in fresh.changes}
    added = tuple(c for k, c in new.items() if k not in old)
    dropped = tuple(c for k, c in old.items() if k not in new)
    altered = tuple(
        Altered(old[k], c) for k, c in new.items() if k in old and _content(old[k]) != _content(c)
    )
    settings = None if reviewed.settings == fresh.settings else (reviewed.settings, fresh.settings)
    return PlanDifference(added, dropped, altered, settings)


def _key(change: Change) -> tuple[str, str, Path, str | None]:
    return (
        change.kind,
        change.resource,
        change.path,
        change.id if change.kind == "delete" else None,
    )


def _content(change: Change) -> dict[str, object]:
    data = change.to_dict()
    for name in VOLATILE:
        data.pop(name, None)
    return data
