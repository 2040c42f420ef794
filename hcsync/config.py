"""The desired tree as read from a validated YAML file: plain, immutable values.

This module owns the *shape* of a loaded config and ``load_config``, which runs the whole
front half of the pipeline (loader -> schema -> semantic checks -> these values) and raises
ConfigError listing every problem at once. It does no HTTP and knows nothing of live state.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from hcsync.article_files import Articles, load_articles
from hcsync.checks import DEFAULT_LOCALE, check
from hcsync.errors import ConfigError
from hcsync.loader import KeyPath, Loaded, load_yaml, load_yaml_text, tree_path
from hcsync.schema import schema_problems


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
    # Live collections hcsync must never delete / must leave alone entirely: names, ids or
    # path globs ("Internal / *"), as written in the file's top-level `protect:` / `ignore:`.
    protect: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # The same for live articles (`protect_articles:` / `ignore_articles:`): ids, title globs,
    # or path globs ending in the title ("Billing / Refund*").
    protect_articles: tuple[str, ...] = ()
    ignore_articles: tuple[str, ...] = ()
    digest: str = ""  # sha256 of the file's bytes, so a saved plan knows what it was made from
    # The line of `default_locale:` (0 when the file leaves it out): where a help center whose
    # default locale differs is reported.
    default_locale_line: int = 0
    # `articles:` (a folder of article files) read whole; None: the file does not manage
    # articles, and hcsync leaves every article alone.
    articles: Articles | None = None
    default_author: str | None = None  # `default_author:`, an admin's email or id
    # `heading_levels:`, what the workspace does to h3-h6 (``kinds.article.headings``).
    heading_levels: str = "h2"
    default_author_line: int = 0
    # Admins by email (lower case) and by id -> id: filled by the pipeline from Intercom's
    # admins before planning, so authors given by email resolve (``hcsync.kinds.article``).
    authors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def walk(self) -> list[DesiredCollection]:
        """Every entry, parents before children, in file order."""
        out: list[DesiredCollection] = []
        stack = list(reversed(self.collections))
        while stack:
            entry = stack.pop()
            out.append(entry)
            stack.extend(reversed(entry.children))
        return out


def _translations(raw: Mapping[str, Any]) -> Mapping[str, Translation]:
    # A read-only view: the dataclass is frozen, its mapping should be too.
    return MappingProxyType(
        {
            locale: Translation(name=text["name"], description=text.get("description"))
            for locale, text in raw.items()
        }
    )


def _collection(loaded: Loaded, raw: Mapping[str, Any], path: KeyPath) -> DesiredCollection:
    line, column = loaded.start(path)
    children = raw.get("collections", [])
    pin = raw.get("id")
    return DesiredCollection(
        name=raw["name"],
        description=raw.get("description"),
        translations=_translations(raw.get("translated_content", {})),
        # YAML reads an unquoted id as an int; Intercom's ids are strings.
        id=None if pin is None else str(pin),
        previously=tuple(raw.get("previously", ())),
        children=tuple(
            _collection(loaded, child, (*path, "collections", index))
            for index, child in enumerate(children)
        ),
        path=tree_path(path),
        line=line,
        column=column,
    )


def _patterns(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    # A bare number in YAML is an int; patterns are text (an all-digit one is an id).
    return tuple(str(entry) for entry in data.get(key, ()))


def config_from_loaded(loaded: Loaded) -> Config:
    """Validate ``loaded`` (schema, then semantic checks) and build the Config.

    Raises ConfigError listing every problem at once, sorted by position: the loader's
    recoverable ones (duplicate keys), the schema's, and the semantic ones. The semantic
    checks run in the same pass over every part the schema accepted (an entry whose own
    name was refused is skipped, its valid siblings are still checked), so fixing the schema
    problems never uncovers a second round.
    """
    found, refused = schema_problems(loaded)
    problems = [*loaded.problems, *found, *check(loaded, refused=refused)]
    data: Mapping[str, Any] = loaded.data
    articles = None
    if isinstance(data, Mapping) and isinstance(data.get("articles"), str) and data["articles"]:
        # Relative to the config file, so `hcsync plan help/collections.yaml` works anywhere.
        folder = os.path.join(os.path.dirname(loaded.source), data["articles"])
        locale = data.get("default_locale", DEFAULT_LOCALE)
        try:
            articles = load_articles(folder, default_locale=str(locale))
        except ConfigError as err:  # reported with the config's own problems, all at once
            problems.extend(err.problems)
    if problems:
        raise ConfigError(problems)
    help_center = data.get("help_center")
    author = data.get("default_author")
    digest = loaded.digest
    if articles is not None:  # a saved plan is made from the config and every article file
        digest = hashlib.sha256(f"{digest}:{articles.digest}".encode()).hexdigest()
    return Config(
        source=loaded.source,
        help_center=None if help_center is None else str(help_center),
        default_locale=data.get("default_locale", DEFAULT_LOCALE),
        collections=tuple(
            _collection(loaded, raw, ("collections", index))
            for index, raw in enumerate(data["collections"])
        ),
        protect=_patterns(data, "protect"),
        ignore=_patterns(data, "ignore"),
        protect_articles=_patterns(data, "protect_articles"),
        ignore_articles=_patterns(data, "ignore_articles"),
        digest=digest,
        default_locale_line=loaded.where(("default_locale",))[0] if "default_locale" in data else 0,
        articles=articles,
        default_author=None if author is None else str(author),
        default_author_line=loaded.where(("default_author",))[0] if author is not None else 0,
        heading_levels=str(data.get("heading_levels", "h2")),
    )


def load_config(path: str) -> Config:
    """Read, validate and build the config at ``path``; ConfigError lists every problem."""
    return config_from_loaded(load_yaml(path, keep_going=True))


def load_config_text(text: str, source: str) -> Config:
    """``load_config`` for YAML already in memory; ``source`` names it in messages."""
    return config_from_loaded(load_yaml_text(text, source, keep_going=True))
