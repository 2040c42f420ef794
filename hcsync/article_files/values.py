"""What a folder of article files reads into: ``Articles``, each ``Article`` with its
``ArticleTranslation``s, positions kept so later stages point at a key's line.

Owns these values and the format's names (the schema files, the ``.md`` suffix, the keys
only the article's own file may hold). Must not read files or check anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from hcsync.loader import Position

SCHEMA = "article.schema.json"
TRANSLATION_SCHEMA = f"{SCHEMA}#/$defs/translation"
SUFFIX = ".md"

State = Literal["published", "draft"]
BodyFormat = Literal["markdown", "html"]
# Where an article is: a path of collection names from the top, or a live collection's id.
CollectionRef = tuple[str, ...] | str

# Keys of the article as a whole, written once in <name>.md, never in a translation.
ARTICLE_ONLY = ("collection", "id", "previously", "format", "images_base_url")


@dataclass(frozen=True)
class ArticleTranslation:
    """One locale's version of an article, from ``<name>.<locale>.md``."""

    file: str  # the file's path, as the folder was given plus the path inside it
    line: int  # where its front matter's first key is
    title: str
    description: str | None
    state: State
    author: str | None  # an admin's email or id (digits); None: the article's author
    body: str
    body_line: int = 0  # the file's line the body starts on (for problems inside the body)
    positions: Mapping[str, Position] = field(default_factory=lambda: MappingProxyType({}))

    def where(self, key: str) -> Position:
        """Where the front matter's ``key`` is (line, column); the first key's line if absent."""
        return self.positions.get(key, (self.line, 1))


@dataclass(frozen=True)
class Article:
    """One article, from ``<name>.md``, with its translations."""

    file: str
    line: int  # where its front matter's first key is
    title: str
    description: str | None
    collection: CollectionRef  # a path of names (tuple) or a live collection's id (str)
    state: State
    author: str | None  # an admin's email or id (digits); None: the config's default_author
    id: str | None  # pin to a live article id (always a string of digits)
    previously: tuple[str, ...]
    format: BodyFormat
    images_base_url: str | None
    body: str
    translations: Mapping[str, ArticleTranslation]  # locale -> text; never the default locale
    body_line: int = 0  # the file's line the body starts on (for problems inside the body)
    positions: Mapping[str, Position] = field(default_factory=lambda: MappingProxyType({}))

    def where(self, key: str) -> Position:
        """Where the front matter's ``key`` is (line, column); the first key's line if absent.

        So a later stage can point at ``author:`` when the email names no admin."""
        return self.positions.get(key, (self.line, 1))


@dataclass(frozen=True)
class Articles:
    """Every article of a folder, in sorted path order."""

    folder: str
    default_locale: str
    articles: tuple[Article, ...] = ()
    digest: str = ""  # sha256 over every file's path in the folder and bytes, in read order


def show_collection(collection: CollectionRef) -> str:
    """A collection reference as a user writes it: ``Getting started / Install`` or ``id 42``."""
    return " / ".join(collection) if isinstance(collection, tuple) else f"id {collection}"
