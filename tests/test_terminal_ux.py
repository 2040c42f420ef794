"""What a person at a terminal (or reading a CI log) sees: apply's question, long waits said
aloud, the heartbeat, saved plans shown and re-applied, colour switches, and export.

Everything runs the CLI in-process against the emulator; a terminal is a StringIO whose
isatty() says yes.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Mapping
from pathlib import Path

import httpx
from support import EXAMPLE, TOKEN, FakeTime, Run, RunCli, run_cli

from hcsync.cli import main
from hcsync.emulator import Emulator

ANSI = "\x1b["


class Tty(io.StringIO):
    """A terminal: a text stream that says it is one."""

    def isatty(self) -> bool:
        return True


def run_tty(
    emulator: Emulator,
    fake_time: FakeTime,
    *args: str,
    answer: str = "",
    env: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    heartbeat: float = 10.0,
    tty: bool = True,
) -> Run:
    """Run the CLI with standard input and output on a (fake) terminal."""
    out = Tty() if tty else io.StringIO()
    err = io.StringIO()
    inp = Tty(answer) if tty else io.StringIO(answer)
    code = main(
        list(args),
        env={"INTERCOM_ACCESS_TOKEN": TOKEN, **(env or {})},
        stdout=out,
        stderr=err,
        stdin=inp,
        transport=transport or emulator.transport,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        heartbeat=heartbeat,
    )
    return Run(code, out.getvalue(), err.getvalue())


def tree(emulator: Emulator) -> set[tuple[str, ...]]:
    """Every live collection by its path of names."""
    by_id = {c["id"]: c for c in emulator.collections()}

    def path(c: dict[str, object]) -> tuple[str, ...]:
        parent = by_id.get(c.get("parent_id"))  # type: ignore[arg-type]
        return (path(parent) if parent else ()) + (str(c["name"]),)

    return {path(c) for c in by_id.values()}


# ---- 1. apply asks first on a terminal --------------------------------------------------


def test_apply_on_a_terminal_cancels_unless_told_yes(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    refused = run_tty(emulator, fake_time, "apply", str(EXAMPLE), answer="y\n")
    assert refused.code == 1
    assert "Enter a value:" in refused.out
    assert "Apply cancelled; nothing was changed" in refused.err
    assert emulator.collections() == []

    applied = run_tty(emulator, fake_time, "apply", str(EXAMPLE), answer="yes\n")
    assert applied.code == 0, applied.err
    assert "Enter a value:" in applied.out
    assert "Verified" in applied.out
    assert len(emulator.collections()) == 15

    # Nothing to change: nothing is asked.
    again = run_tty(emulator, fake_time, "apply", str(EXAMPLE), answer="")
    assert again.code == 0
    assert "Enter a value:" not in again.out


def test_the_help_center_identifier_is_a_yes_and_so_is_auto_approve(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    named = run_tty(emulator, fake_time, "apply", str(EXAMPLE), answer="acme\n")
    assert named.code == 0, named.err
    emulator.add_collection("Press")  # the file does not list it: a delete
    for flag in ("--yes", "--auto-approve"):
        emulator.add_collection("Press")
        approved = run_tty(emulator, fake_time, "apply", str(EXAMPLE), flag, answer="no\n")
        assert approved.code == 0, approved.err
        assert "Enter a value:" not in approved.out


def test_without_a_terminal_apply_asks_nothing(emulator: Emulator, fake_time: FakeTime) -> None:
    result = run_tty(emulator, fake_time, "apply", str(EXAMPLE), answer="no\n", tty=False)
    assert result.code == 0, result.err
    assert "Enter a value:" not in result.out
    assert len(emulator.collections()) == 15


# ---- 2. long waits are never silent -----------------------------------------------------


def first_answer(emulator: Emulator, fake_time: FakeTime, status: int, **headers: str):  # type: ignore[no-untyped-def]
    """A transport whose first request is answered ``status`` with ``headers``; the rest go
    to the emulator. ``RESET+n`` in a header is the fake clock plus n seconds."""
    answered = False

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal answered
        if answered:
            return emulator.handle(request)
        answered = True
        values = {
            name.replace("_", "-"): (
                str(int(fake_time.now + float(value[6:]))) if value.startswith("RESET+") else value
            )
            for name, value in headers.items()
        }
        body = {"type": "error.list", "errors": [{"code": "busy", "message": "Busy"}]}
        return httpx.Response(status, json=body, headers=values)

    return httpx.MockTransport(handle)


def test_a_long_rate_limit_wait_is_said(emulator: Emulator, fake_time: FakeTime) -> None:
    transport = first_answer(emulator, fake_time, 429, X_RateLimit_Reset="RESET+6")
    result = run_cli(transport, "plan", str(EXAMPLE), time=fake_time)
    assert result.code == 0, result.err
    assert re.search(
        r"^waiting [67] s for Intercom's rate limit \(resets at \d\d:\d\d:\d\d\)$",
        result.err,
        re.M,
    ), result.err


def test_a_long_retry_wait_is_said(emulator: Emulator, fake_time: FakeTime) -> None:
    transport = first_answer(emulator, fake_time, 503, Retry_After="3")
    result = run_cli(transport, "plan", str(EXAMPLE), time=fake_time)
    assert result.code == 0, result.err
    assert re.search(
        r"^GET https://\S+ answered 503, retrying in 3\.0 s \(attempt 2 of 5\)$", result.err, re.M
    ), result.err


def test_a_short_wait_goes_unsaid(emulator: Emulator, fake_time: FakeTime) -> None:
    for status in (429, 503):
        transport = first_answer(emulator, fake_time, status, Retry_After="1")
        result = run_cli(transport, "plan", str(EXAMPLE), time=fake_time)
        assert result.code == 0, result.err
        assert result.err == ""


def test_apply_says_it_is_still_applying_when_steps_are_slow(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    def slow_creates(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            time.sleep(0.05)  # real time: the heartbeat watches a real clock
        return emulator.handle(request)

    transport = httpx.MockTransport(slow_creates)
    args = ("apply", str(EXAMPLE), "--parallelism", "1")
    result = run_tty(emulator, fake_time, *args, transport=transport, heartbeat=0.01, tty=False)
    assert result.code == 0, result.err
    assert re.search(r"Still applying\.\.\. \(\d+ of 15 done, \d+ s elapsed\)", result.out)


def test_quick_steps_bring_no_heartbeat(emulator: Emulator, fake_time: FakeTime) -> None:
    result = run_tty(emulator, fake_time, "apply", str(EXAMPLE), tty=False, heartbeat=60)
    assert result.code == 0, result.err
    assert "Still applying" not in result.out


# ---- 3. saved plans: where they went, showing them, re-applying them --------------------


def test_plan_out_says_what_to_run_next_and_show_renders_it_offline(
    hcsync: RunCli, tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    planned = hcsync("plan", str(EXAMPLE), "--out", str(saved))
    assert planned.code == 0
    assert (
        f"Saved the plan to {saved}; apply exactly this plan with: hcsync apply --plan {saved}"
        in planned.err
    )
    for fmt, expect in (("text", "to create"), ("markdown", "|"), ("json", "format_version")):
        out, err = io.StringIO(), io.StringIO()
        # No token and no transport: show never touches the network.
        code = main(["show", str(saved), "--format", fmt], env={}, stdout=out, stderr=err)
        assert code == 0, err.getvalue()
        assert expect in out.getvalue()
    out = io.StringIO()
    assert main(["show", str(saved), "--format", "json"], env={}, stdout=out) == 0
    assert json.loads(out.getvalue()) == json.loads(saved.read_text())


def test_re_applying_an_applied_plan_is_nothing_to_do(
    emulator: Emulator, hcsync: RunCli, tmp_path: Path
) -> None:
    assert hcsync("apply", str(EXAMPLE)).code == 0
    names = {c["name"]: c["id"] for c in emulator.collections()}
    emulator.edit_collection(names["Invoices"], description="edited by hand")  # an update
    emulator.add_collection("Press")  # a delete
    emulator.edit_collection(names["Desktop"], parent_id=None)  # a move
    saved = str(tmp_path / "plan.json")
    assert hcsync("plan", str(EXAMPLE), "--out", saved).code == 0
    assert hcsync("apply", "--plan", saved).code == 0

    again = hcsync("apply", "--plan", saved)
    assert again.code == 0, again.err
    assert "Nothing to do: this plan is already applied" in again.out
    assert "edited in Intercom since the plan" not in again.out + again.err

    emulator.edit_collection(names["Security"], description="another hand")  # not planned
    changed = hcsync("apply", "--plan", saved)
    assert changed.code == 1
    assert "stale" in changed.err


def test_re_applying_a_plan_of_creates_is_nothing_to_do(hcsync: RunCli, tmp_path: Path) -> None:
    saved = str(tmp_path / "plan.json")
    assert hcsync("plan", str(EXAMPLE), "--out", saved).code == 0
    assert hcsync("apply", "--plan", saved).code == 0
    again = hcsync("apply", "--plan", saved)
    assert again.code == 0, again.err
    assert "already applied" in again.out


# ---- 5. colour --------------------------------------------------------------------------


def test_colour_switches(emulator: Emulator, fake_time: FakeTime) -> None:
    def plan(*flags: str, tty: bool = True, **env: str) -> str:
        result = run_tty(emulator, fake_time, *flags, env=env, tty=tty)
        assert result.code == 0, result.err
        return result.out

    args = ("plan", str(EXAMPLE))
    assert ANSI in plan(*args)  # a terminal
    assert ANSI not in plan(*args, "--no-color")
    assert ANSI not in plan("--no-color", *args)
    assert ANSI not in plan(*args, "--no-color", FORCE_COLOR="1")
    assert ANSI not in plan(*args, TERM="dumb")
    assert ANSI not in plan(*args, tty=False)
    assert ANSI in plan(*args, tty=False, FORCE_COLOR="1")
    assert ANSI not in plan(*args, tty=False, FORCE_COLOR="")
    assert ANSI not in plan(*args, tty=False, FORCE_COLOR="1", NO_COLOR="1")


# ---- 6, 7. export -----------------------------------------------------------------------


def test_export_error_names_no_yaml_file(emulator: Emulator, hcsync: RunCli) -> None:
    emulator.add_help_center("other")
    result = hcsync("export")
    assert result.code == 1
    assert "pass --help-center" in result.err
    assert "YAML" not in result.err


def test_export_without_ids_restores_into_another_help_center(
    emulator: Emulator, hcsync: RunCli, fake_time: FakeTime, tmp_path: Path
) -> None:
    assert hcsync("apply", str(EXAMPLE)).code == 0
    backup = tmp_path / "site.yaml"
    exported = hcsync("export", "--no-ids", "--out", str(backup))
    assert exported.code == 0, exported.err
    assert not re.search(r"^\s*-?\s*id:", backup.read_text(), re.M)

    production = Emulator(token=TOKEN, clock=fake_time.clock, sleep=fake_time.sleep)
    production.add_help_center("production")

    def on_production(*args: str) -> Run:
        return run_cli(production.transport, *args, time=fake_time)

    applied = on_production("apply", str(backup), "--help-center", "production")
    assert applied.code == 0, applied.err
    assert tree(production) == tree(emulator)
    again = on_production("plan", str(backup), "--help-center", "production", "--detailed-exitcode")
    assert again.code == 0, again.out
