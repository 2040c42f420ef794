"""The canonical block model: what a body is once Intercom's rewriting is read away.

A body is blocks (paragraph, heading, code block, rule, list, table, callout, other container)
holding inline content (text, bold, italic, code, underline, strike, sub/superscript, link,
button, line break, image, video). Plain frozen data: building it is ``blocks``/``inline``,
writing it is ``canonical``/``readable``; this module must hold no behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


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
