"""Contacts in and out of vCard files (read: 2.1, 3.0, 4.0; written: 3.0 or 4.0): what each
card line means for a :class:`~tws_tui.core.model.Contact` (the text format itself is
:mod:`.vcard_text`; what an import returns is :mod:`.import_report`).

**Reading a card.** The name is ``FN`` as written (commas included), else the ``N`` parts
(prefix, given, additional, family, suffix), else the company: a card with only an ``ORG`` is
the company's contact, as phones show it. ``ORG``'s first unit is the company, the others the
department. Each ``EMAIL`` is an address (``"Name" <address>`` gives the address); the first
good one is the e-mail, the others details. Each ``TEL`` is a number (a ``tel:`` URI too); its
label comes from an Apple ``X-ABLabel`` of the same group (``_$!<AssistantPhone>!$_`` reads
``Assistant``, see :data:`_APPLE_LABELS`), else from its types, ``TYPE=`` or vCard 2.1's bare
``TEL;CELL:``: ``work`` → ``Bureau``, ``cell`` → ``Mobile``, ``home`` → ``Domicile``, ``fax`` →
``Fax``, ``pager`` → ``Bip``, another type is the label itself (``voice``, ``pref``… and
``x-…`` say nothing). A number with letters (``+1-800-MYFAX``) is dialled as the keypad's
digits (``phonenumbers``: the switch dials digits, and the typed form stays in the card); a
pause, wait or extension (``0123p45``, ``… x12``) keeps the number before it; what is still
not a number (``p1234p5678w9``, a ``sip:`` address) is left out of the numbers. More details:
``URL``, ``ADR`` (its parts as lines), ``TITLE``, ``BDAY``, ``NOTE`` (its lines joined by
`` / ``), ``X-ASSISTANT`` (Evolution's and Outlook's read too) and ``X-CUSTOMER-NUMBER``, in
that order after the other e-mails.

**One odd line never costs the card.** A value that is not what its field takes (a bad
e-mail, a web address without ``http``, a number left out) is left out of the contact, and the
card's ``notes`` say which line and why; a card is refused (``problems``) only with no name
at all, or with neither a number nor an e-mail left. Messages give file line numbers.

**Nothing is lost.** Every line the contact's fields do not say exactly is kept as it was
read, as a hidden ``vcard`` detail (:data:`~tws_tui.contacts.rules.HIDDEN_DETAIL_KINDS`): the
structured ``N``, a third ``ORG`` unit, ``ADR`` parts, number types (pref, several types,
Apple labels in their group), and what the console has no field for (``PHOTO``, ``NICKNAME``,
``CATEGORIES``, ``IMPP``, ``ANNIVERSARY``, ``ROLE``, ``GEO``, ``TZ``, ``UID``, ``REV``,
``X-…``). Only ``VERSION`` and ``PRODID`` (ours are written) are not kept.

**Writing a card.** ``FN`` is the name. Each field is written from the line it was read from
while the contact still says the same thing (so its types, parts and group come back), else
anew: ``N`` from the name (its last word the family name; empty for a company's contact),
``ORG`` as company and department, a label of the table as its ``TYPE``, another one as an
Apple ``X-ABLabel`` in an ``itemN`` group. A kept ``N`` is written back while the name still
holds its family and given names. Kept lines of no field come after, in the order read; a
group's label lines go with their line, or not at all when it was changed. So import → export
→ import gives the same contacts.
"""

from __future__ import annotations

import binascii
import re
from collections import defaultdict
from collections.abc import Iterable
from email.utils import parseaddr
from pathlib import Path
from typing import NamedTuple

from tws_tui.contacts.import_report import CANNOT_READ, ImportReport
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
    VCARD_LINE,
    InvalidContactInput,
    all_emails,
    check_contact,
    hidden_details,
    is_email,
    is_web_address,
    shown_details,
)
from tws_tui.contacts.vcard_text import (
    Card,
    Line,
    content_line,
    decode_bytes,
    escape,
    fold,
    read_cards,
    split_list,
    split_structured,
    unescape,
)
from tws_tui.core.model import Contact
from tws_tui.domain.numbers import is_dialable
from tws_tui.domain.text import fold as fold_text
from tws_tui.platform.i18n import N_, _

