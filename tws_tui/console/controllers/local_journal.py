"""``LocalJournal``: the call journal in the user's data directory (SQLite) as the console
uses it — every call recorded as it ends, the comments typed during a call (shared through
the phone system with the colleagues who see the call when it shares them, TWS-3.13), the phone
system's history merged in at each connection (the calls made while the console was not
running), and, when the phone system keeps no history, the journal's recent calls as the
history; the chat messages
when the backend keeps none across sessions (sim, sip), loaded back at the next start; and
what History asks of it: every call as compact lines (searched by their comments too: a copy
of the phone system's shared ones is kept, ``journal.comments``), one call's detail and
comments, a comment added, edited or deleted after the call, calls deleted, the statistics of
a period; and the last comments on a contact's calls (the contact card).

The SQLite work runs in the journal's own thread (``JOURNAL_WORK``), never on the console's
loop; the recorder's in-memory tracking is only touched from that thread too, so events are
recorded in the order they came.

An unusable journal file is reported once and then left alone: the console carries on
without a journal (``journal`` is None from then on).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from tws_tui.console.api import ConsoleApi
from tws_tui.core.errors import CallControlError, InvalidValue
from tws_tui.core.events import (
    CallEvent,
    ChatEvent,
    CommentEvent,
    Event,
    HistoryEvent,
    SnapshotEvent,
    TransferEvent,
)
from tws_tui.core.model import Call, CallComment, ChatFeature, ChatMessage, HistoryEntry
from tws_tui.core.protocols import CallComments, FileSender, HistoryClearing
from tws_tui.core.state import RECENT_CHAT, RECENT_HISTORY
from tws_tui.core.topics import Topic
from tws_tui.domain.comments import check_comment
from tws_tui.domain.format import error_text
from tws_tui.journal import CallJournal, JournalRecorder, JournalUnavailable
from tws_tui.journal.chat_search import chat_around, search_chat
from tws_tui.journal.comments import (
    CommentedCall,
    comment_texts,
    commented_calls,
    keep_new_shared,
    keep_shared,
)
from tws_tui.journal.listing import Listing, haystacks
from tws_tui.journal.private_notes import PrivateNote, add_note, delete_note, notes_on
from tws_tui.journal.statistics import Figures, StatsQuery, compute
from tws_tui.journal.store import JOURNAL_WORK, Row
from tws_tui.platform.i18n import _, labelled

log = logging.getLogger(__name__)

#: The events the recorder follows; the others never reach the journal's thread.
RECORDED = (CallEvent, TransferEvent, SnapshotEvent)

T = TypeVar("T")
#: The shared comments History's search asks the phone system for, at most, per text typed.
SHARED_FOUND = 200


class LocalJournal:
    def __init__(self, api: ConsoleApi, journal: CallJournal | None) -> None:
        self.api = api
        self.journal: CallJournal | None = journal
        self.recorder: JournalRecorder | None = (
            JournalRecorder(journal, api.clock) if journal is not None else None
        )
        #: Counts the journal's changes made here (calls recorded, deleted, comments): History
        #: reads the journal again only when it moved since its last read.
        self.revision = 0

    async def record(self, event: Event) -> list[HistoryEntry]:
        """Journal what ``event`` completes; an unusable journal is reported once, then dropped."""
        recorder = self.recorder
        if recorder is None or not isinstance(event, RECORDED):
            return []
        try:
            written = await JOURNAL_WORK.run(lambda: recorder.observe_all(event))
        except JournalUnavailable as error:
            self._drop(error)
            return []
        if written:
            self.revision += 1
        return written

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

    async def merge_backend_history(self) -> None:
        """The phone system's recent calls that the journal lacks (this console was not
        running, e.g. calls missed overnight) added to it, so History shows them too."""
        backend, journal = self.api.backend, self.journal
        history = backend.history if backend is not None else None
        if history is None or journal is None:
            return
        try:
            entries = await history.recent(limit=RECENT_HISTORY)
        except CallControlError as error:  # History still lists what the journal has
            log.warning("the phone system's history was not merged: %s", error)
            return
        try:
            added = await JOURNAL_WORK.run(lambda: journal.record_missing(entries))
        except JournalUnavailable as error:
            self._drop(error)
            return
        if added:
            self.revision += 1

    # ---- chat, when the backend keeps none across sessions (sim, sip) --------------------

    def _chat_account(self) -> str | None:
        """Whose chat the journal keeps now: the signed-in user's, if the backend forgets."""
        backend, me = self.api.backend, self.api.state.me
        chat = backend.chat if backend is not None else None
        if chat is None or chat.kept or me is None:
            return None
        return str(me.user_id)

    def search_account(self) -> str | None:
        """Under which account the journal keeps my messages for searching: the journal's
        own when the backend forgets them, else a copy apart (``kept:`` and my id: never read
        back as history, the phone system's is)."""
        backend, me = self.api.backend, self.api.state.me
        chat = backend.chat if backend is not None else None
        if chat is None or me is None:
            return None
        return f"kept:{me.user_id}" if chat.kept else str(me.user_id)

    async def record_chat(self, event: Event) -> None:
        """Keep a chat message sent or received (the journal's history when the backend
        keeps none, else a copy for searching)."""
        account = self.search_account()
        if not isinstance(event, ChatEvent) or account is None or self.journal is None:
            return
        journal, message = self.journal, event.message
        try:
            await JOURNAL_WORK.run(lambda: journal.record_chat(account, message))
        except JournalUnavailable as error:
            self._drop(error)
            return
        if message.attachment is not None and not message.deleted:
            await self._keep_file(message.attachment.id)
        for file in message.files if not message.deleted else ():
            await self._keep_file(file.id)

    async def _keep_file(self, file_id: str) -> None:
        """The bytes of a file of a backend that forgets them when it stops (sim), kept in
        the journal so that Alt+Z saves it after a restart too."""
        backend, account, journal = self.api.backend, self._chat_account(), self.journal
        chat = backend.chat if backend is not None else None
        if chat is None or account is None or journal is None:
            return
        if ChatFeature.ATTACHMENTS not in chat.features or not isinstance(chat, FileSender):
            return
        try:
            data = await chat.file(file_id)
            await JOURNAL_WORK.run(lambda: journal.keep_chat_file(account, file_id, data))
        except CallControlError as error:
            log.info("file %s not kept: %s", file_id, error)
        except JournalUnavailable as error:
            self._drop(error)

    async def kept_file(self, file_id: str) -> bytes | None:
        """The bytes of a file the journal kept (``_keep_file``), or None."""
        account, journal = self._chat_account(), self.journal
        if account is None or journal is None:
            return None
        try:
            return await JOURNAL_WORK.run(lambda: journal.chat_file(account, file_id))
        except JournalUnavailable as error:
            self._drop(error)
            return None

    async def load_chat(self) -> bool:
        """The chat messages kept from earlier sessions into the state (as read): the phone
        system's when it keeps them (cti), else the journal's; whether any."""
        backend = self.api.backend
        chat = backend.chat if backend is not None else None
        if chat is not None and chat.kept:
            try:
                recent = await chat.recent(limit=RECENT_CHAT)
            except CallControlError as error:  # e.g. a server without the listing: carry on
                log.warning("earlier chat messages not loaded: %s", error)
                return False
            await self._keep_for_search(recent)
            return bool(self.api.state.remember_chat(recent))
        account = self._chat_account()
        journal = self.journal
        if account is None or journal is None:
            return False
        try:
            kept = await JOURNAL_WORK.run(lambda: journal.chat_messages(account, limit=RECENT_CHAT))
        except JournalUnavailable as error:
            self._drop(error)
            return False
        return bool(self.api.state.remember_chat(kept))

    # ---- chat search (TWS-4.3.9) ------------------------------------------------------------

    async def _keep_for_search(self, messages: list[ChatMessage]) -> None:
        """The phone system's messages of earlier sessions, copied for searching."""
        account, journal = self.search_account(), self.journal
        if account is None or journal is None or not messages:
            return
        try:
            await JOURNAL_WORK.run(lambda: journal.record_chats(account, messages))
        except JournalUnavailable as error:
            self._drop(error)

    async def search_chat(self, typed: str) -> list[ChatMessage] | None:
        """My messages holding ``typed`` (case and accents aside), newest first; None when
        the journal failed (already said)."""
        account, journal = self.search_account(), self.journal
        if account is None or journal is None:
            return None
        try:
            return await JOURNAL_WORK.run(lambda: search_chat(journal, account, typed))
        except JournalUnavailable as error:
            self._drop(error)
            return None

    async def chat_around(self, message: ChatMessage) -> list[ChatMessage]:
        """``message``'s conversation around it, oldest first (just it, if the journal
        fails)."""
        account, journal = self.search_account(), self.journal
        if account is None or journal is None:
            return [message]
        try:
            return await JOURNAL_WORK.run(lambda: chat_around(journal, account, message))
        except JournalUnavailable as error:
            self._drop(error)
            return [message]

    def comment_on(self, call: Call, text: str) -> None:
        """Store a comment typed during ``call``: shared with the colleagues who see the call
        where the phone system shares comments (TWS-3.13), else with its journal entry, in the
        journal's thread; says when it is saved, or why not."""
        recorder = self.recorder
        backend = self.api.backend
        shared = backend.call_comments if backend is not None else None
        if shared is not None and call.conversation_id:

            async def share() -> None:
                await self._share(shared, call, text)

            self.api.run_background(share, group="journal-comment")
            return
        if recorder is None:
            self.api.notify(_("No call journal: the comment was not saved."), severity="warning")
            return

        async def keep() -> None:
            assert recorder is not None
            await self._keep(recorder, call, text)

        self.api.run_background(keep, group="journal-comment")

    async def _share(self, shared: CallComments, call: Call, text: str) -> None:
        """The comment on the phone system; if it refuses, kept in the journal (said)."""
        assert call.conversation_id is not None
        try:
            await shared.add(call.conversation_id, text)
        except CallControlError as error:
            recorder = self.recorder
            if recorder is None:
                self.api.notify(error_text(error), severity="warning", markup=False)
                return
            self.api.notify(
                labelled(_("Not shared, kept on this console"), error_text(error)),
                severity="warning",
                markup=False,
            )
            await self._keep(recorder, call, text)
            return
        self.api.notify(_("Comment saved and shared with the colleagues who saw this call."))

    async def _keep(self, recorder: JournalRecorder, call: Call, text: str) -> None:
        """The comment with the call's journal entry (this console only)."""
        try:
            await JOURNAL_WORK.run(lambda: recorder.comment(call, text))
        except ValueError as error:
            self.api.notify(str(error), severity="warning", markup=False)
            return
        except JournalUnavailable as error:
            self._drop(error)
            return
        self.api.notify(_("Comment saved."))

    def mark_history_seen(self) -> None:
        """The missed calls have been seen: here, in the journal and in the backend's history."""
        state = self.api.state
        journal = self.journal
        if journal is not None:
            self.api.run_background(journal.mark_seen, group="journal-seen")
        if not state.missed_calls:
            return
        state.mark_history_seen()
        self.api.topics_changed({Topic.HISTORY})
        backend = self.api.backend
        history = backend.history if backend is not None else None
        if history is not None:
            self.api.run_command(lambda _backend: history.mark_seen())

    # ---- what History asks (each in the journal's thread; None when it failed, said) ----

    async def _work(self, work: Callable[[CallJournal], T]) -> T | None:
        journal = self.journal
        if journal is None:
            return None
        try:
            return await JOURNAL_WORK.run(lambda: work(journal))
        except JournalUnavailable as error:
            self._drop(error)
            return None

    async def changes(self) -> tuple[int, int] | None:
        """What moves when the journal changes: here (:attr:`revision`) or in another console."""
        revision = self.revision
        version = await self._work(lambda journal: journal.data_version())
        return None if version is None else (revision, version)

    async def lines(self, limit: int | None = None) -> list[Row] | None:
        """The calls of the journal (the ``limit`` newest when given), newest first."""
        return await self._work(lambda journal: journal.lines(limit))

    async def listing(
        self, lines: list[Row], companies: Mapping[str, str], country: str
    ) -> Listing:
        """``lines`` listed with their search texts, made in the journal's thread."""

        def make() -> Listing:
            notes = comment_texts(self.journal) if self.journal is not None else {}
            return Listing(lines, haystacks(lines, companies, country, notes), country=country)

        return await JOURNAL_WORK.run(make)

    async def detail(
        self, call_id: str
    ) -> tuple[HistoryEntry, list[tuple[int, datetime, str]]] | None:
        """One call and its comments (with their ids); None when it is gone."""

        def read(
            journal: CallJournal,
        ) -> tuple[HistoryEntry, list[tuple[int, datetime, str]]] | None:
            entry = journal.entry(call_id)
            return None if entry is None else (entry, journal.comment_rows(call_id))

        return await self._work(read)

    async def save_comment(self, call_id: str, comment_id: int | None, text: str) -> bool:
        """Add a comment to ``call_id`` (``comment_id`` None) or replace comment
        ``comment_id``'s text; says why not when it cannot."""
        now = self.api.clock.now()
        try:
            check_comment(text)
        except InvalidValue as error:
            self.api.notify(error.translated(_), severity="warning")
            return False

        def save(journal: CallJournal) -> bool:
            if comment_id is None:
                journal.add_comment(call_id, text, now)
                return True
            return journal.edit_comment(comment_id, text)

        self.revision += 1
        try:
            saved = await self._work(save)
        except ValueError as error:
            self.api.notify(str(error), severity="warning", markup=False)
            return False
        if saved is False:
            self.api.notify(_("The comment was deleted meanwhile."), severity="warning")
        return bool(saved)

    async def delete_comment(self, comment_id: int) -> bool:
        """Delete this console's comment ``comment_id``; says so when it was gone already."""
        self.revision += 1
        deleted = await self._work(lambda journal: journal.delete_comment(comment_id))
        if deleted is False:
            self.api.notify(_("The comment was deleted meanwhile."), severity="warning")
        return bool(deleted)

    async def commented_calls(self) -> list[CommentedCall] | None:
        """The newest comments on the journal's calls (this console's and the shared copy),
        newest first, with each call's number and name."""
        return await self._work(commented_calls)

    # ---- the shared comments' copy (History's search, the contact card) -------------------

    async def record_comment(self, event: Event) -> bool:
        """Keep a shared comment added, changed or deleted (``CommentEvent``); whether the
        journal changed."""
        if not isinstance(event, CommentEvent) or self.journal is None:
            return False
        journal, comment = self.journal, event.comment
        try:
            await JOURNAL_WORK.run(lambda: keep_shared(journal, [comment]))
        except JournalUnavailable as error:
            self._drop(error)
            return False
        self.revision += 1
        return True

    async def load_shared_comments(self) -> bool:
        """The phone system's newest comments on my calls, copied at each connection;
        whether any were."""
        return await self._copy_shared(lambda shared: shared.recent(), keep_shared)

    async def find_shared_comments(self, text: str) -> bool:
        """The phone system's comments whose text has the words of ``text`` (History's search:
        those older than the copy made at connection too), copied; whether any was new."""
        return await self._copy_shared(
            lambda shared: shared.recent(limit=SHARED_FOUND, text=text), keep_new_shared
        )

    async def _copy_shared(
        self,
        fetch: Callable[[CallComments], Awaitable[list[CallComment]]],
        keep: Callable[[CallJournal, Sequence[CallComment]], int],
    ) -> bool:
        """The phone system's comments ``fetch`` asks for, kept in the journal by ``keep``;
        whether any was. A failure leaves History searching the copy it has."""
        backend, journal = self.api.backend, self.journal
        shared = backend.call_comments if backend is not None else None
        if shared is None or journal is None:
            return False
        try:
            comments = await fetch(shared)
        except CallControlError as error:
            log.warning("the shared comments were not read: %s", error)
            return False
        try:
            if not await JOURNAL_WORK.run(lambda: keep(journal, comments)):
                return False
        except JournalUnavailable as error:
            self._drop(error)
            return False
        self.revision += 1
        return True

    async def statistics(self, query: StatsQuery) -> Figures | None:
        """The statistics of ``query`` (SQL aggregates on the journal, in its thread)."""
        return await self._work(lambda journal: compute(journal, query))

    async def delete(self, call_ids: list[str]) -> int | None:
        """Delete the calls ``call_ids`` and their comments; how many were deleted."""
        self.revision += 1
        return await self._work(lambda journal: journal.delete(call_ids))

    async def delete_all(self) -> int | None:
        """Every call of the journal and its comments deleted (the phone system's older calls
        not merged again), the history and the count of missed calls emptied, here and in the
        backend's history; how many calls were deleted (None: the journal unavailable)."""
        self.revision += 1
        now = self.api.clock.now()
        deleted = await self._work(lambda journal: journal.delete_all(now))
        if deleted is None:
            return None
        self.api.topics_changed(self.api.state.forget_history())
        backend = self.api.backend
        history = backend.history if backend is not None else None
        if isinstance(history, HistoryClearing):  # the phone system's copy too
            self.api.run_command(lambda _backend: history.clear())
        elif history is not None:
            self.api.run_command(lambda _backend: history.mark_seen())
        return deleted

    # ---- "only me" notes on a contact (TWP-4.1.4-1, journal.private_notes) ----------------

    def _note_account(self) -> str:
        """Whose notes: the signed-in user's ("" before the first connection)."""
        me = self.api.state.me
        return str(me.user_id) if me is not None else ""

    async def private_notes(self, about: str) -> list[PrivateNote] | None:
        """My notes on ``about`` (``private_notes.about_contact``), newest first."""
        account = self._note_account()
        return await self._work(lambda journal: notes_on(journal, account, about))

    async def add_private_note(self, about: str, text: str) -> bool:
        """Keep my note ``text`` on ``about``; False when the journal cannot keep it."""
        account, now = self._note_account(), self.api.clock.now()
        added = await self._work(lambda journal: add_note(journal, account, about, text, now))
        return added is not None

    async def delete_private_note(self, note_id: int) -> bool:
        """Delete my note ``note_id``; False when it is not there or the journal failed."""
        account = self._note_account()
        return bool(await self._work(lambda journal: delete_note(journal, account, note_id)))
