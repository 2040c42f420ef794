"""Article bodies: Markdown to HTML, the canonical form both sides are compared in, the checks
``validate`` runs, and the readable diff a plan shows.

Owns, for article bodies only:

- ``render_markdown`` (CommonMark plus tables, markdown-it-py; raw HTML is *escaped*, never
  passed through) and ``from_html`` (``format: html``: the HTML as written). Both resolve a
  relative image ``src`` against ``images_base_url`` when one is given (``render`` picks one of
  the two from the article's format).
- ``canonical(html, headings=...)``: one text per body such that Intercom's rewriting of what it
  stores is never a difference and any edit a reader would see is one.
- ``validate(html)``: warnings where Intercom changes the meaning (heading levels, an image
  sharing a paragraph with text, tags its guide does not list), refusals where it answers 400.
- ``readable_diff(old, new)``: a unified diff of the bodies as readable text, for the plan.

Pure: no IO, no HTTP, no printing; the stdlib ``html.parser`` reads HTML, nothing else does.
It must not know about files, front matter, locales or the engine: the article kind calls it.

Why a canonical form, and why this one
--------------------------------------
Intercom stores HTML differently from what it was sent (``shared/intercom-api.md``, "Articles
(2.10)"), so comparing strings never converges. Public tools that sync Markdown to help centers
show the ways this goes wrong: a review of a Go Intercom CLI found it compared a checksum of
the HTML it pushed with one of what it pulled, so every push patched every article; a
Confluence publisher could not skip unchanged pages because the storage format it reads back is
not what it sent, and fell back to "update if older than"; a Zendesk plugin embeds its own MD5
in each article to have something stable to compare; an npm Intercom sync normalises with three
regular expressions (heading ids, empty paragraphs, whitespace), which would still tell
``<li>x</li>`` from ``<li><p class="no-margin">x</p></li>`` and a link with ``target`` from one
without. Hence a parsed, structural canonical form rather than string clean-up. That tool's
design notes and tests also record what Intercom keeps: the alignment classes, the callout
colour in ``style="background-color: …"``, buttons as ``a.intercom-h2b-button``, videos as
``div.intercom-h2b-video > iframe``, and tables stored as ``table[role=presentation] > tbody >
tr > td > p.no-margin`` with no ``thead``/``th`` (hence "a header cell is a cell" below).
Intercom's own pages disagree on headings: the developer guide says h3-h6 are replaced by h2,
the help article says they become "H1 and H2 while maintaining the hierarchy", and an
editor-made article in a public test fixture keeps h3/h4; hence the ``headings`` parameter
instead of one rule. The guide names the video hosts (YouTube, Wistia, Vimeo, Loom, Vidyard,
StreamIO) and says images must be absolute, publicly fetchable URLs (a failed upload is a 400),
lists need a non-empty item, tables need a cell and hold no table, and list items hold no
table: ``validate`` refuses exactly those.

The canonical rules
-------------------
The body is read into blocks (paragraph, heading, code block, rule, list, table, callout,
other container) holding inline content (text, bold, italic, code, underline, strike,
sub/superscript, link, button, line break, image, video), then written back one block per line
(a list or a table spreads over several lines, one item line per paragraph and one line per
row). Intercom's rewriting that is **not** a change:

- attributes nobody reads: ``id`` (``h_<hex>`` heading ids), ``class`` (``no-margin``,
  ``intercom-content-link``, ``language-*`` …) except the meaningful ones below, ``target``,
  ``rel``, ``role``, ``title``, ``width``/``height``, ``style`` except alignment and a
  callout's background colour;
- tag synonyms: ``strong`` is ``b``, ``em`` is ``i``, ``strike``/``del`` are ``s``, ``th`` is
  ``td`` (Intercom stores no header cells), ``thead``/``tbody``/``tfoot`` are not kept;
- wrappers: any ``div`` that is not a callout (``div.intercom-container``, the table container
  ``div.intercom-interblocks-table-container``, the video wrapper ``div.intercom-h2b-video``)
  is unwrapped, passing its alignment to what it holds; ``span`` and unknown inline tags are
  unwrapped;
- paragraphs: text outside a paragraph (top level, list items, cells, callouts) is a
  paragraph, so ``<li>x</li>`` equals ``<li><p class="no-margin">x</p></li>``; empty
  paragraphs (nothing but whitespace and ``<br>``) are dropped; an image, a video, or a link
  holding only an image is a block of its own (Intercom stores them in their own container),
  so a paragraph is split around one;
- whitespace: runs of spaces, tabs, newlines and no-break spaces are one space, trimmed at the
  edges of a block and around ``<br>``, moved out of the edges of bold/italic/links;
  adjacent bold (italic, …) runs and adjacent links to the same target are merged; a code
  block keeps its text exactly, less leading and trailing blank lines (``<br>`` inside it is a
  newline);
- alignment ``left`` is the default and is not written;
- images by identity (below), so a freshly signed URL is not a change;
- headings by the ``headings`` rule, applied to both sides: ``"h3-h6 to h2"`` (the guide),
  ``"renumber"`` (the shallowest level used becomes h1, every deeper level h2: the help
  article's "H1 and H2 while maintaining the hierarchy"; it also converges with a server that
  renumbers by rank and keeps a third level as h3) or ``"keep"``. Each rule is idempotent,
  so a live body that already went through it is unchanged by it, and the desired body ends
  where the server would put it: an edit the server erases (h3 to h4 under "h3-h6 to h2") is
  not a change; ``validate`` warns about it instead;
- inline style is a set per character, written back in one nesting order (``b``, ``i``,
  ``u``, ``s``, ``code``, ``sub``, ``sup``), so ``<b><i>x</i></b>`` equals
  ``<i><b>x</b></i>``, and an empty ``<b></b>`` is nothing;
- comments, ``script``, ``style`` and ``template`` are dropped.

Not compared although a reader might notice (each is something Intercom rewrites or we cannot
know): an image's size attributes, header cells versus cells, the pixels of an image kept
under the same file name, content a table holds outside its cells, a list's ``type``.

What **is** a change: any text (case, punctuation, words), block structure (paragraphs,
headings and their level after the rule, lists and their nesting, ``ol start``, tables and
their rows, cells, ``colspan``/``rowspan``), inline style (bold, italic, code, …), a link's
target (``href`` as written, trimmed), a button's text and target, which image (identity) and
its alt text, a video's ``src``, alignment (``intercom-align-center|right|justify`` classes,
``style="text-align: …"`` or ``align=``, inherited by what a container holds), a callout and
its colour, any other container (``blockquote``, ``details``/``summary``, ``dl``).

Image identity
--------------
An image is the **file name**, the last segment of its URL's path, percent-decoded, with
each run of characters outside ``A-Z a-z 0-9 . _ -`` read as one ``-`` (a CDN may store
``install screen.png`` as ``install-screen.png``), plus its **alt text** (whitespace
collapsed). Scheme, host, the rest of the path, query and fragment are
dropped: Intercom re-hosts the file on its CDN
(``https://downloads.intercomcdn.com/i/o/<n>/<hex>/settings.png?expires=…&signature=…``),
keeping the name, and signs the URL afresh on every read. So replacing ``settings.png`` with
``settings-v2.png`` (or changing the alt text) is a change; editing the pixels of
``settings.png`` under the same name is not (rename the file to publish a new picture). A URL
whose path ends in ``/`` is identified by its host and path; a ``data:`` URL by a hash of it.
A video is identified by its whole ``src`` (scheme and host lowercased, ``//`` and
``http:`` read as ``https:``).
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Literal, NamedTuple, Union
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = [
    "HEADING_RULES",
    "VIDEO_HOSTS",
    "Findings",
    "HeadingRule",
    "canonical",
    "from_html",
    "image_identity",
    "readable_diff",
    "readable_lines",
    "render",
    "render_markdown",
    "validate",
]

HeadingRule = Literal["h3-h6 to h2", "renumber", "keep"]
HEADING_RULES: tuple[HeadingRule, ...] = ("h3-h6 to h2", "renumber", "keep")

# The hosts Intercom's "supported HTML" guide names for <iframe> videos (YouTube, Wistia,
# Vimeo, Loom, Vidyard, StreamIO); a src on any other host is a 400. A subdomain counts
# (www.youtube.com, player.vimeo.com, fast.wistia.net, play.vidyard.com).
VIDEO_HOSTS: tuple[str, ...] = (
    "youtube.com",
    "youtube-nocookie.com",
    "vimeo.com",
    "wistia.com",
    "wistia.net",
    "loom.com",
    "vidyard.com",
    "streamio.com",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The tags the guide lists (and the table parts it implies): others get a warning.
SUPPORTED_TAGS = _words(
    "p br hr h1 h2 h3 h4 h5 h6 a img ul ol li table thead tbody tfoot tr td th iframe pre code "
    "b strong i em div span"
)

_VOID = _words("area base br col embed hr img input link meta source track wbr")
_DROPPED = _words("script style template head title noscript")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Blocks that hold other blocks and are kept, tag and all, so a change to them shows.
_CONTAINERS = _words("blockquote details summary dl dt dd figcaption")
# Blocks whose only meaning is what they hold: unwrapped (a div that is not a callout too).
_WRAPPERS = _words(
    "div section article main header footer nav aside figure center address form fieldset "
    "li tr td th thead tbody tfoot caption colgroup col"
)
_BLOCKS = frozenset({"p", "pre", "hr", "ul", "ol", "table", *_HEADINGS, *_CONTAINERS, *_WRAPPERS})
# What closes an open <p> when it starts (the HTML rule, so sloppy HTML reads as a browser
# reads it); li/td/... are left to their own closing rules.
_CLOSES_P = _BLOCKS - {"li", "tr", "td", "th", "thead", "tbody", "tfoot", "summary", "dt", "dd"}
_STYLES = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "code": "code",
    "kbd": "code",
    "tt": "code",
    "sub": "sub",
    "sup": "sup",
}
_ALIGNS = ("center", "right", "justify")
_WS = re.compile(r"[ \t\n\r\f\xa0]+")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

CALLOUT_CLASS = "intercom-interblocks-callout"
BUTTON_CLASS = "intercom-h2b-button"


# -- reading HTML into a plain tree --------------------------------------------------------


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str]


class _TreeBuilder(HTMLParser):
    """A forgiving tree builder: unknown end tags are ignored, unclosed tags closed at the end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {}, [])
        self.stack: list[_Element] = [self.root]

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], *, void: bool) -> None:
        if tag in _CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag == "li" and self.stack[-1].tag == "li":
            self.stack.pop()
        if tag in ("td", "th") and self.stack[-1].tag in ("td", "th"):
            self.stack.pop()
        if tag == "tr":
            if self.stack[-1].tag in ("td", "th"):
                self.stack.pop()
            if self.stack[-1].tag == "tr":
                self.stack.pop()
        element = _Element(tag, {k: v or "" for k, v in attrs}, [])
        self.stack[-1].children.append(element)
        if not void:
            self.stack.append(element)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, void=tag in _VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, void=True)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def _parse(text: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(text.replace("\r\n", "\n").replace("\r", "\n"))
    builder.close()
    return builder.root


def _classes(element: _Element) -> list[str]:
    return element.attrs.get("class", "").split()


def _style(element: _Element, name: str) -> str:
    for declaration in element.attrs.get("style", "").split(";"):
        key, sep, value = declaration.partition(":")
        if sep and key.strip().lower() == name:
            return "".join(value.split()).lower()
    return ""


def _align(element: _Element) -> str | None:
    """The element's own alignment, ``""`` for an explicit left, None when it sets none."""
    for cls in _classes(element):
        if cls.startswith("intercom-align-"):
            value = cls.removeprefix("intercom-align-")
            return value if value in _ALIGNS else ""
    for value in (_style(element, "text-align"), element.attrs.get("align", "").lower()):
        if value:
            return value if value in _ALIGNS else ""
    return None


def _text_of(node: _Element | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    if node.tag in _DROPPED:
        return ""
    return "".join(_text_of(child) for child in node.children)


# -- image and video identity --------------------------------------------------------------


def image_identity(src: str) -> str:
    """What identifies an image across Intercom's re-hosting: the file name of its URL path.

    ``https://cdn.example/i/o/1/ab/Settings%20page.png?expires=1&signature=f`` and
    ``images/Settings page.png`` are both ``Settings page.png``.
    """
    src = src.strip()
    if src.lower().startswith("data:"):
        return "data-" + hashlib.sha256(src.encode("utf-8")).hexdigest()[:16]
    parts = urlsplit(src)
    name = unquote(parts.path.rsplit("/", 1)[-1]) or unquote(parts.netloc + parts.path)
    # A CDN may keep a name only in a safe alphabet ("install screen.png" stored as
    # "install-screen.png"): compare in that alphabet, so either way it is the same image.
    return _UNSAFE_NAME.sub("-", name)


def _video_src(src: str) -> str:
    src = src.strip()
    if src.startswith("//"):
        src = "https:" + src
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    return urlunsplit((scheme, parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def _is_relative(src: str) -> bool:
    parts = urlsplit(src.strip())
    return not parts.scheme and not parts.netloc


def _resolve(src: str, base: str | None) -> str:
    if base is None or not src.strip() or not _is_relative(src):
        return src
    # urljoin drops the last segment of a base without a trailing slash: ".../docs" + "a.png"
    # would be ".../a.png". images_base_url names a folder, so read it as one.
    return urljoin(base if base.endswith("/") else base + "/", src.strip())


# -- the canonical model -------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Styled:
    tag: str  # b i u s code sub sup
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    href: str
    button: bool
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Br:
    pass


@dataclass(frozen=True)
class Image:
    file: str
    alt: str


@dataclass(frozen=True)
class Video:
    src: str


Inline = Union[Text, Styled, Link, Br, Image, Video]  # noqa: UP007 (a runtime alias on 3.10)


@dataclass(frozen=True)
class Para:
    align: str
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    align: str
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Pre:
    text: str


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Cell:
    colspan: int
    rowspan: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Callout:
    color: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Container:
    tag: str
    blocks: tuple[Block, ...]


Block = Union[Para, Heading, Pre, Rule, ListBlock, Table, Callout, Container]  # noqa: UP007


# -- HTML tree to model --------------------------------------------------------------------


def _flow(nodes: Iterable[_Element | str], align: str) -> list[Block]:
    """Blocks from mixed content: runs of inline content become paragraphs."""
    blocks: list[Block] = []
    pending: list[_Element | str] = []

    def flush() -> None:
        if pending:
            for segment in _split_embeds(list(_atoms(pending, frozenset(), None))):
                inlines = _clean(segment)
                if inlines:
                    blocks.append(Para(align, inlines))
            pending.clear()

    for node in nodes:
        if isinstance(node, str):
            pending.append(node)
        elif node.tag in _DROPPED:
            continue
        elif node.tag in _BLOCKS:
            flush()
            blocks.extend(_block(node, align))
        else:
            pending.append(node)
    flush()
    return blocks


def _block(element: _Element, inherited: str) -> list[Block]:
    own = _align(element)
    align = inherited if own is None else own
    tag = element.tag
    if tag == "p":
        return _flow(element.children, align)
    if tag in _HEADINGS:
        inlines = _block_inlines(element.children)
        return [Heading(_HEADINGS[tag], align, inlines)] if inlines else []
    if tag == "pre":
        text = _text_of(element).replace("\xa0", " ").strip("\n")
        return [Pre(text)] if text else []
    if tag == "hr":
        return [Rule()]
    if tag in ("ul", "ol"):
        return _list(element, align)
    if tag == "table":
        return _table(element, align)
    if tag == "div" and CALLOUT_CLASS in _classes(element):
        return [Callout(_style(element, "background-color"), tuple(_flow(element.children, align)))]
    if tag in _CONTAINERS:
        return [Container(tag, tuple(_flow(element.children, align)))]
    return _flow(element.children, align)  # a wrapper


def _list(element: _Element, align: str) -> list[Block]:
    items: list[tuple[Block, ...]] = []
    for child in element.children:
        if isinstance(child, str):
            if child.strip():
                items.append(tuple(_flow([child], align)))
        elif child.tag == "li":
            own = _align(child)
            items.append(tuple(_flow(child.children, align if own is None else own)))
        elif child.tag not in _DROPPED:
            items.append(tuple(_flow([child], align)))
    if not items:
        return []
    start = 1
    if element.tag == "ol":
        try:
            start = int(element.attrs.get("start", "1").strip())
        except ValueError:
            start = 1
    return [ListBlock(element.tag == "ol", start, tuple(items))]


def _span(value: str | None) -> int:
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return number if number > 1 else 1


def _table(element: _Element, align: str) -> list[Block]:
    def trs(parent: _Element) -> Iterator[_Element]:
        for child in parent.children:
            if isinstance(child, _Element):
                if child.tag == "tr":
                    yield child
                elif child.tag in ("thead", "tbody", "tfoot"):
                    yield from trs(child)

    rows: list[tuple[Cell, ...]] = []
    for tr in trs(element):
        row_align = _align(tr)
        base = align if row_align is None else row_align
        cells: list[Cell] = []
        for child in tr.children:
            if isinstance(child, _Element) and child.tag in ("td", "th"):
                own = _align(child)
                blocks = _flow(child.children, base if own is None else own)
                cells.append(
                    Cell(
                        _span(child.attrs.get("colspan")),
                        _span(child.attrs.get("rowspan")),
                        tuple(blocks),
                    )
                )
        if cells:
            rows.append(tuple(cells))
    return [Table(tuple(rows))] if rows else []


# Inline content is read as a flat run of atoms (a word, a space, a break, an image, a video),
# each carrying its set of styles and its link, then built back into elements in one fixed
# nesting order. So <b><i>x</i></b> and <i><b>x</b></i>, <b>a</b><b>b</b> and <b>ab</b>,
# <b>x <b>y</b></b> and <b>x y</b> all come out the same, and an empty <b></b> vanishes.
_STYLE_ORDER = ("b", "i", "u", "s", "code", "sub", "sup")
_LinkKey = Union[tuple[str, bool], None]  # noqa: UP007


@dataclass(frozen=True)
class _Atom:
    item: Inline | None  # None: a space
    styles: frozenset[str]
    link: _LinkKey


def _atoms(
    nodes: Iterable[_Element | str], styles: frozenset[str], link: _LinkKey
) -> Iterator[_Atom]:
    for node in nodes:
        if isinstance(node, str):
            for word in re.split(r"([ \t\n\r\f\xa0]+)", node):
                if word:
                    is_space = _WS.fullmatch(word) is not None
                    yield _Atom(None if is_space else Text(word), styles, link)
            continue
        tag = node.tag
        if tag in _DROPPED:
            continue
        if tag == "br":
            yield _Atom(Br(), styles, link)
        elif tag == "img":
            alt = _WS.sub(" ", node.attrs.get("alt", "")).strip()
            yield _Atom(Image(image_identity(node.attrs.get("src", "")), alt), styles, link)
        elif tag == "iframe":
            yield _Atom(Video(_video_src(node.attrs.get("src", ""))), styles, link)
        elif tag in _STYLES:
            yield from _atoms(node.children, styles | {_STYLES[tag]}, link)
        elif tag == "a" and "href" in node.attrs and link is None:
            key = (node.attrs["href"].strip(), BUTTON_CLASS in _classes(node))
            yield from _atoms(node.children, styles, key)
        else:  # span, font, an anchor without href, a block inside inline content: unwrapped
            yield from _atoms(node.children, styles, link)


def _split_embeds(atoms: Sequence[_Atom]) -> list[list[_Atom]]:
    """A paragraph's atoms cut around each image, video, or link holding only images: Intercom
    stores those as blocks of their own (``div.intercom-container``), wherever they were."""
    segments: list[list[_Atom]] = []
    current: list[_Atom] = []
    index = 0
    while index < len(atoms):
        link = atoms[index].link
        end = index
        while end < len(atoms) and atoms[end].link == link:
            end += 1
        run = list(atoms[index:end])
        items = [atom.item for atom in run if atom.item is not None]
        if link is None:
            for atom in run:
                if isinstance(atom.item, (Image, Video)):
                    segments.extend([current, [atom]])
                    current = []
                else:
                    current.append(atom)
        elif items and all(isinstance(item, Image) for item in items):
            segments.extend([current, run])
            current = []
        else:
            current.extend(run)
        index = end
    segments.append(current)
    return segments


def _block_inlines(nodes: Iterable[_Element | str]) -> tuple[Inline, ...]:
    return _clean(list(_atoms(nodes, frozenset(), None)))


def _clean(raw: Iterable[_Atom]) -> tuple[Inline, ...]:
    """A block's inline content in canonical form.

    Whitespace: a run of spaces (across element edges too) is one space; none at the block's
    edges or beside a line break; a space is bold (linked, ...) only when what is on both sides
    of it is. Line breaks at the block's edges are dropped.
    """
    atoms: list[_Atom] = []
    for atom in raw:
        if atom.item is None and (
            not atoms or atoms[-1].item is None or isinstance(atoms[-1].item, Br)
        ):
            continue  # a space at the start, after a space, or after a break
        if isinstance(atom.item, Br) and atoms and atoms[-1].item is None:
            atoms.pop()  # a space before a break
        atoms.append(atom)
    while atoms and (atoms[-1].item is None or isinstance(atoms[-1].item, Br)):
        atoms.pop()
    while atoms and isinstance(atoms[0].item, Br):
        atoms.pop(0)
        while atoms and atoms[0].item is None:
            atoms.pop(0)
    for index, atom in enumerate(atoms):
        if atom.item is None:  # never first or last, never beside a space or a break
            before, after = atoms[index - 1], atoms[index + 1]
            link = before.link if before.link == after.link else None
            atoms[index] = _Atom(Text(" "), before.styles & after.styles, link)
    return _build(atoms)


def _build(atoms: Sequence[_Atom]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    index = 0
    while index < len(atoms):
        link = atoms[index].link
        end = index
        while end < len(atoms) and atoms[end].link == link:
            end += 1
        children = _nest(atoms[index:end], _STYLE_ORDER)
        if link is None:
            out.extend(children)
        else:
            out.append(Link(link[0], link[1], children))
        index = end
    return tuple(out)


def _nest(atoms: Sequence[_Atom], order: Sequence[str]) -> tuple[Inline, ...]:
    if not order:
        out: list[Inline] = []
        for atom in atoms:
            item = atom.item
            assert item is not None  # spaces were made text
            if isinstance(item, Text) and out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + item.text)
            else:
                out.append(item)
        return tuple(out)
    style, rest = order[0], order[1:]
    result: list[Inline] = []
    index = 0
    while index < len(atoms):
        styled = style in atoms[index].styles
        end = index
        while end < len(atoms) and (style in atoms[end].styles) == styled:
            end += 1
        inner = _nest(atoms[index:end], rest)
        result.extend([Styled(style, inner)] if styled else inner)
        index = end
    return tuple(result)


# -- the heading rule ----------------------------------------------------------------------


def _levels(blocks: Iterable[Block]) -> set[int]:
    found: set[int] = set()
    for block in blocks:
        if isinstance(block, Heading):
            found.add(block.level)
        for child in _child_blocks(block):
            found |= _levels(child)
    return found


def _child_blocks(block: Block) -> list[tuple[Block, ...]]:
    if isinstance(block, ListBlock):
        return list(block.items)
    if isinstance(block, Table):
        return [cell.blocks for row in block.rows for cell in row]
    if isinstance(block, (Callout, Container)):
        return [block.blocks]
    return []


def _level_map(levels: set[int], rule: HeadingRule) -> dict[int, int]:
    if rule == "keep":
        return {level: level for level in levels}
    if rule == "h3-h6 to h2":
        return {level: min(level, 2) for level in levels}
    if rule == "renumber":
        top = min(levels, default=1)
        return {level: 1 if level == top else 2 for level in levels}
    raise ValueError(f"unknown heading rule {rule!r}; expected one of {HEADING_RULES}")


def _relevel(blocks: Sequence[Block], mapping: dict[int, int]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(replace(block, level=mapping[block.level]))
        elif isinstance(block, ListBlock):
            items = tuple(_relevel(item, mapping) for item in block.items)
            out.append(replace(block, items=items))
        elif isinstance(block, Table):
            rows = tuple(
                tuple(replace(cell, blocks=_relevel(cell.blocks, mapping)) for cell in row)
                for row in block.rows
            )
            out.append(Table(rows))
        elif isinstance(block, (Callout, Container)):
            out.append(replace(block, blocks=_relevel(block.blocks, mapping)))
        else:
            out.append(block)
    return tuple(out)


def _model(body: str, headings: HeadingRule) -> tuple[Block, ...]:
    blocks = tuple(_flow(_parse(body).children, ""))
    return _relevel(blocks, _level_map(_levels(blocks), headings))


# -- model to canonical HTML ---------------------------------------------------------------


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _align_attr(align: str) -> str:
    return f' class="intercom-align-{align}"' if align else ""


def _inline_html(inlines: Iterable[Inline]) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(html.escape(node.text, quote=False))
        elif isinstance(node, Styled):
            parts.append(f"<{node.tag}>{_inline_html(node.children)}</{node.tag}>")
        elif isinstance(node, Link):
            cls = f' class="{BUTTON_CLASS}"' if node.button else ""
            parts.append(f'<a{cls} href="{_attr(node.href)}">{_inline_html(node.children)}</a>')
        elif isinstance(node, Br):
            parts.append("<br>")
        elif isinstance(node, Image):
            # The identity is in a URL-safe alphabet: read again, it is its own identity.
            alt = f' alt="{_attr(node.alt)}"' if node.alt else ""
            parts.append(f'<img src="{_attr(node.file)}"{alt}>')
        else:
            parts.append(f'<iframe src="{_attr(node.src)}"></iframe>')
    return "".join(parts)


def _block_lines(blocks: Iterable[Block], indent: str = "") -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.append(f"{indent}<p{_align_attr(block.align)}>{_inline_html(block.inlines)}</p>")
        elif isinstance(block, Heading):
            tag = f"h{block.level}"
            body = _inline_html(block.inlines)
            lines.append(f"{indent}<{tag}{_align_attr(block.align)}>{body}</{tag}>")
        elif isinstance(block, Pre):
            # One block, one line: the code's newlines are written as character references.
            code = html.escape(block.text, quote=False).replace("\n", "&#10;")
            lines.append(f"{indent}<pre>{code}</pre>")
        elif isinstance(block, Rule):
            lines.append(f"{indent}<hr>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            lines.append(f"{indent}<{tag}{start}>")
            for item in block.items:
                inner = _block_lines(item, indent + "    ")
                if len(inner) == 1:  # the usual item, one paragraph: one line
                    lines.append(f"{indent}  <li>{inner[0].strip()}</li>")
                else:
                    lines.extend([f"{indent}  <li>", *inner, f"{indent}  </li>"])
            lines.append(f"{indent}</{tag}>")
        elif isinstance(block, Table):
            lines.append(f"{indent}<table>")
            for row in block.rows:
                cells = "".join(_cell_html(cell) for cell in row)
                lines.append(f"{indent}  <tr>{cells}</tr>")
            lines.append(f"{indent}</table>")
        elif isinstance(block, Callout):
            style = f' style="background-color: {_attr(block.color)}"' if block.color else ""
            lines.append(f'{indent}<div class="{CALLOUT_CLASS}"{style}>')
            lines.extend(_block_lines(block.blocks, indent + "  "))
            lines.append(f"{indent}</div>")
        else:
            lines.append(f"{indent}<{block.tag}>")
            lines.extend(_block_lines(block.blocks, indent + "  "))
            lines.append(f"{indent}</{block.tag}>")
    return lines


def _cell_html(cell: Cell) -> str:
    spans = "".join(
        f' {name}="{value}"'
        for name, value in (("colspan", cell.colspan), ("rowspan", cell.rowspan))
        if value > 1
    )
    return f"<td{spans}>{''.join(line.strip() for line in _block_lines(cell.blocks))}</td>"


def canonical(body: str, *, headings: HeadingRule) -> str:
    """The form in which a desired and a live body are compared (see the module docstring).

    Idempotent: ``canonical(canonical(b, headings=r), headings=r) == canonical(b, headings=r)``.
    Empty for a body with nothing a reader would see.
    """
    return "\n".join(_block_lines(_model(body, headings)))


# -- readable text and the diff ------------------------------------------------------------


def _inline_text(inlines: Iterable[Inline]) -> str:
    marks = {"b": "**", "i": "*", "code": "`", "s": "~~"}
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Styled):
            inner = _inline_text(node.children)
            mark = marks.get(node.tag)
            parts.append(f"{mark}{inner}{mark}" if mark else f"<{node.tag}>{inner}</{node.tag}>")
        elif isinstance(node, Link):
            label = "button: " if node.button else ""
            parts.append(f"[{label}{_inline_text(node.children)}]({node.href})")
        elif isinstance(node, Br):
            parts.append(" ⏎ ")
        elif isinstance(node, Image):
            parts.append(f"![{node.alt}](image: {node.file})")
        else:
            parts.append(f"[video]({node.src})")
    return "".join(parts)


def _readable(blocks: Iterable[Block]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            align = f"[{block.align}] " if block.align else ""
            lines.append(align + _inline_text(block.inlines))
        elif isinstance(block, Heading):
            align = f"[{block.align}] " if block.align else ""
            lines.append(f"{'#' * block.level} {align}{_inline_text(block.inlines)}")
        elif isinstance(block, Pre):
            lines.extend(["```", *block.text.split("\n"), "```"])
        elif isinstance(block, Rule):
            lines.append("---")
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=block.start):
                marker = f"{number}. " if block.ordered else "- "
                sub = _readable(item) or [""]
                lines.append((marker + sub[0]).rstrip())
                lines.extend((" " * len(marker) + line).rstrip() for line in sub[1:])
        elif isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row:
                    text = " / ".join(line.strip() for line in _readable(cell.blocks))
                    spans = "".join(
                        f"{{{name}={value}}} "
                        for name, value in (("colspan", cell.colspan), ("rowspan", cell.rowspan))
                        if value > 1
                    )
                    cells.append(spans + text)
                lines.append("| " + " | ".join(cells) + " |")
        elif isinstance(block, Callout):
            lines.append(f"[callout {block.color}]".replace(" ]", "]"))
            lines.extend("  " + line for line in _readable(block.blocks))
            lines.append("[/callout]")
        else:
            lines.append(f"<{block.tag}>")
            lines.extend("  " + line for line in _readable(block.blocks))
            lines.append(f"</{block.tag}>")
    return lines


def readable_lines(body: str, *, headings: HeadingRule = "keep") -> list[str]:
    """The body as readable text, one line per block (a list item, a table row, a code line)."""
    return _readable(_model(body, headings))


def readable_diff(old_html: str, new_html: str, *, headings: HeadingRule = "keep") -> list[str]:
    """A unified diff (``--- live`` / ``+++ desired``) of two bodies as readable text.

    Empty when the canonical forms are equal. Pass canonical forms (or raw bodies and the
    heading rule). Should two bodies differ only in what the text rendering does not show,
    the diff is of the canonical forms themselves, so a change is never shown as nothing.
    """
    old_model, new_model = _model(old_html, headings), _model(new_html, headings)
    old_lines, new_lines = _block_lines(old_model), _block_lines(new_model)
    if old_lines == new_lines:
        return []
    old_text, new_text = _readable(old_model), _readable(new_model)
    if old_text == new_text:
        old_text, new_text = old_lines, new_lines
    return list(
        difflib.unified_diff(old_text, new_text, fromfile="live", tofile="desired", lineterm="")
    )


# -- validation ----------------------------------------------------------------------------


class Findings(NamedTuple):
    """What ``validate`` found: unpacks as ``warnings, refusals``."""

    warnings: tuple[str, ...]
    refusals: tuple[str, ...]


def _elements(root: _Element) -> Iterator[tuple[_Element, tuple[str, ...]]]:
    """Every element with the tags of its ancestors."""

    def walk(
        element: _Element, ancestors: tuple[str, ...]
    ) -> Iterator[tuple[_Element, tuple[str, ...]]]:
        for child in element.children:
            if isinstance(child, _Element):
                yield child, ancestors
                yield from walk(child, (*ancestors, child.tag))

    return walk(root, ())


def _short(text: str, limit: int = 40) -> str:
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _host_allowed(src: str) -> bool:
    host = (urlsplit(_video_src(src)).hostname or "").lower()
    return any(host == allowed or host.endswith("." + allowed) for allowed in VIDEO_HOSTS)


def validate(body: str, *, headings: HeadingRule = "h3-h6 to h2") -> Findings:
    """Warnings where Intercom will change what the body means, refusals where it answers 400.

    ``body`` is the HTML to be sent (after ``render``, so a relative image left here had no
    ``images_base_url``). ``headings`` is the rule the server is taken to apply.
    """
    root = _parse(body)
    warnings: list[str] = []
    refusals: list[str] = []
    found = list(_elements(root))
    levels = {_HEADINGS[e.tag] for e, _ in found if e.tag in _HEADINGS}
    mapping = _level_map(levels, headings)
    unsupported: list[str] = []
    for element, ancestors in found:
        tag = element.tag
        if tag in _HEADINGS and mapping[_HEADINGS[tag]] != _HEADINGS[tag]:
            warnings.append(
                f"<{tag}> {_short(_text_of(element))!r} becomes <h{mapping[_HEADINGS[tag]]}> in"
                f" Intercom (heading rule {headings!r}); use h1/h2 to say what readers will see"
            )
        elif tag == "img":
            src = element.attrs.get("src", "").strip()
            if not src:
                refusals.append("an image has no src: Intercom refuses the article (400)")
            elif _is_relative(src):
                refusals.append(
                    f"image {src!r} has a relative src: set images_base_url so it resolves"
                    " to a public URL (Intercom fetches every image and refuses a relative one)"
                )
            elif urlsplit(src).scheme.lower() not in ("http", "https"):
                refusals.append(
                    f"image {_short(src)!r} is not an http(s) URL: Intercom fetches every"
                    " image and refuses the article (400) when it cannot"
                )
        elif tag in ("ul", "ol"):
            items = [c for c in element.children if isinstance(c, _Element) and c.tag == "li"]
            if not any(_has_content(item) for item in items):
                refusals.append(
                    f"an empty <{tag}>: Intercom refuses a list without a non-empty item (400)"
                )
        elif tag == "table":
            if "table" in ancestors:
                refusals.append("a table inside a table: Intercom refuses nested tables (400)")
            elif "li" in ancestors:
                refusals.append("a table inside a list item: Intercom refuses it (400)")
            if not any(e.tag in ("td", "th") for e, _ in _elements(element)):
                refusals.append("a table without a cell: Intercom refuses it (400)")
        elif tag == "iframe":
            src = element.attrs.get("src", "").strip()
            if not src:
                refusals.append("an <iframe> has no src: Intercom refuses it (400)")
            elif not _host_allowed(src):
                refusals.append(
                    f"iframe {_short(src, 60)!r} is not on a video host Intercom embeds"
                    f" ({', '.join(VIDEO_HOSTS)}): Intercom refuses it (400)"
                )
        elif tag == "p" and _mixes_image_and_text(element):
            warnings.append(
                f"paragraph {_short(_text_of(element))!r} holds an image and text: Intercom"
                " puts the image in a block of its own"
            )
        if tag not in SUPPORTED_TAGS and tag not in _DROPPED and tag not in unsupported:
            unsupported.append(tag)
    for tag in unsupported:
        warnings.append(
            f"<{tag}> is not in Intercom's supported HTML: it may be changed or dropped"
        )
    for tag in sorted({e.tag for e, _ in found if e.tag in _DROPPED}):
        warnings.append(f"<{tag}> is not shown in an article: it is ignored")
    return Findings(tuple(warnings), tuple(refusals))


def _has_content(element: _Element) -> bool:
    if _text_of(element).strip():
        return True
    return any(e.tag in ("img", "iframe", "hr") for e, _ in _elements(element))


def _mixes_image_and_text(paragraph: _Element) -> bool:
    has_image = any(e.tag == "img" for e, _ in _elements(paragraph))
    return has_image and bool(_text_of(paragraph).strip())


# -- rendering -----------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    # "commonmark" with html off: raw HTML in a Markdown article is shown as text, never sent
    # as markup (that takes format: html). Tables are the one extension.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str, *, images_base_url: str | None = None) -> str:
    """CommonMark plus tables, as HTML; relative image sources resolved against the base."""
    md = _markdown()
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    for token in _walk_tokens(tokens):
        if token.type == "image":
            src = token.attrGet("src")
            if isinstance(src, str):
                token.attrSet("src", _resolve(src, images_base_url))
    return str(md.renderer.render(tokens, md.options, env))


def _walk_tokens(tokens: Iterable[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk_tokens(token.children)


class _ImageSources(HTMLParser):
    """Where each <img> start tag is in the text, and its src."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str, str]] = []  # line, column, tag text, src

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            src = dict(attrs).get("src")
            text = self.get_starttag_text()
            if src is not None and text is not None:
                line, column = self.getpos()
                self.found.append((line, column, text, src))

    handle_startendtag = handle_starttag


_SRC_ATTR = re.compile(r"""(?<![\w-])src\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)


def from_html(text: str, *, images_base_url: str | None = None) -> str:
    """An article written as HTML (``format: html``): passed through as written, except that
    a relative image ``src`` is resolved against ``images_base_url`` when one is given."""
    if images_base_url is None:
        return text
    finder = _ImageSources()
    finder.feed(text)
    finder.close()
    starts = [0]
    for text_line in text.split("\n"):
        starts.append(starts[-1] + len(text_line) + 1)
    out: list[str] = []
    done = 0
    for line, column, tag_text, src in finder.found:
        resolved = _resolve(src, images_base_url)
        offset = starts[line - 1] + column
        if resolved == src or text[offset : offset + len(tag_text)] != tag_text:
            continue
        found = _SRC_ATTR.search(tag_text)
        if found is None:
            continue
        new_tag = f'{tag_text[: found.start(1)]}"{_attr(resolved)}"{tag_text[found.end(1) :]}'
        out.append(text[done:offset])
        out.append(new_tag)
        done = offset + len(tag_text)
    out.append(text[done:])
    return "".join(out)


def render(
    text: str,
    *,
    body_format: Literal["markdown", "html"] = "markdown",
    images_base_url: str | None = None,
) -> str:
    """The HTML to send for an article's body, by its front matter's ``format``."""
    if body_format == "html":
        return from_html(text, images_base_url=images_base_url)
    return render_markdown(text, images_base_url=images_base_url)
