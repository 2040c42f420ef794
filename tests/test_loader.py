"""The YAML loader: positions of keys and values, and what it refuses before any validation.

Every test runs with both readers (libyaml's and the pure-Python one): they must agree.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from yaml_readers import READERS, use

from hcsync.errors import ConfigError
from hcsync.loader import MAX_BYTES, Loaded, kind_of, load_yaml, load_yaml_text, tree_path

TEXT = """\
help_center: acme
collections:
  - name: Getting started
    translated_content:
      fr: {name: Premiers pas}
    collections:
      - name: Installation
        id: 42
"""


@pytest.fixture(autouse=True, params=READERS)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    use(request.param, monkeypatch)
    return str(request.param)


def _messages(caught: pytest.ExceptionInfo[ConfigError]) -> list[str]:
    return [str(problem) for problem in caught.value.problems]


def test_data_is_plain_values() -> None:
    loaded = load_yaml_text(TEXT, "t.yaml")
    assert loaded.data == {
        "help_center": "acme",
        "collections": [
            {
                "name": "Getting started",
                "translated_content": {"fr": {"name": "Premiers pas"}},
                "collections": [{"name": "Installation", "id": 42}],
            }
        ],
    }
    assert loaded.source == "t.yaml"
    assert loaded.problems == ()


def test_positions_of_values_and_keys_are_one_based() -> None:
    loaded = load_yaml_text(TEXT, "t.yaml")
    assert loaded.positions[()] == (1, 1)
    assert loaded.positions[("help_center",)] == (1, 14)
    assert loaded.key_positions[("help_center",)] == (1, 1)
    # A list item's position is where its mapping starts: the first key after "- ".
    assert loaded.positions[("collections", 0)] == (3, 5)
    assert loaded.positions[("collections", 0, "collections", 0)] == (7, 9)
    assert loaded.key_positions[("collections", 0, "collections", 0, "id")] == (8, 9)
    assert loaded.positions[("collections", 0, "collections", 0, "id")] == (8, 13)
    fr = ("collections", 0, "translated_content", "fr")
    assert loaded.key_positions[fr] == (5, 7)
    assert loaded.positions[fr] == (5, 11)
    fr_name = (*fr, "name")
    assert loaded.positions[fr_name] == (5, 18)


def test_where_prefers_keys_and_falls_back_to_the_nearest_ancestor() -> None:
    loaded = load_yaml_text(TEXT, "t.yaml")
    entry = ("collections", 0, "collections", 0)
    assert loaded.where((*entry, "name")) == (7, 9)  # the key, where a user looks
    assert loaded.where(entry) == (7, 9)  # a list item: its value
    assert loaded.where((*entry, "description")) == (7, 9)  # missing: its mapping
    assert loaded.start(("collections",)) == (3, 3)


def test_tree_path_reads_like_the_file() -> None:
    assert tree_path(()) == ""
    assert tree_path(("collections", 0, "collections", 2, "name")) == (
        "collections[0].collections[2].name"
    )
    assert tree_path(("help_center",)) == "help_center"


def test_duplicate_keys_raise_by_default_at_the_second_occurrence() -> None:
    text = "collections: []\nhelp_center: a\nhelp_center: b\n"
    with pytest.raises(ConfigError) as caught:
        load_yaml_text(text, "d.yaml")
    assert _messages(caught) == [
        "d.yaml:3:1: help_center: duplicate key 'help_center' (first at line 2); remove one of them"
    ]


def test_keep_going_returns_recoverable_problems_and_keeps_the_first_value() -> None:
    text = "collections: []\nhelp_center: a\nhelp_center: b\n"
    loaded = load_yaml_text(text, "d.yaml", keep_going=True)
    assert loaded.data["help_center"] == "a"
    assert [p.line for p in loaded.problems] == [3]


def test_aliases_are_refused_even_without_an_anchor_problem_first() -> None:
    # The classic billion-laughs shape: refused at the first anchor, before any expansion.
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    with pytest.raises(ConfigError) as caught:
        load_yaml_text(bomb, "bomb.yaml")
    assert _messages(caught) == [
        "bomb.yaml:1:4: YAML anchors (&a) are not allowed; write each value out in full"
    ]


def test_undefined_alias_is_refused_as_an_alias() -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text("collections: *nowhere\n", "a.yaml")
    assert _messages(caught) == [
        "a.yaml:1:14: YAML aliases (*nowhere) are not allowed; write the value out in full"
    ]


def test_merge_keys_are_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text("collections: []\n<<: {help_center: a}\n", "m.yaml")
    assert _messages(caught) == [
        "m.yaml:2:1: YAML merge keys (<<) are not allowed; write each key out in full"
    ]


def test_non_string_keys_are_problems() -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text("collections: []\n? [a, b]\n: c\n", "k.yaml")
    assert _messages(caught) == ["k.yaml:2:3: a key must be plain text, not a list"]


def test_a_mapping_key_is_refused_once_whatever_is_wrong_inside_it() -> None:
    # The duplicate inside the key has no path in the tree; it used to crash the loader.
    text = "collections: []\n? {a: 1, a: 2, [x]: 3}\n: c\n"
    with pytest.raises(ConfigError) as caught:
        load_yaml_text(text, "k.yaml")
    assert _messages(caught) == ["k.yaml:2:3: a key must be plain text, not a mapping"]


def test_control_characters_are_refused_with_their_position() -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text("collections: []\nhelp_center: a\x07\n", "c.yaml")
    assert _messages(caught) == [
        "c.yaml:2:15: YAML files cannot contain the control character U+0007; remove it"
    ]


def test_more_than_one_document_is_a_syntax_error() -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text("collections: []\n---\ncollections: []\n", "two.yaml")
    assert _messages(caught) == [
        "two.yaml:2:1: the file holds more than one YAML document (a second '---'); keep only one"
    ]


def test_absurd_nesting_is_refused_not_a_traceback() -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text("collections: " + "[" * 1000, "deep.yaml")
    assert _messages(caught) == [
        "deep.yaml:1:1: the file nests too deeply to be a collections tree"
    ]


def test_a_single_scalar_document_is_not_a_mapping() -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text("just text\n", "s.yaml")
    assert _messages(caught) == [
        "s.yaml:1:1: the top level must be a mapping with keys like 'collections:', "
        "not a single value ('just text')"
    ]


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    # Not even valid YAML past the limit: the refusal must come before any parsing.
    path.write_bytes(b"collections: []\n" + b"#" * MAX_BYTES + b"\n: [")
    with pytest.raises(ConfigError) as caught:
        load_yaml(str(path))
    assert _messages(caught) == [
        f"{path}:1:1: the file is over 16 MiB; hcsync refuses config files that large"
    ]


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    head = b"collections: []\n"
    path.write_bytes(head + b"#" * (MAX_BYTES - len(head) - 1) + b"\n")
    assert path.stat().st_size == MAX_BYTES
    assert load_yaml(str(path)).data == {"collections": []}


def test_non_utf8_is_refused_with_the_position_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"collections:\n  - name: Caf" + b"\xe9\n")
    with pytest.raises(ConfigError) as caught:
        load_yaml(str(path))
    assert _messages(caught) == [
        f"{path}:2:14: the file is not UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_utf8_text_and_a_byte_order_mark_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "collections:\n  - name: Café\n".encode())
    loaded = load_yaml(str(path))
    assert isinstance(loaded, Loaded)
    assert loaded.data == {"collections": [{"name": "Café"}]}


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        load_yaml(str(path))
    assert _messages(caught) == [f"{path}:1:1: cannot read the file: No such file or directory"]


def test_kind_of_names_values_as_a_yaml_author_would() -> None:
    assert kind_of(None) == "empty (null)"
    assert kind_of(True) == "true/false (a boolean)"
    assert kind_of(3) == "an integer"
    assert kind_of([]) == "a list"
    assert kind_of({}) == "a mapping"


# ------------------------------------------------- scalars: YAML 1.2 numbers, no surprises


@pytest.mark.parametrize(
    ("written", "read"),
    [
        # Only plain decimal digits are numbers: YAML 1.1's other forms would silently pin
        # another id (0123 -> 83, 1:30 -> 90, 0x1F -> 31, 007 -> 7).
        ("0123", "0123"),
        ("007", "007"),
        ("1:30", "1:30"),
        ("190:20:30", "190:20:30"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("0b101", "0b101"),
        ("1_000", "1_000"),
        ("=", "="),
        ("42", 42),
        ("-7", -7),
        ("+12", 12),
        ("0", 0),
        ("1.5", 1.5),
        ("1e3", "1e3"),  # as in YAML 1.1: no dot, not a number
        ("1.5e3", 1500.0),
        # Kept, so the schema can say "put the value in quotes" rather than take them as text.
        ("yes", True),
        ("off", False),
        ("~", None),
        ("2024-01-01", datetime.date(2024, 1, 1)),
    ],
)
def test_plain_scalars_resolve_without_yaml_1_1_number_forms(written: str, read: object) -> None:
    loaded = load_yaml_text(f"collections: []\nvalue: {written}\n", "s.yaml")
    assert loaded.data["value"] == read
    assert type(loaded.data["value"]) is type(read)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name: !!float "x"', "s.yaml:1:7: YAML tags (!!float) are not allowed"),
        ('name: !!timestamp "nope"', "s.yaml:1:7: YAML tags (!!timestamp) are not allowed"),
        ('id: !!int "abc"', "s.yaml:1:5: YAML tags (!!int) are not allowed"),
        ("id: !!str 12", "s.yaml:1:5: YAML tags (!!str) are not allowed"),
        ("name: !local x", "s.yaml:1:7: YAML tags (!local) are not allowed"),
        ("id: " + "9" * 5000, "s.yaml:1:5: '999"),
        ("name: 2024-13-45", "s.yaml:1:7: YAML reads '2024-13-45' as a date, but it is not one"),
    ],
)
def test_tags_and_unbuildable_values_are_problems_not_tracebacks(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_text(text + "\n", "s.yaml")
    (only,) = _messages(caught)
    assert only.startswith(message)
    assert "put it in quotes" in only or "in quotes if it is text" in only


def test_a_lone_surrogate_escape_is_refused_where_it_is() -> None:
    # "\ud800" is a valid YAML escape that builds a string no UTF-8 file or request can hold.
    for text in ('collections: []\nname: "A\\ud800"\n', 'collections: []\n"k\\udfff": x\n'):
        with pytest.raises(ConfigError) as caught:
            load_yaml_text(text, "u.yaml")
        (only,) = _messages(caught)
        assert only.startswith("u.yaml:2:")
        assert "a lone UTF-16 surrogate" in only


def test_an_escaped_character_outside_the_bmp_is_fine() -> None:
    assert load_yaml_text('name: "\\U0001F600"\n', "u.yaml").data == {"name": "\U0001f600"}
