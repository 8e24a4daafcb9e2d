"""Recording a spoken announcement from the microphone (TWS-6.8-5), as the softphone hears it.

The softphone's audio path is 8 kHz mono 16-bit (``backends/sip/codec.py``) from the
microphone chosen in Preferences → Audio, at the microphone's volume; a recording is made the
same way: :class:`Microphone` opens that device through ``sounddevice`` (a raw input stream;
loaded only when wanted, :class:`AudioUnavailable` without it, PortAudio or a device: both as
:mod:`tws_tui.platform.audio_devices` opens every device), keeps
the blocks PortAudio hands its callback (at most :data:`MAX_S` seconds) and gives them back as a
``Recording`` when stopped. Tests stand in for the device (a ``sounddevice`` module of their
own), nothing above it.
"""

from __future__ import annotations

import threading
from typing import Any

from tws_tui.platform.audio_devices import AudioUnavailable, sounddevice_module, stream_arguments
from tws_tui.platform.sound_library import at_volume
from tws_tui.platform.voice_player import Recording

RATE = 8000  # the softphone's: one 20 ms frame is 160 samples
BLOCK = 160
MAX_S = 300  # five minutes at most: what is said after that is not kept


class Microphone:
    """One recording from ``device`` (PortAudio's name; None: the system's default)."""

    def __init__(self, device: str | None, volume: int) -> None:
        self._sd: Any = sounddevice_module()
        self._device = device
        self._volume = volume
        self._blocks: list[bytes] = []
        self._size = 0
        self._lock = threading.Lock()
        self._stream: Any = None

    def _heard(self, indata: Any, frames: int, time: Any, status: Any) -> None:
        block = bytes(indata)
        with self._lock:
            if self._size + len(block) <= MAX_S * RATE * 2:
                self._blocks.append(block)
                self._size += len(block)

    def start(self) -> None:
        """Start hearing; :class:`AudioUnavailable` when the device cannot be opened."""
        try:
            self._stream = self._sd.RawInputStream(
                **stream_arguments(self._device, RATE, 1, 2), blocksize=BLOCK, callback=self._heard
            )
            self._stream.start()
        except Exception as error:
            self._stream = None
            raise AudioUnavailable(f"cannot open the microphone: {error}") from None

    @property
    def length_s(self) -> float:
        with self._lock:
            return self._size / 2 / RATE

    def stop(self) -> Recording:
        """Stop hearing; what was heard, at the microphone's volume."""
        if self._stream is not None:
            stream, self._stream = self._stream, None
            stream.stop()
            stream.close()
        with self._lock:
            frames = b"".join(self._blocks)
        return at_volume(Recording(RATE, 1, 2, frames), self._volume)
