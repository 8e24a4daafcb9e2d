"""Calendar presence (issue 17; TWP §3.3, TWS §1.6.3): which event of an iCalendar document
is on now, and what it makes my presence ("in a meeting until 14:00").

Textual-free and I/O-free: the caller reads the file or URL and hands the bytes here. Parsing
is ``icalendar``'s, recurring events (RRULE, EXDATE, moved occurrences) are expanded by
``recurring-ical-events``. An event counts when it is not marked free (``TRANSP:TRANSPARENT``)
nor cancelled; a private one (``CLASS:PRIVATE``, TWS-1.6.3-3) gives no subject. A document that
does not parse raises ``ValueError`` with a sentence; nothing here keeps state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from tws_tui.platform.i18n import _

#: The longest subject kept (a note is short).
MAX_SUBJECT = 40


@dataclass(frozen=True)
class Busy:
    """The event on now: when it ends (local time), its subject ("" when private)."""

    until: datetime
    subject: str = ""

    def note(self) -> str:
        """The presence note colleagues see: "in a meeting until 14:00"."""
        return _("in a meeting until {time}").format(time=self.until.strftime("%H:%M"))


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
    """The event that keeps me busy at ``now`` (an aware datetime), the one ending last when
    several overlap; None when I am free."""
    import recurring_ical_events  # type: ignore[import-untyped]  # lazy, as above

    zone = now.tzinfo
    found: Busy | None = None
    try:
        events: list[Any] = recurring_ical_events.of(calendar).at(now)
    except Exception as e:  # a broken RRULE or date in one event
        raise ValueError(_("a calendar event cannot be read ({error})").format(error=e)) from e
    for event in events:
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
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
        if found is None or ends > found.until:
            found = Busy(ends, subject)
    return found
