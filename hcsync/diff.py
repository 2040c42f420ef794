"""``build_plan``: the desired config + raw live items of every kind -> the immutable, sorted Plan.

This module owns deciding *what* changes, for every registered kind alike (``resource``):
which matched pairs differ and in which fields, what is created (with the live id of its
parent when that parent already exists), and what is deleted (each item its own change, the
top-most one listing the deleted descendants). The Plan holds plain values taken from the
normalised Nodes; identities carry their kind.

Ownership is applied here too. Live items matching ``ignore:`` (and everything below them)
are dropped before matching: never planned, never counted. A delete of an item matching
``protect:`` is dropped; so is the delete of every ancestor of a kept (protected or ignored)
item, since a parent cannot go while a child stays. Each is named in a plan warning.
``protect:`` does not stop updates: listing a protected item in the file means the file
manages it.

The parent is compared by identity (the live id the desired parent matched, or "created by
this plan"), never by path text, so renaming a parent does not show every child as moved.

It does no IO, imports no kind (kinds come from the registry or the caller), decides no apply
order beyond ``sort_changes``, and prints nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from hcsync.collector import burst
from hcsync.errors import ConfigError, Problem
from hcsync.match import Matching, match
from hcsync.model import LiveNode, Node, id_order, name_key, path_text
from hcsync.order import schedule
from hcsync.patterns import Patterns
from hcsync.plan import Change, FieldChange, LiveEntry, Plan, plan_settings, sort_changes
from hcsync.resource import Desired, Identity, ResourceKind, kinds

Path = tuple[str, ...]


class Source(Protocol):
    """What the planner reads of a config, whatever kinds it holds (``config.Config`` is one;
    each kind reads its own entries, and its own ``ignore:``/``protect:``, from it)."""

    @property
    def source(self) -> str: ...
    @property
    def default_locale(self) -> str: ...
    @property
    def digest(self) -> str: ...


def build_plan(
    config: Source,
    live: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    help_center: str,
    help_center_id: str,
    default_locale: str | None = None,
    resources: Sequence[ResourceKind] | None = None,
) -> Plan:
    """Plan the changes that make the live items of one help center match ``config``.

    ``live`` is, for each kind by name, the raw dicts exactly as Intercom lists them (every
    kind planned needs its listing). ``resources`` are the kinds planned: when None, every
    registered kind that ``config`` manages (``ResourceKind.manages``). ``default_locale`` is
    the help center's default locale when the caller knows it; each kind checks it against
    the file (``ResourceKind.check``).

    Raises what a kind's check raises (UsageError when the live default locale differs from
    the file's), ConfigError when an ``id`` pin names no live item or an ignored one, or when
    an entry would sit beside an ignored live item of the same name: under the live item its
    parent matched (by name, pin or ``previously``), or at the top level; ImpossiblePlanError
    when an item the plan keeps in place makes the target tree too deep (``order.schedule``
    checks it).
    """
    with burst():  # allocations kept until the plan is done: see collector.py
        taken = resources if resources is not None else [k for k in kinds() if k.manages(config)]
        settings = [(k, k.settings(config)) for k in taken]
        # Each kind as the file sets it (``ResourceKind.configured``): for comparing and showing.
        chosen = sorted((k.configured(s) for k, s in settings), key=lambda k: k.rank)
        unknown = sorted(set(live) - {k.name for k in chosen})
        if unknown:
            raise ValueError(f"live items of kinds this plan does not cover: {unknown}")
        unlisted = sorted(k.name for k in chosen if k.name not in live)
        if unlisted:
            # Planned against nothing, every entry of the kind would be a create: duplicates.
            raise ValueError(f"no live listing of kinds this plan covers: {unlisted}")
        parts: list[_Part] = []
        planned: dict[str, _Parents] = {}  # kinds planned so far: what a child kind matches under
        for k in chosen:
            above = planned.get(k.parent_kind) if k.parent_kind not in (None, k.name) else None
            if k.parent_kind not in (None, k.name) and above is None:
                raise ValueError(
                    f"kind {k.name!r} lives in {k.parent_kind!r}, which this plan does not"
                    " cover or ranks after it"
                )
            part = _plan_kind(k, config, live.get(k.name, ()), default_locale, above)
            planned[k.name] = part.parents
            parts.append(part)
        changes = [c for part in parts for c in part.changes]
        order = {key: index for part in parts for key, index in part.order.items()}
        ordered = sort_changes(changes, order)
        live_tree = tuple(entry for part in parts for entry in part.live_tree)
        # Raises ImpossiblePlanError (naming the subtree) when no order of calls can get there.
        parked = schedule(ordered, live_tree).parked
        return Plan(
            help_center=help_center,
            help_center_id=str(help_center_id),
            changes=ordered,
            live_counts=tuple((part.kind.name, part.managed) for part in parts),
            source=config.source,
            warnings=tuple(w for part in parts for w in part.warnings),
            source_digest=config.digest,
            live_versions=tuple(v for part in parts for v in part.versions),
            live_tree=live_tree,
            parked=parked,
            settings=plan_settings((k.name, s) for k, s in settings),
        )


class _Listed(NamedTuple):
    """An ownership entry that matched, with the config key it is listed under; shown as
    ``ignore: Internal``."""

    key: str  # a kind's ownership_keys: "ignore", "protect", "ignore_articles", ...
    entry: str  # as written

    def __str__(self) -> str:
        return f"{self.key}: {self.entry}"


@dataclass(frozen=True)
class _Parents:
    """What a kind's items can sit under: a kind's matching and its live items.

    For a kind nested in itself (collections) it is its own; for one that lives in another
    kind (articles in collections) the other kind's, planned before it (lower ``rank``)."""

    matching: Matching
    nodes: Mapping[str, LiveNode]  # the managed ones
    everything: Mapping[str, LiveNode]  # ignored ones too: what a child may sit in
    ignored: Mapping[str, _Listed]  # live id -> the ignore entry covering it: and its children
    protected: Mapping[str, _Listed]  # live id -> the protect entry naming it: keeps its children

    def live_id(self, path: Path) -> str | None:
        """The live id the desired parent at ``path`` matched; None at the top level or when
        it is created by this plan."""
        return self.matching.live_id(path) if path else None

    def path_of(self, live_id: str | None) -> Path:
        return self.everything[live_id].node.path if live_id is not None else ()


