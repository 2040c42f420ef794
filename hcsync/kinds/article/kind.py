"""The article kind: how the engine reads, compares and writes Help Center articles.

An article lives in a collection (``parent_kind``), is written after collections and deleted
before them (``rank``), and does not nest (``max_depth`` 1: depth counts articles only, so an
article in a third-level collection is fine). Its node is its title (the name), its
description, and its own fields ``body`` (HTML), ``state`` and ``author`` (an admin id);
each translation carries the same.

Bodies are compared in ``canonical`` form (this package), both sides through the heading rule
the server is taken to apply, so Intercom's rewriting is never a change and anything a reader
sees is. Request bodies send the least: a create what the file has (``parent_id`` an integer,
as the description types it on create), an update only the fields and locales that change
(``parent_id`` a string on update, only for a move).

A config manages articles only when it names a folder of article files (``articles:``):
without one, every article is left alone. Pure: no IO.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from hcsync.article_files import Articles
from hcsync.kinds.article.canonical import canonical
from hcsync.kinds.article.desired import desired_articles, prepare_bodies
from hcsync.kinds.article.headings import (
    DEFAULT_HEADING_LEVELS,
    HEADING_LEVELS,
    LEVELS_OF,
    HeadingRule,
)
from hcsync.kinds.article.readable import readable_diff, readable_lines
from hcsync.model import LiveNode, Node, Text, collection_id, name_key, parent_ref, timestamp
from hcsync.normalize import live_translations, read_items, text
from hcsync.plan import Change
from hcsync.resource import (
    Context,
    Desired,
    Endpoint,
    LiveItems,
    ResourceKind,
    Settings,
    register,
)

if TYPE_CHECKING:
    from hcsync.client import IntercomClient

ARTICLES = Endpoint("/articles", "article", "articles", "an")
OWN = ("author", "body", "state")  # an article's own fields, sorted, in Node.extra and Text.extra
TRANSLATED = "article_translated_content"


class ArticleKind(ResourceKind):
    name = "article"
    endpoint = ARTICLES
    rank = 10
    parent_kind = "collection"
    max_depth = 1
    # Articles carry no external id: two of one title in one collection cannot be told
    # apart, and guessing could update the wrong one.
    same_name_is_error = True
    ownership_keys = ("ignore_articles", "protect_articles")

    def __init__(self, headings: HeadingRule = "h3-h6 to h2") -> None:
        # The rule the server is taken to apply to heading levels (sources disagree): both
        # sides pass through it, so a level the server erases is no change.
        self.headings = headings

    def settings(self, config: Any) -> Settings:
        # `heading_levels:` decides what a heading's level compares as: recorded in the plan
        # when the file sets it to other than the default, so `show` diffs bodies alike.
        levels = getattr(config, "heading_levels", DEFAULT_HEADING_LEVELS)
        if levels == DEFAULT_HEADING_LEVELS:  # the file sets nothing: this kind's own rule
            levels = LEVELS_OF[self.headings]
        return () if levels == DEFAULT_HEADING_LEVELS else (("heading_levels", levels),)

    def configured(self, settings: Settings) -> ArticleKind:
        levels = dict(settings).get("heading_levels")
        if levels is None:  # the file sets nothing: this kind's own rule
            return self
        return _under(HEADING_LEVELS[levels])

    def for_config(self, config: Any) -> ArticleKind:
        return self.configured(self.settings(config))

    def manages(self, config: Any) -> bool:
        # Opt-in: a file that says nothing of articles leaves every article alone.
        return getattr(config, "articles", None) is not None

    def ownership(self, config: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        # Entries of their own (`ignore_articles:`/`protect_articles:`): an id in `ignore:`
        # names a collection, never an article of the same id.
        return getattr(config, "ignore_articles", ()), getattr(config, "protect_articles", ())

    def desired(self, config: Any) -> Sequence[Desired]:
        """The config's article files as entries (``desired``); a caller that builds the
        entries itself hands them over as a sequence of ``Desired``."""
        articles = getattr(config, "articles", None)
        if isinstance(articles, Articles):
            return desired_articles(config, self.headings)
        return tuple(articles or ())

    def prepare(self, config: Any) -> None:
        if isinstance(getattr(config, "articles", None), Articles):
            prepare_bodies(config, self.headings)

    def read_live(
        self,
        raw: Sequence[Mapping[str, Any]],
        default_locale: str,
        parents: Mapping[str, LiveNode] | None = None,
    ) -> LiveItems:
        def node(item: Mapping[str, Any], path: tuple[str, ...]) -> Node:
            return Node(
                path=path,
                description=text(item.get("description")),
                translations=live_translations(
                    item.get("translated_content"), default_locale, _live_text
                ),
                extra=_own(item),
            )

        return read_items(
            raw,
            endpoint=ARTICLES,
            name=lambda item: text(item.get("title")),
            node=node,
            nested=False,
            within=parents or {},
            version=_version,
        )

    def compared(self, node: Node) -> dict[str, object]:
        own = dict(node.extra)
        return {
            "name": name_key(node.name),
            "description": name_key(node.description),
            **self._own_compared(own),
            "translations": {
                locale: {
                    "name": name_key(t.name),
                    "description": name_key(t.description),
                    **self._own_compared(dict(t.extra)),
                }
                for locale, t in node.translations
            },
        }

    def _own_compared(self, own: Mapping[str, str]) -> dict[str, object]:
        return {
            "body": canonical(own.get("body", ""), headings=self.headings),
            "state": own.get("state", ""),
            "author": own.get("author", ""),
        }

    def unkept_hint(self, change: Change, field: str) -> str | None:
        # A body (or a translation whose body alone differs) that differs only in heading
        # levels: the workspace does another rule.
        found = next((f for f in change.changes if f.field == field), None)
        if found is None:
            return None
        if field == "body":
            old, new = _str(found.old), _str(found.new)
        elif isinstance(found.old, Text) and isinstance(found.new, Text):
            before, after = found.old, found.new
            mine, theirs = dict(before.extra), dict(after.extra)
            if (
                name_key(before.name) != name_key(after.name)
                or name_key(before.description) != name_key(after.description)
                or any(mine.get(key) != theirs.get(key) for key in ("state", "author"))
            ):
                return None
            old, new = mine.get("body", ""), theirs.get("body", "")
        else:
            return None
        if canonical(old, headings=self.headings) == canonical(new, headings=self.headings):
            return None  # the bodies agree: what differs is elsewhere
        for name, rule in HEADING_LEVELS.items():
            if rule != self.headings and canonical(old, headings=rule) == canonical(
                new, headings=rule
            ):
                return (
                    f"only its heading levels differ, as under heading_levels: {name}; if"
                    " that is what this workspace does, say so in the file"
                )
        return None

    def shown(self, field: str, old: str | Text | None, new: str | Text | None) -> list[str] | None:
        if field == "body":
            return _body_lines(_str(old), _str(new), self.headings, created=old is None)
        if not field.startswith("translations.") or (new is None and old is None):
            return None
        before = old if isinstance(old, Text) else None
        after = new if isinstance(new, Text) else None
        lines: list[str] = []
        if after is None:
            return ["(translation removed)"]
        if before is None or before.name != after.name:
            lines.append(f"title: {after.name!r}")
        if before is None or before.description != after.description:
            lines.append(f"description: {after.description!r}")
        own_old = dict(before.extra) if before else {}
        own = dict(after.extra)
        for key in ("state", "author"):
            if own_old.get(key) != own.get(key):
                lines.append(f"{key}: {own.get(key, '')!r}")
        body = _body_lines(
            own_old.get("body", ""), own.get("body", ""), self.headings, created=before is None
        )
        if body:
            lines += ["body:", *(f"  {line}" for line in body)]
        return lines

    def list_live(self, client: IntercomClient, help_center_id: str) -> list[dict[str, Any]]:
        # What apply looks at before creating again: the articles in scope, as planned
        # (the list spans the workspace; another help center's are none of this run's).
        from hcsync.live import fetch_live  # live lists with the collection kind

        collections = fetch_live(client, help_center_id).collections
        return list(articles_in_scope(client.list_all(ARTICLES), collections, set()))

    def create_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        own = dict(change.extra)
        body: dict[str, Any] = {"title": change.name, "author_id": int(own["author"])}
        if change.description:
            body["description"] = change.description
        body["body"] = own.get("body", "")
        body["state"] = own.get("state", "draft")
        if parent_id is not None:
            body["parent_id"] = int(parent_id)  # an integer on create (the description)
            body["parent_type"] = "collection"
        if change.translations:
            body["translated_content"] = {
                "type": TRANSLATED,
                **{loc: _content(t) for loc, t in change.translations},
            }
        return body

    def update_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        fields = {c.field for c in change.changes}
        own = dict(change.extra)
        body: dict[str, Any] = {}
        if "name" in fields:
            body["title"] = change.name
        if "description" in fields:
            body["description"] = change.description
        for key in ("body", "state"):
            if key in fields:
                body[key] = own.get(key, "")
        if "author" in fields:
            body["author_id"] = int(own["author"])
        locales = [c.locale for c in change.changes if c.locale is not None]
        if locales:
            texts = dict(change.translations)
            body["translated_content"] = {
                "type": TRANSLATED,
                **{
                    loc: None if texts.get(loc) is None else _content(texts[loc]) for loc in locales
                },
            }
        if "parent" in fields:
            body["parent_id"] = parent_id  # a string on update (the description)
        if not body:
            raise ValueError(f"an update of {change.path} that changes nothing")
        return body

    def park_body(self) -> dict[str, Any]:
        raise ValueError("articles do not nest: an article is never parked")


def _own(item: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    author = item.get("author_id")
    return (
        ("author", "" if author is None else str(author)),
        ("body", text(item.get("body"))),
        ("state", text(item.get("state"))),
    )


def articles_in_scope(
    articles: Iterable[Mapping[str, Any]], collections: Iterable[Mapping[str, Any]], pins: set[str]
) -> tuple[dict[str, Any], ...]:
    """The articles hcsync may touch: those in this help center's collections, and those a
    file pins by id. Articles carry no help center, and the list spans the workspace: an
    article outside any collection, or in another help center's, is never updated or deleted.
    (Articles in ignored collections are left alone by the planner, as their collection.)"""
    ours = {cid for cid in (collection_id(c.get("id")) for c in collections) if cid is not None}
    return tuple(
        dict(article)
        for article in articles
        if parent_ref(article.get("parent_id")) in ours or collection_id(article.get("id")) in pins
    )


MAX_SHOWN = 40  # lines of a body shown in a plan; the JSON plan has the whole of it


def _str(value: str | Text | None) -> str:
    return value if isinstance(value, str) else ""


def _body_lines(old: str, new: str, headings: HeadingRule, *, created: bool) -> list[str]:
    """A body as a plan shows it: a created one as its readable text, a changed one as a
    unified diff of readable text; long ones cut, saying how much was left out."""
    if created:
        lines = [f"+ {line}" for line in readable_lines(new, headings=headings)]
    else:
        lines = readable_diff(old, new, headings=headings)
    if len(lines) > MAX_SHOWN:
        rest = len(lines) - MAX_SHOWN
        lines = [*lines[:MAX_SHOWN], f"... {rest} more line{'s' if rest != 1 else ''}"]
    return lines


def _version(item: Mapping[str, Any]) -> int | None:
    """An article's version: the newest ``updated_at`` over it and its locales, so a saved
    plan goes stale when only one translation was edited in Intercom."""
    stamps = [timestamp(item.get("updated_at"))]
    translated = item.get("translated_content")
    if isinstance(translated, Mapping):
        stamps += [
            timestamp(content.get("updated_at"))
            for content in translated.values()
            if isinstance(content, Mapping)
        ]
    known = [at for at in stamps if at is not None]
    return max(known) if known else None


def _live_text(content: Mapping[str, Any]) -> Text:
    return Text(text(content.get("title")), text(content.get("description")), _own(content))


def _content(t: Text) -> dict[str, Any]:
    own = dict(t.extra)
    out: dict[str, Any] = {"type": "article_content", "title": t.name}
    if t.description:
        out["description"] = t.description
    out["body"] = own.get("body", "")
    if own.get("author"):
        out["author_id"] = int(own["author"])
    out["state"] = own.get("state", "draft")
    return out


ARTICLE_KIND = ArticleKind()


@cache
def _under(rule: HeadingRule) -> ArticleKind:
    """The article kind under ``rule``: one for each, so its remembered forms are shared."""
    return ARTICLE_KIND if rule == ARTICLE_KIND.headings else ArticleKind(rule)


register(ARTICLE_KIND)
