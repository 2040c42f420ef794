"""The apply order: which calls run in which wave, so that every intermediate tree is legal.

This module owns deciding the order of a plan's calls, from what depends on what, checked by
simulating the live tree call by call against the rules Intercom enforces or may enforce
(the strict case is assumed, ``../shared/intercom-api.md``). Items of every kind live in one
tree, keyed by identity ``(kind, id)``: an item's parent is an item of its kind's
``parent_kind`` (a collection's a collection, an article's a collection), so the rules hold
across kinds:

- a parent exists before its children (a created parent gets its id first);
- at most ``max_depth`` levels of one kind (three for collections), on creates AND on moves,
  counting the moved item's descendants of that kind;
- no item becomes its own ancestor;
- no item is deleted while it still has children, of any kind.

It is greedy, wave by wave. A wave holds calls that are legal in the tree as it is and that
cannot affect each other's legality (their footprints, below, are disjoint), so the calls of a
wave may run at once and reach the server in any order. Writes (creates, updates, moves) go
first; a delete runs before the writes are done only when a move is blocked and the delete
frees room inside the moving subtree. When nothing can go, one moving collection is *parked*:
moved to the top level (always legal) and moved on to its target later. The plan shows each
parked collection, since it costs one more call.

Before any of that, ``_check_reachable`` computes the final tree: a collection the plan keeps
where it is (``ignore:``, ``protect:``, ``--no-delete``) inside a subtree that moves deeper can
make the target impossible whatever the order; that is an ``ImpossiblePlanError`` naming the
subtree, raised while planning, before any write.

Siblings created under one parent form one *lane*: created one after another in file order.
``order`` is read-only in Intercom's API, so creation order is the only control over the order
a reader sees. Lanes of a wave run concurrently.

Pure: no IO. Applying the schedule is ``apply``'s job.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from hcsync.errors import ImpossiblePlanError
from hcsync.model import TOP, id_order
from hcsync.plan import Change, LiveEntry
from hcsync.resource import Identity, kind

_NEW = "new:"  # id prefix of an item this plan creates (live ids are digits)

Key = tuple[str, str]  # (kind, live id or _NEW + path): an identity, or a create's
Action = Literal["create", "update", "move", "park", "delete"]


@dataclass(frozen=True)
class Step:
    """One call of the schedule: a change of the plan, or the park that precedes its move."""

    change: Change
    park: bool = False  # PUT parent_id null first; the change itself comes in a later wave


Lane = tuple[Step, ...]  # run one after another
Wave = tuple[Lane, ...]  # lanes run at once


@dataclass(frozen=True)
class Schedule:
    """The plan's calls in waves of lanes; every prefix of it leaves a legal tree."""

    waves: tuple[Wave, ...] = ()

    def steps(self) -> Iterator[Step]:
        for wave in self.waves:
            for lane in wave:
                yield from lane

    @property
    def parked(self) -> tuple[Identity, ...]:
        """The items that go through the top level, in schedule order."""
        return tuple(
            s.change.identity for s in self.steps() if s.park and s.change.identity is not None
        )

    def __len__(self) -> int:
        return sum(1 for _ in self.steps())


def new_key(resource: str, path: Sequence[str]) -> Key:
    return (resource, _NEW + "\x1f".join(path))


def parent_kind(resource: str) -> str | None:
    return kind(resource).parent_kind


def target_of(change: Change) -> Key | None:
    """The key of the parent ``change`` ends under (None: the top level)."""
    above = parent_kind(change.resource)
    if above is None:
        return None
    if change.parent_id is not None:
        return (above, change.parent_id)
    return new_key(above, change.parent_path) if change.parent_path else None


def _created(key: Key) -> bool:
    return key[1].startswith(_NEW)


def _key_order(key: Key) -> tuple[str, tuple[int, int, str]]:
    return (key[0], id_order(key[1]))


def _limit(key: Key) -> int | None:
    return kind(key[0]).max_depth


def moves(change: Change) -> bool:
    return change.kind == "update" and any(f.field == "parent" for f in change.changes)


# ---------------------------------------------------------------------------- the tree


