"""A quick yes/no answer to "does this data match the JSON Schema?", from the schema file itself.

This module owns compiling a JSON Schema (Draft 2020-12) into nested Python checks that say
whether data is valid, and nothing else: no error, no message, no path. ``schema.py`` asks it
first; only when the answer is "invalid" does it load jsonschema, which finds and explains
each error as before. A valid file, the common case, never pays for importing jsonschema or
for its error bookkeeping.

It knows only the keywords listed in ``KEYWORDS``, with jsonschema's meaning for each (the
comments name the differences that matter: which kinds of value a keyword applies to, and
``integer`` being strict, as in ``schema.py``). A schema that uses anything else, a ``$ref``
outside the document, an ``enum`` of non-text values or an unknown type, is not compiled at
all: ``compile_schema`` returns None and jsonschema judges every file. "Valid" must never be
wrong; "invalid" only costs the time jsonschema takes to say so (and ``uniqueItems`` over
values that are not all text answers "invalid" without looking, leaving it to jsonschema).
``tests/test_schema_fast.py`` holds the verdicts to jsonschema's.

It must not import jsonschema, nor anything slow to import.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

Check = Callable[[Any], bool]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Keywords with no bearing on validity.
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"}
)
# Keywords whose value is a subschema, or a mapping of names to subschemas.
SUBSCHEMA = frozenset({"additionalProperties", "items", "propertyNames"})
SUBSCHEMAS = frozenset({"properties", "$defs"})
KEYWORDS = (
    ANNOTATIONS
    | SUBSCHEMA
    | SUBSCHEMAS
    | {
        "type",
        "enum",
        "required",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "uniqueItems",
        "$ref",
    }
)


class Unsupported(Exception):
    """The schema uses something this module does not check."""


def is_integer(value: object) -> bool:
    """JSON Schema's ``integer``, strictly: YAML's 5001.0 is not one (see ``schema.py``)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "integer": is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "null": lambda value: value is None,
}


def keywords(schema: object) -> Iterator[str]:
    """Every keyword used anywhere in ``schema`` (property and definition names are not)."""
    if not isinstance(schema, Mapping):
        return
    for keyword, value in schema.items():
        yield keyword
        if keyword in SUBSCHEMA:
            yield from keywords(value)
        elif keyword in SUBSCHEMAS and isinstance(value, Mapping):
            for subschema in value.values():
                yield from keywords(subschema)


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    """A function telling whether data matches ``schema``; None if the schema uses anything
    this module does not know."""
    if schema.get("$schema") != DRAFT or not set(keywords(schema)) <= KEYWORDS:
        return None
    try:
        return _Compiler(schema).compile(schema, top=True)
    except Unsupported:
        return None


# The form each value-taking keyword must have for the checks below to mean what jsonschema
# means (a uniqueItems of 1 is true to jsonschema; this module would read it as false).
_FORMS: dict[str, Callable[[object], bool]] = {
    "required": lambda v: isinstance(v, list) and all(isinstance(n, str) for n in v),
    "pattern": lambda v: isinstance(v, str),
    "minLength": is_integer,
    "maxLength": is_integer,
    "minimum": _is_number,
    "uniqueItems": lambda v: isinstance(v, bool),
    "properties": lambda v: isinstance(v, Mapping),
}


