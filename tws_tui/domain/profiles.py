"""Profiles and their forwarding rules (issue 17; TWS §1.7, §6.10; TWP §5.1): the model, the
engine that says which rule wins now and why, the schedule that picks a profile, and the
checks that refuse a bad rule before anything is kept.

Textual-free and I/O-free. A *profile* bundles a presence (and its note) with forwarding rules;
exactly one is active. A *rule* forwards one kind of call (immediately, when busy, when I do
not answer) to a number when all its conditions hold: my presence, the day of the week, the
hours (a window may cross midnight: 18:00–08:30), a date range, and the caller (internal or
external, numbers with ``*`` wildcards, a contact list, one contact, a whole directory, a
regular expression on the number; and callers excluded by the same kinds — numbers, a list,
one contact, a whole directory, a regular expression —, judged first: TWS-6.10.6.1-13/-14).
My presence may be a base state, a state of my own by its label ("Formation") or my
calendar's "in a meeting" (TWS-6.10.6.1-3). Days and hours are read on
the current day. Rules are tried in their order, which the user changes (:func:`move_rule`),
simple rules always before advanced ones (an announcement, days, hours, dates or a caller
filter: TWS-6.10.6-1) as TWS-6.10.6.3-2 says — :func:`simple_first` keeps every profile's
rules so, adding, moving and loading alike; for each kind of forward the first enabled rule
whose conditions hold wins, and :func:`evaluate` says so in words. A rule may forward to the
profile's *current extension* (the phone I use for now, e.g. a meeting room's: TWS-6.10.1-3),
resolved when it wins.

Refused, with a sentence saying why (``ValueError``), nothing kept: an empty or letter-filled
destination, a forward to my own number or one that comes back to me (a loop), a regular
expression that does not compile, hours that start and end at the same minute, a date range
that ends before it starts, a rule to the current extension of a profile that has none, and a
profile left without a rule (TWS-6.10.1-5).
A rule that overlaps another enabled rule of the same kind (both could hold for the same call)
is kept and said (:func:`overlap_warning`): the one first in order wins (TWS-6.10.6.3-2).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from fnmatch import fnmatchcase
from functools import reduce

from tws_tui.contacts.rules import directory_name
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    DEFAULT_ANNOUNCEMENT,
    Forward,
    ForwardKind,
    PresenceState,
)
from tws_tui.domain.format import PRESENCE_WORD
from tws_tui.domain.forwarding import (
    KIND_WORD,
    check_destination,
    check_not_me,
    check_ring_time,
    destination_word,
)
from tws_tui.domain.numbers import clean_number
from tws_tui.platform.i18n import N_, _

#: The longest rule or profile name (TWS-6.10.6.1-2).
MAX_NAME_CHARS = 40
#: Beside letters, digits and spaces, what a name may hold ("Jour de l'an", "Nuit / week-end").
NAME_PUNCTUATION = "-'’.,()/&+"
#: A number of at most this many digits is a colleague's (TWS-6.10.6.1-6).
INTERNAL_DIGITS = 4
#: Day letters, Monday first (the manual's L M M J V S D).
DAY_WORD = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
ALL_DAYS = frozenset(range(7))
#: Before the active profile's name in the status bar.
PROFILE_SYMBOL = "◆"
MINUTES_A_DAY = 24 * 60
#: A rule's destination meaning "the current extension of my active profile" (TWS-6.10.1-3).
CURRENT_EXTENSION = "current"


class Origin(enum.StrEnum):
    """Which callers a rule forwards (TWS-6.10.6.1-6)."""

    ALL = "all"
    INTERNAL = "internal"
    EXTERNAL = "external"


ORIGIN_WORD: Mapping[Origin, str] = {
    Origin.ALL: N_("all callers"),
    Origin.INTERNAL: N_("internal callers"),
    Origin.EXTERNAL: N_("external callers"),
}


class Status(enum.StrEnum):
    """A rule's status now (TWS-6.10.6.3-3, -6.10.6.4-1)."""

    ACTIVE = N_("ACTIVE")
    PENDING = N_("PENDING")
    OFF = N_("NOT ACTIVE")


