"""The "only me" notes (TWP-4.1.4-1): a note on a contact or colleague that only its author sees
(deleted from the contact's event log, TWP-4.1.2-6),
kept in the journal's SQLite file (its eleventh migration, table ``private_notes``) so it
survives a restart whatever the backend; never sent to the phone system, never written into
the contact (whose own "note" detail is shared with whoever sees the contact).

A note belongs to an ``account`` (the signed-in user: another user of the same machine does
not see it) and is ``about`` one person: :func:`about_contact` names them the same way from the
Contacts screen, the contact manager and the business card.
"""

from __future__ import annotations

from datetime import datetime

from tws_tui.core.model import Contact
from tws_tui.core.values import value_class
from tws_tui.journal.store import COMMENT_MAX_CHARS, CallJournal

#: A note's length at most (the same as a comment on a call).
NOTE_MAX_CHARS = COMMENT_MAX_CHARS


@value_class
class PrivateNote:
    """One note of mine on a person, as the card lists it."""

    id: int
    at: datetime
    text: str


def about_contact(contact: Contact) -> str:
    """Whom a note is about: the colleague's device (the same colleague whichever directory
    shows them), else the contact in its directory."""
    if contact.device_id:
        return f"device:{contact.device_id}"
    return f"{contact.source}:{contact.id}"


def add_note(journal: CallJournal, account: str, about: str, text: str, at: datetime) -> int:
    """Keep ``text`` as ``account``'s note on ``about``; its id. ``ValueError`` when empty or
    over :data:`NOTE_MAX_CHARS` (the dialog says so before)."""
    if not text.strip() or len(text) > NOTE_MAX_CHARS:
        raise ValueError(f"A note is 1 to {NOTE_MAX_CHARS} characters")
    with journal.transaction() as db:
        cursor = db.execute(
            "INSERT INTO private_notes (account, about, at, text) VALUES (?, ?, ?, ?)",
            (account, about, at.isoformat(), text),
        )
        return int(cursor.lastrowid or 0)


def notes_on(journal: CallJournal, account: str, about: str) -> list[PrivateNote]:
    """``account``'s notes on ``about``, newest first."""
    rows = journal.read(
        "SELECT id, at, text FROM private_notes WHERE account = ? AND about = ?"
        " ORDER BY at DESC, id DESC",
        (account, about),
    )
    return [
        PrivateNote(int(str(note_id)), datetime.fromisoformat(str(at)), str(text))
        for note_id, at, text in rows
    ]


def delete_note(journal: CallJournal, account: str, note_id: int) -> bool:
    """Delete ``account``'s note ``note_id`` (a contact's event log, TWP-4.1.2-6); whether
    there was one (another user's note is never deleted)."""
    with journal.transaction() as db:
        cursor = db.execute(
            "DELETE FROM private_notes WHERE account = ? AND id = ?", (account, note_id)
        )
        return cursor.rowcount > 0
