"""The collection kind: everything hcsync knows that is particular to Help Center collections.

Owns, for collections only: the API endpoint, reading the file's tree of entries
(``desired``) and Intercom's answers (``read_live``, through the engine's shared rules in
``normalize``), the request bodies, the help center's default locale check, the notes about
sibling order, and the collection's place in the apply order (first to be written, last to be
deleted; a collection's parent is a collection; three levels at most).

Request bodies are held to the official 2.10 description (``create_collection_request``,
``update_collection_request``) by the contract tests. What Intercom does with a key it did not
need is unknown (a null locale may delete, be ignored or be refused, for instance for a locale
the help center has not enabled; ``parent_id`` on an update that does not move may reorder),
so the rule is **send the least**:

- a create sends ``name``, ``help_center_id`` (an integer, as the description types it), and
  only what the file has: ``description`` when it is not empty, ``parent_id`` when nested,
  ``translated_content`` with the file's own locales;
- an update sends only the fields that change: ``name``, ``description``, one entry of
  ``translated_content`` per locale that changes (``null`` only to remove a translation that
  exists live), ``parent_id`` only for a move;
- a park (the first half of a move through the top level) sends ``parent_id: null`` alone.

The default locale's text goes only in top-level ``name``/``description`` (Intercom mirrors it
into ``translated_content`` itself). Pure: no HTTP, no IO.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hcsync.config import Config, DesiredCollection, Translation
from hcsync.errors import UsageError
from hcsync.limits import MAX_CHANGE_SHARE, MAX_DEPTH, MIN_EXISTING
from hcsync.locales import LOCALES
from hcsync.match import Matching
from hcsync.model import LiveNode, Node, Text, id_order, path_text
from hcsync.normalize import live_translations, read_items, text
from hcsync.plan import Change
from hcsync.resource import Context, Desired, Endpoint, LiveItems, ResourceKind, register

if TYPE_CHECKING:
    from hcsync.client import IntercomClient

Path = tuple[str, ...]
COLLECTIONS = Endpoint("/help_center/collections", "collection", "collections")
TRANSLATED = "group_translated_content"
MAX_ORDER_NOTES = 5


class CollectionKind(ResourceKind):
    name = "collection"
    endpoint = COLLECTIONS
    rank = 0
    parent_kind = "collection"
    max_depth = MAX_DEPTH
    max_change_share = MAX_CHANGE_SHARE
    min_existing = MIN_EXISTING

    # -- the two sides ----------------------------------------------------------------------

    def desired(self, config: Any) -> list[Desired]:
        assert isinstance(config, Config)
        return [
            Desired(
                node=desired_node(entry, path[:-1], config.default_locale),
                source=config.source,
                line=entry.line,
                column=entry.column,
                where=entry.path,
                pin=entry.id,
                previously=entry.previously,
            )
            for path, entry in desired_entries(config)
        ]

    def read_live(
        self,
        raw: Sequence[Mapping[str, Any]],
        default_locale: str,
        parents: Mapping[str, LiveNode] | None = None,
    ) -> LiveItems:
        return read_live(raw, default_locale)  # a collection's parent is a collection

    def list_live(self, client: IntercomClient, help_center_id: str) -> list[dict[str, Any]]:
        # Collections are listed workspace-wide; the help center's own are chosen as plan
        # chooses them (top-level ones by help_center_id, the rest by their parent chain).
        from hcsync.live import fetch_live  # live lists with this module's endpoint

        return list(fetch_live(client, help_center_id).collections)

    # -- bodies -------------------------------------------------------------------------------

    def create_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        return create_body(
            change,
            parent_id=parent_id,
            help_center_id=context.help_center_id,
            default_locale=context.default_locale,
        )

    def update_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        return update_body(change, parent_id=parent_id, default_locale=context.default_locale)

    def ownership(self, config: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        assert isinstance(config, Config)
        return config.ignore, config.protect

    # -- checks and notes ---------------------------------------------------------------------

    def check(
        self, config: Any, raw: Sequence[Mapping[str, Any]], default_locale: str | None
    ) -> None:
        assert isinstance(config, Config)
        reported = set(live_default_locales(raw))
        if default_locale:
            reported.add(default_locale)
        wrong = sorted(loc for loc in reported if loc != config.default_locale)
        if wrong:
            line = config.default_locale_line
            where = f"{config.source}:{line}" if line else config.source
            raise UsageError(
                f"{where}: the help center's default locale is {', '.join(wrong)} but"
                f" {config.source} says default_locale: {config.default_locale}; translations"
                f" would be compared against the wrong locale. Set default_locale: {wrong[0]}"
                f" in {config.source}."
            )

    def notes(
        self, desired: Sequence[Desired], live: Mapping[str, LiveNode], matching: Matching
    ) -> tuple[str, ...]:
        return order_notes(desired, live, matching)

    def unkept_hint(self, change: Change, field: str) -> str | None:
        # One of the known unknowns: the UI offers no description below the top level.
        if field == "description" and len(change.path) > 1:
            return "nested collections may not carry descriptions"
        return None


COLLECTION = register(CollectionKind())


# ---------------------------------------------------------------------------- desired side


def desired_nodes(config: Config) -> dict[Path, Node]:
    """Every desired entry as a Node, keyed by its path of default-locale names, file order."""
    return {
        path: desired_node(entry, path[:-1], config.default_locale)
        for path, entry in desired_entries(config)
    }


def desired_entries(config: Config) -> list[tuple[Path, DesiredCollection]]:
    """Every entry with its path of names, parents before children, in file order."""
    out: list[tuple[Path, DesiredCollection]] = []

    def visit(entries: Sequence[DesiredCollection], parent: Path) -> None:
        for entry in entries:
            path = (*parent, entry.name)
            out.append((path, entry))
            visit(entry.children, path)

    visit(config.collections, ())
    return out


def desired_node(entry: DesiredCollection, parent: Path, default_locale: str) -> Node:
    """One desired entry as a Node under ``parent`` (its children are not included).

    A missing description is "" (Intercom answers "" for "not given"); names are exact:
    nothing is stripped or case-folded, because Intercom keeps them verbatim.
    """
    return Node(
        path=(*parent, entry.name),
        description=entry.description or "",
        translations=_desired_translations(entry.translations, default_locale),
    )


def _desired_translations(
    translations: Mapping[str, Translation], default_locale: str
) -> tuple[tuple[str, Text], ...]:
    # The checks reject the default locale in `translations`; dropping it here as well keeps
    # both sides symmetrical even for a Config built by hand.
    texts = {
        locale: Text(t.name, t.description or "")
        for locale, t in translations.items()
        if locale != default_locale
    }
    return tuple(sorted((loc, t) for loc, t in texts.items() if t.name or t.description))


# ------------------------------------------------------------------------------- live side


def live_nodes(raw: Sequence[Mapping[str, Any]], default_locale: str) -> dict[str, LiveNode]:
    """Raw collection dicts of one help center as LiveNodes keyed by id (see ``read_live``)."""
    return read_live(raw, default_locale).nodes


def read_live(raw: Sequence[Mapping[str, Any]], default_locale: str) -> LiveItems:
    """Normalise raw collection dicts (``normalize.read_items``): read-only fields (id as
    content, workspace_id, timestamps, url, icon, order, help_center_id) never reach a Node."""

    def node(item: Mapping[str, Any], path: Path) -> Node:
        return Node(
            path=path,
            description=text(item.get("description")),
            translations=live_translations(
                item.get("translated_content"), default_locale, _live_text
            ),
        )

    return read_items(raw, endpoint=COLLECTIONS, name=_name, node=node)


def _live_text(content: Mapping[str, Any]) -> Text:
    return Text(text(content.get("name")), text(content.get("description")))


def _name(item: Mapping[str, Any]) -> str:
    return text(item.get("name"))


def live_default_locales(live: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The default locales the raw collections report, in listing order, each once.

    Intercom sends ``default_locale`` on collections of multilingual help centers only; a
    consistent help center reports one locale (or none).
    """
    found = (item.get("default_locale") for item in live)
    return tuple(dict.fromkeys(str(loc) for loc in found if isinstance(loc, str) and loc))


