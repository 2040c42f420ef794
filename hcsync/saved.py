"""Saved plans: reading one back, and checking it still holds before it is applied.

``hcsync plan --out PLAN.json`` saves ``render_json(plan)``, so a saved plan *is* the JSON plan
(``schemas/plan.schema.json``). This module owns reading that file back into a Plan (with a
clear UsageError for every way it can be wrong), the digest of the YAML file it was made from,
``stale``: which live collections changed since the plan (edited, deleted or created in
Intercom), ``already_applied``: whether those changes are only the plan's own (a plan applied
twice), and ``plan_difference``: what a fresh plan does that the reviewed one did not.

It reads files but does no HTTP and prints nothing: the command fetches live state and says
what these functions found.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, Literal

from hcsync.errors import UsageError
from hcsync.model import id_order
from hcsync.normalize import read_live
from hcsync.plan import PLAN_FORMAT_VERSION, Change, LiveEntry, Plan
from hcsync.render.escape import clean, show_path
from hcsync.schema import read_schema

PLAN_SCHEMA_NAME = "plan.schema.json"
Path = tuple[str, ...]


def plan_schema() -> dict[str, Any]:
    """The JSON plan's schema (``schemas/plan.schema.json``), read once per process."""
    return read_schema(PLAN_SCHEMA_NAME)


def read_saved_plan(path: str) -> Plan:
    """The Plan saved at ``path`` by ``hcsync plan --out``.

    UsageError when the file is missing or unreadable, is not JSON, has a ``format_version``
    this hcsync does not read, or does not match the plan schema (a hand-edited or truncated
    file must never be applied).
    """
    try:
        text = FilePath(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such plan file; make one with: hcsync plan FILE --out {path}"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read the plan: {err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise UsageError(
            f"{path}:{err.lineno}:{err.colno}: not a JSON plan ({err.msg}); "
            "make one with: hcsync plan FILE --out PLAN.json"
        ) from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: not a hcsync plan (expected a JSON object)")
    version = data.get("format_version")
    if version != PLAN_FORMAT_VERSION:
        raise UsageError(
            f"{path}: plan format_version {version!r}, but this hcsync reads format_version "
            f"{PLAN_FORMAT_VERSION}; make the plan again with this hcsync"
        )
    from jsonschema import Draft202012Validator  # only when a saved plan is read

    errors = sorted(
        Draft202012Validator(plan_schema()).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        first = errors[0]
        # Keys of the file are shown escaped: a crafted plan must not be able to add lines.
        where = clean("/".join(str(p) for p in first.absolute_path)) or "(top)"
        message = first.message
        if first.validator == "pattern" and first.validator_value == _id_pattern():
            # An id goes into a URL path: '..' or '7/../8' would reach another endpoint.
            message = f"{first.instance!r} is not an Intercom id (ids are digits)"
        rest = len(errors) - 1
        more = f" (and {rest} more problem{'s' if rest > 1 else ''})" if rest else ""
        raise UsageError(
            f"{path}: not a valid hcsync plan: at {where}: {message}{more}; "
            "was it edited by hand? Make it again with: hcsync plan FILE --out PLAN.json"
        )
    return Plan.from_dict(data)


def _id_pattern() -> str:
    pattern: str = plan_schema()["$defs"]["id"]["pattern"]
    return pattern


def file_digest(path: str) -> str:
    """sha256 (hex) of a file's bytes: what ``Plan.source_digest`` records."""
    try:
        return hashlib.sha256(FilePath(path).read_bytes()).hexdigest()
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror}") from None


# ---- staleness: has live state moved since the plan was made? ------------------------------


class StalePlanError(UsageError):
    """A saved plan was made against a live state that has since changed; ``changed`` says how.

    A UsageError because the cure is on the command line: plan again, or ``--refresh``.
    """

    def __init__(self, plan_file: str, source: str, changed: Sequence[Staleness]) -> None:
        self.plan_file = plan_file
        self.changed = tuple(changed)
        count = len(self.changed)
        lines = "".join(f"\n  {item}" for item in self.changed)
        super().__init__(
            f"{plan_file} is stale: {count} live collection{'s' if count != 1 else ''} changed"
            f" since the plan was made:{lines}\nNothing was applied. Make and review the plan"
            f" again (hcsync plan {clean(source)} --out {plan_file}), or run apply with"
            " --refresh to re-plan and see only what differs from the reviewed plan."
        )


Reason = Literal["edited", "deleted", "created"]


