"""The emulator's articles and admins, seen through HTTP: CRUD, the rules and their 400s,
Intercom's HTML rewriting under each switch (and that it is idempotent), signed image URLs,
multilingual off, and the faults on article calls.

The contract tests (``test_contract_articles.py``) hold the same answers to the official
description; here they are held to what ``intercom-api.md`` says Intercom does.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any

import httpx
import pytest
from support import TOKEN

from hcsync.emulator import Behaviour, Emulator, Refusal, behaviour_from_args, build_parser
from hcsync.emulator.rewriting import Rules, store
from hcsync.kinds.article import validate

BASE = "https://api.intercom.io"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"}
ARTICLES = "/articles"
CDN = "https://downloads.intercomcdn.com/i/o/"
SIGNED = re.compile(r"\?expires=\d+&amp;signature=[0-9a-f]+")
CORPUS = [
    "Plain text body",
    "<h1>Guide</h1>\n<h2>Setup</h2>\n<h3>Linux</h3>\n<h4>Debian</h4>\n"
    "<p>Use <strong>bold</strong>, <em>italic</em> and "
    '<a href="https://example.com/a?b=1&c=2">a link</a>.</p>\n'
    "<ul>\n  <li>One</li>\n  <li>Two\n    <ol><li>Nested</li></ol>\n  </li>\n</ul>\n"
    "<pre><code>if a &lt; b:\n    print(a)</code></pre>\n"
    '<img src="https://example.com/img/screen shot.png" alt="Screen">\n'
    "<table><tr><th>Key</th><th>Value</th></tr><tr><td>a</td><td><b>1</b></td></tr></table>",
    '<div class="intercom-container intercom-align-center">'
    '<a class="intercom-h2b-button" href="https://example.com/go">Go</a></div>'
    '<div class="intercom-interblocks-callout" style="background-color: #feedaf;">'
    "<p>Careful</p></div>"
    '<iframe src="https://www.youtube.com/embed/xyz" frameborder="0"></iframe>',
    "<h2>Two</h2><h4>Four</h4><h6>Six</h6><p>x<p>y<blockquote>q</blockquote>",
    '<p>Inline <img src="http://example.com/i.gif"> image</p><script>alert(1)</script>',
]


def make_emulator(**options: Any) -> Emulator:
    clock = itertools.count(1_700_000_000).__next__  # updated_at strictly increasing
    emu = Emulator(token=TOKEN, clock=clock, sleep=lambda _s: None, **options)
    emu.add_help_center("acme")
    return emu


def http(emu: Emulator) -> httpx.Client:
    return httpx.Client(transport=emu.transport, base_url=BASE, headers=HEADERS)


def me(emu: Emulator) -> int:
    return int(emu.admins()[0]["id"])


def create(emu: Emulator, **body: Any) -> httpx.Response:
    return http(emu).post(ARTICLES, json={"title": "T", "author_id": me(emu), **body})


def created(emu: Emulator, **body: Any) -> dict[str, Any]:
    response = create(emu, **body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def error(response: httpx.Response) -> tuple[int, str, str]:
    assert response.json()["type"] == "error.list"
    first = response.json()["errors"][0]
    return response.status_code, first["code"], first["message"]


def unsigned(body: str) -> str:
    return SIGNED.sub("", body)


# ---- CRUD ---------------------------------------------------------------------------------


def test_create_read_list_update_delete() -> None:
    emu = make_emulator()
    home = emu.add_collection("Billing")
    made = created(emu, title="Refunds", body="Body", parent_id=int(home["id"]))
    assert (made["state"], made["author_id"], made["parent_id"]) == (
        "draft",
        me(emu),
        int(home["id"]),
    )
    assert made["body"] == '<p class="no-margin">Body</p>'
    assert made["statistics"]["type"] == "article_statistics"
    client = http(emu)
    url = f"{ARTICLES}/{made['id']}"
    assert client.get(url).json() == {**made}
    assert [a["id"] for a in client.get(ARTICLES).json()["data"]] == [made["id"]]

    other = emu.add_collection("Setup")
    moved = client.put(
        url, json={"title": "Refunds 2", "parent_id": other["id"], "state": "published"}
    )
    assert moved.status_code == 200, moved.text
    after = moved.json()
    assert (after["title"], after["parent_id"], after["state"]) == (
        "Refunds 2",
        int(other["id"]),
        "published",
    )
    assert after["body"] == made["body"]  # a PUT changes only what it sends
    assert after["updated_at"] > made["updated_at"] and after["created_at"] == made["created_at"]

    assert client.delete(url).json() == {"id": made["id"], "object": "article", "deleted": True}
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404
    assert emu.articles() == []


def test_the_list_is_paged_newest_updated_first_and_an_edit_moves_an_article_up() -> None:
    emu = make_emulator()
    ids = [created(emu, title=f"A{n}")["id"] for n in range(5)]
    client = http(emu)
    first = client.get(f"{ARTICLES}?per_page=2").json()
    assert [a["id"] for a in first["data"]] == ids[::-1][:2]
    assert (first["total_count"], first["pages"]["total_pages"]) == (5, 3)
    emu.edit_article(ids[0], title="Edited in the UI")
    assert client.get(f"{ARTICLES}?per_page=1").json()["data"][0]["id"] == ids[0]


def test_title_and_author_may_come_from_the_default_locale_entry() -> None:
    emu = make_emulator()
    body = {"translated_content": {"en": {"title": "From en", "author_id": me(emu)}}}
    made = http(emu).post(ARTICLES, json=body)
    assert made.status_code == 200, made.text
    assert made.json()["title"] == "From en"
    assert made.json()["translated_content"]["en"]["title"] == "From en"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"title": "T"},
            (
                400,
                "parameter_not_found",
                "author_id must be in the main body or default locale translated_content object",
            ),
        ),
        ({"author_id": 991267797}, (400, "parameter_not_found", "title must be in the main body")),
        (
            {"title": " ", "author_id": 991267797},
            (400, "parameter_invalid", "title cannot be blank"),
        ),
        ({"title": "T", "author_id": 5}, (400, "parameter_invalid", "author_id 5 is not an admin")),
        (
            {"title": "T", "author_id": "991267797"},
            (400, "parameter_invalid", "author_id must be an integer"),
        ),
        (
            {"title": "T", "author_id": 991267797, "parent_id": 1},
            (400, "parameter_invalid", "parent_id 1 is not"),
        ),
        (
            {"title": "T", "author_id": 991267797, "parent_id": "1"},
            (400, "parameter_invalid", "parent_id must be an integer"),
        ),
        (
            {"title": "T", "author_id": 991267797, "parent_type": "section"},
            (400, "parameter_invalid", "parent_type"),
        ),
        (
            {"title": "T", "author_id": 991267797, "state": "live"},
            (400, "parameter_invalid", "state must be one of"),
        ),
        (
            {"title": "T", "author_id": 991267797, "url": "x"},
            (400, "parameter_invalid", "url is not a parameter"),
        ),
        (
            {"title": "T", "author_id": 991267797, "body": None},
            (400, "parameter_invalid", "body must be a string"),
        ),
        (
            {"title": "T", "author_id": 991267797, "translated_content": {"fr": {"body": "x"}}},
            (400, "parameter_not_found", "translated_content.fr.title is required"),
        ),
        (
            {
                "title": "T",
                "author_id": 991267797,
                "translated_content": {"fr": {"title": "x", "url": "u"}},
            },
            (400, "parameter_invalid", "translated_content.fr.url is not a parameter"),
        ),
        (
            {"title": "T", "author_id": 991267797, "translated_content": {"en": None}},
            (400, "parameter_invalid", "translated_content.en is the default locale"),
        ),
    ],
    ids=[
        "no-author",
        "no-title",
        "blank-title",
        "unknown-author",
        "string-author",
        "unknown-parent",
        "string-parent",
        "parent-type",
        "state",
        "read-only-key",
        "null-body",
        "new-translation-without-title",
        "read-only-content-key",
        "default-locale-null",
    ],
)
def test_create_refuses_with_intercom_style_errors(
    body: dict[str, Any], expected: tuple[int, str, str]
) -> None:
    emu = make_emulator()
    response = http(emu).post(ARTICLES, json=body)
    status, code, message = error(response)
    assert (status, code) == expected[:2]
    assert message.startswith(expected[2]) or expected[2] in message, message
    assert emu.articles() == []


def test_update_takes_a_string_parent_and_is_all_or_nothing() -> None:
    emu = make_emulator()
    made = created(emu, title="Kept", body="<p>Kept</p>")
    url = f"{ARTICLES}/{made['id']}"
    client = http(emu)
    assert error(client.put(url, json={"parent_id": 7001}))[2] == "parent_id must be a string."
    refused = client.put(url, json={"title": "Changed", "body": "<ul></ul>"})
    assert refused.status_code == 400
    assert emu.article(made["id"]) == {**made, "statistics": made["statistics"]}
    assert client.put(f"{ARTICLES}/424242", json={"title": "x"}).status_code == 404


def test_translations_merge_per_locale_and_each_keeps_its_own_updated_at() -> None:
    emu = make_emulator()
    made = created(
        emu,
        translated_content={
            "fr": {"title": "Bonjour", "body": "Salut", "state": "published"},
            "de": {"title": "Hallo"},
        },
    )
    content = made["translated_content"]
    assert content["fr"]["body"] == '<p class="no-margin">Salut</p>'
    assert (content["fr"]["author_id"], content["de"]["state"]) == (me(emu), "draft")
    assert content["es"] is None and content["en"]["title"] == "T"
    assert content["fr"]["url"].endswith(f"/fr/articles/{made['id']}-bonjour")

    url = f"{ARTICLES}/{made['id']}"
    after = http(emu).put(url, json={"translated_content": {"fr": {"title": "Salut"}}}).json()
    fr, de = after["translated_content"]["fr"], after["translated_content"]["de"]
    assert (fr["title"], fr["body"]) == ("Salut", content["fr"]["body"])  # merged, not replaced
    assert fr["updated_at"] > content["fr"]["updated_at"]
    assert de == content["de"]  # untouched: its updated_at too
    assert after["updated_at"] > made["updated_at"]

    gone = http(emu).put(url, json={"translated_content": {"de": None}}).json()
    assert gone["translated_content"]["de"] is None  # null_locale="delete", the default


@pytest.mark.parametrize(
    ("null_locale", "status", "kept"), [("ignore", 200, True), ("reject", 400, True)]
)
def test_null_locale_applies_to_articles_too(null_locale: Any, status: int, kept: bool) -> None:
    emu = make_emulator(behaviour=Behaviour(null_locale=null_locale))
    made = created(emu, translated_content={"fr": {"title": "Bonjour"}})
    response = http(emu).put(f"{ARTICLES}/{made['id']}", json={"translated_content": {"fr": None}})
    assert response.status_code == status
    article = emu.article(made["id"])
    assert article is not None and (article["translated_content"]["fr"] is not None) is kept


def test_translations_on_put_replace_drops_the_locales_not_sent() -> None:
    emu = make_emulator(behaviour=Behaviour(translations_on_put="replace"))
    made = created(emu, translated_content={"fr": {"title": "Bonjour"}, "de": {"title": "Hallo"}})
    body = {"translated_content": {"fr": {"title": "Salut"}}}
    after = http(emu).put(f"{ARTICLES}/{made['id']}", json=body).json()["translated_content"]
    assert (after["fr"]["title"], after["de"]) == ("Salut", None)


# ---- admins -------------------------------------------------------------------------------


def test_admins_and_me() -> None:
    emu = make_emulator()
    writer = emu.add_admin("Ada Lovelace", "ada@example.com")
    listed = http(emu).get("/admins").json()
    assert listed["type"] == "admin.list"
    assert [(a["email"], a["name"]) for a in listed["admins"]] == [
        ("admin@hcsync.test", "Emulator Admin"),
        ("ada@example.com", "Ada Lovelace"),
    ]
    assert all(isinstance(a["id"], str) for a in listed["admins"])
    own = http(emu).get("/me").json()
    assert (own["type"], own["id"], own["app"]["id_code"]) == ("admin", str(me(emu)), "hcsyncemu")
    made = created(emu, author_id=int(writer["id"]))
    assert made["author_id"] == int(writer["id"])
    with pytest.raises(ValueError, match="already exists"):
        emu.add_admin("Ada again", "ADA@example.com")
    assert http(emu).post("/admins").status_code == 405


# ---- rewriting ----------------------------------------------------------------------------


def test_the_default_rewriting_is_the_documented_one() -> None:
    emu = make_emulator()
    body = created(emu, body=CORPUS[1])["body"]
    assert body.startswith('<h1 id="h_')
    assert re.search(r'<h2 id="h_[0-9a-f]+">Linux</h2><h2 id="h_[0-9a-f]+">Debian</h2>', body)
    assert '<p class="no-margin">Use <b>bold</b>, <i>italic</i> and ' in body
    assert (
        '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" '
        'class="intercom-content-link">a link</a>'
    ) in body
    assert '<li><p class="no-margin">One</p></li>' in body
    assert (
        '<li><p class="no-margin">Two</p><ol><li><p class="no-margin">Nested</p></li></ol></li>'
        in body
    )
    assert "<pre><code>if a &lt; b:\n    print(a)</code></pre>" in body
    image = re.search(
        r'<div class="intercom-container"><img src="([^"]+)" alt="Screen"></div>', body
    )
    assert image is not None and image.group(1).startswith(CDN)
    assert "/screen-shot.png?expires=" in image.group(1)
    assert (
        '<div class="intercom-interblocks-table-container"><table role="presentation">'
        '<tr><th><p class="no-margin">Key</p></th>'
    ) in body
    assert "\n" not in body.replace("\n    print", "")  # newlines between blocks are gone


def test_buttons_callouts_and_videos_survive_as_their_own_blocks() -> None:
    emu = make_emulator()
    body = created(emu, body=CORPUS[2])["body"]
    assert body == (
        '<div class="intercom-container intercom-align-center">'
        '<a class="intercom-h2b-button" href="https://example.com/go">Go</a></div>'
        '<div class="intercom-interblocks-callout" style="background-color: #feedaf;">'
        '<p class="no-margin">Careful</p></div>'
        '<div class="intercom-h2b-video">'
        '<iframe src="https://www.youtube.com/embed/xyz" frameborder="0"></iframe></div>'
    )


@pytest.mark.parametrize(
    ("rule", "levels"),
    [("h2", ["h2", "h2", "h2"]), ("renumber", ["h1", "h2", "h3"]), ("keep", ["h2", "h4", "h6"])],
)
def test_heading_levels_follow_the_switch(rule: Any, levels: list[str]) -> None:
    emu = make_emulator(behaviour=Behaviour(heading_levels=rule))
    body = created(emu, body="<h2>Two</h2><h4>Four</h4><h6>Six</h6>")["body"]
    assert re.findall(r"<(h\d) id=\"h_[0-9a-f]+\">", body) == levels


def test_rewrite_html_off_stores_bodies_as_sent_but_still_refuses() -> None:
    emu = make_emulator(behaviour=Behaviour(rewrite_html=False))
    made = created(emu, body=CORPUS[1])
    assert made["body"] == CORPUS[1]
    assert create(emu, body="<ul></ul>").status_code == 400


@pytest.mark.parametrize("rule", ["h2", "renumber", "keep"])
@pytest.mark.parametrize("body", CORPUS, ids=[f"corpus{n}" for n in range(len(CORPUS))])
def test_rewriting_is_idempotent(body: str, rule: Any) -> None:
    once = store(body, Rules(heading_levels=rule))
    assert store(once, Rules(heading_levels=rule)) == once


def test_writing_back_what_was_read_changes_nothing() -> None:
    emu = make_emulator()
    made = created(
        emu, body=CORPUS[1], translated_content={"fr": {"title": "F", "body": CORPUS[3]}}
    )
    url = f"{ARTICLES}/{made['id']}"
    back = {
        "body": made["body"],
        "translated_content": {"fr": {"body": made["translated_content"]["fr"]["body"]}},
    }
    again = http(emu).put(url, json=back).json()
    assert unsigned(again["body"]) == unsigned(made["body"])
    assert again["translated_content"]["fr"]["body"] == made["translated_content"]["fr"]["body"]
    assert SIGNED.search(again["body"])  # the URL stored is the stable one, signed on read


def test_every_read_signs_image_urls_afresh() -> None:
    emu = make_emulator()
    made = created(emu, body='<img src="https://example.com/a.png">')
    client = http(emu)
    url = f"{ARTICLES}/{made['id']}"
    reads = [
        made["body"],
        client.get(url).json()["body"],
        client.get(url).json()["body"],
        client.get(ARTICLES).json()["data"][0]["body"],
        emu.articles()[0]["body"],
    ]
    assert len(set(reads)) == len(reads)  # never the same twice, even in the same second
    assert {unsigned(b) for b in reads} == {
        f'<div class="intercom-container"><img src="{CDN}hcsyncemu/'
        + re.findall(r"hcsyncemu/([0-9a-f]+)/", reads[0])[0]
        + '/a.png"></div>'
    }
    emu.behaviour = replace(emu.behaviour, signed_image_urls=False)
    stable = client.get(url).json()["body"]
    assert stable == client.get(url).json()["body"] == unsigned(reads[0])


def test_the_same_image_source_is_the_same_cdn_url_and_another_one_differs() -> None:
    emu = make_emulator()
    a = unsigned(created(emu, body='<img src="https://example.com/a.png" alt="x">')["body"])
    same = unsigned(created(emu, body='<img src="https://example.com/a.png" alt="x">')["body"])
    other = unsigned(created(emu, body='<img src="https://example.com/b/a.png" alt="x">')["body"])
    assert a == same != other


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<img src="images/a.png">', "must have an absolute http(s) URL"),
        ('<img src="/a.png">', "must have an absolute http(s) URL"),
        ('<img src="data:image/png;base64,AAAA">', "must have an absolute http(s) URL"),
        ('<img src="ftp://example.com/a.png">', "must have an absolute http(s) URL"),
        ("<img>", "must have an absolute http(s) URL"),
        ('<img src="https://down.example.com/a.png">', "could not be fetched"),
        ("<ul></ul>", "empty list"),
        ("<p>x</p><ol>\n</ol>", "empty list"),
        ("<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>", "nested tables"),
        ('<iframe src="https://evil.example.com/embed"></iframe>', "only videos from"),
    ],
    ids=[
        "relative",
        "root-relative",
        "data",
        "ftp",
        "no-src",
        "host-down",
        "empty-ul",
        "empty-ol",
        "nested-table",
        "iframe",
    ],
)
def test_bodies_intercom_refuses_are_400s(body: str, message: str) -> None:
    emu = make_emulator()
    emu.image_hosts_down.add("down.example.com")
    status, code, text = error(create(emu, body=body))
    assert (status, code) == (400, "parameter_invalid") and message in text
    translated = create(emu, translated_content={"fr": {"title": "F", "body": body}})
    assert translated.status_code == 400
    assert emu.articles() == []
    with pytest.raises(Refusal, match=re.escape(message)):
        emu.add_article("Seeded", parent_id=None, body=body)


def test_video_hosts_are_allowed_and_a_host_back_up_is_fetched_again() -> None:
    emu = make_emulator()
    for host in ("www.youtube.com", "player.vimeo.com", "fast.wistia.net", "www.loom.com"):
        assert (
            create(emu, body=f'<iframe src="https://{host}/embed/1"></iframe>').status_code == 200
        )
    emu.image_hosts_down.add("img.example.com")
    assert create(emu, body='<img src="https://img.example.com/a.png">').status_code == 400
    emu.image_hosts_down.clear()
    assert create(emu, body='<img src="https://img.example.com/a.png">').status_code == 200


# ---- multilingual -------------------------------------------------------------------------


def test_multilingual_off_answers_carry_no_translated_content() -> None:
    emu = make_emulator(multilingual=False)
    made = created(emu, translated_content={"fr": {"title": "Bonjour"}})
    assert "translated_content" not in made and "default_locale" not in made
    listed = http(emu).get(ARTICLES).json()["data"][0]
    assert "translated_content" not in listed
    emu.multilingual = True  # the translation was kept, only never shown
    article = emu.article(made["id"])
    assert article is not None and article["translated_content"]["fr"]["title"] == "Bonjour"


# ---- faults -------------------------------------------------------------------------------


def test_server_errors_on_article_calls_do_no_work() -> None:
    emu = make_emulator()
    made = created(emu)
    emu.faults.error_rate = 1.0
    client = http(emu)
    for method, url, body in [
        ("POST", ARTICLES, {"title": "New", "author_id": me(emu)}),
        ("PUT", f"{ARTICLES}/{made['id']}", {"title": "Changed"}),
        ("DELETE", f"{ARTICLES}/{made['id']}", None),
        ("GET", "/admins", None),
    ]:
        assert client.request(method, url, json=body).status_code in (500, 502, 503)
    emu.faults.error_rate = 0.0
    assert [a["title"] for a in emu.articles()] == ["T"]


def test_commit_then_502_creates_the_article_all_the_same() -> None:
    emu = make_emulator()
    emu.faults.commit_then_502 = 1.0
    response = create(emu, title="Maybe")
    assert error(response) == (502, "bad_gateway", "Bad Gateway")
    assert [a["title"] for a in emu.articles()] == ["Maybe"]
    updated = http(emu).put(f"{ARTICLES}/{emu.articles()[0]['id']}", json={"title": "Sure"})
    assert updated.status_code == 200  # only creates are ambiguous


def test_article_calls_count_against_the_rate_limit() -> None:
    emu = make_emulator()
    emu.faults.rate_limit = 2
    client = http(emu)
    assert client.get(ARTICLES).status_code == 200
    assert create(emu).status_code == 200
    limited = client.get("/me")
    assert error(limited)[:2] == (429, "rate_limit_exceeded")
    assert "x-ratelimit-reset" in limited.headers


# ---- the Python API and the flags ---------------------------------------------------------


def test_the_python_api_seeds_edits_and_deletes_without_requests() -> None:
    emu = make_emulator()
    home = emu.add_collection("Billing")
    seeded = emu.add_article("Refunds", parent_id=home["id"], body="<p>Text</p>", description="d")
    assert (seeded["state"], seeded["body"], seeded["description"]) == (
        "published",
        '<p class="no-margin">Text</p>',
        "d",
    )
    edited = emu.edit_article(seeded["id"], title="Refunds!", parent_id=home["id"])
    assert edited["title"] == "Refunds!" and "statistics" in edited
    emu.delete_article(seeded["id"])
    assert emu.article(seeded["id"]) is None
    with pytest.raises(Refusal):
        emu.delete_article(seeded["id"])
    assert emu.requests == []


@pytest.mark.parametrize("mode", ["refuse", "orphan", "cascade"])
def test_a_collection_delete_treats_articles_made_over_http_by_its_mode(mode: Any) -> None:
    emu = make_emulator(behaviour=Behaviour(collection_delete_with_articles=mode))
    home = emu.add_collection("Billing")
    made = created(emu, parent_id=int(home["id"]))
    status = http(emu).delete(f"/help_center/collections/{home['id']}").status_code
    assert status == (400 if mode == "refuse" else 200)
    left = http(emu).get(f"{ARTICLES}/{made['id']}")
    if mode == "cascade":
        assert left.status_code == 404
    else:
        assert left.json()["parent_id"] == (int(home["id"]) if mode == "refuse" else None)


def test_the_rewriting_switches_have_flags() -> None:
    parser = build_parser()
    args = parser.parse_args(
        ["--no-rewrite-html", "--heading-levels", "renumber", "--no-signed-image-urls"]
    )
    assert behaviour_from_args(args) == Behaviour(
        rewrite_html=False, heading_levels="renumber", signed_image_urls=False
    )
    with pytest.raises(ValueError, match="heading_levels"):
        Behaviour(heading_levels="h3")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube.com/embed/abc",
        "https://youtube.com/embed/abc",
        "https://www.youtube-nocookie.com/embed/abc",
        "https://player.vimeo.com/video/1",
        "https://fast.wistia.net/embed/iframe/x",
        "https://www.loom.com/embed/x",
        "https://play.vidyard.com/x",
        "https://streamio.com/api/v1/videos/x/public_show",
        "https://evil.example/embed",
        "https://youtube.com.evil.example/embed",
        "https://notyoutube.com/embed",
        "",
    ],
)
def test_the_emulator_refuses_exactly_the_iframes_validate_refuses(src: str) -> None:
    """Both read the hosts of Intercom's guide: a video ``validate`` passes is stored, and
    one it refuses is a 400, so a plan never meets a refusal ``validate`` could have given."""
    body = f'<p>Watch:</p><iframe src="{src}"></iframe>'
    _, refusals = validate(body)
    try:
        store(body, Rules())
    except Refusal as refusal:
        assert refusal.status == 400
        assert refusals, f"validate passed what the emulator refuses: {refusal}"
    else:
        assert not refusals, f"validate refused what the emulator stores: {refusals}"
