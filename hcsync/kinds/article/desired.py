"""The article files as the engine's desired entries: paths, bodies and authors resolved.

Owns turning ``Config.articles`` (``hcsync.article_files``) into ``resource.Desired``, with
every problem a user can fix reported at its ``file:line`` before any write, all at once:

- ``collection:`` a path of names must be a collection of the config file; an id must be one
  that an entry of the file pins (articles live in the collections the file manages);
- ``author:`` (or the config's ``default_author:``) an admin's email or id that Intercom
  knows (``Config.authors``, filled by the pipeline from ``GET /admins``); an article needs
  one, since Intercom refuses a create without ``author_id``;
- the body, rendered from Markdown (or taken as HTML with ``format: html``) and resolved
  against ``images_base_url``, must be one Intercom accepts (``checks.validate``'s
  refusals: relative images, empty lists, nested tables, iframes from other hosts).

Pure: no IO (the files were read by ``article_files``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from hcsync.article_files import Article, Articles, ArticleTranslation, show_collection
from hcsync.article_files.values import BodyFormat
from hcsync.errors import ConfigError, Problem
from hcsync.kinds.article.canonical import REMEMBERED, canonical
from hcsync.kinds.article.canonical import forget_bodies as forget_canonical
from hcsync.kinds.article.checks import Findings, validate
from hcsync.kinds.article.headings import HeadingRule
from hcsync.kinds.article.rendering import render
from hcsync.kinds.collection import desired_entries
from hcsync.model import Node, Text
from hcsync.patterns import Patterns
from hcsync.resource import Desired

Path = tuple[str, ...]


def desired_articles(config: Any, headings: HeadingRule) -> list[Desired]:
    """Every article of ``config.articles`` as a Desired entry, file order; ConfigError
    listing every problem found."""
    authors: Mapping[str, str] = getattr(config, "authors", {})
    problems: list[Problem] = []
    out: list[Desired] = []

    def author_of(entry: Article | ArticleTranslation, fallback: str | None) -> str:
        given = entry.author
        if given is not None:
            found = authors.get(given.lower())
            if found is None:
                line, column = entry.where("author")
                problems.append(
                    Problem(entry.file, line, column, "author", _unknown(given, "author"))
                )
            return found or ""
        if fallback is not None:
            return fallback
        default = getattr(config, "default_author", None)
        if default is None:
            problems.append(
                Problem(
                    entry.file,
                    entry.line,
                    1,
                    "author",
                    "no author: give this article `author:` (an admin's email or id), or"
                    f" set `default_author:` in {config.source}",
                )
            )
            return ""
        found = authors.get(default.lower())
        if found is None:
            where = (config.source, getattr(config, "default_author_line", 0) or 1)
            problems.append(
                Problem(where[0], where[1], 1, "default_author", _unknown(default, "author"))
            )
        return found or ""

    def body_of(entry: Article | ArticleTranslation, article: Article) -> str:
        html, findings = _checked_body(entry, article, headings)
        problems.extend(_at_body(entry, findings.refusals))
        return html

    for article, path in _placed(config, problems):
        author = author_of(article, None)
        translations = tuple(
            (
                locale,
                Text(
                    t.title,
                    t.description or "",
                    _own(author_of(t, author), body_of(t, article), t.state),
                ),
            )
            for locale, t in sorted(article.translations.items())
        )
        node = Node(
            path=(*path, article.title),
            description=article.description or "",
            translations=translations,
            extra=_own(author, body_of(article, article), article.state),
        )
        out.append(
            Desired(
                node,
                article.file,
                article.line,
                where=article.file,
                pin=article.id,
                previously=article.previously,
            )
        )
    if problems:
        raise ConfigError(problems)
    return out


def offline_findings(config: Any, headings: HeadingRule) -> tuple[list[Problem], list[Problem]]:
    """What ``hcsync validate`` can tell of the article files without Intercom: problems
    (a collection the file does not have, a body Intercom would refuse) and warnings (where
    Intercom will change what the body means, such as heading levels), each at its file:line.
    Authors are checked when planning, against Intercom's admins."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for article, _ in _placed(config, problems):
        entries: list[Article | ArticleTranslation] = [article, *article.translations.values()]
        for entry in entries:
            _, findings = _checked_body(entry, article, headings)
            problems.extend(_at_body(entry, findings.refusals))
            warnings.extend(_at_body(entry, findings.warnings))
    return problems, warnings


