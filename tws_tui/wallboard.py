"""``tws-tui wallboard``: the queues on one line, for a small terminal or a tmux status line.

:func:`tws_tui.domain.queue_board.wallboard_line` turns the queues into one line per update::

    Accueil 3 ■0:42 · Commercial 0 · Support technique 1 ·0:05 │ agents 4 ready 1 paused 2 busy

(each shown queue: waiting count and, when someone waits, the longest wait with the same
symbols as the Queues screen: ``·`` under ``warn_after_s``, ``▲`` from it, ``■`` from
``alert_after_s``). Hidden queues (``[queues] hidden``) are left out, ``[queues] order`` is
followed. ``run_wallboard`` connects to the backend without Textual, prints the line, then a new
line each time it changes (timers included, checked every ``interval_s``); ``once`` prints the
first line and returns (``#(tws-tui wallboard --once)`` in a tmux status line).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from tws_tui.core.clock import Clock
from tws_tui.core.events import Event
from tws_tui.core.protocols import CallControl
from tws_tui.core.state import ConsoleState
from tws_tui.domain.queue_board import wallboard_line
from tws_tui.settings.schema import QueueSettings


async def run_wallboard(
    backend: CallControl,
    clock: Clock,
    settings: QueueSettings,
    *,
    once: bool = False,
    interval_s: float = 1.0,
    write: Callable[[str], None] = print,
) -> None:
    """Print the wallboard line now and whenever it changes, until cancelled (or ``once``)."""
    state = ConsoleState()
    state.load(await backend.connect())
    try:
        last = wallboard_line(state.queues.values(), clock.now(), settings)
        write(last)
        if once:
            return
        async for _event in _events_or_ticks(backend.events(), interval_s):
            if _event is not None:
                state.apply(_event)
            line = wallboard_line(state.queues.values(), clock.now(), settings)
            if line != last:
                write(line)
                last = line
    finally:
        with contextlib.suppress(Exception):
            await backend.close()


async def _events_or_ticks(
    events: AsyncIterator[Event], interval_s: float
) -> AsyncIterator[Event | None]:
    """Each event as it comes, and ``None`` whenever ``interval_s`` passes without one."""
    pending: asyncio.Task[Event] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(events))
            done, _pending = await asyncio.wait({pending}, timeout=interval_s)
            if not done:
                yield None
                continue
            try:
                event = pending.result()
            except StopAsyncIteration:
                return
            finally:
                pending = None
            yield event
    finally:
        if pending is not None:
            pending.cancel()
