"""A stored article body (HTML) back to Markdown, for ``hcsync export``: only where nothing is lost.

Owns ``to_markdown`` (HTML to CommonMark plus tables: headings, paragraphs, bold, italic,
inline code, links, images, line breaks, lists nested or ordered, code blocks, tables,
rules, block quotes), ``convert`` (the rule that decides between Markdown and ``format:
html``) and ``unsigned`` / ``unsigned_html`` (dropping an expiring signing query from image
URLs). Must not read files, do HTTP or know about front matter (``hcsync.export`` does).

Never losing content
--------------------
``convert`` turns a body into Markdown, renders that back with hcsync's own renderer
(``rendering.render_markdown``, what ``plan`` will send) and compares the two in canonical
form (``canonical(..., headings="keep")``, the strictest rule: equal under it is equal under
every heading rule). Only when they are equal is the Markdown kept; otherwise the body is
kept as the HTML it is, to be written with ``format: html``, and the reason is given. What
Markdown cannot say is refused up front, with a reason a person understands: callouts,
buttons, videos, alignment, underline, strikethrough, sub/superscript, merged table cells,
a table cell holding more than one paragraph, and containers such as ``<details>``. Anything
else the converter gets wrong (an emphasis CommonMark reads another way, a link markdown-it
would percent-encode) is caught by the comparison, never written as Markdown.

Images: the stable URL, never the signed one
--------------------------------------------
Intercom re-hosts every image on its CDN and signs the URL afresh on each read
(``…/settings.png?expires=…&signature=…``); written into a file, such a URL stops working
when it expires. An exported image is written as that CDN URL **without its signing query**:
it is the form Intercom stores (the emulator, like Intercom, keeps a CDN URL sent back as
its own image rather than fetching it again), the image's identity (its file name and alt
text, ``urls.image_identity``) is unchanged, so ``export`` then ``plan`` is empty, and it
does not expire in the file. Downloading the images instead would need a place where they
are published (``images_base_url``) before the first apply, which an export cannot provide.
A link or any other URL carrying a signing query loses that query too.

Pure: no IO.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl

from hcsync.kinds.article.canonical import canonical
from hcsync.kinds.article.rendering import render_markdown
from hcsync.kinds.article.tree import (
    _BLOCKS,
    _CONTAINERS,
    _DROPPED,
    _HEADINGS,
    _STYLES,
    BUTTON_CLASS,
    CALLOUT_CLASS,
    MAX_DEPTH,
    TOO_DEEP,
    _align,
    _classes,
    _Element,
    _parse,
    _text_of,
)

# Query keys that make a URL an expiring signed one (Intercom's CDN, S3, CloudFront).
_SIGNING_KEYS = frozenset({"expires", "signature", "x-amz-signature", "x-amz-expires"})
_URL = re.compile(r"""https?://[^\s"'<>()]+""", re.IGNORECASE)
_WS = re.compile(r"[ \t\n\r\f\xa0]+")
_BR = "\x00"  # a hard line break while a paragraph is assembled
_UNSUPPORTED_STYLES = {
    "u": "underline",
    "s": "strikethrough",
    "sub": "subscript",
    "sup": "superscript",
}


