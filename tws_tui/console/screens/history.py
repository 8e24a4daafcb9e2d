"""History mode: the calls of this session as the backend journals them, newest first.

Opening it marks missed calls as seen (the missed-call count in the status bar goes to zero).
Search, filters and callback from history come with the history issue.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tws_tui.console.screens.base import ModeScreen
from tws_tui.console.widgets.tables import sync_rows
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import OUTCOME_WORD, clock_time, duration, party_label
from tws_tui.platform.i18n import N_, _


class HistoryScreen(ModeScreen):
    MODE = "history"
    TITLE_MSGID = N_("History")
    AUTO_FOCUS = "#history"
    TOPICS = frozenset({Topic.HISTORY})

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="history", cursor_type="row")
        yield Static(id="history-empty", classes="empty-note")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.tws.local_journal.mark_history_seen()

    def refresh_from_state(self, topics: Topics) -> None:
        rows = {
            entry.id: (
                clock_time(entry.start, clock_24h=self.tws.prefs.ui.clock_24h),
                _(OUTCOME_WORD[entry.outcome]),
                party_label(entry.remote),
                entry.queue.name if entry.queue else "",
                duration(entry.duration_s) if entry.duration_s is not None else "",
            )
            for entry in self.tws.state.history
        }
        sync_rows(
            self.query_one("#history", DataTable),
            (_("Time"), _("Outcome"), _("Party"), _("Queue"), _("Duration")),
            rows,
        )
        self.query_one("#history-empty", Static).update(
            "" if rows else _("No call yet in this session.")
        )
