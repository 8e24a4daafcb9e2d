"""``QueueStrip``: the pinned queues on one line under the status bar, on every screen.

The terminal's version of a queue widget kept on top (TWS-6.5.1-3, TWS-1.5.3-3): each queue
pinned with ``d`` on the Queues screen (``[queues] pinned``), with its waiting count and
longest wait (``·``/``▲``/``■``) and the agents, as
:func:`~tws_tui.domain.queue_board.wallboard_line`
says it. Hidden while nothing is pinned; redrawn when the queues change and every second.
"""

from __future__ import annotations

from typing import ClassVar

from textual.widget import Widget

from tws_tui.console.api import console_api
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.queue_board import wallboard_line


class QueueStrip(Widget):
    DEFAULT_CSS = """
    QueueStrip { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """
    can_focus: ClassVar[bool] = False  # type: ignore[misc]

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        self.set_interval(1.0, self._tick)
        self._show()

    def _on_state(self, topics: Topics) -> None:
        if Topic.QUEUES in topics:
            self._show()

    def _tick(self) -> None:
        if self.display and self.screen.is_current:
            self.refresh()

    def _show(self) -> None:
        """Shown only while some queue is pinned (and the backend has that queue)."""
        app = console_api(self)
        pinned = set(app.prefs.queues.pinned)
        self.display = any(q in pinned for q in app.state.queues)
        self.refresh()

    def render(self) -> str:
        app = console_api(self)
        settings = app.prefs.queues
        queues = app.state.queues.values()
        return "⇶ " + wallboard_line(queues, app.clock.now(), settings, only=settings.pinned)
