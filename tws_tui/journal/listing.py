"""History's list: the journal's calls as compact lines, and what a filter and a search keep.

Owns the view of :meth:`~tws_tui.journal.store.CallJournal.lines` that History shows: which
lines a :class:`HistoryFilter` keeps (all / received / placed / missed, one queue, a period,
typed words — in the name, company, number or the call's comments —, one contact's numbers),
newest first. A line stays the tuple SQLite gave (no object
per call: 100 000 calls must open in a frame); :class:`Listing` keeps, beside them, one folded
text per line (name, company, comments, number and its match key) that the search scans, and
the positions of each kind of call and of each queue, all made once per load in the journal's
thread. Typing further narrows the last answer instead of scanning everything again — also
an answer stopped at its first screenful (:meth:`Listing.select_first`), whose scan goes on
from where it stopped. Textual-free.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tws_tui.core.model import Direction, Outcome
from tws_tui.core.values import value_class
from tws_tui.domain.numbers import match_keys, number_query
from tws_tui.domain.text import fold, words
from tws_tui.journal.store import Row

# The positions in a line (``store.LINE_COLUMNS``).
ID, DIRECTION, OUTCOME, NUMBER, NAME, QUEUE_ID, QUEUE_NAME, START, DURATION, SEEN = range(10)

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
    #: One contact's calls only (its history, from Contacts): the match keys of its numbers
    #: (:func:`~tws_tui.domain.numbers.match_keys`), and its name for the screen to say.
    contact_keys: frozenset[str] = frozenset()
    contact_name: str = ""

    @property
    def narrows(self) -> bool:
        """Whether it leaves out anything at all."""
        return (
            self.kind is not Kind.ALL
            or self.queue_id is not None
            or self.period is not Period.ANY
            or bool(self.text.strip())
            or bool(self.contact_keys)
        )

    @property
    def needs_texts(self) -> bool:
        """Whether it reads the lines' search texts (made after the first frame)."""
        return bool(self.text.strip() or self.contact_keys)


def _rest(wanted: HistoryFilter) -> tuple[object, ...]:
    """What a filter keeps besides the words typed."""
    return (wanted.kind, wanted.queue_id, wanted.period, wanted.contact_keys)


def _narrows(before: HistoryFilter | None, wanted: HistoryFilter) -> bool:
    """Whether ``wanted`` keeps a subset of what ``before`` kept: the same filters, and
    words typed further (the answer to ``before`` can only shrink)."""
    return (
        before is not None
        and bool(before.text.strip())
        and wanted.text.startswith(before.text)
        and _rest(before) == _rest(wanted)
    )


@dataclass(slots=True)
class _Scan:
    """A search stopped at its first lines: ``domain`` (what the other filters keep) was
    scanned up to ``upto``, finding ``found``."""

    wanted: HistoryFilter
    domain: Sequence[int]
    found: list[int]
    upto: int


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


def haystacks(
    lines: Sequence[Row],
    companies: Mapping[str, str],
    country: str,
    comments: Mapping[str, str] | None = None,
) -> list[str]:
    """Each line's searchable text, folded: its name, the company its number has in the
    contacts (``companies``: match key → company), its comments (``comments``: call id →
    their texts, ``journal.comments``), its number as stored and as match key (last)."""
    numbers = [str(line[NUMBER] or "") for line in lines]
    keys = match_keys(numbers, country)
    notes = comments or {}
    texts = []
    for line, number, key in zip(lines, numbers, keys, strict=True):
        company = companies.get(key, "") if key else ""
        note = notes.get(str(line[ID]), "")
        digits = number.replace(" ", "").replace(".", "").replace("-", "")
        texts.append(fold(f"{line[NAME] or ''} {company} {note}") + f" {digits} {key or ''}")
    return texts


_RECEIVED_BIT, _PLACED_BIT, _MISSED_BIT = 1, 2, 4
_CHUNK = 4096  # lines scanned at a time for a first screenful of matches
#: Lines a letter typed scans at most (a few milliseconds): a rare text over 100 000 calls
#: shows what was found so far, the scan goes on at the next letter or after a pause.
_SCAN_BUDGET = 8 * _CHUNK
_KIND_BIT = {Kind.RECEIVED: _RECEIVED_BIT, Kind.PLACED: _PLACED_BIT, Kind.MISSED: _MISSED_BIT}


