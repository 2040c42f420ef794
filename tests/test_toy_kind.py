"""A third kind, defined here, planned and applied by the engine alone: proof the interface is
enough.

``Colour`` is a flat list of named items with one field of their own (``hex``), served by a
tiny in-test server (``Palette``): list, create, update, delete, each answer moving
``updated_at``. ``Note`` lives in a colour (as an article lives in a collection): it proves
that dependencies between kinds order the calls (a colour before the notes created in it;
its notes deleted or moved out before it goes, which the server enforces).

Nothing here imports ``hcsync.kinds``, the collection kind, the pipeline or the emulator:
only the engine (``resource``, ``normalize``, ``diff``, ``plan``, ``order``, ``apply``,
``staleness``, ``client``) and httpx's MockTransport.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest

from hcsync.apply import apply_plan
from hcsync.client import IntercomClient
from hcsync.diff import build_plan
from hcsync.errors import ConfigError, ImpossiblePlanError
from hcsync.model import LiveNode, Node
from hcsync.normalize import read_items, text
from hcsync.order import schedule
from hcsync.plan import Change, Plan
from hcsync.render.markdown import render_markdown
from hcsync.render.text import render_text
from hcsync.resource import (
    Context,
    Desired,
    Endpoint,
    LiveItems,
    ResourceKind,
    register,
    unregister,
)
from hcsync.staleness import stale

COLOURS = Endpoint("/colours", "colour", "colours")
NOTES = Endpoint("/notes", "note", "notes")


# ------------------------------------------------------------------------ the desired side


@dataclass(frozen=True)
class Swatch:
    """One entry of the toy file: a name, its hex, an optional pin and earlier names."""

    name: str
    hex: str
    line: int
    id: str | None = None
    previously: tuple[str, ...] = ()


@dataclass(frozen=True)
class Jot:
    """A note of the toy file: its text, and the colour it lives in."""

    colour: str
    text: str
    line: int
    id: str | None = None


@dataclass(frozen=True)
class Swatches:
    """The toy config: what the planner reads of any config, plus the kinds' own entries."""

    swatches: tuple[Swatch, ...]
    notes: tuple[Jot, ...] = ()
    source: str = "colours.yaml"
    default_locale: str = "en"
    digest: str = ""
    protect: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


# ------------------------------------------------------------------------------ the kind


