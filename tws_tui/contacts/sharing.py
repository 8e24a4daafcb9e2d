"""My public contact lists on the phone system, so that other users can add them to theirs
(TWS-2.4.5-1: "public lists" are the ones every user sees in their contact manager).

A local list marked public (the list form, or ``p`` in the manager) is the source of truth: the
console publishes it (name and contact cards) through the backend's
:class:`~tws_tui.core.protocols.SharedLists` whenever it changes, and withdraws it when it is no
longer public or is deleted. :class:`ListSharing` remembers what it sent, so a change to one
contact re-sends only the lists that hold it; the first sync after connecting asks the phone
system which of its lists are mine (a list made private while the console was away is
withdrawn then). A phone system without public lists (``shared_lists`` is None) is simply not
told. The owner's private contacts in a public list stay in it on this desk but are never sent:
other users do not see them (TWS-2.4.3-1); nor are the details carried unseen for a vCard export
(:data:`~tws_tui.contacts.rules.HIDDEN_DETAIL_KINDS`: a photo, another program's fields). No
Textual here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from tws_tui.contacts.rules import PRIVATE, shown_details
from tws_tui.contacts.store import ContactList
from tws_tui.core.model import Contact, SharedList
from tws_tui.core.protocols import SharedLists

Sent = tuple[str, tuple[Contact, ...]]  # what the phone system holds: name and cards


def _card(contact: Contact) -> Contact:
    """What is sent of ``contact``: all but its hidden details."""
    shown = shown_details(contact)
    return contact if shown == contact.details else dataclasses.replace(contact, details=shown)


def own_id(shared: SharedList) -> str:
    """My own id of one of my shared lists (the system's id is ``<owner>/<my id>``)."""
    return shared.id.rsplit("/", 1)[-1]


class ListSharing:
    """Keeps the phone system's copies of my public lists in step with the local lists."""

    def __init__(self) -> None:
        self._sent: dict[str, Sent] | None = None  # None: not asked the system yet

    async def sync(
        self,
        shared_lists: SharedLists,
        public: Iterable[tuple[ContactList, tuple[Contact, ...]]],
    ) -> int:
        """Publish what changed, withdraw what is no longer public; the requests made."""
        if self._sent is None:
            mine = [shared for shared in await shared_lists.lists() if shared.mine]
            self._sent = {own_id(shared): (shared.name, shared.contacts) for shared in mine}
        wanted: dict[str, Sent] = {
            lst.id: (lst.name, tuple(_card(c) for c in contacts if c.source != PRIVATE))
            for lst, contacts in public
        }
        requests = 0
        for list_id in sorted(self._sent.keys() - wanted.keys()):
            await shared_lists.withdraw(list_id)
            del self._sent[list_id]
            requests += 1
        for list_id, (name, contacts) in wanted.items():
            if self._sent.get(list_id) != (name, contacts):
                await shared_lists.publish(list_id, name, list(contacts))
                self._sent[list_id] = (name, contacts)
                requests += 1
        return requests
