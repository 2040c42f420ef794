"""The emulator's switches for what real Intercom may do where nobody here knows what it does.

Owns: the ``Behaviour`` value, the choices each switch allows, validating them, and
``variants()`` (the defaults plus every switch flipped on its own, for parametrised tests).
Must not: act on any switch. The write-side switches are applied by ``state`` (depth on
moves, null locales, ``parent_id "0"`` in writes, dropping nested descriptions, deleting a
collection that holds articles) and ``articles`` (null locales and ``translations_on_put``
for articles, the HTML rewriting through ``rewriting``), the read-side ones by ``shapes``
(escaped names, the top level's ``parent_id`` and ``help_center_id``, nested descriptions
read as null, signed image URLs) and the list ones by ``paging`` (``per_page`` above the
maximum, ``total_pages``, tied ``updated_at``).

``Behaviour`` is frozen: to change the emulator mid-test, swap the whole value,
``emu.behaviour = dataclasses.replace(emu.behaviour, unstable_ties=True)``. The defaults are
what the emulator did before the switches existed (its strict reading of the 2.10
description). Each switch stands for a plausible real behaviour:

``depth_on_moves`` (default on)
    The three-level limit is checked on a move (a PUT changing ``parent_id``) as on a create,
    counting the moved subtree: depth(new parent) + height(subtree) > 3 is a 400. Off: only
    creates are depth-checked, as a server that validates depth only when it creates would.
``unstable_ties`` (default off)
    The lists are sorted on ``updated_at`` alone, a one-second, non-unique key: on,
    collections (or articles) with the same ``updated_at`` come back in a fresh random order
    on every list request (the emulator's seeded ``random.Random``), so two reads of one page
    can differ and offset pages may overlap or skip items. Off: ties are broken by the most
    recent write first.
``null_locale`` (default ``"delete"``)
    What ``"<locale>": null`` in ``translated_content`` of a POST or PUT does: ``delete`` that
    translation, ``ignore`` the null (the translation is kept), or ``reject`` the request
    with a 400 ``parameter_invalid`` naming ``translated_content.<locale>`` (as a server
    checking the locale against the help center's enabled ones might). The default locale
    can never be cleared: a null for it is a 400 under every choice. Articles alike.
``nested_description`` (default ``"keep"``)
    ``drop``: a nested collection (one with a parent; a "section" before 2.8) keeps no
    description. Every write that leaves a collection nested (a create under a parent, any
    update of a nested one, a move under a parent) stores its description and the
    description of each of its translations as empty, and a nested collection reads back
    with the top-level ``description`` null and ``description: ""`` in every
    ``translated_content`` entry, the default locale's mirror included
    (``group_content.description`` is a non-nullable string in the description). Names are
    kept. Moved back to the top level, it has description ``""``.
``escape_names`` (default off)
    Names read back HTML-escaped (``html.escape(name, quote=False)``: ``&`` ``<`` ``>``
    become ``&amp;`` ``&lt;`` ``&gt;``), the top-level ``name`` and every translation's
    ``name``, in every answer (list, get, create and update). What is stored stays as
    written, so a client that writes back what it read doubles the escaping.
``per_page_over_max`` (default ``"clamp"``)
    A ``per_page`` above the maximum (150) is ``clamp``-ed (``pages.per_page`` says what was
    used) or ``reject``-ed with a 400 ``parameter_invalid``. Every list endpoint.
``top_level_parent_id`` (default ``"null"``)
    How a top-level collection's ``parent_id`` reads: ``null``, or the string ``"0"``. With
    ``"0"``, writes accept ``parent_id: "0"`` as "top level" as well as null; with
    ``"null"``, ``"0"`` is an unknown parent (400) like any other id.
``top_level_help_center_id`` (default ``"set"``)
    ``null``: top-level collections read back with ``help_center_id`` null ("the default
    help center"), as nested ones always do.
``translations_on_put`` (default ``"merge"``)
    What a PUT's ``translated_content`` does to the locales it does not name: ``merge``
    keeps them (what teams that ran against the live API report), ``replace`` drops them, as
    a server treating the object as the whole new value would. Articles alike.
``total_pages`` (default on)
    Off: the collection and article lists' ``pages`` have no ``total_pages``; clients must
    follow ``pages.next`` until it is absent.
``collection_delete_with_articles`` (default ``"refuse"``)
    What ``DELETE /help_center/collections/{id}`` does when articles sit directly in that
    collection (undocumented; child collections are refused first, whatever this says):
    ``refuse`` it with a 400 ``parameter_invalid`` "Collection has articles; move or delete
    them first." and change nothing, as a server protecting content would (the strict
    default); ``orphan`` them: the delete succeeds and the articles stay, with ``parent_id``
    and ``parent_type`` null and a fresh ``updated_at`` (unlisted in the help center, as an
    article outside any collection is); or ``cascade``: the delete succeeds and takes the
    articles with it, as a server deleting a container's content would.
``rewrite_html`` (default on)
    Article bodies (and each translation's) are stored as Intercom rewrites them
    (``rewriting``'s docstring lists every step: ``<p class="no-margin">``, ``b``/``i``,
    heading ids, link targets and classes, images re-hosted on the CDN and wrapped, table
    and video wrappers). Off: stored and read back exactly as sent. The 400s for bodies
    Intercom refuses (relative or unreachable images, empty lists, nested tables, iframes
    from other hosts) apply either way.
``heading_levels`` (default ``"h2"``)
    What the rewriting does to heading levels, where sources disagree: ``h2``: h3 to h6
    become h2 (Intercom's "supported HTML" guide); ``renumber``: the levels a body uses are
    renumbered from h1 in order (h2, h4 become h1, h2); ``keep``: levels stay (an
    editor-made article in a public test fixture keeps h3 and h4). Only with
    ``rewrite_html``.
``signed_image_urls`` (default on)
    Every read of an article (list, get, create, update answers, and the Python API) gives
    each re-hosted image a freshly signed URL, ``<cdn url>?expires=<unix>&signature=<hex>``,
    different on every read, so the same body never reads the same twice. Off: the stable
    CDN URL. Only with ``rewrite_html``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal, get_args

NullLocale = Literal["delete", "ignore", "reject"]
NestedDescription = Literal["keep", "drop"]
PerPageOverMax = Literal["clamp", "reject"]
TopLevelParentId = Literal["null", "0"]
TopLevelHelpCenterId = Literal["set", "null"]
TranslationsOnPut = Literal["merge", "replace"]
CollectionDeleteWithArticles = Literal["refuse", "orphan", "cascade"]
HeadingLevels = Literal["h2", "renumber", "keep"]

# switch name -> its allowed values, for validation and the command line's choices
CHOICES: dict[str, tuple[str, ...]] = {
    "null_locale": get_args(NullLocale),
    "nested_description": get_args(NestedDescription),
    "per_page_over_max": get_args(PerPageOverMax),
    "top_level_parent_id": get_args(TopLevelParentId),
    "top_level_help_center_id": get_args(TopLevelHelpCenterId),
    "translations_on_put": get_args(TranslationsOnPut),
    "collection_delete_with_articles": get_args(CollectionDeleteWithArticles),
    "heading_levels": get_args(HeadingLevels),
}


@dataclass(frozen=True)
class Behaviour:
    """One choice per unknown of the real API; see the module docstring for each switch."""

    depth_on_moves: bool = True
    unstable_ties: bool = False
    null_locale: NullLocale = "delete"
    nested_description: NestedDescription = "keep"
    escape_names: bool = False
    per_page_over_max: PerPageOverMax = "clamp"
    top_level_parent_id: TopLevelParentId = "null"
    top_level_help_center_id: TopLevelHelpCenterId = "set"
    translations_on_put: TranslationsOnPut = "merge"
    total_pages: bool = True
    collection_delete_with_articles: CollectionDeleteWithArticles = "refuse"
    rewrite_html: bool = True
    heading_levels: HeadingLevels = "h2"
    signed_image_urls: bool = True

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            choices = CHOICES.get(field.name)
            if choices is None and not isinstance(value, bool):
                raise ValueError(f"{field.name} must be True or False, not {value!r}")
            if choices is not None and value not in choices:
                raise ValueError(f"{field.name} must be one of {choices}, not {value!r}")


def variants() -> list[tuple[str, Behaviour]]:
    """``("default", Behaviour())`` and each switch alone at each of its other values.

    The ids read like ``"null_locale=reject"``, ready for ``pytest.mark.parametrize``.
    """
    default = Behaviour()
    out = [("default", default)]
    for field in fields(Behaviour):
        current = getattr(default, field.name)
        for value in CHOICES.get(field.name, (True, False)):
            if value != current:
                change: dict[str, Any] = {field.name: value}
                out.append((f"{field.name}={value}", replace(default, **change)))
    return out
