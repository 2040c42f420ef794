"""Live state: which help center we manage, and its collections as Intercom returns them.

This module owns choosing the help center (by identifier or numeric id, or the only one) and
keeping, from the workspace-wide collection list, only the collections of that help center.
Intercom sets ``help_center_id`` on top-level collections only (nested ones carry null), so
membership is resolved through the parent chain (``model.parent_ref`` reads a parent: null,
0, "0" and "" all mean top level).

A top-level collection whose ``help_center_id`` is null belongs to the workspace's default
help center, and the API says nowhere which one that is (the list is not documented to put
it first). With one help center there is no doubt. With several, such a collection and
everything under it are *unowned*: kept apart in ``LiveState.unowned``, never managed
(never matched, updated, deleted or counted), and named in a warning so people can fix them
in Intercom.

It also owns starting the listing early (``EarlyListing``): it needs nothing from the config
file, so a command starts it first and its round trips overlap importing the planner and
reading and checking the file. A file with a problem still reports only its problem: the
listing is stopped, and its answers (or its errors) are never looked at.

It hands back raw dicts: normalising them is ``normalize``'s job and comparing them is
``diff``'s; this module must do neither.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from hcsync.errors import HcsyncError, ListingChangedError, UnreadableAnswerError, UsageError
from hcsync.kinds.collection import COLLECTIONS
from hcsync.model import collection_id, id_order, parent_ref

if TYPE_CHECKING:
    from hcsync.client import IntercomClient

_LISTED = COLLECTIONS.path  # where the collections an error is about were listed
NAMED_UNOWNED = 10  # unowned top-level collections named one by one in the warning


@dataclass(frozen=True)
class HelpCenter:
    id: str
    identifier: str
    display_name: str


@dataclass(frozen=True)
class LiveState:
    """The chosen help center and its collections (raw API dicts, sorted by id).

    ``unowned`` holds the collections whose help center cannot be told (top-level ones with
    a null ``help_center_id`` in a workspace of several help centers, and everything under
    them), sorted by id; they are not in ``collections``. ``warnings`` says what a reader of
    a plan made from this state must know (for now: that unowned collections were left alone).
    """

    help_center: HelpCenter
    collections: tuple[dict[str, Any], ...]
    unowned: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()


CHOOSE_IN_CONFIG = "set help_center: in the YAML or pass --help-center"


def choose_help_center(
    centers: Sequence[Mapping[str, Any]], wanted: str | None, *, how: str = CHOOSE_IN_CONFIG
) -> HelpCenter:
    """The help center named by ``wanted`` (identifier or numeric id), or the only one.

    ``how`` tells the user how to name one, in the words of the command that asks (export
    has no YAML file).

    UsageError when the workspace has none, when ``wanted`` matches none, or when there are
    several and ``wanted`` is None: picking one silently could rewrite the wrong site.
    """
    available = [_help_center(center) for center in centers]
    names = ", ".join(center.identifier for center in available)
    if not available:
        raise UsageError(
            "this workspace has no help center; create one in Intercom's Help Center settings"
        )
    if wanted is None:
        if len(available) == 1:
            return available[0]
        raise UsageError(f"this workspace has {len(available)} help centers ({names}); {how}")
    wanted = wanted.strip()
    for center in available:
        if wanted in (center.identifier, center.id):
            return center
    raise UsageError(f"no help center {wanted!r} in this workspace; available: {names}")


def collections_of(
    collections: Sequence[Mapping[str, Any]], help_center_id: str, default_id: str | None
) -> tuple[dict[str, Any], ...]:
    """The collections that belong to ``help_center_id``, sorted by id (``id_order``).

    ``default_id`` is the help center that owns top-level collections whose
    ``help_center_id`` is null, or None when that cannot be told (those collections then
    belong to no help center). A collection whose parent is not in the list (or whose
    parent chain loops) means the listing is not a consistent snapshot; that is an error
    rather than a guess, because a wrongly dropped collection would be planned as a create:
    a duplicate. ``collections`` is taken to hold each id once: de-duplicating a listing is
    the client's job.
    """
    return _by_owner(collections, default_id).get(help_center_id, ())


def _by_owner(
    collections: Sequence[Mapping[str, Any]], default_id: str | None
) -> dict[str | None, tuple[dict[str, Any], ...]]:
    """The collections grouped by the help center that owns them (None: no help center can
    be told), each group sorted by id; see ``collections_of``."""
    owner = _owners(collections, default_id)
    groups: dict[str | None, list[Mapping[str, Any]]] = {}
    for item in collections:
        groups.setdefault(owner[_key(item)], []).append(item)
    return {center: _sorted(items) for center, items in groups.items()}


@dataclass(frozen=True)
class Listing:
    """The workspace as listed: every help center and every collection (raw dicts), before
    one help center is chosen. Reading it needs nothing from the config file."""

    centers: list[dict[str, Any]]
    collections: list[dict[str, Any]]


def read_listing(client: IntercomClient) -> Listing:
    """Every help center and every collection, listed at the same time: the collection list
    spans the workspace, so it does not wait for the help center to be chosen. An error of
    the help center list (a bad token, say) is the one raised, as when it came first."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hcsync-listing") as pool:
        collections = pool.submit(client.list_all, COLLECTIONS)
        centers = client.list_help_centers()
        return Listing(centers, collections.result())


