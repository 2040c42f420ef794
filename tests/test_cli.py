"""The command line as users meet it: every command, its help, exit codes and errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from contract.openapi import validate_request_body
from support import (
    EXAMPLE,
    FIXTURES,
    ROOT,
    TOKEN,
    FakeTime,
    RunCli,
    run_cli,
    subprocess_env,
    writes,
)

from hcsync.cli import main
from hcsync.emulator import Emulator
from hcsync.schema import MODELINE

COMMANDS = ("validate", "plan", "show", "apply", "export", "fetch-reviewed-plan", "emulator")


def test_validate_accepts_the_example(hcsync: RunCli) -> None:
    result = hcsync("validate", str(EXAMPLE))
    assert result.code == 0
    assert "valid (15 collections)" in result.out


def test_validate_reports_every_problem_with_file_line_and_exits_1(hcsync: RunCli) -> None:
    bad = FIXTURES / "bad" / "several-problems.yaml"
    result = hcsync("validate", str(bad))
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if f"{bad}:" in line]
    assert len(lines) >= 2, result.err
    assert "problems found" in result.err


def test_validate_makes_no_network_call(emulator: Emulator) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", str(EXAMPLE)], env={}, stdout=out, stderr=err, transport=None)
    assert code == 0
    assert emulator.requests == []


def test_plan_refuses_an_invalid_file_and_writes_nothing(
    hcsync: RunCli, emulator: Emulator
) -> None:
    result = hcsync("plan", str(FIXTURES / "bad" / "duplicate-sibling.yaml"))
    assert result.code == 1
    assert "duplicate" in result.err
    assert writes(emulator) == []


def test_missing_token_is_a_clear_error(emulator: Emulator) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["plan", str(EXAMPLE)], env={}, stdout=out, stderr=err, transport=emulator.transport
    )
    assert code == 1
    assert "INTERCOM_ACCESS_TOKEN" in err.getvalue()


def test_a_wrong_token_shows_intercoms_message_and_never_the_token(emulator: Emulator) -> None:
    secret = "wrong-token-not-a-secret-either"
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["plan", str(EXAMPLE)],
        env={"INTERCOM_ACCESS_TOKEN": secret},
        stdout=out,
        stderr=err,
        transport=emulator.transport,
    )
    assert code == 1
    assert "401" in err.getvalue() and "Access Token Invalid" in err.getvalue()
    assert "GET https://api.intercom.io/help_center/help_centers" in err.getvalue()
    assert secret not in out.getvalue() + err.getvalue()


def test_plain_http_is_refused_except_to_loopback(hcsync: RunCli) -> None:
    result = hcsync("plan", str(EXAMPLE), "--base-url", "http://intercom.example.com")
    assert result.code == 1
    assert "http" in result.err
    # Loopback is allowed (the transport here is the in-process emulator).
    assert hcsync("plan", str(EXAMPLE), "--base-url", "http://127.0.0.1:9").code == 0


def test_regions_pick_the_host(hcsync: RunCli, emulator: Emulator) -> None:
    assert hcsync("plan", str(EXAMPLE), "--region", "eu").code == 0
    assert emulator.requests[-1].headers["host"] == "api.eu.intercom.io"


def test_every_request_carries_the_version_and_bearer_headers(
    hcsync: RunCli, emulator: Emulator
) -> None:
    assert hcsync("apply", str(EXAMPLE)).code == 0
    for request in emulator.requests:
        assert request.headers["intercom-version"] == "2.10"
        assert "authorization" in request.headers


def test_client_requests_match_the_official_description(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    """Every body hcsync sends validates against Intercom's published request schemas."""
    assert hcsync("apply", str(EXAMPLE)).code == 0
    shrunk = tmp_path / "shrunk.yaml"
    shrunk.write_text(
        EXAMPLE.read_text().split("  - name: Integrations")[0].replace("Set up Acme", "Start")
    )
    assert hcsync("apply", str(shrunk), "--force").code == 0
    kinds = set()
    for request in emulator.requests:
        if request.method in ("POST", "PUT"):
            template = (
                "/help_center/collections"
                if request.method == "POST"
                else "/help_center/collections/{id}"
            )
            validate_request_body(request.method, template, request.body)
        kinds.add(request.method)
    assert {"GET", "POST", "PUT", "DELETE"} <= kinds