@dataclass(frozen=True)
class Rule:
    """One forwarding rule; a condition left empty always holds."""

    name: str
    destination: str
    kind: ForwardKind = ForwardKind.UNCONDITIONAL
    ring_time_s: int | None = None
    enabled: bool = True
    presence: PresenceState | None = None
    days: frozenset[int] = frozenset()  # 0 = Monday; empty: every day
    hours: tuple[time, time] | None = None  # start, end; end before start crosses midnight
    dates: tuple[datetime, datetime] | None = None
    origin: Origin = Origin.ALL
    numbers: tuple[str, ...] = ()  # callers, digits with ``*`` wildcards
    contact_list: str = ""  # a contact list's name: its numbers
    exclude_numbers: tuple[str, ...] = ()  # callers never forwarded by this rule
    exclude_list: str = ""  # a contact list whose callers are never forwarded by it
    presence_label: str = ""  # a state of my own, by its label: holds while I am in it
    in_meeting: bool = False  # holds while my calendar has an event on (calendar presence)
    contact: str = ""  # one contact, by name: the caller the console's lookup names so
    directory: str = ""  # a whole directory (its source id): callers found in it
    pattern: str = ""  # a regular expression the caller's number (digits) matches whole
    exclude_contact: str = ""  # one contact, by name, never forwarded by this rule
    exclude_directory: str = ""  # a directory (its source id) whose callers are never forwarded
    exclude_pattern: str = ""  # a regular expression: numbers matching it whole never forwarded
    #: Played to the caller before the forward (TWS-6.10.6.1-7): a sound's name,
    #: ``DEFAULT_ANNOUNCEMENT`` (the default one, TWS-6.9-3), or "" for none.
    announcement: str = ""

    @property
    def by_caller(self) -> bool:
        """Whether the rule depends on who calls (then only a call can meet it)."""
        return (
            self.origin is not Origin.ALL
            or bool(self.numbers)
            or bool(self.contact_list)
            or bool(self.exclude_numbers)
            or bool(self.exclude_list)
            or bool(self.contact)
            or bool(self.directory)
            or bool(self.pattern)
            or self.excludes_more
        )

    @property
    def excludes_more(self) -> bool:
        """Whether it excludes callers by a contact, a directory or a regular expression."""
        return bool(self.exclude_contact or self.exclude_directory or self.exclude_pattern)

    @property
    def by_contact(self) -> bool:
        """Whether judging it needs the caller's contact (a contact or directory, included or
        excluded): the console looks the caller up first."""
        return any((self.contact, self.directory, self.exclude_contact, self.exclude_directory))

    @property
    def advanced(self) -> bool:
        """Whether it is an advanced rule (TWS-6.10.6-1: announcement, schedule, caller
        filters); a simple one has only presence, origin, kind and destination."""
        filters = (self.numbers, self.contact_list, self.exclude_numbers, self.exclude_list)
        filtered = any(filters) or bool(self.contact or self.directory or self.pattern)
        filtered = filtered or self.excludes_more
        scheduled = bool(self.days and self.days != ALL_DAYS) or bool(self.hours or self.dates)
        return bool(self.announcement) or scheduled or filtered

    @property
    def to_current(self) -> bool:
        """Whether the rule forwards to the profile's current extension."""
        return self.destination == CURRENT_EXTENSION

    def forward(self) -> Forward:
        return Forward(True, self.destination, self.ring_time_s, self.announcement or None)


@dataclass(frozen=True)
class Schedule:
    """When a profile becomes active by itself: these days, between these hours."""

    days: frozenset[int]
    start: time
    end: time

    def holds(self, now: datetime) -> bool:
        return now.weekday() in (self.days or ALL_DAYS) and _in_window(
            now.time(), self.start, self.end
        )


@dataclass(frozen=True)
class Profile:
    """A named set of presence and forwarding rules. ``name`` empty: the default profile's
    name in the user's language (:func:`profile_name`)."""

    key: str
    presence: PresenceState
    name: str = ""
    note: str = ""
    rules: tuple[Rule, ...] = ()
    schedule: Schedule | None = None
    extension: str = ""  # the current extension (TWS-6.10.1-3); "" my own
    line: str = ""  # the phone line (TWS-6.10.1-4, domain/phone_line.py); "" the one in use

    def resolved(self, rule: Rule) -> Rule:
        """``rule`` with "current extension" replaced by this profile's (as it is sent)."""
        return replace(rule, destination=self.extension) if rule.to_current else rule


