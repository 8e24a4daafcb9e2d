"""The Sound library page (TWS-6.8), opened from Preferences; Escape goes back.

The library (``platform/sound_library.py``): the built-in sounds and the user's WAV files, each
with its length, ♫ a ringtone (over 2 s) or ♪ a notification. A sound per event — incoming
call, queue call, chat message, new voicemail — chosen in a list; a choice that cannot be
played (its file gone or damaged since) is refused in a sentence and the previous one kept.
P (``sounds.preview``) plays the sound of the event under the cursor at the ring volume, on the
ringer chosen in Preferences → Audio when there is a sound device, else rings the terminal bell
and says so. Ctrl+O (``sounds.add``) goes to the field where a WAV or MP3 file's path adds it to
the library, kept as WAV (checked first: a missing file, another format, a damaged one or a
built-in's name each said, nothing stored). Each event's list offers only the sounds that fit
it (TWS-6.8-4): over 2 s for the calls, 2 s or less for chat and voicemail. M
(``sounds.mute``) silences the chat message's and new voicemail's sounds, or lets them play
again (``[audio] mute``; calls still ring): the page says which. Ctrl+R
(``sounds.record``) records an announcement from the microphone under the name typed
(``recording.py``, TWS-6.8-5).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.audio.preview import preview_sound
from tws_tui.console.screens.audio.recording import AnnouncementRecorder
from tws_tui.console.screens.audio.sounds_text import bad_sound_text
from tws_tui.console.screens.base import ModeScreen
from tws_tui.core.topics import Topics
from tws_tui.platform.i18n import N_, _
from tws_tui.platform.sound_library import BadSound, Sound, add, library, load

EVENTS = (
    ("incoming_call", N_("Incoming call")),
    ("queue_call", N_("Queue call")),
    ("chat_message", N_("Chat message")),
    ("voicemail", N_("New voicemail")),
)

#: The built-in sounds' names as shown (the settings keep the ids).
BUILTIN_NAMES = {
    "ring": N_("Phone ring"),
    "queue": N_("Queue ring"),
    "chat": N_("Chat chime"),
    "notify": N_("Notification"),
    "bell": N_("Short bell"),
}


def shown_name(name: str) -> str:
    return _(BUILTIN_NAMES[name]) if name in BUILTIN_NAMES else name


class SoundsScreen(ModeScreen):
    MODE = "sounds"
    PARENT_MODE = "prefs"
    TITLE_MSGID = N_("Sound library")
    TOPICS: ClassVar[Topics] = frozenset()
    BINDINGS: ClassVar = bindings_for("sounds")
    DEFAULT_CSS = """
    SoundsScreen #sounds-scroll { height: 1fr; }
    SoundsScreen .sounds-row { height: 1; margin-top: 1; }
    SoundsScreen .sounds-row Label { width: 22; }
    SoundsScreen .sounds-row Select { width: 40; }
    SoundsScreen .sounds-row Input { width: 1fr; }
    SoundsScreen .sounds-note { height: auto; padding: 0 1; }
    """

    def compose_body(self) -> ComposeResult:
        self._sounds: list[Sound] = library()
        self._recorder = AnnouncementRecorder(self.tws)
        audio = self.tws.prefs.audio
        with VerticalScroll(id="sounds-scroll", can_focus=False):
            yield Static(id="sounds-list", classes="sounds-note", markup=False)
            for key, _label in EVENTS:
                with Horizontal(classes="sounds-row"):
                    yield Label(id=f"label-{key}")
                    yield Select(
                        self._options(key),
                        value=getattr(audio, key),
                        allow_blank=False,
                        id=f"sound-{key}",
                        classes="sound-choice",
                        compact=True,
                    )
            with Horizontal(classes="sounds-row"):
                yield Label(id="label-sound-add")
                yield Input(id="sound-add", compact=True)
            with Horizontal(classes="sounds-row"):
                yield Label(id="label-sound-record")
                yield Input(id="sound-record-name", compact=True)
            yield Static(id="sounds-record", classes="sounds-note", markup=False)
            yield Static(id="sounds-mute", classes="sounds-note")
            yield Static(id="sounds-keys", classes="sounds-note")

    def _options(self, key: str) -> list[tuple[str, str]]:
        """The sounds that fit ``key`` (TWS-6.8-4: ringtones for calls, short ones for
        notifications), and the current choice even when it does not (or is gone)."""
        options = [(shown_name(s.name), s.name) for s in self._sounds if s.fits(key)]
        current = getattr(self.tws.prefs.audio, key)
        if current not in (sound.name for sound in self._sounds):
            options.append((_("{name} (missing)").format(name=current), current))
        elif current not in (value for _shown, value in options):
            options.append((shown_name(current), current))
        return options

    def refresh_from_state(self, topics: Topics) -> None:
        self._relabel()
        lines = [
            _("Sounds over 2 s are ringtones (♫), shorter ones notifications (♪):"),
            _("calls and announcements offer the first, chat and voicemail the second."),
        ]
        for sound in self._sounds:
            kind = "♫" if sound.ringtone else "♪"
            origin = _("built-in") if sound.builtin else _("yours")
            name = shown_name(sound.name)
            lines.append(f"  {kind} {name}  {sound.length_s:.1f} s  ({origin})")
        self.query_one("#sounds-list", Static).update("\n".join(lines))
        for key, label in EVENTS:
            self.query_one(f"#label-{key}", Label).update(_(label))
        self.query_one("#label-sound-add", Label).update(_("Add a WAV or MP3 file"))
        self.query_one("#sound-add", Input).placeholder = _(
            "path of a .wav or .mp3 file, Enter adds"
        )
        self.query_one("#label-sound-record", Label).update(_("Announcement's name"))
        self.query_one("#sound-record-name", Input).placeholder = _(
            "name of the announcement to record"
        )
        self.query_one("#sounds-record", Static).update(self._recorder.status())
        if self.tws.prefs.audio.mute:
            mute = _("Chat and voicemail sounds: muted ({key} plays them again).")
        else:
            mute = _("Chat and voicemail sounds: on ({key} mutes them; calls still ring).")
        self.query_one("#sounds-mute", Static).update(
            mute.format(key=self.tws.app_key_display("sounds.mute"))
        )
        self.query_one("#sounds-keys", Static).update(
            _("{preview}: listen to the sound of the event under the cursor.").format(
                preview=self.tws.app_key_display("sounds.preview")
            )
        )

    def _relabel(self) -> None:
        """The lists' options in the current language (the built-ins' names), values kept."""
        with self.prevent(Select.Changed):
            for key, _label in EVENTS:
                select: Select[str] = self.query_one(f"#sound-{key}", Select)
                value = select.value
                select.set_options(self._options(key))
                select.value = value
                select.mutate_reactive(Select.value)  # type: ignore[misc]  # generic class

    def _relist(self) -> None:
        self._sounds = library()
        with self.prevent(Select.Changed):
            for key, _label in EVENTS:
                select: Select[str] = self.query_one(f"#sound-{key}", Select)
                select.set_options(self._options(key))
                select.value = getattr(self.tws.prefs.audio, key)
        self.refresh_from_state(frozenset())

    def action_close(self) -> None:
        self.dismiss()

    def on_unmount(self) -> None:
        self._recorder.cancel()  # left while recording: the microphone let go, nothing kept

    def action_toggle_mute(self) -> None:
        """M: the chat and voicemail sounds muted, or on again."""
        self.tws.prefs.change("audio", mute=not self.tws.prefs.audio.mute)
        self.refresh_from_state(frozenset())

    def action_record(self) -> None:
        """Ctrl+R: start recording an announcement, or stop and keep it (TWS-6.8-5)."""
        typed = self.query_one("#sound-record-name", Input).value
        if not self._recorder.active:
            if not self._recorder.start(typed):
                self.query_one("#sound-record-name", Input).focus()
        elif self._recorder.stop(typed) is not None:
            self.query_one("#sound-record-name", Input).value = ""
            self._relist()
        self.refresh_from_state(frozenset())

    def action_add_file(self) -> None:
        self.query_one("#sound-add", Input).focus()

    def _focused_event(self) -> str:
        focused = self.focused
        if isinstance(focused, Select) and (focused.id or "").startswith("sound-"):
            return (focused.id or "").removeprefix("sound-")
        return EVENTS[0][0]

    def action_preview(self) -> None:
        self._preview(getattr(self.tws.prefs.audio, self._focused_event()))

    @work(group="sound-preview", exclusive=True)
    async def _preview(self, name: str) -> None:
        """The sound at the ring volume on the ringer (Preferences → Audio), else the bell."""
        await preview_sound(self.tws, name, shown_name(name))

    @on(Select.Changed, ".sound-choice")
    def _choose(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("sound-")
        previous = getattr(self.tws.prefs.audio, key)
        name = str(event.value)
        if name == previous:
            return
        try:
            load(name)
        except BadSound as error:
            self.tws.notify(bad_sound_text(error), severity="warning", markup=False)
            with self.prevent(Select.Changed):
                event.select.value = previous
            return
        self.tws.prefs.change("audio", **{key: name})

    @on(Input.Submitted, "#sound-add")
    def _add(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        try:
            sound = add(Path(text).expanduser())
        except BadSound as error:
            self.tws.notify(bad_sound_text(error), severity="warning", markup=False)
            return
        except OSError as error:
            self.tws.notify(
                _("Cannot copy the file: {error}").format(error=error.strerror or error),
                severity="error",
                markup=False,
            )
            return
        event.input.value = ""
        self._relist()
        self.tws.notify(_("{name} added to the sound library.").format(name=sound.name))
