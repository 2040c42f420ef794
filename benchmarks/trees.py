"""Generated help centers for the benchmarks and the fault tests: three-level trees of any size.

Owns: making a tree of N collections (about 1 top-level : 4 second-level : 16 third-level),
writing it as a config file (directly as text: a 20k-collection file in milliseconds, where
``yaml.safe_dump`` takes seconds), seeding it into an emulator, and building the in-memory
``Config`` and raw live dicts the pure benchmark times. Each can give every collection a
French translation, in the file and in the emulator alike, so the two match exactly.
Must not time or print anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hcsync.config import Config, DesiredCollection, Translation
from hcsync.emulator import Emulator

FANOUT = 4
# Text that YAML reads back as the same string when written bare, in block and flow context
# alike; anything else is written double-quoted (a JSON string is a YAML double-quoted one).
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._()-]*[A-Za-z0-9.)]|[A-Za-z]")
_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


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


def french(entry: Entry) -> tuple[str, str]:
    """The French name and description every collection gets when translations are asked for."""
    return f"{entry.name} (fr)", f"{entry.description} (fr)"


def to_yaml(entries: list[Entry], *, help_center: str = "acme", translated: bool = False) -> str:
    """The tree as a config file hcsync validates (``translated``: with French on every
    collection), written as a person would: block style, translations in flow style."""
    lines = [f"help_center: {_scalar(help_center)}", "default_locale: en", "collections:"]

    def write(entry: Entry, pad: str) -> None:
        lines.append(f"{pad}- name: {_scalar(entry.name)}")
        lines.append(f"{pad}  description: {_scalar(entry.description)}")
        if translated:
            name, description = french(entry)
            lines.append(f"{pad}  translated_content:")
            lines.append(
                f"{pad}    fr: {{name: {_scalar(name)}, description: {_scalar(description)}}}"
            )
        if entry.children:
            lines.append(f"{pad}  collections:")
            for child in entry.children:
                write(child, pad + "    ")

    for entry in entries:
        write(entry, "  ")
    if not entries:
        lines[-1] = "collections: []"
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    if _PLAIN.fullmatch(text) and text.lower() not in _SPECIAL:
        return text
    return json.dumps(text, ensure_ascii=False)


def seed(
    emu: Emulator, entries: list[Entry], help_center_id: str, *, translated: bool = False
) -> int:
    """Create the tree directly in the emulator (no requests); how many were added."""
    added = 0

    def add(entry: Entry, parent: str | None) -> None:
        nonlocal added
        made = emu.add_collection(
            entry.name,
            help_center_id=help_center_id if parent is None else None,
            parent_id=parent,
            description=entry.description,
            translated_content=_french_content(entry) if translated else None,
        )
        added += 1
        for child in entry.children:
            add(child, str(made["id"]))

    for entry in entries:
        add(entry, None)
    return added


def _french_content(entry: Entry) -> dict[str, dict[str, str]]:
    name, description = french(entry)
    return {"fr": {"name": name, "description": description}}


def config(
    entries: list[Entry],
    *,
    changed_every: int = 0,
    translate_every: int = 0,
    translated: bool = False,
) -> Config:
    """The tree as an in-memory Config; every ``changed_every``-th description edited and
    every ``translate_every``-th collection given a French name (0: none); ``translated``:
    every collection carries the French name and description ``to_yaml`` writes."""
    counter = 0

    def translations(entry: Entry) -> dict[str, Translation]:
        if translated:
            return {"fr": Translation(*french(entry))}
        if translate_every and counter % translate_every == 0:
            return {"fr": Translation(entry.name + " (fr)")}
        return {}

    def desired(entry: Entry, path: str) -> DesiredCollection:
        nonlocal counter
        counter += 1
        edited = changed_every and counter % changed_every == 0
        return DesiredCollection(
            name=entry.name,
            description=entry.description + (" (edited)" if edited else ""),
            translations=translations(entry),
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
