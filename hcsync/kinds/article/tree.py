"""HTML read into a plain tree, and the tag vocabulary the rest of the package reads it by.

Owns the stdlib ``html.parser`` tree builder (``_Element``, ``_parse``: forgiving, closing what
HTML closes so sloppy HTML reads as a browser reads it), which tags are void, dropped,
headings, kept containers, unwrapped wrappers or inline styles, and the attribute helpers
(classes, a ``style`` property, alignment, text content).

Must not decide what the tree means (that is ``blocks``/``inline``) nor write HTML back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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

# Elements nested deeper than this are not read (their text is, into the deepest one kept),
# and one ``TOO_DEEP`` element marks where: every reading of a tree recurses once a level, so
# a hostile body of thousands of nested tags would otherwise crash it (and a few frames a
# level must stay well inside Python's recursion limit, under a profiler or mutmut too; an
# editor's deepest nested list is some ten levels). Twice the depth ``checks`` refuses in a
# desired body (``DEEPEST``), so a body that passed, stored inside Intercom's few wrappers,
# is still read whole. A cut body reads as ``CUT`` where it was cut: it never compares equal
# to one read whole, and export keeps it as HTML.
DEEPEST = 40
MAX_DEPTH = 2 * DEEPEST
TOO_DEEP = "#too-deep"
CUT = "\x00(nested too deep: not read)"

CALLOUT_CLASS = "intercom-interblocks-callout"
BUTTON_CLASS = "intercom-h2b-button"


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
        self.cut = False  # whether elements deeper than MAX_DEPTH were left out

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
        if len(self.stack) > MAX_DEPTH:
            if not self.cut:
                self.stack[-1].children.append(_Element(TOO_DEEP, {}, []))
                self.cut = True
            return
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


# The plain HTML that Markdown renders to and Intercom stores (text, start and end tags with
# well-formed attributes) read by one regular expression, an order of magnitude cheaper than
# ``html.parser``; anything else (a comment, a declaration, a stray "<", script or style, an
# attribute without a space before it) falls back to ``html.parser`` for the whole body. The
# two agree wherever the fast reading applies: the same events reach the same tree builder
# (tests/test_article_tree.py holds them to it).
_NAME = r"[a-zA-Z][a-zA-Z0-9]*"
# HTML's whitespace only: Python's \s also matches a no-break space and other Unicode spaces,
# which end no tag name in a browser or in html.parser.
_S = r"[ \t\n\r\f]"
_ATTR_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
# Unquoted, a value stops at any space, Unicode ones too: what follows one then matches
# nothing here, and the body is left to html.parser (whose reading of them varies by version).
_ATTR_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_PLAIN = re.compile(
    rf"""(?P<text>[^<]+)
    |<(?P<start>{_NAME})(?P<attrs>(?:{_S}+{_ATTR_NAME}(?:{_S}*={_S}*{_ATTR_VALUE})?)*){_S}*(?P<void>/?)>
    |</(?P<end>{_NAME}){_S}*>""",
    re.VERBOSE,
)
_ATTRIBUTE = re.compile(rf"({_ATTR_NAME})(?:{_S}*={_S}*({_ATTR_VALUE}))?")
# Elements whose content html.parser reads as text, not markup, in some Python version (3.14
# and the 2025 security releases added the last ones): a body holding one is left to it.
_RAW_TEXT = frozenset(
    "script style xmp iframe noembed noframes textarea title plaintext".split()  # noqa: SIM905
)


def _plain_attrs(text: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for name, value in _ATTRIBUTE.findall(text):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        out.append((name.lower(), unescape(value)))  # no value reads as "", as in the tree
    return out


def _parse_plain(text: str) -> _Element | None:
    """The tree of ``text`` read by ``_PLAIN``; None when ``text`` is not that plain."""
    builder = _TreeBuilder()
    at = 0
    for match in _PLAIN.finditer(text):
        if match.start() != at:
            return None
        at = match.end()
        data, start, end = match.group("text", "start", "end")
        if data is not None:
            builder.handle_data(unescape(data))
        elif start is not None:
            tag = start.lower()
            if tag in _RAW_TEXT:
                return None
            written = match.group("attrs")
            attrs = _plain_attrs(written) if written else []
            if match.group("void"):
                builder.handle_startendtag(tag, attrs)
            else:
                builder.handle_starttag(tag, attrs)
        else:
            builder.handle_endtag(end.lower())
    return builder.root if at == len(text) else None


def _parse_html(text: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


@lru_cache(maxsize=1)
def _parse(text: str) -> _Element:
    """The tree of a body. The last one is kept: a desired body is checked and put in
    canonical form one after the other, from one reading. So the tree is shared: nothing may
    change it once built."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _parse_plain(text) or _parse_html(text)


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
    if node.tag == TOO_DEEP:
        return CUT
    if node.tag == "br":
        return "\n"
    if node.tag in _DROPPED:
        return ""
    return "".join(_text_of(child) for child in node.children)