@dataclass(frozen=True)
class Staleness:
    """One live collection that is not as it was when the plan was made."""

    reason: Reason
    id: str
    path: Path | None  # its tree path (live now; from the plan when deleted), None if unknown
    planned_at: int | None = None  # updated_at recorded in the plan
    live_at: int | None = None  # updated_at now

    def __str__(self) -> str:
        # Names and ids come from Intercom (or the plan file): escaped, as the plan shows them.
        ident = clean(self.id)
        where = f"{show_path(self.path)} (id {ident})" if self.path else f"collection {ident}"
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
    live: Sequence[Mapping[str, Any]],
    *,
    managed: Collection[str] | None = None,
) -> list[Staleness]:
    """Every way the live collections now differ from those ``plan`` was computed from.

    ``live`` is the help center's raw collections as Intercom lists them now; ``managed`` the
    ids among them hcsync manages (the rest, ``ignore:``d, are nobody's business here), all of
    them when None. Compared on ``updated_at`` against ``plan.live_versions``: any edit in
    Intercom, even one that does not touch what the plan changes, means the plan was reviewed
    against a state that no longer exists. In id order, so the message is stable.
    """
    # Read as the plan read them (``normalize.read_live``): the same ids, paths and
    # updated_at. Paths and timestamps do not depend on the locale, so any will do.
    nodes = read_live(live, default_locale="en").nodes
    now = {cid: node.updated_at for cid, node in nodes.items() if managed is None or cid in managed}
    before = dict(plan.live_versions)
    planned_paths = {c.id: c.path for c in plan.changes if c.id is not None}
    planned_tree = {entry.id: entry for entry in plan.live_tree}
    out: list[Staleness] = []
    for cid in sorted(set(before) | set(now), key=id_order):
        if cid not in now:
            # Named by its path when planned: from the plan's live tree, else its change's.
            path = _planned_path(planned_tree, cid) or planned_paths.get(cid)
            out.append(Staleness("deleted", cid, path, before[cid]))
            continue
        path = nodes[cid].node.path
        if cid not in before:
            out.append(Staleness("created", cid, path, None, now[cid]))
        elif before[cid] != now[cid]:
            out.append(Staleness("edited", cid, path, before[cid], now[cid]))
    return out


def already_applied(plan: Plan, changed: Sequence[Staleness]) -> bool:
    """True when ``changed`` (``stale``'s answer) is only what applying ``plan`` itself does:
    the collections it updates or deletes, edited or gone, and new ones at the paths it
    creates. The caller checks the other half: a fresh plan against live state is empty.
    """
    touched = {c.id for c in plan.changes if c.kind in ("update", "delete") and c.id}
    created = {c.path for c in plan.changes if c.kind == "create"}
    return bool(changed) and all(
        (item.reason in ("edited", "deleted") and item.id in touched)
        or (item.reason == "created" and item.path in created)
        for item in changed
    )


def _planned_path(tree: Mapping[str, LiveEntry], cid: str) -> Path | None:
    """The tree path of live collection ``cid`` when the plan was made, from the plan's
    ``live_tree`` (by id); None when the tree does not hold it and all its parents (or holds
    a parent loop, which no plan should)."""
    names: list[str] = []
    current: str | None = cid
    while current is not None:
        entry = tree.get(current)
        if entry is None or len(names) > len(tree):
            return None
        names.append(entry.name)
        current = entry.parent_id
    return tuple(reversed(names))


# ---- what a fresh plan does differently from the reviewed one -------------------------------

# Fields that say when, not what: a collection edited in Intercom has a new updated_at in the
# fresh plan even when the change planned for it is the same.
VOLATILE = ("live_updated_at",)


@dataclass(frozen=True)
class Altered:
    """The same kind of change to the same collection, with different content."""

    reviewed: Change
    fresh: Change


@dataclass(frozen=True)
class PlanDifference:
    """What a fresh plan does that the reviewed plan did not, and the reverse."""

    added: tuple[Change, ...] = ()  # in the fresh plan only
    dropped: tuple[Change, ...] = ()  # in the reviewed plan only: no longer planned
    altered: tuple[Altered, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.dropped or self.altered)


def plan_difference(reviewed: Plan, fresh: Plan) -> PlanDifference:
    """Compare two plans change by change, keyed by (kind, path), ignoring volatile fields.

    A delete is keyed by its live id too, since two live collections can share a path.
    """
    old = {_key(c): c for c in reviewed.changes}
    new = {_key(c): c for c in fresh.changes}
    added = tuple(c for k, c in new.items() if k not in old)
    dropped = tuple(c for k, c in old.items() if k not in new)
    altered = tuple(
        Altered(old[k], c) for k, c in new.items() if k in old and _content(old[k]) != _content(c)
    )
    return PlanDifference(added, dropped, altered)


def _key(change: Change) -> tuple[str, Path, str | None]:
    return (change.kind, change.path, change.id if change.kind == "delete" else None)


def _content(change: Change) -> dict[str, object]:
    data = change.to_dict()
    for name in VOLATILE:
        data.pop(name, None)
    return data
