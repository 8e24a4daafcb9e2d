"""The sounds of a softphone (issue 17, TWS-6.7/6.8): where the backend's audio runs on this
machine (``sip``: ``core.protocols.AudioVolumes``), a sound of the Sound library plays at the
ring volume on the ringer (Preferences → Audio): a ringing call's — ``[audio] queue_call``
for a call from a queue, ``incoming_call`` otherwise —, and the chat message's and new
voicemail's (``event_sounds.py``); with no sound device, a sound that cannot be played, or a
desk phone that rings by itself (``sim``, ``cti``), the terminal bell rings as before."""

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
    audio = api.prefs.audio
    play_sound(api, audio.queue_call if queue_call else audio.incoming_call, group="ringtone")


def play_sound(api: ConsoleApi, name: str, *, group: str) -> None:
    """Sound ``name`` on the softphone's ringer at the ring volume, else the terminal bell;
    a sound of the same ``group`` still playing gives way."""
    if not isinstance(api.backend, AudioVolumes):
        api.ring_bell()
        return

    async def play() -> None:
        try:
            recording = await asyncio.to_thread(load, name)
            output = api.ring_output()
        except (BadSound, AudioUnavailable) as error:
            log.info("sound %s not played (%s): the bell instead", name, error)
            api.ring_bell()
            return
        scaled = at_volume(recording, api.prefs.audio.ring_volume)
        try:
            await asyncio.to_thread(output.write, scaled, scaled.frames)
        finally:
            output.close()

    api.run_background(play, group=group)
