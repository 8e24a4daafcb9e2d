"""The ringtone of a softphone (issue 17, TWS-6.7/6.8): where the backend's audio runs on this
machine (``sip``: ``core.protocols.AudioVolumes``), a ringing call plays the sound the Sound
library chose for it — ``[audio] queue_call`` for a call from a queue, ``incoming_call``
otherwise — at the ring volume on the ringer (Preferences → Audio); with no sound device, a
sound that cannot be played, or a desk phone that rings by itself (``sim``, ``cti``), the
terminal bell rings as before."""

from __future__ import annotations

import asyncio
import logging

from tws_tui.console.api import ConsoleApi
from tws_tui.core.protocols import AudioVolumes
from tws_tui.platform.sound_library import BadSound, at_volume, load
from tws_tui.platform.voice_player import AudioUnavailable

log = logging.getLogger(__name__)


def ring(api: ConsoleApi, *, queue_call: bool) -> None:
    """One ring of a call: the softphone's ringtone, else the terminal bell."""
    if not isinstance(api.backend, AudioVolumes):
        api.ring_bell()
        return
    audio = api.prefs.audio
    name = audio.queue_call if queue_call else audio.incoming_call

    async def play() -> None:
        try:
            recording = await asyncio.to_thread(load, name)
            output = api.ring_output()
        except (BadSound, AudioUnavailable) as error:
            log.info("ringtone %s not played (%s): the bell instead", name, error)
            api.ring_bell()
            return
        scaled = at_volume(recording, audio.ring_volume)
        try:
            await asyncio.to_thread(output.write, scaled, scaled.frames)
        finally:
            output.close()

    api.run_background(play, group="ringtone")
