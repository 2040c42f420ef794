"""Helpers shared by the tests: the fake token, paths, running the CLI in-process, a client
and a config file for a test, the environment for a subprocess, and the snapshot that proves a
run leaves the checkout alone."""

from __future__ import annotations

import io
import os
import textwrap
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from hcsync.cli import main
from hcsync.client import IntercomClient
from hcsync.connection import open_http
from hcsync.emulator import Emulator, RecordedRequest

TOKEN = "test-token-not-a-secret"
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "collections.yaml"


def subprocess_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a process a test starts: ``env`` (by default this process's own)
    with ``PYTHONDONTWRITEBYTECODE=1``, so a Python child writes no ``__pycache__`` into the
    checkout (hcsync is installed editable: its modules are the checkout's files)."""
    return {**(os.environ if env is None else env), "PYTHONDONTWRITEBYTECODE": "1"}


def tree_snapshot(root: Path, skip: Iterable[Path] = ()) -> frozenset[str]:
    """Every file and directory under ``root``, as paths relative to it, except inside ``.git``
    and the ``skip`` directories (the venv).

    A plain walk rather than ``git status --ignored``: it needs no git and works in an unpacked
    sdist too; what it adds between two snapshots is what ``git status --porcelain --ignored``
    would show as new untracked or ignored files.
    """
    skipped = {root / ".git", *(Path(s).resolve() for s in skip)}
    found: set[str] = set()
    for directory, dirs, files in os.walk(root):
        here = Path(directory)
        dirs[:] = sorted(d for d in dirs if here / d not in skipped)
        found.update((here / name).relative_to(root).as_posix() for name in [*dirs, *files])
    return frozenset(found)


@dataclass(frozen=True)
class Run:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str


RunCli = Callable[..., Run]


TICK = 0.001  # what the shared clock moves on at each reading (see FakeTime)


class FakeTime:
    """The tests' one fake clock: time moves only when someone sleeps (or a test moves it),
    and at once. Thread-safe, so the emulator and a client's worker threads can share it.

    ``sleeps`` remembers every sleep asked for. With ``tick`` (``TICK`` for the shared clock)
    every reading also moves it on a little, so timestamps written one after another differ
    and rate-limit windows roll over as a real run's would. With ``limit``, reading it more
    than that many times fails the test, so code stuck polling it ends the test instead of
    hanging it.
    """

    def __init__(
        self, start: float = 1_700_000_000.0, *, tick: float = 0.0, limit: int | None = None
    ) -> None:
        self.now = start
        self.tick = tick
        self.limit = limit
        self.readings = 0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            self.readings += 1
            if self.limit is not None and self.readings > self.limit:
                raise AssertionError("the clock was read over and over: something kept polling")
            self.now += self.tick
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(seconds, 0.0)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass without anyone sleeping (someone edits in the UI meanwhile)."""
        with self._lock:
            self.now += seconds


def no_sleep(_seconds: float) -> None:
    """Tests never wait for real: retries and rate-limit resets pass instantly."""
    return None


def run_cli(
    transport: httpx.BaseTransport | None,
    *args: str,
    env: Mapping[str, str] | None = None,
    time: FakeTime | None = None,
) -> Run:
    """Run the hcsync CLI in-process with the test token, talking through ``transport``.

    With ``time`` (shared with the emulator) the client's waits advance that clock; without
    it they are skipped.
    """
    out, err = io.StringIO(), io.StringIO()
    environ = {"INTERCOM_ACCESS_TOKEN": TOKEN, **(env or {})}
    timing = {"sleep": time.sleep, "clock": time.clock} if time else {"sleep": no_sleep}
    code = main(list(args), env=environ, stdout=out, stderr=err, transport=transport, **timing)
    return Run(code, out.getvalue(), err.getvalue())


def writes(emu: Emulator) -> list[RecordedRequest]:
    """The requests that could have changed something: every one but a GET. A command
    lists the help center while it reads its file, so a refused file still shows GETs."""
    return [r for r in emu.requests if r.method != "GET"]


def write(tmp_path: Path, text: str, name: str = "collections.yaml") -> str:
    """``text`` (dedented) as the file ``name`` under ``tmp_path``; its path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def with_articles(tmp_path: Path, config: str, **files: str) -> str:
    """``config`` as ``collections.yaml`` under ``tmp_path`` and each of ``files`` in its
    ``articles`` folder (``guide__fr__md`` is ``guide.fr.md``, its text dedented); the config's
    path."""
    (tmp_path / "collections.yaml").write_text(config, encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(textwrap.dedent(text), encoding="utf-8")
    return str(tmp_path / "collections.yaml")


def client_for(
    handler: Callable[[httpx.Request], httpx.Response], time: FakeTime
) -> IntercomClient:
    """A client talking through ``handler`` on the emulator's fake clock: its waits cost
    nothing."""
    http = open_http("https://api.intercom.io", TOKEN, transport=httpx.MockTransport(handler))
    return IntercomClient(http, sleep=time.sleep, clock=time.clock)


def delete_behind_our_back(emu: Emulator, id: str) -> None:
    """Someone else's delete, straight to the emulator."""
    answer = emu.handle(
        httpx.Request(
            "DELETE",
            f"https://api.intercom.io/help_center/collections/{id}",
            headers={"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.10"},
        )
    )
    assert answer.status_code == 200


def undocumented(schema: Mapping[str, Any]) -> tuple[list[str], int]:
    """Each property and definition of a JSON Schema (at any depth) missing a title, a
    description or examples, and how many were looked at."""
    missing: list[str] = []
    seen = 0

    def visit(node: object, where: str) -> None:
        nonlocal seen
        if not isinstance(node, dict):
            return
        documented = [
            (f"{where}.properties.{k}", sub) for k, sub in node.get("properties", {}).items()
        ]
        documented += [(f"{where}.$defs.{k}", sub) for k, sub in node.get("$defs", {}).items()]
        seen += len(documented)
        for name, sub in documented:
            missing.extend(
                f"{name}: {key}" for key in ("title", "description", "examples") if not sub.get(key)
            )
        for key, sub in node.items():
            if isinstance(sub, dict):
                visit(sub, f"{where}.{key}")

    visit(schema, "")
    return missing, seen


def invalid_examples(schema: Mapping[str, Any]) -> list[str]:
    """Each example of a JSON Schema (at any depth) that its own part of the schema refuses."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    wrong: list[str] = []

    def visit(node: object, where: str) -> None:
        if not isinstance(node, dict):
            return
        for example in node.get("examples", ()):
            sub = validator.evolve(schema={**node, "$defs": schema["$defs"]})
            wrong.extend(f"{where}: {e.message}" for e in sub.iter_errors(example))
        for key, sub in node.items():
            visit(sub, f"{where}.{key}")

    visit(schema, "")
    return wrong
