"""The one error tree of hcsync. Every error a user can cause derives from HcsyncError.

    HcsyncError                 base: ``str(err)`` is a message a user can act on
    ├── ConfigError             the YAML file is wrong; carries every Problem at once
    ├── ApiError                Intercom answered with an error: METHOD URL -> status: message
    ├── TransportError          Intercom could not be reached (DNS, TLS, timeout)
    ├── ListingError            the collection list could not be read whole (it kept
    │                           changing, never reached total_count, or claimed absurd pages)
    ├── AmbiguousCreateError    a create got no clear answer: it may or may not exist now
    ├── UsageError              bad command-line input (region, base URL, missing token)
    ├── ConvergenceError        apply finished but live state still differs from the file
    ├── ImpossiblePlanError     no order of calls reaches the target tree (a kept subtree)
    └── ConcurrentWriterError   collections appeared during apply that it did not plan

No message ever contains the access token: the client never puts it anywhere but the
Authorization header, and ApiError is built from the request's method and URL only.
"""

from __future__ import annotations

from typing import NamedTuple

from hcsync.render.escape import clean


class HcsyncError(Exception):
    """Base of every error hcsync raises on purpose."""


class Problem(NamedTuple):
    """One thing wrong with a config file, pointing at where it is.

    A NamedTuple, not a dataclass: every command imports this module, and ``dataclasses``
    alone would double what ``hcsync --version`` costs to start.
    """

    file: str
    line: int
    column: int
    path: str  # tree path, e.g. ``collections[0].collections[2].name``; "" for the document
    message: str  # what is wrong and what to do

    def __str__(self) -> str:
        """One line, whatever the file holds: a key, a name or a file name with a line break
        or an escape in it is shown escaped, so no printed line can begin with text from the
        file (a line starting ``::error::`` is a GitHub workflow command)."""
        where = f"{clean(self.file)}:{self.line}:{self.column}"
        message = clean(self.message)
        return f"{where}: {clean(self.path)}: {message}" if self.path else f"{where}: {message}"


class ConfigError(HcsyncError):
    """The config file is invalid; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path))
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        super().__init__("\n".join(lines) + f"\n{count} problem{'s' if count != 1 else ''} found")


class ApiError(HcsyncError):
    """Intercom answered a call with an error status."""

    def __init__(self, method: str, url: str, status: int, code: str | None, message: str) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.code = code
        self.api_message = message
        detail = f"{code}: {message}" if code else message
        super().__init__(f"{method} {url} -> {status}: {detail}")


class TransportError(HcsyncError):
    """Intercom could not be reached at all."""

    def __init__(self, method: str, url: str, reason: str) -> None:
        self.method = method
        self.url = url
        super().__init__(f"{method} {url} -> no answer: {reason}")


class ListingError(HcsyncError):
    """The collection list could not be read completely and consistently.

    hcsync never plans from a partial listing: a collection it did not see would be planned
    as a create, a duplicate. ``url`` is the list's URL; ``seen`` (distinct ids), ``total_count``
    (what Intercom counted, None when it did not say) and ``passes`` (whole reads of the list)
    are set when the list was read but never added up, None when the server's paging claims
    were refused before that.
    """

    def __init__(
        self,
        method: str,
        url: str,
        message: str,
        *,
        seen: int | None = None,
        total_count: int | None = None,
        passes: int | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.seen = seen
        self.total_count = total_count
        self.passes = passes
        super().__init__(f"{method} {url}: {message}")


class AmbiguousCreateError(HcsyncError):
    """A POST failed after it may have reached Intercom (a 5xx, a read timeout, a dropped
    connection), or succeeded with an answer that cannot be read or names no id: the
    collection may have been (or was) created. It is never retried blindly; look for it
    (same name under the same parent) before creating it again.

    ``cause`` is the ApiError or TransportError the failure would otherwise have been.
    """

    def __init__(self, method: str, url: str, cause: ApiError | TransportError) -> None:
        self.method = method
        self.url = url
        self.cause = cause
        super().__init__(
            f"{cause}; the create may have gone through, so it was not sent again: "
            "look for the collection before creating it again"
        )


class UnsettledCreateError(HcsyncError):
    """A create answered ambiguously round after round, and the collection was not there
    when looked for after any of them: apply gave up rather than send it again."""

    def __init__(self, name: str, rounds: int, last: AmbiguousCreateError) -> None:
        self.rounds = rounds
        self.last = last
        super().__init__(
            f"{last.cause}; sent {rounds} times, each answer was a failure and {name!r} was "
            "not there when looked for after any of them, so it was not sent again: "
            "run apply again once Intercom answers normally"
        )


class UsageError(HcsyncError):
    """The command line or environment is wrong (region, base URL, token)."""


class ConvergenceError(HcsyncError):
    """Apply ran, but re-reading live state shows it still differs from the file."""


class ImpossiblePlanError(HcsyncError):
    """No order of the planned calls reaches the target tree legally: a collection that this
    plan keeps where it is (``ignore:``, ``protect:``, ``--no-delete``) would end up deeper than
    Intercom allows. Raised while planning, before any write; the message names the subtree."""


class ConcurrentWriterError(HcsyncError):
    """While apply ran, collections appeared that no planned create accounts for: another
    writer (a second apply, someone in Intercom's editor) is active. Apply stops rather than
    race it; the next plan shows what there is, duplicates as a cleanup."""
