"""``make bench``: hcsync's speed where users feel it, the whole command, with its targets.

Prints each figure as it is measured, with its target, its floor (the least the work allows)
and how far it is from the floor, then a table; exits 1 when a target is not met:

1. start-up: ``hcsync --version`` and ``hcsync validate examples/collections.yaml`` as a
   ratio to ``python -c pass`` (``startup``);
2. ``hcsync plan`` as a process of 1k, 5k and 20k live collections with a French
   translation each, against the loopback emulator at 50 ms a request, beside what a user
   writes with Intercom's official SDK; floor: the listing's round trips plus the pure plan
   (``cli``, ``floors``, ``sdk_plan``);
3. ``hcsync apply`` as a process creating 1,000 collections over three levels, under
   Intercom's private-app rate limit, beside the SDK one call at a time; floor: the critical
   path of creates plus the listings (``cli``, ``floors``, ``sdk_apply``);
4. ``hcsync plan`` as a process of a config managing 2,000 articles (a French translation
   each) in 200 collections, at 50 ms a request, beside the SDK listing the same one page
   at a time; floor: the listing's round trips plus the pure plan (``article_plan``,
   ``articles``, ``sdk_articles``);
5. the pure plan in process (normalise + diff + plan, half changed) at 1k to 20k, collector
   on, and whether its cost per 1k stays flat (``pure``).

Child processes run byte-compiled, as installed, with their bytecode in a temporary
directory; files go there too: nothing is written into the checkout except, with
``--readme``, the block between the bench markers of that file. Never run by the test suite
(a smoke test runs it tiny, without latency).
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # imports below must not leave __pycache__ in the checkout

import argparse  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` puts only benchmarks/ on the path
    sys.path.insert(0, str(ROOT))

from benchmarks.article_plan import article_plan_figure  # noqa: E402
from benchmarks.cli import Bench, apply_figure, plan_figures  # noqa: E402
from benchmarks.processes import Runner  # noqa: E402
from benchmarks.pure import pure_figures  # noqa: E402
from benchmarks.report import machine, markdown, rewrite_block, table  # noqa: E402
from benchmarks.startup import startup_figures  # noqa: E402


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parser() -> argparse.ArgumentParser:
    make = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    make.add_argument("--latency-ms", type=float, default=50.0, help="per request (default 50)")
    make.add_argument("--plan-sizes", type=sizes, default=[1000, 5000, 20000])
    make.add_argument(
        "--plan-target-size",
        type=int,
        default=5000,
        help="the plan size held to the SDK target; it and larger ones to the floor target",
    )
    make.add_argument("--articles", type=int, default=2000, help="of the articles plan")
    make.add_argument(
        "--article-collections", type=int, default=200, help="the articles are spread over"
    )
    make.add_argument("--apply-size", type=int, default=1000)
    make.add_argument("--pure-sizes", type=sizes, default=[1000, 5000, 10000, 20000])
    make.add_argument("--startup-runs", type=int, default=11, help="of each command (median)")
    make.add_argument("--repeat", type=int, default=3, help="timed runs of each hcsync plan")
    make.add_argument(
        "--hcsync",
        type=Path,
        default=Path(sys.executable).with_name("hcsync"),
        help="the installed hcsync script (default: beside this Python)",
    )
    make.add_argument(
        "--quick",
        action="store_true",
        help="for the smoke test: no warm-ups, no bytecode cache (the figures mean nothing)",
    )
    make.add_argument(
        "--readme", type=Path, help="rewrite the table between the bench markers of this file"
    )
    return make


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.hcsync.exists():
        print(
            f"no hcsync at {args.hcsync}: install it (make venv) or pass --hcsync", file=sys.stderr
        )
        return 1

    def out(line: str) -> None:
        print(line, flush=True)

    out(f"{machine()} Load average at the start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="hcsync-bench-") as temporary:
        work = Path(temporary)
        (work / "files").mkdir()
        bench = Bench(
            runner=Runner(work, cache_dir=None if args.quick else work / "bytecode"),
            hcsync=args.hcsync,
            files=work / "files",
            latency=args.latency_ms / 1000,
            repeat=args.repeat,
            out=out,
        )
        rows = [
            *startup_figures(bench.runner, args.hcsync, args.startup_runs, out),
            *plan_figures(bench, args.plan_sizes, args.plan_target_size),
            apply_figure(bench, args.apply_size),
            # after apply: its emulator makes this process big, and a child's peak memory
            # starts at its parent's size (see article_plan)
            article_plan_figure(bench, args.article_collections, args.articles),
            *pure_figures(args.pure_sizes, out),
        ]
    out(f"load average at the end: {os.getloadavg()[0]:.2f} (other work slows every figure)")
    out("")
    out(table(rows))
    if args.readme is not None:
        changed = rewrite_block(args.readme, markdown(rows))
        out(f"\n{args.readme}: bench table {'rewritten' if changed else 'unchanged'}")
    missed = [row.figure for row in rows if not row.met]
    if missed:
        out(f"\ntargets not met: {'; '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
