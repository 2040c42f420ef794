"""The pipeline's middle, in one place: live state in, plan out.

``plan``, ``apply`` (before it starts and again to prove convergence) and the tests all
compute a plan the same way: fetch the chosen help center's collections, then diff the
desired config against them. This module owns that composition and nothing else: it adds
what the live state has to say (``LiveState.warnings``: collections whose help center cannot
be told) to the plan's warnings, and holds back any top-level create named like one of those
unowned collections (it could duplicate it), saying so; and when the plan deletes, counts
the articles in each deleted collection. It neither prints nor decides what a plan means.

A command usually hands it a listing started early (``live.EarlyListing``), while the file
was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from hcsync.client import IntercomClient
from hcsync.collector import burst
from hcsync.config import Config
from hcsync.diff import build_plan
from hcsync.kinds import ARTICLE_KIND, ARTICLES, COLLECTION
from hcsync.kinds.article.kind import articles_in_scope as articles_in_scope
from hcsync.live import Listing, LiveState, live_state, read_listing
from hcsync.model import collection_id, name_key, parent_ref
from hcsync.order import schedule
from hcsync.plan import Plan
from hcsync.resource import Identity


@dataclass(frozen=True)
class Planned:
    """A plan and the live state it was computed from."""

    plan: Plan
    live: LiveState
    raw: Mapping[str, Sequence[Mapping[str, Any]]]  # the raw live items planned from, by kind


def raw_by_kind(live: LiveState) -> dict[str, Sequence[Mapping[str, Any]]]:
    """The chosen help center's raw live collections, by kind (articles are listed apart,
    and only for a config that manages them: ``plan_against_live``)."""
    return {COLLECTION.name: live.collections}


def _monolingual(
    config: Config, listed: Sequence[Mapping[str, Any]]
) -> tuple[Config, tuple[str, ...]]:
    """The config without its article translations, and a warning, when Intercom answers
    articles with no ``translated_content`` at all: multilingual is off for the workspace,
    so a translation would be planned again on every run. Unchanged otherwise (with no live
    article yet, nothing can be told: the first creates send the translations)."""
    assert config.articles is not None
    translated = sum(len(a.translations) for a in config.articles.articles)
    if not translated or not listed or any("translated_content" in a for a in listed):
        return config, ()
    plain = tuple(replace(a, translations=MappingProxyType({})) for a in config.articles.articles)
    return replace(config, articles=replace(config.articles, articles=plain)), (
        "multilingual is off for this workspace (Intercom answers articles with no"
        f" translated_content): the {translated} translation"
        f"{'s' if translated != 1 else ''} in the article files"
        f" {'are' if translated != 1 else 'is'} neither compared nor sent;"
        " turn multilingual on in Intercom to manage them",
    )


def authors(admins: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Admin email (lower case) and id -> id: how an article's ``author:`` resolves."""
    out: dict[str, str] = {}
    for admin in admins:
        aid = collection_id(admin.get("id"))
        if aid is None:
            continue
        out[aid] = aid
        email = admin.get("email")
        if isinstance(email, str) and email:
            out[email.lower()] = aid
    return out


def plan_against_live(
    config: Config,
    client: IntercomClient,
    *,
    help_center: str | None = None,
    listing: Listing | None = None,
) -> Planned:
    """Plan against the config's help center (or ``help_center``): from ``listing`` when it
    was read already (``live.EarlyListing``), else from a fresh one."""
    listing = read_listing(client) if listing is None else listing
    live = live_state(listing, help_center if help_center is not None else config.help_center)
    raw = raw_by_kind(live)
    managing_articles = config.articles is not None
    off: tuple[str, ...] = ()
    if config.articles is not None:
        pins = {a.id for a in config.articles.articles if a.id is not None}
        admins, listed = _articles_listing(config, client)
        config = replace(config, authors=authors(admins))
        raw[ARTICLE_KIND.name] = articles_in_scope(listed, live.collections, pins)
        config, off = _monolingual(config, raw[ARTICLE_KIND.name])
    plan = build_plan(
        config,
        raw,
        help_center=live.help_center.identifier,
        help_center_id=live.help_center.id,
    )
    plan, held = _without_possible_duplicates(plan, live)
    notes = live.warnings + held + off
    if notes:
        plan = replace(plan, warnings=plan.warnings + notes)
    if plan.of_kind("delete") and not managing_articles:
        # What Intercom does with the articles of a deleted collection is undocumented
        # (refuse, orphan them, or delete them): count them, so the plan shows them and
        # apply refuses such a delete unless forced. Only when something is deleted: the
        # articles list spans the whole workspace. A file that manages articles plans
        # their deletes itself, before their collection's.
        plan = plan.with_articles(articles_by_collection(client.list_articles()))
    return Planned(plan, live, raw)


