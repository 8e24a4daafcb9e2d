"""``ListSupervision``: what the local contact lists mean for the console — the colleagues the
supervised lists hold (their tiles, the interception notices of TWS-2.4.2-5), the lists shown on
the home screen with their contacts (TWS-2.4.2-3), and my public lists published on the phone
system for the other users (TWS-2.4.5-1).

The lists are read again in a worker thread (:meth:`ListSupervision.refresh`) after a
connection and whenever a screen changed them; a change of what is shown publishes
``Topic.DEVICES``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from tws_tui.console.api import ConsoleApi
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import Contact
from tws_tui.core.topics import Topic
from tws_tui.domain.format import describe_error
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.contacts.sharing import ListSharing
    from tws_tui.contacts.store import ContactList

    ListsWithContacts = tuple[tuple[ContactList, tuple[Contact, ...]], ...]

log = logging.getLogger(__name__)


class ListSupervision:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        #: The colleagues of the supervised contact lists, read off the UI loop.
        self.supervised: tuple[str, ...] = ()
        #: The lists shown on the home screen with their contacts, read likewise.
        self.home_lists: ListsWithContacts = ()
        self.sharing: ListSharing | None = None  # my public lists on the phone system

    def reconnected(self) -> None:
        """A (maybe new) phone system: it is asked again what it holds of my lists."""
        self.sharing = None

    def refresh(self) -> None:
        """Read the contact lists again, in a thread."""
        self.api.run_background(self._read, group="list-supervision")

    async def _read(self) -> None:
        from tws_tui.contacts.store import ContactStoreError

        directories = self.api.directories()
        store = directories.store if directories is not None else None
        if store is None:
            return
        backend = self.api.backend
        sharing = backend is not None and backend.shared_lists is not None

        def read() -> tuple[tuple[str, ...], ListsWithContacts, ListsWithContacts]:
            devices: list[str] = []
            home: list[tuple[ContactList, tuple[Contact, ...]]] = []
            public: list[tuple[ContactList, tuple[Contact, ...]]] = []
            for contact_list in store.lists():
                shared = contact_list.public and sharing  # only read when it is published
                if not (contact_list.supervised or contact_list.visible or shared):
                    continue
                contacts = tuple(store.list_contacts(contact_list.id))
                if contact_list.supervised:
                    devices += [c.device_id for c in contacts if c.device_id]
                if contact_list.visible:
                    home.append((contact_list, contacts))
                if shared:
                    public.append((contact_list, contacts))
            return tuple(dict.fromkeys(devices)), tuple(home), tuple(public)

        try:
            supervised, home, public = await asyncio.to_thread(read)
        except ContactStoreError as error:
            log.warning("supervised contact lists left out: %s", error)
            return
        if (supervised, home) != (self.supervised, self.home_lists):
            self.supervised, self.home_lists = supervised, home
            self.api.topics_changed({Topic.DEVICES})
        await self._share(public)

    async def _share(self, public: ListsWithContacts) -> None:
        """My public lists, on the phone system for the other users."""
        from tws_tui.contacts.sharing import ListSharing

        backend = self.api.backend
        shared_lists = backend.shared_lists if backend is not None else None
        if shared_lists is None:
            return
        if self.sharing is None:
            self.sharing = ListSharing()
        try:
            await self.sharing.sync(shared_lists, public)
        except CallControlError as error:
            log.warning("public lists not shared: %s", error)
            self.api.notify(
                _("Your public lists could not be shared: {error}").format(
                    error=describe_error(error)
                ),
                severity="warning",
                markup=False,
            )
