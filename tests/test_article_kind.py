"""The article kind against the emulator, through the engine alone.

These tests hand the engine desired articles as ``Desired`` entries beside a real
collections Config (the article files are tested on their own and through the CLI), and
assert on outcomes: live state after apply, and an empty next plan with Intercom's HTML
rewriting on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from support import TOKEN, FakeTime, client_for, writes

from hcsync.apply import apply_plan
from hcsync.client import IntercomClient
from hcsync.config import Config, DesiredCollection
from hcsync.diff import build_plan
from hcsync.emulator import Behaviour, Emulator
from hcsync.kinds.article import render_markdown
from hcsync.kinds.article.kind import ARTICLE_KIND, ARTICLES
from hcsync.kinds.collection import COLLECTION
from hcsync.live import fetch_live
from hcsync.model import Node, Text
from hcsync.plan import Plan
from hcsync.resource import Desired
from hcsync.staleness import stale


@dataclass(frozen=True)
class WithArticles(Config):
    """A collections config with articles beside it, as the article files will give."""

    articles: tuple[Desired, ...] = ()


@pytest.fixture
def intercom(emulator: Emulator, fake_time: FakeTime) -> IntercomClient:
    return client_for(emulator.handle, fake_time)


def collection(name: str, line: int, *children: DesiredCollection) -> DesiredCollection:
    return DesiredCollection(name, None, {}, None, (), children, f"collections[{line}]", line)


def article(
    path: tuple[str, ...],
    markdown: str,
    author: str,
    *,
    line: int = 1,
    pin: str | None = None,
    previously: tuple[str, ...] = (),
    french: str | None = None,
) -> Desired:
    own = (("author", author), ("body", render_markdown(markdown)), ("state", "published"))
    translations = ()
    if french is not None:
        fr_own = (("author", author), ("body", render_markdown(french)), ("state", "published"))
        translations = (("fr", Text(f"{path[-1]} (fr)", "", fr_own)),)
    return Desired(
        Node(path, translations=translations, extra=own),
        "articles",
        line,
        where=f"articles/{path[-1]}.md",
        pin=pin,
        previously=previously,
    )


def config(*articles: Desired) -> WithArticles:
    tree = (collection("Getting started", 1, collection("Install", 2)), collection("Billing", 3))
    return WithArticles("help.yaml", "acme", "en", collections=tree, articles=tuple(articles))


def plan(client: IntercomClient, cfg: WithArticles) -> Plan:
    live = fetch_live(client, "acme")
    raw = {COLLECTION.name: live.collections, "article": client.list_all(ARTICLES)}
    return build_plan(
        cfg,
        raw,
        help_center=live.help_center.identifier,
        help_center_id=live.help_center.id,
        resources=[COLLECTION, ARTICLE_KIND],
    )


def converge(client: IntercomClient, cfg: WithArticles) -> Plan:
    planned = plan(client, cfg)
    result = apply_plan(planned, client, default_locale="en")
    assert result.ok, result.failed
    again = plan(client, cfg)
    assert again.empty, [(c.kind, c.path, c.changes) for c in again.changes]
    return planned


CORPUS = {
    "Welcome": "# Welcome\n\nHello **there**, *friend*.\n\n## Next\n\nSee [the docs](https://example.com/docs).\n",
    "Lists": "- one\n- two\n  - nested\n  - again\n\n1. first\n2. second\n",
    "Code": "Run:\n\n```sh\npip install acme\n```\n\nand `acme --help`.\n",
    "Table": "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n",
    "Levels": "### Three\n\ntext\n\n#### Four\n\nmore\n",
    "Picture": "![the settings](https://cdn.example.com/img/settings.png)\n",
}


def test_a_corpus_applied_with_rewriting_on_plans_nothing_next(
    emulator: Emulator, intercom: IntercomClient
) -> None:
    """Bar 1 in small: Intercom rewrites every body it stores (classes, b/i, heading levels
    and ids, wrapped and re-signed images), and the next plan is still empty."""
    me = str(emulator.admins()[0]["id"])
    entries = [
        article(("Getting started", "Install", title), body, me, line=i, french=f"*{title}* fr")
        for i, (title, body) in enumerate(CORPUS.items(), 1)
    ]
    first = converge(intercom, config(*entries))
    assert [(c.resource, c.kind) for c in first.changes][-len(CORPUS) :] == [
        ("article", "create")
    ] * len(CORPUS)
    stored = {a["title"]: a for a in emulator.articles()}
    assert set(stored) == set(CORPUS)
    assert 'class="no-margin"' in stored["Welcome"]["body"]  # the server did rewrite it
    assert "<b>" in stored["Welcome"]["body"]
    assert "signature=" in stored["Picture"]["body"]


def test_a_rename_by_pin_and_a_move_are_one_update_with_the_same_id(
    emulator: Emulator, intercom: IntercomClient
) -> None:
    me = str(emulator.admins()[0]["id"])
    converge(intercom, config(article(("Billing", "Refunds"), "Money back.", me)))
    (made,) = emulator.articles()
    renamed = article(("Getting started", "Returns"), "Money back.", me, pin=made["id"])
    before = len(writes(emulator))
    changed = converge(intercom, config(renamed))
    (update,) = changed.changes
    assert (update.kind, update.id) == ("update", made["id"])
    assert [f.field for f in update.changes] == ["name", "parent"]
    assert len(writes(emulator)) == before + 1
    (now,) = emulator.articles()
    assert (now["id"], now["title"]) == (made["id"], "Returns")


def test_one_locale_edited_touches_only_that_locale(
    emulator: Emulator, intercom: IntercomClient
) -> None:
    me = str(emulator.admins()[0]["id"])
    converge(intercom, config(article(("Billing", "Pay"), "Pay by card.", me, french="Carte.")))
    edited = article(("Billing", "Pay"), "Pay by card.", me, french="Carte bancaire.")
    planned = plan(intercom, config(edited))
    (update,) = planned.changes
    assert [f.field for f in update.changes] == ["translations.fr"]
    body = ARTICLE_KIND.update_body(update, parent_id=None, context=None)  # type: ignore[arg-type]
    assert list(body) == ["translated_content"]
    assert list(body["translated_content"]) == ["type", "fr"]
    assert apply_plan(planned, intercom, default_locale="en").ok
    assert plan(intercom, config(edited)).empty


def test_an_article_left_out_is_deleted_before_the_collection_that_held_it(
    emulator: Emulator, intercom: IntercomClient
) -> None:
    me = str(emulator.admins()[0]["id"])
    converge(intercom, config(article(("Billing", "Pay"), "Pay by card.", me)))
    cfg = WithArticles(
        "help.yaml", "acme", "en", collections=(collection("Getting started", 1),), articles=()
    )
    planned = plan(intercom, cfg)
    assert [(c.resource, c.kind, c.path) for c in planned.changes if c.kind == "delete"] == [
        ("article", "delete", ("Billing", "Pay")),
        ("collection", "delete", ("Getting started", "Install")),
        ("collection", "delete", ("Billing",)),
    ]
    assert apply_plan(planned, intercom, default_locale="en").ok
    assert emulator.articles() == []
    assert plan(intercom, cfg).empty


def test_an_edit_a_reader_would_see_is_a_change(
    emulator: Emulator, intercom: IntercomClient
) -> None:
    me = str(emulator.admins()[0]["id"])
    converge(intercom, config(article(("Billing", "Pay"), "Pay **by card**.", me)))
    edited = plan(intercom, config(article(("Billing", "Pay"), "Pay *by card*.", me)))
    (update,) = edited.changes
    assert [f.field for f in update.changes] == ["body"]


def test_a_saved_plan_goes_stale_when_only_the_french_is_edited(
    emulator: Emulator, intercom: IntercomClient, fake_time: FakeTime
) -> None:
    """Bar 7: an article's version is the newest updated_at over its locales."""
    me = str(emulator.admins()[0]["id"])
    cfg = config(article(("Billing", "Pay"), "Pay by card.", me, french="Carte."))
    converge(intercom, cfg)
    saved = plan(intercom, cfg)
    (made,) = emulator.articles()
    fake_time.sleep(5)
    fr = {"type": "article_content", "title": "Payer (fr)"}
    emulator.edit_article(made["id"], translated_content={"fr": fr})
    live = fetch_live(intercom, "acme").collections
    changed = stale(saved, {"collection": live, "article": intercom.list_all(ARTICLES)})
    assert [(s.reason, s.identity) for s in changed] == [("edited", ("article", made["id"]))]


