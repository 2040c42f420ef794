"""The emulator's front door: ``Emulator.handle(httpx.Request) -> httpx.Response``.

Owns: authentication, the ``Intercom-Version`` check, rate limiting, fault injection,
routing the seven Help Center endpoints of API 2.10, the five article endpoints
(``/articles``, ``/articles/{id}``), ``GET /admins`` and ``GET /me`` to the store, error
bodies in the official ``error`` shape, the request log, the ``Behaviour`` switches in force
(``emu.behaviour``, handed to the store, the shapes and the paging), and the Python seeding
API tests use.
Must not: listen on sockets (``server`` does) or import hcsync modules other than
``locales``/``errors`` - the emulator stands alone.

A request without ``Intercom-Version`` is served as the app's default version, 2.10 here,
as real Intercom serves it (the official Python SDK sends no such header). Deliberately
stricter than Intercom, so clients are kept honest (each documented where it is decided): a
*different* ``Intercom-Version`` is a 400 ``intercom_version_invalid``, unknown body keys are
refused, and a known path with the wrong method is a 405 ``method_not_allowed``.

Every list honours ``page``/``per_page`` (``paging``). The collection and article lists
answer ``collection_list`` and ``article_list`` with ``pages`` and ``total_count`` (paged
alike, newest ``updated_at`` first); the help center list answers exactly
``help_center_list`` (``type`` and ``data``: the description names no paging fields for it),
so a page past the end is an empty ``data`` and a pager that stops on an empty page ends.

Order of checks for every request: latency, auth (401), version (400), rate limit (429),
``error_rate`` (5xx without doing the work), the endpoint itself, then ``commit_then_502``.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import httpx

from .articles import Article, ArticleState
from .behaviour import Behaviour
from .bodies import parse_article_create, parse_article_update, parse_create, parse_update
from .faults import Faults
from .ratelimit import RateLimiter
from .routes import Router
from .shapes import admin_shape, article_shape, collection_shape, help_center_shape
from .state import Collection, Refusal, Store

API_VERSION = "2.10"
REDACTED = "REDACTED"
_SERVER_ERRORS = (
    (500, "server_error", "Server Error"),
    (502, "bad_gateway", "Bad Gateway"),
    (503, "service_unavailable", "Service Unavailable"),
)
Payload = dict[str, Any]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the emulator answered, as tests inspect it (the token never kept)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names; Authorization's value is REDACTED
    body: Any  # parsed JSON, the raw text when it was not JSON, or None when empty
    status: int


class _BadJson(Exception):
    pass


class Emulator:
    """A stateful, in-memory Intercom Help Center speaking REST API 2.10."""

    def __init__(
        self,
        token: str | None = None,
        *,
        default_locale: str = "en",
        multilingual: bool = True,
        default_per_page: int = 20,
        max_per_page: int = 150,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        seed: int = 0,
        behaviour: Behaviour | None = None,
    ) -> None:
        if token == "":
            raise ValueError("token must be a non-empty string, or None to accept any token")
        if not 1 <= default_per_page <= max_per_page:
            raise ValueError("need 1 <= default_per_page <= max_per_page")
        self.token = token
        self.default_per_page = default_per_page
        self.max_per_page = max_per_page
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self._clock = clock
        self._sleep = sleep
        self._random = random.Random(seed)
        self._seed = seed
        self._seen: dict[tuple[str, str, bytes], int] = {}  # each request's occurrences
        self._limiter = RateLimiter()
        self._store = Store(
            default_locale=default_locale,
            multilingual=multilingual,
            clock=clock,
            behaviour=behaviour,
        )
        self._router = Router(
            self._store,
            self._random,
            default_per_page=default_per_page,
            max_per_page=max_per_page,
        )
        # One lock around everything mutable: the loopback server answers on many threads.
        self._lock = threading.RLock()

    @property
    def behaviour(self) -> Behaviour:
        """The switches in force for the unknowns of the real API (see ``behaviour``)."""
        return self._store.behaviour

    @behaviour.setter
    def behaviour(self, behaviour: Behaviour) -> None:
        if not isinstance(behaviour, Behaviour):
            raise TypeError(f"behaviour must be a Behaviour, not {type(behaviour).__name__}")
        with self._lock:
            self._store.behaviour = behaviour

    # ---- the Python API tests and the demo use ------------------------------------------

    def add_help_center(
        self, identifier: str, display_name: str | None = None, website_turned_on: bool = True
    ) -> dict[str, Any]:
        """Add a help center (the first one added is the default); its official shape."""
        with self._lock:
            hc = self._store.add_help_center(identifier, display_name, website_turned_on)
            return help_center_shape(hc)

    def add_collection(
        self,
        name: str,
        *,
        help_center_id: str | None = None,
        parent_id: str | None = None,
        description: str = "",
        translated_content: Mapping[str, Mapping[str, str] | None] | None = None,
    ) -> dict[str, Any]:
        """Seed a collection directly (no faults, no request log); its official shape.

        Raises ``Refusal`` for what the API would refuse (unknown parent, too deep, ...).
        The write-side switches of ``behaviour`` apply, as to a POST. Like every shape the
        Python API returns, it reads as a GET would answer it (escaped names, ...).
        """
        body: dict[str, Any] = {"name": name, "description": description, "parent_id": parent_id}
        if help_center_id is not None:
            body["help_center_id"] = int(help_center_id)
        if translated_content is not None:
            body["translated_content"] = {k: _plain(v) for k, v in translated_content.items()}
        with self._lock:
            return self._shape(self._store.create(parse_create(body)))

    def edit_collection(self, id: str, **fields: Any) -> dict[str, Any]:
        """Simulate an edit in Intercom's UI (same fields as PUT); bumps ``updated_at``."""
        with self._lock:
            return self._shape(self._store.update(id, parse_update(fields)))

    def collection(self, id: str) -> dict[str, Any] | None:
        with self._lock:
            record = self._store.records.get(id)
            return None if record is None else self._shape(record)

    def collections(self) -> list[dict[str, Any]]:
        """Every collection in the official shape, in the list endpoint's order.

        Ties of ``updated_at`` keep the stable order (most recent write first) even with
        ``unstable_ties`` on: the Python API never draws from the emulator's dice.
        """
        with self._lock:
            return [self._shape(r) for r in self._store.listing()]

    def add_article(
        self,
        title: str,
        *,
        parent_id: str | None,
        state: ArticleState = "published",
        description: str | None = None,
        body: str | None = None,
        author_id: int | None = None,
        translated_content: Mapping[str, Mapping[str, Any] | None] | None = None,
    ) -> dict[str, Any]:
        """Seed an article in collection ``parent_id`` (None: standing alone), written by
        ``author_id`` (default: the token's admin); its official shape
        (``article_list_item``). The rules and the rewriting of a POST apply; raises
        ``Refusal`` for what the API would refuse (unknown parent or author, blank title, an
        unknown state, a body Intercom refuses...)."""
        fields: dict[str, Any] = {"title": title, "state": state}
        extra = {"description": description, "body": body, "author_id": author_id}
        fields.update({k: v for k, v in extra.items() if v is not None})
        if translated_content is not None:
            fields["translated_content"] = {k: _plain(v) for k, v in translated_content.items()}
        with self._lock:
            if author_id is None:
                fields["author_id"] = int(self._store.admins.me().id)
            parsed = replace(parse_article_create(fields), parent_id=parent_id)
            return self._article(self._store.articles.create(parsed))

    def edit_article(self, id: str, **fields: Any) -> dict[str, Any]:
        """Simulate an edit in Intercom's UI (same fields as PUT, ``parent_id`` a string);
        bumps ``updated_at``; the article's official shape (``article``)."""
        with self._lock:
            record = self._store.articles.update(id, parse_article_update(fields))
            return self._article(record, full=True)

    def delete_article(self, id: str) -> None:
        with self._lock:
            self._store.articles.delete(id)

    def article(self, id: str) -> dict[str, Any] | None:
        """One article as ``GET /articles/{id}`` answers it, or None."""
        with self._lock:
            record = self._store.articles.records.get(id)
            return None if record is None else self._article(record, full=True)

    def articles(self) -> list[dict[str, Any]]:
        """Every article in the official shape, in the list endpoint's order (ties stable).
        Each call is a read: image URLs are signed afresh (``signed_image_urls``)."""
        with self._lock:
            return [self._article(r) for r in self._store.articles.listing()]

    def add_admin(self, name: str, email: str, *, id: int | None = None) -> dict[str, Any]:
        """Add a teammate who may author articles; its ``admin`` shape. The workspace starts
        with one admin, the token's own (``GET /me``). ``ValueError`` for a taken email."""
        with self._lock:
            return admin_shape(self._store.admins.add(name, email, id))

    def admins(self) -> list[dict[str, Any]]:
        with self._lock:
            return [admin_shape(a) for a in self._store.admins.listing()]

    @property
    def multilingual(self) -> bool:
        """Whether the workspace has multilingual on: off, answers carry no
        ``translated_content`` (articles) and no ``default_locale``. Can be flipped."""
        return self._store.multilingual

    @multilingual.setter
    def multilingual(self, on: bool) -> None:
        with self._lock:
            self._store.multilingual = on

    @property
    def image_hosts_down(self) -> set[str]:
        """Hosts whose images cannot be fetched: an article body with an image there is a
        400. Mutable: ``emu.image_hosts_down.add("img.example.com")``."""
        return self._store.articles.hosts_down

    @property
    def transport(self) -> httpx.BaseTransport:
        """An in-process transport: ``httpx.Client(transport=emu.transport)``."""
        return httpx.MockTransport(self.handle)

    # ---- HTTP ---------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as Intercom would (see the module docstring for the order)."""
        latency = self.faults.latency
        if latency > 0:
            self._sleep(latency)  # outside the lock: slow requests must not serialise others
        raw = request.read()
        with self._lock:
            try:
                body: Any = json.loads(raw) if raw else None
                bad_json = False
            except (ValueError, UnicodeDecodeError):
                body, bad_json = raw.decode("utf-8", "replace"), True
            dice = self._dice(request, raw)
            status, payload, headers = self._answer(request, body, bad_json, dice)
            self.requests.append(
                RecordedRequest(
                    method=request.method,
                    path=request.url.path,
                    query=dict(request.url.params),
                    headers={
                        k.lower(): (REDACTED if k.lower() == "authorization" else v)
                        for k, v in request.headers.items()
                    },
                    body=body,
                    status=status,
                )
            )
        content = json.dumps(payload).encode()
        headers = {**headers, "Content-Type": "application/json; charset=utf-8"}
        return httpx.Response(status, headers=headers, content=content, request=request)

    def _dice(self, request: httpx.Request, raw: bytes) -> random.Random:
        """The fault dice of one request: drawn from the seed, the request (method, URL,
        body) and how many times the same request came before, never from the order requests
        arrive in. Concurrent requests (pages, a listing beside the help centers) then meet
        the same faults in every run: a seeded run is reproducible."""
        key = (request.method, str(request.url), raw)
        seen = self._seen.get(key, 0)
        self._seen[key] = seen + 1
        return random.Random(f"{self._seed}|{key[0]}|{key[1]}|{raw!r}|{seen}")

    def _answer(
        self, request: httpx.Request, body: Any, bad_json: bool, dice: random.Random
    ) -> tuple[int, Payload, dict[str, str]]:
        now = self._clock()
        limit = self.faults.rate_limit
        if not self._authorised(request.headers.get("authorization", "")):
            budget = self._limiter.peek(now, limit)
            return _error(401, "unauthorized", "Access Token Invalid", budget.headers())
        version = request.headers.get("intercom-version")
        if version is not None and version != API_VERSION:  # absent: the app's default
            budget = self._limiter.peek(now, limit)
            message = f"Intercom-Version must be {API_VERSION}; this emulator speaks only that."
            return _error(400, "intercom_version_invalid", message, budget.headers())
        budget = self._limiter.take(now, limit)
        headers = budget.headers()
        if not budget.allowed:
            return _error(429, "rate_limit_exceeded", "Rate Limit Exceeded", headers)
        if self._happens(self.faults.error_rate, dice):
            status, code, message = dice.choice(_SERVER_ERRORS)
            return _error(status, code, message, headers)
        try:
            if bad_json:
                raise Refusal(400, "parameter_invalid", "The request body is not valid JSON.")
            status, payload = self._router.route(request, body, headers)
        except Refusal as refusal:
            return _error(refusal.status, refusal.code, refusal.message, headers)
        if (
            request.method == "POST"
            and status == 200
            and self._happens(self.faults.commit_then_502, dice)
        ):
            # The collection or article now exists, but the client cannot know: the
            # ambiguous failure.
            return _error(502, "bad_gateway", "Bad Gateway", headers)
        return status, payload, headers

    def _authorised(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        return self.token is None or token.strip() == self.token

    @staticmethod
    def _happens(rate: float, dice: random.Random) -> bool:
        # Draw only when the fault is on, so switching one on never shifts another's dice.
        return rate > 0 and dice.random() < rate

    def _shape(self, record: Collection) -> Payload:
        return collection_shape(self._store, record, self.behaviour)

    def _article(self, record: Article, *, full: bool = False) -> Payload:
        return article_shape(self._store, record, full=full)


def _plain(entry: Mapping[str, str] | None) -> dict[str, str] | None:
    return None if entry is None else dict(entry)


def _error(
    status: int, code: str, message: str, headers: dict[str, str]
) -> tuple[int, Payload, dict[str, str]]:
    payload = {
        "type": "error.list",
        "request_id": str(uuid.uuid4()),
        "errors": [{"code": code, "message": message}],
    }
    return status, payload, headers
