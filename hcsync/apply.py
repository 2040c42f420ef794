"""Carrying out a plan against the live help center, in the plan's order.

This module owns the *execution* of a Plan: creates and updates parent-first (the plan is
already sorted that way), a new parent's id handed to the children created after it, deletes
children-first, and stopping at the first error a retry could not cure so that nothing runs
on top of a failed step. It reports each step through a callback and returns what was done
and what was not; it never prints. Deciding *what* to do is the differ's job, not this one's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from hcsync.client import IntercomClient
from hcsync.errors import ApiError, HcsyncError
from hcsync.payload import create_body, update_body
from hcsync.plan import Change, Plan

Outcome = Literal["created", "updated", "deleted", "already gone", "failed"]


@dataclass(frozen=True)
class Step:
    """One change carried out (or not): what the progress callback is told."""

    number: int  # 1-based position in the plan
    total: int
    change: Change
    outcome: Outcome
    id: str | None = None  # the live id the change touched (the new id for a create)
    error: HcsyncError | None = None


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did: every step taken, and the changes it never reached."""

    steps: tuple[Step, ...] = ()
    not_done: tuple[Change, ...] = ()
    created: dict[tuple[str, ...], str] = field(default_factory=dict)  # desired path -> new id

    @property
    def failed(self) -> Step | None:
        return next((s for s in self.steps if s.outcome == "failed"), None)

    @property
    def ok(self) -> bool:
        return self.failed is None


def _ignore(_step: Step) -> None:
    return None


def apply_plan(
    plan: Plan,
    client: IntercomClient,
    *,
    default_locale: str,
    on_step: Callable[[Step], None] = _ignore,
) -> ApplyResult:
    """Apply every change of ``plan`` in order; stop at the first failure.

    A failure stops the run because later changes may depend on it (a child needs its
    parent's id, a parent's delete needs its children gone). Running ``apply`` again after
    fixing the cause converges: completed creates are then matched by name, not repeated.
    """
    created: dict[tuple[str, ...], str] = {}
    steps: list[Step] = []
    total = len(plan.changes)
    for number, change in enumerate(plan.changes, start=1):
        try:
            outcome, live_id = _apply_one(change, client, plan, created, default_locale)
        except HcsyncError as err:
            step = Step(number, total, change, "failed", change.id, err)
            steps.append(step)
            on_step(step)
            return ApplyResult(tuple(steps), plan.changes[number:], created)
        step = Step(number, total, change, outcome, live_id)
        steps.append(step)
        on_step(step)
    return ApplyResult(tuple(steps), (), created)


def _apply_one(
    change: Change,
    client: IntercomClient,
    plan: Plan,
    created: dict[tuple[str, ...], str],
    default_locale: str,
) -> tuple[Outcome, str | None]:
    if change.kind == "delete":
        assert change.id is not None, "a delete always names a live id"
        try:
            client.delete_collection(change.id)
        except ApiError as err:
            # Gone already (deleted by hand, or by an earlier run that died before it could
            # report): the goal of the step is met.
            if err.status == 404:
                return "already gone", change.id
            raise
        return "deleted", change.id
    parent_id = _parent_id(change, created)
    if change.kind == "create":
        body = create_body(
            name=change.name,
            description=change.description,
            translations=change.translations,
            parent_id=parent_id,
            help_center_id=plan.help_center_id,
            default_locale=default_locale,
        )
        new = client.create_collection(body)
        new_id = str(new["id"])
        created[change.path] = new_id
        return "created", new_id
    assert change.id is not None, "an update always names a live id"
    body = update_body(
        name=change.name,
        description=change.description,
        translations=change.translations,
        parent_id=parent_id,
        default_locale=default_locale,
    )
    client.update_collection(change.id, body)
    return "updated", change.id


def _parent_id(change: Change, created: dict[tuple[str, ...], str]) -> str | None:
    """The live id of the parent this change must end up under (None: top level).

    A parent created earlier in this run has no id in the plan; the plan names it by path
    and, because creates run parent-first, its new id is already in ``created``.
    """
    if change.parent_id is not None or not change.parent_path:
        return change.parent_id
    try:
        return created[change.parent_path]
    except KeyError:
        msg = f"parent {change.parent_path} was not created before its child"
        raise AssertionError(msg) from None
