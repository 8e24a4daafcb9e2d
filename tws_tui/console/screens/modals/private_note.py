"""``PrivateNoteScreen``: type an "only me" note on a contact or colleague (TWP-4.1.4-1).

Enter keeps it, Esc cancels. Dismisses with the text, or None. An empty note is refused in
words and the dialog stays; the field takes no more than a note may hold.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tws_tui.journal.private_notes import NOTE_MAX_CHARS
from tws_tui.platform.i18n import _


class PrivateNoteScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, about: str) -> None:
        """``about``: the contact's name, in the title."""
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="private-note-box", classes="modal-box"):
            yield Static(
                _("Note on {who}, only for me").format(who=self.about),
                classes="modal-title",
                markup=False,
            )
            yield Input(
                id="private-note",
                max_length=NOTE_MAX_CHARS,
                placeholder=_("Only you will see it (Enter keeps it, Esc cancels)"),
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.app.notify(_("A note cannot be empty."), severity="warning")
            return
        self.dismiss(text)
