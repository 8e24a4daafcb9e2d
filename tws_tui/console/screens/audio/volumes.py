"""The operator's volumes handed to a backend whose audio runs here (``sip``:
``core.protocols.AudioVolumes``), once connected and whenever Preferences → Audio changes
them; the devices it opens, before it connects (``choose_devices``). Other backends (the desk
phone rings: ``sim``, ``cti``) are left alone."""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.protocols import AudioDevices, AudioVolumes, CallControl
from tws_tui.settings.schema import AudioSettings


def apply_volumes(api: ConsoleApi) -> bool:
    """Whether the backend took the volumes (False: its audio is not on this machine)."""
    backend = api.backend
    if not isinstance(backend, AudioVolumes):
        return False
    audio = api.prefs.audio
    backend.set_volumes(audio.speaker_volume, audio.microphone_volume)
    return True


def choose_devices(backend: CallControl, audio: AudioSettings) -> None:
    """Before a backend connects: the microphone and loudspeaker it opens (``sip``)."""
    if isinstance(backend, AudioDevices):
        backend.set_devices(audio.input_device, audio.output_device)
