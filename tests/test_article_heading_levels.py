"""``heading_levels:``: what the workspace's Intercom does to h3-h6, set in the file.

Intercom's own pages disagree (the emulator's ``heading_levels`` switch). Under the default
(``h2``) both sides compare as if h3-h6 became h2, which converges whatever the workspace
does but cannot see a level change among h3-h6. A file that says ``keep`` on a workspace
that keeps them has such a change planned and applied; the plan records the setting, so a
saved plan is shown alike; a file that says ``keep`` where Intercom erases levels is told,
by name, that Intercom did not keep the body.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import TOKEN, FakeTime, Run, client_for, run_cli, with_articles, writes

from hcsync.apply import apply_plan
from hcsync.config import load_config
from hcsync.emulator import Behaviour, Emulator
from hcsync.kinds import ARTICLE_KIND
from hcsync.kinds.article import render_markdown
from hcsync.model import Text
from hcsync.pipeline import plan_against_live
from hcsync.plan import Change, FieldChange

CONFIG = """\
help_center: acme
default_author: {author}
articles: articles
{levels}collections:
  - name: Guides
"""

GUIDE = """\
---
title: Levels
collection: Guides
state: published
---
# One

## Two

### Three

text
"""


def workspace(fake_time: FakeTime, levels: str) -> Emulator:
    return with_center(fake_time, levels)[0]


def with_center(fake_time: FakeTime, levels: str) -> tuple[Emulator, str]:
    """An emulator whose workspace does ``levels`` to headings, and its help center's id."""
    emu = Emulator(
        token=TOKEN,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        behaviour=Behaviour(heading_levels=levels),  # type: ignore[arg-type]
    )
    return emu, str(emu.add_help_center("acme", "Acme Help Center")["id"])


def files(tmp_path: Path, emu: Emulator, levels: str | None, guide: str = GUIDE) -> str:
    setting = f"heading_levels: {levels}\n" if levels else ""
    author = emu.admins()[0]["email"]
    return with_articles(tmp_path, CONFIG.format(author=author, levels=setting), levels__md=guide)


def cli(emu: Emulator, fake_time: FakeTime, *args: str) -> Run:
    return run_cli(emu.transport, *args, time=fake_time)


DEEPER = GUIDE.replace("### Three", "#### Three")


def test_keep_plans_a_level_change_the_workspace_keeps(fake_time: FakeTime, tmp_path: Path) -> None:
    emu = workspace(fake_time, "keep")
    path = files(tmp_path, emu, "keep")
    assert cli(emu, fake_time, "apply", path).code == 0
    files(tmp_path, emu, "keep", DEEPER)

    planned = cli(emu, fake_time, "plan", path)
    assert "~ update  Guides / Levels" in planned.out, planned.out
    assert "        -### Three\n        +#### Three\n" in planned.out, planned.out
    applied = cli(emu, fake_time, "apply", path)
    assert applied.code == 0, applied.out + applied.err
    (stored,) = emu.articles()
    assert "<h4" in stored["body"] and "<h3" not in stored["body"]
    assert "No changes." in cli(emu, fake_time, "plan", path).out


