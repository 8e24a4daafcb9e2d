"""The Voicemail view on ``sim`` (issue 16): the new count in the status bar, Alt+B from
anywhere, callers named from the directory, play/pause/seek on an audio backend that records
the samples written (no sound card here), "no audio device" said clearly, heard/new, delete
(confirmed), a message deleted meanwhile, a damaged recording, call back and add to contacts.
Also the player and the WAV reader alone."""

from __future__ import annotations

import asyncio
import io
import wave
from typing import Any

import pytest
from helpers import Console, build_console, screen_text, settle, until

from tws_tui.console.screens.contacts.form import ContactForm
from tws_tui.console.screens.history.voicemail import VoicemailScreen
from tws_tui.core.model import Party, VoicemailMessage
from tws_tui.platform.voice_player import (
    AudioUnavailable,
    BadRecording,
    Player,
    Recording,
    read_wav,
)
from tws_tui.simulator.voicemail import recording

SIZE = (120, 40)


class RecordingOutput:
    """The audio backend's test double: keeps every frame written, in order."""

    def __init__(self) -> None:
        self.frames = bytearray()
        self.writes = 0
        self.closed = False

    def write(self, recording: Recording, frames: bytes) -> None:
        self.frames += frames
        self.writes += 1

    def close(self) -> None:
        self.closed = True


def notes(console: Console) -> list[str]:
    return [n.message for n in console.app._notifications]


def leave(console: Console, caller: Party, minutes_ago: int = 5, seconds: int = 6) -> Any:
    backend = console.backend
    at = console.clock.now().replace(microsecond=0)
    from datetime import timedelta

    return backend.switch_voicemail.leave(
        backend.device, caller, at - timedelta(minutes=minutes_ago), duration_s=seconds
    )


def a_known_outsider(console: Console) -> Party:
    """An outside caller the directory knows by number (the message comes without a name)."""
    person = next(c for c in console.backend.switch.company.externals if c.number and c.name)
    return Party(person.number, None)


async def open_voicemail(console: Console, pilot: Any) -> VoicemailScreen:
    await pilot.press("alt+b")
    await settle(pilot)
    screen = console.app.screen
    assert isinstance(screen, VoicemailScreen)
    await until(pilot, lambda: screen._loaded, "the messages read")
    await settle(pilot)
    return screen


async def test_count_in_the_status_bar_and_the_list_with_names() -> None:
    console = build_console()
    known = a_known_outsider(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "voicemail" not in screen_text(console.app)
        leave(console, known, minutes_ago=30, seconds=12)
        leave(console, Party(None, None), minutes_ago=2)  # a withheld number
        await settle(pilot)
        assert "⊠ 2 new voicemails" in screen_text(console.app)
        await pilot.press("alt+3")  # from any mode
        await settle(pilot)
        await open_voicemail(console, pilot)
        shown = screen_text(console.app)
        name = console.backend.switch.directory_names[known.number or ""][0]
        assert f"{name} ({known.number})" in shown  # named by the reverse lookup
        assert "History" in shown and "› Voicemail" in shown
        assert "New: 2 · All: 2" in shown and "0:12" in shown and "● New" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, VoicemailScreen)


async def test_play_writes_every_sample_marks_heard_and_pause_seek() -> None:
    console = build_console()
    message = leave(console, Party("+33612345678", "Jeanne Dupont"), seconds=3)
    output = RecordingOutput()
    console.app.audio_output = lambda: output
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⊠ 1 new voicemail" in screen_text(console.app)
        screen = await open_voicemail(console, pilot)
        await pilot.press("space")
        await until(pilot, lambda: len(output.frames) == 3 * 8000 * 2, "every sample written")
        with wave.open(io.BytesIO(recording(message.id, 3))) as wav:
            assert bytes(output.frames) == wav.readframes(wav.getnframes())
        assert output.writes == 30  # in slices of 0.1 s
        await until(pilot, lambda: console.app.state.voicemail_new == 0, "heard")
        await settle(pilot)
        assert "voicemail" not in screen_text(console.app).split("\n")[0]
        assert "Heard" in screen_text(console.app)
        assert screen._player is not None and not screen._player.playing
        assert "0:03 / 0:03" in screen_text(console.app)
        await pilot.press("left")  # back 5 s: the start
        await settle(pilot)
        assert screen._player.position_s == 0
        assert "0:00 / 0:03" in screen_text(console.app)


