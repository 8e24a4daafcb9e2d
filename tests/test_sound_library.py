"""The sound library (issue 17, TWS-6.8): built-in sounds synthesised the same way every time,
ringtones and notifications by length; on ``sim``, the page: a sound per event chosen and
kept, a choice whose file is gone refused with the previous one kept, a WAV added (a missing
file, a damaged one and a built-in's name refused), the preview (P) played at the ring volume
on the sound card's test double, or the terminal bell when there is no sound device."""

from __future__ import annotations

import array
import hashlib
from pathlib import Path
from typing import Any

from helpers import build_console, screen_text, settle, until
from test_voicemail import RecordingOutput, notes

from tws_tui.console.screens.audio.sounds import SoundsScreen
from tws_tui.platform.sound_library import (
    BUILTIN,
    BadSound,
    library,
    load,
    sounds_dir,
    synthesise,
)
from tws_tui.platform.voice_player import AudioUnavailable

SIZE = (120, 40)


def test_built_in_sounds_are_the_same_bytes_each_time_and_sorted_by_length() -> None:
    first = {name: hashlib.sha256(synthesise(n)).hexdigest() for name, n in BUILTIN.items()}
    again = {name: hashlib.sha256(synthesise(n)).hexdigest() for name, n in BUILTIN.items()}
    assert first == again and len(set(first.values())) == len(BUILTIN)
    kinds = {sound.name: sound.ringtone for sound in library()}
    assert kinds == {"ring": True, "queue": True, "chat": False, "notify": False, "bell": False}
    ring = load("ring")
    assert (ring.rate, ring.channels, ring.width) == (8000, 1, 2)
    assert 2.0 < ring.length_s < 3.0


def test_a_missing_or_damaged_user_sound_is_said() -> None:
    sounds_dir().mkdir(parents=True)
    (sounds_dir() / "broken.wav").write_bytes(b"RIFF\x00\x00not a wav")
    for name, words in (("gone", "is missing"), ("broken", "not a WAV file")):
        try:
            load(name)
        except BadSound as error:
            assert words in (error.msgid + error.why)
        else:
            raise AssertionError(f"{name} loaded")
    assert "broken" not in {sound.name for sound in library()}


async def open_sounds(pilot: Any) -> SoundsScreen:
    await pilot.press("alt+6")
    await settle(pilot)
    pilot.app.screen.query_one("#pref-sounds").press()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SoundsScreen)
    return screen


def wav_file(path: Path, seconds: float) -> Path:
    from tws_tui.platform.sound_library import synthesise

    path.write_bytes(synthesise((((600,), seconds, 0.0),)))
    return path


async def test_add_choose_and_refuse_sounds(tmp_path: Path) -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        screen = await open_sounds(pilot)
        assert "Phone ring  2.4 s  (built-in)" in screen_text(console.app)
        field = screen.query_one("#sound-add")
        for text, words in (
            (str(tmp_path / "nowhere.wav"), "There is no file"),
            (str(tmp_path / "bad.wav"), "not a WAV file"),
            (str(wav_file(tmp_path / "ring.wav", 0.5)), "name of a built-in sound"),
        ):
            if text.endswith("bad.wav"):
                Path(text).write_text("hello")
            await pilot.press("ctrl+o")
            field.value = text
            await pilot.press("enter")
            await settle(pilot)
            assert any(words in note for note in notes(console)), words
        field.value = str(wav_file(tmp_path / "Welcome.wav", 3.0))
        await pilot.press("enter")
        await settle(pilot)
        assert "Welcome added to the sound library." in notes(console)
        assert "♫ Welcome  3.0 s  (yours)" in screen_text(console.app)
        chooser = screen.query_one("#sound-incoming_call")
        chooser.value = "Welcome"
        await settle(pilot)
        assert console.app.prefs.audio.incoming_call == "Welcome"
        field.value = str(wav_file(tmp_path / "Ding.wav", 0.5))
        await pilot.press("enter")
        await settle(pilot)
        chat = screen.query_one("#sound-chat_message")
        assert ("Ding", "Ding") in chat._options  # listed, then
        (sounds_dir() / "Ding.wav").unlink()  # gone behind the console's back
        chat.value = "Ding"
        await settle(pilot)
        assert any("The sound Ding is missing" in note for note in notes(console))
        assert console.app.prefs.audio.chat_message == "chat"
        assert chat.value == "chat"


async def test_preview_plays_at_the_ring_volume_or_rings_the_bell() -> None:
    console = build_console()
    output = RecordingOutput()
    console.app.ring_output = lambda: output
    console.app.prefs.change("audio", ring_volume=50, chat_message="notify")
    async with console.app.run_test(size=SIZE) as pilot:
        screen = await open_sounds(pilot)
        screen.query_one("#sound-chat_message").focus()
        await pilot.press("p")
        await until(pilot, lambda: output.closed, "the sound played")
        whole = array.array("h", load("notify").frames)
        heard = array.array("h", bytes(output.frames))
        assert len(heard) == len(whole)
        assert max(heard) == int(max(whole) * 0.5)

        def no_device() -> Any:
            raise AudioUnavailable("none")

        rung: list[int] = []
        console.app.ring_output = no_device
        console.app.ring_bell = lambda: rung.append(1)
        await pilot.press("p")
        await until(pilot, lambda: rung == [1], "the bell rung")
        assert "No sound device here: the terminal bell rang instead." in notes(console)


async def test_a_softphone_rings_with_the_chosen_sound_a_desk_phone_with_the_bell() -> None:
    for softphone in (True, False):
        console = build_console()
        output = RecordingOutput()
        console.app.ring_output = lambda output=output: output
        if softphone:  # a backend whose audio runs here, like sip
            console.backend.set_volumes = lambda speaker, microphone: None
        console.app.prefs.change("audio", incoming_call="bell", ring_volume=100)
        rung: list[int] = []
        console.app.ring_bell = lambda rung=rung: rung.append(1)
        async with console.app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            console.ring()
            if softphone:
                await until(pilot, lambda output=output: output.closed, "the ringtone played")
                assert bytes(output.frames) == load("bell").frames and rung == []
            else:
                await until(pilot, lambda rung=rung: rung == [1], "the bell rung")
                assert output.writes == 0
