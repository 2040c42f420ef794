"""Hostile input, end to end through the CLI: what a pull request's author, a crafted plan
file or a mistyped environment can hand hcsync, and the clean refusal (exit 1) each gets.

- keys and names from the file never reach the output raw, so no printed line can begin with
  text from the file (``::error::...`` would be a GitHub workflow command);
- names and descriptions with control characters or bidirectional overrides are refused by
  ``validate`` (and flagged by ``export``), LRM/RLM and multi-line descriptions are not;
- a token or a base URL that cannot be used is a message, never a traceback or an echo;
- ids are digits: a crafted plan or a client call with ``..`` never reaches another endpoint;
- a server that never answers is given up on after ``--timeout``.
"""

from __future__ import annotations

import io
import json
import math
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, ROOT, TOKEN, RunCli, run_cli, writes

from hcsync.cli import main
from hcsync.client import IntercomClient
from hcsync.commands.common import timeout_help
from hcsync.connection import DEFAULT_TIMEOUT, open_http
from hcsync.emulator import Emulator
from hcsync.errors import UsageError
from hcsync.kinds.collection import COLLECTIONS
from hcsync.retry import RetryPolicy

BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good"
GITHUB = {"GITHUB_ACTIONS": "true"}


def lines(*texts: str) -> list[str]:
    return [line for text in texts for line in text.splitlines()]


# ---- keys and names never start a line --------------------------------------------------


@pytest.mark.parametrize("env", [{}, GITHUB], ids=["plain", "github-actions"])
def test_a_key_cannot_start_a_workflow_command(hcsync: RunCli, env: dict[str, str]) -> None:
    result = hcsync("validate", str(BAD / "key-with-workflow-command.yaml"), env=env)
    assert result.code == 1
    printed = lines(result.out, result.err)
    assert not [line for line in printed if line.startswith("::error::injected")]
    # The key is shown escaped, in the message and in the annotation alike.
    assert "collections[0].x\\n::error::injected: unknown key" in result.err
    if env:
        (annotation,) = [line for line in printed if line.startswith("::error ")]
        assert annotation.endswith(
            "title=hcsync::collections[0].x\\n::error::injected: unknown key"
            " 'x\\n::error::injected'; allowed keys: collections, description, id, name,"
            " previously, translated_content"
        )
    else:
        assert result.out == ""


@pytest.mark.parametrize("env", [{}, GITHUB], ids=["plain", "github-actions"])
def test_a_key_with_terminal_escapes_is_printed_escaped(
    hcsync: RunCli, env: dict[str, str]
) -> None:
    result = hcsync("validate", str(BAD / "key-with-terminal-escape.yaml"), env=env)
    assert result.code == 1
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.out + result.err
    assert "collections[0].\\u001b[2J\\u001b]0;pwned\\u0007\\u202ex: unknown key" in result.err


def test_a_file_name_with_a_line_break_cannot_start_a_line(hcsync: RunCli, tmp_path: Path) -> None:
    good = tmp_path / "x\n::error::injected.yaml"
    good.write_text("collections:\n  - name: Billing\n", encoding="utf-8")
    bad = tmp_path / "y\n::error::injected.yaml"
    bad.write_text("collections:\n  - name: ' Billing'\n", encoding="utf-8")
    result = hcsync("validate", str(good), str(bad), env=GITHUB)
    assert result.code == 1
    assert not [line for line in lines(result.out, result.err) if line.startswith("::error::")]
    assert "x\\n::error::injected.yaml: valid (1 collection)" in result.out
    assert "y\\n::error::injected.yaml:2:5: collections[0].name:" in result.err


# ---- names and descriptions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "first"),
    [
        (
            "name-with-bidi-override",
            ":2:5: collections[0].name: names may not contain control characters or"
            " bidirectional overrides (U+202E at position 10); remove it",
        ),
        (
            "name-with-control-character",
            ":2:5: collections[0].name: names may not contain control characters or"
            " bidirectional overrides (U+0007 at position 5); remove it",
        ),
        (
            "description-with-escape",
            ":3:5: collections[0].description: descriptions may not contain control characters"
            " (newlines and tabs are fine) or bidirectional overrides (U+001B at position 5);"
            " remove it",
        ),
    ],
)
def test_names_and_descriptions_that_could_hide_text_are_refused(
    hcsync: RunCli, emulator: Emulator, fixture: str, first: str
) -> None:
    path = BAD / f"{fixture}.yaml"
    result = hcsync("validate", str(path))
    assert result.code == 1
    assert result.err.startswith(f"error: {path}{first}\n")
    # ...and plan refuses it too, before anything is written to Intercom.
    assert hcsync("plan", str(path)).code == 1
    assert writes(emulator) == []


