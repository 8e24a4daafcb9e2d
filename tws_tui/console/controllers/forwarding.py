"""``ForwardingController``: my own forwarding (issue 17) — the dialog opened by its key
(``forwarding.set``) or the Preferences button, and the forwards and simultaneous ring / find-me
it returns sent to the backend, only those that changed; the toggle key (``forwarding.toggle``)
turning the forwards off and the last one back on. A backend without forwarding is told in
words, no dialog; one whose softphone carries the forwards out itself (``sip``) has the dialog
say so.
The status bar and Preferences render the forwards from the events that follow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.my_settings import me_if_allowed
from tws_tui.core.model import Capability, Forward, ForwardKind
from tws_tui.core.protocols import CallControl
from tws_tui.domain.forwarding import (
    KIND_WORD,
    check_not_me,
    destination_word,
    forwarded_numbers,
    offered_kinds,
)
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.screens.modals.forwarding import ForwardingAnswer


class ForwardingController:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        #: The forwards the toggle key turns back on (those last on, as this console saw).
        self.last: dict[ForwardKind, Forward] = {}

    def open(self) -> None:
        """Open the forwarding dialog on my current forwards."""
        from tws_tui.console.screens.modals.forwarding import ForwardingScreen

        if isinstance(self.api.screen, ForwardingScreen):
            return
        refusal = _("This phone system does not let the console set call forwarding.")
        me = me_if_allowed(self.api, Capability.FORWARDING, refusal)
        if me is None:
            return
        find_me = me.find_me if self.api.can(Capability.FIND_ME) else None
        screen = ForwardingScreen(
            me.forwards,
            self.api.calls.voicemail_number,
            offered_kinds(self.api.can),
            self.not_me,
            colleagues=self.api.state.devices.values(),
            own=me.extension,
            by_phone=self.api.can(Capability.FORWARDING_BY_PHONE),
            find_me=find_me,
        )
        self.api.push_screen(screen, self.apply)

    def not_me(self, destination: str) -> None:
        """``ValueError`` for my own number or a colleague whose forward comes back to me."""
        me = self.api.state.me
        forwards = forwarded_numbers(self.api.state.devices.values())
        check_not_me(destination, me.extension if me is not None else "", forwards.get)

    def apply(self, answer: ForwardingAnswer | None) -> None:
        """Send the forwards and find-me that differ from mine (the dialog's answer; None:
        cancelled)."""
        me = self.api.state.me
        if answer is None or me is None:
            return
        self.send(answer.forwards)
        if answer.find_me is not None and answer.find_me != me.find_me:
            find_me = answer.find_me

            async def send_find_me(backend: CallControl) -> None:
                await backend.set_find_me(find_me)

            self.api.run_command(send_find_me)

    def send(self, forwards: Mapping[ForwardKind, Forward]) -> None:
        """Send the forwards that differ from mine; those turned on are the last forward the
        toggle key brings back."""
        me = self.api.state.me
        if me is None:
            return
        changed = [
            (kind, forward)
            for kind, forward in forwards.items()
            if forward != me.forwards.get(kind, Forward(False))
        ]
        if not changed:
            return
        turned_on = {kind: f for kind, f in forwards.items() if f.enabled and f.destination}
        if turned_on:
            self.last = turned_on

        async def send(backend: CallControl) -> None:
            for kind, forward in changed:
                await backend.set_forward(kind, forward)

        self.api.run_command(send)

    def toggle(self) -> None:
        """The toggle key (``forwarding.toggle``): every forward that is on goes off (kept as
        the last forward), or, none being on, the last forward comes back — the one this
        console turned off or set, else the "Always" destination the phone system kept. A
        ringing or held call is not touched: the key acts on my forwarding only."""
        refusal = _("This phone system does not let the console set call forwarding.")
        me = me_if_allowed(self.api, Capability.FORWARDING, refusal)
        if me is None:
            return
        voicemail = self.api.calls.voicemail_number
        active = {k: f for k, f in me.forwards.items() if f.enabled and f.destination}
        if active:
            self.last = active
            self.send({k: replace(f, enabled=False) for k, f in active.items()})
            self.api.notify(_("Forwarding off: your calls ring here again."))
            return
        last = self.last or self._kept_immediate(me.forwards)
        if not last:
            self.api.notify(
                _("No forward to turn back on: set one with {key}.").format(
                    key=self.api.app_key_display("forwarding.set")
                ),
                severity="warning",
            )
            return
        self.send({k: replace(f, enabled=True) for k, f in last.items()})  # its announcement too
        where = ", ".join(
            f"{_(KIND_WORD[kind])} → {destination_word(f.destination or '', voicemail)}"
            for kind, f in last.items()
        )
        self.api.notify(_("Forwarding on again: {where}.").format(where=where))

    @staticmethod
    def _kept_immediate(forwards: Mapping[ForwardKind, Forward]) -> dict[ForwardKind, Forward]:
        """The "Always" forward the phone system keeps while it is off, if it has a number."""
        immediate = forwards.get(ForwardKind.UNCONDITIONAL)
        if immediate is None or not immediate.destination:
            return {}
        return {ForwardKind.UNCONDITIONAL: immediate}
