"""``hcsync export``: write the live help center as a config file, pinned by id."""

from __future__ import annotations

import argparse

from hcsync.commands import COMMANDS
from hcsync.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    RAW,
    Io,
    client,
    connection_args,
    write_file,
)
from hcsync.escape import clean

HELP = """\
Write the live help center as a config file with id pins, to adopt it in one step.

The file is then checked as `hcsync validate` would check it. Intercom accepts some names the
config format refuses (a line break or another control character, a bidirectional override
such as U+202E, over 255 characters, surrounding spaces, siblings that differ only in case);
the file is still written, each problem is named with its live collection's id, and the exit
code is 1.

examples:
  hcsync export > collections.yaml
  hcsync export --help-center acme --out collections.yaml
  hcsync export --help-center staging --no-ids --out site.yaml   # then, to production:
  hcsync apply site.yaml --help-center production
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export", help=COMMANDS["export"], description=HELP, formatter_class=RAW
    )
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.add_argument(
        "--no-ids",
        dest="ids",
        action="store_false",
        help="no id pins: a file to apply to another or an empty help center (restore a"
        " backup, promote staging to production)",
    )
    parser.add_argument(
        "--default-locale",
        help="the default locale, when the help center does not report one (default: en)",
    )
    connection_args(parser, has_file=False)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    from hcsync.export import export_problems, export_yaml
    from hcsync.live import fetch_live

    live = fetch_live(client(ns, io), ns.help_center, how="pass --help-center to choose one")
    for warning in live.warnings:  # e.g. collections whose help center cannot be told
        io.err.write(f"warning: {clean(warning)}\n")
    text = export_yaml(live, default_locale=ns.default_locale, ids=ns.ids)
    if ns.out:
        write_file(ns.out, text)
        io.err.write(f"wrote {len(live.collections)} collections to {ns.out}\n")
    else:
        io.out.write(text)
    problems = export_problems(text, ns.out or "<standard output>")
    if not problems:
        return EXIT_OK
    count = len(problems)
    io.err.write(
        f"error: the exported file has {count} problem{'s' if count != 1 else ''} that"
        " hcsync would refuse; rename the collections in Intercom (or edit the file) and"
        " validate it:\n"
    )
    for problem in problems:
        io.err.write(f"  {problem}\n")
    return EXIT_ERROR
