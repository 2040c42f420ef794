"""The Intercom emulator: a stateful Help Center speaking REST API 2.10, in process or on
loopback, with switchable faults and rate limits. It stands alone: it imports no other hcsync
module than ``locales`` (and may use ``errors``).

    emu = Emulator(token="t"); emu.add_help_center("acme")
    httpx.Client(transport=emu.transport)            # in process
    with serve(emu) as server: ... server.url ...     # over real HTTP

Where the real API's behaviour is unknown, ``Behaviour`` has a switch per plausible
behaviour (``Emulator(behaviour=Behaviour(unstable_ties=True))``, or ``emu.behaviour = ...``
at any time); its module docstring says what real behaviour each switch stands for.

Modules: ``state`` (records, tree rules, write-side switches), ``articles`` (the article
records and their rules), ``rewriting`` (Intercom's rewriting of article HTML, the bodies it
refuses, signed image URLs), ``admins`` (teammates, ``/me``), ``refusals`` (the error every
layer raises), ``shapes`` (the official answer shapes, read-side switches), ``bodies``
(strict request bodies), ``paging`` (page, per_page, ``pages``, tied ``updated_at``),
``behaviour`` (the switches), ``routes`` (endpoints to the store), ``app`` (auth, faults,
request log, the Python API), ``faults``, ``ratelimit``, ``server`` (loopback + CLI).
"""

from __future__ import annotations

from .app import API_VERSION, Emulator, RecordedRequest
from .behaviour import Behaviour, variants
from .faults import DEFAULT_RATE_LIMIT, Faults
from .server import EmulatorServer, behaviour_from_args, build_parser, main, serve
from .state import Refusal

__all__ = [
    "API_VERSION",
    "DEFAULT_RATE_LIMIT",
    "Behaviour",
    "Emulator",
    "EmulatorServer",
    "Faults",
    "RecordedRequest",
    "Refusal",
    "behaviour_from_args",
    "build_parser",
    "main",
    "serve",
    "variants",
]
