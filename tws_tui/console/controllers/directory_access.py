"""``DirectoryAccess``: every directory as one — the backend's, the local contacts and the
CardDAV address book's copy when ``[carddav] url`` is set — made on first use (the local SQLite
files and their search indexes are no start-up work), and the search the dial bar and the
Contacts screen run as the operator types."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Contact

if TYPE_CHECKING:
    from tws_tui.contacts.carddav import CardDavBook
    from tws_tui.contacts.directories import Directories


class DirectoryAccess:
    def __init__(self, api: ConsoleApi) -> None:
        """The backend, the state, the ``[carddav]`` settings and the clock a CardDAV sync is
        stamped with are read from ``api`` when needed."""
        self.api = api
        self.made: Directories | None = None
        self._book: CardDavBook | None = None

    def carddav_book(self) -> CardDavBook | None:
        """The CardDAV address book (its local copy opened on first use), or None when
        ``[carddav] url`` is not set."""
        settings = self.api.prefs.carddav
        if not settings.url:
            return None
        if self._book is None or self._book.settings != settings:
            from tws_tui.contacts.carddav import CardDavBook

            clock = self.api.clock
            self._book = CardDavBook(settings, now=lambda: clock.now().timestamp())
        return self._book

    def get(self) -> Directories | None:
        """The directories, made on first use; None before a backend is connected."""
        backend = self.api.backend
        if backend is None:
            return None
        if self.made is None:
            from tws_tui.contacts.directories import Directories
            from tws_tui.contacts.store import ContactStore

            # The index of 100 000 contacts is a million long-lived objects: frozen once
            # built, so that no full garbage collection walks them again (a 30-150 ms pause
            # in the middle of typing otherwise). The one it replaces is freed by its
            # reference counts (no cycles).
            self.made = Directories(ContactStore(), backend.directory, on_index_built=gc.freeze)
        self.made.backend = backend.directory  # it may have reconnected
        self.made.shared = backend.shared_contacts
        book = self.carddav_book()
        self.made.kept = (book,) if book is not None else ()
        return self.made

    async def search(self, term: str, limit: int) -> list[Contact]:
        """Matches in every directory; my colleagues by name when there is no directory."""
        directories = self.get()
        if directories is not None:
            return await directories.search(term, limit=limit)
        folded = term.casefold()
        return [
            Contact(
                d.device_id,
                "colleagues",
                d.name,
                (("", d.extension),) if d.extension else (),
                department=d.department,
                device_id=d.device_id,
            )
            for d in sorted(self.api.state.devices.values(), key=lambda d: d.name)
            if folded in d.name.casefold()
        ][:limit]
