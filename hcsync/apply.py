"""Carrying out a plan against the live help center, in the order ``order`` decides.

This module owns the *execution* of a Plan. ``order.schedule`` turns the plan into waves of
lanes, every prefix of which leaves a legal tree (parents before children, at most three
levels on creates and moves, no delete while children remain; a move may go through the top
level). Here, each wave's lanes run concurrently on a bounded thread pool, each lane's calls
one after another (siblings created in file order). A child created under a parent created
earlier gets that parent's new id from ``created``.

After a failure retries could not cure, the calls already in flight finish, nothing new
starts, and the result says what was done and what not. Anything else that escapes (a bug,
the callback raising, Ctrl-C) stops the run the same way before it propagates: nothing still
queued is sent.

A create that failed *ambiguously* (timeout, 5xx, dropped connection: it may have committed;
the client says so with ``AmbiguousCreateError``, and only it decides) is never blindly
repeated: its lane pauses, and once the wave's other lanes are done the help center's items
of its kind are listed once; each such create adopts an item of the same name under the
same parent that did not exist when the plan was made, and only the ones not found are
created again (a bounded number of rounds), so a flaky network cannot leave duplicates. The
lane then goes on, so sibling order holds.

Every kind is carried out alike: the kind (``Plan.kind(change.resource)``, under the plan's
settings) gives the endpoint, the request bodies, how its live items are listed and compared
(an adopted item is aligned to the planned create under them); bookkeeping is by identity
``(kind, id)``, and a create is known by ``(kind, path)`` until it has an id.

It reports each step through a callback, called from one thread at a time; it never prints.
Deciding *what* to do is the differ's job, and in which order ``order``'s.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Literal

from hcsync.client import IntercomClient
from hcsync.diff import field_changes
from hcsync.errors import (
    AmbiguousCreateError,
    ApiError,
    ConcurrentWriterError,
    HcsyncError,
    UnsettledCreateError,
)
from hcsync.limits import DEFAULT_PARALLELISM
from hcsync.model import Node, collection_id, id_order, name_key, parent_ref
from hcsync.order import Lane, Schedule, Wave, parent_kind, schedule
from hcsync.order import Step as Call
from hcsync.plan import Change, Plan
from hcsync.resource import Context, Identity, ResourceKind

Outcome = Literal[
    "created",
    "found after an ambiguous failure",
    "adopted",
    "updated",
    "parked",
    "deleted",
    "already gone",
    "failed",
]
Path = tuple[str, ...]
Key = tuple[str, Path]  # (kind, desired path): how a create is known before it has an id

# Ambiguous attempts of one create ("list, adopt what committed, create the rest again"). An
# attempt is lost only when the server failed *before* committing, so six attempts at a 10%
# server-error rate leave one create in a million unresolved.
MAX_CREATE_ROUNDS = 6
_WAKE = 0.05  # seconds the main thread sleeps at most while lanes run


@dataclass(frozen=True)
class Step:
    """One call carried out (or not): what the progress callback is told."""

    number: int  # 1-based count of steps reported so far (the order they finished in)
    total: int  # calls in the schedule: one per change, plus one per parked collection
    change: Change
    outcome: Outcome
    id: str | None = None  # the live id the change touched (the new id for a create)
    error: HcsyncError | None = None
    park: bool = False  # the first half of a move through the top level


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did: every step taken, and the changes it never reached."""

    steps: tuple[Step, ...] = ()
    not_done: tuple[Change, ...] = ()
    created: dict[Key, str] = field(default_factory=dict)  # (kind, desired path) -> new id

    @property
    def failures(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.outcome == "failed")

    @property
    def failed(self) -> Step | None:
        return next(iter(self.failures), None)

    @property
    def ok(self) -> bool:
        return self.failed is None


def _ignore(_step: Step) -> None:
    return None


def apply_plan(
    plan: Plan,
    client: IntercomClient,
    *,
    default_locale: str,
    parallelism: int = DEFAULT_PARALLELISM,
    on_step: Callable[[Step], None] = _ignore,
) -> ApplyResult:
    """Apply every change of ``plan``, wave by wave; stop after a wave with a failure.

    The order comes from ``order.schedule`` on the plan's live tree, so it raises
    ImpossiblePlanError before any write when no legal order exists. A failure stops the run
    because later waves may depend on it (a child needs its parent's id, a parent's delete
    needs its children gone). Running ``apply`` again after fixing the cause converges:
    completed creates are then matched by name, not repeated.
    """
    if parallelism < 1:
        raise ValueError("parallelism must be at least 1")
    order = schedule(plan.changes, plan.live_tree)
    run = _Run(plan, client, default_locale, on_step, order)
    with ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="hcsync-apply") as pool:
        for wave in order.waves:
            if run.stopped.is_set():
                run.skip(call for lane in wave for call in lane)
                continue
            run.wave(pool, wave)
    return run.result()


