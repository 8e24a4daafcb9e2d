"""``PresenceNoteScreen``: type the note that goes with my presence (issue 17, TWS §1.6:
"back at 14:00", "in a meeting"), which colleagues see beside my presence.

Enter keeps it, an empty note takes it away, Esc cancels. Dismisses with the note ("" to
clear), or None. A note over :data:`NOTE_MAX_CHARS` (a paste) is refused in words and the
dialog stays.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tws_tui.platform.i18n import _

NOTE_MAX_CHARS = 80


class PresenceNoteScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="presence-note-box", classes="modal-box"):
            yield Static(_("My presence note, seen by colleagues"), classes="modal-title")
            yield Input(
                self.note,
                id="presence-note",
                placeholder=_("e.g. back at 14:00 (Enter keeps, empty clears, Esc cancels)"),
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        note = " ".join(event.value.split())
        if len(note) > NOTE_MAX_CHARS:
            self.app.notify(
                _("A presence note is at most {max} characters ({n} typed).").format(
                    max=NOTE_MAX_CHARS, n=len(note)
                ),
                severity="warning",
            )
            return
        self.dismiss(note)