def test_the_default_cannot_see_a_level_change_among_h3_to_h6(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    """What the setting is for: under the default rule both levels compare as h2."""
    emu = workspace(fake_time, "keep")
    path = files(tmp_path, emu, None)
    assert cli(emu, fake_time, "apply", path).code == 0
    files(tmp_path, emu, None, DEEPER)
    assert "No changes." in cli(emu, fake_time, "plan", path).out


def test_a_saved_plan_records_the_setting_and_is_shown_alike(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu = workspace(fake_time, "keep")
    path = files(tmp_path, emu, "keep")
    assert cli(emu, fake_time, "apply", path).code == 0
    files(tmp_path, emu, "keep", DEEPER)
    saved = tmp_path / "plan.json"

    planned = cli(emu, fake_time, "plan", path, "--out", str(saved))
    shown = cli(emu, fake_time, "show", str(saved))

    assert json.loads(saved.read_text())["settings"] == {"article": {"heading_levels": "keep"}}
    assert shown.code == 0 and shown.out == planned.out
    assert "Levels" in shown.out and "body" in shown.out


def test_a_plan_under_the_default_records_no_settings(fake_time: FakeTime, tmp_path: Path) -> None:
    emu = workspace(fake_time, "h2")
    path = files(tmp_path, emu, None)
    saved = tmp_path / "plan.json"
    assert cli(emu, fake_time, "plan", path, "--out", str(saved)).code == 0
    assert "settings" not in json.loads(saved.read_text())


def test_keep_where_intercom_erases_levels_names_what_it_did_not_keep(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu = workspace(fake_time, "h2")
    path = files(tmp_path, emu, "keep")
    applied = cli(emu, fake_time, "apply", path)
    assert applied.code != 0
    assert (
        "Intercom did not keep the body of 'Guides / Levels' (only its heading levels differ,"
        " as under heading_levels: h2; if that is what this workspace does, say so in the file)"
    ) in applied.err


@pytest.mark.parametrize(("levels", "warned"), [(None, True), ("h2", True), ("keep", False)])
def test_validate_warns_of_a_level_change_only_where_the_setting_says_one_happens(
    fake_time: FakeTime, tmp_path: Path, levels: str | None, warned: bool
) -> None:
    emu = workspace(fake_time, "h2")
    path = files(tmp_path, emu, levels)
    result = cli(emu, fake_time, "validate", path)
    assert result.code == 0, result.err
    assert ("articles/levels.md:6:1: body: <h3> 'Three' becomes <h2>" in result.err) is warned


def test_heading_levels_without_articles_is_an_error_at_its_line(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu = workspace(fake_time, "h2")
    config = tmp_path / "collections.yaml"
    config.write_text("help_center: acme\nheading_levels: keep\ncollections: []\n")
    result = cli(emu, fake_time, "plan", str(config))
    assert result.code != 0
    assert f"{config}:2:1: heading_levels: needs articles:" in result.err, result.err
    assert writes(emu) == []


def test_an_unknown_heading_levels_is_an_error_at_its_line(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu = workspace(fake_time, "h2")
    path = files(tmp_path, emu, "h3")
    result = cli(emu, fake_time, "validate", path)
    assert result.code != 0
    assert "collections.yaml:4:" in result.err and "heading_levels" in result.err, result.err


def _body_update(old: str, new: str) -> Change:
    return Change(
        "update",
        ("Guides", "Levels"),
        id="1",
        changes=(FieldChange("body", old, new),),
        resource="article",
    )


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("<h1>A</h1><h2>B</h2>", "<h1>A</h1><h3>B</h3>", "h2"),  # levels alone: named
        ("<h1>A</h1><h2>B</h2>", "<h1>A</h1><h3>C</h3>", None),  # the text too: not levels
        ("<p>kept</p>", "<p>lost</p>", None),
    ],
)
def test_the_unkept_hint_names_a_setting_only_when_levels_alone_differ(
    old: str, new: str, hint: str | None
) -> None:
    keep = ARTICLE_KIND.configured((("heading_levels", "keep"),))
    found = keep.unkept_hint(_body_update(old, new), "body")
    if hint is None:
        assert found is None
    else:
        assert found is not None and f"as under heading_levels: {hint};" in found
    assert keep.unkept_hint(_body_update(old, new), "description") is None


def test_an_article_another_writer_made_with_other_levels_is_aligned_under_the_setting(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    """Apply adopts an article of the planned title that another writer created meanwhile,
    then aligns its fields to the planned create: compared under the file's setting, so a
    level it keeps (h4 where the file says h3) is written back."""
    emu, center = with_center(fake_time, "keep")
    path = files(tmp_path, emu, "keep")
    guides = str(emu.add_collection("Guides", help_center_id=center)["id"])
    intercom = client_for(emu.handle, fake_time)
    planned = plan_against_live(load_config(path), intercom).plan
    assert [(c.kind, c.name) for c in planned.changes] == [("create", "Levels")]
    deeper = DEEPER.split("---\n", 2)[2]
    emu.add_article("Levels", parent_id=guides, body=render_markdown(deeper))

    result = apply_plan(planned, intercom, default_locale="en")

    assert result.ok, result.failed
    (stored,) = emu.articles()
    assert "<h3" in stored["body"] and "<h4" not in stored["body"]
    assert plan_against_live(load_config(path), intercom).plan.empty


def test_the_default_cannot_converge_where_intercom_renumbers_a_body_without_h1(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    """A workspace that renumbers makes a body's shallowest heading h1: one that starts at
    h2 never compares equal under the default, and apply says which setting fits."""
    no_h1 = GUIDE.replace("# One\n\n", "")
    emu = workspace(fake_time, "renumber")
    path = files(tmp_path, emu, None, no_h1)
    applied = cli(emu, fake_time, "apply", path)
    assert applied.code != 0
    assert "(only its heading levels differ, as under heading_levels: renumber;" in applied.err
    files(tmp_path, emu, "renumber", no_h1)
    assert "No changes." in cli(emu, fake_time, "plan", path).out


def test_a_translation_that_comes_back_with_other_levels_is_named_with_the_setting(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu = workspace(fake_time, "h2")
    path = files(tmp_path, emu, "keep", GUIDE.replace("### Three", "## Three"))
    french = "---\ntitle: Niveaux\nstate: published\n---\n# Un\n\n### Trois\n"
    (tmp_path / "articles" / "levels.fr.md").write_text(french, encoding="utf-8")
    applied = cli(emu, fake_time, "apply", path)
    assert applied.code != 0
    assert (
        "Intercom did not keep the fr translation of 'Guides / Levels' (only its heading"
        " levels differ, as under heading_levels: h2;"
    ) in applied.err, applied.err


def saved_with(
    fake_time: FakeTime, tmp_path: Path, settings: dict[str, object] | None
) -> tuple[Emulator, str, str]:
    """A keep workspace, its file (``keep``), and a plan of it saved with ``settings`` in
    place of its own (None: none, as if planned under the default rule)."""
    emu = workspace(fake_time, "keep")
    path = files(tmp_path, emu, "keep")
    saved = tmp_path / "plan.json"
    assert cli(emu, fake_time, "plan", path, "--out", str(saved)).code == 0
    data = json.loads(saved.read_text())
    del data["settings"]
    if settings is not None:
        data["settings"] = settings
    saved.write_text(json.dumps(data), encoding="utf-8")
    return emu, path, str(saved)


def test_a_saved_plan_whose_settings_are_not_the_files_is_not_applied(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu, path, saved = saved_with(fake_time, tmp_path, None)

    result = cli(emu, fake_time, "apply", path, "--plan", saved)

    assert result.code != 0
    assert "~ settings: reviewed none, now article heading_levels: keep" in result.err
    assert writes(emu) == []


def test_a_saved_plan_with_an_unknown_setting_is_refused(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu, _, saved = saved_with(fake_time, tmp_path, {"article": {"heading_levels": "h9"}})

    result = cli(emu, fake_time, "show", saved)

    assert result.code != 0 and "heading_levels" in result.err, result.err
    assert "Traceback" not in result.err


def _fr(title: str = "T", description: str = "", **own: str) -> Text:
    fields = {"author": "1", "state": "published", "body": "<h1>A</h1><h2>B</h2>", **own}
    return Text(title, description, tuple((k, v) for k, v in fields.items() if v != "-"))


LEVELS_ONLY = {"body": "<h1>A</h1><h3>B</h3>"}


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (_fr(), _fr(**LEVELS_ONLY), True),
        (_fr(), _fr("Other", **LEVELS_ONLY), False),
        (_fr(), _fr(description="Other", **LEVELS_ONLY), False),
        (_fr(), _fr(state="draft", **LEVELS_ONLY), False),
        (_fr(), _fr(author="2", **LEVELS_ONLY), False),
        (_fr(body="-"), _fr(body="<h1>A</h1>"), False),  # a body only one side has
        (_fr(body="<h1>A</h1>"), _fr(body="-"), False),
        (_fr(), None, False),  # a removed translation
        (None, _fr(), False),
    ],
)
def test_a_translation_is_named_with_a_setting_only_when_its_levels_alone_differ(
    old: Text | None, new: Text | None, named: bool
) -> None:
    keep = ARTICLE_KIND.configured((("heading_levels", "keep"),))
    change = Change(
        "update",
        ("Guides", "Levels"),
        id="1",
        changes=(FieldChange("translations.fr", old, new),),
        resource="article",
    )
    found = keep.unkept_hint(change, "translations.fr")
    assert (found is not None and "as under heading_levels: h2;" in found) is named


def test_a_saved_plan_with_an_empty_setting_reads_as_one_with_none(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emu = workspace(fake_time, "h2")
    path = files(tmp_path, emu, None)
    saved = tmp_path / "plan.json"
    assert cli(emu, fake_time, "plan", path, "--out", str(saved)).code == 0
    data = json.loads(saved.read_text())
    data["settings"] = {"article": {}}  # the schema allows it; it sets nothing
    saved.write_text(json.dumps(data), encoding="utf-8")

    applied = cli(emu, fake_time, "apply", path, "--plan", str(saved))

    assert applied.code == 0, applied.err
    assert len(emu.articles()) == 1
