"""Reading a folder of article files (Markdown with YAML front matter) into plain values.

This module owns the article files' format and ``load_articles``, the articles' front half
(files -> front matter -> schema -> checks across files -> these values). It raises
ConfigError listing every problem of every file at once, each at ``file:line:column``, as
``config.load_config`` does for the YAML config. It does no HTTP, knows nothing of live
state, and does not read bodies: rendering and checking them is ``hcsync.kinds.article``'s.

The format
----------
An article is a file ``<name>.md``; everything in it up to the body is front matter, YAML
between two ``---`` lines, the first of them the file's first line::

    ---
    title: Install the desktop app           # required
    description: Download, install, sign in  # optional
    collection: Getting started / Install    # required: a path of names, or an id ("6871119")
    state: published                         # required: published | draft, never defaulted
    author: jane@example.com                 # optional: an admin's email or id
    id: "8120342"                            # optional: pin to a live article
    previously: [Installing the app]         # optional: earlier titles
    format: markdown                         # optional: markdown (default) | html
    images_base_url: https://example.com/img/  # optional: where relative images are published
    ---
    The body, in Markdown (or HTML with format: html).

- ``schemas/article.schema.json`` is the front matter's reference (``$defs/translation`` for
  a translation's); unknown keys are errors, with a "did you mean".
- ``collection`` is a path of collection names from the top, split on ``/`` with the spaces
  around each name ignored (as in ``protect:``/``ignore:`` paths), at most three levels; or,
  when all digits (a bare number too), a live collection's id. So a collection whose name
  holds ``/`` or is all digits is named by its id.
- ``author`` and ``id`` take digits as text or a bare number, as the config's ``id`` does.
- The body is everything after the closing ``---`` line (that line's own line break is not
  part of it), kept exactly: line endings, blank lines, trailing spaces.
- A translation is a sibling file ``<name>.<locale>.md`` (a locale of ``hcsync.locales``)
  with its own ``title`` and ``state`` (required, as for the article: a French draft of a
  published article is common, and a silent default is what the format refuses), optional
  ``description`` and ``author``, and its own body. The ``collection``, ``id``,
  ``previously``, ``format`` and ``images_base_url`` are the article's, written once in
  ``<name>.md``: in a translation each is an error saying so. A translation needs its
  ``<name>.md`` beside it, and is never in the default locale (that text is ``<name>.md``).

What the files and folders mean
-------------------------------
Only files ending in ``.md`` are read: images and anything else may sit beside them (the
body's relative images, published under ``images_base_url``). Names starting with ``.``
(``.git``, editors' swap files) are skipped, folders included. Subfolders are allowed and
mean nothing to Intercom: they are for people. An article's identity is its ``id`` pin, else
its title in its collection, else a ``previously`` title, never its file's name or folder,
so renaming or moving a file changes nothing live; its name only ties translations to it.
Articles come in sorted path order, folder by folder.

Decisions beyond the proposal in issue 13, and why
--------------------------------------------------
- A file name ending in something that looks like a locale but is not one Intercom knows
  (``guide.FR.md``, ``guide.pt_BR.md``, ``guide.zh.md``: two letters, optionally ``-`` or
  ``_`` and two to four more) is an error with a "did you mean", rather than a second
  article: read as one, it would be created as a duplicate in another language.
- ``images_base_url`` is the article's, like ``format``: one base for every locale's
  relative images, so a translation's screenshots are paths under the same base.
- Titles that differ only in case in one collection are refused like equal ones (as sibling
  collection names are): they look the same to readers and make matching by title fragile.
  A ``previously`` title that is the article's own title, or another article's current
  title in the same collection, is refused too, as for collections.

Problems are reported at the line of the ``.md`` file: the front matter is read by
``loader.load_yaml_text`` (the same refusals: anchors, tags, duplicate keys...), with an
empty line in place of the opening ``---`` so that YAML counts lines as the file does.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from hcsync.errors import ConfigError, Problem
from hcsync.limits import MAX_DEPTH
from hcsync.loader import (
    MAX_BYTES,
    KeyPath,
    Loaded,
    Position,
    load_yaml_text,
    not_utf8,
    tree_path,
)
from hcsync.locales import LOCALES
from hcsync.schema import schema_problems

SCHEMA = "article.schema.json"
TRANSLATION_SCHEMA = f"{SCHEMA}#/$defs/translation"
SUFFIX = ".md"

State = Literal["published", "draft"]
BodyFormat = Literal["markdown", "html"]
# Where an article is: a path of collection names from the top, or a live collection's id.
CollectionRef = tuple[str, ...] | str

# Keys of the article as a whole, written once in <name>.md, never in a translation.
ARTICLE_ONLY = ("collection", "id", "previously", "format", "images_base_url")
# A delimiter line: three dashes, then only spaces or tabs (and a CR, in a CRLF file).
_DELIMITER = re.compile(r"---[ \t]*\r?")
# A file name suffix that looks like a locale (fr, FR, pt_BR, fr-CA, zh-Hans) but may not be.
_LOCALE_LIKE = re.compile(r"[A-Za-z]{2}(?:[-_][A-Za-z]{2,4})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_NULLS = ("", "~", "null", "Null", "NULL")


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


# -- one file ------------------------------------------------------------------------------


@dataclass
class _File:
    """One ``.md`` file as read, before the checks across files."""

    file: str  # path as shown in messages
    folder: tuple[str, ...]  # the folders it is in, under the articles folder
    name: str  # <name> of <name>.md and <name>.<locale>.md
    locale: str | None  # None: the article's default-locale file
    loaded: Loaded | None = None  # its front matter, positions in the file's lines
    refused: frozenset[KeyPath] = frozenset()  # what the schema or the checks refused
    body: str = ""
    body_line: int = 0

    def value(self, key: str) -> Any:
        """The front matter's ``key`` if it is there and was accepted, else None.

        A list whose items were refused one by one is kept: the caller skips those items."""
        if self.loaded is None or (key,) in self.refused:
            return None
        return self.loaded.data.get(key)

    def line(self, key: str) -> int:
        assert self.loaded is not None
        return self.loaded.where((key,))[0]


class _Reader:
    def __init__(self, folder: str) -> None:
        self.problems: list[Problem] = []
        self.folder = folder
        self.digest = hashlib.sha256()  # every file read: its path in the folder and bytes

    def report(self, file: str, where: Position, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(file, where[0], where[1], tree_path(path), message))

    def at(self, entry: _File, path: KeyPath, message: str) -> None:
        assert entry.loaded is not None
        self.report(entry.file, entry.loaded.where(path), path, message)
        entry.refused |= {path}

    def read(self, entry: _File) -> None:
        """Read ``entry``'s file: its front matter, checked alone, and its body."""
        text = self.text(entry.file)
        if text is not None:
            self.front_matter(entry, text)
        if entry.loaded is not None:
            self.keys(entry)

    def text(self, file: str) -> str | None:
        # As loader.load_yaml reads a config file: bounded, UTF-8, every refusal a Problem.
        try:
            with open(file, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
            name = os.path.relpath(file, self.folder).replace(os.sep, "/")
            self.digest.update(f"{len(name)}:{name}{len(raw)}:".encode() + raw)
        except OSError as exc:
            self.report(file, (1, 1), (), f"cannot read the file: {exc.strerror or exc}")
            return None
        if len(raw) > MAX_BYTES:
            limit = MAX_BYTES // (1024 * 1024)
            self.report(file, (1, 1), (), f"the file is over {limit} MiB; hcsync refuses it")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            where, message = not_utf8(raw, exc)
            self.report(file, where, (), message)
            return None
        # A byte order mark (some Windows editors write one) is not part of the first line.
        return text.removeprefix("\ufeff")

    def front_matter(self, entry: _File, text: str) -> None:
        needs = "title:, collection: and state:" if entry.locale is None else "title: and state:"
        first_end = text.find("\n")
        first = text if first_end < 0 else text[:first_end]
        if _DELIMITER.fullmatch(first) is None:
            self.report(
                entry.file,
                (1, 1),
                (),
                f"the file does not start with front matter; its first line must be '---',"
                f" then {needs}, then another '---' line before the body",
            )
            return
        # The closing line: the first other line that is '---'.
        start, line, close = first_end + 1, 2, -1
        while first_end >= 0:
            end = text.find("\n", start)
            if _DELIMITER.fullmatch(text, start, len(text) if end < 0 else end):
                close = start
                break
            if end < 0:
                break
            start, line = end + 1, line + 1
        if close < 0:
            self.report(
                entry.file,
                (1, 1),
                (),
                "the front matter opened on line 1 is never closed;"
                " end it with a '---' line before the body",
            )
            return
        end = text.find("\n", close)
        entry.body = "" if end < 0 else text[end + 1 :]
        entry.body_line = line + 1
        # YAML reads the front matter with an empty line in place of the opening '---', so
        # every position, and every line a message names ("first at line 3"), is the file's.
        front = "\n" + text[first_end + 1 : close]
        kind = _not_a_mapping(front)
        if kind is not None:
            where, what = kind
            message = (
                f"the front matter is empty; it needs at least {needs}"
                if what is None
                else f"the front matter must be a mapping of keys like 'title:', not {what}"
            )
            self.report(entry.file, where, (), message)
            return
        try:
            entry.loaded = load_yaml_text(front, entry.file, keep_going=True)
        except ConfigError as exc:
            self.problems.extend(exc.problems)
            return
        self.problems.extend(entry.loaded.problems)

    def keys(self, entry: _File) -> None:
        """The schema's problems, then what it cannot say, for one file's front matter."""
        loaded = entry.loaded
        assert loaded is not None
        schema = SCHEMA
        if entry.locale is not None:
            schema = TRANSLATION_SCHEMA
            data = dict(loaded.data)
            for key in ARTICLE_ONLY:
                if key in data:
                    self.at(
                        entry,
                        (key,),
                        f"{key!r} belongs in {entry.name}{SUFFIX}, the article's"
                        f" default-locale file; a translation has only title, description,"
                        " state and author",
                    )
                    del data[key]
            loaded = replace(loaded, data=data)
        found, refused = schema_problems(loaded, schema=schema)
        self.problems.extend(found)
        entry.refused |= refused
        self.collection(entry)
        self.author(entry)
        self.images_base_url(entry)
        self.previously(entry)

    def collection(self, entry: _File) -> None:
        raw = entry.value("collection")
        if raw is None or _collection(raw) is not None:
            return
        text = str(raw).strip()
        if text.isascii() and text.isdigit():
            self.at(
                entry,
                ("collection",),
                f"{text!r} is not an Intercom id; Intercom ids never start with 0",
            )
            return
        parts = [part.strip() for part in text.split("/")]
        if "" in parts:
            self.at(
                entry,
                ("collection",),
                f"path {raw!r} has an empty level; write a collection name between the"
                " slashes, like 'Getting started / Install'",
            )
        else:
            self.at(
                entry,
                ("collection",),
                f"path {raw!r} has {len(parts)} levels; collections nest at most"
                f" {MAX_DEPTH} levels deep",
            )

    def author(self, entry: _File) -> None:
        raw = entry.value("author")
        if raw is None or _author(raw) is not None:
            return
        text = str(raw)
        if text.isascii() and text.isdigit():
            message = f"{text!r} is not an Intercom id; Intercom ids never start with 0"
        else:
            message = (
                f"{text!r} is neither an email nor an id; write an admin's email"
                " (jane@example.com) or id (991267)"
            )
        self.at(entry, ("author",), message)

    def images_base_url(self, entry: _File) -> None:
        raw = entry.value("images_base_url")
        if raw is None or _absolute_url(raw):
            return
        self.at(
            entry,
            ("images_base_url",),
            f"{raw!r} is not an absolute http(s) URL; write where the images are"
            " published, like https://example.com/help/images/",
        )

    def previously(self, entry: _File) -> None:
        title = entry.value("title")
        earlier = entry.value("previously")
        if not isinstance(title, str) or not isinstance(earlier, list):
            return
        for index, old in enumerate(earlier):
            if ("previously", index) not in entry.refused and old == title:
                self.at(
                    entry,
                    ("previously", index),
                    f"{old!r} is this article's current title; remove it here",
                )


# Front matter as it is usually written: blank or comment lines, then a plain key at the
# start of a line ("title: ..."). That opens a mapping, so reading events is not needed.
_OPENS_MAPPING = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*[A-Za-z_][\w-]*:(?=[ \t\r\n]|\Z)")


def _not_a_mapping(text: str) -> tuple[Position, str | None] | None:
    """Where and why front matter is not a mapping: (position, None) when empty,
    (position, 'a list' or 'a single value (...)') otherwise; None for a mapping, or when the
    loader is the one to say what is wrong (a syntax error, an anchor, a tag)."""
    return None if _OPENS_MAPPING.match(text) else _read_not_a_mapping(text)


def _read_not_a_mapping(text: str) -> tuple[Position, str | None] | None:
    """``_not_a_mapping`` from YAML's events: what the first node is."""
    try:
        loader = yaml.SafeLoader(text)  # reading the text already refuses control characters
    except yaml.YAMLError:
        return None
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentStartEvent)):
                continue
            if isinstance(event, yaml.StreamEndEvent):
                return (2, 1), None  # the line after the opening '---'
            if not isinstance(event, yaml.NodeEvent) or isinstance(event, yaml.AliasEvent):
                return None
            if event.anchor is not None or getattr(event, "tag", None) is not None:
                return None
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            if isinstance(event, yaml.SequenceStartEvent):
                return where, "a list"
            if isinstance(event, yaml.ScalarEvent):
                if event.style is None and event.value in _NULLS:
                    return where, None
                return where, f"a single value ({event.value!r})"
            return None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _collection(raw: object) -> CollectionRef | None:
    """The collection ``raw`` names (schema-valid), or None if it is not a usable one."""
    if isinstance(raw, int):
        return str(raw)
    assert isinstance(raw, str)
    if raw.isascii() and raw.isdigit():
        return raw if raw == "0" or not raw.startswith("0") else None
    parts = tuple(part.strip() for part in raw.split("/"))
    if "" in parts or len(parts) > MAX_DEPTH:
        return None
    return parts


