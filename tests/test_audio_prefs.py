"""Preferences → Audio (issue 17, TWS-6.7): volumes applied by the softphone's audio path
(measured on the samples the WAV audio backend writes and reads), the ``[audio]`` settings
validated, and the page on ``sim``: the desk phone rings, no sound device here (said, the
setting kept), devices listed when PortAudio lists some (a fake ``sounddevice``), a volume
refused or saved and handed to a backend whose audio runs here."""

from __future__ import annotations

import array
import sys
import types
import wave
from pathlib import Path
from typing import Any

from helpers import build_console, screen_text, settle
from test_voicemail import notes

from tws_tui.backends.sip.audio import ScaledAudio, Volumes, WavAudio
from tws_tui.backends.sip.codec import FRAME_BYTES, SAMPLES
from tws_tui.backends.sip.media import MediaEngine
from tws_tui.console.screens.audio.page import AudioScreen
from tws_tui.settings.load import load_settings
from tws_tui.settings.schema import AudioSettings

SIZE = (120, 40)


def tone_frame(level: int = 8000) -> bytes:
    return array.array("h", [level if i % 2 else -level for i in range(SAMPLES)]).tobytes()


def peaks(pcm: bytes) -> int:
    return max(abs(v) for v in array.array("h", pcm))


def test_volumes_scale_what_the_wav_backend_writes_and_reads(tmp_path: Path) -> None:
    source, sink = tmp_path / "mic.wav", tmp_path / "heard.wav"
    with wave.open(str(source), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(tone_frame() * 5)
    volumes = Volumes(speaker=50, microphone=25)
    audio = ScaledAudio(WavAudio(source, sink), volumes)
    audio.start()
    audio.write(tone_frame())
    volumes.speaker = 100  # changed between two frames: the next one is whole
    audio.write(tone_frame())
    said = audio.read()
    audio.stop()
    with wave.open(str(sink), "rb") as wav:
        written = wav.readframes(wav.getnframes())
    assert peaks(written[:FRAME_BYTES]) == 4000
    assert peaks(written[FRAME_BYTES:]) == 8000
    assert peaks(said) == 2000


def test_the_media_engine_speaks_and_hears_at_the_volumes_given() -> None:
    volumes = Volumes(speaker=30, microphone=70)
    engine = MediaEngine(None, volumes)
    try:
        assert isinstance(engine.audio, ScaledAudio) and engine.audio.volumes is volumes
    finally:
        engine._selector.close()


def test_audio_settings_are_validated(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[audio]\nring_volume = 180\nspeaker_volume = 40\ninput_device = "USB"\n')
    settings, problems = load_settings(config, tmp_path / "prefs.toml", backend_names=["sim"])
    assert settings.audio.ring_volume == AudioSettings.ring_volume  # the default kept
    assert settings.audio.speaker_volume == 40 and settings.audio.input_device == "USB"
    said = " ".join(str(p) for p in problems)
    assert "audio.ring_volume" in said and "100" in said


async def open_audio(pilot: Any) -> AudioScreen:
    await pilot.press("alt+6")
    await settle(pilot)
    pilot.app.screen.query_one("#pref-audio").press()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AudioScreen)
    return screen


async def test_on_sim_the_desk_phone_rings_and_no_device_keeps_the_setting(
    monkeypatch: Any,
) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import fails: no sounddevice
    saved: list[Any] = []
    console = build_console(save_prefs=saved.append)
    console.app.prefs.change("audio", output_device="Jabra Evolve")
    saved.clear()
    async with console.app.run_test(size=SIZE) as pilot:
        screen = await open_audio(pilot)
        shown = screen_text(console.app)
        assert "your desk phone rings" in shown
        assert "No sound device is listed on this machine" in shown
        assert "Jabra Evolve (not found now)" in shown
        assert screen.query_one("#audio-output_device").value == "Jabra Evolve"
        await pilot.press("escape")
        await settle(pilot)
    assert console.app.prefs.audio.output_device == "Jabra Evolve"
    assert saved == []


def fake_sounddevice() -> types.ModuleType:
    module = types.ModuleType("sounddevice")
    devices = [
        {"name": "Built-in Audio", "max_input_channels": 2, "max_output_channels": 2},
        {"name": "USB Headset", "max_input_channels": 1, "max_output_channels": 2},
        {"name": "HDMI", "max_input_channels": 0, "max_output_channels": 8},
    ]
    module.query_devices = lambda: devices  # type: ignore[attr-defined]
    return module


async def test_devices_listed_are_offered_and_the_choice_kept(monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice())
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        screen = await open_audio(pilot)
        assert "3 sound devices found." in screen_text(console.app)
        microphones = [v for _t, v in screen._device_options("input_device", "input")]
        assert microphones == ["", "Built-in Audio", "USB Headset"]  # HDMI has no input
        screen.query_one("#audio-input_device").value = "USB Headset"
        await settle(pilot)
        assert console.app.prefs.audio.input_device == "USB Headset"


async def test_a_volume_refused_or_saved_and_handed_to_the_softphone() -> None:
    console = build_console()
    told: list[tuple[int, int]] = []
    console.backend.set_volumes = lambda speaker, microphone: told.append((speaker, microphone))
    async with console.app.run_test(size=SIZE) as pilot:
        screen = await open_audio(pilot)
        field = screen.query_one("#audio-speaker_volume")
        field.value = "150"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert any("'150' is not a volume" in note for note in notes(console))
        assert console.app.prefs.audio.speaker_volume == 80 and field.value == "80"
        field.value = "60"
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.prefs.audio.speaker_volume == 60
        assert told[-1] == (60, 80)


def test_the_softphone_opens_the_devices_chosen(monkeypatch: Any) -> None:
    from tws_tui.backends.sip.audio import SoundDeviceAudio, open_audio

    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice())
    chosen = open_audio("default", ("USB Headset", ""))
    assert isinstance(chosen, SoundDeviceAudio) and chosen.device == ("USB Headset", None)
    auto = open_audio("auto")
    assert isinstance(auto, SoundDeviceAudio) and auto.device is None
    named = open_audio("HDMI", ("USB Headset", "Built-in Audio"))  # the option names one
    assert isinstance(named, SoundDeviceAudio) and named.device == "HDMI"


