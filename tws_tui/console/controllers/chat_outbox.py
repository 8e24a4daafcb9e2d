"""Chat messages that wait for the link (issue 15): never silently lost.

``send`` hands a message to the backend's chat when the link is up; while it is down (the
state's link is not ONLINE), or when the send fails for the link (the phone system cannot be
reached, no answer in time), the message is kept in the journal's outbox
(``journal.chat_outbox``, SQLite: a console restart keeps it) and shown in its conversation as
waiting. When the link comes back (``LinkEvent`` ONLINE, and at each connection) the waiting
messages go, oldest first; one the phone system refuses is marked failed with the reason
(shown in the thread, and said once), and stays until ``retry`` (Ctrl+T on the Chat screen)
sends it again. A refusal while the link is up is not queued: it comes back to the caller,
which keeps the text in the input and shows why — except a message sent that did not reach
its recipient (``NotDelivered``: SIP 404/480), kept at once marked failed with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import replace

from tws_tui.console.api import ConsoleApi
from tws_tui.core.errors import (
    BackendTimeout,
    BackendUnavailable,
    CallControlError,
    NotDelivered,
)
from tws_tui.core.events import Event, LinkEvent, LinkStatus
from tws_tui.core.model import ChatMessage, UserId
from tws_tui.core.protocols import CallControl
from tws_tui.core.topics import Topic
from tws_tui.domain.format import describe_error
from tws_tui.domain.text import quote_of
from tws_tui.journal.chat_outbox import (
    PendingMessage,
    add_pending,
    pending_messages,
    remove_pending,
    set_failure,
)
from tws_tui.journal.store import JOURNAL_WORK, CallJournal, JournalUnavailable
from tws_tui.platform.i18n import _

log = logging.getLogger(__name__)

#: How long a send may take before the message is kept to go later (under the command's).
SEND_TIMEOUT_S = 8.0
#: Failures that are the link's, not the message's: the message waits.
LINK_FAILURES = (BackendUnavailable, BackendTimeout, TimeoutError, OSError)


class ChatOutbox:
    """My messages not sent yet (``pending``), kept in the journal, and when they go."""

    def __init__(
        self,
        api: ConsoleApi,
        journal: Callable[[], CallJournal | None],
        account: Callable[[], str | None],
    ) -> None:
        self.api = api
        self._journal = journal  # the local journal's file, None when it failed
        self._account = account  # whose outbox: the local journal's chat account
        self.pending: list[PendingMessage] = []
        self._loaded_for: str | None = None
        self._flushing = asyncio.Lock()
        self._runs = 0

    def waiting_for(self, peer: UserId) -> list[PendingMessage]:
        """The conversation's messages not sent yet, oldest first."""
        return [m for m in self.pending if m.peer == peer]

    # ---- sending ----------------------------------------------------------------------------

    async def send(
        self, backend: CallControl, peer: UserId, text: str, reply_to: ChatMessage | None = None
    ) -> None:
        """Send now, or keep it to go when the link is back; a refusal raises (the caller
        keeps the text and shows why)."""
        chat = backend.chat
        if chat is None:
            raise BackendUnavailable()
        failure: str | None = None
        if self.api.state.link is LinkStatus.ONLINE:
            try:
                await asyncio.wait_for(chat.send(peer, text, reply_to=reply_to), SEND_TIMEOUT_S)
                return
            except LINK_FAILURES as error:
                log.info("chat message kept to send later: %s", error)
            except NotDelivered as error:  # sent, not received: marked failed (Ctrl+T again)
                failure = error.translated(_)
        message = PendingMessage(
            f"local-{uuid.uuid4().hex}",
            peer,
            text,
            self.api.clock.now(),
            reply_to.id if reply_to is not None else None,
            quote_of(reply_to.text) if reply_to is not None else "",
            failure,
        )
        if failure is not None:
            self.api.notify(
                _("Message not delivered: {reason}").format(reason=failure),
                severity="error",
                markup=False,
            )
        await self._keep(message)

    async def _keep(self, message: PendingMessage) -> None:
        self.pending.append(message)
        self.api.topics_changed({Topic.CHAT})
        journal, account = self._journal(), self._account()
        if journal is None or account is None:
            return  # kept in memory only: the journal's failure was said
        try:
            await JOURNAL_WORK.run(lambda: add_pending(journal, account, message))
        except JournalUnavailable as error:
            log.warning("chat outbox not kept on disk: %s", error)

    # ---- when they go -----------------------------------------------------------------------

    def observe(self, event: Event) -> None:
        """The event pump's observer: the link back online sends what waits."""
        if isinstance(event, LinkEvent) and event.status is LinkStatus.ONLINE:
            self._in_background(self.flush)

    def connected(self) -> None:
        """Connected (at start, or again): the outbox read once, then what waits goes."""
        self._in_background(self._load_and_flush)

    def _in_background(self, work: Callable[[], Coroutine[None, None, None]]) -> None:
        """Each in a worker of its own (one replacing another could cut a send in the middle
        and send it twice); ``_flushing`` keeps them one after the other."""
        self._runs += 1
        self.api.run_background(work, group=f"chat-outbox-{self._runs}")

    async def _load_and_flush(self) -> None:
        account, journal = self._account(), self._journal()
        if account is not None and journal is not None and self._loaded_for != account:
            try:
                kept = await JOURNAL_WORK.run(lambda: pending_messages(journal, account))
            except JournalUnavailable as error:
                log.warning("chat outbox not read: %s", error)
                kept = []
            self._loaded_for = account
            known = {m.local_id for m in kept}
            self.pending = [*kept, *(m for m in self.pending if m.local_id not in known)]
            self.pending.sort(key=lambda m: m.at)
            self.api.topics_changed({Topic.CHAT})
        await self.flush()

    async def flush(self) -> None:
        """Send the waiting messages, oldest first; stop at the first link failure."""
        async with self._flushing:
            for message in [m for m in self.pending if m.failure is None]:
                backend = self.api.backend
                if backend is None or backend.chat is None:
                    return
                if self.api.state.link is not LinkStatus.ONLINE:
                    return
                reply = None
                if message.reply_to is not None:
                    reply = ChatMessage(
                        message.reply_to, message.peer, message.peer, message.quote, message.at
                    )
                try:
                    await asyncio.wait_for(
                        backend.chat.send(message.peer, message.text, reply_to=reply),
                        SEND_TIMEOUT_S,
                    )
                except LINK_FAILURES:
                    return  # still down: they wait for the next time it is up
                except CallControlError as error:
                    await self._failed(message, describe_error(error))
                    continue
                await self._sent(message)

    async def _sent(self, message: PendingMessage) -> None:
        self.pending = [m for m in self.pending if m.local_id != message.local_id]
        self.api.topics_changed({Topic.CHAT})
        journal = self._journal()
        if journal is not None:
            try:
                await JOURNAL_WORK.run(lambda: remove_pending(journal, message.local_id))
            except JournalUnavailable as error:
                log.warning("chat outbox not updated: %s", error)

    async def _failed(self, message: PendingMessage, reason: str) -> None:
        self.pending = [
            m if m.local_id != message.local_id else replace(m, failure=reason)
            for m in self.pending
        ]
        self.api.topics_changed({Topic.CHAT})
        self.api.notify(
            _("A message waiting to go was refused: {reason}").format(reason=reason),
            severity="error",
            markup=False,
        )
        journal = self._journal()
        if journal is not None:
            try:
                await JOURNAL_WORK.run(lambda: set_failure(journal, [message.local_id], reason))
            except JournalUnavailable as error:
                log.warning("chat outbox not updated: %s", error)

    def retry(self, peer: UserId) -> int:
        """The conversation's failed messages waiting again, and sent if the link is up; how
        many."""
        failed = [m.local_id for m in self.pending if m.peer == peer and m.failure is not None]
        if not failed:
            return 0
        self.pending = [
            replace(m, failure=None) if m.local_id in failed else m for m in self.pending
        ]
        self.api.topics_changed({Topic.CHAT})

        async def again() -> None:
            journal = self._journal()
            if journal is not None:
                try:
                    await JOURNAL_WORK.run(lambda: set_failure(journal, failed, None))
                except JournalUnavailable as error:
                    log.warning("chat outbox not updated: %s", error)
            await self.flush()

        self._in_background(again)
        return len(failed)
