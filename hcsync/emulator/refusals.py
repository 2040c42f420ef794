"""The emulator's refusals: the one exception every layer raises for an error answer.

Owns: ``Refusal`` (status, Intercom error ``code``, message) and the common ones
(``not_found``, ``invalid``). ``app`` turns a ``Refusal`` into the official ``error.list``.
Must not: import any other emulator module (every module imports this one) or hcsync module.
"""

from __future__ import annotations


class Refusal(ValueError):
    """A request the emulator answers with an error: ``status``, ``code`` and ``message``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def not_found() -> Refusal:
    return Refusal(404, "not_found", "Resource Not Found")


def invalid(message: str) -> Refusal:
    """A 400 ``parameter_invalid``: a parameter of the wrong type or value."""
    return Refusal(400, "parameter_invalid", message)


def missing(message: str) -> Refusal:
    """A 400 ``parameter_not_found``: a required parameter was not sent."""
    return Refusal(400, "parameter_not_found", message)
