"""``hcsync plan`` of a config that manages articles, as a user runs it, beside the SDK.

Owns the articles figure: a config and its folder of article files (a French translation
beside each) written to the temporary directory, the same collections and articles seeded
into the loopback emulator (``articles``), ``hcsync plan`` run as a process against it
(it must find no changes), the official-SDK baseline (``sdk_articles.py``) in the same
run, and the floor: the listing's round trips (``floors.articles_listing_round_trips``)
plus the pure plan's CPU, timed in process on the same config and live items. Must not
format the table (``report``).
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path

from benchmarks.articles import articles, seed_articles, write_files
from benchmarks.cli import NO_CHANGES, Bench, emulator, rate_limited
from benchmarks.floors import articles_listing_round_trips, pages
from benchmarks.pure import kinds_plan_seconds, markdown_seconds
from benchmarks.report import Row, ratio, seconds, timed_row, times
from benchmarks.trees import tree
from hcsync.config import load_config
from hcsync.diff import build_plan
from hcsync.emulator import Emulator, serve
from hcsync.kinds import ARTICLE_KIND, COLLECTION
from hcsync.limits import DEFAULT_PARALLELISM
from hcsync.pipeline import articles_in_scope, authors

WITHIN_FLOOR = 3.0
FASTER = 10.0
PURE_RUNS = 2  # a pure plan of thousands of articles takes seconds: best of two


def _help_center(
    bench: Bench, name: str, collections: int, count: int, latency: float
) -> tuple[Path, Emulator, str]:
    """The config written under ``bench.files/name``; an emulator (``latency`` per request)
    holding the same collections and articles; its help center's id."""
    folder = bench.files / name
    folder.mkdir()
    entries = tree(collections)
    items = articles(entries, count)
    path = write_files(folder, entries, items)
    emu, center = emulator(latency)
    seed_articles(emu, entries, center, items)
    return path, emu, center


def _warm_up(bench: Bench) -> None:
    """Each command once on a tiny help center, untimed: planning articles imports modules
    (Markdown, the HTML's canonical form) that planning collections does not."""
    if not bench.runner.cold("hcsync plan articles"):
        return
    path, emu, _ = _help_center(bench, "articles-warm-up", 3, 6, 0.0)
    with serve(emu) as server:
        bench.warm("hcsync plan articles", bench.hcsync_args("plan", path, server.url))
        bench.warm("sdk articles", bench.sdk_args("sdk_articles.py", path, server.url))


def article_plan_figure(bench: Bench, collections: int, count: int) -> Row:
    """``hcsync plan`` of ``count`` articles (French on each) in ``collections`` collections
    against the same seeded live, beside the SDK; floor: listing round trips + pure plan."""
    _warm_up(bench)
    parallelism = DEFAULT_PARALLELISM
    figure = f"plan, {count:,} articles in {collections:,} collections"
    path, emu, center = _help_center(bench, "articles", collections, count, bench.latency)
    # The pure plan: the same config and live items the command plans from (pipeline).
    config = load_config(str(path))
    config = replace(config, authors=authors(emu.admins()))
    live_collections = emu.collections()
    raw = {
        COLLECTION.name: live_collections,
        ARTICLE_KIND.name: articles_in_scope(emu.articles(), live_collections, set()),
    }
    if not build_plan(config, raw, help_center="acme", help_center_id=center).empty:
        raise AssertionError("the seeded articles should match the generated files")
    cpu = kinds_plan_seconds(config, raw, center, runs=PURE_RUNS)
    markdown = markdown_seconds(config, runs=PURE_RUNS)
    trips = articles_listing_round_trips(collections, count, parallelism)
    floor = trips * bench.latency + cpu
    with serve(emu) as server:
        ours_args = bench.hcsync_args("plan", path, server.url)
        ours = [bench.run(ours_args).check(says=NO_CHANGES) for _ in range(bench.repeat)]
        first = len(emu.requests)
        theirs = bench.run(bench.sdk_args("sdk_articles.py", path, server.url))
        theirs.check(says=NO_CHANGES)
        their_requests = len(emu.requests) - first
    mine = statistics.median(run.seconds for run in ours)
    # No peak memory here: a child's ru_maxrss starts at its parent's resident size (the
    # kernel keeps the high-water mark across the exec after fork), and this process then
    # holds the emulator's 2,000 articles; it would print this process's size, not hcsync's.
    bench.out(
        f"{figure}, French on each, {bench.latency * 1000:.0f} ms/request: hcsync plan "
        f"{seconds(mine)} (median of {len(ours)}; {first // len(ours)} requests each), "
        f"floor {seconds(floor)} = {trips} round trips (help centers and admins, then "
        f"{pages(collections)} + {pages(count)} pages of collections and articles, "
        f"parallelism {parallelism}) + {seconds(cpu)} pure plan (best of {PURE_RUNS}; "
        f"rendering the Markdown alone {seconds(markdown)}), "
        f"{times(ratio(mine, floor))} floor; official SDK {seconds(theirs.seconds)} "
        f"({their_requests} requests, one at a time; bodies not compared), "
        f"{times(ratio(theirs.seconds, mine))} hcsync's time (10x would be "
        f"{seconds(theirs.seconds / FASTER)}); 429s: {rate_limited(emu)}"
    )
    return timed_row(
        figure,
        mine,
        floor=floor,
        baseline=theirs.seconds,
        within_floor=WITHIN_FLOOR,
        faster_than_baseline=FASTER,
        note=f"pure plan {seconds(cpu)}, Markdown alone {seconds(markdown)}",
    )
