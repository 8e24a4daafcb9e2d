"""One contact's calls: History opened on the calls with its numbers only (Ctrl+Y on a
contact in Contacts, or on its business card), whichever screen asks; and the last comments
on those calls (the business card shows them)."""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Contact
from tws_tui.domain.numbers import match_keys
from tws_tui.journal.comments import CommentedCall
from tws_tui.platform.i18n import _

#: How many comments the business card shows at most.
CARD_COMMENTS = 5


def _keys(api: ConsoleApi, contact: Contact) -> frozenset[str]:
    directories = api.directories()
    country = directories.country if directories is not None else "FR"
    keys = match_keys([number for _label, number in contact.numbers], country)
    return frozenset(key for key in keys if key)


async def comments_with(
    api: ConsoleApi, contact: Contact, limit: int = CARD_COMMENTS
) -> list[CommentedCall]:
    """The newest ``limit`` comments on calls with ``contact``'s numbers (by match key),
    this console's and those shared by the phone system, newest first."""
    wanted = _keys(api, contact)
    commented = await api.local_journal.commented_calls() if wanted else None
    if not commented:
        return []
    directories = api.directories()
    country = directories.country if directories is not None else "FR"
    keys = match_keys([call.number for call in commented], country)
    found = [call for call, key in zip(commented, keys, strict=True) if key in wanted]
    return found[:limit]


async def show_calls_with(api: ConsoleApi, contact: Contact | None) -> None:
    """History, listing only the calls with ``contact``'s numbers (by match key, so any
    spelling of a number is the same number); said when there is no number to look for."""
    from tws_tui.console.screens.history import HistoryScreen

    if contact is None or not contact.numbers:
        api.notify(_("Select a contact with a number to see its calls."))
        return
    keys = _keys(api, contact)
    await api.switch_mode("history")
    screen = api.screen
    if isinstance(screen, HistoryScreen):
        screen.show_contact(contact.name, keys)
