"""A sound of the library listened to (TWS-6.8, TWS-6.10.6.1-7's ►): at the ring volume on the
ringer Preferences → Audio chose, else the terminal bell with a notice saying so; a sound that
cannot be read is said. Shared by the Sound library (P) and a profile rule's announcement."""

from __future__ import annotations

import asyncio

from tws_tui.console.api import ConsoleApi
from tws_tui.console.screens.audio.sounds_text import bad_sound_text
from tws_tui.platform.i18n import _
from tws_tui.platform.sound_library import BadSound, at_volume, load
from tws_tui.platform.voice_player import AudioUnavailable


async def preview_sound(tws: ConsoleApi, name: str, shown: str) -> None:
    """Play sound ``name`` (``shown``: its name in words) once."""
    try:
        recording = await asyncio.to_thread(load, name)
    except BadSound as error:
        tws.notify(bad_sound_text(error), severity="warning", markup=False)
        return
    try:
        output = tws.ring_output()
    except AudioUnavailable:
        tws.ring_bell()
        tws.notify(_("No sound device here: the terminal bell rang instead."))
        return
    scaled = at_volume(recording, tws.prefs.audio.ring_volume)
    tws.notify(_("Playing {name}…").format(name=shown), markup=False)
    try:
        await asyncio.to_thread(output.write, scaled, scaled.frames)
    finally:
        output.close()
