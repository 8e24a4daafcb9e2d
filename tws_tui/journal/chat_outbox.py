"""The chat outbox (issue 15): messages typed while the link to the phone system was down,
kept in the journal's SQLite file (its sixth migration) until they go, so a console restart
loses none. Each is waiting, or failed with the reason in words (the phone system refused it:
it stays until sent again or the conversation's retry key). The console's ``ChatOutbox``
controller decides when they go; this module only keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tws_tui.core.model import UserId
from tws_tui.core.values import value_class
from tws_tui.journal.store import CallJournal


@value_class
class PendingMessage:
    """A message of mine not sent yet: waiting for the link, or ``failure`` (why not)."""

    local_id: str
    peer: UserId
    text: str
    at: datetime  # when it was typed
    reply_to: str | None = None
    quote: str = ""
    failure: str | None = None


def add_pending(journal: CallJournal, account: str, message: PendingMessage) -> None:
    with journal.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO chat_outbox (local_id, account, peer, text, at, reply_to,"
            " quote, failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message.local_id,
                account,
                message.peer,
                message.text,
                message.at.isoformat(),
                message.reply_to,
                message.quote,
                message.failure,
            ),
        )


def set_failure(journal: CallJournal, local_ids: Sequence[str], failure: str | None) -> None:
    """Mark messages failed (``failure``, the reason) or waiting again (None)."""
    with journal.transaction() as db:
        db.executemany(
            "UPDATE chat_outbox SET failure = ? WHERE local_id = ?",
            [(failure, local_id) for local_id in local_ids],
        )


def remove_pending(journal: CallJournal, local_id: str) -> None:
    with journal.transaction() as db:
        db.execute("DELETE FROM chat_outbox WHERE local_id = ?", (local_id,))


def pending_messages(journal: CallJournal, account: str) -> list[PendingMessage]:
    """``account``'s messages not sent yet, oldest first."""
    rows = journal.read(
        "SELECT local_id, peer, text, at, reply_to, quote, failure FROM chat_outbox"
        " WHERE account = ? ORDER BY at, rowid",
        (account,),
    )
    return [
        PendingMessage(
            str(local_id),
            UserId(str(peer)),
            str(text),
            datetime.fromisoformat(str(at)),
            str(reply_to) if reply_to else None,
            str(quote),
            str(failure) if failure is not None else None,
        )
        for local_id, peer, text, at, reply_to, quote, failure in rows
    ]
