"""What an import will do, before it does it (issue 22: preview first, then confirm).

:func:`preview_import` takes what a file gave (an :class:`~.import_report.ImportReport`) and
the contact store, and says, without writing anything:

* which contacts are **new**;
* which will be **merged** into a contact already in the directory the import goes to: one
  with the same number (the store's ``match_key``: ``01 23 45 67 89`` and
  ``+33 1 23 45 67 89`` are the same) or the same e-mail address (case ignored). Merging adds
  to that contact the numbers, e-mail addresses and details it does not have yet, and a
  company or department where it has none; its name and everything else stay. Two rows of
  the file for one person are merged the same way into one new contact;
* which are **already there**: matched, with nothing new to add (left out);
* what is **refused** and what was **left out** of kept contacts, with why (the report's
  ``problems`` and ``notes``).

:func:`apply_preview` then writes it in one transaction, remembered as the last import so
that :meth:`~.store.ContactStore.undo_last_import` can undo it, after a restart too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from tws_tui.contacts.import_report import ImportReport
from tws_tui.contacts.rules import EMAIL
from tws_tui.contacts.store import ContactStore, ImportBatch
from tws_tui.core.model import Contact
from tws_tui.core.values import value_class
from tws_tui.domain.numbers import match_keys


@value_class
class Merge:
    """One stored contact the import completes: as it is, as it will be, and what the file
    brings to it (numbers, e-mail addresses, details, company…, as written)."""

    existing: Contact
    merged: Contact
    added: tuple[str, ...]


@value_class
class ImportPreview:
    """What confirming the import will write (nothing is written before)."""

    file_format: str
    visibility: str
    new: tuple[Contact, ...]
    merges: tuple[Merge, ...]
    already_there: tuple[Contact, ...]
    refused: tuple[tuple[int, str], ...]
    notes: tuple[tuple[int, str], ...]


def _emails(contact: Contact) -> list[str]:
    found = [contact.email] if contact.email else []
    return found + [value for kind, value in contact.details if kind == EMAIL]


class _Merger:
    """The contacts being built: by id (stored ones) or by position among the new ones, with
    the numbers' match keys and the e-mail addresses each already has."""

    def __init__(self, country: str) -> None:
        self.country = country
        self.keys: dict[str, set[str]] = {}
        self.mails: dict[str, set[str]] = {}

    def track(self, ref: str, contact: Contact, keys: Iterable[str | None]) -> None:
        self.keys[ref] = {key for key in keys if key is not None}
        self.mails[ref] = {email.lower() for email in _emails(contact)}

    def merge(
        self, ref: str, base: Contact, extra: Contact, keys: list[str | None]
    ) -> tuple[Contact, list[str]]:
        """``base`` with what ``extra`` has that it lacks, and what that is."""
        added: list[str] = []
        numbers = list(base.numbers)
        for (label, number), key in zip(extra.numbers, keys, strict=True):
            if key is not None and key in self.keys[ref]:
                continue
            numbers.append((label, number))
            added.append(number)
            if key is not None:
                self.keys[ref].add(key)
        email, details = base.email, list(base.details)
        for address in _emails(extra):
            if address.lower() in self.mails[ref]:
                continue
            self.mails[ref].add(address.lower())
            added.append(address)
            if email is None:
                email = address
            else:
                details.append((EMAIL, address))
        for detail in extra.details:
            if detail[0] != EMAIL and detail not in details:
                details.append(detail)
                added.append(detail[1].replace("\n", ", "))
        company, department = base.company, base.department
        if company is None and extra.company:
            company = extra.company
            added.append(company)
        if department is None and extra.department:
            department = extra.department
            added.append(department)
        merged = dataclasses.replace(
            base,
            numbers=tuple(numbers),
            email=email,
            details=tuple(details),
            company=company,
            department=department,
        )
        return merged, added


def _found(
    keys: list[str | None], emails: list[str], by_key: dict[str, str], by_email: dict[str, str]
) -> str | None:
    """The contact with one of these numbers' keys, else one of these e-mail addresses."""
    for key in keys:
        if key is not None and key in by_key:
            return by_key[key]
    for email in emails:
        if email in by_email:
            return by_email[email]
    return None


def preview_import(report: ImportReport, store: ContactStore, visibility: str) -> ImportPreview:
    """What importing ``report.contacts`` into the directory ``visibility`` of ``store`` will
    do (module docstring). Reads the store; writes nothing."""
    by_key, by_email = store.match_index(visibility)
    incoming = [
        c if c.source == visibility else dataclasses.replace(c, source=visibility)
        for c in report.contacts
    ]
    all_numbers = [number for contact in incoming for _label, number in contact.numbers]
    all_keys = match_keys(all_numbers, store.country)
    keys_of: list[list[str | None]] = []
    position = 0
    for contact in incoming:
        keys_of.append(all_keys[position : position + len(contact.numbers)])
        position += len(contact.numbers)
    # first pass: which stored contact (id) or earlier new one ("#n") each matches
    new_by_key: dict[str, str] = {}
    new_by_email: dict[str, str] = {}
    targets: list[str | None] = []
    new_count = 0
    for contact, keys in zip(incoming, keys_of, strict=True):
        emails = [email.lower() for email in _emails(contact)]
        target = _found(keys, emails, by_key, by_email) or _found(
            keys, emails, new_by_key, new_by_email
        )
        if target is None:
            ref = f"#{new_count}"
            new_count += 1
            targets.append(None)
        else:
            ref = target
            targets.append(target)
        for key in keys:
            if key is not None:
                new_by_key.setdefault(key, ref)
        for email in emails:
            new_by_email.setdefault(email, ref)
    stored = store.get_many(t for t in targets if t is not None and not t.startswith("#"))
    merger = _Merger(store.country)
    for ref, contact in stored.items():
        keys = match_keys([number for _label, number in contact.numbers], store.country)
        merger.track(ref, contact, keys)
    current: dict[str, Contact] = dict(stored)
    additions: dict[str, list[str]] = {}
    new: list[Contact] = []
    for contact, keys, target in zip(incoming, keys_of, targets, strict=True):
        if target is None or target not in current:
            ref = f"#{len(new)}"
            merger.track(ref, contact, keys)
            current[ref] = contact
            new.append(contact)
            continue
        merged, added = merger.merge(target, current[target], contact, keys)
        current[target] = merged
        additions.setdefault(target, []).extend(added)
    merges: list[Merge] = []
    already: list[Contact] = []
    for ref, contact in stored.items():
        if additions.get(ref):
            merges.append(Merge(contact, current[ref], tuple(additions[ref])))
        elif ref in additions:
            already.append(contact)
    return ImportPreview(
        file_format=report.file_format,
        visibility=visibility,
        new=tuple(current[f"#{index}"] for index in range(len(new))),
        merges=tuple(merges),
        already_there=tuple(already),
        refused=report.problems,
        notes=report.notes,
    )


def apply_preview(
    preview: ImportPreview, store: ContactStore, *, file: str
) -> tuple[list[Contact], ImportBatch]:
    """Write what ``preview`` showed, in one transaction; it becomes the last import."""
    return store.apply_import(preview.new, [merge.merged for merge in preview.merges], file=file)
