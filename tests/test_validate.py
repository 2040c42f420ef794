"""The front half end to end: every bad fixture's exact messages, and a good file's Config.

Each file under tests/fixtures/bad/ is named after what it breaks; EXPECTED pins the exact
``file:line:column: path: message`` lines it must produce, so line numbers cannot drift.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest
from support import invalid_examples, undocumented
from yaml_readers import READERS, use

from hcsync.config import Config, Translation, load_config, load_config_text
from hcsync.errors import ConfigError
from hcsync.loader import load_yaml
from hcsync.locales import LOCALES
from hcsync.schema import (
    DESCRIPTION_REFUSES,
    MODELINE,
    NAME_REFUSES,
    SCHEMA_URL,
    load_schema,
    schema_path,
)

REPO = Path(__file__).resolve().parent.parent
BAD = REPO / "tests" / "fixtures" / "bad"
GOOD = REPO / "tests" / "fixtures" / "good"

# "{f}" stands for the fixture's path as given, "{locales}" for the list of known locales.
EXPECTED: dict[str, list[str]] = {
    "alias": [
        "{f}:2:5: YAML anchors (&first) are not allowed; write each value out in full",
    ],
    "bad-default-locale": [
        "{f}:1:1: default_locale: 'english' is not a locale Intercom knows; use one of: {locales}",
    ],
    "bad-ignore-pattern": [
        (
            "{f}:4:5: ignore[0]: path 'Internal //Drafts' has an empty level;"
            " write names (or *) between the slashes, like 'Internal / *'"
        ),
        (
            "{f}:5:5: ignore[1]: an empty entry matches nothing;"
            " remove it or write a name, an id or a path"
        ),
        (
            "{f}:7:5: protect[0]: an empty entry matches nothing;"
            " remove it or write a name, an id or a path"
        ),
    ],
    "bad-id": [
        "{f}:3:5: collections[0].id: 'abc123' is not an Intercom id; an id is a string of digits",
    ],
    "case-only-sibling": [
        (
            "{f}:3:5: collections[1].name: "
            "name 'billing' differs only in case from 'Billing' at the top level (line 2); "
            "rename one of them"
        ),
    ],
    "collections-null": [
        "{f}:1:1: collections: must be a list, not empty (null); list entries under it or write []",
    ],
    "comments-only": [
        "{f}:1:1: the file is empty; it needs at least a 'collections:' list",
    ],
    "default-locale-in-translations": [
        (
            "{f}:5:7: collections[0].translated_content.en: 'en' is the default locale; "
            "put its text in name/description instead of translated_content"
        ),
    ],
    "depth-over-three": [
        (
            "{f}:8:17: collections[0].collections[0].collections[0].collections[0]: "
            "collections nest at most three levels deep; move 'Level four' up a level"
        ),
    ],
    "duplicate-id-pin": [
        (
            "{f}:7:9: collections[1].collections[0].id: "
            "id '6871119' is already pinned by 'Billing' (line 3); pin each live collection once"
        ),
    ],
    "duplicate-key": [
        "{f}:4:5: collections[0].name: duplicate key 'name' (first at line 2); remove one of them",
    ],
    "duplicate-sibling": [
        (
            "{f}:7:9: collections[0].collections[1].name: "
            "duplicate name 'Installation' under 'Getting started' (first at line 5); "
            "rename one of them"
        ),
    ],
    "empty-file": [
        "{f}:1:1: the file is empty; it needs at least a 'collections:' list",
    ],
    "empty-name": [
        "{f}:2:5: collections[0].name: must not be empty",
    ],
    "ignored-and-managed": [
        (
            "{f}:2:5: collections[0].name: 'Internal' is both listed in ignore:"
            " (line 10: 'Internal') and managed here; remove one"
        ),
        (
            "{f}:7:9: collections[1].collections[0].name: 'Drafts 2024' is both listed in"
            " ignore: (line 11: 'Help / Drafts*') and managed here; remove one"
        ),
    ],
    "ignored-and-pinned": [
        (
            "{f}:3:5: collections[0].id: 'Billing' is both listed in ignore:"
            " (line 5: '6871119') and managed here; remove one"
        ),
    ],
    "missing-collections": [
        "{f}:1:1: missing required key 'collections'",
    ],
    "missing-name": [
        "{f}:3:5: collections[1]: missing required key 'name'",
    ],
    "name-too-long": [
        "{f}:2:5: collections[0].name: is 256 characters long; Intercom allows at most 255",
    ],
    "name-with-surrounding-space": [
        "{f}:2:5: collections[0].name: ' Billing' starts or ends with whitespace; remove it",
    ],
    "non-string-key": [
        (
            "{f}:3:5: collections[0]: key '1' is not text: YAML reads it as an integer; "
            "put it in quotes"
        ),
    ],
    "not-a-mapping": [
        "{f}:1:1: the top level must be a mapping with keys like 'collections:', not a list",
    ],
    "previously-collides-with-sibling": [
        (
            "{f}:3:18: collections[0].previously[0]: "
            "'Payments' is the current name of a sibling (line 4); "
            "drop it from previously or rename the sibling"
        ),
    ],
    "previously-shared-by-siblings": [
        (
            "{f}:6:9: collections[1].previously[0]: "
            "'Payments' is also a previous name of sibling 'Billing' (line 3); "
            "only one of them can have been called that"
        ),
    ],
    "several-problems": [
        "{f}:3:1: colections: unknown key 'colections' (did you mean 'collections'?)",
        (
            "{f}:7:5: collections[0].description: duplicate key 'description' (first at line 6); "
            "remove one of them"
        ),
        (
            "{f}:9:7: collections[0].translated_content.xx: 'xx' is not a locale Intercom knows; "
            "use one of: {locales}"
        ),
        "{f}:10:5: collections[1]: missing required key 'name'",
        (
            "{f}:10:5: collections[1].descripton: "
            "unknown key 'descripton' (did you mean 'description'?)"
        ),
        "{f}:11:5: collections[2].name: must be a string, not an integer; put the value in quotes",
    ],
    # Schema and semantic problems in one run: the entry whose name the schema refused is
    # left out of the name checks but its pin still counts; its siblings are all checked.
    "schema-and-semantic-problems": [
        (
            "{f}:3:5: collections[0].descripton: unknown key 'descripton'"
            " (did you mean 'description'?)"
        ),
        (
            "{f}:6:9: collections[0].collections[1].name: duplicate name 'Installation' under"
            " 'Getting started' (first at line 5); rename one of them"
        ),
        "{f}:7:5: collections[1].name: must be a string, not an integer; put the value in quotes",
        (
            "{f}:10:5: collections[2].id: id '7' is already pinned by collections[1] (line 8);"
            " pin each live collection once"
        ),
        (
            "{f}:11:18: collections[2].previously[0]: 'Getting started' is the current name of a"
            " sibling (line 2); drop it from previously or rename the sibling"
        ),
        (
            "{f}:11:35: collections[2].previously[1]: ' Payments' starts or ends with whitespace;"
            " remove it"
        ),
        (
            "{f}:13:7: collections[2].translated_content.en: 'en' is the default locale; "
            "put its text in name/description instead of translated_content"
        ),
        "{f}:15:5: collections[3].id: '007' is not an Intercom id; Intercom ids never start with 0",
        (
            "{f}:17:5: collections[4].id: id '7' is already pinned by collections[1] (line 8);"
            " pin each live collection once"
        ),
    ],
    "several-semantic-problems": [
        (
            "{f}:6:7: collections[0].translated_content.fr: 'fr' is the default locale; "
            "put its text in name/description instead of translated_content"
        ),
        (
            "{f}:7:5: collections[1].name: "
            "duplicate name 'Billing' at the top level (first at line 3); rename one of them"
        ),
        (
            "{f}:8:5: collections[1].id: id '12' is already pinned by 'Billing' (line 4); "
            "pin each live collection once"
        ),
        (
            "{f}:9:18: collections[1].previously[0]: 'Billing' is this collection's current name; "
            "remove it here"
        ),
    ],
    "translation-missing-name": [
        "{f}:4:7: collections[0].translated_content.fr: missing required key 'name'",
    ],
    "unknown-key": [
        (
            "{f}:3:5: collections[0].descripton: "
            "unknown key 'descripton' (did you mean 'description'?)"
        ),
    ],
    "unknown-locale": [
        (
            "{f}:5:7: collections[0].translated_content.pt_BR: "
            "'pt_BR' is not a locale Intercom knows (did you mean 'pt-BR'?); use one of: {locales}"
        ),
    ],
    "leading-zero-id": [
        # Unquoted, YAML 1.1 would have read 0123 as octal: id 83, silently.
        "{f}:3:5: collections[0].id: '0123' is not an Intercom id; Intercom ids never start with 0",
    ],
    "leading-zero-ignore-id": [
        (
            "{f}:4:5: ignore[0]: '0123' is not an Intercom id (Intercom ids never start with 0)"
            " and matches nothing; write the id exactly as Intercom shows it"
        ),
        (
            "{f}:6:5: protect[0]: '007' is not an Intercom id (Intercom ids never start with 0)"
            " and matches nothing; write the id exactly as Intercom shows it"
        ),
    ],
    "unquoted-date-name": [
        "{f}:2:5: collections[0].name: must be a string, not a date; put the value in quotes",
    ],
    "unquoted-boolean-name": [
        (
            "{f}:2:5: collections[0].name: must be a string, not true/false (a boolean); "
            "put the value in quotes"
        ),
    ],
    "wrong-type-name": [
        "{f}:2:5: collections[0].name: must be a string, not a list",
    ],
    # Keys are shown escaped: no printed line can begin with text from the file, and a
    # line starting "::error::" would be a GitHub workflow command.
    "key-with-workflow-command": [
        (
            "{f}:4:5: collections[0].x\\n::error::injected: unknown key 'x\\n::error::injected';"
            " allowed keys: collections, description, id, name, previously, translated_content"
        ),
    ],
    "key-with-terminal-escape": [
        (
            "{f}:4:5: collections[0].\\u001b[2J\\u001b]0;pwned\\u0007\\u202ex: unknown key"
            " '\\x1b[2J\\x1b]0;pwned\\x07\\u202ex'; allowed keys: collections, description, id,"
            " name, previously, translated_content"
        ),
    ],
    "name-with-bidi-override": [
        (
            "{f}:2:5: collections[0].name: names may not contain control characters or"
            " bidirectional overrides (U+202E at position 10); remove it"
        ),
        (
            "{f}:4:12: collections[0].translated_content.fr.name: names may not contain control"
            " characters or bidirectional overrides (U+2066 at position 10); remove it"
        ),
        (
            "{f}:5:18: collections[0].previously[0]: names may not contain control characters or"
            " bidirectional overrides (U+202A at position 5); remove it"
        ),
    ],
    "name-with-control-character": [
        (
            "{f}:2:5: collections[0].name: names may not contain control characters or"
            " bidirectional overrides (U+0007 at position 5); remove it"
        ),
        (
            "{f}:3:18: collections[0].previously[0]: names may not contain control characters or"
            " bidirectional overrides (U+0000 at position 4); remove it"
        ),
        (
            "{f}:5:12: collections[0].translated_content.fr.name: names may not contain control"
            " characters or bidirectional overrides (U+0009 at position 4); remove it"
        ),
        (
            "{f}:6:5: collections[1].name: names may not contain control characters or"
            " bidirectional overrides (U+007F at position 7); remove it"
        ),
        (
            "{f}:7:5: collections[2].name: names may not contain control characters or"
            " bidirectional overrides (U+009B at position 4); remove it"
        ),
    ],
    "description-with-escape": [
        (
            "{f}:3:5: collections[0].description: descriptions may not contain control"
            " characters (newlines and tabs are fine) or bidirectional overrides"
            " (U+001B at position 5); remove it"
        ),
        (
            "{f}:5:31: collections[0].translated_content.fr.description: descriptions may not"
            " contain control characters (newlines and tabs are fine) or bidirectional"
            " overrides (U+0085 at position 6); remove it"
        ),
        (
            "{f}:7:5: collections[1].description: descriptions may not contain control"
            " characters (newlines and tabs are fine) or bidirectional overrides"
            " (U+000D at position 9); remove it"
        ),
        (
            "{f}:9:5: collections[2].description: descriptions may not contain control"
            " characters (newlines and tabs are fine) or bidirectional overrides"
            " (U+202E at position 8); remove it"
        ),
    ],
    # YAML reads 5001.0 as a number; JSON Schema alone would take it for the integer 5001.
    "id-not-a-whole-number": [
        (
            "{f}:3:5: collections[0].id: 5001.0 is not an Intercom id; an id must be a whole"
            " number of digits, like 5001"
        ),
    ],
    "yaml-syntax-error": [
        (
            "{f}:4:1: YAML syntax error: "
            "while scanning a quoted scalar (line 3), found unexpected end of stream"
        ),
    ],
}


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Messages carry the path as given; run from the repo root so it reads as a user's would.
    monkeypatch.chdir(REPO)


def _problems(relative: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(relative)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture(params=READERS)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with each YAML reader (libyaml's, the pure-Python one)."""
    use(request.param, monkeypatch)
    return str(request.param)


