"""`ignore_articles:` and `protect_articles:`: live articles managed elsewhere, or never deleted.

Through the commands, against the emulator: an ignored article is never updated or deleted
and does not count, a protected one is never deleted, an article file that matches an ignore
entry is an error at its line, an id entry names an article only (never the collection of
the same id), and the entries need `articles:`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli
from support import with_articles, writes

from hcsync.emulator import Emulator

CONFIG = """\
help_center: acme
default_author: {author}
articles: articles
collections:
  - name: Billing
{extra}"""

MANAGED = """\
---
title: Pay by card
collection: Billing
state: published
---
Cards work.
"""


def setup(tmp_path: Path, emulator: Emulator, extra: str = "", **files: str) -> str:
    author = emulator.admins()[0]["email"]
    return with_articles(tmp_path, CONFIG.format(author=author, extra=extra), **files)


def live_beside(hcsync: RunCli, emulator: Emulator, tmp_path: Path) -> dict[str, str]:
    """Billing with 'Pay by card' from the files, and two articles made in Intercom's editor
    beside it: 'Refund policy' and 'Terms of service'. Their ids by title."""
    config = setup(tmp_path, emulator, pay__md=MANAGED)
    assert hcsync("apply", config).code == 0
    billing = next(c["id"] for c in emulator.collections() if c["name"] == "Billing")
    for title in ("Refund policy", "Terms of service"):
        emulator.add_article(title, parent_id=billing, body="<p>Written in the editor.</p>")
    return {a["title"]: a["id"] for a in emulator.articles()}


@pytest.mark.parametrize(
    "entry", ["Refund*", "Billing / Refund policy", "'{id}'", "{id}", "'Billing / *  policy'"]
)
def test_an_ignored_article_is_never_deleted_nor_counted(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path, entry: str
) -> None:
    ids = live_beside(hcsync, emulator, tmp_path)
    pattern = entry.format(id=ids["Refund policy"]).replace("*  ", "* ")
    config = setup(tmp_path, emulator, f"ignore_articles:\n  - {pattern}\n", pay__md=MANAGED)
    planned = hcsync("plan", config)
    assert planned.code == 0, planned.out + planned.err
    shown = pattern.strip("'")
    assert f"warning: 1 live article ignored (ignore_articles: {shown})" in planned.out
    assert "- delete  Billing / Terms of service" in planned.out
    assert f"(id {ids['Refund policy']})" not in planned.out  # neither planned nor kept
    applied = hcsync("apply", config)
    assert applied.code == 0, applied.out + applied.err
    assert sorted(a["title"] for a in emulator.articles()) == ["Pay by card", "Refund policy"]
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_a_protected_article_is_kept_and_the_plan_says_so(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    ids = live_beside(hcsync, emulator, tmp_path)
    config = setup(tmp_path, emulator, "protect_articles:\n  - Terms*\n", pay__md=MANAGED)
    planned = hcsync("plan", config)
    assert planned.code == 0, planned.out + planned.err
    assert (
        f"warning: 'Billing / Terms of service' (id {ids['Terms of service']}) is protected"
        " (protect_articles: Terms*) and not in the file: left in place; add it to the file or"
        " remove it from protect_articles:"
    ) in planned.out
    assert hcsync("apply", config).code == 0
    titles = sorted(a["title"] for a in emulator.articles())
    assert titles == ["Pay by card", "Terms of service"]


def test_a_protected_article_is_still_updated_when_its_file_changes(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, "protect_articles:\n  - Pay by card\n", pay__md=MANAGED)
    assert hcsync("apply", config).code == 0
    setup(
        tmp_path,
        emulator,
        "protect_articles:\n  - Pay by card\n",
        pay__md=MANAGED.replace("Cards work.", "Cards and wallets work."),
    )
    assert hcsync("apply", config).code == 0
    (article,) = emulator.articles()
    assert "wallets" in article["body"]


def test_an_ignored_article_is_never_updated_even_by_a_pin(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    ids = live_beside(hcsync, emulator, tmp_path)
    pinned = MANAGED.replace("title: Pay by card", f"title: Refunds\nid: '{ids['Refund policy']}'")
    config = setup(
        tmp_path,
        emulator,
        f"ignore_articles:\n  - '{ids['Refund policy']}'\n",
        pay__md=MANAGED,
        refunds__md=pinned,
    )
    count = len(writes(emulator))
    result = hcsync("apply", config)
    assert result.code != 0
    assert "articles/refunds.md:3:1: id: 'Refunds' is both listed in ignore_articles:" in (
        result.err
    )
    assert len(writes(emulator)) == count


def test_an_article_file_matching_an_ignore_entry_is_an_error_at_its_title(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, "ignore_articles:\n  - Pay*\n", pay__md=MANAGED)
    for command in ("validate", "plan"):
        result = hcsync(command, config)
        assert result.code != 0
        assert (
            "articles/pay.md:2:1: title: 'Pay by card' is both listed in ignore_articles:"
            f" ('Pay*', in {config}) and managed here; remove one"
        ) in result.err, result.err
    assert emulator.articles() == []


def test_an_id_entry_names_an_article_never_the_collection_of_that_id(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """Ids of collections and articles are separate counters: an ignore_articles id leaves a
    collection with the same id alone, and an ignore: id an article with the same id."""
    live_beside(hcsync, emulator, tmp_path)
    billing = next(c["id"] for c in emulator.collections() if c["name"] == "Billing")
    config = setup(tmp_path, emulator, f"ignore_articles:\n  - '{billing}'\n", pay__md=MANAGED)
    planned = hcsync("plan", config)
    assert planned.code == 0, planned.out + planned.err
    assert "Refund policy" in planned.out and "Terms of service" in planned.out


@pytest.mark.parametrize("key", ["ignore_articles", "protect_articles"])
def test_the_entries_need_articles(hcsync: RunCli, tmp_path: Path, key: str) -> None:
    config = tmp_path / "help.yaml"
    config.write_text(f"help_center: acme\ncollections:\n  - name: Billing\n{key}:\n  - Terms*\n")
    result = hcsync("validate", str(config))
    assert result.code != 0
    assert (
        f"{config}:4:1: {key}: needs articles: (a folder of article files); without it hcsync"
        " leaves every article alone"
    ) in result.err


def test_a_malformed_entry_is_an_error_at_its_line(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, "protect_articles:\n  - 'Billing //'\n", pay__md=MANAGED)
    result = hcsync("validate", config)
    assert result.code != 0
    assert f"{config}:7:5: protect_articles[0]: path 'Billing //' has an empty level" in result.err


def test_a_protected_article_in_a_collection_the_file_deletes_is_a_plan_error(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """Never an article without a collection: the plan refuses before any write."""
    ids = live_beside(hcsync, emulator, tmp_path)
    author = emulator.admins()[0]["email"]
    config = with_articles(
        tmp_path,
        f"help_center: acme\ndefault_author: {author}\narticles: articles\ncollections:\n"
        "  - name: Guides\nprotect_articles:\n  - Terms*\n",
    )
    (tmp_path / "articles" / "pay.md").unlink()
    count = len(writes(emulator))
    result = hcsync("apply", config)
    assert result.code != 0
    billing = next(c["id"] for c in emulator.collections() if c["name"] == "Billing")
    assert (
        f"'Billing' (id {billing}) is deleted, but 'Billing / Terms of service' (id"
        f" {ids['Terms of service']}) stays inside it; add it to the file, delete it too (out of"
        " ignore_articles: and protect_articles: if listed there), or move it in Intercom"
    ) in result.err
    assert len(writes(emulator)) == count


def test_an_empty_list_needs_nothing(hcsync: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "help.yaml"
    config.write_text("help_center: acme\ncollections:\n  - name: Billing\nignore_articles: []\n")
    result = hcsync("validate", str(config))
    assert result.code == 0, result.err
