"""The local call journal: every call of the operator, with the comments typed about it.

Owns nothing itself; it re-exports the two parts. :mod:`tws_tui.journal.store` keeps the SQLite
file in the data directory (schema, migrations, the ``History`` protocol for backends that have
no server history); :mod:`tws_tui.journal.recorder` turns the event stream into journal lines.
Textual-free, like the core.
"""

from tws_tui.journal.recorder import JournalRecorder, journal_id
from tws_tui.journal.store import (
    COMMENT_MAX_CHARS,
    SCHEMA_VERSION,
    CallJournal,
    JournalUnavailable,
    default_path,
)

__all__ = [
    "COMMENT_MAX_CHARS",
    "SCHEMA_VERSION",
    "CallJournal",
    "JournalRecorder",
    "JournalUnavailable",
    "default_path",
    "journal_id",
]
