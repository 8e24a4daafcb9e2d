"""The chat's compose field and list on the simulator (issue 15, TWS §4.1.2, §4.1.3,
§4.3.3): a new-line key (Ctrl+J, Alt+Enter, Shift+Enter; Enter still sends) makes a message
of several lines, shown as lines in the thread and still literal; Ctrl+N opens a conversation
by part of a colleague's or a group's name (no match said, Esc cancels); the thread says the
day where it changes, and each conversation of the list shows the colleague's presence in
words, its last message and when."""

from __future__ import annotations

from helpers import build_console, screen_text, settle
from test_chat import SIZE, chat_input, colleague, open_chat_with
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.chat_new import NewConversationScreen
from tws_tui.domain.chat_compose import conversations_matching
from tws_tui.domain.custom_presence import presence_text


def line_of(lines: list[str], text: str, after: int = -1) -> int:
    """The index of the first screen line holding ``text`` (below line ``after``)."""
    return next(i for i, line in enumerate(lines) if text in line and i > after)


async def test_a_new_line_key_makes_a_message_of_several_lines() -> None:
    console = build_console()
    peer, name = colleague(console)
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await open_chat_with(console, pilot, peer)
        me = console.app.state.me
        assert me is not None
        await pilot.press(*"Bonjour")
        await pilot.press("ctrl+j")
        await pilot.press(*"[b]deux")
        await pilot.press("alt+enter")
        await pilot.press(*"trois")
        await pilot.press("shift+enter")
        field = chat_input(console)
        assert field.value == "Bonjour\n[b]deux\ntrois\n"
        await pilot.press("backspace")
        await settle(pilot)
        assert "Bonjour↵[b]deux↵trois" in screen_text(console.app)  # the field stays one line
        await pilot.press("enter")  # Enter sends
        await settle(pilot)
        assert field.value == ""
        sent = chat.conversation(me.user_id, peer, 10)
        assert [m.text for m in sent] == ["Bonjour\n[b]deux\ntrois"]
        chat.send(peer, me.user_id, "ligne 1\n\x1b[31mrouge\x1b]0;titre\x07")
        await settle(pilot)
        lines = screen_text(console.app).splitlines()
        first = line_of(lines, f"{name}: ligne 1")
        assert "\\x1b[31mrouge\\x1b]0;titre\\x07" in lines[first + 1]  # literal, on its line
        mine = line_of(lines, "Bonjour")
        assert "[b]deux" in lines[mine + 1] and "trois" in lines[mine + 2]


async def test_ctrl_n_opens_a_conversation_by_part_of_a_name() -> None:
    console = build_console()
    _peer, name = colleague(console)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(console.app.screen, NewConversationScreen)
        await pilot.press(*"zzqx", "enter")
        await settle(pilot)
        assert isinstance(console.app.screen, NewConversationScreen)  # it stays, says why
        assert "Nobody matches “zzqx”." in screen_text(console.app)
        await pilot.press("escape")  # cancelled: nothing opened
        await settle(pilot)
        assert console.app.screen is screen and screen.peer is None
        state = console.app.state
        assert state.me is not None
        typed = name.split()[-1][:4]
        expected = conversations_matching(state.devices.values(), {}, typed, me=state.me.user_id)[0]
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*typed)
        await settle(pilot)
        assert expected[1] in screen_text(console.app)  # the first match, said as typed
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is screen and screen.peer == expected[0]
        assert chat_input(console).has_focus
        group_id, group = next(iter(state.chat_groups.items()))
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*group.name[:3].lower(), "enter")  # a group, before its department
        await settle(pilot)
        assert screen.peer == group_id and chat_input(console).has_focus


async def test_the_thread_says_the_day_and_the_list_shows_presence_and_last_message() -> None:
    console = build_console()
    peer, name = colleague(console)
    chat = console.backend.switch_chat
    console.clock.advance(15 * 3600 - 60)  # 23:59 on the 22nd (the tests' clock is UTC)
    async with console.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        state = console.app.state
        assert state.me is not None
        chat.send(peer, state.me.user_id, "Bonne soirée")
        console.clock.advance(120)  # 00:01 on the 23rd
        chat.send(peer, state.me.user_id, "Bonjour\nça va ?")
        await pilot.press("alt+4")
        await settle(pilot)
        lines = screen_text(console.app).splitlines()
        order = [
            line_of(lines, "── Yesterday ──"),
            line_of(lines, f"23:59 {name}: Bonne soirée"),
            line_of(lines, "── Today ──"),
            line_of(lines, f"00:01 {name}: Bonjour"),
        ]
        assert order == sorted(order) and len(set(order)) == 4, order
        assert "ça va ?" in lines[order[-1] + 1]  # the message's second line
        device = next(d for d in state.devices.values() if d.user_id == peer)
        assert device.presence is not None
        row = line_of(lines, name)  # the list's row: the name, then presence and last message
        presence = presence_text(device.presence, device.presence_label)
        assert f"{presence}  00:01 Bonjour ↵" in lines[row + 1]
        assert console.app.screen.query_one("#chat-input", Input).value == ""
