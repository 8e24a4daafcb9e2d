"""``ContactForm``: create or edit a local contact (TWS-2.5.1, TWS-2.5.3, TWS-2.5.4).

One line per field: name, company, department, e-mail, then the phone numbers, each a label
(Office, Mobile… any word) and the number in any format (national, international, with
spaces, dots or dashes). Ctrl+N adds a number line; a line left empty is dropped. Then the
more details (TWS-2.5.1-6/-7): each a kind (more e-mails, web and postal addresses, job title,
assistant, birthday, customer number, note) and its value; Ctrl+R adds one. A postal address
is typed on one line, its lines separated by `` / `` (``43 rue de Dunkerque / 75010 PARIS``,
as the manual writes it). The
"Public" switch puts the contact in the public directory or the private one (TWS-2.5.4: a
contact's visibility is its directory's); the hint beside it says where the public directory
is: the phone system's, which every user sees, or, when the backend keeps none (the
simulator), a file on this machine (:mod:`tws_tui.contacts.public_directory`).

Enter (in any field) or Ctrl+S saves; Esc cancels. Saving calls the ``save`` function given
(the contact store's ``add`` or ``update``) in the store's thread (:mod:`.store_work`), once
at a time: a refused contact — no name, a number with
letters, no number nor e-mail — or a store that cannot write keeps the form open with the
reason in red under it, so nothing typed is lost. The form dismisses with the contact as saved.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, Switch

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import form_row
from tws_tui.console.screens.contacts.store_work import store_work
from tws_tui.contacts.public_directory import SHARED, is_public
from tws_tui.contacts.rules import (
    ADDRESS,
    DETAIL_KINDS,
    EMAIL,
    PRIVATE,
    PUBLIC,
    VISIBILITIES,
    hidden_details,
    shown_details,
)
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import N_, _

#: Labels offered to the first number lines of a new contact (any word may be typed).
DEFAULT_LABELS = (N_("Office"), N_("Mobile"), N_("Home"))
MIN_NUMBER_LINES = 2
ADDRESS_LINE_BREAK = " / "  # how an address's lines are shown on one line
_ADDRESS_LINES = re.compile(r"\s+/\s+")  # "Bât. A/3" keeps its slash

SaveContact = Callable[[Contact], Contact]


def _field(label: str, value: str | None, field_id: str) -> Horizontal:
    return form_row(label, Input(value or "", id=field_id, compact=True, select_on_focus=False))


class ContactForm(ModalScreen[Contact | None]):
    """A new contact (``contact.id`` empty) or an existing local one; dismisses with it saved."""

    MODE = "contact_form"  # its keys' scope in the keymap (help, palette)
    DEFAULT_CSS = """
    ContactForm #contact-details { height: auto; }
    ContactForm .form-row Select.detail-kind { width: 20; }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "cancel", show=False),
        *bindings_for("contact_form"),
    ]

    def __init__(self, contact: Contact, save: SaveContact, *, public_on_server: bool) -> None:
        """``public_on_server``: whether the public directory is the phone system's."""
        super().__init__()
        self.contact = contact
        self.public_on_server = public_on_server
        self._save_contact = save
        self._saving = False  # a save is in the store's thread: another Enter waits for it
        self._lines = 0
        self._details = 0

    def compose(self) -> ComposeResult:
        title = _("Edit {name}").format(name=self.contact.name) if self.contact.id else None
        with VerticalScroll(classes="modal-box form-box"):
            yield Static(title or _("New contact"), classes="modal-title", markup=False)
            yield Static(id="contact-error", classes="form-error", markup=False)
            yield _field(_("Name"), self.contact.name, "contact-name")
            yield _field(_("Company"), self.contact.company, "contact-company")
            yield _field(_("Department"), self.contact.department, "contact-department")
            yield _field(_("E-mail"), self.contact.email, "contact-email")
            yield Static(_("Phone numbers (label, number; Ctrl+N adds one)"), classes="form-part")
            yield Vertical(id="contact-numbers")
            yield Static(
                _("More details (kind, value; Ctrl+R adds one)"),
                id="contact-details-title",
                classes="form-part",
            )
            yield Vertical(id="contact-details")
            visibility = Horizontal(
                Label(_("Public"), classes="form-label"),
                Switch(is_public(self.contact), id="contact-public"),
                Static(id="contact-visibility", classes="form-hint"),
                classes="form-row switch-row",
            )
            # A contact of the CardDAV address book stays in it: no directory to choose.
            visibility.display = self.contact.source in (*VISIBILITIES, SHARED)
            yield visibility
            yield Static(_("Enter or Ctrl+S saves, Esc cancels."), classes="modal-note")

    def on_mount(self) -> None:
        numbers = list(self.contact.numbers)
        while len(numbers) < MIN_NUMBER_LINES:
            numbers.append((_(DEFAULT_LABELS[len(numbers) % len(DEFAULT_LABELS)]), ""))
        for label, number in numbers:
            self._add_line(label, number)
        for kind, value in shown_details(self.contact):  # the hidden ones are kept as they are
            self._add_detail(kind, value)
        self._show_visibility()
        self.query_one("#contact-name", Input).focus()

    # ---- number lines --------------------------------------------------------------------

    def _add_line(self, label: str, number: str) -> Input:
        index = self._lines
        self._lines += 1
        number_input = Input(
            number,
            id=f"number-{index}",
            compact=True,
            placeholder=_("number"),
            select_on_focus=False,
        )
        self.query_one("#contact-numbers", Vertical).mount(
            Horizontal(
                Input(
                    label,
                    id=f"label-{index}",
                    compact=True,
                    classes="number-label",
                    select_on_focus=False,
                ),
                number_input,
                classes="form-row",
            )
        )
        return number_input

    def action_add_number(self) -> None:
        """A new number line, focused (TWS-2.5.1-5: as many numbers as needed)."""
        label = _(DEFAULT_LABELS[self._lines % len(DEFAULT_LABELS)])
        self.call_after_refresh(self._add_line(label, "").focus)

    def _numbers(self) -> tuple[tuple[str, str], ...]:
        numbers: list[tuple[str, str]] = []
        for index in range(self._lines):
            label = self.query_one(f"#label-{index}", Input).value.strip()
            number = self.query_one(f"#number-{index}", Input).value.strip()
            if number:
                numbers.append((label, number))
        return tuple(numbers)

    # ---- detail lines --------------------------------------------------------------------

    def _add_detail(self, kind: str, value: str) -> Input:
        index = self._details
        self._details += 1
        shown = value.replace("\n", ADDRESS_LINE_BREAK) if kind == ADDRESS else value
        value_input = Input(
            shown,
            id=f"detail-{index}",
            compact=True,
            placeholder=_("value"),
            select_on_focus=False,
        )
        kinds = Select(
            [(_(name), key) for key, name in DETAIL_KINDS.items()],
            value=kind,
            allow_blank=False,
            compact=True,
            id=f"detail-kind-{index}",
            classes="detail-kind",
        )
        self.query_one("#contact-details", Vertical).mount(
            Horizontal(kinds, value_input, classes="form-row")
        )
        return value_input

    def action_add_detail(self) -> None:
        """A new detail line (an e-mail address first), its value focused."""
        self.call_after_refresh(self._add_detail(EMAIL, "").focus)

    def _details_filled(self) -> tuple[tuple[str, str], ...]:
        details: list[tuple[str, str]] = []
        for index in range(self._details):
            kind = self.query_one(f"#detail-kind-{index}", Select).value
            value = self.query_one(f"#detail-{index}", Input).value.strip()
            if not value or not isinstance(kind, str):
                continue
            if kind == ADDRESS:
                parts = _ADDRESS_LINES.split(value)
                value = "\n".join(part.strip() for part in parts if part.strip())
            details.append((kind, value))
        return tuple(details)

    # ---- visibility ----------------------------------------------------------------------

    def on_switch_changed(self, _event: Switch.Changed) -> None:
        self._show_visibility()

    def _show_visibility(self) -> None:
        public = self.query_one("#contact-public", Switch).value
        if not public:
            hint = _("private directory: only you (mind your company's GDPR rules)")
        elif self.public_on_server:
            hint = _("public directory, on the phone system: every user sees it")
        else:
            hint = _(
                "public directory on this machine only: this phone system keeps none,"
                " other users do not see it"
            )
        self.query_one("#contact-visibility", Static).update(hint)

    # ---- saving --------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def filled(self) -> Contact:
        """The contact as the form shows it now."""

        def text(field_id: str) -> str | None:
            return self.query_one(field_id, Input).value.strip() or None

        public = self.query_one("#contact-public", Switch).value
        local = self.contact.source in (*VISIBILITIES, SHARED)
        return dataclasses.replace(
            self.contact,
            source=(PUBLIC if public else PRIVATE) if local else self.contact.source,
            name=text("#contact-name") or "",
            company=text("#contact-company"),
            department=text("#contact-department"),
            email=text("#contact-email"),
            numbers=self._numbers(),
            details=self._details_filled() + hidden_details(self.contact),
        )

    def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        contact, save = self.filled(), self._save_contact
        store_work(self, lambda: save(contact), self._saved, failed=self._refused)

    def action_cancel(self) -> None:
        """Esc: closed unsaved, unless a save is under way (then its answer closes it)."""
        if not self._saving:
            self.dismiss(None)

    def _saved(self, saved: Contact) -> None:
        self._saving = False
        self.query_one("#contact-error", Static).update("")
        self.dismiss(saved)

    def _refused(self, refused: Exception) -> None:
        self._saving = False
        self.query_one("#contact-error", Static).update(str(refused))
