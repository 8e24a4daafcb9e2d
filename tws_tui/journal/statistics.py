"""Personal call statistics over the call journal (TWS §3.15, TWP §5.3.1, Selfcare §7).

Owns what a period is (a day, a week, a month, a year, or from one day to another, in the
local calendar), which calls a :class:`StatsQuery` counts (all, incoming or outgoing; any,
internal or external correspondents, or one number) and the figures of them
(:class:`Figures`): calls received, placed, missed and answered, the share lost, the talk time
(total and per answered call), the wait before answer, the distinct correspondents, by queue,
the top correspondents, and one series per sub-period for the chart.

The figures are SQL aggregates on the journal's SQLite file (:meth:`CallJournal.read`), never
a loop over the calls here: what each call counts as (placed, its wait, internal, its
correspondent) is worked out once when it is written (the journal's migration 5, by
triggers) and kept with what is summed in two covering indexes, one in time order, one by
correspondent (see :func:`compute`). ``bench/call_statistics.py`` measures them: a year of
93 000 calls in about 90 ms of CPU (300 ms aimed at; 300 ms before those indexes), a month
of 1 700 calls about 5 ms, a week or a day about a millisecond. Local days and hours come
from SQLite's ``'localtime'``, which reads the same time zone as Python's ``astimezone()``.

Words used here:

* a call **placed** is one I made (outgoing, failed, or transferred after I placed it); any
  other is **received**; a **missed** call is a received one nobody answered;
* an **answered** call is one that was connected (received and picked up, or placed and
  answered): the talk time and the average duration count those (TWS-3.15.1-6);
* the **wait** is from ringing to the answer, over the received calls answered;
* **lost %** is missed calls over all calls of the period (TWS-3.15.1-2);
* an **internal** correspondent is a colleague: the journal knows their user or device, or the
  number is an extension (at most 6 digits); every other is **external**.

Textual-free.
"""

from __future__ import annotations

import enum
from calendar import monthrange
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from tws_tui.core.model import Outcome
from tws_tui.core.values import value_class
from tws_tui.journal.store import CallJournal, Row
from tws_tui.platform.i18n import N_


