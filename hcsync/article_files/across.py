"""The checks that relate article files to one another: a translation to its article, titles
within a collection, ``previously`` titles against current ones, id pins across the folder.

Owns ``_Across``. Must not read files (``one_file``) nor build the values (``folder``).
"""

from __future__ import annotations

from collections.abc import Mapping

from hcsync.article_files.one_file import _collection, _File, _Reader
from hcsync.article_files.values import SUFFIX, CollectionRef, show_collection


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