@pytest.mark.usefixtures("reader")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_reports_exactly(name: str) -> None:
    relative = f"tests/fixtures/bad/{name}.yaml"
    expected = [line.format(f=relative, locales=", ".join(LOCALES)) for line in EXPECTED[name]]
    assert _problems(relative) == expected


def test_every_bad_fixture_has_expectations() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


def test_several_problems_are_reported_at_once_in_file_order() -> None:
    relative = "tests/fixtures/bad/several-problems.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(relative)
    problems = caught.value.problems
    assert len(problems) == 6
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert str(caught.value).endswith("\n6 problems found")


def test_fixing_the_schema_problems_uncovers_no_new_semantic_ones() -> None:
    # pre-commit must not fail twice in a row: the first run already named every problem.
    relative = "tests/fixtures/bad/schema-and-semantic-problems.yaml"
    text = (REPO / relative).read_text(encoding="utf-8")
    fixed = (
        text.replace("descripton:", "description:")
        .replace("name: 42", 'name: "42"')
        .replace('" Payments"', "Payments")
        .replace('"007"', '"8"')
    )
    assert fixed.count("\n") == text.count("\n")  # same lines, so the same positions
    with pytest.raises(ConfigError) as caught:
        load_config(relative)
    before = {(p.line, p.column, p.path) for p in caught.value.problems}
    with pytest.raises(ConfigError) as caught:
        load_config_text(fixed, relative)
    after = {(p.line, p.column, p.path) for p in caught.value.problems}
    # Only the four schema problems went; every semantic one was already reported.
    assert after < before
    assert len(before - after) == 4
    assert len(after) == 5


