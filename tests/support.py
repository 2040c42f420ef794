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


def run_cli(
    transport: httpx.BaseTransport | None, *args: str, env: Mapping[str, str] | None = None
) -> Run:
    """Run the hcsync CLI in-process with the test token, talking through ``transport``."""
    out, err = io.StringIO(), io.StringIO()
    environ = {"INTERCOM_ACCESS_TOKEN": TOKEN, **(env or {})}
    code = main(list(args), env=environ, stdout=out, stderr=err, transport=transport)
    return Run(code, out.getvalue(), err.getvalue())
