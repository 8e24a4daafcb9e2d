"""One contact's calls: History opened on the calls with its numbers only (Ctrl+Y on a
contact in Contacts, or on its business card), whichever screen asks."""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Contact
from tws_tui.domain.numbers import match_keys
from tws_tui.platform.i18n import _


async def show_calls_with(api: ConsoleApi, contact: Contact | None) -> None:
    """History, listing only the calls with ``contact``'s numbers (by match key, so any
    spelling of a number is the same number); said when there is no number to look for."""
    from tws_tui.console.screens.history import HistoryScreen

    if contact is None or not contact.numbers:
        api.notify(_("Select a contact with a number to see its calls."))
        return
    directories = api.directories()
    country = directories.country if directories is not None else "FR"
    keys = match_keys([number for _label, number in contact.numbers], country)
    await api.switch_mode("history")
    screen = api.screen
    if isinstance(screen, HistoryScreen):
        screen.show_contact(contact.name, frozenset(key for key in keys if key))
