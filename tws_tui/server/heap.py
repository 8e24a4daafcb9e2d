"""The server's garbage-collector policy: long-lived objects kept out of full collections.

Owns :class:`HeapFreezer`. Why: a server holding 1 000 event streams has ~140 long-lived
objects per stream (connection, parser, tasks, buffers). CPython's full collection walks every
one of them, ~100 ms on this machine, and nothing else runs meanwhile: each such pause is felt
by every stream as latency (``bench/cti_fanout.py`` at 1 000 clients x 20 events/s measured
p99 95 ms with two full collections in 10 s, their longest 103 ms; with the long-lived objects
frozen, 45 ms and 3.6 ms — bench/README.md).

The policy, with :func:`gc.freeze` (the standard library's way to move the objects alive now
out of the collector's generations):

* at start, freeze what the start-up built (modules, the simulator, the directory);
* after each full collection, freeze its survivors: they have lived through every generation,
  so they are the streams' long-lived objects; the next full collections walk only what is new;
* every ``sweep_s``, unfreeze: the next full collection looks at everything again, so cyclic
  garbage left by closed streams is freed within ``sweep_s`` (plain garbage is freed at once by
  reference counting, frozen or not).

The collector is per process and several servers can run in one (the tests): the first
:meth:`HeapFreezer.start` freezes, the last :meth:`HeapFreezer.stop` unfreezes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
from typing import ClassVar

log = logging.getLogger(__name__)

#: Full collections see every object at least this often (s): the longest a garbage cycle of a
#: closed stream can stay frozen.
DEFAULT_SWEEP_S = 600.0


class HeapFreezer:
    """Freezes the survivors of each full collection; unfreezes every ``sweep_s``."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _running: ClassVar[int] = 0

    def __init__(self, sweep_s: float = DEFAULT_SWEEP_S) -> None:
        self.sweep_s = sweep_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self.frozen_after_full = 0  # full collections whose survivors were frozen

    def start(self) -> None:
        """Freeze the start-up heap and follow full collections (needs a running loop)."""
        self._loop = asyncio.get_running_loop()
        with HeapFreezer._lock:
            HeapFreezer._running += 1
        gc.freeze()
        gc.callbacks.append(self._after_collection)
        self._sweeper = self._loop.create_task(self._sweep())

    def stop(self) -> None:
        if self._sweeper is None:
            return
        self._sweeper.cancel()
        self._sweeper = None
        with contextlib.suppress(ValueError):
            gc.callbacks.remove(self._after_collection)
        with HeapFreezer._lock:
            HeapFreezer._running -= 1
            last = HeapFreezer._running == 0
        if last:
            gc.unfreeze()

    def _after_collection(self, phase: str, info: dict[str, int]) -> None:
        # Called by the collector itself, in whichever thread allocated: freeze from the loop,
        # once the collection is over.
        if phase != "stop" or info.get("generation") != 2 or self._loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            self._loop.call_soon_threadsafe(self._freeze_survivors)

    def _freeze_survivors(self) -> None:
        if self._sweeper is None:
            return
        gc.freeze()
        self.frozen_after_full += 1

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_s)
            frozen = gc.get_freeze_count()
            gc.unfreeze()
            log.debug("heap sweep: %d objects back under the collector", frozen)
