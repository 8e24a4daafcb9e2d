"""What the console does with what a vCard brought and it has no field for (hidden details):
the store keeps them, the business card and the form do not show them, editing a contact keeps
them, and a public list does not send them; a company's own card names it once."""

from __future__ import annotations

import dataclasses
from typing import Any

from helpers import build_console, local_store, settle, store_done
from textual.widgets import Input, Static

from tws_tui.console.screens.contacts.business_card import BusinessCardScreen
from tws_tui.console.screens.contacts.form import ContactForm
from tws_tui.console.screens.contacts.rows import card_lines
from tws_tui.contacts.exchange import export_vcard, import_vcard
from tws_tui.contacts.rules import hidden_details, shown_details
from tws_tui.contacts.sharing import ListSharing
from tws_tui.contacts.store import ContactList
from tws_tui.core.model import Contact, SharedList

SIZE = (120, 40)
APPLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John;;;\r\nFN:John Doe\r\nNICKNAME:Johny\r\n"
    "ORG:IBM;Accounting;Third floor\r\nTEL;TYPE=CELL,VOICE,PREF:06 12 34 56 78\r\n"
    "item1.TEL:01 23 45 67 89\r\nitem1.X-ABLabel:_$!<AssistantPhone>!$_\r\n"
    "EMAIL;TYPE=INTERNET,PREF:john@ibm.com\r\nNOTE:Rappeler\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD=\r\nEND:VCARD\r\n"
)


def john() -> Contact:
    (contact,) = import_vcard(APPLE).contacts
    assert len(hidden_details(contact)) >= 4  # N? no: TEL types, the group, NICKNAME, PHOTO…
    return contact


async def test_an_imported_contact_is_stored_shown_and_edited_without_losing_its_card() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = local_store(console)
        saved = store.add(john())
        assert store.all() == [saved]  # the store keeps the hidden details as they are
        lines = "\n".join(card_lines(saved, None, False))
        assert "PHOTO" not in lines and "vcard" not in lines and "Johny" not in lines
        card = BusinessCardScreen(saved, store, lambda: None)
        await console.app.push_screen(card)
        await settle(pilot)
        shown = " ".join(str(s.render()) for s in card.query(Static))
        assert "PHOTO" not in shown and "vcard" not in shown and "Rappeler" in shown
        card.dismiss()
        await settle(pilot)
        form = ContactForm(saved, store.update, public_on_server=False)
        await console.app.push_screen(form)
        await settle(pilot)
        assert len(form.query("#contact-details Input")) == len(shown_details(saved))
        assert form.filled() == saved  # opened and saved unchanged: nothing lost
        form.query_one("#number-1", Input).value = "01 99 99 99 99"
        await pilot.press("ctrl+s")
        await store_done(pilot)
        await settle(pilot)
        (edited,) = store.all()
        assert edited.numbers == (("Mobile", "06 12 34 56 78"), ("Assistant", "01 99 99 99 99"))
        assert hidden_details(edited) == hidden_details(saved)
    text = export_vcard([edited])
    assert "NICKNAME:Johny" in text and "PHOTO;ENCODING=b;TYPE=JPEG:/9j/" in text
    assert "TEL;TYPE=CELL,VOICE,PREF:06 12 34 56 78" in text
    assert "01 23 45 67 89" not in text and "AssistantPhone" not in text  # the old one is gone
    assert "X-ABLabel:Assistant" in text  # the edited number keeps its label, Apple's way


def test_a_company_card_names_the_company_once() -> None:
    (acme,) = import_vcard(
        "BEGIN:VCARD\nVERSION:3.0\nORG:ACME SA\nTEL:0123456789\nEND:VCARD\n"
    ).contacts
    lines = card_lines(acme, None, False)
    assert lines.count("ACME SA") == 1


class FakeSharedLists:
    def __init__(self) -> None:
        self.sent: list[list[Contact]] = []

    async def lists(self) -> list[SharedList]:
        return []

    async def publish(self, list_id: str, name: str, contacts: list[Contact]) -> SharedList:
        self.sent.append(contacts)
        return SharedList(f"me/{list_id}", name, "me", tuple(contacts), mine=True)

    async def withdraw(self, list_id: str) -> None:
        raise AssertionError("nothing to withdraw")


async def test_a_public_list_sends_the_cards_without_their_hidden_details() -> None:
    public = dataclasses.replace(john(), id="1", source="public")
    fake: Any = FakeSharedLists()
    sharing = ListSharing()
    assert await sharing.sync(fake, [(ContactList("L", "Clients", public=True), (public,))]) == 1
    ((sent,),) = fake.sent
    assert sent.details == shown_details(public) and hidden_details(sent) == ()
    assert await sharing.sync(fake, [(ContactList("L", "Clients", public=True), (public,))]) == 0