#: vCard TEL types and the labels they stand for; export uses it the other way round.
_TYPE_LABELS = {
    "cell": "Mobile",
    "fax": "Fax",
    "pager": "Bip",
    "work": "Bureau",
    "home": "Domicile",
}
_LABEL_TYPES = {fold_text(label): type_ for type_, label in _TYPE_LABELS.items()}
_SILENT_TYPES = {"voice", "pref", "internet", "text", "msg", "video", "textphone", "main"}
#: Apple's own labels (``_$!<…>!$_``), as the table above names them where it can.
_APPLE_LABELS = {
    "mobile": "Mobile",
    "iphone": "iPhone",
    "home": "Domicile",
    "work": "Bureau",
    "main": "Standard",
    "homefax": "Fax",
    "workfax": "Fax",
    "otherfax": "Fax",
    "pager": "Bip",
    "other": "",
    "assistantphone": "Assistant",
}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
#: vCard properties of each detail kind (the first is written; all are read), in the order
#: the details come.
_VCARD_DETAILS = {
    URL: ("URL",),
    ADDRESS: ("ADR",),
    JOB_TITLE: ("TITLE",),
    ASSISTANT: ("X-ASSISTANT", "X-EVOLUTION-ASSISTANT", "X-MS-ASSISTANT"),
    BIRTHDAY: ("BDAY",),
    CUSTOMER_NUMBER: ("X-CUSTOMER-NUMBER",),
    NOTE: ("NOTE",),
}
_DETAIL_OF = {name: kind for kind, names in _VCARD_DETAILS.items() for name in names}
_DETAIL_ORDER = {kind: index for index, kind in enumerate((EMAIL, *_VCARD_DETAILS))}
_NOT_KEPT = {"VERSION", "PRODID", "PROFILE"}  # they say what the file is, not the person
_ATTACHED = {"X-ABLABEL", "X-ABADR"}  # lines that only say something of their group's line
_VCARD_VERSIONS = ("3.0", "4.0")
_PAUSE = re.compile(r"\s*(?:[pw,;]|x|ext\.?)\s*[0-9*#].*$", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]{2,}")

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
NUMBER_LETTERS = N_("Line {line}: {value!r} has letters: it is dialled as {number}.")
NUMBER_CUT = N_(
    "Line {line}: {value!r} has more than a number (a pause, a wait, an extension, an address): "
    "the number kept is {number}."
)
NUMBER_DROPPED = N_("Line {line}: {value!r} left out of the numbers: {reason}.")
NOT_A_NUMBER = N_("it is not a phone number")
SIP_ADDRESS = N_("it is an internet call address, not a phone number")
ONLY_PAUSES = N_("pauses and waits (p, w) are not dialled")
EMAIL_DROPPED = N_("Line {line}: {value!r} is not an e-mail address; it is left out.")
URL_DROPPED = N_(
    "Line {line}: {value!r} is not a web address (http://, https:// or www.); it is left out."
)
DATA_DAMAGED = N_("Line {line}: the data of {name} (base64) is damaged; it is left out.")
KEPT_UNSHOWN = N_("(The line stays in the contact for the next export.)")


class _Item(NamedTuple):
    """What one line gives the contact: ``slot`` is ``number``, ``email``, ``org`` or a
    detail kind."""

    slot: str
    value: tuple[str, str]  # (label, number), (company, department), else (text, "")


class _Read(NamedTuple):
    items: list[_Item]
    notes: list[str]


# ---- reading ----------------------------------------------------------------------------------


def _one_line(value: str) -> str:
    """A text value on one line: its lines joined by `` / ``, tabs as spaces."""
    lines = [part.strip() for part in unescape(value).replace("\t", " ").splitlines()]
    return " / ".join(part for part in lines if part)


def _apple_label(text: str) -> str:
    match = _APPLE_LABEL.fullmatch(text.strip())
    if match is None:
        return text.strip()
    inner = match[1]
    return _APPLE_LABELS.get(inner.lower(), inner)


def _tel_label(line: Line, labels: dict[str, str]) -> str:
    if line.group and line.group.lower() in labels:
        return " ".join(labels[line.group.lower()].replace(";", ",").split())
    tokens = [value.strip() for value in line.param("TYPE")]
    for type_ in _TYPE_LABELS:  # the table's order: the most telling type first
        if any(token.lower() == type_ for token in tokens):
            return _TYPE_LABELS[type_]
    for token in tokens:
        lowered = token.lower()
        if token and lowered not in _SILENT_TYPES and not lowered.startswith("x-"):
            return " ".join(token.replace(";", ",").split())
    return ""


