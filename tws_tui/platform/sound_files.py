"""A sound file the user adds to the sound library (TWS-6.8-1): WAV or MP3, read into PCM and
kept as WAV.

:func:`read_sound` judges a file by its extension first (``.wav`` or ``.mp3``, any other
refused in words), then by its content: a WAV through :func:`voice_player.read_wav`, an MP3
decoded by ``miniaudio`` (the ``audio`` extra: a wheel carrying its own decoder, no system
library), at its own rate and channels in 16-bit samples. A file that does not decode, is cut
short or holds no sound raises :class:`BadRecording` with an English msgid; nothing is written
here. :func:`wav_bytes` is the WAV the library keeps of a decoded sound.
"""

from __future__ import annotations

import io
import logging
import wave
from pathlib import Path

from tws_tui.platform.i18n import N_
from tws_tui.platform.voice_player import BadRecording, Recording, read_wav

log = logging.getLogger(__name__)

#: The files the library takes, by extension (TWS-6.8-1: "MP3 or WAV").
SUFFIXES = (".wav", ".mp3")


class NoDecoder(BadRecording):
    """MP3 cannot be read here: ``miniaudio`` (the ``audio`` extra) is not installed."""


def read_sound(path: Path, data: bytes) -> Recording:
    """The PCM of ``data``, the content of the file ``path`` (its extension says the format)."""
    suffix = path.suffix.lower()
    if suffix == ".wav":
        return read_wav(data)
    if suffix == ".mp3":
        return read_mp3(data)
    raise BadRecording(N_("Only WAV and MP3 files can be added."))


def read_mp3(data: bytes) -> Recording:
    """An MP3 decoded to 16-bit PCM; :class:`BadRecording` when it is not one or is damaged."""
    try:
        import miniaudio  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise NoDecoder(N_("MP3 files need the audio extra.")) from None
    try:
        decoded = miniaudio.mp3_read_s16(bytes(data))
    except miniaudio.DecodeError as error:
        log.info("undecodable MP3 (%d bytes): %s", len(data), error)
        raise BadRecording(N_("The file is damaged: it is not an MP3 file.")) from None
    if decoded.num_frames <= 0 or decoded.nchannels not in (1, 2) or decoded.sample_rate <= 0:
        raise BadRecording(N_("The file is damaged: it is not an MP3 file."))
    return Recording(decoded.sample_rate, decoded.nchannels, 2, decoded.samples.tobytes())


def wav_bytes(recording: Recording) -> bytes:
    """``recording`` as a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(recording.channels)
        wav.setsampwidth(recording.width)
        wav.setframerate(recording.rate)
        wav.writeframes(recording.frames)
    return out.getvalue()
