"""Why an apply did not converge: what Intercom did not keep of what apply wrote.

After apply, the next plan must be empty. When it is not, a change it still shows may be one
apply has just written: the server answered 200 but did not keep it (nested collections may
not carry descriptions; a ``null`` locale may be ignored; ...). This module owns naming each
such field by collection and field, from the plan that was applied, the ids apply created,
and the plan made after it. Whatever else is pending (someone editing meanwhile) it leaves to
the caller to show. Pure: no IO.
"""

from __future__ import annotations

from collections.abc import Mapping

from hcsync.model import Text, name_key, path_text
from hcsync.plan import Change, FieldChange, Plan
from hcsync.resource import Identity

Path = tuple[str, ...]


def unkept(applied: Plan, created: Mapping[tuple[str, Path], str], after: Plan) -> list[str]:
    """One sentence per field apply wrote that ``after`` wants to write again, same value, and
    per field of an item apply updated that the update itself seems to have undone.
    ``created`` is apply's (kind, path) -> new id."""
    written: dict[tuple[Identity, str], object] = {}
    touched: set[Identity] = set()  # items apply updated: a field they lost went with the write
    for change in applied.changes:
        if change.kind == "update" and change.identity is not None:
            touched.add(change.identity)
            for field in change.changes:
                written[(change.identity, field.field)] = _key(field.new)
        elif change.kind == "create" and change.key in created:
            for name, value in _created_fields(change):
                written[((change.resource, created[change.key]), name)] = _key(value)
    out: list[str] = []
    for change in after.of_kind("update"):
        assert change.identity is not None
        for field in change.changes:
            mark = (change.identity, field.field)
            if mark in written and written[mark] == _key(field.new):
                out.append(_sentence(after, change, field))
            elif mark not in written and change.identity in touched and field.locale is not None:
                out.append(
                    f"Intercom lost the {field.locale} translation of {path_text(change.path)!r}"
                    " when apply updated another of its fields (it may replace"
                    " translated_content rather than merge it)"
                )
    return out


def _created_fields(change: Change) -> list[tuple[str, str | Text | None]]:
    fields: list[tuple[str, str | Text | None]] = [
        ("name", change.name),
        ("description", change.description),
        *change.extra,
    ]
    fields.extend((f"translations.{loc}", text) for loc, text in change.translations)
    return fields


def _key(value: str | Text | None) -> object:
    if isinstance(value, Text):
        return (name_key(value.name), name_key(value.description))
    return None if value is None else name_key(value)


def _sentence(after: Plan, change: Change, field: FieldChange) -> str:
    where = repr(path_text(change.path))
    if field.locale is not None and field.new is None:
        return (
            f"Intercom kept the {field.locale} translation of {where} that apply removed"
            " (it may ignore a null locale); remove it in Intercom's editor"
        )
    hint = after.kind(change.resource).unkept_hint(change, field.field)
    why = "" if hint is None else f" ({hint})"
    if field.locale is not None:
        return f"Intercom did not keep the {field.locale} translation of {where}{why}"
    if hint is None and field.field == "parent":
        return f"Intercom did not keep the move of {where} (it stays under {field.old})"
    return f"Intercom did not keep the {field.field} of {where}{why}"