class _Tree:
    """A mutable forest of keys: the live tree as the schedule changes it, call by call."""

    def __init__(self, entries: Sequence[LiveEntry]) -> None:
        self.parent: dict[Key, Key | None] = {}
        self.children: dict[Key, set[Key]] = {}
        self.name: dict[Key, str] = {}
        for entry in entries:
            key = entry.identity
            above = parent_kind(entry.resource)
            pid = entry.parent_id
            self.parent[key] = (above, pid) if above is not None and pid is not None else None
            self.name[key] = entry.name
            self.children.setdefault(key, set())
        for key, parent in list(self.parent.items()):
            if parent is not None:
                if parent not in self.parent:
                    self.parent[key] = None  # an orphan reads as top level (normalize agrees)
                else:
                    self.children[parent].add(key)

    def exists(self, key: Key) -> bool:
        return key in self.parent

    def ancestors(self, key: Key) -> list[Key]:
        """Strict ancestors, nearest first (bounded: a loop cannot hang the planner)."""
        out: list[Key] = []
        parent = self.parent.get(key)
        while parent is not None and parent not in out and len(out) <= len(self.parent):
            out.append(parent)
            parent = self.parent.get(parent)
        return out

    def chain(self, key: Key | None) -> list[Key]:
        """``key`` and its ancestors: what a collection under ``key`` depends on."""
        return [] if key is None else [key, *self.ancestors(key)]

    def depth(self, key: Key) -> int:
        """Levels of ``key``'s own kind from the top down to it: a top-level item is 1."""
        return 1 + sum(1 for a in self.ancestors(key) if a[0] == key[0])

    def subtree(self, key: Key) -> set[Key]:
        out = {key}
        todo = [key]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def height(self, key: Key) -> int:
        """Levels of ``key``'s kind in the subtree rooted at ``key``: a leaf is 1."""
        level, height = {key}, 0
        seen: set[Key] = set()
        while level:
            height += 1
            seen |= level
            level = {
                c
                for k in level
                for c in self.children.get(k, ())
                if c not in seen and c[0] == key[0]
            }
        return height

    def add(self, key: Key, parent: Key | None, name: str) -> None:
        self.parent[key] = parent
        self.name[key] = name
        self.children[key] = set()
        if parent is not None:
            self.children[parent].add(key)

    def move(self, key: Key, parent: Key | None) -> None:
        old = self.parent[key]
        if old is not None:
            self.children[old].discard(key)
        self.parent[key] = parent
        if parent is not None:
            self.children[parent].add(key)

    def remove(self, key: Key) -> None:
        self.move(key, None)
        del self.parent[key]
        del self.children[key]

    def path(self, key: Key) -> tuple[str, ...]:
        return tuple(self.name.get(k, k[1]) for k in reversed([key, *self.ancestors(key)]))


# ---------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class _Op:
    index: int  # the change's place in the plan: the priority among ready calls
    change: Change
    action: Action
    key: Key
    target: Key | None = None  # where a create or move puts it (None: top level)

    @property
    def step(self) -> Step:
        return Step(self.change, park=self.action == "park")


def _ops(changes: Sequence[Change]) -> list[_Op]:
    out: list[_Op] = []
    for index, change in enumerate(changes):
        if change.kind == "create":
            key = new_key(change.resource, change.path)
            out.append(_Op(index, change, "create", key, target_of(change)))
        elif change.kind == "delete":
            assert change.identity is not None, "a delete always names a live id"
            out.append(_Op(index, change, "delete", change.identity))
        else:
            assert change.identity is not None, "an update always names a live id"
            action: Action = "move" if moves(change) else "update"
            out.append(_Op(index, change, action, change.identity, target_of(change)))
    return out


def _legal(op: _Op, tree: _Tree) -> bool:
    """Whether ``op`` may run now, in ``tree`` as it is."""
    if op.action == "update":
        return True
    if op.action == "delete":
        return not tree.children.get(op.key)
    if op.action == "park":
        return tree.parent.get(op.key) is not None
    parent_depth = 0
    if op.target is not None:
        if not tree.exists(op.target):
            return False  # its parent is created in a later wave
        # Depth counts levels of one kind: an article in a third-level collection is fine.
        parent_depth = tree.depth(op.target) if op.target[0] == op.key[0] else 0
    limit = _limit(op.key)
    if op.action == "create":
        return limit is None or parent_depth + 1 <= limit
    if op.target is not None and (op.target == op.key or op.key in tree.ancestors(op.target)):
        return False  # it would become its own ancestor: something must leave it first
    return limit is None or parent_depth + tree.height(op.key) <= limit


