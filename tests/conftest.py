"""Shared fixtures: a fresh emulator with one help center, and the CLI run against it.

Also the promise that a test run leaves the checkout as it found it: no ``__pycache__``, no
``.pytest_cache`` (``-p no:cacheprovider`` in pyproject.toml), no ``.hypothesis``, nothing a
subprocess writes. ``make test`` and ``.ci/run`` set ``PYTHONDONTWRITEBYTECODE=1`` before
Python starts; the first lines below cover a bare ``pytest`` for everything imported after
this file (only this file's own ``.pyc`` is written before it can say no).
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True  # before importing hcsync or the tests
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # inherited by every subprocess a test starts

import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Iterator, Mapping  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402
from support import ROOT, TICK, TOKEN, FakeTime, Run, RunCli, run_cli, tree_snapshot  # noqa: E402

import hcsync.kinds  # noqa: E402  (registers the built-in kinds for every test)
from hcsync.emulator import Emulator  # noqa: E402
from hcsync.kinds.article import forget_bodies  # noqa: E402

# Hypothesis keeps an examples database and caches (unicode tables, patches) in ./.hypothesis;
# send them to a directory of this run's own, removed at the end, and keep no database.
HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="hcsync-hypothesis-"))
set_hypothesis_home_dir(HYPOTHESIS_HOME)
settings.register_profile("hcsync", parent=settings.default, database=None)
settings.load_profile("hcsync")

VENVS = [ROOT / ".venv", Path(sys.prefix)]
BEFORE = tree_snapshot(ROOT, skip=VENVS)  # taken before any test module is collected


@pytest.fixture(scope="session", autouse=True)
def checkout_left_as_found() -> Iterator[None]:
    """Fail the run, naming each path, if the tests left anything new in the checkout."""
    yield
    shutil.rmtree(HYPOTHESIS_HOME, ignore_errors=True)
    if "MUTANT_UNDER_TEST" in os.environ:  # `make mutate` runs in a copy it writes into
        return
    new = sorted(tree_snapshot(ROOT, skip=VENVS) - BEFORE)
    if os.environ.get("HCSYNC_UPDATE_GOLDEN") == "1":  # regenerating goldens may add one
        new = [path for path in new if not path.startswith("tests/golden/")]
    if new:
        shown = "\n  ".join(new[:20]) + ("\n  ..." if len(new) > 20 else "")
        pytest.fail(
            f"the test run left {len(new)} new path(s) in the checkout {ROOT}:\n  {shown}\n"
            "A test must write under tmp_path only, and every Python subprocess needs "
            "support.subprocess_env() (PYTHONDONTWRITEBYTECODE=1).",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def bodies_forgotten() -> None:
    """Each test starts with no remembered canonical form or reading of a body, as a new
    process does: a form remembered from an earlier test (or, under ``make mutate``, from
    the unmutated code before the fork) would hide what the code under test does."""
    forget_bodies()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``make mutate``, while a mutant is tested: the quickest tests first, so a mutant
    that some quick test notices is done with in a second, not after the slow ones. mutmut
    times every test once, before the mutants, into ``mutmut-stats.json`` (in the directory
    it runs from)."""
    if os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats", "fail", "list_all_tests"):
        return
    stats = Path("mutmut-stats.json")
    if stats.is_file():
        durations = json.loads(stats.read_text(encoding="utf-8"))["duration_by_test"]
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


@pytest.fixture
def fake_time() -> FakeTime:
    """One clock for the emulator and the CLI's client: waiting costs no real time."""
    return FakeTime(tick=TICK)


@pytest.fixture
def emulator(fake_time: FakeTime) -> Emulator:
    """An emulator with one empty help center, 'acme', on the shared fake clock."""
    emu = Emulator(token=TOKEN, clock=fake_time.clock, sleep=fake_time.sleep)
    emu.add_help_center("acme", "Acme Help Center")
    return emu


@pytest.fixture
def hcsync(emulator: Emulator, fake_time: FakeTime) -> RunCli:
    """Run the hcsync CLI in-process against the emulator: ``hcsync("plan", path)``."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> Run:
        return run_cli(emulator.transport, *args, env=env, time=fake_time)

    return run
