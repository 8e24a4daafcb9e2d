"""``CallStrip``: the operator's calls in one line, on every screen but the Calls screen.

The call on the line (who, state, timer; the consultation pairing: who I consult for whom; the
parties of a 3-way), then how many calls I hold and how many are parked. With no call on the
line, the held call (or how many are held) comes first. Ringing calls are the banner's; the
Calls screen (Alt+2) keeps the detail. Hidden when there is nothing to say.

The text is built once per second and on call, transfer and parking changes, and the strip is
repainted only when that text changed (a timer tick is one short line over SSH).
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widget import Widget

from tws_tui.console.api import console_api
from tws_tui.core.model import Call, ConnectionState
from tws_tui.core.state import ConsoleState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import (
    CALL_STATE_SYMBOL,
    call_state_word,
    elapsed,
    party_label,
    party_name,
)
from tws_tui.platform.i18n import _, ngettext

STRIP_TOPICS = frozenset({Topic.CALLS, Topic.TRANSFERS, Topic.PARKING})
SEPARATOR = "  │ "


class CallStrip(Widget):
    """One line: the call I am on, what I hold, what is parked."""

    DEFAULT_CSS = """
    CallStrip { height: 1; display: none; padding: 0 1; background: $boost; }
    CallStrip.-calls { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def on_mount(self) -> None:
        api = console_api(self)
        api.state_signal.subscribe(self, self._on_state)
        api.language_signal.subscribe(self, lambda _code: self.sync())
        self.set_interval(1.0, self.sync)
        self.sync()

    def _on_state(self, topics: Topics) -> None:
        if topics & STRIP_TOPICS:
            self.sync()

    def sync(self) -> None:
        """Rebuild the line; repaint (and show or hide the strip) only when it changed."""
        api = console_api(self)
        text = strip_text(api.state, api.clock.now())
        if text == self._text:
            return
        self._text = text
        shown = bool(text.plain)
        if shown != self.has_class("-calls"):
            self.set_class(shown, "-calls")  # a row more or less: the screen lays out again
        self.refresh()

    @property
    def plain(self) -> str:
        """The line as shown (tests and the command palette read it)."""
        return self._text.plain

    def render(self) -> Text:
        return self._text


def strip_text(state: ConsoleState, now: datetime) -> Text:
    """The strip's line for ``state`` at ``now`` (empty: nothing to show)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    calls = sorted(state.calls.values(), key=lambda c: c.created_at)
    held = [c for c in calls if c.state is ConnectionState.HOLD]
    parked = sum(len(lot.calls) for lot in state.parking.values())
    line = state.call_on_the_line()
    if line is not None:
        _append_call(text, line, now)
        pairing = _pairing(state, line)
        if pairing:
            text.append(SEPARATOR + pairing)
        elif line.conference:
            names = ", ".join(party_name(p) for p in line.conference)
            text.append(SEPARATOR + _("3-way with {names}").format(names=names))
    elif len(held) == 1:
        _append_call(text, held[0], now)
        held = []
    if held:
        if text.plain:
            text.append(SEPARATOR)
        n = len(held)
        text.append(
            f"{CALL_STATE_SYMBOL[ConnectionState.HOLD]} "
            + ngettext("{n} on hold", "{n} on hold", n).format(n=n)
        )
    if parked:
        if text.plain:
            text.append(SEPARATOR)
        text.append("P " + ngettext("{n} parked", "{n} parked", parked).format(n=parked))
    return text


def _append_call(text: Text, call: Call, now: datetime) -> None:
    text.append(f"{CALL_STATE_SYMBOL[call.state]} {call_state_word(call)}  ", style="bold")
    text.append(party_label(call.remote), style="bold")
    since = call.answered_at or call.created_at
    text.append(f"  {elapsed(since, now)}")


def _pairing(state: ConsoleState, line: Call) -> str:
    """The consultation the call on the line belongs to, in words ("" when none)."""
    transfer = state.transfer_for(line.call_id)
    primary_id = transfer.transferred_call_id if transfer is not None else line.consult_of
    if primary_id is not None and primary_id != line.call_id:
        primary = state.calls.get(primary_id)
        if primary is not None:
            return "⇄ " + _("consulting for {caller}").format(caller=party_name(primary.remote))
        return ""
    consult_id = transfer.consult_call_id if transfer is not None else None
    consult = state.calls.get(consult_id) if consult_id is not None else None
    if consult is None:
        return ""
    return "⇄ " + _("consultation with {name} on hold").format(name=party_name(consult.remote))
