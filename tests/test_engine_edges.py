"""Edges of the engine no other test reaches: a delete whose first answer was lost, ids that
are not ids, a translation with no name, a saved plan whose ``updated_at`` went backwards, two
deletes at one path under ``--refresh``, and the pacer's reserve for tiny rate limits.

Each scenario runs the CLI in-process against the emulator. Where real Intercom can do
something the emulator does not (lose a DELETE's answer after committing it, send an odd id,
a translation without a name, an ``updated_at`` that moves back), a transport function
stands between the two and changes that one thing: the httpx seam, nothing patched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import TOKEN, FakeTime, Run, RunCli, delete_behind_our_back, run_cli, write
from test_pacing import START, headers, no_sleep

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.kinds.collection import COLLECTIONS as ENDPOINT
from hcsync.pacing import RESET_MARGIN, Pacer
from hcsync.saved import read_saved_plan

BASE = "https://api.intercom.io"
COLLECTIONS = "/help_center/collections"
HELP_CENTERS = "/help_center/help_centers"
Handler = Callable[[httpx.Request], httpx.Response]


# ---- helpers --------------------------------------------------------------------------------


def through(handler: Handler, fake_time: FakeTime) -> RunCli:
    """The CLI, talking through ``handler`` (which talks to the emulator) on the shared clock."""

    def run(*args: str) -> Run:
        return run_cli(httpx.MockTransport(handler), *args, time=fake_time)

    return run


def answer(response: httpx.Response, data: Any, status: int | None = None) -> httpx.Response:
    """``response`` with ``data`` as its JSON body (and ``status``), its other headers kept:
    the rate-limit headers the pacer reads still arrive."""
    kept = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "content-type", "content-encoding")
    }
    return httpx.Response(
        response.status_code if status is None else status,
        headers=kept,
        json=data,
        request=response.request,
    )


def rewriting(emu: Emulator, edit: Callable[[dict[str, Any]], None]) -> Handler:
    """The emulator, with ``edit`` applied to every collection any answer carries (the list's
    items, a GET's or a PUT's collection)."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = emu.handle(request)
        path = request.url.path
        if not response.is_success or not path.startswith(COLLECTIONS):
            return response
        data = response.json()
        if path == COLLECTIONS and request.method == "GET":
            for item in data["data"]:
                edit(item)
        elif request.method in ("GET", "PUT"):
            edit(data)
        return answer(response, data)

    return handle


def names(emu: Emulator) -> dict[str, str]:
    return {c["name"]: c["id"] for c in emu.collections()}


def writes(emu: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests if r.method != "GET"]


ONLY_BILLING = """\
    collections:
      - name: Billing
"""


# ---- 1. a DELETE answered 404 means the collection is gone: the goal of the step -----------


