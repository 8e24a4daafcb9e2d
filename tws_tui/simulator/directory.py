"""The company directory and the operator's call journal, as the console's data services.

Owns ``CompanyDirectory`` (search colleagues, queues and known outside callers by name,
extension, number, department or company; reverse lookup of a number) and ``SwitchHistory``
(the switch's journal of one device: ``recent`` and ``mark_seen``). Both implement the
``Directory`` / ``History`` protocols of :mod:`tws_tui.core.protocols`.
"""

from __future__ import annotations

from tws_tui.core.model import Contact, HistoryEntry, Outcome
from tws_tui.domain.text import fold
from tws_tui.simulator.base import normalize_number
from tws_tui.simulator.switch import Switch


def company_contacts(switch: Switch) -> list[Contact]:
    """The company's directory as the switch has it now: every colleague's phone under the
    name it carries (an operator position added or renamed by the reference server for an
    account included), the queues, and the outside callers known by name."""
    company = switch.company
    contacts = [
        Contact(
            id=ep.user_id,
            source="company",
            name=ep.name,
            numbers=(("Poste", ep.extension),),
            company=company.name,
            department=ep.department,
            device_id=ep.device_id,
        )
        for ep in switch.endpoints.values()
        if ep.internal and ep.user_id is not None and ep.extension and ep.name
    ]
    contacts += [
        Contact(id=f"queue-{q.id}", source="queue", name=q.name, numbers=(("File", q.number),))
        for q in company.queues
    ]
    for i, caller in enumerate(company.externals):
        if caller.number is None or caller.name is None:
            continue  # masked or unknown: nothing to list
        label = "Mobile" if caller.mobile else "Fixe"
        contacts.append(
            Contact(
                id=f"ext-{i}",
                source="external",
                name=caller.name,
                numbers=((label, caller.number),),
                company=caller.company,
            )
        )
    return contacts


class CompanyDirectory:
    """Search over the simulated company (``Directory`` protocol)."""

    def __init__(self, switch: Switch) -> None:
        self.contacts = company_contacts(switch)
        self._keys = [
            (
                fold(c.name),
                fold(" ".join(filter(None, (c.name, c.department, c.company)))),
                [n for _, n in c.numbers],
            )
            for c in self.contacts
        ]

    async def search(self, term: str, *, limit: int = 20) -> list[Contact]:
        """Name words starting with the term first, then any other match, by name."""
        wanted = fold(term.strip())
        digits = normalize_number(term) if any(ch.isdigit() for ch in term) else None
        first: list[Contact] = []
        other: list[Contact] = []
        for contact, (name, text, numbers) in zip(self.contacts, self._keys, strict=True):
            starts = any(word.startswith(wanted) for word in name.split())
            if not wanted or starts or name.startswith(wanted):
                first.append(contact)
            elif wanted in text or (digits and any(digits in n for n in numbers)):
                other.append(contact)
        return (sorted(first, key=lambda c: fold(c.name)) + other)[:limit]

    async def reverse(self, number: str) -> Contact | None:
        wanted = normalize_number(number)
        for contact in self.contacts:
            if any(n == wanted for _, n in contact.numbers):
                return contact
        return None


class SwitchHistory:
    """One device's call journal kept by the switch (``History`` protocol)."""

    def __init__(self, switch: Switch, device: str) -> None:
        self.switch = switch
        self.device = device

    async def recent(self, *, limit: int = 50, missed_only: bool = False) -> list[HistoryEntry]:
        entries = self.switch.history_of(self.device)
        if missed_only:
            entries = [e for e in entries if e.outcome is Outcome.MISSED]
        return entries[:limit]

    async def mark_seen(self) -> None:
        self.switch.mark_history_seen(self.device)
