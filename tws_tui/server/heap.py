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
* after each full collection (seen in the collector's counters within ``LOOK_S``), freeze its
  survivors: they have lived through every generation, so they are the streams' long-lived
  objects; the next full collections walk only what is new;
* every ``sweep_s``, unfreeze: the next full collection looks at everything again, so cyclic
  garbage left by closed streams is freed within ``sweep_s`` (plain garbage is freed at once by
  reference counting, frozen or not).

The collector is per process and several servers can run in one (the tests): the first
:meth:`HeapFreezer.start` freezes, the last :meth:`HeapFreezer.stop` unfreezes.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from typing import ClassVar

log = logging.getLogger(__name__)

#: Full collections see every object at least this often (s): the longest a garbage cycle of a
#: closed stream can stay frozen.
DEFAULT_SWEEP_S = 600.0
#: How often the collector's counters are looked at (s): a full collection's survivors are
#: frozen at most this long after it.
LOOK_S = 0.5


class HeapFreezer:
    """Freezes the survivors of each full collection; unfreezes every ``sweep_s``."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _running: ClassVar[int] = 0

    def __init__(self, sweep_s: float = DEFAULT_SWEEP_S, look_s: float = LOOK_S) -> None:
        self.sweep_s = sweep_s
        self.look_s = look_s
        self._task: asyncio.Task[None] | None = None
        self.frozen_after_full = 0  # full collections whose survivors were frozen

    def start(self) -> None:
        """Freeze the start-up heap and follow full collections (needs a running loop)."""
        loop = asyncio.get_running_loop()  # none: RuntimeError before anything is counted
        with HeapFreezer._lock:
            HeapFreezer._running += 1
        gc.freeze()
        full = gc.get_stats()[2]["collections"]
        self._task = loop.create_task(self._follow(full))

    def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        self._task = None
        with HeapFreezer._lock:
            HeapFreezer._running -= 1
            last = HeapFreezer._running == 0
        if last:
            gc.unfreeze()

    async def _follow(self, full: int) -> None:
        # Looks at the collector's counters rather than registering in ``gc.callbacks``: a
        # callback would run Python code inside every collection, wherever it happens (in the
        # middle of C code building an AST, say, where a switch to another thread confuses
        # CPython 3.11's recursion bookkeeping: gh-106905).
        swept = time.monotonic()
        while True:
            await asyncio.sleep(self.look_s)
            now = gc.get_stats()[2]["collections"]
            if now != full:
                full = now
                gc.freeze()
                self.frozen_after_full += 1
            if time.monotonic() - swept >= self.sweep_s:
                swept = time.monotonic()
                frozen = gc.get_freeze_count()
                gc.unfreeze()
                log.debug("heap sweep: %d objects back under the collector", frozen)
