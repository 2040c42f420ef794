"""``export``'s Markdown writer on its own: the exact Markdown written for the HTML Intercom
stores (lowercase tags, as its API returns them), the exact reason when a body stays HTML, and
URLs losing their signing query.

``test_export_articles`` shows that what is written round-trips; here each construct's exact
output is pinned, so a change to the writer shows as the text a person would find in the file.
"""

from __future__ import annotations

import pytest

from hcsync.kinds.article.markdown_out import (
    Converted,
    Unsupported,
    convert,
    is_signed,
    to_markdown,
    unsigned,
    unsigned_html,
)

CDN = "https://downloads.intercomcdn.com/i/o/1/ab/x.png"


def refused(body: str) -> str:
    """Why ``body`` cannot be Markdown, as ``to_markdown`` and ``convert`` both say it."""
    with pytest.raises(Unsupported) as caught:
        to_markdown(body)
    assert str(caught.value) == caught.value.reason
    assert convert(body) == Converted("html", body, caught.value.reason)
    return caught.value.reason


def markdown(body: str) -> str:
    """``body`` as Markdown, checked to be what ``convert`` keeps."""
    written = to_markdown(body)
    assert convert(body) == Converted("markdown", written)
    return written


# -- inline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>XX</p>", "XX"),
        ("<p><b>XX</b> <i>X</i></p>", "**XX** *X*"),
        ("<p><strong>a</strong> <em>b</em></p>", "**a** *b*"),
        ("<p><b> x </b>y</p>", "**x** y"),
        ("<p>a<b> </b>b</p>", "a b"),
        ("<p>a<b></b>b</p>", "ab"),
        ("<p><b>a</b><strong>b</strong></p>", "**ab**"),
        ("<p><b>a<strong>b</strong></b></p>", "**ab**"),
        ("<p><i>a<em>b</em></i></p>", "*ab*"),
        ("<p><b><i>x</i></b></p>", "***x***"),
        ("<p>a \n\t b\xa0c&nbsp; d</p>", "a b c d"),
        ("<p><span>a</span><font>b</font></p>", "ab"),
        ("<p>a<script>x</script>b</p>", "ab"),
        ("<p><a name='n'>t</a></p>", "t"),
        ("<p><i>a</i><em>b</em></p>", "*ab*"),
        ("<p><b>a<span><strong>b</strong></span></b></p>", "**ab**"),
    ],
)
def test_text_and_emphasis(body: str, expected: str) -> None:
    assert markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>\\ ` * [ ] &lt; &gt; |</p>", "\\\\ \\` \\* \\[ \\] \\< \\> \\|"),
        ("<p>snake_case _x_ a_</p>", "snake_case \\_x\\_ a\\_"),
        ("<p>SNAKE_CASE A_ _B 9_9</p>", "SNAKE_CASE A\\_ \\_B 9_9"),
        ("<p>&amp;AMP; &amp;#X1; &amp;x</p>", "\\&AMP; \\&#X1; &x"),
        ("<p>&amp;amp; &amp;#1; a&amp;b</p>", "\\&amp; \\&#1; a&b"),
        ("<p># x</p>", "\\# x"),
        ("<p>#x a # b c#</p>", "\\#x a \\# b c\\#"),
        ("<p>wow!</p>", "wow\\!"),
        ('<p>wow!<a href="https://e.com">x</a></p>', "wow\\![x](https://e.com)"),
        ("<p>1. x</p>", "1\\. x"),
        ("<p>1) x</p>", "1\\) x"),
        ("<p>123456789. x</p>", "123456789\\. x"),
        ("<p>1234567890. x</p>", "1234567890. x"),
        ("<p>- x</p>", "\\- x"),
        ("<p>+ x</p>", "\\+ x"),
        ("<p>= x</p>", "\\= x"),
        ("<p>~ x</p>", "\\~ x"),
        ("<p>a - b + c = d ~ e 1. f</p>", "a - b + c = d ~ e 1. f"),
    ],
)
def test_text_is_escaped_where_markdown_would_read_it_otherwise(body: str, expected: str) -> None:
    assert markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>a<br>- b<br>2. c</p>", "a\\\n\\- b\\\n2\\. c"),
        ("<p><br>a<br><br>b<br></p>", "a\\\n\\\nb"),
        ("<p>a <br> b</p>", "a\\\nb"),
        ("<p><b>a<br></b>b</p>", "**a\\\n**b"),
    ],
)
def test_line_breaks(body: str, expected: str) -> None:
    assert to_markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p><code>x</code> <kbd>k</kbd> <tt>t</tt></p>", "`x` `k` `t`"),
        ("<p>a <code>b \n  c</code></p>", "a `b c`"),
        ("<p>a<code> </code>b</p>", "a b"),
        ("<p><code>a`b</code></p>", "``a`b``"),
        ("<p><code>a``b`</code></p>", "``` a``b` ```"),
        ("<p><code>`a</code></p>", "`` `a ``"),
        ("<p><code> a</code></p>", "`  a `"),
        ("<p><code>a </code>b</p>", "` a  `b"),
        ("<p><code>a|b</code></p>", "`a|b`"),
        ("<p><code>XaX</code></p>", "`XaX`"),
    ],
)
def test_code_spans(body: str, expected: str) -> None:
    assert to_markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p><a href="https://e.com/a(b)">t</a></p>', "[t](https://e.com/a\\(b\\))"),
        ('<p><a href=" https://e.com/x ">t</a></p>', "[t](https://e.com/x)"),
        ('<p><a href="https://e.com/?a=1&amp;copy;">t</a></p>', "[t](https://e.com/?a=1\\&copy;)"),
        ('<p><a href="https://e.com/?a=1&amp;b=2">t</a></p>', "[t](https://e.com/?a=1&b=2)"),
        ('<p><a href="https://e.com/?a&amp;COPY;">t</a></p>', "[t](https://e.com/?a\\&COPY;)"),
        ('<p><a href="https://e.com/X">X</a></p>', "[X](https://e.com/X)"),
        (
            '<p><b><a href="https://e.com"><strong>x</strong></a></b></p>',
            "**[x](https://e.com)**",
        ),
        ('<p><img alt="a"></p>', "![a]()"),
        ('<p>a<a href="https://e.com"> t </a>b</p>', "a [t](https://e.com) b"),
        ('<p><a href="https://e.com"><b>t</b></a></p>', "[**t**](https://e.com)"),
        (f'<p><a href="{CDN}?expires=1&amp;signature=2">t</a></p>', f"[t]({CDN})"),
        ('<p><img src="https://e.com/a.png"></p>', "![](https://e.com/a.png)"),
        (
            '<p><img src="https://e.com/a.png" alt=" a \n *b* "></p>',
            "![a \\*b\\*](https://e.com/a.png)",
        ),
        (f'<p><img src="{CDN}?Expires=1&amp;Signature=2" alt="x"></p>', f"![x]({CDN})"),
    ],
)
def test_links_and_images(body: str, expected: str) -> None:
    assert markdown(body) == expected


