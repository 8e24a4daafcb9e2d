"""A seeded, realistic French company for the simulated switch.

Owns the *static* description of the company only: the operator, the colleagues (names,
extensions, departments, initial presence/DND/forwarding/agent assignment), the queues with
their overflow rules, the call flows (opening hours, where calls go when closed) and the
answering machines they send calls to (one is the voicemail, whose number the switch tells
every console), the pause reasons, the parking lot and the pool of external callers, and the
ids a person and a phone get from an extension (:func:`user_id_of`, :func:`device_id_of`: the
CTI server's accounts get the same). Nothing here changes at run time; the switch copies
these values into its mutable state.

Opening hours: the reception keeps a weekend-morning on-call desk and the support hotline
works six and a half days. Besides being plausible, it keeps the switchboard open when the
test clock starts (``ManualClock``: Sunday 22 November 2026, 10:00 in Paris) so that scripts,
tests and snapshots see calls enter the queues; a flow closes by itself two hours later.
"""

from __future__ import annotations

import random

from tws_tui.core.model import (
    CompanyNumber,
    FlowId,
    LotId,
    PresenceState,
    QueueId,
    RingStrategy,
)
from tws_tui.core.values import value_class


def user_id_of(extension: str) -> str:
    """The user id of the person at ``extension`` on the switch (the CTI server's account of
    that extension has the same)."""
    return f"u{extension}"


def device_id_of(extension: str) -> str:
    """The device id of the phone at ``extension`` on the switch (and of its server account)."""
    return f"dev-{extension}"


FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Emma", "Lucie", "Anaïs",
    "Claire", "Nathalie", "Isabelle", "Sophie", "Céline", "Aurélie", "Hélène", "Margaux",
    "Thomas", "Nicolas", "Julien", "Antoine", "Maxime", "Hugo", "Lucas", "Mathieu", "Pierre",
    "Romain", "Alexandre", "Guillaume", "Olivier", "Sébastien", "Théo", "Benoît", "François",
    "Yannick", "Karim", "Mehdi", "Amandine", "Élodie",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
)  # fmt: skip

#: Department → how many colleagues work there (36 colleagues in all).
DEPARTMENTS: tuple[tuple[str, int], ...] = (
    ("Accueil", 2),
    ("Commercial", 8),
    ("Comptabilité", 4),
    ("Support", 7),
    ("Direction", 3),
    ("Logistique", 5),
    ("Ressources humaines", 3),
    ("Informatique", 4),
)

EXTERNAL_COMPANIES = (
    "Boulangerie Dupont", "Transports Lefèvre", "Cabinet Moreau Avocats", "Garage des Alpes",
    "Pharmacie du Marché", "Imprimerie Rousseau", "Banque Populaire Rhône", "Mairie de Lyon",
    "Clinique Saint-Joseph", "Fromagerie Guérin", "Électricité Bonnet", "Assurances Garnier",
    "Hôtel du Parc", "Librairie Perrin", "Agence Immobilière Faure",
)  # fmt: skip


@value_class
class Person:
    """An internal user with a desk phone."""

    extension: str
    first_name: str
    last_name: str
    department: str
    presence: PresenceState = PresenceState.AVAILABLE
    presence_note: str | None = None
    dnd: bool = False
    registered: bool = True
    forward_unconditional: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def user_id(self) -> str:
        return user_id_of(self.extension)

    @property
    def device_id(self) -> str:
        return device_id_of(self.extension)


@value_class
class QueueSpec:
    id: QueueId
    name: str
    number: str
    overflow_to: QueueId | None = None
    overflow_after_s: float | None = None
    agents: tuple[str, ...] = ()  # colleague extensions assigned to the queue
    ready: tuple[str, ...] = ()  # those READY at start (the others are paused)
    strategy: RingStrategy = RingStrategy.LONGEST_IDLE
    max_waiting: int | None = None
    announce_position: bool = True


@value_class
class FlowSpec:
    """A call flow: opening hours in front of a queue (or of every queue), and the way out."""

    id: FlowId
    name: str
    schedule: str | None = None  # see simulator.schedule; None: open unless forced closed
    closed_destination: str | None = None  # None: a call is hung up while closed
    queue_id: QueueId | None = None  # None: every queue (a night mode)


@value_class
class MachineSpec:
    """An answering machine on a short number: voicemail box or recorded announcement."""

    number: str
    name: str
    hangs_up_after_s: float  # the announcement's length, or the longest voicemail message


#: The pause reasons an agent may give (Webpilot WPL-14.2-4); "Pause" is the plain one.
PAUSE_REASONS = ("Pause", "Déjeuner", "Réunion", "Back-office", "Formation")

VOICEMAIL = "3990"
CLOSED_MESSAGE = "3991"
MACHINES = (
    MachineSpec(VOICEMAIL, "Messagerie vocale", 90.0),
    MachineSpec(CLOSED_MESSAGE, "Annonce de fermeture", 20.0),
)
FLOWS = (
    FlowSpec(
        FlowId("accueil-horaires"),
        "Accueil – horaires",
        "Lun–Ven 08:30–12:30, 13:30–18:00 ; Sam–Dim 09:00–12:00",
        VOICEMAIL,
        QueueId("accueil"),
    ),
    FlowSpec(
        FlowId("support-horaires"),
        "Support – horaires",
        "Lun–Sam 08:00–20:00 ; Dim 09:00–13:00",
        CLOSED_MESSAGE,
        QueueId("support"),
    ),
    FlowSpec(FlowId("mode-nuit"), "Mode nuit", None, CLOSED_MESSAGE, None),
)


@value_class
class LotSpec:
    id: LotId
    name: str
    slots: tuple[str, ...]