class Unsupported(Exception):
    """Something Markdown cannot say; ``reason`` names it for the person reading the export."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Converted:
    """A body as an export writes it: Markdown when that loses nothing, else the HTML."""

    format: Literal["markdown", "html"]
    body: str
    reason: str = ""  # why it is HTML ("" for Markdown)


def unsigned(url: str) -> str:
    """``url`` without its query when that query signs it (``expires``/``signature``)."""
    base, mark, query = url.partition("?")
    if not mark:
        return url
    keys = {key.lower() for key, _ in parse_qsl(html.unescape(query), keep_blank_values=True)}
    return base if keys & _SIGNING_KEYS else url


def unsigned_html(body: str) -> str:
    """``body`` with every signed URL in it (image sources above all) unsigned."""
    return _URL.sub(lambda m: unsigned(m.group(0)), body)


def is_signed(text: str) -> bool:
    """Whether ``text`` holds a URL with a signing query."""
    return any(unsigned(m.group(0)) != m.group(0) for m in _URL.finditer(text))


def convert(body: str) -> Converted:
    """``body`` (stored HTML) as Markdown if rendering that Markdown back gives the same
    canonical form, else as the HTML it is; signed URLs unsigned either way."""
    source = unsigned_html(body)
    try:
        markdown = to_markdown(source)
    except Unsupported as why:
        return Converted("html", source, why.reason)
    back = render_markdown(markdown)
    if canonical(back, headings="keep") != canonical(source, headings="keep"):
        return Converted("html", source, "Markdown would not render it the same")
    return Converted("markdown", markdown)


def to_markdown(body: str) -> str:
    """``body`` as Markdown; ``Unsupported`` for what Markdown cannot say (the reason names
    each of the blocks Intercom's editor makes that Markdown has no way to write)."""
    root = _parse(unsigned_html(body))
    found = _editor_blocks(root)
    if found:
        raise Unsupported(", ".join(found))
    return _Writer().flow(root.children)


def _editor_blocks(root: _Element) -> list[str]:
    """Which of callouts, buttons, videos and alignment ``root`` holds, in that order; and
    whether it was cut (nested too deep to read whole, ``tree.MAX_DEPTH``)."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag == "div" and CALLOUT_CLASS in _classes(node):
            seen.add("a callout")
        if node.tag == "a" and BUTTON_CLASS in _classes(node):
            seen.add("a button")
        if node.tag == "iframe":
            seen.add("a video")
        if _align(node):
            seen.add("alignment")
        if node.tag == TOO_DEEP:
            seen.add(_CUT_REASON)
        stack.extend(child for child in node.children if isinstance(child, _Element))
    return [r for r in ("a callout", "a button", "a video", "alignment", _CUT_REASON) if r in seen]


_CUT_REASON = f"HTML nested more than {MAX_DEPTH} deep"


# -- inline content ------------------------------------------------------------------------


def _collapse(text: str) -> str:
    return _WS.sub(" ", text)


def _escape(text: str) -> str:
    """Plain text as Markdown that reads back as the same text."""
    text = re.sub(r"([\\`*\[\]<>|])", r"\\\1", text)
    # Intraword underscores never make emphasis ("snake_case"); others might.
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", r"\\&", text)  # not an entity reference
    text = re.sub(r"(?:(?<=\s)|^)#|#(?=\s|$)", r"\\#", text)  # not a heading's marks
    return re.sub(r"!$", r"\\!", text)  # not an image, should a link follow


def _line_start(line: str) -> str:
    """A line escaped where its first characters would start a block."""
    number = re.match(r"\d{1,9}(?=[.)])", line)
    if number:
        return f"{number.group(0)}\\{line[number.end() :]}"
    if line[:1] in ("#", "-", "+", "=", "~"):
        return "\\" + line
    return line


def _destination(url: str) -> str:
    url = unsigned(url.strip())
    if any(ch in url for ch in "<>") or any(ord(ch) < 32 for ch in url):
        raise Unsupported("a link or image address Markdown cannot write")
    escaped = re.sub(r"([\\()])", r"\\\1", url)
    escaped = re.sub(r"&(?=#?[A-Za-z0-9]+;)", r"\\&", escaped)
    return f"<{url}>" if " " in url else escaped


def _wrap(inner: str, mark: str) -> str:
    core = inner.strip(" ")
    if not core.strip(" " + _BR):
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _code_span(text: str, in_table: bool) -> str:
    content = _collapse(text)
    if not content.strip():
        return content
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content[0] in "` " or content[-1] in "` " else ""
    if in_table:
        content = content.replace("|", "\\|")
    return f"{fence}{pad}{content}{pad}{fence}"


def _merged(nodes: list[_Element | str]) -> list[_Element | str]:
    """Adjacent runs of one style as one (``<b>a</b><b>b</b>``), as the canonical form reads
    them: written apart, ``**a****b**`` would not read back as bold."""
    out: list[_Element | str] = []
    for node in nodes:
        last = out[-1] if out else None
        if (
            isinstance(node, _Element)
            and isinstance(last, _Element)
            and _STYLES.get(node.tag) in ("b", "i")
            and _STYLES.get(node.tag) == _STYLES.get(last.tag)
            and not node.attrs
            and not last.attrs
        ):
            out[-1] = _Element(last.tag, {}, [*last.children, *node.children])
        else:
            out.append(node)
    return out


# -- blocks --------------------------------------------------------------------------------


class _Writer:
    """Markdown for a body ``to_markdown`` has checked: it never meets a callout, a button, a
    video or alignment (``_editor_blocks`` refused those), only what Markdown may say."""

    def __init__(self) -> None:
        self.in_table = False

    def inline(self, nodes: list[_Element | str], active: frozenset[str] = frozenset()) -> str:
        out: list[str] = []
        for node in _merged(nodes):
            if isinstance(node, str):
                out.append(_escape(_collapse(node)))
                continue
            tag = node.tag
            if tag in _DROPPED:
                continue
            style = _STYLES.get(tag)
            if tag == "br":
                out.append(_BR)
            elif tag == "img":
                out.append(self.image(node))
            elif style in ("b", "i"):
                inner = self.inline(node.children, active | {style})
                mark = "**" if style == "b" else "*"
                out.append(inner if style in active else _wrap(inner, mark))
            elif style == "code":
                out.append(_code_span(_text_of(node), self.in_table))
            elif style is not None:
                raise Unsupported(_UNSUPPORTED_STYLES.get(style, f"<{tag}>"))
            elif tag == "a":
                out.append(self.link(node, active))
            elif tag in _BLOCKS or tag in _CONTAINERS:
                raise Unsupported(f"a <{tag}> inside a line of text")
            else:  # span, and any tag the canonical form unwraps
                out.append(self.inline(node.children, active))
        return "".join(out)

    def image(self, node: _Element) -> str:
        alt = _escape(_collapse(node.attrs.get("alt", "")).strip())
        return f"![{alt}]({_destination(node.attrs.get('src', ''))})"

    def link(self, node: _Element, active: frozenset[str]) -> str:
        inner = self.inline(node.children, active)
        if "href" not in node.attrs:
            return inner
        core = inner.strip(" ")
        lead = inner[: len(inner) - len(inner.lstrip(" "))]
        trail = inner[len(inner.rstrip(" ")) :]
        return f"{lead}[{core}]({_destination(node.attrs['href'])}){trail}"

    def paragraph(self, nodes: list[_Element | str]) -> str:
        text = self.inline(nodes).strip(" " + _BR)
        return "\\\n".join(_line_start(line.strip(" ")) for line in text.split(_BR))

    # Each block as (kind, Markdown); kind tells a list from what it may follow.
    def blocks(self, nodes: list[_Element | str]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        pending: list[_Element | str] = []

        def flush() -> None:
            if pending:
                text = self.paragraph(pending)
                if text:
                    out.append(("p", text))
                pending.clear()

        for node in nodes:
            if isinstance(node, str) or node.tag not in _BLOCKS:
                pending.append(node)
                continue
            flush()
            out.extend(self.block(node, out[-1][0] if out else ""))
        flush()
        return out

    def block(self, node: _Element, previous: str) -> list[tuple[str, str]]:
        tag = node.tag
        if tag in _DROPPED:
            return []
        if tag == "p":
            return self.blocks(node.children)
        if tag in _HEADINGS:
            text = self.paragraph(node.children)
            if "\n" in text:
                raise Unsupported("a line break in a heading")
            return [("h", f"{'#' * _HEADINGS[tag]} {text}".rstrip())]
        if tag == "pre":
            return [("pre", self.code_block(node))]
        if tag == "hr":
            return [("hr", "***")]
        if tag in ("ul", "ol"):
            return self.list(node, previous)
        if tag == "table":
            return [("table", self.table(node))]
        if tag == "blockquote":
            inner = self.flow(node.children)
            quoted = "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
            return [("quote", quoted)]
        if tag in _CONTAINERS:
            raise Unsupported(f"<{tag}>")
        return self.blocks(node.children)  # a wrapper: what it holds

    def flow(self, nodes: list[_Element | str], *, item: bool = False) -> str:
        parts = [(kind, text) for kind, text in self.blocks(nodes) if text]
        out = ""
        for index, (kind, text) in enumerate(parts):
            if index:
                # In an item, a list right after its text stays tight ("- a\n  - b"), where
                # CommonMark lets a list start without a blank line (not an ordered one from 2).
                tight = item and parts[index - 1][0] == "p" and kind[:3] in ("ul-", "ul*", "ol1")
                out += "\n" if tight else "\n\n"
            out += text
        return out

    def code_block(self, node: _Element) -> str:
        lines = _text_of(node).replace("\xa0", " ").split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        text = "\n".join(lines)
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        language = ""
        for child in node.children:
            if isinstance(child, _Element) and child.tag == "code":
                found = [c for c in _classes(child) if c.startswith("language-")]
                language = found[0].removeprefix("language-") if found else ""
        if "`" in language:
            language = ""
        return f"{fence}{language}\n{text}\n{fence}" if text else f"{fence}{language}\n{fence}"

    def list(self, node: _Element, previous: str) -> list[tuple[str, str]]:
        ordered = node.tag == "ol"
        start = 1
        if ordered:
            try:
                start = int(node.attrs.get("start", "1").strip() or "1")
            except ValueError as exc:
                raise Unsupported("a list numbered in a way Markdown cannot say") from exc
            if not 0 <= start <= 999_999_999:
                raise Unsupported("a list numbered in a way Markdown cannot say")
        items: list[_Element] = []
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    raise Unsupported("text inside a list but outside its items")
            elif child.tag == "li":
                items.append(child)
            elif child.tag not in _DROPPED:
                raise Unsupported(f"a <{child.tag}> inside a list but outside its items")
        if not items:
            return []
        # Two lists in a row are one list in Markdown unless the marker changes: the kind
        # ends with the marker used ("ul-", "ol1."), so the next list can take the other.
        usual, second = (".", ")") if ordered else ("-", "*")
        same = previous[:2] == node.tag and previous[-1:] == usual
        mark = second if same else usual
        kind = f"{('ol1' if start == 1 else 'ol') if ordered else 'ul'}{mark}"
        lines: list[str] = []
        for number, item in enumerate(items, start):
            marker = f"{number}{mark}" if ordered else mark
            body = self.flow(item.children, item=True)
            if not body:
                lines.append(marker)
                continue
            first, *rest = body.split("\n")
            pad = " " * (len(marker) + 1)
            lines.append(f"{marker} {first}")
            lines.extend(pad + line if line else "" for line in rest)
        return [(kind, "\n".join(lines))]

    def table(self, node: _Element) -> str:
        def rows(parent: _Element) -> list[_Element]:
            found: list[_Element] = []
            for child in parent.children:
                if isinstance(child, str):
                    if child.strip():
                        raise Unsupported("text inside a table but outside its cells")
                elif child.tag == "tr":
                    found.append(child)
                elif child.tag in ("thead", "tbody", "tfoot"):
                    found.extend(rows(child))
                elif child.tag not in _DROPPED:
                    raise Unsupported(f"a <{child.tag}> inside a table")
            return found

        table: list[list[str]] = []
        self.in_table = True
        try:
            for tr in rows(node):
                cells = []
                for cell in tr.children:
                    if isinstance(cell, str):
                        continue
                    if cell.tag not in ("td", "th"):
                        raise Unsupported(f"a <{cell.tag}> inside a table row")
                    if _span_of(cell, "colspan") > 1 or _span_of(cell, "rowspan") > 1:
                        raise Unsupported("merged table cells")
                    content = self.blocks(cell.children)
                    if len(content) > 1 or any(kind != "p" for kind, _ in content):
                        raise Unsupported("a table cell holding more than one line of text")
                    text = content[0][1] if content else ""
                    if "\n" in text:
                        raise Unsupported("a line break in a table cell")
                    cells.append(text)
                if cells:
                    table.append(cells)
        finally:
            self.in_table = False
        if not table:
            return ""
        width = len(table[0])
        if any(len(row) != width for row in table):
            raise Unsupported("table rows of different lengths")
        lines = [_row(table[0]), _row(["---"] * width), *(_row(row) for row in table[1:])]
        return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _span_of(cell: _Element, name: str) -> int:
    try:
        return int(cell.attrs.get(name, "1").strip() or "1")
    except ValueError:
        return 1
