"""Weekly opening hours of a call flow, written as a receptionist reads them.

Owns ``Schedule``: parsed from text such as ``"Lun–Ven 08:30–12:30, 13:30–18:00 ; Sam 09:00–12:00"``
(French day abbreviations, a day range or a single day, then one or more time ranges; groups
separated by ``;``), evaluated in the company's time zone. ``is_open(at)`` says whether an
instant falls in a range (start included, end excluded) and ``next_change(at)`` gives the next
instant the answer flips, so the switch can arm one timer per boundary. Pure: no clock here.

Without a time-zone database (a bare Windows install) the zone falls back to UTC rather than
failing: the simulator must start anywhere.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tws_tui.core.values import value_class

DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")  # Monday = 0, as ``date.weekday()``
_DASH = r"\s*[-–]\s*"
_RANGE = re.compile(rf"(\d{{1,2}}):(\d{{2}}){_DASH}(\d{{1,2}}):(\d{{2}})")


def zone(name: str) -> tzinfo:
    """The named time zone, or UTC when the system has no time-zone database."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@value_class
class Opening:
    """Open on ``days`` (0 = Monday) from ``start`` (included) to ``end`` (excluded)."""

    days: frozenset[int]
    start: time
    end: time


def _day(word: str, text: str) -> int:
    key = word.strip().lower().rstrip(".")[:3]
    if key not in DAYS:
        raise ValueError(f"Jour inconnu {word!r} dans l'horaire {text!r}")
    return DAYS.index(key)


def _days(spec: str, text: str) -> frozenset[int]:
    parts = re.split(_DASH, spec.strip())
    if len(parts) == 1:
        return frozenset({_day(parts[0], text)})
    if len(parts) != 2:
        raise ValueError(f"Jours illisibles {spec!r} dans l'horaire {text!r}")
    first, last = _day(parts[0], text), _day(parts[1], text)
    return frozenset((first + i) % 7 for i in range((last - first) % 7 + 1))


def _parse(text: str) -> tuple[Opening, ...]:
    openings: list[Opening] = []
    for group in filter(None, (g.strip() for g in text.split(";"))):
        match = re.match(r"([^\d]+)\s+(\d.*)$", group)
        if match is None:
            raise ValueError(f"Horaire illisible : {group!r} (attendu : « Lun–Ven 08:30–18:00 »)")
        days = _days(match.group(1), text)
        for chunk in match.group(2).split(","):
            hours = _RANGE.fullmatch(chunk.strip())
            if hours is None:
                raise ValueError(f"Plage horaire illisible {chunk.strip()!r} dans {text!r}")
            h1, m1, h2, m2 = (int(n) for n in hours.groups())
            start, end = time(h1, m1), time(h2, m2)
            if end <= start:
                raise ValueError(f"Plage horaire vide ou à l'envers : {chunk.strip()!r}")
            openings.append(Opening(days, start, end))
    if not openings:
        raise ValueError(f"Horaire vide : {text!r}")
    return tuple(openings)


@value_class
class Schedule:
    """Weekly opening hours in one time zone; ``text`` is what the operator reads."""

    text: str
    openings: tuple[Opening, ...]
    tz: tzinfo

    @classmethod
    def parse(cls, text: str, tz: tzinfo) -> Schedule:
        """``ValueError`` (in French, naming the bad part) if ``text`` cannot be read."""
        return cls(text, _parse(text), tz)

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.tz)
        now, day = local.time(), local.weekday()
        return any(day in o.days and o.start <= now < o.end for o in self.openings)

    def _boundaries(self, around: date) -> list[datetime]:
        out = []
        for offset in range(-1, 9):
            day = around + timedelta(days=offset)
            for o in self.openings:
                if day.weekday() in o.days:  # in UTC: plain arithmetic across DST changes
                    out.append(datetime.combine(day, o.start, self.tz).astimezone(UTC))
                    out.append(datetime.combine(day, o.end, self.tz).astimezone(UTC))
        return sorted(out)

    def next_change(self, at: datetime) -> datetime | None:
        """The first instant after ``at`` when ``is_open`` flips (None: it never does)."""
        now = self.is_open(at)
        for boundary in self._boundaries(at.astimezone(self.tz).date()):
            if boundary > at and self.is_open(boundary) != now:
                return boundary
        return None
