"""Messages typed while the link is down (issue 15): never silently lost. The message shows
"⏳ waiting for the link" and is kept in the journal's outbox; it goes when the link is back
(and only then); one the phone system refuses is marked "✗ not sent" with the reason, said in a
notice, and Ctrl+T sends it again; a console restart keeps what waits and sends it once
connected. On cti the real server is killed and started again on the same port."""

from __future__ import annotations

from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login
from helpers import build_console, screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.events import LinkEvent, LinkStatus
from tws_tui.core.model import UserId
from tws_tui.journal.chat_outbox import pending_messages

__all__ = ["cti_server"]

SIZE = (110, 30)


def set_link(console: Any, status: LinkStatus) -> None:
    """The link changes as the event pump sees it: the state, then the observers."""
    app = console.app
    event = LinkEvent(at=console.clock.now(), status=status)
    app.topics_changed(app.state.apply(event))
    app.chat_outbox.observe(event)


def a_colleague(console: Any) -> UserId:
    me = console.app.state.me
    return next(
        UserId(d.user_id)
        for d in console.app.state.devices.values()
        if d.user_id and d.user_id != me.user_id
    )


async def open_chat(console: Any, pilot: Any, peer: UserId) -> ChatScreen:
    await pilot.press("alt+4")
    await settle(pilot)
    screen = console.app.screen
    assert isinstance(screen, ChatScreen)
    screen.open_conversation(peer)
    await settle(pilot)
    return screen


async def test_sim_waits_while_down_and_goes_when_back() -> None:
    console = build_console()
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        peer = a_colleague(console)
        screen = await open_chat(console, pilot, peer)
        set_link(console, LinkStatus.RECONNECTING)
        await pilot.press(*"Pendant la coupure", "enter")
        await settle(pilot)
        assert screen.query_one("#chat-input", Input).value == ""  # taken, not lost
        assert "Pendant la coupure  ⏳ waiting for the link" in screen_text(console.app)
        assert chat.conversation(me.user_id, peer, 10) == []  # not sent
        journal = console.app.local_journal.journal
        kept = pending_messages(journal, console.app.local_journal.search_account())
        assert [m.text for m in kept] == ["Pendant la coupure"]
        set_link(console, LinkStatus.ONLINE)
        await settle(pilot, 8)
        assert [m.text for m in chat.conversation(me.user_id, peer, 10)] == ["Pendant la coupure"]
        text = screen_text(console.app)
        assert "Pendant la coupure" in text and "waiting" not in text
        assert pending_messages(journal, console.app.local_journal.search_account()) == []


async def test_sim_refused_when_back_is_shown_and_sent_again_with_ctrl_t() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        nobody = UserId("u999")
        await open_chat(console, pilot, nobody)
        set_link(console, LinkStatus.RECONNECTING)
        await pilot.press(*"Pour personne", "enter")
        await settle(pilot)
        set_link(console, LinkStatus.ONLINE)
        await settle(pilot, 8)
        text = screen_text(console.app)
        assert "✗ not sent" in text and "u999" in text and "(Ctrl+T)" in text, text
        notes = [n.message for n in console.app._notifications]
        assert any(n.startswith("A message waiting to go was refused") for n in notes)
        assert console.app.screen.check_action("retry", ()) is True
        await pilot.press("ctrl+t")
        await settle(pilot, 8)
        notes = [n.message for n in console.app._notifications]
        assert "Sending again." in notes
        assert sum(n.startswith("A message waiting") for n in notes) == 2  # refused again
        assert "Pour personne" in screen_text(console.app)  # still there, never lost


async def test_what_waits_survives_a_restart_and_goes_once_connected() -> None:
    first = build_console()
    async with first.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        peer = a_colleague(first)
        await open_chat(first, pilot, peer)
        set_link(first, LinkStatus.RECONNECTING)
        await pilot.press(*"Avant de quitter", "enter")
        await settle(pilot)
    second = build_console()
    async with second.app.run_test(size=SIZE) as pilot:
        await settle(pilot, 8)
        me = second.app.state.me
        kept = second.backend.switch_chat.conversation(me.user_id, peer, 10)
        assert [m.text for m in kept] == ["Avant de quitter"]
        assert second.app.chat_outbox.waiting_for(peer) == []


async def test_cti_server_stopped_then_started_again(cti_server: ServerThread) -> None:
    app = cti_console(cti_server)
    bob = UserId("u180")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.state.me is not None, "alice signed in")
        await pilot.press("alt+4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(bob)
        await settle(pilot)
        cti_server.kill()
        await until(pilot, lambda: app.state.link is not LinkStatus.ONLINE, "link down", 10)
        await pilot.press(*"Serveur coupé", "enter")
        await until(pilot, lambda: "⏳ waiting for the link" in screen_text(app), "waiting")
        assert screen.query_one("#chat-input", Input).value == ""
        cti_server.start()  # same port
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "link back", 15)
        await until(pilot, lambda: "waiting" not in screen_text(app), "sent", 10)
        with http_client(cti_server.url) as http:
            kept = http.get("/v1/chat/conversations/u100", headers=login(http, "bob"))
        assert [m["text"] for m in kept.json()["items"]] == ["Serveur coupé"]
        # the thread shows it once the server's event for it is back (on a slower store the
        # event may come a moment after the outbox let it go)
        await until(pilot, lambda: "Serveur coupé" in screen_text(app), "shown", 10)
