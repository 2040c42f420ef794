"""``hcsync show PLAN.json``: render a saved plan (from ``plan --out``) in any format.

No network and no token: the plan file holds everything shown. Reading it back (and refusing
a file that is not a valid plan) is ``saved``'s job; rendering is ``render``'s.
"""

from __future__ import annotations

import argparse

from hcsync.commands import COMMANDS
from hcsync.commands.common import EXIT_OK, RAW, Io, use_color
from hcsync.render import FORMATS, render

FORMAT_HELP = (
    "text for a terminal, markdown for a pull-request comment, json for machines "
    "(the saved-plan format); default: text"
)

HELP = """\
Show a plan saved by `hcsync plan FILE --out PLAN.json`, without contacting Intercom: to read
it again, or to turn the reviewed plan into a pull-request comment.

examples:
  hcsync show plan.json
  hcsync show plan.json --format markdown > plan.md
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("show", help=COMMANDS["show"], description=HELP, formatter_class=RAW)
    parser.add_argument("plan", metavar="PLAN.json", help="a plan saved by plan --out")
    parser.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    from hcsync.saved import read_saved_plan

    plan = read_saved_plan(ns.plan)
    io.out.write(render(plan, ns.format, color=use_color(io)))
    return EXIT_OK
