"""The reference server's data in PostgreSQL: the scaled mode's store (several instances).

Owns :class:`PgStore`, the :class:`~.storage.ServerStorage` of ``database = "postgresql://…"``:
the same logical schema as the SQLite file (:mod:`.store`) and the queries written the same
for both (inherited from :class:`~.store_queries.SharedQueries`), its own numbered migrations
(``MIGRATIONS``, the version in the ``schema_version`` table; each applied in one transaction
under an advisory lock, so instances starting together migrate once), and what several
instances need besides: the run number counted in the database (call and history ids never
repeat across instances), the token signing key shared in ``meta`` (every instance checks every
instance's tokens), and a ``revision`` counter that triggers bump on every change to accounts
and sessions — :meth:`PgStore.data_version` — which each instance reads before each
authenticated request and polls every ``accounts_poll_s`` (see :mod:`.state`), so a session
closed or an account removed through one instance is refused by every instance at once.

Why a polled counter and not LISTEN/NOTIFY: a notification sent while a listener's connection
is down is lost for good, while a counter read again says "something changed" whatever happened
in between; and the per-request read is what makes the refusal immediate for requests, the poll
only ends open event streams. One single-row read per request costs ~0.2 ms on loopback.

Driver: psycopg 3 with psycopg_pool — maintained, typed, and synchronous as well as async: the
store interface is synchronous (called by the switchboard under its lock and from worker
threads, like SQLite's), so a thread-safe pool of synchronous connections serves it as is,
where asyncpg (async only) would need every caller re-plumbed. Each method is one transaction
on a pooled connection. Every database error becomes :class:`~.store.StoreUnavailable` with one
line saying what happened (503 for a request; a clear message at start).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tws_tui.platform.i18n import _
from tws_tui.server.store import StoreUnavailable
from tws_tui.server.store_queries import SharedQueries, compact_json

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

#: pg_advisory_xact_lock key for migrations ("tws-" in ASCII).
MIGRATION_LOCK = 0x7477732D
CONNECT_TIMEOUT_S = 5
#: How long a query waits for a pooled connection (the database down: a 503 after this; the
#: store is called on the event loop, as SQLite's is, so the wait must stay short).
POOL_WAIT_S = 3.0
_SIGNING_KEY = "signing_key"


def explain(error: Exception) -> str:
    """One line of a driver error (psycopg's messages span several lines)."""
    text = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
    return text or type(error).__name__


def check_url(url: str) -> dict[str, str]:
    """The parts of a ``postgresql://`` URL; ``ValueError`` with a sentence when it is wrong."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise ValueError(
            _("{url!r} is not a PostgreSQL URL (postgresql://user@host:5432/name)").format(url=url)
        )
    try:
        import psycopg.conninfo
    except ImportError as error:
        raise ValueError(missing_driver(error)) from None
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as error:
        raise ValueError(
            _("the database URL is not valid: {problem}").format(problem=explain(error))
        ) from None
    return {key: str(value) for key, value in parts.items() if value is not None}


def missing_driver(error: ImportError) -> str:
    """What to do when the ``postgres`` extra (psycopg, psycopg_pool) is not installed."""
    from tws_tui.platform.extras import install_hint

    return _(
        "PostgreSQL needs the 'postgres' extra (psycopg, psycopg_pool), which is not installed"
        " ({missing}); {hint}"
    ).format(missing=error.name or error, hint=install_hint("postgres"))


MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the schema of the SQLite file at its version 6, and the revision counter
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE accounts (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
        " extension TEXT NOT NULL UNIQUE, role TEXT NOT NULL, name TEXT NOT NULL,"
        " created_at DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE sessions (seq BIGINT GENERATED ALWAYS AS IDENTITY, id TEXT PRIMARY KEY,"
        " username TEXT NOT NULL, client_id TEXT NOT NULL, refresh_hash TEXT NOT NULL UNIQUE,"
        " created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX sessions_by_user ON sessions (username, created_at, seq)",
        "CREATE TABLE contacts (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_by TEXT NOT NULL)",
        "CREATE INDEX contacts_by_creator ON contacts (created_by)",
        "CREATE TABLE history (seq BIGINT GENERATED ALWAYS AS IDENTITY, id TEXT NOT NULL,"
        " username TEXT NOT NULL, body TEXT NOT NULL, start TEXT NOT NULL,"
        " missed INTEGER NOT NULL, seen INTEGER NOT NULL DEFAULT 0, comment TEXT,"
        " PRIMARY KEY (username, id))",
        "CREATE INDEX history_by_start ON history (username, start, seq)",
        "CREATE TABLE chat_messages (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " id TEXT NOT NULL UNIQUE, conversation TEXT NOT NULL, sender TEXT NOT NULL,"
        " text TEXT NOT NULL, at TEXT NOT NULL, slip TEXT, edited INTEGER NOT NULL DEFAULT 0,"
        " deleted INTEGER NOT NULL DEFAULT 0, reply_to TEXT, quote TEXT NOT NULL DEFAULT '')",
        "CREATE INDEX chat_by_conversation ON chat_messages (conversation, seq)",
        "CREATE TABLE chat_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
        " members TEXT NOT NULL, created_by TEXT NOT NULL)",
        "CREATE TABLE features (device_id TEXT PRIMARY KEY, body TEXT NOT NULL)",
        "CREATE TABLE voicemail (id TEXT PRIMARY KEY, device_id TEXT NOT NULL,"
        " body TEXT NOT NULL, at TEXT NOT NULL, heard INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX voicemail_by_device ON voicemail (device_id, at)",
        "CREATE TABLE shared_lists (seq BIGINT GENERATED ALWAYS AS IDENTITY,"
        " owner TEXT NOT NULL, list_id TEXT NOT NULL, name TEXT NOT NULL,"
        " contacts TEXT NOT NULL, PRIMARY KEY (owner, list_id))",
        "CREATE TABLE audit (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " at DOUBLE PRECISION NOT NULL, username TEXT NOT NULL, action TEXT NOT NULL,"
        " target TEXT NOT NULL, detail TEXT NOT NULL)",
        "CREATE TABLE profiles (username TEXT PRIMARY KEY, document TEXT NOT NULL)",
        # What other instances look at to see account and session changes (data_version).
        "CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL)",
        "INSERT INTO revision (id, n) VALUES (1, 0)",
        "CREATE FUNCTION bump_revision() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN UPDATE revision SET n = n + 1 WHERE id = 1; RETURN NULL; END $$",
        "CREATE TRIGGER accounts_revision AFTER INSERT OR UPDATE OR DELETE ON accounts"
        " FOR EACH STATEMENT EXECUTE FUNCTION bump_revision()",
        "CREATE TRIGGER sessions_revision AFTER INSERT OR UPDATE OR DELETE ON sessions"
        " FOR EACH STATEMENT EXECUTE FUNCTION bump_revision()",
    ),
    (  # 2: Idempotency-Key records and failed sign-ins, shared by the instances (pg_shared)
        "CREATE TABLE idempotency (username TEXT NOT NULL, key TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, status INTEGER,"
        " body BYTEA, media_type TEXT, PRIMARY KEY (username, key))",
        "CREATE INDEX idempotency_by_age ON idempotency (created_at)",
        "CREATE TABLE signin_failures (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX signin_failures_by_key ON signin_failures (key, at)",
        "CREATE INDEX signin_failures_by_age ON signin_failures (at)",
    ),
    (  # 3: the SQLite file's version 7: voicemail settings and greetings, shared call comments
        "CREATE TABLE voicemail_settings (username TEXT PRIMARY KEY,"
        " pin_salt TEXT NOT NULL, pin_hash TEXT NOT NULL, pin_default INTEGER NOT NULL,"
        " email_copy INTEGER NOT NULL DEFAULT 0, email TEXT NOT NULL DEFAULT '')",
        "CREATE TABLE greetings (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " username TEXT NOT NULL, name TEXT NOT NULL, duration_s DOUBLE PRECISION NOT NULL,"
        " active INTEGER NOT NULL DEFAULT 0, audio BYTEA NOT NULL)",
        "CREATE INDEX greetings_by_user ON greetings (username, seq)",
        "CREATE TABLE call_parties (conversation TEXT NOT NULL, username TEXT NOT NULL,"
        " PRIMARY KEY (conversation, username))",
        "CREATE TABLE call_comments (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " conversation TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL,"
        " text TEXT NOT NULL, edited INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX comments_by_conversation ON call_comments (conversation, seq)",
    ),
    (  # 4: the SQLite file's version 8: how far each user read each conversation (issue 15)
        "CREATE TABLE chat_reads (conversation TEXT NOT NULL, user_id TEXT NOT NULL,"
        " message_id TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL,"
        " PRIMARY KEY (conversation, user_id))",
    ),
    (  # 5: the SQLite file's version 9: SMS through the simulated gateway (issue 15)
        "CREATE TABLE sms (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " id TEXT NOT NULL UNIQUE, username TEXT NOT NULL, number TEXT NOT NULL,"
        " mine INTEGER NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, delivery TEXT)",
        "CREATE INDEX sms_by_user ON sms (username, number, seq)",
    ),
    (  # 6: the SQLite file's version 10: files sent in chat (issue 15)
        "ALTER TABLE chat_messages ADD COLUMN attachment TEXT",
        "ALTER TABLE chat_messages ADD COLUMN notice TEXT",
        "CREATE TABLE chat_files (id TEXT PRIMARY KEY, conversation TEXT NOT NULL,"
        " name TEXT NOT NULL, content_type TEXT NOT NULL, data BYTEA NOT NULL)",
        "CREATE INDEX chat_files_by_conversation ON chat_files (conversation)",
    ),
    (  # 7: the SQLite file's version 11: assistance requests (issue 15, TWS-4.4), broadcasts
        "CREATE TABLE assist_requests (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, body TEXT NOT NULL)",
        "CREATE TABLE broadcasts (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)",
    ),
    (  # 8: the SQLite file's version 12: what my forward did to a call of my history
        "CREATE TABLE call_steps (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " username TEXT NOT NULL, conversation TEXT NOT NULL, at TEXT NOT NULL,"
        " what TEXT NOT NULL, detail TEXT NOT NULL,"
        " length_s DOUBLE PRECISION NOT NULL DEFAULT 0)",
        "CREATE INDEX call_steps_by_call ON call_steps (username, conversation, seq)",
    ),
    (  # 9: the SQLite file's version 13: a text with several tagged files in one message
        "ALTER TABLE chat_messages ADD COLUMN files TEXT",
    ),
)


class PgStore(SharedQueries):
    """The server's data in one PostgreSQL database, through a pool of connections."""

    MIGRATIONS = MIGRATIONS

    def __init__(self, url: str, *, pool_size: int = 4) -> None:
        self.url = url
        self.pool_size = pool_size
        self._pool: ConnectionPool | None = None
        self._where = "PostgreSQL"
        try:
            parts = check_url(url)
        except ValueError as error:
            raise self.unavailable(str(error)) from None
        host = parts.get("host", "localhost")
        port = parts.get("port", "5432")
        self._where = f"PostgreSQL database {parts.get('dbname', '?')!r} on {host}:{port}"

    def describe(self) -> str:
        return self._where

    def unavailable(self, reason: str) -> Exception:
        return StoreUnavailable(f"The server database ({self._where}) cannot be used: {reason}")

    @property
    def schema_version(self) -> int:
        return len(self.MIGRATIONS)

    # ---- opening, migrations --------------------------------------------------------------

    def open(self) -> None:
        """Connect (a clear error when the server cannot be reached or refuses), migrate,
        then open the pool."""
        if self._pool is not None:
            return
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as error:
            raise self.unavailable(missing_driver(error)) from None

        try:
            with psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S) as db:
                self._migrate(db)
            pool: ConnectionPool = ConnectionPool(
                self.url,
                min_size=1,
                max_size=max(1, self.pool_size),
                open=False,
                timeout=POOL_WAIT_S,
                kwargs={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "tws-tui"},
                check=ConnectionPool.check_connection,
            )
            pool.open(wait=True, timeout=CONNECT_TIMEOUT_S * 2)
        except psycopg.Error as error:
            raise self.unavailable(explain(error)) from None
        self._pool = pool

    def _migrate(self, db: psycopg.Connection[Any]) -> None:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                db.execute("INSERT INTO schema_version (version) VALUES (0)")
            version = int(row[0]) if row else 0
        if version > self.schema_version:
            raise self.unavailable(
                f"it has schema version {version}, newer than this tws-tui knows "
                f"({self.schema_version}); it was written by a newer version and was left"
                " untouched"
            )
        for number in range(version, self.schema_version):
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                row = db.execute("SELECT version FROM schema_version").fetchone()
                if row is not None and int(row[0]) > number:
                    continue  # done meanwhile by another instance
                for statement in self.MIGRATIONS[number]:
                    db.execute(statement.encode())
                db.execute("UPDATE schema_version SET version = %s", (number + 1,))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    # ---- queries --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction on a pooled connection: committed whole or rolled back; a driver
        error becomes ``StoreUnavailable``."""
        import psycopg

        if self._pool is None:
            self.open()
        assert self._pool is not None
        try:
            with self._pool.connection() as db:
                yield db
        except psycopg.Error as error:
            raise self.unavailable(explain(error)) from None

    def _run(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """One statement, its rows. The shared queries (:mod:`.store_queries`) are written
        with SQLite's ``?``: psycopg's ``%s`` stands for them here (so no SQL run through here
        may use PostgreSQL's jsonb ``?`` operator)."""
        with self.transaction() as db:
            cursor = db.execute(sql.replace("?", "%s").encode(), params)
            return list(cursor.fetchall()) if cursor.description else []

    def _changed(self, sql: str, params: Sequence[object] = ()) -> bool:
        """Run a write; whether it touched a row (``?`` as in :meth:`_run`)."""
        with self.transaction() as db:
            return db.execute(sql.replace("?", "%s").encode(), params).rowcount > 0

    # ---- meta -----------------------------------------------------------------------------

    def data_version(self) -> int:
        """The revision counter: changes with every account or session change, whichever
        instance (or admin command) made it."""
        return int(self._run("SELECT n FROM revision WHERE id = 1")[0][0])

    def next_run(self) -> int:
        """This start's number, counted in the database: no two instances get the same."""
        rows = self._run(
            "INSERT INTO meta (key, value) VALUES ('run', '1') ON CONFLICT (key)"
            " DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value"
        )
        return int(str(rows[0][0]))

    def signing_key(self) -> str:
        """The one key every instance signs and checks tokens with, made by the first."""
        made = base64.b64encode(secrets.token_bytes(32)).decode()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                (_SIGNING_KEY, made),
            )
            row = db.execute("SELECT value FROM meta WHERE key = %s", (_SIGNING_KEY,)).fetchone()
        assert row is not None
        return str(row[0])

    # ---- accounts -------------------------------------------------------------------------

    def set_password(
        self, username: str, password_hash: str, *, keep_sessions: bool = False
    ) -> bool:
        with self.transaction() as db:
            changed = (
                db.execute(
                    "UPDATE accounts SET password_hash = %s WHERE username = %s",
                    (password_hash, username),
                ).rowcount
                > 0
            )
            if changed and not keep_sessions:
                db.execute("DELETE FROM sessions WHERE username = %s", (username,))
        return changed

    def delete_account(self, username: str) -> bool:
        with self.transaction() as db:
            db.execute("DELETE FROM sessions WHERE username = %s", (username,))
            db.execute("DELETE FROM shared_lists WHERE owner = %s", (username,))
            return db.execute("DELETE FROM accounts WHERE username = %s", (username,)).rowcount > 0

    # ---- sessions -------------------------------------------------------------------------

    def user_sessions(self, username: str) -> list[str]:
        rows = self._run(
            "SELECT id FROM sessions WHERE username = %s ORDER BY created_at, seq", (username,)
        )
        return [str(row[0]) for row in rows]

    def session_ids(self, now: float) -> set[str]:
        return {
            str(r[0]) for r in self._run("SELECT id FROM sessions WHERE expires_at > %s", (now,))
        }

    # ---- directory ------------------------------------------------------------------------

    def contacts_added_by(self, username: str) -> int:
        return int(
            self._run("SELECT count(*) FROM contacts WHERE created_by = %s", (username,))[0][0]
        )

    def update_contact(self, contact_id: str, body: dict[str, Any]) -> bool:
        return self._changed(
            "UPDATE contacts SET body = %s WHERE id = %s", (compact_json(body), contact_id)
        )

    # ---- public contact lists -------------------------------------------------------------

    def delete_shared_list(self, owner: str, list_id: str) -> bool:
        return self._changed(
            "DELETE FROM shared_lists WHERE owner = %s AND list_id = %s", (owner, list_id)
        )

    def shared_lists(self) -> list[tuple[str, str, str, list[dict[str, Any]]]]:
        rows = self._run(
            "SELECT owner, list_id, name, contacts FROM shared_lists ORDER BY owner, seq"
        )
        return [(str(o), str(i), str(n), json.loads(str(c))) for o, i, n, c in rows]

    # ---- history --------------------------------------------------------------------------

    def add_history(
        self, username: str, entry_id: str, body: dict[str, Any], start: str, missed: bool
    ) -> None:
        seen = int(bool(body.get("seen")))
        self._run(
            "INSERT INTO history (id, username, body, start, missed, seen)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (entry_id, username, compact_json(body), start, int(missed), seen),
        )

    def history(
        self, username: str, limit: int, missed_only: bool
    ) -> list[tuple[dict[str, Any], bool, str | None]]:
        rows = self._run(
            "SELECT body, seen, comment FROM history WHERE username = %s"
            + (" AND missed = 1" if missed_only else "")
            + " ORDER BY start DESC, seq DESC LIMIT %s",
            (username, limit),
        )
        return [(json.loads(str(b)), bool(seen), c if c is None else str(c)) for b, seen, c in rows]

    # ---- chat -----------------------------------------------------------------------------

    def chat_file(self, file_id: str) -> tuple[str, str, str, bytes] | None:
        rows = self._run(
            "SELECT conversation, name, content_type, data FROM chat_files WHERE id = %s",
            (file_id,),
        )
        if not rows:
            return None
        conversation, name, content_type, data = rows[0]
        return str(conversation), str(name), str(content_type), bytes(data)

    def change_chat_message(self, message_id: str, text: str | None) -> None:
        if text is None:  # its files go with it
            with self.transaction() as db:
                db.execute(
                    b"DELETE FROM chat_files WHERE id = (SELECT attachment::json ->> 'id'"
                    b" FROM chat_messages WHERE id = %s)",
                    (message_id,),
                )
                db.execute(
                    b"DELETE FROM chat_files WHERE id IN (SELECT f ->> 'id'"
                    b" FROM chat_messages, json_array_elements(chat_messages.files::json) AS f"
                    b" WHERE chat_messages.id = %s)",
                    (message_id,),
                )
                db.execute(
                    b"UPDATE chat_messages SET text = '', slip = NULL, attachment = NULL,"
                    b" files = NULL, deleted = 1 WHERE id = %s",
                    (message_id,),
                )
        else:
            self._run(
                "UPDATE chat_messages SET text = %s, edited = 1 WHERE id = %s", (text, message_id)
            )

    def chat_recent_direct(self, user_id: str, limit: int) -> list[tuple[Any, ...]]:
        rows = self._run(
            f"SELECT {self.CHAT_COLUMNS} FROM chat_messages"
            " WHERE conversation LIKE 'dm:%%' ORDER BY seq DESC"
        )
        mine = [tuple(row) for row in rows if user_id in str(row[1]).removeprefix("dm:").split("|")]
        return list(reversed(mine[:limit]))

    def delete_chat_group(self, group_id: str) -> None:
        """The group and its conversation (TWS-4.2.8-2: its history is not kept), with the
        read marks of that conversation."""
        with self.transaction() as db:
            db.execute(b"DELETE FROM chat_reads WHERE conversation = %s", (group_id,))
            db.execute(b"DELETE FROM chat_files WHERE conversation = %s", (group_id,))
            db.execute(b"DELETE FROM chat_messages WHERE conversation = %s", (group_id,))
            db.execute(b"DELETE FROM chat_groups WHERE id = %s", (group_id,))

    def mark_chat_read(self, conversation: str, user_id: str, message_id: str) -> bool:
        """``user_id`` read ``conversation`` up to ``message_id`` (one of its messages);
        False when they had read that far already (never backwards: by the store's order)."""
        return self._changed(
            "INSERT INTO chat_reads (conversation, user_id, message_id, seq, at)"
            " SELECT %s, %s, id, seq, at FROM chat_messages WHERE id = %s"
            " ON CONFLICT (conversation, user_id) DO UPDATE SET"
            " message_id = excluded.message_id, seq = excluded.seq, at = excluded.at"
            " WHERE excluded.seq > chat_reads.seq",
            (conversation, user_id, message_id),
        )

    # ---- SMS --------------------------------------------------------------------------------

    def set_sms_delivery(self, sms_id: str, delivery: str) -> tuple[Any, ...] | None:
        """The delivery report of one SMS sent; the changed row (``SMS_COLUMNS``) or None."""
        rows = self._run(
            f"UPDATE sms SET delivery = %s WHERE id = %s RETURNING {self.SMS_COLUMNS}",
            (delivery, sms_id),
        )
        return tuple(rows[0]) if rows else None

    # ---- features and voicemail -----------------------------------------------------------

    def add_voicemail(self, message_id: str, device_id: str, body: dict[str, Any], at: str) -> None:
        self._run(
            "INSERT INTO voicemail (id, device_id, body, at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (message_id, device_id, compact_json(body), at),
        )

    def delete_voicemail(self, device_id: str, message_id: str) -> bool:
        return self._changed(
            "DELETE FROM voicemail WHERE device_id = %s AND id = %s", (device_id, message_id)
        )

    # ---- voicemail settings and greetings -------------------------------------------------

    def add_greeting(self, username: str, name: str, seconds: float, audio: bytes) -> int:
        """The new greeting's number (an identity: never reused); a user's first is active.
        The user's rows are locked first, so two instances adding at once agree on which is
        the first."""
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("greetings:" + username,))
            first = not db.execute(
                "SELECT 1 FROM greetings WHERE username = %s", (username,)
            ).fetchone()
            row = db.execute(
                "INSERT INTO greetings (username, name, duration_s, active, audio)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING seq",
                (username, name, seconds, int(first), audio),
            ).fetchone()
        assert row is not None
        return int(row[0])

    def activate_greeting(self, username: str, seq: int) -> bool:
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("greetings:" + username,))
            if not db.execute(
                "SELECT 1 FROM greetings WHERE username = %s AND seq = %s", (username, seq)
            ).fetchone():
                return False
            db.execute(
                "UPDATE greetings SET active = (seq = %s)::int WHERE username = %s",
                (seq, username),
            )
            return True

    def delete_greeting(self, username: str, seq: int) -> bool:
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("greetings:" + username,))
            row = db.execute(
                "SELECT active FROM greetings WHERE username = %s AND seq = %s", (username, seq)
            ).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM greetings WHERE seq = %s", (seq,))
            if row[0]:
                db.execute(
                    "UPDATE greetings SET active = 1 WHERE seq ="
                    " (SELECT min(seq) FROM greetings WHERE username = %s)",
                    (username,),
                )
            return True

    def greeting_audio(self, username: str, seq: int) -> bytes | None:
        rows = self._run(
            "SELECT audio FROM greetings WHERE username = %s AND seq = %s", (username, seq)
        )
        return bytes(rows[0][0]) if rows else None

    # ---- comments shared on calls ---------------------------------------------------------

    def saw_call(self, conversation: str, username: str) -> None:
        self._run(
            "INSERT INTO call_parties (conversation, username) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING",
            (conversation, username),
        )

    def add_call_comment(self, conversation: str, author: str, at: str, text: str) -> int:
        rows = self._run(
            "INSERT INTO call_comments (conversation, author, at, text)"
            " VALUES (%s, %s, %s, %s) RETURNING seq",
            (conversation, author, at, text),
        )
        return int(rows[0][0])
