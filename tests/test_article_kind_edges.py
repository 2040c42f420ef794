"""Edges of the article kind that the broader tests leave open, each pinned by what a user sees.

Bodies: the canonical form (quotes in text, a space inside a link, a table row opened while a
header cell is open), ``validate``'s refusals and their messages, ``from_html``'s image
resolving, the readable text a plan shows, and ``export``'s choice between Markdown and HTML
with the reason it gives. The kind: how a plan shows a translation's change, what a create
sends for a translation without a body, and live translations' descriptions compared so the
next plan is empty. The article files: problems at ``file:line`` for an unknown
``default_author`` and an ``id`` no live article has.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli
from support import FakeTime, client_for, with_articles, writes

from hcsync.apply import apply_plan
from hcsync.article_files import Articles, load_articles
from hcsync.client import IntercomClient
from hcsync.config import Config, DesiredCollection
from hcsync.diff import build_plan
from hcsync.emulator import Emulator
from hcsync.errors import ConfigError
from hcsync.kinds.article import canonical, from_html, readable_lines, validate
from hcsync.kinds.article.kind import ARTICLE_KIND, ARTICLES
from hcsync.kinds.article.markdown_out import Converted, convert
from hcsync.kinds.collection import COLLECTION
from hcsync.live import fetch_live
from hcsync.model import Node, Text
from hcsync.plan import Plan
from hcsync.resource import Desired

# -- bodies: canonical form ------------------------------------------------------------------


def test_quotes_in_text_stay_quotes_in_the_canonical_form() -> None:
    assert canonical('<p>say "hi" it\'s</p>', headings="keep") == '<p>say "hi" it\'s</p>'


def test_a_space_inside_a_link_stays_inside_it() -> None:
    body = '<p><a href="https://x.com/">foo bar</a></p>'
    assert canonical(body, headings="keep") == body


def test_a_row_opened_while_a_header_cell_is_open_starts_a_new_row() -> None:
    sloppy = "<table><tr><th>a<tr><td>b</td></tr></table>"
    assert canonical(sloppy, headings="keep") == (
        "<table>\n  <tr><td><p>a</p></td></tr>\n  <tr><td><p>b</p></td></tr>\n</table>"
    )


# -- bodies: validate and from_html ----------------------------------------------------------


def test_a_list_item_holding_only_a_rule_is_not_empty() -> None:
    assert validate("<ul><li><hr></li></ul>") == ((), ())


def test_an_iframe_from_another_host_is_named_up_to_sixty_characters() -> None:
    src = "https://evil.example.com/embed/abcdefghijklmnopq"  # 48: more than 40, not 60
    assert validate(f'<iframe src="{src}"></iframe>').refusals == (
        f"iframe {src!r} is not on a video host Intercom embeds (youtube.com,"
        " youtube-nocookie.com, vimeo.com, wistia.com, wistia.net, loom.com, vidyard.com,"
        " streamio.com): Intercom refuses it (400)",
    )


def test_a_relative_image_after_an_absolute_one_is_still_resolved() -> None:
    written = '<img src="https://a.com/x.png"><img src="b.png">'
    assert from_html(written, images_base_url="https://d.com/") == (
        '<img src="https://a.com/x.png"><img src="https://d.com/b.png">'
    )


# -- bodies: the readable text a plan shows --------------------------------------------------


def test_inline_code_reads_in_backticks() -> None:
    assert readable_lines("<p>run <code>acme</code></p>") == ["run `acme`"]


def test_an_empty_list_item_reads_as_its_marker_alone() -> None:
    assert readable_lines("<ul><li></li><li>a</li></ul>") == ["-", "- a"]


def test_a_callout_without_a_colour_reads_as_a_bare_callout() -> None:
    body = '<div class="intercom-interblocks-callout"><p>x</p></div>'
    assert readable_lines(body) == ["[callout]", "  x", "[/callout]"]


# -- bodies: export's choice between Markdown and HTML ---------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<h1>a<br>b</h1>", "a line break in a heading"),
        ("<table><tr><td>a</td><p>x</p></tr></table>", "a <p> inside a table row"),
        (
            "<table><tr><td><p>a</p><p>b</p></td></tr></table>",
            "a table cell holding more than one line of text",
        ),
        ('<ol start="1000000000"><li>a</li></ol>', "a list numbered in a way Markdown cannot say"),
        ("<p><span><div>x</div></span></p>", "a <div> inside a line of text"),
    ],
)
def test_what_markdown_cannot_say_is_exported_as_html_with_its_reason(
    body: str, reason: str
) -> None:
    assert convert(body) == Converted("html", body, reason)


@pytest.mark.parametrize(
    ("body", "markdown"),
    [
        ('<p><a href="https://x.com/?a=1&amp;amp;b">t</a></p>', r"[t](https://x.com/?a=1\&amp;b)"),
        ('<p>Hi!<a href="https://x.com/">there</a></p>', r"Hi\![there](https://x.com/)"),
    ],
)
def test_what_markdown_can_say_is_exported_escaped(body: str, markdown: str) -> None:
    assert convert(body) == Converted("markdown", markdown)


# -- the kind: a translation in a plan -------------------------------------------------------


def own(author: str, body: str | None, state: str = "published") -> tuple[tuple[str, str], ...]:
    fields = (("author", author), ("body", body), ("state", state))
    return tuple((k, v) for k, v in fields if v is not None)


def test_a_translations_new_author_is_shown() -> None:
    before = Text("Install (fr)", "", own("1", "<p>a</p>"))
    after = Text("Install (fr)", "", own("2", "<p>a</p>"))
    assert ARTICLE_KIND.shown("translations.fr", before, after) == ["author: '2'"]


def test_a_translations_body_change_is_shown_as_a_diff() -> None:
    before = Text("Install (fr)", "", own("1", "<p>old</p>"))
    after = Text("Install (fr)", "", own("1", "<p>new</p>"))
    assert ARTICLE_KIND.shown("translations.fr", before, after) == [
        "body:",
        "  --- live",
        "  +++ desired",
        "  @@ -1 +1 @@",
        "  -old",
        "  +new",
    ]


def test_a_translation_without_a_body_is_shown_as_its_body_removed() -> None:
    before = Text("Install (fr)", "", own("1", "<p>old</p>"))
    after = Text("Install (fr)", "", own("1", None))
    assert ARTICLE_KIND.shown("translations.fr", before, after) == [
        "body:",
        "  --- live",
        "  +++ desired",
        "  @@ -1 +0,0 @@",
        "  -old",
    ]


# -- the kind against the emulator -----------------------------------------------------------


@dataclass(frozen=True)
class WithArticles(Config):
    """A collections config with its articles as entries, as a caller that builds them."""

    articles: tuple[Desired, ...] = ()


def test_a_translation_without_a_body_is_created_with_an_empty_one(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    client: IntercomClient = client_for(emulator.handle, fake_time)
    me = str(emulator.admins()[0]["id"])
    entry = Desired(
        Node(
            ("Billing", "Refunds"),
            translations=(("fr", Text("Remboursements", "", own(me, None))),),
            extra=own(me, "<p>How refunds work.</p>"),
        ),
        "articles",
        1,
        where="articles/refunds.md",
    )
    apply_in_billing(client, entry)
    (create,) = [w for w in writes(emulator) if w.method == "POST" and w.path == "/articles"]
    assert create.body["translated_content"]["fr"] == {
        "type": "article_content",
        "title": "Remboursements",
        "body": "",
        "author_id": int(me),
        "state": "published",
    }


# -- the article files through the CLI -------------------------------------------------------

CONFIG = """\
help_center: acme
default_author: {author}
articles: articles
collections:
  - name: Billing
