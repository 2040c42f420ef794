"""Request bodies send the least: only officially allowed keys, only what the change changes."""

from __future__ import annotations

import json

import pytest

from hcsync.kinds.collection import create_body, park_body, update_body
from hcsync.model import Text
from hcsync.plan import Change, FieldChange

# Property names of create_collection_request / update_collection_request and of
# group_content in Intercom's official 2.10 OpenAPI description (components/schemas).
CREATE_KEYS = {"name", "description", "translated_content", "parent_id", "help_center_id"}
UPDATE_KEYS = {"name", "description", "translated_content", "parent_id"}
GROUP_CONTENT_KEYS = {"type", "name", "description"}


def create(**fields: object) -> Change:
    return Change("create", ("Getting started",), resource="collection", **fields)  # type: ignore[arg-type]


def update(*changes: FieldChange, **fields: object) -> Change:
    return Change("update", ("Billing",), id="9", changes=changes, resource="collection", **fields)  # type: ignore[arg-type]


def test_a_create_sends_every_field_the_file_has_and_an_integer_help_center_id() -> None:
    change = create(description="First steps", translations=(("fr", Text("Premiers pas", "")),))
    body = create_body(change, parent_id="233", help_center_id="127", default_locale="en")
    assert set(body) <= CREATE_KEYS
    assert body == {
        "name": "Getting started",
        "description": "First steps",
        "translated_content": {
            "type": "group_translated_content",
            "fr": {"type": "group_content", "name": "Premiers pas"},
        },
        "parent_id": "233",
        "help_center_id": 127,
    }
    assert isinstance(body["help_center_id"], int)


def test_a_bare_top_level_create_sends_no_description_locales_or_parent() -> None:
    body = create_body(create(), parent_id=None, help_center_id="127", default_locale="en")
    assert body == {"name": "Getting started", "help_center_id": 127}


def test_an_update_sends_only_the_fields_that_change() -> None:
    change = update(FieldChange("name", "Money", "Billing"), description="unchanged")
    body = update_body(change, parent_id="233", default_locale="en")
    assert body == {"name": "Billing"}  # no description, no locales, no parent_id


def test_parent_id_is_sent_only_for_a_move_and_null_means_the_top_level() -> None:
    moved = update(FieldChange("parent", "Old", "(top level)"))
    assert update_body(moved, parent_id=None, default_locale="en") == {"parent_id": None}
    assert park_body() == {"parent_id": None}


def test_only_changed_locales_are_sent_and_null_only_removes_an_existing_one() -> None:
    change = update(
        FieldChange("translations.de", Text("Geld"), Text("Abrechnung", "Geld")),
        FieldChange("translations.fr", Text("Facturation", "Argent"), None),
        FieldChange("translations.pt-BR", None, Text("Cobrança")),
        translations=(
            ("de", Text("Abrechnung", "Geld")),
            ("es", Text("Facturación")),
            ("pt-BR", Text("Cobrança")),
        ),
    )
    body = update_body(change, parent_id=None, default_locale="en")
    assert body == {
        "translated_content": {
            "type": "group_translated_content",
            "de": {"type": "group_content", "name": "Abrechnung", "description": "Geld"},
            "fr": None,
            "pt-BR": {"type": "group_content", "name": "Cobrança"},
        }
    }
    for content in body["translated_content"].values():
        assert not isinstance(content, dict) or set(content) <= GROUP_CONTENT_KEYS


def test_a_cleared_translation_description_is_sent_empty() -> None:
    change = update(
        FieldChange("translations.fr", Text("Facturation", "Argent"), Text("Facturation")),
        translations=(("fr", Text("Facturation")),),
    )
    body = update_body(change, parent_id=None, default_locale="en")
    assert body["translated_content"]["fr"] == {
        "type": "group_content",
        "name": "Facturation",
        "description": "",
    }


def test_bodies_are_json_serialisable_and_hold_only_official_keys() -> None:
    everything = update(
        FieldChange("name", "a", "Billing"),
        FieldChange("description", "", "Money"),
        FieldChange("parent", "(top level)", "Account"),
        FieldChange("translations.fr", None, Text("Facturation")),
        description="Money",
        translations=(("fr", Text("Facturation")),),
    )
    body = update_body(everything, parent_id="5", default_locale="en")
    assert set(body) == UPDATE_KEYS
    json.dumps(body)


@pytest.mark.parametrize(
    ("translations", "default_locale", "message"),
    [
        ((("en", Text("Hello")),), "en", "default locale"),
        ((("xx", Text("Hello")),), "en", "unknown locales"),
        ((), "klingon", "not one Intercom knows"),
    ],
)
def test_bodies_that_would_be_wrong_are_refused(
    translations: tuple[tuple[str, Text], ...], default_locale: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        create_body(
            create(translations=translations),
            parent_id=None,
            help_center_id="1",
            default_locale=default_locale,
        )


def test_an_update_that_changes_nothing_is_a_bug() -> None:
    with pytest.raises(ValueError, match="changes nothing"):
        update_body(update(), parent_id=None, default_locale="en")
