"""One order of collection ids everywhere: numeric by value, ties by text, the rest after.

Listing (``live.collections_of``), matching's "lowest id wins" and the stale-plan report all
sort with ``model.id_order``; they used to disagree on ids such as "09" and "9".
"""

from __future__ import annotations

from hcsync.live import collections_of
from hcsync.model import id_order
from hcsync.plan import Plan
from hcsync.staleness import stale

IDS = ["10", "abc", "9", "09", "100", "²"]  # "²" is a digit to str.isdigit, not to int()
ORDER = ["09", "9", "10", "100", "abc", "²"]


def test_id_order_is_numeric_then_textual() -> None:
    assert sorted(IDS, key=id_order) == ORDER


def test_live_collections_come_in_id_order() -> None:
    raw = [{"id": cid, "name": cid, "parent_id": None, "help_center_id": "1"} for cid in IDS]
    assert [c["id"] for c in collections_of(raw, "1", "1")] == ORDER


def test_stale_collections_are_named_in_id_order() -> None:
    live = [{"id": cid, "name": f"N{cid}", "parent_id": None, "updated_at": 1} for cid in IDS]
    found = stale(Plan("acme", "1"), {"collection": live})
    assert [s.id for s in found] == ORDER
    assert {s.reason for s in found} == {"created"}
