"""Inline content read into the model: text, style, links, breaks, images and videos.

Owns the canonical inline rules: whitespace (runs of spaces, tabs, newlines and no-break spaces
are one space, trimmed at the edges of a block and around ``<br>``, moved out of the edges of
bold/italic/links), style as a set per character written back in one nesting order (a line
break, an image or a video carries none), adjacent
runs and links to the same target merged, and a paragraph split around an image, a video or a
link holding only images. Must not read blocks (``blocks`` calls it) nor write HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import NamedTuple, Union

from hcsync.kinds.article.model import Br, Image, Inline, Link, Styled, Text, Video
from hcsync.kinds.article.tree import (
    _DROPPED,
    _STYLES,
    _WS,
    BUTTON_CLASS,
    CUT,
    TOO_DEEP,
    _classes,
    _Element,
)
from hcsync.kinds.article.urls import _video_src, image_identity

# Inline content is read as a flat run of atoms (a word, a space, a break, an image, a video),
# each carrying its set of styles and its link, then built back into elements in one fixed
# nesting order. So <b><i>x</i></b> and <i><b>x</b></i>, <b>a</b><b>b</b> and <b>ab</b>,
# <b>x <b>y</b></b> and <b>x y</b> all come out the same, and an empty <b></b> vanishes.
_STYLE_ORDER = ("b", "i", "u", "s", "code", "sub", "sup")
_UNSTYLED: frozenset[str] = frozenset()
_SPACES = re.compile(f"({_WS.pattern})")
_LinkKey = Union[tuple[str, bool], None]  # noqa: UP007


class _Atom(NamedTuple):  # a tuple: made for every word and space, so cheap to make
    item: Inline | None  # None: a space
    styles: frozenset[str]
    link: _LinkKey


def _atoms(
    nodes: Iterable[_Element | str], styles: frozenset[str], link: _LinkKey
) -> Iterator[_Atom]:
    for node in nodes:
        if isinstance(node, str):
            # Split on one capturing group: the runs of spaces are the odd parts.
            for index, word in enumerate(_SPACES.split(node)):
                if word:
                    yield _Atom(None if index % 2 else Text(word), styles, link)
            continue
        tag = node.tag
        if tag in _DROPPED:
            continue
        if tag == TOO_DEEP:  # where a hostile body was cut: never the same as one read whole
            yield _Atom(Text(CUT), _UNSTYLED, link)
            continue
        # A line break, an image or a video shows no style: bold around one is not kept, so
        # Intercom moving a <br> out of a <b> (or an image out of it) is no change.
        if tag == "br":
            yield _Atom(Br(), _UNSTYLED, link)
        elif tag == "img":
            alt = _WS.sub(" ", node.attrs.get("alt", "")).strip()
            yield _Atom(Image(image_identity(node.attrs.get("src", "")), alt), _UNSTYLED, link)
        elif tag == "iframe":
            yield _Atom(Video(_video_src(node.attrs.get("src", ""))), _UNSTYLED, link)
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
    for link, run in _runs(atoms):
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
    segments.append(current)
    return segments


def _runs(atoms: Iterable[_Atom]) -> Iterator[tuple[_LinkKey, list[_Atom]]]:
    """The atoms in runs of one link (None: outside any link), in order."""
    for link, run in groupby(atoms, key=lambda atom: atom.link):
        yield link, list(run)


def _block_inlines(nodes: Sequence[_Element | str]) -> tuple[Inline, ...]:
    plain = _plain(nodes)
    return _clean(list(_atoms(nodes, frozenset(), None))) if plain is None else plain


def _plain(nodes: Sequence[_Element | str]) -> tuple[Inline, ...] | None:
    """Inline content that is text alone, in canonical form, as ``_clean`` of its atoms would
    give it (one unstyled text, whitespace runs made one space, none at the edges) but with no
    atom made; None when an element is among ``nodes``. Most blocks are such text."""
    if not all(type(node) is str for node in nodes):
        return None
    text = _WS.sub(" ", "".join(nodes)).strip(" ")  # type: ignore[arg-type]
    return (Text(text),) if text else ()


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
    for link, run in _runs(atoms):
        used = frozenset().union(*(atom.styles for atom in run))
        children = _nest(run, tuple(style for style in _STYLE_ORDER if style in used))
        if link is None:
            out.extend(children)
        else:
            out.append(Link(link[0], link[1], children))
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
