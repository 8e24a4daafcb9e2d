"""The journal as History lists it: lines newest first, filters, search (narrowed as one
types, same answer as from scratch), comments edited, calls deleted, CSV — without the UI."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tws_tui.core.model import Direction, HistoryEntry, Outcome, Party, QueueId, QueueRef
from tws_tui.journal import CallJournal
from tws_tui.journal import listing as listing_module
from tws_tui.journal.export import export_csv
from tws_tui.journal.listing import HistoryFilter, Kind, Listing, Period, haystacks

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
NAMES = ("Jeanne Dupont", "Éric Martin", "Zoé Marchand", "Paul Petit", "Anne Moreau")


def journal_of(tmp_path: Path, count: int) -> tuple[CallJournal, list[HistoryEntry]]:
    rng = random.Random(3)
    entries = []
    for n in range(count):
        outcome = rng.choice(list(Outcome))
        placed = outcome in (Outcome.OUTGOING, Outcome.FAILED)
        entries.append(
            HistoryEntry(
                id=f"c{n}",
                start=NOW - timedelta(hours=rng.randrange(24 * 60)),
                direction=Direction.OUTBOUND if placed else Direction.INBOUND,
                outcome=outcome,
                remote=Party(f"06 12 34 {n // 100:02d} {n % 100:02d}", rng.choice(NAMES)),
                queue=QueueRef(QueueId("q1"), "Accueil") if n % 4 == 0 and not placed else None,
            )
        )
    journal = CallJournal(tmp_path / "journal.sqlite3")
    journal.record_many(entries)
    return journal, entries


def test_lines_are_newest_first_ties_last_written_first(tmp_path: Path) -> None:
    journal = CallJournal(tmp_path / "j.sqlite3")
    for call_id in ("a", "b", "c"):
        journal.record(HistoryEntry(call_id, NOW, Direction.INBOUND, Outcome.ANSWERED, Party()))
    journal.record(
        HistoryEntry("d", NOW - timedelta(1), Direction.INBOUND, Outcome.MISSED, Party())
    )
    assert [line[0] for line in journal.lines()] == ["c", "b", "a", "d"]
    assert [line[0] for line in journal.lines(2)] == ["c", "b"]


def test_filters_keep_what_they_say(tmp_path: Path) -> None:
    journal, entries = journal_of(tmp_path, 400)
    lines = journal.lines()
    listing = Listing(lines, haystacks(lines, {}, "FR"))
    by_id = {e.id: e for e in entries}

    def kept(**wanted: object) -> list[HistoryEntry]:
        found = listing.select(HistoryFilter(**wanted), NOW)  # type: ignore[arg-type]
        return [by_id[str(lines[i][0])] for i in found]

    everything = kept()
    assert len(everything) == 400
    assert [e.start for e in everything] == sorted((e.start for e in entries), reverse=True)
    missed = kept(kind=Kind.MISSED)
    assert missed and all(e.outcome is Outcome.MISSED for e in missed)
    assert {e.id for e in kept(kind=Kind.PLACED)} == {
        e.id for e in entries if e.outcome in (Outcome.OUTGOING, Outcome.FAILED)
    }
    received = kept(kind=Kind.RECEIVED, queue_id="q1")
    assert received and all(e.queue and e.queue.id == "q1" for e in received)
    week = kept(period=Period.WEEK)
    midnight = NOW.replace(hour=0)
    assert {e.id for e in week} == {e.id for e in entries if e.start >= midnight - timedelta(6)}
    today = kept(period=Period.TODAY, kind=Kind.MISSED)
    assert {e.id for e in today} == {
        e.id for e in entries if e.start >= midnight and e.outcome is Outcome.MISSED
    }


@pytest.mark.parametrize("typed", ["marc", "eric mar", "06 12 34 01", "+3361234", "zoe"])
def test_search_typed_letter_by_letter_finds_what_a_search_from_scratch_finds(
    tmp_path: Path, typed: str
) -> None:
    journal, _entries = journal_of(tmp_path, 300)
    lines = journal.lines()
    listing = Listing(lines, haystacks(lines, {}, "FR"))
    for end in range(1, len(typed) + 1):
        narrowed = list(listing.select(HistoryFilter(text=typed[:end]), NOW))
    scratch = Listing(lines, listing.texts)
    assert narrowed == list(scratch.select(HistoryFilter(text=typed), NOW))
    assert narrowed, f"{typed!r} finds nothing"


def test_a_letter_typed_gets_the_first_rows_at_once_then_all_of_them(tmp_path: Path) -> None:
    journal, _entries = journal_of(tmp_path, 20_000)
    lines = journal.lines()
    listing = Listing(lines, haystacks(lines, {}, "FR"))
    first, complete = listing.select_first(HistoryFilter(text="m"), NOW, 60)
    everything = list(Listing(lines, listing.texts).select(HistoryFilter(text="m"), NOW))
    assert not complete and 60 <= len(first) < len(everything)
    assert list(first) == everything[: len(first)]
    rare, complete = listing.select_first(HistoryFilter(text="06 12 34 01 99"), NOW, 60)
    assert complete and [lines[i][0] for i in rare] == ["c199"]


def test_company_and_number_spellings_are_searched(tmp_path: Path) -> None:
    journal, _entries = journal_of(tmp_path, 10)
    lines = journal.lines()
    listing = Listing(lines, haystacks(lines, {"+33612340003": "Énergie SA"}, "FR"))
    found = listing.select(HistoryFilter(text="energie"), NOW)
    assert [lines[i][0] for i in found] == ["c3"]
    found = listing.select(HistoryFilter(text="+33 6 12 34 00 03"), NOW)
    assert [lines[i][0] for i in found] == ["c3"]


def test_a_comment_is_edited_and_a_deleted_call_takes_its_comments(tmp_path: Path) -> None:
    journal, _entries = journal_of(tmp_path, 3)
    journal.add_comment("c1", "first", NOW)
    ((comment_id, _at, text),) = journal.comment_rows("c1")
    assert text == "first"
    assert journal.edit_comment(comment_id, "second")
    assert journal.comments("c1")[0][1] == "second"
    with pytest.raises(ValueError, match="empty"):
        journal.edit_comment(comment_id, "  ")
    assert journal.delete(["c1", "c2", "nope"]) == 2
    assert journal.entry("c1") is None and journal.comments("c1") == []
    assert not journal.edit_comment(comment_id, "gone")  # deleted meanwhile: said, not raised
    assert [line[0] for line in journal.lines()] == ["c0"]


def test_csv_has_a_header_and_one_line_per_call(tmp_path: Path) -> None:
    journal, entries = journal_of(tmp_path, 5)
    rows = list(csv.reader(io.StringIO(export_csv(journal.lines()))))
    assert rows[0] == [
        "id",
        "started_at",
        "direction",
        "outcome",
        "name",
        "number",
        "queue",
        "duration_s",
    ]
    assert sorted(r[0] for r in rows[1:]) == sorted(e.id for e in entries)


class CountedTexts(list[str]):
    """Search texts that count how many times a line's text is read."""

    reads = 0

    def __getitem__(self, index: object) -> object:  # type: ignore[override]
        CountedTexts.reads += 1
        return super().__getitem__(index)  # type: ignore[index]


