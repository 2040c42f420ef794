"""``hcsync plan`` and ``hcsync apply`` as a user runs them: a process, a file on disk, HTTP.

Owns: the loopback emulator each figure runs against (in this process, with a latency per
request and Intercom's documented private-app rate limit), the YAML files (in a temporary
directory, never the checkout), running hcsync and the official-SDK baselines
(``sdk_plan.py``, ``sdk_apply.py``) as processes, checking that each did the work (plan: no
changes; apply: the next plan is empty), and each figure's floor. Must not format the table
(``report``) or know how the pure plan is timed (``pure``).
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.floors import (
    create_round_trips,
    listing_round_trips,
    pages,
    wave_round_trips,
)
from benchmarks.processes import Finished, Runner
from benchmarks.pure import plan_seconds
from benchmarks.report import Row, Target, ratio, seconds, timed_row, times
from benchmarks.trees import Entry, config, seed, to_yaml, tree, walk
from hcsync import loader
from hcsync.diff import build_plan
from hcsync.emulator import Emulator, Faults, serve
from hcsync.kinds import COLLECTION
from hcsync.limits import (
    DEFAULT_PARALLELISM,
    MAX_PER_PAGE,
    RATE_LIMIT_PER_MINUTE,
    RATE_LIMIT_WINDOW,
)

TOKEN = "bench-token"
# Intercom's documented default for private apps: 10,000 calls a minute per app, enforced
# in 10-second windows.
RATE_LIMIT = RATE_LIMIT_PER_MINUTE * int(RATE_LIMIT_WINDOW) // 60
PLAN_WITHIN_FLOOR = 3.0
PLAN_FASTER = 15.0
APPLY_WITHIN_FLOOR = 1.5
HERE = Path(__file__).resolve().parent
NO_CHANGES = "No changes"


@dataclass(frozen=True)
class Bench:
    """What every process figure shares."""

    runner: Runner
    hcsync: Path  # the installed console script
    files: Path  # a temporary directory for the YAML files
    latency: float  # seconds added to every request
    repeat: int  # timed runs of each hcsync command (the median is the figure)
    out: Callable[[str], None]

    def hcsync_args(self, command: str, file: Path, url: str, *more: str) -> tuple[str, ...]:
        return (str(self.hcsync), command, *_against(file, url), *more)

    def sdk_args(self, script: str, file: Path, url: str) -> tuple[str, ...]:
        return (sys.executable, str(HERE / script), *_against(file, url))

    def run(self, args: Sequence[str]) -> Finished:
        return self.runner.run(args, {"INTERCOM_ACCESS_TOKEN": TOKEN})

    def warm(self, kind: str, args: Sequence[str]) -> None:
        self.runner.warm(kind, args, {"INTERCOM_ACCESS_TOKEN": TOKEN})


def _against(file: Path, url: str) -> tuple[str, ...]:
    return (str(file), "--base-url", url, "--help-center", "acme")


def emulator(latency: float) -> tuple[Emulator, str]:
    """A fresh emulator with one help center, ``acme``; and that help center's id."""
    emu = Emulator(token=TOKEN, max_per_page=MAX_PER_PAGE)
    center = emu.add_help_center("acme")
    emu.faults = Faults(latency=latency, rate_limit=RATE_LIMIT)
    return emu, str(center["id"])


def rate_limited(emu: Emulator) -> int:
    return sum(1 for r in emu.requests if r.status == 429)


def write(bench: Bench, name: str, size: int) -> tuple[list[Entry], Path]:
    entries = tree(size)
    path = bench.files / name
    path.write_text(to_yaml(entries, translated=True), encoding="utf-8")
    return entries, path


def file_bytes(size: int) -> int:
    return len(to_yaml(tree(size), translated=True).encode())


def fitting(size: int) -> int:
    """``size`` when its file is within hcsync's file limit; else the largest whole thousand
    (below 1,000: the largest size) whose file is."""
    if file_bytes(size) <= loader.MAX_BYTES:
        return size
    fits, over = 0, size
    while over - fits > 1:
        middle = (fits + over) // 2
        fits, over = (middle, over) if file_bytes(middle) <= loader.MAX_BYTES else (fits, middle)
    return fits // 1000 * 1000 if fits >= 1000 else fits


def warm_up(bench: Bench) -> None:
    """Each command once against a small help center, untimed, so the bytecode every timed
    run reads is already written (``Runner.warm`` runs each kind once per benchmark)."""
    if not bench.runner.cold("hcsync plan"):
        return
    entries, path = write(bench, "warm-up.yaml", 12)
    emu, center = emulator(0.0)
    seed(emu, entries, center, translated=True)
    with serve(emu) as server:
        bench.warm("hcsync plan", bench.hcsync_args("plan", path, server.url))
        bench.warm("sdk plan", bench.sdk_args("sdk_plan.py", path, server.url))
    emu, _ = emulator(0.0)  # apply creates into an empty help center, as the figure does
    with serve(emu) as server:
        bench.warm("hcsync apply", bench.hcsync_args("apply", path, server.url, "--yes"))
    emu, _ = emulator(0.0)
    with serve(emu) as server:
        bench.warm("sdk apply", bench.sdk_args("sdk_apply.py", path, server.url))