def test_spaces_other_than_the_ascii_space_stay_where_they_are() -> None:
    # Only runs of ASCII whitespace and no-break spaces are one space; an em space is text,
    # kept inside the emphasis, link or line it was in (the comparison then decides).
    assert to_markdown("<p>\u2003x\u2003</p>") == "\u2003x\u2003"
    assert to_markdown("<p>a<b>\u2003x</b></p>") == "a**\u2003x**"
    assert markdown('<p><a href="https://e.com">\u2003x</a></p>') == "[\u2003x](https://e.com)"


def test_a_bold_line_break_is_a_line_break() -> None:
    assert to_markdown("<p>a<b><br></b>b</p>") == "a\\\nb"
    assert to_markdown("<p>a<b> <br> </b>b</p>") == "a\\\nb"


def test_addresses_markdown_reads_differently_are_left_to_the_comparison() -> None:
    # Written as Markdown can say them; markdown-it encodes the space and the backslash, so
    # the comparison keeps the HTML.
    spaced = '<p><a href="https://e.com/a b">t</a></p>'
    assert to_markdown(spaced) == "[t](<https://e.com/a b>)"
    assert convert(spaced) == Converted("html", spaced, "Markdown would not render it the same")
    assert to_markdown('<p><a href="https://e.com/a\\b">t</a></p>') == "[t](https://e.com/a\\\\b)"


