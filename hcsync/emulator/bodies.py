"""Strict parsing of the emulator's request bodies into typed ``Fields`` (``state``'s type)
and ``ArticleFields`` (``articles``' type).

Owns: the rules for what a create or update body may contain (the keys and types of
``create_collection_request`` / ``update_collection_request`` and
``create_article_request`` / ``update_article_request`` in the official 2.10 description:
an article's ``parent_id`` is an integer on create and a string on update, ``parent_type``
can only be ``collection``, ``state`` is ``published`` or ``draft``) and the first,
shape-only checks of ``translated_content`` (``group_content`` for collections,
``article_content`` for articles, whose read-only ``created_at``/``updated_at``/``url`` a
request may not send).
Must not: look at stored state (the store decides whether a parent exists, depth, ...).

The real server is lenient about unknown keys; the emulator refuses them on purpose, so a
client that sends something the description does not allow fails in tests, not in production.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hcsync.locales import LOCALES

from .articles import STATES, ArticleFields, ArticleState, Content
from .refusals import Refusal, invalid
from .state import Fields

CREATE_KEYS = ("name", "description", "translated_content", "parent_id", "help_center_id")
UPDATE_KEYS = ("name", "description", "translated_content", "parent_id")


def parse_create(body: Any) -> Fields:
    """A ``POST /help_center/collections`` body; ``name`` is required."""
    fields = _parse(body, CREATE_KEYS)
    if "name" not in fields.given:
        raise Refusal(400, "parameter_not_found", "Name is a required parameter.")
    return fields


def parse_update(body: Any) -> Fields:
    """A ``PUT /help_center/collections/{id}`` body: every key optional (partial update)."""
    return _parse(body, UPDATE_KEYS)


def _parse(body: Any, allowed: tuple[str, ...]) -> Fields:
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    for key in body:
        if key not in allowed:
            raise invalid(f"{key} is not a parameter of this endpoint.")
    name = _string(body, "name", nullable=False)
    description = _string(body, "description", nullable=False)
    parent_id = _string(body, "parent_id", nullable=True)
    help_center_id = body.get("help_center_id")
    # bool is an int in Python but not in JSON; the description says integer.
    if help_center_id is not None and (
        isinstance(help_center_id, bool) or not isinstance(help_center_id, int)
    ):
        raise invalid("help_center_id must be an integer or null.")
    raw_translations = body.get("translated_content")
    translations = {} if raw_translations is None else parse_translations(raw_translations)
    return Fields(
        name=name,
        description=description,
        translations=translations,
        parent_id=parent_id,
        help_center_id=help_center_id,
        given=frozenset(body),
    )


def _string(body: Mapping[str, Any], key: str, *, nullable: bool, where: str = "") -> str | None:
    value = body.get(key)
    if value is None:
        if key in body and not nullable:
            raise invalid(f"{where}{key} must be a string, not null.")
        return None
    if not isinstance(value, str):
        raise invalid(f"{where}{key} must be a string{' or null' if nullable else ''}.")
    return value


def _locales(value: Any, kind: str) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """The (locale, where, entry or None) of a ``translated_content`` object of type ``kind``
    (``group_translated_content``, ``article_translated_content``): its ``type`` checked, each
    key a supported locale, each entry an object or null."""
    if not isinstance(value, dict):
        raise invalid("translated_content must be an object or null.")
    for locale, entry in value.items():
        where = f"translated_content.{locale}"
        if locale == "type":
            if entry not in (None, kind):
                raise invalid(f"translated_content.type must be '{kind}'.")
            continue
        if locale not in LOCALES:
            raise invalid(f"{where} is not a locale Intercom's Help Center supports.")
        if entry is not None and not isinstance(entry, dict):
            raise invalid(f"{where} must be an object or null.")
        yield locale, where, entry


def parse_translations(value: Any) -> dict[str, dict[str, str] | None]:
    """``group_translated_content`` -> {locale: {"name"?, "description"?} or None}."""
    out: dict[str, dict[str, str] | None] = {}
    for locale, where, entry in _locales(value, "group_translated_content"):
        if entry is None:
            out[locale] = None
            continue
        content: dict[str, str] = {}
        for key, text in entry.items():
            if key == "type":
                if text not in (None, "group_content"):
                    raise invalid(f"{where}.type must be 'group_content'.")
                continue
            if key not in ("name", "description"):
                raise invalid(f"{where}.{key} is not a parameter of group_content.")
            if not isinstance(text, str):
                raise invalid(f"{where}.{key} must be a string.")
            content[key] = text
        out[locale] = content
    return out


# ---- articles -----------------------------------------------------------------------------

ARTICLE_KEYS = (
    "title",
    "description",
    "body",
    "author_id",
    "state",
    "parent_id",
    "parent_type",
    "translated_content",
)
_CONTENT_KEYS = ("title", "description", "body", "author_id", "state")


def parse_article_create(body: Any) -> ArticleFields:
    """A ``POST /articles`` body (``title``/``author_id`` are checked by ``articles``, as they
    may come from the default locale's entry); ``parent_id`` an integer."""
    return _parse_article(body, create=True)


def parse_article_update(body: Any) -> ArticleFields:
    """A ``PUT /articles/{id}`` body: every key optional; ``parent_id`` a string."""
    return _parse_article(body, create=False)


def _parse_article(body: Any, *, create: bool) -> ArticleFields:
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    for key in body:
        if key not in ARTICLE_KEYS:
            raise invalid(f"{key} is not a parameter of this endpoint.")
    content = _content(body, "")
    parent_id: str | None = None
    if "parent_id" in body:
        value = body["parent_id"]
        if create and (isinstance(value, bool) or not isinstance(value, int)):
            raise invalid("parent_id must be an integer.")
        if not create and not isinstance(value, str):
            raise invalid("parent_id must be a string.")
        parent_id = str(value)
    if "parent_type" in body and body["parent_type"] != "collection":
        raise invalid("parent_type must be 'collection'.")
    raw = body.get("translated_content")
    return ArticleFields(
        title=content.title,
        description=content.description,
        body=content.body,
        author_id=content.author_id,
        state=content.state,
        parent_id=parent_id,
        translations={} if raw is None else parse_article_translations(raw),
        given=frozenset(body),
    )


def parse_article_translations(value: Any) -> dict[str, Content | None]:
    """``article_translated_content`` -> {locale: ``Content`` or None}."""
    out: dict[str, Content | None] = {}
    for locale, where, entry in _locales(value, "article_translated_content"):
        if entry is None:
            out[locale] = None
            continue
        for key in entry:
            if key == "type":
                if entry[key] not in (None, "article_content"):
                    raise invalid(f"{where}.type must be 'article_content'.")
            elif key not in _CONTENT_KEYS:
                raise invalid(f"{where}.{key} is not a parameter of article_content.")
        out[locale] = _content(entry, f"{where}.")
    return out


def _content(entry: Mapping[str, Any], where: str) -> Content:
    author_id = entry.get("author_id")
    if "author_id" in entry and (isinstance(author_id, bool) or not isinstance(author_id, int)):
        raise invalid(f"{where}author_id must be an integer.")
    state = entry.get("state")
    if "state" in entry and state not in STATES:
        raise invalid(f"{where}state must be one of {', '.join(STATES)}.")
    checked: ArticleState | None = state
    return Content(
        title=_string(entry, "title", nullable=False, where=where),
        description=_string(entry, "description", nullable=False, where=where),
        body=_string(entry, "body", nullable=False, where=where),
        author_id=author_id,
        state=checked,
    )
