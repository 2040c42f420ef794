"""``validate`` on article bodies: each finding's exact message, and where each check stops.

A person reads these messages in ``hcsync validate`` and acts on them, so every one is pinned
whole: what was found (the tag, a shortened text or address), what Intercom does with it, and
what to do. Next to each refusal is the nearest body Intercom accepts, so a check that reaches
too far shows as well as one that misses.
"""

from __future__ import annotations

import pytest

from hcsync.kinds.article import VIDEO_HOSTS, Findings, HeadingRule, validate

HOSTS = ", ".join(VIDEO_HOSTS)
NO_SRC = "an image has no src: Intercom refuses the article (400)"
NESTED = "a table inside a table: Intercom refuses nested tables (400)"
IN_ITEM = "a table inside a list item: Intercom refuses it (400)"
NO_CELL = "a table without a cell: Intercom refuses it (400)"
IFRAME_NO_SRC = "an <iframe> has no src: Intercom refuses it (400)"


def refusals(body: str) -> tuple[str, ...]:
    found = validate(body)
    assert found.warnings == (), found.warnings
    return found.refusals


def warnings(body: str, headings: HeadingRule = "h3-h6 to h2") -> tuple[str, ...]:
    found = validate(body, headings=headings)
    assert found.refusals == (), found.refusals
    return found.warnings


def not_http(src: str) -> str:
    return (
        f"image {src!r} is not an http(s) URL: Intercom fetches every image and refuses the"
        " article (400) when it cannot"
    )


def not_a_host(src: str) -> str:
    return (
        f"iframe {src!r} is not on a video host Intercom embeds ({HOSTS}): Intercom refuses it"
        " (400)"
    )


# -- headings -------------------------------------------------------------------------------


def test_a_heading_the_rule_changes_is_warned_about_in_full() -> None:
    assert warnings("<h1>Top</h1><h2>Mid</h2><h3>Sub</h3><h6>Deep</h6>") == (
        "<h3> 'Sub' becomes <h2> in Intercom (heading_levels: h2); use h1/h2 to say"
        " what readers will see",
        "<h6> 'Deep' becomes <h2> in Intercom (heading_levels: h2); use h1/h2 to say"
        " what readers will see",
    )


def test_the_warning_names_the_rule_it_was_given() -> None:
    assert warnings("<h2>A</h2><h4>B</h4>", headings="renumber") == (
        "<h2> 'A' becomes <h1> in Intercom (heading_levels: renumber); use h1/h2 to say what"
        " readers will see",
        "<h4> 'B' becomes <h2> in Intercom (heading_levels: renumber); use h1/h2 to say what"
        " readers will see",
    )
    assert warnings("<h3>A</h3><h5>B</h5>", headings="keep") == ()


def test_a_heading_text_is_collapsed_and_shortened_to_forty_characters() -> None:
    forty = "x" * 40
    assert warnings(f"<h3>{forty}</h3><h4>{forty}y</h4><h5>a \n\t b</h5>") == (
        f"<h3> {forty!r} becomes <h2> in Intercom (heading_levels: h2); use h1/h2 to"
        " say what readers will see",
        f"<h4> {'x' * 39 + '…'!r} becomes <h2> in Intercom (heading_levels: h2); use"
        " h1/h2 to say what readers will see",
        "<h5> 'a b' becomes <h2> in Intercom (heading_levels: h2); use h1/h2 to say"
        " what readers will see",
    )


# -- images ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["<img>", '<img src="">', '<img src="  \n ">'])
def test_an_image_without_a_source_is_refused(body: str) -> None:
    assert refusals(body) == (NO_SRC,)


@pytest.mark.parametrize("src", ["images/a.png", "/a.png", "../a b.png"])
def test_a_relative_image_is_refused_with_what_to_set(src: str) -> None:
    assert refusals(f'<p><img src="{src}"></p>') == (
        f"image {src!r} has a relative src: set images_base_url so it resolves to a public URL"
        " (Intercom fetches every image and refuses a relative one)",
    )


