"""Contacts in and out of CSV files (the mapping of CSV rows to
:class:`~tws_tui.core.model.Contact`; what an import returns is :mod:`.import_report`).

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
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

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
    text, failed = load_text(source)
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