@pytest.mark.parametrize(
    "body",
    [
        '<p><a href="https://e.com/&lt;x">t</a></p>',
        '<p><a href="https://e.com/x&gt;">t</a></p>',
        '<p><a href="https://e.com/&#9;x">t</a></p>',
        '<p><img src="https://e.com/a&#10;b.png"></p>',
    ],
)
def test_an_address_markdown_cannot_write_keeps_the_html(body: str) -> None:
    assert refused(body) == "a link or image address Markdown cannot write"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<p><u>x</u></p>", "underline"),
        ("<p><s>x</s></p>", "strikethrough"),
        ("<p><strike>x</strike></p>", "strikethrough"),
        ("<p><del>x</del></p>", "strikethrough"),
        ("<p><sub>x</sub></p>", "subscript"),
        ("<p><sup>x</sup></p>", "superscript"),
        ("<b><p>x</p></b>", "a <p> inside a line of text"),
        ("<b><blockquote>x</blockquote></b>", "a <blockquote> inside a line of text"),
        ("<span><details>x</details></span>", "a <details> inside a line of text"),
    ],
)
def test_inline_content_markdown_cannot_say(body: str, reason: str) -> None:
    assert refused(body) == reason


# -- what Intercom's editor makes ------------------------------------------------------------

CALLOUT = '<div class="intercom-interblocks-callout"><p>x</p></div>'
BUTTON = '<a class="intercom-h2b-button" href="https://e.com">b</a>'
VIDEO = (
    '<div class="intercom-h2b-video"><iframe src="https://www.youtube.com/embed/x"></iframe></div>'
)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (f'{VIDEO}<p class="intercom-align-center">c</p>{BUTTON}{CALLOUT}', None),
        (f'<p align="right">c</p>{VIDEO}', "a video, alignment"),
        (f"<p>{BUTTON}</p>{VIDEO}", "a button, a video"),
        (f"{CALLOUT}{VIDEO}", "a callout, a video"),
        ('<p><iframe src="https://www.youtube.com/embed/x"></iframe></p>', "a video"),
        ("<iframe></iframe>", "a video"),
        ('<div class="x intercom-interblocks-callout"><p>x</p></div>', "a callout"),
        ('<p><a class="intercom-h2b-button x" href="https://e.com">b</a></p>', "a button"),
        ('<p><span style="text-align: justify">x</span></p>', "alignment"),
        ('<ul><li class="intercom-align-right">x</li></ul>', "alignment"),
        ('<table><tr style="text-align:center"><td>x</td></tr></table>', "alignment"),
        ('<table><tr><td align="center">x</td></tr></table>', "alignment"),
    ],
)
def test_editor_blocks_keep_the_html_naming_each_in_one_order(
    body: str, reason: str | None
) -> None:
    assert refused(body) == (reason or "a callout, a button, a video, alignment")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p class="intercom-interblocks-callout">x</p>', "x"),
        ('<p><span class="intercom-h2b-button">x</span></p>', "x"),
        ('<p class="intercom-align-left">c</p>', "c"),
        ('<p style="text-align: left">c</p>', "c"),
        ('<div class="intercom-container"><p>c</p></div>', "c"),
        ('<section class="intercom-interblocks-callout">c</section>', "c"),
    ],
)
def test_the_editor_classes_elsewhere_or_left_alignment_are_plain_markdown(
    body: str, expected: str
) -> None:
    assert markdown(body) == expected


