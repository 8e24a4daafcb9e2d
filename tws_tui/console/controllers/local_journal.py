"""``LocalJournal``: the call journal in the user's data directory (SQLite) as the console
uses it — every call recorded as it ends, the comments typed during a call, and, when the
phone system keeps no history, the journal's recent calls as the history.

The SQLite work runs in the journal's own thread (``JOURNAL_WORK``), never on the console's
loop; the recorder's in-memory tracking is only touched from that thread too, so events are
recorded in the order they came.

An unusable journal file is reported once and then left alone: the console carries on
without a journal (``journal`` is None from then on).
"""

from __future__ import annotations

import logging

from tws_tui.console.api import ConsoleApi
from tws_tui.core.events import CallEvent, Event, HistoryEvent, SnapshotEvent, TransferEvent
from tws_tui.core.model import Call, HistoryEntry
from tws_tui.core.state import RECENT_HISTORY
from tws_tui.core.topics import Topic
from tws_tui.journal import CallJournal, JournalRecorder, JournalUnavailable
from tws_tui.journal.store import JOURNAL_WORK
from tws_tui.platform.i18n import _

log = logging.getLogger(__name__)

#: The events the recorder follows; the others never reach the journal's thread.
RECORDED = (CallEvent, TransferEvent, SnapshotEvent)


class LocalJournal:
    def __init__(self, api: ConsoleApi, journal: CallJournal | None) -> None:
        self.api = api
        self.journal: CallJournal | None = journal
        self.recorder: JournalRecorder | None = (
            JournalRecorder(journal, api.clock) if journal is not None else None
        )

    async def record(self, event: Event) -> list[HistoryEntry]:
        """Journal what ``event`` completes; an unusable journal is reported once, then dropped."""
        recorder = self.recorder
        if recorder is None or not isinstance(event, RECORDED):
            return []
        try:
            return await JOURNAL_WORK.run(lambda: recorder.observe_all(event))
        except JournalUnavailable as error:
            self._drop(error)
            return []

    def _drop(self, error: JournalUnavailable) -> None:
        log.warning("%s", error)
        self.api.notify(str(error), severity="warning", timeout=15, markup=False)
        self.recorder = self.journal = None

    async def load_history(self) -> None:
        """When the backend keeps no history, the journal's recent calls are the history."""
        backend = self.api.backend
        journal = self.journal
        if backend is None or backend.history is not None or journal is None:
            return

        def read() -> tuple[list[HistoryEntry], int]:
            return journal.entries(limit=RECENT_HISTORY), journal.missed_unseen()

        try:
            entries, missed = await JOURNAL_WORK.run(read)
        except JournalUnavailable as error:
            self._drop(error)
            return
        state = self.api.state
        for entry in reversed(entries):
            state.apply(HistoryEvent(at=entry.start, entry=entry))
        state.missed_calls = missed

    def comment_on(self, call: Call, text: str) -> None:
        """Store a comment typed during ``call`` with its journal entry, in the journal's
        thread; says when it is saved, or why not."""
        recorder = self.recorder
        if recorder is None:
            self.api.notify(_("No call journal: the comment was not saved."), severity="warning")
            return

        async def save() -> None:
            try:
                await JOURNAL_WORK.run(lambda: recorder.comment(call, text))
            except ValueError as error:
                self.api.notify(str(error), severity="warning", markup=False)
                return
            except JournalUnavailable as error:
                self._drop(error)
                return
            self.api.notify(_("Comment saved."))

        self.api.run_background(save, group="journal-comment")

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
