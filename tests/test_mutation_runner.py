"""``make mutate``'s own arithmetic and bookkeeping, without mutmut (it is not in the dev extra
and a run takes far too long for the suite): the copy it works in, the sample, the score and
its interval, the exclusions, and the README block."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT))
from mutation import run

KILLED, SURVIVED = "killed", "survived"


def verdicts(**by_module: tuple[int, int]) -> dict[str, str]:
    """``apply=(killed, survived)`` -> mutant names with those verdicts."""
    found: dict[str, str] = {}
    for module, (killed, survived) in by_module.items():
        for n in range(killed + survived):
            found[f"hcsync.{module}.x_f__mutmut_{n + 1}"] = KILLED if n < killed else SURVIVED
    return found


def test_the_copy_mirrors_the_checkout_and_keeps_mutmuts_state(tmp_path: Path) -> None:
    root, work = tmp_path / "root", tmp_path / "work"
    (root / "hcsync").mkdir(parents=True)
    (root / "hcsync" / "a.py").write_text("a = 1\n")
    (root / ".venv").mkdir()
    (root / ".venv" / "big").write_text("not copied")
    (work / "mutants").mkdir(parents=True)
    (work / "mutants" / "state").write_text("mutmut's")
    (work / "gone.py").write_text("removed from the checkout since")

    run.copy_checkout(root, work)
    assert (work / "hcsync" / "a.py").read_text() == "a = 1\n"
    assert not (work / ".venv").exists() and not (work / "gone.py").exists()
    assert (work / "mutants" / "state").read_text() == "mutmut's"

    before = (work / "hcsync" / "a.py").stat().st_mtime_ns
    run.copy_checkout(root, work)  # unchanged files are left alone: mutmut's cache holds
    assert (work / "hcsync" / "a.py").stat().st_mtime_ns == before

    (root / "hcsync" / "a.py").write_text("a = 2\n")
    os.utime(root / "hcsync" / "a.py", (1_000, 1_000))  # edited long ago, committed since
    run.copy_checkout(root, work)  # newer than mutmut's mutants of it, so they are made again
    assert (work / "hcsync" / "a.py").read_text() == "a = 2\n"
    assert (work / "hcsync" / "a.py").stat().st_mtime_ns >= before


def test_the_sample_is_stable_when_a_few_mutants_come_or_go() -> None:
    found = verdicts(apply=(300, 100), client=(500, 100))
    first = run.sample(found, 100)
    assert len(first) == 100 and first == run.sample(found, 100)
    renumbered = dict(found)
    for name in list(renumbered)[:5]:
        del renumbered[name]
    renumbered["hcsync.apply.x_g__mutmut_1"] = KILLED
    again = run.sample(renumbered, 100)
    assert len(set(first) & set(again)) >= 94  # only the few changed ones differ
    assert run.sample(found, None) == found and run.sample(found, 10_000) == found


def test_the_interval_brackets_the_score_and_narrows_with_the_sample() -> None:
    low, high = run.interval(90, 100)
    assert low < 0.90 < high and high - low == pytest.approx(0.12, abs=0.01)
    low4, high4 = run.interval(360, 400)
    assert low < low4 < 0.90 < high4 < high
    assert run.interval(100, 100)[1] == pytest.approx(1.0)


def test_rows_count_timeouts_as_detected_and_leave_exclusions_out_of_the_score() -> None:
    found: Mapping[str, str] = {
        **verdicts(diff=(8, 2)),
        "hcsync.diff.x_h__mutmut_1": "timeout",
        "hcsync.diff.x_h__mutmut_2": "no tests",
    }
    rows = run.rows(found, excluded={"hcsync.diff.x_f__mutmut_10"})
    diff, total = rows
    assert diff.cells() == ("diff", "12", "9", "2", "1", "81.8%")
    assert total.module == "engine" and total.score == diff.score
    table = run.table(rows)
    assert table.splitlines()[0].split() == list(run.HEAD)
    assert "81.8%" in table.splitlines()[-1]


def test_a_module_in_a_package_is_named_and_found_by_its_whole_dotted_path() -> None:
    """``hcsync.kinds.collection.x_...`` is the module ``kinds.collection``, in the file
    ``hcsync/kinds/collection.py``: not ``kinds``, nor ``hcsync/kinds.py``."""
    assert run.module_of("hcsync.kinds.collection.x_order_notes__mutmut_12") == "kinds.collection"
    assert run.module_of("hcsync.apply.xǁ_Runǁwave__mutmut_3") == "apply"
    assert run.module_of("hcsync.client.x__segment__mutmut_1") == "client"
    assert run._dotted("hcsync.kinds.collection.xǁCollectionKindǁcheck__mutmut_2") == [
        "hcsync",
        "kinds",
        "collection",
    ]


def test_an_exclusion_holds_only_while_it_names_the_same_unkilled_mutant() -> None:
    found = verdicts(saved=(1, 2))
    diffs = {
        "hcsync.saved.x_f__mutmut_2": "--- a\n+++ b\n-    x = 1\n+    x = 2\n",
        "hcsync.saved.x_f__mutmut_1": "-    y\n+    z\n",
    }
    exclusions = [
        run.Exclusion("hcsync.saved.x_f__mutmut_2", "x = 2", "same either way"),
        run.Exclusion("hcsync.saved.x_f__mutmut_3", "x = 3", "renumbered since"),
        run.Exclusion("hcsync.saved.x_f__mutmut_1", "z", "but a test kills it"),
        run.Exclusion("hcsync.saved.x_f__mutmut_9", "q", "gone"),
    ]
    excluded, problems = run.check_exclusions(exclusions, found, diff=lambda n: diffs.get(n, ""))
    assert excluded == {"hcsync.saved.x_f__mutmut_2"}
    assert [p.split(":")[0] for p in problems] == [
        "hcsync.saved.x_f__mutmut_3",
        "hcsync.saved.x_f__mutmut_1",
        "hcsync.saved.x_f__mutmut_9",
    ]
    assert "no longer adds 'x = 3'" in problems[0] and "a test kills it" in problems[1]


def test_the_readme_block_says_how_the_score_was_taken() -> None:
    rows = run.rows(verdicts(match=(45, 5)), set())
    whole = run.markdown(rows, "mutmut 9", run.score_line(rows[-1], None, 2))
    assert "| `match` | 50 | 45 | 5 | 0 | 90.0% |" in whole
    assert "mutmut 9: score **90.0%** of 50 mutants" in whole
    sampled = run.score_line(rows[-1], 1000, 20)
    assert "estimated score **90.0%** (95% interval 78.6% to 95.7%)" in sampled
    assert "a random sample of 50 of the 1,000 mutants" in sampled
    assert "20 of all 1,000 mutants (2.0%) listed as equivalent" in sampled
    assert "2 of all 50 mutants (4.0%) listed as equivalent" in whole


def test_every_listed_equivalent_mutant_has_its_change_and_a_reason() -> None:
    for exclusion in run.read_exclusions(ROOT / "mutation" / "equivalent.yaml"):
        assert exclusion.name.startswith("hcsync.") and "__mutmut_" in exclusion.name
        assert exclusion.change.strip() and len(exclusion.reason) > 20


def test_module_names_a_module_or_every_module_of_a_package() -> None:
    found = {
        "hcsync.kinds.article.kind.x_f__mutmut_1": "killed",
        "hcsync.kinds.article.canonical.x_g__mutmut_2": "survived",
        "hcsync.kinds.articles_extra.x_h__mutmut_1": "killed",
        "hcsync.kinds.collection.x_f__mutmut_1": "killed",
    }
    assert set(run.of_modules(found, ["kinds.article"])) == {
        "hcsync.kinds.article.kind.x_f__mutmut_1",
        "hcsync.kinds.article.canonical.x_g__mutmut_2",
    }
    assert run.of_modules(found, []) == found
