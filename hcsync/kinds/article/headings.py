"""The heading rule: which level a heading ends at once Intercom has stored it.

Intercom's own pages disagree: the developer guide says h3-h6 are replaced by h2, the help
article says they become "H1 and H2 while maintaining the hierarchy", and an editor-made
article in a public test fixture keeps h3/h4; hence a rule chosen per workspace instead of one.
``"h3-h6 to h2"`` (the guide), ``"renumber"`` (the shallowest level used becomes h1, every
deeper level h2: the help article's "H1 and H2 while maintaining the hierarchy"; it also
converges with a server that renumbers by rank and keeps a third level as h3) or ``"keep"``.
Each rule is idempotent, so a live body that already went through it is unchanged by it, and
the desired body ends where the server would put it: an edit the server erases (h3 to h4 under
"h3-h6 to h2") is not a change; ``validate`` warns about it instead.

Owns the rules and applying one to a model. Must not read or write HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Literal

from hcsync.kinds.article.model import Block, Callout, Container, Heading, ListBlock, Table

HeadingRule = Literal["h3-h6 to h2", "renumber", "keep"]
HEADING_RULES: tuple[HeadingRule, ...] = ("h3-h6 to h2", "renumber", "keep")
# The config's ``heading_levels:`` (named as the emulator's switch) -> the rule; h2 by default.
HEADING_LEVELS: dict[str, HeadingRule] = {
    "h2": "h3-h6 to h2",
    "renumber": "renumber",
    "keep": "keep",
}
DEFAULT_HEADING_LEVELS = "h2"
LEVELS_OF: dict[HeadingRule, str] = {rule: name for name, rule in HEADING_LEVELS.items()}


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
