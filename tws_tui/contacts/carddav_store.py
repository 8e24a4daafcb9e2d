"""``CardDavStore``: the last synchronised copy of a CardDAV address book, in SQLite.

Owns the file ``carddav.sqlite3`` in :func:`tws_tui.platform.paths.data_dir` (opened, checked
and migrated as :class:`~tws_tui.platform.sqlite_file.SqliteFile` does for every file of the
app): one row per card with its ``href`` (its id on the server, and the contact's id here),
its ``ETag``, the vCard text as the server sent it and the contact read from it (as JSON, so
showing and searching never parse a vCard again); each number's
:func:`~tws_tui.domain.numbers.match_key` for reverse lookup; and a few facts of the last
sync (the book's URL and name, the sync token, the ctag, when it ran and how it went).

Every change of a sync is one transaction: a sync that fails halfway leaves the copy as it was.
The copy belongs to one address book: when the configured URL changes it is emptied first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from tws_tui.core.model import Contact
from tws_tui.domain.numbers import match_key
from tws_tui.domain.text import fold
from tws_tui.platform.paths import data_dir
from tws_tui.platform.sqlite_file import SqliteFile

CARDDAV_FILE_NAME = "carddav.sqlite3"
SOURCE = "carddav"  # the contacts' ``source``

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE cards (
            href TEXT PRIMARY KEY,
            etag TEXT,
            vcard TEXT NOT NULL,
            contact TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE numbers (
            href TEXT NOT NULL REFERENCES cards (href) ON DELETE CASCADE,
            match_key TEXT NOT NULL
        )
        """,
        "CREATE INDEX numbers_by_key ON numbers (match_key)",
        "CREATE INDEX numbers_by_href ON numbers (href)",
        "CREATE TABLE facts (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
)


class CardDavStoreError(Exception):
    """The local copy cannot be used; the message names the file and says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"CardDAV copy {path} unavailable: {reason}")
        self.path = path
        self.reason = reason


def default_path() -> Path:
    return data_dir() / CARDDAV_FILE_NAME


def contact_json(contact: Contact) -> str:
    """What is kept of a contact (its id and source are the card's href and ``carddav``)."""
    return json.dumps(
        {
            "name": contact.name,
            "numbers": [list(pair) for pair in contact.numbers],
            "company": contact.company,
            "department": contact.department,
            "email": contact.email,
            "details": [list(pair) for pair in contact.details],
        },
        ensure_ascii=False,
    )


def contact_of(href: str, text: str) -> Contact:
    data = json.loads(text)
    return Contact(
        id=href,
        source=SOURCE,
        name=str(data["name"]),
        numbers=tuple((str(label), str(number)) for label, number in data["numbers"]),
        company=data.get("company"),
        department=data.get("department"),
        email=data.get("email"),
        details=tuple((str(kind), str(value)) for kind, value in data.get("details", ())),
    )


class CardDavStore(SqliteFile):
    """The cards of one address book and the facts of its last sync."""

    MIGRATIONS = MIGRATIONS
    PRAGMAS = ("PRAGMA foreign_keys = ON",)

    def __init__(self, path: Path | None = None, *, country: str = "FR") -> None:
        super().__init__(path if path is not None else default_path())
        self.country = country

    def unavailable(self, reason: str) -> CardDavStoreError:
        return CardDavStoreError(self.path, reason)

    def revision(self) -> tuple[int, int]:
        """Changes when the copy changes (here or in another process)."""
        rows = self._run("PRAGMA data_version")
        return (self._writes, int(str(rows[0][0])))

    # ---- facts --------------------------------------------------------------------------

    def facts(self) -> dict[str, str]:
        return {str(name): str(value) for name, value in self._run("SELECT name, value FROM facts")}

    @staticmethod
    def set_facts(db: sqlite3.Connection, **facts: str | None) -> None:
        for name, value in facts.items():
            if value is None:
                db.execute("DELETE FROM facts WHERE name = ?", (name,))
            else:
                db.execute(
                    "INSERT INTO facts (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )

    def note(self, **facts: str | None) -> None:
        with self.transaction() as db:
            self.set_facts(db, **facts)

    # ---- cards --------------------------------------------------------------------------

    def etags(self) -> dict[str, str]:
        return {str(h): str(e or "") for h, e in self._run("SELECT href, etag FROM cards")}

    def card(self, href: str) -> tuple[str, str, Contact] | None:
        """``(etag, vCard, contact)`` of one card, or None."""
        rows = self._run("SELECT etag, vcard, contact FROM cards WHERE href = ?", (href,))
        if not rows:
            return None
        etag, vcard, contact = rows[0]
        return str(etag or ""), str(vcard), contact_of(href, str(contact))

    def save(
        self, db: sqlite3.Connection, href: str, etag: str, vcard: str, contact: Contact
    ) -> None:
        db.execute(
            "INSERT INTO cards (href, etag, vcard, contact) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (href) DO UPDATE SET etag = excluded.etag, vcard = excluded.vcard, "
            "contact = excluded.contact",
            (href, etag, vcard, contact_json(contact)),
        )
        db.execute("DELETE FROM numbers WHERE href = ?", (href,))
        db.executemany(
            "INSERT INTO numbers (href, match_key) VALUES (?, ?)",
            [
                (href, match_key(number, self.country) or number)
                for _label, number in contact.numbers
            ],
        )

    @staticmethod
    def remove(db: sqlite3.Connection, hrefs: Iterable[str]) -> None:
        db.executemany("DELETE FROM cards WHERE href = ?", [(href,) for href in hrefs])

    @staticmethod
    def clear(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM cards")
        db.execute("DELETE FROM facts")

    def contacts(self) -> list[Contact]:
        """Every contact of the copy, by name."""
        found = [
            contact_of(str(h), str(c)) for h, c in self._run("SELECT href, contact FROM cards")
        ]
        return sorted(found, key=lambda c: (fold(c.name), c.id))

    def count(self) -> int:
        return int(str(self._run("SELECT count(*) FROM cards")[0][0]))

    def find_by_number(self, number: str) -> list[Contact]:
        key = match_key(number, self.country)
        if key is None:
            return []
        rows = self._run(
            "SELECT href, contact FROM cards WHERE href IN "
            "(SELECT href FROM numbers WHERE match_key = ?)",
            (key,),
        )
        return sorted(
            (contact_of(str(h), str(c)) for h, c in rows), key=lambda c: (fold(c.name), c.id)
        )
