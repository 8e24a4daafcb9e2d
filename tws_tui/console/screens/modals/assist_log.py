"""``AssistLogScreen``: my log of help requests and broadcasts (issue 15, TWS-4.1.1 "ME").

The lines of :func:`tws_tui.domain.assist.log_lines` — sent and received, oldest first, how
each request stands — in a scrolling box opened on the newest (TWS-4.1.1-2). A line is text,
never markup. Esc closes.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tws_tui.platform.i18n import _


class AssistLogScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    AssistLogScreen #assist-log-box { width: 95%; max-height: 80%; }
    AssistLogScreen .assist-log-line { height: auto; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="assist-log-box", classes="modal-box"):
            yield Static(_("Help requests and broadcasts"), classes="modal-title")
            if not self.lines:
                yield Static(_("Nothing yet."), classes="assist-log-line")
            for line in self.lines:
                yield Static(line, classes="assist-log-line", markup=False)

    def on_mount(self) -> None:
        self.query_one("#assist-log-box", VerticalScroll).scroll_end(animate=False)
