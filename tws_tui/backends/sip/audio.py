"""Where the operator's audio goes: the ``AudioBackend`` interface and its implementations.

Owns the 20 ms frame I/O between the media engine and the outside world. Every backend works
in frames of 160 signed 16-bit samples at 8 kHz (:mod:`.codec`). The media engine calls
``read()`` (microphone) and ``write()`` (loudspeaker) once per 20 ms tick from its own thread.

* :class:`NullAudio` (default): silence out, received audio dropped — control-only use over
  SSH, where the host has no sound card (study §8);
* :class:`WavAudio`: plays a WAV file as the microphone and/or writes what is heard to a WAV
  file (tests, announcements);
* :class:`SoundDeviceAudio`: a real device through ``sounddevice``, imported only when chosen
  and refused with :class:`AudioUnavailable` when PortAudio or the device is missing (both as
  :mod:`tws_tui.platform.audio_devices` opens every device: the class is that module's).

:class:`ScaledAudio` wraps any of them with the operator's :class:`Volumes` (Preferences →
Audio, TWS-6.7-2): the microphone's frames and the loudspeaker's scaled on the way through.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import wave
from pathlib import Path
from typing import Any, Protocol

from tws_tui.backends.sip.codec import FRAME_BYTES, RATE, SAMPLES, SILENCE, WIDTH, fit, scale
from tws_tui.platform.audio_devices import AudioUnavailable as AudioUnavailable
from tws_tui.platform.audio_devices import sounddevice_module, stream_arguments

log = logging.getLogger(__name__)


class AudioBackend(Protocol):
    name: str

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def read(self) -> bytes:
        """One 20 ms microphone frame (silence when nothing is available)."""
        ...

    def write(self, frame: bytes) -> None:
        """One 20 ms loudspeaker frame."""
        ...


class NullAudio:
    """No sound card: silence out, received audio dropped."""

    name = "null"

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def read(self) -> bytes:
        return SILENCE

    def write(self, frame: bytes) -> None:
        pass


class WavAudio:
    """Microphone from ``source`` (8 kHz mono 16-bit WAV, looped), loudspeaker to ``sink``."""

    name = "wav"

    def __init__(self, source: str | Path | None = None, sink: str | Path | None = None) -> None:
        self._pcm = b""
        self._pos = 0
        if source is not None:
            with wave.open(str(source), "rb") as wav:
                if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) != (
                    RATE,
                    1,
                    WIDTH,
                ):
                    raise AudioUnavailable(f"{source}: expected 8 kHz mono 16-bit WAV")
                self._pcm = wav.readframes(wav.getnframes())
        self._sink_path = sink
        self._sink: wave.Wave_write | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._sink_path is not None and self._sink is None:
                self._sink = open_wav_writer(self._sink_path)

    def stop(self) -> None:
        with self._lock:
            if self._sink is not None:
                self._sink.close()
                self._sink = None

    def read(self) -> bytes:
        if not self._pcm:
            return SILENCE
        frame = self._pcm[self._pos : self._pos + FRAME_BYTES]
        self._pos += FRAME_BYTES
        if len(frame) < FRAME_BYTES:
            self._pos = FRAME_BYTES - len(frame)
            frame += self._pcm[: self._pos]
        return fit(frame)

    def write(self, frame: bytes) -> None:
        with self._lock:
            if self._sink is not None:
                self._sink.writeframes(frame)


class SoundDeviceAudio:
    """A PortAudio device through ``sounddevice`` (8 kHz, int16, 20 ms blocks)."""

    name = "sounddevice"

    def __init__(self, device: str | int | tuple[str | None, str | None] | None = None) -> None:
        """``device``: one for both directions, or (microphone, loudspeaker) by name, ``None``
        in either for the system's default."""
        # lazily: PortAudio is loaded only when a device is wanted
        self._sd: Any = sounddevice_module()
        self.device = device
        self._in: queue.Queue[bytes] = queue.Queue(maxsize=10)
        self._out: queue.Queue[bytes] = queue.Queue(maxsize=10)
        self._stream: Any = None

    def start(self) -> None:
        def callback(indata: Any, outdata: Any, frames: int, time: Any, status: Any) -> None:
            with contextlib.suppress(queue.Full):
                self._in.put_nowait(bytes(indata))
            try:
                outdata[:] = self._out.get_nowait()
            except queue.Empty:
                outdata[:] = bytes(len(outdata))

        try:
            self._stream = self._sd.RawStream(
                **stream_arguments(self.device, RATE, 1, WIDTH),
                blocksize=SAMPLES,
                callback=callback,
            )
            self._stream.start()
        except Exception as error:
            raise AudioUnavailable(f"cannot open audio device {self.device!r}: {error}") from None

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def read(self) -> bytes:
        try:
            return fit(self._in.get_nowait())
        except queue.Empty:
            return SILENCE

    def write(self, frame: bytes) -> None:
        with contextlib.suppress(queue.Full):
            self._out.put_nowait(frame)


class Volumes:
    """The speaker's and the microphone's volume in percent (100: unchanged), set from the
    console's thread and read by the media thread (two ints: each assignment is atomic)."""

    def __init__(self, speaker: int = 100, microphone: int = 100) -> None:
        self.speaker = speaker
        self.microphone = microphone


class ScaledAudio:
    """An audio backend heard and spoken through at the operator's volumes."""

    def __init__(self, inner: AudioBackend, volumes: Volumes) -> None:
        self.inner = inner
        self.volumes = volumes
        self.name = inner.name

    def start(self) -> None:
        self.inner.start()

    def stop(self) -> None:
        self.inner.stop()

    def read(self) -> bytes:
        return scale(self.inner.read(), self.volumes.microphone)

    def write(self, frame: bytes) -> None:
        self.inner.write(scale(frame, self.volumes.speaker))


def open_wav_writer(path: str | Path) -> wave.Wave_write:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wav = wave.open(str(path), "wb")  # noqa: SIM115 - the caller owns and closes it
    wav.setnchannels(1)
    wav.setsampwidth(WIDTH)
    wav.setframerate(RATE)
    return wav


def open_audio(spec: str, devices: tuple[str, str] = ("", "")) -> AudioBackend:
    """``""``/``"none"``: null; ``"auto"``: a sound device if one exists, else null;
    ``"default"`` or a device name/number: that sound device; ``"wav:IN[,OUT]"``: WAV files.
    ``devices``: the (microphone, loudspeaker) chosen in Preferences → Audio (``""``: the
    system's default), used by ``"auto"`` and ``"default"``."""
    chosen = (devices[0] or None, devices[1] or None) if any(devices) else None
    spec = spec.strip()
    if spec.lower() in ("", "none", "null"):
        return NullAudio()
    if spec.lower().startswith("wav:"):
        source, _, sink = spec[4:].partition(",")
        return WavAudio(source or None, sink or None)
    if spec.lower() == "auto":
        try:
            return SoundDeviceAudio(chosen)
        except AudioUnavailable as error:
            log.info("no sound device (%s): audio is off", error)
            return NullAudio()
    if spec.lower() == "default":
        return SoundDeviceAudio(chosen)
    return SoundDeviceAudio(int(spec) if spec.isdigit() else spec)