@pytest.mark.parametrize(
    "src",
    [
        "http://img.example.com/a.png",
        "https://img.example.com/a.png",
        "HTTPS://img.example.com/a.png",
        "  https://img.example.com/a.png  ",
    ],
)
def test_an_absolute_web_image_is_accepted(src: str) -> None:
    assert validate(f'<img src="{src}">') == Findings((), ())


@pytest.mark.parametrize(
    "src", ["file:///tmp/a.png", "data:image/png;base64,AAAA", "ftp://img.example.com/a.png"]
)
def test_an_image_intercom_cannot_fetch_is_refused(src: str) -> None:
    assert refusals(f'<img src="{src}">') == (not_http(src),)


def test_a_long_image_address_is_shortened_in_the_message() -> None:
    src = "ftp://img.example.com/" + "a" * 30 + ".png"
    assert refusals(f'<img src="{src}">') == (not_http(src[:39] + "…"),)


# -- lists ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "tag"),
    [
        ("<ul></ul>", "ul"),
        ("<ol><li></li><li> <br> </li></ol>", "ol"),
        ("<ul>text outside any item</ul>", "ul"),
        ("<ul><li><b> </b></li></ul>", "ul"),
    ],
)
def test_a_list_without_a_non_empty_item_is_refused(body: str, tag: str) -> None:
    assert refusals(body) == (
        f"an empty <{tag}>: Intercom refuses a list without a non-empty item (400)",
    )


@pytest.mark.parametrize(
    "item",
    [
        "x",
        "<p><b>x</b></p>",
        '<img src="https://img.example.com/a.png">',
        '<p><img src="https://img.example.com/a.png"></p>',
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
        "<hr>",
    ],
)
def test_a_list_item_holding_text_an_image_a_video_or_a_rule_is_not_empty(item: str) -> None:
    assert validate(f"<ul><li></li><li>{item}</li></ul>") == Findings((), ())
    assert validate(f"<ol><li>{item}</li></ol>") == Findings((), ())


# -- tables ---------------------------------------------------------------------------------


def test_table_refusals_in_full() -> None:
    inner = "<table><tr><td>x</td></tr></table>"
    assert refusals(f"<table><tr><td>{inner}</td></tr></table>") == (NESTED,)
    assert refusals(f"<ul><li>{inner}</li></ul>") == (IN_ITEM,)
    assert refusals(f"<ol><li><div>{inner}</div></li></ol>") == (IN_ITEM,)
    assert refusals("<table></table>") == (NO_CELL,)
    assert refusals("<table><tr></tr></table>") == (NO_CELL,)


def test_a_table_in_an_item_of_a_table_cell_is_a_nested_table() -> None:
    # Both ancestors hold: the nested table is named, once.
    body = "<table><tr><td><ul><li><table><tr><td>x</td></tr></table></li></ul></td></tr></table>"
    assert refusals(body) == (NESTED,)


def test_an_empty_table_inside_a_table_is_refused_twice() -> None:
    assert refusals("<table><tr><td>x<table></table></td></tr></table>") == (NESTED, NO_CELL)


@pytest.mark.parametrize(
    "body",
    [
        "<table><tr><td>x</td></tr></table>",
        "<table><thead><tr><th>x</th></tr></thead></table>",
        "<table><tbody><tr><td></td></tr></tbody></table>",
    ],
)
def test_a_table_with_a_cell_is_accepted(body: str) -> None:
    assert validate(body) == Findings((), ())


# -- videos ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["<iframe></iframe>", '<iframe src=" "></iframe>'])
def test_an_iframe_without_a_source_is_refused(body: str) -> None:
    assert refusals(body) == (IFRAME_NO_SRC,)


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/embed/1",
        "https://notyoutube.com/embed/x",
        "https://youtube.com.evil.example/x",
        "https:///embed/x",
        "embed/x",
    ],
)
def test_an_iframe_off_the_video_hosts_is_refused_naming_them(src: str) -> None:
    assert refusals(f'<iframe src="{src}"></iframe>') == (not_a_host(src),)