class _Run:
    """The mutable state of one apply, shared by its worker threads under one lock."""

    def __init__(
        self,
        plan: Plan,
        client: IntercomClient,
        default_locale: str,
        on_step: Callable[[Step], None],
        order: Schedule,
    ) -> None:
        self.plan = plan
        self.client = client
        self.default_locale = default_locale
        self.on_step = on_step
        self.total = len(order)
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.steps: list[Step] = []
        self.not_done: list[Change] = []
        self.context = Context(plan.help_center_id, default_locale)
        self.created: dict[Key, str] = {}
        # Every item that existed when planned: never adopted as one of our creates.
        self.before: set[Identity] = {ident for ident, _ in plan.live_versions} | {
            e.identity for e in plan.live_tree
        }

    def result(self) -> ApplyResult:
        # A change is not done unless a step finished it: a park alone leaves its move to do;
        # a failed one is reported as failed, not again as not done.
        finished = {id(s.change) for s in self.steps if not s.park or s.outcome == "failed"}
        pending = {id(c): c for c in self.not_done if id(c) not in finished}
        rank = {id(c): i for i, c in enumerate(self.plan.changes)}
        not_done = tuple(sorted(pending.values(), key=lambda c: rank.get(id(c), len(rank))))
        return ApplyResult(tuple(self.steps), not_done, dict(self.created))

    def skip(self, calls: Iterable[Call]) -> None:
        with self.lock:
            self.not_done.extend(call.change for call in calls)

    # -- one wave -------------------------------------------------------------------------

    def wave(self, pool: ThreadPoolExecutor, wave: Wave) -> None:
        if any(call.change.kind == "create" for lane in wave for call in lane):
            if not self._look_again(wave):
                return
            # Creates adopted from another writer are done: their lanes go on without them.
            with self.lock:
                made = set(self.created)
            wave = tuple(
                lane
                for lane in (
                    tuple(c for c in lane if c.change.kind != "create" or c.change.key not in made)
                    for lane in wave
                )
                if lane
            )
        lanes: list[Lane] = list(wave)
        tries: dict[int, int] = {}  # creates sent per change (by identity), ambiguous ones
        while lanes:
            paused = self._run_lanes(pool, lanes)
            if not paused:
                return
            # One listing for every lane paused at an ambiguous create, not one per failure.
            found = self._look_for({lane[0].change: err for lane, err in paused})
            if found is None:
                self.skip(call for lane, _ in paused for call in lane[1:])
                return
            lanes = []
            for lane, err in paused:
                change = lane[0].change
                tries[id(change)] = tries.get(id(change), 0) + 1
                adopted = change.key in found
                rest = lane[1:] if adopted else lane
                if self.stopped.is_set():
                    # Another call failed for good: nothing new starts.
                    self.skip(rest)
                elif not adopted and tries[id(change)] >= MAX_CREATE_ROUNDS:
                    self._fail(change, UnsettledCreateError(change.name, MAX_CREATE_ROUNDS, err))
                    self.skip(lane[1:])
                elif rest:
                    lanes.append(rest)

    def _run_lanes(
        self, pool: ThreadPoolExecutor, lanes: Sequence[Lane]
    ) -> list[tuple[Lane, AmbiguousCreateError]]:
        """Run ``lanes`` concurrently; the lanes paused at an ambiguous create, from there.

        Anything else escaping (a bug, an ``on_step`` that raises, Ctrl-C or a CI cancel
        arriving while we wait) stops the run before it propagates: queued lanes are
        cancelled, and any that already started see ``stopped`` and write nothing more.
        Otherwise the pool's shutdown would carry out the rest of the wave after the interrupt.
        """
        paused: list[tuple[Lane, AmbiguousCreateError]] = []
        futures: list[Future[None]] = []
        try:
            for lane in lanes:
                futures.append(pool.submit(self._lane, lane, paused))
            # Wake up now and then: a lane can be long, and an interrupt is only taken while
            # the main thread runs, not while it sleeps in one long wait.
            while wait(futures, timeout=_WAKE, return_when=FIRST_EXCEPTION).not_done:
                if any(f.done() and f.exception() for f in futures):
                    break
            for future in futures:
                future.result()  # re-raises only bugs: errors a user can cause are steps
        except BaseException:
            self.stopped.set()
            for future in futures:
                future.cancel()
            raise
        return paused

    def _lane(self, lane: Lane, paused: list[tuple[Lane, AmbiguousCreateError]]) -> None:
        for index, call in enumerate(lane):
            if self.stopped.is_set():
                self.skip(lane[index:])
                return
            try:
                try:
                    outcome, live_id = self._call(call)
                except HcsyncError as err:
                    if isinstance(err, AmbiguousCreateError) and call.change.kind == "create":
                        with self.lock:
                            paused.append((lane[index:], err))
                        return
                    self._fail(call.change, err, park=call.park)
                    self.skip(lane[index + 1 :])
                    return
                self._report(call.change, outcome, live_id, park=call.park)
            except BaseException:
                # Not a step's failure but a bug (or the callback's): stop at once, so the
                # calls still queued behind this one write nothing while the error propagates.
                self.stopped.set()
                raise

    def _call(self, call: Call) -> tuple[Outcome, str | None]:
        change, client = call.change, self.client
        resource = self.plan.kind(change.resource)
        endpoint = resource.endpoint
        if change.kind == "delete":
            assert change.id is not None, "a delete always names a live id"
            try:
                client.delete(endpoint, change.id)
            except ApiError as err:
                # Gone already (deleted by hand, or by an earlier attempt whose answer was
                # lost): the goal of the step is met.
                if err.status == 404:
                    return "already gone", change.id
                raise
            return "deleted", change.id
        if change.kind == "create":
            body = resource.create_body(
                change, parent_id=self._parent_id(change), context=self.context
            )
            new_id = str(client.create(endpoint, body)["id"])
            with self.lock:
                self.created[change.key] = new_id
            return "created", new_id
        assert change.id is not None, "an update always names a live id"
        if call.park:
            client.update(endpoint, change.id, resource.park_body())
            return "parked", change.id
        body = resource.update_body(change, parent_id=self._parent_id(change), context=self.context)
        client.update(endpoint, change.id, body)
        return "updated", change.id

    def _parent_id(self, change: Change) -> str | None:
        """The live id of the parent this change must end up under (None: top level).

        A parent created earlier in this run has no id in the plan; the plan names it by path
        and, because the schedule created it in an earlier wave, its new id is in ``created``.
        """
        above = parent_kind(change.resource)
        if change.parent_id is not None or not change.parent_path or above is None:
            return change.parent_id
        with self.lock:
            found = self.created.get((above, change.parent_path))
        if found is None:
            msg = f"parent {change.parent_path} was not created before its child"
            raise AssertionError(msg)
        return found

    # -- look before creating: another writer ---------------------------------------------

    def _look_again(self, wave: Wave) -> bool:
        """List live items before a wave's creates, kind by kind: adopt what another writer
        made since the plan, and stop when something appeared that no planned create explains.

        Intercom has no lock, so two applies of one file at once would each create the whole
        tree. An item of exactly the planned name under the planned parent that did not
        exist when the plan was made is adopted, not created again (as after an ambiguous
        create). Anything else new means another writer is active: racing it would leave a
        tree that neither meant, so apply stops (ConcurrentWriterError) and says so. False
        when the run stopped.
        """
        resources = dict.fromkeys(
            call.change.resource for lane in wave for call in lane if call.change.kind == "create"
        )
        return all(self._look_again_at(wave, self.plan.kind(name)) for name in resources)

    def _look_again_at(self, wave: Wave, resource: ResourceKind) -> bool:
        try:
            listing = self._listed(resource)
        except HcsyncError as err:
            self._fail(_first_create(wave), err)
            self.skip(call for lane in wave for call in lane)
            return False
        with self.lock:
            ours = {(k, cid) for (k, _), cid in self.created.items() if k == resource.name}
        appeared = {
            cid: item
            for cid, item in listing.items()
            if (resource.name, cid) not in self.before and (resource.name, cid) not in ours
        }
        if not appeared:
            return True
        taken = {cid for name, cid in self.before | ours if name == resource.name}
        adopt: list[tuple[Change, str]] = []
        resolved: dict[Key, str] = {}  # adopted parents, so their children can match too
        for change in self.plan.changes:  # parents before children
            if change.kind != "create" or change.resource != resource.name:
                continue
            if change.key in self.created:
                continue
            parent = change.parent_id
            above = parent_kind(change.resource)
            if parent is None and change.parent_path and above is not None:
                key = (above, change.parent_path)
                parent = self.created.get(key) or resolved.get(key)
                if parent is None:
                    continue  # its parent is neither made nor adopted yet
            found = _candidate(appeared, change.name, parent, taken)
            if found is not None:
                taken.add(found)
                resolved[change.key] = found
                adopt.append((change, found))
        unexplained = sorted((cid for cid in appeared if cid not in taken), key=id_order)
        if unexplained:
            # Decided before any write: racing another writer, even to adopt, is not safe.
            shown = ", ".join(f"{appeared[cid].name!r} (id {cid})" for cid in unexplained[:5]) + (
                f" and {len(unexplained) - 5} more" if len(unexplained) > 5 else ""
            )
            adopted = {change.key for change, _ in adopt}
            blamed = next(
                (c.change for lane in wave for c in lane if c.change.key not in adopted),
                _first_create(wave),
            )
            self._fail(
                blamed,
                ConcurrentWriterError(
                    f"another writer is active (a second apply, or someone in Intercom): "
                    f"{resource.show(len(unexplained))}"
                    f" appeared since the plan that it does not create: {shown}. apply"
                    " stopped; run plan again once the other writer is done (duplicates"
                    " show as a cleanup)"
                ),
            )
            self.skip(call for lane in wave for call in lane)
            return False
        for change, found in adopt:
            with self.lock:
                self.created[change.key] = found
            try:
                self._align(change, found, appeared[found].node)
            except HcsyncError as err:
                self._fail(change, err)
                self.skip(call for lane in wave for call in lane)
                return False
            self._report(change, "adopted", found)
        return True

    def _listed(self, resource: ResourceKind) -> dict[str, _Seen]:
        """The help center's live items of one kind, as the kind lists them, by id."""
        raw = resource.list_live(self.client, self.plan.help_center_id)
        nodes = resource.read_live(raw, self.default_locale).nodes
        parents = {collection_id(item.get("id")): parent_ref(item.get("parent_id")) for item in raw}
        return {
            cid: _Seen(live.node.name, parents.get(cid), live.node) for cid, live in nodes.items()
        }

    def _align(self, change: Change, live_id: str, live: Node) -> None:
        """Make an adopted item say what the planned create says: the other writer may have
        made it with other words (its name matched; its description, fields or translations
        may not). One PUT of the fields that differ, none when they agree."""
        desired = Node(live.path, change.description, change.translations, change.extra)
        resource = self.plan.kind(change.resource)
        fields = field_changes(live, desired, resource)
        if fields:
            update = replace(change, kind="update", id=live_id, changes=tuple(fields))
            body = resource.update_body(update, parent_id=None, context=self.context)
            self.client.update(resource.endpoint, live_id, body)

    # -- look before creating again -------------------------------------------------------

    def _look_for(self, ambiguous: Mapping[Change, AmbiguousCreateError]) -> dict[Key, str] | None:
        """Adopt, for each ambiguous create, a live item it may have made; by (kind, path).

        None when live state cannot be listed: those creates then fail (a rerun matches
        whatever did commit by name, so nothing is duplicated). The listing is the help
        center's own items of the create's kind, chosen as ``plan`` chose them
        (``ResourceKind.list_live``).
        """
        listings: dict[str, dict[str, _Seen]] = {}
        try:
            for change in ambiguous:
                if change.resource not in listings:
                    listings[change.resource] = self._listed(self.plan.kind(change.resource))
        except HcsyncError as err:
            for change in ambiguous:
                self._fail(change, err)
            return None
        with self.lock:
            claimed = self.before | {(k, cid) for (k, _), cid in self.created.items()}
        found: dict[Key, str] = {}
        for change in ambiguous:
            parent = self._parent_id(change)
            taken = {cid for name, cid in claimed if name == change.resource}
            live_id = _candidate(listings[change.resource], change.name, parent, taken)
            if live_id is None:
                continue
            claimed.add((change.resource, live_id))
            found[change.key] = live_id
            with self.lock:
                self.created[change.key] = live_id
            self._report(change, "found after an ambiguous failure", live_id)
        return found

    # -- reporting ------------------------------------------------------------------------

    def _report(
        self,
        change: Change,
        outcome: Outcome,
        live_id: str | None,
        error: HcsyncError | None = None,
        *,
        park: bool = False,
    ) -> None:
        # One thread at a time: the callback prints, and step numbers count up.
        with self.lock:
            number = len(self.steps) + 1
            step = Step(number, self.total, change, outcome, live_id, error, park)
            self.steps.append(step)
            self.on_step(step)

    def _fail(self, change: Change, err: HcsyncError, *, park: bool = False) -> None:
        self.stopped.set()
        self._report(change, "failed", change.id, err, park=park)


def _first_create(wave: Wave) -> Change:
    return next(call.change for lane in wave for call in lane if call.change.kind == "create")


@dataclass(frozen=True)
class _Seen:
    """A live item as looking again sees it: its name, its parent as listed, its content."""

    name: str
    parent_id: str | None
    node: Node


def _candidate(
    listing: Mapping[str, _Seen],
    name: str,
    parent_id: str | None,
    taken: set[str],
) -> str | None:
    """The id of an item named ``name`` under ``parent_id`` that nobody else claims.

    ``listing`` holds our help center's items of one kind only. Names compare as matching
    compares them (``match.name_key``: the same whether Intercom escapes HTML or not). The
    lowest id (``id_order``, as matching uses) wins, so two lookups agree on which one is ours.
    """
    key = name_key(name)
    hits = [
        cid
        for cid, seen in listing.items()
        if cid not in taken and name_key(seen.name) == key and seen.parent_id == parent_id
    ]
    return min(hits, key=id_order) if hits else None
