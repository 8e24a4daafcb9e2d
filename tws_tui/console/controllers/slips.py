"""``SlipController``: "take a message" (issue 15) — the receptionist's slip for an absent
colleague, from one key (Alt+T, keymap id ``call.take_message``) anywhere: the Calls screen,
the ringing banner, the alerter pop-up.

Which call: the call the keys act on (``CallController.selected_call``), else the call ringing,
else the last call of the history. From it the slip is prefilled: the caller's name (the call's,
else the reverse lookup's), company (what the directory knows of the number; looked up in the
background when not known yet), number, when; "for" is the colleague the call was meant for
(the line it was forwarded from, else the one dialled) when that is a colleague. The dialog
(:class:`~tws_tui.console.screens.modals.slip.SlipScreen`) sends the slip as a chat message
with :class:`~tws_tui.core.model.MessageSlip` through the backend's ``Chat``; it stays open with
what was typed when sending fails.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.call_actions import CallController
from tws_tui.console.screens.modals.slip import SlipDraft, SlipScreen
from tws_tui.core.errors import BackendTimeout, CallControlError
from tws_tui.core.model import Call, Capability, MessageSlip, MonitoredDevice, Party, UserId
from tws_tui.domain.format import describe_error
from tws_tui.platform.i18n import _

#: How long sending a slip may take before the dialog says it failed.
SEND_TIMEOUT_S = 10.0


class SlipController:
    """Alt+T: the slip dialog, prefilled from the current or the last call."""

    def __init__(self, api: ConsoleApi, calls: CallController) -> None:
        self.api = api
        self.calls = calls

    def take_message(self, call: Call | None = None) -> None:
        """The slip dialog, prefilled from ``call`` (when given: the call a "Message" key
        acted on), else from the call the keys act on, the ringing one or the last one."""
        if not self.api.can(Capability.CHAT) or self.api.backend is None:
            self.api.notify(
                _("Taking a message needs chat, which this connection does not offer."),
                severity="warning",
            )
            return
        draft = self._draft(call)
        screen = SlipScreen(draft, self._send)
        self.api.push_screen(screen)
        if draft.slip.number and not draft.slip.company:
            self._look_up_company(screen, draft.slip.number)

    # ---- what the slip is prefilled with ----------------------------------------------------

    def _draft(self, call: Call | None) -> SlipDraft:
        state = self.api.state
        me = state.me
        taken_by = me.name if me is not None else ""
        call = call or self.calls.selected_call() or next(iter(state.ringing_calls()), None)
        remote: Party | None = None
        meant_for: Party | None = None
        at: datetime = self.api.clock.now()
        if call is not None:
            remote, at = call.remote, call.created_at
            meant_for = call.redirected_from or call.called
        elif state.history:
            last = max(state.history, key=lambda entry: entry.start)
            remote, at, meant_for = last.remote, last.start, last.called
        named = self.api.callers.named(remote) if remote is not None else None
        number = (named.number or "") if named is not None else ""
        colleague = self.colleague_of(meant_for)
        return SlipDraft(
            for_text=colleague.name if colleague is not None else "",
            slip=MessageSlip(
                caller_name=(named.name or "") if named is not None else "",
                company=self.api.callers.extra(number) if number else "",
                number=number,
                call_back_on=number,
                taken_by=taken_by,
                at=at,
            ),
            colleagues=tuple(state.devices.values()),
            me=me.user_id if me is not None else None,
        )

    def colleague_of(self, party: Party | None) -> MonitoredDevice | None:
        """The colleague ``party`` is (by user, device or extension), not me."""
        me = self.api.state.me
        if party is None:
            return None
        mine = (me.user_id, me.extension) if me is not None else ()
        for device in self.api.state.devices.values():
            if device.user_id in mine or device.extension in mine:
                continue
            if (
                (party.user_id is not None and party.user_id == device.user_id)
                or (party.device_id is not None and party.device_id == device.device_id)
                or (party.number is not None and party.number == device.extension)
            ):
                return device
        return None

    def _look_up_company(self, screen: SlipScreen, number: str) -> None:
        """The company the directory has for ``number``, into the dialog if still empty."""
        backend = self.api.backend
        directory = backend.directory if backend is not None else None
        if directory is None:
            return

        async def look_up() -> None:
            try:
                contact = await directory.reverse(number)
            except CallControlError:
                return
            if contact is not None and contact.company:
                screen.offer_company(contact.company, contact.name)

        self.api.run_background(look_up, group="slip-lookup")

    # ---- sending ----------------------------------------------------------------------------

    async def _send(self, peer: UserId, slip: MessageSlip, text: str) -> str | None:
        """Send the slip: None once the backend took it, else why not (in words)."""
        backend = self.api.backend
        chat = backend.chat if backend is not None else None
        if chat is None:
            return _("Chat is not available with this connection.")
        try:
            await asyncio.wait_for(chat.send(peer, text, slip=slip), SEND_TIMEOUT_S)
        except TimeoutError:
            return describe_error(BackendTimeout())
        except CallControlError as error:
            return describe_error(error)
        self.api.notify(_("Message sent."))
        return None
