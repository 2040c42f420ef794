"""The emulator behaves as Intercom's Help Center does (and is strict where that is unknown).

Everything runs in process through ``emu.transport`` with a fake clock that records sleeps,
except the last tests, which go over a real loopback socket.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from support import FakeTime, subprocess_env

from hcsync.emulator import DEFAULT_RATE_LIMIT, Emulator, Faults, Refusal, main, serve
from hcsync.locales import LOCALES

TOKEN = "emulator-test-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"}
LIST = "/help_center/collections"


@pytest.fixture
def clock() -> FakeTime:
    """A clock tests move by hand; starts inside a 10-second window, not on its edge."""
    return FakeTime(1_700_000_003.0)


@pytest.fixture
def emu(clock: FakeTime) -> Emulator:
    emulator = Emulator(token=TOKEN, clock=clock.clock, sleep=clock.sleep)
    emulator.add_help_center("acme", "Acme Help Center")
    return emulator


def client(emu: Emulator, headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        transport=emu.transport,
        base_url="https://api.intercom.io",
        headers=HEADERS if headers is None else headers,
    )


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert body["type"] == "error.list" and len(body["request_id"]) == 36
    return response.status_code, body["errors"][0]["code"]


def seed_three(emu: Emulator, clock: FakeTime) -> list[str]:
    """A, B, C created a second apart; returns their ids oldest first."""
    ids = []
    for name in "ABC":
        ids.append(emu.add_collection(name)["id"])
        clock.advance(1)
    return ids


# ---- listing and pagination ---------------------------------------------------------------


def test_list_is_newest_updated_first(emu: Emulator, clock: FakeTime) -> None:
    a, b, c = seed_three(emu, clock)
    emu.edit_collection(a, description="touched")
    data = client(emu).get(LIST).json()["data"]
    assert [d["id"] for d in data] == [a, c, b]


def test_updated_at_ties_are_broken_by_most_recent_write(emu: Emulator) -> None:
    ids = [emu.add_collection(name)["id"] for name in "ABC"]  # same second
    data = client(emu).get(LIST).json()["data"]
    assert [d["id"] for d in data] == ids[::-1]


def test_pages_count_and_default_per_page(emu: Emulator) -> None:
    for i in range(45):
        emu.add_collection(f"C{i}")
    body = client(emu).get(LIST).json()
    assert body["total_count"] == 45
    assert body["pages"] == {
        "type": "pages",
        "next": f"https://api.intercom.io{LIST}?page=2&per_page=20",
        "page": 1,
        "per_page": 20,
        "total_pages": 3,
    }
    assert len(body["data"]) == 20
    last = client(emu).get(LIST, params={"page": 3}).json()
    assert len(last["data"]) == 5 and "next" not in last["pages"]
    past = client(emu).get(LIST, params={"page": 4}).json()
    assert past["data"] == [] and past["total_count"] == 45 and "next" not in past["pages"]


def test_following_next_reads_every_collection_once(emu: Emulator) -> None:
    ids = {emu.add_collection(f"C{i}")["id"] for i in range(7)}
    http = client(emu)
    url: str | None = f"{LIST}?per_page=3&colour=red"
    seen: list[str] = []
    while url is not None:
        pages = http.get(url).json()
        seen += [c["id"] for c in pages["data"]]
        url = pages["pages"].get("next")
        assert url is None or url.startswith("https://api.intercom.io/")
    assert sorted(seen) == sorted(ids)
    assert [r.query for r in emu.requests][1:] == [
        {"page": "2", "per_page": "3"},
        {"page": "3", "per_page": "3"},
    ]


def test_per_page_above_the_maximum_is_clamped_and_reported(clock: FakeTime) -> None:
    emu = Emulator(token=TOKEN, clock=clock.clock, max_per_page=5, default_per_page=2)
    emu.add_help_center("acme")
    for i in range(12):
        emu.add_collection(f"C{i}")
    assert client(emu).get(LIST).json()["pages"]["per_page"] == 2
    body = client(emu).get(LIST, params={"per_page": 500}).json()
    assert body["pages"] == {
        "type": "pages",
        "next": f"https://api.intercom.io{LIST}?page=2&per_page=5",
        "page": 1,
        "per_page": 5,
        "total_pages": 3,
    }
    assert len(body["data"]) == 5


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"page": "one"}, {"per_page": "-3"}, {"per_page": "2.5"}]
)
def test_invalid_paging_parameters_are_refused(emu: Emulator, params: dict[str, str]) -> None:
    assert error_of(client(emu).get(LIST, params=params)) == (400, "parameter_invalid")


def test_a_write_during_paging_shifts_items_between_pages(emu: Emulator, clock: FakeTime) -> None:
    a, b, c = seed_three(emu, clock)
    http = client(emu)
    seen = [http.get(LIST, params={"page": 1, "per_page": 1}).json()["data"][0]["id"]]
    emu.edit_collection(a, name="A, edited")  # A jumps to the front between pages
    for page in (2, 3):
        seen.append(http.get(LIST, params={"page": page, "per_page": 1}).json()["data"][0]["id"])
    assert seen == [c, c, b]  # C seen twice, A never: why clients must not trust one pass


def test_collections_span_every_help_center(emu: Emulator) -> None:
    other = emu.add_help_center("beta")
    emu.add_collection("In acme")
    emu.add_collection("In beta", help_center_id=other["id"])
    data = client(emu).get(LIST).json()["data"]
    assert sorted(d["help_center_id"] for d in data) == sorted([101, int(other["id"])])


# ---- normalisations -----------------------------------------------------------------------


def test_a_created_collection_comes_back_normalised(emu: Emulator) -> None:
    response = client(emu).post(LIST, json={"name": "Getting started"})
    body = response.json()
    assert response.status_code == 200
    assert body["id"].isdigit() and isinstance(body["order"], int)
    assert body["description"] == ""
    assert body["default_locale"] == "en"
    assert body["icon"] == "book-bookmark" and body["url"].startswith("https://")
    assert body["help_center_id"] == 101 and body["parent_id"] is None
    translated = body["translated_content"]
    assert set(translated) == {"type", *LOCALES}
    assert translated["en"] == {
        "type": "group_content",
        "name": "Getting started",
        "description": "",
    }
    assert all(translated[loc] is None for loc in LOCALES if loc != "en")


def test_nested_collections_name_no_help_center(emu: Emulator) -> None:
    top = emu.add_collection("Top")
    child = client(emu).post(LIST, json={"name": "Child", "parent_id": top["id"]}).json()
    assert child["parent_id"] == top["id"] and child["help_center_id"] is None


def test_the_default_locale_mirrors_name_and_description(emu: Emulator) -> None:
    created = emu.add_collection("Old", description="old")
    http = client(emu)
    renamed = http.put(f"{LIST}/{created['id']}", json={"name": "New"}).json()
    assert renamed["translated_content"]["en"]["name"] == "New"
    assert renamed["description"] == "old"  # partial: what is not given stays
    via_locale = http.put(
        f"{LIST}/{created['id']}",
        json={"translated_content": {"en": {"name": "Via en", "description": "d"}}},
    ).json()
    assert (via_locale["name"], via_locale["description"]) == ("Via en", "d")


def test_top_level_name_wins_over_the_default_locale_entry(emu: Emulator) -> None:
    body = (
        client(emu)
        .post(
            LIST,
            json={"name": "Top level", "translated_content": {"en": {"name": "Locale entry"}}},
        )
        .json()
    )
    assert body["name"] == "Top level"
    assert body["translated_content"]["en"]["name"] == "Top level"


def test_translations_are_kept_updated_and_cleared_by_null(emu: Emulator) -> None:
    created = emu.add_collection(
        "Hello",
        translated_content={
            "fr": {"name": "Bonjour", "description": "fr"},
            "de": {"name": "Hallo"},
        },
    )
    assert created["translated_content"]["de"] == {
        "type": "group_content",
        "name": "Hallo",
        "description": "",
    }
    url = f"{LIST}/{created['id']}"
    body = (
        client(emu)
        .put(url, json={"translated_content": {"fr": None, "de": {"description": "de"}}})
        .json()
    )
    assert body["translated_content"]["fr"] is None
    assert body["translated_content"]["de"]["name"] == "Hallo"  # partial inside a locale too
    assert body["translated_content"]["de"]["description"] == "de"


def test_a_monolingual_help_center_omits_default_locale() -> None:
    emu = Emulator(token=TOKEN, multilingual=False)
    emu.add_help_center("acme")
    assert "default_locale" not in emu.add_collection("A")


def test_the_default_locale_cannot_be_cleared(emu: Emulator) -> None:
    created = emu.add_collection("A")
    response = client(emu).put(f"{LIST}/{created['id']}", json={"translated_content": {"en": None}})
    assert error_of(response) == (400, "parameter_invalid")


# ---- request bodies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "mentions"),
    [
        ({}, "parameter_not_found", "Name is a required parameter."),
        ({"name": "A", "colour": "red"}, "parameter_invalid", "colour"),
        ({"name": 3}, "parameter_invalid", "name"),
        ({"name": "A", "description": None}, "parameter_invalid", "description"),
        ({"name": "A", "help_center_id": "101"}, "parameter_invalid", "help_center_id"),
        ({"name": "A", "help_center_id": True}, "parameter_invalid", "help_center_id"),
        ({"name": "A", "translated_content": {"xx": None}}, "parameter_invalid", "xx"),
        ({"name": "A", "translated_content": {"fr": {"title": "t"}}}, "parameter_invalid", "title"),
        (
            {"name": "A", "translated_content": {"fr": {"description": "d"}}},
            "parameter_invalid",
            "fr.name",
        ),
        ({"name": "   "}, "parameter_invalid", "blank"),
        ({"name": "A", "parent_id": "999"}, "parameter_invalid", "999"),
        ({"name": "A", "help_center_id": 999}, "parameter_invalid", "999"),
    ],
)
def test_create_refuses_what_the_description_does_not_allow(
    emu: Emulator, body: dict[str, Any], code: str, mentions: str
) -> None:
    response = client(emu).post(LIST, json=body)
    assert error_of(response) == (400, code)
    assert mentions in response.json()["errors"][0]["message"]
    assert emu.collections() == []


def test_a_body_that_is_not_json_is_refused(emu: Emulator) -> None:
    response = client(emu).post(LIST, content=b"{nope")
    assert error_of(response) == (400, "parameter_invalid")
    assert emu.requests[-1].body == "{nope"


def test_update_refuses_a_help_center_id(emu: Emulator) -> None:
    created = emu.add_collection("A")
    response = client(emu).put(f"{LIST}/{created['id']}", json={"help_center_id": 101})
    assert error_of(response) == (400, "parameter_invalid")


# ---- the tree rules -----------------------------------------------------------------------


def test_a_collection_with_children_cannot_be_deleted(emu: Emulator) -> None:
    top = emu.add_collection("Top")
    child = emu.add_collection("Child", parent_id=top["id"])
    http = client(emu)
    refused = http.delete(f"{LIST}/{top['id']}")
    assert error_of(refused) == (400, "parameter_invalid")
    assert "child collections" in refused.json()["errors"][0]["message"]
    assert emu.collection(top["id"]) is not None
    assert http.delete(f"{LIST}/{child['id']}").json() == {
        "id": child["id"],
        "object": "collection",
        "deleted": True,
    }
    assert http.delete(f"{LIST}/{top['id']}").status_code == 200
    assert emu.collections() == []


def test_nesting_stops_at_three_levels(emu: Emulator) -> None:
    one = emu.add_collection("One")
    two = emu.add_collection("Two", parent_id=one["id"])
    three = emu.add_collection("Three", parent_id=two["id"])
    response = client(emu).post(LIST, json={"name": "Four", "parent_id": three["id"]})
    assert error_of(response) == (400, "parameter_invalid")
    with pytest.raises(Refusal, match="3 levels"):
        emu.add_collection("Four", parent_id=three["id"])


def test_a_move_may_not_exceed_depth_or_make_a_cycle(emu: Emulator) -> None:
    one = emu.add_collection("One")
    two = emu.add_collection("Two", parent_id=one["id"])
    other = emu.add_collection("Other")
    other_child = emu.add_collection("Other child", parent_id=other["id"])
    http = client(emu)
    too_deep = http.put(f"{LIST}/{other['id']}", json={"parent_id": two["id"]})
    assert error_of(too_deep) == (400, "parameter_invalid")
    cycle = http.put(f"{LIST}/{one['id']}", json={"parent_id": two["id"]})
    assert error_of(cycle) == (400, "parameter_invalid")
    moved = http.put(f"{LIST}/{other_child['id']}", json={"parent_id": two["id"]}).json()
    assert moved["parent_id"] == two["id"]
    to_top = http.put(f"{LIST}/{two['id']}", json={"parent_id": None}).json()
    assert to_top["parent_id"] is None and to_top["help_center_id"] == 101


def test_a_parent_in_another_help_center_is_refused(emu: Emulator) -> None:
    beta = emu.add_help_center("beta")
    in_beta = emu.add_collection("Beta top", help_center_id=beta["id"])
    in_acme = emu.add_collection("Acme top")
    http = client(emu)
    create = http.post(LIST, json={"name": "X", "parent_id": in_beta["id"], "help_center_id": 101})
    assert error_of(create) == (400, "parameter_invalid")
    move = http.put(f"{LIST}/{in_acme['id']}", json={"parent_id": in_beta["id"]})
    assert error_of(move) == (400, "parameter_invalid")
    child = http.post(LIST, json={"name": "Y", "parent_id": in_beta["id"]}).json()
    assert child["parent_id"] == in_beta["id"]  # no help_center_id: the parent's is used


def test_order_counts_up_among_siblings(emu: Emulator) -> None:
    orders = [emu.add_collection(name)["order"] for name in "ABC"]
    assert orders == [0, 1, 2]


# ---- auth, routing, versions --------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Intercom-Version": "2.10"},
        {"Authorization": "Bearer wrong", "Intercom-Version": "2.10"},
        {"Authorization": f"Basic {TOKEN}", "Intercom-Version": "2.10"},
        {"Authorization": "Bearer ", "Intercom-Version": "2.10"},
    ],
    ids=["missing", "wrong", "not-bearer", "empty"],
)
def test_requests_without_the_token_are_unauthorised(
    emu: Emulator, headers: dict[str, str]
) -> None:
    response = client(emu, headers).get(LIST)
    assert error_of(response) == (401, "unauthorized")
    assert response.json()["errors"][0]["message"] == "Access Token Invalid"


def test_without_a_configured_token_any_bearer_is_accepted() -> None:
    emu = Emulator()
    emu.add_help_center("acme")
    headers = {"Authorization": "Bearer anything", "Intercom-Version": "2.10"}
    assert client(emu, headers).get(LIST).status_code == 200


@pytest.mark.parametrize("version", ["2.9", "Unstable", ""])
def test_only_intercom_version_2_10_is_spoken(emu: Emulator, version: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": version}
    assert error_of(client(emu, headers).get(LIST)) == (400, "intercom_version_invalid")


def test_without_intercom_version_the_default_2_10_is_served(emu: Emulator) -> None:
    http = client(emu, {"Authorization": f"Bearer {TOKEN}"})
    created = http.post(LIST, json={"name": "No version"})
    assert created.status_code == 200, created.text
    assert http.get(LIST).json()["data"][0]["name"] == "No version"
    assert all("intercom-version" not in r.headers for r in emu.requests)


@pytest.mark.parametrize(
    "path", [f"{LIST}/7777", f"{LIST}/abc", "/help_center/help_centers/5", "/articles/60001"]
)
def test_unknown_resources_are_not_found(emu: Emulator, path: str) -> None:
    response = client(emu).get(path)
    assert error_of(response) == (404, "not_found")
    assert response.json()["errors"][0]["message"] == "Resource Not Found"


def test_a_wrong_method_is_405_with_allow(emu: Emulator) -> None:
    response = client(emu).delete(LIST)
    assert error_of(response) == (405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, POST"


def test_help_centers_are_listed_and_fetched(emu: Emulator) -> None:
    http = client(emu)
    listed = http.get("/help_center/help_centers").json()
    assert listed["type"] == "list" and [h["identifier"] for h in listed["data"]] == ["acme"]
    one = http.get(f"/help_center/help_centers/{listed['data'][0]['id']}").json()
    assert one["display_name"] == "Acme Help Center" and one["website_turned_on"] is True


def test_help_centers_are_paged_and_a_page_past_the_end_is_empty(emu: Emulator) -> None:
    emu.add_help_center("beta")
    emu.add_help_center("gamma")
    http = client(emu)
    pages = [
        http.get("/help_center/help_centers", params={"page": n, "per_page": 2}).json()
        for n in (1, 2, 3)
    ]
    assert [[h["identifier"] for h in p["data"]] for p in pages] == [
        ["acme", "beta"],
        ["gamma"],
        [],
    ]
    assert all(set(p) == {"type", "data"} for p in pages)  # help_center_list: nothing more
    assert http.get("/help_center/help_centers", params={"page": 2}).json()["data"] == []
    refused = http.get("/help_center/help_centers", params={"page": "0"})
    assert error_of(refused) == (400, "parameter_invalid")


def test_requests_are_recorded_without_the_token(emu: Emulator) -> None:
    client(emu).post(LIST, params={"x": "1"}, json={"name": "A"})
    (recorded,) = emu.requests
    assert (recorded.method, recorded.path, recorded.status) == ("POST", LIST, 200)
    assert recorded.query == {"x": "1"} and recorded.body == {"name": "A"}
    assert recorded.headers["authorization"] == "REDACTED"
    assert recorded.headers["intercom-version"] == "2.10"
    assert TOKEN not in repr(emu.requests)


def test_seeding_and_ui_edits_leave_no_request_log(emu: Emulator, clock: FakeTime) -> None:
    created = emu.add_collection("A")
    clock.advance(60)
    edited = emu.edit_collection(created["id"], name="B")
    assert edited["updated_at"] == created["updated_at"] + 60
    assert emu.requests == []
    with pytest.raises(Refusal):
        emu.edit_collection("424242", name="x")


# ---- rate limits --------------------------------------------------------------------------


def test_every_answer_carries_rate_limit_headers(emu: Emulator, clock: FakeTime) -> None:
    response = client(emu).get(LIST)
    assert response.headers["X-RateLimit-Limit"] == str(DEFAULT_RATE_LIMIT)
    assert response.headers["X-RateLimit-Remaining"] == str(DEFAULT_RATE_LIMIT - 1)
    assert int(response.headers["X-RateLimit-Reset"]) == 1_700_000_010
    unauthorised = client(emu, {"Intercom-Version": "2.10"}).get(LIST)
    assert unauthorised.headers["X-RateLimit-Remaining"] == str(DEFAULT_RATE_LIMIT - 1)


def test_over_the_window_budget_is_429_until_the_window_resets(
    emu: Emulator, clock: FakeTime
) -> None:
    emu.faults.rate_limit = 3
    http = client(emu)
    remaining = [http.get(LIST).headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = http.get(LIST)
    assert error_of(limited) == (429, "rate_limit_exceeded")
    reset = int(limited.headers["X-RateLimit-Reset"])
    assert reset > clock.now and limited.headers["X-RateLimit-Remaining"] == "0"
    clock.now = reset
    assert http.get(LIST).status_code == 200


def test_rate_limit_none_never_refuses(emu: Emulator) -> None:
    emu.faults.rate_limit = None
    http = client(emu)
    assert all(http.get(LIST).status_code == 200 for _ in range(DEFAULT_RATE_LIMIT + 5))


# ---- faults -------------------------------------------------------------------------------


def test_latency_sleeps_once_per_request(emu: Emulator, clock: FakeTime) -> None:
    client(emu).get(LIST)
    assert clock.sleeps == []
    emu.faults.latency = 0.25
    client(emu).get(LIST)
    assert clock.sleeps == [0.25]


def test_server_errors_do_no_work(emu: Emulator) -> None:
    emu.faults.error_rate = 1.0
    response = client(emu).post(LIST, json={"name": "A"})
    assert error_of(response)[0] in (500, 502, 503)
    assert emu.collections() == []


def test_error_rate_is_reproducible_from_the_seed(clock: FakeTime) -> None:
    def statuses(seed: int) -> list[int]:
        emu = Emulator(token=TOKEN, clock=clock.clock, seed=seed)
        emu.add_help_center("acme")
        emu.faults.error_rate = 0.5
        http = client(emu)
        return [http.get(LIST).status_code for _ in range(30)]

    first = statuses(7)
    assert first == statuses(7)
    assert 200 in first and any(s >= 500 for s in first)


def test_commit_then_502_really_commits(emu: Emulator) -> None:
    emu.faults.commit_then_502 = 1.0
    response = client(emu).post(LIST, json={"name": "Ambiguous"})
    assert error_of(response) == (502, "bad_gateway")
    assert [c["name"] for c in emu.collections()] == ["Ambiguous"]
    top = emu.collections()[0]
    assert client(emu).put(f"{LIST}/{top['id']}", json={"name": "B"}).status_code == 200


def test_faults_at_rate_zero_never_fire(emu: Emulator, clock: FakeTime) -> None:
    emu.faults = Faults(latency=0.0, error_rate=0.0, commit_then_502=0.0, rate_limit=None)
    http = client(emu)
    assert all(http.post(LIST, json={"name": f"C{i}"}).status_code == 200 for i in range(50))
    assert clock.sleeps == [] and len(emu.collections()) == 50


@pytest.mark.parametrize(
    "kwargs",
    [{"error_rate": 1.5}, {"commit_then_502": -0.1}, {"latency": -1.0}, {"rate_limit": 0}],
)
def test_nonsense_fault_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Faults(**kwargs)


# ---- over real HTTP -----------------------------------------------------------------------


def test_the_loopback_server_answers_over_http(emu: Emulator) -> None:
    emu.add_collection("Over the wire")
    with serve(emu) as server:
        assert server.url == f"http://127.0.0.1:{server.port}" and server.port > 0
        response = httpx.get(f"{server.url}{LIST}", headers=HEADERS, timeout=5)
        assert response.status_code == 200
        assert response.json()["data"][0]["name"] == "Over the wire"
        assert response.headers["X-RateLimit-Limit"] == str(DEFAULT_RATE_LIMIT)
    server.close()  # a second close is harmless


def test_concurrent_creates_over_http_get_distinct_ids(emu: Emulator) -> None:
    emu.faults.rate_limit = None
    with (
        serve(emu) as server,
        httpx.Client(base_url=server.url, headers=HEADERS, timeout=5) as http,
    ):

        def create(i: int) -> str:
            response = http.post(LIST, json={"name": f"C{i}"})
            assert response.status_code == 200, response.text
            return str(response.json()["id"])

        with ThreadPoolExecutor(max_workers=4) as pool:
            ids = list(pool.map(create, range(16)))
    assert len(set(ids)) == 16 and len(emu.collections()) == 16


def test_main_documents_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ("--port", "--help-center", "--token", "--latency-ms", "--error-rate"):
        assert option in out
    assert "--commit-then-502" in out and "--rate-limit" in out and "--seed" in out
    for option in (
        "--no-depth-on-moves",
        "--unstable-ties",
        "--null-locale",
        "--nested-description",
        "--escape-names",
        "--per-page-over-max",
        "--top-level-parent-id",
        "--top-level-help-center-id",
        "--no-total-pages",
    ):
        assert out.count(option) >= 2, option  # documented, and shown in an example


def test_main_refuses_nonsense_fault_rates(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--error-rate", "2"])
    assert exit_.value.code == 2
    assert "error_rate" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "argument --port: port must be 0 to 65535, not 99999"),
        (["--port", "-1"], "argument --port: port must be 0 to 65535, not -1"),
        (["--port", "http"], "argument --port: invalid port: 'http'"),
        (["--token", ""], "token must be a non-empty string"),
    ],
)
def test_main_refuses_a_bad_port_or_token_with_a_usage_error(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "usage: hcsync emulator" in err
    assert "Traceback" not in err


def test_hcsync_emulator_refuses_a_bad_port_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hcsync", "emulator", "--port", "99999"],
        capture_output=True,
        text=True,
        check=False,
        env=subprocess_env(),
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "port must be 0 to 65535" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
