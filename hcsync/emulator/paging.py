"""Paging of the emulator's list endpoints, and the order of tied ``updated_at``.

Owns: reading ``page``/``per_page`` from a query (positive integers; a ``per_page`` above the
maximum clamped or refused, ``Behaviour.per_page_over_max``), cutting one page out of a
list, the ``pages`` object of the collection and article lists (``next`` as a full URL
while there is a next page; ``total_pages`` unless ``Behaviour.total_pages`` is off) and
shuffling groups of equal ``updated_at`` (``Behaviour.unstable_ties``).
Must not: know about records, shapes or HTTP beyond the request URL, or draw random numbers
from anything but the generator it is handed (the emulator's seeded one).

``pages.next``: people who ran against the live API report (and Intercom support says to
follow it) a full URL to the next page, absent on the last page, e.g.
``https://api.intercom.io/help_center/collections?page=2&per_page=20``; it is built from the
request's own scheme, host and path, so over loopback it points back at the emulator. The
2.10 description's ``cursor_pages`` types ``next`` as a ``starting_after_paging`` object
instead; the reports win, as they describe the server, and Intercom's own Python SDK (4 and
5: ``OffsetPages.next`` is a string) agrees with them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, TypeVar

import httpx

from .behaviour import PerPageOverMax
from .state import Refusal

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    """Which page a list request asked for, with ``per_page`` as the emulator honours it."""

    page: int
    per_page: int

    def cut(self, items: Sequence[T]) -> list[T]:
        start = (self.page - 1) * self.per_page
        return list(items[start : start + self.per_page])


def page_request(
    params: httpx.QueryParams,
    *,
    default_per_page: int,
    max_per_page: int,
    over_max: PerPageOverMax,
) -> PageRequest:
    page = _positive(params.get("page"), "page", 1)
    per_page = _positive(params.get("per_page"), "per_page", default_per_page)
    if per_page > max_per_page:
        if over_max == "reject":
            raise Refusal(400, "parameter_invalid", f"per_page must be at most {max_per_page}.")
        per_page = max_per_page  # clamped; pages.per_page says what was used
    return PageRequest(page, per_page)


def pages_object(
    url: httpx.URL, wanted: PageRequest, total: int, *, total_pages: bool
) -> dict[str, Any]:
    """A list's ``pages``: ``type``, ``next`` (if any), ``page``, ``per_page``..."""
    count = -(-total // wanted.per_page)  # 0 when there is nothing
    pages: dict[str, Any] = {"type": "pages"}
    if wanted.page < count:
        following = {"page": str(wanted.page + 1), "per_page": str(wanted.per_page)}
        pages["next"] = str(url.copy_with(query=None, fragment=None).copy_merge_params(following))
    pages["page"] = wanted.page
    pages["per_page"] = wanted.per_page
    if total_pages:
        pages["total_pages"] = count
    return pages


def shuffle_ties(items: list[T], key: Callable[[T], object], rng: random.Random) -> list[T]:
    """``items`` (sorted on ``key``) with each run of equal keys in a fresh random order."""
    out: list[T] = []
    for _, group in groupby(items, key=key):
        tied = list(group)
        rng.shuffle(tied)
        out.extend(tied)
    return out


def _positive(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise Refusal(400, "parameter_invalid", f"{name} must be a positive integer.")
    return int(value)
