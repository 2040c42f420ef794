"""Reading live state tolerantly: every spelling of "top level", a help_center_id that says
null, the read-only ``order``, and one rule for duplicate ids.

The fakes are small handlers around ``Emulator.handle`` that rewrite the collections in its
answers the way another server might send them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import EXAMPLE, TOKEN, FakeTime, run_cli

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.kinds.collection import read_live
from hcsync.live import fetch_live
from hcsync.model import collection_id, newest_by_id, parent_ref, timestamp

Handler = Callable[[httpx.Request], httpx.Response]
Edit = Callable[[dict[str, Any]], None]


def rewriting(emu: Emulator, edit: Edit) -> httpx.MockTransport:
    """The emulator, with ``edit`` applied to every collection in its answers."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = emu.handle(request)
        if "/help_center/collections" not in request.url.path or response.status_code != 200:
            return response
        body = json.loads(response.content)
        items = body.get("data") if body.get("type") == "list" else [body]
        for item in items or []:
            if "parent_id" in item:
                edit(item)
        return httpx.Response(200, json=body, headers=dict(response.headers))

    return httpx.MockTransport(handle)


def applied(emulator: Emulator, fake_time: FakeTime) -> None:
    result = run_cli(emulator.transport, "apply", str(EXAMPLE), time=fake_time)
    assert result.code == 0, result.out + result.err


# -- the pure readings ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "0", 0, "", "  ", "00", False, [], {}])
def test_every_spelling_of_no_parent_is_top_level(value: object) -> None:
    assert parent_ref(value) is None


@pytest.mark.parametrize(("value", "expected"), [("7", "7"), (7, "7"), (7.0, "7"), ("70", "70")])
def test_a_parent_id_string_or_number_names_the_same_collection(
    value: object, expected: str
) -> None:
    assert parent_ref(value) == expected
    assert collection_id(value) == expected


def test_an_id_of_zero_is_an_id_but_not_a_parent() -> None:
    assert collection_id("0") == "0" and parent_ref("0") is None
    assert collection_id(True) is None and collection_id("") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1700000000, 1700000000), ("1700000000", 1700000000), (1.7e9, 1700000000), ("soon", None)],
)
def test_timestamps_are_read_tolerantly(value: object, expected: int | None) -> None:
    assert timestamp(value) == expected


def test_one_rule_keeps_the_newest_copy_of_an_id_whatever_its_spelling() -> None:
    items = [
        {"id": 1, "updated_at": 10, "name": "old"},
        {"id": "2", "updated_at": None, "name": "two"},
        {"id": "1", "updated_at": "11", "name": "new"},  # a string timestamp, newer
        {"id": "2", "updated_at": 5, "name": "two, dated"},  # any date beats none
        {"id": "1", "updated_at": 11, "name": "tie"},  # a tie keeps the first
        {"name": "no id"},
    ]
    kept = newest_by_id(items)
    assert [item["name"] for item in kept.values()] == ["new", "two, dated"]
    assert list(kept) == ["1", "2"]
    # normalize reads live state by the same rule
    nodes = read_live(items, "en").nodes
    assert {cid: node.node.name for cid, node in nodes.items()} == {"1": "new", "2": "two, dated"}
    assert nodes["1"].updated_at == 11


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), ("1", 1), (0, 0), (" 3 ", 3), ("x", None), (None, None), (True, None), (-1, None)],
)
def test_the_order_of_a_live_collection_is_read_tolerantly(
    value: object, expected: int | None
) -> None:
    raw = [{"id": "5", "name": "A", "parent_id": None, "order": value}]
    assert read_live(raw, "en").nodes["5"].order == expected


# -- parent_id "0", 0 or "" ---------------------------------------------------------------------


@pytest.mark.parametrize("top", ["0", 0, ""], ids=["'0'", "0", "empty"])
def test_a_top_level_parent_id_of_zero_or_empty_is_top_level_and_plan_works(
    emulator: Emulator, fake_time: FakeTime, top: object
) -> None:
    applied(emulator, fake_time)

    def spell_top(item: dict[str, Any]) -> None:
        if item["parent_id"] is None:
            item["parent_id"] = top

    transport = rewriting(emulator, spell_top)
    result = run_cli(transport, "plan", str(EXAMPLE), "--detailed-exitcode", time=fake_time)
    assert result.code == 0, result.out + result.err  # nothing to do: the tree is the same

    tree = read_live(list(fetch_live(connect(transport), "acme").collections), "en")
    tops = sorted(n.node.name for n in tree.nodes.values() if n.parent_id is None)
    assert tops == ["Account and billing", "Getting started", "Integrations", "Troubleshooting"]
    assert not tree.warnings


def connect(transport: httpx.BaseTransport) -> IntercomClient:
    return IntercomClient(open_http("https://api.intercom.io", TOKEN, transport=transport))


# -- help_center_id null --------------------------------------------------------------------------


