"""Carrying out a plan against the live help center: in waves, each wave's calls at once.

This module owns the *execution* of a Plan and the apply order that follows from the tree:

- writes (creates and updates) by their depth in the DESIRED tree, parent-first: every
  depth-1 write, then depth 2, then depth 3. A child's parent sits one level up, so it was
  written (and, if new, got its id) in the previous wave;
- then deletes by their depth in the LIVE tree, deepest-first, so a parent is deleted only
  after its children.

Within one wave no call depends on another (same depth: none is the other's parent), so they
run concurrently on a bounded thread pool. After a failure retries could not cure, the calls
already in flight finish, nothing new starts, and the result says what was done and what not.
Anything else that escapes (a bug, the callback raising, Ctrl-C) stops the run the same way
before it propagates: nothing still queued is sent.

A create that failed *ambiguously* (timeout, 5xx, dropped connection: it may have committed;
the client says so with ``AmbiguousCreateError``, and only it decides) is never blindly
repeated. After its wave the help center's collections are listed once, and each
such create adopts a collection of the same name under the same parent that did not exist
when the plan was made; only the ones not found are created again (a bounded number of
rounds), so a flaky network cannot leave duplicates.

It reports each step through a callback, called from one thread at a time; it never prints.
Deciding *what* to do is the differ's job, not this one's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from hcsync.client import IntercomClient
from hcsync.errors import AmbiguousCreateError, ApiError, HcsyncError
from hcsync.live import fetch_live
from hcsync.model import id_order
from hcsync.payload import create_body, update_body
from hcsync.plan import Change, Plan

Outcome = Literal[
    "created",
    "found after an ambiguous failure",
    "updated",
    "deleted",
    "already gone",
    "failed",
]
Path = tuple[str, ...]

DEFAULT_PARALLELISM = 8
# Rounds of "list, adopt what committed, create the rest again" after ambiguous creates. Each
# round an attempt is lost only when the server failed *before* committing, so six rounds at a
# 10% server-error rate leave one create in a million unresolved.
MAX_CREATE_ROUNDS = 6


@dataclass(frozen=True)
class Step:
    """One change carried out (or not): what the progress callback is told."""

    number: int  # 1-based count of steps reported so far (the order they finished in)
    total: int
    change: Change
    outcome: Outcome
    id: str | None = None  # the live id the change touched (the new id for a create)
    error: HcsyncError | None = None


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did: every step taken, and the changes it never reached."""

    steps: tuple[Step, ...] = ()
    not_done: tuple[Change, ...] = ()
    created: dict[Path, str] = field(default_factory=dict)  # desired path -> new id

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


def waves(plan: Plan) -> list[list[Change]]:
    """The plan's changes grouped into waves of independent calls, in the order they run.

    Writes by desired depth, shallowest first; then deletes by live depth, deepest first.
    Within a wave, the plan's own order (file order) is kept.
    """
    writes: dict[int, list[Change]] = {}
    deletes: dict[int, list[Change]] = {}
    for change in plan.changes:
        group = deletes if change.kind == "delete" else writes
        group.setdefault(len(change.path), []).append(change)
    return [writes[d] for d in sorted(writes)] + [deletes[d] for d in sorted(deletes, reverse=True)]


def apply_plan(
    plan: Plan,
    client: IntercomClient,
    *,
    default_locale: str,
    parallelism: int = DEFAULT_PARALLELISM,
    on_step: Callable[[Step], None] = _ignore,
) -> ApplyResult:
    """Apply every change of ``plan``, wave by wave; stop after a wave with a failure.

    A failure stops the run because later waves may depend on it (a child needs its parent's
    id, a parent's delete needs its children gone). Running ``apply`` again after fixing the
    cause converges: completed creates are then matched by name, not repeated.
    """
    if parallelism < 1:
        raise ValueError("parallelism must be at least 1")
    run = _Run(plan, client, default_locale, on_step)
    with ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="hcsync-apply") as pool:
        for wave in waves(plan):
            if run.stopped.is_set():
                run.not_done.extend(wave)
                continue
            run.wave(pool, wave)
    order = {id(c): i for i, c in enumerate(plan.changes)}
    not_done = tuple(sorted(run.not_done, key=lambda c: order[id(c)]))
    return ApplyResult(tuple(run.steps), not_done, dict(run.created))


