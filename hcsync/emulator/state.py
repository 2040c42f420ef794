"""The emulator's stateful store: help centers, collections and the rules Intercom keeps.

Owns: the records, the id and write-sequence counters, the tree rules (parent exists, same
help center, at most three levels, no cycles, children deleted first), the workspace's
article and admin stores (``self.articles``, ``self.admins``; their rules live in
``articles`` and ``admins``, which ask this store whether a collection exists) and the
write-side switches of ``Behaviour`` for collections (``self.behaviour``): whether a move
is depth-checked (``depth_on_moves``), what a null locale does (``null_locale``),
``parent_id "0"`` as the top level (``top_level_parent_id``), nested collections losing
their descriptions (``nested_description``) and what deleting a collection does to the
articles in it (``collection_delete_with_articles``).
Must not: render answers (``shapes`` does), know about HTTP, headers, faults or rate limits
(``app`` does), take a lock (the caller holds the emulator's one lock), or import hcsync
modules other than ``locales``.

Where real Intercom's behaviour is unknown the store is strict, so clients are kept honest:
deleting a collection with child collections is refused (and, unless
``collection_delete_with_articles`` says otherwise, one holding articles), and a parent id
that does not exist is a 400 ``parameter_invalid`` (POST describes no 404).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from hcsync.locales import LOCALES

from .admins import Admins
from .articles import Articles
from .behaviour import Behaviour
from .refusals import Refusal as Refusal  # re-exported: state's callers catch it from here
from .refusals import not_found as not_found

MAX_DEPTH = 3  # top level is depth 1; the description and the UI allow three levels
WORKSPACE_ID = "hcsyncemu"
ICON = "book-bookmark"


Translations = Mapping[str, Mapping[str, str] | None]


@dataclass(frozen=True)
class Fields:
    """The fields of one create or update; ``given`` says which keys the body contained.

    The store's input for a write; ``bodies`` builds it from a request body (it lives here,
    with the store that consumes it, so ``bodies`` imports ``state`` and never the reverse).
    """

    name: str | None = None
    description: str | None = None
    translations: Translations = field(default_factory=dict)
    parent_id: str | None = None
    help_center_id: int | None = None
    given: frozenset[str] = frozenset()


@dataclass
class HelpCenter:
    id: str
    identifier: str
    display_name: str
    website_turned_on: bool
    created_at: int


@dataclass
class Collection:
    id: str
    help_center_id: str
    parent_id: str | None
    name: str
    description: str
    # non-default locales only, locale -> (name, description); the default locale's text
    # *is* name/description, so it cannot drift from them
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)
    order: int = 0
    created_at: int = 0
    updated_at: int = 0
    seq: int = 0  # write sequence: breaks updated_at ties, most recent write first


class Store:
    """Every help center and collection of one emulated workspace."""

    def __init__(
        self,
        *,
        default_locale: str,
        multilingual: bool,
        clock: Callable[[], float],
        behaviour: Behaviour | None = None,
    ) -> None:
        if default_locale not in LOCALES:
            raise ValueError(f"default_locale {default_locale!r} is not one of {LOCALES}")
        self.default_locale = default_locale
        self.multilingual = multilingual
        self.behaviour = Behaviour() if behaviour is None else behaviour
        self._clock = clock
        self.help_centers: dict[str, HelpCenter] = {}
        self.records: dict[str, Collection] = {}
        self._next_help_center_id = 101
        self._next_collection_id = 7001
        self._seq = 0
        self.admins = Admins()
        self.articles = Articles(
            self._now,
            default_locale=default_locale,
            behaviour=lambda: self.behaviour,
            collection_exists=lambda id: id in self.records,
            admin_exists=self.admins.known,
            hosts_down=set(),
        )

    # ---- help centers -------------------------------------------------------------------

    def add_help_center(
        self, identifier: str, display_name: str | None, website_turned_on: bool
    ) -> HelpCenter:
        if any(hc.identifier == identifier for hc in self.help_centers.values()):
            raise ValueError(f"a help center with identifier {identifier!r} already exists")
        hc = HelpCenter(
            id=str(self._next_help_center_id),
            identifier=identifier,
            display_name=display_name if display_name is not None else identifier,
            website_turned_on=website_turned_on,
            created_at=self._now(),
        )
        self._next_help_center_id += 1
        self.help_centers[hc.id] = hc
        return hc

    def help_center(self, id: str) -> HelpCenter:
        hc = self.help_centers.get(id)
        if hc is None:
            raise not_found()
        return hc

    def _default_help_center(self) -> HelpCenter:
        if not self.help_centers:
            raise Refusal(400, "parameter_invalid", "This workspace has no Help Center.")
        return next(iter(self.help_centers.values()))  # dicts keep insertion order

    # ---- collections: reads -------------------------------------------------------------

    def get(self, id: str) -> Collection:
        record = self.records.get(id)
        if record is None:
            raise not_found()
        return record

    def listing(self) -> list[Collection]:
        """All collections, as the list endpoint orders them: newest ``updated_at`` first."""
        return sorted(self.records.values(), key=lambda r: (r.updated_at, r.seq), reverse=True)

    def children(self, id: str) -> list[Collection]:
        return [r for r in self.records.values() if r.parent_id == id]

    def depth(self, record: Collection) -> int:
        depth = 1
        while record.parent_id is not None:
            record = self.records[record.parent_id]
            depth += 1
        return depth

    def height(self, record: Collection) -> int:
        """Levels in the subtree rooted at ``record`` (a leaf is 1)."""
        return 1 + max((self.height(child) for child in self.children(record.id)), default=0)

    # ---- collections: writes ------------------------------------------------------------

    def create(self, fields: Fields) -> Collection:
        assert fields.name is not None  # parse_create requires it
        parent = self._parent(self._top_level_as_none(fields.parent_id))
        help_center = self._create_help_center(fields.help_center_id, parent)
        if parent is not None and self.depth(parent) + 1 > MAX_DEPTH:
            raise _too_deep()
        record = Collection(
            id=str(self._next_collection_id),
            help_center_id=help_center.id,
            parent_id=parent.id if parent else None,
            name=fields.name,
            description="",
            order=self._next_order(help_center.id, parent.id if parent else None),
            created_at=self._now(),
        )
        record = self._without_nested_descriptions(self._with_text(record, fields))
        self._next_collection_id += 1
        self._touch(record)
        self.records[record.id] = record
        return record

    def update(self, id: str, fields: Fields) -> Collection:
        current = self.get(id)
        kept = dict(current.translations)
        if "translated_content" in fields.given and self.behaviour.translations_on_put == "replace":
            kept = {}  # the object sent is the whole new value: locales not named are gone
        record = self._with_text(replace(current, translations=kept), fields)
        parent_id = self._top_level_as_none(fields.parent_id)
        if "parent_id" in fields.given and parent_id != current.parent_id:
            record = self._moved(record, parent_id)
        record = self._without_nested_descriptions(record)
        # Intercom bumps updated_at on every successful write, even one that changes nothing.
        self._touch(record)
        self.records[id] = record
        return record

    def delete(self, id: str) -> None:
        self.get(id)
        if self.children(id):
            raise Refusal(
                400,
                "parameter_invalid",
                "Collection has child collections; delete or move them first.",
            )
        held = self.articles.in_collection(id)
        if held:
            mode = self.behaviour.collection_delete_with_articles
            if mode == "refuse":
                raise Refusal(
                    400, "parameter_invalid", "Collection has articles; move or delete them first."
                )
            if mode == "orphan":
                self.articles.orphan(held)
            else:
                self.articles.remove(held)
        del self.records[id]

    # ---- helpers ------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock())

    def _touch(self, record: Collection) -> None:
        self._seq += 1
        record.seq = self._seq
        record.updated_at = self._now()

    def _top_level_as_none(self, parent_id: str | None) -> str | None:
        """``"0"`` means the top level in writes only where it is how the top level reads."""
        if parent_id == "0" and self.behaviour.top_level_parent_id == "0":
            return None
        return parent_id

    def _parent(self, parent_id: str | None) -> Collection | None:
        if parent_id is None:
            return None
        parent = self.records.get(parent_id)
        if parent is None:
            raise Refusal(
                400, "parameter_invalid", f"parent_id {parent_id} is not an existing collection."
            )
        return parent

    def _create_help_center(self, wanted: int | None, parent: Collection | None) -> HelpCenter:
        if wanted is None:
            # a child lives where its parent lives; a top-level one in the default help center
            return (
                self.help_centers[parent.help_center_id] if parent else self._default_help_center()
            )
        help_center = self.help_centers.get(str(wanted))
        if help_center is None:
            raise Refusal(
                400, "parameter_invalid", f"help_center_id {wanted} is not a Help Center."
            )
        if parent is not None and parent.help_center_id != help_center.id:
            raise _other_help_center(parent.id)
        return help_center

    def _next_order(self, help_center_id: str, parent_id: str | None) -> int:
        siblings = [
            r.order
            for r in self.records.values()
            if r.help_center_id == help_center_id and r.parent_id == parent_id
        ]
        return max(siblings, default=-1) + 1

    def _moved(self, record: Collection, parent_id: str | None) -> Collection:
        parent = self._parent(parent_id)
        if parent is not None:
            if parent.help_center_id != record.help_center_id:
                raise _other_help_center(parent.id)
            ancestor: Collection | None = parent
            while ancestor is not None:
                if ancestor.id == record.id:
                    raise Refusal(
                        400,
                        "parameter_invalid",
                        "parent_id would make the collection its own ancestor.",
                    )
                ancestor = self.records[ancestor.parent_id] if ancestor.parent_id else None
            if (
                self.behaviour.depth_on_moves
                and self.depth(parent) + self.height(record) > MAX_DEPTH
            ):
                raise _too_deep()
        record.parent_id = parent.id if parent else None
        record.order = self._next_order(record.help_center_id, record.parent_id)
        return record

    def _with_text(self, record: Collection, fields: Fields) -> Collection:
        """Apply translated_content, then top-level name/description, so top-level wins."""
        for locale, entry in fields.translations.items():
            where = f"translated_content.{locale}"
            if locale == self.default_locale:
                if entry is None:
                    raise Refusal(
                        400,
                        "parameter_invalid",
                        f"{where} is the default locale's content and cannot be cleared.",
                    )
                record.name = entry.get("name", record.name)
                record.description = entry.get("description", record.description)
            elif entry is None:
                if self.behaviour.null_locale == "reject":
                    raise Refusal(400, "parameter_invalid", f"{where} must be an object, not null.")
                if self.behaviour.null_locale == "delete":
                    record.translations.pop(locale, None)
            else:
                old_name, old_description = record.translations.get(locale, (None, ""))
                name = entry.get("name", old_name)
                if name is None:
                    raise Refusal(400, "parameter_invalid", f"{where}.name is required.")
                if not name.strip():
                    raise Refusal(400, "parameter_invalid", f"{where}.name cannot be blank.")
                record.translations[locale] = (name, entry.get("description", old_description))
        if fields.name is not None:
            record.name = fields.name
        if fields.description is not None:
            record.description = fields.description
        if not record.name.strip():
            raise Refusal(400, "parameter_invalid", "Name cannot be blank.")
        return record

    def _without_nested_descriptions(self, record: Collection) -> Collection:
        """With ``nested_description="drop"``, a nested collection keeps no description."""
        if record.parent_id is not None and self.behaviour.nested_description == "drop":
            record.description = ""
            record.translations = {
                locale: (name, "") for locale, (name, _) in record.translations.items()
            }
        return record


def _too_deep() -> Refusal:
    return Refusal(
        400,
        "parameter_invalid",
        f"Collections can be nested at most {MAX_DEPTH} levels deep.",
    )


def _other_help_center(parent_id: str) -> Refusal:
    return Refusal(
        400,
        "parameter_invalid",
        f"parent_id {parent_id} is a collection in another Help Center.",
    )
