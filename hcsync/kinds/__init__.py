"""The kinds of Help Center item hcsync manages, one module each, registered on import.

Importing this package registers every built-in kind with ``hcsync.resource``; the engine
never imports it (a test holds it to that). Adding a kind is a checklist in
``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

from hcsync.kinds.article.kind import ARTICLE_KIND, ARTICLES, ArticleKind
from hcsync.kinds.collection import COLLECTION, CollectionKind

__all__ = ["ARTICLES", "ARTICLE_KIND", "COLLECTION", "ArticleKind", "CollectionKind"]
