"""Plumbing every command shares: its I/O, the Intercom client, colour, exit codes.

Owns nothing of any command's logic. The token is read here (from the environment handed in)
and goes straight into the client; it is never printed.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from hcsync.connection import (
    DEFAULT_TIMEOUT,
    REGIONS,
    open_http,
    resolve_base_url,
    token_from_env,
)
from hcsync.errors import UsageError
from hcsync.escape import clean
from hcsync.github import annotate_config_errors
from hcsync.limits import DEFAULT_PARALLELISM

if TYPE_CHECKING:
    import httpx

    from hcsync.client import IntercomClient
    from hcsync.config import Config
    from hcsync.retry import RetryPolicy

# Seconds without a reported step before apply says it is still at work (Terraform's
# "Still creating..."): a CI log that stays silent longer looks hung.
HEARTBEAT_SECONDS = 10.0

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERNAL = 3

RAW = argparse.RawDescriptionHelpFormatter


class Io:
    """Where a command reads its environment and writes its output.

    A plain class, not a dataclass: ``hcsync --version`` imports this module, and
    ``dataclasses`` alone would double what it costs to start.
    """

    def __init__(
        self,
        env: Mapping[str, str],
        out: TextIO,
        err: TextIO,
        transport: httpx.BaseTransport | None,
        *,
        # How the client waits (backoff, rate-limit resets) and tells time: real by default,
        # handed in by tests so retries and 429s cost no real seconds.
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        inp: TextIO | None = None,  # where a question is answered (apply's, on a terminal)
        no_color: bool = False,  # --no-color
        # How often apply's heartbeat looks for silence: handed in by tests, in real seconds.
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.env = env
        self.out = out
        self.err = err
        self.transport = transport
        self.sleep = sleep
        self.clock = clock
        self.inp = sys.stdin if inp is None else inp
        self.no_color = no_color
        self.heartbeat = heartbeat

    def interactive(self) -> bool:
        """Both ends are a terminal: someone is there to answer a question."""
        return _isatty(self.inp) and _isatty(self.out)


def connection_args(parser: argparse.ArgumentParser, *, has_file: bool = True) -> None:
    """--region, --base-url, --help-center and --timeout, for every command that talks to
    Intercom (``has_file``: it reads a config file, whose help_center is the default)."""
    group = parser.add_argument_group(
        "connection", "The access token is read from INTERCOM_ACCESS_TOKEN, never from a flag."
    )
    group.add_argument("--region", choices=sorted(REGIONS), default="us", help="default: us")
    group.add_argument(
        "--base-url", help="another API root (a proxy, or the emulator on http://127.0.0.1)"
    )
    group.add_argument(
        "--help-center",
        help="identifier or id of the help center (default: "
        + ("the file's help_center, or the only one)" if has_file else "the only one)"),
    )
    group.add_argument(
        "--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS", help=timeout_help()
    )


def timeout_help(policy: RetryPolicy | None = None) -> str:
    """--timeout's help: the worst case of a request to a server that never answers, from the
    retry policy the client uses (each attempt times out, with the longest wait between)."""
    from hcsync.retry import RetryPolicy

    policy = policy or RetryPolicy()
    worst = math.ceil(policy.give_up_after(DEFAULT_TIMEOUT))
    waits = policy.give_up_after(0)
    return (
        f"per request attempt (default {DEFAULT_TIMEOUT:g}); a request is tried up to"
        f" {policy.attempts} times, so against a server that never answers it gives up after"
        f" at most about {worst} s ({policy.attempts} x SECONDS + {waits:g} s of waits)"
    )


def _seconds(value: str) -> float:
    """A positive, finite number of seconds, for argparse."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {value!r}")
    return seconds


def client(ns: argparse.Namespace, io: Io) -> IntercomClient:
    """The Intercom client for a command: ``--parallelism N`` (where the command has it)
    bounds every request it has in flight, listing pages included."""
    from hcsync.client import IntercomClient  # with httpx: only for commands that connect

    base_url = resolve_base_url(ns.region, ns.base_url)
    token = token_from_env(io.env)
    timeout = getattr(ns, "timeout", DEFAULT_TIMEOUT)
    concurrency = getattr(ns, "parallelism", None) or DEFAULT_PARALLELISM
    http = open_http(
        base_url, token, transport=io.transport, timeout=timeout, connections=concurrency
    )
    return IntercomClient(
        http,
        sleep=io.sleep,
        clock=io.clock,
        concurrency=concurrency,
        on_wait=waits(io),
    )


def waits(io: Io) -> Callable[[str], None]:
    """What the client calls when it waits long (a 429, a retry's backoff): a line on
    stderr, so a run held back never looks hung and standard output stays the plan."""

    def say(reason: str) -> None:
        io.err.write(f"{printable(reason)}\n")
        io.err.flush()

    return say


def use_color(io: Io) -> bool:
    """Colour on a terminal. Never with --no-color or NO_COLOR (https://no-color.org), nor
    for TERM=dumb; FORCE_COLOR (non-empty) asks for it without a terminal (a CI log that
    renders ANSI)."""
    if io.no_color or io.env.get("NO_COLOR"):
        return False
    if io.env.get("FORCE_COLOR"):
        return True
    if io.env.get("TERM") == "dumb":
        return False
    return _isatty(io.out)


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def write_file(path: str, text: str, *, append: bool = False) -> None:
    """Write (or append) ``text`` to ``path``; a failure is a UsageError naming the path."""
    try:
        with open(path, "a" if append else "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror}") from None


def printable(text: str) -> str:
    """Text for the terminal: each line's control characters escaped, the line breaks kept.

    Error messages carry names from the file and messages from Intercom; neither may drive
    the terminal.
    """
    return "\n".join(clean(line) for line in text.split("\n"))


def scrub(text: str, env: Mapping[str, str], variable: str = "INTERCOM_ACCESS_TOKEN") -> str:
    """Belt and braces: the token (in ``variable``) is never put in messages, but never let
    one through."""
    token = env.get(variable, "").strip()
    return text.replace(token, "[token]") if len(token) >= 4 else text


def read_config(path: str, io: Io) -> Config:
    """The config file, read and checked; under GitHub Actions its problems are also
    printed as annotations on the file's lines."""
    from hcsync.config import load_config

    with annotate_config_errors(io.env, io.out):
        return load_config(path)
