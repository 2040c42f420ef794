"""Whether a saved plan still holds: which live items changed since it was made.

``stale`` compares the live items of every kind now with the versions the plan recorded
(``Plan.live_versions``, by identity ``(kind, id)``): edited, deleted or created in Intercom
since. ``already_applied`` says whether those changes are only the plan's own (a plan applied
twice). Pure: the caller lists live state; nothing here does HTTP or prints.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from hcsync.escape import clean, show_path
from hcsync.model import LiveNode, id_order
from hcsync.plan import LiveEntry, Plan
from hcsync.resource import Identity, kind

Path = tuple[str, ...]


Reason = Literal["edited", "deleted", "created"]


@dataclass(frozen=True)
class Staleness:
    """One live item (of kind ``resource``) that is not as it was when the plan was made."""

    reason: Reason
    id: str
    path: Path | None  # its tree path (live now; from the plan when deleted), None if unknown
    planned_at: int | None = None  # updated_at recorded in the plan
    live_at: int | None = None  # updated_at now
    resource: str = field(kw_only=True)

    @property
    def identity(self) -> Identity:
        return (self.resource, self.id)

    def __str__(self) -> str:
        # Names and ids come from Intercom (or the plan file): escaped, as the plan shows them.
        ident = clean(self.id)
        noun = kind(self.resource).endpoint.noun
        where = f"{show_path(self.path)} (id {ident})" if self.path else f"{noun} {ident}"
        if self.reason == "edited":
            return (
                f"{where}: edited in Intercom since the plan "
                f"(updated_at {self.planned_at} -> {self.live_at})"
            )
        if self.reason == "deleted":
            return f"{where}: deleted in Intercom since the plan"
        return f"{where}: created in Intercom since the plan"


def stale(
    plan: Plan,
    live: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    managed: Collection[Identity] | None = None,
) -> list[Staleness]:
    """Every way the live items now differ from those ``plan`` was computed from.

    ``live`` is, by kind, the help center's raw items as Intercom lists them now (a kind the
    plan recorded but ``live`` lacks reads as having none); ``managed`` the identities among
    them hcsync manages (the rest, ``ignore:``d, are nobody's business here), all of them when
    None. Compared on ``updated_at`` against ``plan.live_versions``: any edit in Intercom, even
    one that does not touch what the plan changes, means the plan was reviewed against a state
    that no longer exists. By kind, then in id order, so the message is stable.
    """
    before = dict(plan.live_versions)
    names = sorted(
        dict.fromkeys([*(k for k, _ in plan.live_counts), *live]), key=lambda n: kind(n).rank
    )
    read: dict[str, Mapping[str, LiveNode]] = {}
    planned_paths = {c.identity: c.path for c in plan.changes if c.identity is not None}
    planned_tree = {entry.identity: entry for entry in plan.live_tree}
    out: list[Staleness] = []
    for name in names:
        # Read as the plan read them (the kind's ``read_live``): the same ids, paths and
        # updated_at. Paths and timestamps do not depend on the locale, so any will do.
        above = kind(name).parent_kind
        within = read.get(above) if above is not None and above != name else None
        nodes = kind(name).read_live(live.get(name, ()), "en", within).nodes
        read[name] = nodes
        now = {
            cid: node.updated_at
            for cid, node in nodes.items()
            if managed is None or (name, cid) in managed
        }
        mine = {cid: at for (k, cid), at in before.items() if k == name}
        for cid in sorted(set(mine) | set(now), key=id_order):
            if cid not in now:
                # Named by its path when planned: from the plan's live tree, else its change's.
                path = _planned_path(planned_tree, (name, cid)) or planned_paths.get((name, cid))
                out.append(Staleness("deleted", cid, path, mine[cid], resource=name))
                continue
            path = nodes[cid].node.path
            if cid not in mine:
                out.append(Staleness("created", cid, path, None, now[cid], resource=name))
            elif mine[cid] != now[cid]:
                out.append(Staleness("edited", cid, path, mine[cid], now[cid], resource=name))
    return out


def already_applied(plan: Plan, changed: Sequence[Staleness]) -> bool:
    """True when ``changed`` (``stale``'s answer) is only what applying ``plan`` itself does:
    the items it updates or deletes, edited or gone, and new ones at the paths it creates.
    The caller checks the other half: a fresh plan against live state is empty.
    """
    touched = {c.identity for c in plan.changes if c.kind in ("update", "delete")}
    created = {c.key for c in plan.changes if c.kind == "create"}
    return bool(changed) and all(
        (item.reason in ("edited", "deleted") and item.identity in touched)
        or (item.reason == "created" and (item.resource, item.path) in created)
        for item in changed
    )


def _planned_path(tree: Mapping[Identity, LiveEntry], ident: Identity) -> Path | None:
    """The tree path of live item ``ident`` when the plan was made, from the plan's
    ``live_tree``; None when the tree does not hold it and all its parents (or holds a parent
    loop, which no plan should)."""
    names: list[str] = []
    current: Identity | None = ident
    while current is not None:
        entry = tree.get(current)
        if entry is None or len(names) > len(tree):
            return None
        names.append(entry.name)
        above = kind(entry.resource).parent_kind
        current = (above, entry.parent_id) if above and entry.parent_id is not None else None
    return tuple(reversed(names))
