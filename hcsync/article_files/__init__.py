"""Reading a folder of article files (Markdown with YAML front matter) into plain values.

This package owns the article files' format and ``load_articles``, the articles' front half
(files -> front matter -> schema -> checks across files -> these values), one module each:
``values`` (what a folder reads into), ``one_file`` (reading one file and checking it alone),
``across`` (the checks that relate files to one another) and ``folder`` (finding the files,
then building the values). It raises
ConfigError listing every problem of every file at once, each at ``file:line:column``, as
``config.load_config`` does for the YAML config. It does no HTTP, knows nothing of live
state, and does not read bodies: rendering and checking them is ``hcsync.kinds.article``'s.

The format
----------
An article is a file ``<name>.md``; everything in it up to the body is front matter, YAML
between two ``---`` lines, the first of them the file's first line::

    ---
    title: Install the desktop app           # required
    description: Download, install, sign in  # optional
    collection: Getting started / Install    # required: a path of names, or an id ("6871119")
    state: published                         # required: published | draft, never defaulted
    author: jane@example.com                 # optional: an admin's email or id
    id: "8120342"                            # optional: pin to a live article
    previously: [Installing the app]         # optional: earlier titles
    format: markdown                         # optional: markdown (default) | html
    images_base_url: https://example.com/img/  # optional: where relative images are published
    ---
    The body, in Markdown (or HTML with format: html).

- ``schemas/article.schema.json`` is the front matter's reference (``$defs/translation`` for
  a translation's); unknown keys are errors, with a "did you mean".
- ``collection`` is a path of collection names from the top, split on ``/`` with the spaces
  around each name ignored (as in ``protect:``/``ignore:`` paths), at most three levels; or,
  when all digits (a bare number too), a live collection's id. So a collection whose name
  holds ``/`` or is all digits is named by its id.
- ``author`` and ``id`` take digits as text or a bare number, as the config's ``id`` does.
- The body is everything after the closing ``---`` line (that line's own line break is not
  part of it), kept exactly: line endings, blank lines, trailing spaces.
- A translation is a sibling file ``<name>.<locale>.md`` (a locale of ``hcsync.locales``)
  with its own ``title`` and ``state`` (required, as for the article: a French draft of a
  published article is common, and a silent default is what the format refuses), optional
  ``description`` and ``author``, and its own body. The ``collection``, ``id``,
  ``previously``, ``format`` and ``images_base_url`` are the article's, written once in
  ``<name>.md``: in a translation each is an error saying so. A translation needs its
  ``<name>.md`` beside it, and is never in the default locale (that text is ``<name>.md``).

What the files and folders mean
-------------------------------
Only files ending in ``.md`` are read: images and anything else may sit beside them (the
body's relative images, published under ``images_base_url``). Names starting with ``.``
(``.git``, editors' swap files) are skipped, folders included. Subfolders are allowed and
mean nothing to Intercom: they are for people. An article's identity is its ``id`` pin, else
its title in its collection, else a ``previously`` title, never its file's name or folder,
so renaming or moving a file changes nothing live; its name only ties translations to it.
Articles come in sorted path order, folder by folder.

Decisions beyond the proposal in issue 13, and why
--------------------------------------------------
- A file name ending in something that looks like a locale but is not one Intercom knows
  (``guide.FR.md``, ``guide.pt_BR.md``, ``guide.zh.md``: two letters, optionally ``-`` or
  ``_`` and two to four more) is an error with a "did you mean", rather than a second
  article: read as one, it would be created as a duplicate in another language.
- ``images_base_url`` is the article's, like ``format``: one base for every locale's
  relative images, so a translation's screenshots are paths under the same base.
- Titles that differ only in case in one collection are refused like equal ones (as sibling
  collection names are): they look the same to readers and make matching by title fragile.
  A ``previously`` title that is the article's own title, or another article's current
  title in the same collection, is refused too, as for collections.

Problems are reported at the line of the ``.md`` file: the front matter is read by
``loader.load_yaml_text`` (the same refusals: anchors, tags, duplicate keys...), with an
empty line in place of the opening ``---`` so that YAML counts lines as the file does.
"""

from __future__ import annotations

from hcsync.article_files.folder import load_articles
from hcsync.article_files.values import (
    ARTICLE_ONLY,
    SCHEMA,
    SUFFIX,
    TRANSLATION_SCHEMA,
    Article,
    Articles,
    ArticleTranslation,
    BodyFormat,
    CollectionRef,
    State,
    show_collection,
)

__all__ = [
    "ARTICLE_ONLY",
    "SCHEMA",
    "SUFFIX",
    "TRANSLATION_SCHEMA",
    "Article",
    "ArticleTranslation",
    "Articles",
    "BodyFormat",
    "CollectionRef",
    "State",
    "load_articles",
    "show_collection",
]
