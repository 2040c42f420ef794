"""``make mutate``: does the suite notice when the engine's behaviour breaks?

mutmut (configured under ``[tool.mutmut]`` in pyproject.toml) makes small, plausible bugs in
the engine modules, one at a time (a flipped comparison, a dropped ``not``, an off-by-one, a
changed constant or argument), and runs the tests that reach each one. A mutant is *killed*
when a test fails (or the tests hang, or crash), and *survives* when every test still passes.
The score is killed / (all mutants - the equivalent ones), where an equivalent mutant is one
no test can kill because it does not change behaviour; each is listed in
``mutation/equivalent.yaml`` with its reason, and they may be at most 5% of all mutants.

The run happens in a copy of the checkout (``--work``, by default ``.venv/mutate``), never in
the checkout itself; kept between runs, so mutmut re-tests only what changed. Prints a table
per module, writes every survivor's diff to ``survivors.md`` in the work directory, and exits
1 when the score is below the target, an exclusion no longer matches its mutant, or the
exclusions are more than 5%. On demand only: never run by ``make test`` or CI (every mutant
takes hours on 2 cores; ``--sample`` estimates the score from a fixed random part of them).
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import hashlib  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Iterable, Mapping, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python mutation/run.py` puts only mutation/ on the path
    sys.path.insert(0, str(ROOT))

from benchmarks.report import rewrite_block  # noqa: E402

TARGET = 0.90
MAX_EXCLUDED = 0.05
SEED = 11  # of the sample: fixed, so that runs before and after a change compare
MARKERS = ("<!-- mutate:start -->", "<!-- mutate:end -->")
# What the checkout holds that the tests do not need, or that mutmut must not see.
NOT_COPIED = {".git", ".venv", "mutants", "dist", "build"}
# mutmut's verdicts (its exit codes, as its `results` command names them) that count as
# "a test noticed": a failing test, tests that hang, a crashed test process.
DETECTED = {"killed", "timeout", "segfault"}
UNDETECTED = {"survived", "no tests", "suspicious"}


@dataclass(frozen=True)
class Exclusion:
    """An equivalent mutant: ``name`` as mutmut numbers it, ``change`` a line its diff adds
    (so a renumbered mutant is noticed), and why no test can tell it from the original."""

    name: str
    change: str
    reason: str


def read_exclusions(path: Path) -> list[Exclusion]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Exclusion(e["name"], e["change"], e["reason"]) for e in data]


def copy_checkout(root: Path, work: Path) -> None:
    """Make ``work`` hold the checkout's files (byte for byte), leaving mutmut's own state
    (``mutants/``) alone and unchanged files untouched, so its cache stays valid."""
    wanted: set[Path] = set()
    for directory, dirs, files in os.walk(root):
        here = Path(directory)
        dirs[:] = [d for d in dirs if d not in NOT_COPIED and d != "__pycache__"]
        for name in files:
            source = here / name
            relative = source.relative_to(root)
            wanted.add(relative)
            target = work / relative
            if target.exists() and target.read_bytes() == source.read_bytes():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # A fresh modification time: mutmut makes a file's mutants again only when the
            # file is newer than them, and the checkout's file may be older.
            shutil.copyfile(source, target)
    for directory, dirs, files in os.walk(work):
        here = Path(directory)
        dirs[:] = [d for d in dirs if not (here == work and d in NOT_COPIED)]
        for name in files:
            if (here / name).relative_to(work) not in wanted:
                (here / name).unlink()


# The randomised tests run with fewer examples than in `make test` (each mutant is tested by
# every test that reaches it; 500 random trees per mutant would take days). Fewer examples can
# only lower the score.
FEWER_EXAMPLES = {"HCSYNC_REACH_EXAMPLES": "40", "HCSYNC_FAULT_SEEDS": "3"}


def run_mutmut(work: Path, children: int, names: Sequence[str] = ()) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **FEWER_EXAMPLES}
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *names]
    shown = " ".join(command[1:7]) + (f" <{len(names)} mutants>" if names else "")
    print(f"$ {shown}   (in {work})", flush=True)
    subprocess.run(command, cwd=work, env=env, check=True)


def verdicts(work: Path) -> dict[str, str]:
    """Every mutant's verdict, read from mutmut's results in ``work`` (none before a run)."""
    if not (work / "mutants").is_dir():
        return {}
    os.chdir(work)  # mutmut reads its configuration and results from the current directory
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    found: dict[str, str] = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        for _ in range(50):  # a run in progress rewrites the file after every mutant
            try:
                data.load()
                break
            except ValueError:
                time.sleep(0.1)
        for name, code in data.exit_code_by_key.items():
            found[name] = status_by_exit_code[code]
    return found


def generate_mutants(work: Path) -> None:
    """Have mutmut write its mutants (and so their names) without testing any, as the first
    step of its ``run`` does."""
    steps = (
        "from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, "
        "setup_source_paths; import os; os.makedirs('mutants', exist_ok=True); "
        "copy_src_dir(); copy_also_copy_files(); setup_source_paths(); "
        "create_mutants(os.cpu_count())"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-c", steps], cwd=work, env=env, check=True)


def sample(found: Mapping[str, str], size: int | None) -> dict[str, str]:
    """``size`` mutants drawn at random (all of them without a ``size``): those whose names
    hash lowest, so a change that adds or renumbers a few mutants leaves the rest of the
    sample as it was, and runs before and after a change compare."""
    if not size or size >= len(found):
        return dict(found)
    chosen = sorted(found, key=lambda name: hashlib.sha256(f"{SEED}:{name}".encode()).digest())
    return {name: found[name] for name in sorted(chosen[:size])}


def interval(detected: int, total: int) -> tuple[float, float]:
    """The Wilson 95% interval of a score of ``detected`` in ``total`` sampled mutants."""
    z = 1.96
    p = detected / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return centre - half, centre + half


def _dotted(name: str) -> list[str]:
    """The module parts of a mutant's name: every part before its function's (``x_...``, or
    ``xǁClass...`` for a method). ``hcsync.kinds.collection.x_f__mutmut_1`` -> hcsync, kinds,
    collection."""
    parts = name.split(".")
    end = next(i for i, part in enumerate(parts) if part.startswith(("x_", "xǁ")))
    return parts[:end]


def diff_of(name: str) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    # hcsync.client.x_... is in hcsync/client.py; hcsync.kinds.collection.x_... in a package
    return str(get_diff_for_mutant(name, path="/".join(_dotted(name)) + ".py"))


def added_lines(diff: str) -> list[str]:
    return [line[1:].strip() for line in diff.splitlines() if line.startswith("+ ")]


def module_of(name: str) -> str:
    """``hcsync.apply.x_apply_plan__mutmut_3`` -> ``apply``; a module in a package keeps its
    package: ``hcsync.kinds.collection.x_...`` -> ``kinds.collection``."""
    return ".".join(_dotted(name)[1:])


def of_modules(found: Mapping[str, str], modules: Sequence[str]) -> dict[str, str]:
    """The verdicts of the mutants of ``modules`` (a module, or every module of a package);
    all of them when none is named."""
    if not modules:
        return dict(found)
    return {
        name: verdict
        for name, verdict in found.items()
        if any(module_of(name) == m or module_of(name).startswith(f"{m}.") for m in modules)
    }


def check_exclusions(
    exclusions: Iterable[Exclusion],
    found: Mapping[str, str],
    diff: Callable[[str], str] = diff_of,
) -> tuple[set[str], list[str]]:
    """The excluded names, and a problem for each exclusion that no longer holds (``diff``
    gives a mutant's diff)."""
    excluded: set[str] = set()
    problems: list[str] = []
    for exclusion in exclusions:
        if exclusion.name not in found:
            problems.append(f"{exclusion.name}: no such mutant any more; re-check and renumber")
        elif exclusion.change.strip() not in added_lines(diff(exclusion.name)):
            problems.append(
                f"{exclusion.name}: its diff no longer adds {exclusion.change!r} (mutants were "
                "renumbered): find the mutant that does and rename the exclusion"
            )
        elif found[exclusion.name] in DETECTED:
            problems.append(f"{exclusion.name}: listed as equivalent but a test kills it")
        else:
            excluded.add(exclusion.name)
    return excluded, problems


@dataclass
class Row:
    """One module's verdicts (``counts``, the excluded mutants left out of them)."""

    module: str
    counts: Counter[str]
    excluded: int

    @property
    def detected(self) -> int:
        return sum(self.counts[v] for v in DETECTED)

    @property
    def scored(self) -> int:
        return sum(self.counts.values())

    @property
    def score(self) -> float:
        return self.detected / self.scored if self.scored else 1.0

    def cells(self) -> tuple[str, str, str, str, str, str]:
        """module, mutants, killed, survived, excluded, score."""
        return (
            self.module,
            f"{self.scored + self.excluded:,}",
            f"{self.detected:,}",
            f"{self.scored - self.detected:,}",
            f"{self.excluded:,}",
            f"{self.score:.1%}",
        )


def rows(found: Mapping[str, str], excluded: set[str]) -> list[Row]:
    """A row per module, then the engine's total."""
    by_module: dict[str, Row] = {}
    total = Row("engine", Counter(), 0)
    for name, verdict in found.items():
        row = by_module.setdefault(module_of(name), Row(module_of(name), Counter(), 0))
        for counted in (row, total):
            if name in excluded:
                counted.excluded += 1
            else:
                counted.counts[verdict] += 1
    return [*(by_module[m] for m in sorted(by_module)), total]


HEAD = ("module", "mutants", "killed", "survived", "excluded", "score")


def table(all_rows: Sequence[Row]) -> str:
    # The first column as wide as its longest name: a module in a package is dotted.
    width = max([12, *(len(row.cells()[0]) + 2 for row in all_rows)])
    lines = [f"{HEAD[0]:<{width}}" + "".join(f"{h:>10}" for h in HEAD[1:])]
    lines.append("-" * len(lines[0]))
    for row in all_rows:
        first, *rest = row.cells()
        lines.append(f"{first:<{width}}" + "".join(f"{c:>10}" for c in rest))
    return "\n".join(lines)


def markdown(all_rows: Sequence[Row], tool: str, how: str) -> str:
    """The README's block: the table, then how the score was taken."""
    lines = ["| " + " | ".join(HEAD) + " |", "|---" + "|--:" * (len(HEAD) - 1) + "|"]
    for row in all_rows:
        first, *rest = row.cells()
        lines.append(f"| `{first}` | " + " | ".join(rest) + " |")
    return "\n".join(lines) + f"\n\n{tool}: {how}."


def write_survivors(path: Path, found: Mapping[str, str], excluded: set[str]) -> int:
    survivors = sorted(n for n, v in found.items() if v not in DETECTED and n not in excluded)
    parts = [f"# {len(survivors)} surviving mutants\n"]
    for name in survivors:
        parts.append(f"## {name} ({found[name]})\n\n```diff\n{diff_of(name)}\n```\n")
    path.write_text("\n".join(parts), encoding="utf-8")
    return len(survivors)


def main(argv: Sequence[str] | None = None) -> int:
    make = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    make.add_argument("--work", type=Path, default=ROOT / ".venv" / "mutate")
    make.add_argument("--children", type=int, default=os.cpu_count() or 2)
    make.add_argument("--report-only", action="store_true", help="read the last run's results")
    make.add_argument("--readme", type=Path, help="rewrite the block between its mutate markers")
    make.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="test N mutants drawn at random (the same ones from run to run) and estimate the "
        "score from them, with its 95%% interval",
    )
    make.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="NAME",
        help="only the mutants of this module, or of the modules in this package "
        "(kinds.article); repeatable",
    )
    make.add_argument(
        "--recheck",
        action="store_true",
        help="test the last run's survivors again (after adding tests: mutmut keeps a verdict "
        "until the function it mutates changes)",
    )
    args = make.parse_args(argv)
    work = args.work.resolve()
    readme = args.readme.resolve() if args.readme else None
    exclusions = read_exclusions(ROOT / "mutation" / "equivalent.yaml")

    if not args.report_only:
        work.mkdir(parents=True, exist_ok=True)
        copy_checkout(ROOT, work)
        current = of_modules(verdicts(work), args.module)
        if args.sample and not current:
            generate_mutants(work)  # to draw the sample from their names
            current = of_modules(verdicts(work), args.module)
        known = sample(current, args.sample)
        if args.recheck:
            names = [n for n, v in known.items() if v not in DETECTED]
        elif args.sample:
            names = [n for n, v in known.items() if v not in DETECTED | UNDETECTED]
        else:
            names = []  # all of them; mutmut keeps the verdicts of functions that did not change
        if names or not (args.recheck or args.sample):
            run_mutmut(work, args.children, names)
    everything = verdicts(work)
    found = sample(of_modules(everything, args.module), args.sample)
    if not found:
        print(f"no results in {work}: run without --report-only first", file=sys.stderr)
        return 2
    unchecked = sorted(n for n, v in found.items() if v not in DETECTED | UNDETECTED)
    listed, problems = check_exclusions(exclusions, everything)
    if len(listed) > MAX_EXCLUDED * len(everything):
        problems.append(f"{len(listed)} exclusions: more than 5% of {len(everything)} mutants")
    problems += [f"{name}: {found[name]} (run again)" for name in unchecked]
    excluded = listed & found.keys()

    all_rows = rows(found, excluded)
    print()
    print(table(all_rows))
    total = all_rows[-1]
    how = score_line(total, len(everything) if args.sample else None, len(listed))
    survivors = write_survivors(work / "survivors.md", found, excluded)
    print(
        f"\n{how}; target {TARGET:.0%}. {survivors} survivors, with their diffs, in "
        f"{work / 'survivors.md'}"
    )
    if readme:
        block = markdown(all_rows, f"mutmut {version('mutmut')}", how)
        rewrite_block(readme, block, MARKERS)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 0 if total.score >= TARGET and not problems else 1


def score_line(total: Row, population: int | None, listed: int) -> str:
    """The score, or with a sample (of a ``population`` of mutants) its estimate and interval;
    the date and the exclusions (``listed`` of all the mutants, the sample's among them)."""
    mutants = total.scored + total.excluded
    if population is None:
        what = f"score **{total.score:.1%}** of {mutants:,} mutants"
    else:
        low, high = interval(total.detected, total.scored)
        what = (
            f"estimated score **{total.score:.1%}** (95% interval {low:.1%} to {high:.1%}) from "
            f"a random sample of {mutants:,} of the {population:,} mutants"
        )
    everyone = population or mutants
    return (
        f"{what}, {date.today().isoformat()}; {listed} of all {everyone:,} mutants "
        f"({listed / everyone:.1%}) listed as equivalent in `mutation/equivalent.yaml`, "
        f"{total.excluded} of them in {'the sample' if population else 'this run'}"
    )


if __name__ == "__main__":
    sys.exit(main())
