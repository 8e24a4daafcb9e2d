"""The operator's volumes handed to a backend whose audio runs here (``sip``:
``core.protocols.AudioVolumes``), once connected and whenever Preferences → Audio changes
them; other backends (the desk phone rings: ``sim``, ``cti``) are left alone."""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.protocols import AudioVolumes


def apply_volumes(api: ConsoleApi) -> bool:
    """Whether the backend took the volumes (False: its audio is not on this machine)."""
    backend = api.backend
    if not isinstance(backend, AudioVolumes):
        return False
    audio = api.prefs.audio
    backend.set_volumes(audio.speaker_volume, audio.microphone_volume)
    return True
