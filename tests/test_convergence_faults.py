"""Apply converges under faults, over many seeds: 5xx, 429s, commit-then-502, and all at once.

Each run starts from a live state that needs creates, updates and deletes, applies through
the real client (retries, rate-limit waits, pacing) and the real apply (waves,
look-before-create), in process, on a fake clock shared by emulator and client: nothing
really sleeps. Every time: no duplicates, the next plan is empty.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from support import EXAMPLE, ROOT, TOKEN, FakeTime

from hcsync.apply import apply_plan
from hcsync.client import IntercomClient
from hcsync.config import load_config
from hcsync.connection import open_http
from hcsync.emulator import Emulator, Faults
from hcsync.pipeline import plan_against_live

sys.path.insert(0, str(ROOT))
from benchmarks.trees import seed, to_yaml, tree

SEEDS = range(int(os.environ.get("HCSYNC_FAULT_SEEDS", "25")))  # more: make test-heavy
FAULTS = {
    "5xx": Faults(error_rate=0.1, rate_limit=None),
    "429": Faults(rate_limit=25),
    "commit-then-502": Faults(commit_then_502=0.2, rate_limit=None),
    "all": Faults(error_rate=0.1, commit_then_502=0.2, rate_limit=25),
}


def setup(
    faults: Faults, run_seed: int, tree_size: int, tmp_path: Path, clock: FakeTime
) -> tuple[Emulator, str]:
    """An emulator whose live state needs creates, updates and deletes to match the file."""
    emu = Emulator(token=TOKEN, clock=clock.clock, sleep=clock.sleep, seed=run_seed)
    hc = emu.add_help_center("acme")
    if tree_size:
        desired = tree(tree_size)
        path = tmp_path / "tree.yaml"
        path.write_text(to_yaml(desired), encoding="utf-8")
        seed(emu, desired[:1], hc["id"])  # one subtree already there ...
        for c in emu.collections()[::2]:
            emu.edit_collection(c["id"], description="stale")  # ... half of it out of date
    else:
        path = EXAMPLE
        emu.add_collection("Getting started", help_center_id=hc["id"], description="stale")
    seed(emu, tree(12, prefix="Old"), hc["id"])  # and some to delete
    emu.faults = Faults(
        error_rate=faults.error_rate,
        commit_then_502=faults.commit_then_502,
        rate_limit=faults.rate_limit,
    )
    return emu, str(path)


def client(emu: Emulator, clock: FakeTime, run_seed: int) -> IntercomClient:
    # the emulator's own clock: 429 resets and pacing waits agree with its windows
    http = open_http("https://api.intercom.io", TOKEN, transport=emu.transport)
    return IntercomClient(http, sleep=clock.sleep, clock=clock.clock, rng=random.Random(run_seed))


def assert_converged(emu: Emulator, clock: FakeTime, path: str, run_seed: int) -> None:
    counts = Counter((c["parent_id"], c["name"]) for c in emu.collections())
    assert [k for k, n in counts.items() if n > 1] == [], "duplicates"
    emu.faults = Faults(rate_limit=None)
    after = plan_against_live(load_config(path), client(emu, clock, run_seed)).plan
    assert after.empty, after.counts()


def converge(emu: Emulator, clock: FakeTime, path: str, run_seed: int) -> None:
    config = load_config(path)
    intercom = client(emu, clock, run_seed)
    plan = plan_against_live(config, intercom).plan
    assert not plan.empty
    result = apply_plan(plan, intercom, default_locale="en", parallelism=8)
    assert result.ok, result.failed
    assert_converged(emu, clock, path, run_seed)


@pytest.mark.parametrize("run_seed", SEEDS)
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_example_converges(fault: str, run_seed: int, tmp_path: Path) -> None:
    clock = FakeTime(1_800_000_000.0)
    emu, path = setup(FAULTS[fault], run_seed, 0, tmp_path, clock)
    converge(emu, clock, path, run_seed)


@pytest.mark.parametrize("run_seed", range(8))
@pytest.mark.parametrize("fault", ["commit-then-502", "all"])
def test_a_300_collection_tree_converges(fault: str, run_seed: int, tmp_path: Path) -> None:
    clock = FakeTime(1_800_000_000.0)
    emu, path = setup(FAULTS[fault], run_seed, 300, tmp_path, clock)
    converge(emu, clock, path, run_seed)
