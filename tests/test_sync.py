"""The library's apply entry point, called directly (no CLI): every refusal happens before
any write, whoever the caller is, and a forced run applies and converges.

Each test drives ``hcsync.sync.sync`` against the in-process emulator and asserts on what
reached it: no request but a GET when ``sync`` refuses, and an empty next plan when it runs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from support import FakeTime, client_for, write, writes

from hcsync.client import IntercomClient
from hcsync.config import load_config
from hcsync.emulator import Emulator
from hcsync.errors import (
    HoldingArticlesError,
    OtherHelpCenterError,
    SourceChangedError,
    StalePlanError,
    TooMuchChangeError,
    UsageError,
)
from hcsync.live import HelpCenter
from hcsync.pipeline import plan_against_live
from hcsync.plan import Plan
from hcsync.sync import Chosen, Reviewed, sync

KEPT = """\
    help_center: acme
    default_locale: en
    collections:
      - name: C0
      - name: C1
      - name: C2
      - name: C3
      - name: C4
"""


@pytest.fixture
def intercom(emulator: Emulator, fake_time: FakeTime) -> IntercomClient:
    return client_for(emulator.handle, fake_time)


def seed_ten(emu: Emulator) -> None:
    """Ten top-level collections, C0 to C9: enough for the safety threshold to count."""
    for n in range(10):
        emu.add_collection(f"C{n}")


def test_over_the_threshold_is_refused_with_no_write(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    seed_ten(emulator)
    config = load_config(write(tmp_path, KEPT))  # deletes 5 of 10: over 30%
    seen: list[Chosen] = []
    with pytest.raises(TooMuchChangeError) as caught:
        sync(config, intercom, on_plan=seen.append)
    assert isinstance(caught.value, UsageError)  # same exit code and message as before
    assert "5 of 10 existing collections" in str(caught.value)
    assert str(caught.value).endswith("Nothing was applied.")
    assert [chosen.how for chosen in seen] == ["planned"]  # shown, then refused
    assert writes(emulator) == []
    assert len(emulator.collections()) == 10


def test_a_forced_run_applies_and_the_next_plan_is_empty(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    seed_ten(emulator)
    config = load_config(write(tmp_path, KEPT))
    steps = []
    synced = sync(config, intercom, force=True, parallelism=4, on_step=steps.append)
    assert synced.outcome == "converged"
    assert synced.after is not None and synced.after.empty
    assert synced.applied is not None and synced.applied.ok
    assert len(steps) == 5
    assert sorted(c["name"] for c in emulator.collections()) == ["C0", "C1", "C2", "C3", "C4"]
    assert plan_against_live(config, intercom).plan.empty


def test_no_delete_is_under_the_threshold_and_leaves_the_deletes(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    seed_ten(emulator)
    config = load_config(write(tmp_path, KEPT))
    synced = sync(config, intercom, no_delete=True)
    assert (synced.outcome, synced.skipped) == ("nothing to apply", 5)
    assert writes(emulator) == []


def test_deleting_a_collection_with_articles_is_refused_with_no_write(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    emulator.add_collection("Keep")
    doomed = emulator.add_collection("Doomed")
    emulator.add_article("Refunds", parent_id=doomed["id"])
    config = load_config(write(tmp_path, "help_center: acme\ncollections:\n  - name: Keep\n"))
    with pytest.raises(HoldingArticlesError) as caught:
        sync(config, intercom)
    assert caught.value.held == ((("Doomed",), 1),)
    assert "1 collection to delete holds articles: Doomed (1)." in str(caught.value)
    assert writes(emulator) == []
    assert {c["name"] for c in emulator.collections()} == {"Keep", "Doomed"}


def reviewed_plan(emu: Emulator, intercom: IntercomClient, tmp_path: Path) -> tuple[str, Plan]:
    """A file that adds one collection to one already live, and the plan made from it (as
    ``plan --out`` would save it)."""
    emu.add_collection("Billing")
    path = write(tmp_path, "help_center: acme\ncollections:\n  - name: Billing\n  - name: New\n")
    plan = plan_against_live(load_config(path), intercom).plan
    assert plan.counts()["create"] == 1
    return path, plan


def test_a_stale_saved_plan_is_refused_with_no_write(
    emulator: Emulator, intercom: IntercomClient, fake_time: FakeTime, tmp_path: Path
) -> None:
    path, saved = reviewed_plan(emulator, intercom, tmp_path)
    fake_time.sleep(5)  # updated_at counts seconds: the edit must land in a later one
    billing = emulator.collections()[0]
    emulator.edit_collection(billing["id"], description="edited in Intercom")
    reviewed = Reviewed(saved, "plan.json")
    with pytest.raises(StalePlanError) as caught:
        sync(load_config(path), intercom, reviewed=reviewed)
    assert [item.reason for item in caught.value.changed] == ["edited"]  # type: ignore[attr-defined]
    assert str(caught.value).startswith("plan.json is stale: 1 live collection changed")
    assert writes(emulator) == []

    # With refresh, the fresh plan (which also undoes the edit) is applied instead.
    seen: list[Chosen] = []
    synced = sync(
        load_config(path),
        intercom,
        reviewed=Reviewed(saved, "plan.json", refresh=True),
        on_plan=seen.append,
    )
    assert [chosen.how for chosen in seen] == ["refreshed"]
    assert synced.outcome == "converged"


def test_a_saved_plan_claiming_fewer_live_items_still_meets_the_threshold(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    """The threshold measures what exists now: a plan file whose live counts were edited
    down (to make five deletes of ten look like none of nothing) is refused all the same."""
    seed_ten(emulator)
    path = write(tmp_path, KEPT)
    planned = plan_against_live(load_config(path), intercom).plan
    assert planned.too_much_change is not None
    tampered = replace(planned, live_counts=())
    assert tampered.too_much_change is None
    with pytest.raises(TooMuchChangeError):
        sync(load_config(path), intercom, reviewed=Reviewed(tampered, "plan.json"))
    assert writes(emulator) == []


def test_a_saved_plan_whose_file_changed_is_refused_before_any_request(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    path, saved = reviewed_plan(emulator, intercom, tmp_path)
    Path(path).write_text(
        "help_center: acme\ncollections:\n  - name: Billing\n  - name: Newer\n", encoding="utf-8"
    )
    before = len(emulator.requests)
    with pytest.raises(SourceChangedError) as caught:
        sync(load_config(path), intercom, reviewed=Reviewed(saved, "plan.json"))
    assert str(caught.value) == (
        f"{path} changed since the plan was made (plan.json); run plan again: "
        f"hcsync plan {path} --out plan.json"
    )
    assert len(emulator.requests) == before  # not even a listing
    assert [c["name"] for c in emulator.collections()] == ["Billing"]


def test_a_saved_plan_for_another_help_center_is_refused(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    path, saved = reviewed_plan(emulator, intercom, tmp_path)
    emulator.add_help_center("other")
    with pytest.raises(OtherHelpCenterError):
        sync(load_config(path), intercom, help_center="other", reviewed=Reviewed(saved, "p.json"))
    assert writes(emulator) == []


def test_a_saved_plan_still_holding_is_applied_and_converges(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    path, saved = reviewed_plan(emulator, intercom, tmp_path)
    seen: list[Chosen] = []
    synced = sync(
        load_config(path), intercom, reviewed=Reviewed(saved, "p.json"), on_plan=seen.append
    )
    assert [(chosen.how, chosen.plan) for chosen in seen] == [("saved", saved)]
    assert synced.outcome == "converged"
    assert sorted(c["name"] for c in emulator.collections()) == ["Billing", "New"]
    # Applied once more (a re-run of the merge job): nothing to do, nothing written.
    count = len(writes(emulator))
    again = sync(load_config(path), intercom, reviewed=Reviewed(saved, "p.json"))
    assert again.outcome == "nothing to apply"
    assert len(writes(emulator)) == count


def test_not_confirmed_is_cancelled_with_no_write(
    emulator: Emulator, intercom: IntercomClient, tmp_path: Path
) -> None:
    config = load_config(write(tmp_path, KEPT))
    asked: list[str] = []

    def confirm(plan: Plan, center: HelpCenter) -> bool:
        asked.append(center.identifier)
        return False

    synced = sync(config, intercom, confirm=confirm)
    assert (synced.outcome, asked) == ("cancelled", ["acme"])
    assert writes(emulator) == []
