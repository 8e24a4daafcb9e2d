"""The reference server's SQLite file (WAL): what must survive a restart.

Owns the schema and the queries of ``server.sqlite3`` in the server's data directory: accounts
(hashed passwords), sessions (refresh tokens, hashed), the shared directory contacts, each
user's call history with comments, chat messages and groups, the persisted logical-device
features (DND, forwards, presence), voicemail messages and each user's public contact lists
(schema version 2), the audit log of privileged actions (3), each user's voicemail settings (PIN
salted and hashed, e-mail copy) and greetings (WAV), who saw which call and the comments shared
on it (7), the files sent in chat (10: their bytes in a BLOB beside the message, so that one
backup of the file, or of the PostgreSQL database, holds all of it and every instance of the
scaled mode serves them); the token signing key in its own 0600 file beside it (``token.key``).
The embedded default :class:`~.storage.ServerStorage` (the scaled mode's is :mod:`.pg_store`).
Built on :class:`tws_tui.platform.sqlite_file.SqliteFile` (schema version, migrations, WAL, one
lock). Values are plain rows or JSON text; turning them into model values is the caller's job.
The queries written in the same words for PostgreSQL are inherited from
:class:`~.store_queries.SharedQueries`; this module has the ones only SQLite says this way.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tws_tui.core.errors import BackendUnavailable
from tws_tui.platform.paths import atomic_write_bytes
from tws_tui.platform.sqlite_file import SqliteFile
from tws_tui.server.store_queries import SharedQueries, compact_json

FILE_NAME = "server.sqlite3"
KEY_FILE = "token.key"
_OLD_KEY = "token_key"  # where versions before 0600 key files kept it (meta table)


class StoreUnavailable(BackendUnavailable):
    """The server's database cannot be used (503 for the request that needed it)."""


