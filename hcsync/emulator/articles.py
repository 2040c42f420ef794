"""The emulator's articles: the records, their store and the rules Intercom keeps for them.

Owns: the ``Article`` record (the default locale's title, description, body, author and
state, the collection it sits in, timestamps) and its other locales (``Text``), article
ids, the write sequence, the list order (newest ``updated_at`` first, the most recent write
first on a tie), the typed input of a write (``ArticleFields``, built by ``bodies``), the
rules of a create or update (``title`` and ``author_id`` required on create, from the body or
the default locale's entry; an author is a known admin; a parent is an existing collection;
``state`` defaults to draft; ``translated_content`` merged per locale, ``null_locale`` and
``translations_on_put`` as for collections; a write is all or nothing), storing bodies
through ``rewriting`` with the rules of ``Behaviour``, signing image URLs on read (a fresh
signature every time) and the two things a collection's delete can do to its articles:
orphan them (parent gone, ``updated_at`` bumped) or remove them.
Must not: decide what a collection's delete does (``state.Store`` does, and hands this store
the two questions it cannot answer itself: does this collection exist, is this an admin),
render answers (``shapes`` does), take a lock, know about HTTP, or import hcsync modules.

An article's ``updated_at`` moves on every write; a locale's own ``updated_at`` only when a
write touches that locale (the default locale's is the article's). While a workspace is not
multilingual, translations are still accepted and kept, only never shown (``shapes``).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from .behaviour import Behaviour
from .refusals import invalid, missing, not_found
from .rewriting import Rules
from .rewriting import signed as signed_body
from .rewriting import store as stored_body

ArticleState = Literal["published", "draft"]
STATES: tuple[str, ...] = get_args(ArticleState)
_FIRST_ID = 60001  # apart from collection ids (7001...), so a test never mistakes one for the other
SIGNATURE_LIFETIME = 600  # seconds a signed image URL is said to stay valid


@dataclass(frozen=True)
class Content:
    """One locale's entry of ``translated_content`` as a request sent it (None: not sent)."""

    title: str | None = None
    description: str | None = None
    body: str | None = None
    author_id: int | None = None
    state: ArticleState | None = None


@dataclass(frozen=True)
class ArticleFields:
    """The fields of one article create or update; ``given`` says which keys were sent."""

    title: str | None = None
    description: str | None = None
    body: str | None = None
    author_id: int | None = None
    state: ArticleState | None = None
    parent_id: str | None = None
    translations: Mapping[str, Content | None] = field(default_factory=dict)
    given: frozenset[str] = frozenset()

    def main(self) -> Content:
        return Content(self.title, self.description, self.body, self.author_id, self.state)


@dataclass
class Text:
    """A locale's content other than the default locale's (that one is the article's own)."""

    title: str
    description: str
    body: str  # as stored: rewritten
    author_id: int
    state: ArticleState
    created_at: int
    updated_at: int


@dataclass
class Article:
    id: str
    title: str
    parent_id: str | None  # the collection it sits in directly; None: it stands alone
    state: ArticleState
    description: str = ""
    body: str = ""  # as stored: rewritten
    author_id: int = 0
    created_at: int = 0
    updated_at: int = 0
    seq: int = 0  # write sequence: breaks updated_at ties, most recent write first
    translations: dict[str, Text] = field(default_factory=dict)


