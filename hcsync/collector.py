"""Python's cyclic garbage collector, held back while the plan allocates.

Owns one context manager, ``burst``. Planning N collections allocates a few hundred objects
per collection and frees almost none of them until the plan is done, and none of them form
cycles worth finding. With the collector's defaults, a young collection runs every 700
allocations and, as the heap grows, full collections walk everything alive, the file's
and the listing's data included; so the cost per collection grows with the help center's
size. Inside ``burst`` what already exists is frozen (never walked: ``gc.freeze``) and young
collections run a hundred times less often; both are undone on the way out, so nothing
outside the block is affected. Nesting and threads are safe: only the outermost block
freezes and restores.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BURST_THRESHOLD = 70_000  # allocations between young collections inside a burst (default 700)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] = (0, 0, 0)


@contextmanager
def burst() -> Iterator[None]:
    """Hold the collector back for a burst of allocations that will mostly be kept."""
    global _depth, _saved
    with _lock:
        _depth += 1
        if _depth == 1:
            _saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(max(_saved[0], BURST_THRESHOLD), _saved[1], _saved[2])
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()
