"""The HTML to send for an article's body, from Markdown or from HTML as written.

Owns ``render_markdown`` (CommonMark plus tables, markdown-it-py; raw HTML is *escaped*, never
passed through), ``from_html`` (``format: html``: the HTML as written) and ``render``, which
picks one by the article's format. Both resolve a relative image ``src`` against
``images_base_url`` when one is given. Must not normalise or check the result (``canonical``
and ``checks`` do).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from hcsync.kinds.article.urls import _resolve


@cache
def _markdown() -> MarkdownIt:
    # "commonmark" with html off: raw HTML in a Markdown article is shown as text, never sent
    # as markup (that takes format: html). Tables are the one extension. One parser serves
    # every body (each parse has its own env): building one costs more than a short article.
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
        quoted = html.escape(resolved, quote=True)
        new_tag = f'{tag_text[: found.start(1)]}"{quoted}"{tag_text[found.end(1) :]}'
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
