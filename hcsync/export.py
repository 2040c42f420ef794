"""Writing a live help center as a config file, so an existing one is adopted in one step.

This module owns turning fetched live state into YAML text in the config format, with an
``id`` pin on every collection so the first plan after adoption is empty even if names are
later changed, and checking that text the way ``validate`` would: Intercom accepts names the
config format refuses (a newline or another control character, a bidirectional override,
over 255 characters, surrounding spaces, siblings that differ only in case), and an export
must say so rather than hand over a file hcsync rejects. It does no HTTP (the caller
fetches) and writes no files (the CLI does).

It also owns the articles' side (``export_articles``): the articles of this help center's
collections (``pipeline.articles_in_scope``) as article files, text by path inside the
articles folder, for the CLI to write beside the YAML, which then names the folder
(``articles:``) and the most common author (``default_author:``):

- one ``<slug>.md`` per article, the slug from its title (lower-case ASCII letters, digits
  and ``-``; a second article with the same slug gets ``-<id>`` appended, so names are
  unique and do not depend on the order of the listing), and ``<slug>.<locale>.md`` per
  translation;
- front matter: ``title``, ``description`` (when there is one), ``collection`` (its path of
  names, or its id where a name holds ``/``, is all digits or the path is not unique),
  ``state``, ``author`` (the admin's email when ``GET /admins`` has it, else the id; left
  out where it is the ``default_author``, or in a translation, the article's), ``id``
  (unless ``ids`` is off) and ``format: html`` for a body Markdown cannot hold;
- the body in Markdown where converting it loses nothing, else the HTML as stored
  (``kinds.article.markdown_out``: the rule, and why image URLs are written without their
  expiring signature). One body that needs HTML makes the whole article HTML: ``format`` is
  the article's, for every locale.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from hcsync.config import config_from_loaded
from hcsync.errors import ConfigError, Problem
from hcsync.kinds import ARTICLE_KIND
from hcsync.kinds.article.markdown_out import convert, unsigned_html
from hcsync.kinds.collection import live_default_locales, live_nodes
from hcsync.live import LiveState
from hcsync.loader import Loaded, load_yaml_text
from hcsync.model import LiveNode, Text, collection_id
from hcsync.schema import MODELINE

FALLBACK_LOCALE = "en"
ARTICLES_FOLDER = "articles"
_MAX_SLUG = 60


def live_default_locale(collections: Sequence[Mapping[str, Any]], fallback: str) -> str:
    """The help center's default locale as its collections report it (multilingual only)."""
    reported = live_default_locales(collections)
    return reported[0] if reported else fallback


@dataclass(frozen=True)
class ExportedArticles:
    """The article files of an export: text by path inside ``folder`` (``/``-separated)."""

    folder: str  # as the YAML names it: relative to the YAML file
    default_author: str | None  # the most common author, as written (email or id)
    files: tuple[tuple[str, str], ...] = ()
    articles: int = 0
    translations: int = 0
    as_html: tuple[tuple[str, str], ...] = ()  # (file name, why Markdown would not do)


