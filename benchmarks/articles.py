"""Generated articles for the benchmarks: N Markdown files spread over a collection tree.

Owns: what each generated article says (a title, a description, a body with the usual
Markdown: headings, a paragraph with bold, italic and a link, a list, a code block; a French
translation beside each), writing them as article files with the config that names them,
and seeding the same articles into an emulator, their bodies rendered as hcsync sends them
(``hcsync.kinds.article.rendering``), so the files and the live help center match exactly
and the plan is empty. Must not time or print anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.trees import Entry, seed, to_yaml, walk
from hcsync.emulator import Emulator
from hcsync.kinds.article.rendering import render_markdown

FOLDER = "articles"  # the config's `articles:`, relative to it
AUTHOR = "writer@example.com"  # the config's `default_author:`, an admin of the emulator


@dataclass(frozen=True)
class Article:
    """One generated article: its file's name, the path of names of its collection."""

    name: str
    collection: tuple[str, ...]
    title: str
    description: str
    body: str
    fr_title: str
    fr_body: str


def paths(entries: list[Entry]) -> list[tuple[str, ...]]:
    """Every collection of the tree as its path of names, parents first."""
    out: list[tuple[str, ...]] = []

    def add(entry: Entry, parent: tuple[str, ...]) -> None:
        path = (*parent, entry.name)
        out.append(path)
        for child in entry.children:
            add(child, path)

    for entry in entries:
        add(entry, ())
    return out


def articles(entries: list[Entry], count: int) -> list[Article]:
    """``count`` articles dealt round-robin over every collection of ``entries``."""
    where = paths(entries)
    if not where and count:
        raise ValueError("articles need at least one collection")
    return [_article(k, where[k % len(where)]) for k in range(count)]


def _article(k: int, collection: tuple[str, ...]) -> Article:
    body = (
        f"# Article {k}\n\n"
        f"How to use **feature {k}** with *any* plan; see [the guide](https://example.com/g/{k}).\n\n"
        "## Steps\n\n"
        "1. Open the settings.\n"
        "2. Choose **Advanced**.\n"
        "   - then *Save*\n\n"
        "```sh\n"
        f"acme run --feature {k}\n"
        "```\n\n"
        "That is all.\n"
    )
    fr_body = f"# Article {k}\n\nUtilisez **la fonction {k}** avec *tout* forfait.\n"
    return Article(
        name=f"a{k:05d}",
        collection=collection,
        title=f"Article {k}",
        description=f"About feature {k}",
        body=body,
        fr_title=f"Article {k} (fr)",
        fr_body=fr_body,
    )


def write_files(folder: Path, entries: list[Entry], items: list[Article]) -> Path:
    """The config (the tree, French on each collection, ``articles:`` and ``default_author:``)
    and one file per article and per translation, under ``folder``; the config's path."""
    config = folder / "collections.yaml"
    head, _, rest = to_yaml(entries, translated=True).partition("collections:")
    extra = f"default_author: {AUTHOR}\narticles: {FOLDER}\n"
    config.write_text(head + extra + "collections:" + rest, encoding="utf-8")
    files = folder / FOLDER
    files.mkdir()
    for item in items:
        where = " / ".join(item.collection)
        (files / f"{item.name}.md").write_text(
            f"---\ntitle: {item.title}\ndescription: {item.description}\n"
            f'collection: "{where}"\nstate: published\n---\n{item.body}',
            encoding="utf-8",
        )
        (files / f"{item.name}.fr.md").write_text(
            f"---\ntitle: {item.fr_title}\nstate: published\n---\n{item.fr_body}",
            encoding="utf-8",
        )
    return config


def seed_articles(
    emu: Emulator, entries: list[Entry], help_center_id: str, items: list[Article]
) -> None:
    """The tree (French on each collection) and the articles, created directly in the
    emulator as ``hcsync apply`` would have created them, written by ``AUTHOR``."""
    seed(emu, entries, help_center_id, translated=True)
    author = int(emu.add_admin("Writer", AUTHOR)["id"])
    ids = {
        path: str(c["id"])
        for path, c in zip(paths(entries), _in_tree_order(emu, entries), strict=True)
    }
    for item in items:
        emu.add_article(
            item.title,
            parent_id=ids[item.collection],
            description=item.description,
            body=render_markdown(item.body),
            author_id=author,
            translated_content={
                "fr": {
                    "title": item.fr_title,
                    "description": "",
                    "body": render_markdown(item.fr_body),
                    "author_id": author,
                    "state": "published",
                }
            },
        )


def _in_tree_order(emu: Emulator, entries: list[Entry]) -> list[dict[str, object]]:
    """The emulator's collections in the order ``paths`` lists them (the order ``seed``
    created them in, that is by id)."""
    made = sorted(emu.collections(), key=lambda c: int(str(c["id"])))
    if len(made) != len(walk(entries)):
        raise AssertionError("seed the tree into an emulator holding no other collection")
    return list(made)
