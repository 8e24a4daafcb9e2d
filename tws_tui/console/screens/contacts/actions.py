"""``ContactActions``: what the Contacts screen and the contact manager do to a contact.

Both screens mix this in and say which contact is selected (``selected_contact``) and what to
redraw after a change (``contacts_changed``). The actions (TWS §2.4, §2.5):

* **new** — the contact form, empty, into the private directory (or the public one when
  ``new_contact_source`` says so); the contact is added to ``new_contact_list`` when set;
* **edit** — a local contact in the form; a contact of another directory (the company's) cannot
  be changed (TWS-2.5.3-1): the form then makes a private contact from it, to add details;
  a contact of the CardDAV address book is changed on the server when the book is two-way,
  and refused (saying so, then the private copy as above) when it is read-only;
* **delete** — a local contact, after a confirmation; it leaves every list (TWS-2.5.5); a
  two-way CardDAV contact is deleted on the server, after the same confirmation;
* before editing or deleting a local contact, the local contacts sharing one of its e-mail
  addresses are looked up (TWS-2.5.3-2, TWS-2.5.5.2-1, e.g. a team's generic mailbox): when
  there are, a list ``Name — [Directory]`` asks which one is meant;
* **public/private** — moves a contact of ours to the other directory (TWS-2.5.4);
* the **public directory** is the phone system's when the backend keeps one (the CTI server):
  new, edited, moved and deleted public contacts are written there
  (:class:`~tws_tui.contacts.public_directory.PublicDirectory`), every user sees them; only
  their author (or a supervisor) changes or deletes them, a refusal is said in words. Without
  one (the simulator) it is a file on this machine, and the form says so;
* **lists** — tick the lists the contact belongs to (TWS-2.4.3.3, TWS-2.4.4.3); a contact of
  another directory is remembered in the list as it is now;
* **calls with the contact** — History, listing only the calls with its numbers (Ctrl+Y);
* **a note only for me** — kept in the journal, listed on the card (:mod:`.private_notes`).

Every write runs in the store's thread (:mod:`.store_work`), never on the UI loop; the screen
redraws when it is done. Store errors (a damaged or read-only file) are shown as a
notification; nothing is lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.dom import DOMNode

from tws_tui.console.screens.contacts.store_work import STORE_ERRORS, store_work
from tws_tui.contacts.carddav import READ_ONLY
from tws_tui.contacts.carddav_store import SOURCE as CARDDAV
from tws_tui.contacts.public_directory import SHARED, PublicDirectory
from tws_tui.contacts.rules import PRIVATE, PUBLIC, VISIBILITIES, all_emails, directory_name
from tws_tui.contacts.store import ContactStore
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.api import ConsoleApi
    from tws_tui.contacts.carddav import CardDavBook

T = TypeVar("T")


def is_local(contact: Contact) -> bool:
    """Whether the contact is one of ours (private or public directory), so it can change."""
    return contact.source in (*VISIBILITIES, SHARED)


def public_directory(tws: ConsoleApi) -> PublicDirectory | None:
    """Where the console writes public contacts (see the module docstring); None (said)
    before the local contacts are available."""
    directories = tws.directories()
    public = directories.public_directory() if directories is not None else None
    if public is None:
        tws.notify(_("Local contacts are not available yet."), severity="warning")
    return public


class ContactActions:
    """Mixin for a screen with a selected contact; the screen is a ``ModeScreen``."""

    tws: ConsoleApi
    new_contact_source: str = PRIVATE
    new_contact_list: str | None = None

    # ---- what the screen provides -------------------------------------------------------

    def selected_contact(self) -> Contact | None:
        raise NotImplementedError

    def contacts_changed(self, selected: Contact | None = None) -> None:
        """Redraw after a change; ``selected`` is the contact to put the cursor on."""
        raise NotImplementedError

    # ---- helpers ------------------------------------------------------------------------

    async def action_contact_history(self) -> None:
        """Ctrl+Y: History, listing only the calls with the selected contact's numbers."""
        from tws_tui.console.screens.history.of_contact import show_calls_with

        await show_calls_with(self.tws, self.selected_contact())

    def contact_store(self) -> ContactStore | None:
        directories = self.tws.directories()
        store = directories.store if directories is not None else None
        if store is None:
            self.tws.notify(_("Local contacts are not available yet."), severity="warning")
        return store

    def _report(self, error: Exception) -> None:
        self.tws.notify(str(error), severity="error", markup=False)

    def _write(
        self,
        work: Callable[[], T],
        done: Callable[[T], object],
        failed: Callable[[Exception], object] | None = None,
    ) -> None:
        """``work`` (a store write) in the store's thread, then ``done`` with its result."""
        assert isinstance(self, DOMNode), "ContactActions is mixed into a screen"
        store_work(self, work, done, failed=failed or self._report)

    def _which_of_shared_email(
        self, contact: Contact, store: ContactStore, then: Callable[[Contact], None]
    ) -> None:
        """``then(contact)``, or ``then`` the one picked among the local contacts sharing one
        of its e-mail addresses (TWS-2.5.3-2), each shown with its directory in brackets."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        sharing: dict[str, Contact] = {}
        try:
            for address in all_emails(contact):
                sharing.update({c.id: c for c in store.find_by_email(address)})
        except STORE_ERRORS as error:
            self._report(error)
            return
        if set(sharing) <= {contact.id}:
            then(contact)
            return
        sharing.setdefault(contact.id, contact)
        options = [(c.id, f"{c.name} — [{directory_name(c.source)}]") for c in sharing.values()]

        def picked(contact_id: str | None) -> None:
            if contact_id is not None:
                then(sharing[contact_id])

        title = _("These contacts share an e-mail address: which one?")
        self.tws.push_screen(ChoiceScreen(title, options, current=contact.id), picked)

    def _changed(self, selected: Contact | None = None) -> None:
        self.tws.lists.refresh()
        self.contacts_changed(selected)

    # ---- actions ------------------------------------------------------------------------

    def _carddav_book(self, contact: Contact) -> CardDavBook | None:
        """The CardDAV address book when ``contact`` is one of its (else None)."""
        if contact.source != CARDDAV:
            return None
        return self.tws.carddav.book()

    def _refuse_read_only(self, contact: Contact, book: CardDavBook) -> bool:
        """Whether ``book`` is read-only (then said, naming the book)."""
        if book.two_way:
            return False
        self.tws.notify(
            _(READ_ONLY).format(name=contact.name, book=book.name()),
            severity="warning",
            markup=False,
        )
        return True

    def action_new_contact(self) -> None:
        from tws_tui.console.screens.contacts.form import ContactForm

        book = self.tws.carddav.book() if self.new_contact_source == CARDDAV else None
        if book is not None:
            blank = Contact(id="", source=CARDDAV, name="", numbers=())
            if not self._refuse_read_only(blank, book):
                form = ContactForm(blank, book.add, public_on_server=False)  # no switch
                self.tws.push_screen(form, self._after_form)
            return
        public = public_directory(self.tws)
        if public is None:
            return
        into_list = self.new_contact_list

        def save(contact: Contact) -> Contact:
            saved = public.save(contact)
            if into_list is not None:
                public.store.add_to_list(into_list, saved.source, saved.id, card=saved)
            return saved

        blank = Contact(id="", source=self.new_contact_source, name="", numbers=())
        form = ContactForm(blank, save, public_on_server=public.on_server)
        self.tws.push_screen(form, self._after_form)

    def action_edit_contact(self) -> None:
        from tws_tui.console.screens.contacts.form import ContactForm

        contact = self.selected_contact()
        book = self._carddav_book(contact) if contact is not None else None
        public = public_directory(self.tws) if contact is not None else None
        if contact is None or public is None:
            return
        on_server = public.on_server
        if book is not None and book.two_way:
            form = ContactForm(contact, book.update, public_on_server=on_server)
            self.tws.push_screen(form, self._after_form)
            return
        store = public.store
        if book is not None:  # read-only: said, then a private copy to add details to
            self._refuse_read_only(contact, book)
            copy = dataclasses.replace(contact, id="", source=PRIVATE)
            self.tws.push_screen(
                ContactForm(copy, public.save, public_on_server=on_server), self._after_form
            )
            return
        if contact.source == SHARED and on_server:
            form = ContactForm(
                contact, lambda c: public.save(c, contact), public_on_server=on_server
            )
            self.tws.push_screen(form, self._after_form)
            return
        if is_local(contact):
            self._which_of_shared_email(
                contact,
                store,
                lambda chosen: self.tws.push_screen(
                    ContactForm(
                        chosen, lambda c: public.save(c, chosen), public_on_server=on_server
                    ),
                    self._after_form,
                ),
            )
            return
        self.tws.notify(
            _(
                "{name} is in the {directory} directory, which only its administrators change: "
                "save a private contact to add your own details."
            ).format(name=contact.name, directory=contact.source),
            markup=False,
        )
        copy = dataclasses.replace(contact, id="", source=PRIVATE)
        self.tws.push_screen(
            ContactForm(copy, public.save, public_on_server=on_server), self._after_form
        )

    def _after_form(self, saved: Contact | None) -> None:
        if saved is not None:
            self.tws.notify(_("{name} saved.").format(name=saved.name), markup=False)
            self._changed(saved)

    def action_delete_contact(self) -> None:
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        contact = self.selected_contact()
        if contact is None:
            return
        book = self._carddav_book(contact)
        if book is not None:
            if not self._refuse_read_only(contact, book):
                self._delete_from_book(contact, book)
            return
        if not is_local(contact):
            self.tws.notify(
                _("{name} is in the {directory} directory: it cannot be deleted here.").format(
                    name=contact.name, directory=contact.source
                ),
                severity="warning",
                markup=False,
            )
            return
        public = public_directory(self.tws)
        if public is None:
            return

        def confirm(chosen: Contact) -> None:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write(lambda: public.delete(chosen), lambda _none: deleted())

            def deleted() -> None:
                self.tws.notify(_("{name} deleted.").format(name=chosen.name), markup=False)
                self._changed()

            question = _("Delete {name}? It also leaves every contact list.").format(
                name=chosen.name
            )
            self.tws.push_screen(ConfirmScreen(question), confirmed)

        self._which_of_shared_email(contact, public.store, confirm)

    def _delete_from_book(self, contact: Contact, book: CardDavBook) -> None:
        """A two-way CardDAV contact deleted on the server, once confirmed."""
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: book.delete(contact.id), lambda _none: deleted())

        def deleted() -> None:
            self.tws.notify(_("{name} deleted.").format(name=contact.name), markup=False)
            self._changed()

        question = _("Delete {name} from the address book {book}, on the server too?").format(
            name=contact.name, book=book.name()
        )
        self.tws.push_screen(ConfirmScreen(question), confirmed)

    def action_toggle_visibility(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            return
        if not is_local(contact):
            self.tws.notify(
                _("Only your own contacts can be made public or private."), severity="warning"
            )
            return
        public = public_directory(self.tws)
        if public is None:
            return

        def moved(saved: Contact) -> None:
            if saved.source == SHARED:
                said = _("{name} is now public: every user sees it.")
            elif saved.source == PUBLIC:
                said = _("{name} is now public, on this machine only: other users do not see it.")
            else:
                said = _("{name} is now private: only you see it.")
            self.tws.notify(said.format(name=saved.name), markup=False)
            self._changed(saved)

        # To the other directory than the one it is in when the write runs (a key repeated
        # before the redraw moves it back).
        self._write(lambda: public.toggle(contact), moved)

    def action_business_card(self) -> None:
        """The selected contact's business card, in tabs (TWS-2.5.2-2)."""
        from tws_tui.console.screens.contacts.business_card import BusinessCardScreen

        contact = self.selected_contact()
        if contact is None:
            return
        directories = self.tws.directories()
        store = directories.store if directories is not None else None
        self.tws.push_screen(BusinessCardScreen(contact, store, lambda: self._changed(contact)))

    def action_private_note(self) -> None:
        """An "only me" note on the selected contact (TWP-4.1.4-1), listed on its card."""
        from tws_tui.console.screens.contacts.private_notes import write_private_note

        write_private_note(self.tws, self.selected_contact())

    def action_pick_lists(self) -> None:
        from tws_tui.console.screens.contacts.list_dialogs import ListPicker

        contact = self.selected_contact()
        store = self.contact_store() if contact is not None else None
        if contact is None or store is None:
            return
        try:
            lists = store.lists()
        except STORE_ERRORS as error:
            self._report(error)
            return
        if not lists:
            self.tws.notify(
                _("No contact list yet: create one in the contact manager."), severity="warning"
            )
            return
        entry = (contact.source, contact.id)
        member_of = {lst.id for lst in lists if entry in lst.entries}

        def write(ticked: set[str]) -> None:
            for list_id in ticked - member_of:
                store.add_to_list(list_id, contact.source, contact.id, card=contact)
            for list_id in member_of - ticked:
                store.remove_from_list(list_id, contact.source, contact.id)

        def failed(error: Exception) -> None:
            self._report(error)
            self._changed(contact)  # what was written before the refusal stays

        def apply(ticked: set[str] | None) -> None:
            if ticked is not None:
                self._write(lambda: write(ticked), lambda _none: self._changed(contact), failed)

        self.tws.push_screen(ListPicker(contact.name, lists, member_of), apply)
