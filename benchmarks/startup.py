"""Start-up: how long hcsync takes to begin, as a ratio to a bare interpreter.

Owns: timing ``hcsync --version`` and ``hcsync validate examples/collections.yaml`` against
``python -c pass`` of the same interpreter, run in turn (bare, version, validate, bare, ...)
so a change in the machine's load falls on all three, each after an untimed warm-up, and
comparing the medians. Must not touch the network.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.processes import Runner
from benchmarks.report import Row, ratio, seconds, timed_row, times

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "collections.yaml"
# (figure, arguments after `hcsync`, the largest ratio to a bare interpreter allowed)
COMMANDS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("start-up: hcsync --version", ("--version",), 5.0),
    ("start-up: hcsync validate examples/collections.yaml", ("validate", str(EXAMPLE)), 12.0),
)


def startup_figures(
    runner: Runner, hcsync: Path, runs: int, out: Callable[[str], None]
) -> list[Row]:
    bare = (sys.executable, "-c", "pass")
    commands = [(str(hcsync), *args) for _, args, _ in COMMANDS]
    runner.warm("python -c pass", bare)
    for (figure, _, _), command in zip(COMMANDS, commands, strict=True):
        runner.warm(figure, command)
    base: list[float] = []
    ours: list[list[float]] = [[] for _ in COMMANDS]
    for _ in range(runs):
        base.append(runner.run(bare).check().seconds)
        for series, command in zip(ours, commands, strict=True):
            series.append(runner.run(command).check().seconds)
    floor = statistics.median(base)
    out(f"start-up: python -c pass {seconds(floor)} (median of {runs}; the floor below)")
    rows: list[Row] = []
    for (figure, _, allowed), series in zip(COMMANDS, ours, strict=True):
        mine = statistics.median(series)
        out(
            f"{figure}: {seconds(mine)} median of {runs}, "
            f"{times(ratio(mine, floor))} python -c pass (target <= {allowed:g}x)"
        )
        rows.append(timed_row(figure, mine, floor=floor, within_floor=allowed))
    return rows
