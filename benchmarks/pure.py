"""The pure part of a plan, in process: normalise + diff + plan, with no IO at all.

Owns: timing ``hcsync.diff.build_plan`` (best of five runs, the garbage collector left on,
as it is in a user's process) on a generated config and live list, and the figures built on
it: each size with half its collections changed, and whether the cost per 1k collections
stays flat from the smallest size to the largest; and the time of rendering a config's
article bodies alone (``markdown_seconds``). Must not start processes or servers.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from benchmarks.report import Row, Target, timed_row
from benchmarks.trees import config, raw_live, tree
from hcsync.config import Config
from hcsync.diff import build_plan
from hcsync.kinds import COLLECTION
from hcsync.kinds.article import forget_bodies, render_markdown

RUNS = 5
PURE_TARGET_SIZE = 10_000  # the size with a time target: under a second
PURE_TARGET = 1.0
LINEAR = 1.5  # the largest spread of the cost per 1k collections still called linear


def plan_seconds(
    desired: Config, live: Sequence[Mapping[str, Any]], help_center_id: str, runs: int = RUNS
) -> float:
    """The best of ``runs`` times of planning ``desired`` against ``live``."""
    return kinds_plan_seconds(desired, {COLLECTION.name: live}, help_center_id, runs)


def kinds_plan_seconds(
    desired: Config,
    live: Mapping[str, Sequence[Mapping[str, Any]]],
    help_center_id: str,
    runs: int = RUNS,
) -> float:
    """The best of ``runs`` times of planning ``desired`` against ``live``, raw items by kind
    (as ``hcsync.pipeline`` hands them to the planner)."""
    gc.collect()  # what an earlier run left is not this run's to collect
    best = float("inf")
    for _ in range(runs):
        forget_bodies()  # each run starts with nothing remembered, as a new process does
        start = time.perf_counter()
        build_plan(desired, live, help_center="acme", help_center_id=help_center_id)
        best = min(best, time.perf_counter() - start)
    return best


def markdown_seconds(desired: Config, runs: int = RUNS) -> float:
    """The best of ``runs`` times of rendering every article body of ``desired`` (and its
    translations') from Markdown to HTML, and nothing else: the part of a plan of articles
    that the renderer alone costs."""
    assert desired.articles is not None
    bodies = [
        (text, article.images_base_url)
        for article in desired.articles.articles
        for text in (article.body, *(t.body for t in article.translations.values()))
    ]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for body, base in bodies:
            render_markdown(body, images_base_url=base)
        best = min(best, time.perf_counter() - start)
    return best


def pure_figures(sizes: Sequence[int], out: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    per_1k: list[float] = []
    for size in sizes:
        entries = tree(size)
        desired = config(entries, changed_every=2, translate_every=4)  # half of them changed
        best = plan_seconds(desired, raw_live(entries), "101")
        per_1k.append(best / size * 1000)
        out(
            f"pure plan, {size:,} collections (half changed), collector on: "
            f"{best * 1000:.0f} ms best of {RUNS}, {per_1k[-1] * 1000:.1f} ms per 1k"
        )
        rows.append(
            timed_row(
                f"pure plan, {size:,} collections",
                best,
                below=PURE_TARGET if size == PURE_TARGET_SIZE else None,
                note=f"{per_1k[-1] * 1000:.0f} ms per 1k",
            )
        )
    spread = max(per_1k) / min(per_1k)
    verdict = "linear" if spread < LINEAR else "NOT linear"
    out(
        f"pure plan growth: per-1k cost varies {spread:.2f}x from {sizes[0]:,} to {sizes[-1]:,} "
        f"({verdict})"
    )
    rows.append(
        Row(
            figure=f"pure plan per 1k, {sizes[0]:,} to {sizes[-1]:,}",
            measured=f"varies {spread:.2f}x",
            targets=(Target(f"linear (varies < {LINEAR:g}x)", spread < LINEAR),),
        )
    )
    return rows
