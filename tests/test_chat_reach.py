"""Reaching people from the console (issue 15) on the simulator: "Message" from a call
(Alt+Shift+W, TWP-2.2.9.1-1) acts on the call I am talking on — a colleague gets the chat, an
outside caller a chooser of an SMS to their mobile or a slip —, never on a call that rings
meanwhile nor through a chooser's Enter; a message received shows a notice naming the sender
with its first words, literally (TWS-6.6-8: not while its conversation is open, not when my
presence hides notices), and Alt+Shift+M opens its conversation; Ctrl+L filters the open
conversation's messages (TWS-4.3.8), Alt+Shift+A shows them all again; Ctrl+S finds a
conversation by part of a name (TWS-4.3.11), Esc lists them all again."""

from __future__ import annotations

from typing import Any

from helpers import (
    ACME,
    DUPONT,
    Console,
    build_console,
    idle_colleagues,
    settle,
    states,
    until,
)
from test_chat_window import thread_text as thread_view_text
from textual.widgets import Input, OptionList, Static

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.choice import ChoiceScreen, TickScreen
from tws_tui.console.screens.modals.slip import SlipScreen
from tws_tui.core.model import ConnectionState, MessageSlip, UserId
from tws_tui.domain.chat_filters import NOTICE_WORDS
from tws_tui.domain.sms import sms_peer
from tws_tui.settings.schema import ContactSettings

SIZE = (110, 32)


def chat_screen(console: Console) -> ChatScreen:
    screen = console.app.screen
    assert isinstance(screen, ChatScreen), screen
    return screen


def thread_text(console: Console) -> str:
    return thread_view_text(chat_screen(console))


async def test_message_from_a_call_acts_on_the_call_i_am_talking_on() -> None:
    console = build_console()
    colleague = idle_colleagues(console)[0]
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        # A colleague on the line, an outside caller ringing: the chat is with the colleague.
        console.backend.switch.make_call(colleague.extension, "100")
        await settle(pilot)
        await pilot.press("enter", "alt+2")
        console.ring(DUPONT)
        await settle(pilot)
        await pilot.press("alt+shift+w")
        await settle(pilot)
        chat = chat_screen(console)
        assert chat.peer == colleague.user_id
        assert chat.query_one("#chat-input", Input).has_focus
        assert states(console) == {
            colleague.name: ConnectionState.CONNECTED,
            DUPONT.name: ConnectionState.ALERTING,
        }
        # DUPONT (a mobile) on the line; ACME rings while the chooser is open: Enter chooses.
        await pilot.press("f8", "f12")
        await settle(pilot)
        assert states(console) == {DUPONT.name: ConnectionState.CONNECTED}
        await pilot.press("alt+shift+w")
        await settle(pilot)
        chooser = console.app.screen
        assert isinstance(chooser, ChoiceScreen)
        assert [label for _key, label in chooser.options] == [
            "SMS to the caller (06 12 34 56 78)",
            "Take a message for a colleague",
        ]
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert chat_screen(console).peer == sms_peer(DUPONT.number or "")
        assert states(console) == {
            DUPONT.name: ConnectionState.CONNECTED,
            ACME.name: ConnectionState.ALERTING,
        }
        # The slip, from the chooser, is about DUPONT, not the caller ringing.
        await pilot.press("alt+shift+w", "down", "enter")
        await settle(pilot)
        slip = console.app.screen
        assert isinstance(slip, SlipScreen)
        assert slip.query_one("#slip-caller", Input).value == DUPONT.name
        assert states(console)[ACME.name] is ConnectionState.ALERTING


def message_notices(console: Console) -> list[tuple[str, str, bool]]:
    """From now on, every message notice shown: (title, text, markup)."""
    told: list[tuple[str, str, bool]] = []
    original = console.app.notify

    def notify(message: str, **kwargs: Any) -> None:
        title = kwargs.get("title", "")
        if title.startswith("Message from"):
            told.append((title, message, kwargs.get("markup", True)))
        original(message, **kwargs)

    console.app.notify = notify  # type: ignore[method-assign]
    return told


