"""``ContactStore``: the private and public local contacts and the contact lists, in SQLite.

Owns the file ``contacts.sqlite3`` in :func:`tws_tui.platform.paths.data_dir`: its schema and
migrations (``PRAGMA user_version`` counts the migrations applied), the mapping between
:class:`~tws_tui.core.model.Contact` / :class:`ContactList` and rows, and the errors a damaged,
foreign or unwritable file gives. Opening, WAL and the version check follow
:mod:`tws_tui.journal.store` (the file is opened lazily, created with its directory, never
written before its version is checked, never deleted nor "repaired").

* A local contact's ``source`` is its directory: ``"private"`` (TWS-2.1.2, only this user) or
  ``"public"`` (TWS-2.1.3). Ids are the row ids, as text.
* Each number is stored with its label, its position and its
  :func:`~tws_tui.domain.numbers.match_key`, indexed, so reverse lookup is one indexed query
  whatever
  the spelling (``0123456789``, ``+33 1 23 45 67 89``, ``01.23.45.67.89``).
* A contact list (TWS-2.4) holds references ``(source, contact_id)`` to contacts of any
  directory, in the user's order; lists have an order of their own (creation order first,
  TWS-2.4.9). Deleting a local contact removes it from the lists; moving it to the other
  directory updates them.
* Every change is checked (:mod:`tws_tui.contacts.rules`) before anything is written and is
  one transaction: a refused change (:class:`~tws_tui.contacts.rules.InvalidContactInput`,
  :class:`~tws_tui.contacts.rules.ContactNotFound`) or a failed write leaves the file as it was.
* :class:`ContactStoreError` names the file and says why it cannot be used; the console shows
  it and goes on without local contacts.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tws_tui.contacts.rules import (
    CONTACT_NOT_FOUND,
    ENTRY_NOT_FOUND,
    IN_BATCH,
    LIST_ENTRY_INVALID,
    LIST_NOT_FOUND,
    VISIBILITIES,
    ContactNotFound,
    InvalidContactInput,
    check_contact,
    check_list_name,
    check_list_view,
    check_visibility,
)
from tws_tui.contacts.table import ContactTable, pack_pairs
from tws_tui.core.model import Contact, DeviceId
from tws_tui.core.values import value_class
from tws_tui.domain.numbers import match_key, match_keys
from tws_tui.domain.text import fold
from tws_tui.platform.paths import data_dir
from tws_tui.platform.sqlite_file import SqliteFile, explain

CONTACTS_FILE_NAME = "contacts.sqlite3"

#: The migrations, in order: migration ``i`` (0-based) brings the file to version ``i + 1``.
#: Never edit one that has shipped; append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            visibility TEXT NOT NULL CHECK (visibility IN ('private', 'public')),
            name TEXT NOT NULL,
            company TEXT,
            department TEXT,
            email TEXT,
            device_id TEXT,
            favorite INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE numbers (
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            label TEXT NOT NULL,
            number TEXT NOT NULL,
            match_key TEXT NOT NULL,
            PRIMARY KEY (contact_id, position)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX numbers_by_key ON numbers (match_key)",
        """
        CREATE TABLE lists (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            public INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE list_entries (
            list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            contact_id TEXT NOT NULL,
            UNIQUE (list_id, source, contact_id)
        )
        """,
        "CREATE INDEX list_entries_by_list ON list_entries (list_id, position)",
        "CREATE INDEX list_entries_by_contact ON list_entries (source, contact_id)",
    ),
    (
        # A supervised list (TWS-2.4.2-5): its colleagues get BLF tiles.
        "ALTER TABLE lists ADD COLUMN supervised INTEGER NOT NULL DEFAULT 0",
        # The card of a contact of another directory (the backend's), as it was when added:
        # the list shows it without asking that directory again.
        "ALTER TABLE list_entries ADD COLUMN name TEXT",
        "ALTER TABLE list_entries ADD COLUMN number TEXT",
        "ALTER TABLE list_entries ADD COLUMN device_id TEXT",
    ),
    (
        # More details of a contact (TWS-2.5.1-6/-7): e-mails, web and postal addresses,
        # the extra fields; in the user's order.
        """
        CREATE TABLE details (
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (contact_id, position)
        ) WITHOUT ROWID
        """,
        # Who else has this e-mail address (TWS-2.5.3-2), case ignored.
        "CREATE INDEX contacts_by_email ON contacts (email COLLATE NOCASE)",
        "CREATE INDEX details_by_value ON details (value COLLATE NOCASE, kind)",
    ),
    (
        # TWS-2.4.2-3: shown on the home screen; -6: how its contacts are sorted there; -7:
        # classic (name and company) or reduced (name and presence) rows.
        "ALTER TABLE lists ADD COLUMN visible INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE lists ADD COLUMN sort TEXT NOT NULL DEFAULT 'name'",
        "ALTER TABLE lists ADD COLUMN display TEXT NOT NULL DEFAULT 'classic'",
    ),
    (
        # TWS-2.4.5-1: other users' public lists added to mine, by the phone system's id;
        # their name and owner as they were when added (shown while the system is away).
        """
        CREATE TABLE subscriptions (
            shared_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            owner TEXT NOT NULL,
            position INTEGER NOT NULL
        )
        """,
    ),
    (
        # The last import (issue 22: undo it, after a restart too): the contacts it added, and
        # the ones it merged into as they were before (a JSON object, see _contact_json).
        """
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            file TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE import_added (
            batch_id INTEGER NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE import_merged (
            batch_id INTEGER NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL,
            before TEXT NOT NULL
        )
        """,
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

#: The page cache while an import is written (KiB, negative as SQLite takes it).
IMPORT_CACHE_KIB = -65536
_CONTACT_COLUMNS = "id, visibility, name, company, department, email, device_id, favorite"
Row = tuple[object, ...]


class ContactStoreError(Exception):
    """The contacts file cannot be used; the message names the file and says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"Contacts file {path} unavailable: {reason}")
        self.path = path
        self.reason = reason


@value_class
class ContactList:
    """A contact list (TWS-2.4): its entries are ``(source, contact_id)``, in the user's order."""

    id: str
    name: str
    public: bool = False
    entries: tuple[tuple[str, str], ...] = ()
    supervised: bool = False  # TWS-2.4.2-5: its colleagues are supervised (BLF tiles)
    visible: bool = False  # TWS-2.4.2-3: shown on the home screen (bold in the manager)
    sort: str = "name"  # TWS-2.4.2-6: one of LIST_SORTS
    display: str = "classic"  # TWS-2.4.2-7: one of LIST_DISPLAYS


@value_class
class Subscription:
    """Another user's public list added to mine (TWS-2.4.5-1): the phone system keeps it; I
    only hold on to its id, with its name and owner as they were when I added it."""

    shared_id: str
    name: str
    owner: str


def default_path() -> Path:
    """Where the local contacts live: ``contacts.sqlite3`` in
    :func:`tws_tui.platform.paths.data_dir`."""
    return data_dir() / CONTACTS_FILE_NAME


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _row_id(text: str) -> int | None:
    """The integer row id in a contact or list id, or None when it is not one."""
    text = str(text).strip()
    return int(text) if text.isdecimal() else None


def _contact_of(
    row: Sequence[object],
    numbers: tuple[tuple[str, str], ...],
    details: tuple[tuple[str, str], ...] = (),
) -> Contact:
    id_, visibility, name, company, department, email, device_id, favorite = row
    return Contact(
        id=str(id_),
        source=str(visibility),
        name=str(name),
        numbers=numbers,
        company=_str_or_none(company),
        department=_str_or_none(department),
        email=_str_or_none(email),
        device_id=None if device_id is None else DeviceId(str(device_id)),
        favorite=bool(favorite),
        details=details,
    )


@value_class
class ImportBatch:
    """The last import as the store remembers it: the file, how many contacts it added and
    how many it merged into (what undoing it removes and restores)."""

    file: str
    added: int
    merged: int


def _contact_json(contact: Contact) -> str:
    """A stored contact as it is, to be put back as it was (undo of an import)."""
    return json.dumps(
        {
            "source": contact.source,
            "name": contact.name,
            "company": contact.company,
            "department": contact.department,
            "email": contact.email,
            "device_id": contact.device_id,
            "favorite": contact.favorite,
            "numbers": contact.numbers,
            "details": contact.details,
        },
        ensure_ascii=False,
    )


def _contact_from_json(row_id: int, text: str) -> Contact:
    data = json.loads(text)
    return Contact(
        id=str(row_id),
        source=data["source"],
        name=data["name"],
        numbers=tuple((label, number) for label, number in data["numbers"]),
        company=data["company"],
        department=data["department"],
        email=data["email"],
        device_id=DeviceId(data["device_id"]) if data["device_id"] else None,
        favorite=bool(data["favorite"]),
        details=tuple((kind, value) for kind, value in data["details"]),
    )


def _moved(items: list[int], index: int, step: int) -> tuple[list[int], int]:
    """``items`` with the one at ``index`` moved by ``step`` places (clamped), and where to."""
    target = max(0, min(len(items) - 1, index + step))
    reordered = list(items)
    reordered.insert(target, reordered.pop(index))
    return reordered, target


class ContactStore(SqliteFile):
    """Private and public local contacts and the contact lists, in one SQLite file."""

    MIGRATIONS = MIGRATIONS
    PRAGMAS = ("PRAGMA foreign_keys = ON",)

    def __init__(self, path: Path | None = None, *, country: str = "FR") -> None:
        super().__init__(path if path is not None else default_path())
        self.country = country

    def unavailable(self, reason: str) -> ContactStoreError:
        return ContactStoreError(self.path, reason)

    def revision(self) -> tuple[int, int]:
        """Changes when the contacts or lists change, here or in another process's console."""
        with self._lock:
            db = self._connection()
            try:
                data_version = int(db.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error as error:
                raise self.unavailable(explain(error)) from error
            return (self._writes, data_version)

    # ---- contacts: reading --------------------------------------------------------------

    def _contacts(self, where: str = "", params: Sequence[object] = ()) -> list[Contact]:
        rows = self._run(f"SELECT {_CONTACT_COLUMNS} FROM contacts {where} ORDER BY id", params)
        if not rows:
            return []
        numbers = self._children("SELECT contact_id, label, number FROM numbers", rows)
        details = self._children("SELECT contact_id, kind, value FROM details", rows)
        return [
            _contact_of(row, numbers.get(int(str(row[0])), ()), details.get(int(str(row[0])), ()))
            for row in rows
        ]

    def _children(self, select: str, rows: list[Row]) -> dict[int, tuple[tuple[str, str], ...]]:
        """The ``(label, value)`` pairs of a child table (numbers, details) for each of the
        contacts ``rows``, by contact row id, in their order; ``select`` names the columns."""
        if len(rows) > 500:  # all of them, or most: one pass over the table
            found = self._run(f"{select} ORDER BY contact_id, position")
        else:
            marks = ", ".join("?" * len(rows))
            found = self._run(
                f"{select} WHERE contact_id IN ({marks}) ORDER BY contact_id, position",
                [row[0] for row in rows],
            )
        pairs: dict[int, list[tuple[str, str]]] = {}
        for contact_id, first, second in found:
            pairs.setdefault(int(str(contact_id)), []).append((str(first), str(second)))
        return {contact_id: tuple(items) for contact_id, items in pairs.items()}

    def table(self) -> ContactTable:
        """Every local contact as a :class:`~tws_tui.contacts.table.ContactTable`, by id, with
        the numbers' match keys as stored: what the search index is built from. Read as one
        snapshot, row by row (never a list of every row at once); the texts many contacts
        share (directory, company, department, label) are kept once."""
        ids: list[int] = []
        sources: list[str] = []
        names: list[str] = []
        companies: list[str | None] = []
        departments: list[str | None] = []
        emails: list[str | None] = []
        device_ids: list[str | None] = []
        favorites: list[bool] = []
        numbers: list[str] = []
        details: list[str] = []
        keys: list[str] = []
        shared: dict[Any, Any] = {None: None}  # one copy of each repeated text
        share = shared.setdefault
        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN")
                try:
                    number_rows = db.execute(
                        "SELECT contact_id, label, number, match_key FROM numbers "
                        "ORDER BY contact_id, position"
                    )
                    pending = next(number_rows, None)
                    detail_rows = db.execute(
                        "SELECT contact_id, kind, value FROM details ORDER BY contact_id, position"
                    )
                    detail = next(detail_rows, None)
                    for row in db.execute(f"SELECT {_CONTACT_COLUMNS} FROM contacts ORDER BY id"):
                        row_id, source, name, company, department, email, device_id, favorite = row
                        ids.append(row_id)
                        sources.append(share(source, source))
                        names.append(name)
                        companies.append(share(company, company))
                        departments.append(share(department, department))
                        emails.append(email)
                        device_ids.append(device_id)
                        favorites.append(bool(favorite))
                        pairs: list[tuple[str, str]] = []
                        key_text = ""
                        while pending is not None and pending[0] == row_id:
                            pairs.append((share(pending[1], pending[1]), pending[2]))
                            key_text += " " + pending[3]
                            pending = next(number_rows, None)
                        numbers.append(pack_pairs(pairs))
                        keys.append(key_text or " ")
                        more: list[tuple[str, str]] = []
                        while detail is not None and detail[0] == row_id:
                            more.append((share(detail[1], detail[1]), detail[2]))
                            detail = next(detail_rows, None)
                        details.append(pack_pairs(more) if more else "")
                finally:
                    db.execute("COMMIT")
            except sqlite3.Error as error:
                raise self.unavailable(explain(error)) from error
        return ContactTable(
            ids=ids,
            sources=sources,
            names=names,
            companies=companies,
            departments=departments,
            emails=emails,
            numbers=numbers,
            device_ids=device_ids,
            favorites=favorites,
            details=details,
            number_keys=keys,
        )

    def get(self, contact_id: str) -> Contact | None:
        """The local contact with this id, or None."""
        row_id = _row_id(contact_id)
        if row_id is None:
            return None
        found = self._contacts("WHERE id = ?", (row_id,))
        return found[0] if found else None

    def all(self, visibility: str | None = None) -> list[Contact]:
        """Every local contact (or those of one directory), in the order they were added."""
        if visibility is None:
            return self._contacts()
        return self._contacts("WHERE visibility = ?", (check_visibility(visibility),))

    def count(self, visibility: str | None = None) -> int:
        """How many local contacts there are (in one directory), without reading them."""
        if visibility is None:
            return int(str(self._run("SELECT count(*) FROM contacts")[0][0]))
        rows = self._run(
            "SELECT count(*) FROM contacts WHERE visibility = ?", (check_visibility(visibility),)
        )
        return int(str(rows[0][0]))

    def find_by_number(self, number: str) -> list[Contact]:
        """The local contacts with this number, however it is spelt; by name."""
        key = match_key(number, self.country)
        if key is None:
            return []
        found = self._contacts(
            "WHERE id IN (SELECT contact_id FROM numbers WHERE match_key = ?)", (key,)
        )
        return sorted(found, key=lambda c: (fold(c.name), c.name, int(c.id)))

    def companies(self) -> dict[str, str]:
        """Each number's match key → the company of a local contact with it (History's
        search by company)."""
        rows = self._run(
            "SELECT n.match_key, c.company FROM numbers n JOIN contacts c ON c.id = n.contact_id"
            " WHERE c.company IS NOT NULL AND c.company != ''"
        )
        return {str(key): str(company) for key, company in rows}

    def find_by_email(self, email: str) -> list[Contact]:
        """The local contacts with this e-mail address (case ignored), as their main one or
        among their details; by name (TWS-2.5.3-2: who else shares it)."""
        address = (email or "").strip()
        if not address:
            return []
        found = self._contacts(
            "WHERE email = ? COLLATE NOCASE OR id IN (SELECT contact_id FROM details "
            "WHERE value = ? COLLATE NOCASE AND kind = 'email')",
            (address, address),
        )
        return sorted(found, key=lambda c: (fold(c.name), c.name, int(c.id)))

    # ---- contacts: writing --------------------------------------------------------------

    def _checked(self, contact: Contact) -> Contact:
        check_visibility(contact.source)
        return check_contact(contact)

    def _write_numbers(self, db: sqlite3.Connection, row_id: int, contact: Contact) -> None:
        db.execute("DELETE FROM numbers WHERE contact_id = ?", (row_id,))
        db.executemany(
            "INSERT INTO numbers (contact_id, position, label, number, match_key) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (row_id, position, label, number, match_key(number, self.country) or number)
                for position, (label, number) in enumerate(contact.numbers)
            ],
        )

    def _write_details(self, db: sqlite3.Connection, row_id: int, contact: Contact) -> None:
        db.execute("DELETE FROM details WHERE contact_id = ?", (row_id,))
        db.executemany(
            "INSERT INTO details (contact_id, position, kind, value) VALUES (?, ?, ?, ?)",
            [
                (row_id, position, kind, value)
                for position, (kind, value) in enumerate(contact.details)
            ],
        )

    @staticmethod
    def _fields(contact: Contact) -> tuple[object, ...]:
        return (
            contact.source,
            contact.name,
            contact.company,
            contact.department,
            contact.email,
            contact.device_id,
            int(contact.favorite),
        )

    def _insert(self, db: sqlite3.Connection, contact: Contact) -> Contact:
        cursor = db.execute(
            "INSERT INTO contacts (visibility, name, company, department, email, device_id, "
            "favorite) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self._fields(contact),
        )
        row_id = int(cursor.lastrowid or 0)
        self._write_numbers(db, row_id, contact)
        self._write_details(db, row_id, contact)
        return dataclasses.replace(contact, id=str(row_id))

    def add(self, contact: Contact) -> Contact:
        """Save a new contact in its directory (``source``); return it with its new id.

        The ``id`` given is ignored. Texts come back stripped.
        """
        checked = self._checked(contact)
        with self.transaction() as db:
            return self._insert(db, checked)

    def add_many(self, contacts: Iterable[Contact]) -> list[Contact]:
        """Save several new contacts at once (an import): all of them, or none if one is bad."""
        checked: list[Contact] = []
        for position, contact in enumerate(contacts, start=1):
            try:
                checked.append(self._checked(contact))
            except InvalidContactInput as error:
                raise InvalidContactInput(
                    IN_BATCH, position=position, name=contact.name, error=error
                ) from None
        with self.transaction() as db:
            return [self._insert(db, contact) for contact in checked]

    def update(self, contact: Contact) -> Contact:
        """Replace the stored contact with ``contact.id`` by ``contact``; return it as saved.

        Changing ``source`` moves it to the other directory; the lists follow it.
        """
        row_id = _row_id(contact.id)
        checked = self._checked(contact)
        with self.transaction() as db:
            if row_id is None or not self._replace(db, row_id, checked):
                raise ContactNotFound(CONTACT_NOT_FOUND, contact_id=contact.id)
            return dataclasses.replace(checked, id=str(row_id))

    def _replace(self, db: sqlite3.Connection, row_id: int, checked: Contact) -> bool:
        """Write ``checked`` over the contact ``row_id``; False when there is none."""
        found = db.execute("SELECT visibility FROM contacts WHERE id = ?", (row_id,)).fetchone()
        if found is None:
            return False
        db.execute(
            "UPDATE contacts SET visibility = ?, name = ?, company = ?, department = ?, "
            "email = ?, device_id = ?, favorite = ? WHERE id = ?",
            (*self._fields(checked), row_id),
        )
        self._write_numbers(db, row_id, checked)
        self._write_details(db, row_id, checked)
        if found[0] != checked.source:
            db.execute(
                "UPDATE list_entries SET source = ? WHERE source = ? AND contact_id = ?",
                (checked.source, found[0], str(row_id)),
            )
        return True

    def delete(self, contact_id: str) -> None:
        """Delete a local contact, its numbers and its place in every list."""
        row_id = _row_id(contact_id)
        with self.transaction() as db:
            found = db.execute("SELECT visibility FROM contacts WHERE id = ?", (row_id,)).fetchone()
            if row_id is None or found is None:
                raise ContactNotFound(CONTACT_NOT_FOUND, contact_id=contact_id)
            db.execute("DELETE FROM numbers WHERE contact_id = ?", (row_id,))
            db.execute(
                "DELETE FROM list_entries WHERE source = ? AND contact_id = ?",
                (found[0], str(row_id)),
            )
            db.execute("DELETE FROM contacts WHERE id = ?", (row_id,))

    # ---- imports: matching, applying, undoing the last one -------------------------------

    def match_index(self, visibility: str) -> tuple[dict[str, str], dict[str, str]]:
        """The contacts of one directory by number (match key → id) and by e-mail address
        (lower case → id, the main one and the others), the first contact for each: what an
        import's preview matches against, read in two queries."""
        check_visibility(visibility)
        by_key: dict[str, str] = {}
        by_email: dict[str, str] = {}
        for key, contact_id in self._run(
            "SELECT n.match_key, n.contact_id FROM numbers n JOIN contacts c "
            "ON c.id = n.contact_id WHERE c.visibility = ? ORDER BY n.contact_id, n.position",
            (visibility,),
        ):
            by_key.setdefault(str(key), str(contact_id))
        for email, contact_id in self._run(
            "SELECT lower(email), id FROM contacts WHERE visibility = ? AND email IS NOT NULL "
            "UNION ALL SELECT lower(d.value), d.contact_id FROM details d JOIN contacts c "
            "ON c.id = d.contact_id WHERE c.visibility = ? AND d.kind = 'email' ORDER BY 2",
            (visibility, visibility),
        ):
            by_email.setdefault(str(email), str(contact_id))
        return by_key, by_email

    def get_many(self, contact_ids: Iterable[str]) -> dict[str, Contact]:
        """The local contacts with these ids, by id (ids not found are left out)."""
        row_ids = sorted({row_id for i in contact_ids if (row_id := _row_id(i)) is not None})
        found: dict[str, Contact] = {}
        for start in range(0, len(row_ids), 500):
            chunk = row_ids[start : start + 500]
            where = f"WHERE id IN ({', '.join('?' * len(chunk))})"
            found.update((c.id, c) for c in self._contacts(where, chunk))
        return found

    def apply_import(
        self, added: Sequence[Contact], merged: Sequence[Contact], *, file: str
    ) -> tuple[list[Contact], ImportBatch]:
        """Save an import in one transaction: the new contacts ``added``, and ``merged`` (stored
        contacts, by id, with what the import adds to them) over the stored ones. It becomes
        the last import, which :meth:`undo_last_import` undoes; the one before is forgotten.
        All of it, or nothing when one contact is refused."""
        checked: list[Contact] = []
        for position, contact in enumerate([*added, *merged], start=1):
            try:
                checked.append(self._checked(contact))
            except InvalidContactInput as error:
                raise InvalidContactInput(
                    IN_BATCH, position=position, name=contact.name, error=error
                ) from None
        with self._lock:  # a big import writes indexes in random order: a bigger page cache
            db = self._connection()
            cache = db.execute("PRAGMA cache_size").fetchone()[0]
            db.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
            try:
                return self._apply_import(checked, len(added), merged, file)
            finally:
                db.execute(f"PRAGMA cache_size = {int(cache)}")

    def _apply_import(
        self, checked: list[Contact], count: int, merged: Sequence[Contact], file: str
    ) -> tuple[list[Contact], ImportBatch]:
        with self.transaction() as db:
            db.execute("DELETE FROM import_merged")
            db.execute("DELETE FROM import_added")
            db.execute("DELETE FROM import_batches")
            batch = int(
                db.execute("INSERT INTO import_batches (file) VALUES (?)", (file,)).lastrowid or 0
            )
            saved = self._insert_many(db, checked[:count])
            db.executemany(
                "INSERT INTO import_added (batch_id, contact_id) VALUES (?, ?)",
                [(batch, int(contact.id)) for contact in saved],
            )
            before = self._contacts_in(db, [int(c.id) for c in merged if _row_id(c.id)])
            for contact in checked[count:]:
                row_id = _row_id(contact.id)
                old = before.get(row_id) if row_id is not None else None
                if row_id is None or old is None or not self._replace(db, row_id, contact):
                    raise ContactNotFound(CONTACT_NOT_FOUND, contact_id=contact.id)
                db.execute(
                    "INSERT INTO import_merged (batch_id, contact_id, before) VALUES (?, ?, ?)",
                    (batch, row_id, _contact_json(old)),
                )
        return saved, ImportBatch(file, len(saved), len(merged))

    def _insert_many(self, db: sqlite3.Connection, contacts: Sequence[Contact]) -> list[Contact]:
        """Insert new checked contacts: one row each, then their numbers (match keys made in
        one batch) and details in one statement each (an import of 100 000 contacts)."""
        # ids given here, after any id ever used (AUTOINCREMENT never reuses one), so that the
        # rows go in one statement; the write transaction keeps anyone else out meanwhile
        last = db.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0),"
            " coalesce((SELECT max(id) FROM contacts), 0))"
        ).fetchone()[0]
        saved: list[Contact] = []
        number_rows: list[tuple[int, int, str, str]] = []
        detail_rows: list[tuple[int, int, str, str]] = []
        for row_id, c in enumerate(contacts, start=int(last) + 1):
            number_rows += [(row_id, i, label, n) for i, (label, n) in enumerate(c.numbers)]
            detail_rows += [(row_id, i, kind, v) for i, (kind, v) in enumerate(c.details)]
            saved.append(
                Contact(
                    str(row_id),
                    c.source,
                    c.name,
                    c.numbers,
                    c.company,
                    c.department,
                    c.email,
                    c.device_id,
                    c.favorite,
                    c.details,
                )
            )
        db.executemany(
            "INSERT INTO contacts (id, visibility, name, company, department, email, device_id, "
            "favorite) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(int(c.id), *self._fields(c)) for c in saved],
        )
        keys = match_keys([row[3] for row in number_rows], self.country)
        db.executemany(
            "INSERT INTO numbers (contact_id, position, label, number, match_key) "
            "VALUES (?, ?, ?, ?, ?)",
            [(*row, key or row[3]) for row, key in zip(number_rows, keys, strict=True)],
        )
        db.executemany(
            "INSERT INTO details (contact_id, position, kind, value) VALUES (?, ?, ?, ?)",
            detail_rows,
        )
        return saved

    def _contacts_in(self, db: sqlite3.Connection, row_ids: list[int]) -> dict[int, Contact]:
        """The stored contacts ``row_ids``, read inside the transaction ``db``."""
        found: dict[int, Contact] = {}
        for start in range(0, len(row_ids), 500):
            chunk = row_ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE id IN ({marks})", chunk
            ).fetchall()
            children: dict[str, dict[int, list[tuple[str, str]]]] = {"numbers": {}, "details": {}}
            for table, columns in (("numbers", "label, number"), ("details", "kind, value")):
                for contact_id, first, second in db.execute(
                    f"SELECT contact_id, {columns} FROM {table} WHERE contact_id IN ({marks}) "
                    "ORDER BY contact_id, position",
                    chunk,
                ):
                    children[table].setdefault(int(contact_id), []).append((first, second))
            for row in rows:
                row_id = int(row[0])
                found[row_id] = _contact_of(
                    row,
                    tuple(children["numbers"].get(row_id, ())),
                    tuple(children["details"].get(row_id, ())),
                )
        return found

    def last_import(self) -> ImportBatch | None:
        """The last import, or None when there is none to undo."""
        rows = self._run(
            "SELECT b.file, (SELECT count(*) FROM import_added a WHERE a.batch_id = b.id), "
            "(SELECT count(*) FROM import_merged m WHERE m.batch_id = b.id) "
            "FROM import_batches b ORDER BY b.id DESC LIMIT 1"
        )
        if not rows:
            return None
        file, added, merged = rows[0]
        return ImportBatch(str(file), int(str(added)), int(str(merged)))

    def undo_last_import(self) -> ImportBatch | None:
        """Undo the last import: remove the contacts it added (from the lists too) and put the
        ones it merged into back as they were. None when there is no import to undo."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT id, file FROM import_batches ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            batch, file = int(row[0]), str(row[1])
            added = [
                (int(contact_id), str(visibility))
                for contact_id, visibility in db.execute(
                    "SELECT a.contact_id, c.visibility FROM import_added a JOIN contacts c "
                    "ON c.id = a.contact_id WHERE a.batch_id = ?",
                    (batch,),
                )
            ]
            db.executemany(
                "DELETE FROM list_entries WHERE source = ? AND contact_id = ?",
                [(visibility, str(contact_id)) for contact_id, visibility in added],
            )
            db.executemany("DELETE FROM contacts WHERE id = ?", [(c,) for c, _v in added])
            merged = db.execute(
                "SELECT contact_id, before FROM import_merged WHERE batch_id = ?", (batch,)
            ).fetchall()
            restored = 0
            for contact_id, before in merged:
                restored += self._replace(
                    db, int(contact_id), _contact_from_json(contact_id, before)
                )
            db.execute("DELETE FROM import_merged")
            db.execute("DELETE FROM import_added")
            db.execute("DELETE FROM import_batches")
        return ImportBatch(file, len(added), restored)

    # ---- contact lists ------------------------------------------------------------------

    def lists(self) -> list[ContactList]:
        """Every contact list, in the user's order, each with its entries in order."""
        entries: dict[int, list[tuple[str, str]]] = {}
        for list_id, source, contact_id in self._run(
            "SELECT list_id, source, contact_id FROM list_entries ORDER BY list_id, position"
        ):
            entries.setdefault(int(str(list_id)), []).append((str(source), str(contact_id)))
        return [
            ContactList(
                str(id_),
                str(name),
                bool(public),
                tuple(entries.get(int(str(id_)), ())),
                bool(supervised),
                bool(visible),
                str(sort),
                str(display),
            )
            for id_, name, public, supervised, visible, sort, display in self._run(
                "SELECT id, name, public, supervised, visible, sort, display FROM lists "
                "ORDER BY position, id"
            )
        ]

    def get_list(self, list_id: str) -> ContactList:
        """One contact list; :class:`ContactNotFound` when there is none with this id."""
        row_id = self._list_row_id(list_id)
        rows = self._run(
            "SELECT id, name, public, supervised, visible, sort, display FROM lists WHERE id = ?",
            (row_id,),
        )
        if not rows:
            raise ContactNotFound(LIST_NOT_FOUND, list_id=list_id)
        id_, name, public, supervised, visible, sort, display = rows[0]
        entries = self._run(
            "SELECT source, contact_id FROM list_entries WHERE list_id = ? ORDER BY position",
            (row_id,),
        )
        return ContactList(
            str(id_),
            str(name),
            bool(public),
            tuple((str(s), str(c)) for s, c in entries),
            bool(supervised),
            bool(visible),
            str(sort),
            str(display),
        )

    def list_contacts(self, list_id: str) -> list[Contact]:
        """The contacts of a list, in its order: local ones as they are now, the others as
        remembered when they were added (their directory is not asked again)."""
        row_id = self._list_row_id(list_id)
        self.get_list(list_id)  # ContactNotFound for a list that is not there
        rows = self._run(
            "SELECT source, contact_id, name, number, device_id FROM list_entries "
            "WHERE list_id = ? ORDER BY position, rowid",
            (row_id,),
        )
        local_ids = [_row_id(str(r[1])) for r in rows if r[0] in VISIBILITIES]
        local = (
            {
                c.id: c
                for c in self._contacts(
                    f"WHERE id IN ({', '.join('?' * len(local_ids))})", local_ids
                )
            }
            if local_ids
            else {}
        )
        found: list[Contact] = []
        for source, contact_id, name, number, device_id in rows:
            if source in VISIBILITIES:
                contact = local.get(str(contact_id))
                if contact is not None:
                    found.append(contact)
                continue
            found.append(
                Contact(
                    id=str(contact_id),
                    source=str(source),
                    name=str(name) if name else str(contact_id),
                    numbers=(("", str(number)),) if number else (),
                    device_id=DeviceId(str(device_id)) if device_id else None,
                )
            )
        return found

    @staticmethod
    def _list_row_id(list_id: str) -> int:
        row_id = _row_id(list_id)
        if row_id is None:
            raise ContactNotFound(LIST_NOT_FOUND, list_id=list_id)
        return row_id

    def _require_list(self, db: sqlite3.Connection, list_id: str) -> int:
        row_id = self._list_row_id(list_id)
        if db.execute("SELECT 1 FROM lists WHERE id = ?", (row_id,)).fetchone() is None:
            raise ContactNotFound(LIST_NOT_FOUND, list_id=list_id)
        return row_id

    def create_list(
        self,
        name: str,
        public: bool = False,
        *,
        supervised: bool = False,
        visible: bool = False,
        sort: str = "name",
        display: str = "classic",
    ) -> ContactList:
        """A new empty list, placed after the others (TWS-2.4.2: contacts are added later)."""
        checked = check_list_name(name)
        check_list_view(sort, display)
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO lists (name, public, supervised, visible, sort, display, position) "
                "VALUES (?, ?, ?, ?, ?, ?, (SELECT coalesce(max(position) + 1, 0) FROM lists))",
                (checked, int(public), int(supervised), int(visible), sort, display),
            )
            list_id = str(cursor.lastrowid)
        return ContactList(list_id, checked, public, (), supervised, visible, sort, display)

    def edit_list(
        self,
        list_id: str,
        *,
        name: str,
        public: bool,
        supervised: bool,
        visible: bool = False,
        sort: str = "name",
        display: str = "classic",
    ) -> ContactList:
        """Change a list's properties (TWS-2.4.7: the same form as creating it)."""
        checked = check_list_name(name)
        check_list_view(sort, display)
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            db.execute(
                "UPDATE lists SET name = ?, public = ?, supervised = ?, visible = ?, sort = ?, "
                "display = ? WHERE id = ?",
                (checked, int(public), int(supervised), int(visible), sort, display, row_id),
            )
        return self.get_list(list_id)

    def rename_list(self, list_id: str, name: str) -> ContactList:
        checked = check_list_name(name)
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            db.execute("UPDATE lists SET name = ? WHERE id = ?", (checked, row_id))
        return self.get_list(list_id)

    def set_list_public(self, list_id: str, public: bool) -> ContactList:
        """Share a list with every user (TWS-2.4.2-4) or make it private again."""
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            db.execute("UPDATE lists SET public = ? WHERE id = ?", (int(public), row_id))
        return self.get_list(list_id)

    def delete_list(self, list_id: str) -> None:
        """Delete a list (its contacts stay in their directories)."""
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            db.execute("DELETE FROM list_entries WHERE list_id = ?", (row_id,))
            db.execute("DELETE FROM lists WHERE id = ?", (row_id,))

    # ---- other users' public lists added to mine (TWS-2.4.5/-6) ---------------------------

    def subscriptions(self) -> list[Subscription]:
        """The public lists of others I added, in the order I added them."""
        return [
            Subscription(str(shared_id), str(name), str(owner))
            for shared_id, name, owner in self._run(
                "SELECT shared_id, name, owner FROM subscriptions ORDER BY position"
            )
        ]

    def subscribe(self, shared_id: str, name: str, owner: str) -> Subscription:
        """Add another user's public list to mine (again: its name and owner are refreshed)."""
        if not shared_id.strip():
            raise ContactNotFound(LIST_NOT_FOUND, list_id=shared_id)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO subscriptions (shared_id, name, owner, position) VALUES (?, ?, ?, "
                "(SELECT COALESCE(MAX(position), -1) + 1 FROM subscriptions)) "
                "ON CONFLICT (shared_id) DO UPDATE SET name = excluded.name, "
                "owner = excluded.owner",
                (shared_id, name, owner),
            )
        return Subscription(shared_id, name, owner)

    def unsubscribe(self, shared_id: str) -> None:
        """Take another user's public list out of mine (it stays public for everyone else)."""
        with self.transaction() as db:
            db.execute("DELETE FROM subscriptions WHERE shared_id = ?", (shared_id,))

    def add_to_list(
        self, list_id: str, source: str, contact_id: str, *, card: Contact | None = None
    ) -> ContactList:
        """Put a contact of any directory at the end of a list; already there: nothing changes.

        A local contact (``source`` ``"private"``/``"public"``) must exist in that directory;
        a contact of another directory (the backend's) is taken as given, and its ``card``
        (name, first number, device) is remembered for showing the list.
        """
        source, contact_id = (source or "").strip(), (contact_id or "").strip()
        if not source or not contact_id:
            raise InvalidContactInput(LIST_ENTRY_INVALID)
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            if source in VISIBILITIES:
                local = _row_id(contact_id)
                found = db.execute(
                    "SELECT 1 FROM contacts WHERE id = ? AND visibility = ?", (local, source)
                ).fetchone()
                if local is None or found is None:
                    raise ContactNotFound(CONTACT_NOT_FOUND, contact_id=contact_id)
            remembered: tuple[str | None, str | None, DeviceId | None] = (None, None, None)
            if card is not None and source not in VISIBILITIES:
                number = card.numbers[0][1] if card.numbers else None
                remembered = (card.name, number, card.device_id)
            db.execute(
                "INSERT INTO list_entries (list_id, position, source, contact_id, name, "
                "number, device_id) VALUES (?, (SELECT coalesce(max(position) + 1, 0) "
                "FROM list_entries WHERE list_id = ?), ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (row_id, row_id, source, contact_id, *remembered),
            )
        return self.get_list(list_id)

    def remove_from_list(self, list_id: str, source: str, contact_id: str) -> ContactList:
        """Take a contact out of a list (TWS-2.4.4); not in it: nothing changes."""
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            db.execute(
                "DELETE FROM list_entries WHERE list_id = ? AND source = ? AND contact_id = ?",
                (row_id, source, contact_id),
            )
        return self.get_list(list_id)

    def move_list(self, list_id: str, step: int) -> int:
        """Move a list ``step`` places (negative: up), within bounds; return its new index."""
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            order = [
                int(row[0])
                for row in db.execute("SELECT id FROM lists ORDER BY position, id").fetchall()
            ]
            order, target = _moved(order, order.index(row_id), step)
            db.executemany(
                "UPDATE lists SET position = ? WHERE id = ?",
                [(position, id_) for position, id_ in enumerate(order)],
            )
        return target

    def move_entry(self, list_id: str, index: int, step: int) -> int:
        """Move the entry at ``index`` of a list ``step`` places; return its new index."""
        with self.transaction() as db:
            row_id = self._require_list(db, list_id)
            order = [
                int(row[0])
                for row in db.execute(
                    "SELECT rowid FROM list_entries WHERE list_id = ? ORDER BY position, rowid",
                    (row_id,),
                ).fetchall()
            ]
            if not 0 <= index < len(order):
                raise ContactNotFound(ENTRY_NOT_FOUND, list_id=list_id, index=index)
            order, target = _moved(order, index, step)
            db.executemany(
                "UPDATE list_entries SET position = ? WHERE rowid = ?",
                [(position, rowid) for position, rowid in enumerate(order)],
            )
        return target