# -- blocks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>",
            "# A\n\n## B\n\n### C\n\n#### D\n\n##### E\n\n###### F",
        ),
        ("<h2></h2><p>x</p>", "##\n\nx"),
        ("<h3># x</h3>", "### \\# x"),
        ("<h2> <b>a</b> </h2>", "## **a**"),
        ("<hr>", "***"),
        ("<p>a</p><hr><p>b</p>", "a\n\n***\n\nb"),
        ("<blockquote><p>a</p><p>b</p></blockquote>", "> a\n>\n> b"),
        ("<blockquote></blockquote>", ">"),
        ("<blockquote><ul><li>a</li></ul></blockquote>", "> - a"),
        ("<div><section>a</section><article>b</article></div>", "a\n\nb"),
        ("a<p>b</p>c", "a\n\nb\n\nc"),
        ("<p>a<script>x</script></p><style>s</style><p>b</p>", "a\n\nb"),
        ("<p></p><p> <br> </p><p>x</p>", "x"),
        ("", ""),
    ],
)
def test_blocks(body: str, expected: str) -> None:
    assert to_markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<pre><code class="language-python">x = 1</code></pre>', "```python\nx = 1\n```"),
        ('<pre><code class="x language-js language-ts">y</code></pre>', "```js\ny\n```"),
        ("<pre><code>plain</code></pre>", "```\nplain\n```"),
        ('<pre><code class="hljs">plain</code></pre>', "```\nplain\n```"),
        ("<pre>raw</pre>", "```\nraw\n```"),
        ('<pre><code class="language-a`b">z</code></pre>', "```\nz\n```"),
        ('<pre><code class="LANGUAGE-py">z</code></pre>', "```\nz\n```"),
        ("<pre><code></code></pre>", "```\n```"),
        ('<pre><code class="language-sh"></code></pre>', "```sh\n```"),
        ("<pre>\n \n  a\n b&nbsp;c\n\n </pre>", "```\n  a\n b c\n```"),
        ("<pre>a<br>b</pre>", "```\na\nb\n```"),
        ("<pre>a `` b</pre>", "```\na `` b\n```"),
        ("<pre>a ``` b</pre>", "````\na ``` b\n````"),
        ("<pre>a ```` b</pre>", "`````\na ```` b\n`````"),
    ],
)
def test_code_blocks(body: str, expected: str) -> None:
    assert to_markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<h2>a<br>b</h2>", "a line break in a heading"),
        ("<details><summary>s</summary>x</details>", "<details>"),
        ("<dl><dt>a</dt><dd>b</dd></dl>", "<dl>"),
        ("<figcaption>c</figcaption>", "<figcaption>"),
    ],
)
def test_blocks_markdown_cannot_say(body: str, reason: str) -> None:
    assert refused(body) == reason