async def test_a_message_received_is_noticed_unless_open_or_hidden_by_my_presence() -> None:
    console = build_console(contacts=ContactSettings(show_notices_when=("available",)))
    first, second = idle_colleagues(console)[:2]
    chat = console.backend.switch_chat
    told = message_notices(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and first.user_id is not None and second.user_id is not None
        text = "[b]Rappelle[/b] \x1b]0;pwned\x07 le client Durand avant midi, c'est urgent " * 3
        chat.send(first.user_id, me.user_id, text)
        await until(pilot, lambda: told, "the notice")
        title, shown, markup = told[0]
        assert title == f"Message from {first.name}" and not markup
        words, key_line = shown.split("\n")
        assert words.startswith("[b]Rappelle[/b] \\x1b]0;pwned\\x07 le client")
        assert words.endswith("…") and len(words) <= NOTICE_WORDS + 6  # 2 escapes: +6
        assert key_line == "Alt+Shift+M: open the conversation"
        shown_now = [n.message for n in console.app._notifications]
        assert shown in shown_now  # on screen as it was told
        await pilot.press("alt+shift+m")
        await settle(pilot)
        assert chat_screen(console).peer == first.user_id
        chat.send(first.user_id, me.user_id, "Merci")  # its conversation is open: no notice
        await until(pilot, lambda: "Merci" in thread_text(console), "the message shown")
        chat.send(second.user_id, me.user_id, "Le coursier est là")  # another one: noticed
        await until(pilot, lambda: len(told) == 2, "the second notice")
        assert told[1][:2] == (
            f"Message from {second.name}",
            "Le coursier est là\nAlt+Shift+M: open the conversation",
        )
        console.app.prefs.change("contacts", show_notices_when=("busy",))
        chat.send(second.user_id, me.user_id, "Tu es là ?")
        peer = UserId(second.user_id)
        await until(pilot, lambda: console.app.state.chat_unread.get(peer) == 2, "the third one")
        await settle(pilot)
        assert len(told) == 2  # held back while I am available


async def test_the_thread_filtered_and_the_conversations_found_by_name() -> None:
    console = build_console()
    first, second = idle_colleagues(console)[:2]
    assert first.user_id is not None and second.user_id is not None and first.name
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        chat.send(second.user_id, me.user_id, "Le coursier est là")
        chat.send(first.user_id, me.user_id, "Bonjour")
        chat.send(me.user_id, first.user_id, "Salut")
        slip = MessageSlip(caller_name="Jeanne Dupont", number="+33612345678")
        chat.send(first.user_id, me.user_id, "Rappeler", slip=slip)
        console.backend.switch_files.send(first.user_id, me.user_id, "devis.pdf", b"%PDF")
        await pilot.press("alt+4")
        await settle(pilot)
        screen = chat_screen(console)
        screen.open_conversation(UserId(first.user_id))
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(console.app.screen, TickScreen)
        await pilot.press("home", "down", "space", "down", "space", "enter")  # theirs, a file
        await settle(pilot)
        shown = thread_text(console)
        assert "devis.pdf" in shown
        assert "Bonjour" not in shown and "Salut" not in shown and "Rappeler" not in shown
        bar = str(screen.query_one("#chat-filter-bar", Static).render())
        assert "Showing only: their messages, with a file  (1 of 4 messages;" in bar
        await pilot.press("alt+shift+a")
        await settle(pilot)
        assert "Bonjour" in thread_text(console) and "Salut" in thread_text(console)
        assert not screen.query_one("#chat-filter-bar").display
        # Ctrl+S: the list narrowed to part of a name, case and accents aside.
        await pilot.press("ctrl+s")
        await settle(pilot)
        names = screen.query_one("#chat-names", Input)
        assert names.has_focus
        listed = screen.query_one("#chat-peers", OptionList)
        every = listed.option_count
        assert every >= 2
        await pilot.press(*second.name.split()[-1][:3].upper())
        await settle(pilot)
        assert [listed.get_option_at_index(i).id for i in range(listed.option_count)] == [
            second.user_id
        ]
        await pilot.press("7")
        await settle(pilot)
        assert "No conversation matches this name." in str(listed.get_option_at_index(0).prompt)
        await pilot.press("backspace", "enter")
        await settle(pilot)
        assert screen.peer == second.user_id
        assert screen.query_one("#chat-input", Input).has_focus
        assert listed.option_count == 1  # still narrowed until Esc in the name field
        names.focus()
        await pilot.press("escape")
        await settle(pilot)
        assert listed.option_count == every and not names.display


def test_filters_combine_by_who_and_what_and_a_notice_is_no_ones() -> None:
    from datetime import UTC, datetime

    from tws_tui.core.model import ChatAttachment, ChatMessage, GroupNotice, GroupNoticeKind
    from tws_tui.domain.chat_filters import ThreadFilter, first_words, keeps

    at = datetime(2026, 12, 7, tzinfo=UTC)
    me, peer = UserId("me"), UserId("bob")
    file = ChatAttachment("f1", "devis.pdf", 4)
    mine = ChatMessage("1", peer, me, "Salut", at)
    theirs = ChatMessage("2", peer, peer, "devis.pdf", at, attachment=file)
    slip = ChatMessage("3", peer, peer, "", at, slip=MessageSlip(caller_name="ACME"))
    notice = ChatMessage("4", peer, peer, "", at, notice=GroupNotice(GroupNoticeKind.JOINED, "al"))
    every = [mine, theirs, slip, notice]

    def kept(*filters: ThreadFilter) -> list[str]:
        return [m.id for m in every if keeps(m, me, filters)]

    assert kept() == ["1", "2", "3", "4"]
    assert kept(ThreadFilter.MINE, ThreadFilter.THEIRS) == ["1", "2", "3"]
    assert kept(ThreadFilter.THEIRS, ThreadFilter.FILES) == ["2"]
    assert kept(ThreadFilter.FILES, ThreadFilter.SLIPS) == ["2", "3"]
    assert kept(ThreadFilter.MINE, ThreadFilter.SLIPS) == []
    assert first_words("Bonjour\n\x1b[31m  à tous") == "Bonjour \\x1b[31m à tous"
    assert first_words("mot " * 30) == ("mot " * 15).strip() + "…"
