"""Routing the emulator's endpoints to the store, and the answers they give.

Owns: the route table (path pattern, endpoint, allowed methods: a known path with another
method is a 405 with ``Allow``), what each endpoint does with the store and which shape it
answers with, and the paged list answers (``collection_list``/``article_list``: ``data``,
``total_count``, ``pages``; newest ``updated_at`` first, ties shuffled with
``Behaviour.unstable_ties``).
Must not: authenticate, rate-limit, inject faults or log requests (``app`` does all four
before and after routing), take the lock (``app`` holds it), or import hcsync modules.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import httpx

from .articles import Article
from .bodies import parse_article_create, parse_article_update, parse_create, parse_update
from .paging import PageRequest, page_request, pages_object, shuffle_ties
from .refusals import Refusal, not_found
from .shapes import admin_shape, article_shape, collection_shape, help_center_shape, me_shape
from .state import Collection, Store

Payload = dict[str, Any]

_ROUTES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (re.compile(r"/help_center/help_centers"), "help_centers", ("GET",)),
    (re.compile(r"/help_center/help_centers/([^/]+)"), "help_center", ("GET",)),
    (re.compile(r"/help_center/collections"), "collections", ("GET", "POST")),
    (re.compile(r"/help_center/collections/([^/]+)"), "collection", ("GET", "PUT", "DELETE")),
    (re.compile(r"/articles"), "articles", ("GET", "POST")),
    (re.compile(r"/articles/([^/]+)"), "article", ("GET", "PUT", "DELETE")),
    (re.compile(r"/admins"), "admins", ("GET",)),
    (re.compile(r"/me"), "me", ("GET",)),
)


class _Listed(Protocol):
    updated_at: int


Listed = TypeVar("Listed", bound=_Listed)


class Router:
    """Answers a request that got past authentication, the rate limit and the faults."""

    def __init__(
        self, store: Store, rng: random.Random, *, default_per_page: int, max_per_page: int
    ) -> None:
        self._store = store
        self._random = rng  # the emulator's seeded generator, for unstable_ties
        self.default_per_page = default_per_page
        self.max_per_page = max_per_page

    def route(
        self, request: httpx.Request, body: Any, headers: dict[str, str]
    ) -> tuple[int, Payload]:
        path = request.url.path.rstrip("/") or "/"
        method = request.method.upper()
        for pattern, name, methods in _ROUTES:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if method not in methods:
                headers["Allow"] = ", ".join(methods)
                raise Refusal(405, "method_not_allowed", f"{method} is not allowed on {path}.")
            arg = match.group(1) if match.groups() else ""
            return 200, self._endpoint(name, method, arg, request, body)
        raise not_found()

    def _endpoint(
        self, name: str, method: str, id: str, request: httpx.Request, body: Any
    ) -> Payload:
        store = self._store
        if name == "help_centers":
            wanted = self._page_request(request.url.params)
            help_centers = wanted.cut(list(store.help_centers.values()))
            return {"type": "list", "data": [help_center_shape(hc) for hc in help_centers]}
        if name == "help_center":
            return help_center_shape(store.help_center(id))
        if name == "articles" and method == "GET":
            return self._list(request.url, store.articles.listing(), self._article)
        if name == "articles":
            return self._article(store.articles.create(parse_article_create(body)), full=True)
        if name == "article":
            return self._article_endpoint(method, id, body)
        if name == "admins":
            admins = [admin_shape(a) for a in store.admins.listing()]
            return {"type": "admin.list", "admins": admins}
        if name == "me":
            return me_shape(store)
        if name == "collections" and method == "GET":
            return self._list(request.url, store.listing(), self._shape)
        if name == "collections":
            return self._shape(store.create(parse_create(body)))
        if method == "GET":
            return self._shape(store.get(id))
        if method == "PUT":
            return self._shape(store.update(id, parse_update(body)))
        store.delete(id)
        return {"id": id, "object": "collection", "deleted": True}

    def _article_endpoint(self, method: str, id: str, body: Any) -> Payload:
        articles = self._store.articles
        if method == "GET":
            return self._article(articles.get(id), full=True)
        if method == "PUT":
            return self._article(articles.update(id, parse_article_update(body)), full=True)
        articles.delete(id)
        return {"id": id, "object": "article", "deleted": True}

    def _list(
        self, url: httpx.URL, listing: Sequence[Listed], shape: Callable[[Listed], Payload]
    ) -> Payload:
        """A paged list answer of ``listing`` (newest first), ``shape`` rendering each."""
        wanted = self._page_request(url.params)
        records = list(listing)
        if self._store.behaviour.unstable_ties:
            records = shuffle_ties(records, lambda r: r.updated_at, self._random)
        return {
            "type": "list",
            "data": [shape(r) for r in wanted.cut(records)],
            "total_count": len(records),
            "pages": pages_object(
                url, wanted, len(records), total_pages=self._store.behaviour.total_pages
            ),
        }

    def _page_request(self, params: httpx.QueryParams) -> PageRequest:
        return page_request(
            params,
            default_per_page=self.default_per_page,
            max_per_page=self.max_per_page,
            over_max=self._store.behaviour.per_page_over_max,
        )

    def _shape(self, record: Collection) -> Payload:
        return collection_shape(self._store, record, self._store.behaviour)

    def _article(self, record: Article, *, full: bool = False) -> Payload:
        return article_shape(self._store, record, full=full)
