"""Article bodies: rendering, the canonical form, validation and the readable diff.

The corpus pairs what hcsync sends with a hand-written copy of what Intercom stores, built
from ``shared/intercom-api.md`` ("Articles (2.10)"): ``p.no-margin`` everywhere, ``b``/``i``,
``h_<hex>`` heading ids, links with ``target``/``intercom-content-link``, images re-hosted and
signed afresh on each read inside ``div.intercom-container``, tables in their container with
``role="presentation"`` and no header cells, empty paragraphs between blocks. Each pair must
canonicalise equal; each reader-visible edit in ``EDITS`` must not.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcsync.kinds.article import (
    HEADING_RULES,
    VIDEO_HOSTS,
    HeadingRule,
    canonical,
    from_html,
    image_identity,
    readable_diff,
    readable_lines,
    render,
    render_markdown,
    validate,
)

BASE = "https://docs.example.com/help/"
CDN = "https://downloads.intercomcdn.com/i/o/204050460/7a140f62f8e715d1d6cf246d"


def signed(name: str, seed: int) -> str:
    """A CDN URL as a read returns it: signed afresh each time."""
    return f"{CDN}/{name}?expires={1700000000 + seed}&amp;signature={seed:064x}"


def desired_md(text: str) -> str:
    return render_markdown(text, images_base_url=BASE)


def same(a: str, b: str, rule: HeadingRule = "h3-h6 to h2") -> bool:
    return canonical(a, headings=rule) == canonical(b, headings=rule)


# -- the corpus: what hcsync sends, what Intercom stores ---------------------------------------

HEADINGS_MD = "# Title\n\n## Section\n\n### Sub\n\n#### Subsub\n\nText.\n"

# (name, desired HTML, as Intercom stores it, the heading rule the server applied)
CORPUS: list[tuple[str, str, str, HeadingRule]] = [
    (
        "plain text is a paragraph",
        "Body of the Article",
        '<p class="no-margin">Body of the Article</p>',
        "h3-h6 to h2",
    ),
    (
        "headings h1-h4, h3-h6 to h2",
        desired_md(HEADINGS_MD),
        '<h1 id="h_0a1b2c3d4e">Title</h1><h2 id="h_1b2c3d4e5f">Section</h2>'
        '<h2 id="h_2c3d4e5f60">Sub</h2><h2 id="h_3d4e5f6071">Subsub</h2>'
        '<p class="no-margin">Text.</p>',
        "h3-h6 to h2",
    ),
    (
        "headings h2-h4, renumbered",
        desired_md("## Top\n\n### Middle\n\n#### Bottom\n"),
        '<h1 id="h_aa">Top</h1><h2 id="h_bb">Middle</h2><h2 id="h_cc">Bottom</h2>',
        "renumber",
    ),
    (
        "headings h1-h4, kept",
        desired_md(HEADINGS_MD),
        '<h1 id="h_e324f0a1dd">Title</h1><h2 id="h_b3ae805d42">Section</h2>'
        '<h3 id="h_03290146c3">Sub</h3><h4 id="h_9624ce3e6b">Subsub</h4>'
        '<p class="no-margin">Text.</p>',
        "keep",
    ),
    (
        "bold, italic, code and a link",
        desired_md("Some **bold**, *italic*, `code` and a [link](https://example.com/docs)."),
        '<p class="no-margin">Some <b>bold</b>, <i>italic</i>, <code>code</code> and a '
        '<a href="https://example.com/docs" target="_blank" rel="nofollow noopener noreferrer"'
        ' class="intercom-content-link">link</a>.</p>',
        "h3-h6 to h2",
    ),
    (
        "bold italic nested, spaces at the edges",
        desired_md("A ***loud*** word and **bold** text"),
        '<p class="no-margin">A <b><i>loud</i></b> word and <b>bold </b>text</p>',
        "h3-h6 to h2",
    ),
    (
        "nested lists, tight",
        desired_md("- one\n- two\n  - two a\n  - two b\n    1. deep\n- three\n"),
        '<ul><li><p class="no-margin">one</p></li><li><p class="no-margin">two</p>'
        '<ul><li><p class="no-margin">two a</p></li><li><p class="no-margin">two b</p>'
        '<ol><li><p class="no-margin">deep</p></li></ol></li></ul></li>'
        '<li><p class="no-margin">three</p></li></ul>',
        "h3-h6 to h2",
    ),
    (
        "ordered list, loose, starting at 3",
        desired_md("3. first\n\n4. second\n"),
        '<ol start="3">\n<li>\n<p class="no-margin">first</p>\n</li>\n'
        '<li>\n<p class="no-margin">second</p>\n</li>\n</ol>',
        "h3-h6 to h2",
    ),
    (
        "code block",
        desired_md('```python\ndef f(x):\n    return x < 1 and "a"\n```\n'),
        '<pre><code>def f(x):\n    return x &lt; 1 and "a"</code></pre>',
        "h3-h6 to h2",
    ),
    (
        "table",
        desired_md("| Plan | Price |\n| --- | --- |\n| Free | $0 |\n| Pro | **$10** |\n"),
        '<div class="intercom-interblocks-table-container"><table role="presentation"><tbody>'
        '<tr><td><p class="no-margin">Plan</p></td><td><p class="no-margin">Price</p></td></tr>'
        '<tr><td><p class="no-margin">Free</p></td><td><p class="no-margin">$0</p></td></tr>'
        '<tr><td><p class="no-margin">Pro</p></td><td><p class="no-margin"><b>$10</b></p></td>'
        "</tr></tbody></table></div>",
        "h3-h6 to h2",
    ),
    (
        "image, relative in the file, re-hosted and signed",
        desired_md("Before.\n\n![The settings page](images/settings.png)\n\nAfter.\n"),
        '<p class="no-margin">Before.</p>\n<div class="intercom-container">'
        f'<img src="{signed("settings.png", 1)}" alt="The settings page"></div>\n'
        '<p class="no-margin">After.</p>',
        "h3-h6 to h2",
    ),
    (
        "linked image",
        desired_md("[![Logo](https://cdn.example.com/a/logo.svg)](https://example.com)\n"),
        '<div class="intercom-container"><a href="https://example.com" target="_blank"'
        f' class="intercom-content-link"><img src="{signed("logo.svg", 2)}" alt="Logo"></a>'
        "</div>",
        "h3-h6 to h2",
    ),
    (
        "image inside text becomes a block",
        desired_md("Click ![the gear](https://cdn.example.com/gear.png) to open it.\n"),
        '<p class="no-margin">Click</p><div class="intercom-container">'
        f'<img src="{signed("gear.png", 3)}" alt="the gear"></div>'
        '<p class="no-margin">to open it.</p>',
        "h3-h6 to h2",
    ),
    (
        "callout",
        from_html(
            '<div class="intercom-interblocks-callout" style="background-color: #feedaf80;">'
            "<p><strong>Warning:</strong> back up first.</p></div>"
        ),
        '<div class="intercom-interblocks-callout" style="background-color: #FEEDAF80;'
        ' border-color: #fbc91633;"><p class="no-margin"><b>Warning:</b> back up first.</p>'
        "</div>",
        "h3-h6 to h2",
    ),
    (
        "button, centred",
        from_html(
            '<p class="intercom-align-center"><a class="intercom-h2b-button"'
            ' href="https://app.example.com/signup">Sign up</a></p>'
        ),
        '<div class="intercom-container intercom-align-center"><a class="intercom-h2b-button"'
        ' target="_blank" href="https://app.example.com/signup">Sign up</a></div>',
        "h3-h6 to h2",
    ),
    (
        "video",
        from_html('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'),
        '<div class="intercom-h2b-video"><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"'
        ' frameborder="0" allowfullscreen=""></iframe></div>',
        "h3-h6 to h2",
    ),
    (
        "alignment, left is the default",
        from_html('<p class="intercom-align-center">Centred</p><p>Left</p>'),
        '<p class="no-margin intercom-align-center">Centred</p>'
        '<p class="intercom-align-left no-margin">Left</p>',
        "h3-h6 to h2",
    ),
    (
        "empty paragraphs and whitespace between blocks",
        desired_md("First  paragraph\nwraps here.\n\nSecond.\n"),
        '<p class="no-margin">First paragraph wraps&nbsp;here.</p>\n<p class="no-margin"></p>\n'
        '<p class="no-margin"><br></p>\n\n<p class="no-margin">Second.</p><p> </p>',
        "h3-h6 to h2",
    ),
    (
        "line break and rule",
        desired_md("one  \ntwo\n\n---\n\nthree\n"),
        '<p class="no-margin">one<br>two</p><hr><p class="no-margin">three</p>',
        "h3-h6 to h2",
    ),
    (
        "entities",
        desired_md('Fish & chips < 5 > 3 "quoted"\n'),
        '<p class="no-margin">Fish &amp; chips &lt; 5 &gt; 3 &quot;quoted&quot;</p>',
        "h3-h6 to h2",
    ),
]

FULL_MD = """# Getting started

