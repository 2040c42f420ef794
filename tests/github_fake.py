"""A small local fake of the few GitHub REST endpoints ``hcsync fetch-reviewed-plan`` calls.

An ``httpx.MockTransport`` handler, handed to the CLI like the emulator's transport. It keeps
pull requests (by the commit they were merged as) and artifacts (with their zip bytes) and
serves, as GitHub does:

- ``GET /repos/{repo}/commits/{sha}/pulls``: the pull requests associated with a commit
  (merged as it, or with it as their head);
- ``GET /repos/{repo}/actions/artifacts?name=...``: ``{"total_count", "artifacts"}``;
- ``GET /repos/{repo}/actions/artifacts/{id}/zip``: a 302 to a signed URL on another host,
  which serves the zip and refuses any request carrying an Authorization header.

``forbid`` makes a group of endpoints answer 403 as GitHub does for a token without the
permission ("Resource not accessible by integration").
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import httpx

API = "https://api.github.test"
BLOB = "https://blob.github.test"
REPO = "acme/help"
MERGE_SHA = "c" * 40  # the commit on main a pull request was merged as
HEAD_SHA = "a" * 40  # the pull request's final head
OLD_HEAD_SHA = "b" * 40  # an earlier head of the same pull request


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip built in memory holding ``members`` (name -> bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@dataclass
class FakeGitHub:
    token: str
    repo: str = REPO
    pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    zips: dict[int, bytes] = field(default_factory=dict)
    forbid: set[str] = field(default_factory=set)  # "pulls" and/or "actions"
    requests: list[httpx.Request] = field(default_factory=list)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def env(self, sha: str = MERGE_SHA) -> dict[str, str]:
        """A workflow run's environment on a push of ``sha`` to main."""
        return {
            "GITHUB_ACTIONS": "true",
            "GITHUB_TOKEN": self.token,
            "GITHUB_API_URL": API,
            "GITHUB_REPOSITORY": self.repo,
            "GITHUB_SHA": sha,
        }

    def merge(self, number: int, head_sha: str, merge_sha: str = MERGE_SHA) -> None:
        """Pull request ``number``, head ``head_sha``, merged as ``merge_sha``.

        Like GitHub, the head commit is associated with the pull request too (unmerged
        there: its merge_commit_sha is the merge's, not its own).
        """
        pr = {
            "number": number,
            "state": "closed",
            "merged_at": "2024-06-01T12:00:00Z",
            "merge_commit_sha": merge_sha,
            "head": {"sha": head_sha, "ref": f"feature-{number}"},
            "base": {"ref": "main"},
        }
        self.pulls.setdefault(merge_sha, []).append(pr)
        self.pulls.setdefault(head_sha, []).append(pr)

    def upload(
        self,
        name: str,
        zip_bytes: bytes,
        *,
        expired: bool = False,
        created_at: str = "2024-06-01T11:00:00Z",
    ) -> int:
        """An artifact as upload-artifact leaves it; returns its id."""
        ident = 1000 + len(self.artifacts)
        self.artifacts.append(
            {
                "id": ident,
                "name": name,
                "size_in_bytes": len(zip_bytes),
                "expired": expired,
                "created_at": created_at,
                "archive_download_url": f"{API}/repos/{self.repo}/actions/artifacts/{ident}/zip",
            }
        )
        self.zips[ident] = zip_bytes
        return ident

    # -- the endpoints ------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = request.url
        if f"{url.scheme}://{url.host}" == BLOB:
            return self._blob(request)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _json(401, {"message": "Bad credentials"})
        if request.method != "GET":
            return _json(404, {"message": "Not Found"})
        prefix = f"/repos/{self.repo}/"
        path = url.path
        if not path.startswith(prefix):
            return _json(404, {"message": "Not Found"})
        rest = path[len(prefix) :]
        if match := re.fullmatch(r"commits/([0-9a-f]+)/pulls", rest):
            if "pulls" in self.forbid:
                return _forbidden()
            return _json(200, self._page(self.pulls.get(match[1], []), url))
        if rest == "actions/artifacts":
            if "actions" in self.forbid:
                return _forbidden()
            name = url.params.get("name")
            found = [a for a in self.artifacts if name is None or a["name"] == name]
            found.sort(key=lambda a: a["created_at"], reverse=True)
            page = self._page(found, url)
            return _json(200, {"total_count": len(found), "artifacts": page})
        if match := re.fullmatch(r"actions/artifacts/(\d+)/zip", rest):
            if "actions" in self.forbid:
                return _forbidden()
            ident = int(match[1])
            if ident not in self.zips:
                return _json(404, {"message": "Not Found"})
            location = f"{BLOB}/artifacts/{ident}.zip?sig=signed"
            return httpx.Response(302, headers={"Location": location})
        return _json(404, {"message": "Not Found"})

    def _blob(self, request: httpx.Request) -> httpx.Response:
        if "Authorization" in request.headers:
            # Azure blob storage refuses a signed URL with another credential; and the token
            # must not leave GitHub's API.
            return httpx.Response(400, text="two credentials")
        match = re.fullmatch(r"/artifacts/(\d+)\.zip", request.url.path)
        if not match or int(match[1]) not in self.zips:
            return httpx.Response(404, text="no such blob")
        return httpx.Response(200, content=self.zips[int(match[1])])

    @staticmethod
    def _page(items: list[Any], url: httpx.URL) -> list[Any]:
        per_page = int(url.params.get("per_page", "30"))
        page = int(url.params.get("page", "1"))
        return items[(page - 1) * per_page : page * per_page]


def _json(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=_HEADERS)


def _forbidden() -> httpx.Response:
    return _json(
        403,
        {
            "message": "Resource not accessible by integration",
            "documentation_url": "https://docs.github.com/rest",
        },
    )


_HEADERS = {"Content-Type": "application/json"}
