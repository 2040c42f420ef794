"""The one model both sides are normalised into before they are compared.

A ``Node`` is a collection as hcsync understands it: its default-locale name and
description, its other locales' text, and its parent. Desired (YAML) and live (API) state
are both turned into Nodes by ``normalize`` so the differ compares like with like.
It also owns ``id_order``, the one order of collection ids every module sorts by.
Pure values only: no IO, no httpx, no yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

TOP = "(top level)"  # how a missing parent is shown to people


@dataclass(frozen=True)
class Text:
    """One locale's text; description is "" when there is none (as Intercom returns it)."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Node:
    """A normalised collection.

    ``path`` is the chain of default-locale names from the top, which is how people name a
    collection in a plan. ``translations`` holds only the non-default locales that have text,
    sorted by locale, so equal content always compares and hashes equal.
    """

    path: tuple[str, ...]
    description: str
    translations: tuple[tuple[str, Text], ...]

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def parent_path(self) -> tuple[str, ...]:
        return self.path[:-1]

    @property
    def depth(self) -> int:
        return len(self.path)

    def fields(self) -> dict[str, object]:
        """The comparable fields as plain nested values (what the differ compares)."""
        return {
            "name": self.name,
            "description": self.description,
            "parent": show_path(self.parent_path),
            "translations": {
                locale: {"name": text.name, "description": text.description}
                for locale, text in self.translations
            },
        }


@dataclass(frozen=True)
class LiveNode:
    """A live collection: its id, its parent's id and its normalised content."""

    id: str
    parent_id: str | None
    node: Node
    updated_at: int | None = None


def show_path(path: tuple[str, ...]) -> str:
    """A tree path as one comparable value: ``Getting started / Installation``.

    For comparing and for plan values only (the ``parent`` field): names are joined as they
    are, control characters and all. Anything printed goes through ``render.text.show_path``,
    which escapes them, so a name cannot drive the terminal.
    """
    return " / ".join(path) if path else TOP


def id_order(cid: str) -> tuple[int, int, str]:
    """The one sort key for collection ids: numeric ids by value ("9" before "10"), ties
    ("09" and "9") by text, anything else after all numeric ids, by text.

    Every "lowest id wins" rule and every id-ordered listing uses this key, so two parts of
    hcsync never disagree about which of two collections comes first.
    """
    if cid.isascii() and cid.isdigit():
        return (0, int(cid), cid)
    return (1, 0, cid)
