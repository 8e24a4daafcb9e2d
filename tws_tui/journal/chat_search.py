"""Search in the chat messages the journal keeps (TWS-4.3.9, issue 15): substring, case- and
accent-insensitive (both sides folded by ``domain.text.fold``), newest first, at most
:data:`RESULTS_MAX` (one more is asked, to say there are more).

The journal keeps each message's folded text in an FTS5 table with the trigram tokenizer
(the journal's fifth migration, kept by triggers): three characters or more are an index
query (a phrase of trigrams: a substring), one or two a scan of the folded texts of the
newest :data:`SHORT_SCAN` messages (the window says so). "Newest" is
the order the journal kept them (its rowid), which is the order they came. Also the messages
around one found, to open its conversation there.
"""

from __future__ import annotations

from tws_tui.core.model import ChatMessage, UserId
from tws_tui.domain.text import fold
from tws_tui.journal.store import CHAT_COLUMNS, CallJournal, chat_message_of

#: The results shown (TWS-4.3.9-4: the first 50, then "refine your search").
RESULTS_MAX = 50
#: Messages shown before and after the one found, when its conversation opens there.
AROUND = 100
#: Shorter queries than this scan the folded texts instead of asking the trigram index…
TRIGRAM = 3
#: … of the newest messages only (a scan of them all takes a third of a second at 100 000).
SHORT_SCAN = 5000

_COLUMNS = ", ".join(f"m.{column.strip()}" for column in CHAT_COLUMNS.split(","))


def search_chat(
    journal: CallJournal, account: str, typed: str, *, limit: int = RESULTS_MAX + 1
) -> list[ChatMessage]:
    """``account``'s messages (not deleted) whose text holds ``typed``, newest first."""
    wanted = fold(" ".join(typed.split()))
    if not wanted:
        return []
    if len(wanted) >= TRIGRAM:  # the index: a phrase of trigrams is a substring
        rows = journal.read(
            f"SELECT {_COLUMNS} FROM chat_search s JOIN chat_messages m ON m.rowid = s.rowid"
            " WHERE chat_search MATCH ? AND m.account = ? AND m.deleted = 0"
            " ORDER BY s.rowid DESC LIMIT ?",
            ('"' + wanted.replace('"', '""') + '"', account, max(0, limit)),
        )
        return [chat_message_of(row) for row in rows]
    # Too short for the index: the newest SHORT_SCAN messages scanned, newest first (NOT
    # INDEXED: the planner would read every message of the account by its index instead).
    escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    newest = journal.read("SELECT max(rowid) FROM chat_messages")[0][0]
    rows = journal.read(
        f"SELECT {_COLUMNS} FROM chat_messages m NOT INDEXED"
        " CROSS JOIN chat_search s ON s.rowid = m.rowid"
        " WHERE m.rowid > ? AND s.folded LIKE ? ESCAPE '\\' AND m.account = ?"
        " AND m.deleted = 0 ORDER BY m.rowid DESC LIMIT ?",
        (int(str(newest or 0)) - SHORT_SCAN, f"%{escaped}%", account, max(0, limit)),
    )
    return [chat_message_of(row) for row in rows]


def chat_around(
    journal: CallJournal, account: str, message: ChatMessage, *, around: int = AROUND
) -> list[ChatMessage]:
    """The conversation of ``message`` around it: up to ``around`` messages before it, it,
    and up to ``around`` after, oldest first."""
    peer: UserId = message.peer
    at = journal.read("SELECT at FROM chat_messages WHERE id = ?", (message.id,))
    if not at:
        return [message]
    before = journal.read(
        f"SELECT {CHAT_COLUMNS} FROM chat_messages WHERE account = ? AND peer = ? AND at <= ?"
        " ORDER BY at DESC, rowid DESC LIMIT ?",
        (account, peer, at[0][0], around + 1),
    )
    after = journal.read(
        f"SELECT {CHAT_COLUMNS} FROM chat_messages WHERE account = ? AND peer = ? AND at > ?"
        " ORDER BY at, rowid LIMIT ?",
        (account, peer, at[0][0], around),
    )
    return [chat_message_of(row) for row in [*reversed(before), *after]]
