"""Edges of the engine once it is generic over kinds (issue 12), found by ``make mutate``.

Apply looks again before a wave's creates, kind by kind. When one kind's look stops the run
(its listing fails, another writer's item appeared, or aligning an adopted item fails), the
next kind is not looked at: it would list, adopt and write after apply stopped, and report a
second failure for a run that already failed. Only visible with two kinds in one wave.

Also: a kind's noun may be two words (the ignored warning puts "live" before the noun, once),
and a saved plan reads back while several kinds are registered. All on the toy kinds of
``test_toy_kind`` (a colour, and a note that lives in one), against their tiny server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_toy_kind import (
    COLOURS,
    NOTES,
    Colour,
    Jot,
    Note,
    Palette,
    Swatch,
    Swatches,
    both,
    converge,
)

from hcsync.apply import ApplyResult, apply_plan
from hcsync.client import IntercomClient
from hcsync.diff import build_plan
from hcsync.plan import Plan
from hcsync.resource import Endpoint, register, unregister
from hcsync.resource import kinds as registered
from hcsync.saved import read_saved_plan


@dataclass
class Refusing(Palette):
    """The toy server, refusing the requests named in ``refuse`` (method, path) with 403."""

    refuse: set[tuple[str, str]] = field(default_factory=set)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if (request.method, request.url.path) in self.refuse:
            return httpx.Response(
                403, json={"type": "error.list", "errors": [{"code": "forbidden"}]}
            )
        return super().handle(request)


@pytest.fixture
def kinds() -> Iterator[tuple[Colour, Note]]:
    colour, note = register(Colour()), register(Note())
    assert isinstance(colour, Colour) and isinstance(note, Note)
    yield colour, note
    unregister("note")
    unregister("colour")


@pytest.fixture
def palette() -> Refusing:
    return Refusing()


@pytest.fixture
def client(palette: Refusing) -> IntercomClient:
    http = httpx.Client(
        base_url="https://toy.invalid", transport=httpx.MockTransport(palette.handle)
    )
    return IntercomClient(http, sleep=lambda _: None)


# Blue exists; the plan creates the colour Green and, in the same first wave, a note in Blue.
PLANNED = Swatches(
    (Swatch("Blue", "#00f", 1), Swatch("Green", "#0f0", 2)), notes=(Jot("Blue", "calm", 3),)
)


def _stray_note(palette: Refusing, parent: str) -> None:
    """Another writer's note, which the plan does not create: its look would stop apply."""
    palette.notes["900"] = {"id": "900", "text": "stray", "parent_id": parent, "updated_at": 1}


def _failures(result: ApplyResult) -> list[tuple[str, tuple[str, ...], str]]:
    return [(s.change.resource, s.change.path, str(s.error)) for s in result.failures]


def _planned(client: IntercomClient, palette: Refusing, kinds: tuple[Colour, Note]) -> Plan:
    """PLANNED, planned on live Blue; the server's log of writes cleared."""
    colour, note = kinds
    converge(client, Swatches((Swatch("Blue", "#00f", 1),)), colour)
    planned = both(client, PLANNED, colour, note)
    assert [(c.resource, c.kind, c.path) for c in planned.changes] == [
        ("colour", "create", ("Green",)),
        ("note", "create", ("Blue", "calm")),
    ]
    palette.writes.clear()
    return planned


def test_a_failed_listing_of_one_kind_stops_the_look_before_the_next_kind(
    client: IntercomClient, palette: Refusing, kinds: tuple[Colour, Note]
) -> None:
    planned = _planned(client, palette, kinds)
    _stray_note(palette, "101")
    palette.refuse.add(("GET", COLOURS.path))

    result = apply_plan(planned, client, default_locale="en")
    assert _failures(result) == [
        (
            "colour",
            ("Green",),
            "GET https://toy.invalid/colours?page=1&per_page=150 -> 403: forbidden: Forbidden",
        ),
    ]
    assert palette.writes == []
    # Green failed; the note was never reached.
    assert [(c.resource, c.path) for c in result.not_done] == [("note", ("Blue", "calm"))]


def test_another_writer_in_one_kind_stops_the_look_before_the_next_kind(
    client: IntercomClient, palette: Refusing, kinds: tuple[Colour, Note]
) -> None:
    planned = _planned(client, palette, kinds)
    palette.items["800"] = {"id": "800", "name": "Stray", "hex": "#123", "updated_at": 1}
    _stray_note(palette, "101")

    result = apply_plan(planned, client, default_locale="en")
    assert _failures(result) == [
        (
            "colour",
            ("Green",),
            "another writer is active (a second apply, or someone in Intercom): 1 colour"
            " appeared since the plan that it does not create: 'Stray' (id 800). apply"
            " stopped; run plan again once the other writer is done (duplicates show as a"
            " cleanup)",
        ),
    ]
    assert palette.writes == []


