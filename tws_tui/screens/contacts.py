"""Contacts mode: every colleague the switch knows, with line state and presence.

This is the shell's first version (issue 2): it shows what the backend reports. Search,
directories and supervision tiles come with the contacts issue.
"""

from __future__ import annotations

from textual.app import ComposeResult

from tws_tui.format import LINE_SYMBOL, LINE_WORD, PRESENCE_SYMBOL, PRESENCE_WORD
from tws_tui.i18n import N_, _
from tws_tui.screens.base import ModeScreen
from tws_tui.widgets.row_list import RowList


class ContactsScreen(ModeScreen):
    MODE = "contacts"
    TITLE_MSGID = N_("Contacts")
    AUTO_FOCUS = "#colleagues"
    TOPICS = frozenset({"devices"})

    @property
    def selected_device_id(self) -> str | None:
        """The colleague under the cursor: Alt+I picks up the call ringing at their phone."""
        return self.query_one("#colleagues", RowList).selected_key

    def compose_body(self) -> ComposeResult:
        yield RowList(id="colleagues")

    def refresh_from_state(self, topics: frozenset[str]) -> None:
        columns = (_("Name"), _("Ext."), _("Department"), _("Line"), _("Presence"))
        devices = sorted(self.tws.state.devices.values(), key=lambda d: d.name.casefold())
        rows = {}
        for device in devices:
            presence = (
                f"{PRESENCE_SYMBOL[device.presence]} {_(PRESENCE_WORD[device.presence])}"
                if device.presence
                else ""
            )
            if device.dnd:
                presence = "⊘ " + _("Do not disturb")
            elif device.forward_unconditional:
                presence += "  → " + device.forward_unconditional
            rows[device.device_id] = (
                device.name,
                device.extension or "",
                device.department or "",
                f"{LINE_SYMBOL[device.line_state]} {_(LINE_WORD[device.line_state])}",
                presence,
            )
        self.query_one("#colleagues", RowList).set_rows(columns, rows)
