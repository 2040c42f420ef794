"""The plain client hcsync is measured against: one request at a time, default page size.

Owns: listing every collection and creating a tree the naive way, with httpx and nothing
else (no concurrency, no ``per_page``, no pacing, no retries). It does the same work as
hcsync's side of each benchmark so the ratio means something. Must not be used by hcsync.
"""

from __future__ import annotations

from typing import Any

import httpx

from benchmarks.trees import Entry


class SequentialClient:
    """One request at a time over one ``httpx.Client``."""

    def __init__(self, base_url: str, token: str) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            headers={
                "Authorization": f"Bearer {token}",
                "Intercom-Version": "2.10",
                "Accept": "application/json",
            },
            timeout=30.0,
        )

    def close(self) -> None:
        self._http.close()

    def help_centers(self) -> list[dict[str, Any]]:
        answer = self._http.get("/help_center/help_centers")
        answer.raise_for_status()
        data: list[dict[str, Any]] = answer.json()["data"]
        return data

    def list_collections(self) -> list[dict[str, Any]]:
        """Page 1, 2, ... at the server's default page size, until the last page."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            answer = self._http.get("/help_center/collections", params={"page": page})
            answer.raise_for_status()
            body = answer.json()
            items.extend(body["data"])
            if page >= body["pages"]["total_pages"]:
                return items
            page += 1

    def create_tree(self, entries: list[Entry], help_center_id: str) -> int:
        """POST every collection, parent before child, one at a time; how many were made."""
        made = 0

        def create(entry: Entry, parent: str | None) -> None:
            nonlocal made
            body: dict[str, Any] = {
                "name": entry.name,
                "description": entry.description,
                "parent_id": parent,
                "help_center_id": int(help_center_id),
            }
            answer = self._http.post("/help_center/collections", json=body)
            answer.raise_for_status()
            made += 1
            for child in entry.children:
                create(child, str(answer.json()["id"]))

        for entry in entries:
            create(entry, None)
        return made
