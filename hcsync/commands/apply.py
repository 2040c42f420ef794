"""``hcsync apply FILE`` / ``apply --plan PLAN.json``: make live match, then prove it does.

Owns the apply command's flags and what it prints: the plan (or, with --refresh, only how the
fresh plan differs from the reviewed one), the refusals (stale saved plan, changed file, the
safety threshold) and the progress. Checking a saved plan is ``saved``'s job, carrying a plan
out ``hcsync.apply``'s.

Every name, id and message that comes from Intercom or from a plan file is printed through
``render.text``'s escaping (``show_path``, ``clean``), so it cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from hcsync.commands import COMMANDS
from hcsync.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    RAW,
    Io,
    client,
    connection_args,
    read_config,
    scrub,
    use_color,
)
from hcsync.errors import ConvergenceError, UsageError
from hcsync.limits import DEFAULT_PARALLELISM, MAX_CHANGE_SHARE, MIN_EXISTING
from hcsync.render import render
from hcsync.render.escape import clean, show_path

if TYPE_CHECKING:
    from hcsync.apply import ApplyResult, Step
    from hcsync.client import IntercomClient
    from hcsync.config import Config
    from hcsync.pipeline import Planned
    from hcsync.plan import Plan

HELP = """\
Make the live help center match the file: creates and updates parent-first, deletes
children-first, then re-reads live state and confirms the next plan is empty.

With --plan, apply exactly a plan saved by `hcsync plan FILE --out PLAN.json` (the one that was
reviewed): it is refused if the YAML file changed since, or if any collection was edited,
deleted or created in Intercom since (each is named); --refresh then re-plans, shows only what
differs from the reviewed plan, and applies the fresh plan.

Calls run in an order that keeps every intermediate tree legal: parents before children, at
most three levels (moves included), children deleted before parents; a move that no order
allows goes through the top level (the plan says so). Independent calls run at once, at most
--parallelism requests in flight; siblings are created one after another, in file order. A
create whose answer was lost (timeout, 5xx) is looked for before it is tried again, so
nothing is created twice.

A plan that updates or deletes more than 30% of the existing collections (when at least 10
exist) is refused unless --force, and so is deleting a collection that holds articles.
Deleting an empty duplicate of a kept sibling (what two applies at once leave behind) is a
cleanup the threshold does not count. If collections appear during apply that the plan does
not create, another writer is active: apply adopts the ones it was about to create and stops
on the others. --no-delete applies everything but the deletions.

examples:
  hcsync apply collections.yaml
  hcsync apply collections.yaml --region eu
  hcsync plan collections.yaml --out plan.json && hcsync apply --plan plan.json
  hcsync apply --plan plan.json --refresh     # re-plan if live changed since the review
  hcsync apply collections.yaml --no-delete   # creates and updates only
  hcsync apply collections.yaml --force       # past the 30% safety threshold
  hcsync apply collections.yaml --parallelism 1   # one call at a time
  hcsync apply collections.yaml --yes         # on a terminal, without asking first

