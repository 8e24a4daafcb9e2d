"""My messages not sent yet on the Chat screen (issue 15): typed while the link was down, they
show under the conversation marked "⏳ waiting for the link", or "✗ not sent" with the reason
when the phone system refused them; Ctrl+T (``chat.retry``) sends the conversation's refused
ones again. The console's ``ChatOutbox`` keeps them (in SQLite: a restart loses none) and sends
them when the link is back. A mixin of :class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tws_tui.core.model import UserId
from tws_tui.domain.format import clock_time
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import _, labelled

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None
else:
    _ChatScreen = object


class ChatPending(_ChatScreen):
    """The lines of the messages waiting, and Ctrl+T."""

    def pending_lines(self) -> Text | None:
        """The open conversation's messages not sent yet, one line each; None: none."""
        if self.peer is None:
            return None
        waiting = self.tws.chat_outbox.waiting_for(self.peer)
        if not waiting:
            return None
        clock_24h = self.tws.prefs.ui.clock_24h
        retry = self.tws.app_key_display("chat.retry")
        out = Text()
        for message in waiting:
            if out:
                out.append("\n")
            out.append(f"{clock_time(message.at, clock_24h=clock_24h)} ", style="dim")
            out.append(labelled(_("Me"), ""), style="bold")
            out.append(shown_literally(message.text))
            if message.failure is None:
                out.append("  ⏳ " + _("waiting for the link"), style="yellow")
            else:
                out.append(
                    "  ✗ " + labelled(_("not sent"), message.failure) + f" ({retry})",
                    style="bold red",
                )
        return out

    def retry_allowed(self) -> bool:
        """Ctrl+T is live where a message of the conversation was refused."""
        if self.peer is None:
            return False
        return any(m.failure is not None for m in self.tws.chat_outbox.waiting_for(self.peer))

    def action_retry(self) -> None:
        """Ctrl+T (``chat.retry``): the conversation's refused messages sent again."""
        if self.peer is not None and self.tws.chat_outbox.retry(self.peer):
            self.tws.notify(_("Sending again."))
