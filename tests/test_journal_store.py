"""``CallJournal`` on real SQLite files: rows, comments, History protocol, migrations, bad files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tws_tui.core.model import (
    DeviceId,
    Direction,
    HistoryEntry,
    Outcome,
    Party,
    QueueId,
    QueueRef,
    UserId,
)
from tws_tui.core.protocols import History
from tws_tui.journal import (
    COMMENT_MAX_CHARS,
    SCHEMA_VERSION,
    CallJournal,
    JournalUnavailable,
    default_path,
)

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def entry(
    id_: str, minutes: int = 0, outcome: Outcome = Outcome.ANSWERED, **kw: object
) -> HistoryEntry:
    start = T0 + timedelta(minutes=minutes)
    fields: dict[str, object] = {
        "id": id_,
        "start": start,
        "direction": Direction.INBOUND,
        "outcome": outcome,
        "remote": Party("+33612345678", "Jeanne Dupont"),
        "called": Party("100", "Camille Martin", DeviceId("dev-100"), UserId("u100")),
        "queue": QueueRef(QueueId("accueil"), "Accueil"),
        "answered_at": start + timedelta(seconds=5),
        "end": start + timedelta(seconds=65),
        "duration_s": 60,
    }
    fields.update(kw)
    return HistoryEntry(**fields)  # type: ignore[arg-type]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def journal(path: Path) -> Iterator[CallJournal]:
    j = CallJournal(path)
    yield j
    j.close()


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def test_is_a_history_and_opens_lazily(journal: CallJournal, path: Path) -> None:
    assert isinstance(journal, History)
    assert not path.exists()  # nothing on disk until it is used
    assert journal.missed_unseen() == 0
    assert path.exists() and user_version(path) == SCHEMA_VERSION


def test_wal_mode(journal: CallJournal, path: Path) -> None:
    journal.open()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_default_path_is_in_the_data_dir(tmp_path: Path) -> None:
    assert default_path() == tmp_path / "data" / "journal.sqlite3"  # conftest's data dir


async def test_record_and_read_back_every_field(journal: CallJournal) -> None:
    e = entry("call-1", transferred_to="104", outcome=Outcome.TRANSFERRED)
    journal.record(e)
    (back,) = await journal.recent()
    assert back == e
    assert back.start.tzinfo is not None and back.end is not None and back.end.tzinfo is not None


async def test_missing_parts_stay_none(journal: CallJournal) -> None:
    e = HistoryEntry(
        id="x",
        start=T0,
        direction=Direction.OUTBOUND,
        outcome=Outcome.FAILED,
        remote=Party(),  # masked number, no name
    )
    journal.record(e)
    assert (await journal.recent()) == [e]


async def test_times_come_back_aware_in_utc(journal: CallJournal) -> None:
    paris = timezone(timedelta(hours=1))
    start = datetime(2026, 11, 22, 10, 0, tzinfo=paris)
    journal.record(entry("a", start=start, answered_at=None, end=None, duration_s=None))
    (back,) = await journal.recent()
    assert back.start == start and back.start.utcoffset() == timedelta(0)


def test_naive_times_are_refused(journal: CallJournal) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        journal.record(entry("a", start=datetime(2026, 1, 1, 9, 0)))


async def test_upsert_by_id(journal: CallJournal) -> None:
    journal.record(entry("a", outcome=Outcome.ANSWERED))
    journal.record(entry("a", outcome=Outcome.TRANSFERRED, transferred_to="104"))
    (back,) = await journal.recent()
    assert back.outcome is Outcome.TRANSFERRED and back.transferred_to == "104"


async def test_recent_newest_first_limit_and_missed_only(journal: CallJournal) -> None:
    for i in range(6):
        outcome = Outcome.MISSED if i % 2 else Outcome.ANSWERED
        journal.record(entry(f"c{i}", minutes=i, outcome=outcome))
    assert [e.id for e in await journal.recent()] == ["c5", "c4", "c3", "c2", "c1", "c0"]
    assert [e.id for e in await journal.recent(limit=2)] == ["c5", "c4"]
    assert [e.id for e in await journal.recent(missed_only=True)] == ["c5", "c3", "c1"]


async def test_missed_unseen_and_mark_seen(journal: CallJournal) -> None:
    journal.record(entry("m1", outcome=Outcome.MISSED))
    journal.record(entry("m2", minutes=1, outcome=Outcome.MISSED))
    journal.record(entry("a", minutes=2))
    assert journal.missed_unseen() == 2
    await journal.mark_seen()
    assert journal.missed_unseen() == 0
    assert all(e.seen for e in await journal.recent())
    journal.record(entry("m3", minutes=3, outcome=Outcome.MISSED))
    assert journal.missed_unseen() == 1


async def test_several_comments_per_call(journal: CallJournal) -> None:
    journal.add_comment("a", "Rappeler demain", T0 + timedelta(seconds=10))
    journal.add_comment("a", "  Devis n°42 ", T0 + timedelta(seconds=20))  # stored as given
    journal.add_comment("b", "autre appel", T0)
    assert journal.comments("a") == [
        (T0 + timedelta(seconds=10), "Rappeler demain"),
        (T0 + timedelta(seconds=20), "  Devis n°42 "),
    ]
    assert journal.comments("nobody") == []
    journal.record(entry("a"))  # the row arrives after the comments (typed during the call)
    journal.record(entry("c", minutes=1))
    by_id = {e.id: e for e in await journal.recent()}
    assert by_id["a"].comment == "Rappeler demain\n  Devis n°42 "
    assert by_id["c"].comment is None
    assert journal.entry("a") == by_id["a"]
    assert journal.entry("zzz") is None


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_comment_refused(journal: CallJournal, text: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        journal.add_comment("a", text, T0)
    assert journal.comments("a") == []


def test_comment_length_limit(journal: CallJournal) -> None:
    journal.add_comment("a", "x" * COMMENT_MAX_CHARS, T0)
    with pytest.raises(ValueError, match=r"limited to 2000 characters \(this one has 2001\)"):
        journal.add_comment("a", "x" * (COMMENT_MAX_CHARS + 1), T0)
    assert len(journal.comments("a")) == 1


async def test_reopening_keeps_everything(path: Path) -> None:
    first = CallJournal(path)
    first.record(entry("a", outcome=Outcome.MISSED))
    first.add_comment("a", "note", T0)
    before = await first.recent()
    first.close()
    second = CallJournal(path)
    assert await second.recent() == before
    assert before[0].comment == "note" and second.missed_unseen() == 1
    second.close()


async def test_a_version_0_file_is_upgraded(path: Path) -> None:
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE unrelated (x)")  # an existing v0 database keeps its content
    db.commit()
    db.close()
    journal = CallJournal(path)
    journal.record(entry("a"))
    assert user_version(path) == SCHEMA_VERSION
    assert [e.id for e in await journal.recent()] == ["a"]
    journal.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'unrelated'").fetchone()
    db.close()


def test_an_empty_file_is_upgraded(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    journal = CallJournal(path)
    journal.open()
    journal.close()
    assert user_version(path) == SCHEMA_VERSION


def test_a_newer_schema_is_refused_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE calls (id TEXT)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before = path.read_bytes()
    journal = CallJournal(path)
    with pytest.raises(JournalUnavailable) as caught:
        journal.record(entry("a"))
    message = str(caught.value)
    assert str(path) in message
    assert f"schema version {SCHEMA_VERSION + 1}" in message and "newer" in message
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()
    assert user_version(path) == SCHEMA_VERSION + 1


def test_a_file_that_is_not_sqlite_is_refused_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    content = b"These are my notes, not a database.\n" * 50
    path.write_bytes(content)
    journal = CallJournal(path)
    with pytest.raises(JournalUnavailable) as caught:
        journal.open()
    assert str(path) in str(caught.value) and "not a readable SQLite database" in str(caught.value)
    with pytest.raises(JournalUnavailable):  # stays unavailable, still not crashing
        journal.missed_unseen()
    assert path.read_bytes() == content


def test_a_directory_in_the_way_is_refused(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(JournalUnavailable, match="not a file"):
        CallJournal(path).open()
    assert path.is_dir()


def test_unreachable_directory_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data directory should be")
    with pytest.raises(JournalUnavailable, match="blocker"):
        CallJournal(blocker / "journal.sqlite3").open()
    assert blocker.read_text().startswith("a file")


def test_two_consoles_starting_at_once_both_open_a_new_journal(tmp_path: Path) -> None:
    """The race of two consoles opening a journal file that does not exist yet: both read
    schema version 0, one migrates; the other, migrating after it, finds the work done and
    carries on (it failed with "table calls already exists")."""
    path = tmp_path / "journal.sqlite3"
    late = CallJournal(path)
    read_before = sqlite3.connect(path, isolation_level=None)  # version 0 read, then...
    assert read_before.execute("PRAGMA user_version").fetchone()[0] == 0
    first = CallJournal(path)
    first.open()  # ... the other console migrates the file first
    late._migrate(read_before, 0)  # what the late one does with the version it read
    assert read_before.execute("PRAGMA user_version").fetchone()[0] == late.schema_version
    read_before.close()
    late.open()
    late.record(entry("c1"))
    assert [line.id for line in first.entries()] == ["c1"]
    first.close()
    late.close()
