"""Queues mode: each queue with its waiting count, longest wait and agents, and who waits.

The shell's version (issue 2) shows what the backend reports, live. Picking a call, agent
state, thresholds and day/night switches come with the queues issue.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tws_tui.format import elapsed, party_label
from tws_tui.i18n import N_, _
from tws_tui.screens.base import ModeScreen
from tws_tui.screens.tables import sync_rows


class QueuesScreen(ModeScreen):
    MODE = "queues"
    TITLE_MSGID = N_("Queues")
    AUTO_FOCUS = "#queues"
    TOPICS = frozenset({"queues"})

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="queues", cursor_type="row")
        yield Static(id="waiting-title", classes="section-title")
        yield DataTable(id="waiting", cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Timers move every second; only the visible screen redraws them."""
        if self.is_current:
            self.refresh_from_state(self.TOPICS)

    def refresh_from_state(self, topics: frozenset[str]) -> None:
        now = self.tws.clock.now()
        queues = list(self.tws.state.queues.values())
        queue_rows = {}
        for queue in queues:
            longest = elapsed(queue.waiting[0].queued_at, now) if queue.waiting else "–"
            queue_rows[queue.id] = (
                queue.name,
                queue.number or "",
                str(len(queue.waiting)),
                longest,
                f"{queue.agents_ready}/{queue.agents_paused}/{queue.agents_busy}",
                "✓ " + _("member") if queue.member else "",
            )
        sync_rows(
            self.query_one("#queues", DataTable),
            (_("Queue"), _("Number"), _("Waiting"), _("Longest"), _("Ready/Paused/Busy"), _("Me")),
            queue_rows,
        )
        waiting = sorted(
            (call for queue in queues for call in queue.waiting), key=lambda c: c.queued_at
        )
        self.query_one("#waiting-title", Static).update(_("Waiting calls, oldest first"))
        sync_rows(
            self.query_one("#waiting", DataTable),
            (_("Waited"), _("Caller"), _("Queue"), _("Called")),
            {
                call.call_id: (
                    elapsed(call.queued_at, now),
                    party_label(call.caller),
                    call.queue.name,
                    call.called.number or "" if call.called else "",
                )
                for call in waiting
            },
        )
