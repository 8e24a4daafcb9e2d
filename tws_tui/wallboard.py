"""``tws-tui wallboard``: the queues on one line, for a small terminal or a tmux status line.

``wallboard_line`` turns the console state into one line per update::

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
from datetime import datetime

from tws_tui.config import QueueSettings
from tws_tui.core.clock import Clock
from tws_tui.core.events import Event
from tws_tui.core.protocols import CallControl
from tws_tui.core.state import ConsoleState
from tws_tui.format import elapsed
from tws_tui.i18n import _
from tws_tui.queue_board import WAIT_SYMBOL, ordered_queues, wait_tone


def wallboard_line(state: ConsoleState, now: datetime, settings: QueueSettings) -> str:
    """The one-line summary of the queues shown and their agents."""
    parts: list[str] = []
    ready = paused = busy = 0
    for queue in ordered_queues(list(state.queues.values()), settings.order):
        if queue.id in settings.hidden:
            continue
        ready, paused, busy = (
            ready + queue.agents_ready,
            paused + queue.agents_paused,
            busy + queue.agents_busy,
        )
        part = f"{queue.name} {len(queue.waiting)}"
        if queue.waiting:
            oldest = queue.waiting[0].queued_at
            waited = max(0.0, (now - oldest).total_seconds())
            tone = wait_tone(waited, settings.warn_after_s, settings.alert_after_s)
            part += f" {WAIT_SYMBOL[tone]}{elapsed(oldest, now)}"
        parts.append(part)
    if not parts:
        return _("no queue")
    agents = _("agents {ready} ready {paused} paused {busy} busy").format(
        ready=ready, paused=paused, busy=busy
    )
    return " · ".join(parts) + " │ " + agents


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
        last = wallboard_line(state, clock.now(), settings)
        write(last)
        if once:
            return
        async for _event in _events_or_ticks(backend.events(), interval_s):
            if _event is not None:
                state.apply(_event)
            line = wallboard_line(state, clock.now(), settings)
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