def _read_tel(line: Line, labels: dict[str, str]) -> _Read:
    typed = unescape(line.value).strip()
    number = typed
    lowered = number.lower()
    notes: list[str] = []
    if lowered.startswith("tel:"):
        number, _sep, uri_params = number[4:].partition(";")
        if "ext=" in uri_params.lower():  # an extension is not dialled with the number
            notes.append(_(NUMBER_CUT).format(line=line.line, value=typed, number=number))
    elif re.match(r"[a-z][a-z0-9+.-]*:", lowered):  # sip:, another URI
        reason = _(SIP_ADDRESS) if lowered.startswith(("sip:", "sips:")) else _(NOT_A_NUMBER)
        return _Read([], [_(NUMBER_DROPPED).format(line=line.line, value=typed, reason=reason)])
    label = _tel_label(line, labels)
    if not number or is_dialable(number):
        return _Read([_Item("number", (label, number))] if number else [], notes)
    local, at, _host = number.partition("@")  # a pager's gateway address: its number first
    if at and is_dialable(local):
        note = _(NUMBER_CUT).format(line=line.line, value=typed, number=local.strip())
        return _Read([_Item("number", (label, local.strip()))], [note])
    before = _PAUSE.sub("", number).strip()
    if before != number and before and is_dialable(before):
        note = _(NUMBER_CUT).format(line=line.line, value=typed, number=before)
        return _Read([_Item("number", (label, before))], [note])
    if _LETTERS.search(number) and len(re.findall(r"[0-9]", number)) >= 3:
        from phonenumbers import convert_alpha_characters_in_number  # lazy: rare

        digits = convert_alpha_characters_in_number(number)
        if is_dialable(digits):
            note = _(NUMBER_LETTERS).format(line=line.line, value=typed, number=digits)
            return _Read([_Item("number", (label, digits))], [note])
    reason = _(ONLY_PAUSES) if re.fullmatch(r"[0-9pw,;*#+ ]+", number, re.I) else _(NOT_A_NUMBER)
    return _Read([], [_(NUMBER_DROPPED).format(line=line.line, value=typed, reason=reason)])


def _address_text(value: str) -> str:
    """A vCard ``ADR`` as lines: box, extended, street (their own lines), ``code city``,
    region, country."""
    parts = [split_list(part) for part in split_structured(value)]
    parts += [[""]] * (7 - len(parts))
    box, extended, street, city, region, code, country = parts[:7]
    city_line = " ".join(p for p in (" ".join(code).strip(), " ".join(city).strip()) if p)
    lines: list[str] = []
    for part in (box, extended, street, [city_line], region, country):
        for item in part:
            lines += [piece.strip() for piece in item.splitlines() if piece.strip()]
    return "\n".join(lines)


def _org_units(value: str) -> list[str]:
    return [" ".join(unescape(unit).split()) for unit in split_structured(value)]


def _read_line(line: Line, labels: dict[str, str]) -> _Read:
    """What ``line`` gives the contact (never the name: :func:`_name_of` reads it)."""
    name = line.name
    if name == "TEL":
        return _read_tel(line, labels)
    if name == "EMAIL":
        typed = unescape(line.value).strip()
        address = parseaddr(typed)[1] if "<" in typed else typed
        if is_email(address):
            return _Read([_Item("email", (address, ""))], [])
        note = _(EMAIL_DROPPED).format(line=line.line, value=typed)
        return _Read([], [note] if typed else [])
    if name == "ORG":  # read for export's matching only: the card's company is its first ORG
        units = _org_units(line.value)
        company, department = units[0], ", ".join(unit for unit in units[1:] if unit)
        return _Read([_Item("org", (company, department))] if company or department else [], [])
    kind = _DETAIL_OF.get(name)
    if kind is None:
        return _Read([], [])
    text = _address_text(line.value) if kind == ADDRESS else _one_line(line.value)
    if kind == URL and text and not is_web_address(text):
        return _Read([], [_(URL_DROPPED).format(line=line.line, value=text)])
    return _Read([_Item(kind, (text, ""))] if text else [], [])


def _labels(lines: Iterable[Line]) -> dict[str, str]:
    return {
        line.group.lower(): _apple_label(unescape(line.value))
        for line in lines
        if line.name == "X-ABLABEL" and line.group
    }


