"""``hcsync apply FILE`` / ``apply --plan PLAN.json``: make live match, then prove it does.

Owns the apply command's flags and what it prints: the plan (or, with --refresh, only how the
fresh plan differs from the reviewed one), the question on a terminal, the progress and the
verdict. It decides nothing: the refusals (changed file, stale saved plan, the safety
threshold, deletes of collections holding articles) and the convergence check are
``hcsync.sync``'s, raised as named errors before any write, so any caller of the library gets
them; this command only prints what ``sync`` chose and did.

Every name, id and message that comes from Intercom or from a plan file is printed through
``render.text``'s escaping (``show_path``, ``clean``), so it cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
from hcsync.escape import clean, show_path
from hcsync.limits import DEFAULT_PARALLELISM, MAX_CHANGE_SHARE, MIN_EXISTING
from hcsync.render import render

if TYPE_CHECKING:
    from hcsync.apply import ApplyResult, Step
    from hcsync.live import HelpCenter
    from hcsync.plan import Plan
    from hcsync.sync import Chosen

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
        reviewed = None
        if saved is not None:
            from hcsync.sync import Reviewed, check_source

            reviewed = Reviewed(saved, ns.plan, refresh=ns.refresh)
            # sync checks this too; asked here, a changed file is refused without waiting
            # for the listing.
            check_source(reviewed, config)
        intercom = early.client()
        listing = early.listing()
    from hcsync.sync import sync

    color = use_color(io)
    report = progress(io)
    beat = _Heartbeat(0)

    def on_step(step: Step) -> None:
        beat.reported(step)
        report(step)

    @contextmanager
    def applying(plan: Plan) -> Iterator[None]:
        io.out.write("\nApplying:\n")
        beat.total = len(plan.changes)
        with heartbeat(io, beat):
            yield

    def confirm(_plan: Plan, center: HelpCenter) -> bool:
        return ns.yes or not io.interactive() or _confirmed(io, center.identifier)

    try:
        synced = sync(
            config,
            intercom,
            help_center=ns.help_center,
            listing=listing,
            reviewed=reviewed,
            force=ns.force,
            no_delete=ns.no_delete,
            parallelism=ns.parallelism,
            on_plan=lambda chosen: _show(chosen, ns.plan, io, color),
            confirm=confirm,
            applying=applying,
            on_step=on_step,
        )
    except ConvergenceError as err:
        if err.pending is not None:
            io.out.write("\nAfter apply, live state still differs:\n")
            io.out.write(render(err.pending, "text", color=color))
        raise
    if synced.outcome == "nothing to apply":
        if synced.skipped:
            io.out.write(f"\nNothing to apply: {_skipped(synced.skipped)}.\n")
        return EXIT_OK
    if synced.outcome == "cancelled":
        io.err.write("Apply cancelled; nothing was changed.\n")
        return EXIT_ERROR
    if synced.outcome == "stopped":
        assert synced.applied is not None
        report_partial(synced.applied, io)
        return EXIT_ERROR
    assert synced.after is not None
    _verified(synced.after, io)
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


def _show(chosen: Chosen, plan_file: str | None, io: Io, color: bool) -> None:
    """Print the plan ``sync`` chose: as planned; or the saved one, with why it still holds;
    or, with --refresh, only how the fresh plan differs from the reviewed one."""
    if chosen.how == "planned":
        io.out.write(render(chosen.plan, "text", color=color))
    elif chosen.how == "already applied":
        io.out.write(
            "Nothing to do: this plan is already applied (live matches what it planned).\n"
        )
    elif chosen.how == "saved":
        io.out.write(
            f"Applying the saved plan {plan_file} (fingerprint {chosen.plan.fingerprint()[:12]}); "
            "live state is as it was planned against.\n"
        )
        io.out.write(render(chosen.plan, "text", color=color))
    else:
        from hcsync.render.difference import render_difference

        assert chosen.difference is not None
        io.out.write(f"Live state changed since {plan_file} was made; re-planned (--refresh):\n")
        io.out.write("".join(f"  {item}\n" for item in chosen.changed))
        io.out.write(render_difference(chosen.difference))


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
def heartbeat(io: Io, beat: _Heartbeat) -> Iterator[_Heartbeat]:
    """While the block runs, print "Still applying..." whenever ``beat`` heard of no step for
    ``io.heartbeat`` seconds (Terraform's "Still creating..."): a wave held back by rate
    limits or a slow server must not look like a hung job."""
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


def _verified(after: Plan, io: Io) -> None:
    """Say that the plan made after apply has nothing pending but the deletes left out."""
    skipped = len(after.of_kind("delete"))
    if skipped:
        io.out.write(
            f"\nVerified: the live help center now matches the file, except {_skipped(skipped)}.\n"
        )
    else:
        io.out.write(
            "\nVerified: the live help center now matches the file (next plan is empty).\n"
        )
