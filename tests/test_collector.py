"""``collector.burst`` holds the garbage collector back inside, and only inside, the block."""

from __future__ import annotations

import gc

from hcsync.collector import BURST_THRESHOLD, burst


def test_burst_freezes_and_raises_the_threshold_then_restores_both() -> None:
    before = gc.get_threshold()
    with burst():
        assert gc.get_threshold()[0] == max(before[0], BURST_THRESHOLD)
        assert gc.get_freeze_count() > 0
        with burst():  # nested: the inner block changes and restores nothing
            pass
        assert gc.get_threshold()[0] == max(before[0], BURST_THRESHOLD)
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_burst_restores_on_an_exception() -> None:
    before = gc.get_threshold()
    try:
        with burst():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
