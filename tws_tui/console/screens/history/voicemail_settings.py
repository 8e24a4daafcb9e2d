"""Voicemail settings: my greetings, my voicemail PIN and the copy of each message by e-mail
(TWS-6.9, Selfcare §6.2), a page opened from Preferences (its "My voicemail" section) or from
the Voicemail view (G, ``voicemail.settings``); Escape goes back.

* Greetings (up to five): the list marks with ★ the one callers hear; Enter makes the selected
  one active, Space listens to it on this machine's sound card, Delete deletes it (confirmed).
  Ctrl+O goes to the file field: a WAV file's path (``~`` allowed) and a name (the file's name
  when left empty), added by the button or Enter. The phone system judges the file (not a WAV,
  cut short, too short or too long, a sixth greeting: a sentence each, nothing added).
  Recording one through my phone is offered by none of our phone systems (the contract has no
  such request): the page says so, and Ctrl+R says how to make one instead.
* PIN: the current one, the new one twice; 4 to 8 digits (checked here, then by the phone
  system, which also checks the current one). While it is still 0000 the page warns.
* E-mail copy: on or off, and the address; Save keeps both.

A phone system that keeps these settings itself (SIP: the PBX's voicemail menu or portal,
``backend.voicemail_prefs`` None) gets one sentence saying so, and nothing to fill in. A change
made from another console of mine arrives as ``Topic.VOICEMAIL_SETTINGS`` and is shown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen, show_text
from tws_tui.console.widgets.row_list import RowList
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import MAX_GREETINGS, VoicemailGreeting, VoicemailSettings
from tws_tui.core.protocols import VoicemailPrefs
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import duration, error_text
from tws_tui.platform.i18n import N_, _, labelled
from tws_tui.platform.voice_player import AudioUnavailable, BadRecording, Player, read_wav

COLUMNS = (N_("Active"), N_("Greeting"), N_("Length"))
ACTIVE_MARK = "★"
#: A file larger than this is not read at all (the phone system's own limit is lower).
READ_CAP_BYTES = 16 * 1024 * 1024
PIN_FIELDS = ("#vms-pin-old", "#vms-pin-new", "#vms-pin-again")
#: One request to the phone system's voicemail settings.
Change = Callable[[VoicemailPrefs], Awaitable[None]]


def pin_problem(old: str, new: str, again: str) -> str:
    """What is wrong with a PIN change as typed ("" when it may be sent)."""
    if not old:
        return _("Type the current PIN first.")
    if not (new.isascii() and new.isdigit() and 4 <= len(new) <= 8):
        return _("The new PIN must be 4 to 8 digits (0-9), nothing else.")
    if new != again:
        return _("The new PIN and its repetition differ.")
    return ""


class VoicemailSettingsScreen(ModeScreen):
    MODE = "voicemail_settings"
    PARENT_MODE = "prefs"
    TITLE_MSGID = N_("Voicemail settings")
    AUTO_FOCUS = "#vms-greetings"
    TOPICS = frozenset({Topic.VOICEMAIL_SETTINGS, Topic.LINK})
    BINDINGS: ClassVar = bindings_for("voicemail_settings")
    DEFAULT_CSS = """
    VoicemailSettingsScreen #vms-greetings { height: 6; }
    VoicemailSettingsScreen .vms-row { height: 1; }
    VoicemailSettingsScreen .vms-row Label { padding: 0 1 0 0; }
    VoicemailSettingsScreen .vms-row Input { width: 1fr; }
    VoicemailSettingsScreen .vms-row Input.vms-short { width: 12; margin-right: 1; }
    VoicemailSettingsScreen .vms-row Input.vms-name { width: 18; margin-right: 1; }
    VoicemailSettingsScreen .vms-row Button { width: auto; min-width: 0; margin-left: 1; }
    VoicemailSettingsScreen .vms-row OnOffSwitch { height: 1; border: none; margin-right: 1; }
    VoicemailSettingsScreen .vms-note { height: auto; color: $text-muted; }
    VoicemailSettingsScreen .section-title { margin-top: 1; }
    VoicemailSettingsScreen.-short .section-title { margin-top: 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._settings: VoicemailSettings | None = None
        self._player: Player | None = None
        self._filled = False  # the e-mail fields given the settings' values

    @property
    def box(self) -> VoicemailPrefs | None:
        backend = self.tws.backend
        return backend.voicemail_prefs if backend is not None else None

    def compose_body(self) -> ComposeResult:
        yield Static(id="vms-unavailable", classes="empty-note", markup=False)
        with Vertical(id="vms-page"):
            yield Static(id="vms-greetings-title", classes="section-title", markup=False)
            yield RowList(id="vms-greetings")
            yield Static(id="vms-greetings-note", classes="vms-note", markup=False)
            with Horizontal(classes="vms-row"):
                yield Label(id="vms-file-label")
                yield Input(id="vms-file", compact=True)
                yield Input(id="vms-name", classes="vms-name", compact=True)
                yield Button("", id="vms-add", compact=True)
            yield Static(id="vms-record-note", classes="vms-note", markup=False)
            yield Static(id="vms-pin-title", classes="section-title", markup=False)
            with Horizontal(classes="vms-row"):
                for field_id in PIN_FIELDS:
                    yield Input(id=field_id[1:], classes="vms-short", password=True, compact=True)
                yield Button("", id="vms-pin-change", compact=True)
            yield Static(id="vms-pin-note", classes="vms-note", markup=False)
            yield Static(id="vms-email-title", classes="section-title", markup=False)
            with Horizontal(classes="vms-row"):
                yield OnOffSwitch(id="vms-email-copy")
                yield Label(id="vms-email-label")
                yield Input(id="vms-email", compact=True)
                yield Button("", id="vms-email-save", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    async def on_unmount(self) -> None:
        if self._player is not None:
            await self._player.stop()

    def refresh_from_state(self, topics: Topics) -> None:
        settings = self.tws.state.voicemail_settings
        if Topic.VOICEMAIL_SETTINGS in topics and settings is not None:
            self._settings = settings  # changed here or from another console of mine
        if self.is_mounted:
            self._show()

    # ---- reading, showing ------------------------------------------------------------------

    def reload(self) -> None:
        self._load()

    @work(group="vms-load", exclusive=True)
    async def _load(self) -> None:
        box = self.box
        if box is None:
            self._show()
            return
        try:
            self._settings = await box.settings()
        except CallControlError as error:
            self.tws.notify(error_text(error), severity="error", markup=False)
            return
        self._show()

    def _show(self) -> None:
        box, settings = self.box, self._settings
        if settings is not None and not self._filled:  # once: later, what is typed stays
            self._filled = True
            self.query_one("#vms-email", Input).value = settings.email
            self.query_one("#vms-email-copy", OnOffSwitch).value = settings.email_copy
        unavailable = self.query_one("#vms-unavailable", Static)
        unavailable.display = box is None
        self.query_one("#vms-page").display = box is not None
        if box is None:
            show_text(
                unavailable,
                _(
                    "This phone system keeps the voicemail greetings, PIN and e-mail copy"
                    " itself: set them from its voicemail menu ({key} calls it) or its portal."
                ).format(key=self.tws.app_key_display("call.voicemail")),
            )
            return
        greetings = settings.greetings if settings is not None else ()
        show_text(
            self.query_one("#vms-greetings-title", Static),
            _("Greetings ({count} of {most})").format(count=len(greetings), most=MAX_GREETINGS),
        )
        show_text(
            self.query_one("#vms-greetings-note", Static),
            _("Callers hear the one marked {mark}; {key} chooses it.").format(
                mark=ACTIVE_MARK, key=self.tws.app_key_display("voicemail_settings.activate")
            ),
        )
        rows = {
            g.id: (ACTIVE_MARK if g.active else "", g.name, duration(g.duration_s))
            for g in greetings
        }
        self.query_one("#vms-greetings", RowList).set_rows([_(c) for c in COLUMNS], rows)
        self.query_one("#vms-file-label", Label).update(_("WAV file"))
        self.query_one("#vms-file", Input).placeholder = _("path of a .wav (2 s to 2 min)")
        self.query_one("#vms-name", Input).placeholder = _("name")
        self.query_one("#vms-add", Button).label = _("Add")
        key = self.tws.app_key_display("voicemail_settings.record")
        record = _("Recording through the phone is not offered by this phone system ({key}).")
        show_text(self.query_one("#vms-record-note", Static), record.format(key=key))
        show_text(self.query_one("#vms-pin-title", Static), _("Voicemail PIN"))
        for field_id, word in zip(
            PIN_FIELDS, (_("current"), _("new"), _("new again")), strict=True
        ):
            self.query_one(field_id, Input).placeholder = word
        self.query_one("#vms-pin-change", Button).label = _("Change the PIN")
        pin_note = _("4 to 8 digits.")
        if settings is not None and settings.pin_is_default:
            pin_note += " " + _("Your PIN is still 0000: anyone can listen to your messages.")
        show_text(self.query_one("#vms-pin-note", Static), pin_note)
        show_text(self.query_one("#vms-email-title", Static), _("Copy by e-mail"))
        self.query_one("#vms-email-label", Label).update(_("each message to"))
        self.query_one("#vms-email", Input).placeholder = _("name@example.com")
        self.query_one("#vms-email-save", Button).label = _("Save")

    def selected_greeting(self) -> VoicemailGreeting | None:
        key = self.query_one("#vms-greetings", RowList).selected_key
        greetings = self._settings.greetings if self._settings is not None else ()
        return next((g for g in greetings if g.id == key), None)

    def enter_has_meaning(self) -> bool:
        listed = self.query_one("#vms-greetings", RowList)
        return listed.has_focus and self.selected_greeting() is not None

    # ---- greetings -------------------------------------------------------------------------

    def action_activate(self) -> None:
        greeting = self.selected_greeting()
        if greeting is not None and not greeting.active:
            self._change(lambda box: box.activate_greeting(greeting.id), _("Greeting in use."))

    def action_delete_greeting(self) -> None:
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        greeting = self.selected_greeting()
        if greeting is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._change(lambda box: box.delete_greeting(greeting.id), _("Greeting deleted."))

        question = _("Delete the greeting {name}?").format(name=greeting.name)
        self.tws.push_screen(ConfirmScreen(question), answered)

    def action_add_file(self) -> None:
        self.query_one("#vms-file", Input).focus()

    def action_record(self) -> None:
        """Ctrl+R: no phone system here rings my phone to record a greeting; how to make one."""
        self.tws.notify(
            _(
                "Recording a greeting through the phone is not offered by this phone"
                " system: record it on your computer and add the WAV file."
            ),
            severity="warning",
        )

    def action_close(self) -> None:
        self.dismiss()

    def action_listen(self) -> None:
        greeting = self.selected_greeting()
        if greeting is not None:
            self._listen(greeting)

    @work(group="vms-play", exclusive=True)
    async def _listen(self, greeting: VoicemailGreeting) -> None:
        box = self.box
        if box is None:
            return
        if self._player is not None:
            await self._player.stop()
            self._player = None
        try:
            recording = read_wav(await box.greeting_audio(greeting.id))
            output = self.tws.audio_output()
        except AudioUnavailable:
            self.tws.notify(_("No audio device here: the greeting cannot be played."))
            return
        except BadRecording as error:
            self.tws.notify(_(str(error)), severity="error", markup=False)
            return
        except CallControlError as error:
            self.tws.notify(error_text(error), severity="error", markup=False)
            return
        self._player = Player(recording, output, lambda: None)
        self._player.play()

    @on(Button.Pressed, "#vms-add")
    @on(Input.Submitted, "#vms-file")
    @on(Input.Submitted, "#vms-name")
    def _add_pressed(self) -> None:
        path = self.query_one("#vms-file", Input).value.strip()
        if not path:
            self.tws.notify(_("Type the path of a WAV file first."), severity="warning")
            return
        self._add(path, self.query_one("#vms-name", Input).value.strip())

    @work(group="vms-change")
    async def _add(self, path: str, name: str) -> None:
        box = self.box
        if box is None:
            return
        file = Path(path).expanduser()
        try:
            data = await asyncio.to_thread(_read_capped, file)
        except OSError as error:
            reason = error.strerror or str(error)
            self.tws.notify(
                _("Cannot read {path}: {reason}").format(path=str(file), reason=reason),
                severity="error",
                markup=False,
            )
            return
        if data is None:
            self.tws.notify(
                _("{path} is far too large to be a greeting.").format(path=str(file)),
                severity="error",
                markup=False,
            )
            return
        try:
            added = await box.add_greeting(name or file.stem, data)
        except CallControlError as error:
            self.tws.notify(
                labelled(_("Greeting not added"), error_text(error)),
                severity="error",
                markup=False,
            )
            return
        self.query_one("#vms-file", Input).value = ""
        self.query_one("#vms-name", Input).value = ""
        self.tws.notify(_("Greeting {name} added.").format(name=added.name))
        self.reload()

    # ---- PIN, e-mail -----------------------------------------------------------------------

    @on(Button.Pressed, "#vms-pin-change")
    @on(Input.Submitted, "#vms-pin-again")
    def _pin_pressed(self) -> None:
        old, new, again = (self.query_one(f, Input).value for f in PIN_FIELDS)
        problem = pin_problem(old, new, again)
        if problem:
            self.tws.notify(problem, severity="warning")
            return
        for field_id in PIN_FIELDS:
            self.query_one(field_id, Input).value = ""
        self._change(lambda box: box.change_pin(old, new), _("PIN changed."))

    @on(Button.Pressed, "#vms-email-save")
    @on(Input.Submitted, "#vms-email")
    def _email_pressed(self) -> None:
        enabled = self.query_one("#vms-email-copy", OnOffSwitch).value
        address = self.query_one("#vms-email", Input).value
        done = _("Each message is copied to {address}.").format(address=address.strip())
        self._change(
            lambda box: box.set_email_copy(enabled, address),
            done if enabled else _("No copy by e-mail."),
        )

    @work(group="vms-change")
    async def _change(self, change: Change, done: str) -> None:
        box = self.box
        if box is None:
            return
        try:
            await change(box)
        except CallControlError as error:  # nothing changed: what was typed stays
            self.tws.notify(error_text(error), severity="error", markup=False)
            return
        self.tws.notify(done, markup=False)
        self.reload()


def _read_capped(path: Path) -> bytes | None:
    """The file's bytes, or None when it is larger than :data:`READ_CAP_BYTES`."""
    with path.open("rb") as file:
        data = file.read(READ_CAP_BYTES + 1)
    return None if len(data) > READ_CAP_BYTES else data
