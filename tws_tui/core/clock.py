"""Time, injected: the real clock for the app, a manual one for tests and snapshots.

A ``Clock`` tells the time and schedules callbacks. Nothing in the project calls
``datetime.now()`` or ``loop.call_later`` directly; it asks the clock, so a test can freeze
time or advance it by exactly 12.5 seconds and see every timer that falls due fire in order.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
    def call_later(self, delay_s: float, callback: Callable[[], None]) -> TimerHandle: ...


class SystemClock:
    """Wall-clock time; timers on the running asyncio loop."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> TimerHandle:
        return asyncio.get_running_loop().call_later(max(0.0, delay_s), callback)


class _ManualTimer:
    __slots__ = ("callback", "cancelled", "due")

    def __init__(self, due: datetime, callback: Callable[[], None]) -> None:
        self.due = due
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A frozen clock that moves only when told to (``advance``), firing due timers in order."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)
        self._timers: list[tuple[datetime, int, _ManualTimer]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return self._now

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> TimerHandle:
        timer = _ManualTimer(self._now + timedelta(seconds=max(0.0, delay_s)), callback)
        heapq.heappush(self._timers, (timer.due, next(self._order), timer))
        return timer

    def pending(self) -> int:
        """How many timers are still armed."""
        return sum(1 for _, _, timer in self._timers if not timer.cancelled)

    def advance(self, seconds: float) -> None:
        """Move time forward, running every timer due on the way, in due order."""
        target = self._now + timedelta(seconds=seconds)
        while self._timers and self._timers[0][0] <= target:
            due, _, timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._now = max(self._now, due)
            timer.callback()
        self._now = target
