"""``hcsync export`` writes the articles too, and ``export`` then ``plan`` is empty (issue 13,
bar 2), against the emulator with Intercom's HTML rewriting and signed image URLs on.

Assertions are on outcomes: the files written (Markdown where nothing is lost, ``format:
html`` where Markdown would lose a callout, a button, a video or an alignment; never a signed
URL), the next plan empty, and the articles unchanged after ``apply``, here and applied to
another help center.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import RunCli
from support import TOKEN, FakeTime, run_cli, writes

from hcsync.emulator import Emulator
from hcsync.kinds.article import canonical, render_markdown
from hcsync.kinds.article.markdown_out import convert, is_signed, to_markdown, unsigned

SIGNED = re.compile(r"[?&](?:amp;)?(?:expires|signature)=", re.IGNORECASE)

INSTALL = """\
# Install

Intro with **bold**, *italic*, ***both***, `code`, a [link](https://example.com/download)
and a hard\\
break. Specials stay text: 5*3, snake_case, a|b, <tag>, &copy;, #hash, 1. not a list.

## Steps

1. Download it from [our site](https://example.com/download).
2. Open it, then **sign in**:
   - with your email
   - or with *single sign-on*
     1. nested
     2. deeper
3. Done.

### Troubleshooting

| Problem | Fix |
| --- | --- |
| No window | Restart **now** |
| Slow | `acme --fast` |

#### Details

![The sign-in screen](https://img.example.com/help/sign-in.png)

```sh
acme --version
  indented line

```

> Quoted **text**.

***

- one
- two

* another list

5. five
6. six
"""

INSTALL_FR = """\
# Installer

Téléchargez-la, puis **connectez-vous**. Voir ![écran](https://img.example.com/help/ecran.png)

- un
- deux
"""

INSTALL_DE = """\
# Installieren

| A | B |
| --- | --- |
| *eins* | [zwei](https://example.com/zwei) |
"""

RICH = {
    "callout": (
        '<div class="intercom-interblocks-callout" style="background-color: #feedaf80;">'
        "<p>Heads up: back up first.</p></div><p>Then go on.</p>"
    ),
    "button": (
        '<p>Ready?</p><div class="intercom-container intercom-align-center">'
        '<a class="intercom-h2b-button" href="https://example.com/start">Start</a></div>'
    ),
    "video": '<p>Watch:</p><iframe src="https://www.youtube.com/embed/abc123"></iframe>',
    "alignment": (
        '<p class="intercom-align-center">Centred text</p>'
        '<p><img src="https://img.example.com/help/wide.png" alt="Wide"></p>'
    ),
}


def seed(emulator: Emulator) -> dict[str, str]:
    """Collections, and articles written in Intercom's editor (HTML), by two admins."""
    sam = emulator.add_admin("Sam", "sam@example.com")
    guides = emulator.add_collection("Getting started")
    install = emulator.add_collection("Install", parent_id=guides["id"])
    billing = emulator.add_collection("Billing")
    ids: dict[str, str] = {}
    ids["install"] = emulator.add_article(
        "Install the app",
        parent_id=install["id"],
        description="Download and sign in",
        body=render_markdown(INSTALL),
        translated_content={
            "fr": {
                "title": "Installer l'application",
                "body": render_markdown(INSTALL_FR),
                "state": "draft",
                "author_id": int(sam["id"]),
            },
            "de": {"title": "Die App installieren", "body": render_markdown(INSTALL_DE)},
        },
    )["id"]
    ids["invoices"] = emulator.add_article(
        "Invoices", parent_id=billing["id"], body="<p>Where to find them.</p>"
    )["id"]
    ids["refunds"] = emulator.add_article(
        "Refunds", parent_id=billing["id"], state="draft", author_id=int(sam["id"])
    )["id"]
    for name, body in RICH.items():
        ids[name] = emulator.add_article(name.title(), parent_id=billing["id"], body=body)["id"]
    emulator.add_article("Elsewhere", parent_id=None, body="<p>Not this help center's.</p>")
    return ids


def export(hcsync: RunCli, tmp_path: Path, *args: str) -> tuple[Path, str]:
    out = tmp_path / "help" / "collections.yaml"
    out.parent.mkdir(exist_ok=True)
    result = hcsync("export", "--out", str(out), *args)
    assert result.code == 0, result.out + result.err
    return out, result.err


def files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


def bodies(emulator: Emulator) -> dict[str, list[str]]:
    """Every article's bodies, by id, in canonical form (a fresh signature is no change)."""
    out: dict[str, list[str]] = {}
    for article in emulator.articles():
        texts = [article.get("body") or ""]
        for locale, content in sorted((article.get("translated_content") or {}).items()):
            if isinstance(content, dict):
                texts.append(f"{locale}:{content.get('body') or ''}")
        out[article["title"]] = [canonical(t, headings="keep") for t in texts]
    return out


def test_export_then_plan_is_empty_for_a_corpus_with_rewriting_on(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    ids = seed(emulator)
    out, err = export(hcsync, tmp_path)
    folder = out.parent / "articles"
    written = files(folder)
    assert sorted(written) == [
        "alignment.md",
        "button.md",
        "callout.md",
        "install-the-app.de.md",
        "install-the-app.fr.md",
        "install-the-app.md",
        "invoices.md",
        "refunds.md",
        "video.md",
    ]
    assert "Elsewhere" not in "".join(written.values())  # outside this help center's collections
    config = out.read_text(encoding="utf-8")
    assert "\ndefault_author: admin@hcsync.test\narticles: articles\ncollections:\n" in config
    assert "wrote 7 articles and 2 translations to" in err

    install = written["install-the-app.md"]
    assert install.startswith(
        textwrap.dedent(
            f"""\
            ---
            title: Install the app
            description: Download and sign in
            collection: Getting started / Install
            state: published
            id: '{ids["install"]}'
            ---
            # Install
            """
        )
    )
    assert "format:" not in install  # Markdown: converting it loses nothing
    assert "| No window | Restart **now** |" in install
    assert "   - or with *single sign-on*\n     1. nested\n" in install
    assert "![The sign-in screen](https://downloads.intercomcdn.com/i/o/" in install
    french = written["install-the-app.fr.md"]
    assert "state: draft\nauthor: sam@example.com\n---\n# Installer\n" in french
    assert "author:" not in written["install-the-app.de.md"]  # the article's own
    assert "author: sam@example.com" in written["refunds.md"]
    assert "author:" not in written["invoices.md"]  # the default_author

    assert hcsync("validate", str(out)).code == 0
    plan = hcsync("plan", str(out), "--detailed-exitcode")
    assert plan.code == 0, plan.out + plan.err


def test_what_markdown_cannot_say_is_written_as_html_and_survives_apply(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path, fake_time: FakeTime
) -> None:
    seed(emulator)
    before = bodies(emulator)
    out, err = export(hcsync, tmp_path)
    folder = out.parent / "articles"
    written = files(folder)
    for name, reason in [
        ("callout", "a callout"),
        ("button", "a button, alignment"),  # a centred button
        ("video", "a video"),
        ("alignment", "alignment"),
    ]:
        assert "\nformat: html\n" in written[f"{name}.md"], name
        assert f"{folder / name}.md: {reason}\n" in err
    assert "4 articles written as HTML (format: html)" in err
    assert "intercom-interblocks-callout" in written["callout.md"]
    assert "format:" not in written["invoices.md"]

    applied = hcsync("apply", str(out))
    assert applied.code == 0, applied.out + applied.err
    assert bodies(emulator) == before  # nothing was changed
    assert [w for w in writes(emulator) if "/articles" in w.path] == []

    # Without pins, the same files build the same articles in another help center: the
    # unsigned image URLs are ones Intercom (here, the emulator) takes back.
    backup = tmp_path / "backup"
    backup.mkdir()
    unpinned, _ = export(hcsync, backup, "--no-ids")
    production = Emulator(token=TOKEN, clock=fake_time.clock, sleep=fake_time.sleep)
    production.add_help_center("production")
    production.add_admin("Sam", "sam@example.com")
    restored = run_cli(
        production.transport,
        "apply",
        str(unpinned),
        "--help-center",
        "production",
        time=fake_time,
    )
    assert restored.code == 0, restored.out + restored.err
    assert bodies(production) == {k: v for k, v in before.items() if k != "Elsewhere"}
    again = run_cli(
        production.transport,
        "plan",
        str(unpinned),
        "--help-center",
        "production",
        "--detailed-exitcode",
        time=fake_time,
    )
    assert again.code == 0, again.out + again.err


def test_no_written_file_holds_a_signed_url(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator)
    live = emulator.articles()
    assert any(SIGNED.search(a.get("body") or "") for a in live)  # the emulator does sign
    out, _ = export(hcsync, tmp_path)
    written = [out.read_text(encoding="utf-8"), *files(out.parent / "articles").values()]
    assert [text for text in written if SIGNED.search(text)] == []
    assert "https://downloads.intercomcdn.com/i/o/" in "".join(written)


def test_to_standard_output_the_articles_are_counted_not_written(
    hcsync: RunCli, emulator: Emulator
) -> None:
    seed(emulator)
    result = hcsync("export")
    assert result.code == 0, result.err
    assert "articles:" not in result.out and "default_author:" not in result.out
    assert "note: 7 articles are not exported to standard output; pass --out FILE" in result.err


def test_no_articles_leaves_the_yaml_as_before(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator)
    out, _ = export(hcsync, tmp_path, "--no-articles")
    assert "articles:" not in out.read_text(encoding="utf-8")
    assert not (out.parent / "articles").exists()


def test_a_folder_already_holding_article_files_is_refused_before_any_write(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "old.md").write_text("---\ntitle: Old\n---\n", encoding="utf-8")
    out = tmp_path / "collections.yaml"
    result = hcsync("export", "--out", str(out))
    assert result.code == 1
    assert f"{folder} already holds article files" in result.err
    assert not out.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["old.md"]


def test_same_titles_get_unique_file_names_oldest_first(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    first = emulator.add_collection("First")
    second = emulator.add_collection("Second")
    emulator.add_article("Setup", parent_id=first["id"], body="<p>a</p>")
    later = emulator.add_article("Setup!", parent_id=second["id"], body="<p>b</p>")
    emulator.add_article("Ünïcödé ÷ title", parent_id=second["id"], body="<p>c</p>")
    out, _ = export(hcsync, tmp_path)
    names = sorted(files(out.parent / "articles"))
    assert names == sorted(["setup.md", f"setup-{later['id']}.md", "unicode-title.md"])
    assert hcsync("plan", str(out), "--detailed-exitcode").code == 0


# -- the converter on its own -----------------------------------------------------------


@pytest.mark.parametrize(
    "markdown",
    [
        "Plain text.",
        "**bold** and *italic* and `co`de`` and [a](https://e.com/a_(b)?x=1&y=2)",
        "- a\n- b\n\n* c",
        "1. a\n   1. b\n\n3) c",
        "| a | b |\n| --- | --- |\n| `x\\|y` | 2 |",
        "```\nfence ``` inside\n```",
        "> quote\n>\n> - item",
        "Line\\\nbreak",
        "# h1\n\n## h2\n\n### h3\n\n#### h4 #",
        "![alt *text*](https://img.example.com/a%20b.png)",
    ],
)
def test_markdown_the_renderer_writes_comes_back_the_same(markdown: str) -> None:
    html = render_markdown(markdown)
    back = render_markdown(to_markdown(html))
    assert canonical(back, headings="keep") == canonical(html, headings="keep")
    assert convert(html).format == "markdown"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ('<div class="intercom-interblocks-callout"><p>x</p></div>', "a callout"),
        ('<a class="intercom-h2b-button" href="https://e.com">Go</a>', "a button"),
        ('<iframe src="https://www.youtube.com/embed/x"></iframe>', "a video"),
        ('<p style="text-align: right">x</p>', "alignment"),
        ("<p><u>x</u></p>", "underline"),
        ('<table><tr><td colspan="2">x</td></tr></table>', "merged table cells"),
        ("<p>foo<b>(bar)</b>baz</p>", "Markdown would not render it the same"),
    ],
)
def test_what_markdown_cannot_say_stays_html(html: str, reason: str) -> None:
    converted = convert(html)
    assert (converted.format, converted.reason, converted.body) == ("html", reason, html)


def test_signed_urls_lose_their_signing_query_only() -> None:
    cdn = "https://downloads.intercomcdn.com/i/o/1/ab/x.png"
    assert unsigned(f"{cdn}?expires=1&signature=ab") == cdn
    assert unsigned(f"{cdn}?expires=1&amp;signature=ab") == cdn
    assert unsigned("https://e.com/a?page=2") == "https://e.com/a?page=2"
    body = f'<p><img src="{cdn}?expires=1&amp;signature=ab" alt="x"></p>'
    converted = convert(body)
    assert not is_signed(converted.body) and cdn in converted.body
