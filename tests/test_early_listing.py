"""plan and apply list the help center while the file is read; a bad file still wins.

The listing needs nothing from the file, so it starts first and its round trips overlap the
parsing and checking. What a user must still see is unchanged: a file with a problem reports
the problem (not a network error, not a bad token), writes nothing, and leaves no request
running behind it.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import httpx
import pytest
from support import FIXTURES, TOKEN, FakeTime, Run, run_cli, writes

from hcsync.emulator import Emulator

GOOD = FIXTURES / "good" / "minimal.yaml"
BAD = FIXTURES / "bad" / "duplicate-sibling.yaml"


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_the_listing_starts_before_the_file_is_read(
    command: str, emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    # A named pipe: reading the "file" blocks until the test writes it, which it does only
    # once the emulator has seen the collections listed. Listing after reading would hang.
    pipe = tmp_path / "collections.yaml"
    os.mkfifo(pipe)
    result: list[Run] = []
    args = [command, str(pipe)] + (["--yes"] if command == "apply" else [])
    worker = threading.Thread(
        target=lambda: result.append(run_cli(emulator.transport, *args, time=fake_time))
    )
    worker.start()
    listed = threading.Event()
    for _ in range(500):
        if any(r.path == "/help_center/collections" for r in list(emulator.requests)):
            listed.set()
            break
        threading.Event().wait(0.01)
    with open(pipe, "wb") as writer:  # unblocks the reader whatever happened
        writer.write(GOOD.read_bytes())
    worker.join(30)
    assert listed.is_set(), "nothing was listed while the file was still unread"
    assert result and result[0].code == 0, result


def test_a_bad_file_is_reported_even_when_the_listing_fails(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    result = run_cli(
        emulator.transport,
        "plan",
        str(BAD),
        env={"INTERCOM_ACCESS_TOKEN": "wrong-token"},
        time=fake_time,
    )
    assert result.code == 1
    assert f"{BAD}:" in result.err and "duplicate" in result.err
    assert "401" not in result.err and "unauthorized" not in result.err.lower()
    assert writes(emulator) == []


def test_a_bad_file_is_reported_before_a_missing_token(emulator: Emulator) -> None:
    result = run_cli(emulator.transport, "plan", str(BAD), env={"INTERCOM_ACCESS_TOKEN": ""})
    assert result.code == 1
    assert f"{BAD}:" in result.err
    assert "INTERCOM_ACCESS_TOKEN" not in result.err
    assert emulator.requests == []  # no client, no listing
    # With a good file, the missing token is the error.
    result = run_cli(emulator.transport, "plan", str(GOOD), env={"INTERCOM_ACCESS_TOKEN": ""})
    assert result.code == 1
    assert "INTERCOM_ACCESS_TOKEN" in result.err


class Slow(httpx.BaseTransport):
    """The emulator, 20 ms a request in real time: a listing of many pages takes a while."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(0.02)
        return self.inner.handle_request(request)


def test_a_refused_file_leaves_no_listing_running(fake_time: FakeTime) -> None:
    emulator = Emulator(
        token=TOKEN,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        max_per_page=5,
        default_per_page=5,
    )
    center = emulator.add_help_center("acme")
    for n in range(60):  # 12 pages, one at a time: the listing is still going
        emulator.add_collection(f"C{n}", help_center_id=str(center["id"]))
    args = ["apply", str(BAD), "--yes", "--parallelism", "1"]
    assert run_cli(Slow(emulator.transport), *args, time=fake_time).code == 1
    sent = len(emulator.requests)
    assert sent < 12  # it was stopped part way
    time.sleep(0.3)
    assert len(emulator.requests) == sent
    assert writes(emulator) == []