class _Run:
    """The mutable state of one apply, shared by its worker threads under one lock."""

    def __init__(
        self,
        plan: Plan,
        client: IntercomClient,
        default_locale: str,
        on_step: Callable[[Step], None],
    ) -> None:
        self.plan = plan
        self.client = client
        self.default_locale = default_locale
        self.on_step = on_step
        self.total = len(plan.changes)
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.steps: list[Step] = []
        self.not_done: list[Change] = []
        self.created: dict[Path, str] = {}
        self.before = {cid for cid, _ in plan.live_versions}

    # -- one wave -------------------------------------------------------------------------

    def wave(self, pool: ThreadPoolExecutor, wave: Sequence[Change]) -> None:
        ambiguous = self._run_all(pool, wave)
        rounds = 1
        while ambiguous:
            # One listing for every ambiguous create of the wave, not one per failure.
            found = self._look_for(ambiguous)
            if found is None:
                return
            missing = {c: e for c, e in ambiguous.items() if c.path not in found}
            if not missing:
                return
            if self.stopped.is_set():
                # Another call failed for good: these never committed, and nothing new starts.
                with self.lock:
                    self.not_done.extend(missing)
                return
            if rounds >= MAX_CREATE_ROUNDS:
                for change, err in missing.items():
                    self._fail(change, err)
                return
            rounds += 1
            ambiguous = self._run_all(pool, missing)

    def _run_all(
        self, pool: ThreadPoolExecutor, changes: Iterable[Change]
    ) -> dict[Change, HcsyncError]:
        """Run ``changes`` concurrently; the creates that failed ambiguously, with their error.

        Anything else escaping (a bug, an ``on_step`` that raises, Ctrl-C or a CI cancel
        arriving while we wait) stops the run before it propagates: queued calls are
        cancelled, and any that already left the queue see ``stopped`` and write nothing.
        Otherwise the pool's shutdown would carry out the rest of the wave after the interrupt.
        """
        ambiguous: dict[Change, HcsyncError] = {}
        futures: list[Future[None]] = []
        try:
            for change in changes:
                futures.append(pool.submit(self._one, change, ambiguous))
            for future in futures:
                future.result()  # re-raises only bugs: errors a user can cause are steps
        except BaseException:
            self.stopped.set()
            for future in futures:
                future.cancel()
            raise
        return ambiguous

    def _one(self, change: Change, ambiguous: dict[Change, HcsyncError]) -> None:
        if self.stopped.is_set():
            with self.lock:
                self.not_done.append(change)
            return
        try:
            try:
                outcome, live_id = self._apply(change)
            except HcsyncError as err:
                if change.kind == "create" and isinstance(err, AmbiguousCreateError):
                    with self.lock:
                        ambiguous[change] = err
                    return
                self._fail(change, err)
                return
            self._report(change, outcome, live_id)
        except BaseException:
            # Not a step's failure but a bug (or the callback's): stop at once, so the calls
            # still queued behind this one write nothing while the error reaches the caller.
            self.stopped.set()
            raise

    def _apply(self, change: Change) -> tuple[Outcome, str | None]:
        plan, client = self.plan, self.client
        if change.kind == "delete":
            assert change.id is not None, "a delete always names a live id"
            try:
                client.delete_collection(change.id)
            except ApiError as err:
                # Gone already (deleted by hand, or by an earlier attempt whose answer was
                # lost): the goal of the step is met.
                if err.status == 404:
                    return "already gone", change.id
                raise
            return "deleted", change.id
        parent_id = self._parent_id(change)
        if change.kind == "create":
            body = create_body(
                name=change.name,
                description=change.description,
                translations=change.translations,
                parent_id=parent_id,
                help_center_id=plan.help_center_id,
                default_locale=self.default_locale,
            )
            new_id = str(client.create_collection(body)["id"])
            with self.lock:
                self.created[change.path] = new_id
            return "created", new_id
        assert change.id is not None, "an update always names a live id"
        body = update_body(
            name=change.name,
            description=change.description,
            translations=change.translations,
            parent_id=parent_id,
            default_locale=self.default_locale,
        )
        client.update_collection(change.id, body)
        return "updated", change.id

    def _parent_id(self, change: Change) -> str | None:
        """The live id of the parent this change must end up under (None: top level).

        A parent created earlier in this run has no id in the plan; the plan names it by path
        and, because its wave ran before this one, its new id is already in ``created``.
        """
        if change.parent_id is not None or not change.parent_path:
            return change.parent_id
        with self.lock:
            found = self.created.get(change.parent_path)
        if found is None:
            msg = f"parent {change.parent_path} was not created before its child"
            raise AssertionError(msg)
        return found

    # -- look before creating again -------------------------------------------------------

    def _look_for(self, ambiguous: Mapping[Change, HcsyncError]) -> dict[Path, str] | None:
        """Adopt, for each ambiguous create, a live collection it may have made; by path.

        None when live state cannot be listed: those creates then fail (a rerun matches
        whatever did commit by name, so nothing is duplicated). The listing is the help
        center's own collections, chosen as ``plan`` chose them (``live.fetch_live``).
        """
        try:
            listing = fetch_live(self.client, self.plan.help_center_id).collections
        except HcsyncError as err:
            for change in ambiguous:
                self._fail(change, err)
            return None
        with self.lock:
            taken = self.before | set(self.created.values())
        found: dict[Path, str] = {}
        for change in ambiguous:
            parent = self._parent_id(change)
            live_id = _candidate(listing, change.name, parent, taken)
            if live_id is None:
                continue
            taken.add(live_id)
            found[change.path] = live_id
            with self.lock:
                self.created[change.path] = live_id
            self._report(change, "found after an ambiguous failure", live_id)
        return found

    # -- reporting ------------------------------------------------------------------------

    def _report(
        self,
        change: Change,
        outcome: Outcome,
        live_id: str | None,
        error: HcsyncError | None = None,
    ) -> None:
        # One thread at a time: the callback prints, and step numbers count up.
        with self.lock:
            step = Step(len(self.steps) + 1, self.total, change, outcome, live_id, error)
            self.steps.append(step)
            self.on_step(step)

    def _fail(self, change: Change, err: HcsyncError) -> None:
        self.stopped.set()
        self._report(change, "failed", change.id, err)


def _candidate(
    listing: Sequence[Mapping[str, Any]],
    name: str,
    parent_id: str | None,
    taken: set[str],
) -> str | None:
    """The id of a collection named ``name`` under ``parent_id`` that nobody else claims.

    ``listing`` holds our help center's collections only. The lowest id (``id_order``, as
    matching uses) wins, so two lookups agree on which one is ours.
    """
    hits: list[str] = []
    for item in listing:
        cid = str(item.get("id"))
        if cid in taken or item.get("name") != name:
            continue
        parent = item.get("parent_id")
        if (None if parent is None else str(parent)) != parent_id:
            continue
        hits.append(cid)
    return min(hits, key=id_order) if hits else None
