"""The quick schema check says "valid" exactly when jsonschema does.

``schema_fast`` compiles the config schema into plain Python checks so a valid file never
waits for jsonschema. Generated documents, valid ones and ones wrong in one place (a wrong
type, a boolean or a float for a number, an unknown key or locale, a missing name, a name
that breaks the pattern or the length limit, a repeated previous name...), must get the
same verdict from both. A schema using anything the quick check does not know is not
compiled at all, so jsonschema stays the judge.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, subprocess_env

from hcsync.locales import LOCALES
from hcsync.schema import jsonschema_validator, load_schema, quick_check
from hcsync.schema_fast import KEYWORDS, compile_schema, keywords

SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def jsonschema_says_valid(data: object) -> bool:
    return next(iter(jsonschema_validator().iter_errors(data)), None) is None


def quick_says_valid(data: object) -> bool:
    check = quick_check()
    assert check is not None
    return check(data)


# -- the schema is one the quick check knows ----------------------------------------------


def test_every_keyword_of_the_config_schema_is_known_to_the_quick_check() -> None:
    used = set(keywords(load_schema()))
    assert used <= KEYWORDS, used - KEYWORDS
    assert {"type", "pattern", "$ref", "additionalProperties"} <= used  # it did look inside
    assert quick_check() is not None


def _with(change: str) -> dict[str, Any]:
    """The config schema with one thing the quick check does not know."""
    schema = copy.deepcopy(load_schema())
    collection = schema["$defs"]["collection"]
    if change == "an unknown keyword":
        collection["properties"]["name"]["format"] = "email"
    elif change == "an unknown keyword at the top":
        schema["anyOf"] = [{"required": ["collections"]}]
    elif change == "an unknown keyword in a definition nobody uses":
        schema["$defs"]["unused"] = {"not": {"type": "string"}}
    elif change == "another draft":
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    elif change == "a reference to another file":
        collection["properties"]["name"]["$ref"] = "other.json#/$defs/name"
    elif change == "a reference to nowhere":
        collection["properties"]["name"]["$ref"] = "#/$defs/nowhere"
    elif change == "an enum of numbers":
        schema["$defs"]["locale"]["enum"] = [1, 2]
    elif change == "an unknown type":
        collection["type"] = "collection"
    elif change == "a uniqueItems that is not a boolean":
        collection["properties"]["previously"]["uniqueItems"] = 1
    elif change == "an $id below the top":
        collection["$id"] = "collection.json"
    return schema


@pytest.mark.parametrize(
    "change",
    [
        "an unknown keyword",
        "an unknown keyword at the top",
        "an unknown keyword in a definition nobody uses",
        "another draft",
        "a reference to another file",
        "a reference to nowhere",
        "an enum of numbers",
        "an unknown type",
        "a uniqueItems that is not a boolean",
        "an $id below the top",
    ],
)
def test_a_schema_with_anything_unknown_is_left_to_jsonschema(change: str) -> None:
    assert compile_schema(_with(change)) is None


# -- generated documents: the same verdict ------------------------------------------------

JUNK: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    7,
    5001.0,
    1.5,
    "",
    " ",
    "x",
    [],
    ["x"],
    {},
    {"name": "x"},
    datetime.date(2024, 1, 1),
]
junk = st.sampled_from(JUNK)
names = st.one_of(
    st.sampled_from(["Billing", "Q&A", "Café", "a", "Internal / *", "a\u200eb", "x" * 255]),
    # Wrong: blank, surrounding space, a line break, a control character, an override, long.
    st.sampled_from([" lead", "trail ", "", "a\nb", "a\tb", "a\u202eb", "\x7f", "\x85", "x" * 256]),
    st.text(max_size=12),
)
descriptions = st.one_of(
    st.none(),
    st.sampled_from(["", "Line one\nLine two", "tab\there", "bell\x07", "\u2066x", "ok"]),
    st.text(max_size=12),
)
locales = st.one_of(
    st.sampled_from(LOCALES), st.sampled_from(["pt_BR", "EN", "xx", "", "fr "]), st.text(max_size=3)
)
ids = st.one_of(
    st.integers(-3, 10**12),
    st.sampled_from(["6871119", "0", "007", "", "12a", " 1", "1 ", "٣"]),
    st.floats(allow_nan=False),
    st.booleans(),
)
patterns = st.one_of(
    st.sampled_from(["Legal", "6871119", "007", " 0123 ", "Internal / *", "", "0"]),
    st.integers(-2, 10**8),
    st.text(max_size=8),
)


def _maybe(
    draw: st.DrawFn, entry: dict[str, Any], key: str, values: st.SearchStrategy[Any]
) -> None:
    if draw(st.integers(0, 2)) == 0:
        entry[key] = draw(values)


@st.composite
def collections(draw: st.DrawFn, depth: int = 1) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": draw(names)}
    _maybe(draw, entry, "description", descriptions)
    _maybe(
        draw,
        entry,
        "translated_content",
        st.dictionaries(
            locales,
            st.fixed_dictionaries({"name": names}, optional={"description": descriptions}),
            max_size=3,
        ),
    )
    _maybe(draw, entry, "id", ids)
    _maybe(draw, entry, "previously", st.lists(st.sampled_from(["A", "B", "Payments"]), max_size=3))
    if depth < 4 and draw(st.booleans()):
        entry["collections"] = draw(st.lists(collections(depth + 1), max_size=3))
    return entry


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {"collections": draw(st.lists(collections(), max_size=3))}
    _maybe(draw, doc, "help_center", st.one_of(st.sampled_from(["acme", ""]), ids))
    _maybe(draw, doc, "default_locale", locales)
    _maybe(draw, doc, "protect", st.lists(patterns, max_size=3))
    _maybe(draw, doc, "ignore", st.lists(patterns, max_size=3))
    return doc


def _places(value: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every node in ``value``."""
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_places(item, (*path, index)))
    return out


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A generated document with one node replaced, one key dropped or one key added."""
    doc = draw(documents())
    path = draw(st.sampled_from(_places(doc)[1:] or [("collections",)]))
    parent: Any = doc
    for part in path[:-1]:
        parent = parent[part]
    how = draw(st.sampled_from(["replace", "drop", "add"]))
    if how == "replace":
        parent[path[-1]] = draw(st.one_of(junk, names, ids))
    elif how == "drop" and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(["descripton", "Name", "x", "id", "name", "fr"]))] = draw(junk)
    return doc


@SETTINGS
@given(documents())
def test_generated_documents_get_jsonschemas_verdict(doc: dict[str, Any]) -> None:
    assert quick_says_valid(doc) == jsonschema_says_valid(doc)


@SETTINGS
@given(near_valid())
def test_documents_wrong_in_one_place_get_jsonschemas_verdict(doc: dict[str, Any]) -> None:
    assert quick_says_valid(doc) == jsonschema_says_valid(doc)


@pytest.mark.parametrize("example", load_schema()["examples"])
def test_the_schemas_own_examples_are_valid_to_both(example: dict[str, Any]) -> None:
    assert quick_says_valid(example)
    assert jsonschema_says_valid(example)


def test_both_verdicts_are_seen() -> None:
    # Guards the generators: they must produce documents of both kinds.
    valid = {"collections": [{"name": "A", "id": 5001, "previously": ["B"]}]}
    assert quick_says_valid(valid) and jsonschema_says_valid(valid)
    for wrong in (
        {"collections": [{"name": "A", "id": 5001.0}]},
        {"collections": [{"name": "A", "id": True}]},
        {"collections": [{"name": "A", "previously": ["B", "B"]}]},
        {"collections": [{"name": "A", "translated_content": {"pt_BR": {"name": "B"}}}]},
        {"collections": [{"name": "A"}], "protect": ["007"]},
        {"collections": [{"descripton": "A"}]},
        {"collections": [], "help_center": -1},
    ):
        assert not quick_says_valid(wrong), wrong
        assert not jsonschema_says_valid(wrong), wrong


# -- nothing imports jsonschema for a valid file ------------------------------------------

PROBE = """
import json, sys
from hcsync import checks, config, loader, schema
before = "jsonschema" in sys.modules
config.load_config(sys.argv[1])
after_valid = "jsonschema" in sys.modules
try:
    config.load_config_text("collections: [{descripton: x}]\\n", "bad.yaml")
except Exception:
    pass
print(json.dumps([before, after_valid, "jsonschema" in sys.modules]))
"""


def test_jsonschema_is_imported_only_for_a_file_with_schema_problems() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "examples" / "collections.yaml")],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=ROOT,
        check=True,
    )
    assert json.loads(done.stdout) == [False, False, True]