class EarlyListing:
    """The workspace's listing, read in the background from the moment it is created.

    ``connect`` makes the client; if it fails (no token, a bad base URL) nothing is read and
    the error is raised by ``client()``, that is after the file was checked, as before.
    ``listing()`` waits for the listing and raises what it raised. Leaving the ``with``
    block by an exception stops the client and waits a moment for the thread (a request in
    flight finishes; nothing more is sent).
    """

    JOIN_AFTER_STOP = 2.0  # seconds to wait for a stopped listing's request in flight

    def __init__(self, connect: Callable[[], IntercomClient]) -> None:
        self._error: HcsyncError | None = None
        self._client: IntercomClient | None = None
        self._result: Listing | Exception | None = None
        try:
            self._client = connect()
        except HcsyncError as err:
            self._error = err
        self._thread = threading.Thread(target=self._read, name="hcsync-early", daemon=True)
        if self._client is not None:
            self._thread.start()

    def _read(self) -> None:
        assert self._client is not None
        try:
            self._result = read_listing(self._client)
        except Exception as exc:  # handed to whoever asks for the listing
            self._result = exc

    def client(self) -> IntercomClient:
        if self._client is None:
            assert self._error is not None
            raise self._error
        return self._client

    def listing(self) -> Listing:
        self.client()
        self._thread.join()
        if isinstance(self._result, Exception):
            raise self._result
        assert self._result is not None
        return self._result

    def __enter__(self) -> EarlyListing:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None and self._client is not None:
            self._client.stop()
            self._thread.join(self.JOIN_AFTER_STOP)


def live_state(listing: Listing, wanted: str | None, *, how: str = CHOOSE_IN_CONFIG) -> LiveState:
    """Choose the help center and keep its collections (and, apart, the unowned ones)."""
    centers = listing.centers
    chosen = choose_help_center(centers, wanted, how=how)
    # Only with a single help center is "the default one" known: it is that one.
    default_id = chosen.id if len(centers) == 1 else None
    groups = _by_owner(listing.collections, default_id)
    mine, unowned = groups.get(chosen.id, ()), groups.get(None, ())
    return LiveState(
        help_center=chosen,
        collections=mine,
        unowned=unowned,
        warnings=_unowned_warning(unowned, len(centers)),
    )


def fetch_live(
    client: IntercomClient, wanted: str | None, *, how: str = CHOOSE_IN_CONFIG
) -> LiveState:
    """List the workspace, choose the help center and keep its collections."""
    return live_state(read_listing(client), wanted, how=how)


def _owners(
    collections: Sequence[Mapping[str, Any]], default_id: str | None
) -> dict[str, str | None]:
    """Each collection id -> the id of the help center it belongs to (None: cannot tell)."""
    by_id = {_key(item): item for item in collections}
    owner: dict[str, str | None] = {}

    def resolve(id: str) -> None:
        chain: list[str] = []
        current = id
        while current not in owner:
            if current in chain:
                raise ListingChangedError(
                    "GET", _LISTED, f"live collections {', '.join(chain)} form a parent loop"
                )
            item = by_id.get(current)
            if item is None:
                raise ListingChangedError(
                    "GET",
                    _LISTED,
                    f"live collection {chain[-1]} has parent {current}, which Intercom did not "
                    "list; the live state changed while it was read, try again",
                )
            chain.append(current)
            parent = parent_ref(item.get("parent_id"))
            if parent is None:
                # help_center_id is read like a parent: null, 0, "0" and "" name none.
                center = parent_ref(item.get("help_center_id"))
                owner[current] = default_id if center is None else center
            else:
                current = parent
        for member in chain:
            owner[member] = owner[current]

    for id in by_id:
        resolve(id)
    return owner


def _unowned_warning(unowned: Sequence[Mapping[str, Any]], centers: int) -> tuple[str, ...]:
    tops = [item for item in unowned if parent_ref(item.get("parent_id")) is None]
    if not tops:
        return ()
    count = len(tops)
    plural = count != 1
    named = tops[:NAMED_UNOWNED]
    ids = ", ".join(_key(item) for item in named)
    names = ", ".join(repr(str(item.get("name") or "")) for item in named)
    more = f"; {count - len(named)} more" if count > len(named) else ""
    nested = len(unowned) - count
    below = (
        f", with the {nested} collection{'s' if nested != 1 else ''} under "
        f"{'them' if plural else 'it'}"
        if nested
        else ""
    )
    return (
        f"{count} top-level collection{'s have' if plural else ' has'} no help_center_id and "
        f"this workspace has {centers} help centers, so hcsync cannot tell whose "
        f"{'they are' if plural else 'it is'}: left alone{below} "
        f"(id{'s' if plural else ''} {ids}: {names}{more})",
    )


def _sorted(items: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple(sorted((dict(item) for item in items), key=lambda item: id_order(_key(item))))


def _key(item: Mapping[str, Any]) -> str:
    key = collection_id(item.get("id"))
    if key is None:
        raise UnreadableAnswerError(
            "GET", _LISTED, 200, f"a live collection has no id: {_brief(item)}"
        )
    return key


def _brief(item: Mapping[str, Any]) -> str:
    return repr(str(item.get("name") or ""))[:100]


def _help_center(center: Mapping[str, Any]) -> HelpCenter:
    # The official shape has a string id; examples elsewhere show integers, so normalise.
    return HelpCenter(
        id=str(center["id"]),
        identifier=str(center.get("identifier") or center["id"]),
        display_name=str(center.get("display_name") or ""),
    )