def test_marks_in_names_and_line_breaks_in_descriptions_pass(
    hcsync: RunCli, emulator: Emulator
) -> None:
    path = GOOD / "marks-and-multiline-description.yaml"
    assert hcsync("validate", str(path)).out.endswith(": valid (2 collections)\n")
    assert hcsync("apply", str(path)).code == 0
    live = {c["name"]: c for c in emulator.collections()}
    assert live["Billing \u200e(EU)"]["description"] == "First line\nsecond line\twith a tab"
    assert live["Refunds"]["description"] == "A block scalar,\n\tindented with a tab.\n"
    assert hcsync("plan", str(path), "--detailed-exitcode").code == 0


def test_an_id_that_is_not_a_whole_number_is_refused_at_its_line(hcsync: RunCli) -> None:
    path = BAD / "id-not-a-whole-number.yaml"
    result = hcsync("validate", str(path))
    assert result.code == 1
    assert result.err == (
        f"error: {path}:3:5: collections[0].id: 5001.0 is not an Intercom id; an id must be a"
        " whole number of digits, like 5001\n1 problem found\n"
    )


def test_export_flags_live_names_that_validate_would_refuse(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    bidi = emulator.add_collection("Invoices \u202efdp.exe")
    bell = emulator.add_collection("Bell\x07", description="Red \x1b[31malert")
    fine = emulator.add_collection("Billing \u200e(EU)", description="Two\nlines")
    out = tmp_path / "exported.yaml"
    result = hcsync("export", "--out", str(out))
    assert result.code == 1
    assert out.exists()
    assert "the exported file has 3 problems" in result.err
    assert (
        f"collections[0].name: (live collection {bidi['id']}) names may not contain control"
        " characters or bidirectional overrides (U+202E at position 10); remove it"
    ) in result.err
    assert f"collections[1].name: (live collection {bell['id']}) names may not" in result.err
    assert f"collections[1].description: (live collection {bell['id']})" in result.err
    assert f"(live collection {fine['id']})" not in result.err
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.err


# ---- the token and the base URL ---------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["secret-part-one\r\nX-Injected: yes", "secret-part-one\x00", "secret-part-ône"],
    ids=["line-break", "control", "non-ascii"],
)
def test_a_token_no_header_can_carry_is_refused_without_showing_it(
    emulator: Emulator, token: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["plan", str(GOOD / "minimal.yaml")],
        env={"INTERCOM_ACCESS_TOKEN": token},
        stdout=out,
        stderr=err,
        transport=emulator.transport,
    )
    assert code == 1
    assert err.getvalue() == (
        "error: INTERCOM_ACCESS_TOKEN contains characters that cannot be sent in an HTTP header"
        " (a line break, a control character or a non-ASCII character); copy the token again\n"
    )
    assert "secret-part" not in out.getvalue() + err.getvalue()
    assert emulator.requests == []


def test_a_base_url_with_a_bad_port_is_a_clear_error(hcsync: RunCli, emulator: Emulator) -> None:
    result = hcsync("plan", str(GOOD / "minimal.yaml"), "--base-url", "http://127.0.0.1:notaport")
    assert result.code == 1
    assert result.err == (
        "error: base URL 'http://127.0.0.1:notaport' has an invalid port; write a number from 1"
        " to 65535, like http://127.0.0.1:8765\n"
    )
    assert emulator.requests == []


@pytest.mark.parametrize(
    "base_url", ["https://😀.example", "https://[v1.x]", "https://a\x00b.example"]
)
def test_a_base_url_httpx_cannot_use_is_a_clear_error(
    hcsync: RunCli, emulator: Emulator, base_url: str
) -> None:
    result = hcsync("plan", str(GOOD / "minimal.yaml"), "--base-url", base_url)
    assert result.code == 1
    assert result.err == f"error: base URL {base_url!r} is not a valid URL\n"
    assert emulator.requests == []


# ---- ids go into one URL segment --------------------------------------------------------


