"""Import and export of contacts: CSV and vCard (3.0 and 4.0).

Owns the two file formats and their mapping to :class:`~tws_tui.core.model.Contact`. Imported
contacts are checked by :func:`tws_tui.contacts.rules.check_contact` (the store's own rules)
and come back in an :class:`ImportReport`: the good ones, and one ``(number, message)`` per bad
one, so a broken line never stops the others. Nothing here writes to the store; the caller
saves ``report.contacts`` (``ContactStore.add_many``).

CSV
---
One header line, then one contact per line::

    name,company,department,email,numbers
    Émilie Lefèvre,Société Générale,Compta,emilie@sg.fr,Bureau:01 23 45 67 89;Mobile:0612345678

* ``numbers`` holds ``label:number`` pairs separated by ``;``. The label is what comes before
  the last ``:`` and may be left out (``01 23 45 67 89`` alone).
* More details (TWS-2.5.1-6/-7), each in its column, all optional: ``emails`` (more e-mail
  addresses) and ``web``, several separated by ``;``; ``address``, several separated by an
  empty line (an address has several lines); ``job title``, ``assistant``, ``birthday``,
  ``customer number`` and ``note``, one value each (several of one kind are exported joined
  by ``; ``).
* Columns are found by their header name, in any order, case and accents ignored; the French
  names ``nom``, ``société``, ``service``, ``courriel`` and ``téléphones`` are accepted too.
  Only ``name`` is required; other columns are ignored.
* The delimiter is ``,`` or ``;`` (as a French Excel writes), told from the header line; a
  field holding the delimiter, a quote or a line break is quoted with ``"`` (RFC 4180), so the
  numbers column is quoted in a ``;`` file.
* The text is UTF-8 with or without a byte-order mark; a file that is not valid UTF-8 is read
  as Windows-1252 (older Excel versions write that).
* Problems are numbered by the line where the contact starts (the header is line 1); number 0
  means the whole file (it cannot be read, or has no ``name`` column).
* Export writes this header, ``,`` as delimiter, ``\\n`` line ends, UTF-8 without BOM.

vCard
-----
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

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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
from tws_tui.core.values import value_class
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import N_, _

CSV_COLUMNS = (
    "name",
    "company",
    "department",
    "email",
    "numbers",
    "emails",
    "web",
    "address",
    "job title",
    "assistant",
    "birthday",
    "customer number",
    "note",
)
#: The detail columns of the CSV (TWS-2.5.1-6/-7) and the detail kind each holds.
_CSV_DETAIL_KINDS = {
    "emails": EMAIL,
    "web": URL,
    "address": ADDRESS,
    "job title": JOB_TITLE,
    "assistant": ASSISTANT,
    "birthday": BIRTHDAY,
    "customer number": CUSTOMER_NUMBER,
    "note": NOTE,
}
#: How several values of one kind share a cell: e-mails and web addresses by ``;``, postal
#: addresses (several lines each) by an empty line; a field holds one value (several of one
#: kind are joined by ``; `` on export and read back as one).
_CSV_SEPARATORS = {EMAIL: ";", URL: ";", ADDRESS: "\n\n"}

#: Header names accepted for each column (folded), the English one first.
_CSV_ALIASES = {
    "name": ("name", "nom"),
    "company": ("company", "societe", "entreprise"),
    "department": ("department", "service", "departement"),
    "email": ("email", "e-mail", "mail", "courriel"),
    "numbers": ("numbers", "phones", "telephones", "numeros"),
    "emails": ("emails", "e-mails", "other e-mails", "autres e-mails", "autres courriels"),
    "web": ("web", "url", "urls", "site", "site web"),
    "address": ("address", "addresses", "adresse", "adresses"),
    "job title": ("job title", "title", "fonction", "poste", "titre"),
    "assistant": ("assistant", "assistante"),
    "birthday": ("birthday", "anniversaire", "date de naissance"),
    "customer number": ("customer number", "numero client", "n client", "code client"),
    "note": ("note", "notes", "commentaire"),
}
_CSV_DELIMITERS = (",", ";", "\t")

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

# ---- the sentences ---------------------------------------------------------------------------

CANNOT_READ = N_("Cannot read {path}: {error}")
NO_NAME_COLUMN = N_(
    "The first line must be a header with a 'name' column "
    "(name,company,department,email,numbers); found {header!r}."
)
EMPTY_FILE = N_("The file is empty.")
TOO_MANY_FIELDS = N_(
    "{found} fields where the header has {expected} "
    "(a value with {delimiter!r} in it must be in double quotes)."
)
CSV_BROKEN = N_("Unreadable line: {error}.")
CARD_UNREADABLE = N_("Card starting on line {line}: {error}")
CARD_UNFINISHED = N_("Card starting on line {line} has no END:VCARD.")
CARD_NO_NAME = N_("Card starting on line {line} has no FN nor N (no name).")
CARD_INVALID = N_("Card starting on line {line}: {error}")
NO_CARD = N_("No vCard found (a card starts with BEGIN:VCARD).")
UNKNOWN_VERSION = N_("vCard version {version!r} is not one of 3.0, 4.0.")


@value_class
class ImportReport:
    """What an import found: the good contacts, and ``(line or card number, message)`` per
    refused one, in file order."""

    contacts: tuple[Contact, ...] = ()
    problems: tuple[tuple[int, str], ...] = ()


def _read_text(source: str | Path) -> str:
    """The text of ``source``: a ``Path`` is read; a ``str`` with a line break is the text
    itself, one without is a file name. Raises ``OSError``."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return source.removeprefix("\ufeff")
    data = Path(source).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _load(source: str | Path) -> tuple[str | None, ImportReport | None]:
    try:
        return _read_text(source), None
    except OSError as error:
        reason = error.strerror or str(error)
        return None, ImportReport(problems=((0, _(CANNOT_READ).format(path=source, error=reason)),))


