"""The command line: the ``hcsync`` entry point and its one error handler.

This module builds the parser from the command modules in ``hcsync.commands`` and turns what
they raise into exit codes: hcsync's own errors and command-line mistakes into a clean
``error: ...`` (with the usage, for the latter) and exit 1, anything unexpected into a
traceback (with the token scrubbed) and exit 3. Everything it needs from outside (argv,
environment, streams, an httpx transport) can be passed in, so tests drive it against the
emulator without patching anything.

Exit codes: 0 ok or no changes, 1 error, 2 changes pending (``plan --detailed-exitcode``),
3 internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from hcsync import __version__
from hcsync.commands import COMMANDS
from hcsync.commands.common import (
    EXIT_ERROR,
    EXIT_INTERNAL,
    HEARTBEAT_SECONDS,
    Io,
    printable,
    scrub,
)
from hcsync.errors import HcsyncError, UsageError

if TYPE_CHECKING:
    import httpx

EMULATOR_HELP = """\
Run the bundled Intercom emulator on loopback (for demos and local trials).

examples:
  hcsync emulator --port 8765 --help-center acme
  INTERCOM_ACCESS_TOKEN=any hcsync plan collections.yaml --base-url http://127.0.0.1:8765
"""

NO_COLOR_HELP = "no colour, even on a terminal (as NO_COLOR=1; FORCE_COLOR=1 forces it)"


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> int:
    """Run one hcsync command and return its exit code.

    Everything from outside can be handed in: tests pass the emulator's transport, and a
    ``sleep``/``clock`` pair so retries and rate-limit waits cost no real time.
    """
    io = Io(
        env=os.environ if env is None else env,
        out=sys.stdout if stdout is None else stdout,
        err=sys.stderr if stderr is None else stderr,
        transport=transport,
        sleep=sleep,
        clock=clock,
        inp=stdin,  # None: sys.stdin
        heartbeat=heartbeat,
    )
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["emulator"]:
            # The emulator has its own argument parser and runs until interrupted.
            from hcsync.emulator.server import main as emulator_main

            return emulator_main(args[1:])
        # Parsed inside the handler: a usage mistake is exit 1, never argparse's 2, which
        # `plan --detailed-exitcode` uses for "changes pending".
        ns = parser(_command_word(args)).parse_args(args)
        # The composition root: every command may read a plan, which names its kinds.
        import hcsync.kinds  # noqa: F401  (registers the built-in kinds)

        io.no_color = bool(getattr(ns, "no_color", False))
        command: Callable[[argparse.Namespace, Io], int] = ns.command
        return command(ns, io)
    except HcsyncError as err:
        io.err.write(f"error: {printable(scrub(str(err), io.env))}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        io.err.write("interrupted\n")
        return 130
    except Exception:
        import traceback

        io.err.write(scrub(traceback.format_exc(), io.env))
        io.err.write("internal error: this is a bug in hcsync; please report it with the above\n")
        return EXIT_INTERNAL


class _Parser(argparse.ArgumentParser):
    """argparse, except that a usage mistake raises UsageError instead of exiting with 2.

    Subparsers are built from the same class (argparse's ``parser_class`` default), so this
    holds for every command. ``--help`` and ``--version`` still exit 0 through ``exit``.
    """

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}\n{self.format_usage().rstrip()}")


def _command_word(args: Sequence[str]) -> str | None:
    """The command named on the command line: its first word that is not an option (the
    top-level options take no value)."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """hcsync's argument parser. Only the ``chosen`` command's module is imported and its
    flags registered; every other command is listed by name and summary, for ``--help``
    (argparse hands the rest of the command line to the chosen command's parser alone)."""
    top = _Parser(
        prog="hcsync",
        description="Intercom Help Center collections as code: validate, plan, apply, export.",
        epilog="Exit codes: 0 ok, 1 error, 2 changes pending (--detailed-exitcode), 3 bug.",
    )
    top.add_argument("--version", action="version", version=f"hcsync {__version__}")
    top.add_argument("--no-color", action="store_true", help=NO_COLOR_HELP)
    sub = top.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for name, summary in COMMANDS.items():
        if name != chosen:
            sub.add_parser(name, help=summary, add_help=False)
            continue
        module = importlib.import_module(f"hcsync.commands.{name.replace('-', '_')}")
        module.register(sub)
        # Also after the command (`hcsync plan --no-color`); SUPPRESS keeps the global one.
        sub.choices[name].add_argument(
            "--no-color", action="store_true", default=argparse.SUPPRESS, help=NO_COLOR_HELP
        )
    # Listed for --help; main() hands `hcsync emulator ...` to the emulator's own parser.
    sub.add_parser(
        "emulator", help="run the Intercom emulator", description=EMULATOR_HELP, add_help=False
    )
    return top


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
