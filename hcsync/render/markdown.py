"""The plan as Markdown fit for a pull-request comment (GitHub-flavoured).

A heading and summary line, a counts table, warnings as a quote, then one ``<details>`` block
per change in plan order whose summary line is visible without clicking (so every delete is
seen) and whose body is a small table of fields, one row per translation locale.

Every piece of text from the file or from Intercom goes through ``md``: HTML-escaped and with
Markdown punctuation turned into entities, so a collection name can neither break a table nor
inject links or markup into the comment. Pure: no IO.
"""

from __future__ import annotations

from hcsync.plan import Change, Plan
from hcsync.render.text import MARKS, clean, field_rows, show_path, show_value

# Characters HTML or Markdown give meaning to, written as entities so they show as themselves.
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in "&<>\\`*_[]|~$"}


def render_markdown(plan: Plan) -> str:
    lines = [f"### hcsync plan for help center {code(plan.help_center)}", ""]
    if plan.empty:
        lines.append(f"No changes. The live help center matches {code(plan.source)}.")
        lines.extend(_warnings(plan))
        return "\n".join(lines) + "\n"

    counts = plan.counts()
    count = plan.live_count
    lines += [
        f"Planned from {code(plan.source)} against {count} live"
        f" collection{'s' if count != 1 else ''} (help center id {code(plan.help_center_id)}):"
        f" **{counts['create']} to create, {counts['update']} to update,"
        f" {counts['delete']} to delete**.",
        "",
        "| to create | to update | to delete |",
        "| ---: | ---: | ---: |",
        f"| {counts['create']} | {counts['update']} | {counts['delete']} |",
    ]
    lines.extend(_warnings(plan))
    for change in plan.changes:
        lines.append("")
        lines.extend(_change(change))
    return "\n".join(lines) + "\n"


def _warnings(plan: Plan) -> list[str]:
    if not plan.notices():
        return []
    out = ["", "> **Warnings**", ">"]
    out.extend(f"> - {md(w)}" for w in plan.notices())
    return out


def _change(change: Change) -> list[str]:
    title = f"<code>{MARKS[change.kind]} {change.kind}</code> <b>{md(show_path(change.path))}</b>"
    if change.subtree:
        title += f" and {len(change.subtree)} below it"
    # Blocks inside <details> are separated by blank lines, or GitHub renders them as HTML.
    blocks: list[list[str]] = []
    rows = field_rows(change)  # creates: their content; deletes: nothing
    if change.kind == "update":
        blocks.append(
            ["| field | old | new |", "| --- | --- | --- |"]
            + [
                f"| {md(c.field)} | {md(show_value(c, c.old))} | {md(show_value(c, c.new))} |"
                for c in change.changes
            ]
        )
    elif rows:
        blocks.append(
            ["| field | value |", "| --- | --- |"]
            + [f"| {md(name)} | {md(value)} |" for name, value in rows]
        )
    if change.subtree:
        blocks.append(["Also deletes:"])
        blocks.append([f"- {md(show_path(p))}" for p in change.subtree])
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


def _sentence(facts: list[str]) -> str:
    text = ", ".join(facts)
    return text[0].upper() + text[1:] + "."


def code(value: str) -> str:
    """Inline code that survives any content (backticks included)."""
    return f"<code>{md(value)}</code>"


def md(value: str) -> str:
    """Text safe in Markdown and inline HTML: control characters escaped, markup neutralised."""
    return "".join(_ENTITIES.get(ch, ch) for ch in clean(value))