class Colour(ResourceKind):
    name = "colour"
    endpoint = COLOURS
    rank = 5
    max_change_share = 0.5
    min_existing = 4

    def desired(self, config: Any) -> list[Desired]:
        assert isinstance(config, Swatches)
        return [
            Desired(
                node=Node((s.name,), extra=(("hex", s.hex),)),
                source=config.source,
                line=s.line,
                where=f"swatches[{index}]",
                pin=s.id,
                previously=s.previously,
            )
            for index, s in enumerate(config.swatches)
        ]

    def read_live(
        self,
        raw: Sequence[Mapping[str, Any]],
        default_locale: str,
        parents: Mapping[str, LiveNode] | None = None,
    ) -> LiveItems:
        def node(item: Mapping[str, Any], path: tuple[str, ...]) -> Node:
            return Node(path, extra=(("hex", text(item.get("hex"))),))

        return read_items(
            raw, endpoint=COLOURS, name=lambda i: text(i.get("name")), node=node, nested=False
        )

    def ownership(self, config: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        assert isinstance(config, Swatches)
        return config.ignore, config.protect  # a note in an ignored colour is ignored too

    def create_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        return {"name": change.name, **dict(change.extra)}

    def update_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        fields = {c.field for c in change.changes}
        values = {"name": change.name, **dict(change.extra)}
        return {key: value for key, value in values.items() if key in fields}


class Note(ResourceKind):
    """A note lives in a colour: written after colours, deleted before them."""

    name = "note"
    endpoint = NOTES
    rank = 10
    parent_kind = "colour"
    max_depth = 1  # notes do not nest; depth counts levels of one kind, so a colour is no level

    def desired(self, config: Any) -> list[Desired]:
        assert isinstance(config, Swatches)
        return [
            Desired(Node((n.colour, n.text)), config.source, n.line, where=f"notes[{i}]", pin=n.id)
            for i, n in enumerate(config.notes)
        ]

    def read_live(
        self,
        raw: Sequence[Mapping[str, Any]],
        default_locale: str,
        parents: Mapping[str, LiveNode] | None = None,
    ) -> LiveItems:
        # A note's path is its colour's path and its own text: ``within`` is the colours.
        return read_items(
            raw,
            endpoint=NOTES,
            name=lambda i: text(i.get("text")),
            node=lambda _, path: Node(path),
            nested=False,
            within=parents or {},
        )

    def create_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        return {"text": change.name, "parent_id": parent_id}

    def update_body(
        self, change: Change, *, parent_id: str | None, context: Context
    ) -> dict[str, Any]:
        return {"parent_id": parent_id}


@pytest.fixture(autouse=True)
def colour() -> Iterator[Colour]:
    kind = register(Colour())
    assert isinstance(kind, Colour)
    yield kind
    unregister("colour")


@pytest.fixture
def note() -> Iterator[Note]:
    kind = register(Note())
    assert isinstance(kind, Note)
    yield kind
    unregister("note")


# ------------------------------------------------------------------- the tiny server


@dataclass
class Palette:
    """The toy kinds' server: colours and notes by id, and a log of the writes it was sent.

    Like Intercom with collections, it refuses what would break its tree: a note in a colour
    that does not exist, a colour deleted while notes live in it.
    """

    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # colours
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    writes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    # Each kind its own id space, both from 1: colour 1 and note 1 are two items.
    ids: dict[str, Iterator[int]] = field(
        default_factory=lambda: {COLOURS.path: itertools.count(1), NOTES.path: itertools.count(1)}
    )
    # (method, path) -> a failure to answer with once, after the write is done (commit-then-502)
    lose_answer: set[tuple[str, str]] = field(default_factory=set)
    clock: Iterator[int] = field(default_factory=lambda: itertools.count(1_700_000_000))

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        base = "/" + path.split("/")[1]
        store = {COLOURS.path: self.items, NOTES.path: self.notes}[base]
        if request.method == "GET" and path == base:
            data = list(store.values())
            return httpx.Response(
                200,
                json={
                    "type": "list",
                    "data": data,
                    "total_count": len(data),
                    "pages": {"page": 1, "per_page": 150, "total_pages": 1},
                },
            )
        self.writes.append((request.method, path, body))
        if body.get("parent_id") not in (None, *self.items):
            return _refused(404, "parent_not_found")
        if request.method == "POST" and path == base:
            cid = str(next(self.ids[base]))
            store[cid] = {"id": cid, "updated_at": next(self.clock), **body}
            if (request.method, path) in self.lose_answer:
                self.lose_answer.discard((request.method, path))
                return _refused(502, "bad_gateway")  # written, but the answer is lost
            return httpx.Response(200, json=store[cid])
        cid = path.rsplit("/", 1)[-1]
        if cid not in store:
            return _refused(404, "not_found")
        if request.method == "PUT":
            store[cid].update(body, updated_at=next(self.clock))
            return httpx.Response(200, json=store[cid])
        assert request.method == "DELETE"
        if any(n.get("parent_id") == cid for n in self.notes.values()) and store is self.items:
            return _refused(409, "colour_has_notes")
        del store[cid]
        return httpx.Response(200, json={"id": cid, "deleted": True})


def _refused(status: int, code: str) -> httpx.Response:
    return httpx.Response(status, json={"type": "error.list", "errors": [{"code": code}]})


@pytest.fixture
def palette() -> Palette:
    return Palette()


@pytest.fixture
def client(palette: Palette) -> IntercomClient:
    http = httpx.Client(
        base_url="https://toy.invalid", transport=httpx.MockTransport(palette.handle)
    )
    return IntercomClient(http, sleep=lambda _: None)


def plan(client: IntercomClient, config: Swatches, colour: Colour) -> Plan:
    live = {"colour": client.list_all(COLOURS)}
    return build_plan(config, live, help_center="toy", help_center_id="1", resources=[colour])


def converge(client: IntercomClient, config: Swatches, colour: Colour) -> Plan:
    """Plan, apply, and prove the next plan is empty; the plan that was applied."""
    planned = plan(client, config, colour)
    result = apply_plan(planned, client, default_locale="en")
    assert result.ok, result.failed
    assert plan(client, config, colour).empty
    return planned


# ------------------------------------------------------------------------------ the tests


def test_a_new_kind_plans_and_applies_through_the_engine_alone(
    client: IntercomClient, palette: Palette, colour: Colour
) -> None:
    config = Swatches((Swatch("Red", "#f00", 1), Swatch("Green", "#0f0", 2)))
    first = converge(client, config, colour)
    assert [(c.kind, c.resource, c.path, c.extra) for c in first.changes] == [
        ("create", "colour", ("Red",), (("hex", "#f00"),)),
        ("create", "colour", ("Green",), (("hex", "#0f0"),)),
    ]
    assert sorted((i["name"], i["hex"]) for i in palette.items.values()) == [
        ("Green", "#0f0"),
        ("Red", "#f00"),
    ]

    # A rename by previously, a field edit and a delete: each as one call, sending the least.
    palette.writes.clear()
    renamed = Swatches(
        (Swatch("Crimson", "#f00", 1, previously=("Red",)), Swatch("Blue", "#00f", 2))
    )
    second = converge(client, renamed, colour)
    red, green = "1", "2"
    assert {(c.kind, c.id) for c in second.changes} == {
        ("update", red),
        ("create", None),
        ("delete", green),
    }
    update = next(c for c in second.changes if c.kind == "update")
    assert [(f.field, f.old, f.new) for f in update.changes] == [("name", "Red", "Crimson")]
    assert sorted(palette.writes, key=lambda w: w[0]) == [
        ("DELETE", f"/colours/{green}", {}),
        ("POST", "/colours", {"name": "Blue", "hex": "#00f"}),
        ("PUT", f"/colours/{red}", {"name": "Crimson"}),
    ]
    assert palette.items[red]["name"] == "Crimson"


def test_the_kinds_own_field_is_compared_and_sent_alone(
    client: IntercomClient, palette: Palette, colour: Colour
) -> None:
    converge(client, Swatches((Swatch("Red", "#f00", 1),)), colour)
    palette.writes.clear()
    changed = converge(client, Swatches((Swatch("Red", "#e00", 1),)), colour)
    (update,) = changed.changes
    assert [(f.field, f.old, f.new) for f in update.changes] == [("hex", "#f00", "#e00")]
    assert palette.writes == [("PUT", "/colours/1", {"hex": "#e00"})]


def test_identities_carry_the_kind_through_a_saved_plan_and_staleness(
    client: IntercomClient, palette: Palette, colour: Colour
) -> None:
    converge(client, Swatches((Swatch("Red", "#f00", 1),)), colour)
    planned = plan(client, Swatches((Swatch("Red", "#e00", 1),)), colour)
    assert planned.live_versions == ((("colour", "1"), 1_700_000_000),)
    assert Plan.from_dict(json.loads(json.dumps(planned.to_dict()))) == planned
    assert planned.to_dict()["live_versions"] == {"colour": {"1": 1_700_000_000}}

    palette.items["1"]["updated_at"] += 60  # edited by someone else since the plan
    (found,) = stale(planned, {"colour": client.list_all(COLOURS)})
    assert (found.reason, found.identity) == ("edited", ("colour", "1"))
    assert (
        str(found)
        == "Red (id 1): edited in Intercom since the plan (updated_at 1700000000 -> 1700000060)"
    )


def test_a_pin_to_a_missing_item_is_named_with_the_kinds_noun(
    client: IntercomClient, colour: Colour
) -> None:
    config = Swatches((Swatch("Red", "#f00", 7, id="999"),))
    with pytest.raises(ConfigError) as caught:
        plan(client, config, colour)
    assert str(caught.value).splitlines()[0] == (
        "colours.yaml:7:1: swatches[0].id: id 999 is pinned but no live colour has it;"
        " remove the pin or fix the id"
    )


def test_each_kind_has_its_own_safety_threshold(
    client: IntercomClient, palette: Palette, colour: Colour
) -> None:
    names = ("Red", "Green", "Blue", "Grey")
    converge(client, Swatches(tuple(Swatch(n, "#000", i) for i, n in enumerate(names, 1))), colour)
    two = Swatches(tuple(Swatch(n, "#111" if n in ("Red", "Green") else "#000", 1) for n in names))
    assert plan(client, two, colour).too_much_change is None  # 2 of 4: at 50%, not over it
    three = Swatches(tuple(Swatch(n, "#111" if n != "Grey" else "#000", 1) for n in names))
    assert plan(client, three, colour).too_much_change == (
        "this plan updates or deletes 3 of 4 existing colours (75%, over the 50% safety"
        " threshold); apply refuses it unless given --force"
    )


def test_a_flat_kind_needs_no_parent_and_no_depth(client: IntercomClient, colour: Colour) -> None:
    """Parents and depth are the kind's to say: a kind with no parent kind has neither, so a
    plan of many creates runs in one wave, whatever the paths look like."""
    config = Swatches(tuple(Swatch(f"C{i}", "#000", i) for i in range(1, 6)))
    planned = plan(client, config, colour)
    assert all(c.parent_id is None and c.parent_path == () for c in planned.changes)
    result = apply_plan(replace(planned), client, default_locale="en", parallelism=4)
    assert result.ok and len(result.created) == 5
    assert set(result.created) == {("colour", (f"C{i}",)) for i in range(1, 6)}


# ------------------------------------------------------------------ a kind inside a kind


def both(client: IntercomClient, config: Swatches, colour: Colour, note: Note) -> Plan:
    live = {"colour": client.list_all(COLOURS), "note": client.list_all(NOTES)}
    return build_plan(config, live, help_center="toy", help_center_id="1", resources=[note, colour])


def test_a_kind_inside_another_is_ordered_by_what_it_depends_on(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    """Notes live in colours: a colour is created before the notes in it (they need its id),
    and a note moves out of a colour before that colour is deleted, or the server refuses."""
    config = Swatches(
        (Swatch("Red", "#f00", 1), Swatch("Blue", "#00f", 2)),
        notes=(Jot("Red", "warm", 3), Jot("Red", "loud", 4)),
    )
    first = both(client, config, colour, note)
    assert [(c.resource, c.kind, c.path) for c in first.changes] == [
        ("colour", "create", ("Red",)),
        ("colour", "create", ("Blue",)),
        ("note", "create", ("Red", "warm")),
        ("note", "create", ("Red", "loud")),
    ]
    assert apply_plan(first, client, default_locale="en").ok
    red = next(cid for cid, c in palette.items.items() if c["name"] == "Red")
    assert {n["text"]: n["parent_id"] for n in palette.notes.values()} == {"warm": red, "loud": red}
    assert both(client, config, colour, note).empty

    # Red goes; one note moves to Blue (pinned, as a move is found) and one is dropped: the
    # move and the note's delete must both come before Red's delete.
    warm = next(cid for cid, n in palette.notes.items() if n["text"] == "warm")
    moved = Swatches((Swatch("Blue", "#00f", 2),), notes=(Jot("Blue", "warm", 3, id=warm),))
    second = both(client, moved, colour, note)
    assert [(c.resource, c.kind, c.path) for c in second.changes] == [
        ("note", "update", ("Blue", "warm")),
        ("note", "delete", ("Red", "loud")),
        ("colour", "delete", ("Red",)),
    ]
    (update,) = second.of_kind("update")
    assert [(f.field, f.old, f.new) for f in update.changes] == [("parent", "Red", "Blue")]
    # Order is the contract here: the waves put Red's delete after both calls on its notes.
    waves = schedule(second.changes, second.live_tree).waves
    wave_of = {
        (s.change.resource, s.change.kind): i
        for i, w in enumerate(waves)
        for lane in w
        for s in lane
    }
    assert wave_of[("colour", "delete")] > max(
        wave_of[("note", "update")], wave_of[("note", "delete")]
    )
    palette.writes.clear()
    result = apply_plan(second, client, default_locale="en", parallelism=4)
    assert result.ok, result.failed
    assert palette.writes[-1] == ("DELETE", f"/colours/{red}", {})
    assert both(client, moved, colour, note).empty


def test_a_note_in_a_colour_created_by_the_same_plan_gets_its_new_id(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    converge(client, Swatches((Swatch("Blue", "#00f", 1),)), colour)
    config = Swatches(
        (Swatch("Blue", "#00f", 1), Swatch("Green", "#0f0", 2)), notes=(Jot("Green", "calm", 3),)
    )
    planned = both(client, config, colour, note)
    (made,) = [c for c in planned.changes if c.resource == "note"]
    assert (made.parent_id, made.parent_path) == (None, ("Green",))  # not made yet
    result = apply_plan(planned, client, default_locale="en")
    assert result.ok, result.failed
    green = result.created[("colour", ("Green",))]
    assert [n["parent_id"] for n in palette.notes.values()] == [green]


def test_a_kind_whose_parent_kind_is_not_planned_is_refused(
    client: IntercomClient, note: Note
) -> None:
    with pytest.raises(ValueError, match="lives in 'colour', which this plan does not cover"):
        build_plan(
            Swatches(()), {"note": []}, help_center="toy", help_center_id="1", resources=[note]
        )


# -------------------------------------------- what a second kind must not break


def seeded(palette: Palette) -> tuple[str, str]:
    """Colours 1 Red and 2 Blue; notes 1 "warm" and 2 "cool" in them: the same ids in both
    kinds, crossed (note 1 lives in colour 1, note 2 in colour 2)."""
    palette.items.update(
        {
            "1": {"id": "1", "name": "Red", "hex": "#f00", "updated_at": 1},
            "2": {"id": "2", "name": "Blue", "hex": "#00f", "updated_at": 1},
        }
    )
    palette.notes.update(
        {
            "1": {"id": "1", "text": "warm", "parent_id": "1", "updated_at": 1},
            "2": {"id": "2", "text": "cool", "parent_id": "2", "updated_at": 1},
        }
    )
    palette.ids[COLOURS.path] = itertools.count(3)
    palette.ids[NOTES.path] = itertools.count(3)
    return "1", "2"


def test_equal_ids_of_two_kinds_are_two_items(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    """Deleting Red (colour 1) and its note (note 1) names each by its own path; note 1 is
    not taken for colour 1's child, nor colour 1 for a note's parent."""
    seeded(palette)
    config = Swatches((Swatch("Blue", "#00f", 1),), notes=(Jot("Blue", "cool", 2),))
    planned = both(client, config, colour, note)
    assert [(c.resource, c.kind, c.id, c.path, c.subtree) for c in planned.changes] == [
        ("note", "delete", "1", ("Red", "warm"), ()),
        ("colour", "delete", "1", ("Red",), ()),
    ]
    assert dict(planned.live_versions) == {
        ("colour", "1"): 1,
        ("colour", "2"): 1,
        ("note", "1"): 1,
        ("note", "2"): 1,
    }
    assert apply_plan(planned, client, default_locale="en").ok
    assert list(palette.items) == ["2"] and list(palette.notes) == ["2"]
    assert both(client, config, colour, note).empty


def test_notes_in_an_ignored_colour_are_ignored_too(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    seeded(palette)
    config = Swatches(
        (Swatch("Blue", "#00f", 1),), notes=(Jot("Blue", "cool", 2),), ignore=("Red",)
    )
    planned = both(client, config, colour, note)
    assert planned.empty
    assert planned.live_counts == (("colour", 1), ("note", 1))


def test_an_ignore_id_names_an_item_of_the_kind_that_reads_ignore(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    """``ignore: ["2"]`` is colour 2 (Blue, and so its note), never note 2 on its own."""
    seeded(palette)
    config = Swatches((Swatch("Red", "#f00", 1),), notes=(Jot("Red", "warm", 2),), ignore=("2",))
    assert both(client, config, colour, note).empty


def test_a_note_kept_inside_a_colour_the_plan_deletes_is_a_plan_error(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    """Red goes, but its note stays (the file keeps it under Red, which it no longer has):
    no order can reach that, and the plan says so before any write."""
    seeded(palette)
    config = Swatches(
        (Swatch("Blue", "#00f", 1),),
        notes=(Jot("Blue", "cool", 2), Jot("Red", "warm", 3, id="1")),
    )
    with pytest.raises(ImpossiblePlanError) as caught:
        both(client, config, colour, note)
    assert "'Red' (id 1) is deleted, but 'Red / warm' (id 1) stays inside it" in str(caught.value)
    assert palette.writes == []


def test_an_empty_duplicate_note_is_a_cleanup(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    seeded(palette)
    palette.notes["3"] = {"id": "3", "text": "warm", "parent_id": "1", "updated_at": 2}
    config = Swatches(
        (Swatch("Red", "#f00", 1), Swatch("Blue", "#00f", 2)),
        notes=(Jot("Red", "warm", 3), Jot("Blue", "cool", 4)),
    )
    (cleanup,) = both(client, config, colour, note).changes
    assert (cleanup.resource, cleanup.kind, cleanup.id, cleanup.duplicate_of) == (
        "note",
        "delete",
        "3",
        "1",
    )
    assert cleanup.cleanup


def test_a_lost_answer_to_a_note_create_is_looked_for_not_sent_again(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    seeded(palette)
    palette.lose_answer.add(("POST", NOTES.path))
    config = Swatches(
        (Swatch("Red", "#f00", 1), Swatch("Blue", "#00f", 2)),
        notes=(Jot("Red", "warm", 3), Jot("Blue", "cool", 4), Jot("Red", "bright", 5)),
    )
    result = apply_plan(both(client, config, colour, note), client, default_locale="en")
    assert result.ok, result.failed
    assert [s.outcome for s in result.steps] == ["found after an ambiguous failure"]
    assert [n["text"] for n in palette.notes.values()].count("bright") == 1
    assert result.created == {("note", ("Red", "bright")): "3"}
    assert both(client, config, colour, note).empty


def test_a_note_another_writer_made_meanwhile_is_adopted(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    seeded(palette)
    config = Swatches(
        (Swatch("Red", "#f00", 1), Swatch("Blue", "#00f", 2)),
        notes=(Jot("Red", "warm", 3), Jot("Blue", "cool", 4), Jot("Blue", "deep", 5)),
    )
    planned = both(client, config, colour, note)
    palette.notes["7"] = {"id": "7", "text": "deep", "parent_id": "2", "updated_at": 9}
    result = apply_plan(planned, client, default_locale="en")
    assert result.ok, result.failed
    assert [(s.outcome, s.id) for s in result.steps] == [("adopted", "7")]
    assert [w for w in palette.writes if w[0] == "POST"] == []


def test_a_plan_of_two_kinds_names_each_change_s_kind_and_shows_its_own_fields(
    client: IntercomClient, palette: Palette, colour: Colour, note: Note
) -> None:
    config = Swatches((Swatch("Red", "#f00", 1),), notes=(Jot("Red", "warm", 2),))
    planned = both(client, config, colour, note)
    text = render_text(planned)
    assert '+ create colour  Red\n    name: "Red"\n    hex:  "#f00"\n' in text
    assert "+ create note  Red / warm\n" in text
    assert "against 0 live colours and 0 live notes" in text
    markdown = render_markdown(planned)
    assert "<code>+ create note</code> <b>Red / warm</b>" in markdown
    assert "| hex | &quot;#f00&quot; |" in markdown or '| hex | "#f00" |' in markdown
    # One kind alone reads as before: no kind on the change lines.
    alone = plan(client, Swatches((Swatch("Red", "#f00", 1),)), colour)
    assert "+ create  Red\n" in render_text(alone)
