"""Days in the chat: the separator between messages of different days in a thread ("Today",
"Yesterday", "Mon 30 Nov", the year when it is not this one) and the short "when" of a
conversation's last message in the list (its time today, else its day). Local time zone,
pure policy, no Textual.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tws_tui.domain.format import MONTH_ABBR, WEEKDAY_ABBR, clock_time
from tws_tui.platform.i18n import _


def local_day(moment: datetime) -> date:
    """The local calendar day of an instant."""
    return moment.astimezone().date()


def day_label(day: date, today: date) -> str:
    """A thread's day separator: "Today", "Yesterday", else the day ("Mon 30 Nov", and the
    year when it is not this one)."""
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    weekday = _(WEEKDAY_ABBR[day.weekday()])
    month = _(MONTH_ABBR[day.month - 1])
    if day.year != today.year:
        return _("{weekday} {day} {month} {year}").format(
            weekday=weekday, day=day.day, month=month, year=day.year
        )
    return _("{weekday} {day} {month}").format(weekday=weekday, day=day.day, month=month)


def short_when(moment: datetime, now: datetime, *, clock_24h: bool = True) -> str:
    """When a conversation's last message was, in a few cells: its time today, "Yesterday",
    else its day and month ("30 Nov")."""
    day, today = local_day(moment), local_day(now)
    if day == today:
        return clock_time(moment, clock_24h=clock_24h)
    if day == today - timedelta(days=1):
        return _("Yesterday")
    month = _(MONTH_ABBR[day.month - 1])
    if day.year != today.year:
        return _("{month} {year}").format(month=month, year=day.year)
    return _("{day} {month}").format(day=day.day, month=month)
