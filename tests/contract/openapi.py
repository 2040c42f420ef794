"""Validate bodies against the official Intercom 2.10 description (``slice.json``).

OpenAPI 3.0 schemas are not JSON Schema: ``nullable: true`` stands beside ``type`` (and beside
``$ref``, where 3.0 says siblings are ignored but Intercom means "or null"), enums list
``null`` without ``null`` in the type, and ``example``/``format`` are documentation. This
module converts them to JSON Schema 2020-12 and validates with ``jsonschema``.

Request bodies are validated *strictly*: the request schemas and the translated-content
schemas get ``additionalProperties: false``, so a client sending a key the description does
not allow fails. Responses are lenient by default (Intercom may add fields); pass
``strict=True`` to also refuse fields the description does not name (the emulator must not
invent any).

A schema that extends another (``allOf: [{$ref}]`` beside its own ``properties``, as
``article`` extends ``article_list_item`` with ``statistics``) is flattened into one object
first, as OpenAPI means it; otherwise strict validation could not close it.

Must not: know about the emulator or the client; it only reads ``slice.json``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SLICE = Path(__file__).resolve().parent / "slice.json"
PREFIX = "#/components/schemas/"
STRICT_REQUEST_SCHEMAS = frozenset(
    {
        "create_collection_request",
        "update_collection_request",
        "group_translated_content",
        "group_content",
        "create_article_request",
        "update_article_request",
        "article_translated_content",
        "article_content",
    }
)
_NOISE = frozenset({"example", "examples", "format", "title", "description", "externalDocs"})


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SLICE.read_text(encoding="utf-8"))
    return loaded


def to_json_schema(schema: Any, *, strict: bool = False) -> Any:
    """One OpenAPI 3.0 schema -> JSON Schema; ``$ref``s point into ``#/$defs/``.

    ``strict`` closes every object that lists its properties (``additionalProperties:
    false``) unless it says otherwise.
    """
    if isinstance(schema, list):
        return [to_json_schema(item, strict=strict) for item in schema]
    if not isinstance(schema, dict):
        return schema
    nullable = schema.get("nullable") is True
    if "$ref" in schema:
        ref = {"$ref": "#/$defs/" + schema["$ref"][len(PREFIX) :]}
        return {"anyOf": [ref, {"type": "null"}]} if nullable else ref
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _NOISE or key == "nullable" or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(sub, strict=strict) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            out[key] = to_json_schema(value, strict=strict)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [to_json_schema(sub, strict=strict) for sub in value]
        else:
            out[key] = value
    enum = out.get("enum")
    if nullable or (enum is not None and None in enum):
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"] if "null" not in types else types
        if enum is not None and None not in enum:
            out["enum"] = [*enum, None]
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def flatten(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with each ``allOf`` of ``$ref``s merged in: one object, every property."""
    parts = schema.get("allOf")
    if not parts or not all(isinstance(p, dict) and set(p) == {"$ref"} for p in parts):
        return schema
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in parts:
        base = flatten(schemas[part["$ref"][len(PREFIX) :]], schemas)
        properties.update(base.get("properties", {}))
        required += base.get("required", [])
    properties.update(schema.get("properties", {}))
    required += schema.get("required", [])
    merged["properties"] = properties
    if required:
        merged["required"] = sorted(set(required))
    return merged


@cache
def _defs(strict_names: frozenset[str]) -> dict[str, Any]:
    schemas = spec()["components"]["schemas"]
    return {
        name: to_json_schema(flatten(schema, schemas), strict=name in strict_names)
        for name, schema in schemas.items()
    }


def _operation(method: str, path_template: str) -> dict[str, Any]:
    paths = spec()["paths"]
    if path_template not in paths:
        raise AssertionError(f"{path_template} is not a path in the description slice")
    operation = paths[path_template].get(method.lower())
    if operation is None:
        raise AssertionError(f"{method.upper()} {path_template} is not in the description")
    found: dict[str, Any] = operation
    return found


def _check(schema: Any, body: Any, strict_names: frozenset[str], what: str) -> None:
    document = {"$defs": _defs(strict_names), **to_json_schema(schema)}
    validator = Draft202012Validator(document)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  body{_where(e.absolute_path)}: {e.message}" for e in errors[:10]]
        more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise AssertionError(f"{what} does not match the description:\n" + "\n".join(lines) + more)


def _where(path: Any) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def response_schema(method: str, path_template: str, status: int) -> Any:
    """The described schema for an answer; an undescribed error status gets ``error``."""
    responses = _operation(method, path_template)["responses"]
    described = responses.get(str(status))
    if described is None:
        if status >= 400:
            # Intercom answers every error (429, 5xx, ...) as an error.list even where the
            # description lists no such status for the operation.
            return {"$ref": PREFIX + "error"}
        raise AssertionError(f"{method.upper()} {path_template} describes no {status} answer")
    return described["content"]["application/json"]["schema"]


def validate_response(
    method: str, path_template: str, status: int, body: Any, *, strict: bool = False
) -> None:
    """Assert ``body`` is what the description says ``METHOD path -> status`` answers."""
    schema = response_schema(method, path_template, status)
    names = frozenset(spec()["components"]["schemas"]) if strict else frozenset()
    _check(schema, body, names, f"{method.upper()} {path_template} -> {status} answer")


def validate_request_body(method: str, path_template: str, body: Any) -> None:
    """Assert ``body`` is a request body the description allows (unknown keys refused)."""
    operation = _operation(method, path_template)
    what = f"{method.upper()} {path_template} request body"
    request_body = operation.get("requestBody")
    if request_body is None:
        if body is not None:
            raise AssertionError(f"{what} must be empty; got {body!r}")
        return
    schema = request_body["content"]["application/json"]["schema"]
    _check(schema, body, STRICT_REQUEST_SCHEMAS, what)


def examples() -> list[tuple[str, str, str, Any, Any]]:
    """Every example in the slice: (kind, method, path, status or example name, value).

    ``kind`` is ``"response"`` (with the status as a string) or ``"request"``.
    """
    found: list[tuple[str, str, str, Any, Any]] = []
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json", {})
                for example in content.get("examples", {}).values():
                    found.append(("response", method.upper(), path, status, example["value"]))
            request = operation.get("requestBody", {}).get("content", {})
            for name, example in request.get("application/json", {}).get("examples", {}).items():
                found.append(("request", method.upper(), path, name, example["value"]))
    return found


def example_of(kind: str, method: str, path: str, label: str) -> Any:
    """The one example ``examples()`` lists under ``(kind, method, path, label)``."""
    (value,) = [v for k, m, p, s, v in examples() if (k, m, p, s) == (kind, method, path, label)]
    return value