#: The profiles a user starts with: key → (name, presence, note).
DEFAULT_PROFILES: tuple[tuple[str, str, PresenceState], ...] = (
    ("office", N_("Office"), PresenceState.AVAILABLE),
    ("meeting", N_("Meeting"), PresenceState.BUSY),
    ("away", N_("Away"), PresenceState.AWAY),
    ("night", N_("Night"), PresenceState.OFFLINE),
)
DEFAULT_NAME: Mapping[str, str] = {key: name for key, name, _state in DEFAULT_PROFILES}


def default_profiles() -> tuple[Profile, ...]:
    return tuple(Profile(key, state) for key, _name, state in DEFAULT_PROFILES)


def profile_name(profile: Profile) -> str:
    """The name shown: the user's own, else the default's in the user's language."""
    if profile.name:
        return profile.name
    return _(DEFAULT_NAME[profile.key]) if profile.key in DEFAULT_NAME else profile.key


@dataclass(frozen=True)
class Situation:
    """What the rules are judged against. ``caller`` None: any call (the forwards the phone
    system is given); a number: that caller's call."""

    now: datetime
    presence: PresenceState
    caller: str | None = None
    lists: Mapping[str, frozenset[str]] = field(default_factory=dict)
    internal_digits: int = INTERNAL_DIGITS
    presence_label: str | None = None  # the label of my own state, when I am in one
    in_meeting: bool = False  # my calendar has an event on now
    #: The caller's contact as the console's lookup found it: (directory source, name).
    caller_contact: tuple[str, str] | None = None


@dataclass(frozen=True)
class Outcome:
    """One rule judged: its status and the sentence saying why."""

    rule: Rule
    status: Status
    why: str
    wins: bool = False


@dataclass(frozen=True)
class Verdict:
    """Every rule of a profile judged in order, and the winner per kind of forward."""

    outcomes: tuple[Outcome, ...]
    winners: Mapping[ForwardKind, Rule]

    def forwards(self) -> dict[ForwardKind, Forward]:
        """The forwards the phone system is given: each kind's winner, else off."""
        return {
            kind: self.winners[kind].forward() if kind in self.winners else Forward(False)
            for kind in ForwardKind
        }


# ---- conditions ---------------------------------------------------------------------------


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _in_window(moment: time, start: time, end: time) -> bool:
    now, low, high = _minutes(moment), _minutes(start), _minutes(end)
    return low <= now < high if low < high else now >= low or now < high


def semicolons(parts: Sequence[str]) -> str:
    """Parts joined by semicolons as the language writes them ("a; b", French "a ; b")."""
    return reduce(lambda a, b: _("{a}; {b}").format(a=a, b=b), parts) if parts else ""


def hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


def days_text(days: frozenset[int]) -> str:
    """ "Mon Tue Fri", or "every day"."""
    if not days or days == ALL_DAYS:
        return _("every day")
    return " ".join(_(DAY_WORD[day]) for day in sorted(days))


def _listed(number: str, name: str, situation: Situation) -> bool:
    listed = {clean_number(n).lstrip("+") for n in situation.lists.get(name, ())}
    return number in listed


def _caller_holds(rule: Rule, caller: str, situation: Situation) -> bool:
    """Excluded callers first (TWS-6.10.6.1-14), then the origin and the included ones."""
    number = clean_number(caller).lstrip("+")
    if any(fnmatchcase(number, pattern) for pattern in rule.exclude_numbers):
        return False
    if rule.exclude_list and _listed(number, rule.exclude_list, situation):
        return False
    if rule.exclude_pattern and _pattern_holds(rule.exclude_pattern, number):
        return False
    found = situation.caller_contact
    if found is not None and _same_name(found[1], rule.exclude_contact):
        return False
    if found is not None and rule.exclude_directory and found[0] == rule.exclude_directory:
        return False
    if rule.pattern and not _pattern_holds(rule.pattern, number):
        return False
    if rule.contact and (found is None or found[1].casefold() != rule.contact.casefold()):
        return False
    if rule.directory and (found is None or found[0] != rule.directory):
        return False
    internal = len(number) <= situation.internal_digits
    if rule.origin is Origin.INTERNAL and not internal:
        return False
    if rule.origin is Origin.EXTERNAL and internal:
        return False
    if rule.numbers and not any(fnmatchcase(number, pattern) for pattern in rule.numbers):
        return False
    return not rule.contact_list or _listed(number, rule.contact_list, situation)


def _same_name(name: str, wanted: str) -> bool:
    return bool(wanted) and name.casefold() == wanted.casefold()


