"""The plan: an immutable, sorted value saying what apply will do, and nothing else.

Built once by ``build_plan`` from matched desired and live nodes, sorted when built:
creates and updates parent-first (by depth in the desired tree, then file order), deletes
children-first. Renderers only read it; JSON output and the fingerprint come from the same
``to_dict()``. Pure: no IO.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple

from hcsync import __version__
from hcsync.limits import MAX_CHANGE_SHARE, MIN_EXISTING
from hcsync.model import Text

Kind = Literal["create", "update", "delete"]
# 2: the plan records the live tree (``live_tree``) and the collections moved through the top
# level (``parked``), so apply can order its calls legally; version 1 plans are refused.
PLAN_FORMAT_VERSION = 2


@dataclass(frozen=True)
class FieldChange:
    """One changed field: ``name``, ``description``, ``parent`` or ``translations.<locale>``.

    For translations ``old``/``new`` are ``Text`` (None when the locale is absent on that side);
    for other fields plain strings (``parent`` shows tree paths, not ids).
    """

    field: str
    old: str | Text | None
    new: str | Text | None

    @property
    def locale(self) -> str | None:
        prefix = "translations."
        return self.field[len(prefix) :] if self.field.startswith(prefix) else None


@dataclass(frozen=True)
class Change:
    """One create, update or delete of one collection.

    ``path`` is the collection's path in the desired tree (create, update) or in the live
    tree (delete). ``id`` is the live id (update, delete). ``parent_id`` is the live id of the
    parent it must end up under, or None when that parent is top level or is itself created by
    this plan (then ``parent_path`` names it and apply passes the new id down).
    """

    kind: Kind
    path: tuple[str, ...]
    id: str | None = None
    parent_path: tuple[str, ...] = ()
    parent_id: str | None = None
    description: str = ""
    translations: tuple[tuple[str, Text], ...] = ()
    changes: tuple[FieldChange, ...] = ()
    source: str | None = None  # "file:line" of the YAML entry, for creates and updates
    subtree: tuple[tuple[str, ...], ...] = ()  # deletes: live descendants removed with it
    updated_at: int | None = None  # live updated_at the change was computed from
    # Deletes: the live id of a kept sibling this one duplicates (same name, same content, no
    # children), and how many articles sit in it (None: not counted).
    duplicate_of: str | None = None
    articles: int | None = None

    @property
    def cleanup(self) -> bool:
        """A delete of an empty duplicate (same name and content as a kept sibling, no
        children, no articles): what two writers at once leave behind. The safety threshold
        does not count it."""
        return self.kind == "delete" and self.duplicate_of is not None and not self.articles

    @property
    def name(self) -> str:
        return self.path[-1]

    def to_dict(self) -> dict[str, object]:
        """Everything apply needs to carry the change out, as plain JSON values.

        Creates and updates carry the whole desired content (apply sends full state), updates
        also the field-level ``changes`` people review; deletes carry the subtree they take.
        """
        out: dict[str, object] = {"action": self.kind, "path": list(self.path)}
        if self.id is not None:
            out["id"] = self.id
        if self.kind != "delete":
            out["parent_path"] = list(self.parent_path)
            out["parent_id"] = self.parent_id
            out["source"] = self.source
            out["name"] = self.name
            out["description"] = self.description
            out["translations"] = {
                loc: {"name": t.name, "description": t.description} for loc, t in self.translations
            }
        if self.kind == "update":
            out["changes"] = [
                {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in self.changes
            ]
        if self.kind == "delete":
            out["subtree"] = [list(p) for p in self.subtree]
            if self.duplicate_of is not None:
                out["duplicate_of"] = self.duplicate_of
            if self.articles is not None:
                out["articles"] = self.articles
        if self.updated_at is not None:
            out["live_updated_at"] = self.updated_at
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        """The Change ``to_dict()`` described. Trusts the shape (check it against the schema)."""
        kind = data["action"]
        if kind not in ("create", "update", "delete"):
            raise ValueError(f"unknown action {kind!r}")
        parent_id = data.get("parent_id")
        updated_at = data.get("live_updated_at")
        return cls(
            kind=kind,
            path=tuple(data["path"]),
            id=None if data.get("id") is None else str(data["id"]),
            parent_path=tuple(data.get("parent_path", ())),
            parent_id=None if parent_id is None else str(parent_id),
            description=str(data.get("description", "")),
            translations=tuple(
                (str(loc), _text(text)) for loc, text in data.get("translations", {}).items()
            ),
            changes=tuple(
                FieldChange(str(c["field"]), _value(c["old"]), _value(c["new"]))
                for c in data.get("changes", ())
            ),
            source=data.get("source"),
            subtree=tuple(tuple(p) for p in data.get("subtree", ())),
            updated_at=None if updated_at is None else int(updated_at),
            duplicate_of=None if data.get("duplicate_of") is None else str(data["duplicate_of"]),
            articles=None if data.get("articles") is None else int(data["articles"]),
        )


def _plain(value: str | Text | None) -> object:
    if isinstance(value, Text):
        return {"name": value.name, "description": value.description}
    return value


def _text(raw: Mapping[str, Any]) -> Text:
    return Text(str(raw["name"]), str(raw.get("description", "")))


def _value(raw: object) -> str | Text | None:
    # A translation's old/new is an object, every other field's a string (or null).
    if isinstance(raw, Mapping):
        return _text(raw)
    return None if raw is None else str(raw)


class LiveEntry(NamedTuple):
    """One live collection as the apply order sees it: where it is, and what it is called.

    The plan keeps one for every collection of the help center, managed or not: an ignored
    collection still counts for depth and still stops its parent's delete. A named tuple, not
    a dataclass: a plan of 20,000 collections makes 20,000 of them.
    """

    id: str
    parent_id: str | None
    name: str


@dataclass(frozen=True)
class Plan:
    """What apply would do to one help center, in the order it would do it."""

    help_center: str  # identifier as people know it
    help_center_id: str
    changes: tuple[Change, ...] = ()
    live_count: int = 0  # live collections that existed when planned (managed ones)
    source: str = ""  # the YAML file it was planned from
    warnings: tuple[str, ...] = field(default=())
    source_digest: str = ""  # sha256 of the YAML file's bytes
    # (id, updated_at) of every managed live collection the plan was computed from, by id:
    # what a saved plan is checked against before it is applied.
    live_versions: tuple[tuple[str, int | None], ...] = ()
    # The help center's whole live tree when planned (``order`` simulates apply on it), and
    # the ids of collections whose move goes through the top level (one more call each).
    live_tree: tuple[LiveEntry, ...] = ()
    parked: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.changes

    def of_kind(self, kind: Kind) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    def counts(self) -> dict[str, int]:
        return {k: len(self.of_kind(k)) for k in ("create", "update", "delete")}

    @property
    def touched(self) -> int:
        """Existing collections this plan updates or deletes, cleanups not counted: what the
        safety threshold measures."""
        deletes = sum(1 for c in self.of_kind("delete") if not c.cleanup)
        return len(self.of_kind("update")) + deletes

    @property
    def too_much_change(self) -> str | None:
        """Why this plan is dangerous (too many updates and deletes), or None when it is not."""
        if self.live_count < MIN_EXISTING:
            return None
        touched = self.touched
        if touched <= self.live_count * MAX_CHANGE_SHARE:
            return None
        share = touched / self.live_count
        return (
            f"this plan updates or deletes {touched} of {self.live_count} existing collections"
            f" ({share:.0%}, over the {MAX_CHANGE_SHARE:.0%} safety threshold);"
            " apply refuses it unless given --force"
        )

    def notices(self) -> tuple[str, ...]:
        """Every warning a reader of the plan must see, the safety threshold's first, then
        deletes that would take articles with them."""
        danger = self.too_much_change
        holding = self.holding_articles
        articles = (
            (
                f"{len(holding)} collection{'s' if len(holding) != 1 else ''} to delete"
                f" hold{'s' if len(holding) == 1 else ''} {sum(c.articles or 0 for c in holding)}"
                " articles; what Intercom does with them is undocumented (refuse, orphan or"
                " delete): apply refuses unless given --force",
            )
            if holding
            else ()
        )
        return ((danger,) if danger else ()) + articles + self.warnings

    def with_articles(self, counts: Mapping[str, int]) -> Plan:
        """This plan with each delete's article count (live collection id -> articles in it)."""
        return replace(
            self,
            changes=tuple(
                replace(c, articles=counts.get(c.id, 0))
                if c.kind == "delete" and c.id is not None
                else c
                for c in self.changes
            ),
        )

    @property
    def holding_articles(self) -> tuple[Change, ...]:
        """Deletes of collections that hold articles: apply refuses them unless forced."""
        return tuple(c for c in self.of_kind("delete") if c.articles)

    def without_deletes(self) -> Plan:
        """This plan minus its deletes (``apply --no-delete``); the threshold then counts
        only what is left, against the same number of existing collections."""
        return replace(self, changes=tuple(c for c in self.changes if c.kind != "delete"))

    def to_dict(self) -> dict[str, object]:
        """The plan as plain JSON values: what ``--format json`` prints and ``--out`` saves.

        Described by ``schemas/plan.schema.json``. ``format_version`` follows one rule:
        additive changes (a new optional key) keep it, anything else bumps it.
        """
        return {
            "format_version": PLAN_FORMAT_VERSION,
            "hcsync_version": __version__,
            "help_center": {"identifier": self.help_center, "id": self.help_center_id},
            "source": self.source,
            "source_digest": self.source_digest,
            "live_count": self.live_count,
            "live_versions": dict(self.live_versions),
            "counts": self.counts(),
            "warnings": list(self.warnings),
            "changes": [c.to_dict() for c in self.changes],
            "parked": list(self.parked),
            "live_tree": {e.id: {"parent_id": e.parent_id, "name": e.name} for e in self.live_tree},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """The Plan ``to_dict()`` described: ``Plan.from_dict(p.to_dict()) == p``.

        Trusts the shape (a saved plan is checked against the schema first); raises ValueError
        for a ``format_version`` it does not read. ``counts`` and ``hcsync_version`` are
        derived or informative, so they are not read back.
        """
        version = data.get("format_version")
        if version != PLAN_FORMAT_VERSION:
            raise ValueError(
                f"plan format_version {version!r}, this hcsync reads {PLAN_FORMAT_VERSION}"
            )
        center = data["help_center"]
        return cls(
            help_center=str(center["identifier"]),
            help_center_id=str(center["id"]),
            changes=tuple(Change.from_dict(c) for c in data["changes"]),
            live_count=int(data["live_count"]),
            source=str(data["source"]),
            warnings=tuple(str(w) for w in data.get("warnings", ())),
            source_digest=str(data.get("source_digest", "")),
            live_versions=tuple(
                (str(cid), None if at is None else int(at))
                for cid, at in data.get("live_versions", {}).items()
            ),
            live_tree=tuple(
                LiveEntry(
                    str(cid),
                    None if entry.get("parent_id") is None else str(entry["parent_id"]),
                    str(entry.get("name", "")),
                )
                for cid, entry in data.get("live_tree", {}).items()
            ),
            parked=tuple(str(cid) for cid in data.get("parked", ())),
        )

    def fingerprint(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


def sort_changes(changes: list[Change], order: dict[tuple[str, ...], int]) -> tuple[Change, ...]:
    """Creates and updates parent-first (depth, then file order); then deletes children-first.

    ``order`` gives each desired path its position in the file, so siblings keep file order.
    """
    writes = [c for c in changes if c.kind != "delete"]
    deletes = [c for c in changes if c.kind == "delete"]
    writes.sort(key=lambda c: (len(c.path), order.get(c.path, 0), c.path))
    deletes.sort(key=lambda c: (-len(c.path), c.path))
    return tuple(writes + deletes)
