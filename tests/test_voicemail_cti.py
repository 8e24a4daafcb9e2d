"""The Voicemail view on the cti backend against the real reference server: the new count in
the status bar (from the snapshot, then live as messages arrive), the list, playing a message
(the server's WAV, every sample written to the recording audio double; the server then says it
is heard), delete, and a message another session of mine deleted meanwhile."""

from __future__ import annotations

from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login, make_backend
from helpers import screen_text, settle, until
from test_voicemail import RecordingOutput
from test_voicemail_backends import leave_message

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.history.voicemail import VoicemailScreen
from tws_tui.simulator.voicemail import recording

__all__ = ["cti_server"]

SIZE = (120, 40)


def notes(app: TwsApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_voicemail(app: TwsApp, pilot: Any, count: int) -> VoicemailScreen:
    await pilot.press("alt+b")
    await until(
        pilot,
        lambda: isinstance(app.screen, VoicemailScreen) and len(app.screen._messages) == count,
        f"{count} messages listed",
    )
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, VoicemailScreen)
    return screen


def server_box(server: ServerThread) -> dict[str, Any]:
    with http_client(server.url) as http:
        box: dict[str, Any] = http.get("/v1/me/voicemail", headers=login(http)).json()
        return box


async def test_list_play_and_delete_through_the_server(cti_server: ServerThread) -> None:
    server = cti_server
    leave_message(server)
    app = cti_console(server)
    output = RecordingOutput()
    app.audio_output = lambda: output
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.state.voicemail_new == 1, "the count from the snapshot")
        await settle(pilot)
        assert "⊠ 1 new voicemail" in screen_text(app)
        screen = await open_voicemail(app, pilot, 1)
        [message] = screen._messages
        assert message.caller.number == "+33687654321"
        await pilot.press("space")
        expected = recording(message.id, message.duration_s)[44:]  # the frames after the header
        await until(pilot, lambda: len(output.frames) == len(expected), "every sample", 15)
        assert bytes(output.frames) == expected
        await until(pilot, lambda: server_box(server)["new"] == 0, "heard on the server")
        await until(pilot, lambda: app.state.voicemail_new == 0, "the count follows")
        leave_message(server, "+33611111111")  # a new one arrives while the view is open
        await until(pilot, lambda: len(screen._messages) == 2, "the new message listed")
        assert app.state.voicemail_new == 1
        await pilot.press("delete", "y")
        await until(pilot, lambda: len(screen._messages) == 1, "deleted")
        assert len(server_box(server)["items"]) == 1


async def test_a_message_deleted_by_another_session_meanwhile(cti_server: ServerThread) -> None:
    """Deleted by my other console: its event reads the list again. Deleted while that event
    is still on its way (the store changed, no event yet): the next key on it gets the
    server's 404, said in a sentence, and the list is read again."""
    server = cti_server
    leave_message(server)
    app = cti_console(server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.state.me is not None, "signed in")
        screen = await open_voicemail(app, pilot, 1)
        [message] = screen._messages
        other = make_backend(server.url, username="alice")  # Alice's second console
        await other.connect()
        try:
            assert other.voicemail is not None
            await other.voicemail.delete(message.id)
        finally:
            await other.close()
        await until(pilot, lambda: screen._messages == [], "the list follows the event")
        leave_message(server, "+33611111111")
        await until(pilot, lambda: len(screen._messages) == 1, "the next message")
        [message] = screen._messages
        device, store = "dev-100", server.state.store  # Alice's extension 100
        assert server.call(lambda: store.delete_voicemail(device, message.id))
        await pilot.press("r")  # marking it heard: gone meanwhile
        await until(pilot, lambda: screen._messages == [], "the list read again")
        await settle(pilot)
        assert any("deleted elsewhere" in n for n in notes(app)), notes(app)
        assert "No voicemail message." in screen_text(app)