@value_class
class ExternalCaller:
    """Somebody outside the company. ``number is None``: masked; ``name is None``: unknown."""

    number: str | None
    name: str | None = None
    company: str | None = None
    mobile: bool = False


#: The companies the receptionist answers for, each with the number callers may be shown.
COMPANY_NUMBERS = (
    CompanyNumber("+33142000000", "Martin & Associés"),
    CompanyNumber("+33142000100", "Martin Conseil"),
    CompanyNumber("+33142000200", "Martin Immobilier"),
)


@value_class
class Company:
    name: str
    operator: Person
    colleagues: tuple[Person, ...]
    queues: tuple[QueueSpec, ...]
    lots: tuple[LotSpec, ...]
    externals: tuple[ExternalCaller, ...]
    flows: tuple[FlowSpec, ...] = ()
    machines: tuple[MachineSpec, ...] = ()
    pause_reasons: tuple[str, ...] = ()
    timezone: str = "Europe/Paris"  # opening hours are local time
    voicemail: str | None = None  # the number that reaches one's own voicemail box
    numbers: tuple[CompanyNumber, ...] = COMPANY_NUMBERS  # numbers an operator may present

    def people(self) -> tuple[Person, ...]:
        return (self.operator, *self.colleagues)

    def by_department(self, department: str) -> list[Person]:
        return [p for p in self.colleagues if p.department == department]


def _french_number(rng: random.Random, mobile: bool) -> str:
    head = rng.choice("67") if mobile else rng.choice("12345")
    return "+33" + head + "".join(str(rng.randrange(10)) for _ in range(8))


def _people(rng: random.Random, operator_extension: str) -> tuple[Person, list[Person]]:
    names: list[tuple[str, str]] = []
    while len(names) < 1 + sum(n for _, n in DEPARTMENTS):
        pair = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        if pair not in names and pair != ("Camille", "Martin"):
            names.append(pair)
    pool = [f"{n}" for n in range(101, 400) if str(n) != operator_extension]
    extensions = sorted(rng.sample(pool, len(names) - 1))
    operator = Person(operator_extension, "Camille", "Martin", "Accueil")
    departments = [d for d, n in DEPARTMENTS for _ in range(n)]
    colleagues = [
        Person(ext, first, last, dept)
        for ext, (first, last), dept in zip(extensions, names[1:], departments, strict=True)
    ]
    return operator, colleagues


def _with_initial_states(rng: random.Random, colleagues: list[Person]) -> list[Person]:
    """A few colleagues start away, on holiday (unregistered), in DND or forwarded."""
    from dataclasses import replace

    order = list(range(len(colleagues)))
    rng.shuffle(order)
    away, offline, dnd, busy, fwd = order[0], order[1], order[2], order[3], order[4]
    out = list(colleagues)
    out[away] = replace(out[away], presence=PresenceState.AWAY, presence_note="En réunion")
    out[offline] = replace(
        out[offline], presence=PresenceState.OFFLINE, registered=False, presence_note="Congés"
    )
    out[dnd] = replace(out[dnd], dnd=True, presence=PresenceState.BUSY)
    out[busy] = replace(out[busy], presence=PresenceState.BUSY, presence_note="Ne pas déranger")
    target = out[order[5]].extension
    out[fwd] = replace(out[fwd], forward_unconditional=target, presence_note="Télétravail")
    return out


def _queues(colleagues: list[Person]) -> tuple[QueueSpec, ...]:
    def available(dept: str) -> list[str]:
        return [
            p.extension
            for p in colleagues
            if p.department == dept and p.registered and not p.dnd and not p.forward_unconditional
        ]

    accueil = available("Accueil")
    commercial = available("Commercial")[:5]
    support = available("Support")[:5]
    return (
        QueueSpec(
            QueueId("accueil"), "Accueil", "3900", QueueId("debordement"), 60.0,
            agents=tuple(accueil), ready=(), strategy=RingStrategy.MANUAL, max_waiting=10,
        ),
        QueueSpec(
            QueueId("commercial"), "Commercial", "3901", QueueId("debordement"), 90.0,
            agents=tuple(commercial), ready=tuple(commercial[:2]),
        ),
        QueueSpec(
            QueueId("support"), "Support technique", "3902", QueueId("debordement"), 120.0,
            agents=tuple(support), ready=tuple(support[:1]),
        ),
        QueueSpec(QueueId("debordement"), "Débordement", "3909"),
    )  # fmt: skip


def _externals(rng: random.Random) -> tuple[ExternalCaller, ...]:
    out: list[ExternalCaller] = []
    for company in EXTERNAL_COMPANIES:
        out.append(ExternalCaller(_french_number(rng, False), company, company))
    used = set()
    while len(out) < len(EXTERNAL_COMPANIES) + 12:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name in used:
            continue
        used.add(name)
        mobile = rng.random() < 0.7
        out.append(ExternalCaller(_french_number(rng, mobile), name, mobile=mobile))
    out += [ExternalCaller(None), ExternalCaller(None), ExternalCaller(None)]  # masked
    out += [ExternalCaller(_french_number(rng, rng.random() < 0.5)) for _ in range(4)]  # unknown
    return tuple(out)


def generate_company(rng: random.Random, operator_extension: str = "100") -> Company:
    """Build the company from ``rng`` only: the same seed gives the same company."""
    operator, colleagues = _people(rng, operator_extension)
    colleagues = _with_initial_states(rng, colleagues)
    return Company(
        name="Martin & Associés",
        operator=operator,
        colleagues=tuple(colleagues),
        queues=_queues(colleagues),
        lots=(LotSpec(LotId("parking"), "Parking", tuple(str(n) for n in range(701, 711))),),
        externals=_externals(rng),
        flows=FLOWS,
        machines=MACHINES,
        pause_reasons=PAUSE_REASONS,
        voicemail=VOICEMAIL,
    )
