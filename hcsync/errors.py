"""The one error tree of hcsync. Every error a user can cause derives from HcsyncError.

    HcsyncError                 base: ``str(err)`` is a message a user can act on
    ├── ConfigError             the YAML file is wrong; carries every Problem at once
    ├── ApiError                Intercom answered with an error: METHOD URL -> status: message
    │   └── UnreadableAnswerError   an answer hcsync cannot read (not JSON, not the shape the
    │                               description gives, an item without an id)
    ├── TransportError          Intercom could not be reached (DNS, TLS, timeout)
    ├── ListingError            a kind's list could not be read whole (it never reached
    │   │                       total_count, or claimed absurd pages)
    │   └── ListingChangedError     live state kept changing while it was listed (writes seen
    │                               between or inside passes, a parent missing or a loop)
    ├── AmbiguousCreateError    a create got no clear answer: it may or may not exist now
    ├── UnsettledCreateError    a create answered ambiguously round after round: not sent again
    ├── UnknownKindError        a kind of resource no module has registered (a plan of a newer
    │                           hcsync, or a library caller that did not import hcsync.kinds)
    ├── UsageError              bad command-line input (region, base URL, missing token)
    │   ├── SourceChangedError      a saved plan's YAML file changed since the plan was made
    │   ├── OtherHelpCenterError    a saved plan was made for another help center
    │   ├── StalePlanError          live items changed since a saved plan was made
    │   ├── PlanMismatchError       a saved plan is no longer what the file and live give
    │   ├── TooMuchChangeError      the plan updates or deletes past the safety threshold
    │   └── HoldingArticlesError    the plan deletes collections that hold articles
    ├── ConvergenceError        apply finished but live state still differs from the file
    ├── ImpossiblePlanError     no order of calls reaches the target tree (a kept subtree)
    └── ConcurrentWriterError   items appeared during apply that it did not plan

No message ever contains the access token: the client never puts it anywhere but the
Authorization header, and ApiError is built from the request's method and URL only.

The refusals under UsageError are raised by ``hcsync.sync`` before any write, whoever calls
it; they are UsageErrors because the cure is on the command line (plan again, ``--refresh``,
``--force``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from hcsync.escape import clean, show_path

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hcsync.plan import Plan


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


class UnreadableAnswerError(ApiError):
    """Intercom answered, but not in a shape hcsync can read: not JSON, not an object, no
    list in ``data``, an item without an id. ``status`` is the answer's HTTP status (often
    200: the call itself succeeded); ``code`` is None."""

    def __init__(self, method: str, url: str, status: int, message: str) -> None:
        super().__init__(method, url, status, None, message)


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


class ListingChangedError(ListingError):
    """The list could not be read consistently because live state changed while it was read
    (another writer): the same ``ListingError`` fields, a distinct name to catch it by."""


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


class UnknownKindError(HcsyncError):
    """No registered kind has this name: ``hcsync.kinds`` (or the module of the kind) was
    not imported, or a plan names a kind this hcsync does not manage."""


class UsageError(HcsyncError):
    """The command line or environment is wrong (region, base URL, token)."""


class SourceChangedError(UsageError):
    """The YAML file a saved plan names is not the one it was made from (its digest differs):
    what was reviewed is not what the file says now."""

    def __init__(self, source: str, plan_file: str) -> None:
        self.source = source
        self.plan_file = plan_file
        super().__init__(
            f"{source} changed since the plan was made ({plan_file}); run plan again: "
            f"hcsync plan {source} --out {plan_file}"
        )


class OtherHelpCenterError(UsageError):
    """A saved plan was made for another help center than the one it would be applied to."""

    def __init__(self, plan_file: str, planned: tuple[str, str], live: tuple[str, str]) -> None:
        self.plan_file = plan_file
        self.planned = planned  # (identifier, id) the plan was made for
        self.live = live  # (identifier, id) chosen now
        super().__init__(
            f"{plan_file} was made for help center {clean(planned[0])} (id "
            f"{clean(planned[1])}), not {clean(live[0])} (id {clean(live[1])})"
        )


class StalePlanError(UsageError):
    """A saved plan was made against a live state that has since changed; ``changed`` says how
    (``saved.Staleness`` items, one line each).

    A UsageError because the cure is on the command line: plan again, or ``--refresh``.
    """

    def __init__(self, plan_file: str, source: str, changed: Sequence[object]) -> None:
        self.plan_file = plan_file
        self.changed = tuple(changed)
        count = len(self.changed)
        lines = "".join(f"\n  {item}" for item in self.changed)
        super().__init__(
            f"{plan_file} is stale: {count} live collection{'s' if count != 1 else ''} changed"
            f" since the plan was made:{lines}\nNothing was applied. Make and review the plan"
            f" again (hcsync plan {clean(source)} --out {plan_file}), or run apply with"
            " --refresh to re-plan and see only what differs from the reviewed plan."
        )


class PlanMismatchError(UsageError):
    """Nothing hcsync tracks changed in Intercom since a saved plan, yet the file and live
    state no longer give its changes (articles were added to a collection it deletes, or the
    plan file was not made from this file by this hcsync). ``difference`` is shown as is."""

    def __init__(self, plan_file: str, source: str, difference: str) -> None:
        self.plan_file = plan_file
        self.difference = difference
        super().__init__(
            f"{plan_file} no longer matches what {clean(source)} and the live help"
            " center give (for instance, articles were added to a collection it deletes);"
            " nothing was applied. Plan again, or apply with --refresh to see only what"
            " differs:\n" + difference
        )


class TooMuchChangeError(UsageError):
    """The plan updates or deletes more than the safety threshold allows; ``reason`` is the
    plan's own account of it (``Plan.too_much_change``)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"refusing to apply: {reason}. Nothing was applied.")


class HoldingArticlesError(UsageError):
    """The plan deletes collections that hold articles; ``held`` lists each one's path and
    article count (the first five are named)."""

    def __init__(self, held: Sequence[tuple[tuple[str, ...], int]]) -> None:
        self.held = tuple(held)
        count = len(self.held)
        shown = ", ".join(f"{show_path(path)} ({n})" for path, n in self.held[:5])
        more = f" and {count - 5} more" if count > 5 else ""
        super().__init__(
            f"refusing to apply: {count} collection{'s' if count != 1 else ''}"
            f" to delete hold{'s' if count == 1 else ''} articles: {shown}{more}."
            " What Intercom does with them is undocumented (it may refuse, orphan them or"
            " delete them): move the articles first, or apply with --force. Nothing was applied."
        )


class ConvergenceError(HcsyncError):
    """Apply ran, but re-reading live state shows it still differs from the file.

    ``pending`` is the plan made after apply (what still differs, for the caller to show),
    ``unkept`` one sentence per field apply wrote that Intercom did not keep.
    """

    def __init__(
        self, message: str, *, pending: Plan | None = None, unkept: Sequence[str] = ()
    ) -> None:
        self.pending = pending
        self.unkept = tuple(unkept)
        super().__init__(message)


class ImpossiblePlanError(HcsyncError):
    """No order of the planned calls reaches the target tree legally: a collection that this
    plan keeps where it is (``ignore:``, ``protect:``, ``--no-delete``) would end up deeper than
    Intercom allows. Raised while planning, before any write; the message names the subtree."""


class ConcurrentWriterError(HcsyncError):
    """While apply ran, collections appeared that no planned create accounts for: another
    writer (a second apply, someone in Intercom's editor) is active. Apply stops rather than
    race it; the next plan shows what there is, duplicates as a cleanup."""
