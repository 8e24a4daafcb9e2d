"""Where the console's public directory lives, and the writes that put a contact in it.

When the backend keeps a public directory (``Capability.SHARED_CONTACTS``: the CTI server's
shared contacts, ``source`` :data:`SHARED`), the public directory *is* the server's: every user
sees its contacts (the backend's search and reverse lookup find them). Making a contact public
adds it there (and only once the server took it is the local copy removed: nothing is lost),
changing a public contact changes it there, making it private copies it into the private
directory before deleting it there. Only its author (or a supervisor) may change or delete a
shared contact: the server's refusal comes back as :class:`PublicDirectoryRefused`, in words.

When it does not (the simulator, SIP), the public directory is the local contact store's
``public`` directory, a file on this machine that no other user sees (:attr:`on_server`
False; the form says so).

Local public contacts left from before (made while the public directory was local) are
published with :meth:`PublicDirectory.publish_local` when the user agrees. A local contact
published stays in the contact lists that held it (as the server's, at the list's end).

The methods block: they run in the contact store's thread, where every contact write runs in
order, and hand the backend's coroutines to the console's event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from typing import Any, TypeVar

from tws_tui.contacts.rules import PRIVATE, PUBLIC
from tws_tui.contacts.store import ContactStore
from tws_tui.core.errors import N_, BackendTimeout, CallControlError
from tws_tui.core.model import Contact
from tws_tui.core.protocols import SharedContacts
from tws_tui.domain.format import describe_error

#: The ``source`` of the contacts of the phone system's public directory.
SHARED = "shared"
#: How long a write to the server may take before it is given up (said as a timeout).
SERVER_TIMEOUT_S = 15.0

T = TypeVar("T")


class PublicDirectoryRefused(Exception):
    """The phone system refused or failed a write to its public directory (in words)."""


def is_public(contact: Contact) -> bool:
    return contact.source in (PUBLIC, SHARED)


class PublicDirectory:
    def __init__(
        self,
        store: ContactStore,
        shared: SharedContacts | None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        """``loop`` runs the backend's coroutines (the console's); needed with ``shared``."""
        self.store = store
        self.shared = shared
        self.loop = loop

    @property
    def on_server(self) -> bool:
        """Whether the public directory is the phone system's (every user sees it)."""
        return self.shared is not None

    def _server(self, work: Coroutine[Any, Any, T]) -> T:
        assert self.loop is not None, "a loop is needed to reach the server"
        future = asyncio.run_coroutine_threadsafe(work, self.loop)
        try:
            return future.result(SERVER_TIMEOUT_S)
        except TimeoutError:
            future.cancel()
            error: CallControlError = BackendTimeout(
                N_("No answer from the phone system within {seconds} s"), seconds=SERVER_TIMEOUT_S
            )
        except CallControlError as refused:
            error = refused
        raise PublicDirectoryRefused(describe_error(error))

    def save(self, contact: Contact, before: Contact | None = None) -> Contact:
        """``contact`` written where its directory is; ``before`` is the contact as it was
        (None, or an empty id, for a new one). Returns it as saved."""
        was_shared = before is not None and before.source == SHARED and bool(before.id)
        wants_public = contact.source in (PUBLIC, SHARED)
        if self.shared is None or not (was_shared or wants_public):
            if contact.source == SHARED:  # no server any more: kept as a public one here
                contact = dataclasses.replace(contact, source=PUBLIC, id="")
            return self.store.update(contact) if contact.id else self.store.add(contact)
        shared = self.shared
        if was_shared and wants_public:
            assert before is not None
            changed = dataclasses.replace(contact, id=before.id, source=SHARED)
            return self._server(shared.update(changed))
        if was_shared:  # to the private directory: copied here, then deleted there
            assert before is not None
            copy = self.store.add(dataclasses.replace(contact, id="", source=PRIVATE))
            try:
                self._server(shared.delete(before.id))
            except PublicDirectoryRefused:
                self.store.delete(copy.id)
                raise
            return copy
        added = self._server(shared.add(dataclasses.replace(contact, source=SHARED)))
        if before is not None and before.id and before.source != SHARED:
            self._keep_in_lists((before.source, before.id), added)
            self.store.delete(before.id)  # the local one, now on the server
        return added

    def _keep_in_lists(self, entry: tuple[str, str], now: Contact) -> None:
        """``now`` put in the lists that held the local contact ``entry`` (at their end)."""
        for contact_list in self.store.lists():
            if entry in contact_list.entries:
                self.store.add_to_list(contact_list.id, now.source, now.id, card=now)

    def toggle(self, contact: Contact) -> Contact:
        """``contact`` moved to the other directory (public ↔ private); a public contact
        left on this machine while the phone system keeps the public directory goes there."""
        if contact.source != SHARED:
            contact = self.store.get(contact.id) or contact  # as it is when the write runs
        if contact.source == PUBLIC and self.shared is not None:
            return self.save(dataclasses.replace(contact, source=SHARED), contact)
        target = PRIVATE if is_public(contact) else PUBLIC
        return self.save(dataclasses.replace(contact, source=target), contact)

    def delete(self, contact: Contact) -> None:
        if contact.source == SHARED and self.shared is not None:
            self._server(self.shared.delete(contact.id))
        else:
            self.store.delete(contact.id)

    def local_public(self) -> list[Contact]:
        """The public contacts kept on this machine."""
        return self.store.all(PUBLIC)

    def publish_local(self) -> tuple[int, str | None]:
        """The local public contacts added to the server's public directory, one by one, each
        removed here once the server has it; ``(how many, why it stopped or None)``."""
        done = 0
        for contact in self.local_public():
            try:
                self.save(dataclasses.replace(contact, source=SHARED), contact)
            except PublicDirectoryRefused as refused:
                return done, str(refused)
            done += 1
        return done, None
