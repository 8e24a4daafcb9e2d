"""The CardDAV address book in the contact manager (issue 22).

A mixin of :class:`~tws_tui.console.screens.contacts.manager.ContactManagerScreen`. When
``[carddav] url`` is set, the left pane has the book after the two local directories
(``☁ <its display name>`` and its count; source key ``carddav``), its contacts on the right
like any directory's, and under them the last sync: when, how it went, and whether the book is
read-only or two-way. Ctrl+S (``manager.carddav_sync``) synchronises it now; the pane redraws
when any sync ends (``Topic.DIRECTORY``). New, edit and delete on its contacts go to the server
when the book is two-way, and are refused with the reason when it is read-only
(:class:`~tws_tui.console.screens.contacts.actions.ContactActions`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tws_tui.contacts.carddav_store import SOURCE as CARDDAV
from tws_tui.contacts.carddav_store import CardDavStoreError
from tws_tui.core.model import Contact
from tws_tui.domain.format import cut
from tws_tui.domain.text import name_key
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen

    from tws_tui.console.api import ConsoleApi
    from tws_tui.contacts.carddav import CardDavBook

    _Pane = Screen[None]  # a mixin of the manager: checked as the screen it is part of
else:
    _Pane = object

NAME_WIDTH = 27  # as the other rows of the manager's left pane


class CardDavPane(_Pane):
    """The manager's part for the CardDAV address book (see the module docstring)."""

    tws: ConsoleApi

    if TYPE_CHECKING:  # provided by the manager

        def reload(self, selected: Contact | None = None) -> None: ...

    def _book(self) -> CardDavBook | None:
        return self.tws.carddav.book()

    def carddav_rows(self) -> dict[str, tuple[str, str]]:
        """The book's row in the left pane (none without ``[carddav] url``)."""
        book = self._book()
        if book is None:
            return {}
        try:
            status = book.status()
        except CardDavStoreError as error:  # said in its row, not raised
            return {CARDDAV: (cut(f"☁ CardDAV — {error}", NAME_WIDTH), "!")}
        return {CARDDAV: (cut(f"☁ {status.name}", NAME_WIDTH), str(status.count))}

    def carddav_contacts(self, source: str) -> list[Contact] | None:
        """The book's contacts when it is selected (None: another source)."""
        if source != CARDDAV:
            return None
        book = self._book()
        if book is None:
            return []
        by = self.tws.prefs.contacts.name_sort
        try:
            return sorted(book.contacts(), key=lambda c: name_key(c.name, by))
        except CardDavStoreError:  # the note under the contacts says why
            return []

    def carddav_note(self, source: str) -> str:
        """Under the book's contacts: its mode and last sync; else ""."""
        book = self._book() if source == CARDDAV else None
        if book is None:
            return ""
        mode = _("two-way") if book.two_way else _("read-only")
        try:
            status = book.status()
        except CardDavStoreError as error:
            return f"{mode} — {error}"
        if self.tws.carddav.running:
            last = _("synchronising…")
        elif status.when is None:
            last = _("never synchronised (Ctrl+S)")
        else:
            synced = datetime.fromtimestamp(status.when)
            today = datetime.fromtimestamp(self.tws.clock.now().timestamp()).date()
            when = synced.strftime("%H:%M" if synced.date() == today else "%d/%m %H:%M")
            last = _("synced {when}: {result}").format(when=when, result=status.result)
        return f"{mode} — {last}"

    def action_carddav_sync(self) -> None:
        """Ctrl+S: the CardDAV address book synchronised now."""
        self.tws.carddav.sync_now()
        self.reload()  # "synchronising…" under its contacts
