"""Contacts in and out of CSV files (the mapping of CSV rows to
:class:`~tws_tui.core.model.Contact`; what an import returns is :mod:`.import_report`).

**Import** reads the exports of the programs people use — Google Contacts, Outlook (English
and French), Thunderbird, LinkedIn — and ours: :mod:`.csv_formats` tells which one a header
is and what each column holds, and the report names it (``file_format``). A file no format
knows is read with a column mapping the user chose (``import_csv(..., mapping=...)``; the
console asks for it, :func:`read_layout` gives the header, a few rows and a guess).

* The header is the first line a known format writes among the first ten (LinkedIn writes
  notes before it), else the first line. The delimiter is ``,``, ``;`` (as a French Excel
  writes) or a tab, told from the header line; a field holding the delimiter, a quote or a
  line break is quoted with ``"`` (RFC 4180).
* The name is the file's full name, else first, middle and last names joined, else the
  nickname, the company, or the first e-mail address. The first e-mail address is the
  contact's, the others are details; numbers keep their type as the project's labels
  (``Bureau``, ``Mobile``, ``Domicile``, ``Fax``, ``Bip``); address parts make one postal
  address per address of the file.
* A number, e-mail address or detail that is not valid is left out and the contact kept with
  the rest (a note says what was left out and why); a row is refused when nothing is left to
  reach the contact by, or its name or company cannot be stored.
* The text is UTF-8 with or without a byte-order mark; a file that is not valid UTF-8 is read
  as Windows-1252 (older Excel versions write that).
* Problems and notes are numbered by the line where the contact starts (the header is line 1);
  number 0 means the whole file (it cannot be read, or its columns are not known).

**Our CSV** (what export writes: this header, ``,`` as delimiter, ``\\n`` line ends, UTF-8
without BOM)::

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
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from tws_tui.contacts.csv_formats import (
    CHOSEN,
    FIELDS,
    TWS_SEPARATORS,
    Column,
    guess,
    label_of_type,
    phone_label,
    recognise,
)
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
from tws_tui.core.values import value_class
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
#: The detail columns of the CSV (TWS-2.5.1-6/-7) and the detail kind each holds; the fields
#: of the other formats' columns that are details too.
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
#: How several values of one kind are joined in a cell on export (read back by
#: :data:`~tws_tui.contacts.csv_formats.TWS_SEPARATORS`).
_CSV_SEPARATORS = {EMAIL: ";", URL: ";", ADDRESS: "\n\n"}
_CSV_DELIMITERS = (",", ";", "\t")
#: How many lines of notes may come before the header (LinkedIn writes three).
_HEADER_SEARCH = 10
#: What Outlook writes in an empty date.
_NO_DATE = {"0/0/00", "0/0/0000", "00/00/0000", "1/1/1601"}
_ADDRESS_PARTS = ("street", "postal code", "city", "region", "country")

UNKNOWN_COLUMNS = N_(
    "The columns of this file ({columns}) are not those of an export the console knows "
    "(Google Contacts, Outlook, Thunderbird, LinkedIn, tws-tui): say what each column holds."
)
MORE_COLUMNS = N_("{shown}… {count} columns")
EMPTY_FILE = N_("The file is empty.")
TOO_MANY_FIELDS = N_(
    "{found} fields where the header has {expected} "
    "(a value with {delimiter!r} in it must be in double quotes)."
)
CSV_BROKEN = N_("Unreadable line: {error}.")
LEFT_OUT = N_("{name}: {reason} Left out; the rest of the contact is kept.")
ROW_REFUSED = N_("{name}: {reason}")
MAPPING_WIDTH = N_("The mapping gives {given} columns where the file has {expected}.")
MAPPING_FIELD = N_("{field!r} is not something a column can hold.")


@value_class
class CsvLayout:
    """A CSV file's header and first rows, which export wrote it (``file_format``, a msgid;
    ``""`` when none is known) and a field per column: the format's, else a guess."""

    header: tuple[str, ...]
    samples: tuple[tuple[str, ...], ...]
    file_format: str
    fields: tuple[str, ...]
    delimiter: str
    header_line: int


def _find_header(text: str) -> tuple[int, str, list[str]] | None:
    """``(line number, delimiter, header)``: the first of the first lines a known format
    writes, else the first line that is not empty (split by the delimiter giving most
    fields). None for a file without any text."""
    candidates: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            candidates.append((number, line))
            if len(candidates) == _HEADER_SEARCH:
                break
    if not candidates:
        return None
    for number, line in candidates:
        for delimiter in _CSV_DELIMITERS:
            fields = next(csv.reader([line], delimiter=delimiter), [])
            if (len(fields) > 1 or delimiter == ",") and recognise(fields) is not None:
                return number, delimiter, fields
    number, line = candidates[0]
    split = {d: next(csv.reader([line], delimiter=d), []) for d in _CSV_DELIMITERS}
    delimiter = max(_CSV_DELIMITERS, key=lambda d: len(split[d]))
    return number, delimiter, split[delimiter]


