"""Chat (Alt+4) on the simulator: write to a colleague from Contacts (Alt+W), Enter sends,
colleagues answer, unread counts on the conversation and the mode title, received text shown
literally (Rich markup, ANSI, control characters), a long paste kept whole and refused in
words until trimmed, and a message that fails keeps its text in the input with the reason."""

from __future__ import annotations

from typing import Any

from helpers import Console, build_console, screen_text, settle
from textual import events
from textual.widgets import Input, OptionList

from tws_tui.console.screens.chat import MAX_CHARS, ChatScreen
from tws_tui.core.model import UserId
from tws_tui.simulator.chat import ANSWER_DELAY_S

SIZE = (100, 30)


def notes(console: Console) -> list[str]:
    return [n.message for n in console.app._notifications]


def colleague(console: Console) -> tuple[UserId, str]:
    """The first colleague of the company: user id and name."""
    switch = console.backend.switch
    ep = next(
        e
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    )
    assert ep.user_id is not None and ep.name is not None
    return ep.user_id, ep.name


def chat_input(console: Console) -> Input:
    return console.app.screen.query_one("#chat-input", Input)


async def open_chat_with(console: Console, pilot: Any, peer: UserId) -> ChatScreen:
    await settle(pilot)
    await pilot.press("alt+4")
    await settle(pilot)
    screen = console.app.screen
    assert isinstance(screen, ChatScreen)
    screen.open_conversation(peer)
    await settle(pilot)
    return screen


async def test_message_from_contacts_is_sent_and_the_colleague_answers() -> None:
    console = build_console()
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        device = next(d for d in console.app.state.devices.values() if d.user_id == peer)
        contacts = console.app.screen
        contacts.query_one("#contact-list").focus()  # type: ignore[union-attr]
        listed = contacts.query_one("#contact-list")
        assert listed.select_key(f"dev:{device.device_id}")  # type: ignore[attr-defined]
        await pilot.press("alt+w")
        await settle(pilot)
        assert isinstance(console.app.screen, ChatScreen)
        assert chat_input(console).has_focus
        await pilot.press(*"Bonjour")
        await pilot.press("enter")
        await settle(pilot)
        assert chat_input(console).value == ""
        sent = console.backend.switch_chat.conversation(console.app.state.me.user_id, peer, 10)  # type: ignore[union-attr]
        assert [m.text for m in sent] == ["Bonjour"]
        console.clock.advance(ANSWER_DELAY_S[1] + 1)
        await settle(pilot)
        text = screen_text(console.app)
        assert "Bonjour" in text and name in text
        answers = console.backend.switch_chat.conversation(peer, console.app.state.me.user_id, 10)  # type: ignore[union-attr]
        assert len(answers) == 2, "seed 0: the colleague answers"
        assert answers[1].text in text


async def test_received_messages_count_as_unread_until_read() -> None:
    console = build_console()
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        console.backend.switch_chat.send(peer, me.user_id, "Tu es là ?")
        console.backend.switch_chat.send(peer, me.user_id, "Appelle-moi")
        await settle(pilot)
        assert console.app.state.chat_unread == {peer: 2}
        assert "4 Chat (2)" in screen_text(console.app)  # on Contacts, the mode title
        await pilot.press("alt+4")
        await settle(pilot)
        peers = console.app.screen.query_one("#chat-peers", OptionList)
        assert peers.option_count == 3  # the conversation, then the two quiet groups
        assert console.app.state.chat_unread == {}  # shown: read
        text = screen_text(console.app)
        assert "Chat (" not in text
        assert "Tu es là ?" in text and "Appelle-moi" in text and name in text


async def test_markup_and_escape_sequences_are_shown_as_text() -> None:
    console = build_console()
    peer, _name = colleague(console)
    writes: list[str] = []
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.app.write_to_terminal = writes.append  # type: ignore[method-assign]
        me = console.app.state.me
        assert me is not None
        console.backend.switch_chat.send(
            peer, me.user_id, "[b]gras[/b] \x1b[31mrouge\x1b]0;titre\x07 \u202eabc\x00"
        )
        await pilot.press("alt+4")
        await settle(pilot)
        text = screen_text(console.app)
        assert "[b]gras[/b]" in text
        assert "\\x1b[31mrouge\\x1b]0;titre\\x07" in text
        assert "\\u202eabc\\x00" in text
        assert "\x1b" not in text and "\u202e" not in text
        assert writes == []


async def test_a_long_paste_is_kept_whole_refused_in_words_and_sent_once_trimmed() -> None:
    console = build_console()
    peer, _name = colleague(console)
    page = "\n".join(f"Ligne {n:03} " + "x" * 40 for n in range(100))  # 5 KB, 100 lines
    assert len(page) > 5000
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await open_chat_with(console, pilot, peer)
        field = chat_input(console)
        assert field.has_focus
        for pasted in (page, "y" * 10_000):
            field.value = ""
            field.post_message(events.Paste(pasted))
            await settle(pilot)
            assert field.value == pasted  # every character and every line kept
            await pilot.press("enter")
            await settle(pilot)
            assert field.value == pasted  # refused, still there to be trimmed
            said = f"at most {MAX_CHARS} characters ({len(pasted)} typed)"
            assert any(said in n for n in notes(console)), notes(console)
        me = console.app.state.me
        assert me is not None
        assert console.backend.switch_chat.conversation(me.user_id, peer, 10) == []  # type: ignore[union-attr]
        field.value = page[:MAX_CHARS]  # trimmed to the limit: it goes
        await pilot.press("enter")
        await settle(pilot)
        assert field.value == ""
        sent = console.backend.switch_chat.conversation(me.user_id, peer, 10)  # type: ignore[union-attr]
        assert [m.text for m in sent] == [page[:MAX_CHARS]]


async def test_a_message_that_fails_stays_in_the_input_with_the_reason() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await open_chat_with(console, pilot, UserId("u999"))
        await pilot.press(*"Rappelle M. Durand")
        await pilot.press("enter")
        await settle(pilot, 8)
        assert chat_input(console).value == "Rappelle M. Durand"
        assert any("u999" in n for n in notes(console)), notes(console)


async def test_messages_are_kept_across_restarts_in_the_local_journal() -> None:
    first = build_console()
    peer, name = colleague(first)
    async with first.app.run_test(size=SIZE) as pilot:
        await open_chat_with(first, pilot, peer)
        await pilot.press(*"Avant la pause")
        await pilot.press("enter")
        await settle(pilot)
        first.clock.advance(ANSWER_DELAY_S[1] + 1)
        await settle(pilot)
        answer = [m.text for m in first.app.state.chat if m.sender == peer]
        assert len(answer) == 1
    second = build_console()
    async with second.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert second.app.state.chat_unread == {}  # read in the first session
        await pilot.press("alt+4")
        await settle(pilot)
        text = screen_text(second.app)
        assert "Avant la pause" in text and answer[0] in text and name in text


async def test_typing_in_a_conversation_goes_to_the_message_not_the_dial_bar() -> None:
    console = build_console()
    peer, _name = colleague(console)
    async with console.app.run_test(size=SIZE) as pilot:
        screen = await open_chat_with(console, pilot, peer)
        screen.query_one("#chat-peers", OptionList).focus()
        await pilot.press(*"Merci 2")
        await settle(pilot)
        assert chat_input(console).value == "Merci 2"
        assert screen.dial.input.value == ""
