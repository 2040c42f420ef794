"""Live state: which help center we manage, and its collections as Intercom returns them.

This module owns choosing the help center (by identifier or numeric id, or the only one) and
keeping, from the workspace-wide collection list, only the collections of that help center.
Intercom sets ``help_center_id`` on top-level collections only (nested ones carry null), so
membership is resolved through the parent chain; a top-level collection with a null
``help_center_id`` belongs to the default (first listed) help center, where Intercom puts
collections created without one. It hands back raw dicts: normalising them is
``normalize``'s job and comparing them is ``diff``'s; this module must do neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hcsync.client import IntercomClient
from hcsync.errors import HcsyncError, UsageError
from hcsync.model import id_order


@dataclass(frozen=True)
class HelpCenter:
    id: str
    identifier: str
    display_name: str


@dataclass(frozen=True)
class LiveState:
    """The chosen help center and its collections (raw API dicts, sorted by id)."""

    help_center: HelpCenter
    collections: tuple[dict[str, Any], ...]


def choose_help_center(centers: Sequence[Mapping[str, Any]], wanted: str | None) -> HelpCenter:
    """The help center named by ``wanted`` (identifier or numeric id), or the only one.

    UsageError when the workspace has none, when ``wanted`` matches none, or when there are
    several and ``wanted`` is None: picking one silently could rewrite the wrong site.
    """
    available = [_help_center(center) for center in centers]
    names = ", ".join(center.identifier for center in available)
    if not available:
        raise UsageError(
            "this workspace has no help center; create one in Intercom's Help Center settings"
        )
    if wanted is None:
        if len(available) == 1:
            return available[0]
        raise UsageError(
            f"this workspace has {len(available)} help centers ({names}); "
            "set help_center: in the YAML or pass --help-center"
        )
    wanted = wanted.strip()
    for center in available:
        if wanted in (center.identifier, center.id):
            return center
    raise UsageError(f"no help center {wanted!r} in this workspace; available: {names}")


def collections_of(
    collections: Sequence[Mapping[str, Any]], help_center_id: str, default_id: str
) -> tuple[dict[str, Any], ...]:
    """The collections that belong to ``help_center_id``, sorted by id (``id_order``).

    ``default_id`` is the help center that owns top-level collections whose
    ``help_center_id`` is null. A collection whose parent is not in the list (or whose parent
    chain loops) means the listing is not a consistent snapshot; that is an error rather than
    a guess, because a wrongly dropped collection would be planned as a create: a duplicate.
    ``collections`` is taken to hold each id once: de-duplicating a listing is the client's job.
    """
    by_id = {str(item["id"]): item for item in collections}
    owner: dict[str, str] = {}

    def resolve(id: str) -> str:
        chain: list[str] = []
        current = id
        while current not in owner:
            if current in chain:
                raise HcsyncError(f"live collections {', '.join(chain)} form a parent loop")
            item = by_id.get(current)
            if item is None:
                raise HcsyncError(
                    f"live collection {chain[-1]} has parent {current}, which Intercom did not "
                    "list; the live state changed while it was read, try again"
                )
            chain.append(current)
            parent = item.get("parent_id")
            if parent is None:
                center = item.get("help_center_id")
                owner[current] = default_id if center is None else str(center)
            else:
                current = str(parent)
        for member in chain:
            owner[member] = owner[current]
        return owner[current]

    mine = [dict(item) for item in collections if resolve(str(item["id"])) == help_center_id]
    return tuple(sorted(mine, key=lambda item: id_order(str(item["id"]))))


def fetch_live(client: IntercomClient, wanted: str | None) -> LiveState:
    """Choose the help center and read its collections."""
    centers = client.list_help_centers()
    chosen = choose_help_center(centers, wanted)
    default_id = _help_center(centers[0]).id
    mine = collections_of(client.list_collections(), chosen.id, default_id)
    return LiveState(help_center=chosen, collections=mine)


def _help_center(center: Mapping[str, Any]) -> HelpCenter:
    # The official shape has a string id; examples elsewhere show integers, so normalise.
    return HelpCenter(
        id=str(center["id"]),
        identifier=str(center.get("identifier") or center["id"]),
        display_name=str(center.get("display_name") or ""),
    )
