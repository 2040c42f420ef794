"""The two YAML readers, for tests that must pass with each: libyaml's and the pure-Python one.

A test module takes them with an autouse fixture that calls ``use`` with each of
``READERS``, so every test in it runs once per reader and any difference between what the
two read (a value, a position, a refusal, a message) fails a test.
"""

from __future__ import annotations

import pytest

from hcsync import loader, loader_libyaml

READERS = ("libyaml", "python")


def use(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the loader read with ``reader`` for the rest of the test."""
    if reader == "libyaml" and not loader_libyaml.available():
        pytest.skip("pyyaml is built without libyaml here")
    monkeypatch.setattr(loader, "LIBYAML", reader == "libyaml")
