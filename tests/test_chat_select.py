"""A message selected in the Chat screen's thread (issue 15, TWS-4.3.6/4.3.7) on the simulator:
Alt+↑ selects the newest, ↑/↓ move (marked "»", not only a colour), E edits my own selected
message — not the last one — and refuses a colleague's in words, R replies quoting the one
selected, Del deletes my own, C copies, Esc and ↓ past the newest go back to the input, and ↑
in the empty input still edits my last. Alt+↓ opens the next conversation with unread
messages, wrapping round, and says when there is none. (What the keys then ask of the chat —
edit, delete, reply by message id — is the same on every backend: test_chat_edits runs it on
cti through the real server.)"""

from __future__ import annotations

from typing import Any

from helpers import build_console, screen_text, settle
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.chat_select import SELECTED_MARK, MessageThread
from tws_tui.core.model import UserId

SIZE = (100, 30)


def colleagues(console: Any) -> list[UserId]:
    switch = console.backend.switch
    eps = sorted(
        (
            e
            for e in switch.endpoints.values()
            if e.internal and e.user_id and e is not switch.operator
        ),
        key=lambda e: e.extension,
    )
    return [UserId(e.user_id) for e in eps]


def selected_line(app: Any) -> str:
    return next(line for line in screen_text(app).splitlines() if SELECTED_MARK in line)


def notes(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def test_select_a_message_and_act_on_it() -> None:
    console = build_console()
    peer, other, third = colleagues(console)[:3]
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        for sender, text in [
            (peer, "Premier message"),
            (me.user_id, "Mon premier"),
            (peer, "Deuxième message"),
            (me.user_id, "Mon dernier"),
        ]:
            chat.send(sender, peer if sender == me.user_id else me.user_id, text)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        await settle(pilot)
        field = screen.query_one("#chat-input", Input)
        thread = screen.query_one("#chat-scroll", MessageThread)
        assert SELECTED_MARK not in screen_text(console.app)

        await pilot.press("alt+up")  # the newest selected, the focus in the thread
        await settle(pilot)
        assert thread.has_focus and "Mon dernier" in selected_line(console.app)
        await pilot.press("up")
        await settle(pilot)
        assert "Deuxième message" in selected_line(console.app)
        await pilot.press("e")  # a colleague's: refused in words, nothing changes
        await settle(pilot)
        assert "Only your own messages can be changed." in notes(console.app)
        assert field.value == "" and thread.has_focus
        await pilot.press("c")
        await settle(pilot)
        assert console.app.clipboard == "Deuxième message"

        await pilot.press("up", "e")  # my first message, not my last, back in the input
        await settle(pilot)
        assert field.has_focus and field.value == "Mon premier"
        assert SELECTED_MARK not in screen_text(console.app)
        await pilot.press(*" corrigé", "enter")
        await settle(pilot)
        kept = chat.conversation(me.user_id, peer, 10)
        assert [(m.text, m.edited) for m in kept] == [
            ("Premier message", False),
            ("Mon premier corrigé", True),
            ("Deuxième message", False),
            ("Mon dernier", False),
        ]

        await pilot.press("shift+tab")  # Shift+Tab too: the newest selected
        await settle(pilot)
        assert thread.has_focus and "Mon dernier" in selected_line(console.app)
        await pilot.press("up", "up", "up", "up")  # stops at the first
        await settle(pilot)
        assert "Premier message" in selected_line(console.app)
        await pilot.press("r")  # reply quoting it
        await settle(pilot)
        note = screen.query_one("#chat-compose-note")
        assert field.has_focus and note.display and "Premier message" in str(note.render())
        await pilot.press(*"Bien reçu", "enter")
        await settle(pilot)
        kept = chat.conversation(me.user_id, peer, 10)
        assert (kept[-1].text, kept[-1].reply_to) == ("Bien reçu", kept[0].id)

        await pilot.press("alt+up", "up", "delete")  # my "Mon dernier", taken back
        await settle(pilot)
        kept = chat.conversation(me.user_id, peer, 10)
        assert [m.deleted for m in kept] == [False, False, False, True, False]
        await pilot.press("up", "delete")  # a colleague's: refused
        await settle(pilot)
        assert "Only your own messages can be deleted." in notes(console.app)
        assert not any(m.deleted for m in chat.conversation(me.user_id, peer, 10)[:3])
        await pilot.press("escape")
        await settle(pilot)
        assert field.has_focus and SELECTED_MARK not in screen_text(console.app)
        await pilot.press("alt+up", "down")  # ↓ past the newest: back to writing
        await settle(pilot)
        assert field.has_focus and SELECTED_MARK not in screen_text(console.app)
        await pilot.press("up")  # ↑ in the empty input still edits my last message
        await settle(pilot)
        assert field.value == "Bien reçu"
        await pilot.press("escape")

        # Next unread: two colleagues wrote; Alt+↓ opens one, then the other, then says so.
        chat.send(other, me.user_id, "Tu es là ?")
        chat.send(third, me.user_id, "Réunion à 15 h")
        await settle(pilot)
        assert set(console.app.state.chat_unread) == {other, third}
        await pilot.press("alt+down")
        await settle(pilot)
        first = screen.peer
        assert first in (other, third) and field.has_focus
        await pilot.press("alt+down")
        await settle(pilot)
        assert {first, screen.peer} == {other, third}
        assert console.app.state.chat_unread == {}
        await pilot.press("alt+down")
        await settle(pilot)
        assert "No unread message." in notes(console.app)
