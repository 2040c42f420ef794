"""The HTTP side against the emulator: pagination, errors, and fetching one help center."""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support import delete_behind_our_back

from hcsync.client import MAX_LISTING_PASSES, IntercomClient
from hcsync.connection import REGIONS, open_http
from hcsync.emulator import Emulator
from hcsync.errors import ApiError, HcsyncError, ListingError, TransportError, UsageError
from hcsync.kinds.collection import COLLECTIONS
from hcsync.live import HelpCenter, choose_help_center, collections_of, fetch_live

TOKEN = "test-token-not-a-secret"
BASE = REGIONS["us"]
Handler = Callable[[httpx.Request], httpx.Response]


def connect(transport: httpx.BaseTransport, token: str = TOKEN) -> IntercomClient:
    return IntercomClient(open_http(BASE, token, transport=transport), sleep=_no_sleep)


def _no_sleep(_seconds: float) -> None:
    return None


def seeded(count: int, *, max_per_page: int = 150) -> Emulator:
    # A clock that ticks on every reading keeps updated_at strictly ordered, so "the oldest
    # collection" is well defined without waiting for real seconds to pass.
    clock = itertools.count(1_700_000_000).__next__
    emu = Emulator(
        token=TOKEN,
        default_per_page=min(20, max_per_page),
        max_per_page=max_per_page,
        clock=clock,
    )
    center = emu.add_help_center("acme")
    for number in range(count):
        emu.add_collection(f"Collection {number}", help_center_id=center["id"])
    return emu


def list_requests(emu: Emulator) -> list[dict[str, Any]]:
    return [dict(r.query) for r in emu.requests if r.path == "/help_center/collections"]


def page_numbers(emu: Emulator) -> list[int]:
    return [int(query["page"]) for query in list_requests(emu)]


# -- pagination ---------------------------------------------------------------------------


def test_listing_follows_every_page_at_the_size_the_server_honours() -> None:
    emu = seeded(10, max_per_page=3)

    listed = connect(emu.transport).list_all(COLLECTIONS)

    assert sorted(item["id"] for item in listed) == sorted(c["id"] for c in emu.collections())
    numbers = page_numbers(emu)
    assert sorted(numbers[1:-1]) == [2, 3, 4]  # pages 2..N arrive concurrently...
    assert numbers[0] == numbers[-1] == 1  # ...then page 1 again: did anything move meanwhile?
    queries = list_requests(emu)
    assert int(queries[0]["per_page"]) == 150  # ask for the documented maximum...
    assert {int(q["per_page"]) for q in queries[1:]} == {3}  # ...then use what was honoured


def test_an_empty_workspace_lists_nothing_in_one_request() -> None:
    emu = seeded(0)
    assert connect(emu.transport).list_all(COLLECTIONS) == []
    assert page_numbers(emu) == [1]


def shifting(emu: Emulator, *, times: int) -> Handler:
    """The emulator, but before the first ``times`` page-2 answers someone edits the oldest
    collection, which moves it to page 1 (already read) and pushes another onto page 2."""
    edits = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal edits
        if request.url.params.get("page") == "2" and edits < times:
            edits += 1
            oldest = min(emu.collections(), key=lambda c: c["updated_at"])
            emu.edit_collection(oldest["id"], description=f"edited {edits}")
        return emu.handle(request)

    return handle


def test_a_write_between_pages_is_noticed_and_the_list_is_read_again() -> None:
    emu = seeded(6, max_per_page=3)

    listed = connect(httpx.MockTransport(shifting(emu, times=1))).list_all(COLLECTIONS)

    ids = [item["id"] for item in listed]
    assert len(ids) == len(set(ids)) == 6
    assert sorted(ids) == sorted(c["id"] for c in emu.collections())
    assert sorted(page_numbers(emu)) == [1, 1, 1, 1, 2, 2]  # the second pass is consistent
    edited = [item for item in listed if item["description"] == "edited 1"]
    assert len(edited) == 1  # the re-read shows the write that shifted the pages


def test_a_listing_that_never_settles_is_an_error_saying_so() -> None:
    emu = seeded(6, max_per_page=3)
    client = connect(httpx.MockTransport(shifting(emu, times=1000)))

    with pytest.raises(ListingError, match="kept changing") as caught:
        client.list_all(COLLECTIONS)
    assert caught.value.passes == MAX_LISTING_PASSES
    assert f"after {MAX_LISTING_PASSES} passes" in str(caught.value)
    # Bounded: ten passes, page 1 twice in each.
    assert page_numbers(emu).count(1) == MAX_LISTING_PASSES * 2


