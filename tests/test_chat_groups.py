"""Chat groups (issue 15): on the simulator the company's two groups (the same under every
seed) are listed with the conversations, a group shows its members, Enter sends to every
member and a member answers in the group; a group message read elsewhere counts unread on the
group. A chat without groups (sip: ``Chat.features`` empty) lists none and says so. On cti,
a group made on the server is listed by Alice's console, which sends to it and Bob receives."""

from __future__ import annotations

import asyncio
from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login, make_backend
from helpers import build_console, screen_text, settle, until
from textual.widgets import Input, OptionList

from tws_tui.backends.sip.backend import SipChat
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import ChatFeature, UserId
from tws_tui.simulator.chat import ANSWER_DELAY_S

__all__ = ["cti_server"]

SIZE = (100, 30)
ACCUEIL = UserId("grp-accueil")


def listed(app: Any) -> list[str]:
    options = app.screen.query_one("#chat-peers", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_sim_groups_are_listed_and_take_messages() -> None:
    console = build_console()
    chat = console.backend.switch_chat
    group = chat.groups[ACCUEIL]
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id in group.members and len(group.members) == 4
        await pilot.press("alt+4")
        await settle(pilot)
        assert listed(console.app) == ["# Accueil", "# Direction"]
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(ACCUEIL)
        await settle(pilot)
        names = [d.name for d in console.app.state.devices.values() if d.user_id in group.members]
        members = str(screen.query_one("#chat-members").render())
        assert members.startswith("Members: Me, ")
        assert all(name in members for name in names), (members, names)
        await pilot.press(*"Bonjour à tous", "enter")
        await settle(pilot)
        assert screen.query_one("#chat-input", Input).value == ""
        kept = chat.conversation(UserId(group.members[1]), ACCUEIL, 10)
        assert [(m.text, m.peer) for m in kept] == [("Bonjour à tous", ACCUEIL)]
        console.clock.advance(ANSWER_DELAY_S[1] + 1)
        await settle(pilot)
        kept = chat.conversation(me.user_id, ACCUEIL, 10)
        assert len(kept) == 2 and kept[1].sender != me.user_id, "seed 0: a member answers"
        assert kept[1].text in screen_text(console.app)
        await pilot.press("alt+1")
        chat.send(kept[1].sender, ACCUEIL, "Qui prend la ligne 2 ?")
        await settle(pilot)
        assert console.app.state.chat_unread == {ACCUEIL: 1}
        await pilot.press("alt+4")
        await settle(pilot)
        assert console.app.state.chat_unread == {}


async def test_a_chat_without_groups_says_so() -> None:
    assert SipChat.features == frozenset()  # SIP MESSAGE goes to one peer
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert console.backend.chat is not None
        console.backend.chat.features = frozenset()  # type: ignore[misc]
        await pilot.press("alt+4")
        await settle(pilot)
        assert listed(console.app) == []
        note = console.app.screen.query_one("#chat-groups-note")
        assert note.display and str(note.render()) == "No chat groups with this connection."


async def test_cti_group_from_the_server(cti_server: ServerThread) -> None:
    with http_client(cti_server.url) as http:
        made = http.post(
            "/v1/chat/groups",
            json={"name": "Standard [b]", "members": ["u100"]},
            headers=login(http, "bob"),
        )
        assert made.status_code == 201, made.text
        gid = UserId(made.json()["id"])
    app = cti_console(cti_server)
    bob = make_backend(cti_server.url, username="bob")
    await bob.connect()
    try:
        assert bob.chat is not None and ChatFeature.GROUPS in bob.chat.features
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.state.me is not None, "alice signed in")
            await pilot.press("alt+4")
            await until(pilot, lambda: "# Standard [b]" in listed(app), "the group listed")
            screen = app.screen
            assert isinstance(screen, ChatScreen)
            screen.open_conversation(gid)
            await settle(pilot)
            assert str(screen.query_one("#chat-members").render()) == "Members: bob, Me"
            await pilot.press(*"Salut le groupe", "enter")
            field = screen.query_one("#chat-input", Input)
            await until(pilot, lambda: field.value == "", "sent")
            kept = await bob.chat.conversation(gid)
            assert [(m.text, m.sender) for m in kept] == [("Salut le groupe", "u100")]
            await bob.chat.send(gid, "Reçu")
            await until(pilot, lambda: "Reçu" in screen_text(app), "bob's answer in the group")
            await asyncio.sleep(0)
    finally:
        await bob.close()