class Listing:
    """The journal's lines as loaded (newest first), and the indices a filter keeps.

    Made in the journal's thread: beside the lines, each one's id → position, the positions of
    each kind of call and of each queue (ascending), and the search texts when given (without
    them, :attr:`searchable` is false and a search waits for the full listing)."""

    def __init__(
        self, lines: list[Row], texts: list[str] | None = None, *, country: str = "FR"
    ) -> None:
        self.lines = lines
        self.texts = texts
        self.country = country
        self.position = {str(line[ID]): i for i, line in enumerate(lines)}
        flags = bytearray(len(lines))
        by_kind: dict[int, list[int]] = {_RECEIVED_BIT: [], _PLACED_BIT: [], _MISSED_BIT: []}
        by_queue: dict[str, list[int]] = {}
        self._queue_names: dict[str, str] = {}
        missed = Outcome.MISSED.value
        for i, line in enumerate(lines):
            bits = _PLACED_BIT if placed(line) else _RECEIVED_BIT
            if line[OUTCOME] == missed:
                bits |= _MISSED_BIT
                by_kind[_MISSED_BIT].append(i)
            by_kind[bits & 3].append(i)
            flags[i] = bits
            queue_id = line[QUEUE_ID]
            if queue_id is not None:
                by_queue.setdefault(str(queue_id), []).append(i)
                self._queue_names.setdefault(str(queue_id), str(line[QUEUE_NAME] or queue_id))
        self._flags = bytes(flags)
        self._by_kind = by_kind
        self._by_queue = by_queue
        self._last: tuple[HistoryFilter, Sequence[int]] | None = None
        self._scan: _Scan | None = None  # a search stopped at its first rows (select_first)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def searchable(self) -> bool:
        return self.texts is not None

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

    def select(self, wanted: HistoryFilter, now: datetime) -> Sequence[int]:
        """The positions of the lines ``wanted`` keeps, ascending (newest first).

        Raises ``ValueError`` for a search before the search texts are made."""
        last, scan = self._last, self._scan
        if last is not None and _narrows(last[0], wanted):
            result = self._select(wanted, now, last[1])  # typed further: it can only shrink
        elif scan is not None and _narrows(scan.wanted, wanted):  # the rest of a first answer
            terms = self._terms(wanted.text)
            result = [
                *self._matching(terms, scan.found),
                *self._matching(terms, scan.domain[scan.upto :]),
            ]
        else:
            result = self._select(wanted, now, None)
        self._last, self._scan = (wanted, result), None
        return result

    def select_first(
        self, wanted: HistoryFilter, now: datetime, count: int
    ) -> tuple[Sequence[int], bool]:
        """What a letter typed can show at once: every line ``wanted`` keeps when that is
        cheap (no words, or narrowing the last full answer), else its first ``count`` lines;
        and whether that is all of them (if not, :meth:`select` gives the rest).

        A search stopped at its first lines is kept: the next letter typed re-checks only
        what it found, then scans on from where it stopped (a rare name typed letter by
        letter costs one scan of the lines in all, not one a letter). A letter scans at most
        :data:`_SCAN_BUDGET` lines: fewer than ``count`` found then, not all of them."""
        before = None if self._last is None else self._last[0]
        terms = self._terms(wanted.text)
        if not terms or self.texts is None or _narrows(before, wanted):
            return self.select(wanted, now), True
        scan = self._scan
        if scan is not None and _narrows(scan.wanted, wanted):
            domain, upto = scan.domain, scan.upto
            found = list(self._matching(terms, scan.found))
        else:
            domain, upto, found = self._filtered(wanted, now), 0, []
        budget = upto + _SCAN_BUDGET
        while len(found) < count and upto < min(len(domain), budget):  # a chunk at a time
            found += self._matching(terms, domain[upto : upto + _CHUNK])
            upto += _CHUNK
        if upto >= len(domain):
            self._scan = None
            self._last = (wanted, found)
            return found, True
        # only the first ``count`` kept: the next letter re-checks those, not the whole chunk
        if len(found) > count:
            found = found[:count]
            upto = bisect_right(domain, found[-1])
        self._scan = _Scan(wanted, domain, found, upto)
        return found, False

    def _select(
        self, wanted: HistoryFilter, now: datetime, base: Sequence[int] | None
    ) -> Sequence[int]:
        indices = self._filtered(wanted, now) if base is None else base
        return self._matching(self._terms(wanted.text), indices)

    def _of_contact(self, keys: frozenset[str], indices: Sequence[int]) -> Sequence[int]:
        """The ``indices`` whose number has one of the match ``keys`` (a search text ends
        with its line's match key, see :func:`haystacks`)."""
        if self.texts is None:
            raise ValueError("the search texts are not made yet")
        texts = self.texts
        return [i for i in indices if texts[i].rpartition(" ")[2] in keys]

    def _matching(self, terms: list[tuple[str, ...]], indices: Sequence[int]) -> Sequence[int]:
        """The ``indices`` whose search text has every term (one of its spellings)."""
        if terms and self.texts is None:
            raise ValueError("the search texts are not made yet")
        texts = self.texts or []
        for term in terms:
            if len(term) == 1:
                word = term[0]
                indices = [i for i in indices if word in texts[i]]
            else:
                first, second = term
                indices = [i for i in indices if first in texts[i] or second in texts[i]]
        return indices

    def _filtered(self, wanted: HistoryFilter, now: datetime) -> Sequence[int]:
        """The kind, queue and period filters, from the lists made at load."""
        indices: Sequence[int] = range(len(self.lines))
        bit = _KIND_BIT.get(wanted.kind)
        if wanted.queue_id is not None:
            indices = self._by_queue.get(wanted.queue_id, [])
            if bit is not None:
                flags = self._flags
                indices = [i for i in indices if flags[i] & bit]
        elif bit is not None:
            indices = self._by_kind[bit]
        start = since(wanted.period, now)
        if start is not None:
            # newest first: the period is a prefix of the lines, so of any ascending list
            end = bisect_left(self.lines, True, key=lambda line: str(line[START]) < start)
            indices = indices[: bisect_left(indices, end)]
        if wanted.contact_keys:
            indices = self._of_contact(wanted.contact_keys, indices)
        return indices

    def queues(self) -> list[tuple[str, str]]:
        """The queues the journal's calls came through: (id, name), by name."""
        return sorted(self._queue_names.items(), key=lambda item: fold(item[1]))

    def queue_name(self, queue_id: str) -> str:
        return self._queue_names.get(queue_id, queue_id)


def start_of(line: Row) -> datetime:
    """When the call started (aware)."""
    moment = datetime.fromisoformat(str(line[START]))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
