"""What each vCard property means for a contact, one line at a time, and the line export
writes for a field: the tables and the decisions behind :mod:`.vcard_files`' rules (read
them there), apart from the card-level assembly.

* :func:`read_line` — what a ``TEL``, ``EMAIL``, ``ORG``, ``URL``, ``ADR``, ``TITLE``, ``BDAY``,
  ``NOTE``, ``X-ASSISTANT``… line gives the contact (an :data:`Item`) and the notes on what it
  left out; :func:`name_of` the card's name;
* :func:`fresh`, :func:`fresh_n` — the lines export writes for a field that has no kept line;
  :func:`as_written` — whether a read line is exactly that (then it need not be kept);
  :func:`n_fits` — whether a kept ``N`` still names the contact;
* :func:`is_damaged` — a base64 value that does not decode.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable
from email.utils import parseaddr
from functools import lru_cache

from tws_tui.contacts.rules import (
    ADDRESS,
    ASSISTANT,
    BIRTHDAY,
    CUSTOMER_NUMBER,
    EMAIL,
    JOB_TITLE,
    NOTE,
    URL,
    is_email,
    is_web_address,
)
from tws_tui.contacts.vcard_text import (
    Line,
    Params,
    content_line,
    escape,
    split_list,
    split_structured,
    unescape,
)
from tws_tui.domain.numbers import is_dialable
from tws_tui.domain.text import fold as fold_text
from tws_tui.platform.i18n import N_, _

#: vCard TEL types and the labels they stand for; export uses it the other way round (the
#: CSV formats too: a Google or Outlook "Mobile Phone" column's label).
TYPE_LABELS = {
    "cell": "Mobile",
    "fax": "Fax",
    "pager": "Bip",
    "work": "Bureau",
    "home": "Domicile",
}
_LABEL_TYPES = {fold_text(label): type_ for type_, label in TYPE_LABELS.items()}
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
DETAIL_ORDER = {kind: index for index, kind in enumerate((EMAIL, *_VCARD_DETAILS))}
NOT_KEPT = {"VERSION", "PRODID", "PROFILE"}  # they say what the file is, not the person
ATTACHED = {"X-ABLABEL", "X-ABADR"}  # lines that only say something of their group's line
_PAUSE = re.compile(r"\s*(?:[pw,;]|x|ext\.?)\s*[0-9*#].*$", re.IGNORECASE)
#: What follows a pause (Android's ``p``, RFC 3966's ``,``) or a wait (``w``, ``;``): tones.
_TONES = re.compile(r"[pw,;]", re.IGNORECASE)
_ONLY_TONES = re.compile(r"\s*[pw,;][0-9pw,;*# ]*", re.IGNORECASE)
_URI = re.compile(r"[a-z][a-z0-9+.-]*:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LETTERS = re.compile(r"[A-Za-z]{2,}")

NUMBER_LETTERS = N_("Line {line}: {value!r} has letters: it is dialled as {number}.")
NUMBER_CUT = N_(
    "Line {line}: {value!r} has more than a number (an extension, an address): the number kept "
    "is {number}."
)
NUMBER_TONES = N_(
    "Line {line}: {value!r}: the number kept is {number}; {tones!r} after its pause or wait are "
    "tones to send once the call is answered, which a contact's number does not hold."
)
NUMBER_DROPPED = N_("Line {line}: {value!r} left out of the numbers: {reason}.")
NOT_A_NUMBER = N_("it is not a phone number")
SIP_ADDRESS = N_("it is an internet call address, not a phone number")
ONLY_PAUSES = N_(
    "it starts with a pause or a wait (p, w): the digits after it are tones to send once a call "
    "is answered, and there is no number before them to call"
)
EMAIL_DROPPED = N_("Line {line}: {value!r} is not an e-mail address; it is left out.")
URL_DROPPED = N_(
    "Line {line}: {value!r} is not a web address (http://, https:// or www.); it is left out."
)
DATA_DAMAGED = N_("Line {line}: the data of {name} (base64) is damaged; it is left out.")

#: What one line gives the contact: ``(slot, value)``, the slot ``number``, ``email``, ``org``
#: or a detail kind, the value ``(label, number)``, ``(company, department)``, else
#: ``(text, "")`` (plain tuples: a card reads some ten of them, and a NamedTuple costs more).
Item = tuple[str, tuple[str, str]]
#: What reading a line found: its item (None: nothing the contact shows) and its notes.
Read = tuple[Item | None, list[str]]


def _words(text: str) -> str:
    """``text`` on one line, its spaces (and control characters, which a contact cannot
    hold: a decoded ``=0C``) as single spaces."""
    if not text.isprintable():
        text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def _one_line(value: str) -> str:
    """A text value on one line: its lines joined by `` / ``, other spaces as one."""
    text = unescape(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_words(part) for part in text.split("\n")]  # not splitlines: \x1e is no break
    return " / ".join(part for part in lines if part)


def _apple_label(text: str) -> str:
    match = _APPLE_LABEL.fullmatch(text.strip())
    if match is None:
        return text.strip()
    inner = match[1]
    return _APPLE_LABELS.get(inner.lower(), inner)


def _tel_label(line: Line, labels: dict[str, str]) -> str:
    """A number's label: its group's Apple label, else what its types say."""
    if line.group and line.group.lower() in labels:
        return _words(labels[line.group.lower()].replace(";", ","))
    return _type_label(line.params)


@lru_cache(maxsize=1024)  # a file has a few kinds of TEL lines, read thousands of times
def _type_label(params: Params) -> str:
    """The label the ``TYPE`` parameters of a number say (the module's table)."""
    tokens = [v.strip() for key, value in params if key == "TYPE" for v in value.split(",")]
    tokens = [token.strip('"') for token in tokens if token.strip('"')]
    for type_ in TYPE_LABELS:  # the table's order: the most telling type first
        if any(token.lower() == type_ for token in tokens):
            return TYPE_LABELS[type_]
    for token in tokens:
        lowered = token.lower()
        if token and lowered not in _SILENT_TYPES and not lowered.startswith("x-"):
            return _words(token.replace(";", ","))
    return ""


def _read_tel(line: Line, labels: dict[str, str]) -> Read:
    typed = _words(unescape(line.value))  # a broken line's rest came with a line break
    number = typed
    lowered = number.lower()
    notes: list[str] = []
    if lowered.startswith("tel:"):
        number, _sep, uri_params = number[4:].partition(";")
        if "ext=" in uri_params.lower():  # an extension is not dialled with the number
            notes.append(_(NUMBER_CUT).format(line=line.line, value=typed, number=number))
    elif ":" in lowered and _URI.match(lowered):  # sip:, another URI
        reason = _(SIP_ADDRESS) if lowered.startswith(("sip:", "sips:")) else _(NOT_A_NUMBER)
        return (None, [_(NUMBER_DROPPED).format(line=line.line, value=typed, reason=reason)])
    label = _tel_label(line, labels)
    if not number or is_dialable(number):
        return ((("number", (label, number)) if number else None), notes)
    local, at, _host = number.partition("@")  # a pager's gateway address: its number first
    if at and is_dialable(local):
        note = _(NUMBER_CUT).format(line=line.line, value=typed, number=local.strip())
        return (("number", (label, local.strip())), [note])
    cut = _PAUSE.search(number)
    before = number[: cut.start()].strip() if cut else ""
    if before and is_dialable(before):
        after = number[cut.start() :].strip() if cut else ""
        if _TONES.match(after):  # 0612345678p1234: the switch dials the number, not the tones
            tones = _(NUMBER_TONES).format(line=line.line, value=typed, tones=after, number=before)
            return (("number", (label, before)), [tones])
        note = _(NUMBER_CUT).format(line=line.line, value=typed, number=before)
        return (("number", (label, before)), [note])
    if _LETTERS.search(number) and len(re.findall(r"[0-9]", number)) >= 3:
        from phonenumbers import convert_alpha_characters_in_number  # lazy: rare

        digits = convert_alpha_characters_in_number(number)
        if is_dialable(digits):
            note = _(NUMBER_LETTERS).format(line=line.line, value=typed, number=digits)
            return (("number", (label, digits)), [note])
    reason = _(ONLY_PAUSES) if _ONLY_TONES.fullmatch(number) else _(NOT_A_NUMBER)
    return (None, [_(NUMBER_DROPPED).format(line=line.line, value=typed, reason=reason)])


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


def org_units(value: str) -> list[str]:
    return [_words(unescape(unit)) for unit in split_structured(value)]


def read_line(line: Line, labels: dict[str, str]) -> Read:
    """What ``line`` gives the contact (never the name: :func:`name_of` reads it)."""
    name = line.name
    if name == "TEL":
        return _read_tel(line, labels)
    if name == "EMAIL":
        typed = unescape(line.value).strip()
        address = parseaddr(typed)[1] if "<" in typed else typed
        if is_email(address):
            return (("email", (address, "")), [])
        note = _(EMAIL_DROPPED).format(line=line.line, value=typed)
        return (None, [note] if typed else [])
    if name == "ORG":  # read for export's matching only: the card's company is its first ORG
        units = org_units(line.value)
        company, department = units[0], ", ".join(unit for unit in units[1:] if unit)
        return ((("org", (company, department)) if company or department else None), [])
    kind = _DETAIL_OF.get(name)
    if kind is None:
        return (None, [])
    text = _address_text(line.value) if kind == ADDRESS else _one_line(line.value)
    if kind == URL and text and not is_web_address(text):
        return (None, [_(URL_DROPPED).format(line=line.line, value=text)])
    return (((kind, (text, "")) if text else None), [])


def labels_of(lines: Iterable[Line]) -> dict[str, str]:
    return {
        line.group.lower(): _apple_label(unescape(line.value))
        for line in lines
        if line.name == "X-ABLABEL" and line.group
    }


def _name_parts(value: str) -> list[str]:
    """``N`` as family, given, additional, prefix, suffix (each its items joined by spaces)."""
    parts = [_words(" ".join(split_list(part))) for part in split_structured(value)]
    return (parts + [""] * 5)[:5]


def name_of(lines: list[Line], company: str) -> str:
    for line in lines:
        if line.name == "FN":
            name = _words(unescape(line.value))
            if name:
                return name
    for line in lines:
        if line.name == "N":
            family, given, additional, prefix, suffix = _name_parts(line.value)
            name = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
            if name:
                return name
    return company


@lru_cache(maxsize=1024)
def label_type(label: str) -> str | None:
    """The vCard type a label of the table stands for (``Mobile`` → ``cell``), else None."""
    return _LABEL_TYPES.get(fold_text(label))


def fresh(item: Item, group: str = "") -> list[str]:
    """The lines export writes for ``item`` when no line was kept for it."""
    slot, value = item
    if slot == "number":
        label, number = value
        type_ = label_type(label) if label else None
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


def fresh_n(name: str, company: str | None) -> str:
    if company and name == company:
        return "N:;;;;"
    given, _sep, family = name.strip().rpartition(" ")
    return f"N:{escape(family, structured=True)};{escape(given, structured=True)};;;"


def n_fits(line: Line, name: str) -> bool:
    """True when the kept ``N`` still names the contact: its family and given names are in
    the name."""
    family, given = _name_parts(line.value)[:2]
    folded = fold_text(name)
    return bool(family or given) and all(fold_text(p) in folded for p in (family, given) if p)


def as_written(line: Line, read: Read, group_lines: list[Line]) -> bool:
    """True when export would write ``line`` (and its group) back the same from ``read``."""
    item, notes = read
    if item is None or notes:
        return False
    if line.params and not line.decoded and (item[0] != "number" or len(line.params) > 1):
        return False  # export writes no parameter but a number's one type
    if not line.group and not line.decoded and item[0] == "number":  # the usual case, quickly
        label, number = item[1]
        type_ = label_type(label) if label else None
        return (
            (type_ is not None or not label)
            and line.params == ((("TYPE", type_),) if type_ else ())
            and line.spelled == "TEL"
            and line.value == escape(number)
        )
    if line.group:
        attached = [other.text() for other in group_lines if other is not line]
        return fresh(item, line.group) == [line.text(), *attached]
    return fresh(item) == [line.text()]


def is_damaged(line: Line) -> bool:
    """True for a base64 value (a photo, a key) that does not decode."""
    try:
        binascii.a2b_base64(line.value.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return True
    return False
