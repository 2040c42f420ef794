"""The library's apply entry point: every safety check, then apply, then the proof.

``sync`` is what any caller (the ``apply`` command, a script, a test) runs to make a help
center match a config, as octoDNS's ``Manager.sync`` is: it plans against live state (or
checks that a reviewed, saved plan still holds), refuses a dangerous plan, carries it out
with ``apply.apply_plan``, then re-plans and proves the next plan is empty. Whoever calls it
gets the same refusals; a command only prints what it is told.

This module owns the order of those steps and every refusal, each a named error raised
before any write: the saved plan's source digest (``SourceChangedError``), its help center
(``OtherHelpCenterError``), staleness (``StalePlanError``) and drift (``PlanMismatchError``),
the safety threshold (``TooMuchChangeError``) and deletes of collections holding articles
(``HoldingArticlesError``) unless ``force``, and the convergence check after apply
(``ConvergenceError``). ``saved`` and ``Plan`` measure; this module decides.

It must not print, ask or look at a terminal: it reports through the callbacks its caller
passes (the chosen plan, a confirmation, each step). Nor does it decide the apply order
(``order``) or make calls of its own (``pipeline`` lists, ``apply`` writes).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from hcsync.apply import ApplyResult, Step, apply_plan
from hcsync.convergence import unkept
from hcsync.errors import (
    ConvergenceError,
    HoldingArticlesError,
    OtherHelpCenterError,
    PlanMismatchError,
    SourceChangedError,
    StalePlanError,
    TooMuchChangeError,
)
from hcsync.limits import DEFAULT_PARALLELISM
from hcsync.pipeline import Planned, plan_against_live
from hcsync.plan import Plan

if TYPE_CHECKING:
    from hcsync.client import IntercomClient
    from hcsync.compare import PlanDifference
    from hcsync.config import Config
    from hcsync.live import HelpCenter, Listing
    from hcsync.staleness import Staleness


@dataclass(frozen=True)
class Reviewed:
    """A saved plan (``hcsync plan --out``) to apply exactly as it was reviewed."""

    plan: Plan
    plan_file: str  # where it was read from, as messages name it
    refresh: bool = False  # live changed since: apply the fresh plan rather than refuse


How = Literal["planned", "saved", "refreshed", "already applied"]


@dataclass(frozen=True)
class Chosen:
    """The plan ``sync`` goes on to check and apply, and why that one: what ``on_plan`` is
    told, before any refusal for the threshold or articles.

    ``planned``: made now from the file. ``saved``: the reviewed plan, live is as it was
    planned against. ``refreshed``: live changed since the review (``changed``), so the fresh
    plan, which does ``difference`` differently. ``already applied``: live is what the
    reviewed plan made it; ``plan`` is the fresh, empty one.
    """

    how: How
    plan: Plan  # as planned or reviewed: deletes still in under ``no_delete``
    changed: tuple[Staleness, ...] = ()
    difference: PlanDifference | None = None


Outcome = Literal["nothing to apply", "cancelled", "stopped", "converged"]


@dataclass(frozen=True)
class Synced:
    """What ``sync`` did. ``stopped``: apply failed part way (``applied`` says where);
    ``converged``: it ran and the plan made after it (``after``) has nothing pending but the
    deletes ``no_delete`` left out."""

    outcome: Outcome
    plan: Plan  # what was (or was to be) applied: without deletes under ``no_delete``
    skipped: int = 0  # deletes left out by ``no_delete``
    applied: ApplyResult | None = None  # None when apply did not run
    after: Plan | None = None  # the plan made after apply, when it converged


def _ignore(_value: object) -> None:
    return None


def _go_on(_plan: Plan, _center: HelpCenter) -> bool:
    return True


def _no_context(_plan: Plan) -> AbstractContextManager[object]:
    return nullcontext()


def sync(
    config: Config,
    client: IntercomClient,
    *,
    help_center: str | None = None,
    listing: Listing | None = None,
    reviewed: Reviewed | None = None,
    force: bool = False,
    no_delete: bool = False,
    parallelism: int = DEFAULT_PARALLELISM,
    on_plan: Callable[[Chosen], None] = _ignore,
    confirm: Callable[[Plan, HelpCenter], bool] = _go_on,
    applying: Callable[[Plan], AbstractContextManager[object]] = _no_context,
    on_step: Callable[[Step], None] = _ignore,
) -> Synced:
    """Make the live help center match ``config``, or refuse before any write.

    Plans against live state (from ``listing`` when already read); with ``reviewed``, applies
    that saved plan instead, once its source digest, help center and live state are checked
    (``reviewed.refresh``: the fresh plan when live changed). ``no_delete`` leaves deletes
    out; ``force`` lets a plan past the threshold or deleting collections with articles go.
    ``on_plan`` is told the chosen plan, ``confirm`` asked before a non-empty plan is written
    (False: ``cancelled``, nothing written), apply runs inside ``applying(plan)`` reporting
    each step to ``on_step``; then live state is read again and ConvergenceError raised if
    anything but the left-out deletes is still pending.
    """
    if reviewed is not None:
        check_source(reviewed, config)
    planned = plan_against_live(config, client, help_center=help_center, listing=listing)
    chosen, plan = _choose(planned, reviewed)
    on_plan(chosen)
    skipped = len(plan.of_kind("delete")) if no_delete else 0
    if no_delete:
        plan = plan.without_deletes()
    if not force:
        raise_if_unsafe(plan)
    if plan.empty:
        return Synced("nothing to apply", plan, skipped)
    if not confirm(plan, planned.live.help_center):
        return Synced("cancelled", plan, skipped)
    with applying(plan):
        result = apply_plan(
            plan,
            client,
            default_locale=config.default_locale,
            parallelism=parallelism,
            on_step=on_step,
        )
    if not result.ok:
        return Synced("stopped", plan, skipped, result)
    after = converged(config, client, help_center, no_delete=no_delete, applied=(plan, result))
    return Synced("converged", plan, skipped, result, after)


def check_source(reviewed: Reviewed, config: Config) -> None:
    """SourceChangedError unless ``config`` was read from the very bytes ``reviewed`` was
    planned from. ``sync`` checks this first; a caller may check it sooner (the command
    does, before it waits for the listing)."""
    from hcsync.saved import file_digest

    current = config.digest or file_digest(config.source)
    if reviewed.plan.source_digest != current:
        raise SourceChangedError(config.source, reviewed.plan_file)


def raise_if_unsafe(plan: Plan) -> None:
    """TooMuchChangeError or HoldingArticlesError when ``plan`` is one apply makes only when
    forced (octoDNS's ``Plan.raise_if_unsafe``)."""
    danger = plan.too_much_change
    if danger:
        raise TooMuchChangeError(danger)
    holding = plan.holding_articles
    if holding:
        raise HoldingArticlesError([(c.path, c.articles or 0) for c in holding])


def _choose(planned: Planned, reviewed: Reviewed | None) -> tuple[Chosen, Plan]:
    """What to tell ``on_plan``, and the plan to go on with."""
    if reviewed is None:
        return Chosen("planned", planned.plan), planned.plan
    return _saved_or_refreshed(reviewed, planned)


def _saved_or_refreshed(reviewed: Reviewed, planned: Planned) -> tuple[Chosen, Plan]:
    """The saved plan when live state is as it was planned against; else, with refresh, the
    fresh plan; else StalePlanError naming each change."""
    from hcsync.compare import plan_difference
    from hcsync.render.difference import render_difference
    from hcsync.staleness import already_applied, stale

    saved = reviewed.plan
    live = planned.live.help_center
    if saved.help_center_id != live.id:
        raise OtherHelpCenterError(
            reviewed.plan_file,
            (saved.help_center, saved.help_center_id),
            (live.identifier, live.id),
        )
    fresh = planned.plan
    changed = stale(saved, planned.raw, managed=dict(fresh.live_versions))
    if fresh.empty and already_applied(saved, changed):
        # Applied before (a re-run of the merge job): live is what the plan made it. Any
        # other change in Intercom stays a stale plan, refused below.
        return Chosen("already applied", fresh), fresh
    difference = plan_difference(saved, fresh)
    if not changed and not difference.empty and not reviewed.refresh:
        # Nothing hcsync tracks moved, yet the file and live state no longer give these
        # changes: articles were added to a collection the plan deletes, or the plan file was
        # not made by this hcsync from this file (a tampered artifact). Never apply it as is.
        raise PlanMismatchError(reviewed.plan_file, saved.source, render_difference(difference))
    if not changed and difference.empty:
        # The reviewed changes, ordered on the tree as it is now: the managed collections are
        # as planned (not stale), but an ignored one may have moved since.
        # The counts too: the threshold measures what exists now, never what a plan file says.
        return Chosen("saved", saved), replace(
            saved, live_tree=fresh.live_tree, live_counts=fresh.live_counts
        )
    if not reviewed.refresh:
        raise StalePlanError(reviewed.plan_file, saved.source, changed)
    return Chosen("refreshed", fresh, tuple(changed), difference), fresh


def converged(
    config: Config,
    client: IntercomClient,
    help_center: str | None = None,
    *,
    no_delete: bool = False,
    applied: tuple[Plan, ApplyResult] | None = None,
) -> Plan:
    """Re-read live state and prove the next plan is empty: the plan made now, else
    ConvergenceError saying what differs (``pending``) and, with ``applied`` (the plan just
    applied and what it did), each field apply wrote that Intercom did not keep.

    With ``no_delete`` the deletes still pending are the ones left out on purpose: they are
    in the plan returned, not a failure.
    """
    after = plan_against_live(config, client, help_center=help_center).plan
    pending = after.without_deletes() if no_delete else after
    if pending.empty:
        return after
    reasons = unkept(applied[0], applied[1].created, pending) if applied else []
    if reasons:
        raise ConvergenceError(
            "apply did not converge: " + "; ".join(reasons), pending=pending, unkept=reasons
        )
    raise ConvergenceError(
        f"apply did not converge: {_counts(pending)} still pending; see above", pending=pending
    )


def _counts(plan: Plan) -> str:
    return ", ".join(f"{n} to {kind}" for kind, n in plan.counts().items() if n)
