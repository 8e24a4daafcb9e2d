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
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

from tws_tui.core.errors import BackendUnavailable
from tws_tui.platform.paths import atomic_write_bytes
from tws_tui.platform.sqlite_file import SqliteFile

FILE_NAME = "server.sqlite3"
KEY_FILE = "token.key"
_OLD_KEY = "token_key"  # where versions before 0600 key files kept it (meta table)


class StoreUnavailable(BackendUnavailable):
    """The server's database cannot be used (503 for the request that needed it)."""


class ServerStore(SqliteFile):
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
    )

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir / FILE_NAME)

    def unavailable(self, reason: str) -> Exception:
        return StoreUnavailable(f"The server database {self.path} cannot be used: {reason}")

    def describe(self) -> str:
        return str(self.path)

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

    # ---- profiles -------------------------------------------------------------------------

    def profiles(self, username: str) -> str:
        """The user's profiles document, "" when none was kept."""
        rows = self._run("SELECT document FROM profiles WHERE username = ?", (username,))
        return str(rows[0][0]) if rows else ""

    def save_profiles(self, username: str, document: str) -> None:
        self._run(
            "INSERT INTO profiles (username, document) VALUES (?, ?)"
            " ON CONFLICT (username) DO UPDATE SET document = excluded.document",
            (username, document),
        )

    # ---- meta -----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

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

    def delete_meta(self, key: str) -> None:
        self._run("DELETE FROM meta WHERE key = ?", (key,))

    # ---- accounts -------------------------------------------------------------------------

    def add_account(
        self, username: str, password_hash: str, extension: str, role: str, name: str, at: float
    ) -> None:
        self._run(
            "INSERT INTO accounts (username, password_hash, extension, role, name, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (username, password_hash, extension, role, name, at),
        )

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

    def accounts(self) -> list[tuple[str, str, str, str, str]]:
        """``(username, password_hash, extension, role, name)`` of every account."""
        rows = self._run(
            "SELECT username, password_hash, extension, role, name FROM accounts ORDER BY username"
        )
        return [tuple(str(v) for v in row) for row in rows]  # type: ignore[misc]

    # ---- sessions -------------------------------------------------------------------------

    def add_session(
        self,
        session_id: str,
        username: str,
        client_id: str,
        refresh_hash: str,
        at: float,
        until: float,
    ) -> None:
        self._run(
            "INSERT INTO sessions (id, username, client_id, refresh_hash, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (session_id, username, client_id, refresh_hash, at, until),
        )

    def session_by_refresh(self, refresh_hash: str) -> tuple[str, str, float] | None:
        """``(session id, username, expires_at)`` of a refresh token hash."""
        rows = self._run(
            "SELECT id, username, expires_at FROM sessions WHERE refresh_hash = ?", (refresh_hash,)
        )
        if not rows:
            return None
        sid, user, until = rows[0]
        return str(sid), str(user), float(until)  # type: ignore[arg-type]

    def user_sessions(self, username: str) -> list[str]:
        """The ids of the user's sessions, oldest first."""
        rows = self._run(
            "SELECT id FROM sessions WHERE username = ? ORDER BY created_at, rowid", (username,)
        )
        return [str(row[0]) for row in rows]

    def session_ids(self, now: float) -> set[str]:
        rows = self._run("SELECT id FROM sessions WHERE expires_at > ?", (now,))
        return {str(row[0]) for row in rows}

    def delete_session(self, session_id: str) -> None:
        self._run("DELETE FROM sessions WHERE id = ?", (session_id,))

    def purge_sessions(self, now: float) -> None:
        self._run("DELETE FROM sessions WHERE expires_at <= ?", (now,))

    # ---- directory ------------------------------------------------------------------------

    def add_contact(self, contact_id: str, body: dict[str, Any], created_by: str) -> None:
        self._run(
            "INSERT INTO contacts (id, body, created_by) VALUES (?, ?, ?)",
            (contact_id, _dump(body), created_by),
        )

    def contacts_added_by(self, username: str) -> int:
        count = self._run("SELECT count(*) FROM contacts WHERE created_by = ?", (username,))[0][0]
        assert isinstance(count, int)
        return count

    def contact_creator(self, contact_id: str) -> str | None:
        rows = self._run("SELECT created_by FROM contacts WHERE id = ?", (contact_id,))
        return str(rows[0][0]) if rows else None

    def update_contact(self, contact_id: str, body: dict[str, Any]) -> bool:
        self._run("UPDATE contacts SET body = ? WHERE id = ?", (_dump(body), contact_id))
        return bool(self._run("SELECT changes()")[0][0])

    def delete_contact(self, contact_id: str) -> bool:
        self._run("DELETE FROM contacts WHERE id = ?", (contact_id,))
        return bool(self._run("SELECT changes()")[0][0])

    def contacts(self) -> list[dict[str, Any]]:
        return [json.loads(str(row[0])) for row in self._run("SELECT body FROM contacts")]

    # ---- audit log --------------------------------------------------------------------------

    def add_audit(self, at: float, username: str, action: str, target: str, detail: str) -> None:
        self._run(
            "INSERT INTO audit (at, username, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (at, username, action, target, detail),
        )

    def audit(self, limit: int) -> list[tuple[float, str, str, str, str]]:
        """Newest first: ``(at, username, action, target, detail)``."""
        rows = self._run(
            "SELECT at, username, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?",
            (limit,),
        )
        return [(float(a), str(u), str(c), str(t), str(d)) for a, u, c, t, d in rows]  # type: ignore[arg-type]

    # ---- public contact lists -------------------------------------------------------------

    def save_shared_list(
        self, owner: str, list_id: str, name: str, contacts: list[dict[str, Any]]
    ) -> None:
        """Create or replace (keeping its place in the order) one of ``owner``'s lists."""
        self._run(
            "INSERT INTO shared_lists (owner, list_id, name, contacts) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (owner, list_id) DO UPDATE SET name = excluded.name,"
            " contacts = excluded.contacts",
            (owner, list_id, name, _dump(contacts)),
        )

    def delete_shared_list(self, owner: str, list_id: str) -> bool:
        self._run("DELETE FROM shared_lists WHERE owner = ? AND list_id = ?", (owner, list_id))
        return bool(self._run("SELECT changes()")[0][0])

    def shared_list_ids(self, owner: str) -> set[str]:
        rows = self._run("SELECT list_id FROM shared_lists WHERE owner = ?", (owner,))
        return {str(row[0]) for row in rows}

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
        self._run(
            "INSERT OR IGNORE INTO history (id, username, body, start, missed, seen)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, username, _dump(body), start, int(missed), int(bool(body.get("seen")))),
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

    def mark_history_seen(self, username: str) -> None:
        self._run("UPDATE history SET seen = 1 WHERE username = ?", (username,))

    def set_comment(self, username: str, entry_id: str, text: str | None) -> bool:
        self._run(
            "UPDATE history SET comment = ? WHERE username = ? AND id = ?",
            (text, username, entry_id),
        )
        return bool(self._run("SELECT changes()")[0][0])

    def missed_unseen(self, username: str) -> int:
        rows = self._run(
            "SELECT count(*) FROM history WHERE username = ? AND missed = 1 AND seen = 0",
            (username,),
        )
        count = rows[0][0]
        assert isinstance(count, int)
        return count

    # ---- chat -----------------------------------------------------------------------------

    #: The columns of a stored message, in the order the chat reads return them.
    CHAT_COLUMNS = (
        "id, conversation, sender, text, at, slip, edited, deleted, reply_to, quote, attachment,"
        " notice"
    )

    def add_chat_message(
        self,
        message_id: str,
        conversation: str,
        sender: str,
        text: str,
        at: str,
        slip: str | None = None,
        reply_to: str | None = None,
        quote: str = "",
        attachment: str | None = None,
        notice: str | None = None,
    ) -> None:
        """``slip``: the JSON of a message taken for the receiver, if it is one; ``reply_to``
        and ``quote``: the message it answers and the start of its text; ``attachment``: the
        JSON of the file it carries (its bytes in ``chat_files``)."""
        self._run(
            "INSERT INTO chat_messages"
            " (id, conversation, sender, text, at, slip, reply_to, quote, attachment, notice)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (message_id, conversation, sender, text, at, slip, reply_to, quote, attachment, notice),
        )

    def add_chat_file(
        self, file_id: str, conversation: str, name: str, content_type: str, data: bytes
    ) -> None:
        self._run(
            "INSERT INTO chat_files (id, conversation, name, content_type, data)"
            " VALUES (?, ?, ?, ?, ?)",
            (file_id, conversation, name, content_type, data),
        )

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

    def delete_chat_file(self, file_id: str) -> None:
        self._run("DELETE FROM chat_files WHERE id = ?", (file_id,))

    def chat_message(self, message_id: str) -> tuple[Any, ...] | None:
        """One stored message (``CHAT_COLUMNS``), or None."""
        rows = self._run(
            f"SELECT {self.CHAT_COLUMNS} FROM chat_messages WHERE id = ?", (message_id,)
        )
        return tuple(rows[0]) if rows else None

    def change_chat_message(self, message_id: str, text: str | None) -> None:
        """Edit (``text``) or delete (None: text and slip gone) one stored message."""
        if text is None:  # its file goes with it
            with self.transaction() as db:
                db.execute(
                    "DELETE FROM chat_files WHERE id = (SELECT json_extract(attachment, '$.id')"
                    " FROM chat_messages WHERE id = ?)",
                    (message_id,),
                )
                db.execute(
                    "UPDATE chat_messages SET text = '', slip = NULL, attachment = NULL,"
                    " deleted = 1 WHERE id = ?",
                    (message_id,),
                )
        else:
            self._run(
                "UPDATE chat_messages SET text = ?, edited = 1 WHERE id = ?", (text, message_id)
            )

    def chat_messages(self, conversation: str, limit: int) -> list[tuple[Any, ...]]:
        """Oldest first, the last ``limit`` (``CHAT_COLUMNS``)."""
        rows = self._run(
            f"SELECT {self.CHAT_COLUMNS} FROM (SELECT seq, {self.CHAT_COLUMNS}"
            " FROM chat_messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq",
            (conversation, limit),
        )
        return [tuple(row) for row in rows]

    def chat_recent_direct(self, user_id: str, limit: int) -> list[tuple[Any, ...]]:
        """``user_id``'s last ``limit`` 1:1 messages, oldest first (``CHAT_COLUMNS``)."""
        rows = self._run(
            f"SELECT {self.CHAT_COLUMNS} FROM chat_messages"
            " WHERE conversation LIKE 'dm:%' ORDER BY seq DESC"
        )
        mine = [tuple(row) for row in rows if user_id in str(row[1]).removeprefix("dm:").split("|")]
        return list(reversed(mine[:limit]))

    def add_chat_group(self, group_id: str, name: str, members: list[str], created_by: str) -> None:
        self._run(
            "INSERT INTO chat_groups (id, name, members, created_by) VALUES (?, ?, ?, ?)",
            (group_id, name, _dump(members), created_by),
        )

    def update_chat_group(self, group_id: str, name: str, members: list[str], admin: str) -> None:
        self._run(
            "UPDATE chat_groups SET name = ?, members = ?, created_by = ? WHERE id = ?",
            (name, _dump(members), admin, group_id),
        )

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

    def chat_reads(self, conversation: str) -> list[tuple[str, str]]:
        """(user id, the time of the last message they read) of ``conversation``."""
        rows = self._run(
            "SELECT user_id, at FROM chat_reads WHERE conversation = ?", (conversation,)
        )
        return [(str(user), str(at)) for user, at in rows]

    def chat_groups(self) -> list[tuple[str, str, list[str], str]]:
        rows = self._run("SELECT id, name, members, created_by FROM chat_groups ORDER BY id")
        return [(str(i), str(n), json.loads(str(m)), str(c)) for i, n, m, c in rows]

    # ---- SMS ------------------------------------------------------------------------------

    #: The columns of a stored SMS, in the order the SMS reads return them.
    SMS_COLUMNS = "id, username, number, mine, text, at, delivery"

    def add_sms(
        self, sms_id: str, username: str, number: str, mine: bool, text: str, at: str,
        delivery: str | None,
    ) -> None:  # fmt: skip
        """One SMS sent (``mine``, with its delivery state) or received by ``username``."""
        self._run(
            "INSERT INTO sms (id, username, number, mine, text, at, delivery)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sms_id, username, number, int(mine), text, at, delivery),
        )

    def set_sms_delivery(self, sms_id: str, delivery: str) -> tuple[Any, ...] | None:
        """The delivery report of one SMS sent; the changed row (``SMS_COLUMNS``) or None."""
        self._run("UPDATE sms SET delivery = ? WHERE id = ?", (delivery, sms_id))
        rows = self._run(f"SELECT {self.SMS_COLUMNS} FROM sms WHERE id = ?", (sms_id,))
        return tuple(rows[0]) if rows else None

    def sms_messages(
        self, username: str, limit: int, number: str | None = None
    ) -> list[tuple[Any, ...]]:
        """``username``'s last ``limit`` SMS (with ``number`` only, if given), oldest first."""
        where, args = ("username = ? AND number = ?", (username, number)) if number else (
            "username = ?", (username,)
        )  # fmt: skip
        rows = self._run(
            f"SELECT {self.SMS_COLUMNS} FROM (SELECT seq, {self.SMS_COLUMNS} FROM sms"
            f" WHERE {where} ORDER BY seq DESC LIMIT ?) ORDER BY seq",
            (*args, limit),
        )
        return [tuple(row) for row in rows]

    # ---- features and voicemail -----------------------------------------------------------

    def save_features(self, device_id: str, body: dict[str, Any]) -> None:
        self._run(
            "INSERT INTO features (device_id, body) VALUES (?, ?)"
            " ON CONFLICT (device_id) DO UPDATE SET body = excluded.body",
            (device_id, _dump(body)),
        )

    def features(self) -> dict[str, dict[str, Any]]:
        rows = self._run("SELECT device_id, body FROM features")
        return {str(device): json.loads(str(body)) for device, body in rows}

    def add_voicemail(self, message_id: str, device_id: str, body: dict[str, Any], at: str) -> None:
        self._run(
            "INSERT OR IGNORE INTO voicemail (id, device_id, body, at) VALUES (?, ?, ?, ?)",
            (message_id, device_id, _dump(body), at),
        )

    def voicemail(self, device_id: str) -> list[tuple[str, dict[str, Any], bool]]:
        """Newest first: ``(id, body, heard)``."""
        rows = self._run(
            "SELECT id, body, heard FROM voicemail WHERE device_id = ? ORDER BY at DESC",
            (device_id,),
        )
        return [(str(i), json.loads(str(b)), bool(h)) for i, b, h in rows]

    def voicemail_message(self, device_id: str, message_id: str) -> dict[str, Any] | None:
        """One message's body, ``None`` when it is not (or no longer) in the box."""
        rows = self._run(
            "SELECT body FROM voicemail WHERE device_id = ? AND id = ?", (device_id, message_id)
        )
        return json.loads(str(rows[0][0])) if rows else None

    def mark_voicemail(self, device_id: str, message_id: str, heard: bool) -> bool:
        """Whether the message was there."""
        self._run(
            "UPDATE voicemail SET heard = ? WHERE device_id = ? AND id = ?",
            (int(heard), device_id, message_id),
        )
        return bool(self._run("SELECT changes()")[0][0])

    def delete_voicemail(self, device_id: str, message_id: str) -> bool:
        """Whether the message was there."""
        self._run("DELETE FROM voicemail WHERE device_id = ? AND id = ?", (device_id, message_id))
        return bool(self._run("SELECT changes()")[0][0])

    # ---- voicemail settings and greetings (7) -----------------------------------------------

    def voicemail_settings(self, username: str) -> tuple[str, str, bool, bool, str] | None:
        """``(pin_salt, pin_hash, pin_default, email_copy, email)``, None when never set."""
        rows = self._run(
            "SELECT pin_salt, pin_hash, pin_default, email_copy, email"
            " FROM voicemail_settings WHERE username = ?",
            (username,),
        )
        if not rows:
            return None
        salt, hashed, default, copy, email = rows[0]
        return str(salt), str(hashed), bool(default), bool(copy), str(email)

    def save_pin(self, username: str, salt: str, hashed: str, default: bool) -> None:
        self._run(
            "INSERT INTO voicemail_settings (username, pin_salt, pin_hash, pin_default)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET"
            " pin_salt = excluded.pin_salt, pin_hash = excluded.pin_hash,"
            " pin_default = excluded.pin_default",
            (username, salt, hashed, int(default)),
        )

    def save_email_copy(self, username: str, enabled: bool, address: str) -> None:
        self._run(
            "UPDATE voicemail_settings SET email_copy = ?, email = ? WHERE username = ?",
            (int(enabled), address, username),
        )

    def greetings(self, username: str) -> list[tuple[int, str, float, bool]]:
        """``(seq, name, duration_s, active)`` in the order they were added."""
        rows = self._run(
            "SELECT seq, name, duration_s, active FROM greetings WHERE username = ? ORDER BY seq",
            (username,),
        )
        return [(int(str(q)), str(n), float(str(d)), bool(a)) for q, n, d, a in rows]

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

    def call_parties(self, conversation: str) -> list[str]:
        rows = self._run(
            "SELECT username FROM call_parties WHERE conversation = ?", (conversation,)
        )
        return [str(r[0]) for r in rows]

    def call_comments(self, conversation: str) -> list[tuple[int, str, str, str, bool]]:
        """Oldest first: ``(seq, author, at, text, edited)``."""
        rows = self._run(
            "SELECT seq, author, at, text, edited FROM call_comments WHERE conversation = ?"
            " ORDER BY seq",
            (conversation,),
        )
        return [(int(str(q)), str(a), str(t), str(x), bool(e)) for q, a, t, x, e in rows]

    def add_call_comment(self, conversation: str, author: str, at: str, text: str) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO call_comments (conversation, author, at, text) VALUES (?, ?, ?, ?)",
                (conversation, author, at, text),
            )
            return int(cursor.lastrowid or 0)

    def call_comment(self, seq: int) -> tuple[str, str, str, str, bool] | None:
        """``(conversation, author, at, text, edited)`` of comment ``seq``."""
        rows = self._run(
            "SELECT conversation, author, at, text, edited FROM call_comments WHERE seq = ?",
            (seq,),
        )
        if not rows:
            return None
        c, a, t, x, e = rows[0]
        return str(c), str(a), str(t), str(x), bool(e)

    def edit_call_comment(self, seq: int, text: str) -> None:
        self._run("UPDATE call_comments SET text = ?, edited = 1 WHERE seq = ?", (text, seq))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
