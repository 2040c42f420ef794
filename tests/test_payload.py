"""Request bodies: full state, only officially allowed keys, removed translations cleared."""

from __future__ import annotations

import json

import pytest

from hcsync.locales import LOCALES
from hcsync.model import Text
from hcsync.payload import create_body, update_body

# Property names of create_collection_request / update_collection_request and of
# group_content in Intercom's official 2.10 OpenAPI description (components/schemas).
CREATE_KEYS = {"name", "description", "translated_content", "parent_id", "help_center_id"}
UPDATE_KEYS = {"name", "description", "translated_content", "parent_id"}
GROUP_CONTENT_KEYS = {"type", "name", "description"}


def test_create_body_has_only_official_keys_and_integer_help_center_id() -> None:
    body = create_body(
        name="Getting started",
        description="First steps",
        translations={"fr": Text("Premiers pas", "Les bases")},
        parent_id=None,
        help_center_id="127",
        default_locale="en",
    )
    assert set(body) == CREATE_KEYS
    assert body["help_center_id"] == 127
    assert isinstance(body["help_center_id"], int)
    assert body["parent_id"] is None
    assert body["name"] == "Getting started"
    assert body["description"] == "First steps"


def test_update_body_has_only_official_keys_and_no_help_center_id() -> None:
    body = update_body(
        name="Billing",
        description="",
        translations=(),
        parent_id="233",
        default_locale="en",
    )
    assert set(body) == UPDATE_KEYS
    assert body["parent_id"] == "233"
    assert body["description"] == ""


def test_every_non_default_locale_is_sent_present_ones_as_group_content() -> None:
    body = update_body(
        name="Billing",
        description="Money",
        translations=[("de", Text("Abrechnung", "Geld")), ("pt-BR", Text("Cobrança"))],
        parent_id=None,
        default_locale="en",
    )
    translated = body["translated_content"]
    assert translated["type"] == "group_translated_content"
    assert set(translated) == {"type"} | (set(LOCALES) - {"en"})
    assert translated["de"] == {
        "type": "group_content",
        "name": "Abrechnung",
        "description": "Geld",
    }
    assert translated["pt-BR"] == {"type": "group_content", "name": "Cobrança", "description": ""}
    for content in (translated["de"], translated["pt-BR"]):
        assert set(content) == GROUP_CONTENT_KEYS


def test_removed_translation_is_sent_as_null_so_it_is_cleared() -> None:
    body = update_body(
        name="Billing",
        description="",
        translations={"fr": Text("Facturation")},
        parent_id=None,
        default_locale="en",
    )
    assert body["translated_content"]["de"] is None
    assert "de" in body["translated_content"]


def test_default_locale_text_goes_only_in_top_level_fields() -> None:
    body = create_body(
        name="Facturation",
        description="Argent",
        translations={"en": Text("Billing", "Money")},
        parent_id=None,
        help_center_id="1",
        default_locale="fr",
    )
    translated = body["translated_content"]
    assert "fr" not in translated
    assert translated["en"] == {"type": "group_content", "name": "Billing", "description": "Money"}
    assert (body["name"], body["description"]) == ("Facturation", "Argent")


def test_mapping_and_pairs_give_the_same_body() -> None:
    pairs = [("es", Text("Hola")), ("ja", Text("こんにちは", "説明"))]

    def body(translations: list[tuple[str, Text]] | dict[str, Text]) -> dict[str, object]:
        return update_body(
            name="Hi", description="", translations=translations, parent_id="9", default_locale="en"
        )

    assert body(pairs) == body(dict(pairs))


def test_body_is_json_serialisable() -> None:
    body = create_body(
        name="A",
        description="B",
        translations={"de": Text("C")},
        parent_id="1",
        help_center_id="2",
        default_locale="en",
    )
    assert json.loads(json.dumps(body)) == body


@pytest.mark.parametrize(
    ("translations", "default_locale", "complaint"),
    [
        ({"en": Text("Twice")}, "en", "default locale"),
        ({"xx": Text("Nope")}, "en", "unknown locales"),
        ({}, "klingon", "not one Intercom knows"),
    ],
)
def test_bodies_that_would_be_wrong_are_refused(
    translations: dict[str, Text], default_locale: str, complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        update_body(
            name="A",
            description="",
            translations=translations,
            parent_id=None,
            default_locale=default_locale,
        )
