"""``ContactTable``: many contacts held as columns, a ``Contact`` made only when one is shown.

Owns the in-memory form of the contacts a :class:`~tws_tui.contacts.search.SearchIndex`
searches. 100 000 ``Contact`` objects, each with its tuple of number tuples and its own copy of
every company and label, take about 130 MB and most of a second to make; the same contacts as
a few lists of shared strings take a third of that and are read straight from SQLite
(:meth:`~tws_tui.contacts.store.ContactStore.table`). A search shows twenty of them: those are
made into ``Contact`` objects when asked for (:meth:`ContactTable.contact`).

Columns, one entry per contact, in the same order: ``ids``, ``sources``, ``names``,
``companies``, ``departments``, ``emails``, ``numbers`` and ``details`` (each contact's
``(label, number)`` or ``(kind, value)`` pairs packed in one string, see :func:`pack_pairs`),
``device_ids``, ``favorites``, and optionally
``number_keys``: each contact's :func:`~tws_tui.domain.numbers.match_key` values as one string,
``" key1 key2"``, when the source has them already computed (the store keeps them).

A table made from ``Contact`` objects (:meth:`ContactTable.of`, for a backend's answer) keeps
those objects and gives them back as they were, so callers may compare them by identity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tws_tui.core.model import Contact, DeviceId

_LABEL_END = "\x1f"  # between a number's label and the number
_NUMBER_END = "\x1e"  # between two numbers


def pack_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """``(label, value)`` pairs (numbers, details) as one string; the texts hold neither
    separator (the contact rules refuse control characters; an address's lines are joined by
    newlines, which are not separators)."""
    return _NUMBER_END.join(f"{label}{_LABEL_END}{value}" for label, value in pairs)


def unpack_pairs(packed: str) -> tuple[tuple[str, str], ...]:
    """The pairs :func:`pack_pairs` packed."""
    if not packed:
        return ()
    pairs = []
    for item in packed.split(_NUMBER_END):
        label, _, number = item.partition(_LABEL_END)
        pairs.append((label, number))
    return tuple(pairs)


class ContactTable:
    """Contacts as columns (see the module docstring); immutable once built."""

    def __init__(
        self,
        *,
        ids: Sequence[Any],
        sources: Sequence[str],
        names: Sequence[str],
        companies: Sequence[str | None],
        departments: Sequence[str | None],
        emails: Sequence[str | None],
        numbers: Sequence[str],
        device_ids: Sequence[str | None],
        favorites: Sequence[bool],
        details: Sequence[str] | None = None,
        number_keys: Sequence[str] | None = None,
        objects: Sequence[Contact] | None = None,
    ) -> None:
        """Every column has one entry per contact; ``ids`` may be ints (row ids)."""
        self.ids = list(ids)
        self.sources = list(sources)
        self.names = list(names)
        self.companies = list(companies)
        self.departments = list(departments)
        self.emails = list(emails)
        self.numbers = list(numbers)
        self.device_ids = list(device_ids)
        self.favorites = list(favorites)
        self.details = [""] * len(self.names) if details is None else list(details)
        self.number_keys = None if number_keys is None else list(number_keys)
        self.objects = None if objects is None else list(objects)

    @classmethod
    def of(cls, contacts: Iterable[Contact]) -> ContactTable:
        """A table of these contacts, which it keeps and gives back as they are."""
        given = list(contacts)
        return cls(
            ids=[c.id for c in given],
            sources=[c.source for c in given],
            names=[c.name for c in given],
            companies=[c.company for c in given],
            departments=[c.department for c in given],
            emails=[c.email for c in given],
            numbers=[""] * len(given),  # read from the objects
            device_ids=[c.device_id for c in given],
            favorites=[c.favorite for c in given],
            objects=given,
        )

    def __len__(self) -> int:
        return len(self.names)

    def number_pairs(self, index: int) -> tuple[tuple[str, str], ...]:
        """The ``(label, number)`` pairs of the contact at ``index``."""
        if self.objects is not None:
            return self.objects[index].numbers
        return unpack_pairs(self.numbers[index])

    def detail_pairs(self, index: int) -> tuple[tuple[str, str], ...]:
        """The ``(kind, value)`` details of the contact at ``index``."""
        if self.objects is not None:
            return self.objects[index].details
        return unpack_pairs(self.details[index])

    def contact(self, index: int) -> Contact:
        """The contact at ``index`` (made now, unless the table was made of objects)."""
        if self.objects is not None:
            return self.objects[index]
        device_id = self.device_ids[index]
        return Contact(
            id=str(self.ids[index]),
            source=self.sources[index],
            name=self.names[index],
            numbers=unpack_pairs(self.numbers[index]),
            company=self.companies[index],
            department=self.departments[index],
            email=self.emails[index],
            device_id=None if device_id is None else DeviceId(device_id),
            favorite=self.favorites[index],
            details=unpack_pairs(self.details[index]),
        )