def _articles_listing(
    config: Config, client: IntercomClient
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The admins and every article, read at the same time while the article files' bodies
    are rendered and checked (``ResourceKind.prepare``): their round trips hide behind that
    work. An error of the admins is the one raised, as when they were read first. On an
    interrupt (Ctrl-C) the client is stopped, so the listing sends nothing more and the
    process is not kept waiting for it; an ordinary error leaves the client usable, as a
    library caller may try again with it."""
    with (
        burst(),  # the bodies' work allocates much and frees little, as the plan does
        ThreadPoolExecutor(max_workers=2, thread_name_prefix="hcsync-articles") as pool,
    ):
        admins = pool.submit(client.list_admins)
        listed = pool.submit(client.list_all, ARTICLES)
        try:
            # Only work done ahead: planning does it again, and reports what goes wrong where
            # it belongs (at the file's line), or for a translation it will not plan, never.
            with suppress(Exception):
                ARTICLE_KIND.for_config(config).prepare(config)
            return admins.result(), listed.result()
        except (KeyboardInterrupt, SystemExit):
            client.stop()
            raise


def articles_by_collection(articles: Iterable[Mapping[str, Any]]) -> dict[Identity, int]:
    """How many articles sit directly in each collection, by collection identity."""
    counts: dict[Identity, int] = {}
    for article in articles:
        parent = parent_ref(article.get("parent_id"))
        if parent is not None:
            key = (COLLECTION.name, parent)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _without_possible_duplicates(plan: Plan, live: LiveState) -> tuple[Plan, tuple[str, ...]]:
    """The plan minus each top-level create named like an unowned top-level collection (and
    everything planned under it), and a warning for each.

    An unowned collection may be this help center's after all (its help center cannot be
    told), so creating one of the same name could make a second copy, and again on every
    run: the one thing a listing must never cause. Holding the create back costs nothing
    that cannot be done by hand once the doubt is resolved.
    """
    unowned: dict[str, list[str]] = {}
    for item in live.unowned:
        cid = collection_id(item.get("id"))
        if cid is not None and parent_ref(item.get("parent_id")) is None:
            unowned.setdefault(name_key(str(item.get("name") or "")), []).append(cid)
    held = {
        change.path
        for change in plan.changes
        if change.kind == "create"
        and change.resource == COLLECTION.name
        and len(change.path) == 1
        and name_key(change.name) in unowned
    }
    if not held:
        return plan, ()
    # A child of a held create is created or moved under it: it cannot happen either.
    keep = tuple(
        change for change in plan.changes if change.kind == "delete" or change.path[:1] not in held
    )
    notes = []
    for (name,) in sorted(held):
        below = (
            sum(
                1
                for change in plan.changes
                if change.kind != "delete" and change.path[:1] == (name,)
            )
            - 1
        )
        more = f", nor the {below} change{'s' if below != 1 else ''} under it" if below else ""
        notes.append(
            f"{name!r} is not created{more}: a top-level collection of that name without a "
            f"help_center_id exists (id {', '.join(unowned[name_key(name)])}) and may be this help "
            "center's, so creating another could duplicate it"
        )
    # The changes left must still be reachable in one apply (a delete may have waited for a
    # held move), and the moves through the top level are theirs now: order them again.
    parked = schedule(keep, plan.live_tree).parked
    return replace(plan, changes=keep, parked=parked), tuple(notes)
