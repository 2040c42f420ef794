"""A release someone can install: the sdist and the wheel hold what they should and nothing
else, the version has one source, and a test run leaves the checkout as it found it.

The artifacts are built with hatchling in-process (it is a dev dependency), into tmp_path,
with no network: the same backend ``pip install``, ``python -m build`` and ``make dist`` use.
"""

from __future__ import annotations

import email
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from hatchling.builders.sdist import SdistBuilder
from hatchling.builders.wheel import WheelBuilder
from support import ROOT, subprocess_env, tree_snapshot

from hcsync import __version__
from hcsync.cli import main

# What never belongs in a distribution: caches, bytecode, a virtualenv, VCS metadata.
JUNK = re.compile(
    r"(^|/)(\.hypothesis|__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|"
    r"\.venv|\.git|dist|build)(/|$)|\.py[co]$"
)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The names inside the sdist and the wheel built from this checkout, plus METADATA."""
    out = tmp_path_factory.mktemp("dist")
    (sdist,) = SdistBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    assert Path(sdist).name == f"hcsync-{__version__}.tar.gz"
    assert Path(wheel).name == f"hcsync-{__version__}-py3-none-any.whl"
    with tarfile.open(sdist) as tar:
        prefix = f"hcsync-{__version__}/"
        names = [member.name for member in tar.getmembers()]
        assert all(name.startswith(prefix) for name in names)
        sdist_names = [name.removeprefix(prefix) for name in names]
    with zipfile.ZipFile(wheel) as whl:
        wheel_names = whl.namelist()
        metadata = whl.read(f"hcsync-{__version__}.dist-info/METADATA").decode("utf-8")
    return {"sdist": sdist_names, "wheel": wheel_names, "metadata": [metadata]}


@pytest.mark.parametrize("kind", ["sdist", "wheel"])
def test_no_cache_bytecode_or_venv_is_shipped(artifacts: dict[str, list[str]], kind: str) -> None:
    junk = [name for name in artifacts[kind] if JUNK.search(name)]
    assert junk == [], f"the {kind} ships {junk[:10]}"


@pytest.mark.parametrize("kind", ["sdist", "wheel"])
def test_the_licence_is_in_both(artifacts: dict[str, list[str]], kind: str) -> None:
    assert [name for name in artifacts[kind] if name.endswith("LICENSE")] != []


def test_the_sdist_holds_what_building_and_testing_need(artifacts: dict[str, list[str]]) -> None:
    names = set(artifacts["sdist"])
    for needed in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "Makefile",
        "hcsync/__init__.py",
        "hcsync/cli.py",
        "schemas/collections.schema.json",
        "tests/conftest.py",
        "examples/collections.yaml",
        "action.yml",
        "mutation/equivalent.yaml",  # tests/test_mutation_runner.py reads it
    ):
        assert needed in names, needed
    assert {name.split("/")[0] for name in names} <= {
        "hcsync",
        "schemas",
        "tests",
        "examples",
        "benchmarks",
        "mutation",
        "docs",
        "action.yml",
        ".pre-commit-hooks.yaml",
        ".gitignore",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "Makefile",
        "pyproject.toml",
        "PKG-INFO",
    }


def test_the_wheel_ships_the_schemas_and_only_the_package(artifacts: dict[str, list[str]]) -> None:
    names = artifacts["wheel"]
    schemas = sorted(p.name for p in (ROOT / "schemas").glob("*.json"))
    assert schemas and [f"hcsync/schemas/{name}" for name in schemas] == sorted(
        name for name in names if name.startswith("hcsync/schemas/")
    )
    assert {name.split("/")[0] for name in names} == {"hcsync", f"hcsync-{__version__}.dist-info"}


def test_the_version_has_one_source(artifacts: dict[str, list[str]]) -> None:
    metadata = email.message_from_string(artifacts["metadata"][0])
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"^version\s*=", pyproject, re.M), "the version lives in hcsync/__init__"


def test_version_flag_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"hcsync {__version__}"


def test_the_version_is_released_in_the_changelog() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.M)
    assert headings[:2] == ["Unreleased", __version__]
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d\d-\d\d$", changelog, re.M)


def test_the_licence_is_mit() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the hcsync authors" in text


# --- the checkout is left as found (the check itself runs in conftest.py) -----------------


def test_the_snapshot_sees_a_new_file_and_a_new_cache_but_not_the_venv(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    before = tree_snapshot(tmp_path, skip=[tmp_path / ".venv"])
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"")
    (tmp_path / ".venv" / "lib" / "anything").write_text("")
    (tmp_path / ".git").mkdir()  # a repository's own bookkeeping is not the checkout's
    after = tree_snapshot(tmp_path, skip=[tmp_path / ".venv"])
    assert sorted(after - before) == ["pkg/__pycache__", "pkg/__pycache__/mod.cpython-311.pyc"]


def test_a_python_subprocess_writes_no_bytecode(tmp_path: Path) -> None:
    (tmp_path / "imported.py").write_text("VALUE = 1\n")
    subprocess.run(
        [sys.executable, "-c", "import imported"],
        cwd=tmp_path,
        env=subprocess_env({"PYTHONPATH": str(tmp_path)}),
        check=True,
    )
    assert not (tmp_path / "__pycache__").exists()


def test_this_run_writes_no_bytecode() -> None:
    assert sys.dont_write_bytecode