def writing_before(emu: Emulator, page: int, write: Callable[[], None]) -> Handler:
    """The emulator, but just before the first request for ``page`` (2 or more) is answered,
    ``write`` runs, once."""
    lock = threading.Lock()
    done = False

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal done
        with lock:
            if not done and request.url.params.get("page") == str(page):
                done = True
                write()
        return emu.handle(request)

    return handle


def newest_first(emu: Emulator) -> list[str]:
    return [c["id"] for c in sorted(emu.collections(), key=lambda c: -c["updated_at"])]


@pytest.mark.parametrize(
    ("page", "deleted_at", "concurrency"),
    [
        (2, 0, 8),  # a collection of page 1 (already read) goes, a new one comes
        (3, 2, 1),  # a collection of page 2 (already read) goes, a new one comes
    ],
)
def test_a_create_and_a_delete_between_pages_are_noticed_though_no_count_changes(
    page: int, deleted_at: int, concurrency: int
) -> None:
    emu = seeded(6, max_per_page=2)
    center = emu.collections()[0]["help_center_id"]
    gone = newest_first(emu)[deleted_at]

    def create_and_delete() -> None:
        emu.add_collection("Late", help_center_id=center)
        delete_behind_our_back(emu, gone)

    handler = writing_before(emu, page, create_and_delete)
    http = open_http(BASE, TOKEN, transport=httpx.MockTransport(handler))
    listed = IntercomClient(http, sleep=_no_sleep, concurrency=concurrency).list_all(COLLECTIONS)

    ids = [item["id"] for item in listed]
    assert sorted(ids) == sorted(c["id"] for c in emu.collections())  # as it is now
    assert len(ids) == len(set(ids)) == 6
    assert "Late" in {item["name"] for item in listed}  # else planned again: a duplicate
    assert gone not in ids


def test_a_lone_delete_on_a_page_already_read_is_noticed() -> None:
    emu = seeded(6, max_per_page=2)
    gone = newest_first(emu)[2]
    handler = writing_before(emu, 3, lambda: delete_behind_our_back(emu, gone))
    http = open_http(BASE, TOKEN, transport=httpx.MockTransport(handler))

    listed = IntercomClient(http, sleep=_no_sleep, concurrency=1).list_all(COLLECTIONS)

    assert sorted(item["id"] for item in listed) == sorted(c["id"] for c in emu.collections())
    assert len(listed) == 5


def test_one_id_listed_with_two_updated_at_is_a_write_and_the_list_is_read_again() -> None:
    # Pages come back in page order, not in the order they were fetched: the later copy is
    # not the fresher one. Collection 1 listed twice with two updated_at means it was edited
    # while the pages were read, so the list is read again; the second pass is consistent
    # and its copy (the newest) is what is kept.
    def item(id: str, updated_at: int, description: str) -> dict[str, Any]:
        return {"id": id, "name": f"C{id}", "description": description, "updated_at": updated_at}

    passes = {1: 0}
    pages = {
        "1": [item("1", 30, "new"), item("2", 20, "")],
        "2": [item("3", 10, ""), item("1", 5, "old")],
    }

    def answer(request: httpx.Request) -> httpx.Response:
        number = request.url.params["page"]
        if number == "1":
            passes[1] += 1
        data = pages[number] if passes[1] <= 2 or number == "1" else [item("3", 10, "")]
        meta = {"type": "pages", "page": int(number), "per_page": 2, "total_pages": 2}
        body = {"type": "list", "data": data, "total_count": 3, "pages": meta}
        return httpx.Response(200, json=body)

    listed = connect(httpx.MockTransport(answer)).list_all(COLLECTIONS)

    assert [(c["id"], c["description"]) for c in listed] == [("1", "new"), ("2", ""), ("3", "")]
    assert passes[1] == 4  # two passes, page 1 read twice in each


# -- single calls -------------------------------------------------------------------------


