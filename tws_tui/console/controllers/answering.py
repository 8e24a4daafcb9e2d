"""Answering a ringing call from the keyboard: Enter where Enter means nothing else, and one
key (``call.answer_any``, F12 by default) that answers whatever has the focus.

Enter has a meaning of its own — and then does that thing, never answer — in every dialog,
chooser, form or list pushed over a screen (the day/night chooser, the pause reasons, the
Alt+X participants, confirmations…), in a field holding typed text (the dial bar or the search:
Enter acts on what was typed), and where a screen says so
(:class:`~tws_tui.console.api.EnterContext`: the parked-calls list, the Queues waiting list,
the contact manager). The incoming-call pop-up is the exception: its Enter answers its call.
"""

from __future__ import annotations

from textual.screen import ModalScreen
from textual.widgets import Input

from tws_tui.console.api import ConsoleApi, EnterContext
from tws_tui.console.screens.modals.alerter import AlerterScreen


class Answering:
    """Which key answers the ringing call where, and the answer itself."""

    def __init__(self, api: ConsoleApi) -> None:
        self.api = api

    def something_rings(self) -> bool:
        return self.api.backend is not None and bool(self.api.state.ringing_calls())

    def enter_has_meaning(self) -> bool:
        """Whether Enter does something of its own where the focus is now."""
        screen = self.api.screen
        if isinstance(screen, AlerterScreen):
            return False  # the pop-up's Enter answers its call
        if isinstance(screen, ModalScreen):
            return True
        focused = screen.focused
        if isinstance(focused, Input) and focused.value.strip():
            return True
        return isinstance(screen, EnterContext) and screen.enter_has_meaning()

    def answer(self) -> None:
        """Answer the call that has rung longest (the pop-up's own call while it is up)."""
        ringing = self.api.state.ringing_calls()
        if not ringing:
            return
        screen = self.api.screen
        call_id = ringing[0].call_id
        if isinstance(screen, AlerterScreen) and screen.call_id in self.api.state.calls:
            call_id = screen.call_id
        self.api.run_command(lambda backend: backend.answer(call_id))
