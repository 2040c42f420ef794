"""Request bodies for creating and updating a collection, as the official 2.10 description allows.

This module owns the shape of what hcsync sends: only keys that ``create_collection_request``
and ``update_collection_request`` list (name, description, translated_content, parent_id and,
on create, help_center_id as an integer), and always the FULL state of a collection. Every
non-default locale is present in ``translated_content``: a ``group_content`` when the
collection has that translation, ``null`` when it does not. That way the result is the same
whether Intercom's PUT merges or replaces ``translated_content``, and a translation removed
from the file is really cleared. The default locale's text goes only in top-level
``name``/``description`` (Intercom mirrors it into ``translated_content`` itself). Pure: no
HTTP, no IO.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from hcsync.locales import LOCALES
from hcsync.model import Text

Translations: TypeAlias = Sequence[tuple[str, Text]] | Mapping[str, Text]


def create_body(
    *,
    name: str,
    description: str,
    translations: Translations,
    parent_id: str | None,
    help_center_id: str,
    default_locale: str,
) -> dict[str, Any]:
    """The body of ``POST /help_center/collections``."""
    body = _content(name, description, translations, parent_id, default_locale)
    # create_collection_request types help_center_id as an integer; our ids are strings.
    body["help_center_id"] = int(help_center_id)
    return body


def update_body(
    *,
    name: str,
    description: str,
    translations: Translations,
    parent_id: str | None,
    default_locale: str,
) -> dict[str, Any]:
    """The body of ``PUT /help_center/collections/{id}`` (a move is an update of parent_id)."""
    return _content(name, description, translations, parent_id, default_locale)


def _content(
    name: str,
    description: str,
    translations: Translations,
    parent_id: str | None,
    default_locale: str,
) -> dict[str, Any]:
    if default_locale not in LOCALES:
        raise ValueError(f"default locale {default_locale!r} is not one Intercom knows")
    texts = dict(translations.items() if isinstance(translations, Mapping) else translations)
    unknown = sorted(set(texts) - set(LOCALES))
    if unknown:
        raise ValueError(f"unknown locales in translations: {', '.join(unknown)}")
    if default_locale in texts:
        # config checks reject this; reaching here is a bug upstream, not a user mistake.
        raise ValueError(f"translations must not contain the default locale {default_locale!r}")
    translated: dict[str, Any] = {"type": "group_translated_content"}
    for locale in LOCALES:
        if locale == default_locale:
            continue
        text = texts.get(locale)
        translated[locale] = (
            None
            if text is None
            else {"type": "group_content", "name": text.name, "description": text.description}
        )
    return {
        "name": name,
        "description": description,
        "translated_content": translated,
        "parent_id": parent_id,
    }