def _name_parts(value: str) -> list[str]:
    """``N`` as family, given, additional, prefix, suffix (each its items joined by spaces)."""
    parts = [
        " ".join(i.strip() for i in split_list(p) if i.strip()) for p in split_structured(value)
    ]
    return (parts + [""] * 5)[:5]


def _name_of(lines: list[Line], company: str) -> str:
    for line in lines:
        if line.name == "FN":
            name = " ".join(unescape(line.value).split())
            if name:
                return name
    for line in lines:
        if line.name == "N":
            family, given, additional, prefix, suffix = _name_parts(line.value)
            name = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
            if name:
                return name
    return company


def _fresh(item: _Item, group: str = "") -> list[str]:
    """The lines export writes for ``item`` when no line was kept for it."""
    slot, value = item
    if slot == "number":
        label, number = value
        type_ = _LABEL_TYPES.get(fold_text(label)) if label else None
        if not label or type_:
            return [content_line("TEL", escape(number), [("TYPE", type_)] if type_ else [])]
        return [
            content_line("TEL", escape(number), group=group),
            content_line("X-ABLabel", escape(label), group=group),
        ]
    if slot == "org":
        company, department = value
        units = [escape(company, structured=True)]
        if department:
            units.append(escape(department, structured=True))
        return [content_line("ORG", ";".join(units))]
    text = value[0]
    if slot == "email":
        return [content_line("EMAIL", escape(text))]
    if slot == ADDRESS:  # the whole text as the street: its lines come back as they are
        return [content_line("ADR", ";;" + escape(text, structured=True) + ";;;;")]
    return [content_line(_VCARD_DETAILS[slot][0], escape(text))]


def _fresh_n(name: str, company: str | None) -> str:
    if company and name == company:
        return "N:;;;;"
    given, _sep, family = name.strip().rpartition(" ")
    return f"N:{escape(family, structured=True)};{escape(given, structured=True)};;;"


def _n_fits(line: Line, name: str) -> bool:
    """True when the kept ``N`` still names the contact: its family and given names are in
    the name."""
    family, given = _name_parts(line.value)[:2]
    folded = fold_text(name)
    return bool(family or given) and all(fold_text(p) in folded for p in (family, given) if p)


def _as_written(line: Line, read: _Read, group_lines: list[Line]) -> bool:
    """True when export would write ``line`` (and its group) back the same from ``read``."""
    if len(read.items) != 1 or read.notes:
        return False
    if line.group:
        attached = [other.text() for other in group_lines if other is not line]
        return _fresh(read.items[0], line.group) == [line.text(), *attached]
    return _fresh(read.items[0]) == [line.text()]