# ------------------------------------------------------------------------------- notes


def order_notes(
    desired: Sequence[Desired], nodes: Mapping[str, LiveNode], matching: Matching
) -> tuple[str, ...]:
    """A note for each parent under which Intercom lists existing collections in another
    order than the file: not a change, since ``order`` is read-only in Intercom's API (apply
    controls only the order it creates new collections in: file order)."""
    groups: dict[Path, list[Desired]] = {(): []}
    for entry in desired:  # parents before children, so groups come out parents first
        groups.setdefault(entry.path[:-1], []).append(entry)
    notes: list[str] = []
    for parent_path, entries in groups.items():
        parent_id = matching.live_id(parent_path) if parent_path else None
        if parent_path and parent_id is None:
            continue  # a parent this plan creates: its children are all created in file order
        staying = [
            nodes[cid]
            for cid in (matching.live_id(e.path) for e in entries)
            if cid is not None
            and nodes[cid].parent_id == parent_id
            and nodes[cid].order is not None
        ]
        live_order = sorted(staying, key=lambda n: (n.order, id_order(n.id)))
        if [n.id for n in live_order] != [n.id for n in staying]:
            where = f"under {path_text(parent_path)}" if parent_path else "at the top level"
            shown = ", ".join(repr(n.node.name) for n in live_order)
            notes.append(
                f"{where}, Intercom lists {shown} in another order than the file;"
                " Intercom's API cannot reorder existing collections (order is read-only):"
                " reorder them in Intercom's editor, or in the file (not a change)"
            )
    if len(notes) > MAX_ORDER_NOTES:
        rest = len(notes) - MAX_ORDER_NOTES
        notes = [*notes[:MAX_ORDER_NOTES], f"... and {rest} more parents whose order differs"]
    return tuple(notes)


