"""``SmsNumberScreen``: the mobile number a new SMS conversation goes to (issue 15, TWS
§3.14.1). Enter checks it (``domain.sms.mobile_number``): a malformed or non-mobile number is
refused in words under the field and the dialog stays; a mobile one dismisses with its E.164
form. Esc cancels (None).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tws_tui.core.errors import InvalidDestination
from tws_tui.domain.sms import mobile_number
from tws_tui.platform.i18n import _


class SmsNumberScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, number: str = "") -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="sms-number-box", classes="modal-box"):
            yield Static(_("New SMS: the mobile number"), classes="modal-title")
            yield Input(
                self.number,
                id="sms-number",
                placeholder=_("e.g. 06 12 34 56 78 (Enter opens, Esc cancels)"),
            )
            yield Static(id="sms-number-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            e164 = mobile_number(event.value)
        except InvalidDestination as error:
            self.query_one("#sms-number-problem", Static).update(error.translated(_))
            return
        self.dismiss(e164)