def test_an_articles_version_is_the_newest_updated_at_over_its_locales() -> None:
    """Whether or not Intercom moves the article's own updated_at on a translation's edit."""
    raw = {
        "id": "5",
        "title": "Pay",
        "updated_at": 100,
        "translated_content": {
            "type": "article_translated_content",
            "fr": {"type": "article_content", "title": "Payer", "updated_at": 250},
            "de": None,
        },
    }
    assert ARTICLE_KIND.read_live([raw], "en").nodes["5"].updated_at == 250


def test_a_file_that_says_nothing_of_articles_leaves_them_alone(
    emulator: Emulator, intercom: IntercomClient
) -> None:
    me = str(emulator.admins()[0]["id"])
    converge(intercom, config(article(("Billing", "Pay"), "Pay by card.", me)))
    live = fetch_live(intercom, "acme")
    plain = Config("help.yaml", "acme", "en", collections=config().collections)
    planned = build_plan(
        plain,
        {COLLECTION.name: live.collections},
        help_center="acme",
        help_center_id=live.help_center.id,
    )
    assert planned.empty and [c.resource for c in planned.changes] == []


HEADINGS = "# One\n\n## Two\n\n### Three\n\n#### Four\n\ntext\n"


@pytest.mark.parametrize("levels", ["h2", "renumber", "keep"])
def test_headings_converge_whatever_the_server_does_to_their_levels(
    fake_time: FakeTime, levels: str
) -> None:
    """Intercom's pages disagree on what it does to h3-h6 (the emulator's ``heading_levels``
    switch): under each, the next plan is empty, and a heading's text edited is a change."""
    emu = Emulator(
        token=TOKEN,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        behaviour=Behaviour(heading_levels=levels),  # type: ignore[arg-type]
    )
    emu.add_help_center("acme", "Acme Help Center")
    client = client_for(emu.handle, fake_time)
    me = str(emu.admins()[0]["id"])
    converge(client, config(article(("Billing", "Levels"), HEADINGS, me)))
    (stored,) = emu.articles()
    tags = re.findall(r"<(h[1-6])\b", stored["body"])
    assert tags == (["h1", "h2", "h2", "h2"] if levels == "h2" else ["h1", "h2", "h3", "h4"])
    edited = article(("Billing", "Levels"), HEADINGS.replace("Three", "3"), me)
    (update,) = plan(client, config(edited)).changes
    assert [f.field for f in update.changes] == ["body"]
    converge(client, config(edited))
