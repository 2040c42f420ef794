"""What the engine knows of a kind of Help Center item: the ``ResourceKind`` interface, the
values it hands over (``Endpoint``, ``Desired``), and the registry of kinds.

A kind (collection, and later article) is one module under ``hcsync/kinds/`` that subclasses
``ResourceKind`` and calls ``register`` when imported, as octoDNS's record types call
``Record.register_type``. The engine (normalise, match, diff, plan, order, apply, saved plans,
render) knows kinds only through this module: it asks the registry for a kind by the name a
plan carries, and never imports ``hcsync.kinds``. Whoever composes a run (the CLI, the
pipeline, a test with a kind of its own) imports the kinds it wants registered.

A kind says:

- ``name``, its API ``endpoint`` (path, and how one and many are named in messages);
- how the desired side normalises (``desired``: one ``Desired`` per entry, parents before
  children) and the live side (``read_live``: raw answers -> ``LiveNode``s by id);
- which fields are compared (``Node.fields`` plus the kind's own ``extra`` fields) and what
  the request bodies are (``create_body``, ``update_body``, ``park_body``);
- its place in the apply order: ``rank`` (writes of lower ranks first, deletes of higher
  ranks first), ``parent_kind`` (what an item's parent is, of any kind) and ``max_depth``
  (how deep items of this kind may nest under each other);
- its safety threshold (``max_change_share`` of at least ``min_existing`` live items);
- anything else it checks or notes about a plan (``check``, ``notes``).

Identities are ``(kind name, live id)`` everywhere an id is kept: two kinds have separate id
spaces, so a bare id could name two items. Raw items, as Intercom lists them for every kind
it has, carry ``id`` and ``updated_at``, and ``parent_id`` when they live in something; the
engine reads those three itself (``normalize``, ``apply``), and everything else through the
kind. Pure: no IO.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from hcsync.errors import UnknownKindError
from hcsync.model import LiveNode, Node, Text, name_key

if TYPE_CHECKING:
    from hcsync.client import IntercomClient
    from hcsync.match import Matching
    from hcsync.plan import Change

Identity = tuple[str, str]  # (kind name, live id)
Settings = tuple[tuple[str, str], ...]  # a kind's settings from the file: (name, value) pairs


@dataclass(frozen=True)
class Endpoint:
    """Where a kind lives in Intercom's API and how its items are named in messages."""

    path: str  # "/help_center/collections": list and create here, {path}/{id} for one item
    noun: str  # "collection"
    plural: str  # "collections"
    article: str = "a"  # "a collection", "an article"

    @property
    def one(self) -> str:
        return f"{self.article} {self.noun}"


@dataclass(frozen=True)
class Desired:
    """One desired entry as match and diff see it: normalised content and how it is found.

    ``node.path`` is its chain of names from the top (its parent's path plus its name);
    ``pin`` an ``id`` pin; ``previously`` earlier names, tried in order. ``line``/``column``
    and ``where`` (its key path in the file) place a problem; ``source`` is the file.
    """

    node: Node
    source: str
    line: int
    column: int = 1
    where: str = ""
    pin: str | None = None
    previously: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        return self.node.path

    @property
    def name(self) -> str:
        return self.node.name


@dataclass(frozen=True)
class LiveItems:
    """A kind's live items, normalised and keyed by id, plus what looked odd reading them."""

    nodes: dict[str, LiveNode]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a kind's bodies and checks may need to know about the run."""

    help_center_id: str
    default_locale: str