class Articles:
    """Every article of one emulated workspace."""

    def __init__(
        self,
        now: Callable[[], int],
        *,
        default_locale: str,
        behaviour: Callable[[], Behaviour],
        collection_exists: Callable[[str], bool],
        admin_exists: Callable[[int], bool],
        hosts_down: set[str],
    ) -> None:
        self._now = now
        self._default_locale = default_locale
        self._behaviour = behaviour
        self._collection_exists = collection_exists
        self._admin_exists = admin_exists
        self.hosts_down = hosts_down  # mutable on purpose: a test takes a host down
        self.records: dict[str, Article] = {}
        self._next_id = _FIRST_ID
        self._seq = 0
        self._reads = 0

    # ---- reads --------------------------------------------------------------------------

    def get(self, id: str) -> Article:
        record = self.records.get(id)
        if record is None:
            raise not_found()
        return record

    def listing(self) -> list[Article]:
        """All articles, as the list endpoint orders them: newest ``updated_at`` first."""
        return sorted(self.records.values(), key=lambda r: (r.updated_at, r.seq), reverse=True)

    def in_collection(self, collection_id: str) -> list[Article]:
        """The articles directly in that collection (not in its descendants)."""
        return [r for r in self.records.values() if r.parent_id == collection_id]

    def readable(self, body: str) -> str:
        """``body`` as a read shows it: each CDN image URL freshly signed, if switched on."""
        behaviour = self._behaviour()
        if not (behaviour.rewrite_html and behaviour.signed_image_urls):
            return body
        return signed_body(body, self._sign)

    # ---- writes -------------------------------------------------------------------------

    def create(self, fields: ArticleFields) -> Article:
        default = self._default_entry(fields)
        main = fields.main()
        author_id = main.author_id if main.author_id is not None else default.author_id
        if author_id is None:
            raise missing(
                "author_id must be in the main body or default locale translated_content object"
            )
        title = main.title if main.title is not None else default.title
        if title is None:
            raise missing(
                "title must be in the main body or default locale translated_content object"
            )
        now = self._now()
        record = Article(
            id=str(self._next_id),
            title=title,
            parent_id=self._parent(fields.parent_id),
            state="draft",
            author_id=author_id,
            created_at=now,
        )
        self._apply(record, default)
        self._apply(record, main)
        self._translate(record, fields)
        self._next_id += 1
        self._touch(record)
        self.records[record.id] = record
        return record

    def update(self, id: str, fields: ArticleFields) -> Article:
        # All or nothing: the rules run on a copy, which replaces the record only if all pass.
        record = copy.deepcopy(self.get(id))
        if "translated_content" in fields.given and (
            self._behaviour().translations_on_put == "replace"
        ):
            record.translations = {}  # the object sent is the whole new value
        self._apply(record, self._default_entry(fields))
        self._apply(record, fields.main())
        if "parent_id" in fields.given:
            record.parent_id = self._parent(fields.parent_id)
        self._translate(record, fields)
        self._touch(record)  # every successful write bumps updated_at, as for collections
        self.records[id] = record
        return record

    def delete(self, id: str) -> None:
        self.get(id)
        del self.records[id]

    def orphan(self, articles: Iterable[Article]) -> None:
        """Take each out of its collection: it stays, standing alone (and so unlisted)."""
        for record in articles:
            record.parent_id = None
            self._touch(record)

    def remove(self, articles: Iterable[Article]) -> None:
        for record in list(articles):
            del self.records[record.id]

    # ---- helpers ------------------------------------------------------------------------

    def _default_entry(self, fields: ArticleFields) -> Content:
        locale = self._default_locale
        if locale not in fields.translations:
            return Content()
        entry = fields.translations[locale]
        if entry is None:
            raise invalid(
                f"translated_content.{locale} is the default locale's content and cannot be "
                "cleared."
            )
        return entry

    def _apply(self, target: Article | Text, content: Content, where: str = "") -> None:
        """``content``'s fields onto one locale's text: the default locale's (the record's
        own) or a translation's."""
        if content.title is not None:
            target.title = self._title(content.title, where)
        if content.description is not None:
            target.description = content.description
        if content.body is not None:
            target.body = self._stored(content.body)
        if content.author_id is not None:
            target.author_id = self._author(content.author_id, where)
        if content.state is not None:
            target.state = content.state

    def _translate(self, record: Article, fields: ArticleFields) -> None:
        now = self._now()
        for locale, entry in fields.translations.items():
            where = f"translated_content.{locale}."
            if locale == self._default_locale:
                continue
            if entry is None:
                null_locale = self._behaviour().null_locale
                if null_locale == "reject":
                    raise invalid(f"translated_content.{locale} must be an object, not null.")
                if null_locale == "delete":
                    record.translations.pop(locale, None)
                continue
            text = record.translations.get(locale)
            if text is None:
                if entry.title is None:
                    raise missing(f"{where}title is required for a new translation.")
                text = Text(
                    title="",
                    description="",
                    body="",
                    author_id=record.author_id,
                    state="draft",
                    created_at=now,
                    updated_at=now,
                )
            self._apply(text, entry, where)
            text.updated_at = now
            record.translations[locale] = text

    @staticmethod
    def _title(title: str, where: str) -> str:
        if not title.strip():
            raise invalid(f"{where}title cannot be blank.")
        return title

    def _author(self, author_id: int, where: str) -> int:
        if not self._admin_exists(author_id):
            raise invalid(f"{where}author_id {author_id} is not an admin of this workspace.")
        return author_id

    def _parent(self, parent_id: str | None) -> str | None:
        if parent_id is not None and not self._collection_exists(parent_id):
            raise invalid(f"parent_id {parent_id} is not an existing collection.")
        return parent_id

    def _stored(self, body: str) -> str:
        behaviour = self._behaviour()
        rules = Rules(
            rewrite=behaviour.rewrite_html,
            heading_levels=behaviour.heading_levels,
            hosts_down=frozenset(h.lower() for h in self.hosts_down),
        )
        return stored_body(body, rules)

    def _sign(self, url: str) -> str:
        self._reads += 1  # the counter makes two reads in the same second differ too
        expires = self._now() + SIGNATURE_LIFETIME
        digest = hashlib.sha256(f"{url}|{expires}|{self._reads}".encode()).hexdigest()[:40]
        return f"{url}?expires={expires}&signature={digest}"

    def _touch(self, record: Article) -> None:
        self._seq += 1
        record.seq = self._seq
        record.updated_at = self._now()
