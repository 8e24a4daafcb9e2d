"""Contacts in and out of vCard files (read: 2.1, 3.0, 4.0; written: 3.0 or 4.0): what each
card line means for a :class:`~tws_tui.core.model.Contact` (the text format itself is
:mod:`.vcard_text`; what an import returns is :mod:`.import_report`).

**Reading a card.** The name is ``FN`` as written (commas included), else the ``N`` parts
(prefix, given, additional, family, suffix), else the company: a card with only an ``ORG`` is
the company's contact, as phones show it. ``ORG``'s first unit is the company, the others the
department. Each ``EMAIL`` is an address (``"Name" <address>`` gives the address); the first
good one is the e-mail, the others details. Each ``TEL`` is a number (a ``tel:`` URI too); its
label comes from an Apple ``X-ABLabel`` of the same group (``_$!<AssistantPhone>!$_`` reads
``Assistant``, see :mod:`.vcard_fields`), else from its types, ``TYPE=`` or vCard 2.1's bare
``TEL;CELL:``: ``work`` → ``Bureau``, ``cell`` → ``Mobile``, ``home`` → ``Domicile``, ``fax`` →
``Fax``, ``pager`` → ``Bip``, another type is the label itself (``voice``, ``pref``… and
``x-…`` say nothing). A number with letters (``+1-800-MYFAX``) is dialled as the keypad's
digits (``phonenumbers``: the switch dials digits, and the typed form stays in the card); a
pause, wait or extension (``0123p45``, ``… x12``) keeps the number before it (the digits after
a pause or a wait, Android's ``p`` and ``w``, RFC 3966's ``,`` and ``;``, are tones to send once
the call is answered: a contact's number, what the switch dials, holds none, and the note names
them); what is still not a number (``p1234p5678w9``: tones with no number before them to call;
a ``sip:`` address) is left out of the numbers. More details:
``URL``, ``ADR`` (its parts as lines), ``TITLE``, ``BDAY``, ``NOTE`` (its lines joined by
`` / ``), ``X-ASSISTANT`` (Evolution's and Outlook's read too) and ``X-CUSTOMER-NUMBER``, in
that order after the other e-mails. A control character a decoded value brings (``=0C``) is a
space; a base64 value that does not decode (a damaged photo) is left out, with a note.

**One odd line never costs the card.** A value that is not what its field takes (a bad
e-mail, a web address without ``http``, a number left out) is left out of the contact, and the
card's ``notes`` say which line and why; a card is refused (``problems``) only with no name
at all, or with neither a number nor an e-mail left. Messages give file line numbers.

**Nothing is lost.** Every line the contact's fields do not say exactly is kept as it was
read, as a hidden ``vcard`` detail (:data:`~tws_tui.contacts.rules.HIDDEN_DETAIL_KINDS`): the
structured ``N``, a third ``ORG`` unit, ``ADR`` parts, number types (pref, several types,
Apple labels in their group), and what the console has no field for (``PHOTO``, ``NICKNAME``,
``CATEGORIES``, ``IMPP``, ``ANNIVERSARY``, ``ROLE``, ``GEO``, ``TZ``, ``UID``, ``REV``,
``X-…``). Only ``VERSION``, ``PRODID`` and ``PROFILE`` (ours are written) are not kept. When
the kept ``N`` does not hold the name (``FN:Joe Due`` with ``N:Gump;Forrest``), the name it
went with is kept too (an ``FN`` line), so that export knows whether the name changed since.

**Writing a card.** ``FN`` is the name. Each field is written from the line it was read from
while the contact still says the same thing (so its types, parts and group come back), else
anew: ``N`` from the name (its last word the family name; empty for a company's contact),
``ORG`` as company and department, a label of the table as its ``TYPE``, another one as an
Apple ``X-ABLabel`` in an ``itemN`` group. A kept ``N`` is written back while the name is the
one it went with, or still holds its family and given names. Kept lines of no field come
after, in the order read; a group's label lines go with their line, or not at all when it was
changed. So import → export → import gives the same contacts.

What each line means is :mod:`.vcard_fields`; reading the text (and why it is not ``vobject``:
measured, ten times too slow for 100 000 cards) is :mod:`.vcard_text`.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from tws_tui.contacts.import_report import CANNOT_READ, ImportReport
from tws_tui.contacts.rules import (
    EMAIL,
    PRIVATE,
    VCARD_LINE,
    InvalidContactInput,
    all_emails,
    check_contact,
    hidden_details,
    shown_details,
)
from tws_tui.contacts.vcard_fields import (
    ATTACHED,
    DATA_DAMAGED,
    DETAIL_ORDER,
    NOT_KEPT,
    Item,
    as_written,
    fresh,
    fresh_n,
    is_damaged,
    label_type,
    labels_of,
    n_fits,
    name_of,
    org_units,
    read_line,
)
from tws_tui.contacts.vcard_text import (
    Card,
    Line,
    decode_bytes,
    escape,
    fold,
    read_cards,
)
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import N_, _

_VCARD_VERSIONS = ("3.0", "4.0")
_NONE: list[str] = []  # shared, never changed: no line kept for a field
_NO_LINES: list[Line] = []

CARD_UNFINISHED = N_("The file ends before this card's END:VCARD; what it had is kept.")
CARD_NO_NAME = N_("Card starting on line {line} has no name (no FN, N nor ORG).")
CARD_INVALID = N_("Card starting on line {line}: {error}")
NO_CARD = N_("No vCard found (a card starts with BEGIN:VCARD).")
UNKNOWN_VERSION = N_("vCard version {version!r} is not one of 3.0, 4.0.")
CHARSET_GUESSED = N_(
    "The card does not say its character set: its text was read as {charset} (a guess); "
    "check its accents."
)
CHARSET_REPLACED = N_("Characters the card's character set cannot read were replaced by \ufffd.")
KEPT_UNSHOWN = N_("(The line stays in the contact for the next export.)")


def _contact_of_card(card: Card, visibility: str) -> tuple[Contact | None, list[str]]:
    """The contact of one card (None when it has no name) and its notes.

    The kept lines come in the order export writes them (so that a re-import keeps them
    in the same order): ``N`` (and the name it went with), ``ORG``, then the lines of the
    e-mails, numbers and details in their order, then the lines of no field in file order.
    """
    lines = card.lines
    groups: dict[str, list[Line]] = {}
    orgs: list[Line] = []
    for line in lines:
        if line.group:
            groups.setdefault(line.group.lower(), []).append(line)
        if line.name == "ORG":
            orgs.append(line)
    labels = labels_of(lines) if groups else {}
    company = department = ""
    if orgs:
        units = org_units(orgs[0].value)
        company, department = units[0], ", ".join(unit for unit in units[1:] if unit)
    name = name_of(lines, company)
    notes: list[str] = []
    head: list[str] = []  # N and the name it went with
    org_head: list[str] = []  # the first ORG (after N, as export writes them)
    numbers: list[tuple[tuple[str, str], list[str]]] = []
    emails: list[tuple[str, list[str]]] = []
    details: list[tuple[tuple[str, str], list[str]]] = []
    extras: list[str] = []
    shadowed: set[str] = set()  # groups whose line is kept: their label lines go with it
    n_seen = False
    for line in lines:
        tag = line.name
        if tag in NOT_KEPT or tag == "FN" or (tag in ATTACHED and line.group):
            continue
        if tag == "N":
            if n_seen:
                extras.append(line.text())
            elif line.text() != fresh_n(name, company):
                head.append(line.text())
                if not n_fits(line, name):
                    head.append("FN:" + escape(name))
            n_seen = True
            continue
        if tag == "ORG":  # the first is the company; another one is only kept
            if line is orgs[0]:
                written = fresh(("org", (company, department)))[0]
                if len(orgs) > 1 or line.text() != written:  # export finds the others after it
                    org_head.append(line.text())
                    if line.group:
                        shadowed.add(line.group.lower())
                        org_head += [
                            o.text() for o in groups[line.group.lower()] if o.name in ATTACHED
                        ]
            else:
                extras.append(line.text())
            continue
        if line.encoding == "B64" and is_damaged(line):
            notes.append(_(DATA_DAMAGED).format(line=line.line, name=tag))
            continue
        read = read_line(line, labels)
        item, line_notes = read
        if line_notes:
            notes += line_notes
        if item is None:
            extras.append(line.text())
            continue
        keep: list[str] = _NONE
        group = groups[line.group.lower()] if line.group else _NO_LINES
        if not as_written(line, read, group):
            keep = [line.text()]
            if line.group and line.group.lower() not in shadowed:
                shadowed.add(line.group.lower())
                keep += [other.text() for other in group if other.name in ATTACHED]
        slot, value = item
        if slot == "number":
            numbers.append((value, keep))
        elif slot == "email":
            emails.append((value[0], keep))
        else:
            details.append(((slot, value[0]), keep))
    if groups:  # the label lines of groups of unshown lines only
        extras += [
            line.text()
            for line in lines
            if line.name in ATTACHED
            and line.group
            and line.group.lower() not in shadowed
            and any(other.text() in extras for other in groups[line.group.lower()])
        ]
    if not name:
        return None, notes
    if notes and (extras or any(keep for _i, keep in numbers)):
        notes.append(_(KEPT_UNSHOWN))
    details.sort(key=lambda pair: DETAIL_ORDER[pair[0][0]])
    shown: list[tuple[str, str]] = [(EMAIL, address) for address, _keep in emails[1:]]
    shown += [pair for pair, _keep in details]
    hidden = head + org_head
    for _value, keep in emails:
        hidden += keep
    for _pair, keep in numbers:
        hidden += keep
    for _pair, keep in details:
        hidden += keep
    shown += [(VCARD_LINE, text) for text in hidden + extras]
    contact = Contact(
        id="",
        source=visibility,
        name=name,
        numbers=tuple([pair for pair, _keep in numbers]),
        company=company or None,
        department=department or None,
        email=emails[0][0] if emails else None,
        details=tuple(shown),
    )
    return contact, notes


def _read_source(source: str | Path) -> tuple[str, bytes | None, bool]:
    """The text of ``source`` (a file name, a ``Path`` or the text itself), its bytes when
    read from a file, and whether the text stands for bytes that are not UTF-8."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return source.removeprefix("\ufeff"), None, False
    data = Path(source).read_bytes()
    text, raw = decode_bytes(data)
    return text, data, raw


