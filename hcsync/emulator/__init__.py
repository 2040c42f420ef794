"""The Intercom emulator: a stateful Help Center speaking REST API 2.10, in process or on
loopback, with switchable faults and rate limits. It stands alone: it imports no other hcsync
module than ``locales`` (and may use ``errors``).

    emu = Emulator(token="t"); emu.add_help_center("acme")
    httpx.Client(transport=emu.transport)            # in process
    with serve(emu) as server: ... server.url ...     # over real HTTP

Modules: ``state`` (records and tree rules), ``bodies`` (strict request bodies), ``app``
(auth, routing, faults, request log), ``faults``, ``ratelimit``, ``server`` (loopback + CLI).
"""

from __future__ import annotations

from .app import API_VERSION, Emulator, RecordedRequest
from .faults import DEFAULT_RATE_LIMIT, Faults
from .server import EmulatorServer, main, serve
from .state import Refusal

__all__ = [
    "API_VERSION",
    "DEFAULT_RATE_LIMIT",
    "Emulator",
    "EmulatorServer",
    "Faults",
    "RecordedRequest",
    "Refusal",
    "main",
    "serve",
]
