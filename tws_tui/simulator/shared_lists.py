"""The public contact lists of the simulated company's users (TWS-2.4.5/-6), kept in memory.

Owns :class:`SimSharedLists` (the ``SharedLists`` protocol of :mod:`tws_tui.core.protocols`)
and the limits a public list must respect here and on the reference server (name of 1 to
:data:`NAME_MAX_CHARS` characters as for any contact list, TWS-2.4.2-2; at most
:data:`MAX_CONTACTS` contact cards; at most :data:`MAX_LISTS` lists per owner).

Seeded from the company only (so the same seed gives the same lists; the ``sim`` backend's
option ``colleague_lists``, on by default), three colleagues have
already made a list public: an IT colleague "Urgences techniques" (the IT department), a
logistics colleague "Fournisseurs" (outside suppliers: the owner's private contact cards,
which nobody else could look up) and a reception colleague "Direction". The operator's own
lists are those published during the session (``mine``). A user's name on the simulated
switch is ``prénom.nom`` without accents (``camille.martin``); a list's id is
``<owner>/<own id>``.
"""

from __future__ import annotations

from tws_tui.core.errors import N_, InvalidDestination, InvalidState, PermissionDenied
from tws_tui.core.model import Contact, SharedList
from tws_tui.domain.text import fold
from tws_tui.simulator.company import Company, ExternalCaller, Person
from tws_tui.simulator.directory import company_contacts
from tws_tui.simulator.switch import Switch

NAME_MAX_CHARS = 40  # as any contact list's name (TWS-2.4.2-2)
MAX_CONTACTS = 200
MAX_LISTS = 50  # per owner
#: A contact card's text fields: at most this many characters each.
FIELD_MAX_CHARS = 200
#: Suppliers of the logistics colleague's list: outside companies of the simulated traffic.
SUPPLIERS = ("Transports Lefèvre", "Imprimerie Rousseau", "Garage des Alpes")


def username_of(person: Person) -> str:
    """The user name of a simulated user: ``prénom.nom`` folded (``élodie.garcia`` → ascii)."""
    return ".".join(fold(part).replace(" ", "-") for part in (person.first_name, person.last_name))


def _first(company: Company, department: str) -> Person:
    return company.by_department(department)[0]


def _supplier_card(index: int, caller: ExternalCaller) -> Contact:
    assert caller.number is not None and caller.name is not None
    return Contact(
        id=f"p{index}",
        source="private",
        name=caller.name,
        numbers=(("Standard", caller.number),),
        company=caller.company,
        details=(("note", "Fournisseur"),),
    )


def seeded_lists(switch: Switch) -> list[SharedList]:
    """The public lists other colleagues made before the operator signed in."""
    company = switch.company
    cards = {c.id: c for c in company_contacts(switch)}

    def colleagues(department: str) -> tuple[Contact, ...]:
        return tuple(cards[p.user_id] for p in company.by_department(department))

    def shared(owner: Person, own_id: str, name: str, contacts: tuple[Contact, ...]) -> SharedList:
        user = username_of(owner)
        return SharedList(f"{user}/{own_id}", name, user, contacts)

    suppliers = tuple(
        _supplier_card(i, caller)
        for i, caller in enumerate(company.externals, start=1)
        if caller.company in SUPPLIERS and caller.number is not None
    )
    logistics = _first(company, "Logistique")
    return [
        shared(_first(company, "Informatique"), "1", "Urgences techniques",
               colleagues("Informatique")),
        shared(logistics, "1", "Fournisseurs", (cards[logistics.user_id], *suppliers)),
        shared(_first(company, "Accueil"), "2", "Direction", colleagues("Direction")),
    ]  # fmt: skip


def _contact_problem(contact: Contact) -> InvalidDestination | None:
    """Why ``contact`` cannot be in a public list (None: it can)."""
    texts = (contact.id, contact.source, contact.company, contact.department, contact.email)
    if not contact.name.strip():
        return InvalidDestination(N_("Public list refused: a contact has no name"))
    if any(len(text or "") > FIELD_MAX_CHARS for text in (contact.name, *texts)):
        return InvalidDestination(
            N_("Public list refused: a field of '{name}' is longer than {most} characters"),
            name=contact.name[:40],
            most=FIELD_MAX_CHARS,
        )
    if any(
        not number.strip() or len(number) > 40 or len(label) > 40
        for label, number in contact.numbers
    ):
        return InvalidDestination(
            N_("Public list refused: the contact '{name}' has an empty or too long number"),
            name=contact.name,
        )
    return None


class SimSharedLists:
    """Every user's public lists on the simulated switch (``SharedLists`` protocol)."""

    def __init__(self, switch: Switch, *, seeded: bool = True) -> None:
        """``seeded``: the colleagues' lists of :func:`seeded_lists` are there from the start."""
        self.me = username_of(switch.company.operator)
        found = seeded_lists(switch) if seeded else []
        self._lists: dict[str, SharedList] = {s.id: s for s in found}

    async def lists(self) -> list[SharedList]:
        """The seeded lists, then mine in the order they were first published."""
        return [
            SharedList(s.id, s.name, s.owner, s.contacts, mine=s.owner == self.me)
            for s in self._lists.values()
        ]

    def _full_id(self, list_id: str) -> str:
        owner, slash, own = list_id.rpartition("/")
        if slash and owner != self.me:
            raise PermissionDenied(
                N_("Only {owner} may change their public list {list_id}"),
                owner=owner,
                list_id=list_id,
            )
        if not own or len(own) > 128:
            raise InvalidDestination(N_("Invalid list id: {list_id!r}"), list_id=list_id)
        return f"{self.me}/{own}"

    async def publish(self, list_id: str, name: str, contacts: list[Contact]) -> SharedList:
        """Create or replace my list ``list_id``; refused (nothing kept) when malformed."""
        full_id = self._full_id(list_id)
        name = name.strip()
        if not name or len(name) > NAME_MAX_CHARS:
            raise InvalidDestination(
                N_("A public list has a name of 1 to {most} characters"), most=NAME_MAX_CHARS
            )
        if len(contacts) > MAX_CONTACTS:
            raise InvalidDestination(
                N_("A public list has at most {most} contacts ({given} given)"),
                most=MAX_CONTACTS,
                given=len(contacts),
            )
        for contact in contacts:
            problem = _contact_problem(contact)
            if problem is not None:
                raise problem
        mine = sum(1 for s in self._lists.values() if s.owner == self.me)
        if full_id not in self._lists and mine >= MAX_LISTS:
            raise InvalidState(N_("You have {most} public lists already"), most=MAX_LISTS)
        shared = SharedList(full_id, name, self.me, tuple(contacts), mine=True)
        self._lists[full_id] = shared
        return shared

    async def withdraw(self, list_id: str) -> None:
        """My list is no longer public (nothing happens if it was not)."""
        self._lists.pop(self._full_id(list_id), None)