@dataclass(frozen=True)
class _Part:
    """One kind's share of the plan."""

    kind: ResourceKind
    parents: _Parents
    changes: list[Change]
    order: dict[tuple[str, Path], int]
    managed: int
    warnings: tuple[str, ...]
    versions: tuple[tuple[Identity, int | None], ...]
    live_tree: tuple[LiveEntry, ...]


def _plan_kind(
    kind: ResourceKind,
    config: Source,
    raw: Sequence[Mapping[str, Any]],
    default_locale: str | None,
    above: _Parents | None,
) -> _Part:
    kind.check(config, raw, default_locale)
    desired = kind.desired(config)
    foreign = above.everything if above is not None else None
    state = kind.read_live(raw, config.default_locale, foreign)
    ignore, protect = (Patterns.parse(entries) for entries in kind.ownership(config))
    nested = kind.parent_kind == kind.name
    ignored = _ignored(
        state.nodes, ignore, kind.ownership_keys[0], nested, above.ignored if above else {}
    )
    managed = {cid: n for cid, n in state.nodes.items() if cid not in ignored}
    _check_pins_not_ignored(desired, ignored, kind)
    matching = match(
        desired,
        managed,
        kind.endpoint,
        above.matching if above else None,
        strict=kind.same_name_is_error,
    )
    protected = {
        cid: _Listed(kind.ownership_keys[1], pattern)
        for cid, node in state.nodes.items()
        if (pattern := protect.matches(cid, node.node.path)) is not None
    }
    own = _Parents(matching, managed, state.nodes, ignored, protected)
    # Flat kinds have no parents at all; a kind nested in itself is its own parent kind.
    parents = own if nested else above
    _check_not_beside_ignored(desired, state.nodes, ignored, parents, kind)

    changes: list[Change] = []
    order: dict[tuple[str, Path], int] = {}
    for index, entry in enumerate(desired):
        order[(kind.name, entry.path)] = index
        source = f"{entry.source}:{entry.line}"
        live_id = matching.live_id(entry.path)
        if live_id is None:
            changes.append(_create(kind, entry.node, parents, source))
        else:
            update = _update(kind, entry.node, managed[live_id], parents, source)
            if update is not None:
                changes.append(update)
    inside = above.protected if above is not None and not nested else {}
    gone, kept = _kept(matching, state.nodes, ignored, protect, nested, inside, kind)
    if gone:  # twins only matter to a delete: most plans have none
        changes.extend(_deletes(kind, gone, managed, _twins(kind, matching, managed), nested))
    return _Part(
        kind=kind,
        parents=own,
        changes=changes,
        order=order,
        managed=len(managed),
        warnings=state.warnings
        + matching.warnings
        + _ignored_warning(ignored, kind)
        + kept
        + kind.notes(desired, managed, matching),
        versions=tuple(
            ((kind.name, cid), managed[cid].updated_at) for cid in sorted(managed, key=id_order)
        ),
        live_tree=tuple(
            LiveEntry(kind.name, cid, live.parent_id, live.node.name)
            for cid, live in state.nodes.items()
        ),
    )


