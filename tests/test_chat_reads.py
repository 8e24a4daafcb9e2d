"""Read state (issue 15): a conversation on screen is read — its unread count goes and the
backend is told, so the other side sees "✓ seen" on their last message and my other consoles
clear the count too; a group says how many read it. On the simulator a colleague who answers
has read what they answer. On cti with the real server: Alice's console and Bob's backend,
and a second console of Alice's. Without read receipts (sip) nothing is sent or shown."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import build_console, screen_text, settle, until

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.events import ChatReadEvent
from tws_tui.core.model import ChatFeature, UserId
from tws_tui.core.state import ConsoleState
from tws_tui.simulator.chat import ANSWER_DELAY_S

__all__ = ["cti_server"]

SIZE = (100, 30)
BOB = UserId("u180")
ALICE = UserId("u100")
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_read_of_mine_elsewhere_clears_the_count_and_reads_never_go_back() -> None:
    state = ConsoleState()
    state.chat_unread[BOB] = 3
    assert state.apply(ChatReadEvent(at=T0, peer=BOB, reader=BOB, message_id="m2", read_to=T0))
    assert state.chat_reads == {BOB: {BOB: T0}} and state.chat_unread == {BOB: 3}
    earlier = T0.replace(hour=8)
    assert not state.apply(
        ChatReadEvent(at=T0, peer=BOB, reader=BOB, message_id="m1", read_to=earlier)
    )
    assert state.chat_reads[BOB][BOB] == T0


async def test_sim_seen_once_the_colleague_answers_and_my_read_is_told() -> None:
    console = build_console()
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        first, second = [
            UserId(d.user_id or "")
            for d in console.app.state.devices.values()
            if d.user_id and d.user_id != me.user_id
        ][:2]
        written = chat.send(second, me.user_id, "Tu as un moment ?")
        await settle(pilot)
        assert console.app.state.chat_unread == {second: 1}
        await pilot.press("alt+4")
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(second)
        await settle(pilot)
        assert console.app.state.chat_unread == {}
        assert chat.reads(second, me.user_id) == {me.user_id: written}  # told the switch
        screen.open_conversation(first)
        await pilot.press(*"Oui, vas-y", "enter")
        await settle(pilot)
        assert "✓ seen" not in screen_text(console.app)
        console.clock.advance(ANSWER_DELAY_S[1] + 1)  # the first message is always answered
        await settle(pilot)
        assert "Oui, vas-y  ✓ seen" in screen_text(console.app)


async def test_sip_like_chat_sends_no_read_and_shows_no_seen() -> None:
    console = build_console()
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert console.backend.chat is not None
        console.backend.chat.features = frozenset()  # type: ignore[misc]  # as SipChat's
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        peer = next(
            UserId(d.user_id)
            for d in console.app.state.devices.values()
            if d.user_id and d.user_id != me.user_id
        )
        chat.send(peer, me.user_id, "Tu as un moment ?")
        await pilot.press("alt+4")
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        await settle(pilot)
        assert console.app.state.chat_unread == {}  # read here all the same
        assert chat.reads(peer, me.user_id) == {}


async def test_cti_seen_and_read_on_another_console(cti_server: ServerThread) -> None:
    app = cti_console(cti_server)
    bob = make_backend(cti_server.url, username="bob")
    alice_elsewhere = make_backend(cti_server.url, username="alice")
    await bob.connect()
    await alice_elsewhere.connect()
    bob_reads: list[ChatReadEvent] = []

    async def bob_listens() -> None:
        async for event in bob.events():
            if isinstance(event, ChatReadEvent):
                bob_reads.append(event)

    listening = asyncio.create_task(bob_listens())
    try:
        assert bob.chat is not None and ChatFeature.READ_RECEIPTS in bob.chat.features
        assert alice_elsewhere.chat is not None
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.state.me is not None, "alice signed in")
            await pilot.pause(0.5)  # the earlier messages loaded (a message before is read)
            first = await bob.chat.send(ALICE, "Tu peux me rappeler ?")
            await until(pilot, lambda: app.state.chat_unread.get(BOB) == 1, "unread")
            await pilot.press("alt+4")
            screen = app.screen
            assert isinstance(screen, ChatScreen)
            screen.open_conversation(BOB)
            await until(pilot, lambda: bool(bob_reads), "bob told alice read it")
            assert (bob_reads[0].peer, bob_reads[0].reader) == (ALICE, ALICE)
            assert bob_reads[0].message_id == first.id
            await pilot.press(*"Oui, dans 5 minutes", "enter")
            await until(pilot, lambda: "Oui, dans 5 minutes" in screen_text(app), "sent")
            assert "✓ seen" not in screen_text(app)
            mine = [m for m in await bob.chat.conversation(ALICE) if m.sender == ALICE]
            await bob.chat.mark_read(ALICE, mine[-1].id)
            await until(pilot, lambda: "✓ seen" in screen_text(app), "seen on alice's")
            assert await alice_elsewhere.chat.reads(BOB) == {BOB: mine[-1].at}
            await pilot.press("alt+1")
            second = await bob.chat.send(ALICE, "Merci")
            await until(pilot, lambda: app.state.chat_unread.get(BOB) == 1, "unread again")
            await alice_elsewhere.chat.mark_read(BOB, second.id)  # read on her other console
            await until(pilot, lambda: app.state.chat_unread == {}, "cleared here too")
    finally:
        listening.cancel()
        await bob.close()
        await alice_elsewhere.close()
