"""Call remote mode ("télécommande", TWS §3.10): my calls as cards, their actions, keypad, parking.

Up/down select a call (the F-keys act on it; see :mod:`tws_tui.console.controllers.call_actions`);
digits, * and #
send DTMF on it (TWS-3.10-7); the selected card lists the actions it allows right now with their
keys (TWS-3.10-2…11: what is shown depends on the call's state). Parked calls are listed below;
Enter on one retrieves it. Letters typed here go to the dial bar.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from tws_tui.console.screens.base import ModeScreen, show_text
from tws_tui.console.widgets.call_card import CallCard
from tws_tui.console.widgets.tables import sync_rows
from tws_tui.core.model import CallId, Capability, LotId
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import elapsed, party_label
from tws_tui.domain.voicemail_menu import menu_line
from tws_tui.platform.i18n import N_, _

KEYPAD = "0123456789*#"
KEYPAD_KEYS = {"*": "asterisk", "#": "number_sign"}


class CallCards(VerticalScroll, can_focus=True):
    """The focusable list of call cards (focus gives the keypad and up/down to the screen)."""


class CallRemoteScreen(ModeScreen):
    DEFAULT_CSS = """
    #call-cards {
        height: auto;
        max-height: 70%;
    }
    """
    MODE = "call"
    TITLE_MSGID = N_("Calls")
    TOPICS = frozenset({Topic.CALLS, Topic.PARKING, Topic.TRANSFERS, Topic.ME})
    AUTO_FOCUS = "#call-cards"
    CALL_STRIP = False  # the cards are the detail
    BINDINGS: ClassVar = [
        Binding("up", "select(-1)", show=False),
        Binding("down", "select(1)", show=False),
        *(Binding(KEYPAD_KEYS.get(d, d), f"dtmf('{d}')", show=False) for d in KEYPAD),
    ]

    def compose_body(self) -> ComposeResult:
        yield CallCards(id="call-cards")
        yield Static(id="keypad", classes="keypad")
        yield Static(id="parked-title", classes="section-title")
        yield DataTable(id="parked", cursor_type="row")

    def __init__(self) -> None:
        super().__init__()
        self._sent_digits: dict[CallId, str] = {}  # the DTMF sent on each call, for display
        self._selected: CallId | None = None  # the card selected (↑/↓ move it)
        self._line_seen: CallId | None = None  # the call on the line when last looked at

    @property
    def selected_call_id(self) -> CallId | None:
        """The call the keys act on. It follows the call on the line (answered, taken from a
        queue, a consultation dialled or failed) whenever that call changes; ↑/↓ move it to
        another call until the call on the line changes again."""
        state = self.tws.state
        line = state.call_on_the_line()
        line_id = line.call_id if line is not None else None
        if line_id != self._line_seen:
            self._line_seen = line_id
            if line_id is not None:
                self._selected = line_id
        if self._selected not in state.calls:
            self._selected = self._default_selection()
        return self._selected

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Timers move every second; only the visible screen redraws them, and only their
        cells (a card's timer, a parked call's time)."""
        if self.is_current:
            for card in self.query(CallCard):
                card.tick()
            self._refresh_parked()

    # ---- rendering ---------------------------------------------------------------------

    def refresh_from_state(self, topics: Topics) -> None:
        if topics & {Topic.CALLS, Topic.TRANSFERS}:
            self._refresh_cards()
        if Topic.PARKING in topics:
            self._refresh_parked()
        if Topic.ME in topics:
            self._refresh_keypad()

    def _refresh_cards(self) -> None:
        state = self.tws.state
        calls = sorted(state.calls.values(), key=lambda c: c.created_at)
        holder = self.query_one("#call-cards", CallCards)
        cards = {card.call.call_id: card for card in self.query(CallCard)}
        for call_id, gone in cards.items():
            if call_id not in state.calls:
                gone.remove()
                self._sent_digits.pop(call_id, None)
        selected = self.selected_call_id
        for call in calls:
            card = cards.get(call.call_id)
            if card is None:
                card = CallCard(call)
                holder.mount(card)
            transfer = state.transfer_for(call.call_id)
            partner_id = None
            if transfer is not None:
                partner_id = (
                    transfer.transferred_call_id
                    if call.call_id == transfer.consult_call_id
                    else transfer.consult_call_id
                )
            card.set_class(call.call_id == selected, "-selected")
            card.show(call, state.calls.get(partner_id) if partner_id else None)
        if not calls:
            holder.remove_children(CallCard)
        self._refresh_keypad()

    def _default_selection(self) -> CallId | None:
        line = self.tws.state.call_on_the_line()
        if line is not None:
            return line.call_id
        calls = sorted(self.tws.state.calls.values(), key=lambda c: c.created_at)
        return calls[0].call_id if calls else None

    def _refresh_keypad(self) -> None:
        keypad = self.query_one("#keypad", Static)
        call = self.tws.state.calls.get(self.selected_call_id) if self.selected_call_id else None
        if call is None:
            keypad.update(_("No call in progress. Type a number or a name, then F3 to call."))
            return
        sent = self._sent_digits.get(call.call_id, "") or "–"
        voicemail = self.tws.calls.voicemail_number
        backend = self.tws.backend
        menu = backend.voicemail_menu if backend is not None else None
        if voicemail and call.remote.number == voicemail and menu is not None:
            line = _("Voicemail: {menu}   sent: {digits}").format(menu=menu_line(menu), digits=sent)
        elif voicemail and call.remote.number == voicemail:
            line = _(
                "Voicemail: 1 previous  2 next  3 replay  4 archive  5 delete  6 e-mail"
                "   sent: {digits}"
            ).format(digits=sent)
        else:
            line = _("Keypad: 1 2 3  4 5 6  7 8 9  * 0 #   sent: {digits}").format(digits=sent)
        keypad.update(line + self._audio_note())

    def _audio_note(self) -> str:
        """Where my softphone's sound goes, when the backend has local audio (TWS-3.11.3-1)."""
        if not self.tws.can(Capability.HANDS_FREE):
            return ""
        me = self.tws.state.me
        on = me is not None and me.hands_free
        where = _("audio: hands-free") if on else _("audio: headset")
        return f"   {where} ({self.tws.app_key_display('call.hands_free')})"

    def _refresh_parked(self) -> None:
        state = self.tws.state
        now = self.tws.clock.now()
        rows = {
            f"{lot.lot_id}|{parked.call_id}": (
                parked.slot or "",
                party_label(parked.caller),
                lot.name,
                elapsed(parked.parked_at, now),
            )
            for lot in state.parking.values()
            for parked in lot.calls
        }
        show_text(
            self.query_one("#parked-title", Static),
            _("Parked calls (Enter retrieves)") if rows else _("No parked call."),
        )
        sync_rows(
            self.query_one("#parked", DataTable),
            (_("Slot"), _("Caller"), _("Lot"), _("Parked for")),
            rows,
        )

    # ---- keys --------------------------------------------------------------------------

    def enter_has_meaning(self) -> bool:
        """Enter on the parked-calls list retrieves the parked call (not answer)."""
        parked = self.query_one("#parked", DataTable)
        return self.focused is parked and parked.row_count > 0

    def action_select(self, step: int) -> None:
        calls = sorted(self.tws.state.calls.values(), key=lambda c: c.created_at)
        if not calls:
            return
        ids = [c.call_id for c in calls]
        current = self.selected_call_id
        index = ids.index(current) if current in ids else 0
        self._selected = ids[(index + step) % len(ids)]
        self._refresh_cards()

    def action_dtmf(self, digit: str) -> None:
        call_id = self.selected_call_id
        if call_id is None:
            self.tws.notify(_("No call to send digits on."), severity="warning")
            return
        self.tws.calls.send_dtmf(digit)
        self._sent_digits[call_id] = (self._sent_digits.get(call_id, "") + digit)[-20:]
        self._refresh_keypad()

    @on(DataTable.RowSelected, "#parked")
    def _retrieve_parked(self, event: DataTable.RowSelected) -> None:
        lot_id, _sep, call_id = str(event.row_key.value).partition("|")
        self.tws.run_command(
            lambda backend: backend.retrieve_parked(LotId(lot_id), CallId(call_id))
        )
