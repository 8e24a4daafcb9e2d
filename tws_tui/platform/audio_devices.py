"""The sound devices this machine offers (Preferences → Audio, TWS-6.7-2), as PortAudio lists
them through ``sounddevice`` (the ``audio`` extra), imported only when asked. Without the
module, without PortAudio or without a device, the list is empty and the reason is given."""

from __future__ import annotations

from typing import Any

from tws_tui.core.values import value_class


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