def read_layout(source: str | Path, samples: int = 3) -> CsvLayout | ImportReport:
    """The layout of a CSV file (what the column mapping shows), or an :class:`ImportReport`
    saying why it cannot be read."""
    text, failed = load_text(source)
    if text is None:
        return failed or ImportReport()
    found = _find_header(text)
    if found is None:
        return ImportReport(problems=((0, _(EMPTY_FILE)),))
    line, delimiter, header = found
    rows: list[tuple[str, ...]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if reader.line_num > line and any(field.strip() for field in row):
                rows.append(tuple(row))
                if len(rows) == samples:
                    break
    except csv.Error:
        pass
    recognised = recognise(header)
    if recognised is not None:
        name, columns = recognised
        fields = tuple(column.field for column in columns)
    else:
        name, fields = "", guess(header, rows)
    return CsvLayout(tuple(header), tuple(rows), name, fields, delimiter, line)


def describe_columns(header: Sequence[str], shown: int = 4) -> str:
    """A few column names, for a message (never the 60 of an Outlook header)."""
    names = ", ".join(title.strip() for title in header[:shown])
    if len(header) <= shown:
        return names
    return _(MORE_COLUMNS).format(shown=names, count=len(header))


def _mapped(mapping: Sequence[str], width: int) -> tuple[Column, ...] | str:
    if len(mapping) != width:
        return _(MAPPING_WIDTH).format(given=len(mapping), expected=width)
    for field in mapping:
        if field not in FIELDS:
            return _(MAPPING_FIELD).format(field=field)
    return tuple(Column(field, split=TWS_SEPARATORS.get(field, "")) for field in mapping)


def import_csv(
    source: str | Path, *, visibility: str = PRIVATE, mapping: Sequence[str] | None = None
) -> ImportReport:
    """Contacts from a CSV file or text: a known export (:mod:`.csv_formats`) or, with
    ``mapping`` (one field of :data:`~tws_tui.contacts.csv_formats.FIELDS` per column of the
    header, ``""`` to ignore one), any other.

    ``source``: a ``Path``, a file name, or the CSV text itself (a ``str`` with a line break).
    The contacts get ``source=visibility`` and no id (the store gives one). The report names
    the format recognised (``file_format``).
    """
    text, failed = load_text(source)
    if text is None:
        return failed or ImportReport()
    found = _find_header(text)
    if found is None:
        return ImportReport(problems=((0, _(EMPTY_FILE)),))
    line, delimiter, header = found
    if mapping is not None:
        columns = _mapped(mapping, len(header))
        if isinstance(columns, str):
            return ImportReport(problems=((0, columns),))
        file_format = CHOSEN
    else:
        recognised = recognise(header)
        if recognised is None:
            message = _(UNKNOWN_COLUMNS).format(columns=describe_columns(header))
            return ImportReport(problems=((0, message),))
        file_format, columns = recognised
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    contacts: list[Contact] = []
    problems: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    width = len(header)
    steps = _plan(columns)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((start, _(CSV_BROKEN).format(error=error)))
            continue
        if reader.line_num <= line or not any(field.strip() for field in row):
            continue
        if len(row) > width and any(field.strip() for field in row[width:]):
            message = _(TOO_MANY_FIELDS).format(found=len(row), expected=width, delimiter=delimiter)
            problems.append((start, message))
            continue
        contact = _row_contact(row, steps, visibility)
        try:
            contacts.append(check_contact(contact))
        except InvalidContactInput as error:
            kept, left_out = _salvaged(contact)
            if kept is None:
                who = contact.name.strip()
                reason = _(ROW_REFUSED).format(name=who, reason=error) if who else str(error)
                problems.append((start, reason))
                continue
            contacts.append(kept)
            notes += [(start, message) for message in left_out]
    return ImportReport(tuple(contacts), tuple(problems), tuple(notes), file_format=file_format)


def _parse_numbers(cell: str) -> list[tuple[str, str]]:
    numbers: list[tuple[str, str]] = []
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        label, _, number = part.rpartition(":")
        numbers.append((label.strip(), number.strip()))
    return numbers


#: What a column is read as (:func:`_plan`): its index, what it is (a value of a field, a
#: phone number, the ``numbers`` list, an address part), the field or the number's label, how
#: several values share the cell, and the column holding the number's type (Google).
_Step = tuple[int, str, str, str, int | None]


def _plan(columns: Sequence[Column]) -> list[_Step]:
    """The columns that hold something, each as a :data:`_Step` (made once per file)."""
    steps: list[_Step] = []
    for index, column in enumerate(columns):
        field = column.field
        if not field:
            continue
        if field == "numbers":
            steps.append((index, "numbers", "", "", None))
        elif field.startswith("phone"):
            label = phone_label(field) if ":" in field else column.label
            steps.append((index, "phone", label, column.split, column.label_column))
        elif "@" in field:
            steps.append((index, "part", field, column.split, None))
        else:
            steps.append((index, "value", field, column.split, None))
    return steps


def _row_contact(row: Sequence[str], steps: Sequence[_Step], visibility: str) -> Contact:
    """The contact one row describes (not checked yet)."""
    values: dict[str, list[str]] = {}
    numbers: list[tuple[str, str]] = []
    addresses: dict[str, dict[str, list[str]]] = {}
    width = len(row)
    for index, what, key, split, label_column in steps:
        if index >= width:
            continue
        cell = row[index].strip()
        if not cell:
            continue
        if split and split in cell:
            parts = [part.strip() for part in cell.split(split) if part.strip()]
        else:
            parts = [cell]
        if what == "value":
            values.setdefault(key, []).extend(parts)
        elif what == "phone":
            if label_column is not None and label_column < width:
                key = label_of_type(row[label_column])
            numbers += [(key, part) for part in parts]
        elif what == "numbers":
            numbers += _parse_numbers(cell)
        else:
            part_name, _at, group = key.partition("@")
            addresses.setdefault(group, {}).setdefault(part_name, []).extend(parts)
    emails = values.get("email", [])
    name = values.get("name", ("",))[0] or " ".join(
        values[field][0]
        for field in ("given name", "middle name", "family name")
        if field in values
    )
    if not name:
        name = next((values[f][0] for f in ("nickname", "company") if f in values), "")
        name = name or (emails[0] if emails else "")
    details: list[tuple[str, str]] = [(EMAIL, email) for email in emails[1:]]
    if len(values) > len(emails[:1]) or addresses:
        details += _details(values, addresses)
    return Contact(
        "",
        visibility,
        name,
        tuple(numbers),
        values["company"][0] if "company" in values else None,
        values["department"][0] if "department" in values else None,
        emails[0] if emails else None,
        None,
        False,
        tuple(dict.fromkeys(details)) if len(details) > 1 else tuple(details),
    )


def _details(
    values: dict[str, list[str]], addresses: dict[str, dict[str, list[str]]]
) -> list[tuple[str, str]]:
    """The details of a row, grouped by kind in the order of :data:`_CSV_DETAIL_KINDS`."""
    details: list[tuple[str, str]] = []
    for field, kind in _CSV_DETAIL_KINDS.items():
        details += [
            (kind, value)
            for value in values.get(field, ())
            if kind != BIRTHDAY or value not in _NO_DATE
        ]
        if kind == ADDRESS and addresses:
            details += [(ADDRESS, text) for text in _address_texts(addresses)]
        if kind == BIRTHDAY and "birth year" in values and "birth month" in values:
            day = values["birth day"][0] if "birth day" in values else "1"
            date = (values["birth year"][0], values["birth month"][0], day)
            details.append((BIRTHDAY, "-".join(part.zfill(2) for part in date)))
    return details


def _address_texts(addresses: dict[str, dict[str, list[str]]]) -> list[str]:
    """One postal address per group of parts: street lines, ``postal code city``, region,
    country."""
    texts = []
    for parts in addresses.values():
        lines = list(parts.get("street", []))
        town = " ".join(parts.get("postal code", [])[:1] + parts.get("city", [])[:1])
        lines += [town] if town else []
        lines += parts.get("region", [])[:1] + parts.get("country", [])[:1]
        if lines:
            texts.append("\n".join(lines))
    return texts


def _salvaged(contact: Contact) -> tuple[Contact | None, list[str]]:
    """A refused contact with the numbers, e-mail addresses and details that are not valid
    left out, and a note for each; None when it is still refused (no name, no number nor
    e-mail left)."""
    left_out: list[str] = []

    def valid(probe: Contact) -> bool:
        try:
            check_contact(probe)
        except InvalidContactInput as error:
            left_out.append(_(LEFT_OUT).format(name=contact.name, reason=error))
            return False
        return True

    base = Contact(id="", source=contact.source, name="x", numbers=(("", "1"),))
    numbers = tuple(
        pair for pair in contact.numbers if valid(Contact("", contact.source, "x", (pair,)))
    )
    email = contact.email
    if email is not None and not valid(Contact("", contact.source, "x", (), email=email)):
        email = None
    details = tuple(
        detail
        for detail in contact.details
        if valid(Contact("", base.source, "x", base.numbers, details=(detail,)))
    )
    try:
        kept = check_contact(
            Contact(
                id="",
                source=contact.source,
                name=contact.name,
                numbers=numbers,
                company=contact.company,
                department=contact.department,
                email=email,
                details=details,
            )
        )
    except InvalidContactInput:
        return None, left_out
    return kept, left_out


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
