"""Deletion safety end to end: the change threshold, ``--force`` and ``--no-delete``.

A plan that updates or deletes more than 30% of the existing collections, when at least 10
exist, is shown with a warning by ``plan`` and refused by ``apply`` (nothing written) unless
``--force``. ``--no-delete`` applies the rest and leaves deletions pending, saying so.
"""

from __future__ import annotations

from pathlib import Path

from support import RunCli

from hcsync.emulator import Emulator

THRESHOLD = "safety threshold"


def seed(emu: Emulator, count: int) -> None:
    for n in range(1, count + 1):
        emu.add_collection(f"Topic {n:02}")


def keeping(tmp_path: Path, kept: range, extra: str = "") -> str:
    """A file listing ``Topic NN`` for each n in ``kept`` (plus ``extra`` YAML entries)."""
    lines = ["help_center: acme", "default_locale: en", "collections:"]
    lines += [f"  - name: Topic {n:02}" for n in kept]
    path = tmp_path / "collections.yaml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return str(path)


def writes(emu: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests if r.method in ("POST", "PUT", "DELETE")]


def live_names(emu: Emulator) -> set[str]:
    return {c["name"] for c in emu.collections()}


def test_over_the_threshold_plan_warns_and_apply_refuses(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 10)
    config = keeping(tmp_path, range(1, 7))  # 4 of 10 deleted: 40%
    plan = hcsync("plan", config)
    assert plan.code == 0
    assert "4 of 10 existing collections (40%, over the 30% safety threshold)" in plan.out
    result = hcsync("apply", config)
    assert result.code == 1
    assert "refusing to apply" in result.err and "--force" in result.err
    assert writes(emulator) == []
    assert len(live_names(emulator)) == 10


def test_force_applies_past_the_threshold(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 10)
    config = keeping(tmp_path, range(1, 7))
    result = hcsync("apply", config, "--force")
    assert result.code == 0, result.out + result.err
    assert "Verified" in result.out
    assert live_names(emulator) == {f"Topic {n:02}" for n in range(1, 7)}


def test_exactly_thirty_percent_is_allowed(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 10)
    config = keeping(tmp_path, range(1, 8))  # 3 of 10
    assert THRESHOLD not in hcsync("plan", config).out
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    assert len(live_names(emulator)) == 7


def test_updates_count_toward_the_threshold(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 10)
    # 2 deletes and 2 description updates: 4 of 10 touched.
    extra = "".join(f"  - name: Topic {n:02}\n    description: new\n" for n in (7, 8))
    config = keeping(tmp_path, range(1, 7), extra)
    assert hcsync("apply", config).code == 1
    assert writes(emulator) == []


def test_fewer_than_ten_existing_never_refuses(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 9)
    config = keeping(tmp_path, range(1, 2))  # 8 of 9 deleted
    assert THRESHOLD not in hcsync("plan", config).out
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    assert live_names(emulator) == {"Topic 01"}


def test_a_saved_plan_over_the_threshold_is_refused_too(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 10)
    config = keeping(tmp_path, range(1, 3))
    saved = str(tmp_path / "plan.json")
    assert hcsync("plan", config, "--out", saved).code == 0
    refused = hcsync("apply", "--plan", saved)
    assert refused.code == 1 and "refusing to apply" in refused.err
    assert writes(emulator) == []
    assert hcsync("apply", "--plan", saved, "--force").code == 0
    assert live_names(emulator) == {"Topic 01", "Topic 02"}


def test_no_delete_applies_the_rest_and_leaves_deletions(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 10)
    extra = "  - name: Topic 07\n    description: changed\n  - name: Brand new\n"
    config = keeping(tmp_path, range(1, 7), extra)  # 3 deletes, 1 update, 1 create
    result = hcsync("apply", config, "--no-delete")
    assert result.code == 0, result.out + result.err
    assert "3 deletions skipped (--no-delete)" in result.out
    assert not [w for w in writes(emulator) if w.startswith("DELETE")]
    names = live_names(emulator)
    assert "Brand new" in names and {"Topic 08", "Topic 09", "Topic 10"} <= names
    topic7 = next(c for c in emulator.collections() if c["name"] == "Topic 07")
    assert topic7["description"] == "changed"
    # The deletions are still pending, and only they are.
    plan = hcsync("plan", config)
    assert "0 to create, 0 to update, 3 to delete" in plan.out


def test_no_delete_with_only_deletions_applies_nothing(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 10)
    config = keeping(tmp_path, range(1, 3))  # 8 deletes: over the threshold, but skipped
    result = hcsync("apply", config, "--no-delete")
    assert result.code == 0, result.out + result.err
    assert "Nothing to apply: 8 deletions skipped (--no-delete)" in result.out
    assert writes(emulator) == []


def test_protect_keeps_a_collection_out_of_deletes(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator, 3)
    config = keeping(tmp_path, range(1, 2))
    Path(config).write_text("protect: [Topic 02]\n" + Path(config).read_text(), encoding="utf-8")
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    assert live_names(emulator) == {"Topic 01", "Topic 02"}