@dataclass
class _Footprint:
    """What a call reads (depths, heights) and what it changes, in the tree before a wave.

    Two calls whose footprints do not cross cannot change each other's legality, so they may
    run at once: a move changes the depth of its whole subtree and the height of its old and
    new ancestors; a create changes the height of its new ancestors; a depth check reads the
    target's ancestor chain and a height check the moved subtree. Deletes of leaves and plain
    updates touch nothing another call reads.
    """

    depth_read: set[Key]
    height_read: set[Key]
    depth_changed: set[Key]
    height_changed: set[Key]

    def crosses(self, other: _Footprint) -> bool:
        return bool(
            self.depth_changed & other.depth_read
            or other.depth_changed & self.depth_read
            or self.height_changed & other.height_read
            or other.height_changed & self.height_read
        )

    def absorb(self, other: _Footprint) -> None:
        self.depth_read |= other.depth_read
        self.height_read |= other.height_read
        self.depth_changed |= other.depth_changed
        self.height_changed |= other.height_changed


def _footprint(op: _Op, tree: _Tree) -> _Footprint:
    if op.action in ("update", "delete"):
        return _Footprint(set(), set(), set(), set())
    target = None if op.action == "park" else op.target
    chain = set(tree.chain(target))
    if op.action == "create":
        return _Footprint(chain, set(), set(), chain)
    below = tree.subtree(op.key)
    return _Footprint(chain, below, below, chain | set(tree.ancestors(op.key)))


def _carry_out(op: _Op, tree: _Tree) -> None:
    if op.action == "create":
        tree.add(op.key, op.target, op.change.name)
    elif op.action == "move":
        tree.move(op.key, op.target)
    elif op.action == "park":
        tree.move(op.key, None)
    elif op.action == "delete":
        tree.remove(op.key)


# ---------------------------------------------------------------------------- the schedule


def schedule(changes: Sequence[Change], live: Sequence[LiveEntry]) -> Schedule:
    """The waves that carry out ``changes`` against the live tree ``live`` legally.

    ``live`` is every collection of the help center, managed or not (an ignored collection
    still counts for depth and still stops its parent's delete). Raises ImpossiblePlanError
    when no order can reach the target (see ``_check_reachable``).
    """
    if not changes:
        return Schedule()  # the common case, and a live tree of thousands: nothing to order
    ops = _ops(changes)
    _check_reachable(ops, live)
    tree = _Tree(live)
    writes = [op for op in ops if op.action != "delete"]
    deletes = [op for op in ops if op.action == "delete"]
    parked: set[Key] = set()
    waves: list[list[_Op]] = []
    while writes or deletes:
        wave = _ready(writes, tree)
        if not wave:
            wave = _freeing_deletes(writes, deletes, tree)
        if not wave:
            park = _park(writes, tree, parked)
            if park is None:
                names = ", ".join(repr(" / ".join(op.change.path)) for op in writes[:5])
                raise ImpossiblePlanError(f"no legal order of the planned calls for {names}")
            parked.add(park.key)
            wave = [park]
        done = {id(op) for op in wave}
        for op in wave:
            _carry_out(op, tree)
        writes = [op for op in writes if id(op) not in done]
        deletes = [op for op in deletes if id(op) not in done]
        waves.append(wave)
    return Schedule(tuple(_lanes(wave) for wave in waves))


def _ready(ops: Sequence[_Op], tree: _Tree) -> list[_Op]:
    """The legal calls of ``ops`` whose footprints do not cross, in plan order."""
    wave: list[_Op] = []
    taken = _Footprint(set(), set(), set(), set())
    for op in ops:
        if not _legal(op, tree):
            continue
        mark = _footprint(op, tree)
        if mark.crosses(taken):
            continue
        taken.absorb(mark)
        wave.append(op)
    return wave


def _freeing_deletes(writes: Sequence[_Op], deletes: Sequence[_Op], tree: _Tree) -> list[_Op]:
    """With writes left: the deletes that free room inside a moving subtree, legal now.

    Deleting a leaf only lowers its ancestors' heights, which helps a blocked move and
    nothing else; a delete is not brought forward for any other reason, so a failure part way
    leaves as much of the help center as possible. With no writes left, every legal delete.
    """
    moving: set[Key] = set()
    for op in writes:
        if op.action == "move":
            moving |= tree.subtree(op.key)
    return [op for op in deletes if (not writes or op.key in moving) and _legal(op, tree)]


def _park(writes: Sequence[_Op], tree: _Tree, parked: set[Key]) -> _Op | None:
    """The move to the top level that unblocks the most waiting calls; None if none can.

    Candidates are blocked moves of collections not at the top level and not parked yet: each
    collection is parked at most once, so the schedule always ends.
    """
    best: tuple[int, int] | None = None
    chosen: _Op | None = None
    for op in writes:
        if op.action != "move" or op.key in parked or tree.parent.get(op.key) is None:
            continue
        park = _Op(op.index, op.change, "park", op.key)
        old = tree.parent[op.key]
        tree.move(op.key, None)
        unblocked = sum(1 for other in writes if _legal(other, tree))
        tree.move(op.key, old)
        score = (unblocked, -op.index)
        if best is None or score > best:
            best, chosen = score, park
    return chosen


