"""The benchmark's verdicts and how they are shown: rows, targets, the table, the README block.

Owns: a figure's row (measured, floor, baseline, the ratios, its targets and whether each is
met), the plain-text table printed at the end, the Markdown table with the date and machine
line, and rewriting only the block between ``<!-- bench:start -->`` and ``<!-- bench:end -->``
of a README. Must not measure anything.
"""

from __future__ import annotations

import datetime
import math
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
LEGEND = (
    "Floor: the least the work allows (round trips x latency, plus the pure plan's CPU for "
    "`plan`; `python -c pass` for start-up). Baseline: the same work written with Intercom's "
    "official Python SDK at its defaults, one call at a time."
)
COLUMNS = ("figure", "target", "measured", "floor", "x floor", "baseline", "x faster", "met?")


@dataclass(frozen=True)
class Target:
    """One thing a figure promises, and whether this run kept it."""

    text: str
    met: bool


@dataclass(frozen=True)
class Row:
    """One figure of the table, every cell already written out."""

    figure: str
    measured: str
    targets: tuple[Target, ...] = ()
    floor: str = "-"
    x_floor: str = "-"
    baseline: str = "-"
    x_faster: str = "-"

    @property
    def met(self) -> bool:
        return all(target.met for target in self.targets)

    def cells(self) -> tuple[str, ...]:
        verdict = "-" if not self.targets else "met" if self.met else "NOT MET"
        target = ", ".join(t.text for t in self.targets) or "-"
        return (
            self.figure,
            target,
            self.measured,
            self.floor,
            self.x_floor,
            self.baseline,
            self.x_faster,
            verdict,
        )


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def ratio(part: float, whole: float) -> float:
    """``part / whole``; infinite when ``whole`` is nothing (a floor at no latency)."""
    return part / whole if whole > 0 else float("inf")


def times(value: float) -> str:
    if math.isinf(value):
        return "inf"
    # Two decimals below 10: a ratio of 1.53 against a target of 1.5 must not print as 1.5.
    if value < 10:
        return f"{value:.2f}x"
    return f"{value:.1f}x" if value < 100 else f"{value:.0f}x"


def timed_row(
    figure: str,
    measured: float,
    *,
    floor: float | None = None,
    baseline: float | None = None,
    within_floor: float | None = None,
    faster_than_baseline: float | None = None,
    below: float | None = None,
    note: str = "",
    also: Sequence[Target] = (),
) -> Row:
    """A row for a figure in seconds; each target given is checked here.

    ``within_floor``: at most that many times the floor; ``faster_than_baseline``: the
    baseline takes at least that many times as long; ``below``: under that many seconds."""
    targets: list[Target] = []
    x_floor = ratio(measured, floor or 0.0)
    x_faster = 0.0 if baseline is None else ratio(baseline, measured)
    if within_floor is not None:
        targets.append(Target(f"<= {within_floor:g}x floor", x_floor <= within_floor))
    if faster_than_baseline is not None:
        targets.append(
            Target(f">= {faster_than_baseline:g}x faster", x_faster >= faster_than_baseline)
        )
    if below is not None:
        targets.append(Target(f"< {seconds(below)}", measured < below))
    targets.extend(also)
    return Row(
        figure=figure,
        measured=seconds(measured) + (f" ({note})" if note else ""),
        targets=tuple(targets),
        floor="-" if floor is None else seconds(floor),
        x_floor="-" if floor is None else times(x_floor),
        baseline="-" if baseline is None else seconds(baseline),
        x_faster="-" if baseline is None else times(x_faster),
    )


def table(rows: Sequence[Row]) -> str:
    """The rows as aligned plain text, for the terminal."""
    lines = [COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in text)


def machine() -> str:
    """When and where the figures were taken."""
    cores = os.cpu_count() or 0
    return (
        f"Measured by `make bench` on {datetime.date.today().isoformat()}: {cores} cores, "
        f"{platform.system()} {platform.machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}."
    )


def markdown(rows: Sequence[Row]) -> str:
    """The date and machine line, then the rows as a Markdown table."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join(
        [
            machine(),
            LEGEND,
            "",
            line(COLUMNS),
            line(["---"] * len(COLUMNS)),
            *(line(row.cells()) for row in rows),
        ]
    )


def rewrite_block(path: Path, block: str, markers: tuple[str, str] = (START, END)) -> bool:
    """Put ``block`` between the ``markers`` (the bench markers unless told) of the file at
    ``path``, keeping every other byte; whether the file changed. Raises ``ValueError`` when
    the markers are missing."""
    opening, closing = markers
    text = path.read_text(encoding="utf-8")
    start = text.find(opening)
    end = text.find(closing, start + len(opening)) if start >= 0 else -1
    if start < 0 or end < 0:
        raise ValueError(f"{path}: no {opening} ... {closing} block to rewrite")
    # blank lines around the block: Markdown then never reads a marker as part of the table
    new = text[: start + len(opening)] + "\n\n" + block.strip("\n") + "\n\n" + text[end:]
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True
