"""``hcsync plan FILE``: show what apply would change, in text, Markdown or JSON.

Inside GitHub Actions it also appends the Markdown rendering to the job summary
(``GITHUB_STEP_SUMMARY``) and prints config problems as ``::error`` annotations.
"""

from __future__ import annotations

import argparse

from hcsync.commands import COMMANDS
from hcsync.commands.common import (
    EXIT_CHANGES,
    EXIT_OK,
    RAW,
    Io,
    client,
    connection_args,
    read_config,
    use_color,
    write_file,
)
from hcsync.commands.show import FORMAT_HELP
from hcsync.escape import clean
from hcsync.github import step_summary, step_summary_path
from hcsync.render import FORMATS, render

HELP = """\
Show what apply would change: each create, update (field by field) and delete.

When GITHUB_STEP_SUMMARY is set (GitHub Actions), the plan is also appended there as
Markdown, whatever --format is. Markdown output stays under 60,000 characters, the size of
a pull-request comment, by summarising a larger plan (deletes are listed first, as many as
fit; the rest are counted).

examples:
  hcsync plan collections.yaml
  hcsync plan collections.yaml --format markdown > plan.md
  hcsync plan collections.yaml --format json --out plan.json
  hcsync show plan.json --format markdown      # a saved plan again, in any format
  hcsync plan collections.yaml --detailed-exitcode   # exit 2 when live differs
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("plan", help=COMMANDS["plan"], description=HELP, formatter_class=RAW)
    parser.add_argument("file", help="the YAML config file")
    parser.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    parser.add_argument(
        "--out", metavar="PLAN.json", help="also save the plan as JSON here (for apply --plan)"
    )
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 2 when there are changes (0 when none), for drift checks",
    )
    connection_args(parser)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    from hcsync.live import EarlyListing

    # The listing starts first (it needs nothing from the file): importing the planner and
    # reading and checking the file overlap its round trips.
    with EarlyListing(lambda: client(ns, io)) as early:
        config = read_config(ns.file, io)
        intercom = early.client()
        listing = early.listing()
    from hcsync.pipeline import plan_against_live
    from hcsync.render.json import render_json
    from hcsync.render.markdown import render_markdown

    plan = plan_against_live(config, intercom, help_center=ns.help_center, listing=listing).plan
    io.out.write(render(plan, ns.format, color=use_color(io)))
    if ns.format == "json":
        # The JSON carries the warnings but not the safety verdict: say it where people look.
        for notice in plan.notices():
            io.err.write(f"warning: {clean(notice)}\n")
    if ns.out:
        write_file(ns.out, render_json(plan))
        io.err.write(
            f"Saved the plan to {clean(ns.out)}; apply exactly this plan with:"
            f" hcsync apply --plan {clean(ns.out)}\n"
        )
    summary = step_summary_path(io.env)
    if summary:
        write_file(summary, step_summary(render_markdown(plan)), append=True)
    if ns.detailed_exitcode and not plan.empty:
        return EXIT_CHANGES
    return EXIT_OK