def test_export_round_trips_to_an_empty_plan(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    assert hcsync("apply", str(EXAMPLE)).code == 0
    exported = tmp_path / "exported.yaml"
    result = hcsync("export", "--out", str(exported))
    assert result.code == 0
    assert "wrote 15 collections" in result.err
    assert hcsync("validate", str(exported)).code == 0
    assert hcsync("plan", str(exported), "--detailed-exitcode").code == 0
    # Pins make a rename in the exported file an update, never delete+create.
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(exported.read_text().replace("name: Troubleshooting", "name: Help!"))
    plan = hcsync("plan", str(renamed))
    assert "1 to update" in plan.out and "0 to create" in plan.out


def test_export_to_stdout_adopts_an_existing_help_center(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    top = emulator.add_collection(
        "Guides",
        description="How-tos",
        translated_content={"fr": {"name": "Guides", "description": "Tutoriels"}},
    )
    emulator.add_collection("Admin", parent_id=top["id"])
    result = hcsync("export")
    assert result.code == 0
    assert result.out == textwrap.dedent(
        f"""\
        {MODELINE}
        # Help center 'acme' exported by hcsync.
        # Every collection is pinned by id; keep the pins and edit names freely.
        help_center: acme
        default_locale: en
        collections:
        - name: Guides
          id: '{top["id"]}'
          description: How-tos
          translated_content:
            fr:
              name: Guides
              description: Tutoriels
          collections:
          - name: Admin
            id: '{int(top["id"]) + 1}'
        """
    )
    config = tmp_path / "adopted.yaml"
    config.write_text(result.out)
    assert hcsync("plan", str(config), "--detailed-exitcode").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # A typo in the drift check's flag: argparse's own exit 2 would read as "live differs".
        (
            ["plan", str(EXAMPLE), "--detailde-exitcode"],
            "unrecognized arguments: --detailde-exitcode",
        ),
        (["plan", "--detailed-exitcode"], "the following arguments are required: file"),
        (["validate"], "the following arguments are required: file"),
        (["plan", str(EXAMPLE), "--format", "html"], "argument --format: invalid choice"),
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
    ],
)
def test_a_command_line_mistake_exits_1_with_the_usage(
    hcsync: RunCli, emulator: Emulator, args: list[str], message: str
) -> None:
    result = hcsync(*args)
    assert result.code == 1  # never 2: that is "changes pending" for plan --detailed-exitcode
    assert result.err.startswith("error: hcsync")
    assert message in result.err
    assert "\nusage: hcsync" in result.err
    assert result.out == ""
    assert emulator.requests == []


