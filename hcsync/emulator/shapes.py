"""Rendering the emulator's records in the official 2.10 shapes, with the read-side switches.

Owns: ``help_center``, ``collection``, ``article_list_item``/``article``, ``admin`` and
``admin_with_app`` (``/me``) objects as every answer shows them. Articles: the fields the
description lists, with what the emulator does not model filled plausibly (statistics all
zero, ``parent_ids`` naming the direct parent only, a URL per locale in the help center of
the article's collection, else the first one), ``parent_id`` an integer as the description
types it (``parent_type`` ``collection``, both null for an article standing alone), bodies
with freshly signed image URLs on every read (``Articles.readable``, the one thing a read
changes: the signing counter), and ``default_locale``/``translated_content`` (every locale,
null where there is no translation, the default one mirroring the article) only for a
multilingual workspace. Admins: the fields of the description's examples. Collections:
the normalised fields (``description`` ``""`` when none was written, every locale present in
``translated_content``, ``null`` where there is no translation, the default locale mirroring
``name``/``description``), and what ``Behaviour`` changes on read: HTML-escaped names
(``escape_names``), nested descriptions read as null (``nested_description="drop"``), the top
level's ``parent_id`` (``top_level_parent_id``) and ``help_center_id``
(``top_level_help_center_id``).
Must not: change a record (what is stored stays as written), know about HTTP, or import
hcsync modules other than ``locales``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from hcsync.locales import LOCALES

from .admins import Admin
from .articles import Article
from .behaviour import Behaviour
from .state import ICON, WORKSPACE_ID, Collection, HelpCenter, Store


def help_center_shape(hc: HelpCenter) -> dict[str, Any]:
    return {
        "id": hc.id,
        "workspace_id": WORKSPACE_ID,
        "created_at": hc.created_at,
        "updated_at": hc.created_at,
        "identifier": hc.identifier,
        "website_turned_on": hc.website_turned_on,
        "display_name": hc.display_name,
        "url": f"https://intercom.help/{hc.identifier}",
        "custom_domain": None,
    }


def collection_shape(store: Store, record: Collection, behaviour: Behaviour) -> dict[str, Any]:
    hc = store.help_centers[record.help_center_id]
    nested = record.parent_id is not None
    drop_description = nested and behaviour.nested_description == "drop"

    def name(text: str) -> str:
        return html.escape(text, quote=False) if behaviour.escape_names else text

    kind = "sections" if nested else "collections"
    shape: dict[str, Any] = {
        "id": record.id,
        "workspace_id": WORKSPACE_ID,
        "name": name(record.name),
        "url": (
            f"https://intercom.help/{hc.identifier}/{store.default_locale}/{kind}/"
            f"{record.id}-{_slug(record.name)}"
        ),
        "order": record.order,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "description": None if drop_description else record.description,
        "icon": ICON,
    }
    if store.multilingual:
        shape["default_locale"] = store.default_locale
    translated: dict[str, Any] = {"type": "group_translated_content"}
    for locale in LOCALES:
        text = (
            (record.name, record.description)
            if locale == store.default_locale
            else record.translations.get(locale)
        )
        translated[locale] = (
            None
            if text is None
            else {
                "type": "group_content",
                "name": name(text[0]),
                "description": "" if drop_description else text[1],
            }
        )
    shape["translated_content"] = translated
    if nested:
        shape["parent_id"] = record.parent_id
    else:
        shape["parent_id"] = None if behaviour.top_level_parent_id == "null" else "0"
    # As the official list example shows: only top-level collections name their help
    # center; a nested one says null and clients resolve it through the parent.
    top_level_names_it = not nested and behaviour.top_level_help_center_id == "set"
    shape["help_center_id"] = int(record.help_center_id) if top_level_names_it else None
    return shape


def article_shape(store: Store, record: Article, *, full: bool = False) -> dict[str, Any]:
    """An ``article_list_item`` (the list), or with ``full`` an ``article`` (one article's
    answers: ``statistics`` too): exactly the fields the 2.10 description lists."""
    url = _article_url(store, record, store.default_locale, record.title)
    parent = int(record.parent_id) if record.parent_id is not None else None
    shape: dict[str, Any] = {
        "type": "article",
        "id": record.id,
        "workspace_id": WORKSPACE_ID,
        "title": record.title,
        "description": record.description,
        "body": store.articles.readable(record.body),
        "author_id": record.author_id,
        "state": record.state,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "url": url,
        "parent_id": parent,
        "parent_ids": [] if parent is None else [parent],
        "parent_type": None if parent is None else "collection",
    }
    if store.multilingual:
        # Absent until a workspace turns multilingual on; the default locale mirrors the
        # article (its body read once), locales without a translation are null.
        shape["default_locale"] = store.default_locale
        translated: dict[str, Any] = {"type": "article_translated_content"}
        for locale in LOCALES:
            text = record.translations.get(locale)
            translated[locale] = None if text is None else _article_content(store, record, locale)
        mirrored = ("title", "description", "body", "author_id", "state")
        translated[store.default_locale] = {
            "type": "article_content",
            **{key: shape[key] for key in (*mirrored, "created_at", "updated_at", "url")},
        }
        shape["translated_content"] = translated
    if full:
        shape["statistics"] = {
            "type": "article_statistics",
            "views": 0,
            "conversions": 0,
            "reactions": 0,
            "happy_reaction_percentage": 0.0,
            "neutral_reaction_percentage": 0.0,
            "sad_reaction_percentage": 0.0,
        }
    return shape


def _article_content(store: Store, record: Article, locale: str) -> dict[str, Any]:
    text = record.translations[locale]
    return {
        "type": "article_content",
        "title": text.title,
        "description": text.description,
        "body": store.articles.readable(text.body),
        "author_id": text.author_id,
        "state": text.state,
        "created_at": text.created_at,
        "updated_at": text.updated_at,
        "url": _article_url(store, record, locale, text.title),
    }


def admin_shape(admin: Admin) -> dict[str, Any]:
    """An ``admin`` of ``GET /admins``, with the fields the description's example shows."""
    return {
        "type": "admin",
        "email": admin.email,
        "id": admin.id,
        "name": admin.name,
        "away_mode_enabled": False,
        "away_mode_reassign": False,
        "has_inbox_seat": True,
        "team_ids": [],
    }


def me_shape(store: Store) -> dict[str, Any]:
    """``GET /me``: the token's admin, with its app (``admin_with_app``)."""
    admin = store.admins.me()
    first = next(iter(store.help_centers.values()), None)
    return {
        "type": "admin",
        "id": admin.id,
        "email": admin.email,
        "name": admin.name,
        "email_verified": True,
        "app": {
            "type": "app",
            "id_code": WORKSPACE_ID,
            "name": first.display_name if first is not None else WORKSPACE_ID,
            "created_at": first.created_at if first is not None else 0,
            "identity_verification": False,
            "timezone": "Etc/UTC",
            "region": "US",
        },
        "avatar": {"type": "avatar", "image_url": None},
        "has_inbox_seat": True,
    }


def _article_url(store: Store, record: Article, locale: str, title: str) -> str:
    """Under the help center of the article's collection; standing alone, the first one's
    (articles name no help center); the workspace's when there is no help center at all."""
    parent = store.records.get(record.parent_id) if record.parent_id is not None else None
    if parent is not None:
        site = store.help_centers[parent.help_center_id].identifier
    else:
        site = next((hc.identifier for hc in store.help_centers.values()), WORKSPACE_ID)
    return f"https://intercom.help/{site}/{locale}/articles/{record.id}-{_slug(title, 'article')}"


def _slug(name: str, fallback: str = "collection") -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or fallback
