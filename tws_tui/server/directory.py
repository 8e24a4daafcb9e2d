"""The server's directory search: the shared contacts indexed once, searched off the event loop.

Owns :class:`Entry` (a contact with its search text folded and its numbers, raw and
normalised, computed once) and the two look-ups, pure functions over a tuple of entries that
the handlers run in a worker thread (:func:`asyncio.to_thread`), so a large directory never
blocks the other clients. The switchboard keeps the shared contacts' entries in memory and
drops them when a contact is added or deleted; the company's positions are indexed per request
(a few dozen).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tws_tui.core.model import Contact
from tws_tui.core.values import value_class
from tws_tui.simulator.base import normalize_number


@value_class
class Entry:
    contact: Contact
    text: str  # name, company and department, casefolded
    numbers: tuple[str, ...]  # as written
    normalised: tuple[str, ...]


def index(contacts: Iterable[Contact]) -> tuple[Entry, ...]:
    return tuple(
        Entry(
            contact,
            " ".join(filter(None, (contact.name, contact.company, contact.department))).casefold(),
            tuple(n for _, n in contact.numbers),
            tuple(normalize_number(n) for _, n in contact.numbers),
        )
        for contact in contacts
    )


def search(entries: Sequence[Entry], term: str, limit: int) -> tuple[Contact, ...]:
    """Contacts whose text holds ``term`` (casefolded) or whose number holds its digits; names
    starting with it first, then by name."""
    digits = normalize_number(term) if any(ch.isdigit() for ch in term) else None
    found = [
        e.contact
        for e in entries
        if not term or term in e.text or (digits and any(digits in n for n in e.numbers))
    ]
    found.sort(key=lambda c: (not c.name.casefold().startswith(term), c.name.casefold()))
    return tuple(found[:limit])


def reverse(entries: Sequence[Entry], number: str) -> Contact | None:
    """The first contact with ``number`` (normalised) among its numbers."""
    wanted = normalize_number(number)
    return next((e.contact for e in entries if wanted in e.normalised), None)
