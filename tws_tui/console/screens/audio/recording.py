"""Recording an announcement on the Sound library page (TWS-6.8-5).

Ctrl+R (``sounds.record``) starts hearing the microphone chosen in Preferences → Audio, at its
volume, as the softphone does (``platform/sound_recorder.py``); Ctrl+R again stops and keeps
the recording in the library, as WAV, under the name typed in the field beside it. The name
is checked before anything is heard (none typed, a built-in's, one already there), the
recording when stopped (over 2 s, else it could not be played): each refusal said in a
sentence, nothing kept. Without a microphone here (no sounddevice, no PortAudio, no device)
the page says so and names the other way: a WAV or MP3 file added.
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.console.screens.audio.sounds_text import bad_sound_text
from tws_tui.platform.i18n import _
from tws_tui.platform.sound_library import BadSound, Sound, add_recording, check_name
from tws_tui.platform.sound_recorder import Microphone
from tws_tui.platform.voice_player import AudioUnavailable


class AnnouncementRecorder:
    """One recording at a time, started and stopped by the page's key."""

    def __init__(self, tws: ConsoleApi) -> None:
        self.tws = tws
        self._microphone: Microphone | None = None

    @property
    def active(self) -> bool:
        return self._microphone is not None

    def start(self, typed: str) -> bool:
        """Start hearing the microphone for the announcement ``typed``; False when refused."""
        try:
            check_name(typed)
        except BadSound as error:
            self.tws.notify(bad_sound_text(error), severity="warning", markup=False)
            return False
        audio = self.tws.prefs.audio
        try:
            microphone = Microphone(audio.input_device or None, audio.microphone_volume)
            microphone.start()
        except AudioUnavailable:
            self.tws.notify(
                _(
                    "No microphone here: record the announcement elsewhere and add it as a WAV"
                    " or MP3 file ({key})."
                ).format(key=self.tws.app_key_display("sounds.add")),
                severity="warning",
                markup=False,
            )
            return False
        self._microphone = microphone
        return True

    def stop(self, typed: str) -> Sound | None:
        """Stop hearing and keep what was heard under ``typed``; None when refused."""
        microphone, self._microphone = self._microphone, None
        if microphone is None:
            return None
        recording = microphone.stop()
        try:
            sound = add_recording(typed, recording)
        except BadSound as error:
            self.tws.notify(bad_sound_text(error), severity="warning", markup=False)
            return None
        except OSError as error:
            self.tws.notify(
                _("Cannot write the recording: {error}").format(error=error.strerror or error),
                severity="error",
                markup=False,
            )
            return None
        self.tws.notify(
            _("{name} recorded ({length:.1f} s) and added to the sound library.").format(
                name=sound.name, length=sound.length_s
            ),
            markup=False,
        )
        return sound

    def cancel(self) -> None:
        """Stop hearing, nothing kept (the page closed while recording)."""
        microphone, self._microphone = self._microphone, None
        if microphone is not None:
            microphone.stop()

    def status(self) -> str:
        """The page's line about recording, in the current language."""
        key = self.tws.app_key_display("sounds.record")
        if self.active:
            return _("Recording from the microphone… {key} stops and keeps it.").format(key=key)
        return _("{key}: record an announcement from the microphone (over 2 s).").format(key=key)
