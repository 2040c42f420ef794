"""Turning both sides into the one model: desired ``Config`` -> Nodes, raw live dicts -> LiveNodes.

This module owns every rule that makes "the same content" compare equal whatever shape the
server chose to send it in (STYLE rule 2: a diff that shows a change the server will undo is
a bug):

- a missing or null description is "" (Intercom answers "" for "not given");
- names are exact: nothing is stripped or case-folded, because Intercom keeps them verbatim;
- translations drop the ``type`` marker, null locales, the default locale (the server mirrors
  ``name``/``description`` into it), locales hcsync does not know (the file cannot name
  them, so they are left alone) and entries with neither name nor description, and are
  sorted by locale;
- read-only fields (id as content, workspace_id, timestamps, url, icon, order,
  help_center_id) never reach a Node; ``updated_at`` and ``order`` ride along on the
  LiveNode, read tolerantly (``order`` arrives as 1 or "1"; anything else is None);
- ids and parent references are read by ``model.collection_id`` and ``model.parent_ref``
  (a top-level ``parent_id`` may be null, 0, "0" or ""), and duplicate ids keep the newest
  copy by ``model.newest_by_id``, the same rules the client uses.

Live collections whose ``parent_id`` is not among the listed collections ("orphans") and
members of a parent cycle are treated as top level, with a warning. This is a fallback for
callers that hand in raw dicts without going through ``live`` (tests, tools): on the CLI's
path ``live`` already refuses both as an inconsistent listing, so this never runs there.
It keeps ``read_live`` total (always finite paths) whatever it is given.

It must not do IO: no httpx, no yaml, no os. It does not decide matching or changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hcsync.config import Config, DesiredCollection, Translation
from hcsync.locales import LOCALES
from hcsync.model import (
    LiveNode,
    Node,
    Text,
    count,
    id_order,
    newest_by_id,
    parent_ref,
    timestamp,
)

Path = tuple[str, ...]
KNOWN_LOCALES = frozenset(LOCALES)


@dataclass(frozen=True)
class LiveTree:
    """Normalised live collections keyed by id, plus what looked odd while reading them."""

    nodes: dict[str, LiveNode]
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- desired side


def desired_nodes(config: Config) -> dict[Path, Node]:
    """Every desired entry as a Node, keyed by its path of default-locale names, file order."""
    return {
        path: desired_node(entry, path[:-1], config.default_locale)
        for path, entry in desired_entries(config)
    }


def desired_entries(config: Config) -> list[tuple[Path, DesiredCollection]]:
    """Every entry with its path of names, parents before children, in file order."""
    out: list[tuple[Path, DesiredCollection]] = []

    def visit(entries: Sequence[DesiredCollection], parent: Path) -> None:
        for entry in entries:
            path = (*parent, entry.name)
            out.append((path, entry))
            visit(entry.children, path)

    visit(config.collections, ())
    return out


def desired_node(entry: DesiredCollection, parent: Path, default_locale: str) -> Node:
    """One desired entry as a Node under ``parent`` (its children are not included)."""
    return Node(
        path=(*parent, entry.name),
        description=entry.description or "",
        translations=_desired_translations(entry.translations, default_locale),
    )


def _desired_translations(
    translations: Mapping[str, Translation], default_locale: str
) -> tuple[tuple[str, Text], ...]:
    # The checks reject the default locale in `translations`; dropping it here as well keeps
    # both sides symmetrical even for a Config built by hand.
    texts = {
        locale: Text(t.name, t.description or "")
        for locale, t in translations.items()
        if locale != default_locale
    }
    return tuple(sorted((loc, t) for loc, t in texts.items() if t.name or t.description))


# ------------------------------------------------------------------------------- live side


def live_nodes(raw: Sequence[Mapping[str, Any]], default_locale: str) -> dict[str, LiveNode]:
    """Raw collection dicts of one help center as LiveNodes keyed by id (see ``read_live``)."""
    return read_live(raw, default_locale).nodes


def read_live(raw: Sequence[Mapping[str, Any]], default_locale: str) -> LiveTree:
    """Normalise raw collection dicts, computing each path from the parent chain.

    Duplicate ids (a page boundary shifting under a concurrent write can repeat an item) keep
    the copy with the newest ``updated_at`` (``model.newest_by_id``); items without an id are
    skipped.
    """
    by_id = newest_by_id(raw)

    warnings: list[str] = []
    parents: dict[str, str | None] = {}
    for cid, item in by_id.items():
        pid = parent_ref(item.get("parent_id"))
        if pid is not None and pid not in by_id:
            warnings.append(
                f"live collection {cid} {_name(item)!r} names parent {pid}, which is not one of"
                " this help center's collections; treated as top level"
            )
            pid = None
        parents[cid] = pid
    warnings.extend(_break_cycles(parents, by_id))

    paths: dict[str, Path] = {}

    def path_of(cid: str) -> Path:
        if cid not in paths:
            pid = parents[cid]
            paths[cid] = (*(path_of(pid) if pid is not None else ()), _name(by_id[cid]))
        return paths[cid]

    nodes: dict[str, LiveNode] = {}
    for cid in sorted(by_id, key=id_order):
        item = by_id[cid]
        nodes[cid] = LiveNode(
            id=cid,
            parent_id=parents[cid],
            node=Node(
                path=path_of(cid),
                description=_str(item.get("description")),
                translations=_live_translations(item.get("translated_content"), default_locale),
            ),
            updated_at=timestamp(item.get("updated_at")),
            order=count(item.get("order")),
        )
    return LiveTree(nodes=nodes, warnings=tuple(warnings))


def _break_cycles(
    parents: dict[str, str | None], by_id: Mapping[str, Mapping[str, Any]]
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
                f"live collections {', '.join(sorted(cycle, key=id_order))} are each other's"
                f" parents; {cut} {_name(by_id[cut])!r} is treated as top level"
            )
        done.update(chain)
    return warnings


def _live_translations(raw: object, default_locale: str) -> tuple[tuple[str, Text], ...]:
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
        text = Text(_str(content.get("name")), _str(content.get("description")))
        if text.name or text.description:
            out.append((str(locale), text))
    return tuple(sorted(out))


# ------------------------------------------------------------------------------- helpers


def live_default_locales(live: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The default locales the raw collections report, in listing order, each once.

    Intercom sends ``default_locale`` on collections of multilingual help centers only; a
    consistent help center reports one locale (or none).
    """
    found = (item.get("default_locale") for item in live)
    return tuple(dict.fromkeys(str(loc) for loc in found if isinstance(loc, str) and loc))


def _str(value: object) -> str:
    return "" if value is None else str(value)


def _name(item: Mapping[str, Any]) -> str:
    return _str(item.get("name"))


__all__ = [
    "LiveTree",
    "desired_entries",
    "desired_node",
    "desired_nodes",
    "id_order",
    "live_default_locales",
    "live_nodes",
    "read_live",
]