def test_a_failed_alignment_of_one_kind_stops_the_look_before_the_next_kind(
    client: IntercomClient, palette: Refusing, kinds: tuple[Colour, Note]
) -> None:
    """Another writer made Green with another hex: apply adopts it and aligns the hex, which
    the server refuses; the note's look must not run after that."""
    planned = _planned(client, palette, kinds)
    palette.items["800"] = {"id": "800", "name": "Green", "hex": "#0f1", "updated_at": 1}
    palette.refuse.add(("PUT", f"{COLOURS.path}/800"))
    _stray_note(palette, "101")

    result = apply_plan(planned, client, default_locale="en")
    assert _failures(result) == [
        ("colour", ("Green",), "PUT https://toy.invalid/colours/800 -> 403: forbidden: Forbidden"),
    ]
    assert palette.items["800"]["hex"] == "#0f1"
    assert palette.writes == []  # the one PUT was refused; nothing else was sent


# ------------------------------------------------------------------- a noun of two words


class Tint(Colour):
    """The colour kind under a noun of two words: the engine's messages must still read."""

    endpoint = Endpoint(COLOURS.path, "colour tint", "colour tints")


def test_the_ignored_warning_says_live_once_before_a_noun_of_two_words(
    client: IntercomClient, palette: Refusing
) -> None:
    tint = register(Tint())
    try:
        for cid, name in (("1", "Red"), ("2", "Rose"), ("3", "Blue")):
            palette.items[cid] = {"id": cid, "name": name, "hex": "#000", "updated_at": 1}
        config = Swatches((Swatch("Blue", "#000", 1),), ignore=("R*",))
        live = {"colour": client.list_all(COLOURS)}
        planned = build_plan(config, live, help_center="toy", help_center_id="1", resources=[tint])
    finally:
        unregister("colour")
    assert planned.empty
    assert planned.warnings == ("2 live colour tints ignored (ignore: R*)",)


# ------------------------------------------------------------------ a saved plan, two kinds


def test_a_saved_plan_of_two_kinds_reads_back_while_both_are_registered(
    client: IntercomClient, palette: Refusing, kinds: tuple[Colour, Note], tmp_path: Path
) -> None:
    """Reading a saved plan checks its kinds against every registered one (``kinds()``,
    lowest rank first), which must work with more than one registered."""
    planned = _planned(client, palette, kinds)
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps(planned.to_dict()), encoding="utf-8")
    assert read_saved_plan(str(saved)) == planned
    names = [k.name for k in registered()]
    assert names.index("colour") < names.index("note")


# ------------------------------------------------- a protected item of a kind in another kind


class Kept(Note):
    """The note kind, reading ``protect:`` (the toy note reads neither list)."""

    def ownership(self, config: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        assert isinstance(config, Swatches)
        return (), config.protect


def test_a_protected_note_keeps_no_note_whose_id_is_its_colours(
    client: IntercomClient, palette: Refusing
) -> None:
    """Only a kind nested in itself keeps the deleted ancestors of a protected item: a note's
    parent is a colour, and note 1 is not colour 1 (which the protected note 2 lives in), so
    note 1 is deleted as the file says."""
    for cid, name in (("1", "Red"), ("2", "Blue"), ("3", "Grey")):
        palette.items[cid] = {"id": cid, "name": name, "hex": "#000", "updated_at": 1}
    palette.notes.update(
        {
            "1": {"id": "1", "text": "warm", "parent_id": "3", "updated_at": 1},
            "2": {"id": "2", "text": "old", "parent_id": "1", "updated_at": 1},
        }
    )
    colour, note = register(Colour()), register(Kept())
    try:
        swatches = (Swatch("Red", "#000", 1), Swatch("Blue", "#000", 2), Swatch("Grey", "#000", 3))
        config = Swatches(swatches, protect=("old",))
        live = {"colour": client.list_all(COLOURS), "note": client.list_all(NOTES)}
        planned = build_plan(
            config, live, help_center="toy", help_center_id="1", resources=[colour, note]
        )
    finally:
        unregister("note")
        unregister("colour")
    assert [(c.resource, c.kind, c.id, c.path) for c in planned.changes] == [
        ("note", "delete", "1", ("Grey", "warm")),
    ]
    assert planned.warnings == (
        "'Red / old' (id 2) is protected (protect: old) and not in the file: left in place;"
        " add it to the file or remove it from protect:",
    )
