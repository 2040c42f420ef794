"""Intercom's rewriting of the article HTML it stores, and the bodies it refuses.

Owns: parsing a body (``html.parser``, standard library only) into a small tree, the checks
that make a body a 400 (an image whose ``src`` is relative, not http(s), or on a host the
emulator is told is down; an empty list; a table inside a table; an iframe from a host that
is not one of a few video hosts), the rewriting Intercom applies before storing (below),
writing the tree back out, and signing the CDN image URLs of a stored body on every read.
Must not: know about records, HTTP or switches beyond the ``Rules`` it is handed (``articles``
builds them from ``Behaviour``), or import hcsync modules.

The rewriting, as ``intercom-api.md`` describes Intercom's (each step a no-op on its own
output, so rewriting a stored body again changes nothing):

- text and inline elements standing directly in a flow container (the body itself, a list
  item, a table cell, a blockquote, a plain ``div`` such as a callout) are wrapped in
  ``<p class="no-margin">``; every ``p`` gets that class; whitespace between blocks goes;
- ``strong``/``em`` become ``b``/``i``; ``script``/``style`` are dropped;
- heading levels follow ``Rules.heading_levels`` (``h2``: h3-h6 become h2, as Intercom's
  "supported HTML" guide says; ``renumber``: the levels used are renumbered from h1 in
  order; ``keep``), and each heading gets ``id="h_<hex>"`` (kept when it has one);
- links get ``target="_blank"`` and class ``intercom-content-link`` (buttons,
  ``a.intercom-h2b-button``, are left as they are);
- images are "fetched" and re-hosted on the CDN (``CDN``; the same source gives the same
  CDN URL, its file name kept last, a CDN URL read back with a signature is stored without
  it) and, standing in a flow container, wrapped in ``<div class="intercom-container">``;
- tables get ``role="presentation"`` and a ``div.intercom-interblocks-table-container``;
  video iframes a ``div.intercom-h2b-video``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from .behaviour import HeadingLevels
from .refusals import invalid

CDN = "https://downloads.intercomcdn.com/i/o/"
# The video hosts Intercom's "supported HTML" guide names (YouTube, Wistia, Vimeo, Loom,
# Vidyard, StreamIO), a subdomain included (www.youtube.com, player.vimeo.com): an iframe
# from any other host is refused.
VIDEO_HOSTS = frozenset(
    {
        "youtube.com",
        "youtube-nocookie.com",
        "vimeo.com",
        "wistia.com",
        "wistia.net",
        "loom.com",
        "vidyard.com",
        "streamio.com",
    }
)
# Intercom's answer to a body nested absurdly deep is not documented: the strict case is a
# 400, past the depth ``hcsync validate`` refuses (a test holds the two limits equal; the two
# readers close implied elements such as <p> a little differently, so near the limit they
# may count a level apart). Every reading of the tree here recurses once a level, so it is
# also what keeps the emulator up.
MAX_DEPTH = 40
_VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
)
_INLINE = frozenset(
    "a abbr b br cite code del em i ins kbd mark q s samp small span strong sub sup u var".split()  # noqa: SIM905
)
_DROPPED = frozenset({"script", "style"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_STRUCTURAL = frozenset({"ul", "ol", "table", "thead", "tbody", "tfoot", "tr"})
_BLOCKS = frozenset({"p", "div", "ul", "ol", "table", "pre", "blockquote", "hr", *_HEADINGS})
# a start tag -> the open elements it closes first (HTML's implied end tags, the common ones)
_IMPLIED = {"li": {"li", "p"}, "td": {"td", "th", "p"}, "th": {"td", "th", "p"}}
_IMPLIED["tr"] = {"tr", *_IMPLIED["td"]}
_CONTAINER = "intercom-container"
_TABLE_CONTAINER = "intercom-interblocks-table-container"
_VIDEO = "intercom-h2b-video"
_BUTTON = "intercom-h2b-button"
_SIGNABLE = re.compile(r'(src=")(' + re.escape(CDN) + r'[^"?#]*)(")')


@dataclass(frozen=True)
class Rules:
    """What the server does to a body it stores (built from ``Behaviour`` by ``articles``)."""

    rewrite: bool = True  # off: checked, then stored exactly as sent
    heading_levels: HeadingLevels = "h2"
    hosts_down: AbstractSet[str] = frozenset()
    workspace: str = "hcsyncemu"


@dataclass
class Node:
    """An element (``tag``) or, with ``tag`` empty, a run of text."""

    tag: str
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    def set(self, name: str, value: str) -> None:
        for i, (key, _) in enumerate(self.attrs):
            if key == name:
                self.attrs[i] = (name, value)
                return
        self.attrs.append((name, value))

    def classes(self) -> list[str]:
        return (self.attr("class") or "").split()

    def add_class(self, name: str) -> None:
        if name not in self.classes():
            self.set("class", " ".join([*self.classes(), name]))

    def is_blank_text(self) -> bool:
        return self.tag == "" and not self.text.strip()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self._stack = [self.root]
        self._skipping = 0  # inside script/style

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._skipping += 1
        if self._skipping:
            return
        closes = _IMPLIED.get(tag, {"p"} if tag in _BLOCKS else set())
        while len(self._stack) > 1 and self._stack[-1].tag in closes:
            self._stack.pop()
        node = Node(tag, list(attrs))
        if len(self._stack) > MAX_DEPTH:
            raise invalid(f"The body nests elements more than {MAX_DEPTH} deep.")
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED or self._skipping:
            return
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._stack.pop()  # <p/>: an empty element

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._skipping = max(0, self._skipping - 1)
            return
        if self._skipping:
            return
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return  # an end tag with no open element is ignored, as browsers do

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        siblings = self._stack[-1].children
        if siblings and siblings[-1].tag == "":
            siblings[-1].text += data
        else:
            siblings.append(Node("", text=data))


def parse(body: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(body)
    builder.close()
    return builder.root


def serialise(nodes: list[Node]) -> str:
    out: list[str] = []
    for node in nodes:
        _write(node, out)
    return "".join(out)


def _write(node: Node, out: list[str]) -> None:
    if node.tag == "":
        out.append(escape(node.text, quote=False))
        return
    attrs = "".join(f" {k}" if v is None else f' {k}="{escape(v)}"' for k, v in node.attrs)
    out.append(f"<{node.tag}{attrs}>")
    if node.tag in _VOID:
        return
    for child in node.children:
        _write(child, out)
    out.append(f"</{node.tag}>")


# ---- what is refused ----------------------------------------------------------------------


def check(root: Node, hosts_down: AbstractSet[str], *, in_table: bool = False) -> None:
    """Raise the 400 Intercom answers for a body it cannot store."""
    for node in root.children:
        if node.tag in ("ul", "ol") and not any(c.tag == "li" for c in node.children):
            raise invalid(f"The body has an empty list (<{node.tag}> without <li>).")
        if node.tag == "table" and in_table:
            raise invalid("The body has a table inside a table; nested tables are not supported.")
        if node.tag == "img":
            _check_image(node.attr("src") or "", hosts_down)
        if node.tag == "iframe":
            source = node.attr("src") or ""
            host = (urlsplit(source.strip()).hostname or "").lower()
            if not any(host == h or host.endswith("." + h) for h in VIDEO_HOSTS):
                raise invalid(
                    f"The body has an iframe from {source!r}; only videos from "
                    f"{', '.join(sorted(VIDEO_HOSTS))} can be embedded."
                )
        check(node, hosts_down, in_table=in_table or node.tag == "table")


def _check_image(source: str, hosts_down: AbstractSet[str]) -> None:
    parts = urlsplit(source.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise invalid(
            f"The image {source!r} must have an absolute http(s) URL that Intercom can fetch."
        )
    if parts.hostname.lower() in hosts_down:
        raise invalid(f"The image {source!r} could not be fetched.")


# ---- what is stored -----------------------------------------------------------------------


def store(body: str, rules: Rules) -> str:
    """The body Intercom stores for ``body`` (a ``Refusal`` if it refuses it)."""
    root = parse(body)
    check(root, rules.hosts_down)
    if not rules.rewrite:
        return body
    levels = _heading_levels(root, rules.heading_levels)
    _rewrite(root, levels, rules.workspace, _Counter())
    return serialise(root.children)


class _Counter:
    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _heading_levels(root: Node, rule: HeadingLevels) -> dict[str, str]:
    if rule == "keep":
        return {}
    if rule == "h2":
        return {tag: "h2" for tag in _HEADINGS[2:]}
    used: set[str] = set()

    def collect(node: Node) -> None:
        for child in node.children:
            if child.tag in _HEADINGS:
                used.add(child.tag)
            collect(child)

    collect(root)
    return {tag: _HEADINGS[n] for n, tag in enumerate(sorted(used))}


def _is_flow(node: Node) -> bool:
    """Whether loose text and inline elements in ``node`` are wrapped in paragraphs."""
    if node.tag == "div":
        return not {_CONTAINER, _TABLE_CONTAINER, _VIDEO} & set(node.classes())
    return node.tag in ("#root", "li", "td", "th", "blockquote")


def _rewrite(node: Node, levels: dict[str, str], workspace: str, headings: _Counter) -> None:
    if _is_flow(node):
        node.children = _paragraphs(node.children)
    elif node.tag in _STRUCTURAL:
        node.children = [c for c in node.children if not c.is_blank_text()]
    for index, child in enumerate(node.children):
        if child.tag == "":
            continue
        _rewrite_element(child, levels, workspace, headings)
        _rewrite(child, levels, workspace, headings)
        wrapper = _wrapper(child, node)
        if wrapper is not None:
            node.children[index] = Node("div", [("class", wrapper)], [child])


def _paragraphs(children: list[Node]) -> list[Node]:
    out: list[Node] = []
    run: list[Node] = []

    def flush() -> None:
        while run and run[0].is_blank_text():
            run.pop(0)
        while run and run[-1].is_blank_text():
            run.pop()
        if run:
            if run[0].tag == "":
                run[0].text = run[0].text.lstrip()
            if run[-1].tag == "":
                run[-1].text = run[-1].text.rstrip()
            out.append(Node("p", [("class", "no-margin")], list(run)))
        run.clear()

    for child in children:
        if child.tag == "" or child.tag in _INLINE:
            run.append(child)
        else:
            flush()
            out.append(child)
    flush()
    return out


def _rewrite_element(node: Node, levels: dict[str, str], workspace: str, n: _Counter) -> None:
    tag = node.tag
    if tag == "strong":
        node.tag = "b"
    elif tag == "em":
        node.tag = "i"
    elif tag == "p":
        node.add_class("no-margin")
    elif tag in _HEADINGS:
        node.tag = levels.get(tag, tag)
        if not re.fullmatch(r"h_[0-9a-f]+", node.attr("id") or ""):
            seed = f"{n.next()}|{_text(node)}"
            node.set("id", "h_" + hashlib.sha1(seed.encode()).hexdigest()[:10])
    elif tag == "a" and _BUTTON not in node.classes():
        node.set("target", "_blank")
        node.add_class("intercom-content-link")
    elif tag == "img":
        node.set("src", _rehosted(node.attr("src") or "", workspace))
    elif tag == "table":
        node.set("role", "presentation")


def _wrapper(child: Node, parent: Node) -> str | None:
    """The class of the ``div`` Intercom wraps ``child`` in, if it does."""
    around = set(parent.classes()) if parent.tag == "div" else set()
    if child.tag == "img" and _is_flow(parent) and _CONTAINER not in around:
        return _CONTAINER
    if child.tag == "table" and _TABLE_CONTAINER not in around:
        return _TABLE_CONTAINER
    if child.tag == "iframe" and _VIDEO not in around:
        return _VIDEO
    return None


def _rehosted(source: str, workspace: str) -> str:
    source = source.strip()
    parts = urlsplit(source)
    if source.startswith(CDN):
        return parts._replace(query="", fragment="").geturl()  # a signed URL read back
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", unquote(parts.path.rsplit("/", 1)[-1])) or "image"
    digest = hashlib.sha1(source.encode()).hexdigest()[:16]
    return f"{CDN}{workspace}/{digest}/{name}"


def _text(node: Node) -> str:
    return node.text if node.tag == "" else "".join(_text(c) for c in node.children)


# ---- what is read -------------------------------------------------------------------------


def signed(body: str, sign: Callable[[str], str]) -> str:
    """``body`` with each CDN image URL replaced by ``sign(url)`` (a fresh one per call)."""
    return _SIGNABLE.sub(lambda m: m.group(1) + escape(sign(m.group(2))) + m.group(3), body)
