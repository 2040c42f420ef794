"""Validating loaded YAML data against ``schemas/collections.schema.json`` (or another bundled
schema: ``schemas/article.schema.json`` for article front matter).

This module owns finding the schema file (package data in a wheel, the repo's ``schemas/``
in an editable install), running jsonschema over the loaded data, and turning each
jsonschema error into a Problem at file:line:column whose message a user can act on
("unknown key 'descripton' (did you mean 'description'?)" rather than jsonschema's
"Additional properties are not allowed").

jsonschema is slow to import and to run, and most files are valid: ``schema_fast`` first says
whether the data is valid at all, from the same schema file, and jsonschema runs (and is
imported) only when it is not, to find and explain every error.

It must not do semantic checks that need more than one node at a time (duplicate siblings,
depth, id pins): those belong to ``checks.py``.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from hcsync import schema_fast
from hcsync.errors import Problem
from hcsync.loader import KeyPath, Loaded, kind_of, tree_path
from hcsync.locales import LOCALES

if TYPE_CHECKING:
    # importlib.resources.abc only exists from 3.11; importlib.abc's alias is deprecated.
    from importlib.abc import Traversable

    import jsonschema

SCHEMA_NAME = "collections.schema.json"
# The config schema's ``$id``: a URL that stays put across releases (the main branch), so
# editors and SchemaStore's catalog can fetch it; a test holds it to the schema's ``$id``.
SCHEMA_URL = "https://raw.githubusercontent.com/hcsync/hcsync/main/schemas/collections.schema.json"
# The first line of examples/collections.yaml and of what ``export`` writes: tells the YAML
# language server (VS Code, Neovim, JetBrains...) which schema to complete and check against.
# To YAML, and so to the loader, it is a comment.
MODELINE = f"# yaml-language-server: $schema={SCHEMA_URL}"

# The characters ``$defs/name`` and ``$defs/description`` refuse (the schema's descriptions
# say why), to name the first one in the message; a test holds these to the schema's patterns.
# Names: C0 controls (tab and newline included), DEL, C1 controls, and the bidirectional
# embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069). Descriptions: the same,
# except newline and tab.
NAME_REFUSES = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
DESCRIPTION_REFUSES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true/false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


def schema_file(name: str) -> Traversable:
    """A bundled schema: ``hcsync/schemas/<name>`` in a wheel, else the repo's ``schemas/``."""
    beside = FilePath(__file__).parent / "schemas" / name
    if beside.is_file():
        # An installed wheel, unzipped: what importlib.resources would find, without the
        # cost of importing it on every run.
        return beside
    from importlib import resources  # a package inside a zip file

    packaged = resources.files("hcsync").joinpath("schemas").joinpath(name)
    if packaged.is_file():
        return packaged
    # An editable install or a source checkout: the package sits beside the repo's schemas/.
    return FilePath(__file__).resolve().parent.parent / "schemas" / name


@cache
def read_schema(name: str) -> dict[str, Any]:
    """A bundled schema as a dict, read once per process."""
    schema: dict[str, Any] = json.loads(schema_file(name).read_text(encoding="utf-8"))
    return schema


def schema_path() -> Traversable:
    """Where the config schema is."""
    return schema_file(SCHEMA_NAME)


def load_schema() -> dict[str, Any]:
    """The config schema as a dict."""
    return read_schema(SCHEMA_NAME)


@cache
def schema_for(ref: str) -> dict[str, Any]:
    """The schema ``ref`` names: a bundled file (``"article.schema.json"``), or one definition
    of it (``"article.schema.json#/$defs/translation"``), as a document of its own whose
    ``$ref``s still resolve in the file's ``$defs``."""
    name, _, pointer = ref.partition("#")
    root = read_schema(name)
    if not pointer:
        return root
    return {"$schema": root["$schema"], "$defs": root.get("$defs", {}), "$ref": f"#{pointer}"}


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib  # only a file with a mistyped key or locale gets here

    by_case = [c for c in choices if c.casefold() == word.casefold()]
    close = by_case or difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _locale_message(value: object) -> str:
    if not isinstance(value, str):
        return f"must be a locale, not {kind_of(value)}; use one of: {', '.join(LOCALES)}"
    # Intercom spells regional locales with a hyphen (pt-BR); people often type pt_BR.
    hint = _did_you_mean(value.replace("_", "-"), list(LOCALES))
    return f"{value!r} is not a locale Intercom knows{hint}; use one of: {', '.join(LOCALES)}"


def _type_message(expected: str | list[str], value: object) -> str:
    wanted = [expected] if isinstance(expected, str) else expected
    names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
    message = f"must be {names}, not {kind_of(value)}"
    if "string" in wanted and (
        value is None or isinstance(value, (bool, int, float, datetime.date))
    ):
        # YAML turns yes/no/on/off, numbers and dates (datetime too: a date subclass) into
        # non-strings.
        message += "; put the value in quotes" if value is not None else "; give it a value"
    elif "array" in wanted and value is None:
        message += "; list entries under it or write []"
    return message


def _refused_message(what: str, value: str, refused: re.Pattern[str]) -> str | None:
    """Why ``value`` (a name or description) is refused for a character it holds, or None."""
    found = refused.search(value)
    if found is None:
        return None
    return (
        f"{what} or bidirectional overrides"
        f" (U+{ord(found.group()):04X} at position {found.start() + 1}); remove it"
    )


def _name_message(value: str) -> str:
    if not value.strip():
        return "must not be empty"
    if "\n" in value or "\r" in value:
        return f"{value!r} must be on one line"
    refused = _refused_message("names may not contain control characters", value, NAME_REFUSES)
    if refused is not None:
        return refused
    return f"{value!r} starts or ends with whitespace; remove it"


