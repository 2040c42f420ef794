"""Pairing desired entries with live collections: id pin, then name, then ``previously``.

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

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hcsync.config import Config, DesiredCollection
from hcsync.errors import ConfigError, Problem
from hcsync.model import LiveNode, id_order, show_path
from hcsync.normalize import desired_entries

Path = tuple[str, ...]


def name_key(text: str) -> str:
    """A name (or any text Intercom stores) as compared: HTML references decoded."""
    return html.unescape(text) if "&" in text else text


@dataclass(frozen=True)
class Matching:
    """Which live collection each desired entry became, and which live ones are left over."""

    pairs: Mapping[Path, str]  # desired path of names -> live id
    unmatched: tuple[str, ...]  # live ids matched by nothing (to be deleted), in id order
    warnings: tuple[str, ...] = ()

    def live_id(self, path: Path) -> str | None:
        return self.pairs.get(path)


def match(config: Config, live: Mapping[str, LiveNode]) -> Matching:
    """Pair every desired entry of ``config`` with at most one live collection."""
    pairs: dict[Path, str] = {}
    taken: set[str] = set()
    warnings: list[str] = []

    _match_pins(config, live, pairs, taken)

    children_of: dict[str | None, list[LiveNode]] = {}
    for node in sorted(live.values(), key=lambda n: id_order(n.id)):
        children_of.setdefault(node.parent_id, []).append(node)

    # Sibling groups, parents first: (parent path, live id the parent matched, entries).
    # A parent that is created has no live id, and then only pins (done above) can match.
    groups: list[tuple[Path, str | None, bool, Sequence[DesiredCollection]]] = [
        ((), None, True, config.collections)
    ]
    while groups:
        parent_path, parent_id, parent_live, entries = groups.pop(0)
        if parent_live:
            candidates = children_of.get(parent_id, [])
            _match_group(parent_path, entries, candidates, pairs, taken, warnings, children_of)
        for entry in entries:
            path = (*parent_path, entry.name)
            pid = pairs.get(path)
            groups.append((path, pid, pid is not None, entry.children))

    unmatched = tuple(sorted((i for i in live if i not in taken), key=id_order))
    return Matching(pairs=pairs, unmatched=unmatched, warnings=tuple(warnings))


def _match_pins(
    config: Config, live: Mapping[str, LiveNode], pairs: dict[Path, str], taken: set[str]
) -> None:
    problems: list[Problem] = []
    pinned_by: dict[str, DesiredCollection] = {}
    for path, entry in desired_entries(config):
        if entry.id is None:
            continue
        where = f"{entry.path}.id"
        if entry.id not in live:
            problems.append(
                Problem(
                    config.source,
                    entry.line,
                    entry.column,
                    where,
                    f"id {entry.id} is pinned but no live collection has it;"
                    " remove the pin or fix the id",
                )
            )
        elif entry.id in pinned_by:
            # The semantic checks reject this before we get here; kept so a Config built by
            # hand cannot make two desired entries claim one live collection.
            first = pinned_by[entry.id]
            problems.append(
                Problem(
                    config.source,
                    entry.line,
                    entry.column,
                    where,
                    f"id {entry.id} is already pinned at line {first.line}; pin each id once",
                )
            )
        else:
            pinned_by[entry.id] = entry
            pairs[path] = entry.id
            taken.add(entry.id)
    if problems:
        raise ConfigError(problems)


def _match_group(
    parent_path: Path,
    entries: Sequence[DesiredCollection],
    candidates: Sequence[LiveNode],
    pairs: dict[Path, str],
    taken: set[str],
    warnings: list[str],
    children_of: Mapping[str | None, Sequence[LiveNode]],
) -> None:
    # Of same-named siblings, one with collections in it first, then the lowest id: when two
    # writers made a collection twice, the empty copy is the leftover (a cleanup), while
    # matching it would delete the full one and create its children again.
    by_name: dict[str, list[LiveNode]] = {}
    for candidate in sorted(candidates, key=lambda c: (c.id not in children_of, id_order(c.id))):
        by_name.setdefault(name_key(candidate.node.name), []).append(candidate)

    def free(name: str) -> list[LiveNode]:
        return [c for c in by_name.get(name_key(name), ()) if c.id not in taken]

    todo = [e for e in entries if (*parent_path, e.name) not in pairs]
    for entry in todo:
        found = free(entry.name)
        if not found:
            continue
        if len(found) > 1:
            ids = ", ".join(c.id for c in found)
            warnings.append(
                f"live collections {ids} are all named {entry.name!r} under"
                f" {show_path(parent_path)}; matching {found[0].id} ({_why(found)}),"
                " the others are not matched by this entry"
            )
        path = (*parent_path, entry.name)
        pairs[path] = found[0].id
        taken.add(found[0].id)

    for entry in todo:
        path = (*parent_path, entry.name)
        if path in pairs:
            continue
        for old in entry.previously:
            found = free(old)
            if found:
                pairs[path] = found[0].id
                taken.add(found[0].id)
                break


def _why(found: Sequence[LiveNode]) -> str:
    """Why ``found[0]`` was matched among same-named siblings, for the warning."""
    if min(found, key=lambda c: id_order(c.id)) is found[0]:
        return "lowest id"
    return "the one with collections in it"
