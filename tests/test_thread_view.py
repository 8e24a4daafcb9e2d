"""The chat's thread (``ThreadView``, line API) and what a key in Chat costs the screen
(issue 15, bench/chat.py): moving to another conversation draws its thread without a layout of
the whole screen, and a letter of the message search repaints without one either; the thread
wraps its text to its width, less the scrollbar's when it has one, and again when resized."""

from __future__ import annotations

from datetime import timedelta

from helpers import build_console, count_layouts, painted_widgets, record_paints, settle, until
from rich.text import Text
from textual.app import App, ComposeResult

from tws_tui.console.screens.chat import ChatScreen, PeerList
from tws_tui.console.screens.modals.chat_search import ChatSearchScreen
from tws_tui.console.widgets.thread_view import ThreadView
from tws_tui.core.model import ChatMessage, UserId


async def test_moving_in_the_list_shows_the_conversation_before_the_next_frame() -> None:
    """The thread follows the list's highlight as it moves (PeerList), not a message later:
    one frame per open, not a frame of the list alone and then one of the thread."""
    console = build_console()
    async with console.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        now = console.clock.now()
        first, second = UserId("u104"), UserId("u112")
        console.app.state.remember_chat(
            [
                ChatMessage(f"m{n}", peer, peer, f"message {n}", now - timedelta(minutes=9 - n))
                for n, peer in enumerate((second, first))
            ]
        )
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        listed = screen.query_one(PeerList)
        listed.focus()
        await settle(pilot)
        assert screen.peer == first
        listed.action_cursor_down()  # no message handled between this and the check
        assert screen.peer == second
        assert any("message 0" in line for line in drawn(screen.query_one(ThreadView)))


async def test_another_conversation_is_drawn_without_a_layout() -> None:
    console = build_console()
    async with console.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        now = console.clock.now()
        first, second = UserId("u104"), UserId("u112")
        console.app.state.remember_chat(  # a long conversation, then a short one
            [
                ChatMessage(
                    f"m{n}",
                    second if n in (5, 6) else first,
                    second if n in (5, 6) else first,
                    f"message {n:03} " + "mot " * (n % 30),
                    now - timedelta(minutes=200 - n),
                )
                for n in range(200)
            ]
        )
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.query_one("#chat-peers").focus()
        await settle(pilot)
        thread = screen.query_one("#chat-scroll", ThreadView)
        shown = screen.peer
        layouts = count_layouts(console.app)
        frames = record_paints(console.app)
        assert shown == first and thread.scroll_y == thread.max_scroll_y > 0  # at the newest
        await pilot.press("down")
        await settle(pilot)
        assert screen.peer == second
        assert any("message 006" in line for line in drawn(thread))
        assert thread.max_scroll_y == 0
        await pilot.press("up")  # the long one again
        await settle(pilot)
        assert any("message 199" in line for line in drawn(thread))
        assert thread.scroll_y == thread.max_scroll_y > 0
        assert layouts[0] == 0
        assert "whole screen" not in painted_widgets(console.app, frames)


async def test_a_search_letter_repaints_without_a_layout() -> None:
    console = build_console()
    chat = console.backend.switch_chat
    async with console.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        for n in range(60):
            console.clock.advance(60)
            chat.send(UserId("u104"), me.user_id, f"Colis numéro {n} pour l'accueil")
        await settle(pilot)
        await pilot.press("alt+4", "ctrl+f")
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatSearchScreen)
        await pilot.press(*"coli")
        await until(pilot, lambda: dialog.shown_for == "coli", "results")
        await settle(pilot)
        layouts = count_layouts(console.app)
        await pilot.press("s")
        await until(pilot, lambda: dialog.shown_for == "colis", "results")
        await settle(pilot)
        assert layouts[0] == 0


class OneThread(App[None]):
    def compose(self) -> ComposeResult:
        yield ThreadView(id="thread")


def drawn(view: ThreadView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def test_the_thread_wraps_to_its_width_less_the_scrollbar() -> None:
    app = OneThread()
    async with app.run_test(size=(20, 5)) as pilot:
        view = app.query_one(ThreadView)
        bar = view.styles.scrollbar_size_vertical
        assert bar > 0
        view.update(Text("un deux trois quatre cinq"))  # short: the scrollbar is there too
        await pilot.pause()
        assert view.show_vertical_scrollbar and view.max_scroll_y == 0
        assert drawn(view)[:3] == ["un deux trois", "quatre cinq", ""]
        view.update(Text("\n".join(f"ligne {n} assez longue" for n in range(8))))
        await pilot.pause()
        assert view.line_count == 16  # wrapped at 20 - bar columns: each line in two
        assert view.max_scroll_y == 16 - 5
        assert drawn(view)[:2] == ["ligne 0 assez", "longue"]
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert drawn(view)[-1] == "longue"
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert view.line_count == 8  # one line each again
        assert drawn(view)[0].startswith("ligne")
