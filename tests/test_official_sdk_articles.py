"""Intercom's official Python SDK (``python-intercom``) works against the emulator's articles.

The SDK of ``test_official_sdk`` (its ``Sdk``: the client in process, every answer kept)
creates articles (``CreateArticleRequest``, with a parent collection, an author, a body and a
French ``ArticleTranslatedContent``), lists them with its pager at its default page size,
finds, updates and deletes them, and lists the admins and asks who it is (``GET /me``). Every
answer is then validated *strictly* with the SDK's own pydantic models (``Article``,
``ArticleList``/``ArticleListItem``, ``DeletedArticleObject``, ``AdminList``,
``AdminWithApp``, ``Error`` for 4xx), because the SDK itself parses leniently
(``construct_type``), under every switch of ``Behaviour`` that touches articles and with the
workspace's multilingual setting off.

Where the SDK's models are looser than the 2.10 description, the test holds the answers to
2.10 itself:

- ``ArticleList.pages`` is untyped (``Any``); 2.10 says ``cursor_pages`` (``type`` ``pages``,
  ``next`` a ``starting_after_paging`` object). The emulator answers ``next`` as a full URL,
  as live servers do (``paging``'s docstring), so ``pages`` is validated with the SDK's
  ``OffsetPages`` (``next`` a string), after the one known difference of
  ``test_official_sdk``: its ``type`` is ``"offset_pages"`` where 2.10 answers ``"pages"``.
- ``state`` (``ArticleListItemState``, ``ArticleContentState``) is ``Literal | Any``: anything
  passes; 2.10 allows ``published`` and ``draft`` only, checked here.
- ``translated_content``'s ``pt-BR``, ``zh-CN`` and ``zh-TW`` are Fern aliases, not pydantic
  ones, so a strict validation keeps them as unchecked extras: each is validated on its own
  with ``ArticleContent``.
- ``Admin.avatar`` is an ``AdminAvatar`` object (``image_url`` required) where 2.10's
  ``admin.avatar`` is a nullable URI string; the emulator leaves it out, as 2.10's example of
  ``GET /admins`` does, so the two never meet.

The SDK's list sends no ``per_page`` (its docstring says the default is 15; 2.10's example
answers 25): the server's default decides, the emulator's 20. An argument or locale set to
``None`` is sent as ``null``, not left out: a ``translated_content`` locale then does what
``null_locale`` says, and ``parent_id=None`` on a create is refused (2.10 types it a plain
integer), so an article standing alone is created without ``parent_id``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

pytest.importorskip("intercom")

import pydantic
from intercom import (
    ArticleContent,
    ArticleTranslatedContent,
    BadRequestError,
    CreateArticleRequest,
    NotFoundError,
)
from intercom.articles.types import Article
from intercom.core.api_error import ApiError
from intercom.types import (
    AdminList,
    AdminWithApp,
    ArticleList,
    DeletedArticleObject,
    DeletedCollectionObject,
    Error,
    OffsetPages,
)
from support import TOKEN
from test_official_sdk import BASE_URL, Sdk

from hcsync.emulator import Behaviour, Emulator, variants

ONE = re.compile(r"/articles/\d+")
STATES = ("published", "draft")  # 2.10's enum; the SDK's state types also accept Any
HYPHENATED = ("pt-BR", "zh-CN", "zh-TW")  # unchecked extras to a strict validation
BODY = (
    "<h3>Linux</h3><h4>Debian</h4><p>Run <strong>it</strong>, see "
    '<a href="https://example.com/docs">the docs</a>.</p>'
    '<img src="https://example.com/shot.png" alt="shot">'
)


def _validate(method: str, path: str, response: httpx.Response) -> None:
    """Strict pydantic validation of the JSON text: no coercion ("1" is not an int)."""
    body: Any = response.json()
    model: type[pydantic.BaseModel]
    if response.status_code >= 400:
        model = Error
    elif path == "/articles" and method == "GET":
        model = ArticleList
        pages = body["pages"]
        assert pages["type"] == "pages"  # 2.10; the SDK's OffsetPages says offset_pages
        assert isinstance(pages.get("next", ""), str)  # 2.10: a starting_after_paging object
        OffsetPages.model_validate_json(json.dumps({**pages, "type": "offset_pages"}), strict=True)
        for item in body["data"]:
            assert "statistics" not in item  # an article_list_item has none
            _check_article(item)
    elif path == "/admins":
        model = AdminList
        assert body["type"] == "admin.list"
        # SDK: avatar an AdminAvatar object; 2.10: a nullable URI string. Neither is sent.
        assert all("avatar" not in admin for admin in body["admins"])
    elif path == "/me":
        model = AdminWithApp
        assert body["type"] == "admin" and body["app"]["type"] == "app"
    elif method == "DELETE" and ONE.fullmatch(path):
        model = DeletedArticleObject
    elif method == "DELETE":  # a collection, under collection_delete_with_articles
        model = DeletedCollectionObject
    else:
        assert path == "/articles" or ONE.fullmatch(path), path
        model = Article
        # 2.10's schema names conversions (its own examples say conversations); so the SDK
        assert set(body["statistics"]) >= {"type", "views", "conversions", "reactions"}
        _check_article(body)
    model.model_validate_json(json.dumps(body), strict=True)


def _check_article(item: dict[str, Any]) -> None:
    """What the SDK's models let through but 2.10 does not."""
    assert item["state"] in STATES
    content = item.get("translated_content")
    for locale, entry in (content or {}).items():
        if isinstance(entry, dict):
            assert entry["state"] in STATES, locale
            if locale in HYPHENATED:
                ArticleContent.model_validate_json(json.dumps(entry), strict=True)


