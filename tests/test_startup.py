"""Each command imports only what it uses, so start-up stays cheap (pre-commit runs
``hcsync validate`` on every commit). What is measured is the set of modules a fresh
interpreter holds after the command, not a time: timing belongs to ``make bench``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from support import ROOT

EXAMPLE = ROOT / "examples" / "collections.yaml"
HEAVY = ("httpx", "yaml", "jsonschema", "dataclasses")

PROBE = """
import contextlib, io, json, sys
from hcsync.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[1:], env={})
    except SystemExit as exit:  # --version and --help exit through argparse
        code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded(*args: str) -> set[str]:
    """The modules a fresh interpreter has imported after ``hcsync ARGS``."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["code"] == 0, done.stderr
    return {name.split(".")[0] for name in answer["modules"]} | set(answer["modules"])


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_load_no_library_and_no_command(args: list[str]) -> None:
    modules = loaded(*args)
    assert not modules & set(HEAVY)
    commands = {m for m in modules if m.startswith("hcsync.commands.") and m != "hcsync.commands"}
    assert commands == {"hcsync.commands.common"}


def test_validate_loads_no_http_and_no_planner() -> None:
    modules = loaded("validate", str(EXAMPLE))
    assert "yaml" in modules  # it does read YAML
    for unused in ("httpx", "jsonschema", "hcsync.client", "hcsync.diff", "hcsync.commands.apply"):
        assert unused not in modules


def test_a_command_imports_only_its_own_module() -> None:
    modules = loaded("plan", "--help")
    assert "hcsync.commands.plan" in modules
    assert "hcsync.commands.apply" not in modules
    assert "httpx" not in modules  # --help connects to nothing
