"""Add a caller to the contacts, from History or Voicemail: the contact form, pre-filled.

Owns :func:`offer_contact`: the local contact form with the caller's name and number (a private
contact, TWS-2.5; Selfcare SLF-6.1-9), saved to the local store; "No local contacts" when there
is no store.
"""

from __future__ import annotations

from collections.abc import Callable

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import _


def offer_contact(
    tws: ConsoleApi, name: str, number: str, saved: Callable[[], None] = lambda: None
) -> None:
    """Open the contact form for ``name`` and ``number``; ``saved`` after it is saved."""
    from tws_tui.console.screens.contacts.form import ContactForm
    from tws_tui.contacts.rules import PRIVATE

    directories = tws.directories()
    store = directories.store if directories is not None else None
    if store is None:
        tws.notify(_("No local contacts to add to."), severity="warning")
        return
    card = Contact(id="", source=PRIVATE, name=name, numbers=(("", number),) if number else ())

    def done(contact: Contact | None) -> None:
        if contact is not None:
            tws.notify(_("{name} saved.").format(name=contact.name), markup=False)
            saved()

    public = directories.public_directory() if directories is not None else None
    if public is not None:
        tws.push_screen(ContactForm(card, public.save, public_on_server=public.on_server), done)
