"""Saved plans: reading one back.

``hcsync plan --out PLAN.json`` saves ``render_json(plan)``, so a saved plan *is* the JSON plan
(``schemas/plan.schema.json``). This module owns reading that file back into a Plan (with a
clear UsageError for every way it can be wrong, a plan of an older format included) and the
digest of the YAML file it was made from. Whether a saved plan still holds is
``staleness``'s question; how a fresh plan differs from it, ``compare``'s.

It reads files but does no HTTP and prints nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path as FilePath
from typing import Any

from hcsync.errors import UsageError
from hcsync.escape import clean
from hcsync.plan import PLAN_FORMAT_VERSION, Plan
from hcsync.resource import kinds
from hcsync.schema import read_schema

PLAN_SCHEMA_NAME = "plan.schema.json"


def plan_schema() -> dict[str, Any]:
    """The JSON plan's schema (``schemas/plan.schema.json``), read once per process."""
    return read_schema(PLAN_SCHEMA_NAME)


def read_saved_plan(path: str) -> Plan:
    """The Plan saved at ``path`` by ``hcsync plan --out``.

    UsageError when the file is missing or unreadable, is not JSON, has a ``format_version``
    this hcsync does not read, or does not match the plan schema (a hand-edited or truncated
    file must never be applied).
    """
    try:
        text = FilePath(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such plan file; make one with: hcsync plan FILE --out {path}"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read the plan: {err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise UsageError(
            f"{path}:{err.lineno}:{err.colno}: not a JSON plan ({err.msg}); "
            "make one with: hcsync plan FILE --out PLAN.json"
        ) from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: not a hcsync plan (expected a JSON object)")
    version = data.get("format_version")
    if version != PLAN_FORMAT_VERSION:
        raise UsageError(
            f"{path}: plan format_version {version!r}, but this hcsync reads format_version "
            f"{PLAN_FORMAT_VERSION}; make the plan again with this hcsync"
        )
    from jsonschema import Draft202012Validator  # only when a saved plan is read

    errors = sorted(
        Draft202012Validator(plan_schema()).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        first = errors[0]
        # Keys of the file are shown escaped: a crafted plan must not be able to add lines.
        where = clean("/".join(str(p) for p in first.absolute_path)) or "(top)"
        message = first.message
        if first.validator == "pattern" and first.validator_value == _id_pattern():
            # An id goes into a URL path: '..' or '7/../8' would reach another endpoint.
            message = f"{first.instance!r} is not an Intercom id (ids are digits)"
        rest = len(errors) - 1
        more = f" (and {rest} more problem{'s' if rest > 1 else ''})" if rest else ""
        raise UsageError(
            f"{path}: not a valid hcsync plan: at {where}: {message}{more}; "
            "was it edited by hand? Make it again with: hcsync plan FILE --out PLAN.json"
        )
    known = {k.name for k in kinds()}
    unknown = sorted(_kinds_named(data) - known)
    if unknown:
        raise UsageError(
            f"{path}: the plan names {', '.join(repr(clean(n)) for n in unknown)}, which this"
            f" hcsync does not manage (it manages {', '.join(sorted(known))}); make the plan"
            " again with this hcsync"
        )
    return Plan.from_dict(data)


def _kinds_named(data: dict[str, Any]) -> set[str]:
    """Every kind a schema-valid plan names, wherever it names one."""
    named = {str(c["kind"]) for c in data["changes"]}
    named.update(str(p["kind"]) for p in data["parked"])
    for key in ("live_counts", "live_versions", "live_tree"):
        named.update(str(name) for name in data[key])
    return named


def _id_pattern() -> str:
    pattern: str = plan_schema()["$defs"]["id"]["pattern"]
    return pattern


def file_digest(path: str) -> str:
    """sha256 (hex) of a file's bytes: what ``Plan.source_digest`` records."""
    try:
        return hashlib.sha256(FilePath(path).read_bytes()).hexdigest()
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror}") from None