def test_with_one_help_center_a_null_help_center_id_is_that_help_centers(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    applied(emulator, fake_time)
    center = next(c["help_center_id"] for c in emulator.collections() if c["help_center_id"])
    stray = emulator.add_collection("Stray", help_center_id=str(center))

    def no_center(item: dict[str, Any]) -> None:
        item["help_center_id"] = None

    transport = rewriting(emulator, no_center)
    planned = run_cli(transport, "plan", str(EXAMPLE), "--detailed-exitcode", time=fake_time)
    assert planned.code == 2, planned.err  # managed: the stray one is planned as a delete
    assert "Stray" in planned.out and "help_center_id" not in planned.out

    result = run_cli(transport, "apply", str(EXAMPLE), time=fake_time)
    assert result.code == 0, result.out + result.err
    assert emulator.collection(stray["id"]) is None


def several_centers_with_an_unowned_tree(emulator: Emulator, fake_time: FakeTime) -> Edit:
    """EXAMPLE applied to 'acme', a second help center, and a 'Legacy' tree in acme whose
    top reads help_center_id null; the edit that nulls it."""
    applied(emulator, fake_time)
    emulator.add_help_center("internal", "Internal")
    acme = next(c["help_center_id"] for c in emulator.collections() if c["help_center_id"])
    legacy = emulator.add_collection("Legacy", help_center_id=str(acme))
    emulator.add_collection("Legacy FAQ", parent_id=legacy["id"])

    def no_center(item: dict[str, Any]) -> None:
        if item["id"] == legacy["id"]:
            item["help_center_id"] = None

    return no_center


def test_with_several_help_centers_a_null_help_center_id_is_left_alone_and_said(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    transport = rewriting(emulator, several_centers_with_an_unowned_tree(emulator, fake_time))
    legacy = {c["name"]: c for c in emulator.collections()}
    drifted = legacy["Getting started"]["id"]
    emulator.edit_collection(drifted, description="changed in the UI")  # apply has work to do
    before = {c["id"]: c["updated_at"] for c in emulator.collections()}

    planned = run_cli(transport, "plan", str(EXAMPLE), "--format", "json", time=fake_time)
    assert planned.code == 0, planned.err
    plan = json.loads(planned.out)
    note = (
        "1 top-level collection has no help_center_id and this workspace has 2 help centers, "
        "so hcsync cannot tell whose it is: left alone, with the 1 collection under it "
        f"(id {legacy['Legacy']['id']}: 'Legacy')"
    )
    assert note in plan["warnings"]
    assert [(c["action"], c["path"]) for c in plan["changes"]] == [("update", ["Getting started"])]

    result = run_cli(transport, "apply", str(EXAMPLE), time=fake_time)
    assert result.code == 0, result.out + result.err
    after = {c["id"]: c["updated_at"] for c in emulator.collections()}
    for name in ("Legacy", "Legacy FAQ"):  # neither deleted nor updated
        cid = legacy[name]["id"]
        assert after[cid] == before[cid]
    assert emulator.collection(drifted)["description"] != "changed in the UI"  # type: ignore[index]

    exported = run_cli(transport, "export", "--help-center", "acme", time=fake_time)
    assert exported.code == 0, exported.err
    assert f"warning: {note}" in exported.err  # export says why these are missing
    assert "Legacy" not in exported.out

    live = fetch_live(connect(transport), "acme")
    assert [c["name"] for c in live.unowned] == ["Legacy", "Legacy FAQ"]
    assert "Legacy" not in {c["name"] for c in live.collections}
    assert live.warnings == (note,)


def test_a_create_named_like_an_unowned_collection_is_held_back_not_duplicated(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    applied(emulator, fake_time)
    emulator.add_help_center("internal", "Internal")
    top = next(c for c in emulator.collections() if c["name"] == "Integrations")

    def no_center(item: dict[str, Any]) -> None:
        if item["id"] == top["id"]:
            item["help_center_id"] = None

    transport = rewriting(emulator, no_center)
    planned = run_cli(transport, "plan", str(EXAMPLE), "--format", "json", time=fake_time)

    assert planned.code == 0, planned.err
    plan = json.loads(planned.out)
    assert plan["changes"] == []  # not Integrations again, nor Slack and GitHub under it
    assert (
        "'Integrations' is not created, nor the 2 changes under it: a top-level collection of "
        f"that name without a help_center_id exists (id {top['id']}) and may be this help "
        "center's, so creating another could duplicate it"
    ) in plan["warnings"]

    before = len(emulator.collections())
    for _ in range(2):
        result = run_cli(transport, "apply", str(EXAMPLE), time=fake_time)
        assert result.code == 0, result.out + result.err
    assert len(emulator.collections()) == before


def test_a_live_translation_in_a_locale_hcsync_does_not_know_is_left_alone(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """A locale Intercom added since: never planned as a removal, never sent, no crash."""
    emulator.add_collection("Billing")

    def with_ukrainian(request: httpx.Request) -> httpx.Response:
        response = emulator.handle(request)
        if request.method != "GET" or not request.url.path.endswith("/collections"):
            return response
        body = json.loads(response.read())
        for item in body.get("data", []):
            item["translated_content"]["uk"] = {"type": "group_content", "name": "Рахунки"}
        return httpx.Response(response.status_code, headers=response.headers, json=body)

    path = tmp_path / "c.yaml"
    path.write_text(
        "help_center: acme\ncollections:\n  - name: Billing\n"
        "    translated_content:\n      fr: {name: Facturation}\n",
        encoding="utf-8",
    )
    transport = httpx.MockTransport(with_ukrainian)
    run = run_cli(transport, "apply", str(path), time=fake_time)
    assert run.code == 0, run.out + run.err
    assert "translations.uk" not in run.out
    puts = [r.body for r in emulator.requests if r.method == "PUT"]
    assert puts == [
        {
            "translated_content": {
                "type": "group_translated_content",
                "fr": {"type": "group_content", "name": "Facturation"},
            }
        }
    ]
