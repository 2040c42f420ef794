"""``--parallelism N`` means N requests in flight at most, the listing's pages included.

Requests in flight are counted by the transport itself: each one is held for a few real
milliseconds (or until one more than allowed is in flight, which must never happen), so any
requests the client sends at the same time do overlap and are seen together.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from support import TOKEN, FakeTime, run_cli

from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator
from hcsync.kinds.collection import COLLECTIONS

HOLD = 0.005  # seconds each request is held, at most: the whole test stays well under 1 s
LIVE = 160  # more than a page of 150, and with pages of 50 four pages: 2..4 read at once


class InFlight:
    """The emulator, counting requests in flight and remembering the most at once."""

    def __init__(self, emu: Emulator, *, beyond: int) -> None:
        self.emu = emu
        self.beyond = beyond  # in flight at once that would break the bound
        self.cond = threading.Condition()
        self.now = 0
        self.peak = 0
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.cond:
            self.now += 1
            self.requests += 1
            self.peak = max(self.peak, self.now)
            self.cond.notify_all()
            # Real time, briefly: whatever the client sends meanwhile overlaps with this one.
            self.cond.wait_for(lambda: self.now >= self.beyond, timeout=HOLD)
        try:
            return self.emu.handle(request)
        finally:
            with self.cond:
                self.now -= 1


def seeded(fake_time: FakeTime) -> Emulator:
    emu = Emulator(token=TOKEN, clock=fake_time.clock, sleep=fake_time.sleep, max_per_page=50)
    center = emu.add_help_center("acme")
    for number in range(LIVE):
        emu.add_collection(f"Collection {number}", help_center_id=center["id"])
    return emu


def config(tmp_path: Path) -> Path:
    """Every live collection, six of them with a new description, and six new ones."""
    lines = ["help_center: acme", "default_locale: en", "collections:"]
    for number in range(LIVE):
        lines.append(f"  - name: Collection {number}")
        if number % 25 == 0:
            lines.append(f"    description: Revised {number}")
    lines.extend(f"  - name: New {number}" for number in range(6))
    path = tmp_path / "collections.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("parallelism", [1, 3])
def test_apply_never_has_more_than_parallelism_requests_in_flight(
    tmp_path: Path, fake_time: FakeTime, parallelism: int
) -> None:
    emu = seeded(fake_time)
    counter = InFlight(emu, beyond=parallelism + 1)
    path = config(tmp_path)

    result = run_cli(
        httpx.MockTransport(counter),
        "apply",
        str(path),
        "--parallelism",
        str(parallelism),
        time=fake_time,
    )

    assert result.code == 0, result.out + result.err
    assert "Verified" in result.out
    assert len(emu.collections()) == LIVE + 6
    assert counter.peak == parallelism  # never more, and reached: not merely serial


def test_a_client_waiting_out_a_429_holds_no_slot() -> None:
    """With room for one request, a request waiting for its rate-limit reset lets another
    through meanwhile: the bound is on requests sent, never on waits."""
    limited = threading.Event()
    other_done = threading.Event()
    seen: list[bool] = []
    calls = {"1": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        cid = request.url.path.rsplit("/", 1)[-1]
        if cid == "1":
            calls["1"] += 1
            if calls["1"] == 1:
                limited.set()
                return httpx.Response(429, headers={"retry-after": "1"})
        return httpx.Response(200, json={"id": cid})

    def sleep(_seconds: float) -> None:
        seen.append(other_done.wait(timeout=1.0))  # the other request got through meanwhile

    http = open_http("https://api.intercom.io", TOKEN, transport=httpx.MockTransport(answer))
    client = IntercomClient(http, sleep=sleep, concurrency=1)
    first = threading.Thread(
        target=client.get,
        args=(
            COLLECTIONS,
            "1",
        ),
    )
    first.start()
    assert limited.wait(timeout=1.0)
    assert client.get(COLLECTIONS, "2")["id"] == "2"
    other_done.set()
    first.join(timeout=2.0)

    assert not first.is_alive()
    assert seen == [True]
    assert calls["1"] == 2