def export_yaml(
    live: LiveState,
    *,
    default_locale: str | None = None,
    ids: bool = True,
    articles: ExportedArticles | None = None,
) -> str:
    """The live tree as config-file YAML: siblings in Intercom's order, every entry pinned.

    ``default_locale`` is only a fallback: the locale the help center reports always wins,
    since exporting under another one would move its text into the wrong locale. Without
    ``ids`` no entry is pinned: the file then describes the tree by names alone, to be
    applied to another (or an emptied) help center: a restore, or staging to production.
    """
    locale = live_default_locale(live.collections, default_locale or FALLBACK_LOCALE)
    nodes = live_nodes(live.collections, locale)
    children: dict[str | None, list[LiveNode]] = {}
    for node in nodes.values():
        parent = node.parent_id if node.parent_id in nodes else None
        children.setdefault(parent, []).append(node)
    for siblings in children.values():
        # Intercom's order as normalize read it (read-only; 1 or "1"), unreadable ones first.
        siblings.sort(key=lambda n: (n.order or 0, n.node.name, int(n.id)))

    def entry(node: LiveNode) -> dict[str, Any]:
        out: dict[str, Any] = {"name": node.node.name}
        if ids:
            out["id"] = node.id
        if node.node.description:
            out["description"] = node.node.description
        if node.node.translations:
            out["translated_content"] = {
                loc: (
                    {"name": text.name, "description": text.description}
                    if text.description
                    else {"name": text.name}
                )
                for loc, text in node.node.translations
            }
        kids = children.get(node.id, [])
        if kids:
            out["collections"] = [entry(kid) for kid in kids]
        return out

    document: dict[str, Any] = {
        "help_center": live.help_center.identifier,
        "default_locale": locale,
    }
    if articles is not None and articles.articles:
        if articles.default_author is not None:
            document["default_author"] = articles.default_author
        document["articles"] = articles.folder
    document["collections"] = [entry(node) for node in children.get(None, [])]
    pins = (
        "# Every collection is pinned by id; keep the pins and edit names freely.\n"
        if ids
        else "# No id pins: collections are matched by path; apply it to any help center with\n"
        "# --help-center (a restore, or staging to production).\n"
    )
    header = (
        f"{MODELINE}\n# Help center '{live.help_center.identifier}' exported by hcsync.\n" + pins
    )
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def export_articles(
    live: LiveState,
    articles: Sequence[Mapping[str, Any]],
    admins: Sequence[Mapping[str, Any]],
    *,
    default_locale: str | None = None,
    ids: bool = True,
    folder: str = ARTICLES_FOLDER,
) -> ExportedArticles:
    """The live ``articles`` in scope (the caller has passed them through
    ``pipeline.articles_in_scope``) as article files, with authors as ``admins`` name them."""
    locale = live_default_locale(live.collections, default_locale or FALLBACK_LOCALE)
    collections = live_nodes(live.collections, locale)
    nodes = sorted(
        ARTICLE_KIND.read_live(articles, locale, parents=collections).nodes.values(),
        key=lambda n: (int(n.id) if n.id.isdigit() else 0, n.id),
    )
    emails = {
        aid: email
        for aid, email in ((collection_id(admin.get("id")), admin.get("email")) for admin in admins)
        if aid is not None and isinstance(email, str) and _EMAIL.fullmatch(email)
    }

    def author(extra: Sequence[tuple[str, str]]) -> str | None:
        aid = dict(extra).get("author", "")
        return (emails.get(aid) or aid) if aid else None

    counts = Counter(a for a in (author(n.node.extra) for n in nodes) if a is not None)
    default_author = min(counts, key=lambda a: (-counts[a], a)) if counts else None
    paths = Counter(node.node.path for node in collections.values())
    names = _file_names(nodes)
    files: list[tuple[str, str]] = []
    as_html: list[tuple[str, str]] = []
    translations = 0
    for node in nodes:
        name = names[node.id]
        texts: list[tuple[str | None, Text]] = [
            (None, Text(node.node.name, node.node.description, node.node.extra)),
            *node.node.translations,
        ]
        bodies = [convert(dict(t.extra).get("body", "")) for _, t in texts]
        why = [b.reason for b in bodies if b.format == "html"]
        main_author = author(node.node.extra)
        for (loc, text), body in zip(texts, bodies, strict=True):
            front: dict[str, Any] = {"title": text.name}
            if text.description:
                front["description"] = text.description
            if loc is None:
                front["collection"] = _collection_ref(node, collections, paths, ids)
            front["state"] = dict(text.extra).get("state", "")
            written = author(text.extra)
            # A translation without author: is its article's (desired.py), whoever that is.
            fallback = default_author if loc is None else (main_author or default_author)
            if written is not None and written != fallback:
                front["author"] = written
            if loc is None and ids:
                front["id"] = node.id
            if loc is None and why:
                front["format"] = "html"
            # format is the article's: one locale needing HTML makes every locale HTML.
            content = unsigned_html(dict(text.extra).get("body", "")) if why else body.body
            file = f"{name}.md" if loc is None else f"{name}.{loc}.md"
            files.append((file, _article_file(front, content)))
            translations += loc is not None
        if why:
            as_html.append((f"{name}.md", ", ".join(dict.fromkeys(why))))
    return ExportedArticles(
        folder=folder,
        default_author=default_author,
        files=tuple(files),
        articles=len(nodes),
        translations=translations,
        as_html=tuple(as_html),
    )


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def _collection_ref(
    node: LiveNode, collections: Mapping[str, LiveNode], paths: Counter[tuple[str, ...]], ids: bool
) -> str:
    """The article's collection as ``collection:`` says it: its path of names when that reads
    back as this collection, else its id (only with ids: without, the path is all there is)."""
    parent = collections.get(node.parent_id or "")
    if parent is None:
        return node.parent_id or ""
    path = parent.node.path
    readable = (
        paths[path] == 1
        and all(part and part == part.strip() and "/" not in part for part in path)
        and not (len(path) == 1 and path[0].isascii() and path[0].isdigit())
    )
    return " / ".join(path) if readable or not ids else parent.id


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:_MAX_SLUG].rstrip("-") or "article"


def _file_names(nodes: Sequence[LiveNode]) -> dict[str, str]:
    """A file name (without ``.md``) per article id: its title's slug, and for every article
    but the oldest with that slug, ``-<id>`` after it: unique, and the same on every export
    while both articles exist."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for node in nodes:  # oldest (smallest id) first
        slug = _slug(node.node.name)
        name = slug if slug not in taken else f"{slug}-{node.id}"
        while name in taken:  # a title that ends in another article's id
            name += "-1"
        taken.add(name)
        names[node.id] = name
    return names


def _article_file(front: Mapping[str, Any], body: str) -> str:
    head = yaml.safe_dump(dict(front), sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{head}---\n{body.rstrip(chr(10))}\n" if body else f"---\n{head}---\n"


def export_problems(text: str, source: str) -> list[Problem]:
    """What ``validate`` would refuse in exported ``text`` (named ``source``); [] when valid.

    Each problem about a collection names its live id, so it can be fixed in Intercom.
    """
    loaded: Loaded | None = None
    try:
        loaded = load_yaml_text(text, source, keep_going=True)
        config_from_loaded(loaded)
    except ConfigError as exc:
        data = loaded.data if loaded is not None else None
        return [_with_live_id(problem, data) for problem in exc.problems]
    return []


def _with_live_id(problem: Problem, data: Any) -> Problem:
    node = data
    live_id: object = None
    for index in re.findall(r"collections\[(\d+)\]", problem.path):
        try:
            node = node["collections"][int(index)]
            live_id = node.get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if live_id is None:
        return problem
    return problem._replace(message=f"(live collection {live_id}) {problem.message}")
