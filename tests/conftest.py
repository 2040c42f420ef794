"""Shared fixtures: a fresh emulator with one help center, and the CLI run against it."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from support import TOKEN, FakeTime, Run, RunCli, run_cli

from hcsync.emulator import Emulator


@pytest.fixture
def fake_time() -> FakeTime:
    """One clock for the emulator and the CLI's client: waiting costs no real time."""
    return FakeTime()


@pytest.fixture
def emulator(fake_time: FakeTime) -> Emulator:
    """An emulator with one empty help center, 'acme', on the shared fake clock."""
    emu = Emulator(token=TOKEN, clock=fake_time.clock, sleep=fake_time.sleep)
    emu.add_help_center("acme", "Acme Help Center")
    return emu


@pytest.fixture
def hcsync(emulator: Emulator, fake_time: FakeTime) -> RunCli:
    """Run the hcsync CLI in-process against the emulator: ``hcsync("plan", path)``."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> Run:
        return run_cli(emulator.transport, *args, env=env, time=fake_time)

    return run
