"""Plan -> str, for people (terminal text, Markdown for pull-request comments) and machines (JSON).

Every renderer is a pure function of the Plan: same plan, same bytes. They never print,
never detect a terminal, never decide colour (that is the CLI's call: ``color=`` is passed in),
and never change the plan. Importing this package loads no renderer: a command's flags need
only ``FORMATS``; ``render`` imports the one it is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hcsync.plan import Plan

FORMATS = ("text", "markdown", "json")


def render(plan: Plan, fmt: str, *, color: bool = False) -> str:
    """Render ``plan`` in one of FORMATS; ``color`` only affects ``text``."""
    if fmt == "text":
        from hcsync.render.text import render_text

        return render_text(plan, color=color)
    if fmt == "markdown":
        from hcsync.render.markdown import render_markdown

        return render_markdown(plan)
    if fmt == "json":
        from hcsync.render.json import render_json

        return render_json(plan)
    raise ValueError(f"unknown plan format {fmt!r}; choose one of {', '.join(FORMATS)}")
