"""Shared fixtures: a fresh emulator with one help center, and the CLI run against it."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from support import TOKEN, Run, RunCli, run_cli

from hcsync.emulator import Emulator


def _no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def emulator() -> Emulator:
    """An emulator with one empty help center, 'acme', that never really sleeps."""
    emu = Emulator(token=TOKEN, sleep=_no_sleep)
    emu.add_help_center("acme", "Acme Help Center")
    return emu


@pytest.fixture
def hcsync(emulator: Emulator) -> RunCli:
    """Run the hcsync CLI in-process against the emulator: ``hcsync("plan", path)``."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> Run:
        return run_cli(emulator.transport, *args, env=env)

    return run