def test_a_delete_whose_answer_was_lost_and_whose_retry_finds_nothing_is_done(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The first DELETE commits but its answer is lost (a 502 from a proxy); the retry, as
    DELETE is idempotent, gets 404. Apply must count the step as done ("already gone"),
    finish, and leave nothing to plan. Treating that 404 as an error would fail an apply
    that did exactly what it was asked, and every re-run would then find nothing to do."""
    emulator.add_collection("Billing")
    old = emulator.add_collection("Old stuff")["id"]
    lost = False

    def first_delete_answer_lost(request: httpx.Request) -> httpx.Response:
        nonlocal lost
        response = emulator.handle(request)
        if request.method == "DELETE" and not lost:
            lost = True  # committed; the answer never reaches hcsync
            error = {"type": "error.list", "errors": [{"code": "bad_gateway", "message": "Bad"}]}
            return answer(response, error, status=502)
        return response

    hcsync = through(first_delete_answer_lost, fake_time)
    config = write(tmp_path, ONLY_BILLING)

    result = hcsync("apply", config)

    assert result.code == 0, result.out + result.err
    assert f"already gone Old stuff (id {old})" in result.out
    assert "Verified" in result.out
    assert [r.status for r in emulator.requests if r.method == "DELETE"] == [200, 404]
    assert "Old stuff" not in names(emulator)
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_a_collection_someone_else_deleted_first_is_already_gone_not_a_failure(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """No retry at all: a colleague deletes the collection between apply's listing and its
    DELETE, which is answered 404 on the first try. The code reads any 404 to a DELETE as
    "already gone" (the client only adds, after a retry, that the first attempt probably did
    it), so apply succeeds. Failing here would stop the apply (and every change after it)
    over a collection that is exactly where the file wants it: nowhere."""
    emulator.add_collection("Billing")
    old = emulator.add_collection("Old stuff")["id"]

    def colleague_first(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE" and emulator.collection(old) is not None:
            delete_behind_our_back(emulator, old)
        return emulator.handle(request)

    hcsync = through(colleague_first, fake_time)
    config = write(tmp_path, ONLY_BILLING)

    result = hcsync("apply", config)

    assert result.code == 0, result.out + result.err
    assert f"already gone Old stuff (id {old})" in result.out
    assert [r.status for r in emulator.requests if r.method == "DELETE"] == [200, 404]
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


# ---- 2. an id goes into one URL segment, or nowhere --------------------------------------------


@pytest.mark.parametrize(
    "odd",
    [
        lambda billing: f"9/../{billing}",  # would climb back to Billing's own URL
        lambda billing: f"{billing}?force=true",  # would turn into Billing's URL plus a query
        lambda billing: f"{billing}#x",  # would cut the URL at Billing's id
    ],
    ids=["dot-dot", "query", "fragment"],
)
def test_an_odd_id_in_a_live_answer_never_steers_a_write_to_another_url(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path, odd: Callable[[str], str]
) -> None:
    """A live answer lists a collection whose id is not digits (a proxy, a bug, a crafted
    answer) and the file does not list it, so the plan deletes it. Pasted into the path as
    is, ``9/../7001`` or ``7001?force=true`` would DELETE /help_center/collections/7001:
    Billing, which the file keeps. The client refuses such an id (ids are digits) before
    anything is sent, so the step fails, naming the id, and no write reaches any URL; the
    digits it does send are one path segment each."""
    billing = emulator.add_collection("Billing")
    stranger = odd(billing["id"])

    def with_a_stranger(request: httpx.Request) -> httpx.Response:
        response = emulator.handle(request)
        if request.method != "GET" or request.url.path != COLLECTIONS:
            return response
        data = response.json()
        data["data"].append({**billing, "id": stranger, "name": "Stranger", "order": 1})
        data["total_count"] += 1
        return answer(response, data)

    hcsync = through(with_a_stranger, fake_time)
    config = write(tmp_path, ONLY_BILLING)

    result = hcsync("apply", config)

    assert result.code == 1
    assert f"{stranger!r} is not an Intercom id (ids are digits); nothing was sent" in result.err
    assert writes(emulator) == []  # no DELETE went anywhere
    assert emulator.collection(billing["id"]) is not None
    # Nothing but the lists was asked for: no request named the stranger's id anywhere.
    assert {r.path for r in emulator.requests} <= {COLLECTIONS, HELP_CENTERS, "/articles"}


def test_the_client_puts_an_id_into_exactly_one_path_segment(emulator: Emulator) -> None:
    """What the client does send: ``/help_center/collections/<id>`` with the id as one
    segment and no query, for every call that takes an id. The raw request target is
    checked, before any server decodes it."""
    sent: list[httpx.URL] = []

    def recording(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return emulator.handle(request)

    client = IntercomClient(open_http(BASE, TOKEN, transport=httpx.MockTransport(recording)))
    made = client.create(ENDPOINT, {"name": "Billing"})["id"]
    client.get(ENDPOINT, made)
    client.update(ENDPOINT, made, {"description": "x"})
    client.delete(ENDPOINT, made)

    targets = [url.raw_path.decode("ascii") for url in sent[1:]]
    assert targets == [f"{COLLECTIONS}/{made}"] * 3
    assert all(url.query == b"" for url in sent)


# ---- 3. a translation with a description and no name is compared, not dropped --------------


def test_a_live_translation_with_no_name_but_a_description_shows_in_the_plan(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """Intercom can hold a French description with an empty French name. normalize keeps
    any translation that has a name *or* a description, so a file without French plans its
    removal, apply removes it, and the next plan is empty. Dropping translations with no
    name would hide that French text from every plan: live and file would differ forever
    while hcsync said "no changes"."""
    billing = emulator.add_collection("Billing")["id"]
    french = {"present": True}

    def nameless_french(item: dict[str, Any]) -> None:
        if item["id"] == billing and french["present"]:
            content = item.setdefault("translated_content", {"type": "group_translated_content"})
            content["fr"] = {"type": "group_content", "name": "", "description": "Factures"}

    rewrite = rewriting(emulator, nameless_french)

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        if request.method == "PUT" and isinstance(body, dict):
            sent = body.get("translated_content") or {}
            if "fr" in sent and sent["fr"] is None:
                french["present"] = False  # removed, as Intercom would
        return rewrite(request)

    hcsync = through(handle, fake_time)
    config = write(tmp_path, ONLY_BILLING)

    plan = hcsync("plan", config, "--detailed-exitcode")
    assert plan.code == 2, plan.out + plan.err
    assert "translations.fr" in plan.out and "Factures" in plan.out

    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    assert not french["present"]
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_a_nameless_live_translation_is_shown_as_it_is_when_the_file_names_it(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The same live French (description, no name) against a file that gives French a name
    and the same description: the plan shows the name changing from "" (an update of an
    existing translation), not a translation added from nothing. (A file cannot itself hold a
    nameless translation: a translated name is required, so "a file matching it" cannot be
    written.)"""
    billing = emulator.add_collection("Billing")["id"]

    def nameless_french(item: dict[str, Any]) -> None:
        if item["id"] == billing:
            content = item.setdefault("translated_content", {"type": "group_translated_content"})
            content["fr"] = {"type": "group_content", "name": "", "description": "Factures"}

    hcsync = through(rewriting(emulator, nameless_french), fake_time)
    config = write(
        tmp_path,
        """\
        collections:
          - name: Billing
            translated_content:
              fr: {name: Facturation, description: Factures}
        """,
    )

    plan = hcsync("plan", config, "--format", "json")
    assert plan.code == 0, plan.err
    (change,) = json.loads(plan.out)["changes"]
    (field,) = change["changes"]
    assert field["field"] == "translations.fr"
    assert field["old"] == {"name": "", "description": "Factures"}
    assert field["new"] == {"name": "Facturation", "description": "Factures"}


# ---- 4. a saved plan is stale when updated_at moves at all, backwards or to null ------------


@pytest.mark.parametrize("moved", ["backwards", "null"])
def test_a_saved_plan_is_stale_when_updated_at_moves_backwards_or_vanishes(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path, moved: str
) -> None:
    """Between ``plan --out`` and ``apply --plan``, a collection's ``updated_at`` goes back in
    time (a restore from backup, a revert in Intercom) or comes back null. Either way live
    state is not the one the plan was reviewed against: apply refuses the stale plan, names
    the collection, and writes nothing. Checking only for a *newer* ``updated_at`` would
    apply a reviewed plan over a state nobody reviewed."""
    billing = emulator.add_collection("Billing")["id"]
    emulator.add_collection("Refunds")
    now: dict[str, int | None] = {}  # id -> the updated_at live answers show from now on

    def moved_in_time(item: dict[str, Any]) -> None:
        if item["id"] in now:
            item["updated_at"] = now[item["id"]]

    hcsync = through(rewriting(emulator, moved_in_time), fake_time)
    config = write(
        tmp_path,
        """\
        collections:
          - name: Billing
            description: Invoices and refunds
          - name: Refunds
        """,
    )
    saved = str(tmp_path / "plan.json")
    assert hcsync("plan", config, "--out", saved).code == 0
    planned_at = dict(read_saved_plan(saved).live_versions)[("collection", billing)]
    assert planned_at is not None
    now[billing] = planned_at - 3600 if moved == "backwards" else None

    result = hcsync("apply", "--plan", saved)

    assert result.code == 1, result.out + result.err
    assert f"{saved} is stale: 1 live collection changed" in result.err
    assert (
        f"Billing (id {billing}): edited in Intercom since the plan"
        f" (updated_at {planned_at} -> {now[billing]})"
    ) in result.err
    assert "Nothing was applied" in result.err
    assert writes(emulator) == []
    assert emulator.collection(billing)["description"] == ""  # type: ignore[index]


# ---- 5. --refresh pairs deletes by path and id ---------------------------------------------


def two_old_siblings(emulator: Emulator) -> tuple[str, str]:
    """Billing, and two top-level collections both named Old stuff (Intercom allows it; two
    applies at once, or a hand-made copy, leave such twins). The file lists Billing only."""
    emulator.add_collection("Billing")
    first = emulator.add_collection("Old stuff", description="one")["id"]
    second = emulator.add_collection("Old stuff", description="two")["id"]
    return first, second


def test_refresh_keeps_two_deletes_at_one_path_each_with_its_own_id(
    hcsync: RunCli, emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """The reviewed plan deletes both Old stuff twins; then Billing is touched in Intercom
    without changing anything the plan does, so the plan is stale and ``--refresh``
    re-plans. The fresh plan deletes the same two ids: the difference is empty (each delete
    paired with its own), and both are deleted."""
    first, second = two_old_siblings(emulator)
    config = write(tmp_path, ONLY_BILLING)
    saved = str(tmp_path / "plan.json")
    assert hcsync("plan", config, "--out", saved).code == 0
    assert sorted(c.id or "" for c in read_saved_plan(saved).changes) == sorted([first, second])
    fake_time.advance(60)  # a minute later, someone saves Billing unchanged: updated_at moves
    emulator.edit_collection(names(emulator)["Billing"], description="")

    result = hcsync("apply", "--plan", saved, "--refresh")

    assert result.code == 0, result.out + result.err
    assert "re-planned (--refresh)" in result.out
    assert "The fresh plan is the same as the reviewed one." in result.out
    assert f"deleted Old stuff (id {first})" in result.out
    assert f"deleted Old stuff (id {second})" in result.out
    assert "Old stuff" not in names(emulator)
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_refresh_does_not_confuse_a_replaced_twin_with_the_other(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """The reviewed plan deletes both Old stuff twins. Before apply, one twin is deleted by
    hand and a new Old stuff is made. ``--refresh`` must say exactly that: the new one's
    delete is not in the reviewed plan, the vanished one's is no longer planned, and the
    surviving twin's delete is unchanged. Pairing deletes by path only would fold the three
    into one "changed" line (or none), hiding from the reviewer that a collection they never
    saw in the plan is about to be deleted."""
    first, second = two_old_siblings(emulator)
    config = write(tmp_path, ONLY_BILLING)
    saved = str(tmp_path / "plan.json")
    assert hcsync("plan", config, "--out", saved).code == 0
    delete_behind_our_back(emulator, second)
    third = emulator.add_collection("Old stuff", description="three")["id"]

    result = hcsync("apply", "--plan", saved, "--refresh")

    assert result.code == 0, result.out + result.err
    shown = result.out.split("Applying")[0]
    assert "The fresh plan differs from the reviewed one:" in shown
    assert f"+ not in the reviewed plan: delete Old stuff (id {third})" in shown
    assert f"- no longer planned: delete Old stuff (id {second})" in shown
    assert "~ changed" not in shown
    assert f"id {first})" not in shown.split("The fresh plan differs")[1]
    assert f"deleted Old stuff (id {first})" in result.out
    assert f"deleted Old stuff (id {third})" in result.out
    assert "Old stuff" not in names(emulator)
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


# ---- 6. the pacer's reserve: kept for normal limits, cut down for tiny ones -----------------


@pytest.mark.parametrize(
    ("limit", "remaining", "goes"),
    [
        (100, 3, True),  # a normal limit: above the reserve of 2, go
        (100, 2, False),  # ...down to the reserve: wait for the window to roll
        (8, 3, True),  # 8 // 4 = 2: the whole reserve is still affordable
        (8, 2, False),
        (7, 2, True),  # 7 // 4 = 1: the reserve shrinks to 1
        (7, 1, False),
        (3, 1, True),  # 3 // 4 = 0: no reserve, the last request of the window goes
        (3, 0, False),
        (1, 0, False),
    ],
)
def test_the_reserve_is_kept_for_normal_limits_and_cut_to_a_quarter_for_tiny_ones(
    limit: int, remaining: int, goes: bool
) -> None:
    """The pacer keeps 2 requests of each window back for answers on their way, but never
    more than a quarter of the limit: a limit of 3 could otherwise spend only 1 request a
    window (a third of it), a limit of 2 only half. A normal limit keeps the full reserve, so
    requests in flight cannot run into a 429."""
    time = FakeTime(START)
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    reset = START + 7
    pacer.start()
    pacer.done(headers(limit, remaining, reset))

    pacer.start()  # returns at once, or after waiting for the window to roll

    assert time.sleeps == ([] if goes else [pytest.approx(reset + RESET_MARGIN - START)])


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_tiny_rate_limit_still_spends_its_whole_window(limit: int) -> None:
    """An app throttled to a handful of requests per 10-second window still gets every one
    of them: sequential reads go ``limit`` to a window, each window waited for once, and never
    a 429. A reserve bigger than the limit would leave one request a window (or stall)."""
    time = FakeTime(START)
    emu = Emulator(token=TOKEN, clock=time.clock, sleep=no_sleep)
    emu.faults.rate_limit = limit
    emu.add_help_center("acme")
    made = emu.add_collection("Billing")["id"]
    client = IntercomClient(
        open_http(BASE, TOKEN, transport=emu.transport), sleep=time.sleep, clock=time.clock
    )
    calls = 12

    for _ in range(calls):
        assert client.get(ENDPOINT, made)["name"] == "Billing"

    assert not [r for r in emu.requests if r.status == 429]
    windows = math.ceil(calls / limit)
    assert client.stats.paced <= windows  # one wait per window rolled over, at most
    assert time.clock() - START <= windows * 10
