"""``HelpScreen`` (F1): every key of the console, with its action's stable id.

Generated from :data:`tws_tui.domain.keymap.ACTIONS` and the user's keymap, so it can never drift
from the real bindings.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tws_tui.console.api import console_api
from tws_tui.domain.keymap import ACTIONS
from tws_tui.platform.i18n import _


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="modal-box"):
            yield Static(_("Keys"), classes="modal-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                _(
                    "Every action is also in the command palette (ctrl+p). Keys can be "
                    "changed in the [keymap] section of config.toml, by action id."
                ),
                classes="modal-note",
                markup=False,
            )
            yield Static(
                _(
                    "On the Calls screen, 0-9 * # send tones on the selected call (keypad), "
                    "up/down select a call. Letters typed anywhere start the dial field."
                ),
                classes="modal-note",
            )
            yield Static(_("Escape closes this help."), classes="modal-note")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Key"), _("Action"), _("Id"))
        keys = console_api(self).keymap_keys
        for spec in ACTIONS:
            table.add_row(Text(keys[spec.id]), Text(_(spec.description)), Text(spec.id))
        table.focus()