Welcome to **Example**. Read the *whole* guide, or jump to [pricing](https://example.com/pricing).

## Install

### On macOS

1. Download the app
2. Open it
   - allow access
   - sign in

#### Troubleshooting

```
$ example --version
example 1.2.3
```

| Step | Time |
| --- | --- |
| Install | 2 min |

![Install screen](images/install screen.png)
"""

FULL_STORED = f"""<h1 id="h_1111111111">Getting started</h1>
<p class="no-margin">Welcome to <b>Example</b>. Read the <i>whole</i> guide, or jump to \
<a href="https://example.com/pricing" target="_blank" class="intercom-content-link">pricing</a>.\
</p>
<p class="no-margin"></p>
<h2 id="h_2222222222">Install</h2>
<h2 id="h_3333333333">On macOS</h2>
<ol><li><p class="no-margin">Download the app</p></li><li><p class="no-margin">Open it</p>
<ul><li><p class="no-margin">allow access</p></li><li><p class="no-margin">sign in</p></li></ul>
</li></ol>
<h2 id="h_4444444444">Troubleshooting</h2>
<pre><code>$ example --version
example 1.2.3</code></pre>
<div class="intercom-interblocks-table-container"><table role="presentation"><tbody>
<tr><td><p class="no-margin">Step</p></td><td><p class="no-margin">Time</p></td></tr>
<tr><td><p class="no-margin">Install</p></td><td><p class="no-margin">2 min</p></td></tr>
</tbody></table></div>
<div class="intercom-container intercom-align-left"><img \
src="{signed("install%20screen.png", 9)}" alt="Install screen"></div>
"""


@pytest.mark.parametrize(("name", "desired", "stored", "rule"), CORPUS, ids=[c[0] for c in CORPUS])
def test_intercom_rewriting_is_never_a_change(
    name: str, desired: str, stored: str, rule: HeadingRule
) -> None:
    assert canonical(desired, headings=rule) == canonical(stored, headings=rule)
    assert canonical(desired, headings=rule) != ""
    assert readable_diff(stored, desired, headings=rule) == []


def test_the_whole_corpus_as_one_article() -> None:
    desired = desired_md(
        FULL_MD.replace("images/install screen.png", "<images/install screen.png>")
    )
    assert canonical(desired, headings="h3-h6 to h2") == canonical(
        FULL_STORED, headings="h3-h6 to h2"
    )
    # The next read signs the image again: still no change.
    reread = FULL_STORED.replace("expires=1700000009", "expires=1700009999")
    assert canonical(reread, headings="h3-h6 to h2") == canonical(
        FULL_STORED, headings="h3-h6 to h2"
    )


def test_the_canonical_form_is_pinned() -> None:
    stored = (
        '<h1 id="h_1">Title</h1><p class="no-margin">Hello <b>you</b></p>'
        '<ul><li><p class="no-margin">a</p><ul><li>b</li></ul></li></ul>'
        '<div class="intercom-container intercom-align-center">'
        f'<img src="{signed("a%20b.png", 4)}" alt="An  image"></div>'
        "<pre><code>x = 1\n\ny = 2\n</code></pre>"
        '<div class="intercom-interblocks-table-container"><table><tr><th>h</th></tr></table>'
        "</div>"
    )
    assert canonical(stored, headings="keep").split("\n") == [
        "<h1>Title</h1>",
        "<p>Hello <b>you</b></p>",
        "<ul>",
        "  <li>",
        "    <p>a</p>",
        "    <ul>",
        "      <li><p>b</p></li>",
        "    </ul>",
        "  </li>",
        "</ul>",
        '<p class="intercom-align-center"><img src="a-b.png" alt="An image"></p>',
        "<pre>x = 1&#10;&#10;y = 2</pre>",
        "<table>",
        "  <tr><td><p>h</p></td></tr>",
        "</table>",
    ]


# -- edits a reader sees -------------------------------------------------------------------

EDIT_BASE_MD = """# Title

Intro with **bold**, *italic* and a [link](https://example.com/a).

- one
- two
  - nested

1. first
2. second

```
code line
    indented
```

| A | B |
| --- | --- |
| 1 | 2 |

![Alt text](https://cdn.example.com/img/shot.png)

Last paragraph.
"""

EDIT_BASE_HTML = (
    '<div class="intercom-interblocks-callout" style="background-color: #e3e7fa80">'
    "<p>Note this.</p></div>"
    '<div class="intercom-container intercom-align-center"><a class="intercom-h2b-button"'
    ' href="https://example.com/go">Go</a></div>'
    '<div class="intercom-h2b-video"><iframe src="https://player.vimeo.com/video/1"></iframe>'
    "</div>"
    '<p class="intercom-align-right">Right.</p>'
)


def _md_edit(old: str, new: str) -> str:
    assert old in EDIT_BASE_MD, old
    return desired_md(EDIT_BASE_MD.replace(old, new, 1))


def _html_edit(old: str, new: str) -> str:
    assert old in EDIT_BASE_HTML, old
    return EDIT_BASE_HTML.replace(old, new, 1)


MD_EDITS: list[tuple[str, str, str]] = [
    ("a word", "Intro with", "Intro to"),
    ("case", "Last paragraph.", "last paragraph."),
    ("punctuation", "Last paragraph.", "Last paragraph!"),
    ("a space inside a word", "Last paragraph.", "Last para graph."),
    ("bold added", "Last paragraph.", "Last **paragraph**."),
    ("bold removed", "**bold**", "bold"),
    ("bold to italic", "**bold**", "*bold*"),
    ("inline code", "*italic*", "`italic`"),
    ("link target", "(https://example.com/a)", "(https://example.com/b)"),
    ("link text", "[link]", "[a link]"),
    ("link removed", "[link](https://example.com/a)", "link"),
    ("heading text", "# Title", "# Titles"),
    ("heading to paragraph", "# Title", "Title"),
    ("heading level 1 to 2", "# Title", "## Title"),
    ("list item added", "- two\n", "- two\n- two and a half\n"),
    ("list item removed", "- one\n", ""),
    ("nested item un-nested", "  - nested", "- nested"),
    ("unordered to ordered", "- one\n- two\n  - nested", "1. one\n2. two\n   - nested"),
    ("ordered list start", "1. first\n2. second", "2. first\n3. second"),
    ("list items swapped", "1. first\n2. second", "1. second\n2. first"),
    ("paragraph split", "Intro with **bold**, ", "Intro with **bold**,\n\n"),
    ("line break added", "Last paragraph.", "Last  \nparagraph."),
    ("code text", "code line", "code lines"),
    ("code indentation", "    indented", "      indented"),
    ("code blank line", "code line\n", "code line\n\n"),
    ("table cell", "| 1 | 2 |", "| 1 | 3 |"),
    ("table row added", "| 1 | 2 |", "| 1 | 2 |\n| 3 | 4 |"),
    ("table cells swapped", "| 1 | 2 |", "| 2 | 1 |"),
    ("image replaced", "img/shot.png", "img/shot-v2.png"),
    ("image alt", "![Alt text]", "![Other text]"),
    ("image removed", "![Alt text](https://cdn.example.com/img/shot.png)", ""),
    (
        "image linked",
        "![Alt text](https://cdn.example.com/img/shot.png)",
        "[![Alt text](https://cdn.example.com/img/shot.png)](https://example.com)",
    ),
    ("rule added", "Last paragraph.", "---\n\nLast paragraph."),
    ("blocks swapped", "Last paragraph.\n", "Last paragraph.\n\n# Title\n"),
    ("quote", "Last paragraph.", "> Last paragraph."),
]

HTML_EDITS: list[tuple[str, str, str]] = [
    ("callout colour", "#e3e7fa80", "#feedaf80"),
    ("callout text", "Note this.", "Note that."),
    (
        "callout removed",
        '<div class="intercom-interblocks-callout" style="background-color:'
        ' #e3e7fa80"><p>Note this.</p></div>',
        "<p>Note this.</p>",
    ),
    ("button target", "https://example.com/go", "https://example.com/went"),
    ("button text", ">Go<", ">Go now<"),
    ("button to plain link", ' class="intercom-h2b-button"', ""),
    ("button alignment", "intercom-container intercom-align-center", "intercom-container"),
    ("video source", "video/1", "video/2"),
    ("video removed", '<iframe src="https://player.vimeo.com/video/1"></iframe>', ""),
    ("alignment changed", "intercom-align-right", "intercom-align-center"),
    ("alignment removed", ' class="intercom-align-right"', ""),
    ("collapsible", "<p>Note this.</p>", "<details><summary>Note</summary><p>this.</p></details>"),
    ("underline", "Right.", "<u>Right.</u>"),
    ("strike", "Right.", "<s>Right.</s>"),
]


# The one heading in the base is the top level, so under "renumber" it is h1 whatever it is
# written as: the server erases that edit, and the plan must not show it.
ERASED_BY_THE_SERVER = {"heading level 1 to 2": ("renumber",)}


def _all_edits() -> list[tuple[str, str, str]]:
    base_md = desired_md(EDIT_BASE_MD)
    edits = [(name, base_md, _md_edit(old, new)) for name, old, new in MD_EDITS]
    edits += [(name, EDIT_BASE_HTML, _html_edit(old, new)) for name, old, new in HTML_EDITS]
    return edits


@pytest.mark.parametrize(("name", "base", "edited"), _all_edits(), ids=[e[0] for e in _all_edits()])
@pytest.mark.parametrize("rule", HEADING_RULES)
def test_an_edit_a_reader_sees_is_a_change(
    name: str, base: str, edited: str, rule: HeadingRule
) -> None:
    if rule in ERASED_BY_THE_SERVER.get(name, ()):
        assert canonical(base, headings=rule) == canonical(edited, headings=rule)
        return
    assert canonical(base, headings=rule) != canonical(edited, headings=rule)
    diff = readable_diff(base, edited, headings=rule)
    assert diff[:2] == ["--- live", "+++ desired"]
    assert any(line.startswith(("-", "+")) for line in diff[2:])


def test_edits_survive_intercoms_rewriting_of_the_live_side() -> None:
    """The live side of every HTML edit, as stored, still differs from the edited file."""
    stored = (
        '<div class="intercom-interblocks-callout" style="background-color: #E3E7FA80;'
        ' border-color: #334bfa33"><p class="no-margin">Note this.</p></div>'
        '<div class="intercom-container intercom-align-center"><a class="intercom-h2b-button"'
        ' target="_blank" href="https://example.com/go">Go</a></div>'
        '<div class="intercom-h2b-video"><iframe src="https://player.vimeo.com/video/1"'
        ' frameborder="0"></iframe></div><p class="no-margin intercom-align-right">Right.</p>'
    )
    assert same(stored, EDIT_BASE_HTML)
    for _name, old, new in HTML_EDITS:
        assert not same(stored, _html_edit(old, new)), _name


@pytest.mark.parametrize(
    ("rule", "is_change"), [("keep", True), ("h3-h6 to h2", False), ("renumber", False)]
)
def test_a_heading_edit_the_server_erases_is_not_a_change(
    rule: HeadingRule, is_change: bool
) -> None:
    before = desired_md("## Section\n\n### Sub\n")
    after = desired_md("## Section\n\n#### Sub\n")
    assert (canonical(before, headings=rule) != canonical(after, headings=rule)) is is_change


def test_renumber_keeps_the_hierarchy() -> None:
    body = "<h2>A</h2><h3>B</h3><h4>C</h4><h3>D</h3>"
    assert canonical(body, headings="renumber") == "\n".join(
        ["<h1>A</h1>", "<h2>B</h2>", "<h2>C</h2>", "<h2>D</h2>"]
    )
    # A body with one level only: it is the top.
    assert canonical("<h3>A</h3><h3>B</h3>", headings="renumber") == "<h1>A</h1>\n<h1>B</h1>"


def test_an_unknown_heading_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown heading rule"):
        canonical("<h1>x</h1>", headings="flatten")  # type: ignore[arg-type]


NOT_A_CHANGE: list[tuple[str, str, str]] = [
    ("strong is b", "<p><strong>x</strong></p>", "<p><b>x</b></p>"),
    ("em is i", "<p><em>x</em></p>", "<p><i>x</i></p>"),
    ("adjacent bold runs", "<p><b>a</b><b>b</b></p>", "<p><b>ab</b></p>"),
    ("bold inside bold", "<p><b>a<strong>b</strong></b></p>", "<p><b>ab</b></p>"),
    ("span unwrapped", '<p><span style="color:red">x</span></p>', "<p>x</p>"),
    ("th is td", "<table><tr><th>x</th></tr></table>", "<table><tr><td>x</td></tr></table>"),
    (
        "thead/tbody",
        "<table><thead><tr><td>x</td></tr></thead></table>",
        "<table><tbody><tr><td>x</td></tr></tbody></table>",
    ),
    (
        "same image, other host and folder",
        '<img src="https://a.example/x/shot.png">',
        f'<img src="{signed("shot.png", 7)}">',
    ),
    ("alt whitespace", '<img src="/a.png" alt=" An\nimage ">', '<img src="/a.png" alt="An image">'),
    (
        "video scheme",
        '<iframe src="//www.youtube.com/embed/x"></iframe>',
        '<iframe src="http://WWW.YOUTUBE.COM/embed/x" width="560"></iframe>',
    ),
    (
        "link whitespace",
        '<a href=" https://x.example/ ">x</a>',
        '<a href="https://x.example/">x</a>',
    ),
    ("space before a break", "<p>a <br> b</p>", "<p>a<br>b</p>"),
    ("break at the edges", "<p><br>a<br></p>", "<p>a</p>"),
    ("comments", "<p>a<!-- note --></p>", "<p>a</p>"),
    ("script", "<p>a</p><script>alert(1)</script>", "<p>a</p>"),
    ("code block trailing newline", "<pre><code>x\n</code></pre>", "<pre>x</pre>"),
    ("code block with br", "<pre>a<br>b</pre>", "<pre>a\nb</pre>"),
    (
        "alignment inherited",
        '<div class="intercom-align-center"><p>x</p></div>',
        '<p class="intercom-align-center">x</p>',
    ),
    (
        "text-align style",
        '<p style="text-align: center">x</p>',
        '<p class="intercom-align-center">x</p>',
    ),
    (
        "cell alignment to its paragraph",
        '<table><tr><td style="text-align:right">x</td></tr></table>',
        '<table><tr><td><p class="intercom-align-right">x</p></td></tr></table>',
    ),
    ("empty inline elements", "<p>a<b></b><i> </i>b</p>", "<p>a b</p>"),
    ("crlf", "<p>a\r\nb</p>", "<p>a b</p>"),
    ("unclosed tags", "<p>a<p>b", "<p>a</p><p>b</p>"),
    ("empty list item wrapper", "<ul><li><p></p>a</li></ul>", "<ul><li>a</li></ul>"),
]


@pytest.mark.parametrize(("name", "a", "b"), NOT_A_CHANGE, ids=[n[0] for n in NOT_A_CHANGE])
def test_rewriting_a_reader_does_not_see(name: str, a: str, b: str) -> None:
    for rule in HEADING_RULES:
        assert same(a, b, rule)


def test_nothing_a_reader_sees_is_empty() -> None:
    for body in [
        "",
        "  \n ",
        '<p class="no-margin"></p>',
        "<p><br></p>",
        "<div></div>",
        "<ul></ul>",
    ]:
        assert canonical(body, headings="keep") == ""


# -- image identity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "identity"),
    [
        (f"{CDN}/Image.jpg?expires=1&signature=ab", "Image.jpg"),
        ("https://docs.example.com/help/images/settings.png", "settings.png"),
        ("images/Settings%20page.png", "Settings-page.png"),
        ("images/Settings page.png#top", "Settings-page.png"),
        ("https://example.com/img/", "example.com-img-"),
        ("", ""),
    ],
)
def test_image_identity_is_the_file_name(src: str, identity: str) -> None:
    assert image_identity(src) == identity


def test_image_identity_of_data_urls_is_a_hash() -> None:
    one, two = (
        image_identity("data:image/png;base64,AAAA"),
        image_identity("data:image/png;base64,AAAB"),
    )
    assert one.startswith("data-") and two.startswith("data-") and one != two


# -- idempotence and stability ---------------------------------------------------------------

TAGS = [
    "p",
    "div",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "code",
    "a",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "details",
    "summary",
    "u",
    "s",
    "sub",
    "sup",
    "script",
    "section",
    "dl",
    "dt",
    "dd",
    "font",
    "x-custom",
]
VOIDS = ["br", "hr", "img", "iframe"]
ATTRS = [
    'class="no-margin"',
    'class="intercom-align-center"',
    'class="intercom-align-left"',
    'class="intercom-interblocks-callout"',
    'style="background-color: #FeEdAf80; x: y"',
    'class="intercom-h2b-button"',
    'class="intercom-container intercom-align-right"',
    'style="text-align:justify"',
    'href="https://x.example/a b?c=1&amp;d=2"',
    'href=" "',
    'src="https://cdn.example/i/o/1/a%2Fb%3F.png?expires=1&signature=2"',
    'src="data:x,y"',
    'src="//www.youtube.com/embed/x"',
    'src="images/"',
    'alt=" a\n b "',
    'id="h_123"',
    'start="3"',
    'start="x"',
    'colspan="2"',
    'rowspan="0"',
    'target="_blank"',
    "align=center",
]
TEXTS = [
    "a",
    "word ",
    " spaced ",
    "\n",
    "  ",
    "\xa0",
    "&amp;",
    "&lt;x&gt;",
    "&#10;",
    "\t",
    "é",
    "**",
    "<",
    "&",
    '"',
    "'",
    "\r\n",
    "x\ny",
    "&nbsp;",
    "]]>",
    "<!-- c -->",
    "</p>",
    "</b>",
    "<br/>",
]


def _html_fragments() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.sampled_from(TEXTS),
        st.text(alphabet="ab <>&;/\n\t\"'=#", max_size=8),
        st.builds(
            lambda tag, attrs: f"<{tag} {' '.join(attrs)}>",
            st.sampled_from(VOIDS),
            st.lists(st.sampled_from(ATTRS), max_size=2),
        ),
    )

    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda tag, attrs, inner, close: (
                f"<{tag} {' '.join(attrs)}>{''.join(inner)}" + (f"</{tag}>" if close else "")
            ),
            st.sampled_from(TAGS),
            st.lists(st.sampled_from(ATTRS), max_size=3),
            st.lists(children, max_size=4),
            st.booleans(),
        )

    return st.lists(st.recursive(leaf, element, max_leaves=25), max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(_html_fragments(), st.sampled_from(HEADING_RULES))
def test_canonical_is_idempotent_on_any_html(body: str, rule: HeadingRule) -> None:
    once = canonical(body, headings=rule)
    assert canonical(once, headings=rule) == once
    # The readable rendering of the canonical form is that of the body.
    assert readable_lines(once, headings=rule) == readable_lines(body, headings=rule)
    assert readable_diff(body, once, headings=rule) == []


MD_BLOCKS = [
    "# H1",
    "## H2",
    "### H3",
    "#### H4",
    "plain *it* **bo** `co`",
    "[l](https://x.example/y)",
    "- a\n- b\n  - c",
    "1. a\n2. b",
    "3. a\n\n4. b",
    "```\ncode\n  x\n```",
    "    indented code",
    "| a | b |\n| :-: | --: |\n| 1 | 2 |",
    "![alt](img/p.png)",
    "> quote",
    "---",
    "line  \nbreak",
    "a & b < c",
    "<div>raw</div>",
    "- \n- x",
    "***both***",
    "\\*escaped\\*",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(MD_BLOCKS), min_size=1, max_size=8),
    st.sampled_from(HEADING_RULES),
)
def test_canonical_is_idempotent_on_rendered_markdown(blocks: list[str], rule: HeadingRule) -> None:
    body = desired_md("\n\n".join(blocks))
    once = canonical(body, headings=rule)
    assert canonical(once, headings=rule) == once


def _as_intercom_stores(body: str, seed: int) -> str:
    """A mechanical imitation of the rewriting the corpus shows by hand: attributes Intercom
    adds, tag synonyms, wrappers, signed URLs, empty paragraphs. Used only on rendered
    Markdown, whose HTML is regular."""
    out = body.replace("<strong>", "<b>").replace("</strong>", "</b>")
    out = out.replace("<em>", "<i>").replace("</em>", "</i>")
    out = re.sub(r"<h([1-6])>", lambda m: f'<h{m.group(1)} id="h_{seed:x}{m.group(1)}">', out)
    out = out.replace("<p>", '<p class="no-margin">')
    out = out.replace("<a href=", '<a target="_blank" class="intercom-content-link" href=')
    out = re.sub(
        r'<p class="no-margin"><img src="[^"]*/([^"/]*)" alt="([^"]*)" /></p>',
        lambda m: (
            f'<div class="intercom-container"><img src="{signed(m.group(1), seed)}"'
            f' alt="{m.group(2)}"></div>'
        ),
        out,
    )
    out = out.replace(
        "<table>", '<div class="intercom-interblocks-table-container"><table role="presentation">'
    ).replace("</table>", "</table></div>")
    out = re.sub(r"<th([ >])", r"<td\1", out).replace("</th>", "</td>")
    out = re.sub(r'<code class="language-[^"]*">', "<code>", out)
    return out.replace("\n\n", '\n<p class="no-margin"></p>\n')


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(MD_BLOCKS), min_size=1, max_size=8), st.integers(0, 2**16))
def test_mechanical_rewriting_of_rendered_markdown_is_no_change(
    blocks: list[str], seed: int
) -> None:
    body = desired_md("\n\n".join(blocks))
    for rule in HEADING_RULES:
        stored = _as_intercom_stores(body, seed)
        if rule != "keep":
            # The server applies the rule to what it stores; the desired side is not told.
            stored = canonical(stored, headings=rule)
        assert canonical(body, headings=rule) == canonical(stored, headings=rule)


# -- validate -------------------------------------------------------------------------------


def test_a_clean_corpus_has_nothing_to_say() -> None:
    warnings, refusals = validate(
        desired_md(FULL_MD.replace("images/install screen.png", "<a.png>")), headings="keep"
    )
    assert (warnings, refusals) == ((), ())


def test_headings_the_server_changes_are_warned_about() -> None:
    body = desired_md(HEADINGS_MD)
    warnings, refusals = validate(body)
    assert refusals == ()
    assert [w.split(" becomes ")[0] for w in warnings] == ["<h3> 'Sub'", "<h4> 'Subsub'"]
    assert all("<h2>" in w for w in warnings)
    renumbered, _ = validate(desired_md("## A\n\n### B\n"), headings="renumber")
    assert [w.split(" in Intercom")[0] for w in renumbered] == [
        "<h2> 'A' becomes <h1>",
        "<h3> 'B' becomes <h2>",
    ]
    assert validate(body, headings="keep").warnings == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<img src="images/a.png">', "relative src: set images_base_url"),
        ('<img src="/a.png">', "relative src"),
        ("<img>", "has no src"),
        ('<img src="file:///tmp/a.png">', "not an http(s) URL"),
        ("<ul></ul>", "an empty <ul>"),
        ("<ol><li> </li><li><p></p></li></ol>", "an empty <ol>"),
        ("<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>", "nested tables"),
        ("<ul><li><table><tr><td>x</td></tr></table></li></ul>", "inside a list item"),
        ("<table></table>", "without a cell"),
        ('<iframe src="https://evil.example/embed/1"></iframe>', "not on a video host"),
        ('<iframe src="https://youtube.com.evil.example/x"></iframe>', "not on a video host"),
        ("<iframe></iframe>", "has no src"),
    ],
)
def test_what_intercom_refuses_is_refused(body: str, expected: str) -> None:
    refusals = validate(body).refusals
    assert len(refusals) == 1 and expected in refusals[0], refusals


def test_a_relative_image_is_refused_only_without_a_base() -> None:
    md = "![x](images/a.png)"
    assert validate(render_markdown(md)).refusals != ()
    assert validate(render_markdown(md, images_base_url=BASE)).refusals == ()


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube.com/embed/x",
        "https://www.youtube-nocookie.com/embed/x",
        "https://player.vimeo.com/video/1",
        "https://fast.wistia.net/embed/iframe/abc",
        "https://www.loom.com/embed/abc",
        "https://play.vidyard.com/abc",
        "//www.youtube.com/embed/x",
    ],
)
def test_video_hosts_are_accepted(src: str) -> None:
    assert validate(f'<iframe src="{src}"></iframe>') == ((), ())


def test_video_hosts_are_the_guides() -> None:
    names = " ".join(VIDEO_HOSTS)
    for host in ("youtube", "wistia", "vimeo", "loom", "vidyard", "streamio"):
        assert host in names


def test_other_warnings() -> None:
    warnings, refusals = validate(
        "<p>Click <img src='https://x.example/g.png'> here</p><blockquote>q</blockquote>"
        "<marquee>m</marquee><script>x</script>"
    )
    assert refusals == ()
    assert any("holds an image and text" in w for w in warnings)
    assert any(w.startswith("<blockquote> is not in Intercom's supported HTML") for w in warnings)
    assert any(w.startswith("<marquee>") for w in warnings)
    assert any(w.startswith("<script> is not shown") for w in warnings)


def test_validate_unpacks_as_a_pair() -> None:
    warnings, refusals = validate("<p>x</p>")
    assert warnings == () and refusals == ()


# -- rendering ------------------------------------------------------------------------------


def test_markdown_renders_commonmark_and_tables() -> None:
    out = render_markdown("# T\n\n| a |\n| - |\n| 1 |\n")
    assert "<h1>T</h1>" in out and "<table>" in out and "<td>1</td>" in out


def test_raw_html_in_markdown_is_text_not_markup() -> None:
    out = render_markdown('<div class="intercom-interblocks-callout">x</div>\n\nand <b>y</b>')
    assert "<div" not in out and "<b>" not in out
    assert "&lt;div" in out and "&lt;b&gt;" in out


@pytest.mark.parametrize(
    ("base", "src", "expected"),
    [
        (
            "https://docs.example.com/help/",
            "images/a.png",
            "https://docs.example.com/help/images/a.png",
        ),
        (
            "https://docs.example.com/help",
            "images/a.png",
            "https://docs.example.com/help/images/a.png",
        ),
        ("https://docs.example.com/help/", "../a.png", "https://docs.example.com/a.png"),
        (
            "https://docs.example.com/help/",
            "https://other.example/a.png",
            "https://other.example/a.png",
        ),
        ("https://docs.example.com/help/", "//cdn.example/a.png", "//cdn.example/a.png"),
        (None, "images/a.png", "images/a.png"),
    ],
)
def test_markdown_images_resolve_against_the_base(
    base: str | None, src: str, expected: str
) -> None:
    out = render_markdown(f"![x]({src})", images_base_url=base)
    assert f'src="{expected}"' in out


def test_links_are_not_resolved() -> None:
    assert 'href="guide.html"' in render_markdown("[g](guide.html)", images_base_url=BASE)


def test_html_passes_through_as_written() -> None:
    body = (
        '<div class="intercom-interblocks-callout" style="background-color: #feedaf80">\n'
        "<p>Hi &amp; bye</p></div><img src='https://x.example/a.png' data-src=\"b.png\">"
    )
    assert from_html(body) == body
    assert from_html(body, images_base_url=BASE) == body


def test_html_relative_images_resolve_and_nothing_else_changes() -> None:
    body = (
        '<p>One</p>\n<p>Two <img alt="a" data-src="keep.png" src=\'images/a b.png\'/>'
        '</p>\n<IMG SRC=c.png>\n<a href="rel.html">r</a>'
    )
    out = from_html(body, images_base_url=BASE)
    assert out == (
        '<p>One</p>\n<p>Two <img alt="a" data-src="keep.png"'
        f' src="{BASE}images/a b.png"/></p>\n<IMG SRC="{BASE}c.png">\n<a href="rel.html">r</a>'
    )
    assert validate(out).refusals == ()


def test_render_picks_by_format() -> None:
    assert render("<b>x</b>", body_format="html") == "<b>x</b>"
    assert "&lt;b&gt;" in render("<b>x</b>")
    assert BASE in render("![a](a.png)", images_base_url=BASE)


# -- the readable diff ----------------------------------------------------------------------


def test_readable_lines() -> None:
    body = (
        "<h2>Steps</h2><ol><li>Open <b>Settings</b></li><li>Click <a href='https://x.example'>"
        "here</a><ul><li>then wait</li></ul></li></ol><pre>a\nb</pre>"
        "<table><tr><th>k</th><th colspan=2>v</th></tr></table>"
        '<div class="intercom-interblocks-callout" style="background-color:#feedaf80">'
        "<p>Careful</p></div>"
        f'<div class="intercom-container intercom-align-center"><img src="{signed("p.png", 1)}"'
        ' alt="Pic"></div><a class="intercom-h2b-button" href="https://x.example/go">Go</a>'
        '<iframe src="https://www.youtube.com/embed/x"></iframe><p>a<br>b</p><hr>'
    )
    assert readable_lines(body) == [
        "## Steps",
        "1. Open **Settings**",
        "2. Click [here](https://x.example)",
        "   - then wait",
        "```",
        "a",
        "b",
        "```",
        "| k | {colspan=2} v |",
        "[callout #feedaf80]",
        "  Careful",
        "[/callout]",
        "[center] ![Pic](image: p.png)",
        "[button: Go](https://x.example/go)",
        "[video](https://www.youtube.com/embed/x)",
        "a ⏎ b",
        "---",
    ]


def test_readable_diff_shows_the_changed_lines() -> None:
    live = (
        '<h1 id="h_1">Title</h1><p class="no-margin">Old text</p>'
        f'<div class="intercom-container"><img src="{signed("a.png", 1)}"></div>'
    )
    desired = desired_md("# Title\n\nNew text\n\n![](https://x.example/b.png)\n")
    assert readable_diff(live, desired) == [
        "--- live",
        "+++ desired",
        "@@ -1,3 +1,3 @@",
        " # Title",
        "-Old text",
        "-![](image: a.png)",
        "+New text",
        "+![](image: b.png)",
    ]


def test_readable_diff_is_empty_without_a_change() -> None:
    assert readable_diff(CORPUS[4][2], CORPUS[4][1]) == []


def test_readable_diff_falls_back_to_the_canonical_form() -> None:
    """Literal asterisks and bold read the same as text: the diff still shows the change."""
    diff = readable_diff("<p>**x**</p>", "<p><b>x</b></p>")
    assert diff[2:] == ["@@ -1 +1 @@", "-<p>**x**</p>", "+<p><b>x</b></p>"]
