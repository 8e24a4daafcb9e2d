"""``CommentScreen``: type a comment about the current call (TWS-3.13.1-1), saved with it.

Enter saves, Esc cancels. Dismisses with the text, or None. The journal refuses an empty or
over-long comment; the app says so and keeps the dialog's text.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tws_tui.journal.store import COMMENT_MAX_CHARS
from tws_tui.platform.i18n import _


class CommentScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, about: str, *, text: str = "") -> None:
        """``text``: the comment to edit (empty for a new one)."""
        super().__init__()
        self.about = about
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-box", classes="modal-box"):
            yield Static(
                _("Comment on the call with {who}").format(who=self.about),
                classes="modal-title",
                markup=False,
            )
            yield Input(
                self.text,
                id="comment",
                max_length=COMMENT_MAX_CHARS,
                placeholder=_("What was it about? (Enter saves, Esc cancels)"),
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.app.notify(_("A comment cannot be empty."), severity="warning")
            return
        self.dismiss(text)
