"""What a local contact and a contact list must be, the errors a refused change raises, and
every sentence those errors carry (English msgids, in one place; ``str(error)`` is the
sentence in the current language, its details filled in).

Rules (TWS Caller §2.5.1 and §2.4.2):

* a contact has a name; company, department and e-mail are optional;
* it has at least one phone number or an e-mail address (TWS-2.5.1-9: Save stays disabled
  otherwise);
* each number is one the switch can dial (:func:`tws_tui.domain.numbers.is_dialable`) and its label
  has no ``;`` (the CSV numbers column separates numbers with it);
* an e-mail address has one ``@`` with text on both sides and no spaces;
* more details (TWS-2.5.1-6/-7), each ``(kind, value)`` with a kind of :data:`DETAIL_KINDS`
  and a value that is not blank: more e-mail addresses (as above), web addresses (``http``,
  ``https`` or ``www.``, no spaces), postal addresses (several lines), and the five fields
  (job title, assistant, birthday, customer number, note; one line each);
* a local contact is ``"private"`` or ``"public"`` (``Contact.source``);
* a contact list has a name of 1 to 40 characters (TWS-2.4.2-2), a sort of
  :data:`LIST_SORTS` (TWS-2.4.2-6) and a display of :data:`LIST_DISPLAYS` (TWS-2.4.2-7).

Texts are stripped of surrounding spaces; a field made only of spaces counts as empty.
"""

from __future__ import annotations

import re

from tws_tui.core.model import Contact
from tws_tui.domain.numbers import is_dialable
from tws_tui.platform.i18n import N_, _