def test_semantic_checks_survive_any_shape_the_schema_refuses() -> None:
    # Every check reads only what the schema accepted: wrong shapes anywhere are reported
    # by the schema alone, never as a traceback.
    text = (
        "default_locale: 7\n"
        "protect: {a: 1}\n"
        "ignore: [[x], '0123', Billing]\n"
        "collections:\n"
        "  - name: Billing\n"
        "    previously: Payments\n"
        "    translated_content: [fr]\n"
        "    id: [1]\n"
        "    collections: {name: x}\n"
        "  - [not, a, mapping]\n"
        "  - name: Billing\n"
        "    collections:\n"
        "      - {collections: [{name: A}, {name: A}]}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "inline.yaml")
    messages = [str(p) for p in caught.value.problems]
    # The ignore pattern still matches the entry; the duplicate top-level name is reported.
    assert any("'Billing' is both listed in ignore:" in m for m in messages)
    assert any("duplicate name 'Billing' at the top level" in m for m in messages)
    # Below an entry with no name nothing is checked: its children await the fix.
    assert not any("duplicate name 'A'" in m for m in messages)


def test_full_good_file_covers_every_feature() -> None:
    config = load_config("tests/fixtures/good/full.yaml")
    assert config.source == "tests/fixtures/good/full.yaml"
    assert config.help_center == "acme"
    assert config.default_locale == "en"
    assert [c.name for c in config.collections] == ["Getting started", "Billing", "Accounts"]

    started, billing, accounts = config.collections
    assert started.description == "First steps with Acme"
    assert dict(started.translations) == {
        "fr": Translation("Premiers pas", "Les premiers pas"),
        "de": Translation("Erste Schritte", None),
        "pt-BR": Translation("Primeiros passos", ""),
    }
    assert (started.path, started.line, started.column) == ("collections[0]", 8, 5)
    assert started.id is None
    assert started.previously == ()

    installation, quoted_yes = started.children
    assert (installation.path, installation.line, installation.column) == (
        "collections[0].collections[0]",
        17,
        9,
    )
    assert installation.description is None
    assert dict(installation.translations) == {}
    (linux,) = installation.children
    assert linux.path == "collections[0].collections[0].collections[0]"
    assert (linux.name, linux.description, linux.line, linux.column) == ("On Linux", "", 19, 13)
    assert linux.children == ()
    assert quoted_yes.name == "yes"

    assert billing.id == "6871119"
    assert billing.previously == ("Payments", "Invoices")
    assert accounts.id == "42"  # an unquoted id is read as a number and kept as a string

    walked = [c.name for c in config.walk()]
    assert walked == [
        "Getting started",
        "Installation",
        "On Linux",
        "yes",
        "Billing",
        "Accounts",
    ]


def test_config_is_immutable() -> None:
    config = load_config("tests/fixtures/good/full.yaml")
    with pytest.raises(TypeError):
        config.collections[0].translations["it"] = Translation("x")  # type: ignore[index]


def test_minimal_file_uses_defaults() -> None:
    config = load_config("tests/fixtures/good/minimal.yaml")
    assert config == Config(
        source="tests/fixtures/good/minimal.yaml",
        help_center=None,
        default_locale="en",
        collections=config.collections,
        # The digest is of the file's bytes exactly as read.
        digest=hashlib.sha256((REPO / "tests/fixtures/good/minimal.yaml").read_bytes()).hexdigest(),
    )
    (only,) = config.collections
    assert (only.name, only.description, only.id, only.previously) == (
        "Getting started",
        None,
        None,
        (),
    )


def test_numeric_help_center_becomes_a_string() -> None:
    assert load_config("tests/fixtures/good/numeric-help-center.yaml").help_center == "12345"


@pytest.mark.usefixtures("reader")
def test_every_good_fixture_loads() -> None:
    for path in GOOD.glob("*.yaml"):
        assert isinstance(load_config(str(path)), Config)


def test_default_locale_is_allowed_in_translations_when_another_is_default() -> None:
    text = "default_locale: fr\ncollections:\n  - name: Facturation\n"
    text += "    translated_content:\n      en: {name: Billing}\n"
    config = load_config_text(text, "inline.yaml")
    assert config.default_locale == "fr"
    assert dict(config.collections[0].translations) == {"en": Translation("Billing")}


def test_same_name_under_different_parents_is_fine() -> None:
    text = (
        "collections:\n"
        "  - name: A\n    collections: [{name: FAQ}]\n"
        "  - name: B\n    collections: [{name: FAQ}]\n"
    )
    assert len(load_config_text(text, "inline.yaml").walk()) == 4


def test_rename_listing_a_case_variant_of_its_own_name_is_fine() -> None:
    text = "collections:\n  - name: Billing\n    previously: [billing]\n"
    assert load_config_text(text, "inline.yaml").collections[0].previously == ("billing",)


def test_schema_locales_are_the_known_locales() -> None:
    schema = load_schema()
    assert schema["$defs"]["locale"]["enum"] == list(LOCALES)
    translated = schema["$defs"]["collection"]["properties"]["translated_content"]
    assert translated["propertyNames"] == {"$ref": "#/$defs/locale"}
    assert schema["properties"]["default_locale"]["$ref"] == "#/$defs/locale"


def test_schema_is_a_valid_2020_12_schema_with_id_and_title() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]
    assert schema["title"]


