"""The queries the reference server's two stores write in the same words.

Owns :class:`SharedQueries`, the part of the :class:`~.storage.ServerStorage` interface whose
SQL is the same for the SQLite file (:class:`~.store.ServerStore`) and for PostgreSQL
(:class:`~.pg_store.PgStore`): both inherit it, and each keeps in its own module what its
database says differently (upserts, ``RETURNING``, counters, transactions of several
statements). The SQL here is written with SQLite's ``?`` placeholders; ``PgStore._run`` turns
them into psycopg's ``%s``. Every query goes through ``self._run(sql, params)`` (one statement,
its rows) or ``self._changed(sql, params)`` (one write, whether it touched a row), which each
store provides, its errors turned into the store's own. Values are plain rows or JSON text, as in
both stores.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tws_tui.domain.text import has_words


def compact_json(value: Any) -> str:
    """``value`` as the stores keep JSON: UTF-8 as is, no spaces."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SharedQueries:
    """What both server stores run word for word (see the module docstring)."""

    #: The columns of a stored message, in the order the chat reads return them.
    CHAT_COLUMNS = (
        "id, conversation, sender, text, at, slip, edited, deleted, reply_to, quote, attachment,"
        " notice, files"
    )
    #: The columns of a stored SMS, in the order the SMS reads return them.
    SMS_COLUMNS = "id, username, number, mine, text, at, delivery"

    if TYPE_CHECKING:  # each store runs the statements on its own database

        def _run(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]: ...
        def _changed(self, sql: str, params: Sequence[object] = ()) -> bool: ...

    # ---- profiles and meta ----------------------------------------------------------------

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

    def meta(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def delete_meta(self, key: str) -> None:
        self._run("DELETE FROM meta WHERE key = ?", (key,))

    # ---- accounts and sessions ------------------------------------------------------------

    def add_account(
        self, username: str, password_hash: str, extension: str, role: str, name: str, at: float
    ) -> None:
        self._run(
            "INSERT INTO accounts (username, password_hash, extension, role, name, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (username, password_hash, extension, role, name, at),
        )

    def accounts(self) -> list[tuple[str, str, str, str, str]]:
        """``(username, password_hash, extension, role, name)`` of every account."""
        rows = self._run(
            "SELECT username, password_hash, extension, role, name FROM accounts ORDER BY username"
        )
        return [(str(u), str(h), str(e), str(r), str(n)) for u, h, e, r, n in rows]

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
        return str(sid), str(user), float(until)

    def delete_session(self, session_id: str) -> None:
        self._run("DELETE FROM sessions WHERE id = ?", (session_id,))

    def purge_sessions(self, now: float) -> None:
        self._run("DELETE FROM sessions WHERE expires_at <= ?", (now,))

    # ---- directory, audit log, public contact lists ---------------------------------------

    def add_contact(self, contact_id: str, body: dict[str, Any], created_by: str) -> None:
        self._run(
            "INSERT INTO contacts (id, body, created_by) VALUES (?, ?, ?)",
            (contact_id, compact_json(body), created_by),
        )

    def contact_creator(self, contact_id: str) -> str | None:
        rows = self._run("SELECT created_by FROM contacts WHERE id = ?", (contact_id,))
        return str(rows[0][0]) if rows else None

    def delete_contact(self, contact_id: str) -> bool:
        return self._changed("DELETE FROM contacts WHERE id = ?", (contact_id,))

    def contacts(self) -> list[dict[str, Any]]:
        return [json.loads(str(row[0])) for row in self._run("SELECT body FROM contacts")]

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
        return [(float(a), str(u), str(c), str(t), str(d)) for a, u, c, t, d in rows]

    def save_shared_list(
        self, owner: str, list_id: str, name: str, contacts: list[dict[str, Any]]
    ) -> None:
        """Create or replace (keeping its place in the order) one of ``owner``'s lists."""
        self._run(
            "INSERT INTO shared_lists (owner, list_id, name, contacts) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (owner, list_id) DO UPDATE SET name = excluded.name,"
            " contacts = excluded.contacts",
            (owner, list_id, name, compact_json(contacts)),
        )

    def shared_list_ids(self, owner: str) -> set[str]:
        rows = self._run("SELECT list_id FROM shared_lists WHERE owner = ?", (owner,))
        return {str(row[0]) for row in rows}

    # ---- history --------------------------------------------------------------------------

    def clear_history(self, username: str) -> int:
        """Every call of ``username``'s history deleted, comments and steps with them; how
        many."""
        self._run("DELETE FROM call_steps WHERE username = ?", (username,))
        return len(self._run("DELETE FROM history WHERE username = ? RETURNING id", (username,)))

    def mark_history_seen(self, username: str) -> None:
        self._run("UPDATE history SET seen = 1 WHERE username = ?", (username,))

    def set_comment(self, username: str, entry_id: str, text: str | None) -> bool:
        return self._changed(
            "UPDATE history SET comment = ? WHERE username = ? AND id = ?",
            (text, username, entry_id),
        )

    def missed_unseen(self, username: str) -> int:
        rows = self._run(
            "SELECT count(*) FROM history WHERE username = ? AND missed = 1 AND seen = 0",
            (username,),
        )
        return int(rows[0][0])

    def add_call_step(
        self, username: str, conversation: str, at: str, what: str, detail: str, length_s: float
    ) -> None:
        """A step ``username``'s forward took with the call ``conversation`` (issue 17): an
        announcement played to the caller (``length_s``), then the number it went on to."""
        self._run(
            "INSERT INTO call_steps (username, conversation, at, what, detail, length_s)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (username, conversation, at, what, detail, length_s),
        )

    def call_steps(self, username: str, conversation: str) -> list[tuple[str, str, str, float]]:
        """``(at, what, detail, length_s)`` of the steps, oldest first."""
        rows = self._run(
            "SELECT at, what, detail, length_s FROM call_steps"
            " WHERE username = ? AND conversation = ? ORDER BY seq",
            (username, conversation),
        )
        return [
            (str(at), str(what), str(detail), float(length)) for at, what, detail, length in rows
        ]

    # ---- chat -----------------------------------------------------------------------------

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
        files: str | None = None,
    ) -> None:
        """``slip``: the JSON of a message taken for the receiver, if it is one; ``reply_to``
        and ``quote``: the message it answers and the start of its text; ``attachment``: the
        JSON of the file it carries (its bytes in ``chat_files``); ``files``: the JSON list of
        the files sent with its text, with their tags (their bytes in ``chat_files`` too)."""
        self._run(
            "INSERT INTO chat_messages (id, conversation, sender, text, at, slip, reply_to,"
            " quote, attachment, notice, files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message_id, conversation, sender, text, at, slip, reply_to, quote, attachment,
                notice, files,
            ),
        )  # fmt: skip

    def add_chat_file(
        self, file_id: str, conversation: str, name: str, content_type: str, data: bytes
    ) -> None:
        self._run(
            "INSERT INTO chat_files (id, conversation, name, content_type, data)"
            " VALUES (?, ?, ?, ?, ?)",
            (file_id, conversation, name, content_type, data),
        )

    def delete_chat_file(self, file_id: str) -> None:
        self._run("DELETE FROM chat_files WHERE id = ?", (file_id,))

    def chat_message(self, message_id: str) -> tuple[Any, ...] | None:
        """One stored message (``CHAT_COLUMNS``), or None."""
        rows = self._run(
            f"SELECT {self.CHAT_COLUMNS} FROM chat_messages WHERE id = ?", (message_id,)
        )
        return tuple(rows[0]) if rows else None

    def chat_messages(self, conversation: str, limit: int) -> list[tuple[Any, ...]]:
        """Oldest first, the last ``limit`` (``CHAT_COLUMNS``)."""
        rows = self._run(
            f"SELECT {self.CHAT_COLUMNS} FROM (SELECT seq, {self.CHAT_COLUMNS}"
            " FROM chat_messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?) AS last"
            " ORDER BY seq",
            (conversation, limit),
        )
        return [tuple(row) for row in rows]

    def add_chat_group(self, group_id: str, name: str, members: list[str], created_by: str) -> None:
        self._run(
            "INSERT INTO chat_groups (id, name, members, created_by) VALUES (?, ?, ?, ?)",
            (group_id, name, compact_json(members), created_by),
        )

    def update_chat_group(self, group_id: str, name: str, members: list[str], admin: str) -> None:
        self._run(
            "UPDATE chat_groups SET name = ?, members = ?, created_by = ? WHERE id = ?",
            (name, compact_json(members), admin, group_id),
        )

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

    def sms_messages(
        self, username: str, limit: int, number: str | None = None
    ) -> list[tuple[Any, ...]]:
        """``username``'s last ``limit`` SMS (with ``number`` only, if given), oldest first."""
        where, args = ("username = ? AND number = ?", (username, number)) if number else (
            "username = ?", (username,)
        )  # fmt: skip
        rows = self._run(
            f"SELECT {self.SMS_COLUMNS} FROM (SELECT seq, {self.SMS_COLUMNS} FROM sms"
            f" WHERE {where} ORDER BY seq DESC LIMIT ?) AS last ORDER BY seq",
            (*args, limit),
        )
        return [tuple(row) for row in rows]

    # ---- assistance requests (TWS-4.4) ----------------------------------------------------

    def add_assist(self, request_id: str, state: str, body: str) -> None:
        """A new assistance request (``body``: its JSON wire form)."""
        self._run(
            "INSERT INTO assist_requests (id, state, body) VALUES (?, ?, ?)",
            (request_id, state, body),
        )

    def assist(self, request_id: str) -> str | None:
        """A request's JSON wire form, None when there is none of that id."""
        rows = self._run("SELECT body FROM assist_requests WHERE id = ?", (request_id,))
        return str(rows[0][0]) if rows else None

    def settle_assist(self, request_id: str, state: str, body: str) -> bool:
        """Take or cancel a request still open; False when it was not open any more (someone
        took or cancelled it first: one statement, so the first wins on every instance)."""
        return self._changed(
            "UPDATE assist_requests SET state = ?, body = ? WHERE id = ? AND state = 'open'",
            (state, body, request_id),
        )

    def assists(self, limit: int) -> list[str]:
        """The last ``limit`` requests' JSON wire forms, oldest first."""
        rows = self._run(
            "SELECT body FROM (SELECT seq, body FROM assist_requests ORDER BY seq DESC LIMIT ?)"
            " AS last ORDER BY seq",
            (limit,),
        )
        return [str(row[0]) for row in rows]

    def add_broadcast(self, broadcast_id: str, body: str) -> None:
        """A broadcast sent (``body``: its JSON wire form)."""
        self._run("INSERT INTO broadcasts (id, body) VALUES (?, ?)", (broadcast_id, body))

    def broadcasts(self, limit: int) -> list[str]:
        """The last ``limit`` broadcasts' JSON wire forms, oldest first."""
        rows = self._run(
            "SELECT body FROM (SELECT seq, body FROM broadcasts ORDER BY seq DESC LIMIT ?)"
            " AS last ORDER BY seq",
            (limit,),
        )
        return [str(row[0]) for row in rows]

    # ---- features and voicemail -----------------------------------------------------------

    def save_features(self, device_id: str, body: dict[str, Any]) -> None:
        self._run(
            "INSERT INTO features (device_id, body) VALUES (?, ?)"
            " ON CONFLICT (device_id) DO UPDATE SET body = excluded.body",
            (device_id, compact_json(body)),
        )

    def features(self) -> dict[str, dict[str, Any]]:
        rows = self._run("SELECT device_id, body FROM features")
        return {str(device): json.loads(str(body)) for device, body in rows}

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
        return self._changed(
            "UPDATE voicemail SET heard = ? WHERE device_id = ? AND id = ?",
            (int(heard), device_id, message_id),
        )

    # ---- voicemail settings ---------------------------------------------------------------

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
        return [(int(q), str(n), float(d), bool(a)) for q, n, d, a in rows]

    # ---- comments shared on calls ---------------------------------------------------------

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
        return [(int(q), str(a), str(t), str(x), bool(e)) for q, a, t, x, e in rows]

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

    def delete_call_comment(self, seq: int) -> None:
        """Its row goes; the sequence never gives its seq again."""
        self._run("DELETE FROM call_comments WHERE seq = ?", (seq,))

    def comments_seen_by(
        self, username: str, limit: int, wanted: Sequence[str] = ()
    ) -> list[tuple[int, str, str, str, str, bool]]:
        """The newest ``limit`` comments on the calls ``username`` saw, oldest first:
        ``(seq, conversation, author, at, text, edited)``; with ``wanted`` (folded words),
        only those whose text has every one, case and accents ignored (History's search)."""
        sql = (
            "SELECT seq, conversation, author, at, text, edited FROM call_comments"
            " WHERE conversation IN"
            " (SELECT conversation FROM call_parties WHERE username = ?)"
            " ORDER BY seq DESC"
        )
        if wanted:
            found = self._run(sql, (username,))
            rows = [row for row in found if has_words(str(row[4]), wanted)][:limit]
        else:
            rows = self._run(sql + " LIMIT ?", (username, limit))
        rows.reverse()
        return [(int(str(q)), str(c), str(a), str(t), str(x), bool(e)) for q, c, a, t, x, e in rows]
