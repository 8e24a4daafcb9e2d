"""``SerialThread``: one thread that runs blocking work (a local SQLite file) in the order asked.

The console's loop must never wait for a disk (ARCHITECTURE §3: local SQLite work runs in
workers). Each local database gets one of these: its work runs off the loop, one piece at a
time, so two writes never cross and a read sees the writes asked before it. Awaiting
:meth:`SerialThread.run` can be cancelled (a screen closed); the work itself still completes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class SerialThread:
    def __init__(self, name: str) -> None:
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def run(self, work: Callable[[], T]) -> T:
        """``work()`` in this thread, after the work asked before it."""
        return await asyncio.shield(asyncio.wrap_future(self._pool.submit(work)))