def import_vcard(source: str | Path, *, visibility: str = PRIVATE) -> ImportReport:
    """Contacts from a vCard file or text (2.1, 3.0 or 4.0; one card per contact), by the
    module's rules.

    ``source``: a ``Path``, a file name, or the vCard text itself (a ``str`` with a line
    break). Each card is read on its own: a refused card is reported (``problems``, by card
    number) and the others are read; what a kept card left out is in ``notes``.
    """
    try:
        text, data, raw = _read_source(source)
    except OSError as error:
        reason = error.strerror or str(error)
        return ImportReport(problems=((0, _(CANNOT_READ).format(path=source, error=reason)),))
    collecting = gc.isenabled()
    gc.disable()  # a card makes some twenty objects that all live on: no cycle to look for
    try:
        return _import_cards(text, data, raw, visibility)
    finally:
        if collecting:
            gc.enable()


def _import_cards(text: str, data: bytes | None, raw: bool, visibility: str) -> ImportReport:
    contacts: list[Contact] = []
    problems: list[tuple[int, str]] = []
    card_notes: list[tuple[int, str]] = []
    count = 0
    for card in read_cards(text, data, raw):
        count += 1
        contact, notes = _contact_of_card(card, visibility)
        if card.unsure_charset:
            notes.insert(0, _(CHARSET_GUESSED).format(charset=card.unsure_charset))
        if card.undecodable:
            notes.insert(0, _(CHARSET_REPLACED))
        if not card.closed:
            notes.insert(0, _(CARD_UNFINISHED))
        if contact is None:
            message = _(CARD_NO_NAME).format(line=card.line)
            problems.append((card.number, " ".join([message, *notes])))
            continue
        try:
            contacts.append(check_contact(contact))
        except InvalidContactInput as error:
            message = _(CARD_INVALID).format(line=card.line, error=error)
            kept = _(KEPT_UNSHOWN)  # there is no contact for the line to stay in
            problems.append((card.number, " ".join([message, *(n for n in notes if n != kept)])))
            continue
        card_notes += [(card.number, note) for note in notes]
    if count == 0:
        problems.append((0, _(NO_CARD)))
    return ImportReport(tuple(contacts), tuple(problems), tuple(card_notes))


