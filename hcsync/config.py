"""The desired tree as read from a validated YAML file: plain, immutable values.

This module owns the *shape* of a loaded config and ``load_config``, which runs the whole
front half of the pipeline (loader -> schema -> semantic checks -> these values) and raises
ConfigError listing every problem at once. It does no HTTP and knows nothing of live state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Translation:
    """One locale's text for a collection; ``description`` is None when not given."""

    name: str
    description: str | None = None


@dataclass(frozen=True)
class DesiredCollection:
    """One collection entry of the YAML file."""

    name: str
    description: str | None
    translations: Mapping[str, Translation]  # locale -> text; never the default locale
    id: str | None  # pin to a live collection id (always a string of digits)
    previously: tuple[str, ...]  # earlier names, so a rename is matched as an update
    children: tuple[DesiredCollection, ...]
    path: str  # tree path in the file, e.g. "collections[0].collections[2]"
    line: int  # 1-based line of the entry in the file
    column: int = 1


@dataclass(frozen=True)
class Config:
    """A whole validated config file."""

    source: str  # the file path as given
    help_center: str | None  # identifier or numeric id (as a string); None: the only one
    default_locale: str
    collections: tuple[DesiredCollection, ...] = field(default_factory=tuple)

    def walk(self) -> list[DesiredCollection]:
        """Every entry, parents before children, in file order."""
        out: list[DesiredCollection] = []
        stack = list(reversed(self.collections))
        while stack:
            entry = stack.pop()
            out.append(entry)
            stack.extend(reversed(entry.children))
        return out
