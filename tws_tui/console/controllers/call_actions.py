"""``CallController``: what the call keys do (F2–F10, Alt+letters); the app's ``action_*``
methods of these keys hand over to it.

Each action works out its call and its destination, says in one sentence why it cannot act
(no call, nothing typed, a number with letters…), and otherwise hands one backend request to
the console's command runner, whose typed errors (busy, not supported…) become notifications.

Which call: the call selected on the screen (:class:`~tws_tui.console.api.CallContext`, which
follows the call on the line unless the user moved it), else the call I am talking on, else
the one I am dialling or that failed (a consultation that did not go through: F8 drops it, the
caller on hold stays), else a held call. Which destination: what the dial bar holds
(:class:`~tws_tui.console.api.DialContext`) — a number, or the chosen directory match — else
what the screen has selected (:class:`~tws_tui.console.api.TargetContext`).
"""

from __future__ import annotations

import asyncio

from tws_tui.console.api import (
    CallContext,
    ConsoleApi,
    DeviceContext,
    DialContext,
    DialPad,
    DialTarget,
    TargetContext,
)
from tws_tui.console.controllers.interception import Interceptions
from tws_tui.console.controllers.presented_number import PresentedNumbers
from tws_tui.console.screens.modals.alerter import AlerterScreen
from tws_tui.core.model import (
    EXTRA_PICKUP_FALLBACK,
    Action,
    Call,
    Capability,
    ConnectionState,
    DeviceId,
    LineState,
    Transfer,
)
from tws_tui.core.protocols import CallControl
from tws_tui.core.state import ConsoleState
from tws_tui.domain.format import LINE_WORD, call_state_word, party_label
from tws_tui.platform.i18n import _


