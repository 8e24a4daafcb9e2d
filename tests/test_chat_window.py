"""A long conversation (issue 15, bench/chat.py): the thread draws its newest FIRST_SHOWN
messages, with a line saying earlier ones are above; scrolled to the top, WINDOW_STEP more are
drawn, up to every message kept; a message found by the search is drawn whatever its age."""

from __future__ import annotations

import io
from datetime import timedelta

from helpers import build_console, settle
from rich.console import Console

from tws_tui.console.screens.chat import FIRST_SHOWN, SHOWN, WINDOW_STEP, ChatScreen
from tws_tui.console.widgets.thread_view import ThreadView
from tws_tui.core.model import ChatMessage, UserId


def thread_text(screen: ChatScreen) -> str:
    """The thread's text as drawn (every line, not only those on screen)."""
    out = Console(width=200, record=True, file=io.StringIO())
    out.print(screen.query_one("#chat-scroll", ThreadView).content)
    return out.export_text()


async def test_the_newest_first_then_more_when_scrolled_to_the_top() -> None:
    console = build_console()
    async with console.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        now = console.clock.now()
        peer = UserId("u104")
        old = [
            ChatMessage(f"x{n}", peer, peer, f"message {n:03}", now - timedelta(minutes=300 - n))
            for n in range(300)
        ]
        console.app.state.remember_chat(old)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        await settle(pilot)
        text = thread_text(screen)
        assert text.startswith("↑ earlier messages: scroll up")
        assert f"message {300 - FIRST_SHOWN:03}" in text
        assert f"message {300 - FIRST_SHOWN - 1:03}" not in text
        scroll = screen.query_one("#chat-scroll")
        assert scroll.scroll_y == scroll.max_scroll_y > 0  # at the newest
        scroll.scroll_home(animate=False)
        await settle(pilot)
        text = thread_text(screen)
        assert f"message {300 - FIRST_SHOWN - WINDOW_STEP:03}" in text
        assert f"message {300 - FIRST_SHOWN - WINDOW_STEP - 1:03}" not in text
        for _ in range(3):
            screen.query_one("#chat-scroll").scroll_home(animate=False)
            await settle(pilot)
        text = thread_text(screen)
        assert f"message {300 - SHOWN:03}" in text and "earlier messages" not in text
        screen.found_id = "x110"  # as the search opens it
        screen._window.clear()
        screen._show_thread()
        await settle(pilot)
        assert "▶ " in thread_text(screen)
