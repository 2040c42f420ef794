"""Each ``Behaviour`` switch of the emulator does what it says, seen through HTTP.

One test per switch, each comparing the switch's setting(s) with the default so that it
fails if the switch did nothing; then the ``hcsync emulator`` flags, and every variant's
answers against the official 2.10 description.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import httpx
import pytest
from contract.openapi import validate_response
from support import TOKEN, FakeTime

from hcsync.emulator import Behaviour, Emulator, behaviour_from_args, build_parser, variants

HEADERS = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"}
LIST = "/help_center/collections"


def client(emu: Emulator) -> httpx.Client:
    return httpx.Client(
        transport=emu.transport, base_url="https://api.intercom.io", headers=HEADERS
    )


def switched(emu: Emulator, **changes: Any) -> httpx.Client:
    """Turn switches of ``emu`` (set after construction, as tests may) and talk to it."""
    emu.behaviour = replace(emu.behaviour, **changes)
    return client(emu)


def stored(emu: Emulator, id: str) -> dict[str, Any]:
    shape = emu.collection(id)
    assert shape is not None
    return shape


def error_code(response: httpx.Response) -> tuple[int, str, str]:
    error = response.json()["errors"][0]
    return response.status_code, error["code"], error["message"]


# ---- depth_on_moves -----------------------------------------------------------------------


@pytest.mark.parametrize(("depth_on_moves", "status"), [(True, 400), (False, 200)])
def test_depth_on_moves_decides_whether_a_too_deep_move_is_refused(
    emulator: Emulator, depth_on_moves: bool, status: int
) -> None:
    one = emulator.add_collection("One")
    two = emulator.add_collection("Two", parent_id=one["id"])
    other = emulator.add_collection("Other")
    deepest = emulator.add_collection("Other child", parent_id=other["id"])
    http = switched(emulator, depth_on_moves=depth_on_moves)
    moved = http.put(f"{LIST}/{other['id']}", json={"parent_id": two["id"]})
    assert moved.status_code == status, moved.text
    if status == 400:
        assert error_code(moved)[2] == "Collections can be nested at most 3 levels deep."
    else:  # four levels now exist; creates are still depth-checked
        assert moved.json()["parent_id"] == two["id"]
        too_deep = http.post(LIST, json={"name": "Five", "parent_id": deepest["id"]})
        assert too_deep.status_code == 400


# ---- unstable_ties ------------------------------------------------------------------------


def test_unstable_ties_reorders_equal_updated_at_on_every_list_request() -> None:
    time = FakeTime(1_700_000_000.0)
    emu = Emulator(token=TOKEN, clock=time.clock, sleep=lambda _s: None)
    emu.add_help_center("acme")
    oldest = emu.add_collection("Oldest")["id"]
    time.advance(5)
    tied = {emu.add_collection(f"Tied {i}")["id"] for i in range(12)}  # one second

    def reads(http: httpx.Client) -> list[list[str]]:
        return [[c["id"] for c in http.get(LIST).json()["data"]] for _ in range(6)]

    stable = reads(client(emu))
    assert all(order == stable[0] for order in stable)
    shuffled = reads(switched(emu, unstable_ties=True))
    assert len({tuple(order) for order in shuffled}) > 1  # two reads of one page differ
    for order in shuffled:
        assert set(order[:-1]) == tied and order[-1] == oldest  # only ties move
    assert emu.collections() == emu.collections()  # the Python API stays stable

    http = client(emu)
    passes = [
        [
            c["id"]
            for page in (1, 2, 3)
            for c in http.get(LIST, params={"page": page, "per_page": 5}).json()["data"]
        ]
        for _ in range(5)
    ]
    assert any(len(set(seen)) < len(seen) for seen in passes)  # offset pages overlapped


# ---- null_locale --------------------------------------------------------------------------


@pytest.mark.parametrize("null_locale", ["delete", "ignore", "reject"])
def test_null_locale_deletes_ignores_or_rejects(emulator: Emulator, null_locale: str) -> None:
    created = emulator.add_collection("Hello", translated_content={"fr": {"name": "Bonjour"}})
    http = switched(emulator, null_locale=null_locale)
    answer = http.put(
        f"{LIST}/{created['id']}", json={"name": "Hi", "translated_content": {"fr": None}}
    )
    fr = stored(emulator, created["id"])["translated_content"]["fr"]
    if null_locale == "reject":
        assert error_code(answer) == (
            400,
            "parameter_invalid",
            "translated_content.fr must be an object, not null.",
        )
        assert stored(emulator, created["id"])["name"] == "Hello"
    else:
        assert answer.status_code == 200 and answer.json()["name"] == "Hi"
        assert answer.json()["translated_content"]["fr"] == fr
    assert (fr is None) == (null_locale == "delete")
    on_create = http.post(LIST, json={"name": "New", "translated_content": {"de": None}})
    assert on_create.status_code == (400 if null_locale == "reject" else 200)


# ---- nested_description -------------------------------------------------------------------


@pytest.mark.parametrize("nested_description", ["keep", "drop"])
def test_nested_description_drop_reads_nested_descriptions_back_empty(
    emulator: Emulator, nested_description: str
) -> None:
    http = switched(emulator, nested_description=nested_description)
    top = http.post(LIST, json={"name": "Top", "description": "top text"}).json()
    child = http.post(
        LIST,
        json={
            "name": "Child",
            "description": "child text",
            "parent_id": top["id"],
            "translated_content": {"de": {"name": "Kind", "description": "Kindtext"}},
        },
    ).json()
    got = http.get(f"{LIST}/{child['id']}").json()
    listed = {c["id"]: c for c in http.get(LIST).json()["data"]}
    assert listed[child["id"]] == got == child
    assert top["description"] == "top text"  # only nested collections lose it
    de = child["translated_content"]["de"]
    en = child["translated_content"]["en"]
    assert (de["name"], en["name"], child["name"]) == ("Kind", "Child", "Child")
    if nested_description == "drop":
        assert child["description"] is None
        assert en["description"] == "" and de["description"] == ""
        to_top = http.put(f"{LIST}/{child['id']}", json={"parent_id": None}).json()
        assert to_top["description"] == ""  # what was dropped does not come back
    else:
        assert child["description"] == "child text" == en["description"]
        assert de["description"] == "Kindtext"


# ---- escape_names -------------------------------------------------------------------------


def test_escape_names_reads_names_back_html_escaped(emulator: Emulator) -> None:
    name, escaped = 'Q&A <beta> "quoted"', 'Q&amp;A &lt;beta&gt; "quoted"'
    body = {"name": name, "translated_content": {"fr": {"name": "Questions & réponses"}}}
    plain = client(emulator).post(LIST, json=body).json()
    assert plain["name"] == name
    http = switched(emulator, escape_names=True)
    created = http.post(LIST, json=body).json()
    got = http.get(f"{LIST}/{created['id']}").json()
    listed = [c for c in http.get(LIST).json()["data"] if c["id"] == created["id"]]
    for answer in (created, got, *listed):
        assert answer["name"] == escaped == answer["translated_content"]["en"]["name"]
        assert answer["translated_content"]["fr"]["name"] == "Questions &amp; réponses"
    assert http.get(f"{LIST}/{plain['id']}").json()["name"] == escaped  # stored as written
    written_back = http.put(f"{LIST}/{created['id']}", json={"name": escaped}).json()
    assert written_back["name"] == 'Q&amp;amp;A &amp;lt;beta&amp;gt; "quoted"'


# ---- per_page_over_max --------------------------------------------------------------------


@pytest.mark.parametrize("over_max", ["clamp", "reject"])
def test_per_page_over_max_clamps_or_rejects(emulator: Emulator, over_max: str) -> None:
    emulator.add_collection("A")
    http = switched(emulator, per_page_over_max=over_max)
    at_max = http.get(LIST, params={"per_page": 150})
    assert at_max.json()["pages"]["per_page"] == 150
    above = http.get(LIST, params={"per_page": 151})
    if over_max == "clamp":
        assert above.status_code == 200 and above.json()["pages"]["per_page"] == 150
    else:
        assert error_code(above) == (400, "parameter_invalid", "per_page must be at most 150.")
    help_centers = http.get("/help_center/help_centers", params={"per_page": 151})
    assert help_centers.status_code == above.status_code  # both lists page alike


# ---- top_level_parent_id ------------------------------------------------------------------


def test_top_level_parent_id_zero_reads_and_writes_the_top_level_as_zero(
    emulator: Emulator,
) -> None:
    http = client(emulator)
    assert http.post(LIST, json={"name": "A"}).json()["parent_id"] is None
    unknown = http.post(LIST, json={"name": "B", "parent_id": "0"})
    assert error_code(unknown)[:2] == (400, "parameter_invalid")  # "0" is just an unknown id

    http = switched(emulator, top_level_parent_id="0")
    top = http.post(LIST, json={"name": "Top", "parent_id": "0"}).json()
    assert top["parent_id"] == "0" and top["help_center_id"] == 101
    assert http.post(LIST, json={"name": "Null", "parent_id": None}).json()["parent_id"] == "0"
    child = http.post(LIST, json={"name": "Child", "parent_id": top["id"]}).json()
    assert child["parent_id"] == top["id"]
    moved = http.put(f"{LIST}/{child['id']}", json={"parent_id": "0"}).json()
    assert moved["parent_id"] == "0" and moved["help_center_id"] == 101
    assert all(c["parent_id"] == "0" for c in http.get(LIST).json()["data"])


# ---- top_level_help_center_id -------------------------------------------------------------


def test_top_level_help_center_id_null_reads_top_level_ones_as_null(emulator: Emulator) -> None:
    top = emulator.add_collection("Top")
    assert client(emulator).get(f"{LIST}/{top['id']}").json()["help_center_id"] == 101
    http = switched(emulator, top_level_help_center_id="null")
    assert http.get(f"{LIST}/{top['id']}").json()["help_center_id"] is None
    created = http.post(LIST, json={"name": "New", "help_center_id": 101}).json()
    assert created["help_center_id"] is None and created["parent_id"] is None


# ---- total_pages --------------------------------------------------------------------------


def test_without_total_pages_clients_must_follow_next(emulator: Emulator) -> None:
    ids = {emulator.add_collection(f"C{i}")["id"] for i in range(5)}
    assert client(emulator).get(LIST).json()["pages"]["total_pages"] == 1
    http = switched(emulator, total_pages=False)
    url: str | None = f"{LIST}?per_page=2"
    seen: list[str] = []
    while url is not None:
        body = http.get(url).json()
        assert "total_pages" not in body["pages"] and body["total_count"] == 5
        seen += [c["id"] for c in body["data"]]
        url = body["pages"].get("next")
    assert sorted(seen) == sorted(ids)


# ---- the Behaviour value, and the command line --------------------------------------------


def test_the_constructor_takes_a_behaviour_and_refuses_nonsense() -> None:
    emu = Emulator(token=TOKEN, behaviour=Behaviour(top_level_help_center_id="null"))
    emu.add_help_center("acme")
    assert emu.add_collection("A")["help_center_id"] is None
    assert Emulator().behaviour == Behaviour()
    with pytest.raises(ValueError, match="null_locale"):
        Behaviour(null_locale="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="escape_names"):
        Behaviour(escape_names="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        emu.behaviour = {"unstable_ties": True}  # type: ignore[assignment]


def test_variants_flip_each_switch_alone() -> None:
    named = dict(variants())
    assert named.pop("default") == Behaviour()
    flipped = set()
    for behaviour in named.values():
        (changed,) = [
            f.name
            for f in fields(Behaviour)
            if getattr(behaviour, f.name) != getattr(Behaviour(), f.name)
        ]
        flipped.add(changed)
    assert flipped == {f.name for f in fields(Behaviour)}
    assert "null_locale=reject" in named and "null_locale=ignore" in named


ALL_FLAGS = [
    "--no-depth-on-moves",
    "--unstable-ties",
    "--null-locale",
    "ignore",
    "--nested-description",
    "drop",
    "--escape-names",
    "--per-page-over-max",
    "reject",
    "--top-level-parent-id",
    "0",
    "--top-level-help-center-id",
    "null",
    "--no-total-pages",
]


def test_the_emulator_flags_parse_into_the_behaviour() -> None:
    parser = build_parser()
    assert behaviour_from_args(parser.parse_args([])) == Behaviour()
    assert behaviour_from_args(parser.parse_args(ALL_FLAGS)) == Behaviour(
        depth_on_moves=False,
        unstable_ties=True,
        null_locale="ignore",
        nested_description="drop",
        escape_names=True,
        per_page_over_max="reject",
        top_level_parent_id="0",
        top_level_help_center_id="null",
        total_pages=False,
    )
    assert behaviour_from_args(parser.parse_args(["--null-locale", "reject"])) == Behaviour(
        null_locale="reject"
    )


def test_a_bad_choice_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--null-locale", "maybe"])
    assert exit_.value.code == 2
    assert "invalid choice: 'maybe'" in capsys.readouterr().err


# ---- every variant still answers in the official shapes -----------------------------------


@pytest.mark.parametrize(("name", "behaviour"), variants(), ids=[n for n, _ in variants()])
def test_every_variant_answers_in_the_official_shapes(name: str, behaviour: Behaviour) -> None:
    emu = Emulator(token=TOKEN, behaviour=behaviour, sleep=lambda _s: None)
    emu.add_help_center("acme")
    http = client(emu)
    top = http.post(LIST, json={"name": "A & B", "description": "d"})
    child = http.post(
        LIST,
        json={
            "name": "Child",
            "description": "c",
            "parent_id": top.json()["id"],
            "translated_content": {"fr": {"name": "Enfant", "description": "e"}},
        },
    )
    answers = [
        ("POST", LIST, top),
        ("POST", LIST, child),
        ("GET", f"{LIST}/{{id}}", http.get(f"{LIST}/{child.json()['id']}")),
        ("PUT", f"{LIST}/{{id}}", http.put(f"{LIST}/{child.json()['id']}", json={"name": "C"})),
        ("GET", LIST, http.get(LIST)),  # one page: no next (its URL is not cursor_pages')
        ("GET", "/help_center/help_centers", http.get("/help_center/help_centers")),
    ]
    for method, template, response in answers:
        assert response.status_code == 200, (name, response.text)
        validate_response(method, template, 200, response.json(), strict=True)


# ---- translations_on_put ------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "kept"), [("merge", {"fr", "de"}), ("replace", {"fr"})])
def test_translations_on_put_decides_what_happens_to_locales_not_sent(
    emulator: Emulator, mode: str, kept: set[str]
) -> None:
    both = {"fr": {"name": "Facturation"}, "de": {"name": "Abrechnung"}}
    made = emulator.add_collection("Billing", translated_content=both)
    http = switched(emulator, translations_on_put=mode)
    body = {"translated_content": {"fr": {"name": "Factures"}}}
    assert http.put(f"{LIST}/{made['id']}", json=body).status_code == 200
    content = stored(emulator, made["id"])["translated_content"]
    assert {loc for loc in ("fr", "de") if content[loc] is not None} == kept
    renamed = http.put(f"{LIST}/{made['id']}", json={"name": "Bills"})  # no translated_content
    assert renamed.status_code == 200
    after = stored(emulator, made["id"])["translated_content"]
    assert {loc for loc in ("fr", "de") if after[loc] is not None} == kept