def _pattern_holds(pattern: str, number: str) -> bool:
    try:
        return re.fullmatch(pattern, number) is not None
    except re.error:  # refused by check_pattern; one kept from elsewhere matches nothing
        return False


def caller_text(rule: Rule) -> str:
    parts = [_(ORIGIN_WORD[rule.origin])]
    if rule.numbers:
        parts.append(_("numbers {numbers}").format(numbers=", ".join(rule.numbers)))
    if rule.contact_list:
        parts.append(_("list {name}").format(name=rule.contact_list))
    if rule.contact:
        parts.append(_("contact {name}").format(name=rule.contact))
    if rule.directory:
        parts.append(_("directory {name}").format(name=directory_name(rule.directory)))
    if rule.pattern:
        parts.append(_("numbers matching {pattern}").format(pattern=rule.pattern))
    if rule.exclude_numbers:
        numbers = ", ".join(rule.exclude_numbers)
        parts.append(_("except numbers {numbers}").format(numbers=numbers))
    if rule.exclude_list:
        parts.append(_("except list {name}").format(name=rule.exclude_list))
    if rule.exclude_contact:
        parts.append(_("except contact {name}").format(name=rule.exclude_contact))
    if rule.exclude_directory:
        name = directory_name(rule.exclude_directory)
        parts.append(_("except directory {name}").format(name=name))
    if rule.exclude_pattern:
        pattern = rule.exclude_pattern
        parts.append(_("except numbers matching {pattern}").format(pattern=pattern))
    return ", ".join(parts)


def presence_text(rule: Rule) -> str:
    """The presence a rule waits for in words ("Busy", "Formation", "in a meeting
    (calendar)"), or "" when it has no presence condition."""
    words = []
    if rule.presence is not None:
        words.append(_(PRESENCE_WORD[rule.presence]))
    if rule.presence_label:
        words.append(rule.presence_label)
    if rule.in_meeting:
        words.append(_("in a meeting (calendar)"))
    return ", ".join(words)


def conditions(rule: Rule, situation: Situation) -> list[tuple[bool, str]]:
    """Each condition the rule sets, whether it holds now, and its words."""
    now = situation.now
    out: list[tuple[bool, str]] = []
    if rule.presence is not None:
        out.append(
            (
                situation.presence is rule.presence,
                _("presence {state}").format(state=_(PRESENCE_WORD[rule.presence])),
            )
        )
    if rule.presence_label:
        mine = (situation.presence_label or "").casefold()
        out.append(
            (
                mine == rule.presence_label.casefold(),
                _("presence {state}").format(state=rule.presence_label),
            )
        )
    if rule.in_meeting:
        out.append((situation.in_meeting, _("in a meeting (calendar)")))
    if rule.days and rule.days != ALL_DAYS:
        out.append((now.weekday() in rule.days, days_text(rule.days)))
    if rule.hours is not None:
        start, end = rule.hours
        out.append((_in_window(now.time(), start, end), f"{hhmm(start)}–{hhmm(end)}"))
    if rule.dates is not None:
        start_at, end_at = rule.dates
        words = _("from {start} to {end}").format(
            start=start_at.strftime("%d/%m/%Y %H:%M"), end=end_at.strftime("%d/%m/%Y %H:%M")
        )
        out.append((start_at <= now.replace(tzinfo=None) < end_at, words))
    if rule.by_caller:
        held = situation.caller is not None and _caller_holds(rule, situation.caller, situation)
        out.append((held, caller_text(rule)))
    return out


def target_word(rule: Rule, voicemail: str = "", extension: str = "") -> str:
    """Where a rule forwards, in words ("my voicemail", "current extension 2004", "0612…")."""
    if rule.to_current:
        return _("current extension {number}").format(number=extension or "?")
    if rule.destination == ANSWERING_MACHINE:
        return _("the answering machine")
    return destination_word(rule.destination, voicemail)


def announcement_text(announcement: str) -> str:
    """ "after the default announcement", "after the announcement Welcome"."""
    if announcement == DEFAULT_ANNOUNCEMENT:
        return _("after the default announcement")
    return _("after the announcement {name}").format(name=announcement)


