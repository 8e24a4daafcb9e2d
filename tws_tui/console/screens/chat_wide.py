"""The Chat screen's thread widened (issue 15, TWS-4.1.3-1: the discussion area maximised):
Alt+Shift+X (``chat.wide``) hides the conversation list so the thread and the input take the
whole width — at 80×24 a message then reads on fewer lines — and shows it again. While the
list is hidden, a line above the thread names the conversation open (the list said it), with
the key that brings the list back. A mixin of :class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from tws_tui.core.model import UserId
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None
        _thread_drawn: object

        def _who(self, user: UserId) -> str: ...
        def _show_thread(self) -> None: ...
else:
    _ChatScreen = object


class ChatWide(_ChatScreen):
    """Whether the conversation list is hidden (the thread on the whole width)."""

    wide = False

    def action_toggle_wide(self) -> None:
        """Alt+Shift+X: hide the conversation list, or show it again."""
        self.wide = not self.wide
        self.query_one("#chat-panes").set_class(self.wide, "-wide")
        self.show_wide_title()
        self._thread_drawn = None  # wrapped again at the new width
        self._show_thread()

    def show_wide_title(self) -> None:
        """The line naming the open conversation while the list is hidden."""
        title = self.query_one("#chat-wide-title", Static)
        title.display = self.wide
        if not self.wide:
            return
        key = self.tws.app_key_display("chat.wide")
        name = self._who(self.peer) if self.peer is not None else _("No conversation open")
        title.update(_("{name}  ({key}: the conversations)").format(name=name, key=key))
