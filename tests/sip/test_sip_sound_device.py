"""The softphone's audio through a real PortAudio device, not only the WAV and null backends.

The test starts its own PulseAudio server with a null sink (``console_out``, the default sink;
its monitor the default source), as a sound card with a loudspeaker and a microphone that
hears the loudspeaker. ``sounddevice`` (PortAudio, ALSA host API) reaches it through ALSA's
``pulse`` device. In a call with baresip 1002, which sends 440 Hz: the softphone plays what it
decodes to the sink (recorded from the monitor by ``parec``: 440 Hz), and its microphone, the
monitor, hears that tone and sends it back: baresip decodes 440 Hz from us."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from needs import missing
from pulse_server import PulseServer
from sip_peers import Baresip, Kamailio, steady_tone, stop_process

from tws_tui.backends.sip.audio import ScaledAudio, SoundDeviceAudio
from tws_tui.core.events import CallEvent, CallEventKind

pytestmark = pytest.mark.sip


def kind(k: CallEventKind, call_id: str | None = None) -> Any:
    return lambda e: (
        isinstance(e, CallEvent) and e.kind is k and (call_id is None or e.call.call_id == call_id)
    )


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The PulseAudio server, and ``sounddevice`` rescanned so that PortAudio sees it."""
    server = PulseServer(tmp_path / "pulse", ("console_out",)).start()
    try:
        for name, value in server.env.items():
            monkeypatch.setenv(name, value)
        try:
            import sounddevice  # type: ignore[import-not-found,import-untyped,unused-ignore]
        except Exception as error:  # ImportError, or OSError without libportaudio2
            missing(
                f"sounddevice cannot be loaded ({error}): install the `audio` extra and "
                "PortAudio (Debian package libportaudio2; `make test` does both)"
            )
        sounddevice._terminate()  # PortAudio lists devices when initialised: list them again
        sounddevice._initialize()
        yield server, sounddevice
    finally:
        server.stop()


async def test_a_call_heard_on_a_portaudio_device_and_its_microphone_sent(
    kamailio: Kamailio, phone_factory: Any, bare_a: Baresip, pulse: Any, tmp_path: Path
) -> None:
    server, sounddevice = pulse
    names = [device["name"] for device in sounddevice.query_devices()]
    assert any(name.startswith("pulse") for name in names), names
    backend, events = await phone_factory(kamailio, audio_device="pulse", codecs="PCMU")
    started = time.monotonic()
    call = await backend.make_call("1002")
    await asyncio.to_thread(bare_a.ctl.wait_event, "CALL_INCOMING", 10)
    bare_a.ctl.cmd("accept")
    await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)
    audio = backend.media.audio  # at the operator's volumes: the sound card is inside
    assert isinstance(audio, ScaledAudio) and isinstance(audio.inner, SoundDeviceAudio), audio
    recorder = server.record("console_out", tmp_path / "loudspeaker.wav")
    try:
        await asyncio.sleep(3)
    finally:
        stop_process(recorder)
    await backend.hangup(call.call_id)
    await asyncio.to_thread(bare_a.ctl.wait_event, "CALL_CLOSED", 5)
    await backend.close()
    # what the loudspeaker played: baresip's tone, decoded by us
    hz, purity, level = steady_tone(tmp_path / "loudspeaker.wav")
    assert abs(hz - 440) < 10 and purity > 0.8 and level > -30, (hz, purity, level)
    # what the microphone (the sink's monitor) heard, sent to baresip and decoded there
    dumps = bare_a.dumps_after(started)
    assert dumps, "baresip wrote no decoded audio"
    hz, purity, level = steady_tone(dumps[-1])
    assert abs(hz - 440) < 10 and purity > 0.8 and level > -30, (hz, purity, level)
