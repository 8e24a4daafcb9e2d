"""``NewConversationScreen``: Ctrl+N on the Chat screen (``chat.new_conversation``, issue 15):
part of a colleague's or a group's name typed, the first match said under the field as it is
typed; Enter takes it (dismissed with its peer), or says in words that nobody matches and
stays. Esc cancels (None). The search is ``domain.chat_compose.conversations_matching``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tws_tui.console.widgets.lazy_field import FIELD_MAX_CHARS
from tws_tui.core.model import UserId
from tws_tui.platform.i18n import _, labelled, ngettext

#: The search: text typed → the conversations it may mean, as (peer, name), best first.
Matcher = Callable[[str], list[tuple[UserId, str]]]


class NewConversationScreen(ModalScreen[UserId | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, matching: Matcher) -> None:
        super().__init__()
        self.matching = matching

    def compose(self) -> ComposeResult:
        with Vertical(id="chat-new-box", classes="modal-box"):
            yield Static(_("New conversation: part of a name"), classes="modal-title")
            yield Input(
                id="chat-new-name",
                placeholder=_("A colleague or a group (Enter opens, Esc cancels)"),
                max_length=FIELD_MAX_CHARS,
            )
            yield Static(id="chat-new-match", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        line = self.query_one("#chat-new-match", Static)
        if not event.value.strip():
            line.update("")
            return
        found = self.matching(event.value)
        if not found:
            line.update(_("Nobody matches “{typed}”.").format(typed=event.value.strip()))
            return
        more = len(found) - 1
        shown = labelled(_("Enter opens"), found[0][1])
        if more:
            shown += " " + ngettext("(and {n} more)", "(and {n} more)", more).format(n=more)
        line.update(shown)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = self.query_one("#chat-new-match", Static)
        if not event.value.strip():
            line.update(_("Type part of a colleague's or a group's name."))
            return
        found = self.matching(event.value)
        if not found:
            line.update(_("Nobody matches “{typed}”.").format(typed=event.value.strip()))
            return
        self.dismiss(found[0][0])
