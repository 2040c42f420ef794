"""The official 2.10 description holds the emulator's article and admin endpoints.

Every answer of ``/articles``, ``/articles/{id}``, ``/admins`` and ``/me`` (successes, each
error status, faults) validates strictly against the description (no field it does not
name); the strict request schemas refuse what the emulator refuses; and the description's
own article examples round-trip through the emulator.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any

import pytest
from contract.openapi import example_of, validate_request_body, validate_response
from test_contract import TOKEN, client

from hcsync.emulator import Emulator

LIST = "/articles"
ONE = "/articles/{id}"
ADMINS = "/admins"
ME = "/me"
BODY = (
    "<h1>Install</h1><h3>Linux</h3><p>Run <strong>it</strong>, see "
    '<a href="https://example.com/docs">docs</a>.</p><ul><li>one</li></ul>'
    '<img src="https://example.com/shot.png" alt="shot">'
    "<table><tr><td>a</td></tr></table>"
)


def make_emulator(*, multilingual: bool = True) -> Emulator:
    emu = Emulator(
        token=TOKEN,
        sleep=lambda _s: None,
        clock=lambda: 1_717_021_728.0,
        multilingual=multilingual,
    )
    emu.add_help_center("acme", "Acme Help Center")
    home = emu.add_collection("Getting started")
    writer = emu.add_admin("Ciaran Lee", "ciaran@example.com")
    emu.add_article(
        "Install",
        parent_id=home["id"],
        body=BODY,
        description="How to install",
        author_id=int(writer["id"]),
        translated_content={"fr": {"title": "Installer", "body": "<p>Lancez-le</p>"}},
    )
    emu.add_article("Loose", parent_id=None, state="draft")
    return emu


def without_next(body: Any) -> Any:
    """The list without ``pages.next``: a full URL, as live servers answer (see ``paging``),
    where the description types a ``starting_after_paging`` object."""
    copy = deepcopy(body)
    if isinstance(copy, dict) and isinstance(copy.get("pages"), dict):
        copy["pages"].pop("next", None)
    return copy


def _install(emu: Emulator) -> str:
    return next(a["id"] for a in emu.articles() if a["title"] == "Install")


def _home(emu: Emulator) -> int:
    return int(emu.collections()[0]["id"])


def _me(emu: Emulator) -> int:
    return int(emu.admins()[0]["id"])


# (what, method, path template, setup -> (url, json body or None), expected status)
Case = tuple[str, str, str, Callable[[Emulator], tuple[str, Any]], int]
CASES: list[Case] = [
    ("list", "GET", LIST, lambda e: (LIST, None), 200),
    ("list page 2", "GET", LIST, lambda e: (f"{LIST}?page=2&per_page=1", None), 200),
    ("list past the end", "GET", LIST, lambda e: (f"{LIST}?page=9", None), 200),
    ("list bad page", "GET", LIST, lambda e: (f"{LIST}?page=0", None), 400),
    ("create minimal", "POST", LIST, lambda e: (LIST, {"title": "T", "author_id": _me(e)}), 200),
    (
        "create everything",
        "POST",
        LIST,
        lambda e: (
            LIST,
            {
                "title": "T",
                "description": "d",
                "body": BODY,
                "author_id": _me(e),
                "state": "published",
                "parent_id": _home(e),
                "parent_type": "collection",
                "translated_content": {
                    "type": "article_translated_content",
                    "de": {"type": "article_content", "title": "D", "body": "<p>x</p>"},
                    "fr": None,
                },
            },
        ),
        200,
    ),
    ("create without author", "POST", LIST, lambda e: (LIST, {"title": "T"}), 400),
    ("create unknown author", "POST", LIST, lambda e: (LIST, {"title": "T", "author_id": 1}), 400),
    (
        "create string parent",
        "POST",
        LIST,
        lambda e: (LIST, {"title": "T", "author_id": _me(e), "parent_id": str(_home(e))}),
        400,
    ),
    (
        "create relative image",
        "POST",
        LIST,
        lambda e: (LIST, {"title": "T", "author_id": _me(e), "body": '<img src="a.png">'}),
        400,
    ),
    ("get", "GET", ONE, lambda e: (f"{LIST}/{_install(e)}", None), 200),
    ("get unknown", "GET", ONE, lambda e: (f"{LIST}/424242", None), 404),
    (
        "update",
        "PUT",
        ONE,
        lambda e: (
            f"{LIST}/{_install(e)}",
            {"title": "New", "body": "<p>New</p>", "translated_content": {"fr": None}},
        ),
        200,
    ),
    (
        "update move",
        "PUT",
        ONE,
        lambda e: (f"{LIST}/{_install(e)}", {"parent_id": str(_home(e))}),
        200,
    ),
    ("update unknown", "PUT", ONE, lambda e: (f"{LIST}/424242", {"title": "x"}), 404),
    ("update int parent", "PUT", ONE, lambda e: (f"{LIST}/{_install(e)}", {"parent_id": 1}), 400),
    (
        "update nested table",
        "PUT",
        ONE,
        lambda e: (
            f"{LIST}/{_install(e)}",
            {"body": "<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>"},
        ),
        400,
    ),
    ("delete", "DELETE", ONE, lambda e: (f"{LIST}/{_install(e)}", None), 200),
    ("delete unknown", "DELETE", ONE, lambda e: (f"{LIST}/424242", None), 404),
    ("admins", "GET", ADMINS, lambda e: (ADMINS, None), 200),
    ("me", "GET", ME, lambda e: (ME, None), 200),
]


@pytest.mark.parametrize("multilingual", [True, False], ids=["multilingual", "monolingual"])
@pytest.mark.parametrize(
    ("what", "method", "template", "setup", "status"), CASES, ids=[c[0] for c in CASES]
)
def test_every_article_and_admin_answer_validates(
    what: str,
    method: str,
    template: str,
    setup: Callable[[Emulator], tuple[str, Any]],
    status: int,
    multilingual: bool,
) -> None:
    emu = make_emulator(multilingual=multilingual)
    url, body = setup(emu)
    if body is not None and status == 200:
        validate_request_body(method, template, body)  # what the emulator takes is allowed
    response = client(emu).request(method, url, json=body)
    assert response.status_code == status, response.text
    answer = response.json()
    validate_response(method, template, status, without_next(answer), strict=True)
    if template in (LIST, ONE) and status == 200 and method != "DELETE":
        items = answer["data"] if method == "GET" and template == LIST else [answer]
        for item in items:
            assert ("translated_content" in item) is multilingual


def test_a_full_list_page_with_next_validates_apart_from_next() -> None:
    emu = make_emulator()
    answer = client(emu).get(f"{LIST}?per_page=1").json()
    assert answer["pages"]["next"].startswith("https://api.intercom.io/articles?page=2")
    validate_response("GET", LIST, 200, without_next(answer), strict=True)


@pytest.mark.parametrize(
    ("method", "template", "url"),
    [
        ("GET", LIST, LIST),
        ("POST", LIST, LIST),
        ("GET", ONE, f"{LIST}/60001"),
        ("PUT", ONE, f"{LIST}/60001"),
        ("DELETE", ONE, f"{LIST}/60001"),
        ("GET", ADMINS, ADMINS),
    ],
)
def test_unauthorised_answers_validate(method: str, template: str, url: str) -> None:
    emu = make_emulator()
    wrong = {"Authorization": "Bearer wrong", "Intercom-Version": "2.10"}
    response = client(emu, wrong).request(method, url, json=None)
    assert response.status_code == 401
    validate_response(method, template, 401, response.json(), strict=True)


def test_faulty_answers_on_article_calls_validate() -> None:
    emu = make_emulator()
    emu.faults.error_rate = 1.0
    failing = client(emu).get(LIST)
    assert failing.status_code in (500, 502, 503)
    validate_response("GET", LIST, failing.status_code, failing.json(), strict=True)
    emu.faults.error_rate = 0.0
    emu.faults.commit_then_502 = 1.0
    ambiguous = client(emu).post(LIST, json={"title": "Maybe", "author_id": _me(emu)})
    assert ambiguous.status_code == 502
    validate_response("POST", LIST, 502, ambiguous.json(), strict=True)
    emu.faults.commit_then_502 = 0.0
    emu.faults.rate_limit = 1
    client(emu).get(ADMINS)
    limited = client(emu).get(f"{LIST}/{_install(emu)}")
    assert limited.status_code == 429
    validate_response("GET", ONE, 429, limited.json(), strict=True)


# ---- strict request schemas ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "template", "body"),
    [
        ("POST", LIST, {"title": "A", "author_id": 1, "colour": "red"}),
        ("POST", LIST, {"title": "A"}),
        ("POST", LIST, {"author_id": 1}),
        ("POST", LIST, {"title": "A", "author_id": 1, "parent_id": "7001"}),
        ("POST", LIST, {"title": "A", "author_id": 1, "state": "archived"}),
        ("POST", LIST, {"title": "A", "author_id": 1, "translated_content": {"xx": {}}}),
        ("POST", LIST, {"title": "A", "author_id": 1, "translated_content": {"fr": {"slug": 1}}}),
        ("PUT", ONE, {"parent_id": 7001}),
        ("PUT", ONE, {"author_id": "1"}),
    ],
    ids=[
        "unknown-key",
        "no-author",
        "no-title",
        "string-parent-on-create",
        "unknown-state",
        "unknown-locale",
        "unknown-content-key",
        "integer-parent-on-update",
        "string-author",
    ],
)
def test_request_bodies_the_description_refuses_the_emulator_refuses(
    method: str, template: str, body: Any
) -> None:
    with pytest.raises(AssertionError, match="request body does not match"):
        validate_request_body(method, template, body)
    emu = make_emulator()
    url = LIST if template == LIST else f"{LIST}/{_install(emu)}"
    response = client(emu).request(method, url, json=body)
    assert response.status_code == 400, response.text
    validate_response(method, template, 400, response.json(), strict=True)


# ---- the description's own examples -------------------------------------------------------


def test_the_create_example_creates_what_the_create_answer_example_shows() -> None:
    emu = make_emulator()
    request = deepcopy(example_of("request", "POST", LIST, "article_created"))
    validate_request_body("POST", LIST, request)
    request["author_id"] = request["translated_content"]["fr"]["author_id"] = _me(emu)
    request["parent_id"] = _home(emu)
    response = client(emu).post(LIST, json=request)
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response("POST", LIST, 200, body, strict=True)
    answer = example_of("response", "POST", LIST, "200")
    assert set(answer) <= set(body)
    for key in ("title", "description", "body", "state", "parent_type"):
        assert body[key] == answer[key], key  # the body comes back <p class="no-margin">...
    assert body["translated_content"]["fr"]["title"] == "Merci pour tout"
    assert (
        body["translated_content"]["fr"]["body"] == '<p class="no-margin">Corps de l\'article</p>'
    )


def test_the_bad_request_example_is_refused_as_the_example_answer_says() -> None:
    emu = make_emulator()
    request = example_of("request", "POST", LIST, "bad_request")
    with pytest.raises(AssertionError):
        validate_request_body("POST", LIST, request)
    response = client(emu).post(LIST, json=request)
    assert response.status_code == 400
    expected = example_of("response", "POST", LIST, "400")
    assert [(e["code"], e["message"]) for e in response.json()["errors"]] == [
        (e["code"], e["message"]) for e in expected["errors"]
    ]


def test_the_update_example_stores_its_body_as_the_answer_example_shows() -> None:
    emu = make_emulator()
    request = example_of("request", "PUT", ONE, "successful")
    validate_request_body("PUT", ONE, request)
    response = client(emu).put(f"{LIST}/{_install(emu)}", json=request)
    answer = example_of("response", "PUT", ONE, "200")
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["body"]) == (answer["title"], answer["body"])
    missing = client(emu).put(f"{LIST}/424242", json=request)
    assert missing.json()["errors"] == example_of("response", "PUT", ONE, "404")["errors"]


def test_the_get_delete_admins_and_me_examples_have_the_emulators_shapes() -> None:
    emu = make_emulator()
    got = client(emu).get(f"{LIST}/{_install(emu)}").json()
    assert set(example_of("response", "GET", ONE, "200")) <= set(got)
    deleted = client(emu).delete(f"{LIST}/{_install(emu)}").json()
    assert deleted == {**example_of("response", "DELETE", ONE, "200"), "id": deleted["id"]}
    admins = client(emu).get(ADMINS).json()
    example = example_of("response", "GET", ADMINS, "200")
    assert admins["type"] == example["type"] == "admin.list"
    assert {frozenset(a) for a in admins["admins"]} == {frozenset(example["admins"][0])}
    me = client(emu).get(ME).json()
    me_example = example_of("response", "GET", ME, "200")
    assert set(me) == set(me_example)
    assert set(me["app"]) == set(me_example["app"]) - {"secure"}  # not in the app schema
