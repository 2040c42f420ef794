"""The pipeline's middle, in one place: live state in, plan out.

``plan``, ``apply`` (before it starts and again to prove convergence) and the tests all
compute a plan the same way: fetch the chosen help center's collections, then diff the
desired config against them. This module owns that composition and nothing else; it neither
prints nor decides what a plan means.
"""

from __future__ import annotations

from dataclasses import dataclass

from hcsync.client import IntercomClient
from hcsync.config import Config
from hcsync.diff import build_plan
from hcsync.live import LiveState, fetch_live
from hcsync.plan import Plan


@dataclass(frozen=True)
class Planned:
    """A plan and the live state it was computed from."""

    plan: Plan
    live: LiveState


def plan_against_live(
    config: Config, client: IntercomClient, *, help_center: str | None = None
) -> Planned:
    """Fetch live state for the config's help center (or ``help_center``) and plan."""
    live = fetch_live(client, help_center if help_center is not None else config.help_center)
    plan = build_plan(
        config,
        live.collections,
        help_center=live.help_center.identifier,
        help_center_id=live.help_center.id,
    )
    return Planned(plan, live)
