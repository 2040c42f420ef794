"""Reading a body's HTML into a tree: the fast reading of plain HTML agrees with html.parser.

``tree._parse`` reads the plain HTML that Markdown renders to and Intercom stores with one
regular expression, and falls back to ``html.parser`` for anything else. Both must build the
same tree wherever the fast reading applies, and the fast reading must apply to what hcsync
sends and what Intercom stores, or it buys nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_article_body import MD_BLOCKS, _html_fragments

from hcsync.emulator.refusals import Refusal
from hcsync.emulator.rewriting import MAX_DEPTH as EMULATOR_MAX_DEPTH
from hcsync.emulator.rewriting import Rules, signed, store
from hcsync.kinds.article import canonical, readable_lines, render_markdown, validate
from hcsync.kinds.article.checks import DEEPEST
from hcsync.kinds.article.inline import _atoms, _clean, _plain
from hcsync.kinds.article.markdown_out import convert
from hcsync.kinds.article.tree import CUT, MAX_DEPTH, _Element, _parse, _parse_html, _parse_plain

NAMES = ["p", "P", "div", "h2", "a", "img", "br", "table", "td", "li", "ul", "b", "span", "x1"]
ATTRS = [
    'class="no-margin"',
    "class='intercom-align-center'",
    "href=https://x.example/a?b&amp;c",
    'HREF="UPPER"',
    "hidden",
    'alt="&lt;tag&gt; &amp; &quot;q&quot; &eacute;"',
    'title="a > b < c"',
    'data-x = "spaced"',
    'id=""',
    'style="text-align: center"',
    "class='a' class='b'",
]
TEXTS = ["a", " ", "\n", "x &amp; y", "&lt;not a tag&gt;", "&#10;", "&nbsp;", "é", "&bogus;", "&"]


def _plain_fragments() -> st.SearchStrategy[str]:
    """HTML the fast reading must take: tags with well-formed attributes, text, end tags,
    in any nesting (closed or not, closed twice, closed out of order)."""
    start = st.builds(
        lambda tag, attrs, void, gap: f"<{tag}{''.join(' ' + a for a in attrs)}{gap}{void}>",
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(ATTRS), max_size=3),
        st.sampled_from(["", "/"]),
        st.sampled_from(["", " ", "\n", "\t"]),
    )
    end = st.builds(
        lambda tag, gap: f"</{tag}{gap}>", st.sampled_from(NAMES), st.sampled_from(["", " "])
    )
    return st.lists(st.one_of(start, end, st.sampled_from(TEXTS)), max_size=30).map("".join)


def _shape(element: _Element | str) -> object:
    if isinstance(element, str):
        return element
    return (element.tag, element.attrs, [_shape(child) for child in element.children])


@settings(max_examples=400, deadline=None)
@given(_plain_fragments())
def test_the_fast_reading_takes_plain_html_and_agrees_with_html_parser(body: str) -> None:
    fast = _parse_plain(body)
    assert fast is not None
    assert _shape(fast) == _shape(_parse_html(body))


@settings(max_examples=400, deadline=None)
@given(_html_fragments())
def test_wherever_the_fast_reading_applies_it_agrees_with_html_parser(body: str) -> None:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    fast = _parse_plain(body)
    if fast is not None:
        assert _shape(fast) == _shape(_parse_html(body))
    assert _shape(_parse(body)) == _shape(_parse_html(body))


@pytest.mark.parametrize(
    "body",
    [
        "a <!-- comment --> b",
        "<script>if (a < b) {}</script>",
        "<style>p > b {}</style>",
        "<script>a &amp;&amp; b</script>",  # raw text: html.parser does not decode it
        "<STYLE>p &gt; b {}</STYLE>",
        "1 < 2",
        "<!DOCTYPE html><p>x</p>",
        '<a href="x"title="y">z</a>',
        "<a href==x>z</a>",
        "<p>unclosed <b",
        "<my-tag>x</my-tag>",
        '<a\xa0href="x">y</a>',  # a no-break space ends no tag name
        "<br\x0b>a",
        "<p>x <b\u2003>y</b></p>",
        '<a href=x\xa0title="y">z</a>',
        "<p>a</p\xa0>",
        "<textarea><b>x</b></textarea>",  # raw text in newer Pythons' html.parser
        "<xmp><b>x</b></xmp>",
        "<title>a &amp; b</title>",
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
    ],
)
def test_anything_else_is_read_by_html_parser(body: str) -> None:
    assert _parse_plain(body) is None
    assert _shape(_parse(body)) == _shape(_parse_html(body))


def test_line_ends_are_read_as_newlines_either_way() -> None:
    assert _shape(_parse("<p>a\r\nb\rc</p>")) == _shape(_parse_html("<p>a\nb\nc</p>"))
    assert _shape(_parse("<!-- -->a\r\nb")) == _shape(_parse_html("a\nb"))


@pytest.mark.parametrize("markdown", MD_BLOCKS)
def test_what_hcsync_sends_and_what_intercom_stores_take_the_fast_reading(markdown: str) -> None:
    sent = render_markdown(markdown, images_base_url="https://docs.example.com/help/")
    assert _parse_plain(sent) is not None
    stored = signed(store(sent, Rules()), lambda path: f"{path}?expires=1&signature=ab")
    assert _parse_plain(stored) is not None


# -- inline content that is text alone: the quick reading agrees with the atoms' -----------

SPACES = [" ", "\t", "\n", "\r", "\f", "\xa0", "\u2003", "\u200b", "\v", ""]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["a", "X", "é", "x y", *SPACES]), max_size=6).map("".join))
)
def test_text_alone_reads_as_its_atoms_would(texts: list[str]) -> None:
    """``inline._plain`` skips the atoms for a block of text alone (most blocks): it must
    give what ``_clean`` of the atoms gives, for any spaces, Unicode ones included."""
    assert _plain(texts) == _clean(list(_atoms(texts, frozenset(), None)))


def test_an_element_among_the_nodes_takes_the_atoms() -> None:
    assert _plain(["a ", _Element("b", {}, ["x"])]) is None


# -- a hostile depth: read to a bound, never a crash ---------------------------------------


REFUSED_DEEP = (
    f"the HTML nests elements more than {DEEPEST} deep: hcsync refuses it (no article"
    " Intercom's editor makes comes near)",
)


def nested(depth: int, inner: str = "deep <b>x</b>") -> str:
    """``inner`` inside ``depth`` <div>s: its elements have ``depth`` ancestors."""
    return "<div>" * depth + inner + "</div>" * depth


@pytest.mark.parametrize(
    ("depth", "refused"), [(DEEPEST - 1, False), (DEEPEST, True), (MAX_DEPTH - 1, True)]
)
def test_validate_refuses_a_body_nested_past_its_bound_which_is_still_read_whole(
    depth: int, refused: bool
) -> None:
    """A body that passes, stored inside Intercom's few wrappers, must still be read whole:
    the reader goes twice as deep as validate lets a body go."""
    assert MAX_DEPTH >= 2 * DEEPEST
    assert canonical(nested(depth), headings="keep") == "<p>deep <b>x</b></p>"
    assert validate(nested(depth)).refusals == (REFUSED_DEEP if refused else ())


def test_a_body_nested_thousands_deep_is_cut_and_never_reads_as_one_read_whole() -> None:
    """Every reading of a tree recurses once a level: past ``MAX_DEPTH`` elements are left
    out and the place is marked, so a live body of any depth compares without a crash, never
    equal to a body read whole (the plan rewrites it), and export keeps it as HTML."""
    body = nested(5_000)
    cut = canonical(body, headings="keep")
    assert cut != canonical("<p>deep <b>x</b></p>", headings="keep")
    assert cut == f"<p>{CUT}deep x</p>"  # the text is kept, the <b> past the cut is not
    assert validate(body).refusals == REFUSED_DEEP
    assert CUT in "\n".join(readable_lines(body))
    exported = convert(body)
    assert exported.format == "html" and exported.body == body
    assert exported.reason == f"HTML nested more than {MAX_DEPTH} deep"
    fast, slow = _parse_plain(body), _parse_html(body)
    assert fast is not None and _shape(fast) == _shape(slow)


def test_what_is_read_before_the_cut_still_tells_bodies_apart() -> None:
    read = nested(MAX_DEPTH - 1, '<a href="https://one.example/">x</a>')
    other = nested(MAX_DEPTH - 1, '<a href="https://two.example/">x</a>')
    assert canonical(read, headings="keep") != canonical(other, headings="keep")


@pytest.mark.parametrize("depth", [DEEPEST - 1, DEEPEST, 5_000])
def test_the_emulator_refuses_the_depth_validate_refuses(depth: int) -> None:
    """Intercom's answer to such a body is undocumented: the emulator takes the strict case
    (400) at the same depth, so what validate passes is what it stores."""
    body = nested(depth)
    assert EMULATOR_MAX_DEPTH == DEEPEST
    refused = bool(validate(body).refusals)
    try:
        store(body, Rules())
    except Refusal as err:
        assert refused and f"nests elements more than {DEEPEST} deep" in str(err)
    else:
        assert not refused
