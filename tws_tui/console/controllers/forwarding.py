"""``ForwardingController``: my own forwarding (issue 17) — the dialog opened by its key
(``forwarding.set``) or the Preferences button, and the forwards it returns sent to the backend,
only those that changed. A backend without forwarding is told in words, no dialog; one whose
softphone carries the forwards out itself (``sip``) has the dialog say so.
The status bar and Preferences render the forwards from the events that follow."""

from __future__ import annotations

from collections.abc import Mapping

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.my_settings import me_if_allowed
from tws_tui.core.model import Capability, Forward, ForwardKind
from tws_tui.core.protocols import CallControl
from tws_tui.domain.forwarding import check_not_me, forwarded_numbers, offered_kinds
from tws_tui.platform.i18n import _


class ForwardingController:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api

    def open(self) -> None:
        """Open the forwarding dialog on my current forwards."""
        from tws_tui.console.screens.modals.forwarding import ForwardingScreen

        if isinstance(self.api.screen, ForwardingScreen):
            return
        refusal = _("This phone system does not let the console set call forwarding.")
        me = me_if_allowed(self.api, Capability.FORWARDING, refusal)
        if me is None:
            return
        screen = ForwardingScreen(
            me.forwards,
            self.api.calls.voicemail_number,
            offered_kinds(self.api.can),
            self.not_me,
            colleagues=self.api.state.devices.values(),
            own=me.extension,
            by_phone=self.api.can(Capability.FORWARDING_BY_PHONE),
        )
        self.api.push_screen(screen, self.apply)

    def not_me(self, destination: str) -> None:
        """``ValueError`` for my own number or a colleague whose forward comes back to me."""
        me = self.api.state.me
        forwards = forwarded_numbers(self.api.state.devices.values())
        check_not_me(destination, me.extension if me is not None else "", forwards.get)

    def apply(self, forwards: Mapping[ForwardKind, Forward] | None) -> None:
        """Send the forwards that differ from mine (the dialog's answer; None: cancelled)."""
        me = self.api.state.me
        if forwards is None or me is None:
            return
        changed = [
            (kind, forward)
            for kind, forward in forwards.items()
            if forward != me.forwards.get(kind, Forward(False))
        ]
        if not changed:
            return

        async def send(backend: CallControl) -> None:
            for kind, forward in changed:
                await backend.set_forward(kind, forward)

        self.api.run_command(send)
