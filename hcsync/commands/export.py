"""``hcsync export``: write the live help center as a config file, pinned by id."""

from __future__ import annotations

import argparse

from hcsync.commands.common import EXIT_OK, RAW, Io, client, connection_args, write_file
from hcsync.export import export_yaml
from hcsync.live import fetch_live

HELP = """\
Write the live help center as a config file with id pins, to adopt it in one step.

examples:
  hcsync export > collections.yaml
  hcsync export --help-center acme --out collections.yaml
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export", help="write live state as YAML", description=HELP, formatter_class=RAW
    )
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.add_argument(
        "--default-locale",
        help="the default locale, when the help center does not report one (default: en)",
    )
    connection_args(parser)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    live = fetch_live(client(ns, io), ns.help_center)
    text = export_yaml(live, default_locale=ns.default_locale)
    if ns.out:
        write_file(ns.out, text)
        io.err.write(f"wrote {len(live.collections)} collections to {ns.out}\n")
    else:
        io.out.write(text)
    return EXIT_OK
