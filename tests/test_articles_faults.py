"""No duplicate article after ambiguous creates (bar 3 of the articles issue), over 20 seeds.

Articles have no external id, so a create whose answer is lost (a 503 after the work, a
commit then a 502) is looked for (same title in the same collection) before it is sent
again. With 20% server errors and 30% commit-then-502 on the emulator, apply, run again if
it stopped, and the workspace holds each article once and the next plan is empty.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from support import TOKEN, FakeTime

from hcsync.apply import apply_plan
from hcsync.client import IntercomClient
from hcsync.config import load_config
from hcsync.connection import open_http
from hcsync.emulator import Emulator, Faults
from hcsync.pipeline import plan_against_live

SEEDS = range(20)
TITLES = [f"Article {n}" for n in range(8)]


def workspace(tmp_path: Path, run_seed: int, clock: FakeTime) -> tuple[Emulator, str]:
    emu = Emulator(token=TOKEN, clock=clock.clock, sleep=clock.sleep, seed=run_seed)
    emu.add_help_center("acme", "Acme")
    author = emu.admins()[0]["email"]
    config = tmp_path / "collections.yaml"
    config.write_text(
        f"help_center: acme\ndefault_author: {author}\narticles: articles\n"
        "collections:\n  - name: Guides\n  - name: Billing\n",
        encoding="utf-8",
    )
    folder = tmp_path / "articles"
    folder.mkdir()
    for n, title in enumerate(TITLES):
        home = "Guides" if n % 2 else "Billing"
        (folder / f"a{n}.md").write_text(
            f"---\ntitle: {title}\ncollection: {home}\nstate: published\n---\nBody {n}.\n",
            encoding="utf-8",
        )
        (folder / f"a{n}.fr.md").write_text(
            f"---\ntitle: {title} (fr)\nstate: draft\n---\nCorps {n}.\n", encoding="utf-8"
        )
    return emu, str(config)


def client(emu: Emulator, clock: FakeTime, run_seed: int) -> IntercomClient:
    http = open_http("https://api.intercom.io", TOKEN, transport=emu.transport)
    return IntercomClient(http, sleep=clock.sleep, clock=clock.clock, rng=random.Random(run_seed))


@pytest.mark.parametrize("run_seed", SEEDS)
def test_lost_answers_to_article_creates_leave_no_duplicate(run_seed: int, tmp_path: Path) -> None:
    clock = FakeTime(1_800_000_000.0)
    emu, path = workspace(tmp_path, run_seed, clock)
    emu.faults = Faults(error_rate=0.2, commit_then_502=0.3, rate_limit=None)
    for _ in range(3):  # apply, and again if it stopped part way
        intercom = client(emu, clock, run_seed)
        plan = plan_against_live(load_config(path), intercom).plan
        if plan.empty:
            break
        if apply_plan(plan, intercom, default_locale="en", parallelism=4).ok:
            break
    counts = Counter((a["parent_id"], a["title"]) for a in emu.articles())
    assert [key for key, n in counts.items() if n > 1] == [], "duplicate articles"
    assert sorted(title for _, title in counts) == sorted(TITLES)
    emu.faults = Faults(rate_limit=None)
    after = plan_against_live(load_config(path), client(emu, clock, run_seed)).plan
    assert after.empty, [(c.kind, c.path) for c in after.changes]
