"""The Chat screen's thread widened (issue 15, TWS-4.1.3-1): Alt+Shift+X hides the
conversation list, the thread takes the width and a line names the conversation open; again,
the list is back (sim, 80×24)."""

from __future__ import annotations

from helpers import build_console, settle
from textual.widgets import Static

from tws_tui.console.screens.chat import ChatScreen


async def test_alt_shift_x_widens_the_thread_and_names_the_conversation() -> None:
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        device = next(
            d
            for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        )
        assert device.user_id is not None
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(device.user_id)
        await settle(pilot)
        side = chat.query_one("#chat-side")
        thread = chat.query_one("#chat-scroll")
        title = chat.query_one("#chat-wide-title", Static)
        narrow = thread.size.width
        assert side.display and not title.display
        await pilot.press("alt+shift+x")
        await settle(pilot)
        assert not side.display and thread.size.width > narrow + 20
        assert title.display and f"{device.name}  (Alt+Shift+X" in str(title.render())
        console.app.save_screenshot("/tmp/c15_wide.svg")
        await pilot.press("alt+shift+x")
        await settle(pilot)
        assert side.display and not title.display and thread.size.width == narrow
