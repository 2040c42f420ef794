"""``hcsync apply FILE``: make the live help center match, then prove it does."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from hcsync.apply import ApplyResult, Step, apply_plan
from hcsync.client import IntercomClient
from hcsync.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    RAW,
    Io,
    client,
    connection_args,
    scrub,
    use_color,
)
from hcsync.config import Config, load_config
from hcsync.errors import ConvergenceError
from hcsync.model import show_path
from hcsync.pipeline import plan_against_live
from hcsync.plan import Plan
from hcsync.render import render_text

HELP = """\
Make the live help center match the file: creates and updates parent-first, deletes
children-first, then re-reads live state and confirms the next plan is empty.

examples:
  hcsync apply collections.yaml
  hcsync apply collections.yaml --region eu
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "apply", help="make the live help center match", description=HELP, formatter_class=RAW
    )
    parser.add_argument("file", help="the YAML config file")
    connection_args(parser)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    config = load_config(ns.file)
    intercom = client(ns, io)
    plan = plan_against_live(config, intercom, help_center=ns.help_center).plan
    color = use_color(io)
    io.out.write(render_text(plan, color=color))
    if plan.empty:
        return EXIT_OK
    io.out.write("\nApplying:\n")
    result = apply_plan(plan, intercom, default_locale=config.default_locale, on_step=progress(io))
    if not result.ok:
        report_partial(result, io)
        return EXIT_ERROR
    verify(config, intercom, ns.help_center, io, color)
    return EXIT_OK


def progress(io: Io) -> Callable[[Step], None]:
    """A callback printing one line per step as apply goes: ``[ 3/12] created A / B (id 7)``."""

    def report(step: Step) -> None:
        width = len(str(step.total))
        where = show_path(step.change.path)
        counter = f"[{step.number:>{width}}/{step.total}]"
        if step.outcome == "failed":
            io.out.write(f"  {counter} FAILED {where}: {scrub(str(step.error), io.env)}\n")
        else:
            ident = f" (id {step.id})" if step.id else ""
            io.out.write(f"  {counter} {step.outcome} {where}{ident}\n")
        io.out.flush()

    return report


def report_partial(result: ApplyResult, io: Io) -> None:
    """Say where apply stopped, what it did and what it did not do."""
    done = [s for s in result.steps if s.outcome != "failed"]
    failed = result.failed
    assert failed is not None
    io.err.write(
        f"\napply stopped at {failed.change.kind} of {show_path(failed.change.path)}: "
        f"{scrub(str(failed.error), io.env)}\n"
        f"{len(done)} change{'s' if len(done) != 1 else ''} done, "
        f"{len(result.not_done) + 1} not done:\n"
    )
    for change in (failed.change, *result.not_done):
        io.err.write(f"  {change.kind} {show_path(change.path)}\n")
    io.err.write("Fix the cause and run apply again: it picks up from the live state.\n")


def verify(
    config: Config, intercom: IntercomClient, wanted: str | None, io: Io, color: bool
) -> None:
    """Re-read live state and prove the next plan is empty, or say exactly what differs."""
    after = plan_against_live(config, intercom, help_center=wanted).plan
    if after.empty:
        io.out.write(
            "\nVerified: the live help center now matches the file (next plan is empty).\n"
        )
        return
    io.out.write("\nAfter apply, live state still differs:\n")
    io.out.write(render_text(after, color=color))
    raise ConvergenceError(f"apply did not converge: {counts(after)} still pending; see above")


def counts(plan: Plan) -> str:
    return ", ".join(f"{n} to {kind}" for kind, n in plan.counts().items() if n)