# ---- CSV ---------------------------------------------------------------------------------


def _csv_columns(header: list[str]) -> dict[str, int]:
    """Our column name → its index in ``header``."""
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        folded = fold(title.strip())
        for column, aliases in _CSV_ALIASES.items():
            if folded in aliases and column not in found:
                found[column] = index
    return found


def _csv_dialect(header_line: str) -> str:
    """The delimiter that splits the header line into the most known column names."""
    best, best_score = ",", -1
    for delimiter in _CSV_DELIMITERS:
        fields = next(csv.reader([header_line], delimiter=delimiter), [])
        score = len(_csv_columns(fields))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _parse_numbers(cell: str) -> tuple[tuple[str, str], ...]:
    numbers: list[tuple[str, str]] = []
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        label, _, number = part.rpartition(":")
        numbers.append((label.strip(), number.strip()))
    return tuple(numbers)


def _csv_contact(row: list[str], columns: dict[str, int], visibility: str) -> Contact:
    def cell(column: str) -> str:
        index = columns.get(column)
        return row[index] if index is not None and index < len(row) else ""

    details: list[tuple[str, str]] = []
    for column, kind in _CSV_DETAIL_KINDS.items():
        text = cell(column).strip()
        separator = _CSV_SEPARATORS.get(kind)
        values = text.split(separator) if separator else [text]
        details += [(kind, value.strip()) for value in values if value.strip()]
    return Contact(
        id="",
        source=visibility,
        name=cell("name"),
        numbers=_parse_numbers(cell("numbers")),
        company=cell("company"),
        department=cell("department"),
        email=cell("email"),
        details=tuple(details),
    )


def import_csv(source: str | Path, *, visibility: str = PRIVATE) -> ImportReport:
    """Contacts from a CSV file or text (format in the module docstring).

    ``source``: a ``Path``, a file name, or the CSV text itself (a ``str`` with a line break).
    The contacts get ``source=visibility`` and no id (the store gives one).
    """
    text, failed = _load(source)
    if text is None:
        return failed or ImportReport()
    header_line = next((line for line in io.StringIO(text) if line.strip()), None)
    if header_line is None:
        return ImportReport(problems=((0, _(EMPTY_FILE)),))
    delimiter = _csv_dialect(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    contacts: list[Contact] = []
    problems: list[tuple[int, str]] = []
    columns: dict[str, int] | None = None
    width = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((start, _(CSV_BROKEN).format(error=error)))
            continue
        if not any(field.strip() for field in row):
            continue
        if columns is None:
            columns, width = _csv_columns(row), len(row)
            if "name" not in columns:
                message = _(NO_NAME_COLUMN).format(header=delimiter.join(row))
                return ImportReport(problems=((0, message),))
            continue
        if len(row) > width and any(field.strip() for field in row[width:]):
            problems.append(
                (
                    start,
                    _(TOO_MANY_FIELDS).format(found=len(row), expected=width, delimiter=delimiter),
                )
            )
            continue
        contact = _csv_contact(row, columns, visibility)
        try:
            contacts.append(check_contact(contact))
        except InvalidContactInput as error:
            problems.append((start, str(error)))
    return ImportReport(tuple(contacts), tuple(problems))


def export_csv(contacts: Iterable[Contact], *, delimiter: str = ",") -> str:
    """The CSV text of ``contacts`` (header first), which :func:`import_csv` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for contact in contacts:
        numbers = ";".join(
            f"{label.replace(';', ',')}:{number}" if label else number
            for label, number in contact.numbers
        )
        cells = []
        for kind in _CSV_DETAIL_KINDS.values():
            values = [value for of_kind, value in contact.details if of_kind == kind]
            cells.append(_CSV_SEPARATORS.get(kind, "; ").join(values))
        writer.writerow(
            (
                contact.name,
                contact.company or "",
                contact.department or "",
                contact.email or "",
                numbers,
                *cells,
            )
        )
    return out.getvalue()


# ---- vCard -------------------------------------------------------------------------------

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

    ``source`` as for :func:`import_csv`. Each card is parsed on its own, so a broken card is
    reported (by card number) and the others are read.
    """
    text, failed = _load(source)
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