class CallController:
    """The call keys, acting through the console API on the screen's context."""

    def __init__(self, api: ConsoleApi, interceptions: Interceptions) -> None:
        self.api = api
        self.interceptions = interceptions
        self.presented = PresentedNumbers(api)  # the number callers see on my next call
        #: The (call, destination) of a blind transfer warned about a colleague not free.
        self._transfer_warned: tuple[str, str] | None = None

    @property
    def deflect_target(self) -> str:
        """Where Alt+D and the alerter's Deflect send a ringing call: the active profile's
        current extension when the Profiles page says so (TWS-6.4-13), else
        ``alerts.deflect_to``, else my voicemail (the default choice, TWS-3.8-1), else nowhere
        (``""``)."""
        current = self.api.profiles.deflect_extension()
        return current or self.api.prefs.alerts.deflect_to or self.voicemail_number

    @property
    def voicemail_number(self) -> str:
        """My voicemail: ``general.voicemail_number`` when set, else the number the phone
        system gives in its snapshot (the simulator's 3990), else none (``""``)."""
        return self.api.prefs.general.voicemail_number or self.state.voicemail_number or ""

    @property
    def state(self) -> ConsoleState:
        return self.api.state

    # ---- what the keys act on ----------------------------------------------------------

    def selected_call(self) -> Call | None:
        """The call the keys act on (see the module docstring)."""
        screen = self.api.screen
        chosen = screen.selected_call_id if isinstance(screen, CallContext) else None
        if chosen is not None and chosen in self.state.calls:
            return self.state.calls[chosen]
        on_the_line = self.state.call_on_the_line()  # talking, else dialling or failed
        if on_the_line is not None:
            return on_the_line
        held = [c for c in self.state.calls.values() if c.state is ConnectionState.HOLD]
        return min(held, key=lambda c: c.created_at) if held else None

    def current_transfer(self) -> Transfer | None:
        return next(iter(self.state.transfers.values()), None)

    def dial_bar(self) -> DialPad | None:
        """The dial bar of the current screen (every mode screen has one; dialogs do not)."""
        screen = self.api.screen
        return screen.dial if isinstance(screen, DialContext) else None

    def dial_target(self) -> DialTarget | None:
        """What the dial bar holds, else what the screen has selected (a contact, a tile);
        says why when there is nothing usable."""
        bar = self.dial_bar()
        try:
            target = bar.target() if bar is not None else None
        except ValueError as error:
            self.api.notify(str(error), severity="warning", markup=False)
            return None
        screen = self.api.screen
        if target is None and isinstance(screen, TargetContext):
            target = screen.selected_target()
        if target is None:
            self.api.notify(_("Type a number or a name first (F2)."), severity="warning")
        return target

    def _call_allowing(self, action: Action, what: str) -> Call | None:
        call = self.selected_call()
        if call is None:
            self.api.notify(_("No call to {what}.").format(what=what), severity="warning")
            return None
        if action not in call.allowed:
            self.api.notify(
                _("Cannot {what} this call now ({state}).").format(
                    what=what, state=call_state_word(call)
                ),
                severity="warning",
            )
            return None
        return call

    def _done_with_dial_bar(self) -> None:
        bar = self.dial_bar()
        if bar is not None:
            bar.clear()

    # ---- the actions -------------------------------------------------------------------

    def focus_dial(self) -> None:
        bar = self.dial_bar()
        if bar is not None:
            bar.focus_input()

    def call_target(self) -> None:
        target = self.dial_target()
        if target is None:
            return
        self.place_call(target.destination, presented=self.presented.take())
        self._done_with_dial_bar()

    def pick_presented_number(self, *, default: bool = False) -> None:
        """The number callers see: on my next call (its key), or by default (Preferences)."""
        self.presented.pick(default=default)

    @property
    def presented_next(self) -> str | None:
        """The company number chosen for my next call only (the status bar's badge)."""
        return self.presented.next_call

    def place_call(
        self,
        destination: str,
        placed: asyncio.Future[Call] | None = None,
        *,
        presented: str | None = None,
    ) -> None:
        """Call ``destination`` (F3, and ``tws-tui dial``): one request through the command
        runner, its errors shown there; ``placed`` gets the call, or the error, or is
        cancelled when the phone system does not answer in time. ``presented``: the company
        number the callee sees, None for my default."""

        async def make(backend: CallControl) -> None:
            try:
                call = await backend.make_call(destination, presented=presented)
            except asyncio.CancelledError:
                if placed is not None and not placed.done():
                    placed.cancel()
                raise
            except Exception as error:
                if placed is not None and not placed.done():
                    placed.set_exception(error)
                raise
            if placed is not None and not placed.done():
                placed.set_result(call)

        self.api.run_command(make)

    def blind_transfer(self) -> None:
        """F4: transfer the call without announcing it. A colleague who is not free (on a
        call, ringing, unavailable, do not disturb) is named first, and F4 again transfers
        anyway (SLF-2.4-3: transfer to an available colleague; a caller sent to a busy line
        blind often comes back)."""
        call = self._call_allowing(Action.BLIND_TRANSFER, _("transfer"))
        target = self.dial_target() if call is not None else None
        if call is None or target is None:
            return
        call_id, destination = call.call_id, target.destination
        busy = self._not_free(target)
        if busy and self._transfer_warned != (call_id, destination):
            self._transfer_warned = (call_id, destination)
            self.api.notify(
                _("{why}: F4 again transfers anyway.").format(why=busy),
                severity="warning",
                markup=False,
            )
            return
        self._transfer_warned = None
        self.api.run_command(lambda backend: backend.blind_transfer(call_id, destination))
        self.api.notify(
            _("Transferring {caller} to {target}…").format(
                caller=party_label(call.remote), target=target.label
            )
        )
        self._done_with_dial_bar()

    def _not_free(self, target: DialTarget) -> str:
        """Who is at ``target`` and why they cannot take a call now, in words ("" when free
        or not a colleague)."""
        devices = self.state.devices
        device = devices.get(target.device_id) if target.device_id else None
        if device is None:
            device = next((d for d in devices.values() if d.extension == target.destination), None)
        if device is None:
            return ""
        if device.dnd:
            state = _("Do not disturb")
        elif device.line_state in (LineState.IDLE, LineState.UNKNOWN):
            return ""
        else:
            state = _(LINE_WORD[device.line_state])
        return _("{name} is not free ({state})").format(name=device.name, state=state)

    def consult(self) -> None:
        """F5: consult the typed destination; F5 again completes the attended transfer."""
        transfer = self.current_transfer()
        if transfer is not None:
            transfer_id = transfer.transfer_id
            self.api.run_command(lambda backend: backend.complete_transfer(transfer_id))
            return
        call = self._call_allowing(Action.ATTENDED_TRANSFER, _("consult on"))
        target = self.dial_target() if call is not None else None
        if call is None or target is None:
            return
        call_id, destination = call.call_id, target.destination
        self.api.run_command(lambda backend: backend.start_transfer(call_id, destination))
        self._done_with_dial_bar()

    def conference(self) -> None:
        transfer = self.current_transfer()
        if transfer is None:
            self.api.notify(
                _("Consult someone first (F5), then F6 joins all three."), severity="warning"
            )
            return
        transfer_id = transfer.transfer_id
        self.api.run_command(lambda backend: backend.conference(transfer_id))

    def alternate(self) -> None:
        transfer = self.current_transfer()
        if transfer is None:
            self.api.notify(_("No consultation to alternate with."), severity="warning")
            return
        transfer_id = transfer.transfer_id
        self.api.run_command(lambda backend: backend.alternate(transfer_id))

    def hold_toggle(self) -> None:
        call = self.selected_call()
        if call is None:
            self.api.notify(_("No call to hold."), severity="warning")
        elif Action.RETRIEVE in call.allowed:
            call_id = call.call_id
            self.api.run_command(lambda backend: backend.retrieve(call_id))
        elif Action.HOLD in call.allowed:
            call_id = call.call_id
            self.api.run_command(lambda backend: backend.hold(call_id))
        else:
            self.api.notify(_("This call cannot be held now."), severity="warning")

    def hangup(self) -> None:
        """F8: cancel the consultation (the caller comes back), else hang up or refuse."""
        transfer = self.current_transfer()
        if transfer is not None and transfer.consult_call_id in self.state.calls:
            transfer_id = transfer.transfer_id
            self.api.run_command(lambda backend: backend.cancel_transfer(transfer_id))
            return
        call = self.selected_call()
        if call is None and self.state.ringing_calls():
            call = self.state.ringing_calls()[0]
        if call is None:
            self.api.notify(_("No call to hang up."), severity="warning")
            return
        call_id = call.call_id
        self.api.run_command(lambda backend: backend.hangup(call_id))

    def voicemail(self) -> None:
        """Alt+V: dial my voicemail (TWS-3.9.2-1); its menu keys show on the keypad line."""
        number = self.voicemail_number
        if not number:
            self.api.notify(
                _("No voicemail number: set general.voicemail_number in config.toml."),
                severity="warning",
            )
            return
        self.api.run_command(lambda backend: backend.make_call(number))

    def end_call(self) -> None:
        """Shift+F8: end the call for every party (TWS-3.6.3-1: the organiser ends a 3-way)."""
        call = self._call_allowing(Action.HANGUP, _("end"))
        if call is not None:
            call_id = call.call_id
            self.api.run_command(lambda backend: backend.clear_call(call_id))

    def drop_participant(self) -> None:
        """Alt+X: choose one 3-way participant and hang up their leg (TWS-3.6.1-2)."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        call = self.selected_call()
        if call is None or not call.conference:
            self.api.notify(
                _("No 3-way conference to drop a participant from."), severity="warning"
            )
            return
        if not self.api.can(Capability.DROP_PARTICIPANT):
            self.api.notify(
                _("This phone system cannot drop one participant; Shift+F8 ends the 3-way."),
                severity="warning",
            )
            return
        parties = {str(index): party for index, party in enumerate(call.conference)}
        call_id = call.call_id

        def drop(picked: str | None) -> None:
            if picked is not None:
                party = parties[picked]
                self.api.run_command(lambda backend: backend.drop_participant(call_id, party))

        options = [(key, party_label(party)) for key, party in parties.items()]
        self.api.push_screen(ChoiceScreen(_("Hang up on which participant?"), options), drop)

    def park(self) -> None:
        if not self.api.can(Capability.PARK):
            self.api.notify(
                _(
                    "This connection has no parking (for the SIP phone: park_slots, the phone"
                    " system's parking spaces)."
                ),
                severity="warning",
            )
            return
        call = self._call_allowing(Action.PARK, _("park"))
        if call is not None:
            call_id = call.call_id
            self.api.run_command(lambda backend: backend.park(call_id))

    def _ringing_call(self) -> Call | None:
        """The ringing call Alt+R / Alt+D act on: the incoming pop-up's while it is up, else
        the one that has rung longest; says so when nothing rings."""
        screen = self.api.screen
        if isinstance(screen, AlerterScreen):
            call = self.state.calls.get(screen.call_id)
            if call is not None and call.state is ConnectionState.ALERTING:
                return call
        ringing = self.state.ringing_calls()
        if not ringing:
            self.api.notify(_("No call is ringing."), severity="warning")
            return None
        return ringing[0]

    def refuse(self) -> None:
        call = self._ringing_call()
        if call is None:
            return
        call_id = call.call_id
        self.api.run_command(lambda backend: backend.hangup(call_id))

    def deflect(self) -> None:
        """Send the ringing call to the typed destination, else to the default target."""
        ringing = self._ringing_call()
        if ringing is None:
            return
        bar = self.dial_bar()
        destination = self.deflect_target
        if bar is not None and bar.text.strip():
            target = self.dial_target()
            if target is None:
                return
            destination = target.destination
        if not destination:
            self.api.notify(
                _("No deflection target: type one (F2) or set alerts.deflect_to."),
                severity="warning",
            )
            return
        call_id = ringing.call_id
        self.api.run_command(lambda backend: backend.deflect(call_id, destination))
        self._done_with_dial_bar()

    def pickup(self) -> None:
        """Pick up the call ringing at the colleague selected or typed; when the one selected
        is not ringing, the colleague of a supervised list just announced (TWS-2.4.2-5)."""
        screen = self.api.screen
        chosen = screen.selected_device_id if isinstance(screen, DeviceContext) else None
        device_id = DeviceId(chosen) if chosen is not None else None
        announced = self.interceptions.pending()
        if announced is not None and (
            device_id is None
            or (selected := self.state.devices.get(device_id)) is None
            or selected.line_state.value != "ringing"
        ):
            device_id = announced
        if device_id is None:
            target = self.dial_target()
            if target is None:
                return
            device_id = target.device_id
            if device_id is None:
                self.api.notify(_("Pick-up needs a colleague, not a number."), severity="warning")
                return
        device = self.state.devices.get(device_id)
        if device is not None and device.line_state.value != "ringing":
            self.api.notify(
                _("Nothing rings at {name}'s phone.").format(name=device.name), severity="warning"
            )
            return
        api = self.api

        async def pick(backend: CallControl) -> None:
            call = await backend.pickup(device_id)
            refused = call.extra.get(EXTRA_PICKUP_FALLBACK)
            if refused:  # the caller's phone refused the direct pick-up (SIP Replaces)
                api.notify(
                    _(
                        "The caller's phone refused a direct pick-up ({answer}): picked up"
                        " with the phone system's pickup code instead."
                    ).format(answer=refused),
                    markup=False,
                )

        self.api.run_command(pick)
        self._done_with_dial_bar()

    def mute_toggle(self) -> None:
        call = self._call_allowing(Action.MUTE, _("mute"))
        if call is not None:
            call_id, muted = call.call_id, not call.muted
            self.api.run_command(lambda backend: backend.set_mute(call_id, muted))

    def record_toggle(self) -> None:
        call = self._call_allowing(Action.RECORD, _("record"))
        if call is not None:
            call_id, on = call.call_id, not call.recording
            self.api.run_command(lambda backend: backend.set_recording(call_id, on))

    def hands_free_toggle(self) -> None:
        """Alt+S: my softphone's audio to the loudspeaker and back (TWS-3.11.3-1)."""
        if not self.api.can(Capability.HANDS_FREE):
            self.api.notify(
                _("Hands-free needs a softphone with local audio; this connection has none."),
                severity="warning",
            )
            return
        on = not (self.state.me is not None and self.state.me.hands_free)
        self.api.run_command(lambda backend: backend.set_hands_free(on))

    def comment(self) -> None:
        """Alt+C: a comment about the current call, kept with it in the journal."""
        from tws_tui.console.screens.modals.comment import CommentScreen

        call = self.selected_call() or next(iter(self.state.ringing_calls()), None)
        if call is None:
            self.api.notify(_("No call to comment on."), severity="warning")
            return

        def save(text: str | None) -> None:
            if text:
                self.api.local_journal.comment_on(call, text)

        self.api.push_screen(CommentScreen(party_label(call.remote)), save)

    def send_dtmf(self, digits: str) -> None:
        call = self._call_allowing(Action.DTMF, _("send digits on"))
        if call is not None:
            call_id = call.call_id
            self.api.run_command(lambda backend: backend.send_dtmf(call_id, digits))