# -- lists ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        ('<ol start="3"><li>a</li><li>b</li></ol>', "3. a\n4. b"),
        ('<ol start=" 3 "><li>a</li></ol>', "3. a"),
        ('<ol start=" "><li>a</li></ol>', "1. a"),
        ('<ol start=""><li>a</li></ol>', "1. a"),
        ('<ol start="0"><li>a</li></ol>', "0. a"),
        ('<ol start="999999999"><li>a</li></ol>', "999999999. a"),
        ('<ul start="x"><li>a</li></ul>', "- a"),
        ("<ul> <li>a</li>\n</ul>", "- a"),
        ("<ul><script>x</script><li>a</li></ul>", "- a"),
        ("<ul></ul><p>x</p>", "x"),
        ("<ul><li></li><li>b</li></ul>", "-\n- b"),
        ("<ul><li>a</li></ul><ul><li>b</li></ul><ul><li>c</li></ul>", "- a\n\n* b\n\n- c"),
        ("<ol><li>a</li></ol><ol><li>b</li></ol><ol><li>c</li></ol>", "1. a\n\n1) b\n\n1. c"),
        ("<ul><li>a</li></ul><ol><li>b</li></ol>", "- a\n\n1. b"),
        ("<ol><li>a</li></ol><ul><li>b</li></ul>", "1. a\n\n- b"),
        ('<ol start="2"><li>a</li></ol><ol start="5"><li>b</li></ol>', "2. a\n\n5) b"),
        ("<ul><li>a</li></ul><p>x</p><ul><li>b</li></ul>", "- a\n\nx\n\n- b"),
        ("<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"),
        ("<ul><li>a<ol><li>b</li></ol></li></ul>", "- a\n  1. b"),
        ('<ul><li>a<ol start="2"><li>b</li></ol></li></ul>', "- a\n\n  2. b"),
        ("<ol><li><p>a</p><p>b</p></li></ol>", "1. a\n\n   b"),
        ("<ul><li><h2>t</h2><ul><li>b</li></ul></li></ul>", "- ## t\n\n  - b"),
        ('<ol start="9"><li>a</li><li><p>b</p><p>c</p></li></ol>', "9. a\n10. b\n\n    c"),
        ("<ul><li>a<ul><li>b</li></ul><ul><li>c</li></ul></li></ul>", "- a\n  - b\n\n  * c"),
        ("<ul><li>a<ol><li>b</li></ol><ol><li>c</li></ol></li></ul>", "- a\n  1. b\n\n  1) c"),
        ("<p>x</p><ul><li>a</li></ul>", "x\n\n- a"),
        ("<h2>x</h2><ul><li>a</li></ul>", "## x\n\n- a"),
    ],
)
def test_lists(body: str, expected: str) -> None:
    assert markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('<ol start="1000000000"><li>a</li></ol>', "a list numbered in a way Markdown cannot say"),
        ('<ol start="-1"><li>a</li></ol>', "a list numbered in a way Markdown cannot say"),
        ('<ol start="x"><li>a</li></ol>', "a list numbered in a way Markdown cannot say"),
        ("<ul>x<li>a</li></ul>", "text inside a list but outside its items"),
        ("<ol><li>a</li>x</ol>", "text inside a list but outside its items"),
        ("<ul><p>x</p><li>a</li></ul>", "a <p> inside a list but outside its items"),
        ("<ol><div>x</div></ol>", "a <div> inside a list but outside its items"),
    ],
)
def test_lists_markdown_cannot_say(body: str, reason: str) -> None:
    assert refused(body) == reason


# -- tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
            "| a | b |\n| --- | --- |\n| c | d |",
        ),
        (
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody>"
            "<tfoot><tr><td>c</td></tr></tfoot></table>",
            "| a |\n| --- |\n| b |\n| c |",
        ),
        (
            '<div class="intercom-interblocks-table-container"><table role="presentation">'
            '<tbody><tr><td><p class="no-margin">a</p></td></tr></tbody></table></div>',
            "| a |\n| --- |",
        ),
        ("<table> <tr><td>a</td></tr>\n</table>", "| a |\n| --- |"),
        ("<table><script>x</script><tr><td>a</td></tr></table>", "| a |\n| --- |"),
        ("<table><tr>x<td>a</td></tr></table>", "| a |\n| --- |"),
        ('<table><tr><td colspan="1" rowspan="1">a</td></tr></table>', "| a |\n| --- |"),
        ('<table><tr><td colspan="x" rowspan="">a</td></tr></table>', "| a |\n| --- |"),
        ('<table><tr><td colspan="0" rowspan="-2">a</td></tr></table>', "| a |\n| --- |"),
        ("<table><tr><td></td><td>b</td></tr></table>", "|  | b |\n| --- | --- |"),
        (
            "<table><tr><td><b>a</b></td><td><p>b</p></td></tr></table>",
            "| **a** | b |\n| --- | --- |",
        ),
        ("<table><tr></tr><tr><td>a</td></tr></table>", "| a |\n| --- |"),
        ("<table></table><p>x</p>", "x"),
        ("<table><tr></tr></table>", ""),
        (
            "<table><tr><td><code>a|b</code> c|d</td></tr></table><p><code>a|b</code></p>",
            "| `a\\|b` c\\|d |\n| --- |\n\n`a|b`",
        ),
        (
            "<table><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table>",
            "| a |\n| --- |\n\n| b |\n| --- |",
        ),
    ],
)
def test_tables(body: str, expected: str) -> None:
    assert to_markdown(body) == expected


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<table>x<tr><td>a</td></tr></table>", "text inside a table but outside its cells"),
        (
            "<table><tbody>x<tr><td>a</td></tr></tbody></table>",
            "text inside a table but outside its cells",
        ),
        ("<table><caption>c</caption><tr><td>a</td></tr></table>", "a <caption> inside a table"),
        ("<table><tr><p>x</p><td>a</td></tr></table>", "a <p> inside a table row"),
        ('<table><tr><td colspan="2">a</td></tr></table>', "merged table cells"),
        ('<table><tr><th colspan=" 3 ">a</th></tr></table>', "merged table cells"),
        ('<table><tr><td rowspan="2">a</td></tr><tr><td>b</td></tr></table>', "merged table cells"),
        (
            "<table><tr><td><p>a</p><p>b</p></td></tr></table>",
            "a table cell holding more than one line of text",
        ),
        (
            "<table><tr><td><ul><li>a</li></ul></td></tr></table>",
            "a table cell holding more than one line of text",
        ),
        (
            "<table><tr><td><h2>a</h2></td></tr></table>",
            "a table cell holding more than one line of text",
        ),
        ("<table><tr><td>a<br>b</td></tr></table>", "a line break in a table cell"),
        (
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
            "table rows of different lengths",
        ),
        (
            "<table><tr><td>a</td></tr><tr><td>b</td><td>c</td></tr></table>",
            "table rows of different lengths",
        ),
    ],
)
def test_tables_markdown_cannot_say(body: str, reason: str) -> None:
    assert refused(body) == reason


