"""The engine knows kinds only through ``hcsync.resource``: it never imports ``hcsync.kinds``.

Checked two ways, since either alone can be fooled: every import statement of every engine
module (at any depth: a function-level import counts), and a fresh interpreter that imports
the whole engine and then finds no kind module loaded (so no engine module reaches a kind
through a module that is not on the list).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, subprocess_env

# The engine (docs/ARCHITECTURE.md), and the generic client it talks through.
ENGINE = (
    "resource",
    "model",
    "normalize",
    "match",
    "diff",
    "plan",
    "order",
    "apply",
    "staleness",
    "compare",
    "saved",
    "convergence",
    "patterns",
    "collector",
    "limits",
    "errors",
    "escape",
    "client",
    "retry",
    "pacing",
    "connection",
    "render",
    "render.text",
    "render.markdown",
    "render.json",
    "render.values",
    "render.difference",
)


def _file(module: str) -> Path:
    base = ROOT / "hcsync" / module.replace(".", "/")
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _imports(module: str) -> list[str]:
    """Every module ``module`` imports, absolute names, wherever the import statement is."""
    tree = ast.parse(_file(module).read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                package = f"hcsync.{module}".split(".")[: -node.level]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            found.append(base)
            found.extend(f"{base}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("module", ENGINE)
def test_no_engine_module_imports_a_kind(module: str) -> None:
    kinds = [name for name in _imports(module) if name.startswith("hcsync.kinds")]
    assert kinds == [], f"hcsync.{module} imports {kinds}: reach kinds through hcsync.resource"


def test_importing_the_whole_engine_loads_no_kind() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {ENGINE!r}:\n"
        "    importlib.import_module('hcsync.' + name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('hcsync.kinds')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=subprocess_env(),
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_the_list_covers_every_engine_module_the_architecture_names() -> None:
    """A module added to the engine's table in docs/ARCHITECTURE.md is checked here too."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    engine = text.split("## The engine", 1)[1].split("\n## ", 1)[0]
    named = {
        line.split("`")[1].removeprefix("hcsync/").removesuffix(".py").rstrip("/")
        for line in engine.splitlines()
        if line.startswith("| `hcsync/")
    }
    assert named <= set(ENGINE)


def test_kinds_register_when_their_package_is_imported() -> None:
    import hcsync.kinds
    from hcsync.resource import kind

    assert kind("collection") is hcsync.kinds.COLLECTION


def test_a_fresh_process_registers_the_kinds_a_saved_plan_names(tmp_path: Path) -> None:
    """``hcsync show PLAN.json`` in a new process: nothing but the CLI has imported the kinds
    (the test process has, which hides a command that forgets to)."""
    plan = tmp_path / "plan.json"
    code = (
        "import sys\n"
        "import hcsync.kinds\n"
        "from hcsync.plan import Change, Plan\n"
        "from hcsync.render.json import render_json\n"
        "change = Change(kind='create', path=('A',), resource='collection')\n"
        "plan = Plan('acme', '1', (change,), (('collection', 0),), source='c.yaml')\n"
        f"open({str(plan)!r}, 'w').write(render_json(plan))\n"
    )
    env = subprocess_env()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    shown = subprocess.run(
        [sys.executable, "-m", "hcsync", "show", str(plan), "--no-color"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert "+ create  A" in shown.stdout