# ---- writing ----------------------------------------------------------------------------------


def _card_lines(contact: Contact, version: str) -> list[str]:
    """The lines of ``contact``'s card (unfolded), by the module's rules."""
    hidden = [value for _kind, value in hidden_details(contact)]
    kept = next(read_cards("BEGIN:VCARD\r\n" + "\r\n".join(hidden) + "\r\nEND:VCARD\r\n")).lines
    labels = labels_of(kept)
    waiting: dict[Item, list[Line]] = defaultdict(list)
    n_line = name_line = None
    org_seen = False
    for line in kept:
        if line.name == "N" and n_line is None:
            n_line = line
        elif line.name == "FN" and name_line is None:
            name_line = line
        elif line.name == "ORG":  # the first one is the company's, the others only kept
            if not org_seen:
                org_seen = True
                item = read_line(line, labels)[0]
                if item is not None:
                    waiting[item].append(line)
        elif line.name not in ATTACHED:
            item = read_line(line, labels)[0]
            if item is not None:
                waiting[item].append(line)
    shadows = {id(line) for lines in waiting.values() for line in lines}
    attached: dict[str, list[Line]] = defaultdict(list)
    for line in kept:
        if line.group and line.name in ATTACHED:
            attached[line.group.lower()].append(line)
    used_groups = {line.group.lower() for line in kept if line.group}
    fn = "FN:" + escape(contact.name)
    out = [f"VERSION:{version}", fn]
    same_name = name_line is not None and name_line.text() == fn
    if n_line is not None and (same_name or n_fits(n_line, contact.name)):
        out.append(n_line.text())
    else:
        out.append(fresh_n(contact.name, contact.company))
    written: set[int] = {id(line) for line in (n_line, name_line) if line is not None}
    items: list[Item] = []
    if contact.company or contact.department:
        items.append(("org", (contact.company or "", contact.department or "")))
    items += [("email", (address, "")) for address in all_emails(contact)]
    items += [("number", pair) for pair in contact.numbers]
    items += [(kind, (value, "")) for kind, value in shown_details(contact) if kind != EMAIL]
    counter = 0
    for item in items:
        if waiting.get(item):
            line = waiting[item].pop(0)
            written.add(id(line))
            out.append(line.text())
            for other in attached.get(line.group.lower(), []) if line.group else []:
                written.add(id(other))
                out.append(other.text())
            continue
        group = ""
        if item[0] == "number" and item[1][0] and label_type(item[1][0]) is None:
            counter += 1
            while f"item{counter}" in used_groups:
                counter += 1
            group = f"item{counter}"
        out += fresh(item, group)
    dropped_groups = {
        line.group.lower() for line in kept if id(line) in shadows and id(line) not in written
    }
    for line in kept:
        if id(line) in written or id(line) in shadows:
            continue
        if line.group and line.name in ATTACHED and line.group.lower() in dropped_groups:
            continue
        out.append(line.text())
    return out


def export_vcard(contacts: Iterable[Contact], *, version: str = "3.0") -> str:
    """The vCard text of ``contacts``, one card each, which :func:`import_vcard` reads back
    the same (the module's rules)."""
    if version not in _VCARD_VERSIONS:
        raise ValueError(_(UNKNOWN_VERSION).format(version=version))
    chunks: list[str] = []
    for contact in contacts:
        chunks.append("BEGIN:VCARD\r\n")
        chunks += [fold(line) for line in _card_lines(contact, version)]
        chunks.append("END:VCARD\r\n")
    return "".join(chunks)
