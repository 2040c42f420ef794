"""The official 2.10 description is the contract: the emulator must answer in its shapes.

Proves three things: the committed slice is what the shared description says; the OpenAPI ->
JSON Schema converter accepts the description's own examples (and refuses what it must); and
every answer the emulator gives, of every endpoint and every error status, validates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from contract import make_slice
from contract.openapi import (
    example_of,
    examples,
    to_json_schema,
    validate_request_body,
    validate_response,
)

from hcsync.emulator import Emulator

TOKEN = "contract-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"}
LIST = "/help_center/collections"
ONE = "/help_center/collections/{id}"
HCS = "/help_center/help_centers"
HC = "/help_center/help_centers/{id}"


def _no_sleep(_seconds: float) -> None:
    return None


def make_emulator() -> Emulator:
    emu = Emulator(token=TOKEN, sleep=_no_sleep, clock=lambda: 1_717_021_728.0)
    emu.add_help_center("acme", "Acme Help Center")
    top = emu.add_collection(
        "Getting started",
        description="First steps",
        translated_content={"fr": {"name": "Premiers pas", "description": "Pour commencer"}},
    )
    emu.add_collection("Installation", parent_id=top["id"])
    return emu


def client(emu: Emulator, headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        transport=emu.transport,
        base_url="https://api.intercom.io",
        headers=HEADERS if headers is None else headers,
    )


# ---- the slice ----------------------------------------------------------------------------


def test_slice_is_a_fresh_extraction_of_the_shared_description() -> None:
    if not make_slice.SOURCE.exists():
        pytest.skip(f"{make_slice.SOURCE} is not here (CI without shared/)")
    fresh = make_slice.render(make_slice.extract(make_slice.load()))
    assert make_slice.SLICE.read_text(encoding="utf-8") == fresh, (
        "tests/contract/slice.json is stale: run python tests/contract/make_slice.py"
    )


def test_slice_holds_the_help_center_article_and_admin_paths_and_what_they_reference() -> None:
    spec = json.loads(make_slice.SLICE.read_text(encoding="utf-8"))
    assert sorted(spec["paths"]) == sorted(make_slice.PATHS)
    # referenced only through another schema: proves the closure is transitive
    assert {"group_content", "starting_after_paging", "article_content", "admin", "app"} <= set(
        spec["components"]["schemas"]
    )


# ---- the converter ------------------------------------------------------------------------


def test_converter_turns_nullable_into_a_null_type_and_drops_noise() -> None:
    converted = to_json_schema(
        {"type": "string", "nullable": True, "example": "x", "format": "uuid"}
    )
    assert converted == {"type": ["string", "null"]}


def test_converter_makes_a_nullable_ref_an_anyof_with_null() -> None:
    converted = to_json_schema({"nullable": True, "$ref": "#/components/schemas/group_content"})
    assert converted == {"anyOf": [{"$ref": "#/$defs/group_content"}, {"type": "null"}]}


def test_converter_lets_an_enum_listing_null_accept_null() -> None:
    converted = to_json_schema({"type": "string", "enum": [None, "group_content"]})
    assert converted == {"type": ["string", "null"], "enum": [None, "group_content"]}


@pytest.mark.parametrize(
    ("kind", "method", "path", "label", "value"),
    [e for e in examples() if e[0] == "response"],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_response_example_in_the_description_validates(
    kind: str, method: str, path: str, label: str, value: Any
) -> None:
    validate_response(method, path, int(label), value)


def test_the_list_example_validates_with_its_null_description_and_help_center() -> None:
    (example,) = [
        v for k, m, p, s, v in examples() if (k, m, p, s) == ("response", "GET", LIST, "200")
    ]
    assert example["data"][1]["description"] is None  # the case the converter must allow
    validate_response("GET", LIST, 200, example)


def test_a_wrongly_typed_answer_is_refused_with_where_it_is_wrong() -> None:
    with pytest.raises(AssertionError, match=r"body\.data\[0\]\.order"):
        validate_response("GET", LIST, 200, {"type": "list", "data": [{"order": "1"}]})


def test_strict_response_validation_refuses_a_field_the_description_does_not_name() -> None:
    validate_response("GET", HC, 200, {"id": "1", "colour": "red"})
    with pytest.raises(AssertionError, match="colour"):
        validate_response("GET", HC, 200, {"id": "1", "colour": "red"}, strict=True)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "A", "help_center_id": 1, "colour": "red"},
        {"name": "A", "translated_content": {"fr": {"name": "Un", "slug": "un"}}},
        {"name": "A", "translated_content": {"xx": {"name": "Un"}}},
        {"description": "no name"},
        {"name": "A", "description": None},
    ],
    ids=["unknown-key", "unknown-content-key", "unknown-locale", "missing-name", "null-desc"],
)
def test_request_bodies_the_description_does_not_allow_are_refused(body: Any) -> None:
    with pytest.raises(AssertionError, match="request body does not match"):
        validate_request_body("POST", LIST, body)


def test_request_bodies_the_description_allows_pass() -> None:
    validate_request_body(
        "POST",
        LIST,
        {
            "name": "A",
            "description": "",
            "parent_id": None,
            "help_center_id": 101,
            "translated_content": {"type": "group_translated_content", "fr": None},
        },
    )
    validate_request_body("PUT", ONE, {"parent_id": "7001"})
    validate_request_body("GET", LIST, None)
    with pytest.raises(AssertionError, match="must be empty"):
        validate_request_body("DELETE", ONE, {"name": "x"})


def test_update_bodies_may_not_name_a_help_center() -> None:
    with pytest.raises(AssertionError, match="help_center_id"):
        validate_request_body("PUT", ONE, {"name": "A", "help_center_id": 1})


# ---- every emulator answer validates ------------------------------------------------------

# (what, method, path template, setup -> (url, json body or None), expected status)
Case = tuple[str, str, str, Callable[[Emulator], tuple[str, Any]], int]


def _first(emu: Emulator) -> str:
    return str(emu.collections()[-1]["id"])  # the oldest: "Getting started"


def _slow_down(emu: Emulator) -> None:
    emu.faults.rate_limit = 1


CASES: list[Case] = [
    ("list help centers", "GET", HCS, lambda e: (HCS, None), 200),
    ("one help center", "GET", HC, lambda e: (f"{HCS}/101", None), 200),
    ("unknown help center", "GET", HC, lambda e: (f"{HCS}/999", None), 404),
    ("list collections", "GET", LIST, lambda e: (LIST, None), 200),
    ("list page 2", "GET", LIST, lambda e: (f"{LIST}?page=2&per_page=1", None), 200),
    ("list past the end", "GET", LIST, lambda e: (f"{LIST}?page=9", None), 200),
    ("list bad per_page", "GET", LIST, lambda e: (f"{LIST}?per_page=zero", None), 400),
    ("create", "POST", LIST, lambda e: (LIST, {"name": "New"}), 200),
    (
        "create nested with translations",
        "POST",
        LIST,
        lambda e: (
            LIST,
            {
                "name": "Child",
                "parent_id": _first(e),
                "translated_content": {"de": {"name": "Kind", "description": "d"}},
            },
        ),
        200,
    ),
    ("create without name", "POST", LIST, lambda e: (LIST, {"description": "x"}), 400),
    ("create unknown key", "POST", LIST, lambda e: (LIST, {"name": "A", "colour": 1}), 400),
    ("create unknown parent", "POST", LIST, lambda e: (LIST, {"name": "A", "parent_id": "1"}), 400),
    ("get", "GET", ONE, lambda e: (f"{LIST}/{_first(e)}", None), 200),
    ("get unknown", "GET", ONE, lambda e: (f"{LIST}/424242", None), 404),
    ("update", "PUT", ONE, lambda e: (f"{LIST}/{_first(e)}", {"name": "Renamed"}), 200),
    ("update unknown", "PUT", ONE, lambda e: (f"{LIST}/424242", {"name": "x"}), 404),
    ("update to a cycle", "PUT", ONE, lambda e: _cycle(e), 400),
    ("delete", "DELETE", ONE, lambda e: _leaf(e), 200),
    ("delete with children", "DELETE", ONE, lambda e: (f"{LIST}/{_first(e)}", None), 400),
    ("delete unknown", "DELETE", ONE, lambda e: (f"{LIST}/424242", None), 404),
    ("wrong method", "PATCH", LIST, lambda e: (LIST, None), 405),
]


def _leaf(emu: Emulator) -> tuple[str, Any]:
    return f"{LIST}/{emu.collections()[0]['id']}", None  # "Installation", the newest


def _cycle(emu: Emulator) -> tuple[str, Any]:
    return f"{LIST}/{_first(emu)}", {"parent_id": str(emu.collections()[0]["id"])}


@pytest.mark.parametrize(
    ("what", "method", "template", "setup", "status"), CASES, ids=[c[0] for c in CASES]
)
def test_every_emulator_answer_validates(
    what: str,
    method: str,
    template: str,
    setup: Callable[[Emulator], tuple[str, Any]],
    status: int,
) -> None:
    emu = make_emulator()
    url, body = setup(emu)
    response = client(emu).request(method, url, json=body)
    assert response.status_code == status, response.text
    validate_response(
        "GET" if method == "PATCH" else method, template, status, response.json(), strict=True
    )


@pytest.mark.parametrize("template", [HCS, HC, LIST, ONE])
def test_unauthorised_answers_validate(template: str) -> None:
    emu = make_emulator()
    url = template.replace("{id}", "101")
    response = client(emu, {"Authorization": "Bearer wrong", "Intercom-Version": "2.10"}).get(url)
    assert response.status_code == 401
    validate_response("GET", template, 401, response.json(), strict=True)


def test_rate_limited_version_refused_and_failing_answers_validate() -> None:
    emu = make_emulator()
    wrong_version = client(
        emu, {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.9"}
    ).get(LIST)
    assert wrong_version.status_code == 400
    validate_response("GET", LIST, 400, wrong_version.json(), strict=True)

    emu.faults.error_rate = 1.0
    failing = client(emu).get(LIST)
    assert failing.status_code in (500, 502, 503)
    validate_response("GET", LIST, failing.status_code, failing.json(), strict=True)

    emu.faults.error_rate = 0.0
    emu.faults.commit_then_502 = 1.0
    ambiguous = client(emu).post(LIST, json={"name": "Maybe"})
    assert ambiguous.status_code == 502
    validate_response("POST", LIST, 502, ambiguous.json(), strict=True)

    emu.faults.commit_then_502 = 0.0
    emu.faults.rate_limit = 1
    client(emu).get(LIST)
    limited = client(emu).get(LIST)
    assert limited.status_code == 429
    validate_response("GET", LIST, 429, limited.json(), strict=True)


# ---- the description's own examples round-trip through the emulator -----------------------


def test_the_create_example_creates_what_the_create_answer_example_shows() -> None:
    emu = make_emulator()
    request = example_of("request", "POST", LIST, "collection_created")
    validate_request_body("POST", LIST, request)
    response = client(emu).post(LIST, json=request)
    answer = example_of("response", "POST", LIST, "200")
    assert response.status_code == 200
    body = response.json()
    validate_response("POST", LIST, 200, body, strict=True)
    assert set(answer) <= set(body)  # every field the example shows, the emulator returns
    assert (body["name"], body["description"], body["parent_id"]) == (
        answer["name"],
        answer["description"],
        answer["parent_id"],
    )
    assert isinstance(body["help_center_id"], int)


def test_the_bad_request_example_is_refused_as_the_example_answer_says() -> None:
    emu = make_emulator()
    request = example_of("request", "POST", LIST, "bad_request")
    with pytest.raises(AssertionError):
        validate_request_body("POST", LIST, request)
    response = client(emu).post(LIST, json=request)
    expected = example_of("response", "POST", LIST, "400")
    assert response.status_code == 400
    assert response.json()["errors"] == expected["errors"]


def test_the_update_examples_rename_or_miss_as_their_answers_say() -> None:
    emu = make_emulator()
    request = example_of("request", "PUT", ONE, "successful")
    validate_request_body("PUT", ONE, request)
    ok = client(emu).put(f"{LIST}/{_first(emu)}", json=request)
    assert ok.status_code == 200
    assert ok.json()["name"] == example_of("response", "PUT", ONE, "200")["name"]
    missing = client(emu).put(
        f"{LIST}/424242", json=example_of("request", "PUT", ONE, "collection_not_found")
    )
    assert missing.json()["errors"] == example_of("response", "PUT", ONE, "404")["errors"]


def test_the_delete_and_get_examples_have_the_emulators_shapes() -> None:
    emu = make_emulator()
    leaf, _ = _leaf(emu)
    deleted = client(emu).delete(leaf).json()
    example = example_of("response", "DELETE", ONE, "200")
    assert set(deleted) == set(example) and deleted["deleted"] is True
    got = client(emu).get(f"{LIST}/{_first(emu)}").json()
    assert set(example_of("response", "GET", ONE, "200")) <= set(got)
    hc = client(emu).get(f"{HCS}/101").json()
    assert set(hc) == set(example_of("response", "GET", HC, "200"))


def test_the_list_example_tree_read_back_from_the_emulator_has_the_same_shape() -> None:
    emu = Emulator(token=TOKEN, sleep=_no_sleep)
    emu.add_help_center("acme")
    example = example_of("response", "GET", LIST, "200")
    parent, child = example["data"]
    top = emu.add_collection(parent["name"], description=parent["description"])
    emu.add_collection(child["name"], parent_id=top["id"])
    body = client(emu).get(LIST).json()
    validate_response("GET", LIST, 200, body, strict=True)
    assert {k for k in body if k != "data"} == {k for k in example if k != "data"}
    assert body["pages"] == example["pages"] and body["total_count"] == example["total_count"]
    by_name = {c["name"]: c for c in body["data"]}
    for shown in example["data"]:
        mine = by_name[shown["name"]]
        assert set(shown) <= set(mine)
        # nested collections name no help center (clients resolve it through the parent)
        assert (mine["parent_id"] is None) == (shown["parent_id"] is None)
        assert (mine["help_center_id"] is None) == (shown["help_center_id"] is None)