def test_every_schema_property_and_def_has_a_title_description_and_examples() -> None:
    # Editors show these on hover and in completion; SchemaStore expects them.
    schema = load_schema()
    missing, _ = undocumented(schema)
    assert missing == []
    assert len(schema["properties"]) == 10 and len(schema["$defs"]) == 6  # all were visited


def test_every_schema_example_is_valid() -> None:
    assert invalid_examples(load_schema()) == []


def test_the_schema_id_is_its_stable_url_and_the_modeline_points_at_it() -> None:
    schema = load_schema()
    assert schema["$id"] == SCHEMA_URL
    assert SCHEMA_URL.startswith("https://raw.githubusercontent.com/hcsync/hcsync/main/")
    assert SCHEMA_URL.endswith("/schemas/collections.schema.json")
    assert f"# yaml-language-server: $schema={schema['$id']}" == MODELINE


def test_the_example_file_starts_with_the_modeline_and_is_valid() -> None:
    example = REPO / "examples" / "collections.yaml"
    first = example.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    url = first.split("$schema=", 1)[1]
    assert url == load_schema()["$id"]
    # The loader reads the modeline as the comment it is; the schema and checks accept the file.
    config = load_config(str(example.relative_to(REPO)))
    assert config.collections
    loaded = load_yaml(str(example))
    jsonschema.Draft202012Validator(load_schema()).validate(loaded.data)