def test_the_article_lifecycle_through_the_sdk(emulator: Emulator) -> None:
    home = emulator.add_collection("Getting started")
    writer = int(emulator.add_admin("Ciaran Lee", "ciaran@example.com")["id"])
    sdk = Sdk(emulator)
    articles = sdk.client.articles
    created = articles.create(
        request=CreateArticleRequest(
            title="Install",
            description="How to install",
            body=BODY,
            author_id=writer,
            state="published",
            parent_id=int(home["id"]),
            parent_type="collection",
            translated_content=ArticleTranslatedContent(
                fr=ArticleContent(
                    title="Installer",
                    description="Comment installer",
                    body="<p>Lancez-le</p>",
                    author_id=writer,
                    state="published",
                )
            ),
        )
    )
    assert (created.title, created.author_id, created.state) == ("Install", writer, "published")
    assert created.parent_id == int(home["id"]) and created.parent_type == "collection"
    assert created.body is not None and "<b>it</b>" in created.body  # stored as rewritten
    fr = created.translated_content.fr if created.translated_content else None
    assert fr is not None and fr.title == "Installer"
    assert fr.body == '<p class="no-margin">Lancez-le</p>'
    me = int(emulator.admins()[0]["id"])
    others: list[str] = []
    for i in range(44):
        # Some stand alone: parent_id left out, not None. The SDK sends an explicit None as
        # null, and 2.10 types create's parent_id a plain integer, so the emulator refuses it.
        parent: dict[str, Any] = {"parent_id": int(home["id"])} if i % 2 else {}
        request = CreateArticleRequest(title=f"Topic {i}", author_id=me, **parent)
        others.append(articles.create(request=request).id)
    created_ids = {created.id, *others}
    assert len(created_ids) == 45

    listed = [a.id for a in articles.list()]  # the SDK's default page size: no per_page
    assert sorted(listed) == sorted(created_ids)  # every id exactly once
    assert listed[0] == others[-1]  # newest updated_at first (the latest write on a tie)
    list_queries = [r.query for r in emulator.requests if r.method == "GET"]
    assert list_queries == [{"page": str(n)} for n in (1, 2, 3, 4)]  # 20 + 20 + 5, then empty
    first_page = next(a.json() for a in sdk.answers if a.request.method == "GET")
    assert first_page["total_count"] == 45
    assert first_page["pages"]["next"] == f"{BASE_URL}/articles?page=2&per_page=20"
    assert (first_page["pages"]["per_page"], first_page["pages"]["total_pages"]) == (20, 3)

    found = articles.find(created.id)
    assert found.statistics is not None and found.statistics.views == 0
    assert found.default_locale == "en" and found.description == "How to install"

    updated = articles.update(
        created.id,
        title="Install hcsync",
        body="<p>New <em>body</em></p>",
        translated_content=ArticleTranslatedContent(
            de=ArticleContent(title="Installieren", body="<p>Starten</p>")
        ),
    )
    assert updated.title == "Install hcsync"
    assert updated.body == '<p class="no-margin">New <i>body</i></p>'
    content = updated.translated_content
    assert content is not None and content.de is not None and content.fr is not None
    assert content.de.title == "Installieren" and content.fr.title == "Installer"  # merged
    assert content.en is not None and content.en.title == "Install hcsync"  # the mirror
    assert (emulator.article(created.id) or {}).get("title") == "Install hcsync"

    with pytest.raises(BadRequestError):  # not an admin of this workspace
        articles.create(request=CreateArticleRequest(title="Nobody's", author_id=1))
    deleted = articles.delete(created.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (created.id, "article", True)
    assert emulator.article(created.id) is None
    with pytest.raises(NotFoundError):
        articles.find(created.id)
    statuses = [r.status for r in emulator.requests]
    assert statuses.count(400) == statuses.count(404) == 1
    assert sdk.validate_every_answer(_validate) == len(emulator.requests) == 54


def test_the_admins_and_me_through_the_sdk(emulator: Emulator) -> None:
    emulator.add_admin("Ciaran Lee", "ciaran@example.com")
    sdk = Sdk(emulator)
    admins = sdk.client.admins.list().admins
    assert [(a.name, a.email) for a in admins] == [
        ("Emulator Admin", "admin@hcsync.test"),
        ("Ciaran Lee", "ciaran@example.com"),
    ]
    me = sdk.client.admins.identify()
    assert me is not None and me.id == admins[0].id and me.email == "admin@hcsync.test"
    assert me.app is not None and me.app.name == "Acme Help Center"
    assert me.avatar is not None and me.avatar.image_url is None
    assert sdk.validate_every_answer(_validate) == 2


VARIANTS = [(name, behaviour, True) for name, behaviour in variants()]
VARIANTS.append(("multilingual=off", Behaviour(), False))


@pytest.mark.parametrize(
    ("name", "behaviour", "multilingual"), VARIANTS, ids=[v[0] for v in VARIANTS]
)
def test_the_sdks_models_accept_every_behaviour(
    name: str, behaviour: Behaviour, multilingual: bool
) -> None:
    emu = Emulator(
        token=TOKEN, behaviour=behaviour, multilingual=multilingual, sleep=lambda _s: None
    )
    emu.add_help_center("acme")
    home = int(emu.add_collection("Home")["id"])
    doomed = int(emu.add_collection("Doomed")["id"])
    sdk = Sdk(emu)
    articles = sdk.client.articles
    me = sdk.client.admins.identify()
    assert me is not None and me.id is not None and sdk.client.admins.list().admins
    author = int(me.id)
    first = articles.create(
        request=CreateArticleRequest(
            title="Q&A",
            body=BODY,
            author_id=author,
            parent_id=home,
            translated_content=ArticleTranslatedContent(
                fr=ArticleContent(title="Questions", body=BODY, state="published"),
                pt_br=ArticleContent(title="Perguntas", body="<p>Oi</p>"),
            ),
        )
    )
    rest = [
        articles.create(request=CreateArticleRequest(title=f"Leaf {i}", author_id=author)).id
        for i in range(3)
    ]
    in_doomed = articles.create(
        request=CreateArticleRequest(title="In doomed", author_id=author, parent_id=doomed)
    ).id
    everything = {first.id, in_doomed, *rest}
    listed = [a.id for a in articles.list(per_page=2)]  # three pages
    if behaviour.unstable_ties:  # offset pages over shuffled ties may overlap or skip
        assert set(listed) <= everything
    else:
        assert sorted(listed) == sorted(everything)

    found = articles.find(first.id)
    assert found.body is not None and first.body is not None
    if not behaviour.rewrite_html:
        assert found.body == BODY
    else:
        levels = {"h2": ("h2", "h2"), "renumber": ("h1", "h2"), "keep": ("h3", "h4")}
        assert re.findall(r"<(h\d)", found.body) == list(levels[behaviour.heading_levels])
        signed = "?expires=" in found.body
        assert signed is behaviour.signed_image_urls
        assert (found.body != first.body) is signed  # a fresh signature on every read
    if multilingual:
        assert found.default_locale == "en" and found.translated_content is not None
        assert found.translated_content.fr is not None
    else:  # absent until the workspace turns multilingual on
        assert found.default_locale is None and found.translated_content is None

    updated = articles.update(
        first.id,
        title="Renamed",
        translated_content=ArticleTranslatedContent(de=ArticleContent(title="Umbenannt")),
    )
    assert updated.id == first.id and updated.title == "Renamed"
    if multilingual:
        content = updated.translated_content
        assert content is not None and content.de is not None
        assert (content.fr is not None) is (behaviour.translations_on_put == "merge")

    # The SDK sends a locale set to None as null; null_locale says what that does.
    clear = ArticleTranslatedContent(de=None)
    if behaviour.null_locale == "reject":
        with pytest.raises(ApiError) as refused:
            articles.update(first.id, translated_content=clear)
        assert refused.value.status_code == 400
    else:
        content = articles.update(first.id, translated_content=clear).translated_content
        if multilingual:
            assert content is not None
            assert (content.de is None) is (behaviour.null_locale == "delete")
    assert any(r.body == {"translated_content": {"de": None}} for r in emu.requests)

    what = behaviour.collection_delete_with_articles
    if what == "refuse":
        with pytest.raises(ApiError) as refused:  # it still holds an article
            sdk.client.help_centers.collections.delete(str(doomed))
        assert refused.value.status_code == 400
    else:
        assert sdk.client.help_centers.collections.delete(str(doomed)).deleted is True
    if what == "cascade":
        with pytest.raises(NotFoundError):
            articles.find(in_doomed)
    else:
        left = articles.find(in_doomed)
        assert left.parent_id == (doomed if what == "refuse" else None)
        assert left.parent_type == ("collection" if what == "refuse" else None)

    assert articles.delete(rest[0]).deleted is True
    with pytest.raises(NotFoundError):
        articles.find(rest[0])
    assert sdk.validate_every_answer(_validate) == len(emu.requests) >= 16
