"""GitHub's REST API, for the one thing hcsync asks of it: the plan reviewed on a pull request.

On a push to the main branch, the Action applies the plan saved on the pull request that was
merged, not a fresh one. This module owns the three calls that find it, and reading it out of
the artifact's zip:

1. ``GET /repos/{repo}/commits/{sha}/pulls``: the pull request merged *as* this commit
   (``merge_commit_sha == sha`` and ``merged_at`` set), its number and final head commit;
2. ``GET /repos/{repo}/actions/artifacts?name=hcsync-plan-pr{N}-{head}``: the newest
   unexpired artifact the plan job uploaded for that head;
3. ``GET /repos/{repo}/actions/artifacts/{id}/zip``: a redirect to the zip, which is fetched
   from where it points *without* the token (the zip's URL is signed; the token stays with
   GitHub's API), then ``plan.json`` is read out of it: that one member, size-bounded, never
   extracted to a path the zip names.

Everything from outside (the environment, the httpx transport) is passed in. The token from
``GITHUB_TOKEN`` goes only into the Authorization header of calls to the API root: never in a
message, a URL or a repr. Must not print, decide exit codes, or apply anything: the command
(``hcsync.commands.fetch_reviewed_plan``) writes the file, and ``hcsync apply --plan`` checks
and applies it.

Errors::

    HcsyncError
    └── GitHubError             a step of finding the reviewed plan failed; says what to do
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from hcsync import __version__
from hcsync.connection import resolve_base_url
from hcsync.errors import HcsyncError

DEFAULT_API_URL = "https://api.github.com"
ARTIFACT_PREFIX = "hcsync-plan-pr"
PLAN_MEMBER = "plan.json"
# A saved plan of thousands of collections is a few MB; anything far past that is not ours.
MAX_PLAN_BYTES = 32 * 1024 * 1024
MAX_ZIP_BYTES = 64 * 1024 * 1024
TIMEOUT = 30.0
PER_PAGE = 100
MAX_PAGES = 10  # 1,000 pull requests for one commit, or artifacts of one name: far past real

_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # sha1, or sha256 repositories

FRESH_HINT = "run the workflow with apply-plan: fresh to plan and apply anew"


class GitHubError(HcsyncError):
    """Finding or reading the reviewed plan failed; the message says what to do next."""


def artifact_name(pull_request: int, head_sha: str) -> str:
    """The name the plan job uploads the saved plan under, and the apply job looks for."""
    return f"{ARTIFACT_PREFIX}{pull_request}-{head_sha}"


@dataclass(frozen=True)
class GitHubContext:
    """What a workflow run tells hcsync about itself, from its environment."""

    api_url: str
    token: str = field(repr=False)  # never shown, not even in a repr
    repository: str
    sha: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> GitHubContext:
        """GITHUB_API_URL (default api.github.com), GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA.

        GitHubError naming the variable when one is missing or malformed.
        """
        token = env.get("GITHUB_TOKEN", "").strip()
        if not token:
            raise GitHubError(
                "GITHUB_TOKEN is not set; in a workflow step add: "
                "env: {GITHUB_TOKEN: ${{ github.token }}}"
            )
        if not all(" " <= ch <= "~" for ch in token):
            raise GitHubError("GITHUB_TOKEN contains characters no HTTP header can carry")
        repository = env.get("GITHUB_REPOSITORY", "").strip()
        if not _REPOSITORY.fullmatch(repository):
            raise GitHubError(
                f"GITHUB_REPOSITORY must be owner/name, not {repository!r}; "
                "GitHub Actions sets it in every job"
            )
        sha = env.get("GITHUB_SHA", "").strip().lower()
        if not _SHA.fullmatch(sha):
            raise GitHubError(
                f"GITHUB_SHA must be a commit sha, not {sha!r}; GitHub Actions sets it in every job"
            )
        api_url = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
        # Same rules as Intercom's base URL: https, or plain http only to loopback.
        return cls(resolve_base_url(base_url=api_url), token, repository, sha)


@dataclass(frozen=True)
class PullRequest:
    number: int
    head_sha: str


@dataclass(frozen=True)
class Artifact:
    id: int
    name: str
    created_at: str


class GitHubApi:
    """The REST calls above, over an ``httpx.Client`` rooted at the API (see ``open_github``)."""

    def __init__(self, http: httpx.Client, downloads: httpx.Client, context: GitHubContext) -> None:
        self.http = http  # the API: carries the token
        self.downloads = downloads  # where the zip redirects to: no token, no base URL
        self.context = context

    def close(self) -> None:
        self.http.close()
        self.downloads.close()

    # -- 1. the pull request merged as this commit -----------------------------------------

    def merged_pull_request(self) -> PullRequest:
        sha = self.context.sha
        path = f"/repos/{self.context.repository}/commits/{sha}/pulls"
        for page in range(1, MAX_PAGES + 1):
            pulls = self._get_json(path, {"per_page": PER_PAGE, "page": page}, need="pull")
            if not isinstance(pulls, list):
                raise self._unreadable(path, "expected a list of pull requests")
            for pr in pulls:
                found = _merged_as(pr, sha)
                if found is not None:
                    return found
            if len(pulls) < PER_PAGE:
                break
        raise GitHubError(
            f"no pull request was merged as commit {sha}: was this commit pushed directly "
            f"(or is it the head of a pull request, not its merge)? The reviewed plan comes "
            f"from a merged pull request's plan job; {FRESH_HINT}"
        )

    # -- 2. the plan job's artifact for that pull request's final head ---------------------

    def plan_artifact(self, pr: PullRequest) -> Artifact:
        name = artifact_name(pr.number, pr.head_sha)
        path = f"/repos/{self.context.repository}/actions/artifacts"
        found: list[Artifact] = []
        expired = 0
        for page in range(1, MAX_PAGES + 1):
            body = self._get_json(
                path, {"name": name, "per_page": PER_PAGE, "page": page}, need="actions"
            )
            listed = body.get("artifacts") if isinstance(body, dict) else None
            if not isinstance(listed, list):
                raise self._unreadable(path, "expected an object with an artifacts list")
            for item in listed:
                if not isinstance(item, dict) or item.get("name") != name:
                    continue  # the name filter is GitHub's; check it anyway
                ident = item.get("id")
                if not isinstance(ident, int) or isinstance(ident, bool):
                    continue
                if item.get("expired"):
                    expired += 1
                    continue
                found.append(Artifact(ident, name, str(item.get("created_at") or "")))
            if len(listed) < PER_PAGE:
                break
        if not found:
            why = (
                f"its artifact {name} expired"
                if expired
                else f"no artifact named {name} exists (the plan job did not run for "
                f"{pr.head_sha}, or its artifact expired)"
            )
            raise GitHubError(
                f"no saved plan for pull request #{pr.number}'s final head {pr.head_sha}: "
                f"{why}. Re-run the pull request's plan job for that commit, review the plan, "
                f"then re-run this job; or {FRESH_HINT}"
            )
        # Newest first: a re-run of the plan job uploads a newer plan for the same head.
        return max(found, key=lambda a: (a.created_at, a.id))

    # -- 3. download it and read plan.json out of the zip ----------------------------------

    def download_plan(self, artifact: Artifact) -> bytes:
        path = f"/repos/{self.context.repository}/actions/artifacts/{artifact.id}/zip"
        response = self._send(path, None)
        if response.is_redirect:
            location = response.headers.get("Location", "")
            response = self._fetch_redirect(path, location)
        elif response.status_code != 200:
            raise self._status_error(path, response, need="actions")
        return extract_plan(response.content, artifact.name)

    def _fetch_redirect(self, path: str, location: str) -> httpx.Response:
        try:
            target = httpx.URL(location)
        except (httpx.InvalidURL, ValueError):
            raise self._unreadable(path, "redirected to an invalid URL") from None
        if target.is_relative_url:
            target = self.http.base_url.join(location)
        api_scheme = urlsplit(self.context.api_url).scheme
        if target.scheme != "https" and not (target.scheme == api_scheme == "http"):
            raise self._unreadable(path, "redirected to a URL that is not https")
        # Through the client without the Authorization header: the download URL is signed,
        # and the token must not travel to the storage host.
        try:
            response = self.downloads.get(target)
        except httpx.HTTPError as err:
            raise GitHubError(
                f"GET {self._shown(path)} (its download) -> no answer: {type(err).__name__}"
            ) from None
        if response.status_code != 200:
            raise GitHubError(
                f"GET {self._shown(path)} (its download) -> {response.status_code}; "
                "re-run this job, or re-run the pull request's plan job"
            )
        if len(response.content) > MAX_ZIP_BYTES:
            raise GitHubError(f"the artifact's zip is over {MAX_ZIP_BYTES} bytes; refusing it")
        return response

    # -- plumbing ----------------------------------------------------------------------------

    def _send(self, path: str, params: Mapping[str, Any] | None) -> httpx.Response:
        try:
            return self.http.get(path, params=params)
        except httpx.HTTPError as err:
            raise GitHubError(
                f"GET {self._shown(path)} -> no answer: {type(err).__name__}; "
                "is GITHUB_API_URL right? Re-run the job"
            ) from None

    def _get_json(self, path: str, params: Mapping[str, Any], *, need: str) -> Any:
        response = self._send(path, params)
        if response.status_code != 200:
            raise self._status_error(path, response, need=need)
        try:
            return response.json()
        except ValueError:
            raise self._unreadable(path, "the answer is not JSON") from None

    def _status_error(self, path: str, response: httpx.Response, *, need: str) -> GitHubError:
        status = response.status_code
        message = _github_message(response)
        where = f"GET {self._shown(path)} -> {status}: {message}"
        if status == 401:
            return GitHubError(f"{where}; GITHUB_TOKEN is not a valid token for this repository")
        if status in (403, 404) and need == "actions":
            return GitHubError(
                f"{where}; the workflow's token needs `permissions: actions: read` to read "
                "another run's artifact (add it to the job or the workflow)"
            )
        if status in (403, 404):
            return GitHubError(
                f"{where}; the workflow's token needs `permissions: contents: read` and "
                "`pull-requests: read` to find the merged pull request"
            )
        return GitHubError(f"{where}; re-run the job (GitHub may be having trouble)")

    def _unreadable(self, path: str, what: str) -> GitHubError:
        return GitHubError(f"GET {self._shown(path)}: unexpected answer from GitHub: {what}")

    def _shown(self, path: str) -> str:
        return f"{self.context.api_url}{path}"


def open_github(
    context: GitHubContext, *, transport: httpx.BaseTransport | None = None
) -> GitHubApi:
    """A GitHubApi over an ``httpx.Client`` rooted at ``context.api_url``.

    ``transport`` is the test seam (an ``httpx.MockTransport``). Redirects are not followed
    by the client: the one redirect expected (the artifact's zip) is followed by hand, without
    the token.
    """
    http = httpx.Client(
        base_url=context.api_url,
        headers={
            "Authorization": f"Bearer {context.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"hcsync/{__version__}",
        },
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=False,
    )
    downloads = httpx.Client(
        headers={"User-Agent": f"hcsync/{__version__}"},
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=False,
    )
    return GitHubApi(http, downloads, context)


def fetch_reviewed_plan(
    env: Mapping[str, str], *, transport: httpx.BaseTransport | None = None
) -> tuple[PullRequest, Artifact, bytes]:
    """The merged pull request, its plan artifact, and ``plan.json``'s bytes, for GITHUB_SHA."""
    context = GitHubContext.from_env(env)
    api = open_github(context, transport=transport)
    try:
        pr = api.merged_pull_request()
        artifact = api.plan_artifact(pr)
        return pr, artifact, api.download_plan(artifact)
    finally:
        api.close()


def extract_plan(data: bytes, name: str = "the artifact") -> bytes:
    """``plan.json``'s bytes from an artifact's zip.

    Only a member named exactly ``plan.json`` at the top is read, into memory, at most
    ``MAX_PLAN_BYTES`` (whatever the zip's header claims); nothing is written where the zip
    says. A zip holding any other member, or a path that climbs out (``../x``, ``/etc/x``), is
    refused: the plan job uploads one file, so anything else is not its artifact.
    """
    if len(data) > MAX_ZIP_BYTES:
        raise GitHubError(f"{name}: the zip is over {MAX_ZIP_BYTES} bytes; refusing it")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise GitHubError(f"{name}: not a zip file; re-run the pull request's plan job") from None
    with archive:
        members = archive.infolist()
        for info in members:
            if _unsafe(info.filename):
                raise GitHubError(
                    f"{name}: refusing a zip with the unsafe member path {info.filename!r}"
                )
        names = [info.filename for info in members]
        if names != [PLAN_MEMBER]:
            raise GitHubError(
                f"{name}: expected exactly one member, {PLAN_MEMBER}, not {names!r}; "
                "re-run the pull request's plan job"
            )
        info = members[0]
        if info.file_size > MAX_PLAN_BYTES:
            raise GitHubError(
                f"{name}: {PLAN_MEMBER} is {info.file_size} bytes, over the "
                f"{MAX_PLAN_BYTES}-byte limit; refusing it"
            )
        try:
            with archive.open(info) as member:
                plan = member.read(MAX_PLAN_BYTES + 1)  # the header's size may lie
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as err:
            raise GitHubError(f"{name}: cannot read {PLAN_MEMBER}: {err}") from None
    if len(plan) > MAX_PLAN_BYTES:
        raise GitHubError(
            f"{name}: {PLAN_MEMBER} is over the {MAX_PLAN_BYTES}-byte limit; refusing it"
        )
    return plan


def _unsafe(member: str) -> bool:
    parts = member.replace("\\", "/").split("/")
    return member.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]


def _merged_as(pr: object, sha: str) -> PullRequest | None:
    if not isinstance(pr, dict):
        return None
    if pr.get("merge_commit_sha") != sha or not pr.get("merged_at"):
        return None
    number, head = pr.get("number"), pr.get("head")
    head_sha = head.get("sha") if isinstance(head, dict) else None
    if not isinstance(number, int) or not isinstance(head_sha, str) or not _SHA.fullmatch(head_sha):
        return None
    return PullRequest(number, head_sha)


def _github_message(response: httpx.Response) -> str:
    """GitHub's ``message`` field, one line, bounded; the status's phrase when there is none."""
    try:
        body = response.json()
    except ValueError:
        body = None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message:
        message = response.reason_phrase or "no message"
    return " ".join(message.split())[:300]
