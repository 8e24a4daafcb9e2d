"""``CallerIds``: who is calling, from the directory (reverse lookup), for calls and queues.

A call or a waiting caller that arrives with a number and no name gets the name the directory
has for that number (TWS-3.1.1-1, TWS-3.1.3-1); a number nobody has stays unnamed ("Unknown"),
a withheld one stays withheld. What else the directory knows (company, department) is kept for
the queues that show extra caller information (TWS-6.5.1-4, ``[queues] extra_info``).

Each number is looked up once (cached, at most :data:`REVERSE_LOOKUP_S` of waiting; a failing
or slow directory is logged and does not hold up the event). A call of mine waits for its
caller's name (the alert says who calls); a queue event does not wait at all: it starts at
most :data:`LOOKUPS_PER_QUEUE_EVENT` lookups in the background, no more than
:data:`BACKGROUND_LOOKUPS_PER_S` a second (a caller skipped is tried at the queue's next
event); ``named`` gives the name from the cache when the board is drawn, and ``on_found`` asks
for a redraw when one arrives — so a busy queue never stalls the console.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace

from tws_tui.core.events import CallEvent, Event, QueueEvent
from tws_tui.core.model import Contact, Party
from tws_tui.core.protocols import Directory

log = logging.getLogger(__name__)

REVERSE_LOOKUP_S = 0.5
CACHE_SIZE = 1000
LOOKUPS_PER_QUEUE_EVENT = 5
BACKGROUND_LOOKUPS_PER_S = 20  # a flood of queue callers is named a few at a time


class CallerIds:
    """Reverse lookups through the current backend's directory, cached by number."""

    def __init__(
        self,
        directory: Callable[[], Directory | None],
        on_found: Callable[[], None] | None = None,
    ) -> None:
        """``directory`` gives the directory to ask now (None: not connected yet);
        ``on_found`` is called when a background lookup for a queue caller has answered."""
        self._directory = directory
        self._on_found = on_found
        self._contacts: dict[str, Contact | None] = {}
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._window = (0.0, 0)  # (second started, lookups started in it)

    def named(self, party: Party) -> Party:
        """``party`` with the name the directory gave its number, if it has been looked up."""
        contact = self._contacts.get(party.number) if party.number else None
        if party.name or contact is None:
            return party
        return replace(party, name=contact.name)

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
            remote = await self._looked_up(event.call.remote)
            if remote is not event.call.remote:
                return replace(event, call=replace(event.call, remote=remote))
            return event
        if isinstance(event, QueueEvent) and self._directory() is not None:
            budget = self._background_budget()
            for call in event.queue.waiting:
                number = call.caller.number
                known = number in self._contacts or number in self._pending
                if budget and number and not known:
                    budget -= 1
                    self._spend_one()
                    self._pending[number] = asyncio.ensure_future(self._look_up_later(number))
        return event

    def _background_budget(self) -> int:
        started, used = self._window
        now = time.monotonic()
        if now - started >= 1.0:
            self._window = (now, 0)
            used = 0
        return max(0, min(LOOKUPS_PER_QUEUE_EVENT, BACKGROUND_LOOKUPS_PER_S - used))

    def _spend_one(self) -> None:
        started, used = self._window
        self._window = (started, used + 1)

    async def _look_up_later(self, number: str) -> None:
        try:
            self._contacts[number] = await self._reverse(number)
        finally:
            self._pending.pop(number, None)
        if self._contacts[number] is not None and self._on_found is not None:
            self._on_found()

    async def name(self, party: Party) -> Party:
        """``party`` named from the directory (looked up now, at most
        :data:`REVERSE_LOOKUP_S`, when its number has not been yet): a voicemail message's
        caller as a call's."""
        return await self._looked_up(party)

    async def _looked_up(self, party: Party) -> Party:
        """``party`` named from the directory, looking its number up now if need be."""
        number = party.number
        if party.name or not number or self._directory() is None:
            return party
        if number not in self._contacts:
            if len(self._contacts) > CACHE_SIZE:
                self._contacts.clear()
            self._contacts[number] = await self._reverse(number)
        return self.named(party)

    async def _reverse(self, number: str) -> Contact | None:
        directory = self._directory()
        if directory is None:
            return None
        try:
            return await asyncio.wait_for(directory.reverse(number), REVERSE_LOOKUP_S)
        except Exception as error:  # a slow or failing directory must not hold up the call
            log.warning("reverse lookup of %s failed: %s", number, error)
            return None
