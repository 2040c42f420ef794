"""What ``validate`` finds in a body before it is sent: warnings where Intercom will change what
it means, refusals where Intercom answers 400.

Intercom's "supported HTML" guide names the video hosts (YouTube, Wistia, Vimeo, Loom,
Vidyard, StreamIO) and says images must be absolute, publicly fetchable URLs (a failed upload
is a 400), lists need a non-empty item, tables need a cell and hold no table, and list items
hold no table: ``validate`` refuses exactly those. It warns about heading levels the rule
changes, an image sharing a paragraph with text, and tags the guide does not list.

Owns ``validate`` and ``Findings``. Must not change the body nor compare bodies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from hcsync.kinds.article.headings import LEVELS_OF, HeadingRule, _level_map
from hcsync.kinds.article.tree import (
    _DROPPED,
    _HEADINGS,
    _WS,
    DEEPEST,
    TOO_DEEP,
    _Element,
    _parse,
    _text_of,
    _words,
)
from hcsync.kinds.article.urls import VIDEO_HOSTS, _is_relative, _video_src

# The tags the guide lists (and the table parts it implies): others get a warning.
SUPPORTED_TAGS = _words(
    "p br hr h1 h2 h3 h4 h5 h6 a img ul ol li table thead tbody tfoot tr td th iframe pre code "
    "b strong i em div span"
)


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
    deep = False  # refused for its depth (``tree.DEEPEST``; the emulator refuses past it too)
    for element, ancestors in found:
        tag = element.tag
        if not deep and (tag == TOO_DEEP or len(ancestors) >= DEEPEST):
            refusals.append(
                f"the HTML nests elements more than {DEEPEST} deep: hcsync refuses it (no"
                " article Intercom's editor makes comes near)"
            )
            deep = True
        if tag == TOO_DEEP:
            continue
        if tag in _HEADINGS and mapping[_HEADINGS[tag]] != _HEADINGS[tag]:
            warnings.append(
                f"<{tag}> {_short(_text_of(element))!r} becomes <h{mapping[_HEADINGS[tag]]}> in"
                f" Intercom (heading_levels: {LEVELS_OF[headings]}); use h1/h2 to say what"
                " readers will see"
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
