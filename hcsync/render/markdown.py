"""The plan as Markdown fit for a pull-request comment (GitHub-flavoured).

A heading and summary line, a counts table, warnings as a quote, then one ``<details>`` block
per change in plan order whose summary line is visible without clicking (so a delete is seen
without opening it) and whose body holds small tables: the fields, then one row per
translation locale.

A comment has a size limit, so a plan longer than ``limit`` characters is summarised: the
summary, counts and warnings stay, as many changes as fit are shown in full (in plan order),
and the rest one line each. Deletes are listed first (they are what a reviewer must see), as
many as fit; then the names of the changes still left out, one per line, as many as fit; the
rest are counted in a last line. A summarised plan repeats the safety refusal right under the
counts table, where the full plan has its warnings.

Every piece of text from the file or from Intercom goes through ``md``: HTML-escaped and with
Markdown punctuation turned into entities, so a collection name can neither break a table nor
inject links or markup into the comment. Pure: no IO.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from hcsync.escape import clean, quote, show_path
from hcsync.model import Text
from hcsync.plan import Change, FieldChange, Plan
from hcsync.render.values import (
    MARKS,
    NONE,
    PARKED,
    created_rows,
    delete_notes,
    names_kinds,
    refusal,
    show_value,
    verb,
)

# GitHub refuses a comment body over 65,536 characters. Stay well under it, so a workflow can
# wrap the plan in a few lines of its own (a marker, a link to the run) and still post it.
MAX_COMMENT_CHARS = 60_000

# Characters HTML or Markdown give meaning to, written as entities so they show as themselves.
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in "&<>\\`*_[]|~$"}
_ARROW = " → "
_REST_HEADING = "**The other changes, one per line:**"
_NAMES_HEADING = "**Not shown above, by name only:**"


def render_markdown(plan: Plan, *, limit: int = MAX_COMMENT_CHARS) -> str:
    """The whole plan as Markdown, summarised when longer than ``limit`` characters."""
    head = _head(plan)
    if plan.empty:
        return _join(head + _fit_warnings(plan.notices(), limit - _size(head)))
    lines = head + _warnings(plan.notices())
    size = _size(lines)
    parked = set(plan.parked)
    named = names_kinds(plan.changes)
    for change in plan.changes:
        block = ["", *_change(plan, change, parked=change.identity in parked, named=named)]
        size += _size(block)
        if size > limit:  # stop rendering at once: a huge plan is summarised anyway
            return _summarised(plan, limit)
        lines += block
    return _join(lines)


def _head(plan: Plan) -> list[str]:
    lines = [f"### hcsync plan for help center {code(plan.help_center)}", ""]
    if plan.empty:
        return [*lines, f"No changes. The live help center matches {code(plan.source)}."]
    counts = plan.counts()
    return [
        *lines,
        f"Planned from {code(plan.source)} against {plan.live_summary()}"
        f" (help center id {code(plan.help_center_id)}):"
        f" **{counts['create']} to create, {counts['update']} to update,"
        f" {counts['delete']} to delete**.",
        "",
        "| to create | to update | to delete |",
        "| ---: | ---: | ---: |",
        f"| {counts['create']} | {counts['update']} | {counts['delete']} |",
    ]


def _warnings(notices: tuple[str, ...], omitted: int = 0) -> list[str]:
    if not notices and not omitted:
        return []
    out = ["", "> **Warnings**", ">"]
    out.extend(f"> - {md(w)}" for w in notices)
    if omitted:
        out.append(
            f"> - ... and {omitted} more warning{'s' if omitted != 1 else ''}, in the job log"
        )
    return out


# --- one change in full -------------------------------------------------------------------


def _change(plan: Plan, change: Change, *, parked: bool = False, named: bool = False) -> list[str]:
    title = (
        f"<code>{MARKS[change.kind]} {verb(change, named)}</code>"
        f" <b>{shown(show_path(change.path))}</b>"
    )
    if change.subtree:
        title += f" and {len(change.subtree)} below it"
    # Blocks inside <details> are separated by blank lines, or GitHub renders them as HTML.
    blocks: list[list[str]] = []
    show = plan.kind(change.resource).shown
    if change.kind == "create":
        rows = created_rows(plan, change)
        blocks.append(_create_fields([(k, v) for k, v in rows if isinstance(v, str)]))
        blocks.extend(_collapsed(k, v) for k, v in rows if not isinstance(v, str))
        if change.translations:
            blocks.append(_create_translations(change.translations))
            for locale, t in change.translations:
                lines = show(f"translations.{locale}", None, t)
                if lines is not None:
                    blocks.append(_collapsed(f"translations.{locale}", lines))
    elif change.kind == "update":
        plain = [c for c in change.changes if c.locale is None]
        locales = [c for c in change.changes if c.locale is not None]
        long = {c.field: show(c.field, c.old, c.new) for c in change.changes}
        table = [c for c in plain if long[c.field] is None]
        if table:
            blocks.append(
                ["| field | old | new |", "| --- | --- | --- |"]
                + [
                    f"| {md(c.field)} | {shown(show_value(c, c.old))}"
                    f" | {shown(show_value(c, c.new))} |"
                    for c in table
                ]
            )
        if locales:
            blocks.append(_update_translations(locales))
        # A long field (an article's body) as its kind shows it, collapsed: a diff of text.
        blocks.extend(_collapsed(name, lines) for name, lines in long.items() if lines is not None)
    if change.subtree:
        blocks.append(["Also deletes:"])
        blocks.append([f"- {shown(show_path(p))}" for p in change.subtree])
    if parked:
        blocks.append([f"Applied in two steps: {PARKED}."])
    blocks.extend([f"{shown(note[0].upper() + note[1:])}."] for note in delete_notes(change))
    facts = []
    if change.id is not None:
        facts.append(f"live id {code(change.id)}")
    if change.source:
        facts.append(f"from {code(change.source)}")
    if facts:
        blocks.append([_sentence(facts)])

    out = ["<details>", f"<summary>{title}</summary>"]
    for block in blocks:
        out.append("")
        out.extend(block)
    out += ["", "</details>"]
    return out


def _create_fields(rows: list[tuple[str, str]]) -> list[str]:
    return ["| field | value |", "| --- | --- |"] + [
        f"| {name} | {shown(value)} |" for name, value in rows
    ]


def _collapsed(name: str, lines: list[str]) -> list[str]:
    """A long field in a collapsed block: its lines in a ``diff`` code block, fenced longer
    than any run of backticks in them, so no line can end the block."""
    text = [clean(line) for line in lines]
    longest = max((len(run) for line in text for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [
        f"<details><summary>{md(name)}</summary>",
        "",
        f"{fence}diff",
        *text,
        fence,
        "",
        "</details>",
    ]


def _create_translations(translations: tuple[tuple[str, Text], ...]) -> list[str]:
    return ["| locale | name | description |", "| --- | --- | --- |"] + [
        f"| {md(locale)} | {shown(quote(t.name))} | {shown(quote(t.description))} |"
        for locale, t in translations
    ]


def _update_translations(changes: list[FieldChange]) -> list[str]:
    """One row per locale: added, removed, or changed with ``old → new`` where it differs."""
    rows = ["| locale | change | name | description |", "| --- | --- | --- | --- |"]
    for c in changes:
        old = c.old if isinstance(c.old, Text) else None
        new = c.new if isinstance(c.new, Text) else None
        if old is None and new is None:
            what, name, description = "changed", NONE, NONE
        elif old is None or new is None:
            text = new or old
            assert text is not None  # for mypy: exactly one side is present here
            what = "added" if old is None else "removed"
            name, description = quote(text.name), quote(text.description)
        else:
            what = "changed"
            name = _old_new(old.name, new.name)
            description = _old_new(old.description, new.description)
        rows.append(f"| {md(c.locale or '')} | {what} | {shown(name)} | {shown(description)} |")
    return rows


def _old_new(old: str, new: str) -> str:
    return quote(new) if old == new else f"{quote(old)}{_ARROW}{quote(new)}"


def _sentence(facts: list[str]) -> str:
    text = ", ".join(facts)
    return text[0].upper() + text[1:] + "."


# --- summarising a plan too long for one comment ------------------------------------------


def _summarised(plan: Plan, limit: int) -> str:
    """The plan cut to ``limit`` characters, keeping what a reviewer must see.

    Priority: heading and counts, then warnings (at most half of what is left), then a line
    for each delete (as many as fit), then changes in full in plan order, then the others one
    per line; whatever does not fit is counted.
    """
    changes = plan.changes
    total = len(changes)
    head = _head(plan)
    # Reserve the notice and the last line at their longest (every count at its widest).
    reserved = _size(["", _notice(limit, total, total, total, total)])
    reserved += _size(["", _trailer(total)])
    # The notice comes between the counts and the warnings: repeat the refusal beside the counts.
    short = refusal(plan)
    alert = ["", f"**Warning: {md(short)}.**"] if short is not None else []
    budget = limit - _size(head) - _size(alert) - reserved

    warnings = _fit_warnings(plan.notices(), budget // 2)
    budget -= _size(warnings)

    kinds_named = names_kinds(changes)
    compact = _Compact(changes, kinds_named)
    rest_heading = _size(["", _REST_HEADING, ""])
    deletes_left = 0
    for i, change in enumerate(changes):
        if change.kind == "delete" and deletes_left <= budget:  # beyond the budget: enough
            deletes_left += _size([compact[i]])
    shown_full: list[str] = []
    used = full = 0
    parked = set(plan.parked)
    for i, change in enumerate(changes):
        block = ["", *_change(plan, change, parked=change.identity in parked, named=kinds_named)]
        freed = _size([compact[i]]) if change.kind == "delete" else 0
        if used + _size(block) + rest_heading + deletes_left - freed > budget:
            break
        shown_full += block
        used += _size(block)
        deletes_left -= freed
        full += 1

    rest = range(full, total)
    room = budget - used - rest_heading
    listed, room = _fill(changes, rest, lambda i: compact[i], room)
    # What still does not fit one per line is at least named, deletes first, while room lasts.
    unlisted = [i for i in rest if i not in listed]
    named: set[int] = set()
    names_heading = _size(["", _NAMES_HEADING, ""])
    if unlisted and room > names_heading:
        named, _ = _fill(
            changes, unlisted, lambda i: _name_only(changes[i], kinds_named), room - names_heading
        )
    omitted = len(unlisted) - len(named)

    notice = _notice(limit, full, len(listed), len(named), omitted)
    lines = [*head, *alert, "", notice, *warnings, *shown_full]
    if listed:
        lines += ["", _REST_HEADING, ""] + [compact[i] for i in rest if i in listed]
    if named:
        lines += ["", _NAMES_HEADING, ""] + [
            _name_only(changes[i], kinds_named) for i in unlisted if i in named
        ]
    if omitted:
        lines += ["", _trailer(omitted)]
    text = _join(lines)
    # The budget above is exact; this only guards a heading whose own names exceed the limit.
    return text if len(text) <= limit else text[: limit - 1] + "\n"


def _fit_warnings(notices: tuple[str, ...], room: int) -> list[str]:
    """The warnings block with as many warnings as fit in ``room`` (plus a count of the rest)."""
    whole = _warnings(notices)
    if _size(whole) <= room:
        return whole
    # Heading lines plus the "... and N more" line at its widest, then warnings while they fit.
    used = _size(_warnings((), len(notices)))
    keep = 0
    for warning in notices:
        cost = _size([f"> - {md(warning)}"])
        if used + cost > room:
            break
        used += cost
        keep += 1
    if used > room:
        return []
    return _warnings(notices[:keep], len(notices) - keep)


def _notice(limit: int, full: int, listed: int, named: int, omitted: int) -> str:
    parts = [f"the first {full} change{'s are' if full != 1 else ' is'} shown in full"]
    if listed:
        parts.append(f"{listed} more one per line")
    if named:
        parts.append(f"{named} more by name only")
    if omitted:
        parts.append(f"{omitted} not shown")
    return (
        f"**This plan is too long for one comment ({limit:,} characters), so it is summarised:**"
        f" {', '.join(parts)}. Every change is in the job log and in the JSON plan."
    )


def _trailer(omitted: int) -> str:
    return (
        f"... and {omitted} more change{'s' if omitted != 1 else ''} not shown;"
        " see the JSON plan (`hcsync plan --format json`) or the job log."
    )


class _Compact:
    """One-line forms of a plan's changes, each rendered only when first asked for."""

    def __init__(self, changes: tuple[Change, ...], named: bool) -> None:
        self.changes = changes
        self.named = named
        self.lines: dict[int, str] = {}

    def __getitem__(self, index: int) -> str:
        if index not in self.lines:
            self.lines[index] = _compact(self.changes[index], self.named)
        return self.lines[index]


