"""Generated help centers for the benchmarks and the fault tests: three-level trees of any size.

Owns: making a tree of N collections (about 1 top-level : 4 second-level : 16 third-level),
writing it as a config file, seeding it into an emulator, and building the in-memory
``Config`` and raw live dicts the pure benchmark times. Must not time or print anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from hcsync.config import Config, DesiredCollection, Translation
from hcsync.emulator import Emulator

FANOUT = 4


@dataclass
class Entry:
    """One generated collection and its children."""

    name: str
    description: str
    children: list[Entry] = field(default_factory=list)


def tree(count: int, *, prefix: str = "C") -> list[Entry]:
    """``count`` collections over three levels, children spread evenly over their parents."""
    if count < 1:
        return []
    top = max(1, round(count / (1 + FANOUT + FANOUT * FANOUT)))
    second = min(count - top, FANOUT * top)
    third = count - top - second
    if second == 0 and third > 0:  # pragma: no cover - only for counts below 3
        second, third = third, 0
    level1 = [Entry(f"{prefix}{i}", f"Top {i}") for i in range(top)]
    level2 = [Entry(f"{prefix}{i}.{j}", f"Second {j}") for j, i in _spread(second, top)]
    for (_, parent), entry in zip(_spread(second, top), level2, strict=True):
        level1[parent].children.append(entry)
    for k, parent in _spread(third, len(level2)):
        owner = level2[parent]
        owner.children.append(Entry(f"{owner.name}.{k}", f"Third {k}"))
    return level1


def _spread(count: int, parents: int) -> list[tuple[int, int]]:
    """(index, parent) for ``count`` items dealt round-robin over ``parents``."""
    return [(k, k % parents) for k in range(count)] if parents else []


def walk(entries: list[Entry]) -> list[Entry]:
    out: list[Entry] = []
    for entry in entries:
        out.append(entry)
        out.extend(walk(entry.children))
    return out


def to_yaml(entries: list[Entry], *, help_center: str = "acme") -> str:
    """The tree as a config file hcsync validates."""

    def plain(entry: Entry) -> dict[str, Any]:
        out: dict[str, Any] = {"name": entry.name, "description": entry.description}
        if entry.children:
            out["collections"] = [plain(child) for child in entry.children]
        return out

    document = {
        "help_center": help_center,
        "default_locale": "en",
        "collections": [plain(e) for e in entries],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def seed(emu: Emulator, entries: list[Entry], help_center_id: str) -> int:
    """Create the tree directly in the emulator (no requests); how many were added."""
    added = 0

    def add(entry: Entry, parent: str | None) -> None:
        nonlocal added
        made = emu.add_collection(
            entry.name,
            help_center_id=help_center_id if parent is None else None,
            parent_id=parent,
            description=entry.description,
        )
        added += 1
        for child in entry.children:
            add(child, str(made["id"]))

    for entry in entries:
        add(entry, None)
    return added


def config(entries: list[Entry], *, changed_every: int = 0, translate_every: int = 0) -> Config:
    """The tree as an in-memory Config; every ``changed_every``-th description edited and
    every ``translate_every``-th collection given a French translation (0: none)."""
    counter = 0

    def desired(entry: Entry, path: str) -> DesiredCollection:
        nonlocal counter
        counter += 1
        edited = changed_every and counter % changed_every == 0
        return DesiredCollection(
            name=entry.name,
            description=entry.description + (" (edited)" if edited else ""),
            translations={"fr": Translation(entry.name + " (fr)")}
            if translate_every and counter % translate_every == 0
            else {},
            id=None,
            previously=(),
            children=tuple(
                desired(child, f"{path}.collections[{i}]") for i, child in enumerate(entry.children)
            ),
            path=path,
            line=counter,
        )

    return Config(
        source="generated.yaml",
        help_center="acme",
        default_locale="en",
        collections=tuple(desired(e, f"collections[{i}]") for i, e in enumerate(entries)),
    )


def raw_live(entries: list[Entry], help_center_id: str = "101") -> list[dict[str, Any]]:
    """The tree as Intercom's list endpoint returns it (official ``collection`` shape)."""
    out: list[dict[str, Any]] = []
    next_id = 7001

    def add(entry: Entry, parent: str | None, order: int) -> None:
        nonlocal next_id
        cid = str(next_id)
        next_id += 1
        out.append(
            {
                "id": cid,
                "workspace_id": "bench",
                "name": entry.name,
                "description": entry.description,
                "url": f"https://help.example.com/{cid}",
                "icon": "book-bookmark",
                "order": order,
                "created_at": 1_700_000_000,
                "updated_at": 1_700_000_000 + next_id,
                "default_locale": "en",
                "translated_content": {
                    "type": "group_translated_content",
                    "en": {
                        "type": "group_content",
                        "name": entry.name,
                        "description": entry.description,
                    },
                },
                "parent_id": parent,
                "help_center_id": int(help_center_id) if parent is None else None,
            }
        )
        for i, child in enumerate(entry.children):
            add(child, cid, i)

    for i, entry in enumerate(entries):
        add(entry, None, i)
    return out
