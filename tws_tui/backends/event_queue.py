"""``EventQueue``: the queue a backend's ``events()`` reads, and how that stream ends.

Every backend puts its events here (``put_nowait``, also from another thread through
``loop.call_soon_threadsafe``); ``close()`` calls :meth:`EventQueue.end` once, which ends
:meth:`EventQueue.until_end` after the events already queued; ``connect()`` after a close
calls :meth:`EventQueue.reopen`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from tws_tui.core.events import Event


class EventQueue(asyncio.Queue[Event | None]):
    def __init__(self) -> None:
        super().__init__()
        self.ended = False

    def reopen(self) -> None:
        self.ended = False

    def end(self) -> None:
        """End the stream (once: a second close adds nothing)."""
        if not self.ended:
            self.ended = True
            self.put_nowait(None)

    async def until_end(self) -> AsyncIterator[Event]:
        while True:
            event = await self.get()
            if event is None:
                return
            yield event