class Span(enum.StrEnum):
    """How long a period is: a day, a week, a month, a year, or chosen (from … to)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    CUSTOM = "custom"


class CallType(enum.StrEnum):
    ALL = "all"
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class Correspondents(enum.StrEnum):
    ALL = "all"
    INTERNAL = "internal"
    EXTERNAL = "external"


class Breakdown(enum.StrEnum):
    """How the chart's series is cut: by the period's own sub-period (hours of a day, days of
    a week or a month, months of a year), by hour of the day, or by day of the week."""

    PERIOD = "period"
    HOUR = "hour"
    WEEKDAY = "weekday"


#: The longest period one may choose (a custom one): a little over a year.
MAX_DAYS = 366
#: How many correspondents the top lists (Selfcare's "top 5").
TOP = 5


@value_class
class Period:
    """From ``first`` to ``last`` (local days, both included)."""

    span: Span
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def period_of(span: Span, day: date, *, week_starts: int = 0) -> Period:
    """The day, week, month or year that holds ``day``; a week starts on ``week_starts``
    (0 Monday … 6 Sunday). ``Span.CUSTOM`` gives the day alone (see :func:`custom_period`)."""
    if span is Span.WEEK:
        first = day - timedelta(days=(day.weekday() - week_starts) % 7)
        return Period(span, first, first + timedelta(days=6))
    if span is Span.MONTH:
        return Period(span, day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1]))
    if span is Span.YEAR:
        return Period(span, date(day.year, 1, 1), date(day.year, 12, 31))
    return Period(span, day, day)


def shifted(period: Period, step: int, *, week_starts: int = 0) -> Period:
    """The period ``step`` periods after (before, when negative) ``period``; a custom one moves
    by its own length."""
    span = period.span
    if span is Span.CUSTOM:
        move = timedelta(days=period.days * step)
        return Period(span, period.first + move, period.last + move)
    if span is Span.MONTH or span is Span.YEAR:
        months = step * (12 if span is Span.YEAR else 1)
        index = period.first.year * 12 + period.first.month - 1 + months
        return period_of(span, date(index // 12, index % 12 + 1, 1), week_starts=week_starts)
    days = 7 if span is Span.WEEK else 1
    return period_of(span, period.first + timedelta(days=days * step), week_starts=week_starts)


def custom_period(first: date, last: date, today: date) -> Period:
    """The period from ``first`` to ``last``; ``ValueError`` in words when the end is after
    today, before the start, or the period is longer than :data:`MAX_DAYS` days
    (TWS-3.15.2-2). The message is an English msgid with ``{…}`` fields the caller
    translates and fills (see :class:`PeriodProblem`)."""
    if last > today:
        raise PeriodProblem(N_("The end cannot be after today ({today})."), today=today.isoformat())
    if first > last:
        raise PeriodProblem(N_("The start cannot be after the end."))
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodProblem(N_("A period is at most {days} days."), days=str(MAX_DAYS))
    return Period(Span.CUSTOM, first, last)


class PeriodProblem(ValueError):
    """A period refused: ``template`` (an English msgid) and its ``fields``."""

    def __init__(self, template: str, **fields: str) -> None:
        super().__init__(template.format(**fields))
        self.template = template
        self.fields = fields


@value_class
class StatsQuery:
    """Which calls are counted, and how the series is cut."""

    period: Period
    call_type: CallType = CallType.ALL
    correspondents: Correspondents = Correspondents.ALL
    number: str | None = None  # one correspondent only (TWP-5.3.1-4 "unique")
    breakdown: Breakdown = Breakdown.PERIOD


@value_class
class Tally:
    """The counts of one group of calls (a queue, a correspondent, a bar of the chart)."""

    key: str  # the queue's id, the correspondent's number (or name), the bucket's key
    label: str  # the queue's or correspondent's name; the bucket's key for the chart
    calls: int = 0
    received: int = 0
    placed: int = 0
    missed: int = 0
    answered: int = 0
    talk_s: int = 0

    @property
    def average_s(self) -> float | None:
        """Talk time per answered call; None without one (TWS-3.15.1-6: no division by 0)."""
        return self.talk_s / self.answered if self.answered else None


@value_class
class Figures:
    """The statistics of one query: the whole period, by queue, top correspondents, series."""

    query: StatsQuery
    total: Tally
    wait_s: float | None  # average wait before answer of the received calls answered
    correspondents: int  # distinct numbers (or names, when withheld)
    queues: tuple[Tally, ...]
    top: tuple[Tally, ...]
    series: tuple[Tally, ...]  # one per bucket, in order, empty buckets included

    @property
    def lost_share(self) -> float | None:
        """Missed calls over all calls (0.0-1.0); None without a call."""
        total = self.total
        return total.missed / total.calls if total.calls else None


# ---- SQL ----------------------------------------------------------------------------------

# The columns the journal works out for each call (``store.MIGRATIONS``, the fifth, by
# triggers): ``placed`` (outgoing, failed, or transferred after I placed it), ``internal``
# (see the words above), ``who`` (the number, else the name), ``wait_ms`` (ringing to
# answer); they and what is summed here are in two covering indexes, read without the table.
#: The calls of a period in time order: the series, the totals, the queues.
_BY_TIME = "calls INDEXED BY calls_stats"
#: The calls of a long period by correspondent (no sort of the period's calls): the distinct
#: ones and the top ones. A short period's few calls are read in time order and sorted.
_BY_WHO = "calls INDEXED BY calls_by_who"
#: Periods longer than this read their correspondents through :data:`_BY_WHO` (a day's would
#: scan the whole index).
WHO_INDEX_MIN_DAYS = 31
_ANSWERED = "(answered_at IS NOT NULL)"
#: The counts of a group of calls, the columns of :class:`_Sums` in order.
_SUMS = (
    "count(*) - coalesce(sum(placed), 0), coalesce(sum(placed), 0),"
    f" coalesce(sum(outcome = '{Outcome.MISSED.value}'), 0), coalesce(sum({_ANSWERED}), 0),"
    f" coalesce(sum(CASE WHEN {_ANSWERED} THEN coalesce(duration_s, 0) END), 0),"
    " coalesce(sum(CASE WHEN NOT placed THEN wait_ms END), 0),"
    f" coalesce(sum({_ANSWERED} AND NOT placed), 0)"
)


@value_class
class _Sums:
    """The counts of a group of calls (:data:`_SUMS`); ``waited``: the received calls
    answered, whose wait ``wait_ms`` adds up."""

    received: int = 0
    placed: int = 0
    missed: int = 0
    answered: int = 0
    talk_s: int = 0
    wait_ms: int = 0
    waited: int = 0


def _sums(row: Sequence[object]) -> _Sums:
    return _Sums(*(int(str(value or 0)) for value in row))


def _added(one: _Sums, other: _Sums) -> _Sums:
    return _Sums(
        one.received + other.received,
        one.placed + other.placed,
        one.missed + other.missed,
        one.answered + other.answered,
        one.talk_s + other.talk_s,
        one.wait_ms + other.wait_ms,
        one.waited + other.waited,
    )


def _tally_of(key: str, label: str, sums: _Sums) -> Tally:
    calls = sums.received + sums.placed
    return Tally(
        key, label, calls, sums.received, sums.placed, sums.missed, sums.answered, sums.talk_s
    )


def _utc_text(day: date) -> str:
    """The stored-time text of local midnight starting ``day``."""
    local = datetime.combine(day, time()).astimezone()
    return local.astimezone(UTC).isoformat(timespec="microseconds")


def _where(query: StatsQuery, bounds: tuple[str, str] | None = None) -> tuple[str, list[object]]:
    """The SQL condition of the calls ``query`` counts (those started within ``bounds``, UTC
    texts, when given: a part of the period), and its parameters."""
    period = query.period
    clauses = ["started_at >= ?", "started_at < ?"]
    params: list[object] = list(
        bounds or (_utc_text(period.first), _utc_text(period.last + timedelta(days=1)))
    )
    if query.call_type is CallType.INCOMING:
        clauses.append("NOT placed")
    elif query.call_type is CallType.OUTGOING:
        clauses.append("placed")
    if query.correspondents is Correspondents.INTERNAL:
        clauses.append("internal")
    elif query.correspondents is Correspondents.EXTERNAL:
        clauses.append("NOT internal")
    if query.number is not None:
        clauses.append("who = ?")
        params.append(query.number)
    return " AND ".join(clauses), params


def buckets(query: StatsQuery) -> list[str]:
    """The keys of the series' buckets, in order: ``"00"``…``"23"`` (hours), ``"0"``…``"6"``
    (weekdays, Sunday first as SQLite's ``%w``), ISO days or ``YYYY-MM`` months."""
    period = query.period
    if query.breakdown is Breakdown.HOUR or (
        query.breakdown is Breakdown.PERIOD and period.days == 1
    ):
        return [f"{hour:02d}" for hour in range(24)]
    if query.breakdown is Breakdown.WEEKDAY:
        return [str(day) for day in range(7)]
    if period.span is Span.YEAR or period.days > 62:
        months, day = [], period.first.replace(day=1)
        while day <= period.last:
            months.append(f"{day.year:04d}-{day.month:02d}")
            day = (day + timedelta(days=32)).replace(day=1)
        return months
    return [(period.first + timedelta(days=n)).isoformat() for n in range(period.days)]


def _start(key: str, period: Period) -> datetime:
    """When the bucket ``key`` of the period's own sub-periods starts (local, aware)."""
    if len(key) == 2:  # an hour of the period's one day
        return datetime.combine(period.first, time(int(key))).astimezone()
    day = date.fromisoformat(f"{key}-01" if len(key) == 7 else key)
    return datetime.combine(day, time()).astimezone()


def _series(
    read: Callable[[str, Sequence[object]], list[Row]],
    query: StatsQuery,
    keys: list[str],
    where: str,
    params: list[object],
) -> dict[str, _Sums]:
    """The counts of each bucket of the series.

    The period's own sub-periods are stretches of time: one read each over the time index,
    no grouping (bucket ``i`` runs from where it starts to where the next starts, UTC text,
    so summer time is counted right; the first and the last are open-ended within the
    period). An hour of the day or a day of the week over many days: grouped by SQLite's
    ``strftime`` in local time."""
    local = None
    if query.breakdown is Breakdown.WEEKDAY:
        local = "%w"
    elif query.breakdown is Breakdown.HOUR and query.period.days > 1:
        local = "%H"
    if local is not None:
        return {
            str(bucket): _sums(row)
            for bucket, *row in read(
                f"SELECT strftime('{local}', started_at, 'localtime') AS bucket, {_SUMS}"
                f" FROM {_BY_TIME} WHERE {where} GROUP BY bucket",
                params,
            )
        }
    first, end = str(params[0]), str(params[1])  # the period's (see _where)
    starts = [
        _start(key, query.period).astimezone(UTC).isoformat(timespec="microseconds") for key in keys
    ]
    series: dict[str, _Sums] = {}
    for index, key in enumerate(keys):
        low = max(first, starts[index]) if index > 0 else first
        high = min(end, starts[index + 1]) if index + 1 < len(keys) else end
        part, part_params = _where(query, (low, high))
        series[key] = _sums(read(f"SELECT {_SUMS} FROM {_BY_TIME} WHERE {part}", part_params)[0])
    return series


def compute(journal: CallJournal, query: StatsQuery) -> Figures:
    """The figures of ``query`` over ``journal`` (in the journal's thread: it reads SQLite).

    From the journal's covering indexes (``store.MIGRATIONS``): the series (see
    :func:`_series`), whose sums are the totals; the queues, grouped; the correspondents, in
    the order of their index (no sort of the period's calls), then the top ones' counts."""
    where, params = _where(query)
    read = journal.read
    keys = buckets(query)
    series = _series(read, query, keys, where, params)
    total = _Sums()
    for sums in series.values():
        total = _added(total, sums)
    queues = {
        str(queue_id): (str(name or queue_id), _sums(row))
        for queue_id, name, *row in read(
            f"SELECT queue_id, max(queue_name), {_SUMS} FROM {_BY_TIME}"
            f" WHERE {where} AND queue_id IS NOT NULL GROUP BY queue_id",
            params,
        )
    }
    by = _BY_WHO if query.period.days > WHO_INDEX_MIN_DAYS else _BY_TIME
    by_who = read(
        f"SELECT who, count(*) AS calls,"
        f" coalesce(sum(CASE WHEN {_ANSWERED} THEN coalesce(duration_s, 0) END), 0) AS talk"
        f" FROM {by} WHERE {where} GROUP BY who ORDER BY calls DESC, talk DESC, who",
        params,
    )
    return Figures(
        query=query,
        total=_tally_of("", "", total),
        wait_s=total.wait_ms / 1000 / total.waited if total.waited else None,
        correspondents=len(by_who),
        queues=tuple(
            sorted(
                (_tally_of(key, name, sums) for key, (name, sums) in queues.items()),
                key=lambda tally: (-tally.calls, tally.label),
            )
        ),
        top=_top(read, by, where, params, [str(row[0]) for row in by_who[:TOP]]),
        series=tuple(_tally_of(key, key, series.get(key, _Sums())) for key in keys),
    )


def _top(
    read: Callable[[str, Sequence[object]], list[Row]],
    calls: str,
    where: str,
    params: list[object],
    who: list[str],
) -> tuple[Tally, ...]:
    """The counts of the correspondents ``who`` (the top ones, in that order), with a name."""
    if not who:
        return ()
    found: dict[str, tuple[str, _Sums]] = {}
    marks = ", ".join("?" * len(who))
    for key, name, *row in read(
        f"SELECT who, max(remote_name), {_SUMS} FROM {calls}"
        f" WHERE {where} AND who IN ({marks}) GROUP BY who",
        [*params, *who],
    ):
        found[str(key)] = (str(name or key), _sums(row))
    return tuple(_tally_of(key, *found.get(key, (key, _Sums()))) for key in who)


def parse_day(text: str) -> date:
    """A day typed as ``YYYY-MM-DD`` (ISO 8601); :class:`PeriodProblem` in words otherwise."""
    typed = text.strip()
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise PeriodProblem(
            N_("{text} is not a date: write it as YYYY-MM-DD (2026-11-02)."), text=repr(typed)
        ) from None


def week_starts(language: str) -> int:
    """The first day of a week (0 Monday … 6 Sunday): Monday in French, Sunday in English
    (the TWS manual's "Sunday to the following Saturday")."""
    return 0 if language == "fr" else 6