# ------------------------------------------------------------------------------- ownership


def _ignored(
    nodes: Mapping[str, LiveNode],
    ignore: Patterns,
    key: str,
    nested: bool,
    above: Mapping[str, _Listed],
) -> dict[str, _Listed]:
    """Live id -> the ignore entry covering it, under ``key``: every match and everything
    below a match, within the kind (``nested``) or inside an ignored item of the parent kind
    (``above``, whose entries carry their own key)."""
    if not ignore and not above:
        return {}
    out: dict[str, _Listed] = {}

    def covering(cid: str) -> _Listed | None:
        # Memoised walk up the parent chain (read_live has broken any cycle).
        if cid not in out:
            live = nodes[cid]
            entry = ignore.matches(cid, live.node.path)
            own = None if entry is None else _Listed(key, entry)
            pid = live.parent_id
            if own is None and pid is not None:
                own = covering(pid) if nested else above.get(pid)
            if own is None:
                return None
            out[cid] = own
        return out[cid]

    for cid in nodes:
        covering(cid)
    return out


def _ignored_problem(entry: Desired, what: str, entry_of: _Listed) -> Problem:
    return Problem(
        entry.source,
        entry.line,
        entry.column,
        entry.where,
        f"{entry.name!r} {what}, which is ignored ({entry_of});"
        " manage it here or ignore it, not both",
    )


def _check_pins_not_ignored(
    desired: Sequence[Desired], ignored: Mapping[str, _Listed], kind: ResourceKind
) -> None:
    """Refuse an ``id`` pin to an ignored item (before matching, which sees only the
    managed ones and would call the pin unknown)."""
    problems = [
        _ignored_problem(entry, f"pins id {entry.pin}", ignored[entry.pin])
        for entry in desired
        if entry.pin is not None and entry.pin in ignored
    ]
    if problems:
        raise ConfigError(problems)


def _check_not_beside_ignored(
    desired: Sequence[Desired],
    nodes: Mapping[str, LiveNode],
    ignored: Mapping[str, _Listed],
    parents: _Parents | None,
    kind: ResourceKind,
) -> None:
    """Refuse an entry that would sit beside an ignored live collection of the same name.

    Compared by identity, after matching: the ignored collection's parent is the live
    collection the entry's parent matched (by name, pin or ``previously``), or both are at the
    top level. Comparing path text would miss a parent matched under another name, and the
    plan would create a namesake beside the ignored collection. The semantic checks catch an
    entry matching an ignore pattern by name; an id pattern is only recognisable here.
    """
    if not ignored:
        return
    beside: dict[tuple[str | None, str], str] = {}
    for cid in sorted(ignored, key=id_order):  # lowest id named when there are several
        live = nodes[cid]
        beside.setdefault((live.parent_id, name_key(live.node.name)), cid)
    problems: list[Problem] = []
    for entry in desired:
        path = entry.path
        parent = path[:-1]
        parent_id = parents.live_id(parent) if parents is not None else None
        if parent and parent_id is None:
            continue  # a created parent has no live children, ignored or not
        namesake = beside.get((parent_id, name_key(entry.name)))
        if namesake is None:
            continue
        live_path = nodes[namesake].node.path
        what = (
            f"has the same path as live {namesake}"
            if live_path == path
            else f"would sit beside live {namesake} {path_text(live_path)!r}, under the same"
            " parent and with the same name"
        )
        problems.append(_ignored_problem(entry, what, ignored[namesake]))
    if problems:
        raise ConfigError(problems)