def _compact(change: Change, named: bool) -> str:
    """One Markdown list item for a change: its kind, its path, and what it touches."""
    line = (
        f"- <code>{MARKS[change.kind]} {verb(change, named)}</code> {shown(show_path(change.path))}"
    )
    if change.kind == "update":
        line += ": " + ", ".join(md(c.field) for c in change.changes)
    if change.id is not None:
        line += f" (live id {code(change.id)})"
    if change.subtree:
        line += f" and {len(change.subtree)} below it"
    return line


def _fill(
    changes: Sequence[Change], indices: Sequence[int], line: Callable[[int], str], room: int
) -> tuple[set[int], int]:
    """Which of ``indices`` get their ``line``: deletes first, then the others, each in plan
    order until one does not fit in ``room``; and the room left."""
    taken: set[int] = set()
    for wanted in (True, False):
        for i in indices:
            if (changes[i].kind == "delete") != wanted:
                continue
            cost = _size([line(i)])
            if cost > room:
                break
            taken.add(i)
            room -= cost
    return taken, room


def _name_only(change: Change, named: bool) -> str:
    """The shortest line that still names a change: its path and what it does."""
    return f"- {shown(show_path(change.path))} ({verb(change, named)})"


def _size(lines: list[str]) -> int:
    """Characters ``lines`` take once joined, each with its newline."""
    return sum(len(line) + 1 for line in lines)


def _join(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def code(value: str) -> str:
    """Inline code that survives any content (backticks included)."""
    return f"<code>{md(value)}</code>"


def md(value: str) -> str:
    """Text safe in Markdown and inline HTML: control characters escaped, markup neutralised."""
    return shown(clean(value))


def shown(value: str) -> str:
    """``md`` for text ``hcsync.escape`` or ``render.values`` already made printable
    (``show_path``, ``quote``, ``show_value``, ``delete_notes``): markup neutralised, control
    characters left as they are.

    Those helpers escaped every control character and then added bidi isolates around
    right-to-left names; cleaning again would print the isolates as ``\\u2068``.
    """
    return "".join(_ENTITIES.get(ch, ch) for ch in value)