def test_create_get_update_delete_round_trip() -> None:
    emu = seeded(0)
    client = connect(emu.transport)

    created = client.create(COLLECTIONS, {"name": "Billing", "description": "Money"})
    assert client.get(COLLECTIONS, created["id"])["name"] == "Billing"
    updated = client.update(COLLECTIONS, created["id"], {"name": "Payments"})
    assert updated["name"] == "Payments"
    assert emu.collection(created["id"])["name"] == "Payments"  # type: ignore[index]
    client.delete(COLLECTIONS, created["id"])
    assert emu.collection(created["id"]) is None


def test_help_centers_are_listed_and_fetched() -> None:
    emu = Emulator(token=TOKEN)
    acme = emu.add_help_center("acme", "Acme")
    client = connect(emu.transport)
    assert [c["identifier"] for c in client.list_help_centers()] == ["acme"]
    assert client.get_help_center(str(acme["id"]))["display_name"] == "Acme"


# -- errors -------------------------------------------------------------------------------


def test_a_wrong_token_is_an_api_error_with_intercoms_message_and_not_the_token() -> None:
    emu = seeded(1)
    wrong = "wrong-token-not-a-secret"

    with pytest.raises(ApiError) as caught:
        connect(emu.transport, token=wrong).list_all(COLLECTIONS)

    err = caught.value
    assert (err.method, err.status, err.code) == ("GET", 401, "unauthorized")
    assert str(err).startswith("GET https://api.intercom.io/help_center/collections")
    assert "-> 401: unauthorized: " in str(err)
    assert err.api_message
    assert wrong not in str(err) and wrong not in repr(err)


def test_a_missing_collection_is_a_404_api_error() -> None:
    emu = seeded(0)
    with pytest.raises(ApiError) as caught:
        connect(emu.transport).get(COLLECTIONS, "424242")
    assert caught.value.status == 404
    assert caught.value.url == "https://api.intercom.io/help_center/collections/424242"
    assert str(caught.value).startswith("GET https://api.intercom.io/help_center/collections/")


def test_a_bad_body_is_a_400_api_error_carrying_intercoms_message() -> None:
    emu = seeded(0)
    with pytest.raises(ApiError) as caught:
        connect(emu.transport).create(COLLECTIONS, {"description": "no name"})
    err = caught.value
    assert (err.method, err.status) == ("POST", 400)
    assert err.code == "parameter_not_found"
    assert err.api_message in str(err)
    assert TOKEN not in str(err)


def answering(status: int, **kwargs: Any) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, **kwargs))


def test_an_error_body_that_is_not_json_falls_back_to_the_status_text() -> None:
    client = connect(answering(502, text="<html>upstream down</html>"))
    with pytest.raises(ApiError) as caught:
        client.list_help_centers()
    assert str(caught.value) == (
        "GET https://api.intercom.io/help_center/help_centers -> 502: Bad Gateway"
        " (after 5 attempts)"
    )


def test_several_errors_in_one_answer_are_all_reported() -> None:
    body = {
        "type": "error.list",
        "request_id": "r-1",
        "errors": [
            {"code": "parameter_invalid", "message": "Name is too long."},
            {"code": "parameter_invalid", "message": "Description is too long."},
        ],
    }
    with pytest.raises(ApiError) as caught:
        connect(answering(400, json=body)).create(COLLECTIONS, {"name": "x" * 999})
    assert caught.value.code == "parameter_invalid"
    assert caught.value.api_message == "Name is too long.; Description is too long."


def test_credentials_in_a_base_url_never_reach_an_error_message() -> None:
    http = httpx.Client(
        base_url="https://someone:hunter2-not-a-secret@api.intercom.io",
        transport=answering(404, json={"type": "error.list", "errors": []}),
    )
    with pytest.raises(ApiError) as caught:
        IntercomClient(http).get(COLLECTIONS, "1")
    assert "hunter2" not in str(caught.value)
    assert caught.value.url == "https://api.intercom.io/help_center/collections/1"


