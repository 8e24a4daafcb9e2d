"""The "only me" notes from the Contacts screen, the contact manager and the business card
(TWP-4.1.4-1): the key (``contacts.private_note``, ``card.private_note``) opens
``modals/private_note.py`` on the selected contact, the note is kept in the journal
(``journal.private_notes``, through ``ConsoleApi.local_journal``) and the card lists them,
newest first, as typed: markup and escape sequences shown literally (``domain.text``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Contact
from tws_tui.domain.format import day_and_time
from tws_tui.domain.text import shown_literally
from tws_tui.journal.private_notes import PrivateNote, about_contact
from tws_tui.platform.i18n import _

#: How many notes the business card lists at most.
CARD_NOTES = 10


def write_private_note(
    api: ConsoleApi, contact: Contact | None, kept: Callable[[], None] | None = None
) -> None:
    """Ask for a note on ``contact`` and keep it; ``kept`` runs once it is (the card redraws)."""
    from tws_tui.console.screens.modals.private_note import PrivateNoteScreen

    if contact is None:
        api.notify(_("Select a contact to write a note on."), severity="warning")
        return
    about = about_contact(contact)

    def typed(text: str | None) -> None:
        if text is None:
            return

        async def keep() -> None:
            if not await api.local_journal.add_private_note(about, text):
                api.notify(
                    _("The note could not be kept: the journal is not available."),
                    severity="error",
                )
                return
            api.notify(
                _("Note on {name} kept: only you see it.").format(name=contact.name),
                markup=False,
            )
            if kept is not None:
                kept()

        api.run_background(keep, group="private-note")

    api.push_screen(PrivateNoteScreen(contact.name), typed)


async def notes_on(api: ConsoleApi, contact: Contact) -> list[PrivateNote]:
    """My newest notes on ``contact`` (none when the journal cannot be read)."""
    found = await api.local_journal.private_notes(about_contact(contact))
    return (found or [])[:CARD_NOTES]


def note_lines(notes: list[PrivateNote], now: datetime, *, clock_24h: bool) -> list[str]:
    """The card's lines for ``notes``: a heading, then each note's day and time and text."""
    if not notes:
        return []
    lines = ["", _("My notes (only me):")]
    for note in notes:
        when = day_and_time(note.at, now, clock_24h=clock_24h)
        lines.append(f"  {when}  {shown_literally(note.text)}")
    return lines