def _lanes(wave: Sequence[_Op]) -> Wave:
    """Creates under one parent in one lane (file order); every other call alone."""
    lanes: dict[object, list[Step]] = {}
    for op in sorted(wave, key=lambda o: (o.index, o.action != "park")):
        lane: object = ("create", op.target) if op.action == "create" else id(op)
        lanes.setdefault(lane, []).append(op.step)
    return tuple(tuple(steps) for steps in lanes.values())


# ---------------------------------------------------------------------------- reachability


def _check_reachable(ops: Sequence[_Op], live: Sequence[LiveEntry]) -> None:
    """Raise ImpossiblePlanError when the tree the plan ends with is not one Intercom allows.

    The final tree is the live tree with every create, move and delete carried out; what the
    plan does not touch stays where it is. Desired collections are at most three levels deep
    (the config checks say so), so a collection too deep in the end is one the plan keeps (an
    ignored, protected or undeleted one) inside a subtree that the plan moves.
    """
    tree = _Tree(live)
    creates = [op for op in ops if op.action == "create"]
    while creates:  # parents before children, whatever order the changes are listed in
        ready = [op for op in creates if op.target is None or tree.exists(op.target)]
        if not ready:
            paths = ", ".join(repr(" / ".join(op.change.path)) for op in creates[:5])
            raise ImpossiblePlanError(f"the plan creates {paths} under parents it never makes")
        for op in ready:
            tree.add(op.key, op.target, op.change.name)
        creates = [op for op in creates if not tree.exists(op.key)]
    problems: list[str] = []
    for op in ops:
        if op.action == "move":
            if op.target is not None and not tree.exists(op.target):
                gone = kind(op.target[0]).endpoint.one
                problems.append(f"{_show(tree, op.key)} moves under {gone} that is gone")
                continue
            tree.move(op.key, op.target)
    deleted = {op.key for op in ops if op.action == "delete"}
    for op in ops:
        if op.action != "delete":
            continue
        stays = sorted(set(tree.children.get(op.key, ())) - deleted, key=_key_order)
        if stays:
            kept = ", ".join(_show(tree, key) for key in stays)
            keys = sorted({k for key in stays for k in kind(key[0]).ownership_keys})
            problems.append(
                f"{_show(tree, op.key)} is deleted, but {kept} stays inside it; add it to the"
                " file, delete it too (out of "
                + " and ".join(f"{k}:" for k in keys)
                + " if listed there), or move it in Intercom"
            )
    # Only a move can take a collection the plan keeps deeper than it was: look below them.
    below_moves: set[Key] = set()
    for op in ops:
        if op.action == "move" and tree.exists(op.key):
            below_moves |= tree.subtree(op.key)
    for key in sorted(below_moves, key=_key_order):
        depth, limit = tree.depth(key), _limit(key)
        if limit is None or depth <= limit or _created(key) or key in deleted:
            continue
        above = tree.parent[key]
        if above is not None and above[0] == key[0] and tree.depth(above) > limit:
            continue  # its too-deep parent is named already
        mover = _moved_ancestor(key, tree, ops)
        how = f", because {_show(tree, mover)} moves" if mover else ""
        problems.append(
            f"{_show(tree, key)} would end up {depth} levels deep{how}, but this plan leaves it"
            " where it is (it is ignored, protected, or a delete is skipped); Intercom allows"
            f" {limit}. Move or delete it in Intercom, add it to the file, or keep"
            f" {'the move' if mover else 'its parents'} out of this change"
        )
    if problems:
        count = len(problems)
        raise ImpossiblePlanError(
            f"the target tree cannot be reached ({count} problem{'s' if count != 1 else ''};"
            " nothing was applied):\n" + "\n".join(f"  {p}" for p in problems)
        )


def _moved_ancestor(key: Key, tree: _Tree, ops: Sequence[_Op]) -> Key | None:
    moved = {op.key for op in ops if op.action == "move"}
    return next((a for a in tree.ancestors(key) if a in moved), None)


def _show(tree: _Tree, key: Key) -> str:
    path = " / ".join(tree.path(key)) or TOP
    ident = f" (id {key[1]})" if not _created(key) else ""
    return f"{path!r}{ident}"