def test_the_refused_characters_are_the_schemas() -> None:
    # The schema's patterns decide; schema.py's sets only name the character in the message.
    defs = load_schema()["$defs"]
    for code in [*range(0x3000), 0xFEFF, 0xFFFC]:
        ch = chr(code)
        name_ok = re.search(defs["name"]["pattern"], f"a{ch}b") is not None
        description_ok = re.search(defs["description"]["pattern"], f"a{ch}b") is not None
        assert name_ok == (NAME_REFUSES.search(ch) is None), hex(code)
        assert description_ok == (DESCRIPTION_REFUSES.search(ch) is None), hex(code)
    assert not NAME_REFUSES.search("\u200e\u200f")  # LRM and RLM mark, they do not override
    assert NAME_REFUSES.findall("\n\t") == ["\n", "\t"]
    assert not DESCRIPTION_REFUSES.search("\n\t")


def test_a_name_ending_in_a_line_break_is_refused() -> None:
    # YAML keeps the line break of "Billing\n"; a pattern ending in $ alone would let it pass.
    with pytest.raises(ConfigError) as caught:
        load_config_text('collections:\n  - name: "Billing\\n"\n', "inline.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "inline.yaml:2:5: collections[0].name: 'Billing\\n' must be on one line"
    ]


def test_schema_file_is_found_and_is_the_repo_copy_in_a_checkout() -> None:
    found = schema_path()
    assert found.is_file()
    on_disk = json.loads((REPO / "schemas" / "collections.schema.json").read_text())
    assert json.loads(found.read_text(encoding="utf-8")) == on_disk