def test_a_rare_number_typed_digit_by_digit_scans_the_lines_about_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each letter shows its first rows at once (select_first); a search stopped there goes on
    from where it stopped at the next letter, re-checking only the rows it kept: the number of
    one call typed digit by digit reads the lines' texts about once in all (twice a line: a
    number has two spellings), where searching each letter from the start read them 7.6 times
    (every line, twice, for each of the last digits). Same answers as a search from scratch, at
    every letter and after the pause. A letter scans a bounded number of lines: what it
    found so far shows, the rest comes after the pause."""
    journal, _entries = journal_of(tmp_path, 8000)
    lines = journal.lines()
    texts = CountedTexts(haystacks(lines, {}, "FR"))
    listing = Listing(lines, texts)
    typed = "06 12 34 01 99"
    CountedTexts.reads = 0
    for end in range(1, len(typed) + 1):
        wanted = HistoryFilter(text=typed[:end])
        first, complete = listing.select_first(wanted, NOW, 60)
        reads = CountedTexts.reads
        everything = list(Listing(lines, list(texts)).select(wanted, NOW))
        CountedTexts.reads = reads
        assert list(first) == (everything if complete else everything[: len(first)])
    assert complete and [lines[i][0] for i in first] == ["c199"]
    assert CountedTexts.reads < 5 * len(lines), CountedTexts.reads
    # the whole answer after a pause in typing: the rows kept, and the rest of the lines
    first, complete = listing.select_first(HistoryFilter(text="06 12 34 0"), NOW, 60)
    assert not complete and len(first) == 60
    wanted = HistoryFilter(text="06 12 34 01")
    rest = listing.select(wanted, NOW)
    assert list(rest) == list(Listing(lines, list(texts)).select(wanted, NOW))
    # at most _SCAN_BUDGET lines a letter (8 chunks of 4 096; here 2 of 500)
    monkeypatch.setattr(listing_module, "_CHUNK", 500)
    monkeypatch.setattr(listing_module, "_SCAN_BUDGET", 1000)
    listing = Listing(lines, texts)
    CountedTexts.reads = 0
    wanted = HistoryFilter(text="06 12 34 01 99")
    first, complete = listing.select_first(wanted, NOW, 60)
    assert not complete and CountedTexts.reads <= 2 * 1000  # two spellings a line
    assert [lines[i][0] for i in listing.select(wanted, NOW)] == ["c199"]
