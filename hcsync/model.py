"""The one model both sides are normalised into before they are compared.

A ``Node`` is an item of any kind as hcsync understands it: its default-locale name and
description (and the kind's own fields), its other locales' text, and its parent. Desired
(YAML) and live (API) state are both turned into Nodes by the item's kind
(``hcsync/kinds/``) so the differ compares like with like.
It also owns the few readings of raw API values every module must agree on: ``id_order``
(the one order of collection ids), ``collection_id`` and ``parent_ref`` (what an id and a
parent reference are, whatever JSON type the server sent), ``timestamp`` (``updated_at``)
and ``newest_by_id`` (which of several copies of one collection is kept).
Pure values only: no IO, no httpx, no yaml.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

TOP = "(top level)"  # how a missing parent is shown to people


@dataclass(frozen=True)
class Text:
    """One locale's text; description is "" when there is none (as Intercom returns it).

    ``extra`` holds a kind's own per-locale fields beyond name and description, sorted by
    field name (a collection has none)."""

    name: str
    description: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    def fields(self) -> dict[str, str]:
        return {"name": self.name, "description": self.description, **dict(self.extra)}


@dataclass(frozen=True)
class Node:
    """A normalised item of any kind (a collection, an article, ...).

    ``path`` is the chain of default-locale names from the top, which is how people name a
    collection in a plan. ``translations`` holds only the non-default locales that have text,
    sorted by locale, so equal content always compares and hashes equal.
    """

    path: tuple[str, ...]
    description: str = ""
    translations: tuple[tuple[str, Text], ...] = ()
    # A kind's own default-locale fields beyond name and description, sorted by field name
    # (a collection has none).
    extra: tuple[tuple[str, str], ...] = ()

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
            **dict(self.extra),
            "parent": path_text(self.parent_path),
            "translations": {locale: text.fields() for locale, text in self.translations},
        }


@dataclass(frozen=True)
class LiveNode:
    """A live item of any kind: its id, its parent's id (an item of its kind's parent kind)
    and its normalised content."""

    id: str
    parent_id: str | None
    node: Node
    updated_at: int | None = None
    # Its place among its siblings as Intercom reports it (read-only ``order``, 0 upwards);
    # None when the answer had none or an unreadable one.
    order: int | None = None


def name_key(text: str) -> str:
    """A name (or any text Intercom stores) as compared: HTML references decoded.

    One team reports Intercom reading names back HTML-escaped ("Billing &amp; Payments");
    decoding both sides gives the same answer whether the server escapes or not.
    """
    return html.unescape(text) if "&" in text else text


def path_text(path: tuple[str, ...]) -> str:
    """A tree path as one comparable value: ``Getting started / Installation``.

    For comparing and for plan values only (the ``parent`` field): names are joined as they
    are, control characters and all. Anything printed goes through ``escape.show_path``,
    which escapes them, so a name cannot drive the terminal.
    """
    return " / ".join(path) if path else TOP


@cache  # a plan sorts the same few thousand ids several times over
def id_order(cid: str) -> tuple[int, int, str]:
    """The one sort key for collection ids: numeric ids by value ("9" before "10"), ties
    ("09" and "9") by text, anything else after all numeric ids, by text.

    Every "lowest id wins" rule and every id-ordered listing uses this key, so two parts of
    hcsync never disagree about which of two collections comes first.
    """
    if cid.isascii() and cid.isdigit():
        return (0, int(cid), cid)
    return (1, 0, cid)


def collection_id(value: object) -> str | None:
    """An item's id (of any kind, or a help center's) as hcsync keys it, or None when there is
    none.

    The description says ids are strings; its examples also show integers, and both mean the
    same collection: 7 and "7" are "7". A blank string, a boolean, null or anything else names
    nothing. The text is kept as sent (not stripped), so every module keys it alike.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value
    return None


def parent_ref(value: object) -> str | None:
    """The collection a ``parent_id`` names, or None for top level.

    Top level reads as null in the description, but answers seen elsewhere use ``0``, ``"0"``
    or ``""``; all of them mean "no parent" (no collection has id 0). The same reading serves
    a top-level collection's ``help_center_id``.
    """
    ref = collection_id(value)
    if ref is None:
        return None
    text = ref.strip()
    if text.isascii() and text.isdigit() and int(text) == 0:
        return None
    return ref


def count(value: object) -> int | None:
    """A count or position (``total_count``, ``order``) read tolerantly: a non-negative
    integer, or a string of digits (examples show both 1 and "1"); anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def timestamp(value: object) -> int | None:
    """An ``updated_at``/``created_at`` (Unix seconds) read tolerantly; None when unreadable.

    Integers as sent; a whole float or a string of digits as the integer it spells.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isascii() and text.lstrip("-").isdigit() and text.count("-") <= 1:
            return int(text)
    return None


Item = TypeVar("Item", bound=Mapping[str, Any])


def newest_by_id(items: Iterable[Item]) -> dict[str, Item]:
    """One copy per collection id, by id in first-seen order; items without an id are
    dropped.

    Of several copies the one with the newest ``updated_at`` (``timestamp``) is kept, and on a
    tie the first seen: a listing can repeat an item (a page boundary shifting under a write,
    or an unstable order among equal ``updated_at``), and the order pages arrive in says
    nothing about which copy is fresher; ``updated_at`` does. A missing or unreadable
    ``updated_at`` is older than any readable one.
    """
    kept: dict[str, Item] = {}
    for item in items:
        key = collection_id(item.get("id"))
        if key is None:
            continue
        seen = kept.get(key)
        if seen is None or _newer(item, seen):
            kept[key] = item  # an existing key keeps its place in the order
    return kept


def _newer(item: Mapping[str, Any], than: Mapping[str, Any]) -> bool:
    new, old = timestamp(item.get("updated_at")), timestamp(than.get("updated_at"))
    return new is not None and (old is None or new > old)
