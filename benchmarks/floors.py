"""The floors: the fewest round trips the work allows, whatever the client does.

Owns: the round trips of a listing (help centers, then the collection pages
``parallelism`` at a time; for articles, admins beside the help centers and the article
pages beside the collection pages), and of creating a tree when siblings are created one after
another in file order and children after their parent (the critical path alone, and level
by level after a listing, as apply does). Must not time or print anything.
"""

from __future__ import annotations

import math

from benchmarks.trees import Entry, walk
from hcsync.limits import MAX_PER_PAGE

PAGE_SIZE = MAX_PER_PAGE  # Intercom's documented maximum per_page, what hcsync asks for


def pages(collections: int) -> int:
    """Pages of the collection list at the largest page size (an empty list is one page)."""
    return max(1, math.ceil(collections / PAGE_SIZE))


def listing_round_trips(collections: int, parallelism: int) -> int:
    """Help centers, then every page of collections, ``parallelism`` pages at a time."""
    return 1 + math.ceil(pages(collections) / parallelism)


def articles_listing_round_trips(collections: int, articles: int, parallelism: int) -> int:
    """Help centers and admins beside each other, then every page of collections and of
    articles, ``parallelism`` pages at a time: what planning articles must read."""
    return 1 + math.ceil((pages(collections) + pages(articles)) / parallelism)


def create_chain(entries: list[Entry], start: int = 0) -> int:
    """Round trips until the last create of ``entries`` answers, when sibling ``k`` (from 1)
    is created at ``start + k`` and its children's lane starts once it exists."""
    longest = start
    for k, entry in enumerate(entries, 1):
        longest = max(longest, create_chain(entry.children, start + k))
    return longest


def create_round_trips(entries: list[Entry], parallelism: int) -> int:
    """The critical path of creating ``entries``, and no fewer than ``parallelism`` at once
    allows."""
    return max(create_chain(entries), math.ceil(len(walk(entries)) / parallelism))


def levels(entries: list[Entry]) -> list[list[list[Entry]]]:
    """The tree's sibling groups level by level: ``[level][group][sibling]``."""
    out: list[list[list[Entry]]] = []
    groups = [entries] if entries else []
    while groups:
        out.append(groups)
        groups = [entry.children for group in groups for entry in group if entry.children]
    return out


def wave_round_trips(entries: list[Entry], parallelism: int, collections: int = 0) -> int:
    """Round trips of creating ``entries`` under both orders hcsync keeps: siblings one after
    another in file order, and a level's creates only after a fresh listing of the help
    center (``collections`` there before the first) finds no second writer. A level then
    takes its longest sibling group, and no fewer than ``parallelism`` at once allows."""
    total = 0
    existing = collections
    for groups in levels(entries):
        calls = sum(len(group) for group in groups)
        longest = max(len(group) for group in groups)
        total += listing_round_trips(existing, parallelism)
        total += max(longest, math.ceil(calls / parallelism))
        existing += calls
    return total