async def test_the_devices_are_handed_to_the_backend_before_it_connects() -> None:
    from helpers import prefs_of

    from tws_tui.backends.sim import create
    from tws_tui.console.app import BackendSetup, TwsApp
    from tws_tui.core.clock import ManualClock

    clock = ManualClock()
    told: list[tuple[str, str, bool]] = []

    def loader(name: str, options: Any) -> Any:
        backend = create({"seed": 0, "traffic": False, "clock": clock})
        # Whether it had connected yet when told (connect() subscribes to the switch).
        backend.set_devices = lambda mic, out: told.append(
            (mic, out, backend._unsubscribe is not None)
        )
        return backend

    prefs = prefs_of()
    prefs.change("audio", input_device="USB Headset", output_device="Built-in Audio")
    app = TwsApp(prefs=prefs, clock=clock, connect=BackendSetup(loader=loader))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert told == [("USB Headset", "Built-in Audio", False)]


def test_ringtones_play_on_the_ringer_chosen(monkeypatch: Any) -> None:
    from tws_tui.platform.sound_library import load

    opened: list[Any] = []

    class Stream:
        def __init__(self, **kwargs: Any) -> None:
            opened.append(kwargs["device"])

        def start(self) -> None: ...
        def write(self, frames: bytes) -> None: ...
        def close(self) -> None: ...

    module = fake_sounddevice()
    module.RawOutputStream = Stream  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sounddevice", module)
    console = build_console()
    for ringer, expected in (("USB Headset", "USB Headset"), ("", None)):
        console.app.prefs.change("audio", ring_device=ringer)
        output = console.app.ring_output()
        bell = load("bell")
        output.write(bell, bell.frames)
        output.close()
        assert opened[-1] == expected
