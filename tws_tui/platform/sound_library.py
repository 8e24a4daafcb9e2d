"""The sound library (TWS-6.8): the ringtones and alert sounds the console plays, as WAV.

Built-in sounds are synthesised here, deterministically, when first asked for (sums of sine
tones at 8 kHz, mono, 16-bit: the same bytes on every machine, nothing shipped): ``ring``
(2.4 s, a phone's double ring), ``queue`` (2.4 s, a lower triple ring), ``chat`` (0.3 s, two
rising notes), ``notify`` (0.5 s, three notes), ``bell`` (0.2 s, one short note). The user's
own sounds are the ``.wav`` files of ``<data>/sounds/`` (added from Preferences → Sound
library as a WAV or an MP3 file, ``sound_files.py``, and kept as WAV, or recorded there:
:func:`add_recording`), named by their file name without ``.wav``; a user sound may not take a
built-in's name. TWS-6.8-4's two kinds: longer than 2 s, a ringtone; shorter, a notification.

:func:`load` gives a sound's PCM (``voice_player.Recording``) or :class:`BadSound` with an
English msgid saying why (missing, not a WAV, cut short, unplayable format).
"""

from __future__ import annotations

import array
import io
import math
import wave
from collections.abc import Sequence
from pathlib import Path

from tws_tui.core.values import value_class
from tws_tui.domain.attachments import safe_file_name
from tws_tui.platform import paths
from tws_tui.platform.i18n import N_
from tws_tui.platform.sound_files import SUFFIXES, NoDecoder, read_sound, wav_bytes
from tws_tui.platform.voice_player import BadRecording, Recording, read_wav

RATE = 8000
AMPLITUDE = 9000
RINGTONE_S = 2.0  # TWS-6.8-4: longer than this, a ringtone; shorter, a notification
#: TWS-6.8-4: which sounds each picker offers: over 2 s (True: the calls' ringtones and the
#: announcement a forward plays) or 2 s and less (False: notifications).
LONG_USES = {
    "incoming_call": True,
    "queue_call": True,
    "chat_message": False,
    "voicemail": False,
    "announcement": True,
}
#: Each built-in: (frequencies in Hz, on seconds, off seconds) one after the other.
Note = tuple[Sequence[float], float, float]
BUILTIN: dict[str, tuple[Note, ...]] = {
    "ring": (((440, 480), 0.4, 0.2), ((440, 480), 0.4, 1.4)),
    "queue": (((350, 440), 0.3, 0.15), ((350, 440), 0.3, 0.15), ((350, 440), 0.3, 0.9)),
    "chat": (((660,), 0.12, 0.03), ((880,), 0.15, 0.0)),
    "notify": (((523,), 0.15, 0.02), ((659,), 0.15, 0.02), ((784,), 0.16, 0.0)),
    "bell": (((1000,), 0.2, 0.0),),
}


class BadSound(ValueError):
    """A sound that cannot be used: ``msgid`` (English, with ``{name}`` and ``{why}``) and
    ``why`` (an English msgid too, or "")."""

    def __init__(self, msgid: str, name: str, why: str = "") -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.name = name
        self.why = why


@value_class
class Sound:
    name: str
    length_s: float
    builtin: bool

    @property
    def ringtone(self) -> bool:
        return self.length_s > RINGTONE_S

    def fits(self, use: str) -> bool:
        """Whether this sound is offered for ``use`` (a key of :data:`LONG_USES`)."""
        return self.ringtone == LONG_USES[use]


def at_volume(recording: Recording, percent: int) -> Recording:
    """``recording`` at ``percent`` % of its level (the ring volume), 16-bit samples only."""
    if percent >= 100 or recording.width != 2:
        return recording
    samples = array.array("h", recording.frames)
    factor = max(percent, 0) / 100
    scaled = array.array("h", (int(v * factor) for v in samples))
    return Recording(recording.rate, recording.channels, recording.width, scaled.tobytes())


def sounds_dir() -> Path:
    """Where the user's own WAV sounds are kept."""
    return paths.data_dir() / "sounds"


