"""The HTML tree read into blocks: paragraphs, headings, code, rules, lists, tables, callouts.

Owns the canonical block rules: text outside a paragraph (top level, list items, cells,
callouts) is a paragraph; empty paragraphs are dropped; ``div`` (unless a callout), ``span`` and
the other wrappers are unwrapped, passing their alignment on; ``th`` is ``td`` and
``thead``/``tbody``/``tfoot`` are not kept; a code block keeps its text exactly, less leading
and trailing blank lines. ``_model`` is the one entry point: a body, read and put through the
heading rule. Must not write HTML (that is ``canonical``/``readable``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hcsync.kinds.article.headings import HeadingRule, _level_map, _levels, _relevel
from hcsync.kinds.article.inline import _atoms, _block_inlines, _clean, _plain, _split_embeds
from hcsync.kinds.article.model import (
    Block,
    Callout,
    Cell,
    Container,
    Heading,
    ListBlock,
    Para,
    Pre,
    Rule,
    Table,
)
from hcsync.kinds.article.tree import (
    _BLOCKS,
    _CONTAINERS,
    _DROPPED,
    _HEADINGS,
    CALLOUT_CLASS,
    _align,
    _classes,
    _Element,
    _parse,
    _style,
    _text_of,
)


def _flow(nodes: Iterable[_Element | str], align: str) -> list[Block]:
    """Blocks from mixed content: runs of inline content become paragraphs."""
    blocks: list[Block] = []
    pending: list[_Element | str] = []

    def flush() -> None:
        plain = _plain(pending) if pending else None
        if plain is not None:
            if plain:
                blocks.append(Para(align, plain))
            pending.clear()
        elif pending:
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


def _model(body: str, headings: HeadingRule) -> tuple[Block, ...]:
    blocks = tuple(_flow(_parse(body).children, ""))
    return _relevel(blocks, _level_map(_levels(blocks), headings))
