"""The plan: an immutable, sorted value saying what apply will do, and nothing else.

Built once by ``build_plan`` from matched desired and live nodes, sorted when built:
creates and updates parent-first (by depth in the desired tree, then file order), deletes
children-first. Renderers only read it; JSON output and the fingerprint come from the same
``to_dict()``. Pure: no IO.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple

from hcsync import __version__
from hcsync.model import Text
from hcsync.resource import Identity, ResourceKind, Settings, kind

# Each kind's settings from the file (``ResourceKind.settings``), by kind name.
PlanSettings = tuple[tuple[str, Settings], ...]


def plan_settings(by_kind: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> PlanSettings:
    """``by_kind`` as a plan records it, however it was gathered or read: kinds in order,
    keys sorted, no kind without a setting."""
    return tuple(
        sorted(
            (str(name), tuple(sorted((str(key), str(value)) for key, value in pairs)))
            for name, given in by_kind
            if (pairs := tuple(given))
        )
    )


Kind = Literal["create", "update", "delete"]
# 2: the plan records the live tree (``live_tree``) and the collections moved through the top
# level (``parked``), so apply can order its calls legally.
# 3: every change, live version, live tree entry and parked item names its kind of resource
# (ids of two kinds may be equal); earlier versions are refused with "plan again".
PLAN_FORMAT_VERSION = 3


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
    """One create, update or delete of one item of kind ``resource`` (a kind's name).

    ``path`` is the item's path in the desired tree (create, update) or in the live
    tree (delete). ``id`` is the live id (update, delete). ``parent_id`` is the live id of the
    parent it must end up under (an item of the kind's ``parent_kind``), or None when that
    parent is top level or is itself created by this plan (then ``parent_path`` names it and
    apply passes the new id down). ``extra`` holds the kind's own fields beyond name and
    description, as its Node has them.
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
    extra: tuple[tuple[str, str], ...] = ()
    resource: str = field(kw_only=True)

    @property
    def identity(self) -> Identity | None:
        """``(kind, live id)``; None for a create, which has no id yet."""
        return None if self.id is None else (self.resource, self.id)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """``(kind, path)``: how a create is known before it has an id."""
        return (self.resource, self.path)

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
        out: dict[str, object] = {
            "action": self.kind,
            "kind": self.resource,
            "path": list(self.path),
        }
        if self.id is not None:
            out["id"] = self.id
        if self.kind != "delete":
            out["parent_path"] = list(self.parent_path)
            out["parent_id"] = self.parent_id
            out["source"] = self.source
            out["name"] = self.name
            out["description"] = self.description
            if self.extra:
                out["fields"] = dict(self.extra)
            out["translations"] = {loc: t.fields() for loc, t in self.translations}
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
            resource=str(data["kind"]),
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
            extra=tuple(sorted((str(k), str(v)) for k, v in data.get("fields", {}).items())),
        )


def _plain(value: str | Text | None) -> object:
    if isinstance(value, Text):
        return value.fields()
    return value


def _text(raw: Mapping[str, Any]) -> Text:
    extra = tuple(sorted((str(k), str(v)) for k, v in raw.items() if k not in _TEXT_KEYS))
    return Text(str(raw["name"]), str(raw.get("description", "")), extra)


_TEXT_KEYS = ("name", "description")


def _value(raw: object) -> str | Text | None:
    # A translation's old/new is an object, every other field's a string (or null).
    if isinstance(raw, Mapping):
        return _text(raw)
    return None if raw is None else str(raw)


class Overshoot(NamedTuple):
    """A kind past its safety threshold: ``touched`` of ``existing`` items, over ``limit``."""

    plural: str
    touched: int
    existing: int
    limit: float


class LiveEntry(NamedTuple):
    """One live item as the apply order sees it: its kind, where it is, what it is called.

    The plan keeps one for every item of the help center, managed or not: an ignored
    collection still counts for depth and still stops its parent's delete. ``parent_id`` is
    an item of the kind's ``parent_kind``. A named tuple, not a dataclass: a plan of 20,000
    collections makes 20,000 of them.
    """

    resource: str  # its kind's name
    id: str
    parent_id: str | None
    name: str

    @property
    def identity(self) -> Identity:
        return (self.resource, self.id)


@dataclass(frozen=True)
class Plan:
    """What apply would do to one help center, in the order it would do it."""

    help_center: str  # identifier as people know it
    help_center_id: str
    changes: tuple[Change, ...] = ()
    # Managed live items that existed when planned, by kind: what each kind's safety
    # threshold measures against.
    live_counts: tuple[tuple[str, int], ...] = ()
    source: str = ""  # the YAML file it was planned from
    warnings: tuple[str, ...] = field(default=())
    source_digest: str = ""  # sha256 of the YAML file's bytes
    # ((kind, id), updated_at) of every managed live item the plan was computed from: what a
    # saved plan is checked against before it is applied.
    live_versions: tuple[tuple[Identity, int | None], ...] = ()
    # The help center's whole live tree when planned (``order`` simulates apply on it), and
    # the items whose move goes through the top level (one more call each).
    live_tree: tuple[LiveEntry, ...] = ()
    parked: tuple[Identity, ...] = ()
    # The file's settings that change how a kind compares and shows its items, by kind
    # (``ResourceKind.settings``), so a saved plan is shown as it was planned.
    settings: PlanSettings = ()

    def kind(self, name: str) -> ResourceKind:
        """The registered kind called ``name``, under this plan's settings for it."""
        return kind(name).configured(dict(self.settings).get(name, ()))

    @property
    def live_count(self) -> int:
        """Managed live items of every kind when planned."""
        return sum(n for _, n in self.live_counts)

    @property
    def empty(self) -> bool:
        return not self.changes

    def of_kind(self, kind: Kind) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    def counts(self) -> dict[str, int]:
        return {k: len(self.of_kind(k)) for k in ("create", "update", "delete")}

    @property
    def touched(self) -> int:
        """Existing items this plan updates or deletes, cleanups not counted: what the safety
        threshold measures."""
        return sum(self.touched_of(name) for name, _ in self.live_counts)

    def touched_of(self, resource: str) -> int:
        """Existing items of one kind this plan updates or deletes, cleanups not counted."""
        return sum(
            1
            for c in self.changes
            if c.resource == resource
            and (c.kind == "update" or (c.kind == "delete" and not c.cleanup))
        )

    @property
    def over_threshold(self) -> Overshoot | None:
        """The first kind (in ``live_counts`` order) whose updates and deletes pass its own
        safety threshold, or None when none does."""
        for name, existing in self.live_counts:
            rule = kind(name)
            if existing < rule.min_existing:
                continue
            touched = self.touched_of(name)
            if touched > existing * rule.max_change_share:
                return Overshoot(rule.endpoint.plural, touched, existing, rule.max_change_share)
        return None

    @property
    def too_much_change(self) -> str | None:
        """Why this plan is dangerous (too many updates and deletes of some kind, by that
        kind's threshold), or None when it is not."""
        over = self.over_threshold
        if over is None:
            return None
        share = over.touched / over.existing
        return (
            f"this plan updates or deletes {over.touched} of {over.existing} existing"
            f" {over.plural} ({share:.0%}, over the {over.limit:.0%}"
            " safety threshold); apply refuses it unless given --force"
        )

    def live_summary(self) -> str:
        """The live items planned against, by kind: ``8 live collections``."""
        shown = [kind(name).show(n).replace(" ", " live ", 1) for name, n in self.live_counts]
        return " and ".join(shown) or "no live items"

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

    def with_articles(self, counts: Mapping[Identity, int]) -> Plan:
        """This plan with each delete's article count (live identity -> articles in it)."""
        return replace(
            self,
            changes=tuple(
                replace(c, articles=counts.get(c.identity, 0))
                if c.kind == "delete" and c.identity is not None
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
            "live_counts": dict(self.live_counts),
            "live_versions": _by_kind(((k, i), at) for (k, i), at in self.live_versions),
            "counts": self.counts(),
            "warnings": list(self.warnings),
            "changes": [c.to_dict() for c in self.changes],
            "parked": [{"kind": k, "id": i} for k, i in self.parked],
            "live_tree": _by_kind(
                ((e.resource, e.id), {"parent_id": e.parent_id, "name": e.name})
                for e in self.live_tree
            ),
            # Only when some kind has one: plans made without settings read as before.
            **({"settings": {k: dict(s) for k, s in self.settings}} if self.settings else {}),
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
                f"plan format_version {version!r}, this hcsync reads {PLAN_FORMAT_VERSION}:"
                " plan again with this version of hcsync"
            )
        center = data["help_center"]
        return cls(
            help_center=str(center["identifier"]),
            help_center_id=str(center["id"]),
            changes=tuple(Change.from_dict(c) for c in data["changes"]),
            live_counts=tuple((str(k), int(n)) for k, n in data.get("live_counts", {}).items()),
            source=str(data["source"]),
            warnings=tuple(str(w) for w in data.get("warnings", ())),
            source_digest=str(data.get("source_digest", "")),
            live_versions=tuple(
                ((str(k), str(cid)), None if at is None else int(at))
                for k, ids in data.get("live_versions", {}).items()
                for cid, at in ids.items()
            ),
            live_tree=tuple(
                LiveEntry(
                    str(k),
                    str(cid),
                    None if entry.get("parent_id") is None else str(entry["parent_id"]),
                    str(entry.get("name", "")),
                )
                for k, entries in data.get("live_tree", {}).items()
                for cid, entry in entries.items()
            ),
            parked=tuple((str(p["kind"]), str(p["id"])) for p in data.get("parked", ())),
            settings=plan_settings((k, s.items()) for k, s in data.get("settings", {}).items()),
        )

    def fingerprint(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


def _by_kind(items: Iterable[tuple[Identity, object]]) -> dict[str, dict[str, object]]:
    """``{kind: {id: value}}`` from ``((kind, id), value)`` pairs, in the order given."""
    out: dict[str, dict[str, object]] = {}
    for (name, cid), value in items:
        out.setdefault(name, {})[cid] = value
    return out


def sort_changes(
    changes: list[Change], order: Mapping[tuple[str, tuple[str, ...]], int]
) -> tuple[Change, ...]:
    """Creates and updates parent-first (kind's rank, depth, then file order); then deletes
    children-first (highest rank first). This is the order the plan is shown in; the order
    calls are made in is ``order.schedule``'s, from dependencies.

    ``order`` gives each desired ``(kind, path)`` its position in the file, so siblings keep
    file order.
    """
    writes = [c for c in changes if c.kind != "delete"]
    deletes = [c for c in changes if c.kind == "delete"]
    writes.sort(key=lambda c: (_rank(c), len(c.path), order.get(c.key, 0), c.path))
    deletes.sort(key=lambda c: (-_rank(c), -len(c.path), c.path))
    return tuple(writes + deletes)


def _rank(change: Change) -> int:
    return kind(change.resource).rank
