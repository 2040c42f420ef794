"""``hcsync fetch-reviewed-plan --out PLAN.json``: the plan reviewed on the merged pull request.

Owns the command's flags, its help and what it prints. Finding the pull request merged as
GITHUB_SHA, its plan artifact and reading ``plan.json`` out of it is ``hcsync.github_api``'s
job; checking and applying the plan is ``hcsync apply --plan``'s. This command never plans:
when the reviewed plan cannot be found, it fails and says what to do.
"""

from __future__ import annotations

import argparse

from hcsync.commands import COMMANDS
from hcsync.commands.common import EXIT_OK, RAW, Io, printable, scrub
from hcsync.errors import UsageError
from hcsync.github import TITLE, escape_data, escape_property, in_github_actions

HELP = """\
In a GitHub Actions job run on a push to the main branch: find the pull request merged as
this commit (GITHUB_SHA), the plan its plan job saved for the pull request's final head commit
(the artifact hcsync-plan-pr<N>-<head sha>, uploaded by the hcsync Action), and write that
plan.json to --out, for `hcsync apply --plan`.

It fails (exit 1), saying what to do, when the commit was not merged from a pull request,
when no plan was saved for the pull request's final head (the plan job did not run for it, or
its artifact expired), or when the token may not read it. It never makes a fresh plan.

Reads GITHUB_TOKEN (needs `permissions: actions: read, pull-requests: read, contents: read`),
GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_API_URL (default https://api.github.com), all set by
GitHub Actions except the token (env: GITHUB_TOKEN: ${{ github.token }}).

examples:
  hcsync fetch-reviewed-plan --out plan.json && hcsync apply --plan plan.json
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "fetch-reviewed-plan",
        help=COMMANDS["fetch-reviewed-plan"],
        description=HELP,
        formatter_class=RAW,
    )
    parser.add_argument(
        "--out", required=True, metavar="PLAN.json", help="where to write the reviewed plan"
    )
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    from hcsync.github_api import GitHubError, fetch_reviewed_plan

    try:
        pr, artifact, plan = fetch_reviewed_plan(io.env, transport=io.transport)
    except GitHubError as err:
        message = scrub(str(err), io.env, variable="GITHUB_TOKEN")
        if in_github_actions(io.env):
            io.out.write(f"::error title={escape_property(TITLE)}::{escape_data(message)}\n")
        raise GitHubError(message) from None
    try:
        with open(ns.out, "wb") as fh:
            fh.write(plan)
    except OSError as err:
        raise UsageError(f"cannot write {ns.out}: {err.strerror}") from None
    io.out.write(
        printable(
            f"Fetched the plan reviewed on pull request #{pr.number} (head {pr.head_sha}, "
            f"artifact {artifact.name}) into {ns.out}\n"
        )
    )
    return EXIT_OK
