"""``python -m hcsync.emulator --port N``: run the emulator in the foreground."""

from __future__ import annotations

from .server import main

raise SystemExit(main())