class ResourceKind(ABC):
    """One kind of Help Center item, as the engine handles it (see the module docstring)."""

    name: ClassVar[str]
    endpoint: ClassVar[Endpoint]
    rank: ClassVar[int] = 0
    parent_kind: ClassVar[str | None] = None
    max_depth: ClassVar[int | None] = None
    max_change_share: ClassVar[float] = 0.3
    min_existing: ClassVar[int] = 10
    # Two live items of the same name under one parent, neither pinned: an error naming both
    # (True), or the one holding items, else the lowest id, with a warning (False).
    same_name_is_error: ClassVar[bool] = False
    # The config keys ``ownership`` reads, named in the plan's messages ("ignore: Internal").
    ownership_keys: ClassVar[tuple[str, str]] = ("ignore", "protect")

    def manages(self, config: Any) -> bool:
        """Whether ``config`` manages this kind at all. A kind the config does not take up
        is not planned (never a delete of every live item because the file says nothing of
        them); ``build_plan`` plans the registered kinds that say yes."""
        return True

    @abstractmethod
    def desired(self, config: Any) -> Sequence[Desired]:
        """Every desired entry of this kind in ``config``, parents before children, file order."""

    def settings(self, config: Any) -> Settings:
        """What of ``config`` changes how this kind compares and shows its items: recorded in
        the plan (``Plan.settings``) and handed back to ``configured``. None by default."""
        return ()

    def configured(self, settings: Settings) -> ResourceKind:
        """This kind under ``settings`` (from ``settings``); the engine plans with it, and a
        plan shows its changes with it. Itself by default."""
        return self

    def for_config(self, config: Any) -> ResourceKind:
        """This kind as ``config`` sets it."""
        return self.configured(self.settings(config))

    def prepare(self, config: Any) -> None:
        """Work ``desired`` will need that needs nothing from Intercom, done ahead (a caller
        runs it while the kind's listing is read) and remembered; ``desired`` is the same
        whether or not it ran. Nothing by default."""
        return None

    @abstractmethod
    def read_live(
        self,
        raw: Sequence[Mapping[str, Any]],
        default_locale: str,
        parents: Mapping[str, LiveNode] | None = None,
    ) -> LiveItems:
        """Raw items as listed -> normalised live items by id (duplicates: newest copy).

        ``parents`` are the live items of the kind's ``parent_kind`` when that is another
        kind (an item's path starts with its parent's); None otherwise, or when unknown.
        """

    @abstractmethod
    def create_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        """The body that creates ``change``'s item under ``parent_id`` (None: top level)."""

    @abstractmethod
    def update_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        """The body that carries out ``change``'s field changes, and nothing more."""

    def list_live(self, client: IntercomClient, help_center_id: str) -> list[dict[str, Any]]:
        """The help center's live items of this kind, raw (apply looks again with it before
        creating). Every item of the endpoint by default; a kind scoped by help center
        overrides it."""
        return client.list_all(self.endpoint)

    def park_body(self) -> dict[str, Any]:
        """The body that moves an item to the top level and changes nothing else."""
        return {"parent_id": None}

    def ownership(self, config: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The ``ignore:`` and ``protect:`` entries of ``config`` that apply to this kind (each
        an id, a name glob or a path glob, ``patterns``). None by default: an id entry names
        one kind's item, so a kind opts in. Items inside an ignored item of the parent kind
        are ignored whatever this says."""
        return (), ()

    def check(
        self, config: Any, raw: Sequence[Mapping[str, Any]], default_locale: str | None
    ) -> None:
        """Refuse to plan (raise an HcsyncError) when live and file cannot be compared."""
        return None

    def notes(
        self, desired: Sequence[Desired], live: Mapping[str, LiveNode], matching: Matching
    ) -> tuple[str, ...]:
        """Plan notes about differences that are not changes (nothing by default)."""
        return ()

    def compared(self, node: Node) -> dict[str, object]:
        """A node's fields as this kind compares them: two nodes whose ``compared`` are equal
        are the same content, whatever the server did to their text. By default texts by
        ``model.name_key`` (HTML references decoded: a server that reads names back escaped
        shows no change); a kind whose server rewrites more (an article's HTML body)
        canonicalises more. The parent is compared by identity, elsewhere."""
        return {
            "name": name_key(node.name),
            "description": name_key(node.description),
            **{key: name_key(value) for key, value in node.extra},
            "translations": {
                locale: {key: name_key(value) for key, value in text.fields().items()}
                for locale, text in node.translations
            },
        }

    def shown(self, field: str, old: str | Text | None, new: str | Text | None) -> list[str] | None:
        """How a plan shows a field whose value is too long for one line (an article's body:
        a diff of readable text), as lines; None to show ``old -> new`` as it is. ``old`` is
        None for a create."""
        return None

    def unkept_hint(self, change: Change, field: str) -> str | None:
        """Why Intercom may not have kept ``field`` of ``change``'s item, when the kind knows a
        likely reason (said after apply, when the re-plan shows the field again)."""
        return None

    def show(self, count: int) -> str:
        """``1 collection``, ``3 collections``."""
        return f"{count} {self.endpoint.noun if count == 1 else self.endpoint.plural}"


_KINDS: dict[str, ResourceKind] = {}


def register(kind: ResourceKind) -> ResourceKind:
    """Make ``kind`` known to the engine under ``kind.name`` (registering it again is a
    no-op; another kind under a taken name is a bug)."""
    known = _KINDS.get(kind.name)
    if known is not None and type(known) is not type(kind):
        raise ValueError(f"a kind named {kind.name!r} is already registered")
    _KINDS.setdefault(kind.name, kind)
    return _KINDS[kind.name]


def unregister(name: str) -> None:
    """Forget a kind (for tests that register one of their own)."""
    _KINDS.pop(name, None)


def kind(name: str) -> ResourceKind:
    """The registered kind called ``name``; UnknownKindError naming the known ones otherwise."""
    try:
        return _KINDS[name]
    except KeyError:
        known = ", ".join(sorted(_KINDS)) or "none (import hcsync.kinds)"
        raise UnknownKindError(
            f"no kind of resource {name!r} is registered; registered: {known}"
        ) from None


def kinds() -> tuple[ResourceKind, ...]:
    """Every registered kind, in apply order of their writes (lowest ``rank`` first).

    Raises UnknownKindError when none is: planning with no kind would plan nothing, silently.
    """
    if not _KINDS:
        raise UnknownKindError("no kind of resource is registered; import hcsync.kinds first")
    return tuple(sorted(_KINDS.values(), key=lambda k: (k.rank, k.name)))
