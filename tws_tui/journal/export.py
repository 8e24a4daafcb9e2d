"""The calls History shows, as CSV: one line per call, the columns of :data:`CSV_COLUMNS`; and
the statistics' figures (:func:`export_statistics_csv`, the columns of :data:`STATS_COLUMNS`).

Owns the file's layout (a header of stable English column names, ISO-8601 times in UTC, the
outcome and direction as the journal's values) so that a spreadsheet or a script reads it the
same in any language. Textual-free; the console writes the text atomically
(:func:`tws_tui.platform.paths.atomic_write_bytes`), so a failed write leaves the old file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from tws_tui.journal.listing import (
    DIRECTION,
    DURATION,
    ID,
    NAME,
    NUMBER,
    OUTCOME,
    QUEUE_NAME,
    START,
    start_of,
)
from tws_tui.journal.statistics import Figures, Tally
from tws_tui.journal.store import Row

CSV_COLUMNS = ("id", "started_at", "direction", "outcome", "name", "number", "queue", "duration_s")


def export_csv(lines: Iterable[Row]) -> str:
    """The CSV text of ``lines`` (journal lines, see ``journal.listing``), header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow(
            (
                line[ID],
                start_of(line).isoformat(timespec="seconds") if line[START] else "",
                line[DIRECTION],
                line[OUTCOME],
                line[NAME] or "",
                line[NUMBER] or "",
                line[QUEUE_NAME] or "",
                "" if line[DURATION] is None else line[DURATION],
            )
        )
    return out.getvalue()


#: The statistics' CSV: one line per figure group, the same columns for each.
STATS_COLUMNS = (
    "section",
    "key",
    "label",
    "calls",
    "received",
    "placed",
    "missed",
    "answered",
    "talk_s",
    "average_talk_s",
)


def export_statistics_csv(figures: Figures) -> str:
    """The CSV text of ``figures``: a line ``period`` (its first and last day, the filters),
    ``total`` (with the average wait and the distinct correspondents after it), then one line
    per queue, per top correspondent and per bucket of the series (``section`` says which).
    Stable English names and plain numbers, as the calls' CSV."""
    query = figures.query
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STATS_COLUMNS)
    writer.writerow(
        (
            "period",
            f"{query.period.first.isoformat()}/{query.period.last.isoformat()}",
            f"{query.period.span.value} calls={query.call_type.value}"
            f" correspondents={query.correspondents.value}"
            + (f" number={query.number}" if query.number is not None else ""),
            *([""] * (len(STATS_COLUMNS) - 3)),
        )
    )

    def row(section: str, tally: Tally) -> tuple[object, ...]:
        average = tally.average_s
        return (
            section,
            tally.key,
            tally.label,
            tally.calls,
            tally.received,
            tally.placed,
            tally.missed,
            tally.answered,
            tally.talk_s,
            "" if average is None else f"{average:.1f}",
        )

    writer.writerow(row("total", figures.total))
    wait = figures.wait_s
    writer.writerow(
        ("wait", "", "average_wait_s", "" if wait is None else f"{wait:.1f}", *[""] * 6)
    )
    writer.writerow(("correspondents", "", "distinct", figures.correspondents, *[""] * 6))
    for tally in figures.queues:
        writer.writerow(row("queue", tally))
    for tally in figures.top:
        writer.writerow(row("top", tally))
    for tally in figures.series:
        writer.writerow(row("series", tally))
    return out.getvalue()
