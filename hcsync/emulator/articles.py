"""The emulator's articles: the record and its store, as much as the emulator models so far.

Owns: the ``Article`` record (title, the collection it sits in, state, timestamps; what the
official shape shows beyond that is filled in by ``shapes``), article ids, the write
sequence, the list order (newest ``updated_at`` first, the most recent write first on a
tie) and the two things a collection's delete can do to its articles: orphan them (parent
gone, ``updated_at`` bumped) or remove them.
Must not: check anything about collections or decide what a collection's delete does
(``state.Store`` holds this store and keeps those rules), render answers (``shapes`` does),
take a lock, know about HTTP, or import other hcsync modules.

So far articles are seeded through the Python API and listed (``GET /articles``); creating,
reading one, updating and deleting them over HTTP come with a later issue: the record grows
here, the rules in ``state``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, get_args

ArticleState = Literal["published", "draft"]
STATES: tuple[str, ...] = get_args(ArticleState)
# The emulator models no admins; every article is written by this one (the 2.10
# description's own example author).
AUTHOR_ID = 991267797
_FIRST_ID = 60001  # apart from collection ids (7001...), so a test never mistakes one for the other


@dataclass
class Article:
    id: str
    title: str
    parent_id: str | None  # the collection it sits in directly; None: it stands alone
    state: ArticleState
    description: str = ""
    body: str = ""
    author_id: int = AUTHOR_ID
    created_at: int = 0
    updated_at: int = 0
    seq: int = 0  # write sequence: breaks updated_at ties, most recent write first


class Articles:
    """Every article of one emulated workspace."""

    def __init__(self, now: Callable[[], int]) -> None:
        self._now = now
        self.records: dict[str, Article] = {}
        self._next_id = _FIRST_ID
        self._seq = 0

    def add(self, title: str, parent_id: str | None, state: ArticleState) -> Article:
        """A new article; the caller has checked the title, the state and the parent."""
        record = Article(
            id=str(self._next_id),
            title=title,
            parent_id=parent_id,
            state=state,
            created_at=self._now(),
        )
        self._next_id += 1
        self._touch(record)
        self.records[record.id] = record
        return record

    def listing(self) -> list[Article]:
        """All articles, as the list endpoint orders them: newest ``updated_at`` first."""
        return sorted(self.records.values(), key=lambda r: (r.updated_at, r.seq), reverse=True)

    def in_collection(self, collection_id: str) -> list[Article]:
        """The articles directly in that collection (not in its descendants)."""
        return [r for r in self.records.values() if r.parent_id == collection_id]

    def orphan(self, articles: Iterable[Article]) -> None:
        """Take each out of its collection: it stays, standing alone (and so unlisted)."""
        for record in articles:
            record.parent_id = None
            self._touch(record)

    def remove(self, articles: Iterable[Article]) -> None:
        for record in list(articles):
            del self.records[record.id]

    def _touch(self, record: Article) -> None:
        self._seq += 1
        record.seq = self._seq
        record.updated_at = self._now()
