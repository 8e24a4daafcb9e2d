"""The Chat screen's search (TWS-4.3.9, issue 15): Ctrl+F (``chat.search``) opens
``modals.chat_search``; the message chosen opens its conversation there — the messages around
it read from the local journal, the thread scrolled to it and the message marked. A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.

The search runs over the local journal (``journal.chat_search``), which keeps every message
this console saw: the history itself with sim and sip, a copy for searching with cti (the
server's messages of earlier sessions are copied at each connection).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType

from tws_tui.console.screens.modals.chat_search import ChatSearchScreen
from tws_tui.console.widgets.thread_view import ThreadView
from tws_tui.core.model import ChatMessage, UserId

if TYPE_CHECKING:
    from rich.text import Text

    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None
        _earlier: dict[UserId, list[ChatMessage]]
        _memo: tuple[UserId, list[ChatMessage]] | None

        def _who(self, user: UserId) -> str: ...
        def _messages(self) -> list[ChatMessage]: ...
        def _lines(self, messages: list[ChatMessage]) -> Text | RenderableType: ...
        def open_conversation(self, peer: UserId) -> None: ...
else:
    _ChatScreen = object


class ChatFind(_ChatScreen):
    """Ctrl+F, and the message found marked in its thread (``found_id``)."""

    found_id: str | None = None

    def action_search(self) -> None:
        """Ctrl+F (``chat.search``): search in my messages; Enter opens one."""

        def chosen(message: ChatMessage | None) -> None:
            if message is not None:
                self.run_worker(self._open_at(message), group="chat-found", exclusive=True)

        self.app.push_screen(ChatSearchScreen(self._who), chosen)

    async def _open_at(self, message: ChatMessage) -> None:
        around = await self.tws.local_journal.chat_around(message)
        peer = message.peer
        by_id = {m.id: m for m in self._earlier.get(peer, ())}
        by_id.update((m.id, m) for m in around)
        self._earlier[peer] = sorted(by_id.values(), key=lambda m: m.at)
        self._memo = None
        self.found_id = message.id
        self.open_conversation(peer)

    def scroll_to_found(self, messages: list[ChatMessage]) -> bool:
        """Scroll the thread to the message found, if it is shown (True)."""
        index = next((i for i, m in enumerate(messages) if m.id == self.found_id), None)
        if index is None:
            return False
        scroll = self.query_one("#chat-scroll", ThreadView)
        width = scroll.wrap_width()
        console = self.app.console
        before = self._lines(messages[:index]) if index else None
        lines = (
            len(console.render_lines(before, console.options.update_width(width), pad=False))
            if before is not None
            else 0
        )
        if scroll.size.height:  # the thread's height is known at once (no layout)
            scroll.scroll_to(y=max(0, lines - 1), animate=False, immediate=True)
        else:
            self.call_after_refresh(scroll.scroll_to, y=max(0, lines - 1), animate=False)
        return True