"""

REFUNDS = """\
---
title: Refunds
collection: Billing
state: published
---
How refunds work.
"""

REFUNDS_FR = """\
---
title: Remboursements
description: Comment on rembourse
state: published
---
Comment ça marche.
"""


# Its chart is a relative image, published under its images_base_url.
REFUNDS_WITH_A_RELATIVE_IMAGE = (
    REFUNDS.replace(
        "state: published", "state: published\nimages_base_url: https://example.com/img/"
    )
    + "\n![chart](chart.png)\n"
)


def setup(tmp_path: Path, author: str, **files: str) -> str:
    return with_articles(tmp_path, CONFIG.format(author=author), **files)


def test_a_translations_description_is_compared_with_the_live_one(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    author = emulator.admins()[0]["email"]
    config = setup(tmp_path, author, refunds__md=REFUNDS, refunds__fr__md=REFUNDS_FR)
    applied = hcsync("apply", config)
    assert applied.code == 0, applied.out + applied.err
    (article,) = emulator.articles()
    assert article["translated_content"]["fr"]["description"] == "Comment on rembourse"
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_an_unknown_default_author_fails_at_its_line_in_the_config(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, "nobody@example.com", refunds__md=REFUNDS)
    result = hcsync("plan", config)
    assert result.code == 1, result.out + result.err
    assert (
        f"{config}:2:1: default_author: 'nobody@example.com' is not an admin of this workspace"
        " (no author with that email or id in Intercom's admins); use a teammate's email or id"
        in result.err
    )
    assert writes(emulator) == []


def test_an_id_no_live_article_has_fails_at_the_article_file(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    author = emulator.admins()[0]["email"]
    pinned = REFUNDS.replace("title: Refunds", 'title: Refunds\nid: "999999"')
    config = setup(tmp_path, author, refunds__md=pinned)
    result = hcsync("plan", config)
    assert result.code == 1, result.out + result.err
    where = tmp_path / "articles" / "refunds.md"
    assert f"{where}.id: id 999999 is pinned but no live article has it" in result.err
    assert writes(emulator) == []


# -- second round: bodies ----------------------------------------------------------------------


def test_a_lists_alignment_passes_to_its_items() -> None:
    assert canonical('<ul class="intercom-align-center"><li>a</li></ul>', headings="keep") == (
        '<ul>\n  <li><p class="intercom-align-center">a</p></li>\n</ul>'
    )


def test_a_script_inside_a_list_is_no_item() -> None:
    assert canonical("<ul><li>a</li><script>x</script></ul>", headings="keep") == (
        "<ul>\n  <li><p>a</p></li>\n</ul>"
    )


def test_a_cell_spanning_two_columns_says_so() -> None:
    body = "<table><tr><td colspan=2>a</td><td rowspan=2>b</td></tr></table>"
    assert canonical(body, headings="keep") == (
        '<table>\n  <tr><td colspan="2"><p>a</p></td><td rowspan="2"><p>b</p></td></tr>\n</table>'
    )


def test_a_space_between_two_different_links_belongs_to_neither() -> None:
    body = '<p><a href="https://x.com/">foo</a> <a href="https://y.com/">bar</a></p>'
    assert canonical(body, headings="keep") == body


def test_an_explicit_left_or_unknown_alignment_is_the_default() -> None:
    body = '<p style="text-align: left">a</p><p align="middle">b</p>'
    assert canonical(body, headings="keep") == "<p>a</p>\n<p>b</p>"


def test_a_list_item_left_open_is_closed_by_the_next_one() -> None:
    assert canonical("<ul><li>a<li>b</ul>", headings="keep") == (
        "<ul>\n  <li><p>a</p></li>\n  <li><p>b</p></li>\n</ul>"
    )


def test_a_long_heading_is_named_up_to_forty_characters() -> None:
    text = "a" * 41
    assert validate(f"<h3>{text}</h3>").warnings == (
        f"<h3> {'a' * 39 + '…'!r} becomes <h2> in Intercom (heading_levels: h2);"
        " use h1/h2 to say what readers will see",
    )


def test_a_resolved_image_source_keeps_its_quotes_escaped() -> None:
    written = "<img src=\"a&quot;b.png\"><img src='c&#39;d.png'>"
    assert from_html(written, images_base_url="https://d.com/") == (
        '<img src="https://d.com/a&quot;b.png"><img src="https://d.com/c&#x27;d.png">'
    )


@pytest.mark.parametrize(
    ("body", "markdown"),
    [
        ("<p># not a heading</p>", r"\# not a heading"),
        ("<p><b>a</b><b>b</b><i>c</i><em>d</em></p>", "**ab***cd*"),
        ('<pre><code class="language-a`b">x</code></pre>', "```\nx\n```"),
        ("<p><b>a<span><b>x</b></span></b></p>", "**ax**"),
    ],
)
def test_what_markdown_can_say_is_exported_as_written(body: str, markdown: str) -> None:
    assert convert(body) == Converted("markdown", markdown)


# -- second round: the kind --------------------------------------------------------------------


def test_a_removed_translation_is_shown_as_removed() -> None:
    before = Text("Install (fr)", "", own("1", "<p>a</p>"))
    assert ARTICLE_KIND.shown("translations.fr", before, None) == ["(translation removed)"]


def test_a_body_left_out_of_an_entry_is_sent_empty_on_update(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    client: IntercomClient = client_for(emulator.handle, fake_time)
    me = str(emulator.admins()[0]["id"])
    billing_live = emulator.add_collection("Billing")
    emulator.add_article("Refunds", parent_id=billing_live["id"], body="<p>Old.</p>")
    entry = Desired(
        Node(("Billing", "Refunds"), extra=(("author", me), ("state", "published"))),
        "articles",
        1,
        where="articles/refunds.md",
    )
    apply_in_billing(client, entry)
    (update,) = [w for w in writes(emulator) if w.method == "PUT"]
    assert update.body == {"body": ""}


REFUNDS_BY = """\
---
title: Refunds
description: {description}
author: {author}
collection: Billing
state: published
---
{body}
"""


def test_an_articles_edited_description_body_and_author_are_applied(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    first = emulator.admins()[0]
    second = emulator.add_admin("Second", "second@example.com")
    start = REFUNDS_BY.format(description="Old", author=first["email"], body="Old body.")
    config = setup(tmp_path, first["email"], refunds__md=start)
    assert hcsync("apply", config).code == 0
    edited = REFUNDS_BY.format(description="New", author=second["email"], body="New body.")
    setup(tmp_path, first["email"], refunds__md=edited)
    applied = hcsync("apply", config)
    assert applied.code == 0, applied.out + applied.err
    (article,) = emulator.articles()
    assert article["description"] == "New"
    assert article["author_id"] == int(second["id"])
    assert canonical(article["body"], headings="keep") == "<p>New body.</p>"
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_an_article_pinned_from_outside_our_collections_is_moved_in(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    author = emulator.admins()[0]["email"]
    loose = emulator.add_article("Refunds", parent_id=None)
    pinned = REFUNDS.replace("title: Refunds", f'title: Refunds\nid: "{loose["id"]}"')
    config = setup(tmp_path, author, refunds__md=pinned)
    applied = hcsync("apply", config)
    assert applied.code == 0, applied.out + applied.err
    (billing,) = emulator.collections()
    (article,) = emulator.articles()
    assert (article["id"], str(article["parent_id"])) == (loose["id"], str(billing["id"]))


def test_validate_resolves_relative_images_against_the_articles_base(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    author = emulator.admins()[0]["email"]
    config = setup(tmp_path, author, refunds__md=REFUNDS_WITH_A_RELATIVE_IMAGE)
    result = hcsync("validate", config)
    assert result.code == 0, result.out + result.err


def apply_in_billing(client: IntercomClient, entry: Desired) -> None:
    """Plan ``entry`` in a config of one collection, Billing, and apply it."""
    billing = DesiredCollection("Billing", None, {}, None, (), (), "collections[0]", 1)
    cfg = WithArticles("help.yaml", "acme", "en", collections=(billing,), articles=(entry,))
    live = fetch_live(client, "acme")
    planned = build_plan(
        cfg,
        {COLLECTION.name: live.collections, "article": client.list_all(ARTICLES)},
        help_center=live.help_center.identifier,
        help_center_id=live.help_center.id,
        resources=[COLLECTION, ARTICLE_KIND],
    )
    assert apply_plan(planned, client, default_locale="en").ok


# -- third round: bodies -----------------------------------------------------------------------


def test_a_no_break_space_in_a_code_block_is_a_space() -> None:
    assert canonical("<pre>a&nbsp;b</pre>", headings="keep") == "<pre>a b</pre>"


def test_an_ordered_list_with_an_unreadable_start_starts_at_one() -> None:
    assert canonical('<ol start="x"><li>a</li></ol>', headings="keep") == (
        "<ol>\n  <li><p>a</p></li>\n</ol>"
    )


def test_a_relative_image_of_only_a_query_stays_in_the_base_folder() -> None:
    assert from_html('<img src="?v=2">', images_base_url="https://d.com/img/") == (
        '<img src="https://d.com/img/?v=2">'
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            '<div class="intercom-interblocks-callout"><p>x</p></div>'
            '<p style="text-align: center">y</p>',
            "a callout, alignment",
        ),
        ('<ol start="x"><li>a</li></ol>', "a list numbered in a way Markdown cannot say"),
        ("<table><tr><td>a<br>b</td></tr></table>", "a line break in a table cell"),
    ],
)
def test_what_markdown_cannot_say_is_named_in_the_reason(body: str, reason: str) -> None:
    assert convert(body) == Converted("html", body, reason)


@pytest.mark.parametrize(
    ("body", "markdown"),
    [
        ("<p>- not an item</p>", r"\- not an item"),
        ("<p>+ not an item</p>", r"\+ not an item"),
        ('<p><img alt="x"></p>', "![x]()"),
    ],
)
def test_what_markdown_can_say_is_exported_as_it_reads(body: str, markdown: str) -> None:
    assert convert(body) == Converted("markdown", markdown)


# -- third round: the kind and the article files -----------------------------------------------


def test_a_live_translation_without_an_author_matches_one_given_none(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    client: IntercomClient = client_for(emulator.handle, fake_time)
    me = str(emulator.admins()[0]["id"])
    billing_live = emulator.add_collection("Billing")
    fr = {"title": "Remboursements", "body": "<p>x</p>", "state": "published"}
    emulator.add_article(
        "Refunds", parent_id=billing_live["id"], body="<p>a</p>", translated_content={"fr": fr}
    )
    # Intercom answering a translation with no author_id (the emulator always gives one).
    answered = client.list_all(ARTICLES)
    for item in answered:
        item["translated_content"]["fr"]["author_id"] = None
    entry = Desired(
        Node(
            ("Billing", "Refunds"),
            translations=(("fr", Text("Remboursements", "", own("", "<p>x</p>")[1:])),),
            extra=own(me, "<p>a</p>"),
        ),
        "articles",
        1,
        where="articles/refunds.md",
    )
    assert plan_in_billing(client, entry, answered).changes == ()


def test_an_unknown_collection_fails_at_its_line_in_the_article_file(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    author = emulator.admins()[0]["email"]
    config = setup(tmp_path, author, refunds__md=REFUNDS.replace("Billing", "Nowhere", 1))
    result = hcsync("plan", config)
    assert result.code == 1, result.out + result.err
    where = tmp_path / "articles" / "refunds.md"
    assert f"{where}:3:1: collection: Nowhere is not a collection of {config}" in result.err
    assert writes(emulator) == []


def test_a_relative_image_is_sent_resolved_against_the_articles_base(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    author = emulator.admins()[0]["email"]
    config = setup(tmp_path, author, refunds__md=REFUNDS_WITH_A_RELATIVE_IMAGE)
    applied = hcsync("apply", config)
    assert applied.code == 0, applied.out + applied.err
    (create,) = [w for w in writes(emulator) if w.method == "POST" and w.path == "/articles"]
    assert 'src="https://example.com/img/chart.png"' in create.body["body"]


@dataclass(frozen=True)
class Bare:
    """A config as a caller that builds one may: no ``authors`` (no admins known)."""

    source: str
    articles: Articles
    collections: tuple[DesiredCollection, ...]


def test_a_config_without_authors_knows_no_author(tmp_path: Path) -> None:
    by = REFUNDS.replace("state: published", "state: published\nauthor: ann@example.com")
    setup(tmp_path, "ann@example.com", refunds__md=by)
    billing = DesiredCollection("Billing", None, {}, None, (), (), "collections[0]", 1)
    bare = Bare(
        "help.yaml", load_articles(str(tmp_path / "articles"), default_locale="en"), (billing,)
    )
    with pytest.raises(ConfigError) as raised:
        ARTICLE_KIND.desired(bare)
    (problem,) = raised.value.problems
    assert (problem.path, problem.message) == (
        "author",
        "'ann@example.com' is not an admin of this workspace (no author with that email or id"
        " in Intercom's admins); use a teammate's email or id",
    )


def plan_in_billing(client: IntercomClient, entry: Desired, articles: list[dict[str, Any]]) -> Plan:
    """The plan for ``entry`` in a config of one collection, Billing, against ``articles``."""
    billing = DesiredCollection("Billing", None, {}, None, (), (), "collections[0]", 1)
    cfg = WithArticles("help.yaml", "acme", "en", collections=(billing,), articles=(entry,))
    live = fetch_live(client, "acme")
    return build_plan(
        cfg,
        {COLLECTION.name: live.collections, "article": articles},
        help_center=live.help_center.identifier,
        help_center_id=live.help_center.id,
        resources=[COLLECTION, ARTICLE_KIND],
    )
