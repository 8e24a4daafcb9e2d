"""Voicemail: the messages in my voicemail box, a sub-view of History (TWS-3.9, Selfcare §6.1,
Webpilot §10).

Opened by Alt+B from anywhere (keymap id ``voicemail.open``) or from History; Escape goes
back. Each message: new or heard (in words, and in the warning colour while new), when, who
(the caller's name from the directories when the phone system gave none: the same reverse
lookup as calls), how long. Keys (``voicemail.*``):

* Space plays or pauses the selected message on this machine's sound card, ←/→ go back or
  forward 5 seconds; playing it marks it heard. Without a sound card the line above the list
  says so, and Alt+V (``call.voicemail``) still plays the messages on my phone.
* R marks it heard or new again; Delete deletes it (confirmed); Enter or F3 calls the caller
  back, Ctrl+N adds the caller to the contacts (both as History does).
* G opens the voicemail settings (greetings, PIN, e-mail copy: ``voicemail_settings.py``).
* A recording the console cannot read (not a WAV, cut short) and a message deleted meanwhile
  by another session are each said in a sentence; the list is read again.

The new-message count is in the status bar (``ConsoleState.voicemail_new``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from tws_tui.console.api import DialTarget
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen, show_text
from tws_tui.console.screens.history.contact import offer_contact
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.errors import CallControlError, NotFound
from tws_tui.core.model import Capability, VoicemailMessage
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import day_and_time, duration, error_text, party_label
from tws_tui.platform.i18n import N_, _
from tws_tui.platform.voice_player import (
    AudioUnavailable,
    BadRecording,
    Player,
    read_wav,
)

COLUMNS = (N_("Status"), N_("When"), N_("Who"), N_("Duration"))
#: How far ←/→ move in the message being played.
SEEK_S = 5.0
NEW_WORD = N_("● New")
HEARD_WORD = N_("Heard")


class VoicemailScreen(ModeScreen):
    MODE = "voicemail"
    PARENT_MODE = "history"
    TITLE_MSGID = N_("Voicemail")
    AUTO_FOCUS = "#voicemail-list"
    TOPICS = frozenset({Topic.VOICEMAIL})
    BINDINGS: ClassVar = bindings_for("voicemail")

    def __init__(self) -> None:
        super().__init__()
        self._messages: list[VoicemailMessage] = []
        self._loaded = False
        self._player: Player | None = None
        self._playing_id: str | None = None
        self._no_device = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="voicemail-player", markup=False)
        yield Static(id="voicemail-empty", classes="empty-note", markup=False)
        yield RowList(id="voicemail-list")

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    def refresh_from_state(self, topics: Topics) -> None:
        if Topic.VOICEMAIL in topics and self.is_mounted and self._loaded:
            self.reload()
        self._show()

    async def on_unmount(self) -> None:
        if self._player is not None:
            await self._player.stop()

    # ---- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        self._load()

    @work(group="voicemail-load", exclusive=True)
    async def _load(self) -> None:
        backend = self.tws.backend
        box = backend.voicemail if backend is not None else None
        if box is None:
            self._messages, self._loaded = [], True
            self._show()
            return
        try:
            messages = await box.messages()
        except CallControlError as error:
            self.tws.notify(error_text(error), severity="error", markup=False)
            return
        callers = self.tws.callers  # the caller's name from the directories, if need be
        named = [replace(m, caller=await callers.name(m.caller)) for m in messages]
        self._messages, self._loaded = named, True
        self._show()

    # ---- showing -------------------------------------------------------------------------

    def _show(self) -> None:
        if not self.is_mounted:
            return
        now = self.tws.clock.now()
        clock_24h = self.tws.prefs.ui.clock_24h
        rows = {
            m.id: (
                _(NEW_WORD) if m.new else _(HEARD_WORD),
                day_and_time(m.at, now, clock_24h=clock_24h),
                party_label(m.caller),
                duration(m.duration_s),
            )
            for m in self._messages
        }
        tones = {m.id: "warning" for m in self._messages if m.new}
        self.query_one("#voicemail-list", RowList).set_rows(
            [_(c) for c in COLUMNS], rows, tones=tones
        )
        note = self.query_one("#voicemail-empty", Static)
        empty = self._empty_text()
        note.display = bool(empty)
        show_text(note, empty)
        show_text(self.query_one("#voicemail-player", Static), self._player_text())

    def _empty_text(self) -> str:
        backend = self.tws.backend
        if backend is not None and backend.voicemail is None:
            return _(
                "This phone system does not give the voicemail messages here: {key} calls"
                " the voicemail."
            ).format(key=self.tws.app_key_display("call.voicemail"))
        if not self._loaded:
            return _("Reading the voicemail…")
        return "" if self._messages else _("No voicemail message.")

    def _player_text(self) -> str:
        total = len(self._messages)
        new = sum(1 for m in self._messages if m.new)
        counts = _("New: {new} · All: {total}").format(new=new, total=total)
        player, message = self._player, self._message(self._playing_id)
        if self._no_device:
            key = self.tws.app_key_display("call.voicemail")
            return f"{counts} — " + _(
                "No audio device here: {key} plays the messages on your phone."
            ).format(key=key)
        if player is None or message is None:
            return counts
        state = _("▶ Playing") if player.playing else _("⏸ Paused")
        where = f"{duration(player.position_s)} / {duration(player.recording.length_s)}"
        return f"{counts} — {state} {where} · {party_label(message.caller)}"

    def _message(self, message_id: str | None) -> VoicemailMessage | None:
        return next((m for m in self._messages if m.id == message_id), None)

    # ---- what the keys act on -------------------------------------------------------------

    def selected_message(self) -> VoicemailMessage | None:
        return self._message(self.query_one("#voicemail-list", RowList).selected_key)

    def selected_target(self) -> DialTarget | None:
        """F3 (and Enter) call the caller back."""
        message = self.selected_message()
        if message is None or not message.caller.number:
            return None
        return DialTarget(message.caller.number, party_label(message.caller))

    def enter_has_meaning(self) -> bool:
        listed = self.query_one("#voicemail-list", RowList)
        return listed.has_focus and self.selected_message() is not None

    async def action_call_back(self) -> None:
        message = self.selected_message()
        if message is None:
            return
        if not message.caller.number:
            self.tws.notify(_("Nothing to call: the number was withheld."), severity="warning")
            return
        await self.app.run_action("call_target")

    def action_add_contact(self) -> None:
        message = self.selected_message()
        if message is not None:
            offer_contact(self.tws, message.caller.name or "", message.caller.number or "")

    def action_close(self) -> None:
        self.dismiss()

    def action_open_settings(self) -> None:
        """G: my greetings, PIN and e-mail copy (the page Preferences opens too)."""
        from tws_tui.console.screens.history.voicemail_settings import VoicemailSettingsScreen

        self.tws.push_screen(VoicemailSettingsScreen())

    # ---- play, pause, seek ----------------------------------------------------------------

    def action_play(self) -> None:
        message = self.selected_message()
        if message is None:
            return
        if self._player is not None and self._playing_id == message.id:
            self._player.toggle()
            return
        if not self.tws.can(Capability.VOICEMAIL_AUDIO) or not message.has_audio:
            key = self.tws.app_key_display("call.voicemail")
            self.tws.notify(
                _("This message cannot be played here: {key} plays it on your phone.").format(
                    key=key
                ),
                severity="warning",
            )
            return
        self._start(message)

    @work(group="voicemail-play", exclusive=True)
    async def _start(self, message: VoicemailMessage) -> None:
        backend = self.tws.backend
        box = backend.voicemail if backend is not None else None
        if box is None:
            return
        if self._player is not None:
            await self._player.stop()
            self._player, self._playing_id = None, None
        try:
            recording = read_wav(await box.audio(message.id))
            output = self.tws.audio_output()
        except AudioUnavailable:
            self._no_device = True
            self._show()
            return
        except BadRecording as error:
            self.tws.notify(_(str(error)), severity="error", markup=False)
            return
        except NotFound:
            self._gone()
            return
        except CallControlError as error:
            self.tws.notify(error_text(error), severity="error", markup=False)
            return
        self._no_device = False
        self._player, self._playing_id = Player(recording, output, self._show), message.id
        self._player.play()
        if message.new:
            await self._mark(message, heard=True)

    def action_seek(self, seconds: float) -> None:
        if self._player is not None:
            self._player.seek(seconds)

    # ---- mark, delete ---------------------------------------------------------------------

    def action_toggle_heard(self) -> None:
        message = self.selected_message()
        if message is not None:
            self._mark_worker(message, message.new)  # new: heard now

    @work(group="voicemail-change")
    async def _mark_worker(self, message: VoicemailMessage, heard: bool) -> None:
        await self._mark(message, heard=heard)

    async def _mark(self, message: VoicemailMessage, *, heard: bool) -> None:
        backend = self.tws.backend
        box = backend.voicemail if backend is not None else None
        if box is None:
            return
        try:
            await box.mark(message.id, heard=heard)
        except NotFound:
            self._gone()
            return
        except CallControlError as error:
            self.tws.notify(error_text(error), severity="error", markup=False)
            return
        self.reload()

    def action_delete_message(self) -> None:
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        message = self.selected_message()
        if message is None:
            return

        def answered(yes: bool | None) -> None:
            if yes and message is not None:
                self._delete(message)

        question = _("Delete the message from {who}?").format(who=party_label(message.caller))
        self.tws.push_screen(ConfirmScreen(question), answered)

    @work(group="voicemail-change")
    async def _delete(self, message: VoicemailMessage) -> None:
        backend = self.tws.backend
        box = backend.voicemail if backend is not None else None
        if box is None:
            return
        if self._playing_id == message.id and self._player is not None:
            await self._player.stop()
            self._player, self._playing_id = None, None
        try:
            await box.delete(message.id)
        except NotFound:
            self._gone()
            return
        except CallControlError as error:
            self.tws.notify(error_text(error), severity="error", markup=False)
            return
        self.tws.notify(_("Message deleted."))
        self.reload()

    def _gone(self) -> None:
        """The message was deleted meanwhile (another session): say so, read the list again."""
        self.tws.notify(
            _("This message was deleted elsewhere meanwhile; the list is read again."),
            severity="warning",
        )
        self.reload()
