"""What a user writes to check a help center against a YAML file with Intercom's official
Python SDK (``python-intercom``): the baseline ``hcsync plan`` is measured against.

Run as a process of its own, like ``hcsync plan``::

    INTERCOM_ACCESS_TOKEN=... python benchmarks/sdk_plan.py FILE --base-url URL --help-center acme

Owns: reading the file with ``yaml.safe_load``; listing the help centers and every
collection with the SDK's pagers at their defaults (one request at a time, the server's
default page size); comparing each collection's name, description and French translation,
keyed by its path of names, as two plain dicts. Prints ``No changes.`` (exit 0) or how many
collections differ (exit 2). Must not import hcsync: a user of the SDK has none.
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Sequence
from typing import Any

from intercom import Intercom
from intercom.help_center.types import Collection

ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:  # run as a script: only benchmarks/ is on the path
    sys.path.insert(0, ROOT)

from benchmarks.sdk_session import report, start  # noqa: E402

Path = tuple[str, ...]
Texts = tuple[str, str, str | None, str | None]  # name, description, French name, description


def desired(entries: list[dict[str, Any]], parent: Path = ()) -> dict[Path, Texts]:
    out: dict[Path, Texts] = {}
    for entry in entries:
        path = (*parent, entry["name"])
        fr = (entry.get("translated_content") or {}).get("fr")
        out[path] = (
            entry["name"],
            entry.get("description") or "",
            fr["name"] if fr else None,
            (fr.get("description") or "") if fr else None,
        )
        out.update(desired(entry.get("collections") or [], path))
    return out


def live(client: Intercom, help_center_id: str) -> dict[Path, Texts]:
    by_id = {c.id: c for c in client.help_centers.collections.list()}

    def path(collection: Collection) -> tuple[Path, Collection]:
        names = [collection.name]
        while collection.parent_id:
            collection = by_id[collection.parent_id]
            names.append(collection.name)
        return tuple(reversed(names)), collection

    out: dict[Path, Texts] = {}
    for collection in by_id.values():
        key, top = path(collection)
        if str(top.help_center_id) != help_center_id:
            continue
        translated = collection.translated_content
        fr = translated.fr if translated else None
        out[key] = (
            collection.name,
            collection.description or "",
            fr.name if fr else None,
            (fr.description or "") if fr else None,
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    document, client, center_id, _ = start(__doc__.split("\n\n")[0] if __doc__ else None, argv)
    want = desired(document["collections"])
    have = live(client, center_id)
    return report(want, have)


if __name__ == "__main__":
    sys.exit(main())
