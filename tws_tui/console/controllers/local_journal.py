"""``LocalJournal``: the call journal in the user's data directory (SQLite) as the console
uses it — every call recorded as it ends, the comments typed during a call, and, when the
phone system keeps no history, the journal's recent calls as the history.

An unusable journal file is reported once and then left alone: the console carries on
without a journal (``journal`` is None from then on).
"""

from __future__ import annotations

import logging

from tws_tui.console.api import ConsoleApi
from tws_tui.core.events import Event, HistoryEvent
from tws_tui.core.model import Call, HistoryEntry
from tws_tui.core.state import RECENT_HISTORY
from tws_tui.core.topics import Topic
from tws_tui.journal import CallJournal, JournalRecorder, JournalUnavailable
from tws_tui.platform.i18n import _

log = logging.getLogger(__name__)


class LocalJournal:
    def __init__(self, api: ConsoleApi, journal: CallJournal | None) -> None:
        self.api = api
        self.journal: CallJournal | None = journal
        self.recorder: JournalRecorder | None = (
            JournalRecorder(journal, api.clock) if journal is not None else None
        )

    def record(self, event: Event) -> list[HistoryEntry]:
        """Journal what ``event`` completes; an unusable journal is reported once, then dropped."""
        if self.recorder is None:
            return []
        try:
            return self.recorder.observe_all(event)
        except JournalUnavailable as error:
            self._drop(error)
            return []

    def _drop(self, error: JournalUnavailable) -> None:
        log.warning("%s", error)
        self.api.notify(str(error), severity="warning", timeout=15, markup=False)
        self.recorder = self.journal = None

    def load_history(self) -> None:
        """When the backend keeps no history, the journal's recent calls are the history."""
        backend = self.api.backend
        if backend is None or backend.history is not None or self.journal is None:
            return
        state = self.api.state
        try:
            for entry in reversed(self.journal.entries(limit=RECENT_HISTORY)):
                state.apply(HistoryEvent(at=entry.start, entry=entry))
            state.missed_calls = self.journal.missed_unseen()
        except JournalUnavailable as error:
            self._drop(error)

    def comment_on(self, call: Call, text: str) -> bool:
        """Store a comment typed during ``call`` with its journal entry; False if refused."""
        if self.recorder is None:
            self.api.notify(_("No call journal: the comment was not saved."), severity="warning")
            return False
        try:
            self.recorder.comment(call, text)
        except ValueError as error:
            self.api.notify(str(error), severity="warning", markup=False)
            return False
        except JournalUnavailable as error:
            self._drop(error)
            return False
        self.api.notify(_("Comment saved."))
        return True

    def mark_history_seen(self) -> None:
        """The missed calls have been seen: here and in the history that keeps them."""
        state = self.api.state
        if not state.missed_calls:
            return
        state.mark_history_seen()
        self.api.topics_changed({Topic.HISTORY})
        backend = self.api.backend
        history = backend.history if backend is not None else None
        source = history if history is not None else self.journal
        if source is not None:
            self.api.run_command(lambda _backend: source.mark_seen())
