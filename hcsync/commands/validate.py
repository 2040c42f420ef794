"""``hcsync validate FILE...``: check config files against the schema and the rules. No network.

Every file is checked and every problem of every file reported at once (pre-commit passes
many file names in one call); inside GitHub Actions the problems are also printed as
``::error`` annotations on the files' lines.
"""

from __future__ import annotations

import argparse

from hcsync.commands import COMMANDS
from hcsync.commands.common import EXIT_OK, RAW, Io
from hcsync.errors import ConfigError, Problem
from hcsync.escape import clean
from hcsync.github import annotate_config_errors

HELP = """\
Check config files against the schema and the semantic rules. No network.
Every file is checked; exit 1 if any of them has a problem.

examples:
  hcsync validate collections.yaml
  hcsync validate help/*.yaml
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate", help=COMMANDS["validate"], description=HELP, formatter_class=RAW
    )
    parser.add_argument("files", nargs="+", metavar="file", help="the YAML config file(s)")
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    from hcsync.config import load_config

    problems: list[Problem] = []
    with annotate_config_errors(io.env, io.out):
        for path in ns.files:
            try:
                config = load_config(path)
            except ConfigError as err:
                problems.extend(err.problems)
                continue
            count = len(config.walk())
            shown = clean(path)  # a file name from a pull request may hold a line break
            found = f"{count} collection{'s' if count != 1 else ''}"
            if config.articles is not None:
                from hcsync.kinds import ARTICLE_KIND
                from hcsync.kinds.article.desired import offline_findings

                bad, warned = offline_findings(config, ARTICLE_KIND.for_config(config).headings)
                for warning in warned:
                    io.err.write(f"warning: {warning}\n")
                if bad:
                    problems.extend(bad)
                    continue
                articles = len(config.articles.articles)
                found += f", {articles} article{'s' if articles != 1 else ''}"
            io.out.write(f"{shown}: valid ({found})\n")
        if problems:
            # One error for all files, so the CLI reports every problem and exits 1 once.
            raise ConfigError(problems)
    return EXIT_OK