def _check_forms(schema: Mapping[str, Any]) -> None:
    for keyword, valid in _FORMS.items():
        if keyword in schema and not valid(schema[keyword]):
            raise Unsupported(f"{keyword}: {schema[keyword]!r}")


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda _value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        # A $ref target is compiled once; the cell lets a schema refer to itself.
        self.refs: dict[str, list[Check]] = {}

    def compile(self, schema: object, *, top: bool = False) -> Check:
        if schema is True:
            return lambda _value: True
        if schema is False:
            return lambda _value: False
        if not isinstance(schema, Mapping):
            raise Unsupported(f"a schema must be a mapping or a boolean: {schema!r}")
        if not set(schema) <= KEYWORDS:
            raise Unsupported(f"unknown keywords {sorted(set(schema) - KEYWORDS)}")
        if not top and ("$id" in schema or "$schema" in schema):
            raise Unsupported("$id or $schema below the top changes how $ref resolves")
        _check_forms(schema)
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            checks.append(self.type(schema["type"]))
        if "enum" in schema:
            checks.append(self.enum(schema["enum"]))
        text = self.text(schema)
        if text is not None:
            checks.append(text)
        if "minimum" in schema:
            minimum = schema["minimum"]
            # Applies to numbers only, like every keyword below to its own kind of value.
            checks.append(lambda value: not _is_number(value) or not value < minimum)
        obj = self.object(schema)
        if obj is not None:
            checks.append(obj)
        array = self.array(schema)
        if array is not None:
            checks.append(array)
        return _all(checks)

    def ref(self, ref: object) -> Check:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(f"only references inside the schema are known: {ref!r}")
        if ref not in self.refs:
            cell: list[Check] = []
            self.refs[ref] = cell
            cell.append(self.compile(self.pointer(ref)))
        cell = self.refs[ref]
        return lambda value: cell[0](value)

    def pointer(self, ref: str) -> object:
        target: object = self.root
        for part in ref[1:].split("/")[1:] if ref != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or part not in target:
                raise Unsupported(f"cannot resolve {ref!r}")
            target = target[part]
        return target

    def type(self, names: object) -> Check:
        wanted = [names] if isinstance(names, str) else names
        if not isinstance(wanted, list) or not all(name in _TYPES for name in wanted):
            raise Unsupported(f"unknown type {names!r}")
        checks = [_TYPES[name] for name in wanted]
        if len(checks) == 1:
            return checks[0]
        return lambda value: any(check(value) for check in checks)

    def enum(self, values: object) -> Check:
        # jsonschema compares text with ==; other values (1 versus true...) it compares in
        # ways not worth copying.
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise Unsupported("only an enum of strings is known")
        allowed = frozenset(values)
        return lambda value: isinstance(value, str) and value in allowed

    def text(self, schema: Mapping[str, Any]) -> Check | None:
        """pattern, minLength and maxLength: they apply to strings only."""
        search = re.compile(schema["pattern"]).search if "pattern" in schema else None
        shortest = schema.get("minLength", 0)
        longest = schema.get("maxLength")
        if search is None and shortest == 0 and longest is None:
            return None

        def check(value: object) -> bool:
            if not isinstance(value, str):
                return True
            if len(value) < shortest or (longest is not None and len(value) > longest):
                return False
            return search is None or search(value) is not None

        return check

    def object(self, schema: Mapping[str, Any]) -> Check | None:
        """properties, additionalProperties, required, propertyNames: mappings only."""
        keys = ("properties", "additionalProperties", "required", "propertyNames")
        if not any(key in schema for key in keys):
            return None
        properties = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        other = None if extra is True else self.compile(extra)
        required = tuple(schema.get("required", ()))
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None

        def check(value: object) -> bool:
            if not isinstance(value, dict):
                return True
            for name in required:
                if name not in value:
                    return False
            for name, item in value.items():
                if names is not None and not names(name):
                    return False
                known = properties.get(name)
                if known is not None:
                    if not known(item):
                        return False
                elif other is not None and not other(item):
                    return False
            return True

        return check

    def array(self, schema: Mapping[str, Any]) -> Check | None:
        """items and uniqueItems: lists only."""
        items = self.compile(schema["items"]) if "items" in schema else None
        unique = schema.get("uniqueItems", False) is True
        if items is None and not unique:
            return None

        def check(value: object) -> bool:
            if not isinstance(value, list):
                return True
            if items is not None and not all(items(item) for item in value):
                return False
            if unique:
                # Text is unique when its set is as long; anything else is jsonschema's call.
                if not all(isinstance(item, str) for item in value):
                    return False
                return len(set(value)) == len(value)
            return True

        return check
