"""Request bodies for creating, updating and parking a collection: the least that does the job.

This module owns the shape of what hcsync sends, held to the official 2.10 description
(``create_collection_request``, ``update_collection_request``) by the contract tests. What
Intercom does with a key it did not need is unknown (a null locale may delete, be ignored or
be refused, for instance for a locale the help center has not enabled; ``parent_id`` on an
update that does not move may reorder), so the rule is **send the least**:

- a create sends ``name``, ``help_center_id`` (an integer, as the description types it), and
  only what the file has: ``description`` when it is not empty, ``parent_id`` when nested,
  ``translated_content`` with the file's own locales;
- an update sends only the fields that change: ``name``, ``description``, one entry of
  ``translated_content`` per locale that changes (``null`` only to remove a translation that
  exists live), ``parent_id`` only for a move;
- a park (the first half of a move through the top level) sends ``parent_id: null`` alone.

The default locale's text goes only in top-level ``name``/``description`` (Intercom mirrors it
into ``translated_content`` itself). Pure: no HTTP, no IO.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hcsync.locales import LOCALES
from hcsync.model import Text
from hcsync.plan import Change

TRANSLATED = "group_translated_content"


def create_body(
    change: Change, *, parent_id: str | None, help_center_id: str, default_locale: str
) -> dict[str, Any]:
    """The body of ``POST /help_center/collections`` for a planned create."""
    _check_locales(change.translations, default_locale)
    body: dict[str, Any] = {"name": change.name}
    if change.description:
        body["description"] = change.description
    if change.translations:
        body["translated_content"] = _translated(change.translations)
    if parent_id is not None:
        body["parent_id"] = parent_id
    body["help_center_id"] = int(help_center_id)
    return body


def update_body(change: Change, *, parent_id: str | None, default_locale: str) -> dict[str, Any]:
    """The body of ``PUT /help_center/collections/{id}``: the fields ``change`` changes.

    ``parent_id`` is where a move puts it (None: the top level); it is sent only when the
    change moves the collection.
    """
    _check_locales(change.translations, default_locale)
    fields = {c.field for c in change.changes}
    body: dict[str, Any] = {}
    if "name" in fields:
        body["name"] = change.name
    if "description" in fields:
        body["description"] = change.description
    texts = dict(change.translations)
    locales = [c for c in change.changes if c.locale is not None]
    if locales:
        _check_locales(((c.locale, Text("")) for c in locales if c.locale), default_locale)
        translated: dict[str, Any] = {"type": TRANSLATED}
        for c in locales:
            assert c.locale is not None
            text = texts.get(c.locale)
            old = c.old if isinstance(c.old, Text) else None
            translated[c.locale] = None if text is None else _content(text, old)
        body["translated_content"] = translated
    if "parent" in fields:
        body["parent_id"] = parent_id
    if not body:
        raise ValueError(f"an update of {change.path} that changes nothing")
    return body


def park_body() -> dict[str, Any]:
    """The body that moves a collection to the top level, and changes nothing else."""
    return {"parent_id": None}


def _translated(translations: Iterable[tuple[str, Text]]) -> dict[str, Any]:
    return {"type": TRANSLATED, **{loc: _content(text) for loc, text in translations}}


def _content(text: Text, old: Text | None = None) -> dict[str, str]:
    """One locale's ``group_content``: its description only when it has one, or when one
    exists live that this clears."""
    content = {"type": "group_content", "name": text.name}
    if text.description or (old is not None and old.description):
        content["description"] = text.description
    return content


def _check_locales(translations: Iterable[tuple[str, Text]], default_locale: str) -> None:
    # The config checks reject all of these; reaching here is a bug upstream, not a user's.
    if default_locale not in LOCALES:
        raise ValueError(f"default locale {default_locale!r} is not one Intercom knows")
    locales = {loc for loc, _ in translations}
    unknown = sorted(locales - set(LOCALES))
    if unknown:
        raise ValueError(f"unknown locales in translations: {', '.join(unknown)}")
    if default_locale in locales:
        raise ValueError(f"translations must not contain the default locale {default_locale!r}")
