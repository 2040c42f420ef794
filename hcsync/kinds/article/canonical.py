"""The canonical form: one text per body such that Intercom's rewriting of what it stores is
never a difference and any edit a reader would see is one.

Owns ``canonical`` and writing the model back as HTML, one block per line. Must not read HTML
itself (``blocks`` does) nor decide a rule that belongs to ``inline``, ``headings`` or ``urls``.

Why a canonical form, and why this one
--------------------------------------
Intercom stores HTML differently from what it was sent (``shared/intercom-api.md``, "Articles
(2.10)"), so comparing strings never converges. Public tools that sync Markdown to help centers
show the ways this goes wrong: a review of a Go Intercom CLI found it compared a checksum of
the HTML it pushed with one of what it pulled, so every push patched every article; a
Confluence publisher could not skip unchanged pages because the storage format it reads back is
not what it sent, and fell back to "update if older than"; a Zendesk plugin embeds its own MD5
in each article to have something stable to compare; an npm Intercom sync normalises with three
regular expressions (heading ids, empty paragraphs, whitespace), which would still tell
``<li>x</li>`` from ``<li><p class="no-margin">x</p></li>`` and a link with ``target`` from one
without. Hence a parsed, structural canonical form rather than string clean-up. That tool's
design notes and tests also record what Intercom keeps: the alignment classes, the callout
colour in ``style="background-color: …"``, buttons as ``a.intercom-h2b-button``, videos as
``div.intercom-h2b-video > iframe``, and tables stored as ``table[role=presentation] > tbody >
tr > td > p.no-margin`` with no ``thead``/``th`` (hence "a header cell is a cell" below).
Intercom's own pages disagree on headings, hence the ``headings`` parameter instead of one
rule (see ``headings``).

The canonical rules
-------------------
The body is read into blocks (paragraph, heading, code block, rule, list, table, callout,
other container) holding inline content (text, bold, italic, code, underline, strike,
sub/superscript, link, button, line break, image, video), then written back one block per line
(a list or a table spreads over several lines, one item line per paragraph and one line per
row). Intercom's rewriting that is **not** a change:

- attributes nobody reads: ``id`` (``h_<hex>`` heading ids), ``class`` (``no-margin``,
  ``intercom-content-link``, ``language-*`` …) except the meaningful ones below, ``target``,
  ``rel``, ``role``, ``title``, ``width``/``height``, ``style`` except alignment and a
  callout's background colour;
- tag synonyms: ``strong`` is ``b``, ``em`` is ``i``, ``strike``/``del`` are ``s``, ``th`` is
  ``td`` (Intercom stores no header cells), ``thead``/``tbody``/``tfoot`` are not kept;
- wrappers: any ``div`` that is not a callout (``div.intercom-container``, the table container
  ``div.intercom-interblocks-table-container``, the video wrapper ``div.intercom-h2b-video``)
  is unwrapped, passing its alignment to what it holds; ``span`` and unknown inline tags are
  unwrapped;
- paragraphs: text outside a paragraph (top level, list items, cells, callouts) is a
  paragraph, so ``<li>x</li>`` equals ``<li><p class="no-margin">x</p></li>``; empty
  paragraphs (nothing but whitespace and ``<br>``) are dropped; an image, a video, or a link
  holding only an image is a block of its own (Intercom stores them in their own container),
  so a paragraph is split around one;
- whitespace: runs of spaces, tabs, newlines and no-break spaces are one space, trimmed at the
  edges of a block and around ``<br>``, moved out of the edges of bold/italic/links;
  adjacent bold (italic, …) runs and adjacent links to the same target are merged; a code
  block keeps its text exactly, less leading and trailing blank lines (``<br>`` inside it is a
  newline);
- alignment ``left`` is the default and is not written;
- images by identity (see ``urls``), so a freshly signed URL is not a change;
- headings by the ``headings`` rule (see ``headings``), applied to both sides, so an edit the
  server erases (h3 to h4 under "h3-h6 to h2") is not a change; ``validate`` warns about it;
- inline style is a set per character, written back in one nesting order (``b``, ``i``,
  ``u``, ``s``, ``code``, ``sub``, ``sup``), so ``<b><i>x</i></b>`` equals
  ``<i><b>x</b></i>``, and an empty ``<b></b>`` is nothing; a line break, an image or a
  video carries no style (none shows), so ``a<b><br></b>b`` equals ``a<br>b``;
- comments, ``script``, ``style`` and ``template`` are dropped.

Not compared although a reader might notice (each is something Intercom rewrites or we cannot
know): an image's size attributes, header cells versus cells, the pixels of an image kept
under the same file name, content a table holds outside its cells, a list's ``type``.

What **is** a change: any text (case, punctuation, words), block structure (paragraphs,
headings and their level after the rule, lists and their nesting, ``ol start``, tables and
their rows, cells, ``colspan``/``rowspan``), inline style (bold, italic, code, …), a link's
target (``href`` as written, trimmed), a button's text and target, which image (identity) and
its alt text, a video's ``src``, alignment (``intercom-align-center|right|justify`` classes,
``style="text-align: …"`` or ``align=``, inherited by what a container holds), a callout and
its colour, any other container (``blockquote``, ``details``/``summary``, ``dl``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache

from hcsync.kinds.article.blocks import _model
from hcsync.kinds.article.headings import HeadingRule
from hcsync.kinds.article.model import (
    Block,
    Br,
    Callout,
    Cell,
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
from hcsync.kinds.article.tree import BUTTON_CLASS, CALLOUT_CLASS, _parse


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _align_attr(align: str) -> str:
    return f' class="intercom-align-{align}"' if align else ""


def _inline_html(inlines: Iterable[Inline]) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(html.escape(node.text, quote=False))
        elif isinstance(node, Styled):
            parts.append(f"<{node.tag}>{_inline_html(node.children)}</{node.tag}>")
        elif isinstance(node, Link):
            cls = f' class="{BUTTON_CLASS}"' if node.button else ""
            parts.append(f'<a{cls} href="{_attr(node.href)}">{_inline_html(node.children)}</a>')
        elif isinstance(node, Br):
            parts.append("<br>")
        elif isinstance(node, Image):
            # The identity is in a URL-safe alphabet: read again, it is its own identity.
            alt = f' alt="{_attr(node.alt)}"' if node.alt else ""
            parts.append(f'<img src="{_attr(node.file)}"{alt}>')
        else:
            parts.append(f'<iframe src="{_attr(node.src)}"></iframe>')
    return "".join(parts)


def _block_lines(blocks: Iterable[Block], indent: str = "") -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.append(f"{indent}<p{_align_attr(block.align)}>{_inline_html(block.inlines)}</p>")
        elif isinstance(block, Heading):
            tag = f"h{block.level}"
            body = _inline_html(block.inlines)
            lines.append(f"{indent}<{tag}{_align_attr(block.align)}>{body}</{tag}>")
        elif isinstance(block, Pre):
            # One block, one line: the code's newlines are written as character references.
            code = html.escape(block.text, quote=False).replace("\n", "&#10;")
            lines.append(f"{indent}<pre>{code}</pre>")
        elif isinstance(block, Rule):
            lines.append(f"{indent}<hr>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            lines.append(f"{indent}<{tag}{start}>")
            for item in block.items:
                inner = _block_lines(item, indent + "    ")
                if len(inner) == 1:  # the usual item, one paragraph: one line
                    lines.append(f"{indent}  <li>{inner[0].strip()}</li>")
                else:
                    lines.extend([f"{indent}  <li>", *inner, f"{indent}  </li>"])
            lines.append(f"{indent}</{tag}>")
        elif isinstance(block, Table):
            lines.append(f"{indent}<table>")
            for row in block.rows:
                cells = "".join(_cell_html(cell) for cell in row)
                lines.append(f"{indent}  <tr>{cells}</tr>")
            lines.append(f"{indent}</table>")
        elif isinstance(block, Callout):
            style = f' style="background-color: {_attr(block.color)}"' if block.color else ""
            lines.append(f'{indent}<div class="{CALLOUT_CLASS}"{style}>')
            lines.extend(_block_lines(block.blocks, indent + "  "))
            lines.append(f"{indent}</div>")
        else:
            lines.append(f"{indent}<{block.tag}>")
            lines.extend(_block_lines(block.blocks, indent + "  "))
            lines.append(f"{indent}</{block.tag}>")
    return lines


def _cell_html(cell: Cell) -> str:
    spans = "".join(
        f' {name}="{value}"'
        for name, value in (("colspan", cell.colspan), ("rowspan", cell.rowspan))
        if value > 1
    )
    return f"<td{spans}>{''.join(line.strip() for line in _block_lines(cell.blocks))}</td>"


# Canonical forms are remembered: a desired body's is worked out while it is checked (from
# the same reading), and duplicate articles compare the same bodies again. Bounded, so a
# library caller planning many help centers does not keep every body alive.
REMEMBERED = 1 << 14


@lru_cache(maxsize=REMEMBERED)
def canonical(body: str, *, headings: HeadingRule) -> str:
    """The form in which a desired and a live body are compared (see the module docstring).

    Idempotent: ``canonical(canonical(b, headings=r), headings=r) == canonical(b, headings=r)``.
    Empty for a body with nothing a reader would see.
    """
    return "\n".join(_block_lines(_model(body, headings)))


def forget_bodies() -> None:
    """Forget every remembered canonical form and reading (a benchmark's runs start cold)."""
    canonical.cache_clear()
    _parse.cache_clear()