def refusing(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


def test_an_unreachable_host_is_a_transport_error_that_never_shows_the_token() -> None:
    client = connect(httpx.MockTransport(refusing))

    with pytest.raises(TransportError) as caught:
        client.list_all(COLLECTIONS)

    err = caught.value
    assert str(err).startswith("GET https://api.intercom.io/help_center/collections")
    assert "could not connect" in str(err)
    assert err.__cause__ is None and err.__suppress_context__
    shown = "".join(traceback.format_exception(err))
    for text in (str(err), repr(err), shown):
        assert TOKEN not in text
        assert "Bearer" not in text


def test_a_transport_that_echoes_the_token_has_it_scrubbed() -> None:
    def leaky(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"timed out; sent {request.headers['authorization']}")

    with pytest.raises(TransportError) as caught:
        connect(httpx.MockTransport(leaky)).list_help_centers()
    assert "timed out" in str(caught.value)
    assert TOKEN not in str(caught.value)


# -- choosing the help center -------------------------------------------------------------

CENTERS = [
    {"id": "101", "identifier": "acme", "display_name": "Acme"},
    {"id": "102", "identifier": "acme-internal", "display_name": "Acme internal"},
]


def test_a_help_center_is_chosen_by_identifier_or_by_id() -> None:
    internal = HelpCenter(id="102", identifier="acme-internal", display_name="Acme internal")
    assert choose_help_center(CENTERS, "acme-internal") == internal
    assert choose_help_center(CENTERS, "102") == internal


def test_the_only_help_center_needs_no_name() -> None:
    assert choose_help_center(CENTERS[:1], None).identifier == "acme"


def test_several_help_centers_without_a_choice_is_an_error_naming_them() -> None:
    with pytest.raises(UsageError) as caught:
        choose_help_center(CENTERS, None)
    assert str(caught.value) == (
        "this workspace has 2 help centers (acme, acme-internal); "
        "set help_center: in the YAML or pass --help-center"
    )


def test_an_unknown_help_center_is_an_error_naming_the_ones_there_are() -> None:
    with pytest.raises(UsageError, match=r"'docs'.*acme, acme-internal"):
        choose_help_center(CENTERS, "docs")


def test_a_workspace_without_help_centers_is_an_error() -> None:
    with pytest.raises(UsageError, match="no help center"):
        choose_help_center([], None)


# -- keeping one help center's collections -------------------------------------------------


def test_fetch_live_keeps_only_the_chosen_help_centers_tree() -> None:
    emu = Emulator(token=TOKEN, default_per_page=2, max_per_page=2)
    acme = emu.add_help_center("acme")
    internal = emu.add_help_center("acme-internal")
    top = emu.add_collection("Top", help_center_id=acme["id"])
    section = emu.add_collection("Section", parent_id=top["id"])
    emu.add_collection("Subsection", parent_id=section["id"])
    other = emu.add_collection("Other", help_center_id=internal["id"])
    emu.add_collection("Other section", parent_id=other["id"])
    client = connect(emu.transport)

    mine = fetch_live(client, "acme")
    theirs = fetch_live(client, str(internal["id"]))

    assert mine.help_center.identifier == "acme"
    assert [c["name"] for c in mine.collections] == ["Top", "Section", "Subsection"]
    assert theirs.help_center.identifier == "acme-internal"
    assert [c["name"] for c in theirs.collections] == ["Other", "Other section"]


def test_nested_and_unassigned_collections_are_placed_through_the_parent_chain() -> None:
    listing: list[dict[str, Any]] = [
        {"id": "3", "parent_id": "2", "help_center_id": None},
        {"id": "2", "parent_id": "1", "help_center_id": None},
        {"id": "1", "parent_id": None, "help_center_id": None},  # default help center
        {"id": "10", "parent_id": None, "help_center_id": 102},
        {"id": "11", "parent_id": "10", "help_center_id": None},
        {"id": "9", "parent_id": None, "help_center_id": "101"},  # string id, same center
    ]
    default = [c["id"] for c in collections_of(listing, "101", default_id="101")]
    other = [c["id"] for c in collections_of(listing, "102", default_id="101")]
    assert default == ["1", "2", "3", "9"]
    assert other == ["10", "11"]
    # When the default help center cannot be told, the unassigned tree belongs to neither.
    assert [c["id"] for c in collections_of(listing, "101", default_id=None)] == ["9"]
    assert [c["id"] for c in collections_of(listing, "102", default_id=None)] == ["10", "11"]


def test_a_collection_whose_parent_was_not_listed_is_an_error_not_a_guess() -> None:
    listing = [{"id": "5", "parent_id": "4", "help_center_id": None}]
    with pytest.raises(HcsyncError, match="parent 4"):
        collections_of(listing, "101", default_id="101")
