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
exclusions are more than 5%. On demand only: never run by ``make test`` or CI (it takes about
an hour on 2 cores).
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterable, Mapping, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.90
MAX_EXCLUDED = 0.05
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
            shutil.copy2(source, target)
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
        data.load()
        for name, code in data.exit_code_by_key.items():
            found[name] = status_by_exit_code[code]
    return found


def diff_of(name: str) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    return get_diff_for_mutant(name)


def added_lines(diff: str) -> list[str]:
    return [line[1:].strip() for line in diff.splitlines() if line.startswith("+ ")]


def module_of(name: str) -> str:
    """``hcsync.apply.x_apply_plan__mutmut_3`` -> ``apply``."""
    return name.split(".")[1]


def check_exclusions(
    exclusions: Iterable[Exclusion], found: Mapping[str, str]
) -> tuple[set[str], list[str]]:
    """The excluded names, and a problem for each exclusion that no longer holds."""
    excluded: set[str] = set()
    problems: list[str] = []
    for exclusion in exclusions:
        if exclusion.name not in found:
            problems.append(f"{exclusion.name}: no such mutant any more; re-check and renumber")
        elif exclusion.change.strip() not in added_lines(diff_of(exclusion.name)):
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
    module: str
    counts: Counter[str]
    excluded: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def detected(self) -> int:
        return sum(self.counts[v] for v in DETECTED)

    @property
    def score(self) -> float:
        scored = self.total - self.excluded
        return self.detected / scored if scored else 1.0


def rows(found: Mapping[str, str], excluded: set[str]) -> list[Row]:
    by_module: dict[str, Row] = {}
    for name, verdict in found.items():
        row = by_module.setdefault(module_of(name), Row(module_of(name), Counter(), 0))
        if name in excluded:
            row.excluded += 1
        else:
            row.counts[verdict] += 1
    return [by_module[m] for m in sorted(by_module)]


def table(all_rows: Sequence[Row]) -> str:
    total = Row("engine", sum((r.counts for r in all_rows), Counter()), 0)
    total.excluded = sum(r.excluded for r in all_rows)
    head = f"{'module':<12}{'mutants':>8}{'killed':>8}{'survived':>9}{'excluded':>9}{'score':>8}"
    lines = [head, "-" * len(head)]
    for row in [*all_rows, total]:
        survived = row.total - row.detected
        lines.append(
            f"{row.module:<12}{row.total + row.excluded:>8}{row.detected:>8}{survived:>9}"
            f"{row.excluded:>9}{row.score:>8.1%}"
        )
    return "\n".join(lines)


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
    make.add_argument(
        "--recheck",
        action="store_true",
        help="test the last run's survivors again (after adding tests: mutmut keeps a verdict "
        "until the function it mutates changes)",
    )
    args = make.parse_args(argv)
    work = args.work.resolve()
    exclusions = read_exclusions(ROOT / "mutation" / "equivalent.yaml")

    if not args.report_only:
        again = [n for n, v in verdicts(work).items() if v not in DETECTED] if args.recheck else []
        work.mkdir(parents=True, exist_ok=True)
        copy_checkout(ROOT, work)
        if not args.recheck or again:
            run_mutmut(work, args.children, again)
    found = verdicts(work)
    if not found:
        print(f"no results in {work}: run without --report-only first", file=sys.stderr)
        return 2
    unchecked = sorted(n for n, v in found.items() if v not in DETECTED | UNDETECTED)
    excluded, problems = check_exclusions(exclusions, found)
    if len(excluded) > MAX_EXCLUDED * len(found):
        problems.append(f"{len(excluded)} exclusions: more than 5% of {len(found)} mutants")
    problems += [f"{name}: {found[name]} (run again)" for name in unchecked]

    all_rows = rows(found, excluded)
    print()
    print(table(all_rows))
    engine = sum(r.detected for r in all_rows) / (len(found) - len(excluded))
    survivors = write_survivors(work / "survivors.md", found, excluded)
    print(
        f"\nscore {engine:.1%} (target {TARGET:.0%}) on {date.today().isoformat()}; "
        f"{len(excluded)} equivalent mutants excluded (mutation/equivalent.yaml); "
        f"{survivors} survivors, with their diffs, in {work / 'survivors.md'}"
    )
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 0 if engine >= TARGET and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