PRIVATE = "private"
PUBLIC = "public"
VISIBILITIES = (PRIVATE, PUBLIC)
LIST_NAME_MAX_CHARS = 40
#: How a list's contacts are sorted on the home screen (TWS-2.4.2-6), with their names.
LIST_SORTS: dict[str, str] = {
    "name": N_("By name, A to Z"),
    "name_desc": N_("By name, Z to A"),
    "available_first": N_("Available first, then by name"),
    "available_last": N_("Unavailable first, then by name"),
}
#: How its rows look there (TWS-2.4.2-7).
LIST_DISPLAYS: dict[str, str] = {
    "classic": N_("Classic: name and company"),
    "reduced": N_("Reduced: name and presence"),
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

EMAIL, URL, ADDRESS = "email", "url", "address"
JOB_TITLE, ASSISTANT, BIRTHDAY, CUSTOMER_NUMBER, NOTE = (
    "job_title",
    "assistant",
    "birthday",
    "customer_number",
    "note",
)
#: The kinds of detail, in the order the form offers them, with their names (translated
#: when shown).
DETAIL_KINDS: dict[str, str] = {
    EMAIL: N_("E-mail"),
    URL: N_("Web address"),
    ADDRESS: N_("Postal address"),
    JOB_TITLE: N_("Job title"),
    ASSISTANT: N_("Assistant"),
    BIRTHDAY: N_("Birthday"),
    CUSTOMER_NUMBER: N_("Customer number"),
    NOTE: N_("Note"),
}

# ---- the sentences --------------------------------------------------------------------------

NAME_EMPTY = N_("A contact needs a name.")
NAME_CONTROL = N_("A contact's name cannot contain line breaks or control characters.")
NO_DETAIL = N_("A contact needs at least one phone number or an e-mail address.")
NUMBER_EMPTY = N_("Phone number {position} is empty.")
NUMBER_NOT_DIALABLE = N_(
    "{number!r} is not a phone number: use digits, with an optional leading + "
    "(spaces, dots and dashes are allowed)."
)
LABEL_INVALID = N_("The label {label!r} cannot contain ';' or control characters.")
EMAIL_INVALID = N_("{email!r} is not an e-mail address.")
DETAIL_KIND_INVALID = N_("{kind!r} is not a kind of contact detail.")
DETAIL_EMPTY = N_("Detail {position} ({kind}) is empty.")
URL_INVALID = N_("{url!r} is not a web address: it starts with http://, https:// or www.")
DETAIL_CONTROL = N_("Detail {position} ({kind}) cannot contain control characters.")
FIELD_CONTROL = N_("The {field} cannot contain line breaks or control characters.")
VISIBILITY_INVALID = N_("A local contact is 'private' or 'public', not {source!r}.")
LIST_NAME_EMPTY = N_("A contact list needs a name.")
LIST_NAME_TOO_LONG = N_(
    "A contact list's name is limited to {limit} characters (this one has {count})."
)
LIST_NAME_CONTROL = N_("A contact list's name cannot contain line breaks or control characters.")
LIST_VIEW_INVALID = N_("A list is sorted {sorts} and shown {displays}; not {value!r}.")
LIST_ENTRY_INVALID = N_("A list entry needs the contact's directory and id.")
CONTACT_NOT_FOUND = N_("There is no contact {contact_id!r} in the local directories.")
LIST_NOT_FOUND = N_("There is no contact list {list_id!r}.")
ENTRY_NOT_FOUND = N_("Contact list {list_id!r} has no entry at position {index}.")
IN_BATCH = N_("Contact {position} ({name!r}): {error}")


class _Sentence:
    """An error whose message is one of the sentences above, translated when shown."""

    def __init__(self, sentence: str, **details: object) -> None:
        super().__init__(sentence, details)  # type: ignore[call-arg]
        self.sentence = sentence
        self.details = details

    def __str__(self) -> str:
        return _(self.sentence).format(**self.details)


class InvalidContactInput(_Sentence, ValueError):
    """A contact or a list was refused; ``str()`` is the sentence to show. Nothing changed."""


class ContactNotFound(_Sentence, LookupError):
    """The contact, list or list entry asked for does not exist; ``str()`` says which."""


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
    for field_name, value in ((N_("company"), company), (N_("department"), department)):
        if value is not None and _CONTROL.search(value):
            raise InvalidContactInput(FIELD_CONTROL, field=_(field_name))
    email = _text(contact.email)
    if email is not None and _EMAIL.fullmatch(email) is None:
        raise InvalidContactInput(EMAIL_INVALID, email=email)
    numbers: list[tuple[str, str]] = []
    for position, (label, number) in enumerate(contact.numbers, start=1):
        label, number = (label or "").strip(), (number or "").strip()
        if not number:
            raise InvalidContactInput(NUMBER_EMPTY, position=position)
        if not is_dialable(number):
            raise InvalidContactInput(NUMBER_NOT_DIALABLE, number=number)
        if ";" in label or _CONTROL.search(label):
            raise InvalidContactInput(LABEL_INVALID, label=label)
        numbers.append((label, number))
    details = _checked_details(contact.details)
    if not numbers and email is None and not any(kind == EMAIL for kind, _value in details):
        raise InvalidContactInput(NO_DETAIL)
    return Contact(  # not dataclasses.replace: an import checks 100 000 of them
        contact.id,
        contact.source,
        name,
        tuple(numbers),
        company,
        department,
        email,
        contact.device_id,
        contact.favorite,
        details,
    )


def _checked_details(details: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The details stripped (each line of an address too), or :class:`InvalidContactInput`."""
    checked: list[tuple[str, str]] = []
    for position, (kind, value) in enumerate(details, start=1):
        if kind not in DETAIL_KINDS:
            raise InvalidContactInput(DETAIL_KIND_INVALID, kind=kind)
        named = _(DETAIL_KINDS[kind])
        if kind == ADDRESS:
            lines = [line.strip() for line in (value or "").splitlines()]
            text = "\n".join(line for line in lines if line)
            bad = _CONTROL_BUT_NEWLINE.search(text)
        else:
            text = (value or "").strip()
            bad = _CONTROL.search(text)
        if not text:
            raise InvalidContactInput(DETAIL_EMPTY, position=position, kind=named)
        if bad:
            raise InvalidContactInput(DETAIL_CONTROL, position=position, kind=named)
        if kind == EMAIL and _EMAIL.fullmatch(text) is None:
            raise InvalidContactInput(EMAIL_INVALID, email=text)
        if kind == URL and _URL.fullmatch(text) is None:
            raise InvalidContactInput(URL_INVALID, url=text)
        checked.append((kind, text))
    return tuple(checked)


def all_emails(contact: Contact) -> list[str]:
    """Every e-mail address of ``contact``: ``email`` first, then those among its details."""
    found = [contact.email] if contact.email else []
    return found + [value for kind, value in contact.details if kind == EMAIL]


def check_visibility(source: str) -> str:
    if source not in VISIBILITIES:
        raise InvalidContactInput(VISIBILITY_INVALID, source=source)
    return source


def check_list_view(sort: str, display: str) -> None:
    """:class:`InvalidContactInput` unless ``sort`` and ``display`` are known ones."""
    for value, known in ((sort, LIST_SORTS), (display, LIST_DISPLAYS)):
        if value not in known:
            raise InvalidContactInput(
                LIST_VIEW_INVALID,
                sorts=", ".join(LIST_SORTS),
                displays=", ".join(LIST_DISPLAYS),
                value=value,
            )


def check_list_name(name: str) -> str:
    """The stripped list name, or :class:`InvalidContactInput`."""
    stripped = (name or "").strip()
    if not stripped:
        raise InvalidContactInput(LIST_NAME_EMPTY)
    if len(stripped) > LIST_NAME_MAX_CHARS:
        raise InvalidContactInput(
            LIST_NAME_TOO_LONG, limit=LIST_NAME_MAX_CHARS, count=len(stripped)
        )
    if _CONTROL.search(stripped):
        raise InvalidContactInput(LIST_NAME_CONTROL)
    return stripped


#: Our two local directories, as the user knows them (the backend's go by their own name).
DIRECTORY_NAMES = {PRIVATE: N_("Private contacts"), PUBLIC: N_("Public contacts")}
#: The phone system's directories the backends here know (the simulator's, the reference CTI
#: server's): their ids are the contacts' ``source``, never shown as such.
PHONE_SYSTEM_DIRECTORIES = {
    "company": N_("Company directory"),
    "queue": N_("Queues"),
    "external": N_("Known callers"),
    "shared": N_("Shared lists"),
}


#: The directories kept on this machine from elsewhere (:mod:`tws_tui.contacts.carddav`).
KEPT_DIRECTORIES = {"carddav": N_("CardDAV")}


def directory_name(source: str) -> str:
    """A directory as the user knows it: ours, the kept ones and the phone system's known ones
    by a name in the user's language; a directory of another backend by the name that backend
    gives."""
    msgid = (
        DIRECTORY_NAMES.get(source)
        or KEPT_DIRECTORIES.get(source)
        or PHONE_SYSTEM_DIRECTORIES.get(source)
    )
    return _(msgid) if msgid else source
