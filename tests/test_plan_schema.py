"""The JSON plan against ``schemas/plan.schema.json``: real plans validate, broken ones do not.

Plans come from the CLI against the emulator (``--format json`` and ``--out``), covering every
kind of change, plus the empty plan; the schema itself must be valid 2020-12 and describe
every property it names.
"""

from __future__ import annotations

import copy
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from support import RunCli

from hcsync.emulator import Emulator
from hcsync.plan import PLAN_FORMAT_VERSION
from hcsync.saved import plan_schema

BASE = """\
    help_center: acme
    default_locale: en
    collections:
      - name: Billing
        collections:
          - name: Invoices
      - name: Old stuff
        collections:
          - name: Legacy
"""

EVERY_KIND = """\
    help_center: acme
    default_locale: en
    collections:
      - name: Billing
        description: Money matters
        translated_content:
          fr: {name: Facturation, description: Argent}
        collections:
          - name: Invoices
          - name: Refunds
            collections:
              - name: Card refunds
"""


def validator() -> Draft202012Validator:
    return Draft202012Validator(plan_schema())


def write(tmp_path: Path, text: str, name: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def every_kind(hcsync: RunCli, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(printed, saved) JSON of a plan with creates, updates and a subtree delete."""
    assert hcsync("apply", write(tmp_path, BASE, "base.yaml")).code == 0
    config = write(tmp_path, EVERY_KIND, "collections.yaml")
    saved = tmp_path / "plan.json"
    result = hcsync("plan", config, "--format", "json", "--out", str(saved))
    assert result.code == 0, result.err
    return json.loads(result.out), json.loads(saved.read_text(encoding="utf-8"))


def test_the_schema_is_valid_2020_12_and_versioned() -> None:
    schema = plan_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f":{PLAN_FORMAT_VERSION}")
    assert schema["title"]
    assert "additive changes" in schema["description"].lower()
    assert schema["properties"]["format_version"]["const"] == PLAN_FORMAT_VERSION


def _properties(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        yield from node.get("properties", {}).items()
        for key, value in node.items():
            if key != "if":  # an ``if`` tests a property, it does not declare one
                yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


def test_every_property_is_described() -> None:
    schema = plan_schema()
    # ``true`` marks a property described (and constrained) in #/$defs/content.
    undescribed = [
        name for name, sub in _properties(schema) if sub is not True and "description" not in sub
    ]
    undescribed += [name for name, sub in schema["$defs"].items() if "description" not in sub]
    assert undescribed == []


def test_a_plan_of_every_kind_validates_printed_and_saved(hcsync: RunCli, tmp_path: Path) -> None:
    printed, saved = every_kind(hcsync, tmp_path)
    assert printed == saved  # --out saves exactly what --format json prints
    kinds = {c["action"] for c in printed["changes"]}
    assert kinds == {"create", "update", "delete"}
    assert any(c.get("subtree") for c in printed["changes"])
    assert any(c["action"] == "update" and c["changes"] for c in printed["changes"])
    assert printed["live_versions"] and len(printed["source_digest"]) == 64
    assert list(validator().iter_errors(printed)) == []


def test_the_empty_plan_validates(hcsync: RunCli, emulator: Emulator, tmp_path: Path) -> None:
    config = write(tmp_path, BASE, "base.yaml")
    assert hcsync("apply", config).code == 0
    result = hcsync("plan", config, "--format", "json")
    data = json.loads(result.out)
    assert data["changes"] == []
    assert list(validator().iter_errors(data)) == []


def test_a_plan_against_an_empty_help_center_validates(hcsync: RunCli, tmp_path: Path) -> None:
    result = hcsync("plan", write(tmp_path, EVERY_KIND, "c.yaml"), "--format", "json")
    data = json.loads(result.out)
    assert data["live_versions"] == {} and data["counts"]["create"] == 4
    assert data["changes"][0]["parent_path"] == []  # a top-level parent path is empty
    assert list(validator().iter_errors(data)) == []


def _break_action(d: dict[str, Any]) -> None:
    d["changes"][0]["action"] = "destroy"


def _drop_update_content(d: dict[str, Any]) -> None:
    update = next(c for c in d["changes"] if c["action"] == "update")
    del update["translations"]


def _delete_with_changes(d: dict[str, Any]) -> None:
    delete = next(c for c in d["changes"] if c["action"] == "delete")
    delete["changes"] = []


def _unknown_key(d: dict[str, Any]) -> None:
    d["surprise"] = True


def _bad_version(d: dict[str, Any]) -> None:
    d["format_version"] = 1


def _bad_digest(d: dict[str, Any]) -> None:
    d["source_digest"] = "md5:abc"


def _string_updated_at(d: dict[str, Any]) -> None:
    first = next(iter(d["live_versions"]))
    d["live_versions"][first] = "yesterday"


def _missing_live_versions(d: dict[str, Any]) -> None:
    del d["live_versions"]


def _empty_change_path(d: dict[str, Any]) -> None:
    d["changes"][0]["path"] = []  # a change names a collection: at least its own name


def _empty_subtree_item(d: dict[str, Any]) -> None:
    delete = next(c for c in d["changes"] if c["action"] == "delete")
    delete["subtree"].append([])


@pytest.mark.parametrize(
    "breaks",
    [
        _break_action,
        _drop_update_content,
        _delete_with_changes,
        _unknown_key,
        _bad_version,
        _bad_digest,
        _string_updated_at,
        _missing_live_versions,
        _empty_change_path,
        _empty_subtree_item,
    ],
)
def test_the_schema_rejects_a_broken_plan(hcsync: RunCli, tmp_path: Path, breaks: Any) -> None:
    printed, _saved = every_kind(hcsync, tmp_path)
    broken = copy.deepcopy(printed)
    breaks(broken)
    assert list(validator().iter_errors(broken)) != []
