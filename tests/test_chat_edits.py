"""Edit, delete and reply in the Chat screen (issue 15): on the simulator ↑ in the empty input
brings my last message back, Enter saves it and both sides see it marked "(edited)", never as
a new message nor unread; Alt+Delete takes it back ("(message deleted)"); Alt+Q answers the
colleague's last message quoting it; Esc stops editing. A chat without these features (sip)
does nothing on the keys. On cti, the same three through the real server, seen by Bob."""

from __future__ import annotations

from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import build_console, screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import UserId

__all__ = ["cti_server"]

SIZE = (100, 30)
BOB = UserId("u180")
ALICE = UserId("u100")


def field(app: Any) -> Input:
    return app.screen.query_one("#chat-input", Input)


def colleague(console: Any) -> UserId:
    switch = console.backend.switch
    ep = min(
        (
            e
            for e in switch.endpoints.values()
            if e.internal and e.user_id and e is not switch.operator
        ),
        key=lambda e: e.extension,
    )
    return UserId(ep.user_id)


async def test_sim_edit_delete_and_reply() -> None:
    console = build_console()
    peer = colleague(console)
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        chat.send(peer, me.user_id, "Tu as le dossier Dupont ?")
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        await settle(pilot)
        await pilot.press("alt+q")
        await settle(pilot)
        note = screen.query_one("#chat-compose-note")
        assert note.display and "Tu as le dossier Dupont ?" in str(note.render())
        await pilot.press(*"Oui, sur ton bureau", "enter")
        await settle(pilot)
        mine = chat.conversation(me.user_id, peer, 10)[-1]
        assert (mine.text, mine.quote) == ("Oui, sur ton bureau", "Tu as le dossier Dupont ?")
        assert mine.reply_to == chat.conversation(me.user_id, peer, 10)[0].id
        assert "↪ " in screen_text(console.app) and not note.display

        await pilot.press("up")
        await settle(pilot)
        assert field(console.app).value == "Oui, sur ton bureau"
        await pilot.press("end", *" gauche", "enter")
        await settle(pilot)
        kept = chat.conversation(peer, me.user_id, 10)
        assert [m.text for m in kept][-1] == "Oui, sur ton bureau gauche" and kept[-1].edited
        assert len(kept) == 2  # changed, not added
        text = screen_text(console.app)
        assert "Oui, sur ton bureau gauche (edited)" in text
        assert console.app.state.chat_unread == {}

        await pilot.press("up")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert field(console.app).value == ""
        await pilot.press("up")
        await settle(pilot)
        screen.open_conversation(UserId("grp-accueil"))  # elsewhere: the edit stops
        await settle(pilot)
        assert field(console.app).value == "" and not note.display
        screen.open_conversation(peer)
        await settle(pilot)
        await pilot.press("alt+delete")
        await settle(pilot)
        kept = chat.conversation(peer, me.user_id, 10)
        assert kept[-1].deleted and kept[-1].text == ""
        assert "(message deleted)" in screen_text(console.app)
        assert "Message deleted." in [n.message for n in console.app._notifications]


async def test_without_the_features_the_keys_do_nothing() -> None:
    console = build_console()
    peer = colleague(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert console.backend.chat is not None
        console.backend.chat.features = frozenset()  # type: ignore[misc]  # as on sip
        me = console.app.state.me
        assert me is not None
        console.backend.switch_chat.send(me.user_id, peer, "Mon message")
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        await settle(pilot)
        await pilot.press("up", "alt+q", "alt+delete")
        await settle(pilot)
        assert field(console.app).value == ""
        assert not screen.query_one("#chat-compose-note").display
        assert [
            m.deleted for m in console.backend.switch_chat.conversation(peer, me.user_id, 5)
        ] == [False]


async def test_cti_edit_delete_and_reply_reach_the_other_side(cti_server: ServerThread) -> None:
    app = cti_console(cti_server)
    bob = make_backend(cti_server.url, username="bob")
    await bob.connect()
    try:
        assert bob.chat is not None
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.state.me is not None, "alice signed in")
            asked = await bob.chat.send(ALICE, "On déjeune ?")
            await until(pilot, lambda: bool(app.state.chat), "bob's message")
            await pilot.press("alt+4")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ChatScreen)
            screen.open_conversation(BOB)
            await settle(pilot)
            await pilot.press("alt+q", *"Oui", "enter")
            await until(pilot, lambda: len(app.state.chat) == 2, "the reply")
            kept = await bob.chat.conversation(ALICE)
            assert (kept[1].reply_to, kept[1].quote) == (asked.id, "On déjeune ?")
            await pilot.press("up")
            await settle(pilot)
            field(app).value = "Oui, à midi"
            await pilot.press("enter")
            await until(pilot, lambda: "Oui, à midi (edited)" in screen_text(app), "edited")
            kept = await bob.chat.conversation(ALICE)
            assert (kept[1].text, kept[1].edited) == ("Oui, à midi", True)
            await pilot.press("alt+delete")
            await until(pilot, lambda: "(message deleted)" in screen_text(app), "deleted")
            kept = await bob.chat.conversation(ALICE)
            assert (kept[1].text, kept[1].deleted, len(kept)) == ("", True, 2)
    finally:
        await bob.close()
