"""``CallJournal``: the local call journal and its comments, in SQLite (WAL) in the data dir;
and the chat messages of the backends that keep none across sessions (sim, sip), per account,
whole: an SMS's delivery state, a group's notice, a file's name and size, and the file's
bytes (``chat_files``) so that it can still be saved after a restart.

Owns the database file: its schema, the ordered list of migrations (``PRAGMA user_version`` is
the number of migrations applied), the mapping between :class:`~tws_tui.core.model.HistoryEntry`
and rows, and the errors a damaged or foreign file gives.

* The file is opened lazily, on the first call that needs it; the directory is created then.
* Times are stored as ISO-8601 text in UTC with a fixed format (so text order is time order) and
  read back as aware ``datetime`` values.
* A file that is not SQLite, cannot be read or written, or carries a schema newer than this
  code knows raises :class:`JournalUnavailable` naming the file. The file is never deleted nor
  "repaired": before the version check passes nothing is written to it (not even WAL mode).
* One writer is safe (a lock serialises this process; ``busy_timeout`` lets a second console
  wait instead of failing at once).
* Comments live in their own table keyed by the journal id, so one can be typed while the call
  is still live (before its journal row exists); several per call are kept (TWS-3.13.1-2).
* The phone system's history (CTI server) is merged in by :meth:`CallJournal.record_missing`:
  its lines of calls this console did not see (it was not running) are added under their
  conversation id, the id the recorder gives a call it saw, so no call is listed twice.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from tws_tui.core.model import (
    ChatAttachment,
    ChatMessage,
    DeviceId,
    Direction,
    GroupNotice,
    HistoryEntry,
    MessageSlip,
    Outcome,
    Party,
    QueueId,
    QueueRef,
    SmsDelivery,
    UserId,
)
from tws_tui.domain.comments import COMMENT_MAX_CHARS as COMMENT_MAX_CHARS
from tws_tui.domain.comments import check_comment
from tws_tui.domain.text import fold
from tws_tui.platform.paths import data_dir
from tws_tui.platform.serial_thread import SerialThread
from tws_tui.platform.sqlite_file import SqliteFile
from tws_tui.wire.codec import decode, encode

if TYPE_CHECKING:
    import sqlite3  # imported when the journal is first opened: it costs start-up time

JOURNAL_FILE_NAME = "journal.sqlite3"

#: The statistics' columns of a call (migration 5; never edit): placed by me (outgoing, failed,
#: or transferred after I placed it), the wait from ringing to answer, a colleague (their user
#: or device known, or an extension of at most 6 digits), the correspondent (number, or name).
_COUNTED = (
    "placed = (outcome IN ('outgoing', 'failed')"
    " OR (outcome = 'transferred' AND direction = 'outbound')),"
    " wait_ms = CAST(round((julianday(answered_at) - julianday(started_at)) * 86400000.0)"
    " AS INTEGER),"
    " internal = (remote_user_id IS NOT NULL OR remote_device_id IS NOT NULL"
    " OR (length(remote_number) BETWEEN 1 AND 6 AND remote_number NOT GLOB '*[^0-9]*')),"
    " who = coalesce(remote_number, remote_name, '')"
)

#: The migrations, in order: migration ``i`` (0-based) brings the file to version ``i + 1``.
#: Never edit one that has shipped; append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE calls (
            id TEXT PRIMARY KEY,
            direction TEXT NOT NULL,
            outcome TEXT NOT NULL,
            remote_number TEXT,
            remote_name TEXT,
            remote_device_id TEXT,
            remote_user_id TEXT,
            called_number TEXT,
            called_name TEXT,
            called_device_id TEXT,
            called_user_id TEXT,
            queue_id TEXT,
            queue_name TEXT,
            started_at TEXT NOT NULL,
            answered_at TEXT,
            ended_at TEXT,
            duration_s INTEGER,
            transferred_to TEXT,
            seen INTEGER NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX calls_by_start ON calls (started_at)",
        "CREATE INDEX calls_unseen_missed ON calls (outcome, seen)",
        """
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            call_id TEXT NOT NULL,
            at TEXT NOT NULL,
            text TEXT NOT NULL
        )
        """,
        "CREATE INDEX comments_by_call ON comments (call_id, at)",
    ),
    (
        """
        CREATE TABLE chat_messages (
            id TEXT PRIMARY KEY,
            account TEXT NOT NULL,
            peer TEXT NOT NULL,
            sender TEXT NOT NULL,
            text TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX chat_by_account ON chat_messages (account, at)",
    ),
    (  # a message taken for the receiver (a slip): its JSON wire form
        "ALTER TABLE chat_messages ADD COLUMN slip TEXT",
    ),
    (  # edited and deleted messages, replies
        "ALTER TABLE chat_messages ADD COLUMN edited INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE chat_messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE chat_messages ADD COLUMN reply_to TEXT",
        "ALTER TABLE chat_messages ADD COLUMN quote TEXT NOT NULL DEFAULT ''",
    ),
    (  # what the statistics count, worked out once per call by triggers (every writer,
        # every upsert) and kept in two covering indexes: journal.statistics reads a year
        # of calls from them in time order or by correspondent, with no expression per call
        # and without the table. NULL internal: neither (no number, no colleague ids).
        "ALTER TABLE calls ADD COLUMN placed INTEGER",
        "ALTER TABLE calls ADD COLUMN wait_ms INTEGER",
        "ALTER TABLE calls ADD COLUMN internal INTEGER",
        "ALTER TABLE calls ADD COLUMN who TEXT",
        f"UPDATE calls SET {_COUNTED}",
        f"CREATE TRIGGER calls_counted_insert AFTER INSERT ON calls BEGIN"
        f" UPDATE calls SET {_COUNTED} WHERE rowid = NEW.rowid; END",
        "CREATE TRIGGER calls_counted_update AFTER UPDATE OF direction, outcome, remote_number,"
        " remote_name, remote_device_id, remote_user_id, started_at, answered_at ON calls"
        f" BEGIN UPDATE calls SET {_COUNTED} WHERE rowid = NEW.rowid; END",
        "CREATE INDEX calls_stats ON calls (started_at, placed, internal, who, queue_id,"
        " outcome, answered_at, duration_s, wait_ms, queue_name)",
        "CREATE INDEX calls_by_who ON calls (who, started_at, placed, internal, outcome,"
        " answered_at, duration_s, wait_ms, remote_name)",
    ),
    (  # chat search (issue 15): the folded text in an FTS5 trigram index (journal.chat_search)
        "CREATE VIRTUAL TABLE chat_search USING fts5(folded, tokenize = 'trigram')",
        "INSERT INTO chat_search (rowid, folded) SELECT rowid, fold(text) FROM chat_messages",
        "CREATE TRIGGER chat_search_added AFTER INSERT ON chat_messages BEGIN"
        " INSERT INTO chat_search (rowid, folded) VALUES (new.rowid, fold(new.text)); END",
        "CREATE TRIGGER chat_search_changed AFTER UPDATE OF text ON chat_messages BEGIN"
        " UPDATE chat_search SET folded = fold(new.text) WHERE rowid = new.rowid; END",
        "CREATE TRIGGER chat_search_removed AFTER DELETE ON chat_messages BEGIN"
        " DELETE FROM chat_search WHERE rowid = old.rowid; END",
    ),
    (  # chat messages typed while the link was down, waiting to go (journal.chat_outbox)
        "CREATE TABLE chat_outbox (local_id TEXT PRIMARY KEY, account TEXT NOT NULL,"
        " peer TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, reply_to TEXT,"
        " quote TEXT NOT NULL DEFAULT '', failure TEXT)",
        "CREATE INDEX chat_outbox_by_account ON chat_outbox (account, at)",
    ),
    (  # what a restart lost before (issue 15): an SMS's delivery state, a message's file
        # (its JSON; the bytes in chat_files, for the backends that keep none) and a group's
        # notice (its JSON)
        "ALTER TABLE chat_messages ADD COLUMN delivery TEXT",
        "ALTER TABLE chat_messages ADD COLUMN attachment TEXT",
        "ALTER TABLE chat_messages ADD COLUMN notice TEXT",
        "CREATE TABLE chat_files (id TEXT NOT NULL, account TEXT NOT NULL, data BLOB NOT NULL,"
        " PRIMARY KEY (account, id))",
    ),
    (  # a copy of the comments the phone system shares on my calls (journal.comments): History
        # searches them and the contact card shows them; call_id is the journal's id of the
        # call (the phone system's conversation id)
        "CREATE TABLE shared_comments (id TEXT PRIMARY KEY, call_id TEXT NOT NULL,"
        " author_name TEXT NOT NULL, at TEXT NOT NULL, text TEXT NOT NULL)",
        "CREATE INDEX shared_comments_by_call ON shared_comments (call_id)",
    ),
    (  # "delete all my history" (Tools): when; the phone system's older calls stay out
        "CREATE TABLE cleared (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)",
    ),
    (  # "only me" notes on a contact or colleague (TWP-4.1.4-1, journal.private_notes): their
        # author's (account) only, never sent anywhere
        "CREATE TABLE private_notes (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " account TEXT NOT NULL, about TEXT NOT NULL, at TEXT NOT NULL, text TEXT NOT NULL)",
        "CREATE INDEX private_notes_by_about ON private_notes (account, about, at)",
    ),
    (  # calls I deleted (History, a contact's event log, TWP-4.1.2-6): the phone system's
        # copy of one is not merged back at the next connection (record_missing)
        "CREATE TABLE deleted_calls (id TEXT PRIMARY KEY)",
    ),
    (  # a text with several files, each with its tags, in one message (TWS-4.3.5.3-4): the
        # files' JSON (a list); their bytes in chat_files as a single file's
        "ALTER TABLE chat_messages ADD COLUMN files TEXT",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = (
    "id, direction, outcome, remote_number, remote_name, remote_device_id, remote_user_id, "
    "called_number, called_name, called_device_id, called_user_id, queue_id, queue_name, "
    "started_at, answered_at, ended_at, duration_s, transferred_to, seen"
)
_UPSERT = (
    f"INSERT INTO calls ({_COLUMNS}) VALUES ({', '.join('?' * len(_COLUMNS.split(', ')))}) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS.split(", ")[1:])
)
_INSERT_NEW = (
    f"INSERT INTO calls ({_COLUMNS}) VALUES ({', '.join('?' * len(_COLUMNS.split(', ')))}) "
    "ON CONFLICT (id) DO NOTHING"
)
Row = tuple[object, ...]
#: The columns of :meth:`CallJournal.lines`, in order (``journal.listing`` reads them).
LINE_COLUMNS = (
    "id, direction, outcome, remote_number, remote_name, queue_id, queue_name, started_at, "
    "duration_s, seen"
)


LINE_START = 7  # the position of started_at in a line


class JournalUnavailable(Exception):
    """The journal file cannot be used; the message names the file and says why.

    The console shows it and carries on without a journal; the file is left as it was.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"Call journal {path} unavailable: {reason}")
        self.path = path
        self.reason = reason


#: The one thread that does the journals' SQLite work for the console (off its loop).
JOURNAL_WORK = SerialThread("call-journal")


def default_path() -> Path:
    """Where the journal lives: ``journal.sqlite3`` in :func:`tws_tui.platform.paths.data_dir`."""
    return data_dir() / JOURNAL_FILE_NAME


def _to_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"journal times must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _to_text_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else _to_text(moment)


def _from_text(text: object) -> datetime:
    moment = datetime.fromisoformat(str(text))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _from_text_or_none(text: object) -> datetime | None:
    return None if text is None else _from_text(text)


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _party(number: object, name: object, device_id: object, user_id: object) -> Party | None:
    if number is None and name is None and device_id is None and user_id is None:
        return None
    return Party(
        _str_or_none(number),
        _str_or_none(name),
        None if device_id is None else DeviceId(str(device_id)),
        None if user_id is None else UserId(str(user_id)),
    )


def _party_columns(party: Party | None) -> tuple[str | None, ...]:
    if party is None:
        return (None, None, None, None)
    return (party.number, party.name, party.device_id, party.user_id)


def _row_of(entry: HistoryEntry) -> Row:
    queue = entry.queue
    return (
        entry.id,
        entry.direction.value,
        entry.outcome.value,
        *_party_columns(entry.remote),
        *_party_columns(entry.called),
        queue.id if queue else None,
        queue.name if queue else None,
        _to_text(entry.start),
        _to_text_or_none(entry.answered_at),
        _to_text_or_none(entry.end),
        entry.duration_s,
        entry.transferred_to,
        int(entry.seen),
    )


def _entry_of(row: Sequence[object], comment: str | None) -> HistoryEntry:
    (
        id_,
        direction,
        outcome,
        remote_number,
        remote_name,
        remote_device_id,
        remote_user_id,
        called_number,
        called_name,
        called_device_id,
        called_user_id,
        queue_id,
        queue_name,
        started_at,
        answered_at,
        ended_at,
        duration_s,
        transferred_to,
        seen,
    ) = row
    try:
        direction_value = Direction(str(direction))
    except ValueError:
        direction_value = Direction.UNKNOWN
    return HistoryEntry(
        id=str(id_),
        start=_from_text(started_at),
        direction=direction_value,
        outcome=Outcome(str(outcome)),
        remote=_party(remote_number, remote_name, remote_device_id, remote_user_id) or Party(),
        called=_party(called_number, called_name, called_device_id, called_user_id),
        queue=QueueRef(QueueId(str(queue_id)), str(queue_name or queue_id))
        if queue_id is not None
        else None,
        answered_at=_from_text_or_none(answered_at),
        end=_from_text_or_none(ended_at),
        duration_s=None if duration_s is None else int(str(duration_s)),
        transferred_to=_str_or_none(transferred_to),
        comment=comment,
        seen=bool(seen),
    )


#: The columns :func:`chat_message_of` reads, in its order.
CHAT_COLUMNS = (
    "id, peer, sender, text, at, slip, edited, deleted, reply_to, quote, delivery, attachment,"
    " notice, files"
)


def chat_message_of(row: Sequence[object]) -> ChatMessage:
    """A chat message from a row of :data:`CHAT_COLUMNS`."""
    id_, peer, sender, text, at, slip, edited, deleted, reply_to, quote, *more = row
    delivery, attachment, notice, files = more
    return ChatMessage(
        str(id_),
        UserId(str(peer)),
        UserId(str(sender)),
        str(text),
        _from_text(at),
        decode(MessageSlip, json.loads(str(slip))) if slip else None,
        edited=bool(edited),
        deleted=bool(deleted),
        reply_to=str(reply_to) if reply_to else None,
        quote=str(quote),
        delivery=SmsDelivery(str(delivery)) if delivery else None,
        attachment=decode(ChatAttachment, json.loads(str(attachment))) if attachment else None,
        notice=decode(GroupNotice, json.loads(str(notice))) if notice else None,
        files=decode(tuple[ChatAttachment, ...], json.loads(str(files))) if files else (),
    )


def _json_of(value: object) -> str | None:
    return None if value is None else json.dumps(encode(value), ensure_ascii=False)


class CallJournal(SqliteFile):
    """The call journal in one SQLite file; implements the ``History`` protocol."""

    MIGRATIONS = MIGRATIONS

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path if path is not None else default_path())

    def unavailable(self, reason: str) -> JournalUnavailable:
        return JournalUnavailable(self.path, reason)

    def _prepare(self, db: sqlite3.Connection) -> None:
        """``fold`` (domain.text's) as an SQL function first: the chat search index keeps each
        message's text folded, by triggers (the journal is never VACUUMed: its rowids stay)."""
        db.create_function("fold", 1, fold, deterministic=True)
        super()._prepare(db)

    # ---- writing ------------------------------------------------------------------------

    def record(self, entry: HistoryEntry) -> None:
        """Insert ``entry`` or replace the row with its id (its comments are kept apart)."""
        self._run(_UPSERT, _row_of(entry))

    def record_many(self, entries: Sequence[HistoryEntry]) -> None:
        """:meth:`record` each of ``entries`` in one transaction (an import, a benchmark)."""
        rows = [_row_of(entry) for entry in entries]
        with self._lock:
            db = self._connection()
            self._run("BEGIN IMMEDIATE")
            try:
                db.executemany(_UPSERT, rows)
            except BaseException:
                self._run("ROLLBACK")
                raise
            self._run("COMMIT")

    def record_missing(self, entries: Sequence[HistoryEntry]) -> int:
        """Add the phone system's lines of calls the journal does not have (made while this
        console was not running), keyed by their conversation id as the recorder keys them;
        a call already journaled keeps its own line. Lines without a conversation id cannot
        be matched and are left out, and so are calls from before the history was deleted
        (:meth:`delete_all`) and calls deleted one by one (:meth:`delete`). Returns how many
        were added."""
        added = 0
        with self._lock:
            db = self._connection()
            self._run("BEGIN IMMEDIATE")
            try:
                cleared = self._run("SELECT at FROM cleared")
                since = _from_text(str(cleared[0][0])) if cleared else None
                for entry in entries:
                    if not entry.conversation_id or (since is not None and entry.start < since):
                        continue
                    if db.execute(
                        "SELECT 1 FROM deleted_calls WHERE id = ?", (entry.conversation_id,)
                    ).fetchone():
                        continue  # deleted here: it stays out
                    line = dataclasses.replace(entry, id=entry.conversation_id)
                    cursor = db.execute(_INSERT_NEW, _row_of(line))
                    if cursor.rowcount and entry.comment and entry.comment.strip():
                        db.execute(
                            "INSERT INTO comments (call_id, at, text) VALUES (?, ?, ?)",
                            (line.id, _to_text(entry.end or entry.start), entry.comment),
                        )
                    added += cursor.rowcount
            except BaseException:
                self._run("ROLLBACK")
                raise
            self._run("COMMIT")
        return added

    def record_chat(self, account: str, message: ChatMessage) -> None:
        """Keep one chat message of ``account``'s; a message already kept (same id) is
        replaced: an edit or a deletion of it."""
        self.record_chats(account, [message])

    def record_chats(self, account: str, messages: Sequence[ChatMessage]) -> None:
        """:meth:`record_chat` each of ``messages`` in one transaction."""
        rows = [
            (
                message.id,
                account,
                message.peer,
                message.sender,
                message.text,
                _to_text(message.at),
                None if message.slip is None else json.dumps(encode(message.slip)),
                int(message.edited),
                int(message.deleted),
                message.reply_to,
                message.quote,
                message.delivery.value if message.delivery is not None else None,
                _json_of(message.attachment),
                _json_of(message.notice),
                _json_of(message.files) if message.files else None,
            )
            for message in messages
        ]
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO chat_messages (id, account, peer, sender, text, at, slip, edited,"
                " deleted, reply_to, quote, delivery, attachment, notice, files)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET text = excluded.text, slip = excluded.slip,"
                " edited = excluded.edited, deleted = excluded.deleted,"
                " delivery = excluded.delivery, attachment = excluded.attachment,"
                " files = excluded.files",
                rows,
            )
            gone = [(m.attachment.id,) for m in messages if m.deleted and m.attachment]
            gone += [(f.id,) for m in messages if m.deleted for f in m.files]
            db.executemany("DELETE FROM chat_files WHERE id = ?", gone)

    def keep_chat_file(self, account: str, file_id: str, data: bytes) -> None:
        """The bytes of a file sent or received in ``account``'s chat, for a backend that
        forgets them when it stops (sim): Alt+Z saves it after a restart too."""
        self._run(
            "INSERT OR IGNORE INTO chat_files (id, account, data) VALUES (?, ?, ?)",
            (file_id, account, data),
        )

    def chat_file(self, account: str, file_id: str) -> bytes | None:
        rows = self._run(
            "SELECT data FROM chat_files WHERE account = ? AND id = ?", (account, file_id)
        )
        data = rows[0][0] if rows else None
        return data if isinstance(data, bytes) else None

    def chat_messages(self, account: str, *, limit: int) -> list[ChatMessage]:
        """``account``'s last ``limit`` chat messages kept, oldest first."""
        rows = self._run(
            f"SELECT {CHAT_COLUMNS} FROM chat_messages WHERE account = ?"
            " ORDER BY at DESC, rowid DESC LIMIT ?",
            (account, max(0, limit)),
        )
        return [chat_message_of(row) for row in reversed(rows)]

    def add_comment(self, call_id: str, text: str, at: datetime) -> None:
        """Attach a comment to journal id ``call_id`` (a live call or an ended one).

        Refused with ``ValueError``: empty or whitespace-only text, more than 2000 characters.
        The text is stored exactly as given.
        """
        self._run(
            "INSERT INTO comments (call_id, at, text) VALUES (?, ?, ?)",
            (call_id, _to_text(at), check_comment(text)),
        )

    def edit_comment(self, comment_id: int, text: str) -> bool:
        """Replace the text of comment ``comment_id`` (its time stays); False when it is gone
        (deleted meanwhile). Refused like :meth:`add_comment`."""
        checked = check_comment(text)
        with self._lock:
            self._run("UPDATE comments SET text = ? WHERE id = ?", (checked, comment_id))
            return bool(self._run("SELECT changes()")[0][0])

    def delete_comment(self, comment_id: int) -> bool:
        """Delete comment ``comment_id``; False when it was gone already."""
        with self._lock:
            self._run("DELETE FROM comments WHERE id = ?", (comment_id,))
            return bool(self._run("SELECT changes()")[0][0])

    def delete(self, call_ids: Sequence[str]) -> int:
        """Delete the calls ``call_ids`` and their comments, in one transaction; how many
        calls were deleted. Their ids are kept: the phone system's copy of one is not merged
        back (:meth:`record_missing`)."""
        ids = list(dict.fromkeys(call_ids))
        deleted = 0
        with self._lock:
            self._run("BEGIN IMMEDIATE")
            try:
                for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
                    chunk = ids[start : start + 500]
                    marks = ", ".join("?" * len(chunk))
                    self._run(f"DELETE FROM comments WHERE call_id IN ({marks})", chunk)
                    self._run(f"DELETE FROM calls WHERE id IN ({marks})", chunk)
                    deleted += int(str(self._run("SELECT changes()")[0][0]))
                    self._run(
                        "INSERT OR IGNORE INTO deleted_calls (id) VALUES "
                        + ", ".join(["(?)"] * len(chunk)),
                        chunk,
                    )
            except BaseException:
                self._run("ROLLBACK")
                raise
            self._run("COMMIT")
        return deleted

    def delete_all(self, at: datetime) -> int:
        """Every call and every comment deleted (Tools: "delete all my history"), in one
        transaction, and ``at`` kept: the phone system's calls that started before it are not
        merged again (:meth:`record_missing`). How many calls were deleted; chat messages are
        kept."""
        with self._lock:
            self._run("BEGIN IMMEDIATE")
            try:
                self._run("DELETE FROM comments")
                self._run("DELETE FROM shared_comments")  # the local copy of the shared ones
                self._run("DELETE FROM calls")
                deleted = int(str(self._run("SELECT changes()")[0][0]))
                self._run("DELETE FROM deleted_calls")  # "cleared" keeps them all out now
                self._run("INSERT OR REPLACE INTO cleared (id, at) VALUES (1, ?)", (_to_text(at),))
            except BaseException:
                self._run("ROLLBACK")
                raise
            self._run("COMMIT")
        return deleted

    # ---- reading ------------------------------------------------------------------------

    def comments(self, call_id: str) -> list[tuple[datetime, str]]:
        """The comments of ``call_id``, oldest first."""
        rows = self._run(
            "SELECT at, text FROM comments WHERE call_id = ? ORDER BY at, id", (call_id,)
        )
        return [(_from_text(at), str(text)) for at, text in rows]

    def comment_rows(self, call_id: str) -> list[tuple[int, datetime, str]]:
        """The comments of ``call_id`` with their ids (to edit one), oldest first."""
        rows = self._run(
            "SELECT id, at, text FROM comments WHERE call_id = ? ORDER BY at, id", (call_id,)
        )
        return [(int(str(id_)), _from_text(at), str(text)) for id_, at, text in rows]

    def lines(self, limit: int | None = None) -> list[Row]:
        """The calls, newest first (ties: the last written first), as the compact rows History
        lists (see :data:`LINE_COLUMNS`; times as the stored UTC text, parsed only when shown);
        the ``limit`` newest only when given (through the index: a first screenful at once).

        All of them are read in table order and sorted here: walking the index row by row
        costs twice as long at 100 000 calls."""
        if limit is not None:
            return self._run(
                f"SELECT {LINE_COLUMNS} FROM calls ORDER BY started_at DESC, rowid DESC LIMIT ?",
                (max(0, limit),),
            )
        rows = self._run(f"SELECT {LINE_COLUMNS} FROM calls")
        rows.reverse()  # rowid descending: the sort below is stable
        rows.sort(key=itemgetter(LINE_START), reverse=True)
        return rows

    def entries(self, *, limit: int = 50, missed_only: bool = False) -> list[HistoryEntry]:
        """Synchronous ``recent``: newest first, each with its comments joined by newlines."""
        where = "WHERE outcome = ?" if missed_only else ""
        params: list[object] = [Outcome.MISSED.value] if missed_only else []
        rows = self._run(
            f"SELECT {_COLUMNS} FROM calls {where} ORDER BY started_at DESC, rowid DESC LIMIT ?",
            [*params, max(0, limit)],
        )
        notes: dict[str, list[str]] = {}
        ids = [str(row[0]) for row in rows]
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for call_id, text in self._run(
                f"SELECT call_id, text FROM comments WHERE call_id IN ({marks}) ORDER BY at, id",
                chunk,
            ):
                notes.setdefault(str(call_id), []).append(str(text))
        return [
            _entry_of(row, "\n".join(notes[str(row[0])]) if str(row[0]) in notes else None)
            for row in rows
        ]

    def entry(self, call_id: str) -> HistoryEntry | None:
        """The journal row of ``call_id`` with its comments, or None."""
        rows = self._run(f"SELECT {_COLUMNS} FROM calls WHERE id = ?", (call_id,))
        if not rows:
            return None
        notes = [text for _, text in self.comments(call_id)]
        return _entry_of(rows[0], "\n".join(notes) if notes else None)

    def read(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """The rows of one read-only query on the journal's tables (the statistics' aggregates,
        ``journal.statistics``); a damaged file raises :class:`JournalUnavailable`."""
        return self._run(sql, params)

    def data_version(self) -> int:
        """Changes when another connection (a second console) wrote to the file."""
        return int(str(self._run("PRAGMA data_version")[0][0]))

    def missed_unseen(self) -> int:
        """How many missed calls the operator has not seen yet."""
        rows = self._run(
            "SELECT count(*) FROM calls WHERE outcome = ? AND seen = 0", (Outcome.MISSED.value,)
        )
        return int(str(rows[0][0]))

    # ---- History protocol ---------------------------------------------------------------

    async def recent(self, *, limit: int = 50, missed_only: bool = False) -> list[HistoryEntry]:
        return await JOURNAL_WORK.run(lambda: self.entries(limit=limit, missed_only=missed_only))

    async def mark_seen(self) -> None:
        await JOURNAL_WORK.run(lambda: self._run("UPDATE calls SET seen = 1 WHERE seen = 0"))
