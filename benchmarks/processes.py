"""Running a child process the way an installed user's shell runs it, timed.

Owns: the child's environment (byte-compiled, as after ``pip install``: bytecode is written
and read, but into a cache directory of this benchmark run's own through
``PYTHONPYCACHEPREFIX``, never into the checkout; nothing inherited that changes what hcsync
does, such as GitHub Actions' variables), one untimed warm-up per kind of command so the
cache is filled before anything is timed, and measuring one run: wall time from spawn to
exit, exit code, output, and the child's own peak resident memory (``os.wait4``, which
reports on that child alone). Must not know what the commands are or judge their figures.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Variables a user's shell would not hand hcsync in a benchmark: bytecode switches (set
# below), GitHub Actions' (plan appends to GITHUB_STEP_SUMMARY there), forced colour.
_DROPPED = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "FORCE_COLOR")
TIMEOUT = 600.0


@dataclass(frozen=True)
class Finished:
    """One child process that ran to its end."""

    argv: tuple[str, ...]
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_kib: int  # the child's maximum resident set size, KiB (Linux's ru_maxrss unit)

    def check(self, *, says: str | None = None, code: int = 0) -> Finished:
        """This run, once its exit code is ``code`` and its output contains ``says``."""
        if self.returncode != code or (says is not None and says not in self.stdout):
            raise AssertionError(
                f"{' '.join(self.argv)} exited {self.returncode} (wanted {code}"
                + (f", saying {says!r}" if says else "")
                + f")\nstdout:\n{self.stdout[-2000:]}\nstderr:\n{self.stderr[-2000:]}"
            )
        return self


class Runner:
    """Starts child processes with one shared bytecode cache in a temporary directory."""

    def __init__(self, cwd: Path, cache_dir: Path | None) -> None:
        """``cache_dir`` None: a quick run (the smoke test's, whose figures mean nothing):
        children read only the bytecode installed with the venv, write none (hcsync's own
        modules are then compiled on every start), and nothing is warmed up."""
        self._cwd = cwd
        self._cache_dir = cache_dir
        self._warmed: set[str] = set()

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in _DROPPED and not key.startswith("GITHUB_")
        }
        if self._cache_dir is None:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env["PYTHONPYCACHEPREFIX"] = str(self._cache_dir)
        env.update(extra or {})
        return env

    def cold(self, kind: str) -> bool:
        """Whether ``kind`` of command still wants its warm-up run."""
        return self._cache_dir is not None and kind not in self._warmed

    def warm(self, kind: str, argv: Sequence[str], extra: Mapping[str, str] | None = None) -> None:
        """Run ``argv`` once, untimed, the first time ``kind`` is asked for: it writes the
        bytecode the timed runs then read, as an installed user's second run would."""
        if self.cold(kind):
            self._warmed.add(kind)
            self.run(argv, extra)

    def run(self, argv: Sequence[str], extra: Mapping[str, str] | None = None) -> Finished:
        env = self.env(extra)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            child = subprocess.Popen(
                list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=self._cwd
            )
            # A hung child must not hang the benchmark; killed, it shows up as a failed run.
            watchdog = threading.Timer(TIMEOUT, child.kill)
            watchdog.start()
            try:
                _, status, usage = os.wait4(child.pid, 0)
            finally:
                watchdog.cancel()
            seconds = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            out.seek(0)
            err.seek(0)
            return Finished(
                argv=tuple(argv),
                seconds=seconds,
                returncode=child.returncode,
                stdout=out.read().decode("utf-8", "replace"),
                stderr=err.read().decode("utf-8", "replace"),
                peak_kib=usage.ru_maxrss,
            )
