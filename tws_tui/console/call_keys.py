"""The call keys' actions (keymap ids ``call.*`` and ``dial.focus``) of the console app.

Each Textual action ``action_<name>`` of a call key hands the key to the call controller, which
reads the screen's context and acts on the call the operator is talking to
(:mod:`tws_tui.console.controllers.call_actions`). A mixin of ``TwsApp``, kept apart so the app
module stays about the app's lifecycle and wiring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tws_tui.console.controllers.call_message import CallMessage

if TYPE_CHECKING:
    from tws_tui.console.controllers.call_actions import CallController
    from tws_tui.console.controllers.slips import SlipController
    from tws_tui.console.controllers.sms import SmsController


class CallKeyActions:
    """``action_*`` methods of the call keys; the app sets ``calls``, ``slips`` and ``sms``."""

    calls: CallController
    slips: SlipController
    sms: SmsController

    def action_focus_dial(self) -> None:
        self.calls.focus_dial()

    def action_pick_presented_number(self) -> None:
        self.calls.pick_presented_number()

    def action_call_target(self) -> None:
        self.calls.call_target()

    def action_blind_transfer(self) -> None:
        self.calls.blind_transfer()

    def action_consult(self) -> None:
        self.calls.consult()

    def action_conference(self) -> None:
        self.calls.conference()

    def action_alternate(self) -> None:
        self.calls.alternate()

    def action_hold_toggle(self) -> None:
        self.calls.hold_toggle()

    def action_hangup(self) -> None:
        self.calls.hangup()

    def action_end_call(self) -> None:
        self.calls.end_call()

    def action_drop_participant(self) -> None:
        self.calls.drop_participant()

    def action_park(self) -> None:
        self.calls.park()

    def action_refuse(self) -> None:
        self.calls.refuse()

    def action_deflect(self) -> None:
        self.calls.deflect()

    def action_pickup(self) -> None:
        self.calls.pickup()

    def action_mute_toggle(self) -> None:
        self.calls.mute_toggle()

    def action_record_toggle(self) -> None:
        self.calls.record_toggle()

    def action_hands_free_toggle(self) -> None:
        self.calls.hands_free_toggle()

    def action_comment(self) -> None:
        self.calls.comment()

    def action_take_message(self) -> None:
        self.slips.take_message()

    async def action_message_caller(self) -> None:
        """Alt+Shift+W (``call.message``): write to the person on the call (chat, SMS, slip)."""
        await CallMessage(self.slips.api, self.calls, self.slips, self.sms).start()

    def action_voicemail(self) -> None:
        self.calls.voicemail()
