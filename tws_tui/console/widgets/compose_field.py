"""``ComposeField``: the chat's compose field. Enter sends; nothing typed or pasted is lost.

A :class:`~tws_tui.console.widgets.lazy_field.TypingField` (a letter repaints the field alone)
that takes every character: no length limit (a message too long is refused when sent, in
words, and stays here to be trimmed: ``domain.chat_compose.message_problem``), a paste of
several lines kept whole, and a new line typed with the chat's new-line key
(``chat.new_line``: Ctrl+J everywhere, Shift+Enter and Alt+Enter where the terminal
reports them). The field stays one line: a new line in it is drawn ``↵``
(``textual_private.KeepLinesInput``) and sent as a new line.
"""

from __future__ import annotations

from tws_tui.console.textual_private import KeepLinesInput
from tws_tui.console.widgets.lazy_field import TypingField


class ComposeField(KeepLinesInput, TypingField):
    def insert_new_line(self) -> None:
        """A new line at the cursor (over the selection, if any)."""
        start, end = sorted(self.selection)
        self.replace("\n", start, end)
