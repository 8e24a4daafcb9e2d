"""The sound devices this machine offers (Preferences → Audio, TWS-6.7-2), as PortAudio lists
them through ``sounddevice`` (the ``audio`` extra), imported only when asked. Without the
module, without PortAudio or without a device, the list is empty and the reason is given.

Opening one is the same for every user of a device (the voicemail player's output, the
announcement recorder's microphone, the softphone's both ways): :func:`sounddevice_module`
loads ``sounddevice`` once a device is listed, else raises :class:`AudioUnavailable` saying
why; :func:`stream_arguments` is what a raw stream is opened with for a device and a format.
"""

from __future__ import annotations

from typing import Any

from tws_tui.core.values import value_class


class AudioUnavailable(RuntimeError):
    """No sound device to use here (no sounddevice, no PortAudio, no device), or the one
    asked for cannot be opened."""


@value_class
class AudioDevice:
    name: str
    inputs: int  # microphone channels
    outputs: int  # loudspeaker channels


def list_devices() -> tuple[tuple[AudioDevice, ...], str]:
    """(the devices, "") or ((), why there are none: the system's own words)."""
    try:
        import sounddevice  # type: ignore[import-not-found,import-untyped,unused-ignore]

        found: Any = sounddevice.query_devices()
    except Exception as error:  # ImportError; OSError when libportaudio is missing
        return (), str(error) or type(error).__name__
    devices = tuple(
        AudioDevice(
            str(entry["name"]),
            int(entry.get("max_input_channels", 0)),
            int(entry.get("max_output_channels", 0)),
        )
        for entry in found
    )
    return devices, "" if devices else "PortAudio lists no device"


def sounddevice_module() -> Any:
    """The ``sounddevice`` module, once PortAudio lists a device; :class:`AudioUnavailable`
    (the system's words) without the module, PortAudio or a device."""
    try:
        import sounddevice  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except Exception as error:  # ImportError, or OSError without libportaudio
        raise AudioUnavailable(f"sounddevice cannot be loaded: {error}") from None
    try:
        devices = sounddevice.query_devices()
    except Exception as error:
        raise AudioUnavailable(f"no audio device: {error}") from None
    if not len(devices):
        raise AudioUnavailable("no audio device on this machine")
    return sounddevice


def stream_arguments(device: object, rate: int, channels: int, width: int) -> dict[str, Any]:
    """The arguments of a raw ``sounddevice`` stream (input, output or both) on ``device``
    (PortAudio's name, a (microphone, loudspeaker) pair of them, None for the system's
    default) for samples at ``rate`` Hz on ``channels`` channels, ``width`` bytes each
    (2: signed 16-bit; 1: unsigned 8-bit, as WAV has it)."""
    dtype = "int16" if width == 2 else "uint8"
    return {"samplerate": rate, "channels": channels, "dtype": dtype, "device": device}
