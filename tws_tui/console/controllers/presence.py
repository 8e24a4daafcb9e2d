"""``PresenceController``: my presence — the picker (Alt+P, a click on the status bar) with my
states of my own (a label and a note on a base state, TWS §1.6: added and removed from the
picker, kept in the profile book so they follow me where the phone system keeps profiles), the
note colleagues see with it (Alt+N, kept when the presence changes), do not disturb in one key
(Alt+Shift+D, Selfcare §4.5-2: on or off, saying where calls go meanwhile), and noticing when I
become Available again (Busy → Available), which the callback offer waits for (TWS-6.4-21)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.my_settings import me_if_allowed
from tws_tui.console.controllers.profiles import ProfilesController
from tws_tui.core.model import Capability, PresenceState
from tws_tui.core.protocols import CallControl
from tws_tui.domain.alerting import became_available
from tws_tui.domain.custom_presence import CustomPresence
from tws_tui.domain.dnd import dnd_notice
from tws_tui.platform.i18n import _


class PresenceController:
    def __init__(
        self, api: ConsoleApi, on_available: Callable[[], None], profiles: ProfilesController
    ) -> None:
        self.api = api
        self._on_available = on_available
        self.profiles = profiles  # its book keeps my states of my own
        self._presence: PresenceState | None = None  # to notice Busy → Available

    def me_changed(self) -> None:
        """After a change of my own line: tell ``on_available`` when I became Available."""
        me = self.api.state.me
        if me is None:
            return
        presence, self._presence = self._presence, me.presence
        if became_available(presence, self._presence):
            self._on_available()

    def custom_states(self) -> tuple[CustomPresence, ...] | None:
        """My states of my own, or None where the phone system takes no custom state (or
        the console keeps no profile book)."""
        if not (self.api.can(Capability.PRESENCE_CUSTOM) and self.profiles.offered):
            return None
        return self.profiles.book.presence_states

    def pick(self) -> None:
        """Open the presence picker on my current presence (DND counts as one)."""
        from tws_tui.console.screens.modals.presence import (
            PresenceChoice,
            PresencePicker,
            custom_id,
        )

        if isinstance(self.api.screen, PresencePicker):
            return
        me = self.api.state.me
        custom = self.custom_states()
        current = PresenceChoice.AVAILABLE.value
        if me is not None:
            current = PresenceChoice.DND.value if me.dnd else me.presence.value
            labels = [s.label for s in custom or ()]
            if not me.dnd and me.presence_label in labels:
                current = custom_id(labels.index(me.presence_label))
        self.api.push_screen(PresencePicker(current, custom), self.set)

    def toggle_dnd(self) -> None:
        """Alt+Shift+D: do not disturb on, or off when it is on; once the phone system has
        it, a notice says so and where calls go meanwhile (a forward, or refused)."""
        refusal = _("This phone system does not let the console set do not disturb.")
        me = me_if_allowed(self.api, Capability.DND, refusal)
        if me is None:
            return
        on = not me.dnd

        async def switch(backend: CallControl) -> None:
            await backend.set_dnd(on)
            now = self.api.state.me
            forwards = now.forwards if now is not None else me.forwards
            self.api.notify(dnd_notice(on, forwards, self.api.calls.voicemail_number))

        self.api.run_command(switch)

    def set(self, picked: str | None) -> None:
        """Apply a choice of the picker: DND, a presence (which ends DND), a state of my own,
        or open the form that adds one / the list that removes one."""
        from tws_tui.console.screens.modals.presence import (
            CUSTOM_PREFIX,
            PresenceChoice,
            PresenceEntry,
        )

        if picked is None:
            return
        states = self.custom_states() or ()
        if picked == PresenceEntry.NEW:
            from tws_tui.console.screens.profiles.forms import CustomPresenceForm

            self.api.push_screen(CustomPresenceForm(states), self._add)
            return
        if picked == PresenceEntry.REMOVE:
            self._ask_remove(states)
            return
        if picked.startswith(CUSTOM_PREFIX):
            self._apply_custom(states[int(picked.removeprefix(CUSTOM_PREFIX))])
            return
        choice = PresenceChoice(picked)
        if choice is PresenceChoice.DND:
            self.api.run_command(lambda backend: backend.set_dnd(True))
            return
        me = self.api.state.me
        self._apply(PresenceState(choice.value), me.presence_note if me is not None else None)

    def _apply(self, state: PresenceState, note: str | None, label: str | None = None) -> None:
        me = self.api.state.me
        dnd_on = me is not None and me.dnd

        # a phone that has DND but publishes no presence (sip without presence = true):
        # leaving DND for Available is DND off, nothing more to refuse
        dnd_only = state is PresenceState.AVAILABLE and not self.api.can(Capability.PRESENCE_SET)

        async def apply(backend: CallControl) -> None:
            if dnd_on:
                await backend.set_dnd(False)
                if dnd_only:
                    return
            await backend.set_presence(state, note, label=label)

        self.api.run_command(apply)

    def _apply_custom(self, state: CustomPresence) -> None:
        """A state of my own: its base state, its label, its note (none: the note I had)."""
        me = self.api.state.me
        note = state.note or (me.presence_note if me is not None else None)
        self._apply(state.base, note, state.label)

    def _add(self, answer: object) -> None:
        """The form's new state, kept in my book, then made my presence."""
        if not isinstance(answer, CustomPresence):
            return
        book = self.profiles.book
        if self.profiles.save(replace(book, presence_states=(*book.presence_states, answer))):
            self._apply_custom(answer)

    def _ask_remove(self, states: tuple[CustomPresence, ...]) -> None:
        from tws_tui.console.screens.modals.choice import ChoiceScreen
        from tws_tui.console.screens.modals.presence import custom_label

        options = [(str(i), custom_label(s)) for i, s in enumerate(states)]
        screen = ChoiceScreen(_("Remove a state of my own"), options)
        self.api.push_screen(screen, self._remove)

    def _remove(self, picked: str | None) -> None:
        """Take a state out of my book (my presence stays as it is until I change it)."""
        if picked is None:
            return
        book = self.profiles.book
        kept = tuple(s for i, s in enumerate(book.presence_states) if str(i) != picked)
        self.profiles.save(replace(book, presence_states=kept))

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
        """Keep my presence (and a state of my own) and change its note ("" takes it away;
        None: cancelled)."""
        me = self.api.state.me
        if note is None or me is None:
            return
        state, label = me.presence, me.presence_label
        self.api.run_command(lambda backend: backend.set_presence(state, note or None, label=label))
