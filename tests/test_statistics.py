"""Personal call statistics (journal/statistics.py) against a journal of known calls: every
figure below was counted by hand from WEEK's calls (clock: Sunday 22 Nov 2026 09:00 UTC, the
tests' local time zone being UTC)."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import ACME, DUPONT
from test_history import ACCUEIL, MARTIN, NOW, entry

from tws_tui.core.model import Direction, Outcome, Party
from tws_tui.journal import SCHEMA_VERSION, CallJournal
from tws_tui.journal.export import STATS_COLUMNS, export_statistics_csv
from tws_tui.journal.statistics import (
    Breakdown,
    CallType,
    Correspondents,
    PeriodProblem,
    Span,
    StatsQuery,
    compute,
    custom_period,
    period_of,
    shifted,
)
from tws_tui.journal.store import MIGRATIONS

BOB = Party("201", "Bob Martin")  # a colleague's extension: internal
TODAY = NOW.date()

WEEK = (
    entry("c1", timedelta(minutes=30), Outcome.MISSED, DUPONT, queue=ACCUEIL),  # 22 Nov 08:30
    entry("c4", timedelta(hours=1), Outcome.ANSWERED, DUPONT, queue=ACCUEIL, talk=30),  # 08:00
    entry(
        "c5", timedelta(hours=2), Outcome.OUTGOING, BOB, direction=Direction.OUTBOUND, talk=10
    ),  # 22 Nov 07:00
    entry("c2", timedelta(hours=19), Outcome.ANSWERED, ACME, talk=65),  # Sat 21 Nov 14:00
    entry(
        "c3",
        timedelta(days=6, hours=-5),  # Mon 16 Nov 14:00
        Outcome.OUTGOING,
        MARTIN,
        direction=Direction.OUTBOUND,
        talk=125,
    ),
)
BEFORE = (
    entry("c7", timedelta(days=7, hours=-1), Outcome.ANSWERED, ACME, talk=100),  # Sun 15 Nov
    entry(
        "c6", timedelta(days=22), Outcome.FAILED, MARTIN, direction=Direction.OUTBOUND
    ),  # Sat 31 Oct
)


@pytest.fixture
def journal() -> CallJournal:
    journal = CallJournal()
    journal.record_many([*WEEK, *BEFORE])
    c7 = BEFORE[0]  # it waited 10 s before the answer (entry() answers after 5 s)
    journal.record(replace(c7, answered_at=c7.start + timedelta(seconds=10)))
    return journal


def query(span: Span, **options: object) -> StatsQuery:
    return StatsQuery(period_of(span, TODAY), **options)  # type: ignore[arg-type]


def test_a_day_counts_received_placed_missed_answered_talk_and_wait(journal) -> None:
    figures = compute(journal, query(Span.DAY))
    total = figures.total
    assert (total.calls, total.received, total.placed, total.missed, total.answered) == (
        3, 2, 1, 1, 2,
    )  # fmt: skip
    assert total.talk_s == 40 and total.average_s == 20.0
    assert figures.wait_s == pytest.approx(5.0, abs=0.01)
    assert figures.lost_share == pytest.approx(1 / 3)
    assert figures.correspondents == 2  # Dupont twice, Bob
    # a day is cut by hour: 07 one placed, 08 two received (one missed)
    series = {t.key: (t.received, t.placed, t.missed) for t in figures.series}
    assert len(series) == 24
    assert series["07"] == (0, 1, 0) and series["08"] == (2, 0, 1) and series["09"] == (0, 0, 0)


def test_a_week_starting_monday_with_queues_and_top_correspondents(journal) -> None:
    figures = compute(journal, StatsQuery(period_of(Span.WEEK, TODAY, week_starts=0)))
    assert figures.query.period.first == date(2026, 11, 16)
    total = figures.total
    assert (total.calls, total.received, total.placed, total.missed, total.answered) == (
        5, 3, 2, 1, 4,
    )  # fmt: skip
    assert total.talk_s == 230 and total.average_s == 57.5
    assert figures.correspondents == 4
    [accueil] = figures.queues
    assert (accueil.label, accueil.calls, accueil.missed, accueil.answered, accueil.talk_s) == (
        "Accueil", 2, 1, 1, 30,
    )  # fmt: skip
    # Dupont (2 calls) first, then by talk time: Martin 125 s, ACME 65 s, Bob 10 s
    assert [(t.label, t.calls, t.talk_s) for t in figures.top] == [
        ("Jeanne Dupont", 2, 30),
        ("Paul Martin", 1, 125),
        ("ACME Industries", 1, 65),
        ("Bob Martin", 1, 10),
    ]
    days = {t.key: t.calls for t in figures.series}
    assert list(days) == [f"2026-11-{d}" for d in range(16, 23)]
    assert days["2026-11-16"] == 1 and days["2026-11-21"] == 1 and days["2026-11-22"] == 3


def test_a_week_starting_sunday_and_the_one_before(journal) -> None:
    this = period_of(Span.WEEK, TODAY, week_starts=6)
    assert (this.first, this.last) == (date(2026, 11, 22), date(2026, 11, 28))
    assert compute(journal, StatsQuery(this)).total.calls == 3
    before = shifted(this, -1, week_starts=6)
    assert (before.first, before.last) == (date(2026, 11, 15), date(2026, 11, 21))
    assert compute(journal, StatsQuery(before)).total.calls == 3  # c7, c3, c2


def test_month_year_and_the_month_before(journal) -> None:
    month = compute(journal, query(Span.MONTH))
    assert month.total.calls == 6 and month.total.received == 4
    assert month.wait_s == pytest.approx((5 + 5 + 10) / 3, abs=0.01)
    october = shifted(period_of(Span.MONTH, TODAY), -1)
    assert (october.first, october.last) == (date(2026, 10, 1), date(2026, 10, 31))
    only = compute(journal, StatsQuery(october)).total
    assert (only.calls, only.placed, only.answered, only.talk_s, only.average_s) == (
        1, 1, 0, 0, None,
    )  # fmt: skip
    year = compute(journal, query(Span.YEAR))
    months = {t.key: t.calls for t in year.series}
    assert len(months) == 12 and months["2026-10"] == 1 and months["2026-11"] == 6
    assert shifted(period_of(Span.YEAR, TODAY), 1).first == date(2027, 1, 1)


def test_filters_combine_call_type_correspondents_and_one_number(journal) -> None:
    week = period_of(Span.WEEK, TODAY)
    incoming = compute(journal, StatsQuery(week, call_type=CallType.INCOMING)).total
    assert (incoming.calls, incoming.placed) == (3, 0)
    outgoing = compute(journal, StatsQuery(week, call_type=CallType.OUTGOING)).total
    assert (outgoing.calls, outgoing.talk_s) == (2, 135)
    internal = compute(journal, StatsQuery(week, correspondents=Correspondents.INTERNAL))
    assert [t.label for t in internal.top] == ["Bob Martin"]
    external = compute(
        journal,
        StatsQuery(week, correspondents=Correspondents.EXTERNAL, call_type=CallType.OUTGOING),
    )
    assert external.total.calls == 1  # Martin only: Bob is internal
    dupont = compute(journal, StatsQuery(week, number=DUPONT.number)).total
    assert (dupont.calls, dupont.missed) == (2, 1)


def test_breakdown_by_weekday_and_by_hour(journal) -> None:
    month = period_of(Span.MONTH, TODAY)
    weekdays = compute(journal, StatsQuery(month, breakdown=Breakdown.WEEKDAY)).series
    by_day = {t.key: t.calls for t in weekdays}
    assert list(by_day) == ["0", "1", "2", "3", "4", "5", "6"]  # Sunday first (%w)
    assert (by_day["0"], by_day["1"], by_day["6"]) == (4, 1, 1)  # Sundays 15 and 22 Nov
    hours = compute(journal, StatsQuery(month, breakdown=Breakdown.HOUR)).series
    assert {t.key: t.calls for t in hours if t.calls} == {"07": 1, "08": 2, "10": 1, "14": 2}


def test_an_empty_period_has_no_average_and_no_share(journal) -> None:
    figures = compute(
        journal, StatsQuery(custom_period(date(2025, 1, 1), date(2025, 1, 31), TODAY))
    )
    assert figures.total.calls == 0
    assert figures.total.average_s is None and figures.wait_s is None
    assert figures.lost_share is None and figures.top == () and len(figures.series) == 31


def test_a_custom_period_is_checked() -> None:
    with pytest.raises(PeriodProblem, match="after today"):
        custom_period(date(2026, 11, 1), date(2026, 11, 23), TODAY)
    with pytest.raises(PeriodProblem, match="start cannot be after"):
        custom_period(date(2026, 11, 20), date(2026, 11, 10), TODAY)
    with pytest.raises(PeriodProblem, match="at most 366 days"):
        custom_period(date(2025, 1, 1), date(2026, 11, 1), TODAY)
    moved = shifted(custom_period(date(2026, 11, 1), date(2026, 11, 10), TODAY), -1)
    assert (moved.first, moved.last) == (date(2026, 10, 22), date(2026, 10, 31))


def test_the_figures_as_csv(journal) -> None:
    figures = compute(journal, StatsQuery(period_of(Span.WEEK, TODAY)))
    rows = list(csv.DictReader(io.StringIO(export_statistics_csv(figures))))
    assert list(rows[0]) == list(STATS_COLUMNS)
    assert rows[0]["key"] == "2026-11-16/2026-11-22"
    total = next(r for r in rows if r["section"] == "total")
    assert (total["calls"], total["missed"], total["talk_s"], total["average_talk_s"]) == (
        "5", "1", "230", "57.5",
    )  # fmt: skip
    assert next(r for r in rows if r["section"] == "wait")["calls"] == "5.0"
    assert [r["label"] for r in rows if r["section"] == "queue"] == ["Accueil"]
    assert len([r for r in rows if r["section"] == "top"]) == 4
    assert len([r for r in rows if r["section"] == "series"]) == 7


def test_periods_and_buckets_follow_the_local_time_zone(monkeypatch) -> None:
    """In Paris (UTC+1 in November), a call at 23:30 UTC on 31 Oct is on 1 Nov, one at 23:30
    UTC on 30 Nov is on 1 Dec; the hours of a summer day are local too (UTC+2)."""
    import time

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        journal = CallJournal()
        late = NOW.replace(month=10, day=31, hour=23, minute=30)
        journal.record_many(
            [
                entry("oct31", NOW - late, Outcome.ANSWERED, ACME, talk=10),
                entry("nov30", NOW - late.replace(month=11, day=30), Outcome.MISSED, DUPONT),
                entry("jul1", NOW - late.replace(month=7, day=1, hour=6), Outcome.MISSED, DUPONT),
            ]
        )
        november = compute(journal, StatsQuery(period_of(Span.MONTH, TODAY)))
        assert november.total.calls == 1
        assert [t.key for t in november.series if t.calls] == ["2026-11-01"]
        year = compute(journal, StatsQuery(period_of(Span.YEAR, TODAY)))
        assert {t.key: t.calls for t in year.series if t.calls} == {
            "2026-07": 1,
            "2026-11": 1,
            "2026-12": 1,
        }
        july = compute(journal, StatsQuery(period_of(Span.DAY, date(2026, 7, 1))))
        assert [t.key for t in july.series if t.calls] == ["08"]  # 06:30 UTC, 08:30 in Paris
        by_hour = compute(
            journal, StatsQuery(period_of(Span.YEAR, TODAY), breakdown=Breakdown.HOUR)
        )
        assert {t.key: t.calls for t in by_hour.series if t.calls} == {"00": 2, "08": 1}
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_a_journal_of_the_version_before_is_migrated_and_counted_the_same(
    tmp_path: Path, journal: CallJournal
) -> None:
    """Migration 5 adds what the statistics count (placed, wait, internal, correspondent) to
    the calls already there, and the indexes they are read from: the figures of a journal
    written by the previous version are those of one written now, nothing lost."""

    class PreviousJournal(CallJournal):
        MIGRATIONS = MIGRATIONS[:4]

    path = tmp_path / "journal.sqlite3"
    previous = PreviousJournal(path)
    previous.record_many([*WEEK, *BEFORE])
    c7 = BEFORE[0]
    previous.record(replace(c7, answered_at=c7.start + timedelta(seconds=10)))
    previous.close()
    migrated = CallJournal(path)
    assert migrated.entries(limit=50) == journal.entries(limit=50)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"calls_stats", "calls_by_who"} <= names
    week = period_of(Span.WEEK, TODAY)
    for wanted in (
        query(Span.DAY),
        query(Span.MONTH),
        query(Span.YEAR),
        StatsQuery(week, call_type=CallType.INCOMING, correspondents=Correspondents.EXTERNAL),
        StatsQuery(week, call_type=CallType.OUTGOING, correspondents=Correspondents.INTERNAL),
        StatsQuery(week, number=DUPONT.number),
        StatsQuery(period_of(Span.MONTH, TODAY), breakdown=Breakdown.WEEKDAY),
    ):
        assert compute(migrated, wanted) == compute(journal, wanted)
    migrated.close()


def test_a_call_recorded_again_is_counted_as_it_now_is(journal: CallJournal) -> None:
    """The counted columns follow every write of a call (an upsert changing its outcome,
    direction, number or answer), not only its first."""
    c4 = WEEK[1]  # received from Dupont, answered after 5 s
    before = compute(journal, query(Span.DAY)).total
    journal.record(replace(c4, outcome=Outcome.OUTGOING, direction=Direction.OUTBOUND, remote=BOB))
    after = compute(journal, query(Span.DAY))
    assert (after.total.received, after.total.placed) == (before.received - 1, before.placed + 1)
    internal = compute(journal, StatsQuery(period_of(Span.DAY, TODAY), number=BOB.number))
    assert internal.total.calls == 2 and after.wait_s is None  # no received call answered now
