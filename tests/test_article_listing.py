"""How a plan that manages articles reads them: the admins and the articles at once, while
the article files' bodies are rendered and checked, and with the same outcome as one after
another.

The client talks to the emulator through a handler that can hold a request back, so the
order of requests is observed, never timed.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from support import FakeTime, client_for, with_articles

from hcsync.client import Stopped
from hcsync.config import load_config
from hcsync.emulator import Emulator
from hcsync.errors import ApiError
from hcsync.kinds import ARTICLE_KIND
from hcsync.kinds.article import forget_bodies
from hcsync.pipeline import authors, plan_against_live

CONFIG = """\
help_center: acme
default_author: {author}
articles: articles
collections:
  - name: Guides
"""

GUIDE = """\
---
title: Start here
collection: Guides
state: published
---
# Start

Read **this** first.
"""

WAIT = 10.0  # seconds a held request waits for the other before the test gives up


def config_path(tmp_path: Path, emulator: Emulator) -> str:
    author = emulator.admins()[0]["email"]
    return with_articles(tmp_path, CONFIG.format(author=author), guide__md=GUIDE)


def test_admins_and_articles_are_read_at_the_same_time(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    config = load_config(config_path(tmp_path, emulator))
    articles_asked = threading.Event()
    overlapped: list[bool] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/articles":
            articles_asked.set()
        elif request.url.path == "/admins":
            # Answered only once the articles were asked for: one after the other, the
            # articles would wait for this answer and the wait would time out.
            overlapped.append(articles_asked.wait(WAIT))
        return emulator.handle(request)

    planned = plan_against_live(config, client_for(handle, fake_time))

    assert overlapped == [True]
    assert [c.name for c in planned.plan.changes] == ["Guides", "Start here"]


def test_an_error_of_the_admins_is_the_one_raised(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    config = load_config(config_path(tmp_path, emulator))

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/admins", "/articles"):
            which = request.url.path.strip("/")
            return httpx.Response(
                403,
                json={
                    "type": "error.list",
                    "errors": [{"code": "forbidden", "message": f"no {which} for you"}],
                },
            )
        return emulator.handle(request)

    with pytest.raises(ApiError, match="no admins for you"):
        plan_against_live(config, client_for(handle, fake_time))


def test_prepared_bodies_plan_as_unprepared_ones(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path
) -> None:
    """``prepare`` only does ahead what ``desired`` would do: the same entries either way."""
    config = replace(
        load_config(config_path(tmp_path, emulator)), authors=authors(emulator.admins())
    )
    cold = ARTICLE_KIND.desired(config)
    forget_bodies()
    ARTICLE_KIND.prepare(config)
    assert ARTICLE_KIND.desired(config) == cold


def test_work_done_ahead_that_fails_leaves_the_plan_to_planning(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``prepare`` only does ahead what planning does: its error is not the user's to see."""
    config = load_config(config_path(tmp_path, emulator))

    def broken(self: object, config: object) -> None:
        raise RuntimeError("work ahead failed")

    monkeypatch.setattr(type(ARTICLE_KIND), "prepare", broken)
    planned = plan_against_live(config, client_for(emulator.handle, fake_time))
    assert [c.name for c in planned.plan.changes] == ["Guides", "Start here"]


def test_an_interrupt_stops_the_client_and_an_error_leaves_it_usable(
    emulator: Emulator, fake_time: FakeTime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(config_path(tmp_path, emulator))
    forbid = [True]

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/admins" and forbid[0]:
            return httpx.Response(
                403, json={"type": "error.list", "errors": [{"code": "x", "message": "no"}]}
            )
        return emulator.handle(request)

    client = client_for(handle, fake_time)
    with pytest.raises(ApiError):
        plan_against_live(config, client)
    forbid[0] = False  # an ordinary error: the same client plans once Intercom answers
    assert plan_against_live(config, client).plan.changes

    def interrupted(self: object, config: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(type(ARTICLE_KIND), "prepare", interrupted)
    with pytest.raises(KeyboardInterrupt):
        plan_against_live(config, client)
    with pytest.raises(Stopped):
        client.list_admins()
