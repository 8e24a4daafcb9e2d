"""The Sound library's sounds for a chat message and a new voicemail (issue 17, TWS-6.8-2) on
``sim``: played through the ringtone's path — on a softphone (a backend whose audio runs here,
``AudioVolumes``) the chosen sound at the ring volume on the ringer's test double, on a desk
phone the terminal bell —; never for my own message, an edit or a message heard already;
held back while my presence hides notices (TWS-6.6-8) and while muted (M on the Sound library
page, ``[audio] mute``, saved)."""

from __future__ import annotations

import array
from typing import Any

from helpers import build_console, settle, until
from test_chat import colleague
from test_voicemail import RecordingOutput

from tws_tui.console.screens.audio.sounds import SoundsScreen
from tws_tui.core.model import Party
from tws_tui.platform.sound_library import load
from tws_tui.settings.schema import ContactSettings

SIZE = (120, 40)


def softphone(console: Any) -> list[RecordingOutput]:
    """The console's backend made a softphone; the outputs the ringer opened, in order."""
    opened: list[RecordingOutput] = []

    def ringer() -> RecordingOutput:
        opened.append(RecordingOutput())
        return opened[-1]

    console.app.ring_output = ringer
    console.backend.set_volumes = lambda speaker, microphone: None
    return opened


def heard(outputs: list[RecordingOutput]) -> list[bytes]:
    return [bytes(output.frames) for output in outputs if output.closed]


async def test_a_chat_message_and_a_new_voicemail_play_their_sounds_on_the_softphone() -> None:
    console = build_console()
    opened = softphone(console)
    console.app.prefs.change("audio", chat_message="bell", voicemail="notify", ring_volume=50)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        peer, _name = colleague(console)
        console.backend.switch_chat.send(peer, me.user_id, "Tu es là ?")
        await until(pilot, lambda: len(heard(opened)) == 1, "the chat sound")
        whole = array.array("h", load("bell").frames)
        played = array.array("h", heard(opened)[0])
        assert len(played) == len(whole) and max(played) == int(max(whole) * 0.5)
        console.backend.switch_voicemail.leave(console.backend.device, Party("+33612345678"))
        await until(pilot, lambda: len(heard(opened)) == 2, "the voicemail sound")
        assert len(heard(opened)[1]) == len(load("notify").frames)
        # My own message (from another console of mine): no sound.
        sent = console.backend.switch_chat.send(me.user_id, peer, "Oui")
        assert sent is not None
        await settle(pilot)
        assert len(opened) == 2


async def test_on_a_desk_phone_the_bell_rings_for_a_chat_message() -> None:
    console = build_console()
    rung: list[int] = []
    console.app.ring_bell = lambda: rung.append(1)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        peer, _name = colleague(console)
        console.backend.switch_chat.send(peer, me.user_id, "Réunion à 14 h")
        await until(pilot, lambda: rung == [1], "the bell")


async def test_no_sound_while_my_presence_hides_notices() -> None:
    console = build_console(contacts=ContactSettings(show_notices_when=("busy",)))
    opened = softphone(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.presence == "available"
        peer, _name = colleague(console)
        console.backend.switch_chat.send(peer, me.user_id, "Tu es là ?")
        console.backend.switch_voicemail.leave(console.backend.device, Party("+33612345678"))
        await settle(pilot, 8)
        assert console.app.state.chat_unread == {peer: 1}  # it came, silently
        assert opened == []


async def test_muted_on_the_sound_library_page_and_on_again() -> None:
    saved: list[Any] = []
    console = build_console(save_prefs=saved.append)
    opened = softphone(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        peer, _name = colleague(console)
        await pilot.press("alt+6")
        await settle(pilot)
        pilot.app.screen.query_one("#pref-sounds").press()
        await settle(pilot)
        assert isinstance(pilot.app.screen, SoundsScreen)
        await pilot.press("m")
        await settle(pilot)
        assert console.app.prefs.audio.mute and saved[-1]["audio"]["mute"] is True
        assert "Chat and voicemail sounds: muted (m plays them again)." in str(
            pilot.app.screen.query_one("#sounds-mute").render()
        )
        console.backend.switch_chat.send(peer, me.user_id, "Tu es là ?")
        await settle(pilot, 8)
        assert opened == []
        await pilot.press("m")
        await settle(pilot)
        assert not console.app.prefs.audio.mute
        console.backend.switch_chat.send(peer, me.user_id, "Allô ?")
        await until(pilot, lambda: len(heard(opened)) == 1, "the chat sound again")