def prepare_bodies(config: Any, headings: HeadingRule) -> None:
    """Render and check every body of ``config.articles`` and work out its canonical form,
    all remembered: what ``desired_articles`` then finds done. Raises nothing (problems are
    ``desired_articles``'s to report)."""
    for article in config.articles.articles:
        for entry in (article, *article.translations.values()):
            _checked_body(entry, article, headings)


def forget_bodies() -> None:
    """Forget every remembered body: rendered, checked and canonical (a benchmark's runs
    start cold, as a new process does)."""
    _checked.cache_clear()
    forget_canonical()


def _placed(config: Any, problems: list[Problem]) -> Iterator[tuple[Article, Path]]:
    """Each article of ``config.articles`` with the path of its collection, in file order;
    a collection the file does not have, or an article also listed in ``ignore_articles:``,
    is added to ``problems``."""
    articles: Articles = config.articles
    paths, pins = _collections(config)
    ignored = Patterns.parse(getattr(config, "ignore_articles", ()))
    for article in articles.articles:
        path = _collection_path(article, paths, pins, config.source, problems)
        _not_ignored(article, path, ignored, config.source, problems)
        yield article, path


def _checked_body(
    entry: Article | ArticleTranslation, article: Article, headings: HeadingRule
) -> tuple[str, Findings]:
    """The HTML to send for ``entry``'s body (the article's format and images_base_url hold
    for its translations too), and what ``validate`` finds in it."""
    return _checked(entry.body, article.format, article.images_base_url, headings)


@lru_cache(maxsize=REMEMBERED)
def _checked(
    body: str, body_format: BodyFormat, images_base_url: str | None, headings: HeadingRule
) -> tuple[str, Findings]:
    """Remembered (``prepare_bodies``): a body's HTML and findings; its canonical form too,
    worked out now from ``validate``'s reading of the HTML (``tree._parse`` keeps the last)."""
    html = render(body, body_format=body_format, images_base_url=images_base_url)
    findings = validate(html, headings=headings)
    canonical(html, headings=headings)
    return html, findings


def _at_body(entry: Article | ArticleTranslation, messages: Iterable[str]) -> list[Problem]:
    return [Problem(entry.file, entry.body_line or entry.line, 1, "body", m) for m in messages]


def _own(author: str, body: str, state: str) -> tuple[tuple[str, str], ...]:
    return (("author", author), ("body", body), ("state", state))


def _unknown(given: str, what: str) -> str:
    return (
        f"{given!r} is not an admin of this workspace (no {what} with that email or id in"
        " Intercom's admins); use a teammate's email or id"
    )


def _collections(config: Any) -> tuple[set[Path], dict[str, Path]]:
    """The paths of the config's collections, and the path each pinned id is at."""
    entries = desired_entries(config)
    return {path for path, _ in entries}, {e.id: path for path, e in entries if e.id is not None}


def _collection_path(
    article: Article,
    paths: set[Path],
    pins: Mapping[str, Path],
    source: str,
    problems: list[Problem],
) -> Path:
    ref = article.collection
    found = pins.get(ref) if isinstance(ref, str) else (ref if ref in paths else None)
    if found is None:
        line, column = article.where("collection")
        problems.append(
            Problem(
                article.file,
                line,
                column,
                "collection",
                f"{show_collection(ref)} is not a collection of {source}: an article lives in"
                " a collection the file manages (by its path of names, or the id one of its"
                " entries pins)",
            )
        )
        return ref if isinstance(ref, tuple) else (show_collection(ref),)
    return found


def _not_ignored(
    article: Article, path: Path, ignored: Patterns, source: str, problems: list[Problem]
) -> None:
    """An article file is managed here: it may not also match an ``ignore_articles:`` entry."""
    pattern = ignored.first(article.id, (*path, article.title))
    if pattern is None:
        return
    field = "id" if pattern.kind == "id" else "title"
    line, column = article.where(field)
    problems.append(
        Problem(
            article.file,
            line,
            column,
            field,
            f"{article.title!r} is both listed in ignore_articles: ({pattern.text!r}, in {source})"
            " and managed here; remove one",
        )
    )
