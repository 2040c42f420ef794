"""``build_plan``: desired Config + raw live collections -> the immutable, sorted Plan.

This module owns deciding *what* changes: which matched pairs differ and in which fields,
what is created (with the live id of its parent when that parent already exists), and what is
deleted (each collection its own change, the top-most one listing the deleted descendants).
It uses deepdiff to find changed fields, but DeepDiff objects never leave this module: the
Plan holds plain values taken from the normalised Nodes.

The parent is compared by identity (the live id the desired parent matched, or "created by
this plan"), never by path text, so renaming a parent does not show every child as moved.

It does no IO, decides no apply order beyond ``sort_changes``, and prints nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from deepdiff import DeepDiff

from hcsync.config import Config
from hcsync.errors import UsageError
from hcsync.match import Matching, match
from hcsync.model import LiveNode, Node, show_path
from hcsync.normalize import desired_entries, desired_node, id_order, read_live
from hcsync.plan import Change, FieldChange, Plan, sort_changes

Path = tuple[str, ...]


def build_plan(
    config: Config,
    live: Sequence[Mapping[str, Any]],
    *,
    help_center: str,
    help_center_id: str,
    default_locale: str | None = None,
) -> Plan:
    """Plan the changes that make the live collections of one help center match ``config``.

    ``live`` is the raw collection dicts exactly as Intercom lists them. ``default_locale`` is
    the help center's default locale when the caller knows it; the collections' own
    ``default_locale`` (multilingual help centers only) is checked as well.

    Raises UsageError when the live default locale differs from the file's (translations would
    be compared against the wrong locale), ConfigError when an ``id`` pin names no live
    collection.
    """
    _check_default_locale(config, live, default_locale)
    state = read_live(live, config.default_locale)
    matching = match(config, state.nodes)

    changes: list[Change] = []
    order: dict[Path, int] = {}
    for index, (path, entry) in enumerate(desired_entries(config)):
        order[path] = index
        node = desired_node(entry, path[:-1], config.default_locale)
        source = f"{config.source}:{entry.line}"
        live_id = matching.live_id(path)
        if live_id is None:
            changes.append(_create(node, matching, source))
        else:
            update = _update(node, state.nodes[live_id], state.nodes, matching, source)
            if update is not None:
                changes.append(update)
    changes.extend(_deletes(matching, state.nodes))

    return Plan(
        help_center=help_center,
        help_center_id=str(help_center_id),
        changes=sort_changes(changes, order),
        live_count=len(state.nodes),
        source=config.source,
        warnings=state.warnings + matching.warnings,
    )


def _check_default_locale(
    config: Config, live: Sequence[Mapping[str, Any]], default_locale: str | None
) -> None:
    reported = {str(item["default_locale"]) for item in live if item.get("default_locale")}
    if default_locale:
        reported.add(default_locale)
    wrong = sorted(loc for loc in reported if loc != config.default_locale)
    if wrong:
        raise UsageError(
            f"the help center's default locale is {', '.join(wrong)} but {config.source} says"
            f" default_locale: {config.default_locale}; translations would be compared against"
            f" the wrong locale. Set default_locale: {wrong[0]} in {config.source}."
        )


def _parent_id(node: Node, matching: Matching) -> str | None:
    """The live id the desired parent matched; None at top level or when it is created."""
    return matching.live_id(node.parent_path) if node.parent_path else None


def _create(node: Node, matching: Matching, source: str) -> Change:
    return Change(
        kind="create",
        path=node.path,
        parent_path=node.parent_path,
        parent_id=_parent_id(node, matching),
        description=node.description,
        translations=node.translations,
        source=source,
    )


def _update(
    node: Node,
    live: LiveNode,
    nodes: Mapping[str, LiveNode],
    matching: Matching,
    source: str,
) -> Change | None:
    fields = field_changes(live.node, node)
    parent_id = _parent_id(node, matching)
    # A created parent has no id yet, so it can never equal the live parent: a move.
    parent_moved = (parent_id is None and bool(node.parent_path)) or parent_id != live.parent_id
    if parent_moved:
        old = nodes[live.parent_id].node.path if live.parent_id is not None else ()
        fields.insert(
            _parent_slot(fields), FieldChange("parent", show_path(old), show_path(node.parent_path))
        )
    if not fields:
        return None
    # Apply sends full state, so an update carries the whole desired content, not just the
    # fields that differ.
    return Change(
        kind="update",
        path=node.path,
        id=live.id,
        parent_path=node.parent_path,
        parent_id=parent_id,
        description=node.description,
        translations=node.translations,
        changes=tuple(fields),
        source=source,
        updated_at=live.updated_at,
    )


def _parent_slot(fields: list[FieldChange]) -> int:
    """Where ``parent`` goes so changes read name, description, parent, translations."""
    return sum(1 for f in fields if f.field in ("name", "description"))


def field_changes(old: Node, new: Node) -> list[FieldChange]:
    """Changed ``name``, ``description`` and ``translations.<locale>`` between two Nodes.

    deepdiff finds which fields differ; the values reported come from the Nodes themselves so
    no deepdiff object escapes. The parent is not compared here (see ``_update``).
    """
    before, after = _comparable(old), _comparable(new)
    touched: set[str] = set()
    tree = DeepDiff(before, after, view="tree")
    for report in tree.values():
        for level in report:
            parts = level.path(output_format="list")
            if parts and parts[0] == "translations" and len(parts) > 1:
                touched.add(f"translations.{parts[1]}")
            elif parts:
                touched.add(str(parts[0]))

    out: list[FieldChange] = []
    if "name" in touched:
        out.append(FieldChange("name", old.name, new.name))
    if "description" in touched:
        out.append(FieldChange("description", old.description, new.description))
    old_texts, new_texts = dict(old.translations), dict(new.translations)
    for locale in sorted(set(old_texts) | set(new_texts)):
        if f"translations.{locale}" in touched:
            out.append(
                FieldChange(f"translations.{locale}", old_texts.get(locale), new_texts.get(locale))
            )
    return out


def _comparable(node: Node) -> dict[str, object]:
    fields = node.fields()
    del fields["parent"]  # compared by identity, not by path text
    return fields


def _deletes(matching: Matching, nodes: Mapping[str, LiveNode]) -> list[Change]:
    gone = set(matching.unmatched)
    children: dict[str, list[str]] = {}
    for node in nodes.values():
        if node.parent_id is not None:
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
    for cid in matching.unmatched:
        live = nodes[cid]
        top_most = live.parent_id is None or live.parent_id not in gone
        subtree = tuple(sorted(nodes[d].node.path for d in deleted_below(cid))) if top_most else ()
        changes.append(
            Change(
                kind="delete",
                path=live.node.path,
                id=cid,
                subtree=subtree,
                updated_at=live.updated_at,
            )
        )
    return changes