def plan_figures(bench: Bench, sizes: Sequence[int], target_size: int) -> list[Row]:
    """``hcsync plan`` of each size against the same size seeded live; beside it, at
    ``target_size``, what a user writes with the official SDK."""
    warm_up(bench)
    parallelism = DEFAULT_PARALLELISM
    rows: list[Row] = []
    for asked in sizes:
        size = fitting(asked)
        figure = f"plan, {size:,} collections"
        if size != asked:
            limit = loader.MAX_BYTES / 2**20
            bench.out(
                f"plan at {asked:,} collections: the file would be "
                f"{file_bytes(asked) / 2**20:.1f} MiB, over hcsync's {limit:g} MiB limit "
                f"(hcsync.loader.MAX_BYTES); measured at {size:,}, the largest whole thousand "
                "that fits"
            )
            figure += f" ({asked:,}: file over {limit:g} MiB)"
        entries, path = write(bench, f"plan-{size}.yaml", size)
        emu, center = emulator(bench.latency)
        seed(emu, entries, center, translated=True)
        desired, live = config(entries, translated=True), emu.collections()
        if not build_plan(
            desired, {COLLECTION.name: live}, help_center="acme", help_center_id=center
        ).empty:
            raise AssertionError("the seeded help center should match the generated file")
        cpu = plan_seconds(desired, live, center)
        trips = listing_round_trips(size, parallelism)
        floor = trips * bench.latency + cpu
        theirs: Finished | None = None
        with serve(emu) as server:
            ours_args = bench.hcsync_args("plan", path, server.url)
            ours = [bench.run(ours_args).check(says=NO_CHANGES) for _ in range(bench.repeat)]
            if asked == target_size:
                theirs_args = bench.sdk_args("sdk_plan.py", path, server.url)
                theirs = bench.run(theirs_args).check(says=NO_CHANGES)
        mine = statistics.median(run.seconds for run in ours)
        peak = max(run.peak_kib for run in ours) / 1024
        sdk = (
            ""
            if theirs is None
            else f"; official SDK {seconds(theirs.seconds)} (peak {theirs.peak_kib / 1024:.0f} "
            f"MiB, {times(ratio(theirs.seconds, mine))} hcsync's time)"
        )
        bench.out(
            f"{figure}, French on each, {bench.latency * 1000:.0f} ms/request: "
            f"hcsync plan {seconds(mine)} (median of {len(ours)}; peak {peak:.0f} MiB), "
            f"floor {seconds(floor)} = {trips} round trips ({pages(size)} pages, "
            f"parallelism {parallelism}) + {seconds(cpu)} pure plan, "
            f"{times(ratio(mine, floor))} floor{sdk}; 429s: {rate_limited(emu)}"
        )
        rows.append(
            timed_row(
                figure,
                mine,
                floor=floor,
                baseline=None if theirs is None else theirs.seconds,
                within_floor=PLAN_WITHIN_FLOOR if asked >= target_size else None,
                faster_than_baseline=PLAN_FASTER if asked == target_size else None,
                note=f"peak {peak:.0f} MiB",
            )
        )
    return rows


def apply_figure(bench: Bench, size: int) -> Row:
    """``hcsync apply`` creating a three-level tree in an empty help center, beside the SDK."""
    parallelism = DEFAULT_PARALLELISM
    entries, path = write(bench, f"apply-{size}.yaml", size)
    creates = len(walk(entries))
    levels = "/".join(
        str(sum(1 for e in walk(entries) if e.name.count(".") == depth)) for depth in range(3)
    )
    before, during, after = (
        listing_round_trips(0, parallelism),
        wave_round_trips(entries, parallelism),
        listing_round_trips(creates, parallelism),
    )
    floor = (before + during + after) * bench.latency
    # Without the look before each level, only file order and parallelism would bound it.
    chain = before + create_round_trips(entries, parallelism) + after
    warm_up(bench)
    emu, _ = emulator(bench.latency)
    with serve(emu) as server:
        ours = bench.run(bench.hcsync_args("apply", path, server.url, "--yes")).check()
        requests, limited = len(emu.requests), rate_limited(emu)
        bench.run(bench.hcsync_args("plan", path, server.url)).check(says=NO_CHANGES)
    emu, _ = emulator(bench.latency)
    with serve(emu) as server:
        theirs = bench.run(bench.sdk_args("sdk_apply.py", path, server.url))
        theirs.check(says=f"Created {creates} collections")
        their_limited = rate_limited(emu)
        bench.run(bench.hcsync_args("plan", path, server.url)).check(says=NO_CHANGES)
    bench.out(
        f"apply, {creates:,} creates ({levels} per level), French on each, "
        f"{bench.latency * 1000:.0f} ms/request, rate limit {RATE_LIMIT:,} per 10 s, default "
        f"parallelism {parallelism}: hcsync apply {seconds(ours.seconds)} ({requests} requests, "
        f"{limited} 429s; peak {ours.peak_kib / 1024:.0f} MiB; next plan empty), floor "
        f"{seconds(floor)} = {before} + {during} + {after} round trips (listing; creates, "
        f"level by level after a listing, each level its longest sibling group or "
        f"{parallelism} at a time; listing again), {times(ratio(ours.seconds, floor))} floor; "
        f"{times(ratio(ours.seconds, chain * bench.latency))} the {chain} round trips file "
        "order alone would need (no look for a second writer before each level); "
        "official SDK one at a time "
        f"{seconds(theirs.seconds)} ({their_limited} 429s, "
        f"{times(ratio(theirs.seconds, ours.seconds))} "
        "hcsync's time)"
    )
    return timed_row(
        f"apply, {creates:,} creates ({levels})",
        ours.seconds,
        floor=floor,
        baseline=theirs.seconds,
        within_floor=APPLY_WITHIN_FLOOR,
        note=f"{limited} 429s",
        also=(Target("no 429s", limited == 0),),
    )
