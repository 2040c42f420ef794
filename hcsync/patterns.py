"""The one place that decides whether a live item matches a ``protect:``/``ignore:`` entry.

An entry of either list is one of three kinds, told apart by its text alone:

- an **id** when it is all digits (``"6871119"``): matches that live collection only;
- a **path glob** when it contains ``/`` (``"Internal / *"``): split on ``/``, each part
  stripped, and matched part by part with ``fnmatchcase`` against the collection's path of
  default-locale names, so ``*`` matches within one level and the pattern matches collections
  at exactly that depth;
- otherwise a **name** glob (``"Legal"``, ``"Draft*"``), matched with ``fnmatchcase`` against
  the collection's own name at any level (a plain name is an exact, case-sensitive match).

Whether a match also covers the collection's subtree is the caller's rule (``ignore`` does,
``protect`` does not need to). ``problem`` says what is wrong with an entry so the semantic
checks can point at its line. Pure: no IO.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

PatternKind = Literal["id", "path", "name"]


@dataclass(frozen=True)
class Pattern:
    """One parsed entry; ``text`` is the entry exactly as written, for messages."""

    text: str
    kind: PatternKind
    parts: tuple[str, ...]  # id: (id,); name: (glob,); path: one glob per level

    @classmethod
    def parse(cls, text: str) -> Pattern:
        if text.strip().isdigit():
            return cls(text, "id", (text.strip(),))
        if "/" in text:
            return cls(text, "path", tuple(part.strip() for part in text.split("/")))
        return cls(text, "name", (text.strip(),))

    def matches(self, cid: str | None, path: tuple[str, ...]) -> bool:
        """Whether the collection with live id ``cid`` (None: not live) and ``path`` matches."""
        if self.kind == "id":
            return cid is not None and cid == self.parts[0]
        if self.kind == "name":
            return bool(path) and fnmatchcase(path[-1], self.parts[0])
        return len(path) == len(self.parts) and all(
            fnmatchcase(name, glob) for name, glob in zip(path, self.parts, strict=True)
        )


@dataclass(frozen=True)
class Patterns:
    """A ``protect:`` or ``ignore:`` list, parsed."""

    entries: tuple[Pattern, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Patterns:
        return cls(tuple(Pattern.parse(text) for text in entries))

    def first(self, cid: str | None, path: tuple[str, ...]) -> Pattern | None:
        """The first entry matching the item, or None when none does."""
        return next((p for p in self.entries if p.matches(cid, path)), None)

    def matches(self, cid: str | None, path: tuple[str, ...]) -> str | None:
        """The first entry (as written) matching the item, or None when none does."""
        found = self.first(cid, path)
        return None if found is None else found.text

    def __bool__(self) -> bool:
        return bool(self.entries)


def problem(text: str) -> str | None:
    """What is wrong with one ``protect:``/``ignore:`` entry, or None when it is usable."""
    if not text.strip():
        return "an empty entry matches nothing; remove it or write a name, an id or a path"
    pattern = Pattern.parse(text)
    if pattern.kind == "path" and not all(pattern.parts):
        return (
            f"path {text!r} has an empty level; write names (or *) between the slashes,"
            " like 'Internal / *'"
        )
    return None


__all__ = ["Pattern", "PatternKind", "Patterns", "problem"]
