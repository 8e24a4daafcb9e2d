"""The server's garbage-collector policy (tws_tui/server/heap.py): the survivors of a full
collection are frozen out of the next ones, garbage cycles among them are freed after the
sweep, the collector is given back as found when the last server stops, and the server starts
the policy by default."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

from tws_tui.server.heap import HeapFreezer
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig, ServerState


class Node:
    """A cycle: reference counting alone never frees it, only the collector."""

    def __init__(self) -> None:
        self.me = self


def _tracked(obj: object) -> bool:
    """Whether the collector's generations hold ``obj`` (frozen objects are in none)."""
    return any(o is obj for o in gc.get_objects())


async def _ticks() -> None:
    for _ in range(3):  # the freeze is scheduled on the loop after the collection
        await asyncio.sleep(0)


def test_survivors_of_a_full_collection_are_frozen_and_cycles_freed_after_the_sweep() -> None:
    assert HeapFreezer._running == 0, "a server of an earlier test is still running"

    async def scenario() -> None:
        heap = HeapFreezer(sweep_s=0.2)
        heap.start()
        try:
            node = Node()
            alive = weakref.ref(node)
            assert _tracked(node)
            gc.collect()
            await _ticks()
            assert heap.frozen_after_full >= 1
            assert not _tracked(node), "a survivor of the full collection stays tracked"
            del node
            gc.collect()
            assert alive() is not None  # frozen: even a full collection leaves it
            await asyncio.sleep(0.3)  # the sweep gives the heap back to the collector
            gc.collect()
            assert alive() is None
        finally:
            heap.stop()

    asyncio.run(scenario())
    assert gc.get_freeze_count() == 0


def test_the_collector_is_given_back_when_the_last_server_stops() -> None:
    assert HeapFreezer._running == 0, "a server of an earlier test is still running"

    async def scenario() -> None:
        first, second = HeapFreezer(), HeapFreezer()
        first.start()
        second.start()
        assert gc.get_freeze_count() > 0
        first.stop()
        assert gc.get_freeze_count() > 0  # the second server still runs
        second.stop()
        assert gc.get_freeze_count() == 0
        second.stop()  # twice: nothing more
        assert HeapFreezer._running == 0

    asyncio.run(scenario())


def test_a_server_freezes_its_heap_by_default_and_not_when_told(tmp_path: Path) -> None:
    async def scenario(config: ServerConfig) -> tuple[int, int]:
        state = ServerState(config, Pbx(seed=0))
        state.start()
        frozen = gc.get_freeze_count()
        state.stop()
        return frozen, gc.get_freeze_count()

    frozen, after = asyncio.run(scenario(ServerConfig(data_dir=tmp_path / "a")))
    assert frozen > 0 and after == 0
    frozen, after = asyncio.run(scenario(ServerConfig(data_dir=tmp_path / "b", heap_sweep_s=0)))
    assert frozen == 0 and after == 0
