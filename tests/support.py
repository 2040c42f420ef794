"""Helpers shared by the tests: the fake token, paths, and running the CLI in-process."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from hcsync.cli import main

TOKEN = "test-token-not-a-secret"
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "collections.yaml"


@dataclass(frozen=True)
class Run:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str


RunCli = Callable[..., Run]


class FakeTime:
    """A clock for the emulator and the client together: sleeping advances it, instantly.

    Every reading also moves it on a little, so timestamps written one after another differ
    and rate-limit windows roll over as a real run's would.
    """

    def __init__(self, start: float = 1_700_000_000.0, tick: float = 0.001) -> None:
        self.now = start
        self.tick = tick
        self.slept = 0.0

    def clock(self) -> float:
        self.now += self.tick
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        self.slept += max(seconds, 0.0)


def no_sleep(_seconds: float) -> None:
    """Tests never wait for real: retries and rate-limit resets pass instantly."""
    return None


def run_cli(
    transport: httpx.BaseTransport | None,
    *args: str,
    env: Mapping[str, str] | None = None,
    time: FakeTime | None = None,
) -> Run:
    """Run the hcsync CLI in-process with the test token, talking through ``transport``.

    With ``time`` (shared with the emulator) the client's waits advance that clock; without
    it they are skipped.
    """
    out, err = io.StringIO(), io.StringIO()
    environ = {"INTERCOM_ACCESS_TOKEN": TOKEN, **(env or {})}
    timing = {"sleep": time.sleep, "clock": time.clock} if time else {"sleep": no_sleep}
    code = main(list(args), env=environ, stdout=out, stderr=err, transport=transport, **timing)
    return Run(code, out.getvalue(), err.getvalue())
