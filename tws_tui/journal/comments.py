"""The comments on the journal's calls as History searches them and the contact card shows
them: this console's own (table ``comments``) and a copy of those the phone system shares
(TWS-3.13, table ``shared_comments``, the journal's ninth migration) — kept from the phone
system's list at each connection and from each ``CommentEvent`` (a deleted one is dropped).

* :func:`keep_shared` writes that copy, :func:`keep_new_shared` what History's search found on
  the phone system beyond it; :func:`comment_texts` gives each call's comments as
  one text (History's search adds it to the call's search text, ``journal.listing``);
* :func:`commented_calls` lists the newest comments with the number and name of their call
  (the contact card keeps those of the contact's numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tws_tui.core.model import CallComment
from tws_tui.core.values import value_class
from tws_tui.journal.store import CallJournal


@value_class
class CommentedCall:
    """One comment and the call it is on, as the contact card shows it."""

    call_id: str
    number: str
    name: str
    at: datetime
    text: str
    author: str = ""  # who wrote it, for a shared one ("": this console's)


def _time(comment: CallComment) -> str:
    return comment.at.astimezone(UTC).isoformat(timespec="microseconds")


def keep_shared(journal: CallJournal, comments: Sequence[CallComment]) -> int:
    """Keep (or drop, when ``deleted``) the phone system's ``comments``; how many."""
    kept = [c for c in comments if not c.deleted]
    gone = [(c.id,) for c in comments if c.deleted]
    with journal.transaction() as db:
        db.executemany(
            "INSERT INTO shared_comments (id, call_id, author_name, at, text)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET text = excluded.text",
            [(c.id, c.conversation_id, c.author_name, _time(c), c.text) for c in kept],
        )
        db.executemany("DELETE FROM shared_comments WHERE id = ?", gone)
    return len(comments)


def keep_new_shared(journal: CallJournal, comments: Sequence[CallComment]) -> int:
    """Keep those of ``comments`` the copy does not have as they are (History's search found
    them on the phone system); how many. Deleted ones are left to ``comment.updated``."""
    found = [c for c in comments if not c.deleted]
    if not found:
        return 0
    marks = ", ".join("?" * len(found))
    rows = journal.read(
        f"SELECT id, text FROM shared_comments WHERE id IN ({marks})", [c.id for c in found]
    )
    kept = {(str(comment_id), str(text)) for comment_id, text in rows}
    new = [c for c in found if (c.id, c.text) not in kept]
    return keep_shared(journal, new) if new else 0


def comment_texts(journal: CallJournal) -> dict[str, str]:
    """Each commented call's comments (its own and the shared copy) as one text, by call id."""
    rows = journal.read(
        "SELECT call_id, group_concat(text, ' ') FROM"
        " (SELECT call_id, text FROM comments UNION ALL"
        " SELECT call_id, text FROM shared_comments) GROUP BY call_id"
    )
    return {str(call_id): str(text) for call_id, text in rows}


def commented_calls(journal: CallJournal, limit: int = 2000) -> list[CommentedCall]:
    """The newest ``limit`` comments on calls still in the journal, newest first."""
    rows = journal.read(
        "SELECT c.call_id, calls.remote_number, calls.remote_name, c.at, c.text, c.author"
        " FROM (SELECT call_id, at, text, '' AS author FROM comments UNION ALL"
        " SELECT call_id, at, text, author_name FROM shared_comments) AS c"
        " JOIN calls ON calls.id = c.call_id ORDER BY c.at DESC LIMIT ?",
        (max(0, limit),),
    )
    return [
        CommentedCall(
            str(call_id),
            str(number or ""),
            str(name or ""),
            _parse(str(at)),
            str(text),
            str(author or ""),
        )
        for call_id, number, name, at, text, author in rows
    ]


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