# -- convert, and signed URLs ---------------------------------------------------------------


def test_convert_keeps_markdown_when_it_renders_back_the_same() -> None:
    assert convert("<h2>T</h2><p>a <b>b</b></p>") == Converted("markdown", "## T\n\na **b**", "")


def test_convert_keeps_the_html_without_its_signing_queries() -> None:
    body = f'{CALLOUT}<p><img src="{CDN}?expires=1&amp;signature=ab" alt="x"></p>'
    assert convert(body) == Converted(
        "html", f'{CALLOUT}<p><img src="{CDN}" alt="x"></p>', "a callout"
    )
    merged = f'<p><img src="{CDN}?expires=1"><b class="x">a</b><b>b</b></p>'
    assert convert(merged) == Converted(
        "html",
        f'<p><img src="{CDN}"><b class="x">a</b><b>b</b></p>',
        "Markdown would not render it the same",
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{CDN}?expires=1&signature=ab", CDN),
        (f"{CDN}?Expires=1", CDN),
        (f"{CDN}?signature", CDN),
        (f"{CDN}?page=1&X-Amz-Signature=z", CDN),
        (f"{CDN}?x-amz-expires=60", CDN),
        (f"{CDN}?a=1&amp;SIGNATURE=2", CDN),
        (f"{CDN}?", f"{CDN}?"),
        (f"{CDN}?next=/b?c&expires=1", CDN),
        (f"{CDN}?page=2&sig=3", f"{CDN}?page=2&sig=3"),
        (CDN, CDN),
        ("https://e.com/a?expiresat=1", "https://e.com/a?expiresat=1"),
    ],
)
def test_unsigned_drops_only_a_signing_query(url: str, expected: str) -> None:
    assert unsigned(url) == expected
    assert is_signed(f"see {url} here") is (expected != url)


def test_every_url_in_a_text_is_unsigned_up_to_where_it_ends() -> None:
    text = (
        f"<a href='{CDN}?expires=1'>x</a> ({CDN}?signature=2) <{CDN}?expires=3>"
        f' "HTTP://E.COM/a.png?Expires=4"\n{CDN}?page=1 http://e.com/b?signature=5\tend'
    )
    assert unsigned_html(text) == (
        f"<a href='{CDN}'>x</a> ({CDN}) <{CDN}>"
        f' "HTTP://E.COM/a.png"\n{CDN}?page=1 http://e.com/b\tend'
    )
    assert not is_signed(unsigned_html(text))
    assert not is_signed(f"{CDN} and ftp://e.com/a?signature=1")


def test_to_markdown_unsigns_what_it_writes() -> None:
    body = f'<p><a href="{CDN}?expires=1&amp;signature=2">{CDN}?expires=9</a></p>'
    assert to_markdown(body) == f"[{CDN}]({CDN})"
