"""Calendar presence (issue 17; TWP §3.3, TWS §1.6.3): which event of an iCalendar document
is on now, and what it makes my presence ("in a meeting until 14:00").

Textual-free and I/O-free: the caller reads the file or URL and hands the bytes here. Parsing
is ``icalendar``'s, recurring events (RRULE, EXDATE, moved occurrences) are expanded by
``recurring-ical-events``. An event's free/busy status (TWS-6.10.6.1-3: Free, Busy, Tentative,
Out of office) is Outlook's ``X-MICROSOFT-CDO-BUSYSTATUS`` (or ``-INTENDEDSTATUS``) when it has
one, else: free when ``TRANSP:TRANSPARENT``, tentative when ``STATUS:TENTATIVE``, out of office
when one of its ``CATEGORIES`` says so ("Out of office", "OOF", "Absent", "Vacation"…), busy
otherwise. Free and cancelled events are ignored; a private one (``CLASS:PRIVATE``,
TWS-1.6.3-3) gives no subject. A document that does not parse raises ``ValueError`` with a
sentence; nothing here keeps state.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from tws_tui.platform.i18n import _

#: The longest subject kept (a note is short).
MAX_SUBJECT = 40


class Showing(enum.IntEnum):
    """How an event shows me (TWS-6.10.6.1-3); the higher wins when events overlap."""

    TENTATIVE = 1
    BUSY = 2
    OUT_OF_OFFICE = 3


#: Outlook's free/busy words (X-MICROSOFT-CDO-BUSYSTATUS); None: the event is ignored.
CDO_STATUS: dict[str, Showing | None] = {
    "FREE": None,
    "WORKINGELSEWHERE": None,
    "TENTATIVE": Showing.TENTATIVE,
    "BUSY": Showing.BUSY,
    "OOF": Showing.OUT_OF_OFFICE,
}
#: Categories that make an event "out of office" (folded, English and French).
OUT_OF_OFFICE_CATEGORIES = frozenset(
    {
        "out of office",
        "out-of-office",
        "oof",
        "ooo",
        "absent",
        "absence",
        "away",
        "vacation",
        "holiday",
        "holidays",
        "hors du bureau",
        "congé",
        "congés",
        "vacances",
    }
)


@dataclass(frozen=True)
class Busy:
    """The event on now: when it ends (local time), its subject ("" when private), and how it
    shows me."""

    until: datetime
    subject: str = ""
    showing: Showing = Showing.BUSY

    def note(self, today: date | None = None) -> str:
        """The presence note colleagues see: "in a meeting until 14:00", "maybe in a meeting
        until 14:00", "out of office until 17:00"; the day too when it ends on another day
        than ``today``."""
        when = self.until.strftime("%H:%M")
        if today is not None and self.until.date() != today:
            when = self.until.strftime("%d/%m %H:%M")
        if self.showing is Showing.OUT_OF_OFFICE:
            return _("out of office until {time}").format(time=when)
        if self.showing is Showing.TENTATIVE:
            return _("maybe in a meeting until {time}").format(time=when)
        return _("in a meeting until {time}").format(time=when)


def _categories(event: Any) -> Iterator[str]:
    """The event's categories, folded (CATEGORIES may repeat, each a list)."""
    found = event.get("CATEGORIES")
    for line in found if isinstance(found, list) else [found] if found is not None else []:
        for word in getattr(line, "cats", [line]):
            yield str(word).strip().casefold()


def showing(event: Any) -> Showing | None:
    """How ``event`` shows me, or None when it leaves me free (free, cancelled)."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    for key in ("X-MICROSOFT-CDO-BUSYSTATUS", "X-MICROSOFT-CDO-INTENDEDSTATUS"):
        word = str(event.get(key, "")).strip().upper()
        if word in CDO_STATUS:
            return CDO_STATUS[word]
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if any(word in OUT_OF_OFFICE_CATEGORIES for word in _categories(event)):
        return Showing.OUT_OF_OFFICE
    if str(event.get("STATUS", "")).upper() == "TENTATIVE":
        return Showing.TENTATIVE
    return Showing.BUSY


def parse(data: bytes) -> Any:
    """The calendar in ``data`` (an ``icalendar.Calendar``), or ``ValueError`` saying it is
    not one."""
    import icalendar  # lazy: not on the start-up path

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as e:  # icalendar raises ValueError, KeyError, IndexError…
        raise ValueError(_("not an iCalendar file ({error})").format(error=e)) from e
    if not isinstance(calendar, icalendar.Calendar):
        raise ValueError(_("not an iCalendar file (no VCALENDAR)"))
    return calendar


def _local(moment: date | datetime, zone: tzinfo | None) -> datetime:
    if not isinstance(moment, datetime):  # an all-day event: the day's start
        return datetime.combine(moment, time(), zone)
    if moment.tzinfo is None:  # floating time: the user's own
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def busy_at(calendar: Any, now: datetime) -> Busy | None:
    """The event that keeps me busy at ``now`` (an aware datetime): when several overlap, the
    one that shows me most (out of office, busy, tentative), ending last; None when I am
    free."""
    import recurring_ical_events  # type: ignore[import-untyped]  # lazy, as above

    zone = now.tzinfo
    found: Busy | None = None
    try:
        events: list[Any] = recurring_ical_events.of(calendar).at(now)
    except Exception as e:  # a broken RRULE or date in one event
        raise ValueError(_("a calendar event cannot be read ({error})").format(error=e)) from e
    for event in events:
        shows = showing(event)
        if shows is None:
            continue
        start = event.get("DTSTART")
        if start is None:
            continue
        begins = _local(start.dt, zone)
        end = event.get("DTEND")
        if end is not None:
            ends = _local(end.dt, zone)
        elif event.get("DURATION") is not None:
            ends = begins + event["DURATION"].dt
        else:
            ends = begins + timedelta(days=0 if isinstance(start.dt, datetime) else 1)
        if not begins <= now < ends:
            continue
        private = str(event.get("CLASS", "PUBLIC")).upper() != "PUBLIC"
        subject = "" if private else str(event.get("SUMMARY", ""))[:MAX_SUBJECT]
        if found is None or (shows, ends) > (found.showing, found.until):
            found = Busy(ends, subject, shows)
    return found
