"""Voicemail settings from the console on ``sim`` (TWS-6.9, Selfcare §6.2): the page opened from
Preferences and from the Voicemail view (G); a WAV added from a path, listened to (samples on
the recording audio double), made active, deleted; a file that is not a WAV, a truncated one,
one too long, a missing path and a sixth greeting each refused in a sentence, nothing added;
recording by phone said not offered; the PIN (digits only, 4 to 8, the current one, typed
twice) and the e-mail copy; a change from "another console" (the switch) shown; the page on a
phone system without the settings (the PBX's) saying so."""

from __future__ import annotations

import io
import wave
from pathlib import Path
from typing import Any

from helpers import Console, build_console, screen_text, settle, until
from test_voicemail import RecordingOutput, notes

from tws_tui.console.screens.history.voicemail_settings import VoicemailSettingsScreen
from tws_tui.core.model import Capability

SIZE = (120, 40)


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x10\x00" * int(seconds * rate))
    return out.getvalue()


async def open_from_preferences(console: Console, pilot: Any) -> VoicemailSettingsScreen:
    await pilot.press("alt+6")
    await settle(pilot)
    shown = screen_text(console.app)
    assert "My voicemail" in shown
    button = console.app.screen.query_one("#pref-voicemail")
    assert not button.disabled
    button.press()
    await settle(pilot)
    screen = console.app.screen
    assert isinstance(screen, VoicemailSettingsScreen)
    await until(pilot, lambda: screen._settings is not None, "the settings read")
    await settle(pilot)
    return screen


async def type_into(pilot: Any, screen: Any, selector: str, text: str) -> None:
    field = screen.query_one(selector)
    field.value = ""
    field.focus()
    await pilot.pause()
    field.insert_text_at_cursor(text)
    await pilot.pause()


async def add_file(console: Console, pilot: Any, screen: Any, path: Path, name: str = "") -> None:
    await type_into(pilot, screen, "#vms-name", name)
    await type_into(pilot, screen, "#vms-file", str(path))
    await pilot.press("enter")
    await settle(pilot, 8)


async def test_greetings_added_listened_activated_deleted_and_bad_files_refused(
    tmp_path: Path,
) -> None:
    console = build_console()
    output = RecordingOutput()
    console.app.audio_output = lambda: output
    prefs = console.backend.switch_voicemail_settings
    device = console.backend.device
    good = tmp_path / "standard.wav"
    good.write_bytes(wav(3))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_from_preferences(console, pilot)
        shown = screen_text(console.app)
        assert "Greetings (0 of 5)" in shown
        assert "Callers hear the one marked ★; Enter chooses it." in shown
        assert "Your PIN is still 0000" in shown
        assert "not offered by this phone system" in shown  # recording by phone
        await add_file(console, pilot, screen, good)
        await until(pilot, lambda: len(prefs.settings(device).greetings) == 1, "added")
        await settle(pilot)
        assert "Greeting standard added." in notes(console)
        assert "★" in screen_text(console.app) and "0:03" in screen_text(console.app)
        bad = {
            "notawav.wav": (b"%PDF-1.7 this is not a sound", "This file is not a WAV recording."),
            "cut.wav": (wav(3)[:-6000], "This WAV file is cut short: it holds less than it says."),
            "long.wav": (wav(125), "This greeting is too long (125 s; at most 120 s)."),
        }
        for file_name, (data, why) in bad.items():
            (tmp_path / file_name).write_bytes(data)
            await add_file(console, pilot, screen, tmp_path / file_name)
            assert notes(console)[-1] == f"Greeting not added: {why}"
        await add_file(console, pilot, screen, tmp_path / "missing.wav")
        last = notes(console)[-1]
        assert last.startswith("Cannot read") and "missing.wav: No such file" in last
        assert len(prefs.settings(device).greetings) == 1
        await add_file(console, pilot, screen, good, "Holiday")
        await until(pilot, lambda: len(prefs.settings(device).greetings) == 2, "second")
        await settle(pilot)
        screen.query_one("#vms-greetings").focus()
        await pilot.press("down")
        await pilot.press("space")
        await until(pilot, lambda: len(output.frames) == 3 * 8000 * 2, "every sample played")
        await pilot.press("enter")
        await until(pilot, lambda: prefs.settings(device).greetings[1].active, "Holiday in use")
        await settle(pilot)
        assert "Greeting in use." in notes(console)
        await pilot.press("delete")
        await settle(pilot)
        assert "Delete the greeting Holiday?" in screen_text(console.app)
        await pilot.press("y")
        await until(pilot, lambda: len(prefs.settings(device).greetings) == 1, "deleted")
        for n in range(4):
            prefs.add_greeting(device, f"G{n}", wav(2))  # from "another console"
        await settle(pilot, 8)
        assert "Greetings (5 of 5)" in screen_text(console.app)
        await add_file(console, pilot, screen, good, "Sixth")
        assert any("at most 5 greetings" in n for n in notes(console))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+r")  # on Preferences: nothing; on the page: said
        screen = await open_from_preferences(console, pilot)
        screen.query_one("#vms-greetings").focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert any("not offered by this phone system" in n for n in notes(console))