def _allowed_keys(schema: dict[str, Any]) -> list[str]:
    return sorted(schema.get("properties", {}))


def _problems_for(
    error: jsonschema.ValidationError, loaded: Loaded, source: str
) -> list[tuple[KeyPath, Problem]]:
    path: KeyPath = tuple(error.absolute_path)
    value = error.instance

    def at(where: KeyPath, message: str) -> tuple[KeyPath, Problem]:
        line, column = loaded.where(where)
        return where, Problem(source, line, column, tree_path(where), message)

    validator = error.validator
    if "propertyNames" in error.schema_path:
        # The offending key is the instance; point at it, not at the whole mapping.
        return [at((*path, str(value)), _locale_message(value))]
    if validator == "required":
        missing = [key for key in error.validator_value if key not in value]
        return [at(path, f"missing required key {key!r}") for key in missing]
    if validator == "additionalProperties":
        allowed = _allowed_keys(error.schema)
        out = []
        for key in value:
            if key in allowed:
                continue
            hint = _did_you_mean(key, allowed) or f"; allowed keys: {', '.join(allowed)}"
            out.append(at((*path, key), f"unknown key {key!r}{hint}"))
        return out
    if validator == "type" and path and path[-1] == "id" and isinstance(value, float):
        # YAML reads 5001.0 as a number; JSON Schema would call it an integer.
        like = int(value) if value.is_integer() and value >= 1 else 5001
        return [
            at(
                path,
                f"{value!r} is not an Intercom id; an id must be a whole number of digits,"
                f" like {like}",
            )
        ]
    if validator == "type":
        return [at(path, _type_message(error.validator_value, value))]
    if validator == "enum" and error.validator_value == list(LOCALES):
        return [at(path, _locale_message(value))]
    if validator == "enum" and all(isinstance(choice, str) for choice in error.validator_value):
        choices: list[str] = error.validator_value
        shown = repr(value) if isinstance(value, str) else kind_of(value)
        hint = _did_you_mean(value, choices) if isinstance(value, str) else ""
        wanted = " or ".join(repr(choice) for choice in choices)
        return [at(path, f"must be {wanted}, not {shown}{hint}")]
    if validator == "pattern" and path and path[-1] == "id":
        if value.isascii() and value.isdigit():
            return [at(path, f"{value!r} is not an Intercom id; Intercom ids never start with 0")]
        return [at(path, f"{value!r} is not an Intercom id; an id is a string of digits")]
    if validator == "pattern" and len(path) == 2 and path[0] in ("protect", "ignore"):
        return [
            at(
                path,
                f"{value!r} is not an Intercom id (Intercom ids never start with 0)"
                " and matches nothing; write the id exactly as Intercom shows it",
            )
        ]
    if validator == "pattern" and path and path[-1] == "description":
        what = "descriptions may not contain control characters (newlines and tabs are fine)"
        message = _refused_message(what, value, DESCRIPTION_REFUSES)
        return [at(path, message or error.message)]
    if validator == "pattern":
        return [at(path, _name_message(value))]
    if validator == "maxLength":
        return [
            at(
                path,
                f"is {len(value)} characters long; Intercom allows at most {error.validator_value}",
            )
        ]
    if validator == "minLength":
        return [at(path, "must not be empty")]
    if validator == "minimum":
        return [at(path, f"must be {error.validator_value} or more, not {value}")]
    if validator == "uniqueItems":
        # Items may be unhashable (a list inside the list), so compare by equality.
        for index, item in enumerate(value):
            if item in value[:index]:
                return [at((*path, index), f"{item!r} is listed twice; remove one")]
    return [at(path, error.message)]


def _strict_integer(_checker: object, instance: object) -> bool:
    # JSON Schema counts 5001.0 as an integer; YAML (and the person who wrote it) does not,
    # and an id pin of 5001.0 must not pass validate only to fail in plan.
    return schema_fast.is_integer(instance)


@cache
def jsonschema_validator(schema: str = SCHEMA_NAME) -> jsonschema.protocols.Validator:
    """jsonschema's validator for a bundled schema (``schema_for``; the config schema unless
    told), built (and jsonschema imported) once per schema."""
    import jsonschema  # ~0.1 s to import: only for files that have schema problems

    cls = jsonschema.validators.extend(
        jsonschema.Draft202012Validator,
        type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
            "integer", _strict_integer
        ),
    )
    return cls(schema_for(schema))


@cache
def quick_check(schema: str = SCHEMA_NAME) -> schema_fast.Check | None:
    """The quick yes/no check compiled from a bundled schema (the config schema unless told),
    or None if it cannot be."""
    return schema_fast.compile_schema(schema_for(schema))


def schema_problems(
    loaded: Loaded, source: str | None = None, *, schema: str = SCHEMA_NAME
) -> tuple[list[Problem], frozenset[KeyPath]]:
    """Every schema problem in ``loaded`` (in file order), and the paths they point at.

    The paths tell the semantic checks which parts of the data the schema refused (a node
    at such a path, or anything under it, is not to be trusted), so they can still check
    everything else in the same run. ``source`` names the file in messages and defaults to
    ``loaded.source``; ``schema`` names the bundled schema to check against (``schema_for``),
    the config schema unless told.
    """
    name = loaded.source if source is None else source
    is_valid = quick_check(schema)
    if is_valid is not None and is_valid(loaded.data):
        return [], frozenset()
    found: dict[tuple[KeyPath, str], Problem] = {}
    for error in jsonschema_validator(schema).iter_errors(loaded.data):
        for path, problem in _problems_for(error, loaded, name):
            # One fault can trip more than one keyword; say it once.
            found.setdefault((path, problem.message), problem)
    problems = sorted(found.values(), key=lambda p: (p.line, p.column, p.path))
    return problems, frozenset(path for path, _ in found)
