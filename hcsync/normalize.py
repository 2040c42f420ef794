"""Turning live answers into the one model, for any kind: the rules every kind shares.

A kind (``hcsync/kinds/``) says how one raw item's fields read; this module owns what is the
same for all of them, so that "the same content" compares equal whatever shape the server
chose to send it in (STYLE rule 2: a diff that shows a change the server will undo is a bug):

- ids and parent references are read by ``model.collection_id`` and ``model.parent_ref``
  (a top-level ``parent_id`` may be null, 0, "0" or ""), and duplicate ids keep the newest
  copy by ``model.newest_by_id``, the same rules the client uses;
- each item's path is computed from the parent chain; ``updated_at`` and ``order`` ride along
  on the LiveNode, read tolerantly (``order`` arrives as 1 or "1"; anything else is None);
- translations drop the ``type`` marker, null locales, the default locale (the server mirrors
  the default-locale fields into it), locales hcsync does not know (the file cannot name
  them, so they are left alone) and entries with no text, and are sorted by locale.

Live items whose parent is not among the listed items ("orphans") and members of a parent
cycle are treated as top level, with a warning. This is a fallback for callers that hand in
raw dicts without going through ``live`` (tests, tools): on the CLI's path ``live`` already
refuses both as an inconsistent listing, so this never runs there. It keeps ``read_items``
total (always finite paths) whatever it is given.

It must not do IO: no httpx, no yaml, no os. It does not decide matching or changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hcsync.locales import LOCALES
from hcsync.model import LiveNode, Node, Text, count, id_order, newest_by_id, parent_ref, timestamp
from hcsync.resource import Endpoint, LiveItems

Path = tuple[str, ...]
KNOWN_LOCALES = frozenset(LOCALES)
Raw = Mapping[str, Any]


def read_items(
    raw: Sequence[Raw],
    *,
    endpoint: Endpoint,
    name: Callable[[Raw], str],
    node: Callable[[Raw, Path], Node],
    nested: bool = True,
    within: Mapping[str, LiveNode] | None = None,
    version: Callable[[Raw], int | None] | None = None,
) -> LiveItems:
    """Normalise raw items of one kind, computing each path from the parent chain.

    ``name`` reads an item's name, ``node`` its content at a given path. An item's parent is
    its ``parent_id``: among these items (``nested``, the default), among the live items of
    another kind (``within``: an article's collection; the path then starts with that
    item's), or nowhere (``nested`` False and no ``within``: a flat kind). Duplicate ids (a
    page boundary shifting under a concurrent write can repeat an item) keep the copy with
    the newest ``updated_at``; items without an id are skipped. An item's version (what a
    saved plan is checked against) is its ``updated_at``, or what ``version`` reads.
    """
    by_id = newest_by_id(raw)
    among: Mapping[str, object] = by_id if within is None else within

    warnings: list[str] = []
    parents: dict[str, str | None] = {}
    for cid, item in by_id.items():
        pid = parent_ref(item.get("parent_id")) if nested or within is not None else None
        if pid is not None and pid not in among:
            warnings.append(
                f"live {endpoint.noun} {cid} {name(item)!r} names parent {pid}, which is not one"
                f" of this help center's {_where(endpoint, within)}; treated as top level"
            )
            pid = None
        parents[cid] = pid
    if within is None:
        warnings.extend(_break_cycles(parents, by_id, endpoint, name))

    paths: dict[str, Path] = {}

    def path_of(cid: str) -> Path:
        if cid not in paths:
            pid = parents[cid]
            if pid is None:
                above: Path = ()
            elif within is not None:
                above = within[pid].node.path
            else:
                above = path_of(pid)
            paths[cid] = (*above, name(by_id[cid]))
        return paths[cid]

    nodes: dict[str, LiveNode] = {}
    for cid in sorted(by_id, key=id_order):
        item = by_id[cid]
        nodes[cid] = LiveNode(
            id=cid,
            parent_id=parents[cid],
            node=node(item, path_of(cid)),
            updated_at=version(item) if version else timestamp(item.get("updated_at")),
            order=count(item.get("order")),
        )
    return LiveItems(nodes=nodes, warnings=tuple(warnings))


def _where(endpoint: Endpoint, within: Mapping[str, LiveNode] | None) -> str:
    return endpoint.plural if within is None else "items it can live in"


def _break_cycles(
    parents: dict[str, str | None],
    by_id: Mapping[str, Raw],
    endpoint: Endpoint,
    name: Callable[[Raw], str],
) -> list[str]:
    """Cut every parent cycle at its lowest id, so paths are finite; mutates ``parents``."""
    warnings: list[str] = []
    done: set[str] = set()
    for start in sorted(parents, key=id_order):
        chain: list[str] = []
        cid: str | None = start
        while cid is not None and cid not in done and cid not in chain:
            chain.append(cid)
            cid = parents[cid]
        if cid is not None and cid in chain:
            cycle = chain[chain.index(cid) :]
            cut = min(cycle, key=id_order)
            parents[cut] = None
            warnings.append(
                f"live {endpoint.plural} {', '.join(sorted(cycle, key=id_order))} are each"
                f" other's parents; {cut} {name(by_id[cut])!r} is treated as top level"
            )
        done.update(chain)
    return warnings


def live_translations(
    raw: object, default_locale: str, read: Callable[[Raw], Text]
) -> tuple[tuple[str, Text], ...]:
    """A raw ``translated_content`` as sorted ``(locale, Text)``, ``read`` turning one
    locale's object into its Text (see the module docstring for what is dropped)."""
    if not isinstance(raw, Mapping):
        return ()
    out: list[tuple[str, Text]] = []
    # Most of the ~40 locales Intercom lists are null: dropped first, in one comprehension.
    for locale, content in [item for item in raw.items() if item[1] is not None]:
        if locale == "type" or locale == default_locale:
            continue
        if not isinstance(content, Mapping):
            continue
        if locale not in KNOWN_LOCALES:
            # A locale Intercom added since: the file cannot name it, so hcsync can neither
            # compare nor write it. Left alone, never planned as a removal.
            continue
        text = read(content)
        if text.name or text.description:
            out.append((str(locale), text))
    return tuple(sorted(out))


def text(value: object) -> str:
    """A text field as compared: a missing or null value is "" (Intercom's "not given")."""
    return "" if value is None else str(value)


__all__ = ["KNOWN_LOCALES", "live_translations", "read_items", "text"]
