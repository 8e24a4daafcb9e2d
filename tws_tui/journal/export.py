"""The calls History shows, as CSV: one line per call, the columns of :data:`CSV_COLUMNS`.

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
