"""Article files: a folder of Markdown files with YAML front matter, read into values.

Each folder under tests/fixtures/articles/ is named after what it breaks; EXPECTED pins the
exact ``file:line:column: path: message`` lines it must produce, every problem of every file
in one run. Every test runs with both YAML readers (libyaml's, the pure-Python one).
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import invalid_examples, undocumented
from yaml_readers import READERS, use

from hcsync.article_files import (
    Article,
    Articles,
    ArticleTranslation,
    load_articles,
    show_collection,
)
from hcsync.article_files.one_file import _not_a_mapping, _read_not_a_mapping
from hcsync.errors import ConfigError
from hcsync.locales import LOCALES
from hcsync.schema import jsonschema_validator, quick_check, read_schema, schema_file

REPO = Path(__file__).resolve().parent.parent
ARTICLES = "tests/fixtures/articles"
SCHEMA = "article.schema.json"
TRANSLATION = "article.schema.json#/$defs/translation"
BELONGS = (
    "belongs in guide.md, the article's default-locale file; a translation has only title,"
    " description, state and author"
)
NO_FRONT_MATTER = (
    "the file does not start with front matter; its first line must be '---', then title:,"
    " collection: and state:, then another '---' line before the body"
)

# "{f}" stands for the fixture folder's path as given, "{locales}" for the known locales.
EXPECTED: dict[str, list[str]] = {
    "article-keys-in-translation": [
        f"{{f}}/guide.fr.md:4:1: collection: 'collection' {BELONGS}",
        f"{{f}}/guide.fr.md:5:1: id: 'id' {BELONGS}",
        f"{{f}}/guide.fr.md:6:1: previously: 'previously' {BELONGS}",
        f"{{f}}/guide.fr.md:7:1: format: 'format' {BELONGS}",
        f"{{f}}/guide.fr.md:8:1: images_base_url: 'images_base_url' {BELONGS}",
        "{f}/guide.fr.md:9:1: auteur: unknown key 'auteur' (did you mean 'author'?)",
    ],
    "bad-author": [
        (
            "{f}/guide.md:5:1: author: 'Jane Doe' is neither an email nor an id; write an"
            " admin's email (jane@example.com) or id (991267)"
        ),
    ],
    "bad-collection": [
        (
            "{f}/deep.md:3:1: collection: path 'A / B / C / D' has 4 levels; collections nest"
            " at most 3 levels deep"
        ),
        (
            "{f}/empty-level.md:3:1: collection: path 'Getting started //Install' has an empty"
            " level; write a collection name between the slashes, like 'Getting started /"
            " Install'"
        ),
        (
            "{f}/leading-zero-id.md:3:1: collection: '0123' is not an Intercom id; Intercom ids"
            " never start with 0"
        ),
    ],
    "bad-id": [
        "{f}/guide.md:5:1: id: 'abc' is not an Intercom id; an id is a string of digits",
    ],
    "bad-images-base-url": [
        (
            "{f}/guide.md:5:1: images_base_url: 'images/' is not an absolute http(s) URL; write"
            " where the images are published, like https://example.com/help/images/"
        ),
    ],
    "duplicate-id-pin": [
        (
            "{f}/sub/b.md:5:1: id: id '8120342' is already pinned by {f}/a.md:5;"
            " pin each live article once"
        ),
    ],
    "duplicate-key": [
        "{f}/guide.md:4:1: title: duplicate key 'title' (first at line 2); remove one of them",
    ],
    # b.md writes the same path without spaces; pinned.md has a pin and other.md another
    # collection, so neither clashes.
    "duplicate-title-in-collection": [
        (
            "{f}/b.md:2:1: title: duplicate title 'Install' in collection 'Getting started /"
            " Install' (also {f}/a.md:2); rename one of them, or pin each to its live article"
            " with id:"
        ),
        (
            "{f}/c.md:2:1: title: title 'install' differs only in case from 'Install'"
            " ({f}/a.md:2) in collection 'Getting started / Install'; rename one of them, or pin"
            " each to its live article with id:"
        ),
    ],
    "empty-front-matter": [
        (
            "{f}/guide.md:2:1: the front matter is empty; it needs at least title:, collection:"
            " and state:"
        ),
    ],
    "front-matter-a-single-value": [
        (
            "{f}/guide.md:2:1: the front matter must be a mapping of keys like 'title:', not a"
            " single value ('Guide')"
        ),
    ],
    "front-matter-not-a-mapping": [
        "{f}/guide.md:2:1: the front matter must be a mapping of keys like 'title:', not a list",
    ],
    "missing-front-matter": [
        f"{{f}}/guide.md:1:1: {NO_FRONT_MATTER}",
    ],
    "missing-state": [
        "{f}/guide.md:2:1: missing required key 'state'",
    ],
    "misspelt-state": [
        (
            "{f}/guide.md:4:1: state: must be 'published' or 'draft', not 'publish'"
            " (did you mean 'published'?)"
        ),
    ],
    "previously-another-title": [
        (
            "{f}/b.md:5:14: previously[0]: 'Setup' is the current title of {f}/a.md:2 in"
            " collection 'Guides'; drop it from previously or rename that article"
        ),
    ],
    "previously-own-title": [
        (
            "{f}/guide.md:5:25: previously[1]: 'Guide' is this article's current title;"
            " remove it here"
        ),
    ],
    "several-problems": [
        f"{{f}}/guide.fr.md:4:1: id: 'id' {BELONGS}",
        "{f}/guide.md:2:1: missing required key 'title'",
        "{f}/guide.md:2:1: titel: unknown key 'titel' (did you mean 'title'?)",
        (
            "{f}/guide.md:3:1: collection: path 'Guides //Install' has an empty level; write a"
            " collection name between the slashes, like 'Getting started / Install'"
        ),
        (
            "{f}/guide.md:4:1: state: must be 'published' or 'draft', not 'publish'"
            " (did you mean 'published'?)"
        ),
        f"{{f}}/nested/no-front-matter.md:1:1: {NO_FRONT_MATTER}",
        (
            "{f}/orphan.de.md:1:1: no orphan.md beside this translation; a translation needs"
            " its article's default-locale file, orphan.md, in the same folder"
        ),
        (
            "{f}/twice.md:5:1: id: id '9' is already pinned by {f}/nested/twice.md:5;"
            " pin each live article once"
        ),
    ],
    "translation-in-default-locale": [
        (
            "{f}/guide.en.md:1:1: 'en' is the default locale; its text belongs in guide.md,"
            " not in a translation"
        ),
    ],
    "translation-missing-state": [
        "{f}/guide.fr.md:2:1: missing required key 'state'",
    ],
    "translation-without-article": [
        (
            "{f}/guide.fr.md:1:1: no guide.md beside this translation; a translation needs its"
            " article's default-locale file, guide.md, in the same folder"
        ),
    ],
    "unknown-format": [
        "{f}/guide.md:5:1: format: must be 'markdown' or 'html', not 'md'",
    ],
    "unknown-key": [
        "{f}/guide.md:5:1: descripton: unknown key 'descripton' (did you mean 'description'?)",
    ],
    "unknown-locale-suffix": [
        (
            "{f}/guide.pt_BR.md:1:1: 'pt_BR' is not a locale Intercom knows (did you mean"
            " guide.pt-BR.md?); a translation is named <name>.<locale>.md with one of:"
            " {locales}; rename the file"
        ),
        (
            "{f}/guide.zh.md:1:1: 'zh' is not a locale Intercom knows (did you mean"
            " guide.zh-CN.md or guide.zh-TW.md?); a translation is named <name>.<locale>.md"
            " with one of: {locales}; rename the file"
        ),
    ],
    "unquoted-boolean-title": [
        (
            "{f}/guide.md:2:1: title: must be a string, not true/false (a boolean);"
            " put the value in quotes"
        ),
    ],
    "unterminated-front-matter": [
        (
            "{f}/guide.md:1:1: the front matter opened on line 1 is never closed; end it with"
            " a '---' line before the body"
        ),
    ],
    "yaml-alias": [
        "{f}/guide.md:2:8: YAML anchors (&t) are not allowed; write each value out in full",
    ],
    # pyyaml reaches the end of the front matter at the closing '---' line.
    "yaml-syntax-error": [
        (
            "{f}/guide.md:5:1: YAML syntax error: while scanning a quoted scalar (line 2),"
            " found unexpected end of stream"
        ),
    ],
}
VALID = ("good", "body-kept-exactly")


@pytest.fixture(autouse=True, params=READERS)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    use(request.param, monkeypatch)
    # Messages carry the path as given; run from the repo root so it reads as a user's would.
    monkeypatch.chdir(REPO)
    return str(request.param)


def _problems(folder: str, default_locale: str = "en") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_articles(folder, default_locale=default_locale)
    return [str(problem) for problem in caught.value.problems]


def _write(folder: Path, files: dict[str, bytes]) -> str:
    for name, raw in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    return str(folder)


# -- every refusal, at its exact place -----------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_folder_reports_exactly(name: str) -> None:
    folder = f"{ARTICLES}/{name}"
    expected = [line.format(f=folder, locales=", ".join(LOCALES)) for line in EXPECTED[name]]
    assert _problems(folder) == expected


def test_every_fixture_folder_has_expectations() -> None:
    folders = sorted(p.name for p in (REPO / ARTICLES).iterdir())
    assert folders == sorted([*EXPECTED, *VALID])


def test_several_problems_in_several_files_are_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        load_articles(f"{ARTICLES}/several-problems", default_locale="en")
    problems = caught.value.problems
    assert len({p.file for p in problems}) == 5
    assert str(caught.value).endswith("\n8 problems found")


def test_the_default_locale_decides_which_file_is_a_translation() -> None:
    # With French as the default, guide.fr.md is the translation in the default locale.
    folder = f"{ARTICLES}/article-keys-in-translation"
    assert _problems(folder, default_locale="fr")[0] == (
        f"{folder}/guide.fr.md:1:1: 'fr' is the default locale; its text belongs in guide.md,"
        " not in a translation"
    )


def test_a_missing_folder_is_a_problem(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    assert _problems(missing) == [
        f"{missing}:1:1: cannot read the articles folder: it does not exist"
    ]
    file = tmp_path / "file.md"
    file.write_text("x", encoding="utf-8")
    assert _problems(str(file)) == [
        f"{file}:1:1: cannot read the articles folder: it is not a folder"
    ]


def test_a_file_that_is_not_utf8_is_refused_at_the_byte(tmp_path: Path) -> None:
    folder = _write(tmp_path, {"guide.md": b"---\ntitle: Caf\xe9\n---\n"})
    assert _problems(folder) == [
        f"{folder}/guide.md:2:11: the file is not UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_an_empty_folder_has_no_articles(tmp_path: Path) -> None:
    empty = hashlib.sha256().hexdigest()
    assert load_articles(str(tmp_path), default_locale="en") == Articles(
        str(tmp_path), "en", digest=empty
    )


def test_the_digest_changes_with_any_article_file(tmp_path: Path) -> None:
    """A saved plan is made from the config and every article file: editing one body, or
    adding a translation, gives another digest."""
    page = "---\ntitle: A\ncollection: C\nstate: draft\n---\nbody\n"
    (tmp_path / "a.md").write_text(page, encoding="utf-8")
    first = load_articles(str(tmp_path), default_locale="en").digest
    (tmp_path / "a.md").write_text(page.replace("body", "body!"), encoding="utf-8")
    second = load_articles(str(tmp_path), default_locale="en").digest
    (tmp_path / "a.fr.md").write_text("---\ntitle: A\nstate: draft\n---\n", encoding="utf-8")
    third = load_articles(str(tmp_path), default_locale="en").digest
    assert len({first, second, third}) == 3


# -- a valid folder, read exactly -----------------------------------------------------------


def test_a_valid_folder_is_read_exactly() -> None:
    folder = f"{ARTICLES}/good"
    articles = load_articles(folder, default_locale="en")
    assert articles.folder == folder
    assert articles.default_locale == "en"
    # Sorted path order, folder by folder; hidden files and folders and non-.md files skipped.
    install, refunds = articles.articles
    assert install == Article(
        file=f"{folder}/getting-started/install.md",
        line=2,
        title="Install the desktop app",
        description="Download, install and sign in",
        collection=("Getting started", "Install"),
        state="published",
        author="jane@example.com",
        id=None,
        previously=("Installing the app", "Setup"),
        format="markdown",
        images_base_url="https://example.com/help/images/",
        body="\n# Install\n\n![The installer](install/screen.png)\n",
        translations=install.translations,
        body_line=10,
        positions=install.positions,
    )
    assert list(install.translations) == ["fr", "pt-BR"]
    assert install.translations["fr"] == ArticleTranslation(
        file=f"{folder}/getting-started/install.fr.md",
        line=2,
        title="Installer l'application",
        description="Télécharger, installer, se connecter",
        state="draft",
        author="991267",  # a bare number, read as the id's text
        body="# Installer\n",
        body_line=7,
        positions=install.translations["fr"].positions,
    )
    brazil = install.translations["pt-BR"]
    assert (brazil.title, brazil.description, brazil.state, brazil.author, brazil.body) == (
        "Instalar o aplicativo",
        None,
        "published",
        None,
        "Instalar\n",
    )
    assert refunds == Article(
        file=f"{folder}/refunds.md",
        line=3,  # the first key, after a comment
        title="Refunds",
        description=None,
        collection="6871119",  # a bare number: a live collection's id
        state="draft",
        author="991267",
        id="8120342",
        previously=(),
        format="html",
        images_base_url=None,
        body="<p>Refunds take five days.</p>\n",
        translations={},
        body_line=10,
        positions=refunds.positions,
    )


def test_positions_point_at_each_key_of_the_file() -> None:
    install = load_articles(f"{ARTICLES}/good", default_locale="en").articles[0]
    assert install.where("title") == (2, 1)
    assert install.where("author") == (6, 1)
    assert install.where("id") == (2, 1)  # absent: the front matter's first line
    assert install.translations["fr"].where("author") == (5, 1)


def test_values_are_immutable() -> None:
    install = load_articles(f"{ARTICLES}/good", default_locale="en").articles[0]
    with pytest.raises(AttributeError):
        install.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        install.translations["de"] = install.translations["fr"]  # type: ignore[index]


def test_show_collection() -> None:
    assert show_collection(("Getting started", "Install")) == "Getting started / Install"
    assert show_collection("42") == "id 42"


# -- the body, byte for byte ----------------------------------------------------------------


def test_the_body_is_everything_after_the_closing_line_kept_exactly() -> None:
    folder = f"{ARTICLES}/body-kept-exactly"
    raw = (REPO / folder / "notes.md").read_bytes()
    (article,) = load_articles(folder, default_locale="en").articles
    # '---' lines in the body are Markdown's, not front matter; no final line break is added.
    assert article.body.encode("utf-8") == raw.split(b"---\n", 2)[2]
    assert article.body == ("\n\nFirst  \n---\n\tindented\n\n---  \nlast line without a line break")
    assert article.body_line == 6


def test_crlf_and_a_byte_order_mark_are_read_and_the_body_kept(tmp_path: Path) -> None:
    body = b"\r\nLine one  \r\n\r\nLine two\r\n"
    folder = _write(
        tmp_path,
        {
            "guide.md": b"\xef\xbb\xbf---\r\ntitle: Guide\r\ncollection: Guides\r\n"
            b"state: draft\r\n---\r\n" + body,
            "empty.md": b"---\ntitle: Empty\ncollection: Guides\nstate: draft\n---",
        },
    )
    empty, guide = load_articles(folder, default_locale="en").articles
    assert guide.title == "Guide"
    assert guide.body.encode("utf-8") == body
    assert empty.body == ""


def test_problems_in_a_crlf_file_are_at_its_lines(tmp_path: Path) -> None:
    text = b"---\r\ntitle: Guide\r\ncollection: Guides\r\nstat: draft\r\n---\r\n"
    folder = _write(tmp_path, {"guide.md": text})
    assert _problems(folder) == [
        f"{folder}/guide.md:2:1: missing required key 'state'",
        f"{folder}/guide.md:4:1: stat: unknown key 'stat' (did you mean 'state'?)",
    ]


# -- the schema -----------------------------------------------------------------------------


def test_the_schema_ships_beside_the_config_schema() -> None:
    # pyproject's wheel force-includes the whole schemas/ folder as hcsync/schemas.
    assert schema_file(SCHEMA).is_file()
    assert read_schema(SCHEMA)["$id"].endswith("/schemas/article.schema.json")


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    schema = read_schema(SCHEMA)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"]
    # The pin and description rules are the config's, so one message fits both.
    config = read_schema("collections.schema.json")
    assert (
        schema["properties"]["id"]["pattern"]
        == (config["$defs"]["collection"]["properties"]["id"]["pattern"])
    )
    assert schema["$defs"]["description"]["pattern"] == config["$defs"]["description"]["pattern"]
    assert schema["$defs"]["title"]["pattern"] == config["$defs"]["name"]["pattern"]


def test_every_property_and_def_has_a_title_description_and_examples() -> None:
    missing, seen = undocumented(read_schema(SCHEMA))
    assert missing == []
    assert seen == 9 + 6 + 4  # the article's keys, the defs, a translation's keys


def test_every_schema_example_is_valid() -> None:
    assert invalid_examples(read_schema(SCHEMA)) == []


ARTICLE: dict[str, Any] = {"title": "T", "collection": "A / B", "state": "draft"}
VERDICTS: list[tuple[str, dict[str, Any], bool]] = [
    (SCHEMA, ARTICLE, True),
    (SCHEMA, {**ARTICLE, "id": 5, "author": 7, "previously": ["U"], "format": "html"}, True),
    (SCHEMA, {**ARTICLE, "collection": 6871119, "description": None}, True),
    (SCHEMA, {**ARTICLE, "state": "live"}, False),
    (SCHEMA, {**ARTICLE, "id": 5.0}, False),
    (SCHEMA, {**ARTICLE, "previously": ["U", "U"]}, False),
    (SCHEMA, {**ARTICLE, "title": " T"}, False),
    (SCHEMA, {"title": "T", "state": "draft"}, False),
    (TRANSLATION, {"title": "T", "state": "draft", "author": "a@b.c"}, True),
    (TRANSLATION, {"title": "T", "state": "draft", "collection": "A"}, False),
    (TRANSLATION, {"title": "T"}, False),
]


@pytest.mark.parametrize(("schema", "data", "valid"), VERDICTS)
def test_the_quick_check_and_jsonschema_agree(schema: str, data: Any, valid: bool) -> None:
    check = quick_check(schema)
    assert check is not None  # the schema uses only keywords the quick check knows
    assert check(copy.deepcopy(data)) is valid
    assert (next(iter(jsonschema_validator(schema).iter_errors(data)), None) is None) is valid


def test_the_config_schema_is_still_the_default() -> None:
    check = quick_check()
    assert check is not None
    assert check({"collections": []}) and not check(ARTICLE)
    assert jsonschema_validator().schema == read_schema("collections.schema.json")


@pytest.mark.parametrize(
    "front",
    [
        "\ntitle: Guide\nstate: draft\n",
        "\ntitle:\n",
        "\ntitle: x\r\nstate: draft\r\n",
        "\n# a comment\n\ntitle: Guide\n",
        "\ntitle:Guide\n",
        "\n  title: Guide\n",
        "\n- title\n",
        "\n\n",
        "\nGuide\n",
        "\n&anchor title: x\n",
        "\n!!map {title: x}\n",
        "\n{title: x}\n",
        "\n'title': x\n",
        "\ntitle-2_b: x",
        "\ntitle: [unclosed\n",
    ],
)
def test_front_matter_shape_read_at_a_glance_agrees_with_yaml_events(front: str) -> None:
    """The usual front matter is taken for a mapping without reading YAML's events; the
    answer is the events' answer whatever the text."""
    assert _not_a_mapping(front) == _read_not_a_mapping(front)