@pytest.mark.parametrize("host", VIDEO_HOSTS)
def test_each_video_host_and_its_subdomains_are_accepted(host: str) -> None:
    for src in (f"https://{host}/embed/x", f"http://player.{host}/x", f"//WWW.{host.upper()}/x"):
        assert validate(f'<iframe src="{src}"></iframe>') == Findings((), ()), src


def test_a_long_iframe_address_is_shortened_to_sixty_characters() -> None:
    sixty = "https://evil.example/" + "v" * 39
    longer = sixty + "w"
    assert refusals(f'<iframe src="{sixty}"></iframe><iframe src="{longer}"></iframe>') == (
        not_a_host(sixty),
        not_a_host(sixty[:59] + "…"),
    )


# -- paragraphs and tags --------------------------------------------------------------------


def test_an_image_sharing_a_paragraph_with_text_is_warned_about_in_full() -> None:
    body = '<p>Click  <b><img src="https://img.example.com/g.png"></b>\n here</p>'
    assert warnings(body) == (
        "paragraph 'Click here' holds an image and text: Intercom puts the image in a block of"
        " its own",
    )


@pytest.mark.parametrize(
    "body",
    [
        '<p><img src="https://img.example.com/g.png"></p>',
        '<p> <img src="https://img.example.com/g.png"> <br> </p>',
        "<p>text only</p>",
        '<div>Click <img src="https://img.example.com/g.png"></div>',
    ],
)
def test_an_image_alone_or_text_alone_is_not_warned_about(body: str) -> None:
    assert validate(body) == Findings((), ())


def test_unsupported_and_ignored_tags_are_warned_about_once_each_in_order() -> None:
    body = (
        "<h3>T</h3><marquee>m</marquee><blockquote>q<marquee>n</marquee></blockquote>"
        "<style>s</style><p><u>u</u></p><script>x</script><style>t</style>"
    )
    assert warnings(body) == (
        "<h3> 'T' becomes <h2> in Intercom (heading_levels: h2); use h1/h2 to say what"
        " readers will see",
        "<marquee> is not in Intercom's supported HTML: it may be changed or dropped",
        "<blockquote> is not in Intercom's supported HTML: it may be changed or dropped",
        "<u> is not in Intercom's supported HTML: it may be changed or dropped",
        "<script> is not shown in an article: it is ignored",
        "<style> is not shown in an article: it is ignored",
    )


def test_every_tag_of_the_guide_is_supported() -> None:
    body = (
        "<h1>a</h1><h2>b</h2><div><span>c</span></div><p>d<br><a href='https://e.com'>e</a>"
        "<b>f</b><strong>g</strong><i>h</i><em>i</em><code>j</code></p><hr><pre><code>k"
        "</code></pre><ul><li>l</li></ul><ol><li>m</li></ol><table><thead><tr><th>n</th></tr>"
        "</thead><tbody><tr><td>o</td></tr></tbody><tfoot><tr><td>p</td></tr></tfoot></table>"
        '<iframe src="https://www.youtube.com/embed/x"></iframe>'
        '<img src="https://img.example.com/q.png">'
    )
    assert validate(body) == Findings((), ())


def test_findings_come_in_document_order_with_refusals_apart() -> None:
    body = (
        '<ul></ul><h4>H</h4><img src="a.png"><p>t <img src="https://img.example.com/i.png"></p>'
        "<iframe></iframe><table></table>"
    )
    found = validate(body)
    assert found.warnings == (
        "<h4> 'H' becomes <h2> in Intercom (heading_levels: h2); use h1/h2 to say what"
        " readers will see",
        "paragraph 't' holds an image and text: Intercom puts the image in a block of its own",
    )
    assert found.refusals == (
        "an empty <ul>: Intercom refuses a list without a non-empty item (400)",
        "image 'a.png' has a relative src: set images_base_url so it resolves to a public URL"
        " (Intercom fetches every image and refuses a relative one)",
        IFRAME_NO_SRC,
        NO_CELL,
    )
