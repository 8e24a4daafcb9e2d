"""History's rows: the journal lines a filter kept, formatted only when the list draws them.

:class:`HistoryRows` is the :class:`~tws_tui.console.widgets.row_list.RowSource` of History's
list: 100 000 calls cost the lines on screen, not one string per call. Each row says when
("today 14:05", "Mon 30 Nov 14:05"), what happened in words and symbol ("↙ Answered",
"✕ Missed"), who (name and number), the queue and the talk time. Missed calls not seen yet are
drawn in the warning colour (the word already says "Missed").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import datetime

from rich.cells import cell_len

from tws_tui.core.model import Outcome, Party
from tws_tui.domain.format import OUTCOME_SYMBOL, OUTCOME_WORD, day_and_time, duration, party_label
from tws_tui.journal.listing import (
    DURATION,
    ID,
    NAME,
    NUMBER,
    OUTCOME,
    QUEUE_NAME,
    SEEN,
    Listing,
    start_of,
)
from tws_tui.journal.store import Row
from tws_tui.platform.i18n import N_, _

COLUMNS = (N_("When"), N_("Outcome"), N_("Who"), N_("Queue"), N_("Duration"))
_SAMPLE = 200  # rows measured to size the columns (the rest are cut to fit)
#: Rows kept formatted at most (started again past it): a few screenfuls of many searches.
FORMATTED_MAX = 5000


def outcome_text(outcome: Outcome) -> str:
    return f"{OUTCOME_SYMBOL[outcome]} {_(OUTCOME_WORD[outcome])}"


def who(line: Row) -> str:
    number, name = line[NUMBER], line[NAME]
    return party_label(
        Party(None if number is None else str(number), None if name is None else str(name))
    )


class HistoryRows:
    """The rows of ``indices`` (into ``listing.lines``), formatted as drawn."""

    def __init__(
        self,
        listing: Listing,
        indices: Sequence[int],
        now: datetime,
        *,
        clock_24h: bool,
        formatted: dict[int, tuple[str, ...]] | None = None,
    ) -> None:
        self.listing = listing
        self.indices = indices
        self.now = now
        self.clock_24h = clock_24h
        #: Rows already formatted, by position in the listing: given by the screen for as long
        #: as the listing, language, clock and day are the same (the letters of a search show
        #: the same rows again and again).
        self.formatted: dict[int, tuple[str, ...]] = {} if formatted is None else formatted

    def __len__(self) -> int:
        return len(self.indices)

    def line(self, index: int) -> Row:
        return self.listing.lines[self.indices[index]]

    def key(self, index: int) -> str:
        return str(self.line(index)[ID])

    def index_of(self, key: str) -> int | None:
        position = self.listing.position.get(key)
        if position is None:
            return None
        found = bisect_left(self.indices, position)  # the indices are ascending
        return found if found < len(self.indices) and self.indices[found] == position else None

    def cells(self, index: int) -> Sequence[str]:
        position = self.indices[index]
        found = self.formatted.get(position)
        if found is not None:
            return found
        line = self.listing.lines[position]
        seconds = line[DURATION]
        found = (
            day_and_time(start_of(line), self.now, clock_24h=self.clock_24h),
            outcome_text(Outcome(str(line[OUTCOME]))),
            who(line),
            str(line[QUEUE_NAME] or ""),
            "" if seconds is None else duration(int(str(seconds))),
        )
        if len(self.formatted) >= FORMATTED_MAX:
            self.formatted.clear()
        self.formatted[position] = found
        return found

    def tone(self, index: int) -> str:
        line = self.line(index)
        missed = line[OUTCOME] == Outcome.MISSED.value
        return "warning" if missed and not line[SEEN] else ""

    def widths(self) -> list[int]:
        """The columns' widths from the listing's first rows (and every outcome word): the
        same whatever the filter, so the columns do not move as one types."""
        whole = HistoryRows(
            self.listing,
            range(min(len(self.listing), _SAMPLE)),
            self.now,
            clock_24h=self.clock_24h,
            formatted=self.formatted,
        )
        widths = [0, max(cell_len(outcome_text(o)) for o in Outcome), 0, 0, 0]
        for index in range(len(whole)):
            for column, text in enumerate(whole.cells(index)):
                widths[column] = max(widths[column], cell_len(text))
        return widths
