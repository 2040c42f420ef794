"""A deleted collection never silently takes articles with it.

hcsync does not manage articles yet, but a collection it deletes may hold some, and what
Intercom then does with them is undocumented (refuse, orphan, delete). The plan counts them
for each delete; apply refuses such a delete unless --force; with --force, whatever the
emulator's delete mode, apply either deletes as asked or stops with Intercom's refusal.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from support import RunCli

from hcsync.emulator import Emulator

FILE = "help_center: acme\ncollections:\n  - name: Kept\n"


@pytest.fixture
def with_articles(emulator: Emulator, tmp_path: Path) -> Path:
    emulator.add_collection("Kept")
    old = emulator.add_collection("Old")
    inner = emulator.add_collection("Inner", parent_id=old["id"])
    emulator.add_article("How to", parent_id=inner["id"])
    emulator.add_article("Why", parent_id=inner["id"])
    emulator.add_article("Elsewhere", parent_id=None)
    path = tmp_path / "collections.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_the_plan_counts_the_articles_of_each_deleted_collection(
    hcsync: RunCli, with_articles: Path
) -> None:
    text = hcsync("plan", str(with_articles))
    assert "- delete  Old / Inner" in text.out
    assert "(holds 2 articles)" in text.out
    assert "1 collection to delete holds 2 articles" in text.out
    data = json.loads(hcsync("plan", str(with_articles), "--format", "json").out)
    articles = {tuple(c["path"]): c.get("articles") for c in data["changes"]}
    assert articles == {("Old", "Inner"): 2, ("Old",): 0}


def test_apply_refuses_to_delete_a_collection_holding_articles_unless_forced(
    hcsync: RunCli, emulator: Emulator, with_articles: Path
) -> None:
    before = emulator.collections()
    run = hcsync("apply", str(with_articles))
    assert run.code == 1
    assert "refusing to apply: 1 collection to delete holds articles: Old / Inner (2)" in run.err
    assert "Nothing was applied" in run.err
    assert emulator.collections() == before


@pytest.mark.parametrize("mode", ["refuse", "orphan", "cascade"])
def test_forced_deletes_do_what_intercom_does_and_never_more(
    hcsync: RunCli, emulator: Emulator, with_articles: Path, mode: str
) -> None:
    emulator.behaviour = replace(emulator.behaviour, collection_delete_with_articles=mode)
    run = hcsync("apply", str(with_articles), "--force")
    titles = {a["title"] for a in emulator.articles()}
    names = {c["name"] for c in emulator.collections()}
    if mode == "refuse":  # Intercom's refusal stops apply, naming the call; nothing lost
        assert run.code == 1
        assert "Collection has articles" in run.err
        assert names == {"Kept", "Old", "Inner"}
        assert titles == {"How to", "Why", "Elsewhere"}
        return
    assert run.code == 0, run.err
    assert names == {"Kept"}
    assert "Elsewhere" in titles  # an article the plan did not list is never touched
    expected = {"How to", "Why", "Elsewhere"} if mode == "orphan" else {"Elsewhere"}
    assert titles == expected


def test_a_saved_plan_is_refused_when_articles_arrived_in_a_collection_it_deletes(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.add_collection("Kept")
    old = emulator.add_collection("Old")
    path = tmp_path / "collections.yaml"
    path.write_text(FILE, encoding="utf-8")
    saved = tmp_path / "plan.json"
    assert hcsync("plan", str(path), "--out", str(saved)).code == 0  # Old is empty: no refusal
    emulator.add_article("Written since the review", parent_id=old["id"])
    run = hcsync("apply", "--plan", str(saved))
    assert run.code == 1
    assert "no longer matches what" in run.err
    assert "Old" in {c["name"] for c in emulator.collections()}
    assert {a["title"] for a in emulator.articles()} == {"Written since the review"}