# ------------------------------------------------------------------------------- bodies


def create_body(
    change: Change, *, parent_id: str | None, help_center_id: str, default_locale: str
) -> dict[str, Any]:
    """The body of ``POST /help_center/collections`` for a planned create."""
    _check_locales(change.translations, default_locale)
    body: dict[str, Any] = {"name": change.name}
    if change.description:
        body["description"] = change.description
    if change.translations:
        body["translated_content"] = _translated(change.translations)
    if parent_id is not None:
        body["parent_id"] = parent_id
    body["help_center_id"] = int(help_center_id)
    return body


def update_body(change: Change, *, parent_id: str | None, default_locale: str) -> dict[str, Any]:
    """The body of ``PUT /help_center/collections/{id}``: the fields ``change`` changes.

    ``parent_id`` is where a move puts it (None: the top level); it is sent only when the
    change moves the collection.
    """
    _check_locales(change.translations, default_locale)
    fields = {c.field for c in change.changes}
    body: dict[str, Any] = {}
    if "name" in fields:
        body["name"] = change.name
    if "description" in fields:
        body["description"] = change.description
    texts = dict(change.translations)
    locales = [c for c in change.changes if c.locale is not None]
    if locales:
        _check_locales(((c.locale, Text("")) for c in locales if c.locale), default_locale)
        translated: dict[str, Any] = {"type": TRANSLATED}
        for c in locales:
            assert c.locale is not None
            content = texts.get(c.locale)
            old = c.old if isinstance(c.old, Text) else None
            translated[c.locale] = None if content is None else _content(content, old)
        body["translated_content"] = translated
    if "parent" in fields:
        body["parent_id"] = parent_id
    if not body:
        raise ValueError(f"an update of {change.path} that changes nothing")
    return body


def park_body() -> dict[str, Any]:
    """The body that moves a collection to the top level, and changes nothing else."""
    return COLLECTION.park_body()


def _translated(translations: Iterable[tuple[str, Text]]) -> dict[str, Any]:
    return {"type": TRANSLATED, **{loc: _content(t) for loc, t in translations}}


def _content(content: Text, old: Text | None = None) -> dict[str, str]:
    """One locale's ``group_content``: its description only when it has one, or when one
    exists live that this clears."""
    out = {"type": "group_content", "name": content.name}
    if content.description or (old is not None and old.description):
        out["description"] = content.description
    return out


def _check_locales(translations: Iterable[tuple[str, Text]], default_locale: str) -> None:
    # The config checks reject all of these; reaching here is a bug upstream, not a user's.
    if default_locale not in LOCALES:
        raise ValueError(f"default locale {default_locale!r} is not one Intercom knows")
    locales = {loc for loc, _ in translations}
    unknown = sorted(locales - set(LOCALES))
    if unknown:
        raise ValueError(f"unknown locales in translations: {', '.join(unknown)}")
    if default_locale in locales:
        raise ValueError(f"translations must not contain the default locale {default_locale!r}")