async def test_pin_and_email_copy() -> None:
    console = build_console()
    prefs = console.backend.switch_voicemail_settings
    device = console.backend.device
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")  # read once connected: Preferences sums them up
        await settle(pilot)
        summary = "Greeting: the standard one · E-mail copy: off · PIN still 0000"
        assert summary in screen_text(console.app)
        screen = await open_from_preferences(console, pilot)

        async def change(old: str, new: str, again: str) -> None:
            await type_into(pilot, screen, "#vms-pin-old", old)
            await type_into(pilot, screen, "#vms-pin-new", new)
            await type_into(pilot, screen, "#vms-pin-again", again)
            await pilot.press("enter")
            await settle(pilot, 8)

        digits = "The new PIN must be 4 to 8 digits (0-9), nothing else."
        for typed, why in (
            (("0000", "12a4", "12a4"), digits),
            (("0000", "123", "123"), digits),
            (("0000", "123456789", "123456789"), digits),
            (("0000", "2468", "2469"), "The new PIN and its repetition differ."),
            (("", "2468", "2468"), "Type the current PIN first."),
            (("1111", "2468", "2468"), "The current PIN is not right: the PIN was not changed."),
        ):
            await change(*typed)
            assert notes(console)[-1] == why, typed
        assert prefs.settings(device).pin_is_default
        await change("0000", "24681357", "24681357")
        await until(pilot, lambda: not prefs.settings(device).pin_is_default, "changed")
        await settle(pilot)
        assert "PIN changed." in notes(console)
        assert "still 0000" not in screen_text(console.app)
        await pilot.click("#vms-email-copy")
        await type_into(pilot, screen, "#vms-email", "alice.example.com")
        await pilot.press("enter")
        await settle(pilot, 8)
        assert any("is not an e-mail address" in n for n in notes(console))
        await type_into(pilot, screen, "#vms-email", "alice@example.com")
        await pilot.press("enter")
        await until(pilot, lambda: prefs.settings(device).email_copy, "copy on")
        assert prefs.settings(device).email == "alice@example.com"
        await pilot.press("escape")
        await settle(pilot)
        assert "Greeting: the standard one · E-mail copy: alice@example.com" in screen_text(
            console.app
        )  # told by the event of the change, not read again


async def test_opened_from_the_voicemail_view_and_said_when_the_pbx_keeps_them() -> None:
    console = build_console()
    backend = console.backend
    backend.switch_voicemail_settings.set_email_copy(backend.device, True, "desk@example.com")
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+b")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, VoicemailSettingsScreen)
        assert screen.query_one("#vms-email").value == "desk@example.com"  # the kept values
        assert screen.query_one("#vms-email-copy").value is True
    caps = [c for c in Capability if c is not Capability.VOICEMAIL_SETTINGS]
    console = build_console(capabilities=caps)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        assert "keeps the voicemail settings itself" in screen_text(console.app)
        assert console.app.screen.query_one("#pref-voicemail").disabled
        await pilot.press("alt+b")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert "set them from its voicemail menu" in screen_text(console.app)


async def test_cti_a_greeting_added_from_my_other_console_is_shown(tmp_path: Path) -> None:
    """Alice's console on the page (cti, the real server); her second console adds a greeting
    and changes the PIN: the page shows both, told by voicemail_settings.updated."""
    from cti_fixtures import ServerThread, cti_console, make_backend

    server = ServerThread(tmp_path / "server", heartbeat_s=1.0)
    server.start()
    server.add_users()
    app = cti_console(server)
    other = make_backend(server.url, username="alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.state.me is not None, "signed in")
            await pilot.press("alt+b")
            await settle(pilot)
            await pilot.press("g")
            await until(pilot, lambda: isinstance(app.screen, VoicemailSettingsScreen), "page")
            screen = app.screen
            await until(pilot, lambda: screen._settings is not None, "read")
            assert "Your PIN is still 0000" in screen_text(app)
            await other.connect()
            assert other.voicemail_prefs is not None
            await other.voicemail_prefs.add_greeting("From the other desk", wav(4))
            await other.voicemail_prefs.change_pin("0000", "8642")
            await until(
                pilot, lambda: "From the other desk" in screen_text(app), "the greeting shown"
            )
            await until(pilot, lambda: "still 0000" not in screen_text(app), "the PIN changed")
            assert "Greetings (1 of 5)" in screen_text(app)
    finally:
        await other.close()
        server.close()
