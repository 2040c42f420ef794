"""What a user writes to create a YAML file's tree with Intercom's official Python SDK
(``python-intercom``): the baseline ``hcsync apply`` is measured against.

Run as a process of its own, like ``hcsync apply``::

    INTERCOM_ACCESS_TOKEN=... python benchmarks/sdk_apply.py FILE --base-url URL --help-center acme

Owns: reading the file with ``yaml.safe_load`` and creating every collection in it with the
SDK, one call at a time, parent before child, each with its French translation; prints how
many it created. It creates only (the benchmark starts from an empty help center). Must not
import hcsync: a user of the SDK has none.
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Sequence
from typing import Any

from intercom import Intercom
from intercom.types import GroupContent, GroupTranslatedContent

ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:  # run as a script: only benchmarks/ is on the path
    sys.path.insert(0, ROOT)

from benchmarks.sdk_session import start  # noqa: E402


def create(
    client: Intercom, entries: list[dict[str, Any]], help_center_id: int, parent: str | None
) -> int:
    made = 0
    for entry in entries:
        fields: dict[str, Any] = {"name": entry["name"]}
        if entry.get("description"):
            fields["description"] = entry["description"]
        fr = (entry.get("translated_content") or {}).get("fr")
        if fr:
            fields["translated_content"] = GroupTranslatedContent(fr=GroupContent(**fr))
        if parent is None:
            fields["help_center_id"] = help_center_id
        else:
            fields["parent_id"] = parent
        collection = client.help_centers.collections.create(**fields)
        made += 1 + create(client, entry.get("collections") or [], help_center_id, collection.id)
    return made


def main(argv: Sequence[str] | None = None) -> int:
    document, client, center_id, _ = start(__doc__.split("\n\n")[0] if __doc__ else None, argv)
    made = create(client, document["collections"], int(center_id), None)
    print(f"Created {made} collections.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
