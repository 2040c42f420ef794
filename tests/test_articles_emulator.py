"""Articles in the emulator and the client: the list endpoint, what a collection's delete does
to the articles in it (``Behaviour.collection_delete_with_articles``), and
``IntercomClient.list_articles``.

hcsync does not manage articles yet; it counts them, so that a collection it deletes never
silently takes articles with it. What Intercom does then is undocumented: each plausible
answer is a switch, and each is held to what it says here.
"""

from __future__ import annotations

import itertools
from copy import deepcopy
from typing import Any

import httpx
import pytest
from contract.openapi import spec, validate_response
from support import TOKEN

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import (
    Behaviour,
    Emulator,
    Refusal,
    behaviour_from_args,
    build_parser,
    variants,
)
from hcsync.errors import ListingError

BASE = "https://api.intercom.io"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"}
ARTICLES = "/articles"
ONE = "/help_center/collections/{id}"


def make_emulator(*, max_per_page: int = 150, **options: Any) -> Emulator:
    # A clock that ticks on every reading keeps updated_at strictly ordered.
    clock = itertools.count(1_700_000_000).__next__
    emu = Emulator(
        token=TOKEN,
        clock=clock,
        sleep=lambda _s: None,
        default_per_page=min(20, max_per_page),
        max_per_page=max_per_page,
        **options,
    )
    emu.add_help_center("acme")
    return emu


def http(emu: Emulator) -> httpx.Client:
    return httpx.Client(transport=emu.transport, base_url=BASE, headers=HEADERS)


def connect(transport: httpx.BaseTransport) -> IntercomClient:
    return IntercomClient(open_http(BASE, TOKEN, transport=transport), sleep=lambda _s: None)


def seeded(count: int, **options: Any) -> tuple[Emulator, list[str]]:
    """``count`` articles spread over two collections and the top level."""
    emu = make_emulator(**options)
    homes = [emu.add_collection("Billing")["id"], emu.add_collection("Setup")["id"], None]
    ids = [
        emu.add_article(
            f"Article {n}", parent_id=homes[n % 3], state=("published", "draft")[n % 2]
        )["id"]
        for n in range(count)
    ]
    return emu, ids


