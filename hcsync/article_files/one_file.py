"""One article file read and checked alone: its text (bounded, UTF-8), its front matter
(delimiters, a mapping, the schema) and the values the schema cannot check (a collection
path's levels, an author, ``images_base_url``, ``previously``).

Owns ``_File`` (a file as read) and ``_Reader`` (which collects every problem, and the
folder's digest). Must not relate files to one another (``across``) nor walk the folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import yaml

from hcsync.article_files.values import (
    ARTICLE_ONLY,
    SCHEMA,
    SUFFIX,
    TRANSLATION_SCHEMA,
    CollectionRef,
)
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
from hcsync.schema import schema_problems

# A delimiter line: three dashes, then only spaces or tabs (and a CR, in a CRLF file).
_DELIMITER = re.compile(r"---[ \t]*\r?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_NULLS = ("", "~", "null", "Null", "NULL")


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
            name = _inside(file, self.folder).replace(os.sep, "/")
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


def _inside(file: str, folder: str) -> str:
    """``file``'s path relative to ``folder``, which it was joined onto (``os.path.relpath``
    there, without its two absolute paths and the working directory it reads each time)."""
    if file.startswith(folder):
        return file[len(folder) :].lstrip(os.sep)
    return os.path.relpath(file, folder)
