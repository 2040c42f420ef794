"""``python -m hcsync``: the same as the ``hcsync`` command."""

from __future__ import annotations

from hcsync.cli import main

raise SystemExit(main())
