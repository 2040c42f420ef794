"""The emulator's admins (Intercom's teammates): who may author an article, and who ``/me`` is.

Owns: the ``Admin`` record (``id``, ``name``, ``email``), admin ids (numeric strings, as the
2.10 description's examples show them; an article's ``author_id`` is the same number as an
integer), the rule that emails are unique, and which admin the token belongs to (the first
one; every workspace starts with ``DEFAULT``).
Must not: render answers (``shapes`` does), know about HTTP, take a lock, or import other
hcsync modules.
"""

from __future__ import annotations

from dataclasses import dataclass

# The 2.10 description's own example author; the admin every emulated workspace starts with.
DEFAULT_ID = 991267797
DEFAULT_NAME = "Emulator Admin"
DEFAULT_EMAIL = "admin@hcsync.test"


@dataclass(frozen=True)
class Admin:
    id: str
    name: str
    email: str


class Admins:
    """Every admin of one emulated workspace, the token's own first."""

    def __init__(self) -> None:
        self.records: dict[str, Admin] = {}
        self._next_id = DEFAULT_ID
        self.add(DEFAULT_NAME, DEFAULT_EMAIL)

    def add(self, name: str, email: str, id: int | None = None) -> Admin:
        """A new admin; ``ValueError`` for a blank name or email, or one already taken."""
        if not name.strip() or "@" not in email:
            raise ValueError("an admin needs a name and an email address")
        if any(a.email.lower() == email.lower() for a in self.records.values()):
            raise ValueError(f"an admin with email {email!r} already exists")
        number = self._next_id if id is None else id
        if str(number) in self.records:
            raise ValueError(f"an admin with id {number} already exists")
        admin = Admin(id=str(number), name=name, email=email)
        self._next_id = max(self._next_id, number) + 1
        self.records[admin.id] = admin
        return admin

    def known(self, author_id: int) -> bool:
        return str(author_id) in self.records

    def me(self) -> Admin:
        """The admin the access token belongs to."""
        return next(iter(self.records.values()))

    def listing(self) -> list[Admin]:
        return list(self.records.values())
