"""Pairing desired entries with live items of one kind: id pin, then name, then ``previously``.

Written for collections, and the same for every kind (``resource.Desired`` and ``LiveNode``
are all it reads; messages name the kind by its endpoint's noun).

This module owns the matching rules, and nothing else:

1. An ``id`` pin always wins, wherever the pinned collection lives (a pinned collection under
   another parent is a move, not delete + create). Pins are reserved before anything is
   matched by name, so a name match can never steal a pinned collection. A pin naming no live
   collection is a ConfigError pointing at the entry.
2. Otherwise, walking the desired tree parents first and one sibling group at a time: a live
   collection with the same default-locale name under the live collection the desired parent
   matched (top level: no parent). All siblings try their own name before any sibling tries
   ``previously``, so a rename cannot steal the collection another entry is literally named.
3. Otherwise, a live collection under that same parent whose name is one of ``previously``
   (in the order given).

Of several same-named live siblings, one that holds collections wins, then the lowest id.

When the desired parent is not matched (it will be created), its children can only be
matched by pin: everything else under it is new. Two live siblings with the same name match
the one holding collections, else the lowest id; a warning names them all. Live collections
matched by nothing are deletions.

Names compare by ``name_key``: exact, except that HTML character references are decoded on
both sides. One team reports Intercom reading names back HTML-escaped ("Billing &amp;
Payments"); compared raw, every collection whose name holds ``&``, ``<`` or ``>`` would be
deleted and created again on every run. Decoding both sides gives the same answer whether the
server escapes or not (the price: a name that differs from another only by writing ``&amp;``
for ``&`` counts as the same name).

It does no IO and computes no field changes (that is ``diff``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hcsync.errors import ConfigError, Problem
from hcsync.model import LiveNode, id_order, name_key, path_text
from hcsync.resource import Desired, Endpoint

Path = tuple[str, ...]


@dataclass(frozen=True)
class Matching:
    """Which live item each desired entry became, and which live ones are left over."""

    pairs: Mapping[Path, str]  # desired path of names -> live id
    unmatched: tuple[str, ...]  # live ids matched by nothing (to be deleted), in id order
    warnings: tuple[str, ...] = ()

    def live_id(self, path: Path) -> str | None:
        return self.pairs.get(path)


def match(
    desired: Sequence[Desired],
    live: Mapping[str, LiveNode],
    endpoint: Endpoint,
    parents: Matching | None = None,
    *,
    strict: bool = False,
) -> Matching:
    """Pair every desired entry (parents before children) with at most one live item.

    A kind nested in itself finds an entry's parent among its own pairs; a kind that lives in
    another kind (``parents``: that kind's matching) finds it there. With ``strict`` (a kind
    whose same-named siblings cannot be told apart, as articles), an entry that several
    unpinned live items could be is a ConfigError naming them all, rather than a choice.
    """
    pairs: dict[Path, str] = {}
    taken: set[str] = set()
    warnings: list[str] = []

    _match_pins(desired, live, pairs, taken, endpoint)

    children_of: dict[str | None, list[LiveNode]] = {}
    for node in sorted(live.values(), key=lambda n: id_order(n.id)):
        children_of.setdefault(node.parent_id, []).append(node)

    # Sibling groups, parents first (entries come parents first, so a group's parent is
    # matched before the group is). A parent that is created has no live id, and then only
    # pins (done above) can match.
    groups: dict[Path, list[Desired]] = {}
    for entry in desired:
        groups.setdefault(entry.path[:-1], []).append(entry)
    ambiguous: list[Problem] = []
    for parent_path, entries in groups.items():
        above = pairs if parents is None else parents.pairs
        parent_id = above.get(parent_path) if parent_path else None
        if parent_path and parent_id is None:
            continue
        candidates = children_of.get(parent_id, [])
        _match_group(
            parent_path,
            entries,
            candidates,
            pairs,
            taken,
            warnings,
            children_of,
            endpoint,
            ambiguous if strict else None,
        )
    if ambiguous:
        raise ConfigError(ambiguous)

    unmatched = tuple(sorted((i for i in live if i not in taken), key=id_order))
    return Matching(pairs=pairs, unmatched=unmatched, warnings=tuple(warnings))


def _match_pins(
    desired: Sequence[Desired],
    live: Mapping[str, LiveNode],
    pairs: dict[Path, str],
    taken: set[str],
    endpoint: Endpoint,
) -> None:
    problems: list[Problem] = []
    pinned_by: dict[str, Desired] = {}
    for entry in desired:
        if entry.pin is None:
            continue
        where = f"{entry.where}.id"
        if entry.pin not in live:
            problems.append(
                Problem(
                    entry.source,
                    entry.line,
                    entry.column,
                    where,
                    f"id {entry.pin} is pinned but no live {endpoint.noun} has it;"
                    " remove the pin or fix the id",
                )
            )
        elif entry.pin in pinned_by:
            # The semantic checks reject this before we get here; kept so entries built by
            # hand cannot make two desired entries claim one live item.
            first = pinned_by[entry.pin]
            problems.append(
                Problem(
                    entry.source,
                    entry.line,
                    entry.column,
                    where,
                    f"id {entry.pin} is already pinned at line {first.line}; pin each id once",
                )
            )
        else:
            pinned_by[entry.pin] = entry
            pairs[entry.path] = entry.pin
            taken.add(entry.pin)
    if problems:
        raise ConfigError(problems)


def _match_group(
    parent_path: Path,
    entries: Sequence[Desired],
    candidates: Sequence[LiveNode],
    pairs: dict[Path, str],
    taken: set[str],
    warnings: list[str],
    children_of: Mapping[str | None, Sequence[LiveNode]],
    endpoint: Endpoint,
    ambiguous: list[Problem] | None = None,
) -> None:
    # Of same-named siblings, one with items in it first, then the lowest id: when two
    # writers made an item twice, the empty copy is the leftover (a cleanup), while matching
    # it would delete the full one and create its children again.
    by_name: dict[str, list[LiveNode]] = {}
    for candidate in sorted(candidates, key=lambda c: (c.id not in children_of, id_order(c.id))):
        by_name.setdefault(name_key(candidate.node.name), []).append(candidate)

    def free(name: str) -> list[LiveNode]:
        return [c for c in by_name.get(name_key(name), ()) if c.id not in taken]

    todo = [e for e in entries if e.path not in pairs]
    for entry in todo:
        found = free(entry.name)
        if not found:
            continue
        if len(found) > 1 and ambiguous is not None:
            ids = ", ".join(c.id for c in found)
            ambiguous.append(
                Problem(
                    entry.source,
                    entry.line,
                    entry.column,
                    entry.where,
                    f"live {endpoint.plural} {ids} are all named {entry.name!r} under"
                    f" {path_text(parent_path)}: pin this entry to one of them with id:,"
                    f" and delete or rename the other{'s' if len(found) > 2 else ''} in Intercom",
                )
            )
            continue
        if len(found) > 1:
            ids = ", ".join(c.id for c in found)
            warnings.append(
                f"live {endpoint.plural} {ids} are all named {entry.name!r} under"
                f" {path_text(parent_path)}; matching {found[0].id} ({_why(found, endpoint)}),"
                " the others are not matched by this entry"
            )
        pairs[entry.path] = found[0].id
        taken.add(found[0].id)

    for entry in todo:
        if entry.path in pairs:
            continue
        for old in entry.previously:
            found = free(old)
            if found:
                pairs[entry.path] = found[0].id
                taken.add(found[0].id)
                break


def _why(found: Sequence[LiveNode], endpoint: Endpoint) -> str:
    """Why ``found[0]`` was matched among same-named siblings, for the warning."""
    if min(found, key=lambda c: id_order(c.id)) is found[0]:
        return "lowest id"
    return f"the one with {endpoint.plural} in it"
