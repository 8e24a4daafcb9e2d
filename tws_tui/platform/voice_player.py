"""Playing a voicemail message on this machine: the WAV read, the audio output, the player.

* :func:`read_wav` reads a recording with the standard ``wave`` module; a file that is not a
  WAV, is cut short or is not 8/16-bit PCM raises :class:`BadRecording` with a sentence (an
  English msgid, translated where shown), never a traceback.
* :class:`AudioOutput` is where samples go: :class:`SoundDeviceOutput` writes them to the sound
  card through ``sounddevice`` (imported only when wanted; no PortAudio or no device:
  :class:`AudioUnavailable`, which the console shows as "no audio device"; both from
  :mod:`tws_tui.platform.audio_devices`, which opens every device alike). Tests give a double
  that records the samples written.
* :class:`Player` plays one recording on an output in slices of :data:`SLICE_S`, from a
  position it keeps: play, pause, seek by seconds. Each slice is written in a thread (a sound
  card's write blocks until it has room), so the console's loop never waits on the device.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import wave
from collections.abc import Callable
from typing import Any, Protocol

from tws_tui.core.values import value_class
from tws_tui.platform.audio_devices import AudioUnavailable as AudioUnavailable
from tws_tui.platform.audio_devices import sounddevice_module, stream_arguments
from tws_tui.platform.i18n import N_

log = logging.getLogger(__name__)

#: How much of the recording one write gives the output.
SLICE_S = 0.1


class BadRecording(ValueError):
    """A recording that cannot be played; ``str()`` is an English msgid."""


@value_class
class Recording:
    rate: int
    channels: int
    width: int  # bytes per sample
    frames: bytes

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.width

    @property
    def length_s(self) -> float:
        return len(self.frames) / self.frame_bytes / self.rate


def read_wav(data: bytes) -> Recording:
    """The PCM of a WAV file; :class:`BadRecording` when it is not one, or is cut short."""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            expected = wav.getnframes()
            frames = wav.readframes(expected)
    except (wave.Error, EOFError) as error:
        log.info("unreadable recording (%d bytes): %s", len(data), error)
        raise BadRecording(N_("The recording is damaged: it is not a WAV file.")) from None
    if width not in (1, 2) or channels not in (1, 2) or rate <= 0:
        raise BadRecording(N_("The recording is in a format this console cannot play."))
    if len(frames) < expected * channels * width or not frames:
        raise BadRecording(N_("The recording is damaged: it is cut short."))
    return Recording(rate, channels, width, frames)


class AudioOutput(Protocol):
    def write(self, recording: Recording, frames: bytes) -> None:
        """Play ``frames`` (of ``recording``'s format); may block until the device has room."""
        ...

    def close(self) -> None: ...


class SoundDeviceOutput:
    """The sound card, through ``sounddevice`` (a blocking raw output stream)."""

    def __init__(self, device: str | None = None) -> None:
        """``device``: PortAudio's name of the output (None: the system's default)."""
        self._device = device
        self._sd: Any = sounddevice_module()
        self._stream: Any = None
        self._format: tuple[int, int, int] | None = None

    def write(self, recording: Recording, frames: bytes) -> None:
        wanted = (recording.rate, recording.channels, recording.width)
        if self._stream is None or self._format != wanted:
            self.close()
            self._stream = self._sd.RawOutputStream(**stream_arguments(self._device, *wanted))
            self._stream.start()
            self._format = wanted
        self._stream.write(frames)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def open_output(device: str | None = None) -> AudioOutput:
    """The sound card (``device``, else the default); :class:`AudioUnavailable` when there is
    none."""
    return SoundDeviceOutput(device)


class Player:
    """One recording played on one output: play, pause, seek; ``on_change`` after each."""

    def __init__(
        self,
        recording: Recording,
        output: AudioOutput,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.recording = recording
        self.output = output
        self.on_change = on_change
        self._position = 0  # in bytes, on a frame boundary
        self._task: asyncio.Task[None] | None = None

    @property
    def playing(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def position_s(self) -> float:
        rec = self.recording
        return self._position / rec.frame_bytes / rec.rate

    @property
    def finished(self) -> bool:
        return self._position >= len(self.recording.frames)

    def play(self) -> None:
        """From the position (from the start again once finished)."""
        if self.playing:
            return
        if self.finished:
            self._position = 0
        self._task = asyncio.ensure_future(self._run())
        self.on_change()

    def pause(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.on_change()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Move by ``seconds`` (negative: back), within the recording; playing goes on."""
        rec = self.recording
        step = int(seconds * rec.rate) * rec.frame_bytes
        self._position = max(0, min(len(rec.frames), self._position + step))
        self.on_change()

    async def stop(self) -> None:
        """Pause and let go of the output."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.to_thread(self.output.close)

    async def _run(self) -> None:
        rec = self.recording
        size = max(rec.frame_bytes, int(SLICE_S * rec.rate) * rec.frame_bytes)
        while self._position < len(rec.frames):
            frames = rec.frames[self._position : self._position + size]
            await asyncio.to_thread(self.output.write, rec, frames)
            self._position += len(frames)
            self.on_change()
        self._task = None
        self.on_change()
