"""Chat mode: conversations with colleagues, when the backend offers chat.

The shell's version (issue 2) says honestly whether the connected backend has chat; the
conversations themselves come with the chat issue.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tws_tui.console.screens.base import ModeScreen
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import clock_time
from tws_tui.platform.i18n import N_, _, labelled


class ChatScreen(ModeScreen):
    MODE = "chat"
    TITLE_MSGID = N_("Chat")
    TOPICS = frozenset({Topic.CHAT})

    def compose_body(self) -> ComposeResult:
        yield Static(id="chat-body", classes="empty-note", markup=False)

    def refresh_from_state(self, topics: Topics) -> None:
        body = self.query_one("#chat-body", Static)
        backend = self.tws.backend
        if backend is None or backend.chat is None:
            body.update(_("Chat is not available with this connection."))
            return
        messages = list(self.tws.state.chat)[-20:]
        if not messages:
            body.update(_("No message yet."))
            return
        body.update(
            "\n".join(
                f"{clock_time(m.at, clock_24h=self.tws.prefs.ui.clock_24h)}  "
                + labelled(m.sender, m.text)
                for m in messages
            ),
        )