def test_the_readme_drift_check_is_not_fooled_by_a_typo() -> None:
    # `hcsync plan FILE --detailed-exitcode || echo "live differs"`, as a shell runs it.
    result = subprocess.run(
        [sys.executable, "-m", "hcsync", "plan", str(EXAMPLE), "--detailde-exitcode"],
        capture_output=True,
        text=True,
        check=False,
        env=subprocess_env({"PATH": os.environ.get("PATH", ""), "INTERCOM_ACCESS_TOKEN": "x" * 8}),
    )
    assert result.returncode == 1
    assert "usage: hcsync" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_help_and_version_still_exit_0(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([flag])
    assert exit_info.value.code == 0
    assert "hcsync" in capsys.readouterr().out


def test_plan_help_promises_only_what_a_summarised_plan_keeps() -> None:
    # A summarised plan lists deletes first, as many as fit; not always every one of them.
    out = io.StringIO()
    with pytest.raises(SystemExit):
        sys.stdout, saved = out, sys.stdout
        try:
            main(["plan", "--help"])
        finally:
            sys.stdout = saved
    text = " ".join(out.getvalue().split())
    assert "deletes are listed first, as many as fit; the rest are counted" in text
    assert "every delete" not in text


def test_export_default_locale_flag_never_overrides_the_reported_one(
    hcsync: RunCli, emulator: Emulator
) -> None:
    # The emulator's help center is multilingual with default locale en, which every
    # collection reports; --default-locale fr must not relabel the English text as French.
    top = emulator.add_collection(
        "Guides", translated_content={"fr": {"name": "Guides FR", "description": "Tutoriels"}}
    )
    result = hcsync("export", "--default-locale", "fr")
    assert result.code == 0, result.err
    assert result.out == textwrap.dedent(
        f"""\
        {MODELINE}
        # Help center 'acme' exported by hcsync.
        # Every collection is pinned by id; keep the pins and edit names freely.
        help_center: acme
        default_locale: en
        collections:
        - name: Guides
          id: '{top["id"]}'
          translated_content:
            fr:
              name: Guides FR
              description: Tutoriels
        """
    )


def test_export_default_locale_flag_is_the_fallback_when_none_is_reported(
    fake_time: FakeTime, tmp_path: Path
) -> None:
    emulator = Emulator(token=TOKEN, default_locale="fr", multilingual=False, clock=fake_time.clock)
    emulator.add_help_center("acme")
    emulator.add_collection("Facturation")
    result = run_cli(emulator.transport, "export", "--default-locale", "fr", time=fake_time)
    assert result.code == 0, result.err
    assert "default_locale: fr\n" in result.out
    config = tmp_path / "adopted.yaml"
    config.write_text(result.out)
    plan = run_cli(emulator.transport, "plan", str(config), "--detailed-exitcode", time=fake_time)
    assert plan.code == 0, plan.out + plan.err


def test_export_of_names_hcsync_refuses_writes_the_file_and_names_each_problem(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    # Intercom accepts names the config format refuses; the export must not hand over a file
    # that validate then rejects without saying so.
    top = emulator.add_collection("Guides")
    broken = emulator.add_collection("Two\nlines", parent_id=top["id"])
    long = emulator.add_collection("x" * 300)
    out = tmp_path / "exported.yaml"
    result = hcsync("export", "--out", str(out))
    assert result.code == 1
    assert out.exists()  # written anyway: most of it is still worth having
    assert "the exported file has 2 problems that hcsync would refuse" in result.err
    assert (
        f"{out}:10:5: collections[0].collections[0].name: (live collection {broken['id']})"
        " 'Two\\nlines' must be on one line"
    ) in result.err
    assert (
        f"collections[1].name: (live collection {long['id']}) is 300 characters long;"
        " Intercom allows at most 255"
    ) in result.err
    assert hcsync("validate", str(out)).code == 1


def test_export_of_case_only_sibling_names_is_flagged(hcsync: RunCli, emulator: Emulator) -> None:
    emulator.add_collection("Billing")
    second = emulator.add_collection("billing")
    result = hcsync("export")
    assert result.code == 1
    assert "name: billing\n" in result.out  # the YAML still goes to standard output
    assert (
        f"<standard output>:9:3: collections[1].name: (live collection {second['id']}) name"
        " 'billing' differs only in case from 'Billing' at the top level (line 7)"
    ) in result.err


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "emulator"])
def test_every_command_has_help_with_examples(command: str) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        sys.stdout, saved = out, sys.stdout
        try:
            main([command, "--help"])
        finally:
            sys.stdout = saved
    assert exit_info.value.code == 0
    assert "examples:" in out.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"hcsync {command}" in readme


def test_the_installed_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hcsync", "validate", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
        env=subprocess_env(),
    )
    assert result.returncode == 0, result.stderr


def test_demo_runs_plan_apply_and_an_empty_second_plan() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py"), "--port", "0"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
        env=subprocess_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "15 to create" in result.stdout
    assert "Verified" in result.stdout
    assert result.stdout.count("No changes") >= 1
    assert "demo-token-not-a-secret" not in result.stdout + result.stderr


def test_the_emulator_command_serves_on_loopback_until_stopped() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hcsync", "emulator", "--port", "0", "--help-center", "docs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        env = {"INTERCOM_ACCESS_TOKEN": "test-token-not-a-secret"}
        out, err = io.StringIO(), io.StringIO()
        code = main(["export", "--base-url", url], env=env, stdout=out, stderr=err)
        assert code == 0, err.getvalue()
        assert "help_center: docs" in out.getvalue()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("no_color", "coloured"), [("", True), ("1", False)])
def test_text_is_coloured_on_a_terminal_unless_no_color(
    emulator: Emulator, no_color: str, coloured: bool
) -> None:
    out = Terminal()
    env = {"INTERCOM_ACCESS_TOKEN": "test-token-not-a-secret", "NO_COLOR": no_color}
    code = main(
        ["plan", str(EXAMPLE)],
        env=env,
        stdout=out,
        stderr=io.StringIO(),
        transport=emulator.transport,
    )
    assert code == 0
    assert ("\x1b[" in out.getvalue()) is coloured


def test_an_error_message_from_intercom_cannot_drive_the_terminal(emulator: Emulator) -> None:
    def hostile(request: httpx.Request) -> httpx.Response:
        error = {"code": "parameter_invalid", "message": "bad \x1b]0;pwned\x07\x1b[2J name"}
        return httpx.Response(400, json={"type": "error.list", "errors": [error]})

    result = run_cli(httpx.MockTransport(hostile), "plan", str(EXAMPLE))
    assert result.code == 1
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "bad \\u001b]0;pwned" in result.err
