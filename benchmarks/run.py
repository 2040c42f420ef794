"""``make bench``: hcsync's speed against the emulator on loopback HTTP, beside a plain client.

Prints, in one run:

1. ``plan`` of a help center with 5,000 live collections (three levels), 50 ms per request:
   hcsync (largest honoured page, pages 2..N at once) vs one request at a time at the
   default page size;
2. ``apply`` creating 1,000 collections across three levels, 50 ms per request: hcsync
   (each level's calls at once, ``--parallelism 8``) vs one POST at a time, under Intercom's
   current private-app rate limit (10,000/minute = 1,666 per 10-second window), with the
   number of 429s seen;
3. the pure part (normalise + diff + plan) of 1k, 5k and 10k collections, half of them
   changed, best of 3 on one core, and its growth per 1k collections;

then a table (figure, target, measured, met?, ratio to the baseline). Exits 1 when a target
is not met. Never run by the test suite (a smoke test runs it tiny, without latency).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` puts only benchmarks/ on the path
    sys.path.insert(0, str(ROOT))

from benchmarks.baseline import SequentialClient  # noqa: E402
from benchmarks.trees import config, raw_live, seed, tree, walk  # noqa: E402
from hcsync.apply import apply_plan  # noqa: E402
from hcsync.client import IntercomClient  # noqa: E402
from hcsync.connection import open_http  # noqa: E402
from hcsync.diff import build_plan  # noqa: E402
from hcsync.emulator import Emulator, Faults, serve  # noqa: E402
from hcsync.pipeline import plan_against_live  # noqa: E402

TOKEN = "bench-token"
# Intercom's documented default for private apps: 10,000 calls a minute per app, enforced
# in 10-second windows.
RATE_LIMIT = 10_000 // 6
T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    figure: str
    target: float | None  # seconds; None: informative only
    measured: float
    baseline: float | None = None

    @property
    def met(self) -> bool:
        return self.target is None or self.measured < self.target


def timed(work: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def emulator(latency: float) -> Emulator:
    emu = Emulator(token=TOKEN, max_per_page=150)
    emu.add_help_center("acme")
    emu.faults = Faults(latency=latency, rate_limit=RATE_LIMIT)
    return emu


def rate_limited(emu: Emulator) -> int:
    return sum(1 for r in emu.requests if r.status == 429)


def bench_plan(size: int, latency: float, out: Callable[[str], None]) -> Row:
    entries = tree(size)
    desired = config(entries)
    emu = emulator(latency)
    seed(emu, entries, "101")
    with serve(emu) as server:
        client = IntercomClient(open_http(server.url, TOKEN))
        ours, planned = timed(lambda: plan_against_live(desired, client, help_center="acme"))
        assert planned.plan.empty, "the seeded live state should match the generated file"
        plain = SequentialClient(server.url, TOKEN)

        def sequential() -> None:
            centers = plain.help_centers()
            live = plain.list_collections()
            build_plan(desired, live, help_center="acme", help_center_id=str(centers[0]["id"]))

        theirs, _ = timed(sequential)
        plain.close()
    out(
        f"plan, {size} live collections, {latency * 1000:.0f} ms/request: hcsync {ours:.2f} s, "
        f"sequential {theirs:.2f} s ({theirs / ours:.1f}x); 429s: {rate_limited(emu)}"
    )
    return Row(f"plan, {size} live collections", 1.5, ours, theirs)


def bench_apply(size: int, latency: float, parallelism: int, out: Callable[[str], None]) -> Row:
    entries = tree(size)
    desired = config(entries)
    levels = [sum(1 for e in walk(entries) if e.name.count(".") == d) for d in range(3)]
    emu = emulator(latency)
    with serve(emu) as server:
        client = IntercomClient(open_http(server.url, TOKEN))
        plan = plan_against_live(desired, client, help_center="acme").plan
        ours, result = timed(
            lambda: apply_plan(plan, client, default_locale="en", parallelism=parallelism)
        )
        assert result.ok, result.failed
        ours_429 = rate_limited(emu)
        assert plan_against_live(desired, client, help_center="acme").plan.empty
    emu = emulator(latency)
    with serve(emu) as server:
        plain = SequentialClient(server.url, TOKEN)
        theirs, made = timed(lambda: plain.create_tree(entries, "101"))
        plain.close()
        assert made == size
    out(
        f"apply, {size} creates ({'/'.join(map(str, levels))} per level), "
        f"{latency * 1000:.0f} ms/request, parallelism {parallelism}, rate limit {RATE_LIMIT} "
        f"per 10 s (Intercom's 10,000/minute): hcsync {ours:.2f} s with {ours_429} 429s, "
        f"sequential {theirs:.2f} s ({theirs / ours:.1f}x)"
    )
    return Row(f"apply, {size} creates", 8.0, ours, theirs)


def bench_pure(sizes: Sequence[int], out: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    per_1k: list[float] = []
    for size in sizes:
        entries = tree(size)
        desired = config(entries, changed_every=2, translate_every=4)  # half of them changed
        live = raw_live(entries)

        def work(desired: object = desired, live: object = live) -> None:
            build_plan(desired, live, help_center="acme", help_center_id="101")  # type: ignore[arg-type]

        gc.collect()
        best = min(timed(work)[0] for _ in range(3))
        # The linearity verdict is on the algorithm: Python's cyclic collector walks every
        # live object on its passes, which alone makes big heaps cost more per item.
        gc.disable()
        try:
            per_1k.append(min(timed(work)[0] for _ in range(3)) / size * 1000)
        finally:
            gc.enable()
        out(f"pure plan, {size} collections (half changed): {best * 1000:.0f} ms best of 3")
        target = 1.0 if size >= 10_000 else None
        rows.append(Row(f"pure plan, {size} collections", target, best))
    growth = ", ".join(f"{n}: {t * 1000:.1f} ms per 1k" for n, t in zip(sizes, per_1k, strict=True))
    spread = max(per_1k) / min(per_1k)
    verdict = "linear" if spread < 1.5 else "NOT linear"
    out(
        f"pure plan growth (collector paused): {growth} "
        f"({verdict}: per-1k cost varies {spread:.2f}x)"
    )
    return rows


def table(rows: Sequence[Row]) -> str:
    header = ("figure", "target", "measured", "met?", "vs sequential")
    lines = [header]
    for row in rows:
        lines.append(
            (
                row.figure,
                "-" if row.target is None else f"< {row.target:g} s",
                f"{row.measured:.3f} s",
                "met" if row.met else "NOT MET",
                "-" if row.baseline is None else f"{row.baseline / row.measured:.1f}x faster",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--plan-size", type=int, default=5000)
    parser.add_argument("--apply-size", type=int, default=1000)
    parser.add_argument("--parallelism", type=int, default=8)
    parser.add_argument("--pure-sizes", default="1000,5000,10000")
    args = parser.parse_args(argv)
    latency = args.latency_ms / 1000

    def out(line: str) -> None:
        print(line, flush=True)

    rows = [
        bench_plan(args.plan_size, latency, out),
        bench_apply(args.apply_size, latency, args.parallelism, out),
        *bench_pure([int(n) for n in args.pure_sizes.split(",")], out),
    ]
    print()
    print(table(rows))
    missed = [row.figure for row in rows if not row.met]
    if missed:
        print(f"\ntarget not met: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
