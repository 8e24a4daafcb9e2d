"""The sound library's files (issue 17): MP3 added beside WAV and kept as WAV (TWS-6.8-1: an
MP3 made by LAME here, decoded by miniaudio; a damaged, cut-short or other file refused in
words, nothing stored), each event's list offering only the sounds that fit it by length
(TWS-6.8-4), and an announcement recorded from the microphone (TWS-6.8-5) as the softphone
hears it: 8 kHz mono at the microphone's volume, from the device chosen in Preferences → Audio.
The sound card is stood in for at the device only (a ``sounddevice`` module of the test's own,
whose input stream hands its callback the blocks the test says)."""

from __future__ import annotations

import array
import math
import random
import sys
import types
import wave
from pathlib import Path
from typing import Any

import lameenc
import pytest
from helpers import build_console, screen_text, settle
from test_sound_library import open_sounds
from test_voicemail import notes

from tws_tui.platform.sound_library import BadSound, add, library, sounds_dir

SIZE = (120, 40)


def mp3_file(path: Path, seconds: float, rate: int = 8000) -> Path:
    """A 440 Hz tone of ``seconds`` as MP3, mono at ``rate``."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(7)
    tone = array.array(
        "h",
        (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate))),
    )
    path.write_bytes(bytes(encoder.encode(tone.tobytes()) + encoder.flush()))
    return path


def refused(source: Path) -> str:
    with pytest.raises(BadSound) as caught:
        add(source)
    return caught.value.msgid + caught.value.why


def test_an_mp3_is_kept_as_wav_and_a_bad_file_is_refused_with_nothing_stored(
    tmp_path: Path,
) -> None:
    sound = add(mp3_file(tmp_path / "Tune.mp3", 3.0))
    assert sound.name == "Tune" and 3.0 <= sound.length_s < 3.3 and sound.ringtone
    with wave.open(str(sounds_dir() / "Tune.wav"), "rb") as kept:
        assert (kept.getframerate(), kept.getnchannels(), kept.getsampwidth()) == (8000, 1, 2)
        samples = array.array("h", kept.readframes(kept.getnframes()))
    assert 6000 < max(samples) < 10000  # the tone heard, not silence nor noise
    whole = mp3_file(tmp_path / "whole.mp3", 3.0).read_bytes()
    (tmp_path / "Cut.mp3").write_bytes(whole[:200])
    (tmp_path / "Noise.mp3").write_bytes(random.Random(7).randbytes(4000))
    (tmp_path / "Fake.mp3").write_text("not a sound at all")
    (tmp_path / "Tune.ogg").write_bytes(whole)
    for name in ("Cut.mp3", "Noise.mp3", "Fake.mp3"):
        assert "not an MP3 file" in refused(tmp_path / name), name
    assert "is not a WAV or MP3 file" in refused(tmp_path / "Tune.ogg")
    assert sorted(p.name for p in sounds_dir().iterdir()) == ["Tune.wav"]
    assert [s.name for s in library() if not s.builtin] == ["Tune"]


class Microphone:
    """The input stream PortAudio would open: the test calls ``speak`` for what it hears."""

    opened: list[dict[str, Any]] = []
    current: Microphone | None = None

    def __init__(self, **kwargs: Any) -> None:
        Microphone.opened.append(kwargs)
        Microphone.current = self
        self.callback = kwargs["callback"]
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def close(self) -> None:
        pass

    def speak(self, seconds: float, level: int = 10000) -> None:
        for _block in range(int(seconds * 50)):  # 20 ms blocks of 160 samples
            self.callback(array.array("h", [level] * 160).tobytes(), 160, None, None)


def fake_sounddevice(devices: list[dict[str, Any]]) -> types.ModuleType:
    module = types.ModuleType("sounddevice")
    module.query_devices = lambda: devices  # type: ignore[attr-defined]
    module.RawInputStream = Microphone  # type: ignore[attr-defined]
    return module


async def test_lists_fit_each_event_and_an_announcement_is_recorded(
    tmp_path: Path, monkeypatch: Any
) -> None:
    headset = {"name": "USB Headset", "max_input_channels": 1, "max_output_channels": 2}
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice([headset]))
    Microphone.opened.clear()
    console = build_console()
    console.app.prefs.change("audio", input_device="USB Headset", microphone_volume=50)
    async with console.app.run_test(size=SIZE) as pilot:
        screen = await open_sounds(pilot)
        await pilot.press("ctrl+o")
        screen.query_one("#sound-add").value = str(mp3_file(tmp_path / "Welcome.mp3", 3.0))
        await pilot.press("enter")
        await settle(pilot)
        assert "Welcome added to the sound library." in notes(console)
        assert "♫ Welcome  3." in screen_text(console.app)  # LAME pads it a little

        def offered(key: str) -> set[str]:
            return {value for _shown, value in screen.query_one(f"#sound-{key}")._options}

        assert offered("incoming_call") == offered("queue_call") == {"ring", "queue", "Welcome"}
        assert offered("chat_message") == offered("voicemail") == {"chat", "notify", "bell"}

        name = screen.query_one("#sound-record-name")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Give the announcement a name first." in notes(console)
        assert Microphone.opened == [] and screen.focused is name
        name.value = "Accueil"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Recording from the microphone… Ctrl+R stops and keeps it." in screen_text(
            console.app
        )
        assert Microphone.opened[-1]["device"] == "USB Headset"
        assert (Microphone.opened[-1]["samplerate"], Microphone.opened[-1]["channels"]) == (8000, 1)
        assert Microphone.current is not None
        Microphone.current.speak(2.5)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Accueil recorded (2.5 s) and added to the sound library." in notes(console)
        with wave.open(str(sounds_dir() / "Accueil.wav"), "rb") as kept:
            assert (kept.getframerate(), kept.getnchannels()) == (8000, 1)
            heard = array.array("h", kept.readframes(kept.getnframes()))
        assert len(heard) == 20000 and set(heard) == {5000}  # at the microphone's 50 %
        assert "Accueil" in offered("incoming_call") and name.value == ""

        for typed, seconds, words in (
            ("Accueil", 0, "Accueil is already in the sound library"),
            ("Court", 1.5, "The recording Court lasts 1.5 s: it must last over 2 s"),
        ):
            name.value = typed
            await pilot.press("ctrl+r")
            if seconds:
                Microphone.current.speak(seconds)
                await pilot.press("ctrl+r")
            await settle(pilot)
            assert any(words in note for note in notes(console)), words
        assert not (sounds_dir() / "Court.wav").exists()

        monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice([]))
        name.value = "Nuit"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert any(n.startswith("No microphone here") for n in notes(console))
        assert "Ctrl+R: record an announcement from the microphone" in screen_text(console.app)