def evaluate(profile: Profile, situation: Situation) -> Verdict:
    """Judge every rule in order: which holds, which wins each kind of forward (as sent:
    "current extension" resolved to the profile's), and why."""
    outcomes: list[Outcome] = []
    winners: dict[ForwardKind, Rule] = {}
    first_at: dict[ForwardKind, int] = {}
    for at, rule in enumerate(profile.rules, 1):
        if not rule.enabled:
            outcomes.append(Outcome(rule, Status.OFF, _("switched off")))
            continue
        judged = conditions(rule, situation)
        unmet = [words for held, words in judged if not held]
        if unmet:
            why = _("waits: not {condition}").format(condition=semicolons(unmet))
            if rule.by_caller and situation.caller is None and len(unmet) == 1:
                why = _("waits for a call from {callers}").format(callers=caller_text(rule))
            outcomes.append(Outcome(rule, Status.PENDING, why))
            continue
        held_words = semicolons([words for _held, words in judged]) or _("no condition")
        if rule.kind in winners:
            first = winners[rule.kind]
            why = _("holds, but {name!r} comes first (rule {n})").format(
                name=first.name, n=first_at[rule.kind]
            )
            if rule.advanced and not first.advanced:
                why = _(
                    "holds, but the simple rule {name!r} comes first (rule {n}): simple rules "
                    "are tried before advanced ones"
                ).format(name=first.name, n=first_at[rule.kind])
            outcomes.append(Outcome(rule, Status.ACTIVE, why))
            continue
        winners[rule.kind] = profile.resolved(rule)
        first_at[rule.kind] = at
        why = _("wins: rule {n}, the first in order whose conditions hold ({conditions})").format(
            n=at, conditions=held_words
        )
        outcomes.append(Outcome(rule, Status.ACTIVE, why, wins=True))
    return Verdict(tuple(outcomes), winners)


def scheduled(profiles: Sequence[Profile], now: datetime) -> Profile | None:
    """The first profile whose schedule holds now, or None."""
    return next((p for p in profiles if p.schedule is not None and p.schedule.holds(now)), None)


# ---- refusals -----------------------------------------------------------------------------


def _name_char(char: str) -> bool:
    """A letter or digit of any script, a space, or :data:`NAME_PUNCTUATION` (TWS-6.10.6.1-2:
    alphanumeric; the manual's own names have spaces and accents)."""
    return char == " " or char in NAME_PUNCTUATION or unicodedata.category(char)[0] in "LN"


def check_name(text: str, taken: Sequence[str] = ()) -> str:
    """A profile's or rule's name tidied (spaces), or ``ValueError`` saying why not."""
    name = " ".join(text.split())
    if not name:
        raise ValueError(_("A name is needed."))
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(
            _("A name has at most {max} characters ({n} given).").format(
                max=MAX_NAME_CHARS, n=len(name)
            )
        )
    odd = next((c for c in name if not _name_char(c)), None)
    if odd is not None:
        raise ValueError(
            _("A name holds letters, digits, spaces and {allowed} only, not {char}.").format(
                allowed=" ".join(NAME_PUNCTUATION), char=ascii(odd)
            )
        )
    if name.casefold() in {t.casefold() for t in taken}:
        raise ValueError(_("{name!r} is already used.").format(name=name))
    return name


def parse_time(text: str) -> time:
    """ "8:30", "08:30" or "8" → a time; else a sentence saying what is expected."""
    typed = text.strip()
    hours, _sep, minutes = typed.partition(":")
    if hours.isdigit() and (not minutes or minutes.isdigit()):
        h, m = int(hours), int(minutes or 0)
        if 0 <= h < 24 and 0 <= m < 60:
            return time(h, m)
    raise ValueError(_("{text!r} is not a time: write HH:MM, e.g. 08:30.").format(text=typed))


def parse_datetime(text: str) -> datetime:
    """ "31/08/2024 16:00" or "31/08/2024" → a date and time."""
    typed = " ".join(text.split())
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(typed, pattern)
        except ValueError:
            continue
    raise ValueError(
        _("{text!r} is not a date: write DD/MM/YYYY HH:MM, e.g. 31/08/2024 16:00.").format(
            text=typed
        )
    )


def parse_days(text: str) -> frozenset[int]:
    """Day numbers 1–7 (Monday is 1), e.g. "12345"; empty: every day."""
    typed = "".join(text.split()).replace(",", "")
    if not all(ch in "1234567" for ch in typed):
        raise ValueError(
            _("{text!r}: days are digits 1 to 7, Monday is 1 (e.g. 12345).").format(text=text)
        )
    return frozenset(int(ch) - 1 for ch in typed)