class ServerStore(SqliteFile, SharedQueries):
    MIGRATIONS = (
        (
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE accounts (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
            " extension TEXT NOT NULL UNIQUE, role TEXT NOT NULL, name TEXT NOT NULL,"
            " created_at REAL NOT NULL)",
            "CREATE TABLE sessions (id TEXT PRIMARY KEY, username TEXT NOT NULL,"
            " client_id TEXT NOT NULL, refresh_hash TEXT NOT NULL UNIQUE,"
            " created_at REAL NOT NULL, expires_at REAL NOT NULL)",
            "CREATE TABLE contacts (id TEXT PRIMARY KEY, body TEXT NOT NULL,"
            " created_by TEXT NOT NULL)",
            "CREATE TABLE history (id TEXT NOT NULL, username TEXT NOT NULL, body TEXT NOT NULL,"
            " start TEXT NOT NULL, missed INTEGER NOT NULL, seen INTEGER NOT NULL DEFAULT 0,"
            " comment TEXT, PRIMARY KEY (username, id))",
            "CREATE INDEX history_by_start ON history (username, start)",
            "CREATE TABLE chat_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " id TEXT NOT NULL UNIQUE, conversation TEXT NOT NULL, sender TEXT NOT NULL,"
            " text TEXT NOT NULL, at TEXT NOT NULL)",
            "CREATE INDEX chat_by_conversation ON chat_messages (conversation, seq)",
            "CREATE TABLE chat_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " members TEXT NOT NULL, created_by TEXT NOT NULL)",
            "CREATE TABLE features (device_id TEXT PRIMARY KEY, body TEXT NOT NULL)",
            "CREATE TABLE voicemail (id TEXT PRIMARY KEY, device_id TEXT NOT NULL,"
            " body TEXT NOT NULL, at TEXT NOT NULL, heard INTEGER NOT NULL DEFAULT 0)",
        ),
        (  # 2: public contact lists (TWS-2.4.5), one row per owner and own list id
            "CREATE TABLE shared_lists (owner TEXT NOT NULL, list_id TEXT NOT NULL,"
            " name TEXT NOT NULL, contacts TEXT NOT NULL, PRIMARY KEY (owner, list_id))",
        ),
        (  # 3: the audit log of privileged actions
            "CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL,"
            " username TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
            " detail TEXT NOT NULL)",
        ),
        (  # 4: a message taken for the receiver (a slip, issue 15): its JSON wire form
            "ALTER TABLE chat_messages ADD COLUMN slip TEXT",
        ),
        (  # 5: edited and deleted messages, replies (issue 15)
            "ALTER TABLE chat_messages ADD COLUMN edited INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE chat_messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE chat_messages ADD COLUMN reply_to TEXT",
            "ALTER TABLE chat_messages ADD COLUMN quote TEXT NOT NULL DEFAULT ''",
        ),
        (  # 6: each user's profiles and forwarding rules (issue 17), one document
            "CREATE TABLE profiles (username TEXT PRIMARY KEY, document TEXT NOT NULL)",
        ),
        (  # 7: voicemail settings and greetings (TWS-6.9); comments shared per call (TWS-3.13)
            "CREATE TABLE voicemail_settings (username TEXT PRIMARY KEY,"
            " pin_salt TEXT NOT NULL, pin_hash TEXT NOT NULL, pin_default INTEGER NOT NULL,"
            " email_copy INTEGER NOT NULL DEFAULT 0, email TEXT NOT NULL DEFAULT '')",
            "CREATE TABLE greetings (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " username TEXT NOT NULL, name TEXT NOT NULL, duration_s REAL NOT NULL,"
            " active INTEGER NOT NULL DEFAULT 0, audio BLOB NOT NULL)",
            "CREATE INDEX greetings_by_user ON greetings (username, seq)",
            "CREATE TABLE call_parties (conversation TEXT NOT NULL, username TEXT NOT NULL,"
            " PRIMARY KEY (conversation, username))",
            "CREATE TABLE call_comments (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " conversation TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL,"
            " text TEXT NOT NULL, edited INTEGER NOT NULL DEFAULT 0)",
            "CREATE INDEX comments_by_conversation ON call_comments (conversation, seq)",
        ),
        (  # 8: how far each user read each conversation (read receipts, issue 15)
            "CREATE TABLE chat_reads (conversation TEXT NOT NULL, user_id TEXT NOT NULL,"
            " message_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL,"
            " PRIMARY KEY (conversation, user_id))",
        ),
        (  # 9: SMS through the simulated gateway (issue 15), per user and mobile number
            "CREATE TABLE sms (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
            " username TEXT NOT NULL, number TEXT NOT NULL, mine INTEGER NOT NULL,"
            " text TEXT NOT NULL, at TEXT NOT NULL, delivery TEXT)",
            "CREATE INDEX sms_by_user ON sms (username, number, seq)",
        ),
        (  # 10: files sent in chat (issue 15): the message's attachment, the file's bytes
            "ALTER TABLE chat_messages ADD COLUMN attachment TEXT",
            "ALTER TABLE chat_messages ADD COLUMN notice TEXT",
            "CREATE TABLE chat_files (id TEXT PRIMARY KEY, conversation TEXT NOT NULL,"
            " name TEXT NOT NULL, content_type TEXT NOT NULL, data BLOB NOT NULL)",
            "CREATE INDEX chat_files_by_conversation ON chat_files (conversation)",
        ),
        (  # 11: assistance requests (issue 15, TWS-4.4): each one's JSON, settled once;
            # broadcasts (TWP-4.1): each one's JSON
            "CREATE TABLE assist_requests (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE TABLE broadcasts (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)",
        ),
        (  # 12: what my forward did to a call of my history (issue 17): an announcement
            # played to the caller and for how long, then the number it went on to
            "CREATE TABLE call_steps (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " username TEXT NOT NULL, conversation TEXT NOT NULL, at TEXT NOT NULL,"
            " what TEXT NOT NULL, detail TEXT NOT NULL, length_s REAL NOT NULL DEFAULT 0)",
            "CREATE INDEX call_steps_by_call ON call_steps (username, conversation, seq)",
        ),
        (  # 13: a text with several files, each with its tags, in one message (issue 15,
            # TWS-4.3.5.3-4): their JSON (a list); their bytes in chat_files
            "ALTER TABLE chat_messages ADD COLUMN files TEXT",
        ),
    )

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir / FILE_NAME)

    def unavailable(self, reason: str) -> Exception:
        return StoreUnavailable(f"The server database {self.path} cannot be used: {reason}")

    def describe(self) -> str:
        return str(self.path)

    def _changed(self, sql: str, params: Sequence[object] = ()) -> bool:
        """Run a write; whether it touched a row."""
        with self.transaction() as db:
            return db.execute(sql, params).rowcount > 0

    def signing_key(self) -> str:
        """The key in ``token.key`` beside the file (0600); made once, or moved there from the
        database where older versions kept it (readers and backups of the data see that)."""
        path = self.path.parent / KEY_FILE
        try:
            text = path.read_text("ascii").strip()
        except FileNotFoundError:
            text = self.meta(_OLD_KEY) or base64.b64encode(secrets.token_bytes(32)).decode()
            atomic_write_bytes(path, text.encode("ascii"), mode=0o600)
        except (OSError, UnicodeDecodeError) as error:
            raise self.unavailable(f"cannot read the signing key {path} ({error})") from None
        self.delete_meta(_OLD_KEY)
        os.chmod(path, 0o600)  # a key file copied in with laxer rights is closed again
        return text

    # ---- meta -----------------------------------------------------------------------------

    def data_version(self) -> int:
        """A number that changes when another connection (the ``tws-tui serve`` account
        commands, another process) commits to the file; our own writes leave it alone."""
        value = self._run("PRAGMA data_version")[0][0]
        assert isinstance(value, int)
        return value

    def next_run(self) -> int:
        """This start's number: one more than the last start's (1 for a new data directory),
        counted in the file so that it holds across crashes and restarts."""
        rows = self._run(
            "INSERT INTO meta (key, value) VALUES ('run', '1') ON CONFLICT (key)"
            " DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value"
        )
        return int(str(rows[0][0]))

    # ---- accounts -------------------------------------------------------------------------

    def set_password(
        self, username: str, password_hash: str, *, keep_sessions: bool = False
    ) -> bool:
        """Change the password and close the user's sessions (a stolen token dies with it);
        ``keep_sessions``: the same password hashed again at a higher cost."""
        self._run(
            "UPDATE accounts SET password_hash = ? WHERE username = ?", (password_hash, username)
        )
        changed = bool(self._run("SELECT changes()")[0][0])
        if changed and not keep_sessions:
            self._run("DELETE FROM sessions WHERE username = ?", (username,))
        return changed

    def delete_account(self, username: str) -> bool:
        self._run("DELETE FROM sessions WHERE username = ?", (username,))
        self._run("DELETE FROM shared_lists WHERE owner = ?", (username,))
        self._run("DELETE FROM accounts WHERE username = ?", (username,))
        return bool(self._run("SELECT changes()")[0][0])

    # ---- sessions -------------------------------------------------------------------------

    def user_sessions(self, username: str) -> list[str]:
        """The ids of the user's sessions, oldest first."""
        rows = self._run(
            "SELECT id FROM sessions WHERE username = ? ORDER BY created_at, rowid", (username,)
        )
        return [str(row[0]) for row in rows]

    def session_ids(self, now: float) -> set[str]:
        rows = self._run("SELECT id FROM sessions WHERE expires_at > ?", (now,))
        return {str(row[0]) for row in rows}

    # ---- directory ------------------------------------------------------------------------

    def contacts_added_by(self, username: str) -> int:
        count = self._run("SELECT count(*) FROM contacts WHERE created_by = ?", (username,))[0][0]
        assert isinstance(count, int)
        return count

    def update_contact(self, contact_id: str, body: dict[str, Any]) -> bool:
        self._run("UPDATE contacts SET body = ? WHERE id = ?", (compact_json(body), contact_id))
        return bool(self._run("SELECT changes()")[0][0])

    # ---- public contact lists -------------------------------------------------------------

    def delete_shared_list(self, owner: str, list_id: str) -> bool:
        self._run("DELETE FROM shared_lists WHERE owner = ? AND list_id = ?", (owner, list_id))
        return bool(self._run("SELECT changes()")[0][0])

    def shared_lists(self) -> list[tuple[str, str, str, list[dict[str, Any]]]]:
        """``(owner, list id, name, contacts)`` of every list, by owner then first publication."""
        rows = self._run(
            "SELECT owner, list_id, name, contacts FROM shared_lists ORDER BY owner, rowid"
        )
        return [(str(o), str(i), str(n), json.loads(str(c))) for o, i, n, c in rows]

    # ---- history --------------------------------------------------------------------------

    def add_history(
        self, username: str, entry_id: str, body: dict[str, Any], start: str, missed: bool
    ) -> None:
        seen = int(bool(body.get("seen")))
        self._run(
            "INSERT OR IGNORE INTO history (id, username, body, start, missed, seen)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, username, compact_json(body), start, int(missed), seen),
        )

    def history(
        self, username: str, limit: int, missed_only: bool
    ) -> list[tuple[dict[str, Any], bool, str | None]]:
        """Newest first: ``(entry body, seen, comment)``."""
        rows = self._run(
            "SELECT body, seen, comment FROM history WHERE username = ?"
            + (" AND missed = 1" if missed_only else "")
            + " ORDER BY start DESC, rowid DESC LIMIT ?",
            (username, limit),
        )
        return [(json.loads(str(b)), bool(seen), c if c is None else str(c)) for b, seen, c in rows]

    # ---- chat -----------------------------------------------------------------------------

    def chat_file(self, file_id: str) -> tuple[str, str, str, bytes] | None:
        """(conversation, name, content type, bytes) of a file sent in chat, or None."""
        rows = self._run(
            "SELECT conversation, name, content_type, data FROM chat_files WHERE id = ?",
            (file_id,),
        )
        if not rows:
            return None
        conversation, name, content_type, data = rows[0]
        assert isinstance(data, bytes)
        return str(conversation), str(name), str(content_type), data

    def change_chat_message(self, message_id: str, text: str | None) -> None:
        """Edit (``text``) or delete (None: text and slip gone) one stored message."""
        if text is None:  # its files go with it
            with self.transaction() as db:
                db.execute(
                    "DELETE FROM chat_files WHERE id = (SELECT json_extract(attachment, '$.id')"
                    " FROM chat_messages WHERE id = ?)",
                    (message_id,),
                )
                db.execute(
                    "DELETE FROM chat_files WHERE id IN (SELECT json_extract(f.value, '$.id')"
                    " FROM chat_messages, json_each(chat_messages.files) AS f"
                    " WHERE chat_messages.id = ?)",
                    (message_id,),
                )
                db.execute(
                    "UPDATE chat_messages SET text = '', slip = NULL, attachment = NULL,"
                    " files = NULL, deleted = 1 WHERE id = ?",
                    (message_id,),
                )
        else:
            self._run(
                "UPDATE chat_messages SET text = ?, edited = 1 WHERE id = ?", (text, message_id)
            )

    def chat_recent_direct(self, user_id: str, limit: int) -> list[tuple[Any, ...]]:
        """``user_id``'s last ``limit`` 1:1 messages, oldest first (``CHAT_COLUMNS``)."""
        rows = self._run(
            f"SELECT {self.CHAT_COLUMNS} FROM chat_messages"
            " WHERE conversation LIKE 'dm:%' ORDER BY seq DESC"
        )
        mine = [tuple(row) for row in rows if user_id in str(row[1]).removeprefix("dm:").split("|")]
        return list(reversed(mine[:limit]))

    def delete_chat_group(self, group_id: str) -> None:
        """The group and its conversation (TWS-4.2.8-2: its history is not kept)."""
        self._run("DELETE FROM chat_reads WHERE conversation = ?", (group_id,))
        self._run("DELETE FROM chat_files WHERE conversation = ?", (group_id,))
        self._run("DELETE FROM chat_messages WHERE conversation = ?", (group_id,))
        self._run("DELETE FROM chat_groups WHERE id = ?", (group_id,))

    def mark_chat_read(self, conversation: str, user_id: str, message_id: str) -> bool:
        """``user_id`` read ``conversation`` up to ``message_id`` (one of its messages);
        False when they had read that far already (never backwards: by the store's order)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO chat_reads (conversation, user_id, message_id, seq, at)"
                " SELECT ?, ?, id, seq, at FROM chat_messages WHERE id = ?"
                " ON CONFLICT (conversation, user_id) DO UPDATE SET"
                " message_id = excluded.message_id, seq = excluded.seq, at = excluded.at"
                " WHERE excluded.seq > chat_reads.seq",
                (conversation, user_id, message_id),
            )
            return bool(db.execute("SELECT changes()").fetchone()[0])

    # ---- SMS ------------------------------------------------------------------------------

    def set_sms_delivery(self, sms_id: str, delivery: str) -> tuple[Any, ...] | None:
        """The delivery report of one SMS sent; the changed row (``SMS_COLUMNS``) or None."""
        self._run("UPDATE sms SET delivery = ? WHERE id = ?", (delivery, sms_id))
        rows = self._run(f"SELECT {self.SMS_COLUMNS} FROM sms WHERE id = ?", (sms_id,))
        return tuple(rows[0]) if rows else None

    # ---- features and voicemail -----------------------------------------------------------

    def add_voicemail(self, message_id: str, device_id: str, body: dict[str, Any], at: str) -> None:
        self._run(
            "INSERT OR IGNORE INTO voicemail (id, device_id, body, at) VALUES (?, ?, ?, ?)",
            (message_id, device_id, compact_json(body), at),
        )

    def delete_voicemail(self, device_id: str, message_id: str) -> bool:
        """Whether the message was there."""
        self._run("DELETE FROM voicemail WHERE device_id = ? AND id = ?", (device_id, message_id))
        return bool(self._run("SELECT changes()")[0][0])

    # ---- voicemail settings and greetings (7) -----------------------------------------------

    def add_greeting(self, username: str, name: str, seconds: float, audio: bytes) -> int:
        """The new greeting's sequence number (never reused: AUTOINCREMENT); the first of a
        user's greetings is made active."""
        with self.transaction() as db:
            first = not db.execute(
                "SELECT 1 FROM greetings WHERE username = ?", (username,)
            ).fetchone()
            cursor = db.execute(
                "INSERT INTO greetings (username, name, duration_s, active, audio)"
                " VALUES (?, ?, ?, ?, ?)",
                (username, name, seconds, int(first), audio),
            )
            return int(cursor.lastrowid or 0)

    def activate_greeting(self, username: str, seq: int) -> bool:
        """Whether the greeting was there (then it alone is active)."""
        with self.transaction() as db:
            if not db.execute(
                "SELECT 1 FROM greetings WHERE username = ? AND seq = ?", (username, seq)
            ).fetchone():
                return False
            db.execute(
                "UPDATE greetings SET active = (seq = ?) WHERE username = ?", (seq, username)
            )
            return True

    def delete_greeting(self, username: str, seq: int) -> bool:
        """Whether it was there; deleting the active one makes the oldest left active."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT active FROM greetings WHERE username = ? AND seq = ?", (username, seq)
            ).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM greetings WHERE seq = ?", (seq,))
            if row[0]:
                db.execute(
                    "UPDATE greetings SET active = 1 WHERE seq ="
                    " (SELECT min(seq) FROM greetings WHERE username = ?)",
                    (username,),
                )
            return True

    def greeting_audio(self, username: str, seq: int) -> bytes | None:
        rows = self._run(
            "SELECT audio FROM greetings WHERE username = ? AND seq = ?", (username, seq)
        )
        data = rows[0][0] if rows else None
        return data if isinstance(data, bytes) else None

    # ---- shared comments on calls (7) -------------------------------------------------------

    def saw_call(self, conversation: str, username: str) -> None:
        self._run(
            "INSERT OR IGNORE INTO call_parties (conversation, username) VALUES (?, ?)",
            (conversation, username),
        )

    def add_call_comment(self, conversation: str, author: str, at: str, text: str) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO call_comments (conversation, author, at, text) VALUES (?, ?, ?, ?)",
                (conversation, author, at, text),
            )
            return int(cursor.lastrowid or 0)
