"""``PresenceController``: my presence — the picker (Alt+P, a click on the status bar), the
note colleagues see with it (Alt+N, kept when the presence changes), and noticing when I become
Available again (Busy → Available), which the callback offer waits for (TWS-6.4-21)."""

from __future__ import annotations

from collections.abc import Callable

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.my_settings import me_if_allowed
from tws_tui.core.model import Capability, PresenceState
from tws_tui.core.protocols import CallControl
from tws_tui.domain.alerting import became_available
from tws_tui.platform.i18n import _


class PresenceController:
    def __init__(self, api: ConsoleApi, on_available: Callable[[], None]) -> None:
        self.api = api
        self._on_available = on_available
        self._presence: PresenceState | None = None  # to notice Busy → Available

    def me_changed(self) -> None:
        """After a change of my own line: tell ``on_available`` when I became Available."""
        me = self.api.state.me
        if me is None:
            return
        presence, self._presence = self._presence, me.presence
        if became_available(presence, self._presence):
            self._on_available()

    def pick(self) -> None:
        """Open the presence picker on my current presence (DND counts as one)."""
        from tws_tui.console.screens.modals.presence import PresenceChoice, PresencePicker

        if isinstance(self.api.screen, PresencePicker):
            return
        me = self.api.state.me
        current = PresenceChoice.AVAILABLE
        if me is not None:
            current = PresenceChoice.DND if me.dnd else PresenceChoice(me.presence.value)
        self.api.push_screen(PresencePicker(current), self.set)

    def set(self, picked: str | None) -> None:
        """Apply a choice of the picker: DND, or a presence (which ends DND)."""
        from tws_tui.console.screens.modals.presence import PresenceChoice

        if picked is None:
            return
        choice = PresenceChoice(picked)
        if choice is PresenceChoice.DND:
            self.api.run_command(lambda backend: backend.set_dnd(True))
            return
        state = PresenceState(choice.value)
        me = self.api.state.me
        dnd_on = me is not None and me.dnd
        note = me.presence_note if me is not None else None

        # a phone that has DND but publishes no presence (sip without presence = true):
        # leaving DND for Available is DND off, nothing more to refuse
        dnd_only = state is PresenceState.AVAILABLE and not self.api.can(Capability.PRESENCE_SET)

        async def apply(backend: CallControl) -> None:
            if dnd_on:
                await backend.set_dnd(False)
                if dnd_only:
                    return
            await backend.set_presence(state, note)

        self.api.run_command(apply)

    def edit_note(self) -> None:
        """Open the note dialog on my current note."""
        from tws_tui.console.screens.modals.presence_note import PresenceNoteScreen

        if isinstance(self.api.screen, PresenceNoteScreen):
            return
        refusal = _("This phone system does not let the console change my presence.")
        me = me_if_allowed(self.api, Capability.PRESENCE_SET, refusal)
        if me is None:
            return
        self.api.push_screen(PresenceNoteScreen(me.presence_note or ""), self.set_note)

    def set_note(self, note: str | None) -> None:
        """Keep my presence and change its note ("" takes it away; None: cancelled)."""
        me = self.api.state.me
        if note is None or me is None:
            return
        state = me.presence
        self.api.run_command(lambda backend: backend.set_presence(state, note or None))