def parse_numbers(text: str) -> tuple[str, ...]:
    """Caller numbers separated by spaces or commas, ``*`` as a wildcard."""
    out = []
    for item in text.replace(",", " ").split():
        number = item.lstrip("+")
        if not number or not all(ch.isdigit() or ch == "*" for ch in number):
            raise ValueError(
                _("{text!r} is not a caller number (digits, * for any digits).").format(text=item)
            )
        out.append(number)
    return tuple(out)


def check_pattern(text: str) -> str:
    """A regular expression on the caller's number (TWS-6.10.6.1-13), e.g. ``0[67][0-9]{8}``;
    "" for none; ``ValueError`` saying why when it does not compile."""
    typed = text.strip()
    if not typed:
        return ""
    try:
        re.compile(typed)
    except re.error as e:  # its words are English: where it fails is said instead
        where = len(typed) if e.pos is None else e.pos + 1
        raise ValueError(
            _("{text!r} is not a regular expression (look at character {n}).").format(
                text=typed, n=where
            )
        ) from e
    return typed


def check_rule(
    rule: Rule,
    *,
    own: str,
    voicemail: str = "",
    forwards_of: Callable[[str], str | None] = lambda _number: None,
) -> Rule:
    """The rule as kept (name tidied, destination cleaned), or ``ValueError`` saying why not.

    ``forwards_of`` answers where a colleague's number is forwarded (to find a loop). A rule
    to the current extension is checked with its profile (:func:`check_extension_rules`)."""
    name = check_name(rule.name)
    destination = rule.destination
    if destination == ANSWERING_MACHINE and rule.by_caller:
        raise ValueError(_("A rule on the caller cannot end at the answering machine."))
    if not rule.to_current and destination != ANSWERING_MACHINE:
        destination = check_destination(rule.destination, voicemail)
        check_not_me(destination, own, forwards_of)
    check_pattern(rule.pattern)
    check_pattern(rule.exclude_pattern)
    ring_time = rule.ring_time_s
    if rule.kind is ForwardKind.NO_ANSWER:
        ring_time = check_ring_time(str(ring_time or ""))
    if rule.hours is not None and rule.hours[0] == rule.hours[1]:
        raise ValueError(_("The hours start and end at the same time."))
    if rule.dates is not None and rule.dates[1] <= rule.dates[0]:
        raise ValueError(_("The rule ends before it starts."))
    if rule.announcement and rule.by_caller:
        raise ValueError(
            _(
                "An announcement is played by the phone system's forward; a rule on the caller "
                "is carried out by the console, which cannot play one: choose 'No announcement'."
            )
        )
    return replace(rule, name=name, destination=destination, ring_time_s=ring_time)


def _minute_set(rule: Rule) -> set[int]:
    if rule.hours is None:
        return set(range(MINUTES_A_DAY))
    low, high = (_minutes(t) for t in rule.hours)
    if low < high:
        return set(range(low, high))
    return set(range(low, MINUTES_A_DAY)) | set(range(0, high))


def _excluded(plain: Sequence[str], excluded: Sequence[str]) -> bool:
    """Whether every number of ``plain`` (no wildcard) is among ``excluded``'s patterns."""
    return bool(plain) and all(
        "*" not in n and any(fnmatchcase(n, pattern) for pattern in excluded) for n in plain
    )


def _left_out(a: Rule, b: Rule) -> bool:
    """Whether the one contact or directory ``a`` forwards is one ``b`` excludes."""
    return _same_name(a.contact, b.exclude_contact) or (
        bool(a.directory) and a.directory == b.exclude_directory
    )


def _callers_overlap(a: Rule, b: Rule) -> bool:
    if {a.origin, b.origin} == {Origin.INTERNAL, Origin.EXTERNAL}:
        return False
    if _left_out(a, b) or _left_out(b, a):
        return False
    if not b.contact_list and _excluded(b.numbers, a.exclude_numbers):
        return False  # the only callers b forwards are those a leaves out
    if not a.contact_list and _excluded(a.numbers, b.exclude_numbers):
        return False
    if a.numbers and b.numbers and not a.contact_list and not b.contact_list:
        plain = all("*" not in n for n in (*a.numbers, *b.numbers))
        if plain and set(a.numbers).isdisjoint(b.numbers):
            return False
    return True