def test_null_and_empty_descriptions_mean_no_description() -> None:
    config = load_config("tests/fixtures/good/null-descriptions.yaml")
    billing, accounts = config.collections
    assert billing.description is None
    assert accounts.description is None
    assert dict(billing.translations) == {"fr": Translation("Facturation", None)}


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("0123", "0123"),  # YAML 1.1: octal 83
        ("007", "007"),  # YAML 1.1: 7
        ("1:30", "1:30"),  # YAML 1.1: base 60, 90
        ("0x1F", "0x1F"),  # YAML 1.1: 31
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("12345", "12345"),
    ],
)
def test_help_center_keeps_number_like_text_as_written(written: str, read: str) -> None:
    config = load_config_text(f"help_center: {written}\ncollections: []\n", "inline.yaml")
    assert config.help_center == read


def test_id_in_yaml_1_1_base_60_is_not_an_id() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text("collections:\n  - name: A\n    id: 1:30\n", "inline.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "inline.yaml:3:5: collections[0].id: '1:30' is not an Intercom id;"
        " an id is a string of digits"
    ]


def test_unquoted_date_and_time_also_gets_the_quotes_hint() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text("collections:\n  - name: 2024-01-01 10:00:00\n", "inline.yaml")
    assert str(caught.value.problems[0]).endswith(
        "must be a string, not a date and time; put the value in quotes"
    )
