"""``hcsync validate FILE``: check a config file against the schema and the rules. No network."""

from __future__ import annotations

import argparse

from hcsync.commands.common import EXIT_OK, RAW, Io
from hcsync.config import load_config

HELP = """\
Check a config file against the schema and the semantic rules. No network.

examples:
  hcsync validate collections.yaml
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate", help="check a config file", description=HELP, formatter_class=RAW
    )
    parser.add_argument("file", help="the YAML config file")
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    config = load_config(ns.file)
    count = len(config.walk())
    io.out.write(f"{ns.file}: valid ({count} collection{'s' if count != 1 else ''})\n")
    return EXIT_OK
