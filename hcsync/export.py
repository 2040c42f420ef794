"""Writing a live help center as a config file, so an existing one is adopted in one step.

This module owns turning fetched live state into YAML text in the config format, with an
``id`` pin on every collection so the first plan after adoption is empty even if names are
later changed, and checking that text the way ``validate`` would: Intercom accepts names the
config format refuses (a newline or another control character, a bidirectional override,
over 255 characters, surrounding spaces, siblings that differ only in case), and an export
must say so rather than hand over a file hcsync rejects. It does no HTTP (the caller
fetches) and writes no files (the CLI does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from hcsync.config import config_from_loaded
from hcsync.errors import ConfigError, Problem
from hcsync.kinds.collection import live_default_locales, live_nodes
from hcsync.live import LiveState
from hcsync.loader import Loaded, load_yaml_text
from hcsync.model import LiveNode
from hcsync.schema import MODELINE

FALLBACK_LOCALE = "en"


def live_default_locale(collections: Sequence[Mapping[str, Any]], fallback: str) -> str:
    """The help center's default locale as its collections report it (multilingual only)."""
    reported = live_default_locales(collections)
    return reported[0] if reported else fallback


def export_yaml(live: LiveState, *, default_locale: str | None = None, ids: bool = True) -> str:
    """The live tree as config-file YAML: siblings in Intercom's order, every entry pinned.

    ``default_locale`` is only a fallback: the locale the help center reports always wins,
    since exporting under another one would move its text into the wrong locale. Without
    ``ids`` no entry is pinned: the file then describes the tree by names alone, to be
    applied to another (or an emptied) help center: a restore, or staging to production.
    """
    locale = live_default_locale(live.collections, default_locale or FALLBACK_LOCALE)
    nodes = live_nodes(live.collections, locale)
    children: dict[str | None, list[LiveNode]] = {}
    for node in nodes.values():
        parent = node.parent_id if node.parent_id in nodes else None
        children.setdefault(parent, []).append(node)
    for siblings in children.values():
        # Intercom's order as normalize read it (read-only; 1 or "1"), unreadable ones first.
        siblings.sort(key=lambda n: (n.order or 0, n.node.name, int(n.id)))

    def entry(node: LiveNode) -> dict[str, Any]:
        out: dict[str, Any] = {"name": node.node.name}
        if ids:
            out["id"] = node.id
        if node.node.description:
            out["description"] = node.node.description
        if node.node.translations:
            out["translated_content"] = {
                loc: (
                    {"name": text.name, "description": text.description}
                    if text.description
                    else {"name": text.name}
                )
                for loc, text in node.node.translations
            }
        kids = children.get(node.id, [])
        if kids:
            out["collections"] = [entry(kid) for kid in kids]
        return out

    document: dict[str, Any] = {
        "help_center": live.help_center.identifier,
        "default_locale": locale,
        "collections": [entry(node) for node in children.get(None, [])],
    }
    pins = (
        "# Every collection is pinned by id; keep the pins and edit names freely.\n"
        if ids
        else "# No id pins: collections are matched by path; apply it to any help center with\n"
        "# --help-center (a restore, or staging to production).\n"
    )
    header = (
        f"{MODELINE}\n# Help center '{live.help_center.identifier}' exported by hcsync.\n" + pins
    )
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def export_problems(text: str, source: str) -> list[Problem]:
    """What ``validate`` would refuse in exported ``text`` (named ``source``); [] when valid.

    Each problem about a collection names its live id, so it can be fixed in Intercom.
    """
    loaded: Loaded | None = None
    try:
        loaded = load_yaml_text(text, source, keep_going=True)
        config_from_loaded(loaded)
    except ConfigError as exc:
        data = loaded.data if loaded is not None else None
        return [_with_live_id(problem, data) for problem in exc.problems]
    return []


def _with_live_id(problem: Problem, data: Any) -> Problem:
    node = data
    live_id: object = None
    for index in re.findall(r"collections\[(\d+)\]", problem.path):
        try:
            node = node["collections"][int(index)]
            live_id = node.get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if live_id is None:
        return problem
    return problem._replace(message=f"(live collection {live_id}) {problem.message}")
