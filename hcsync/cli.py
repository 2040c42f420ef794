"""The command line: argparse, printing and exit codes, over the library.

This module is the only place that prints or decides an exit code. Each command is a plain
function returning its exit code; ``main`` turns hcsync's own errors into a clean message and
exit 1, and anything unexpected into a traceback (with the token scrubbed) and exit 3.
Everything it needs from outside (argv, environment, streams, an httpx transport) can be
passed in, so tests drive it against the emulator without patching anything.

Exit codes: 0 ok or no changes, 1 error, 2 changes pending (``plan --detailed-exitcode``),
3 internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import httpx

from hcsync import __version__
from hcsync.apply import ApplyResult, Step, apply_plan
from hcsync.client import IntercomClient
from hcsync.config import Config, load_config
from hcsync.connection import REGIONS, open_http, resolve_base_url, token_from_env
from hcsync.errors import ConvergenceError, HcsyncError, UsageError
from hcsync.export import export_yaml
from hcsync.live import fetch_live
from hcsync.model import show_path
from hcsync.pipeline import plan_against_live
from hcsync.plan import Plan
from hcsync.render import render_json, render_markdown, render_text

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERNAL = 3

VALIDATE_HELP = """\
Check a config file against the schema and the semantic rules. No network.

examples:
  hcsync validate collections.yaml
"""
PLAN_HELP = """\
Show what apply would change: each create, update (field by field) and delete.

examples:
  hcsync plan collections.yaml
  hcsync plan collections.yaml --format markdown > plan.md
  hcsync plan collections.yaml --format json --out plan.json
  hcsync plan collections.yaml --detailed-exitcode   # exit 2 when live differs
"""
APPLY_HELP = """\
Make the live help center match the file: creates and updates parent-first, deletes
children-first, then re-reads live state and confirms the next plan is empty.

examples:
  hcsync apply collections.yaml
  hcsync apply collections.yaml --region eu
"""
EXPORT_HELP = """\
Write the live help center as a config file with id pins, to adopt it in one step.

examples:
  hcsync export > collections.yaml
  hcsync export --help-center acme --out collections.yaml
"""
EMULATOR_HELP = """\
Run the bundled Intercom emulator on loopback (for demos and local trials).

examples:
  hcsync emulator --port 8765 --help-center acme
  INTERCOM_ACCESS_TOKEN=any hcsync plan collections.yaml --base-url http://127.0.0.1:8765
"""


@dataclass
class Io:
    """Where the CLI reads its environment and writes its output."""

    env: Mapping[str, str]
    out: TextIO
    err: TextIO
    transport: httpx.BaseTransport | None


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Run one hcsync command and return its exit code."""
    io = Io(
        env=os.environ if env is None else env,
        out=sys.stdout if stdout is None else stdout,
        err=sys.stderr if stderr is None else stderr,
        transport=transport,
    )
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["emulator"]:
        # The emulator has its own argument parser and runs until interrupted.
        from hcsync.emulator.server import main as emulator_main

        return emulator_main(args[1:])
    parser = _parser()
    ns = parser.parse_args(args)
    command: Callable[[argparse.Namespace, Io], int] = ns.command
    try:
        return command(ns, io)
    except HcsyncError as err:
        io.err.write(f"error: {_scrub(str(err), io.env)}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        io.err.write("interrupted\n")
        return 130
    except Exception:
        text = "".join(traceback.format_exc())
        io.err.write(_scrub(text, io.env))
        io.err.write("internal error: this is a bug in hcsync; please report it with the above\n")
        return EXIT_INTERNAL


def _scrub(text: str, env: Mapping[str, str]) -> str:
    """Belt and braces: the token is never put in messages, but never let one through."""
    token = env.get("INTERCOM_ACCESS_TOKEN", "").strip()
    return text.replace(token, "[token]") if len(token) >= 4 else text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hcsync",
        description="Intercom Help Center collections as code: validate, plan, apply, export.",
        epilog="Exit codes: 0 ok, 1 error, 2 changes pending (--detailed-exitcode), 3 bug.",
    )
    parser.add_argument("--version", action="version", version=f"hcsync {__version__}")
    sub = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter

    validate = sub.add_parser(
        "validate", help="check a config file", description=VALIDATE_HELP, formatter_class=raw
    )
    validate.add_argument("file", help="the YAML config file")
    validate.set_defaults(command=cmd_validate)

    plan = sub.add_parser(
        "plan", help="show what apply would change", description=PLAN_HELP, formatter_class=raw
    )
    plan.add_argument("file", help="the YAML config file")
    plan.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    plan.add_argument("--out", metavar="PLAN.json", help="also write the plan as JSON here")
    plan.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 2 when there are changes (0 when none), for drift checks",
    )
    _connection_args(plan)
    plan.set_defaults(command=cmd_plan)

    apply = sub.add_parser(
        "apply", help="make the live help center match", description=APPLY_HELP, formatter_class=raw
    )
    apply.add_argument("file", help="the YAML config file")
    _connection_args(apply)
    apply.set_defaults(command=cmd_apply)

    export = sub.add_parser(
        "export", help="write live state as YAML", description=EXPORT_HELP, formatter_class=raw
    )
    export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    export.add_argument(
        "--default-locale",
        help="the default locale, when the help center does not report one (default: en)",
    )
    _connection_args(export)
    export.set_defaults(command=cmd_export)

    # Listed for --help; main() hands `hcsync emulator ...` to the emulator's own parser.
    sub.add_parser(
        "emulator", help="run the Intercom emulator", description=EMULATOR_HELP, add_help=False
    )
    return parser