def _is_damaged(line: Line) -> bool:
    """True for a base64 value (a photo, a key) that does not decode."""
    if not any(value.lower() in ("b", "base64") for value in line.param("ENCODING")):
        return False
    try:
        binascii.a2b_base64(line.value.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return True
    return False


def _contact_of_card(card: Card, visibility: str) -> tuple[Contact | None, list[str]]:
    """The contact of one card (None when it has no name) and its notes.

    The kept lines come in the order export writes them (so that a re-import keeps them
    in the same order): ``N`` (and the name it went with), ``ORG``, then the lines of the
    e-mails, numbers and details in their order, then the lines of no field in file order.
    """
    lines = card.lines
    labels = _labels(lines)
    groups: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if line.group:
            groups[line.group.lower()].append(line)
    orgs = [line for line in lines if line.name == "ORG"]
    company = department = ""
    if orgs:
        units = _org_units(orgs[0].value)
        company, department = units[0], ", ".join(unit for unit in units[1:] if unit)
    name = _name_of(lines, company)
    notes: list[str] = []
    head: list[str] = []  # N, the name it went with, the first ORG
    numbers: list[tuple[tuple[str, str], list[str]]] = []
    emails: list[tuple[str, list[str]]] = []
    details: list[tuple[tuple[str, str], list[str]]] = []
    extras: list[str] = []
    shadowed: set[str] = set()  # groups whose line is kept: their label lines go with it
    n_seen = False
    for line in lines:
        tag = line.name
        if tag in _NOT_KEPT or tag == "FN" or (tag in _ATTACHED and line.group):
            continue
        if tag == "N":
            if n_seen:
                extras.append(line.text())
            elif line.text() != _fresh_n(name, company):
                head.append(line.text())
                if not _n_fits(line, name):
                    head.append("FN:" + escape(name))
            n_seen = True
            continue
        if tag == "ORG":  # the first is the company; another one is only kept
            if line is orgs[0]:
                fresh = _fresh(_Item("org", (company, department)))[0]
                if len(orgs) > 1 or line.text() != fresh:  # export finds the others after it
                    head.append(line.text())
                    if line.group:
                        shadowed.add(line.group.lower())
                        head += [
                            o.text() for o in groups[line.group.lower()] if o.name in _ATTACHED
                        ]
            else:
                extras.append(line.text())
            continue
        if _is_damaged(line):
            notes.append(_(DATA_DAMAGED).format(line=line.line, name=tag))
            continue
        read = _read_line(line, labels)
        notes += read.notes
        group = groups.get(line.group.lower(), []) if line.group else []
        if not read.items:
            extras.append(line.text())
            continue
        keep: list[str] = []
        if not _as_written(line, read, group):
            keep.append(line.text())
            if line.group and line.group.lower() not in shadowed:
                shadowed.add(line.group.lower())
                keep += [other.text() for other in group if other.name in _ATTACHED]
        item = read.items[0]
        if item.slot == "number":
            numbers.append((item.value, keep))
        elif item.slot == "email":
            emails.append((item.value[0], keep))
        else:
            details.append(((item.slot, item.value[0]), keep))
    extras += [  # the label lines of groups of unshown lines only
        line.text()
        for line in lines
        if line.name in _ATTACHED
        and line.group
        and line.group.lower() not in shadowed
        and any(other.text() in extras for other in groups[line.group.lower()])
    ]
    if not name:
        return None, notes
    if notes and (extras or any(keep for _i, keep in numbers)):
        notes.append(_(KEPT_UNSHOWN))
    details.sort(key=lambda pair: _DETAIL_ORDER[pair[0][0]])
    kept = head + [text for _value, keep in (*emails, *numbers, *details) for text in keep]
    contact = Contact(
        id="",
        source=visibility,
        name=name,
        numbers=tuple(pair for pair, _keep in numbers),
        company=company or None,
        department=department or None,
        email=emails[0][0] if emails else None,
        details=(
            *((EMAIL, address) for address, _keep in emails[1:]),
            *(pair for pair, _keep in details),
            *((VCARD_LINE, text) for text in kept + extras),
        ),
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
            problems.append((card.number, " ".join([message, *notes])))
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
    labels = _labels(kept)
    waiting: dict[_Item, list[Line]] = defaultdict(list)
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
                for item in _read_line(line, labels).items:
                    waiting[item].append(line)
        elif line.name not in _ATTACHED:
            for item in _read_line(line, labels).items:
                waiting[item].append(line)
    shadows = {id(line) for lines in waiting.values() for line in lines}
    attached: dict[str, list[Line]] = defaultdict(list)
    for line in kept:
        if line.group and line.name in _ATTACHED:
            attached[line.group.lower()].append(line)
    used_groups = {line.group.lower() for line in kept if line.group}
    fn = "FN:" + escape(contact.name)
    out = [f"VERSION:{version}", fn]
    same_name = name_line is not None and name_line.text() == fn
    if n_line is not None and (same_name or _n_fits(n_line, contact.name)):
        out.append(n_line.text())
    else:
        out.append(_fresh_n(contact.name, contact.company))
    written: set[int] = {id(line) for line in (n_line, name_line) if line is not None}
    items: list[_Item] = []
    if contact.company or contact.department:
        items.append(_Item("org", (contact.company or "", contact.department or "")))
    items += [_Item("email", (address, "")) for address in all_emails(contact)]
    items += [_Item("number", pair) for pair in contact.numbers]
    items += [_Item(kind, (value, "")) for kind, value in shown_details(contact) if kind != EMAIL]
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
        if item.slot == "number" and fold_text(item.value[0]) not in _LABEL_TYPES:
            counter += 1
            while f"item{counter}" in used_groups:
                counter += 1
            group = f"item{counter}"
        out += _fresh(item, group)
    dropped_groups = {
        line.group.lower() for line in kept if id(line) in shadows and id(line) not in written
    }
    for line in kept:
        if id(line) in written or id(line) in shadows:
            continue
        if line.group and line.name in _ATTACHED and line.group.lower() in dropped_groups:
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
