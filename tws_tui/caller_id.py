"""``CallerIds``: who is calling, from the directory (reverse lookup), for calls and queues.

A call or a waiting caller that arrives with a number and no name gets the name the directory
has for that number (TWS-3.1.1-1, TWS-3.1.3-1); a number nobody has stays unnamed ("Unknown"),
a withheld one stays withheld. What else the directory knows (company, department) is kept for
the queues that show extra caller information (TWS-6.5.1-4, ``[queues] extra_info``).

Each number is looked up once (cached, at most :data:`REVERSE_LOOKUP_S` of waiting; a failing
or slow directory is logged and does not hold up the event), and a queue event looks up at
most :data:`LOOKUPS_PER_QUEUE_EVENT` new callers, so a busy queue never stalls the console.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace

from tws_tui.core.events import CallEvent, Event, QueueEvent
from tws_tui.core.model import Contact, Party
from tws_tui.core.protocols import CallControl

log = logging.getLogger(__name__)

REVERSE_LOOKUP_S = 0.5
CACHE_SIZE = 1000
LOOKUPS_PER_QUEUE_EVENT = 5


class CallerIds:
    """Reverse lookups through the current backend's directory, cached by number."""

    def __init__(self, backend: Callable[[], CallControl | None]) -> None:
        self._backend = backend
        self._contacts: dict[str, Contact | None] = {}

    def extra(self, number: str | None) -> str:
        """What the directory knows of ``number`` beyond the name: ``"ACME, Achats"``."""
        contact = self._contacts.get(number) if number else None
        if contact is None:
            return ""
        parts = (contact.company, contact.department)
        return ", ".join(part for part in parts if part and part != contact.name)

    async def identify(self, event: Event) -> Event:
        """``event`` with its unnamed callers named where the directory knows them."""
        if isinstance(event, CallEvent):
            remote = await self._named(event.call.remote, lookup=True)
            if remote is not event.call.remote:
                return replace(event, call=replace(event.call, remote=remote))
            return event
        if isinstance(event, QueueEvent) and event.queue.waiting:
            budget = LOOKUPS_PER_QUEUE_EVENT
            waiting = []
            for call in event.queue.waiting:
                number = call.caller.number
                lookup = budget > 0 and number is not None and number not in self._contacts
                budget -= lookup
                caller = await self._named(call.caller, lookup=lookup)
                waiting.append(call if caller is call.caller else replace(call, caller=caller))
            return replace(event, queue=replace(event.queue, waiting=tuple(waiting)))
        return event

    async def _named(self, party: Party, *, lookup: bool) -> Party:
        number = party.number
        if not number or self._backend() is None:
            return party
        if number not in self._contacts:
            if not lookup:
                return party
            if len(self._contacts) > CACHE_SIZE:
                self._contacts.clear()
            self._contacts[number] = await self._reverse(number)
        contact = self._contacts[number]
        if party.name or contact is None:
            return party
        return replace(party, name=contact.name)

    async def _reverse(self, number: str) -> Contact | None:
        backend = self._backend()
        directory = backend.directory if backend is not None else None
        if directory is None:
            return None
        try:
            return await asyncio.wait_for(directory.reverse(number), REVERSE_LOOKUP_S)
        except Exception as error:  # a slow or failing directory must not hold up the call
            log.warning("reverse lookup of %s failed: %s", number, error)
            return None
