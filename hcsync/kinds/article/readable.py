"""Bodies as readable text, and the unified diff of two bodies a plan shows.

Owns ``readable_lines`` and ``readable_diff``. The text is for people only: it is never
compared (``canonical`` is), and a diff must never show a change as nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from hcsync.kinds.article.blocks import _model
from hcsync.kinds.article.canonical import _block_lines
from hcsync.kinds.article.headings import HeadingRule
from hcsync.kinds.article.model import (
    Block,
    Br,
    Callout,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Para,
    Pre,
    Rule,
    Styled,
    Table,
    Text,
)


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
