"""GitHub integration: annotations, the job summary, action.yml and the pre-commit hook.

Annotation formatting is tested as pure functions; the rest end to end, through the CLI
against the emulator, and by running the action's own scripts with bash: the plan script
against the emulator, the comment script against a fake ``gh`` (GitHub's CLI, not ours).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import EXAMPLE, FIXTURES, ROOT, TOKEN, RunCli, subprocess_env, writes

from hcsync.cli import main, parser
from hcsync.emulator import Emulator, serve
from hcsync.errors import ConfigError, Problem
from hcsync.github import (
    annotate_config_errors,
    error_annotation,
    error_annotations,
    escape_data,
    escape_property,
)

ACTIONS = {"GITHUB_ACTIONS": "true"}
BAD = FIXTURES / "bad" / "several-problems.yaml"
DUPLICATE = FIXTURES / "bad" / "duplicate-sibling.yaml"


def action() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def step(name: str) -> dict[str, Any]:
    steps = action()["runs"]["steps"]
    found = [s for s in steps if s.get("name") == name]
    assert len(found) == 1, f"no single step named {name!r}"
    return dict(found[0])


# --- workflow commands -------------------------------------------------------------------


def test_escaping_follows_githubs_toolkit() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir,x/a:b%.yaml\n") == "dir%2Cx/a%3Ab%25.yaml%0A"


def test_an_annotation_points_at_file_line_and_column() -> None:
    problem = Problem("help/collections.yaml", 7, 5, "collections[0].name", "must not be empty")
    assert error_annotation(problem) == (
        "::error file=help/collections.yaml,line=7,col=5,title=hcsync"
        "::collections[0].name: must not be empty"
    )


def test_a_message_cannot_end_the_command_or_forge_another() -> None:
    problem = Problem("a,b:c.yaml", 1, 1, "", "bad\n::error::forged 100%")
    line = error_annotation(problem)
    assert "\n" not in line
    # Shown escaped, as in the plain message: GitHub would turn a %0A back into a line break.
    assert (
        line
        == "::error file=a%2Cb%3Ac.yaml,line=1,col=1,title=hcsync::bad\\n::error::forged 100%25"
    )


def test_paths_inside_the_workspace_become_repository_relative() -> None:
    problem = Problem("/home/runner/work/repo/repo/help/c.yaml", 2, 3, "", "oops")
    line = error_annotation(problem, workspace="/home/runner/work/repo/repo/")
    assert line.startswith("::error file=help/c.yaml,line=2,col=3,")
    outside = error_annotation(problem, workspace="/elsewhere")
    assert outside.startswith("::error file=/home/runner/work/repo/repo/help/c.yaml,")


def test_a_problem_without_a_line_names_only_the_file() -> None:
    assert error_annotation(Problem("c.yaml", 0, 0, "", "unreadable")) == (
        "::error file=c.yaml,title=hcsync::unreadable"
    )


def test_annotations_only_inside_github_actions() -> None:
    err = ConfigError([Problem("c.yaml", 1, 1, "", "x"), Problem("c.yaml", 2, 1, "", "y")])
    assert error_annotations(err, {}) == ""
    assert error_annotations(err, {"GITHUB_ACTIONS": "false"}) == ""
    assert error_annotations(err, ACTIONS).count("::error ") == 2


def test_annotating_reraises_the_same_error() -> None:
    out = io.StringIO()
    err = ConfigError([Problem("c.yaml", 3, 1, "", "x")])
    with pytest.raises(ConfigError) as caught, annotate_config_errors(ACTIONS, out):
        raise err
    assert caught.value is err
    assert out.getvalue() == "::error file=c.yaml,line=3,col=1,title=hcsync::x\n"


# --- the CLI in GitHub Actions ------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_config_problems_become_annotations_and_still_fail(
    hcsync: RunCli, emulator: Emulator, command: str
) -> None:
    result = hcsync(command, str(BAD), env=ACTIONS)
    assert result.code == 1
    annotations = [line for line in result.out.splitlines() if line.startswith("::error ")]
    assert len(annotations) >= 2
    assert all(f"file={BAD}," in line and ",line=" in line for line in annotations)
    assert "problems found" in result.err  # the normal message is still there
    assert writes(emulator) == []


def test_no_annotations_outside_github_actions(hcsync: RunCli) -> None:
    result = hcsync("validate", str(BAD))
    assert result.code == 1
    assert "::error" not in result.out + result.err


def test_validate_checks_every_file_and_reports_every_problem(hcsync: RunCli) -> None:
    result = hcsync("validate", str(EXAMPLE), str(BAD), str(DUPLICATE), env=ACTIONS)
    assert result.code == 1
    assert f"{EXAMPLE}: valid (15 collections)" in result.out
    assert f"{BAD}:" in result.err and f"{DUPLICATE}:" in result.err
    assert f"file={DUPLICATE}," in result.out


def test_validate_of_several_good_files_passes(hcsync: RunCli) -> None:
    good = sorted((FIXTURES / "good").glob("*.yaml"))
    result = hcsync("validate", str(EXAMPLE), *map(str, good))
    assert result.code == 0, result.err
    assert result.out.count(": valid (") == len(good) + 1


def test_plan_appends_markdown_to_the_step_summary(hcsync: RunCli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    first = hcsync("plan", str(EXAMPLE), env=env)  # text on stdout; Markdown in the summary
    assert first.code == 0, first.err
    assert "<details>" not in first.out
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n")
    assert text.count("### hcsync plan for help center <code>acme</code>") == 1
    assert "**15 to create, 0 to update, 0 to delete**" in text

    second = hcsync("plan", str(EXAMPLE), "--format", "json", env=env)
    assert second.code == 0, second.err
    again = summary.read_text(encoding="utf-8")
    assert again.startswith(text)  # appended, never overwritten
    assert again.count("### hcsync plan for help center") == 2


def test_an_unwritable_step_summary_is_a_clean_error(hcsync: RunCli, tmp_path: Path) -> None:
    result = hcsync("plan", str(EXAMPLE), env={"GITHUB_STEP_SUMMARY": str(tmp_path)})
    assert result.code == 1
    assert result.err.startswith(f"error: cannot write {tmp_path}: ")
    assert "Traceback" not in result.err


def test_plan_without_a_step_summary_writes_no_file(hcsync: RunCli, tmp_path: Path) -> None:
    result = hcsync("plan", str(EXAMPLE), "--format", "markdown")
    assert result.code == 0
    assert result.out.startswith("### hcsync plan")
    assert list(tmp_path.iterdir()) == []


# --- action.yml ---------------------------------------------------------------------------


def test_action_is_composite_with_the_documented_inputs_and_outputs() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    inputs = spec["inputs"]
    assert inputs["config"]["default"] == "collections.yaml"
    assert inputs["command"]["default"] == "plan"
    assert inputs["region"]["default"] == "us"
    assert inputs["python-version"]["default"] == "3.12"
    assert inputs["apply-plan"]["default"] == "reviewed"
    assert {"help-center", "extra-args"} <= set(inputs)
    assert all(not spec["inputs"][name].get("required", False) for name in inputs)
    assert set(spec["outputs"]) == {"changes", "markdown-file", "plan-file"}
    uses = [s["uses"] for s in spec["runs"]["steps"] if "uses" in s]
    assert any(u.startswith("actions/setup-python@") for u in uses)


def test_no_script_interpolates_an_expression() -> None:
    # Inputs and event fields reach scripts through env; `${{ }}` in a run: is code injection.
    for s in action()["runs"]["steps"]:
        if "run" in s:
            assert "${{" not in s["run"], s["name"]
            assert s["shell"] == "bash", s["name"]
            assert s["run"].startswith("set -euo pipefail\n"), s["name"]


def test_plan_step_runs_detailed_exitcode_and_saves_the_plan() -> None:
    plan = step("Plan")
    assert plan["if"] == "inputs.command == 'plan'"
    for flag in ("--format markdown", "--out", "--detailed-exitcode"):
        assert flag in plan["run"]
    comment = step("Comment on the pull request")
    assert "github.event_name == 'pull_request'" in comment["if"]
    assert comment["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert "<!-- hcsync-plan -->" in comment["run"] and "--edit-last" not in comment["run"]
    assert "hcsync apply" not in plan["run"]
    assert step("Apply")["if"] == "inputs.command == 'apply'"


def test_the_plan_is_uploaded_as_an_artifact_for_the_pull_requests_head() -> None:
    upload = step("Upload the plan for apply on merge")
    assert upload["uses"] == "actions/upload-artifact@v4"
    assert "inputs.command == 'plan'" in upload["if"]
    assert "github.event_name == 'pull_request'" in upload["if"]
    # The head commit the reviewer saw, never GITHUB_SHA (the pull request's test merge).
    assert upload["with"]["name"] == (
        "hcsync-plan-pr${{ github.event.pull_request.number }}"
        "-${{ github.event.pull_request.head.sha }}"
    )
    assert upload["with"]["path"] == "${{ steps.plan.outputs.plan-file }}"
    assert upload["with"]["if-no-files-found"] == "error"
    names = [s.get("name") for s in action()["runs"]["steps"]]
    assert names.index("Plan") < names.index("Upload the plan for apply on merge")


# A stand-in for hcsync in the apply script: records each call; fetch-reviewed-plan writes
# a plan file, or fails as told.
FAKE_HCSYNC = """import json, os, sys
from pathlib import Path

