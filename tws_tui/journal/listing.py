"""History's list: the journal's calls as compact lines, and what a filter and a search keep.

Owns the view of :meth:`~tws_tui.journal.store.CallJournal.lines` that History shows: which
lines a :class:`HistoryFilter` keeps (all / received / placed / missed, one queue, a period,
typed words), newest first. A line stays the tuple SQLite gave (no object per call: 100 000
calls must open in a frame); :class:`Listing` keeps, beside them, one folded text per line
(name, company, number and its match key) that the search scans, built once per load in the
journal's thread. Typing further narrows the last answer instead of scanning everything again.
Textual-free.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from tws_tui.core.model import Direction, Outcome
from tws_tui.core.values import value_class
from tws_tui.domain.numbers import match_keys, number_query
from tws_tui.domain.text import fold, words
from tws_tui.journal.store import Row

# The positions in a line (``store.LINE_COLUMNS``).
ID, DIRECTION, OUTCOME, NUMBER, NAME, QUEUE_ID, QUEUE_NAME, START, DURATION, SEEN = range(10)

_RECEIVED = frozenset({Outcome.ANSWERED.value, Outcome.MISSED.value})
_PLACED = frozenset({Outcome.OUTGOING.value, Outcome.FAILED.value})


class Kind(enum.StrEnum):
    """Which calls: every one, those received, those I placed, the missed ones."""

    ALL = "all"
    RECEIVED = "received"
    PLACED = "placed"
    MISSED = "missed"


class Period(enum.StrEnum):
    """How far back: any time, today (since local midnight), the last 7 or 30 days."""

    ANY = "any"
    TODAY = "today"
    WEEK = "7d"
    MONTH = "30d"


@value_class
class HistoryFilter:
    kind: Kind = Kind.ALL
    queue_id: str | None = None
    period: Period = Period.ANY
    text: str = ""

    @property
    def narrows(self) -> bool:
        """Whether it leaves out anything at all."""
        return (
            self.kind is not Kind.ALL
            or self.queue_id is not None
            or self.period is not Period.ANY
            or bool(self.text.strip())
        )


def placed(line: Row) -> bool:
    """Whether I placed the call (a transferred call counts by its direction)."""
    outcome = line[OUTCOME]
    if outcome in _PLACED:
        return True
    return outcome == Outcome.TRANSFERRED.value and line[DIRECTION] == Direction.OUTBOUND.value


def since(period: Period, now: datetime) -> str | None:
    """The stored-time text a period starts at (local midnight for today), or None."""
    if period is Period.ANY:
        return None
    local = now.astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    days = {Period.TODAY: 0, Period.WEEK: 6, Period.MONTH: 29}[period]
    start = midnight - timedelta(days=days)
    return start.astimezone(UTC).isoformat(timespec="microseconds")


def _kind_test(kind: Kind) -> Callable[[Row], bool] | None:
    if kind is Kind.RECEIVED:
        return lambda line: not placed(line)
    if kind is Kind.PLACED:
        return placed
    if kind is Kind.MISSED:
        return lambda line: line[OUTCOME] == Outcome.MISSED.value
    return None


def haystacks(lines: Sequence[Row], companies: Mapping[str, str], country: str) -> list[str]:
    """Each line's searchable text, folded: its name, the company its number has in the
    contacts (``companies``: match key → company), its number as stored and as match key."""
    numbers = [str(line[NUMBER] or "") for line in lines]
    keys = match_keys(numbers, country)
    texts = []
    for line, number, key in zip(lines, numbers, keys, strict=True):
        company = companies.get(key, "") if key else ""
        digits = number.replace(" ", "").replace(".", "").replace("-", "")
        texts.append(fold(f"{line[NAME] or ''} {company}") + f" {digits} {key or ''}")
    return texts


class Listing:
    """The journal's lines as loaded, and the indices a filter keeps (newest first)."""

    def __init__(self, lines: list[Row], texts: list[str], *, country: str = "FR") -> None:
        self.lines = lines
        self.texts = texts
        self.country = country
        self._last: tuple[HistoryFilter, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def _terms(self, text: str) -> list[tuple[str, ...]]:
        """What to find, each a choice of spellings: the folded words; a typed number as
        typed (without separators) or as the start of its match key ("01 23" finds
        "+33123…")."""
        typed = text.strip()
        digits = typed.replace(" ", "").replace(".", "").replace("-", "")
        if digits and digits.lstrip("+").isdigit():
            query = number_query(typed, self.country)
            return [(digits, query) if query and query != digits else (digits,)]
        return [(word,) for word in words(fold(text))]

    def select(self, wanted: HistoryFilter, now: datetime) -> list[int]:
        """The indices of the lines ``wanted`` keeps, newest first."""
        last = self._last
        base: Sequence[int] | None = None
        if last is not None:
            before, found = last
            same_rest = (before.kind, before.queue_id, before.period) == (
                wanted.kind,
                wanted.queue_id,
                wanted.period,
            )
            if same_rest and before.text.strip() and wanted.text.startswith(before.text):
                base = found  # typed further: the answer can only shrink
        result = self._select(wanted, now, base)
        self._last = (wanted, result)
        return result

    def _select(
        self, wanted: HistoryFilter, now: datetime, base: Sequence[int] | None
    ) -> list[int]:
        lines, texts = self.lines, self.texts
        indices: Sequence[int] = range(len(lines)) if base is None else base
        start = since(wanted.period, now)
        if start is not None and base is None:
            # newest first: the period is a prefix of the list
            end = next((i for i, line in enumerate(lines) if str(line[START]) < start), None)
            indices = range(len(lines) if end is None else end)
        test = _kind_test(wanted.kind)
        if test is not None and base is None:
            indices = [i for i in indices if test(lines[i])]
        if wanted.queue_id is not None and base is None:
            queue = wanted.queue_id
            indices = [i for i in indices if lines[i][QUEUE_ID] == queue]
        for term in self._terms(wanted.text):
            if len(term) == 1:
                word = term[0]
                indices = [i for i in indices if word in texts[i]]
            else:
                indices = [i for i in indices if any(t in texts[i] for t in term)]
        return list(indices)

    def queues(self) -> list[tuple[str, str]]:
        """The queues the journal's calls came through: (id, name), by name."""
        seen: dict[str, str] = {}
        for line in self.lines:
            queue_id = line[QUEUE_ID]
            if queue_id is not None and queue_id not in seen:
                seen[str(queue_id)] = str(line[QUEUE_NAME] or queue_id)
        return sorted(seen.items(), key=lambda item: fold(item[1]))

    def missed_unseen(self) -> int:
        return sum(
            1 for line in self.lines if line[OUTCOME] == Outcome.MISSED.value and not line[SEEN]
        )


def start_of(line: Row) -> datetime:
    """When the call started (aware)."""
    moment = datetime.fromisoformat(str(line[START]))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