def synthesise(notes: Sequence[Note]) -> bytes:
    """A WAV of ``notes``: each chord for its time (10 ms fades), then silence."""
    samples = array.array("h")
    fade = int(0.01 * RATE)
    for frequencies, on_s, off_s in notes:
        count = int(on_s * RATE)
        for i in range(count):
            level = sum(math.sin(2 * math.pi * f * i / RATE) for f in frequencies)
            envelope = min(1.0, i / fade, (count - i) / fade)
            samples.append(int(AMPLITUDE * envelope * level / len(frequencies)))
        samples.extend([0] * int(off_s * RATE))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def _user_path(name: str) -> Path:
    return sounds_dir() / f"{name}.wav"


def load(name: str) -> Recording:
    """The PCM of sound ``name`` (built-in or the user's); :class:`BadSound` when it cannot be
    played."""
    if name in BUILTIN:
        return read_wav(synthesise(BUILTIN[name]))
    path = _user_path(name)
    try:
        data = path.read_bytes()
    except OSError:
        raise BadSound(N_("The sound {name} is missing (no {name}.wav)."), name) from None
    try:
        return read_wav(data)
    except BadRecording as error:
        raise BadSound(N_("The sound {name} cannot be played: {why}"), name, str(error)) from None


def library() -> list[Sound]:
    """The built-in sounds, then the user's that can be played, by name."""
    sounds = [Sound(name, load(name).length_s, True) for name in BUILTIN]
    folder = sounds_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.wav")):
            if path.stem in BUILTIN:
                continue
            try:
                sounds.append(Sound(path.stem, load(path.stem).length_s, False))
            except BadSound:
                continue  # said when it is chosen or added
    return sounds


def add(source: Path) -> Sound:
    """Add the WAV or MP3 file at ``source`` to the library, kept as WAV (TWS-6.8-1); checked
    first, nothing written when it is refused (:class:`BadSound`)."""
    name = source.stem
    if source.suffix.lower() not in SUFFIXES:
        raise BadSound(N_("{name} is not a WAV or MP3 file: only those can be added."), source.name)
    if name in BUILTIN:
        raise BadSound(N_("{name} is the name of a built-in sound: rename the file."), name)
    try:
        data = source.read_bytes()
    except OSError:
        raise BadSound(N_("There is no file {name}."), str(source)) from None
    try:
        recording = read_sound(source, data)
    except NoDecoder as error:
        raise BadSound(N_("The sound {name} cannot be read: {why}"), name, str(error)) from None
    except BadRecording as error:
        raise BadSound(N_("The sound {name} cannot be played: {why}"), name, str(error)) from None
    stored = data if source.suffix.lower() == ".wav" else wav_bytes(recording)
    paths.ensure_dir(sounds_dir())
    target = _user_path(name)
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(stored)
    partial.replace(target)  # whole or not at all
    return Sound(name, recording.length_s, False)


def check_name(typed: str) -> str:
    """The name a recording is kept under (a safe file name), or :class:`BadSound`: none typed,
    a built-in's, or one already in the library."""
    name = safe_file_name(typed.strip()) if typed.strip() else ""
    if not name:
        raise BadSound(N_("Give the announcement a name first."), "")
    if name in BUILTIN:
        raise BadSound(N_("{name} is the name of a built-in sound: choose another."), name)
    if _user_path(name).exists():
        raise BadSound(N_("{name} is already in the sound library: choose another name."), name)
    return name


def add_recording(typed: str, recording: Recording) -> Sound:
    """Keep an announcement recorded here (TWS-6.8-5) under the name typed: over 2 s to be
    playable, a name checked by :func:`check_name` (else :class:`BadSound`, nothing
    written)."""
    name = check_name(typed)
    if recording.length_s <= RINGTONE_S:
        raise BadSound(
            N_("The recording {name} lasts {why} s: it must last over 2 s to be played."),
            name,
            f"{recording.length_s:.1f}",
        )
    paths.ensure_dir(sounds_dir())
    _user_path(name).write_bytes(wav_bytes(recording))
    return Sound(name, recording.length_s, False)