with open(os.environ["FAKE_HCSYNC_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1] == "fetch-reviewed-plan":
    if os.environ.get("FAKE_HCSYNC_NO_PLAN"):
        sys.exit("error: no saved plan for pull request #7's final head")
    Path(sys.argv[sys.argv.index("--out") + 1]).write_text("{}")
"""


def run_apply_script(
    tmp_path: Path, apply_plan: str, **extra_env: str
) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "hcsync"
    fake.write_text(f"#!{sys.executable}\n{FAKE_HCSYNC}", encoding="utf-8")
    fake.chmod(0o755)
    log = tmp_path / "calls.jsonl"
    result = subprocess.run(
        ["bash", "-c", step("Apply")["run"]],
        env=subprocess_env(
            {
                "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                "RUNNER_TEMP": str(tmp_path),
                "FAKE_HCSYNC_LOG": str(log),
                "HCSYNC_CONFIG": 'my "help" $(touch pwned).yaml',
                "HCSYNC_REGION": "eu",
                "HCSYNC_HELP_CENTER": "",
                "HCSYNC_EXTRA_ARGS": "--no-delete --parallelism 2",
                "HCSYNC_APPLY_PLAN": apply_plan,
                **extra_env,
            }
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, calls


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_apply_fetches_the_reviewed_plan_then_applies_exactly_it(tmp_path: Path) -> None:
    result, calls = run_apply_script(tmp_path, "reviewed")
    assert result.returncode == 0, result.stdout + result.stderr
    plan_file = str(tmp_path / "hcsync" / "plan.json")
    config = 'my "help" $(touch pwned).yaml'
    assert calls == [
        ["fetch-reviewed-plan", "--out", plan_file],
        ["apply", config, "--plan", plan_file, "--region", "eu", "--no-delete",
         "--parallelism", "2"],
    ]  # fmt: skip
    assert not (tmp_path / "pwned").exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_apply_without_a_reviewed_plan_fails_and_never_replans(tmp_path: Path) -> None:
    result, calls = run_apply_script(tmp_path, "reviewed", FAKE_HCSYNC_NO_PLAN="1")
    assert result.returncode == 1
    assert "no saved plan" in result.stderr
    assert [call[0] for call in calls] == ["fetch-reviewed-plan"]  # no apply, no fresh plan


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_apply_plan_fresh_plans_and_applies_as_before(tmp_path: Path) -> None:
    result, calls = run_apply_script(tmp_path, "fresh", HCSYNC_HELP_CENTER="acme")
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls == [
        ["apply", 'my "help" $(touch pwned).yaml', "--region", "eu", "--help-center", "acme",
         "--no-delete", "--parallelism", "2"],
    ]  # fmt: skip


def test_apply_gets_the_workflow_token_for_github_only_through_env() -> None:
    apply = step("Apply")
    assert apply["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    assert apply["env"]["HCSYNC_APPLY_PLAN"] == "${{ inputs.apply-plan }}"
    check = step("Check the command")
    assert check["env"]["HCSYNC_APPLY_PLAN"] == "${{ inputs.apply-plan }}"
    assert "reviewed|fresh)" in check["run"]


def run_scripts() -> list[tuple[str, str]]:
    return [(s["name"], s["run"]) for s in action()["runs"]["steps"] if "run" in s]


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
@pytest.mark.parametrize(("name", "script"), run_scripts(), ids=[n for n, _ in run_scripts()])
def test_every_action_script_passes_shellcheck(tmp_path: Path, name: str, script: str) -> None:
    path = tmp_path / "step.sh"
    path.write_text(f"#!/usr/bin/env bash\n{script}", encoding="utf-8")
    result = subprocess.run(
        ["shellcheck", "--shell=bash", "--severity=style", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"{name}:\n{result.stdout}{result.stderr}"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("prepare", "changes"), [(False, "true"), (True, "false")])
def test_the_plan_script_against_the_emulator(
    emulator: Emulator, tmp_path: Path, prepare: bool, changes: str
) -> None:
    # A config path no shell may interpret: it must reach hcsync as one literal argument.
    config = tmp_path / 'my "help" $(touch pwned) `x`.yaml'
    shutil.copy(EXAMPLE, config)
    if prepare:
        env = {"INTERCOM_ACCESS_TOKEN": TOKEN}
        out, err = io.StringIO(), io.StringIO()
        applied = main(
            ["apply", str(config)], env=env, stdout=out, stderr=err, transport=emulator.transport
        )
        assert applied == 0, err.getvalue()
    outputs = tmp_path / "outputs.txt"
    with serve(emulator) as server:
        result = subprocess.run(
            ["bash", "-c", step("Plan")["run"]],
            env=subprocess_env(
                {
                    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                    "INTERCOM_ACCESS_TOKEN": TOKEN,
                    "RUNNER_TEMP": str(tmp_path),
                    "GITHUB_OUTPUT": str(outputs),
                    "HCSYNC_CONFIG": str(config),
                    "HCSYNC_REGION": "us",
                    "HCSYNC_HELP_CENTER": "",
                    "HCSYNC_EXTRA_ARGS": f"--base-url {server.url}",
                }
            ),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "pwned").exists()
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert values["changes"] == changes
    markdown = Path(values["markdown-file"]).read_text(encoding="utf-8")
    assert markdown.startswith("### hcsync plan for help center <code>acme</code>")
    assert Path(values["plan-file"]).is_file()


def run_plan_script(tmp_path: Path, extra_args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", step("Plan")["run"]],
        env=subprocess_env(
            {
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                "INTERCOM_ACCESS_TOKEN": TOKEN,
                "RUNNER_TEMP": str(tmp_path),
                "GITHUB_OUTPUT": str(tmp_path / "outputs.txt"),
                "HCSYNC_CONFIG": str(EXAMPLE),
                "HCSYNC_REGION": "us",
                "HCSYNC_HELP_CENTER": "",
                "HCSYNC_EXTRA_ARGS": extra_args,
            }
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_extra_args_plan_does_not_accept_fail_the_step_plainly(tmp_path: Path) -> None:
    result = run_plan_script(tmp_path, "--base-url http://127.0.0.1:9 --no-such-flag")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "unrecognized arguments: --no-such-flag" in output and "usage: hcsync" in output
    assert "No such file" not in output  # not mistaken for "changes", then failing later
    assert not (tmp_path / "outputs.txt").exists()


# --- the sticky pull-request comment, against a fake `gh` ---------------------------------

# A stand-in for the GitHub CLI: keeps the pull request's comments in a JSON file and answers
# the three calls the comment step makes. With "read_only" (a fork's token) every write fails
# as GitHub answers it; with "offline" every call fails.
FAKE_GH = """\
import json, os, subprocess, sys
from pathlib import Path

state_file = Path(os.environ["FAKE_GH_STATE"])
state = json.loads(state_file.read_text())
args = sys.argv[1:]
if state.get("offline"):
    sys.exit("error connecting to api.github.com")
repo, pr = state["repo"], state["pr"]
if args[:2] == ["api", "--paginate"] and args[3] == "--jq":
    assert args[2] == f"repos/{repo}/issues/{pr}/comments?per_page=100", args
    comments = [{"id": c["id"], "body": c["body"], "user": {"login": c["login"]}}
                for c in state["comments"]]
    out = subprocess.run(["jq", "-r", args[4]], input=json.dumps(comments),
                         capture_output=True, text=True, check=True).stdout
    sys.stdout.write(out)
    sys.exit(0)
if state.get("read_only"):
    sys.exit("HTTP 403: Resource not accessible by integration")
if args[:3] == ["api", "--method", "PATCH"] and args[4] == "-F":
    comment_id = int(args[3].rsplit("/", 1)[1])
    assert args[3] == f"repos/{repo}/issues/comments/{comment_id}", args
    body = Path(args[5].removeprefix("body=@")).read_text()
    (found,) = [c for c in state["comments"] if c["id"] == comment_id]
    found["body"] = body
elif args[:3] == ["pr", "comment", pr] and args[3:5] == ["--repo", repo]:
    assert args[5] == "--body-file", args
    body = Path(args[6]).read_text()
    new_id = max([c["id"] for c in state["comments"]], default=0) + 1
    state["comments"].append({"id": new_id, "body": body, "login": "github-actions[bot]"})
else:
    sys.exit(f"fake gh: unexpected call {args}")
state_file.write_text(json.dumps(state))
"""


class FakeGitHub:
    """One pull request's comments, as the fake ``gh`` sees them."""

    def __init__(self, tmp_path: Path, **flags: bool) -> None:
        self.dir = tmp_path
        self.state = tmp_path / "gh-state.json"
        self.state.write_text(json.dumps({"repo": "acme/help", "pr": "7", "comments": [], **flags}))
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        gh = bin_dir / "gh"
        gh.write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
        gh.chmod(0o755)
        self.bin = bin_dir

    def comments(self) -> list[dict[str, Any]]:
        return list(json.loads(self.state.read_text())["comments"])

    def add_comment(self, body: str) -> None:
        state = json.loads(self.state.read_text())
        new_id = max([c["id"] for c in state["comments"]], default=0) + 1
        state["comments"].append({"id": new_id, "body": body, "login": "github-actions[bot]"})
        self.state.write_text(json.dumps(state))

    def run_comment_step(self, markdown: str) -> subprocess.CompletedProcess[str]:
        body = self.dir / "plan.md"
        body.write_text(markdown, encoding="utf-8")
        return subprocess.run(
            ["bash", "-c", step("Comment on the pull request")["run"]],
            env=subprocess_env(
                {
                    "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
                    "GH_TOKEN": "gh-token-not-a-secret",
                    "PR_NUMBER": "7",
                    "BODY_FILE": str(body),
                    "GITHUB_REPOSITORY": "acme/help",
                    "RUNNER_TEMP": str(self.dir),
                    "FAKE_GH_STATE": str(self.state),
                }
            ),
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


needs_bash_and_jq = pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("jq") is None, reason="needs bash and jq"
)


@needs_bash_and_jq
def test_the_comment_is_sticky_and_never_edits_another_workflows_comment(
    tmp_path: Path,
) -> None:
    github = FakeGitHub(tmp_path)
    github.add_comment("Preview deployed")  # another workflow, posting as the same bot
    first = github.run_comment_step("### plan one\n")
    assert first.returncode == 0, first.stdout + first.stderr
    github.add_comment("Tests passed")  # now the bot's *last* comment is not hcsync's
    second = github.run_comment_step("### plan two\n")
    assert second.returncode == 0, second.stdout + second.stderr
    assert [c["body"] for c in github.comments()] == [
        "Preview deployed",
        "<!-- hcsync-plan -->\n### plan two\n",
        "Tests passed",
    ]
    assert "::warning" not in first.stdout + second.stdout


@needs_bash_and_jq
@pytest.mark.parametrize("flag", ["read_only", "offline"])
def test_a_comment_that_cannot_be_written_warns_and_does_not_fail_the_job(
    tmp_path: Path, flag: str
) -> None:
    github = FakeGitHub(tmp_path, **{flag: True})
    result = github.run_comment_step("### plan\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(
        "::warning title=hcsync::could not comment on the pull request (a fork's read-only token?)"
    )
    assert github.comments() == []


# --- pre-commit ---------------------------------------------------------------------------


def test_pre_commit_hook_runs_validate_on_collections_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "hcsync-validate"
    assert hook["entry"] == "hcsync validate"
    assert hook["language"] == "python"
    assert hook["types"] == ["yaml"]
    pattern = re.compile(hook["files"])
    assert pattern.search("collections.yaml") and pattern.search("help/collections.yml")
    assert not pattern.search("other.yaml") and not pattern.search("my-collections.yaml")
    # The entry names a console script this package installs, and a command it has.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    program, command = hook["entry"].split()
    assert f'{program} = "hcsync.cli:main"' in pyproject
    assert command in parser().format_help()
