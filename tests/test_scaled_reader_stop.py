"""Stopping a task that loops on a blocking Redis read, over a real Redis.

redis-py can lose a cancellation that arrives as a blocking read returns: the task then reads
again, and a switch that stepped down never ended (one run in four in CI, measured). The
readers of the scaled mode stop on a flag set before the cancellation, and
:func:`~tws_tui.server.stream_redis.end_reader` waits for them a bounded time.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from redis_server import redis_url

from tws_tui.core.clock import SystemClock
from tws_tui.server.stream_redis import Keys, StreamReader, end_reader, redis_client

__all__ = ["redis_url"]


def _swallow_one_cancel(reader: StreamReader) -> list[str]:
    """Make the reader's next cancelled read lose its cancellation, as redis-py can."""
    real = reader.redis.xread
    seen: list[str] = []

    async def xread(*args: Any, **kwargs: Any) -> Any:
        try:
            return await real(*args, **kwargs)
        except asyncio.CancelledError:
            if seen:
                raise
            seen.append("swallowed")
            current = asyncio.current_task()
            assert current is not None
            current.uncancel()
            return None

    reader.redis.xread = xread  # type: ignore[method-assign]
    return seen


def test_a_reader_that_loses_its_cancellation_still_stops(redis_url: str) -> None:
    async def scenario() -> tuple[list[str], float, bool]:
        reader = StreamReader(
            redis_client(redis_url), Keys("t"), SystemClock(), block_ms=300, instance="one"
        )
        seen = _swallow_one_cancel(reader)
        reader.start()
        await asyncio.sleep(0.2)  # in its blocking read
        started = time.monotonic()
        await reader.stop()
        assert reader._task is not None
        return seen, time.monotonic() - started, reader._task.done()

    seen, took, done = asyncio.run(scenario())
    assert seen == ["swallowed"]  # the cancellation was indeed lost once
    assert done
    assert took < 0.3 + 1  # its current read, at most


def test_end_reader_gives_up_on_a_task_that_never_ends() -> None:
    async def scenario() -> tuple[bool, float]:
        stubborn_until = asyncio.Event()

        async def stubborn() -> None:
            while not stubborn_until.is_set():
                try:
                    await asyncio.sleep(0.05)
                except asyncio.CancelledError:
                    continue

        task = asyncio.get_running_loop().create_task(stubborn())
        await asyncio.sleep(0)
        started = time.monotonic()
        await end_reader(task, 0.2)
        took = time.monotonic() - started
        done = task.done()
        stubborn_until.set()
        await task
        return done, took

    done, took = asyncio.run(scenario())
    assert not done and 0.2 <= took < 1