def test_a_crafted_plan_with_a_dot_dot_id_is_refused(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    config = tmp_path / "collections.yaml"
    config.write_text("collections:\n  - name: Billing\n", encoding="utf-8")
    assert hcsync("apply", str(config)).code == 0
    config.write_text("collections:\n  - name: Billing\n    description: x\n", encoding="utf-8")
    saved = tmp_path / "plan.json"
    assert hcsync("plan", str(config), "--out", str(saved)).code == 0
    data = json.loads(saved.read_text(encoding="utf-8"))
    (update,) = data["changes"]
    update["id"] = ".."
    saved.write_text(json.dumps(data), encoding="utf-8")
    before = len(emulator.requests)
    result = hcsync("apply", "--plan", str(saved))
    assert result.code == 1
    assert (
        f"error: {saved}: not a valid hcsync plan: at changes/0/id: '..' is not an Intercom id"
        " (ids are digits)"
    ) in result.err
    assert [r for r in emulator.requests[before:] if r.method != "GET"] == []  # no write


@pytest.mark.parametrize(
    "where",
    [
        lambda d: d["live_versions"]["collection"].update({"../help_centers": 1}),
        lambda d: d["live_tree"]["collection"].update({"..": {"parent_id": None, "name": "x"}}),
        lambda d: next(iter(d["live_tree"]["collection"].values())).update({"parent_id": "7/../8"}),
        lambda d: d["parked"].append({"kind": "collection", "id": "?x"}),
    ],
    ids=["live-versions-key", "live-tree-key", "live-tree-parent", "parked"],
)
def test_every_id_a_saved_plan_holds_must_be_digits(
    hcsync: RunCli, tmp_path: Path, where: Callable[[dict[str, Any]], object]
) -> None:
    config = tmp_path / "collections.yaml"
    config.write_text("collections:\n  - name: Billing\n", encoding="utf-8")
    assert hcsync("apply", str(config)).code == 0
    saved = tmp_path / "plan.json"
    assert hcsync("plan", str(config), "--out", str(saved)).code == 0
    assert hcsync("apply", "--plan", str(saved)).code == 0  # as hcsync wrote it: fine
    data = json.loads(saved.read_text(encoding="utf-8"))
    where(data)
    saved.write_text(json.dumps(data), encoding="utf-8")
    result = hcsync("apply", "--plan", str(saved))
    assert result.code == 1
    assert "is not an Intercom id (ids are digits)" in result.err


@pytest.mark.parametrize(
    ("call", "shown"),
    [
        (lambda c: c.get(COLLECTIONS, ".."), "'..'"),
        (lambda c: c.update(COLLECTIONS, "7/../8", {"name": "x"}), "'7/../8'"),
        (lambda c: c.delete(COLLECTIONS, "?x"), "'?x'"),
        (lambda c: c.get(COLLECTIONS, "."), "'.'"),
        (lambda c: c.get(COLLECTIONS, ""), "''"),
    ],
    ids=["get-dot-dot", "update-slashes", "delete-query", "get-dot", "get-empty"],
)
def test_the_client_refuses_an_id_that_is_not_digits(
    emulator: Emulator, call: Callable[[IntercomClient], object], shown: str
) -> None:
    client = IntercomClient(
        open_http("https://api.intercom.io", TOKEN, transport=emulator.transport)
    )
    with pytest.raises(UsageError) as caught:
        call(client)
    assert str(caught.value) == f"{shown} is not an Intercom id (ids are digits); nothing was sent"
    assert emulator.requests == []


# ---- a server that never answers --------------------------------------------------------


@pytest.fixture
def hung_server() -> Iterator[str]:
    """A loopback port that takes connections (the kernel's backlog does) and never answers:
    every request hangs until the client's timeout. No thread, nothing to clean up after."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def test_timeout_gives_up_on_a_hung_server_quickly(hung_server: str) -> None:
    # Real time and a real socket: httpx applies no timeout to a MockTransport. Retries wait
    # no real time here (run_cli's sleep), so 5 attempts of 0.05 s each are the whole cost.
    started = time.monotonic()
    result = run_cli(
        None, "plan", str(GOOD / "minimal.yaml"), "--base-url", hung_server, "--timeout", "0.05"
    )
    elapsed = time.monotonic() - started
    assert result.code == 1
    *waits, error = result.err.splitlines()
    assert error == (
        f"error: GET {hung_server}/help_center/help_centers -> no answer: timed out: timed out"
        " (after 5 attempts)"
    )
    # Only the backoffs over 2 s are said (a random draw: none, or some of the last ones).
    assert all("got no answer (timed out: timed out), retrying in" in line for line in waits)
    assert elapsed < 1.0


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_timeout_must_be_a_positive_number_of_seconds(hcsync: RunCli, value: str) -> None:
    result = hcsync("plan", str(GOOD / "minimal.yaml"), "--timeout", value)
    assert result.code == 1
    assert f"argument --timeout: expected a number of seconds above 0, not '{value}'" in (
        result.err
    )


@pytest.mark.parametrize("command", ["plan", "apply", "export"])
def test_help_states_the_worst_case_from_the_retry_policy(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = RetryPolicy()
    worst = math.ceil(policy.give_up_after(DEFAULT_TIMEOUT))
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"with retries, about {worst} s" in readme
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert (
        f"--timeout SECONDS per request attempt (default 30); a request is tried up to"
        f" {policy.attempts} times, so against a server that never answers it gives up after"
        f" at most about {worst} s"
    ) in text


def test_the_worst_case_follows_the_policy() -> None:
    # Every attempt times out; between them, the longest backoff (0.5, 1, 2, 4, capped).
    assert RetryPolicy().give_up_after(30) == 5 * 30 + 0.5 + 1 + 2 + 4
    assert RetryPolicy(attempts=4, base=1, cap=1.5).give_up_after(10) == 4 * 10 + 1 + 1.5 + 1.5
    assert RetryPolicy(attempts=1).give_up_after(30) == 30
    assert "tried up to 2 times" in timeout_help(RetryPolicy(attempts=2))
    assert "at most about 61 s (2 x SECONDS + 0.5 s of waits)" in timeout_help(
        RetryPolicy(attempts=2)
    )
