"""Writing a live help center as a config file, so an existing one is adopted in one step.

This module owns turning fetched live state into YAML text in the config format, with an
``id`` pin on every collection so the first plan after adoption is empty even if names are
later changed. It does no HTTP (the caller fetches) and writes no files (the CLI does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from hcsync.live import LiveState
from hcsync.model import LiveNode
from hcsync.normalize import live_nodes

FALLBACK_LOCALE = "en"


def live_default_locale(collections: Sequence[Mapping[str, Any]], fallback: str) -> str:
    """The help center's default locale as its collections report it (multilingual only)."""
    for raw in collections:
        locale = raw.get("default_locale")
        if isinstance(locale, str) and locale:
            return locale
    return fallback


def export_yaml(live: LiveState, *, default_locale: str | None = None) -> str:
    """The live tree as config-file YAML: siblings in Intercom's order, every entry pinned."""
    locale = default_locale or live_default_locale(live.collections, FALLBACK_LOCALE)
    nodes = live_nodes(live.collections, locale)
    order = {str(raw["id"]): _order(raw) for raw in live.collections}
    children: dict[str | None, list[LiveNode]] = {}
    for node in nodes.values():
        parent = node.parent_id if node.parent_id in nodes else None
        children.setdefault(parent, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (order.get(n.id, 0), n.node.name, int(n.id)))

    def entry(node: LiveNode) -> dict[str, Any]:
        out: dict[str, Any] = {"name": node.node.name, "id": node.id}
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
    header = (
        f"# Help center '{live.help_center.identifier}' exported by hcsync.\n"
        "# Every collection is pinned by id; keep the pins and edit names freely.\n"
    )
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def _order(raw: Mapping[str, Any]) -> int:
    try:
        return int(raw.get("order") or 0)
    except (TypeError, ValueError):
        return 0
