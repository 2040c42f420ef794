"""Semantic checks on a config file that the JSON Schema cannot express.

This module owns the rules that relate one node to others: sibling names are unique (and
not merely different in case), collections nest at most three levels deep, a live id is
pinned at most once in the whole file, a ``previously`` name clashes with no sibling's
current or earlier name, ``translated_content`` never repeats the default locale, every
``protect:``/``ignore:`` entry is a usable pattern, and no entry of the file matches an
``ignore:`` pattern (a collection cannot be both managed here and left alone).

It runs on the same data as the schema, in the same run, so a file's schema problems and
its semantic problems are reported together. It trusts only what the schema accepted: the
caller passes the paths the schema refused, and an entry whose own name (or whole self) was
refused is left out with everything below it, a refused ``id``, ``previously`` name,
``protect:``/``ignore:`` entry or ``default_locale`` is not used, and everything else is
checked as usual. It must not read files (the loader does) nor know about live state.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from hcsync.errors import Problem
from hcsync.limits import MAX_DEPTH
from hcsync.loader import KeyPath, Loaded, tree_path
from hcsync.patterns import Pattern, problem

DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class _Entry:
    path: KeyPath  # e.g. ("collections", 0, "collections", 2)
    data: dict[str, Any]
    depth: int  # 1 for a top-level collection


class _Trust:
    """Which parts of the data the schema accepted, so the checks read only those.

    ``refused`` holds the paths the schema's problems point at. A node is refused when it or
    one of its ancestors is; a node is *touched* when something at or below it is. The root
    is never refused as a whole: the loader guarantees it is a mapping, and a problem
    pointing at it (a missing ``collections:``) says nothing about its other keys.
    """

    def __init__(self, refused: Collection[KeyPath]) -> None:
        self.refused = frozenset(p for p in refused if p)
        self.below = frozenset(p[:end] for p in self.refused for end in range(1, len(p) + 1))

    def refused_node(self, path: KeyPath) -> bool:
        if not self.refused:  # the schema took everything: the usual case, asked per entry
            return False
        return any(path[:end] in self.refused for end in range(1, len(path) + 1))

    def touched(self, path: KeyPath) -> bool:
        return path in self.below

    def entry(self, path: KeyPath, item: object) -> bool:
        """Whether a collection entry can be checked: a mapping with a name the schema took."""
        return (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and not self.refused_node(path)
            and not self.touched((*path, "name"))
        )

    def items(
        self, path: KeyPath, value: object, *, keep_touched: bool = False
    ) -> list[tuple[int, Any]]:
        """(index, item) of the list at ``path`` that the schema accepted; [] if not a list.

        With ``keep_touched``, items with a problem somewhere inside are kept too (the caller
        sorts out what of them it can use).
        """
        if not isinstance(value, list) or self.refused_node(path):
            return []
        return [
            (i, item)
            for i, item in enumerate(value)
            if keep_touched or not self.touched((*path, i))
        ]


def _entries(data: dict[str, Any], trust: _Trust) -> tuple[list[list[_Entry]], list[_Entry]]:
    """Each group of siblings, parents' groups before children's, in file order; and the
    entries left out of them because the schema refused their name.

    Those nameless entries cannot take part in sibling, depth or ignore checks, nor can their
    children (a message about a child names its parent), but their ``id`` pin still counts,
    so fixing the name never uncovers a duplicate pin. Entries refused as a whole are left
    out entirely. Indices are the file's, so every path still points at the file. Stops
    descending below a too-deep entry: one problem about it is enough, its own children are
    moved along with it.
    """
    groups: list[list[_Entry]] = []
    nameless: list[_Entry] = []
    stack: list[tuple[KeyPath, object, int]] = [(("collections",), data.get("collections", []), 1)]
    while stack:
        list_path, items, depth = stack.pop()
        group: list[_Entry] = []
        for index, item in trust.items(list_path, items, keep_touched=True):
            path = (*list_path, index)
            if trust.entry(path, item):
                group.append(_Entry(path, item, depth))
            elif isinstance(item, dict) and path not in trust.refused:
                nameless.append(_Entry(path, item, depth))
        groups.append(group)
        if depth >= MAX_DEPTH + 1:
            continue
        for entry in reversed(group):
            if "collections" in entry.data:
                stack.append(((*entry.path, "collections"), entry.data["collections"], depth + 1))
    return groups, nameless


class _Checker:
    def __init__(self, loaded: Loaded, source: str, trust: _Trust) -> None:
        self.loaded = loaded
        self.source = source
        self.trust = trust
        self.problems: list[Problem] = []

    def line(self, path: KeyPath) -> int:
        return self.loaded.where(path)[0]

    def report(self, path: KeyPath, message: str) -> None:
        line, column = self.loaded.where(path)
        self.problems.append(Problem(self.source, line, column, tree_path(path), message))

    def parent_phrase(self, group_path: KeyPath) -> str:
        """'under 'Getting started'' for a child group, 'at the top level' for the top."""
        parent_path = group_path[:-2]
        if not parent_path:
            return "at the top level"
        parent: Any = self.loaded.data
        for part in parent_path:
            parent = parent[part]
        return f"under {parent['name']!r}"

    def siblings(self, group: list[_Entry]) -> None:
        if not group:
            return
        where = self.parent_phrase(group[0].path)
        exact: dict[str, _Entry] = {}
        folded: dict[str, _Entry] = {}
        for entry in group:
            name = entry.data["name"]
            name_path = (*entry.path, "name")
            if name in exact:
                first = self.line((*exact[name].path, "name"))
                self.report(
                    name_path,
                    f"duplicate name {name!r} {where} (first at line {first}); rename one of them",
                )
            elif name.casefold() in folded:
                other = folded[name.casefold()]
                first = self.line((*other.path, "name"))
                # Intercom would accept both, but two collections whose names differ only in
                # case look identical to readers and make matching by name ambiguous.
                self.report(
                    name_path,
                    f"name {name!r} differs only in case from {other.data['name']!r} {where} "
                    f"(line {first}); rename one of them",
                )
            exact.setdefault(name, entry)
            folded.setdefault(name.casefold(), entry)
        self.previously(group, folded)

    def previously(self, group: list[_Entry], current: dict[str, _Entry]) -> None:
        earlier: dict[str, tuple[_Entry, KeyPath]] = {}
        for entry in group:
            listed = (*entry.path, "previously")
            for index, old in self.trust.items(listed, entry.data.get("previously", [])):
                old_path = (*listed, index)
                key = old.casefold()
                owner = current.get(key)
                if old == entry.data["name"]:
                    self.report(
                        old_path, f"{old!r} is this collection's current name; remove it here"
                    )
                elif owner is not None and owner is not entry:
                    self.report(
                        old_path,
                        f"{old!r} is the current name of a sibling "
                        f"(line {self.line((*owner.path, 'name'))}); drop it from previously "
                        "or rename the sibling",
                    )
                elif key in earlier and earlier[key][0] is not entry:
                    other, other_path = earlier[key]
                    self.report(
                        old_path,
                        f"{old!r} is also a previous name of sibling {other.data['name']!r} "
                        f"(line {self.line(other_path)}); only one of them can have been "
                        "called that",
                    )
                earlier.setdefault(key, (entry, old_path))

    def depth(self, entry: _Entry) -> None:
        if entry.depth > MAX_DEPTH:
            self.report(
                entry.path,
                f"collections nest at most three levels deep; move {entry.data['name']!r} "
                "up a level",
            )

    def pin(self, entry: _Entry) -> str | None:
        """The entry's id pin as text, or None when it has none or the schema refused it."""
        if "id" not in entry.data or self.trust.touched((*entry.path, "id")):
            return None
        return str(entry.data["id"])

    def id_pins(self, entry: _Entry, pinned: dict[str, _Entry]) -> None:
        pin = self.pin(entry)
        if pin is None:
            return
        if pin in pinned:
            first = pinned[pin]
            # An entry whose name the schema refused is named by its place in the tree.
            who = (
                repr(first.data["name"])
                if self.trust.entry(first.path, first.data)
                else tree_path(first.path)
            )
            self.report(
                (*entry.path, "id"),
                f"id {pin!r} is already pinned by {who} "
                f"(line {self.line((*first.path, 'id'))}); pin each live collection once",
            )
        else:
            pinned[pin] = entry

    def default_locale(self, entry: _Entry, locale: str) -> None:
        translated = entry.data.get("translated_content", {})
        if self.trust.refused_node((*entry.path, "translated_content")):
            return  # not a mapping: the schema said so
        if isinstance(translated, dict) and locale in translated:
            self.report(
                (*entry.path, "translated_content", locale),
                f"{locale!r} is the default locale; put its text in name/description "
                "instead of translated_content",
            )

    def patterns(self, key: str) -> list[tuple[Pattern, KeyPath]]:
        """Report malformed ``protect:``/``ignore:`` entries; return the usable ones."""
        usable: list[tuple[Pattern, KeyPath]] = []
        for index, raw in self.trust.items((key,), self.loaded.data.get(key, [])):
            text = str(raw)
            where: KeyPath = (key, index)
            wrong = problem(text)
            if wrong is not None:
                self.report(where, wrong)
            else:
                usable.append((Pattern.parse(text), where))
        return usable

    def names(self, path: KeyPath) -> tuple[str, ...]:
        """The path of names from the top to the entry at JSON ``path``."""
        out: list[str] = []
        node: Any = self.loaded.data
        for part in path:
            node = node[part]
            if isinstance(part, int):
                out.append(node["name"])
        return tuple(out)

    def ignored(self, entries: list[_Entry], patterns: list[tuple[Pattern, KeyPath]]) -> None:
        # Only the top-most clashing entry is reported: its children clash because of it.
        reported: list[tuple[str, ...]] = []
        for entry in entries:
            names = self.names(entry.path)
            if any(names[: len(done)] == done for done in reported):
                continue
            pin = self.pin(entry)
            for pattern, where in patterns:
                if pattern.matches(pin, names):
                    field = "id" if pattern.kind == "id" else "name"
                    self.report(
                        (*entry.path, field),
                        f"{entry.data['name']!r} is both listed in ignore: (line"
                        f" {self.line(where)}: {pattern.text!r}) and managed here; remove one",
                    )
                    reported.append(names)
                    break