def _connection_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "connection", "The access token is read from INTERCOM_ACCESS_TOKEN, never from a flag."
    )
    group.add_argument("--region", choices=sorted(REGIONS), default="us", help="default: us")
    group.add_argument(
        "--base-url", help="another API root (a proxy, or the emulator on http://127.0.0.1)"
    )
    group.add_argument(
        "--help-center",
        help="identifier or id of the help center (default: the file's help_center, "
        "or the only one)",
    )


def _client(ns: argparse.Namespace, io: Io) -> IntercomClient:
    base_url = resolve_base_url(ns.region, ns.base_url)
    token = token_from_env(io.env)
    return IntercomClient(open_http(base_url, token, transport=io.transport))


def _use_color(io: Io) -> bool:
    if io.env.get("NO_COLOR"):
        return False
    isatty = getattr(io.out, "isatty", None)
    return bool(isatty and isatty())


def cmd_validate(ns: argparse.Namespace, io: Io) -> int:
    config = load_config(ns.file)
    count = len(config.walk())
    io.out.write(f"{ns.file}: valid ({count} collection{'s' if count != 1 else ''})\n")
    return EXIT_OK


def cmd_plan(ns: argparse.Namespace, io: Io) -> int:
    config = load_config(ns.file)
    planned = plan_against_live(config, _client(ns, io), help_center=ns.help_center)
    plan = planned.plan
    if ns.format == "json":
        io.out.write(render_json(plan))
    elif ns.format == "markdown":
        io.out.write(render_markdown(plan))
    else:
        io.out.write(render_text(plan, color=_use_color(io)))
    if ns.out:
        _write(ns.out, render_json(plan))
    if ns.detailed_exitcode and not plan.empty:
        return EXIT_CHANGES
    return EXIT_OK


def cmd_apply(ns: argparse.Namespace, io: Io) -> int:
    config = load_config(ns.file)
    client = _client(ns, io)
    planned = plan_against_live(config, client, help_center=ns.help_center)
    plan = planned.plan
    color = _use_color(io)
    io.out.write(render_text(plan, color=color))
    if plan.empty:
        return EXIT_OK
    io.out.write("\nApplying:\n")
    result = apply_plan(plan, client, default_locale=config.default_locale, on_step=_progress(io))
    if not result.ok:
        _report_partial(result, io)
        return EXIT_ERROR
    _verify(config, client, ns.help_center, io, color)
    return EXIT_OK


def _progress(io: Io) -> Callable[[Step], None]:
    width = 0

    def report(step: Step) -> None:
        nonlocal width
        width = width or len(str(step.total))
        where = show_path(step.change.path)
        ident = f" (id {step.id})" if step.id else ""
        if step.outcome == "failed":
            io.out.write(f"  [{step.number:>{width}}/{step.total}] FAILED {where}: {step.error}\n")
        else:
            io.out.write(f"  [{step.number:>{width}}/{step.total}] {step.outcome} {where}{ident}\n")
        io.out.flush()

    return report


def _report_partial(result: ApplyResult, io: Io) -> None:
    done = [s for s in result.steps if s.outcome != "failed"]
    failed = result.failed
    assert failed is not None
    io.err.write(
        f"\napply stopped at {failed.change.kind} of {show_path(failed.change.path)}: "
        f"{_scrub(str(failed.error), io.env)}\n"
        f"{len(done)} change{'s' if len(done) != 1 else ''} done, "
        f"{len(result.not_done) + 1} not done:\n"
    )
    for change in (failed.change, *result.not_done):
        io.err.write(f"  {change.kind} {show_path(change.path)}\n")
    io.err.write("Fix the cause and run apply again: it picks up from the live state.\n")


def _verify(
    config: Config, client: IntercomClient, wanted: str | None, io: Io, color: bool
) -> None:
    """Re-read live state and prove the next plan is empty, or say exactly what differs."""
    after = plan_against_live(config, client, help_center=wanted).plan
    if after.empty:
        io.out.write(
            "\nVerified: the live help center now matches the file (next plan is empty).\n"
        )
        return
    io.out.write("\nAfter apply, live state still differs:\n")
    io.out.write(render_text(after, color=color))
    raise ConvergenceError(
        f"apply did not converge: {_counts(after)} still pending; see the plan above"
    )


def _counts(plan: Plan) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in plan.counts().items() if n)


def cmd_export(ns: argparse.Namespace, io: Io) -> int:
    live = fetch_live(_client(ns, io), ns.help_center)
    text = export_yaml(live, default_locale=ns.default_locale)
    if ns.out:
        _write(ns.out, text)
        io.err.write(f"wrote {len(live.collections)} collections to {ns.out}\n")
    else:
        io.out.write(text)
    return EXIT_OK


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror}") from None


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
