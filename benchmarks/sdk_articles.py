"""What a user writes to check a help center's articles against a folder of article files
with Intercom's official Python SDK (``python-intercom``): the baseline ``hcsync plan`` of a
config with ``articles:`` is measured against.

Run as a process of its own, like ``hcsync plan``::

    INTERCOM_ACCESS_TOKEN=... python benchmarks/sdk_articles.py FILE --base-url URL \\
        --help-center acme

Owns: reading the config with ``yaml.safe_load`` and each article file's front matter the
same way; listing the help centers, every collection, the admins and every article with the
SDK's pagers at their defaults (one request at a time, the server's default page size), as
a sequential client must; comparing each article's title, description, state, author,
collection and French title and state, keyed by its collection's path of names and its
title. Bodies are not compared: Intercom rewrites the HTML it stores, and undoing that is
what hcsync's planner spends most of its time on, so this baseline does less work than
hcsync does. Prints ``No changes.`` (exit 0) or how many articles differ (exit 2). Must not
import hcsync: a user of the SDK has none.
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Sequence
from typing import Any

import yaml
from intercom import Intercom

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: only benchmarks/ is on the path
    sys.path.insert(0, str(ROOT))

from benchmarks.sdk_session import report, start  # noqa: E402

Path = tuple[str, ...]
Key = tuple[Path, str]  # the collection's path of names, the title
# description, state, author id, French title, French state
Fields = tuple[str, str, str, str | None, str | None]


def front_matter(file: pathlib.Path) -> dict[str, Any]:
    text = file.read_text(encoding="utf-8")
    _, head, _ = text.split("---\n", 2)
    loaded: dict[str, Any] = yaml.safe_load(head)
    return loaded


def desired(folder: pathlib.Path, authors: dict[str, str], default: str) -> dict[Key, Fields]:
    out: dict[Key, Fields] = {}
    for file in sorted(folder.rglob("*.md")):
        if file.name.count(".") != 1:
            continue  # a translation: read with its article
        meta = front_matter(file)
        fr_file = file.with_name(file.stem + ".fr.md")
        fr = front_matter(fr_file) if fr_file.exists() else None
        path = tuple(part.strip() for part in str(meta["collection"]).split("/"))
        out[(path, meta["title"])] = (
            meta.get("description") or "",
            meta["state"],
            authors[str(meta.get("author") or default).lower()],
            fr["title"] if fr else None,
            fr["state"] if fr else None,
        )
    return out


def collection_paths(client: Intercom, help_center_id: str) -> dict[str, Path]:
    """This help center's collections: id -> path of names."""
    by_id = {c.id: c for c in client.help_centers.collections.list()}
    out: dict[str, Path] = {}
    for cid, collection in by_id.items():
        names = [collection.name]
        while collection.parent_id:
            collection = by_id[collection.parent_id]
            names.append(collection.name)
        if str(collection.help_center_id) == help_center_id:
            out[cid] = tuple(reversed(names))
    return out


def live(client: Intercom, collections: dict[str, Path]) -> dict[Key, Fields]:
    out: dict[Key, Fields] = {}
    for article in client.articles.list():
        path = collections.get(str(article.parent_id))
        if path is None:
            continue  # outside this help center's collections: not ours
        translated = article.translated_content
        fr = translated.fr if translated else None
        out[(path, article.title)] = (
            article.description or "",
            str(article.state),
            str(article.author_id),
            fr.title if fr else None,
            str(fr.state) if fr else None,
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    document, client, center_id, file = start(__doc__.split("\n\n")[0] if __doc__ else None, argv)
    collections = collection_paths(client, center_id)
    admins = [a for a in client.admins.list().admins or [] if a is not None]
    authors = {key: str(a.id) for a in admins for key in (str(a.id), a.email.lower())}
    folder = file.parent / document["articles"]
    want = desired(folder, authors, str(document["default_author"]))
    have = live(client, collections)
    return report(want, have)


if __name__ == "__main__":
    sys.exit(main())
