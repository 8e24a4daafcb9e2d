"""Call remote mode: the operator's current calls and parked calls.

The shell's version (issue 2) lists every call with its state in words and symbol, the remote
party, what was called and a timer from the injected clock. The full remote control — keypad,
transfers, conference, per-call actions — comes with the call-remote issue.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tws_tui.format import CALL_STATE_SYMBOL, call_state_word, elapsed, party_label
from tws_tui.i18n import N_, _
from tws_tui.screens.base import ModeScreen
from tws_tui.screens.tables import sync_rows


class CallRemoteScreen(ModeScreen):
    MODE = "call"
    TITLE_MSGID = N_("Calls")
    TOPICS = frozenset({"calls", "parking", "transfers"})

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="calls", cursor_type="row")
        yield Static(id="calls-empty", classes="empty-note")
        yield Static(id="parked-title", classes="section-title")
        yield DataTable(id="parked", cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Timers move every second; only the visible screen redraws them."""
        if self.is_current:
            self.refresh_from_state(self.TOPICS)

    def refresh_from_state(self, topics: frozenset[str]) -> None:
        state = self.tws.state
        now = self.tws.clock.now()
        calls = sorted(state.calls.values(), key=lambda c: c.created_at)
        rows = {}
        for call in calls:
            badges = " ".join(
                word
                for flag, word in (
                    (call.muted, _("muted")),
                    (call.recording, _("recording")),
                    (call.consult_of is not None, _("consultation")),
                )
                if flag
            )
            where = (
                call.queue.name if call.queue else (call.called.number or "") if call.called else ""
            )
            since = call.answered_at or call.created_at
            rows[call.call_id] = (
                f"{CALL_STATE_SYMBOL[call.state]} {call_state_word(call)}",
                party_label(call.remote),
                where,
                elapsed(since, now),
                badges,
            )
        sync_rows(
            self.query_one("#calls", DataTable),
            (_("State"), _("Caller"), _("Called"), _("Time"), ""),
            rows,
        )
        self.query_one("#calls-empty", Static).update("" if rows else _("No call in progress."))
        parked_rows = {
            parked.call_id: (
                parked.slot or "",
                party_label(parked.caller),
                lot.name,
                elapsed(parked.parked_at, now),
            )
            for lot in state.parking.values()
            for parked in lot.calls
        }
        self.query_one("#parked-title", Static).update(_("Parked calls"))
        sync_rows(
            self.query_one("#parked", DataTable),
            (_("Slot"), _("Caller"), _("Lot"), _("Time")),
            parked_rows,
        )