async def test_no_audio_device_is_said_and_the_phone_plays_it() -> None:
    console = build_console()
    leave(console, Party("+33612345678", "Jeanne Dupont"))

    def no_device() -> Any:
        raise AudioUnavailable("no audio device on this machine")

    console.app.audio_output = no_device
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_voicemail(console, pilot)
        await pilot.press("space")
        await settle(pilot)
        assert "No audio device here: Alt+V plays the messages on your phone." in screen_text(
            console.app
        )
        await pilot.press("alt+v")
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.number == "3990"


async def test_heard_new_delete_and_a_message_deleted_meanwhile() -> None:
    console = build_console()
    leave(console, Party("+33612345678", "Jeanne Dupont"), minutes_ago=1)
    second = leave(console, Party("+33698765432", "Paul Martin"), minutes_ago=9)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_voicemail(console, pilot)
        await pilot.press("r")  # the first (newest) heard
        await until(pilot, lambda: console.app.state.voicemail_new == 1, "one heard")
        await pilot.press("r")  # new again
        await until(pilot, lambda: console.app.state.voicemail_new == 2, "new again")
        await pilot.press("delete")
        await settle(pilot)
        assert "Delete the message from Jeanne Dupont" in screen_text(console.app)
        await pilot.press("y")
        await until(pilot, lambda: [m.id for m in screen._messages] == [second.id], "deleted")
        assert "Message deleted." in notes(console)
        # another session deletes the remaining one; this one still lists it
        console.backend.switch_voicemail._boxes[console.backend.device].clear()
        await pilot.press("delete", "y")
        await until(pilot, lambda: screen._messages == [], "list read again")
        assert any("deleted elsewhere" in n for n in notes(console))
        await settle(pilot)
        assert "No voicemail message." in screen_text(console.app)


async def test_a_damaged_recording_is_said_in_words() -> None:
    console = build_console()
    leave(console, Party("+33612345678", "Jeanne Dupont"))
    console.app.audio_output = RecordingOutput
    box = console.backend.voicemail
    assert box is not None

    async def cut_short(message_id: str) -> bytes:
        return recording(message_id, 3)[:500]

    box.audio = cut_short  # type: ignore[method-assign]
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_voicemail(console, pilot)
        await pilot.press("space")
        await until(pilot, lambda: notes(console), "a notice")
        assert notes(console) == ["The recording is damaged: it is cut short."]
        assert console.app.state.voicemail_new == 1  # not heard


async def test_call_back_and_add_the_caller_to_the_contacts() -> None:
    console = build_console()
    leave(console, Party("+33612345678", "Jeanne Dupont"))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_voicemail(console, pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm)
        assert "Jeanne Dupont" in screen_text(console.app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: console.app.state.calls, "calling back")
        [call] = console.app.state.calls.values()
        assert call.remote.number == "+33612345678"


async def test_french_words() -> None:
    console = build_console()
    leave(console, Party("+33612345678", "Jeanne Dupont"))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+l")
        await settle(pilot)
        assert "⊠ 1 nouveau message vocal" in screen_text(console.app)
        await open_voicemail(console, pilot)
        shown = screen_text(console.app)
        assert (
            "Messagerie" in shown and "● Nouveau" in shown and "Nouveaux : 1 · En tout : 1" in shown
        )


# ---- the player and the WAV reader alone ---------------------------------------------------


def test_read_wav_refuses_what_is_not_a_whole_wav() -> None:
    good = recording("vm-x", 2)
    assert read_wav(good).length_s == 2
    with pytest.raises(BadRecording, match="not a WAV"):
        read_wav(b"not a wav at all")
    with pytest.raises(BadRecording, match="cut short"):
        read_wav(good[: len(good) // 2])
    with pytest.raises(BadRecording):
        read_wav(b"")


async def test_the_player_seeks_pauses_and_starts_again() -> None:
    output = RecordingOutput()
    rec = read_wav(recording("vm-y", 10))
    changes: list[float] = []
    player = Player(rec, output, lambda: changes.append(player.position_s))
    player.seek(5)
    assert player.position_s == 5
    player.seek(-7)
    assert player.position_s == 0
    player.seek(8)
    player.play()
    assert player.playing
    while player.playing:
        await asyncio.sleep(0)
    assert len(output.frames) == 2 * 8000 * 2  # from 8 s to the end
    assert player.finished and changes[-1] == 10
    player.play()  # finished: from the start again
    player.pause()
    assert not player.playing
    await player.stop()
    assert output.closed


def test_a_message_is_a_value() -> None:
    message = VoicemailMessage("m", Party("1"), at=__import__("datetime").datetime.now())
    assert message.new and message.has_audio and message.duration_s == 0