def overlaps(a: Rule, b: Rule) -> bool:
    """Whether both rules could forward the same call at the same moment."""
    if a.kind is not b.kind:
        return False
    if a.presence is not None and b.presence is not None and a.presence is not b.presence:
        return False
    if (
        a.presence_label
        and b.presence_label
        and a.presence_label.casefold() != b.presence_label.casefold()
    ):
        return False
    if not (a.days or ALL_DAYS) & (b.days or ALL_DAYS):
        return False
    if not _minute_set(a) & _minute_set(b):
        return False
    if (
        a.dates is not None
        and b.dates is not None
        and (a.dates[1] <= b.dates[0] or b.dates[1] <= a.dates[0])
    ):
        return False
    return _callers_overlap(a, b)


def overlap_warning(rules: Sequence[Rule], rule: Rule, replacing: int | None = None) -> str:
    """The sentence saying ``rule`` (at ``replacing``, or added last) overlaps another enabled
    rule and which of the two the order makes win (TWS-6.10.6.3-2), or "" when none."""
    if not rule.enabled:
        return ""
    at = len(rules) if replacing is None else replacing
    for index, other in enumerate(rules):
        if index == replacing or not other.enabled or not overlaps(rule, other):
            continue
        first = other if index < at else rule
        return _(
            "{rule!r} overlaps {other!r}: for a call both would forward ({kind}), {first!r} "
            "wins as it comes first; move a rule to change that, or narrow one."
        ).format(rule=rule.name, other=other.name, kind=_(KIND_WORD[rule.kind]), first=first.name)
    return ""


def simple_first(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """``rules`` with the simple ones before the advanced ones, each in its order
    (TWS-6.10.6.3-2: simple rules take priority)."""
    return tuple(sorted(rules, key=lambda rule: rule.advanced))


def put_rule(profile: Profile, rule: Rule, index: int | None = None) -> Profile:
    """The profile with ``rule`` added (index None: last of its group, simple or advanced) or
    replacing the rule at ``index`` (moved to its group if it changed); ``rule`` is already
    checked by :func:`check_rule`. An overlap is allowed (the order decides) and said by
    :func:`overlap_warning`."""
    rules = list(profile.rules)
    if index is None:
        rules.append(rule)
    else:
        rules[index] = rule
    return replace(profile, rules=simple_first(rules))


def move_rule(profile: Profile, index: int, step: int) -> tuple[Profile, int]:
    """The profile with its rule at ``index`` moved ``step`` places (−1 up, +1 down) and the
    rule's new index; at either end of its group (simple rules stay before advanced ones) it
    stays. Order decides which rule wins (TWS-6.10.6.3-2): the overlap check does not forbid
    it, so nothing else changes."""
    to = max(0, min(len(profile.rules) - 1, index + step))
    if to == index or not 0 <= index < len(profile.rules):
        return profile, index
    if profile.rules[to].advanced is not profile.rules[index].advanced:
        return profile, index
    rules = list(profile.rules)
    rules.insert(to, rules.pop(index))
    return replace(profile, rules=tuple(rules)), to


def remove_rule(profile: Profile, index: int) -> Profile:
    """The profile without its rule at ``index``; its last rule is refused (TWS-6.10.1-5)."""
    if len(profile.rules) <= 1:
        raise ValueError(
            _("A profile keeps at least one forwarding rule: add another before deleting this one.")
        )
    return replace(profile, rules=profile.rules[:index] + profile.rules[index + 1 :])


def check_extension(text: str, own: str) -> str:
    """A profile's current extension (TWS-6.10.1-3): digits, not my own; "" for none."""
    typed = clean_number(text).lstrip("+")
    if not text.strip():
        return ""
    if not typed.isdigit():
        raise ValueError(
            _("{text!r} is not an extension number (digits only).").format(text=text.strip())
        )
    if own and typed == clean_number(own).lstrip("+"):
        raise ValueError(
            _("{number} is my own extension: leave the field empty to use it.").format(number=typed)
        )
    return typed


def check_extension_rules(profile: Profile) -> Profile:
    """Refuse a profile whose rule forwards to a current extension it does not have."""
    if not profile.extension:
        used = next((r for r in profile.rules if r.to_current), None)
        if used is not None:
            raise ValueError(
                _(
                    "The rule {name!r} forwards to the current extension: give the profile "
                    "a current extension first."
                ).format(name=used.name)
            )
    return profile
