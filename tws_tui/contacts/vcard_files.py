"""Contacts in and out of vCard files (3.0 and 4.0): the mapping of cards to
:class:`~tws_tui.core.model.Contact` (what an import returns is :mod:`.import_report`).

Read and written through ``vobject`` (imported on first use only). ``FN`` is the name (else
``N``), ``ORG`` the company and its first unit the department, the first ``EMAIL`` the e-mail,
each ``TEL`` a number (a ``tel:`` URI of vCard 4.0 too). A number's label comes from an Apple
``X-ABLabel`` of the same group, else from its ``TYPE``: ``work`` → ``Bureau``, ``cell`` →
``Mobile``, ``home`` → ``Domicile``, ``fax`` → ``Fax``, ``pager`` → ``Bip``; any other type is
taken as the label itself (``voice``, ``pref``, ``internet`` and ``x-…`` say nothing and are
skipped). Export reverses that table, so a label survives the round trip. More details: the
other ``EMAIL`` lines, ``URL``, ``ADR`` (its parts as lines; exported as one street of several
lines), ``TITLE``, ``BDAY``, ``NOTE``, ``X-ASSISTANT`` (Evolution's and Outlook's read too) and
``X-CUSTOMER-NUMBER``; they come back grouped by kind in that order. Problems are
numbered by card (the first card is 1) and the message gives the line the card starts on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tws_tui.contacts.import_report import ImportReport, load_text
from tws_tui.contacts.rules import (
    ADDRESS,
    ASSISTANT,
    BIRTHDAY,
    CUSTOMER_NUMBER,
    EMAIL,
    JOB_TITLE,
    NOTE,
    PRIVATE,
    URL,
    InvalidContactInput,
    check_contact,
)
from tws_tui.core.model import Contact
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import N_, _

#: vCard TEL types and the labels they stand for; export uses it the other way round.
_TYPE_LABELS = {
    "cell": "Mobile",
    "fax": "Fax",
    "pager": "Bip",
    "work": "Bureau",
    "home": "Domicile",
}
_LABEL_TYPES = {fold(label): type_ for type_, label in _TYPE_LABELS.items()}
#: vCard properties of each detail kind (the first is written; all are read).
_VCARD_DETAILS = {
    EMAIL: ("email",),
    URL: ("url",),
    ADDRESS: ("adr",),
    JOB_TITLE: ("title",),
    ASSISTANT: ("x-assistant", "x-evolution-assistant", "x-ms-assistant"),
    BIRTHDAY: ("bday",),
    CUSTOMER_NUMBER: ("x-customer-number",),
    NOTE: ("note",),
}
_SILENT_TYPES = {"voice", "pref", "internet", "text", "msg", "video", "textphone", "main"}
_VCARD_VERSIONS = ("3.0", "4.0")

CARD_UNREADABLE = N_("Card starting on line {line}: {error}")
CARD_UNFINISHED = N_("Card starting on line {line} has no END:VCARD.")
CARD_NO_NAME = N_("Card starting on line {line} has no FN nor N (no name).")
CARD_INVALID = N_("Card starting on line {line}: {error}")
NO_CARD = N_("No vCard found (a card starts with BEGIN:VCARD).")
UNKNOWN_VERSION = N_("vCard version {version!r} is not one of 3.0, 4.0.")


_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.IGNORECASE)
_VOBJECT_LINE = re.compile(r"^At line \d+: ")


def _cards(text: str) -> Iterator[tuple[int, str | None]]:
    """``(start line, card text)`` per card; the text is None for a card never closed."""
    start, block = 0, []  # type: tuple[int, list[str]]
    for number, line in enumerate(text.splitlines(), start=1):
        if _BEGIN.match(line):
            if block:  # a BEGIN before the previous END: that card is unfinished
                yield start, None
            start, block = number, [line]
        elif block:
            block.append(line)
            if _END.match(line):
                yield start, "\r\n".join(block) + "\r\n"
                block = []
    if block:
        yield start, None


def _tel_label(tel: Any, labels: dict[str, str]) -> str:
    if tel.group and tel.group.lower() in labels:
        return labels[tel.group.lower()]
    tokens: list[str] = []
    for value in tel.params.get("TYPE", []):
        parts = [part.strip() for part in value.split(",")]
        known = all(p.lower() in _TYPE_LABELS or p.lower() in _SILENT_TYPES for p in parts)
        tokens.extend(parts if known else [value.strip()])
    for type_ in _TYPE_LABELS:  # the table's order: the most telling type first
        if any(token.lower() == type_ for token in tokens):
            return _TYPE_LABELS[type_]
    for token in tokens:
        lowered = token.lower()
        if token and lowered not in _SILENT_TYPES and not lowered.startswith("x-"):
            return token
    return ""


def _tel_number(value: object) -> str:
    number = str(value).strip()
    if number.lower().startswith("tel:"):
        number = number[4:].split(";", 1)[0]  # drop URI parameters (";ext=…")
    return number


def _contact_of_card(card: Any, visibility: str) -> Contact | None:
    """The contact of one parsed card, or None when it has no name."""
    contents = card.contents
    name = str(contents["fn"][0].value).strip() if "fn" in contents else ""
    if not name and "n" in contents:
        n = contents["n"][0].value
        name = " ".join(
            str(part).strip()
            for part in (n.prefix, n.given, n.additional, n.family, n.suffix)
            if str(part).strip()
        )
    if not name:
        return None
    company = department = None
    if "org" in contents:
        org = contents["org"][0].value
        units = [str(unit).strip() for unit in (org if isinstance(org, list) else [org])]
        company = units[0] if units else None
        department = ", ".join(unit for unit in units[1:] if unit) or None
    emails = [str(line.value).strip() for line in contents.get("email", [])]
    email = emails[0] if emails else None
    details = [(EMAIL, address) for address in emails[1:] if address]
    for kind, names in _VCARD_DETAILS.items():
        if kind == EMAIL:
            continue  # above: the first is the main one
        for line in (line for name in names for line in contents.get(name, [])):
            value = _address_text(line.value) if kind == ADDRESS else str(line.value).strip()
            if value:
                details.append((kind, value))
    labels = {
        line.group.lower(): str(line.value).strip()
        for line in contents.get("x-ablabel", [])
        if line.group
    }
    numbers = tuple(
        (_tel_label(tel, labels), _tel_number(tel.value)) for tel in contents.get("tel", [])
    )
    return Contact(
        id="",
        source=visibility,
        name=name,
        numbers=numbers,
        company=company,
        department=department,
        email=email,
        details=tuple(details),
    )


def _address_text(address: Any) -> str:
    """A vCard ``ADR`` as lines: the street (its own lines), ``code city``, region, country."""
    if isinstance(address, str):
        return address.strip()
    parts = (
        address.box,
        address.extended,
        address.street,
        " ".join(p for p in (str(address.code).strip(), str(address.city).strip()) if p),
        address.region,
        address.country,
    )
    lines = []
    for part in parts:
        text = "\n".join(str(p) for p in part) if isinstance(part, list) else str(part)
        lines += [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines)


def import_vcard(source: str | Path, *, visibility: str = PRIVATE) -> ImportReport:
    """Contacts from a vCard file or text (3.0 or 4.0; one card per contact).

    ``source``: a ``Path``, a file name, or the vCard text itself (a ``str`` with a line
    break). Each card is parsed on its own, so a broken card is reported (by card number)
    and the others are read.
    """
    text, failed = load_text(source)
    if text is None:
        return failed or ImportReport()
    import vobject  # type: ignore[import-untyped]  # lazy: not on the start-up path

    contacts: list[Contact] = []
    problems: list[tuple[int, str]] = []
    number = 0
    for number, (line, block) in enumerate(_cards(text), start=1):
        if block is None:
            problems.append((number, _(CARD_UNFINISHED).format(line=line)))
            continue
        try:
            card = vobject.readOne(block, ignoreUnreadable=False)
            contact = _contact_of_card(card, visibility)
        except Exception as error:  # vobject raises ParseError, ValueError, AttributeError…
            reason = _VOBJECT_LINE.sub("", str(error))  # its line count is not the file's
            problems.append((number, _(CARD_UNREADABLE).format(line=line, error=reason)))
            continue
        if contact is None:
            problems.append((number, _(CARD_NO_NAME).format(line=line)))
            continue
        try:
            contacts.append(check_contact(contact))
        except InvalidContactInput as error:
            problems.append((number, _(CARD_INVALID).format(line=line, error=error)))
    if number == 0:
        problems.append((0, _(NO_CARD)))
    return ImportReport(tuple(contacts), tuple(problems))


def _name_parts(name: str) -> tuple[str, str]:
    """``(family, given)`` for the vCard ``N`` property: the last word is the family name."""
    given, _, family = name.strip().rpartition(" ")
    return family, given


def export_vcard(contacts: Iterable[Contact], *, version: str = "3.0") -> str:
    """The vCard text of ``contacts``, one card each, which :func:`import_vcard` reads back."""
    if version not in _VCARD_VERSIONS:
        raise ValueError(_(UNKNOWN_VERSION).format(version=version))
    import vobject  # lazy: not on the start-up path

    cards: list[str] = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("version").value = version
        card.add("fn").value = contact.name
        family, given = _name_parts(contact.name)
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        if contact.company or contact.department:
            org = [contact.company or ""]
            if contact.department:
                org.append(contact.department)
            card.add("org").value = org
        if contact.email:
            card.add("email").value = contact.email
        for kind, value in contact.details:
            if kind == ADDRESS:  # the whole text as the street: its lines come back as they are
                card.add("adr").value = vobject.vcard.Address(street=value)
            else:
                card.add(_VCARD_DETAILS[kind][0]).value = value
        for label, number in contact.numbers:
            tel = card.add("tel")
            tel.value = number
            if label:
                tel.type_paramlist = [_LABEL_TYPES.get(fold(label), label)]
        cards.append(card.serialize())
    return "".join(cards)