def _ignored_warning(ignored: Mapping[str, _Listed], kind: ResourceKind) -> tuple[str, ...]:
    if not ignored:
        return ()
    by_key: dict[str, list[str]] = {}
    for listed in dict.fromkeys(ignored[cid] for cid in sorted(ignored, key=id_order)):
        by_key.setdefault(listed.key, []).append(listed.entry)
    entries = "; ".join(f"{key}: {', '.join(found)}" for key, found in by_key.items())
    return (f"{kind.show(len(ignored)).replace(' ', ' live ', 1)} ignored ({entries})",)


def _kept(
    matching: Matching,
    nodes: Mapping[str, LiveNode],
    ignored: Mapping[str, _Listed],
    protect: Patterns,
    nested: bool,
    inside: Mapping[str, _Listed],
    kind: ResourceKind,
) -> tuple[list[str], tuple[str, ...]]:
    """The unmatched ids still to delete, and a warning for each reason one is kept.

    A protected item is kept; so, in a kind nested in itself, is every would-be-deleted
    ancestor of a kept item and of an ignored item whose parent is managed. (An item kept
    inside a deleted item of *another* kind is the order's plan error, naming both.)
    """
    unmatched = set(matching.unmatched)
    keep: set[str] = set()
    warnings: list[str] = []

    def label(cid: str) -> str:
        return f"{path_text(nodes[cid].node.path)!r} (id {cid})"

    def keep_ancestors(cid: str) -> list[str]:
        out: list[str] = []
        pid = nodes[cid].parent_id if nested else None
        while pid is not None and pid in unmatched:
            if pid not in keep:
                keep.add(pid)
                out.append(pid)
            pid = nodes[pid].parent_id
        return out

    def with_parents(parents: list[str]) -> str:
        return f", and so is {', '.join(label(p) for p in parents)} above it" if parents else ""

    for cid in matching.unmatched:  # id order, so warnings are stable
        entry = protect.matches(cid, nodes[cid].node.path)
        holder = nodes[cid].parent_id
        if entry is None and holder is not None and holder in inside:
            # An item living in a protected item of another kind (an article in a protected
            # collection): what protects the collection keeps what is in it. ``inside`` is
            # empty unless the parent kind is another kind, so ``parent_kind`` is set.
            keep.add(cid)
            above = kind.parent_kind
            warnings.append(
                f"{label(cid)} is in a protected {above} ({inside[holder]})"
                " and not in the files: left in place; add it to the files or remove its"
                f" {above} from {inside[holder].key}:"
            )
            continue
        if entry is None:
            continue
        keep.add(cid)
        parents = keep_ancestors(cid)
        key = kind.ownership_keys[1]
        warnings.append(
            f"{label(cid)} is protected ({key}: {entry}) and not in the file: left in place"
            f"{with_parents(parents)}; add it to the file or remove it from {key}:"
        )
    for cid in sorted(ignored, key=id_order):
        pid = nodes[cid].parent_id if nested else None
        if pid is None or pid in ignored or pid not in unmatched:
            continue
        parents = keep_ancestors(cid)
        if parents:
            warnings.append(
                f"{label(cid)} is ignored ({ignored[cid]}) but its parent is not in the"
                f" file: {', '.join(label(p) for p in parents)} left in place; add"
                f" {'it' if len(parents) == 1 else 'them'} to the file or move {label(cid)}"
                " in Intercom"
            )
    gone = [cid for cid in matching.unmatched if cid not in keep]
    return gone, tuple(warnings)


def _parent_id(node: Node, parents: _Parents | None) -> str | None:
    """The live id the desired parent matched; None at top level or when it is created."""
    return parents.live_id(node.parent_path) if parents is not None else None


def _create(kind: ResourceKind, node: Node, parents: _Parents | None, source: str) -> Change:
    return Change(
        kind="create",
        resource=kind.name,
        path=node.path,
        parent_path=node.parent_path,
        parent_id=_parent_id(node, parents),
        description=node.description,
        translations=node.translations,
        extra=node.extra,
        source=source,
    )


def _update(
    kind: ResourceKind,
    node: Node,
    live: LiveNode,
    parents: _Parents | None,
    source: str,
) -> Change | None:
    fields = field_changes(live.node, node, kind)
    parent_id = _parent_id(node, parents)
    # A created parent has no id yet, so it can never equal the live parent: a move.
    parent_moved = (parent_id is None and bool(node.parent_path)) or parent_id != live.parent_id
    if parent_moved and parents is not None:
        old = parents.path_of(live.parent_id)
        fields.insert(
            _parent_slot(fields), FieldChange("parent", path_text(old), path_text(node.parent_path))
        )
    if not fields:
        return None
    # Apply sends full state, so an update carries the whole desired content, not just the
    # fields that differ.
    return Change(
        kind="update",
        resource=kind.name,
        path=node.path,
        id=live.id,
        parent_path=node.parent_path,
        parent_id=parent_id,
        description=node.description,
        translations=node.translations,
        extra=node.extra,
        changes=tuple(fields),
        source=source,
        updated_at=live.updated_at,
    )


