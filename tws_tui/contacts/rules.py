"""What a local contact and a contact list must be, the errors a refused change raises, and
every sentence those errors carry (English, in one place, so the UI can translate them later).

Rules (TWS Caller §2.5.1 and §2.4.2):

* a contact has a name; company, department and e-mail are optional;
* it has at least one phone number or an e-mail address (TWS-2.5.1-9: Save stays disabled
  otherwise);
* each number is one the switch can dial (:func:`tws_tui.numbers.is_dialable`) and its label
  has no ``;`` (the CSV numbers column separates numbers with it);
* an e-mail address has one ``@`` with text on both sides and no spaces;
* a local contact is ``"private"`` or ``"public"`` (``Contact.source``);
* a contact list has a name of 1 to 40 characters (TWS-2.4.2-2).

Texts are stripped of surrounding spaces; a field made only of spaces counts as empty.
"""

from __future__ import annotations

import dataclasses
import re

from tws_tui.core.model import Contact
from tws_tui.numbers import is_dialable

PRIVATE = "private"
PUBLIC = "public"
VISIBILITIES = (PRIVATE, PUBLIC)
LIST_NAME_MAX_CHARS = 40

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")

# ---- the sentences --------------------------------------------------------------------------

NAME_EMPTY = "A contact needs a name."
NAME_CONTROL = "A contact's name cannot contain line breaks or control characters."
NO_DETAIL = "A contact needs at least one phone number or an e-mail address."
NUMBER_EMPTY = "Phone number {position} is empty."
NUMBER_NOT_DIALABLE = (
    "{number!r} is not a phone number: use digits, with an optional leading + "
    "(spaces, dots and dashes are allowed)."
)
LABEL_INVALID = "The label {label!r} cannot contain ';' or control characters."
EMAIL_INVALID = "{email!r} is not an e-mail address."
FIELD_CONTROL = "The {field} cannot contain line breaks or control characters."
VISIBILITY_INVALID = "A local contact is 'private' or 'public', not {source!r}."
LIST_NAME_EMPTY = "A contact list needs a name."
LIST_NAME_TOO_LONG = (
    "A contact list's name is limited to {limit} characters (this one has {count})."
)
LIST_NAME_CONTROL = "A contact list's name cannot contain line breaks or control characters."
LIST_ENTRY_INVALID = "A list entry needs the contact's directory and id."
CONTACT_NOT_FOUND = "There is no contact {contact_id!r} in the local directories."
LIST_NOT_FOUND = "There is no contact list {list_id!r}."
ENTRY_NOT_FOUND = "Contact list {list_id!r} has no entry at position {index}."
IN_BATCH = "Contact {position} ({name!r}): {error}"


class InvalidContactInput(ValueError):
    """A contact or a list was refused; ``str()`` is the sentence to show. Nothing changed."""


class ContactNotFound(LookupError):
    """The contact, list or list entry asked for does not exist; ``str()`` says which."""

    def __str__(self) -> str:  # LookupError would show the repr of its argument
        return str(self.args[0]) if self.args else ""


def _text(value: str | None) -> str | None:
    """``value`` stripped, or None when it is None or blank."""
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def check_contact(contact: Contact) -> Contact:
    """``contact`` with its texts stripped, or :class:`InvalidContactInput` saying what is wrong.

    The visibility (``source``) is checked by the store, not here: an imported contact gets
    one only when it is saved.
    """
    name = (contact.name or "").strip()
    if not name:
        raise InvalidContactInput(NAME_EMPTY)
    if _CONTROL.search(name):
        raise InvalidContactInput(NAME_CONTROL)
    company, department = _text(contact.company), _text(contact.department)
    for field_name, value in (("company", company), ("department", department)):
        if value is not None and _CONTROL.search(value):
            raise InvalidContactInput(FIELD_CONTROL.format(field=field_name))
    email = _text(contact.email)
    if email is not None and _EMAIL.fullmatch(email) is None:
        raise InvalidContactInput(EMAIL_INVALID.format(email=email))
    numbers: list[tuple[str, str]] = []
    for position, (label, number) in enumerate(contact.numbers, start=1):
        label, number = (label or "").strip(), (number or "").strip()
        if not number:
            raise InvalidContactInput(NUMBER_EMPTY.format(position=position))
        if not is_dialable(number):
            raise InvalidContactInput(NUMBER_NOT_DIALABLE.format(number=number))
        if ";" in label or _CONTROL.search(label):
            raise InvalidContactInput(LABEL_INVALID.format(label=label))
        numbers.append((label, number))
    if not numbers and email is None:
        raise InvalidContactInput(NO_DETAIL)
    return dataclasses.replace(
        contact,
        name=name,
        numbers=tuple(numbers),
        company=company,
        department=department,
        email=email,
    )


def check_visibility(source: str) -> str:
    if source not in VISIBILITIES:
        raise InvalidContactInput(VISIBILITY_INVALID.format(source=source))
    return source


def check_list_name(name: str) -> str:
    """The stripped list name, or :class:`InvalidContactInput`."""
    stripped = (name or "").strip()
    if not stripped:
        raise InvalidContactInput(LIST_NAME_EMPTY)
    if len(stripped) > LIST_NAME_MAX_CHARS:
        raise InvalidContactInput(
            LIST_NAME_TOO_LONG.format(limit=LIST_NAME_MAX_CHARS, count=len(stripped))
        )
    if _CONTROL.search(stripped):
        raise InvalidContactInput(LIST_NAME_CONTROL)
    return stripped
