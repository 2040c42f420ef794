"""``hcsync plan FILE``: show what apply would change, in text, Markdown or JSON."""

from __future__ import annotations

import argparse

from hcsync.commands.common import (
    EXIT_CHANGES,
    EXIT_OK,
    RAW,
    Io,
    client,
    connection_args,
    use_color,
    write_file,
)
from hcsync.config import load_config
from hcsync.pipeline import plan_against_live
from hcsync.render import FORMATS, render, render_json

HELP = """\
Show what apply would change: each create, update (field by field) and delete.

examples:
  hcsync plan collections.yaml
  hcsync plan collections.yaml --format markdown > plan.md
  hcsync plan collections.yaml --format json --out plan.json
  hcsync plan collections.yaml --detailed-exitcode   # exit 2 when live differs
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "plan", help="show what apply would change", description=HELP, formatter_class=RAW
    )
    parser.add_argument("file", help="the YAML config file")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--out", metavar="PLAN.json", help="also write the plan as JSON here")
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 2 when there are changes (0 when none), for drift checks",
    )
    connection_args(parser)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    config = load_config(ns.file)
    plan = plan_against_live(config, client(ns, io), help_center=ns.help_center).plan
    io.out.write(render(plan, ns.format, color=use_color(io)))
    if ns.out:
        write_file(ns.out, render_json(plan))
    if ns.detailed_exitcode and not plan.empty:
        return EXIT_CHANGES
    return EXIT_OK
