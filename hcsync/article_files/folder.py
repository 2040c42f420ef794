"""The folder: which files are articles and which translations (hidden names skipped, a
locale-like suffix that is no locale refused), then ``load_articles``, which reads and checks
them all and builds the values.

Owns ``load_articles``. Must not check one file's content (``one_file``) nor relate files
(``across``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from hcsync.article_files.across import _Across
from hcsync.article_files.one_file import _author, _collection, _File, _Reader
from hcsync.article_files.values import SUFFIX, Article, Articles, ArticleTranslation
from hcsync.errors import ConfigError
from hcsync.loader import Loaded, Position
from hcsync.locales import LOCALES

# A file name suffix that looks like a locale (fr, FR, pt_BR, fr-CA, zh-Hans) but may not be.
_LOCALE_LIKE = re.compile(r"[A-Za-z]{2}(?:[-_][A-Za-z]{2,4})?")


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