def _author(raw: object) -> str | None:
    if isinstance(raw, int):
        return str(raw)
    assert isinstance(raw, str)
    if raw.isascii() and raw.isdigit():
        return raw if raw == "0" or not raw.startswith("0") else None
    return raw if _EMAIL.fullmatch(raw) else None


def _absolute_url(raw: object) -> bool:
    if not isinstance(raw, str) or any(ch.isspace() for ch in raw):
        return False
    parts = urlsplit(raw)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# -- the folder ----------------------------------------------------------------------------


def _files(folder: str, reader: _Reader) -> list[_File]:
    """Every ``.md`` file under ``folder`` that is not hidden, in sorted path order."""
    if not os.path.isdir(folder):
        why = "it does not exist" if not os.path.exists(folder) else "it is not a folder"
        reader.report(folder, (1, 1), (), f"cannot read the articles folder: {why}")
        return []
    found: list[tuple[tuple[str, ...], str]] = []

    def unreadable(exc: OSError) -> None:
        where = exc.filename or folder
        reader.report(where, (1, 1), (), f"cannot read the folder: {exc.strerror or exc}")

    for top, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        inside = os.path.relpath(top, folder)
        parts = () if inside == os.curdir else tuple(inside.split(os.sep))
        found.extend(
            (parts, name) for name in names if name.endswith(SUFFIX) and not name.startswith(".")
        )
    found.sort(key=lambda item: (*item[0], item[1]))
    out: list[_File] = []
    for parts, name in found:
        file = os.path.join(folder, *parts, name)
        stem = name[: -len(SUFFIX)]
        base, dot, suffix = stem.rpartition(".")
        if dot and suffix in LOCALES:
            out.append(_File(file, parts, base, suffix))
        elif dot and _LOCALE_LIKE.fullmatch(suffix):
            reader.report(file, (1, 1), (), _locale_like(suffix, base))
        else:
            out.append(_File(file, parts, stem, None))
    return out


