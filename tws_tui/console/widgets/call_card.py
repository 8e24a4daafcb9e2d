"""``CallCard``: one call of the operator, as two lines of text (three when selected).

Line 1: state symbol and word, the other party, the timer (from the injected clock; it starts at
the answer and never pauses, TWS-3.1.1-7). The timer is the end of line 1: :meth:`CallCard.tick`
repaints its cells alone, and only when its text changed (a thin client over SSH gets a few
bytes a second, not the card). Line 2: what was called (queue or number), where it
came from, badges (muted, recording), and the consultation pairing or the conference parties.
Line 3, on the selected card only: the actions this call allows right now, with their keys
(for a 3-way, also dropping one participant and ending it for everyone).
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from tws_tui.console.api import console_api
from tws_tui.core.model import Action, Call, Capability, ConnectionState
from tws_tui.domain.format import (
    CALL_STATE_SYMBOL,
    CAUSE_WORD,
    call_state_width,
    call_state_word,
    elapsed,
    origin_note,
    party_label,
    party_name,
)
from tws_tui.platform.i18n import N_, _

#: The keys shown for each allowed action, in the order a receptionist reads them.
ACTION_KEYS: tuple[tuple[Action, str, str], ...] = (
    (Action.ANSWER, "call.answer", N_("Answer")),
    (Action.BLIND_TRANSFER, "call.blind_transfer", N_("Transfer")),
    (Action.ATTENDED_TRANSFER, "call.consult", N_("Consult")),
    (Action.HOLD, "call.hold", N_("Hold")),
    (Action.RETRIEVE, "call.hold", N_("Resume")),
    (Action.PARK, "call.park", N_("Park")),
    (Action.MUTE, "call.mute", N_("Mute")),
    (Action.RECORD, "call.record", N_("Record")),
    (Action.DEFLECT, "call.deflect", N_("Deflect")),
    (Action.HANGUP, "call.hangup", N_("Hang up")),
)

#: The keys a 3-way organiser also has (TWS-3.6.1-2, TWS-3.6.3-1), by backend capability.
CONFERENCE_KEYS: tuple[tuple[Capability, str, str], ...] = (
    (Capability.DROP_PARTICIPANT, "call.drop_participant", N_("Drop one")),
    (Capability.CLEAR_CALL, "call.end", N_("End for everyone")),
)


class CallCard(Widget):
    DEFAULT_CSS = """
    CallCard { height: auto; padding: 0 1; border-left: blank; }
    CallCard.-selected { border-left: thick $accent; background: $boost; }
    CallCard.-ringing { color: $warning; }
    """
    can_focus: ClassVar[bool] = False  # type: ignore[misc]

    def __init__(self, call: Call) -> None:
        super().__init__(id=f"card-{call.call_id}")
        self.call = call
        self.partner: Call | None = None
        self._timer_at = 0  # the cell where line 1's timer starts, as last drawn
        self._timer_drawn = ""  # the timer's text as last drawn

    def tick(self) -> None:
        """A second went by: repaint the timer's cells if its text changed (it can only
        grow: 59:59 → 1:00:00); the rest of the card has not."""
        timer = self._timer_text()
        if timer != self._timer_drawn:
            self.refresh(Region(self._timer_at, 0, cell_len(timer), 1))

    def _timer_text(self) -> str:
        call, now = self.call, console_api(self).clock.now()
        if call.answered_at is not None:
            return f"  {elapsed(call.answered_at, now)}"
        return f"  ({elapsed(call.created_at, now)})"

    def show(self, call: Call, partner: Call | None) -> None:
        """Redraw for ``call``; ``partner`` is the other leg of its consultation, if any."""
        self.call, self.partner = call, partner
        self.set_class(call.state.value == "alerting", "-ringing")
        self.refresh(layout=True)

    def render(self) -> Text:
        call = self.call
        text = Text(no_wrap=True, overflow="ellipsis")
        word = call_state_word(call)
        pad = " " * (call_state_width() - cell_len(word) + 1)
        text.append(f"{CALL_STATE_SYMBOL[call.state]} {word}{pad}", "bold")
        text.append(party_label(call.remote), "bold")
        self._timer_at, self._timer_drawn = text.cell_len, self._timer_text()
        text.append(self._timer_drawn, "" if call.answered_at is not None else "dim")
        details = []
        if call.queue is not None:
            details.append("⇶ " + _("queue {name}").format(name=call.queue.name))
        elif (
            call.called is not None
            and call.called.device_id != call.device_id
            and call.called.number != call.remote.number
        ):
            details.append("→ " + (call.called.name or call.called.number or "?"))
        if call.state is ConnectionState.FAIL and call.cause in CAUSE_WORD:
            details.append("✕ " + _(CAUSE_WORD[call.cause]))
        note = origin_note(call)
        if note is not None:
            details.append("↩ " + note)
        if call.muted:
            details.append("✕ " + _("muted"))
        if call.recording:
            details.append("● " + _("recording"))
        if call.conference:
            names = ", ".join(party_name(p) for p in call.conference)
            details.append("⊕ " + _("3-way with {names}").format(names=names))
        elif self.partner is not None and call.consult_of is not None:
            details.append(
                "⇄ " + _("consulting for {name}").format(name=party_name(self.partner.remote))
            )
        elif self.partner is not None:
            details.append(
                "⇄ "
                + _("held while consulting {name}").format(name=party_name(self.partner.remote))
            )
        if details:
            text.append("\n   " + "  ".join(details))
        if self.has_class("-selected"):
            text.append("\n   ")
            text.append(self._action_line())
        return text

    def _action_line(self) -> Text:
        key_of = console_api(self).app_key_display
        line = Text()
        for action, action_id, label in ACTION_KEYS:
            if action not in self.call.allowed:
                continue
            line.append(key_of(action_id), "bold reverse")
            line.append(f" {_(label)}  ")
        if self.call.conference and Action.HANGUP in self.call.allowed:
            for capability, action_id, label in CONFERENCE_KEYS:
                if console_api(self).can(capability):
                    line.append(key_of(action_id), "bold reverse")
                    line.append(f" {_(label)}  ")
        if Action.DTMF in self.call.allowed:
            line.append("0-9*#", "bold reverse")
            line.append(" " + _("Keypad"))
        return line
