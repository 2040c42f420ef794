"""An article's body read into the model and shown back, and what the article kind sends.

The canonical form of inline content (whitespace, style, links, images and videos in a
paragraph), the readable text a plan shows, and the exact request bodies of a create and an
update: each pinned as the outcome a reader or Intercom would get, never as the model itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from hcsync.kinds.article import canonical, readable_diff, readable_lines
from hcsync.kinds.article.kind import ARTICLE_KIND, ArticleKind
from hcsync.model import Node, Text
from hcsync.plan import Change, FieldChange
from hcsync.resource import Context

CONTEXT = Context("hc-1", "en")


# -- the kind: what a plan shows -------------------------------------------------------------


def test_a_translation_that_had_no_body_shows_its_new_body_as_a_diff() -> None:
    before = Text("Pay (fr)", "", (("author", "1"), ("state", "draft")))
    after = Text("Pay (fr)", "", (("author", "1"), ("body", "<p>x</p>"), ("state", "draft")))
    assert ARTICLE_KIND.shown("translations.fr", before, after) == [
        "body:",
        "  --- live",
        "  +++ desired",
        "  @@ -0,0 +1 @@",
        "  +x",
    ]


def test_a_translation_losing_its_state_and_author_shows_them_empty() -> None:
    before = Text("Pay (fr)", "", (("author", "1"), ("state", "published")))
    after = Text("Pay (fr)", "", ())
    assert ARTICLE_KIND.shown("translations.fr", before, after) == ["state: ''", "author: ''"]


def test_a_new_translation_shows_everything_it_sets() -> None:
    after = Text("Pay (fr)", "Payer", (("author", "1"), ("body", "<h3>A</h3>"), ("state", "draft")))
    assert ARTICLE_KIND.shown("translations.fr", None, after) == [
        "title: 'Pay (fr)'",
        "description: 'Payer'",
        "state: 'draft'",
        "author: '1'",
        "body:",
        "  + ## A",
    ]


def test_the_default_kind_applies_the_guides_heading_rule() -> None:
    # Both sides through "h3-h6 to h2": an h3 the server stores as h2 is no change.
    kind = ArticleKind()
    h3 = Node(path=("Pay",), extra=(("author", "1"), ("body", "<h3>A</h3>"), ("state", "")))
    h2 = Node(path=("Pay",), extra=(("author", "1"), ("body", "<h2>A</h2>"), ("state", "")))
    assert kind.compared(h3) == kind.compared(h2)
    assert kind.shown("body", None, "<h4>A</h4>") == ["+ ## A"]
    assert ArticleKind("keep").compared(h3) != ArticleKind("keep").compared(h2)


# -- the kind: request bodies ----------------------------------------------------------------


def change(kind: Any, **fields: Any) -> Change:
    return Change(kind, ("Billing", "Pay"), resource="article", **fields)


def test_a_create_sends_an_empty_body_and_a_draft_when_the_file_gives_none() -> None:
    made = change("create", extra=(("author", "7"),))
    assert ARTICLE_KIND.create_body(made, parent_id=None, context=CONTEXT) == {
        "title": "Pay",
        "author_id": 7,
        "body": "",
        "state": "draft",
    }


def test_a_create_sends_what_the_file_has_with_an_integer_parent() -> None:
    fr = Text("Payer", "", (("body", "<p>fr</p>"),))
    de = Text("Zahlen", "Karte", (("author", "8"), ("body", "<p>de</p>"), ("state", "published")))
    made = change(
        "create",
        description="By card",
        extra=(("author", "7"), ("body", "<p>x</p>"), ("state", "published")),
        translations=(("fr", fr), ("de", de)),
    )
    assert ARTICLE_KIND.create_body(made, parent_id="12", context=CONTEXT) == {
        "title": "Pay",
        "author_id": 7,
        "description": "By card",
        "body": "<p>x</p>",
        "state": "published",
        "parent_id": 12,
        "parent_type": "collection",
        "translated_content": {
            "type": "article_translated_content",
            "fr": {
                "type": "article_content",
                "title": "Payer",
                "body": "<p>fr</p>",
                "state": "draft",
            },
            "de": {
                "type": "article_content",
                "title": "Zahlen",
                "description": "Karte",
                "body": "<p>de</p>",
                "author_id": 8,
                "state": "published",
            },
        },
    }


def test_an_update_sends_only_what_changes_with_a_string_parent() -> None:
    fr = Text("Payer", "", (("author", "8"), ("state", "draft")))
    updated = change(
        "update",
        id="5",
        description="",
        extra=(("author", "9"), ("state", "published")),
        translations=(("fr", fr),),
        changes=(
            FieldChange("name", "Old", "Pay"),
            FieldChange("description", "Old", ""),
            FieldChange("body", "<p>a</p>", None),
            FieldChange("state", "draft", "published"),
            FieldChange("author", "1", "9"),
            FieldChange("parent", "Old", "Billing"),
            FieldChange("translations.fr", None, fr),
            FieldChange("translations.de", Text("Zahlen", "", ()), None),
        ),
    )
    assert ARTICLE_KIND.update_body(updated, parent_id="12", context=CONTEXT) == {
        "title": "Pay",
        "description": "",
        "body": "",
        "state": "published",
        "author_id": 9,
        "translated_content": {
            "type": "article_translated_content",
            "fr": {
                "type": "article_content",
                "title": "Payer",
                "body": "",
                "author_id": 8,
                "state": "draft",
            },
            "de": None,
        },
        "parent_id": "12",
    }


def test_an_update_changing_nothing_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        ARTICLE_KIND.update_body(change("update", id="5"), parent_id=None, context=CONTEXT)
    assert str(caught.value) == "an update of ('Billing', 'Pay') that changes nothing"


# -- inline content in canonical form --------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<ul><li>a</li><li><p>b</p></li></ul>",
            "<ul>\n  <li><p>a</p></li>\n  <li><p>b</p></li>\n</ul>",
        ),
        ("<ol><li>a</li>b</ol>", "<ol>\n  <li><p>a</p></li>\n  <li><p>b</p></li>\n</ol>"),
        ("<p><br> a <br><br> b <br></p>", "<p>a<br><br>b</p>"),
        ("<p>a\xa0\xa0b\u2003c</p>", "<p>a b\u2003c</p>"),
    ],
)
def test_canonical_forms(body: str, expected: str) -> None:
    assert canonical(body, headings="keep") == expected


CALLOUT = '<div class="intercom-interblocks-callout"'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p><a href="https://e.com">a<br>b</a></p>', '<p><a href="https://e.com">a<br>b</a></p>'),
        (
            '<p><a href="https://e.com"><b>x</b> <span>y</span></a></p>',
            '<p><a href="https://e.com"><b>x</b> y</a></p>',
        ),
        ("<p>a<script>x</script>b</p>", "<p>ab</p>"),
        ("<script>x</script><p>a</p>", "<p>a</p>"),
        ("<pre>a<script>x</script>b</pre>", "<pre>ab</pre>"),
        ("<table></table><table><tr></tr></table><h2> </h2><h2><br></h2>", ""),
        ("<pre>\n\na\xa0b\n\n</pre><pre>\n</pre>", "<pre>a b</pre>"),
        ("<pre>a\r\nb\rc</pre>", "<pre>a&#10;b&#10;c</pre>"),
        ("<blockquote>a</blockquote>", "<blockquote>\n  <p>a</p>\n</blockquote>"),
        ("<p>a<div>b</div>", "<p>a</p>\n<p>b</p>"),
        (
            '<table><tr><td colspan="x" rowspan="">a</td><td colspan="3">b</td></tr></table>',
            '<table>\n  <tr><td><p>a</p></td><td colspan="3"><p>b</p></td></tr>\n</table>',
        ),
        (
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody>"
            "<tfoot><tr><td>c</td></tr></tfoot></table>",
            "<table>\n  <tr><td><p>a</p></td></tr>\n  <tr><td><p>b</p></td></tr>\n"
            "  <tr><td><p>c</p></td></tr>\n</table>",
        ),
        (
            "<table><tr><td>a<td>b<tr><th>c<th>d</table>",
            "<table>\n  <tr><td><p>a</p></td><td><p>b</p></td></tr>\n"
            "  <tr><td><p>c</p></td><td><p>d</p></td></tr>\n</table>",
        ),
        (
            '<table class="intercom-align-right"><tr class="intercom-align-center"><td>a</td>'
            '<td style="text-align: left">b</td></tr><tr><td>c</td></tr></table>',
            '<table>\n  <tr><td><p class="intercom-align-center">a</p></td><td><p>b</p></td></tr>'
            '\n  <tr><td><p class="intercom-align-right">c</p></td></tr>\n</table>',
        ),
        (
            "<ul>x<p>y</p><li>a</li></ul>",
            "<ul>\n  <li><p>x</p></li>\n  <li><p>y</p></li>\n  <li><p>a</p></li>\n</ul>",
        ),
        (
            '<ul class="intercom-align-center"><li>a</li>'
            '<li class="intercom-align-right">b</li></ul>',
            '<ul>\n  <li><p class="intercom-align-center">a</p></li>\n'
            '  <li><p class="intercom-align-right">b</p></li>\n</ul>',
        ),
        (
            '<ol start=" 3 "><li>a</li></ol><ol start="x"><li>b</li></ol>',
            '<ol start="3">\n  <li><p>a</p></li>\n</ol>\n<ol>\n  <li><p>b</p></li>\n</ol>',
        ),
        (
            f'{CALLOUT} style="Background-Color : RGB(1, 2, 3)"><p>a</p></div>',
            f'{CALLOUT} style="background-color: rgb(1,2,3)">\n  <p>a</p>\n</div>',
        ),
        (
            '<p style="color: red; Text-Align : Center">a</p><p style="text-align">b</p>'
            '<p align="RIGHT">c</p>',
            '<p class="intercom-align-center">a</p>\n<p>b</p>\n'
            '<p class="intercom-align-right">c</p>',
        ),
        (
            '<img src="data:image/png;base64,AAAA"><img src="https://e.com/a/">',
            '<p><img src="data-bde6da8e9d3902a8"></p>\n<p><img src="e.com-a-"></p>',
        ),
        (
            f"<ul><li><h3>a</h3></li></ul><table><tr><td><h4>b</h4></td></tr></table>"
            f"{CALLOUT}><h5>c</h5></div><blockquote><h6>d</h6></blockquote>",
            "<ul>\n  <li><h2>a</h2></li>\n</ul>\n<table>\n  <tr><td><h2>b</h2></td></tr>\n"
            f"</table>\n{CALLOUT}>\n  <h2>c</h2>\n</div>\n<blockquote>\n  <h2>d</h2>\n"
            "</blockquote>",
        ),
    ],
)
def test_canonical_forms_under_the_guides_rule(body: str, expected: str) -> None:
    assert canonical(body, headings="h3-h6 to h2") == expected


def test_readable_text_of_a_list_and_a_diff() -> None:
    assert readable_lines("<ol start='3'><li>a</li><li><p>b</p><p>c</p></li></ol>") == [
        "3. a",
        "4. b",
        "   c",
    ]
    assert readable_diff("<p>a</p>", "<p>a</p>") == []
    assert readable_lines(
        "<p><s>a</s> <code>b</code> <u>c</u> <sub>d</sub></p><p class='intercom-align-center'>x"
        "</p><pre>l1\nl2</pre><table><tr><td colspan='2' rowspan='3'>a</td><td><p>b</p><p>c</p>"
        f"</td></tr></table>{CALLOUT}><p>in</p></div>"
    ) == [
        "~~a~~ `b` <u>c</u> <sub>d</sub>",
        "[center] x",
        "```",
        "l1",
        "l2",
        "```",
        "| {colspan=2} {rowspan=3} a | b / c |",
        "[callout]",
        "  in",
        "[/callout]",
    ]


def test_bold_and_italic_read_as_markdown_marks() -> None:
    assert readable_lines("<p><b>a</b> and <i>b</i>, <b><i>c</i></b></p>") == [
        "**a** and *b*, ***c***"
    ]


@pytest.mark.parametrize(
    ("count", "tail"), [(40, "+ p40"), (41, "... 1 more line"), (42, "... 2 more lines")]
)
def test_a_long_new_body_is_cut_after_forty_lines(count: int, tail: str) -> None:
    body = "".join(f"<p>p{n}</p>" for n in range(1, count + 1))
    shown = ARTICLE_KIND.shown("body", None, body)
    assert shown is not None
    assert (len(shown), shown[39], shown[-1]) == (min(count, 41), "+ p40", tail)


@pytest.mark.parametrize(
    ("styled", "plain"),
    [
        ("<p>a<b><br></b>b</p>", "<p>a<br>b</p>"),
        ("<p><b>a<br>b</b></p>", "<p><b>a</b><br><b>b</b></p>"),
        (
            '<p><i><img src="https://x.example/a.png" alt="A"></i></p>',
            '<img src="https://x.example/a.png" alt="A">',
        ),
        (
            '<p><u><iframe src="https://www.youtube.com/embed/x"></iframe></u></p>',
            '<iframe src="https://www.youtube.com/embed/x"></iframe>',
        ),
    ],
)
def test_a_break_an_image_or_a_video_carries_no_style(styled: str, plain: str) -> None:
    """None shows a style, so Intercom moving one out of a <b> is never a change."""
    assert canonical(styled, headings="keep") == canonical(plain, headings="keep")


def test_text_around_an_unstyled_break_keeps_its_style() -> None:
    assert canonical("<p><b>a<br>b</b> c</p>", headings="keep") == "<p><b>a</b><br><b>b</b> c</p>"


@pytest.mark.parametrize(
    "src",
    [
        "//www.youtube.com/embed/x",
        "http://www.youtube.com/embed/x",
        " HTTPS://WWW.YouTube.com/embed/x",
    ],
)
def test_a_video_is_the_same_whatever_scheme_or_host_case_it_is_written_with(src: str) -> None:
    same = '<iframe src="https://www.youtube.com/embed/x"></iframe>'
    assert canonical(f'<iframe src="{src}"></iframe>', headings="keep") == canonical(
        same, headings="keep"
    )
    other = '<iframe src="https://www.youtube.com/embed/y"></iframe>'
    assert canonical(f'<iframe src="{src}"></iframe>', headings="keep") != canonical(
        other, headings="keep"
    )


def test_a_code_block_reads_one_line_per_line_of_code() -> None:
    assert readable_lines("<pre>pip install acme\n  acme --help</pre>") == [
        "```",
        "pip install acme",
        "  acme --help",
        "```",
    ]


def test_a_heading_keeps_its_styled_text() -> None:
    assert canonical("<h2>Set <b>it</b> up</h2>", headings="keep") == "<h2>Set <b>it</b> up</h2>"


def test_a_linked_image_inside_text_is_a_block_of_its_own() -> None:
    """Intercom stores a link holding only an image as its own block, wherever it was."""
    inline = (
        '<p>Click <a href="https://e.example/"><img src="https://c.example/g.png" alt="g"></a>'
        " now</p>"
    )
    blocks = (
        '<p>Click</p><div class="intercom-container"><a href="https://e.example/">'
        '<img src="https://c.example/g.png" alt="g"></a></div><p>now</p>'
    )
    assert canonical(inline, headings="keep") == canonical(blocks, headings="keep")
    assert canonical(inline, headings="keep") != canonical(
        '<p>Click <a href="https://e.example/">here</a> now</p>', headings="keep"
    )


def test_a_config_that_says_nothing_of_articles_sets_and_owns_nothing() -> None:
    """A library caller's config need not carry the article keys at all."""
    assert ARTICLE_KIND.settings(object()) == ()
    assert ARTICLE_KIND.ownership(object()) == ((), ())
    assert ARTICLE_KIND.for_config(object()) is ARTICLE_KIND