def _parent_slot(fields: list[FieldChange]) -> int:
    """Where ``parent`` goes so changes read name, description, the kind's own fields,
    parent, translations."""
    return sum(1 for f in fields if f.locale is None)


def field_changes(old: Node, new: Node, kind: ResourceKind) -> list[FieldChange]:
    """Changed ``name``, ``description``, the kind's own fields (``Node.extra``) and
    ``translations.<locale>`` between two Nodes, in that order.

    Compared as the kind compares them (``ResourceKind.compared``); the values reported come
    from the Nodes themselves. The parent is not compared here (see ``_update``).
    """
    before, after = kind.compared(old), kind.compared(new)
    if before == after:
        return []  # most matched collections: one comparison
    touched = {key for key in before if key != "translations" and before[key] != after[key]}
    old_locales, new_locales = before["translations"], after["translations"]
    assert isinstance(old_locales, dict) and isinstance(new_locales, dict)
    touched.update(
        f"translations.{locale}"
        for locale in old_locales.keys() | new_locales.keys()
        if old_locales.get(locale) != new_locales.get(locale)
    )

    out: list[FieldChange] = []
    if "name" in touched:
        out.append(FieldChange("name", old.name, new.name))
    if "description" in touched:
        out.append(FieldChange("description", old.description, new.description))
    old_extra, new_extra = dict(old.extra), dict(new.extra)
    for key in sorted(old_extra.keys() | new_extra.keys()):
        if key in touched:
            out.append(FieldChange(key, old_extra.get(key), new_extra.get(key)))
    old_texts, new_texts = dict(old.translations), dict(new.translations)
    for locale in sorted(set(old_texts) | set(new_texts)):
        if f"translations.{locale}" in touched:
            out.append(
                FieldChange(f"translations.{locale}", old_texts.get(locale), new_texts.get(locale))
            )
    return out


def _twins(
    kind: ResourceKind, matching: Matching, nodes: Mapping[str, LiveNode]
) -> dict[object, str]:
    """Each matched (kept) live item by its place and content: what a duplicate has."""
    twins: dict[object, str] = {}
    for cid in sorted(matching.pairs.values(), key=id_order):
        twins.setdefault(_likeness(kind, nodes[cid]), cid)
    return twins


def _likeness(kind: ResourceKind, live: LiveNode) -> object:
    """Same parent, same name, same content: two such siblings are one item twice."""
    fields = kind.compared(live.node)
    return (live.parent_id, repr(sorted(fields.items())))


def _deletes(
    kind: ResourceKind,
    deleted: Sequence[str],
    nodes: Mapping[str, LiveNode],
    twins: Mapping[object, str],
    nested: bool,
) -> list[Change]:
    """One delete per item; an empty one that duplicates a kept sibling (a second writer's
    leftover) names that sibling, which makes it a cleanup (``Change.cleanup``). In a kind
    nested in itself, the top-most deleted item lists the deleted items below it."""
    gone = set(deleted)
    children: dict[str, list[str]] = {}
    for node in nodes.values():
        if nested and node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node.id)

    def deleted_below(cid: str) -> list[str]:
        # Only descendants reached through deleted collections go with it: a child that is
        # kept has been moved away (updates run before deletes).
        out: list[str] = []
        for child in sorted(children.get(cid, []), key=id_order):
            if child in gone:
                out.append(child)
                out.extend(deleted_below(child))
        return out

    changes: list[Change] = []
    for cid in deleted:
        live = nodes[cid]
        top_most = not nested or live.parent_id is None or live.parent_id not in gone
        subtree = tuple(sorted(nodes[d].node.path for d in deleted_below(cid))) if top_most else ()
        twin = None if children.get(cid) else twins.get(_likeness(kind, live))
        changes.append(
            Change(
                kind="delete",
                resource=kind.name,
                path=live.node.path,
                id=cid,
                subtree=subtree,
                updated_at=live.updated_at,
                duplicate_of=twin,
            )
        )
    return changes
