"""On merge, apply the plan reviewed on the pull request: ``hcsync fetch-reviewed-plan``.

Run in-process against a local fake of GitHub's REST API (``github_fake``) for the fetch, and
against the emulator for the plan and the apply, so the whole path is real: the plan job's
``plan --out``, the artifact's zip, the fetch, and ``apply --plan`` on what was fetched.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from github_fake import BLOB, HEAD_SHA, MERGE_SHA, OLD_HEAD_SHA, FakeGitHub, zip_of
from support import EXAMPLE, FIXTURES, Run, RunCli, run_cli

from hcsync.emulator import Emulator
from hcsync.github_api import MAX_PLAN_BYTES, GitHubError, artifact_name, extract_plan

GITHUB_TOKEN = "ghs_fakeGitHubTokenNeverPrinted123"
PR = 7


@pytest.fixture
def github() -> FakeGitHub:
    return FakeGitHub(token=GITHUB_TOKEN)


def reviewed_plan(hcsync: RunCli, tmp_path: Path, config: Path = EXAMPLE) -> bytes:
    """What the plan job saves on the pull request: ``hcsync plan FILE --out plan.json``."""
    saved = tmp_path / "pr-plan.json"
    result = hcsync("plan", str(config), "--out", str(saved))
    assert result.code == 0, result.err
    return saved.read_bytes()


def fetch(github: FakeGitHub, out: Path, sha: str = MERGE_SHA) -> Run:
    run = run_cli(github.transport, "fetch-reviewed-plan", "--out", str(out), env=github.env(sha))
    # The token goes only into the Authorization header: never printed, whatever happened.
    assert GITHUB_TOKEN not in run.out + run.err
    return run


def test_the_reviewed_plan_is_fetched_and_applied(
    hcsync: RunCli, emulator: Emulator, github: FakeGitHub, tmp_path: Path
) -> None:
    plan = reviewed_plan(hcsync, tmp_path)
    github.merge(PR, HEAD_SHA)
    github.upload(artifact_name(PR, HEAD_SHA), zip_of({"plan.json": plan}))
    out = tmp_path / "plan.json"

    fetched = fetch(github, out)
    assert fetched.code == 0, fetched.err
    assert out.read_bytes() == plan
    assert f"pull request #{PR} (head {HEAD_SHA}" in fetched.out
    # The zip came from the signed URL, without the token.
    (blob,) = [r for r in github.requests if str(r.url).startswith(BLOB)]
    assert "Authorization" not in blob.headers

    applied = hcsync("apply", "--plan", str(out))
    assert applied.code == 0, applied.err
    assert "Applying the saved plan" in applied.out
    assert "next plan is empty" in applied.out
    again = hcsync("plan", str(EXAMPLE), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_the_newest_unexpired_artifact_is_used(
    hcsync: RunCli, github: FakeGitHub, tmp_path: Path
) -> None:
    plan = reviewed_plan(hcsync, tmp_path)
    name = artifact_name(PR, HEAD_SHA)
    github.merge(PR, HEAD_SHA)
    github.upload(name, zip_of({"plan.json": b"old"}), created_at="2024-06-01T10:00:00Z")
    github.upload(name, zip_of({"plan.json": plan}), created_at="2024-06-01T11:00:00Z")
    github.upload(name, zip_of({"plan.json": b"gone"}), expired=True, created_at="2024-06-02")
    out = tmp_path / "plan.json"
    assert fetch(github, out).code == 0
    assert out.read_bytes() == plan


def test_a_commit_not_merged_from_a_pull_request_fails_and_says_use_fresh(
    github: FakeGitHub, tmp_path: Path
) -> None:
    result = fetch(github, tmp_path / "plan.json")
    assert result.code == 1
    assert f"no pull request was merged as commit {MERGE_SHA}" in result.err
    assert "pushed directly" in result.err and "apply-plan: fresh" in result.err
    assert result.out.startswith("::error title=hcsync::no pull request was merged")
    assert not (tmp_path / "plan.json").exists()


def test_only_the_head_sha_matches_never_the_merge_commits(
    hcsync: RunCli, github: FakeGitHub, tmp_path: Path
) -> None:
    plan = reviewed_plan(hcsync, tmp_path)
    github.merge(PR, HEAD_SHA)
    # An artifact named after the merge commit is not the reviewed plan.
    github.upload(artifact_name(PR, MERGE_SHA), zip_of({"plan.json": plan}))
    result = fetch(github, tmp_path / "plan.json")
    assert result.code == 1
    assert f"no saved plan for pull request #{PR}'s final head {HEAD_SHA}" in result.err
    assert f"the plan job did not run for {HEAD_SHA}, or its artifact expired" in result.err
    assert "Re-run the pull request's plan job" in result.err
    # Run on the pull request's head commit itself (not a merge), nothing was merged as it.
    head = fetch(github, tmp_path / "plan.json", sha=HEAD_SHA)
    assert head.code == 1 and "no pull request was merged as commit" in head.err


def test_a_missing_artifact_fails(github: FakeGitHub, tmp_path: Path) -> None:
    github.merge(PR, HEAD_SHA)
    result = fetch(github, tmp_path / "plan.json")
    assert result.code == 1
    assert f"no artifact named {artifact_name(PR, HEAD_SHA)} exists" in result.err
    assert "apply-plan: fresh" in result.err


def test_an_expired_artifact_fails_saying_so(github: FakeGitHub, tmp_path: Path) -> None:
    github.merge(PR, HEAD_SHA)
    github.upload(artifact_name(PR, HEAD_SHA), zip_of({"plan.json": b"{}"}), expired=True)
    result = fetch(github, tmp_path / "plan.json")
    assert result.code == 1
    assert f"its artifact {artifact_name(PR, HEAD_SHA)} expired" in result.err


def test_a_plan_for_an_older_head_is_not_used(
    hcsync: RunCli, github: FakeGitHub, tmp_path: Path
) -> None:
    # The plan job ran for an earlier push; the final push was never planned.
    github.merge(PR, HEAD_SHA)
    github.upload(
        artifact_name(PR, OLD_HEAD_SHA), zip_of({"plan.json": reviewed_plan(hcsync, tmp_path)})
    )
    result = fetch(github, tmp_path / "plan.json")
    assert result.code == 1
    assert f"final head {HEAD_SHA}" in result.err
    assert not (tmp_path / "plan.json").exists()


def test_a_stale_reviewed_plan_is_refused_not_replanned(
    hcsync: RunCli, emulator: Emulator, github: FakeGitHub, tmp_path: Path
) -> None:
    plan = reviewed_plan(hcsync, tmp_path)  # pull request 7, reviewed against an empty center
    # Pull request 6 was merged and applied first: live changed since 7's plan.
    first = hcsync("apply", str(FIXTURES / "good" / "minimal.yaml"))
    assert first.code == 0, first.err
    github.merge(PR, HEAD_SHA)
    github.upload(artifact_name(PR, HEAD_SHA), zip_of({"plan.json": plan}))
    out = tmp_path / "plan.json"
    assert fetch(github, out).code == 0
    before = hcsync("plan", str(EXAMPLE), "--format", "json").out

    result = hcsync("apply", "--plan", str(out))
    assert result.code == 1
    assert f"{out} is stale" in result.err and "created in Intercom since the plan" in result.err
    assert "Nothing was applied" in result.err
    assert hcsync("plan", str(EXAMPLE), "--format", "json").out == before


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../plan.json": b"{}"}, "unsafe member path '../plan.json'"),
        ({"/etc/plan.json": b"{}"}, "unsafe member path '/etc/plan.json'"),
        ({"plan.json": b"{}", "x/../../evil": b"x"}, "unsafe member path"),
        ({"plan.json": b"{}", "extra.txt": b"x"}, "expected exactly one member"),
        ({"other.json": b"{}"}, "expected exactly one member, plan.json"),
    ],
)
def test_a_zip_with_anything_but_plan_json_is_refused(
    github: FakeGitHub, tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    github.merge(PR, HEAD_SHA)
    github.upload(artifact_name(PR, HEAD_SHA), zip_of(members))
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = fetch(github, workdir / "plan.json")
    assert result.code == 1
    assert message in result.err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["work"]  # nothing written


def test_an_oversized_plan_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    big = zip_of({"plan.json": b" " * (MAX_PLAN_BYTES + 1)})  # deflates to a few KB
    assert len(big) < 1_000_000
    with pytest.raises(GitHubError, match=r"over the .*-byte limit"):
        extract_plan(big)


def test_a_zip_whose_header_understates_the_size_is_still_bounded() -> None:
    data = bytearray(zip_of({"plan.json": b" " * (MAX_PLAN_BYTES + 10)}))
    # Rewrite the uncompressed size in the central directory to claim 2 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (2).to_bytes(4, "little")
    with pytest.raises(GitHubError):
        extract_plan(bytes(data))


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(GitHubError, match="not a zip file"):
        extract_plan(b"<html>oops</html>")


@pytest.mark.parametrize(
    ("forbid", "needs"),
    [
        ("actions", "`permissions: actions: read`"),
        ("pulls", "`pull-requests: read`"),
    ],
)
def test_a_403_names_the_permission_the_workflow_needs(
    github: FakeGitHub, tmp_path: Path, forbid: str, needs: str
) -> None:
    github.merge(PR, HEAD_SHA)
    github.upload(artifact_name(PR, HEAD_SHA), zip_of({"plan.json": b"{}"}))
    github.forbid.add(forbid)
    result = fetch(github, tmp_path / "plan.json")
    assert result.code == 1
    assert "-> 403: Resource not accessible by integration" in result.err
    assert needs in result.err


def test_a_wrong_token_is_a_clean_error(github: FakeGitHub, tmp_path: Path) -> None:
    env = {**github.env(), "GITHUB_TOKEN": "ghs_someOtherToken"}
    result = run_cli(github.transport, "fetch-reviewed-plan", "--out", "p.json", env=env)
    assert result.code == 1
    assert "-> 401: Bad credentials" in result.err
    assert "ghs_someOtherToken" not in result.out + result.err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"GITHUB_TOKEN": ""}, "GITHUB_TOKEN is not set"),
        ({"GITHUB_REPOSITORY": "no-slash"}, "GITHUB_REPOSITORY must be owner/name"),
        ({"GITHUB_SHA": "main"}, "GITHUB_SHA must be a commit sha"),
        ({"GITHUB_API_URL": "http://api.github.com"}, "refusing to send the access token"),
    ],
)
def test_a_bad_environment_is_named(
    github: FakeGitHub, change: dict[str, str], message: str
) -> None:
    env = {**github.env(), **change}
    result = run_cli(github.transport, "fetch-reviewed-plan", "--out", "p.json", env=env)
    assert result.code == 1
    assert message in result.err
    assert github.requests == []


def test_github_unreachable_is_a_clean_error(github: FakeGitHub, tmp_path: Path) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    result = run_cli(
        httpx.MockTransport(down),
        "fetch-reviewed-plan",
        "--out",
        str(tmp_path / "plan.json"),
        env=github.env(),
    )
    assert result.code == 1
    assert "-> no answer: ConnectError" in result.err
    assert "Traceback" not in result.err and GITHUB_TOKEN not in result.err
