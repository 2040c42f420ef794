"""The benchmark still runs: tiny sizes, no latency. Its figures are not asserted here (the
real run is ``make bench``; timing never belongs in the test suite), only that every figure
is printed, the table and the README block are written, and nothing lands in the checkout
(the session fixture in conftest.py checks that for the files its processes could write)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT, tree_snapshot

sys.path.insert(0, str(ROOT))
from benchmarks import report, run
from benchmarks.articles import articles, paths
from benchmarks.cli import file_bytes, fitting
from benchmarks.floors import (
    articles_listing_round_trips,
    create_chain,
    create_round_trips,
    listing_round_trips,
    wave_round_trips,
)
from benchmarks.trees import Entry, to_yaml, tree, walk

README = """# x

## Speed

Prose before.

<!-- bench:start -->
| old | table |
<!-- bench:end -->

Prose after.
"""


def test_the_benchmark_runs_at_a_tiny_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    args = [
        "--latency-ms", "0",
        "--plan-sizes", "20,40",
        "--plan-target-size", "20",
        "--articles", "30",
        "--article-collections", "6",
        "--apply-size", "12",
        "--pure-sizes", "20,40",
        "--startup-runs", "1",
        "--repeat", "1",
        "--quick",
        "--readme", str(readme),
    ]  # fmt: skip
    venvs = [ROOT / ".venv", Path(sys.prefix)]
    before = tree_snapshot(ROOT, skip=venvs)
    code = run.main(args)
    assert tree_snapshot(ROOT, skip=venvs) == before  # files, bytecode: all in a temp dir
    out = capsys.readouterr().out
    assert code in (0, 1)  # at no latency the floors are near zero: the verdicts mean nothing
    for line in (
        "start-up: hcsync --version",
        "start-up: hcsync validate examples/collections.yaml",
        "plan, 20 collections, French on each",
        "plan, 40 collections, French on each",
        "official SDK",
        "plan, 30 articles in 6 collections, French on each",
        "bodies not compared",
        "rendering the Markdown alone",
        "(10x would be ",
        "apply, 12 creates (1/4/7 per level)",
        "next plan empty",
        "pure plan, 40 collections (half changed), collector on",
        "pure plan growth",
    ):
        assert line in out, line
    assert "x floor" in out and "x faster" in out
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# x\n\n## Speed\n\nProse before.\n\n<!-- bench:start -->\n\n")
    assert text.endswith("|\n\n<!-- bench:end -->\n\nProse after.\n")
    assert "| old | table |" not in text
    assert "| figure | target | measured | floor | x floor |" in text
    assert "Measured by `make bench` on " in text and " cores, " in text


def test_the_readme_block_needs_its_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bench:start"):
        report.rewrite_block(readme, "| a |")
    assert readme.read_text(encoding="utf-8") == "# no markers\n"


def test_the_yaml_written_as_text_reads_back_as_the_tree() -> None:
    def plain(entry: Entry) -> dict[str, object]:
        out: dict[str, object] = {"name": entry.name, "description": entry.description}
        out["translated_content"] = {
            "fr": {"name": f"{entry.name} (fr)", "description": f"{entry.description} (fr)"}
        }
        if entry.children:
            out["collections"] = [plain(child) for child in entry.children]
        return out

    for size in (0, 1, 7, 300):
        entries = tree(size, prefix="yes: #" if size == 7 else "C")
        document = yaml.safe_load(to_yaml(entries, translated=True))
        assert document == {
            "help_center": "acme",
            "default_locale": "en",
            "collections": [plain(entry) for entry in entries],
        }
        assert len(walk(entries)) == size


def test_the_floors_count_round_trips() -> None:
    entries = tree(1000)
    levels = [sum(1 for e in walk(entries) if e.name.count(".") == d) for d in range(3)]
    assert levels == [48, 192, 760]
    # the last top-level collection is the 48th create; its 4th child the 52nd; that
    # child's last child (of 3 or 4) at most the 56th
    assert 52 < create_chain(entries) <= 56
    assert create_round_trips(entries, 8) == 125  # 1,000 creates, 8 at once
    assert create_round_trips(entries, 1000) == create_chain(entries)
    assert listing_round_trips(0, 8) == 2  # help centers, then one (empty) page
    assert listing_round_trips(5000, 8) == 1 + 5  # 34 pages, 8 at once
    # level by level, each after a listing: 2 + 48, 2 + ceil(192 / 32), 2 + ceil(760 / 32)
    assert wave_round_trips(entries, 32) == 50 + 8 + 26
    # unbounded: each level its longest sibling group (48, then 4, then 4)
    assert wave_round_trips(entries, 10_000) == 50 + 6 + 6


def test_the_generated_articles_fill_every_collection_and_the_floor_counts_their_pages() -> None:
    entries = tree(200)
    items = articles(entries, 2000)
    where = paths(entries)
    assert len(where) == 200 and all(1 <= len(path) <= 3 for path in where)
    assert {item.collection for item in items} == set(where)  # 10 in each
    assert len({item.title for item in items}) == 2000
    # help centers and admins; then 2 pages of collections and 14 of articles, all at once
    assert articles_listing_round_trips(200, 2000, 32) == 2
    assert articles_listing_round_trips(200, 2000, 8) == 1 + 2


def test_a_plan_size_over_the_file_limit_is_measured_at_the_largest_that_fits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limit = 1024 * 1024  # small, so finding the largest size that fits stays quick
    monkeypatch.setattr("hcsync.loader.MAX_BYTES", limit)
    size = fitting(20_000)
    assert size % 1000 == 0 and file_bytes(size) <= limit < file_bytes(size + 1000)
    assert fitting(40) == 40