def without_next(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without ``pages.next``: a full URL, as live servers answer (``paging``), where
    the description types it as a ``starting_after_paging`` object."""
    copy = deepcopy(body)
    copy["pages"].pop("next", None)
    return copy


# ---- the list endpoint --------------------------------------------------------------------


def test_the_article_list_pages_newest_first_in_the_official_shape() -> None:
    emu, ids = seeded(7)
    client = http(emu)
    seen: list[dict[str, Any]] = []
    url: str | None = f"{ARTICLES}?per_page=3"
    bodies = []
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        bodies.append(body)
        validate_response("GET", ARTICLES, 200, without_next(body), strict=True)
        seen += body["data"]
        url = body["pages"].get("next")

    assert [b["pages"]["page"] for b in bodies] == [1, 2, 3]
    assert bodies[0]["pages"] == {
        "type": "pages",
        "next": f"{BASE}{ARTICLES}?page=2&per_page=3",
        "page": 1,
        "per_page": 3,
        "total_pages": 3,
    }
    assert "next" not in bodies[-1]["pages"]
    validate_response("GET", ARTICLES, 200, bodies[-1], strict=True)  # as answered
    assert {b["total_count"] for b in bodies} == {7}
    assert [a["id"] for a in seen] == [a["id"] for a in emu.articles()]
    assert sorted(a["id"] for a in seen) == sorted(ids)
    stamps = [a["updated_at"] for a in seen]
    assert stamps == sorted(stamps, reverse=True)  # newest updated_at first


def test_an_article_has_exactly_the_fields_the_description_lists() -> None:
    listed = set(spec()["components"]["schemas"]["article_list_item"]["properties"])
    emu = make_emulator()
    home = emu.add_collection("Billing")
    inside = emu.add_article("Refunds", parent_id=home["id"])
    alone = emu.add_article("Loose", parent_id=None, state="draft")

    assert set(inside) == set(alone) == listed
    assert (inside["parent_id"], inside["parent_ids"], inside["parent_type"]) == (
        int(home["id"]),
        [int(home["id"])],
        "collection",
    )
    assert (alone["parent_id"], alone["parent_ids"], alone["parent_type"]) == (None, [], None)
    assert alone["state"] == "draft" and inside["state"] == "published"
    assert inside["translated_content"]["en"]["title"] == "Refunds"
    assert inside["url"].startswith("https://intercom.help/acme/en/articles/")

    single = make_emulator(multilingual=False)
    plain = single.add_article("Refunds", parent_id=None)
    assert set(plain) == listed - {"default_locale", "translated_content"}
    for emulator in (emu, single):
        body = http(emulator).get(ARTICLES).json()
        validate_response("GET", ARTICLES, 200, body, strict=True)


@pytest.mark.parametrize(
    ("parent_id", "state", "message"),
    [("424242", "published", "parent_id 424242"), (None, "archived", "state")],
    ids=["unknown-parent", "unknown-state"],
)
def test_seeding_refuses_what_intercom_would(
    parent_id: str | None, state: Any, message: str
) -> None:
    emu = make_emulator()
    with pytest.raises(Refusal, match=message) as caught:
        emu.add_article("A", parent_id=parent_id, state=state)
    assert caught.value.status == 400
    assert emu.articles() == []


def test_the_other_article_endpoints_are_served_too() -> None:
    # (tests/test_emulator_articles.py holds them to their rules)
    client = http(make_emulator())
    unknown_author = client.post(ARTICLES, json={"title": "A", "author_id": 1})
    assert unknown_author.status_code == 400
    assert "author_id 1" in unknown_author.json()["errors"][0]["message"]
    assert client.get(f"{ARTICLES}/60001").status_code == 404
    assert client.patch(f"{ARTICLES}/60001").status_code == 405


# ---- a collection's delete and its articles -----------------------------------------------


def delete(emu: Emulator, id: str) -> httpx.Response:
    return http(emu).delete(f"/help_center/collections/{id}")


def test_by_default_a_collection_holding_articles_is_not_deleted() -> None:
    emu = make_emulator()
    assert emu.behaviour.collection_delete_with_articles == "refuse"
    home = emu.add_collection("Billing")
    article = emu.add_article("Refunds", parent_id=home["id"])

    response = delete(emu, home["id"])

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["message"]) == (
        "parameter_invalid",
        "Collection has articles; move or delete them first.",
    )
    validate_response("DELETE", ONE, 400, response.json(), strict=True)
    assert emu.collection(home["id"]) is not None
    assert emu.articles() == [article]  # untouched, updated_at included


def test_orphan_deletes_the_collection_and_keeps_its_articles_standing_alone() -> None:
    emu = make_emulator(behaviour=Behaviour(collection_delete_with_articles="orphan"))
    home, other = emu.add_collection("Billing"), emu.add_collection("Setup")
    moved = [emu.add_article(f"Refunds {n}", parent_id=home["id"]) for n in range(2)]
    kept = emu.add_article("Install", parent_id=other["id"])

    response = delete(emu, home["id"])

    assert response.status_code == 200, response.text
    validate_response("DELETE", ONE, 200, response.json(), strict=True)
    assert emu.collection(home["id"]) is None
    after = {a["id"]: a for a in emu.articles()}
    assert set(after) == {moved[0]["id"], moved[1]["id"], kept["id"]}
    for article in moved:
        now = after[article["id"]]
        assert (now["parent_id"], now["parent_type"], now["parent_ids"]) == (None, None, [])
        assert now["updated_at"] > article["updated_at"]
    assert after[kept["id"]] == kept
    validate_response("GET", ARTICLES, 200, http(emu).get(ARTICLES).json(), strict=True)


def test_cascade_deletes_the_collection_and_its_articles_with_it() -> None:
    emu = make_emulator(behaviour=Behaviour(collection_delete_with_articles="cascade"))
    home, other = emu.add_collection("Billing"), emu.add_collection("Setup")
    for n in range(2):
        emu.add_article(f"Refunds {n}", parent_id=home["id"])
    kept = emu.add_article("Install", parent_id=other["id"])
    loose = emu.add_article("Loose", parent_id=None)

    response = delete(emu, home["id"])

    assert response.status_code == 200, response.text
    assert emu.collection(home["id"]) is None
    assert emu.articles() == [loose, kept]


@pytest.mark.parametrize("mode", ["refuse", "orphan", "cascade"])
def test_only_articles_directly_in_the_collection_count_and_children_are_refused_first(
    mode: Any,
) -> None:
    emu = make_emulator(behaviour=Behaviour(collection_delete_with_articles=mode))
    top = emu.add_collection("Billing")
    child = emu.add_collection("Refunds", parent_id=top["id"])
    article = emu.add_article("How refunds work", parent_id=child["id"])
    empty = emu.add_collection("Empty")

    refused = delete(emu, top["id"])
    assert refused.status_code == 400
    assert "child collections" in refused.json()["errors"][0]["message"]
    assert delete(emu, empty["id"]).status_code == 200  # no articles: every mode deletes
    assert emu.articles() == [article]


# ---- the switch and its flag --------------------------------------------------------------


def test_the_switch_has_a_flag_and_variants_flip_it() -> None:
    parser = build_parser()
    assert behaviour_from_args(parser.parse_args([])) == Behaviour()
    for mode in ("refuse", "orphan", "cascade"):
        args = parser.parse_args(["--collection-delete-with-articles", mode])
        assert behaviour_from_args(args) == Behaviour(collection_delete_with_articles=mode)
    named = dict(variants())
    assert named["collection_delete_with_articles=orphan"] == Behaviour(
        collection_delete_with_articles="orphan"
    )
    assert "collection_delete_with_articles=cascade" in named
    with pytest.raises(ValueError, match="collection_delete_with_articles"):
        Behaviour(collection_delete_with_articles="ignore")  # type: ignore[arg-type]


def test_a_bad_mode_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--collection-delete-with-articles", "maybe"])
    assert exit_.value.code == 2
    assert "invalid choice: 'maybe'" in capsys.readouterr().err


# ---- IntercomClient.list_articles ---------------------------------------------------------


def article_pages(emu: Emulator) -> list[int]:
    return [int(r.query["page"]) for r in emu.requests if r.path == ARTICLES]


@pytest.mark.parametrize("total_pages", [True, False], ids=["total_pages", "next-only"])
def test_list_articles_returns_every_article_once_across_pages(total_pages: bool) -> None:
    emu, ids = seeded(23, max_per_page=5, behaviour=Behaviour(total_pages=total_pages))

    listed = connect(emu.transport).list_articles()

    assert [a["id"] for a in listed] == [a["id"] for a in emu.articles()]  # newest first
    assert sorted(a["id"] for a in listed) == sorted(ids)
    assert sorted(article_pages(emu)) == [1, 2, 3, 4, 5]
    queries = [r.query for r in emu.requests if r.path == ARTICLES]
    assert queries[0]["per_page"] == "150"  # asks for the documented maximum...
    assert {q["per_page"] for q in queries[1:]} == {"5"}  # ...then uses what was honoured


def test_list_articles_of_an_empty_workspace_is_one_request() -> None:
    emu = make_emulator()
    assert connect(emu.transport).list_articles() == []
    assert article_pages(emu) == [1]


def test_list_articles_keeps_the_newest_copy_of_an_article_seen_twice() -> None:
    emu, ids = seeded(4, max_per_page=2)
    stale = emu.articles()[0]

    def handle(request: httpx.Request) -> httpx.Response:
        response = emu.handle(request)
        if request.url.params.get("page") != "2":
            return response
        body = response.json()  # page 2 also shows an older copy of page 1's newest article
        body["data"].append({**stale, "updated_at": stale["updated_at"] - 100, "title": "old"})
        return httpx.Response(200, json=body)

    listed = connect(httpx.MockTransport(handle)).list_articles()

    assert sorted(a["id"] for a in listed) == sorted(ids)
    assert next(a for a in listed if a["id"] == stale["id"]) == stale


def test_list_articles_reads_again_when_a_pass_falls_short_of_total_count() -> None:
    emu, ids = seeded(6, max_per_page=3)
    dropped = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal dropped
        response = emu.handle(request)
        if request.url.params.get("page") != "2" or dropped:
            return response
        dropped += 1  # the first page 2 skips one (a tie reordered, a write moved it)
        body = response.json()
        body["data"].pop()
        return httpx.Response(200, json=body)

    listed = connect(httpx.MockTransport(handle)).list_articles()

    assert sorted(a["id"] for a in listed) == sorted(ids)
    assert sorted(article_pages(emu)) == [1, 1, 2, 2]


def test_list_articles_that_never_add_up_is_a_listing_error() -> None:
    emu, _ = seeded(6, max_per_page=3)

    def handle(request: httpx.Request) -> httpx.Response:
        body = emu.handle(request).json()
        body["total_count"] = 9  # more than there ever are
        return httpx.Response(200, json=body)

    with pytest.raises(ListingError, match="6 distinct articles of total_count 9") as caught:
        connect(httpx.MockTransport(handle)).list_articles()
    assert (caught.value.seen, caught.value.total_count, caught.value.passes) == (6, 9, 3)


def test_list_articles_refuses_absurd_paging_claims() -> None:
    emu, _ = seeded(3)

    def handle(request: httpx.Request) -> httpx.Response:
        body = emu.handle(request).json()
        body["pages"]["total_pages"] = 1_000_000_000
        return httpx.Response(200, json=body)

    with pytest.raises(ListingError, match="for 3 articles at 3 a page"):
        connect(httpx.MockTransport(handle)).list_articles()
    assert article_pages(emu) == [1]
