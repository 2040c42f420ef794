"""Articles as Markdown files, through the commands a user runs, against the emulator.

A config names a folder of article files (``articles:``) and a ``default_author:``; plan and
apply then manage the articles of the collections the file manages, beside the collections.
Assertions are on outcomes: live articles after apply, the next plan empty with Intercom's
HTML rewriting on, and problems at ``file:line`` before any write.
"""

from __future__ import annotations

import json
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
  - name: Getting started
    collections:
      - name: Install
  - name: Billing
"""

INSTALL = """\
---
title: Install the app
description: Download and sign in
collection: Getting started / Install
state: published
---
# Install

1. Download it from [our site](https://example.com/download).
2. Open it, then **sign in**:
   - with your email
   - or with *single sign-on*

### Troubleshooting

| Problem | Fix |
| --- | --- |
| No window | Restart |

![The sign-in screen](https://cdn.example.com/img/sign-in.png)

```sh
acme --version
```
"""

INSTALL_FR = """\
---
title: Installer l'application
state: published
---
# Installer

Téléchargez-la, puis **connectez-vous**.
"""


def setup(tmp_path: Path, emulator: Emulator, **files: str) -> str:
    author = emulator.admins()[0]["email"]
    return with_articles(tmp_path, CONFIG.format(author=author), **files)


def test_articles_apply_and_the_next_plan_is_empty(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, install__md=INSTALL, install__fr__md=INSTALL_FR)
    applied = hcsync("apply", config)
    assert applied.code == 0, applied.out + applied.err
    (article,) = emulator.articles()
    assert article["title"] == "Install the app"
    assert article["state"] == "published"
    assert article["translated_content"]["fr"]["title"] == "Installer l'application"
    install = next(c for c in emulator.collections() if c["name"] == "Install")
    assert str(article["parent_id"]) == install["id"]
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_a_title_rename_with_previously_is_one_update_with_the_same_id(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, install__md=INSTALL)
    assert hcsync("apply", config).code == 0
    (before,) = emulator.articles()
    renamed = INSTALL.replace(
        "title: Install the app", "title: Install Acme\npreviously: [Install the app]"
    )
    setup(tmp_path, emulator, install__md=renamed)
    count = len(writes(emulator))
    assert hcsync("apply", config).code == 0
    (after,) = emulator.articles()
    assert (after["id"], after["title"]) == (before["id"], "Install Acme")
    assert [w.method for w in writes(emulator)[count:]] == ["PUT"]


def test_an_article_removed_from_the_folder_is_deleted(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, install__md=INSTALL)
    assert hcsync("apply", config).code == 0
    (tmp_path / "articles" / "install.md").unlink()
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    assert emulator.articles() == []


def test_an_unknown_author_email_fails_at_its_line_before_any_write(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    stranger = INSTALL.replace("state: published", "state: published\nauthor: nobody@example.com")
    config = setup(tmp_path, emulator, install__md=stranger)
    result = hcsync("plan", config)
    assert result.code == 1
    where = tmp_path / "articles" / "install.md"
    assert f"{where}:6:1: author: 'nobody@example.com' is not an admin" in result.err
    assert writes(emulator) == []


def test_a_relative_image_without_images_base_url_fails_at_the_file_before_any_write(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    relative = INSTALL.replace("https://cdn.example.com/img/sign-in.png", "img/sign-in.png")
    config = setup(tmp_path, emulator, install__md=relative)
    result = hcsync("apply", config)
    assert result.code == 1
    where = tmp_path / "articles" / "install.md"
    assert f"{where}:7:1: body: " in result.err
    assert "img/sign-in.png" in result.err
    assert writes(emulator) == []
    assert emulator.articles() == []


def test_an_article_in_a_collection_the_file_does_not_have_is_an_error(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    elsewhere = INSTALL.replace("Getting started / Install", "Getting started / Nowhere")
    config = setup(tmp_path, emulator, install__md=elsewhere)
    result = hcsync("plan", config)
    assert result.code == 1
    assert "collection: Getting started / Nowhere is not a collection of" in result.err


@pytest.mark.parametrize("mode", ["refuse", "orphan", "cascade"])
def test_deleting_a_collection_deletes_its_articles_first_under_every_delete_mode(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path, mode: str
) -> None:
    """Bar 5: the article goes first, so no article is ever left without a collection, and no
    article the plan did not list is deleted."""
    import dataclasses

    emulator.behaviour = dataclasses.replace(
        emulator.behaviour,
        collection_delete_with_articles=mode,  # type: ignore[arg-type]
    )
    config = setup(tmp_path, emulator, install__md=INSTALL)
    assert hcsync("apply", config).code == 0
    other = emulator.add_article("Not ours", parent_id=None)  # outside any collection
    (tmp_path / "articles" / "install.md").unlink()
    (tmp_path / "collections.yaml").write_text(
        CONFIG.format(author=emulator.admins()[0]["email"]).split("collections:")[0]
        + "collections:\n  - name: Billing\n",
        encoding="utf-8",
    )
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    assert [a["id"] for a in emulator.articles()] == [other["id"]]
    assert sorted(c["name"] for c in emulator.collections()) == ["Billing"]


def test_a_body_change_is_shown_as_a_diff_of_readable_text(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, install__md=INSTALL)
    assert hcsync("apply", config).code == 0
    setup(tmp_path, emulator, install__md=INSTALL.replace("then **sign in**", "then **log in**"))
    text = hcsync("plan", config, "--no-color")
    assert text.code == 0, text.err
    assert "    body:\n        --- live\n        +++ desired\n" in text.out
    assert (
        "        -2. Open it, then **sign in**:\n        +2. Open it, then **log in**:\n"
        in text.out
    )
    assert "<h1" not in text.out  # no HTML: what a reader reads
    markdown = hcsync("plan", config, "--format", "markdown")
    assert "<details><summary>body</summary>\n\n```diff\n--- live\n+++ desired\n" in markdown.out


def test_with_multilingual_off_translations_are_named_not_planned_forever(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.multilingual = False
    config = setup(tmp_path, emulator, install__md=INSTALL, install__fr__md=INSTALL_FR)
    applied = hcsync("apply", config)
    assert applied.code == 0, applied.out + applied.err
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "multilingual is off for this workspace" in again.out + again.err
    assert "the 1 translation in the article files is neither compared nor sent" in (
        again.out + again.err
    )


def test_two_live_articles_of_one_title_in_one_collection_are_an_error_naming_both(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, install__md=INSTALL)
    assert hcsync("apply", config).code == 0
    install = next(c for c in emulator.collections() if c["name"] == "Install")
    (first,) = emulator.articles()
    twin = emulator.add_article("Install the app", parent_id=install["id"])
    result = hcsync("plan", config)
    assert result.code == 1
    assert (
        f"live articles {first['id']}, {twin['id']} are all named 'Install the app' under"
        " Getting started / Install: pin this entry to one of them with id:"
    ) in result.err
    where = tmp_path / "articles" / "install.md"
    assert f"{where}:2:" in result.err


INSTALL_DE = """\
---
title: Die App installieren
state: draft
---
# Installieren

1. Herunterladen.
2. **Anmelden**.
"""


def test_three_locales_apply_and_converge(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(
        tmp_path,
        emulator,
        install__md=INSTALL,
        install__fr__md=INSTALL_FR,
        install__de__md=INSTALL_DE,
    )
    assert hcsync("apply", config).code == 0
    (article,) = emulator.articles()
    translated = article["translated_content"]
    assert (translated["fr"]["state"], translated["de"]["state"]) == ("published", "draft")
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_articles_of_another_help_center_or_of_no_collection_are_never_touched(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    other = emulator.add_help_center("other", "Other")
    theirs = emulator.add_collection("Theirs", help_center_id=other["id"])
    kept = [
        emulator.add_article("Theirs", parent_id=theirs["id"]),
        emulator.add_article("Loose", parent_id=None),
    ]
    config = setup(tmp_path, emulator, install__md=INSTALL)
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    ids = {a["id"] for a in emulator.articles()}
    assert {a["id"] for a in kept} <= ids and len(ids) == 3
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_validate_checks_the_article_files_offline(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, install__md=INSTALL, install__fr__md=INSTALL_FR)
    before = len(emulator.requests)
    result = hcsync("validate", config)
    assert result.code == 0, result.err
    assert "valid (3 collections, 1 article)" in result.out
    where = tmp_path / "articles" / "install.md"
    assert f"warning: {where}:7:1: body: " in result.err  # ### becomes h2 in Intercom
    relative = INSTALL.replace("https://cdn.example.com/img/sign-in.png", "img/sign-in.png")
    setup(tmp_path, emulator, install__md=relative)
    refused = hcsync("validate", config)
    assert refused.code == 1
    assert f"{where}:7:1: body: " in refused.err
    assert len(emulator.requests) == before  # no network


def test_an_article_in_a_protected_collection_is_never_deleted(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = setup(tmp_path, emulator, install__md=INSTALL)
    assert hcsync("apply", config).code == 0
    text = Path(config).read_text(encoding="utf-8")
    Path(config).write_text(
        text.replace("collections:\n", 'protect: ["Install"]\ncollections:\n', 1)
    )
    (tmp_path / "articles" / "install.md").unlink()
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    assert [a["title"] for a in emulator.articles()] == ["Install the app"]
    assert "is in a protected collection (protect: Install) and not in the files" in result.out


def test_a_state_change_alone_is_one_update_of_that_state(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    draft = INSTALL.replace("state: published", "state: draft")
    config = setup(tmp_path, emulator, install__md=draft, install__fr__md=INSTALL_FR)
    assert hcsync("apply", config).code == 0
    (before,) = emulator.articles()
    assert before["state"] == "draft"
    setup(
        tmp_path,
        emulator,
        install__md=INSTALL,
        install__fr__md=INSTALL_FR.replace("state: published", "state: draft"),
    )
    planned = hcsync("plan", config, "--format", "json")
    assert planned.code == 0, planned.err
    (change,) = json.loads(planned.out)["changes"]
    assert [f["field"] for f in change["changes"]] == ["state", "translations.fr"]
    assert hcsync("apply", config).code == 0
    (after,) = emulator.articles()
    assert (after["id"], after["state"]) == (before["id"], "published")
    assert after["translated_content"]["fr"]["state"] == "draft"
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_a_translation_without_an_author_is_written_by_the_articles_author(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """Not by default_author: the article's own author: writes its translations too."""
    writer = emulator.add_admin("Writer", "writer@example.com")
    own = INSTALL.replace("state: published", "state: published\nauthor: writer@example.com")
    config = setup(tmp_path, emulator, install__md=own, install__fr__md=INSTALL_FR)
    assert hcsync("apply", config).code == 0, hcsync("plan", config).err
    (article,) = emulator.articles()
    assert str(article["author_id"]) == writer["id"]
    assert str(article["translated_content"]["fr"]["author_id"]) == writer["id"]
    assert hcsync("plan", config, "--detailed-exitcode").code == 0


def test_an_html_body_nested_thousands_deep_is_refused_at_its_line(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """A hostile body: every reading of its tree would recurse past Python's limit."""
    deep = (
        "---\ntitle: Deep\ncollection: Billing\nstate: published\nformat: html\n---\n"
        + "<div>" * 5_000
        + "x"
        + "</div>" * 5_000
    )
    config = setup(tmp_path, emulator, deep__md=deep)
    for command in ("validate", "plan", "apply"):
        result = hcsync(command, config)
        assert result.code == 1, (command, result.err)
        assert "articles/deep.md:7:1: body: the HTML nests elements more than 40 deep" in (
            result.err
        ), (command, result.err)
        assert "Traceback" not in result.err and "internal error" not in result.err
    assert writes(emulator) == []