On a terminal (standard input and output both), apply shows the plan and asks before it
writes: type `yes` (or the help center's identifier) to go on; anything else cancels.
--yes (or --auto-approve) skips the question; without a terminal (CI) nothing is asked.
A saved plan that is already applied (live is what it planned) is nothing to do.
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("apply", help=COMMANDS["apply"], description=HELP, formatter_class=RAW)
    parser.add_argument(
        "file", nargs="?", help="the YAML config file (optional with --plan: the plan names it)"
    )
    parser.add_argument(
        "--plan", metavar="PLAN.json", help="apply exactly this saved plan (from plan --out)"
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="with --plan: if live changed since the plan, re-plan, show only what differs "
        "from the reviewed plan, and apply the fresh plan",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="apply even past the safety threshold (updates and deletes of more than "
        f"{MAX_CHANGE_SHARE * 100:.0f}%% of at least {MIN_EXISTING} existing collections), "
        "and delete collections that hold articles",
    )
    parser.add_argument(
        "--no-delete",
        action="store_true",
        help="apply creates and updates but no deletions",
    )
    parser.add_argument(
        "--parallelism",
        type=int,
        default=DEFAULT_PARALLELISM,
        metavar="N",
        help="at most N requests to Intercom in flight at once, listing included "
        f"(default {DEFAULT_PARALLELISM}; 1 sends one request at a time)",
    )
    parser.add_argument(
        "--yes",
        "--auto-approve",
        dest="yes",
        action="store_true",
        help="do not ask before applying (only ever asked on a terminal)",
    )
    connection_args(parser)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    from hcsync.live import EarlyListing

    if ns.file is None and ns.plan is None:
        raise UsageError("apply needs the YAML file, or a saved plan: --plan PLAN.json")
    if ns.parallelism < 1:
        raise UsageError(f"--parallelism must be at least 1, not {ns.parallelism}")
    if ns.refresh and ns.plan is None:
        raise UsageError("--refresh only goes with --plan PLAN.json")
    # The listing starts first (it needs nothing from the files): importing the planner and
    # reading and checking the files overlap its round trips.
    with EarlyListing(lambda: client(ns, io)) as early:
        saved = _read_saved(ns.plan) if ns.plan else None
        source = ns.file if saved is None else _source_of(saved, ns.file, ns.plan)
        config = read_config(source, io)
        if saved is not None:
            _check_digest(saved, config, ns.plan)
        intercom = early.client()
        listing = early.listing()
    from hcsync.apply import apply_plan
    from hcsync.pipeline import plan_against_live

    planned = plan_against_live(config, intercom, help_center=ns.help_center, listing=listing)
    color = use_color(io)
    if saved is None:
        plan = planned.plan
        io.out.write(render(plan, "text", color=color))
    else:
        plan = _saved_or_refreshed(saved, planned, ns, io, color)
    skipped = len(plan.of_kind("delete")) if ns.no_delete else 0
    if ns.no_delete:
        plan = plan.without_deletes()
    danger = plan.too_much_change
    if danger and not ns.force:
        raise UsageError(f"refusing to apply: {danger}. Nothing was applied.")
    holding = plan.holding_articles
    if holding and not ns.force:
        shown = ", ".join(f"{show_path(c.path)} ({c.articles})" for c in holding[:5])
        more = f" and {len(holding) - 5} more" if len(holding) > 5 else ""
        raise UsageError(
            f"refusing to apply: {len(holding)} collection{'s' if len(holding) != 1 else ''}"
            f" to delete hold{'s' if len(holding) == 1 else ''} articles: {shown}{more}."
            " What Intercom does with them is undocumented (it may refuse, orphan them or"
            " delete them): move the articles first, or apply with --force. Nothing was applied."
        )
    if plan.empty:
        if skipped:
            io.out.write(f"\nNothing to apply: {_skipped(skipped)}.\n")
        return EXIT_OK
    if not ns.yes and io.interactive() and not _confirmed(io, planned.live.help_center.identifier):
        io.err.write("Apply cancelled; nothing was changed.\n")
        return EXIT_ERROR
    io.out.write("\nApplying:\n")
    report = progress(io)
    with heartbeat(io, len(plan.changes)) as beat:

        def on_step(step: Step) -> None:
            beat.reported(step)
            report(step)

        result = apply_plan(
            plan,
            intercom,
            default_locale=config.default_locale,
            parallelism=ns.parallelism,
            on_step=on_step,
        )
    if not result.ok:
        report_partial(result, io)
        return EXIT_ERROR
    verify(
        config, intercom, ns.help_center, io, color, no_delete=ns.no_delete, applied=(plan, result)
    )
    return EXIT_OK


def _read_saved(path: str) -> Plan:
    from hcsync.saved import read_saved_plan

    return read_saved_plan(path)


def _source_of(saved: Plan, file: str | None, plan_file: str) -> str:
    """The YAML file a saved plan is applied with: the one it names, or FILE if the same."""
    if file is None:
        return saved.source
    if os.path.realpath(file) != os.path.realpath(saved.source):
        raise UsageError(
            f"{plan_file} was made from {clean(saved.source)}, not {file}; give the same file, "
            "or leave FILE out"
        )
    return file


def _check_digest(saved: Plan, config: Config, plan_file: str) -> None:
    from hcsync.saved import file_digest

    current = config.digest or file_digest(config.source)
    if saved.source_digest != current:
        raise UsageError(
            f"{config.source} changed since the plan was made ({plan_file}); run plan again: "
            f"hcsync plan {config.source} --out {plan_file}"
        )


def _saved_or_refreshed(
    saved: Plan, planned: Planned, ns: argparse.Namespace, io: Io, color: bool
) -> Plan:
    """The saved plan when live state is as it was planned against; else, with --refresh, the
    fresh plan (after showing only how it differs); else StalePlanError naming each change."""
    from hcsync.render.difference import render_difference
    from hcsync.saved import StalePlanError, already_applied, plan_difference, stale

    if saved.help_center_id != planned.live.help_center.id:
        live = planned.live.help_center
        raise UsageError(
            f"{ns.plan} was made for help center {clean(saved.help_center)} (id "
            f"{clean(saved.help_center_id)}), not {clean(live.identifier)} (id {clean(live.id)})"
        )
    fresh = planned.plan
    changed = stale(saved, planned.live.collections, managed=dict(fresh.live_versions))
    if fresh.empty and already_applied(saved, changed):
        # Applied before (a re-run of the merge job): live is what the plan made it. Any
        # other change in Intercom stays a stale plan, refused below.
        io.out.write(
            "Nothing to do: this plan is already applied (live matches what it planned).\n"
        )
        return fresh
    difference = plan_difference(saved, fresh)
    if not changed and not difference.empty and not ns.refresh:
        # Nothing hcsync tracks moved, yet the file and live state no longer give these
        # changes: articles were added to a collection the plan deletes, or the plan file was
        # not made by this hcsync from this file (a tampered artifact). Never apply it as is.
        raise UsageError(
            f"{ns.plan} no longer matches what {clean(saved.source)} and the live help"
            " center give (for instance, articles were added to a collection it deletes);"
            " nothing was applied. Plan again, or apply with --refresh to see only what"
            " differs:\n" + render_difference(difference)
        )
    if not changed and difference.empty:
        io.out.write(
            f"Applying the saved plan {ns.plan} (fingerprint {saved.fingerprint()[:12]}); "
            "live state is as it was planned against.\n"
        )
        io.out.write(render(saved, "text", color=color))
        # The reviewed changes, ordered on the tree as it is now: the managed collections are
        # as planned (not stale), but an ignored one may have moved since.
        return replace(saved, live_tree=fresh.live_tree)
    if not ns.refresh:
        raise StalePlanError(ns.plan, saved.source, changed)
    io.out.write(f"Live state changed since {ns.plan} was made; re-planned (--refresh):\n")
    io.out.write("".join(f"  {item}\n" for item in changed))
    io.out.write(render_difference(difference))
    return fresh


def _confirmed(io: Io, identifier: str) -> bool:
    """Ask on the terminal, as Terraform does; only ``yes`` or the help center's identifier
    goes on (the identifier, so a reader notices which site is about to change)."""
    io.out.write(
        f"\nDo you want to apply these changes to help center {clean(identifier)}?\n"
        f"  Only 'yes' (or '{clean(identifier)}') is accepted.\n"
        "  Enter a value: "
    )
    io.out.flush()
    answer = io.inp.readline().strip()
    return answer in ("yes", identifier)


class _Heartbeat:
    """What apply's heartbeat knows: how many steps were reported, and whether one was since
    it last looked."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.heard = threading.Event()

    def reported(self, step: Step) -> None:
        self.done = max(self.done, step.number)
        self.total = step.total  # parked moves add steps the plan does not count
        self.heard.set()


@contextmanager
def heartbeat(io: Io, total: int) -> Iterator[_Heartbeat]:
    """While the block runs, print "Still applying..." whenever no step was reported for
    ``io.heartbeat`` seconds (Terraform's "Still creating..."): a wave held back by rate
    limits or a slow server must not look like a hung job."""
    beat = _Heartbeat(total)
    stop = threading.Event()
    started = io.clock()

    def watch() -> None:
        while not stop.wait(io.heartbeat):
            if beat.heard.is_set():
                beat.heard.clear()
                continue
            elapsed = io.clock() - started
            io.out.write(
                f"  Still applying... ({beat.done} of {beat.total} done, {elapsed:.0f} s elapsed)\n"
            )
            io.out.flush()

    thread = threading.Thread(target=watch, name="hcsync-heartbeat", daemon=True)
    thread.start()
    try:
        yield beat
    finally:
        stop.set()
        thread.join()


def _skipped(count: int) -> str:
    return f"{count} deletion{'s' if count != 1 else ''} skipped (--no-delete)"


def progress(io: Io) -> Callable[[Step], None]:
    """A callback printing one line per step as apply goes: ``[ 3/12] created A / B (id 7)``."""

    def report(step: Step) -> None:
        width = len(str(step.total))
        where = show_path(step.change.path)
        counter = f"[{step.number:>{width}}/{step.total}]"
        ident = clean(step.id) if step.id else ""
        if step.outcome == "failed":
            io.out.write(f"  {counter} FAILED {where}: {_error(step, io)}\n")
        elif step.outcome == "adopted":
            io.out.write(
                f"  {counter} adopted {where} (id {ident}): created by another writer since"
                " the plan\n"
            )
        elif step.outcome == "parked":
            io.out.write(
                f"  {counter} moved {where} to the top level (id {ident}), to move it on later\n"
            )
        elif step.outcome == "found after an ambiguous failure":
            # The create's answer was lost but it had committed: adopted, not repeated.
            io.out.write(
                f"  {counter} created {where} (id {ident}; found after an ambiguous failure)\n"
            )
        else:
            suffix = f" (id {ident})" if ident else ""
            io.out.write(f"  {counter} {step.outcome} {where}{suffix}\n")
        io.out.flush()

    return report


def report_partial(result: ApplyResult, io: Io) -> None:
    """Say where apply stopped, what it did and what it did not do.

    Calls of one wave run at once, so more than one may have failed; each is named.
    """
    done = [s for s in result.steps if s.outcome != "failed"]
    failures = result.failures
    assert failures, "report_partial is for a result with a failed step"
    for failed in failures:
        io.err.write(
            f"\napply stopped at {failed.change.kind} of {show_path(failed.change.path)}: "
            f"{_error(failed, io)}\n"
        )
    not_done = [s.change for s in failures] + list(result.not_done)
    io.err.write(
        f"{len(done)} change{'s' if len(done) != 1 else ''} done, {len(not_done)} not done:\n"
    )
    for change in not_done:
        io.err.write(f"  {change.kind} {show_path(change.path)}\n")
    io.err.write("Fix the cause and run apply again: it picks up from the live state.\n")


def _error(step: Step, io: Io) -> str:
    """A failed step's error on one line: Intercom's message may echo a name, escapes and all."""
    return clean(scrub(str(step.error), io.env))


def verify(
    config: Config,
    intercom: IntercomClient,
    wanted: str | None,
    io: Io,
    color: bool,
    *,
    no_delete: bool = False,
    applied: tuple[Plan, ApplyResult] | None = None,
) -> None:
    """Re-read live state and prove the next plan is empty, or say exactly what differs.

    With ``no_delete`` the deletes still pending are the ones skipped on purpose: they are
    counted, not failed. With ``applied`` (the plan just applied and what it did), a field
    apply wrote that is still pending is named as one Intercom did not keep.
    """
    from hcsync.convergence import unkept
    from hcsync.pipeline import plan_against_live

    after = plan_against_live(config, intercom, help_center=wanted).plan
    pending = after.without_deletes() if no_delete else after
    if pending.empty:
        skipped = len(after.of_kind("delete"))
        if skipped:
            io.out.write(
                "\nVerified: the live help center now matches the file, except "
                f"{_skipped(skipped)}.\n"
            )
        else:
            io.out.write(
                "\nVerified: the live help center now matches the file (next plan is empty).\n"
            )
        return
    io.out.write("\nAfter apply, live state still differs:\n")
    io.out.write(render(pending, "text", color=color))
    reasons = unkept(applied[0], applied[1].created, pending) if applied else []
    if reasons:
        raise ConvergenceError("apply did not converge: " + "; ".join(reasons))
    raise ConvergenceError(f"apply did not converge: {counts(pending)} still pending; see above")


def counts(plan: Plan) -> str:
    return ", ".join(f"{n} to {kind}" for kind, n in plan.counts().items() if n)
