"""The article kind: ``kind`` (the ``ResourceKind``: reading, comparing, writing articles),
``desired`` (the article files as desired entries: paths, bodies, authors resolved), and
body handling: Markdown or HTML in, the HTML to send out, the canonical form both sides are
compared in, the checks ``validate`` runs, the readable diff a plan shows, and Markdown out
for ``export``.

Owns, for article bodies, one module each:

- ``rendering``: ``render_markdown`` (CommonMark plus tables, markdown-it-py; raw HTML is
  *escaped*, never passed through) and ``from_html`` (``format: html``: the HTML as written).
  Both resolve a relative image ``src`` against ``images_base_url`` when one is given
  (``render`` picks one of the two from the article's format).
- ``canonical``: ``canonical(html, headings=...)``, one text per body such that Intercom's
  rewriting of what it stores is never a difference and any edit a reader would see is one
  (why, and the rules, are in its docstring). It is built from ``tree`` (HTML read into a plain
  tree), ``blocks`` and ``inline`` (that tree read into the ``model``), ``headings`` (the
  heading rule) and ``urls`` (image and video identity).
- ``checks``: ``validate(html)``, warnings where Intercom changes the meaning (heading levels,
  an image sharing a paragraph with text, tags its guide does not list), refusals where it
  answers 400.
- ``readable``: ``readable_lines`` and ``readable_diff(old, new)``, a unified diff of the bodies
  as readable text, for the plan.
- ``markdown_out``: stored HTML back to Markdown for ``export``, and whether it round-trips
  (else the article is exported as ``format: html``).

Imports run one way: ``tree``, ``urls`` and ``model`` import nothing of the package;
``inline`` and ``headings`` build on them, ``blocks`` on those, ``canonical`` and ``checks`` on
``blocks``/``headings``, ``readable`` on ``canonical``. ``rendering`` needs only ``urls``.

Pure: no IO, no HTTP, no printing; ``tree`` reads HTML (plain HTML with one regular
expression, the rest with the stdlib ``html.parser``). ``canonical`` remembers the forms it
worked out, and ``desired`` each body's HTML and findings (bounded; ``forget_bodies`` clears
both).
The body modules do not know about files, front matter, locales or the engine: ``kind`` and
``desired`` call them.
Names with a leading underscore are private to the package; the public API is re-exported here.
"""

from __future__ import annotations

from hcsync.kinds.article.canonical import canonical
from hcsync.kinds.article.checks import Findings, validate
from hcsync.kinds.article.desired import forget_bodies
from hcsync.kinds.article.headings import HEADING_RULES, HeadingRule
from hcsync.kinds.article.readable import readable_diff, readable_lines
from hcsync.kinds.article.rendering import from_html, render, render_markdown
from hcsync.kinds.article.urls import VIDEO_HOSTS, image_identity

__all__ = [
    "HEADING_RULES",
    "VIDEO_HOSTS",
    "Findings",
    "HeadingRule",
    "canonical",
    "forget_bodies",
    "from_html",
    "image_identity",
    "readable_diff",
    "readable_lines",
    "render",
    "render_markdown",
    "validate",
]