def check(
    loaded: Loaded, source: str | None = None, refused: Collection[KeyPath] = ()
) -> list[Problem]:
    """Every semantic problem in ``loaded`` data, in file order.

    ``refused`` holds the paths the schema's problems point at (``schema.schema_problems``):
    what is at or under them is not trusted and not checked. ``source`` names the file in
    messages and defaults to ``loaded.source``.
    """
    trust = _Trust(refused)
    checker = _Checker(loaded, loaded.source if source is None else source, trust)
    data: dict[str, Any] = loaded.data
    # A refused default_locale would make every other locale look like the default.
    locale = (
        None if trust.touched(("default_locale",)) else data.get("default_locale", DEFAULT_LOCALE)
    )
    groups, nameless = _entries(data, trust)
    for group in groups:
        checker.siblings(group)

    # File order, so "already pinned by" always names the entry written first.
    def in_file(entry: _Entry) -> tuple[int, int]:
        return loaded.where(entry.path)

    entries = sorted((e for g in groups for e in g), key=in_file)
    # Entries without a usable name can still pin an id; they are rare, so sort again only
    # when there are some.
    pinning = sorted([*entries, *nameless], key=in_file) if nameless else entries
    pinned: dict[str, _Entry] = {}
    for entry in pinning:
        checker.id_pins(entry, pinned)
    for entry in entries:
        checker.depth(entry)
        if locale is not None:
            checker.default_locale(entry, locale)
    checker.patterns("protect")
    checker.ignored(entries, checker.patterns("ignore"))
    for key in ("protect_articles", "ignore_articles"):
        checker.patterns(key)
    for key in ("protect_articles", "ignore_articles", "heading_levels"):
        if data.get(key) and not data.get("articles"):
            checker.report(
                (key,),
                "needs articles: (a folder of article files); without it hcsync leaves"
                " every article alone",
            )
    return sorted(checker.problems, key=lambda p: (p.line, p.column, p.path))