def _locale_like(suffix: str, base: str) -> str:
    import difflib

    wanted = suffix.replace("_", "-").casefold()
    by_case = [c for c in LOCALES if c.casefold() == wanted]
    # "zh" names no locale, but "zh-CN" and "zh-TW" do.
    regional = [c for c in LOCALES if c.casefold().startswith(f"{wanted}-")]
    close = by_case or regional or difflib.get_close_matches(wanted, LOCALES, n=1, cutoff=0.6)
    names = " or ".join(f"{base}.{c}{SUFFIX}" for c in close)
    hint = f" (did you mean {names}?)" if close else ""
    return (
        f"{suffix!r} is not a locale Intercom knows{hint}; a translation is named"
        f" <name>.<locale>{SUFFIX} with one of: {', '.join(LOCALES)}; rename the file"
    )


class _Across:
    """The checks that relate files to one another: translations to their article, titles
    within a collection, id pins across the folder."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader

    def translations(self, entries: list[_File], default_locale: str) -> None:
        articles = {(e.folder, e.name) for e in entries if e.locale is None}
        for entry in entries:
            if entry.locale is None:
                continue
            article = f"{entry.name}{SUFFIX}"
            if entry.locale == default_locale:
                message = (
                    f"{entry.locale!r} is the default locale; its text belongs in {article},"
                    " not in a translation"
                )
            elif (entry.folder, entry.name) not in articles:
                message = (
                    f"no {article} beside this translation; a translation needs its article's"
                    f" default-locale file, {article}, in the same folder"
                )
            else:
                continue
            self.reader.report(entry.file, (1, 1), (), message)

    def titles(self, entries: list[_File]) -> None:
        # Articles without a pin are matched by title in their collection: two of them with
        # one title (or titles differing only in case) would both match the same live one.
        seen: dict[tuple[CollectionRef, str], tuple[_File, str]] = {}
        for entry in entries:
            title = entry.value("title")
            raw = entry.value("collection")
            # An id the schema refused still says the file means to pin one.
            pinned = entry.loaded is not None and "id" in entry.loaded.data
            if pinned or not isinstance(title, str) or raw is None:
                continue
            collection = _collection(raw)
            if collection is None:
                continue
            key = (collection, title.casefold())
            if key in seen:
                other, other_title = seen[key]
                where = f"{other.file}:{other.line('title')}"
                what = (
                    f"duplicate title {title!r} {_in(collection)} (also {where})"
                    if title == other_title
                    else f"title {title!r} differs only in case from {other_title!r}"
                    f" ({where}) {_in(collection)}"
                )
                self.reader.at(
                    entry,
                    ("title",),
                    f"{what}; rename one of them, or pin each to its live article with id:",
                )
            else:
                seen[key] = (entry, title)
        self.previously(entries, seen)

    def previously(
        self, entries: list[_File], current: Mapping[tuple[CollectionRef, str], tuple[_File, str]]
    ) -> None:
        for entry in entries:
            raw = entry.value("collection")
            earlier = entry.value("previously")
            collection = None if raw is None else _collection(raw)
            if collection is None or not isinstance(earlier, list):
                continue
            for index, old in enumerate(earlier):
                if ("previously", index) in entry.refused or not isinstance(old, str):
                    continue
                owner = current.get((collection, old.casefold()))
                if owner is None or owner[0] is entry:
                    continue
                other = owner[0]
                self.reader.at(
                    entry,
                    ("previously", index),
                    f"{old!r} is the current title of {other.file}:{other.line('title')}"
                    f" {_in(collection)}; drop it from previously or rename that article",
                )

    def pins(self, entries: list[_File]) -> None:
        pinned: dict[str, _File] = {}
        for entry in entries:
            raw = entry.value("id")
            if raw is None:
                continue
            pin = str(raw)
            if pin in pinned:
                other = pinned[pin]
                self.reader.at(
                    entry,
                    ("id",),
                    f"id {pin!r} is already pinned by {other.file}:{other.line('id')};"
                    " pin each live article once",
                )
            else:
                pinned[pin] = entry


def _in(collection: CollectionRef) -> str:
    if isinstance(collection, tuple):
        return f"in collection {show_collection(collection)!r}"
    return f"in collection {collection}"


def _article(entry: _File, translations: list[_File]) -> Article:
    loaded = entry.loaded
    assert loaded is not None
    data: Mapping[str, Any] = loaded.data
    collection = _collection(data["collection"])
    assert collection is not None  # the checks refused any other
    author = data.get("author")
    pin = data.get("id")
    return Article(
        file=entry.file,
        line=loaded.start(())[0],
        title=data["title"],
        description=data.get("description"),
        collection=collection,
        state=data["state"],
        author=None if author is None else _author(author),
        # YAML reads an unquoted id as an int; Intercom's ids are strings.
        id=None if pin is None else str(pin),
        previously=tuple(data.get("previously", ())),
        format=data.get("format", "markdown"),
        images_base_url=data.get("images_base_url"),
        body=entry.body,
        translations=MappingProxyType(
            {t.locale: _translation(t) for t in sorted(translations, key=_locale) if t.locale}
        ),
        body_line=entry.body_line,
        positions=_key_positions(loaded),
    )


def _locale(entry: _File) -> str:
    return entry.locale or ""


def _translation(entry: _File) -> ArticleTranslation:
    loaded = entry.loaded
    assert loaded is not None
    data: Mapping[str, Any] = loaded.data
    author = data.get("author")
    return ArticleTranslation(
        file=entry.file,
        line=loaded.start(())[0],
        title=data["title"],
        description=data.get("description"),
        state=data["state"],
        author=None if author is None else _author(author),
        body=entry.body,
        body_line=entry.body_line,
        positions=_key_positions(loaded),
    )


def _key_positions(loaded: Loaded) -> Mapping[str, Position]:
    return MappingProxyType(
        {str(path[0]): where for path, where in loaded.key_positions.items() if len(path) == 1}
    )


def load_articles(folder: str, *, default_locale: str) -> Articles:
    """Read, check and build every article file under ``folder``.

    ``default_locale`` is the config's: the locale of ``<name>.md``. Raises ConfigError
    listing every problem of every file at once (each file is checked whole, whatever is
    wrong with the others), sorted by file and position.
    """
    reader = _Reader(folder)
    entries = _files(folder, reader)
    for entry in entries:
        reader.read(entry)
    across = _Across(reader)
    across.translations(entries, default_locale)
    articles = [e for e in entries if e.locale is None and e.loaded is not None]
    across.titles(articles)
    across.pins(articles)
    if reader.problems:
        raise ConfigError(reader.problems)
    translations: dict[tuple[tuple[str, ...], str], list[_File]] = {}
    for entry in entries:
        if entry.locale is not None:
            translations.setdefault((entry.folder, entry.name), []).append(entry)
    return Articles(
        folder=folder,
        default_locale=default_locale,
        articles=tuple(_article(e, translations.get((e.folder, e.name), [])) for e in articles),
        digest=reader.digest.hexdigest(),
    )
