"""``EventPump``: the one loop that connects the backend and turns its events into state.

It connects (or reconnects, with a growing delay), loads the snapshot into
:class:`~tws_tui.core.state.ConsoleState`, then applies every event — caller names looked up,
the local journal told, the incoming-call alerts, the sounds of chat messages and voicemail
(``event_sounds.py``), a message's notice (``chat_notices.py``) and the observers (the
desk's event streams) told — and hands the changed topics to the console
(``topics_changed``), which coalesces them into one refresh. A backend that refuses its
options goes back to the setup screen (``on_config_error``); a lost link is retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from tws_tui.backends import BackendConfigError
from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.assist import AssistNotices, load_assists
from tws_tui.console.controllers.chat_notices import ChatNotices
from tws_tui.console.controllers.event_sounds import EventSounds
from tws_tui.console.controllers.incoming import IncomingCalls
from tws_tui.console.controllers.local_journal import LocalJournal
from tws_tui.core.errors import CallControlError
from tws_tui.core.events import (
    Event,
    HistoryEvent,
    LinkEvent,
    LinkStatus,
    SnapshotEvent,
    VoicemailSettingsEvent,
)
from tws_tui.core.protocols import CallControl
from tws_tui.core.topics import ALL_TOPICS, Topic
from tws_tui.domain.format import error_text

log = logging.getLogger(__name__)

MAX_RECONNECT_DELAY_S = 30.0


class EventPump:
    def __init__(
        self,
        api: ConsoleApi,
        *,
        make_backend: Callable[[], CallControl],
        journal: LocalJournal,
        incoming: IncomingCalls,
        on_connected: Callable[[], None],
        on_config_error: Callable[[BackendConfigError], None],
        observers: Sequence[Callable[[Event], None]] = (),
    ) -> None:
        self.api = api
        self._make_backend = make_backend
        self._journal = journal
        self._incoming = incoming
        self._sounds = EventSounds(api)  # a chat message's, a new voicemail's (TWS-6.8-2)
        self.chat_notices = ChatNotices(api)  # a message received, in a toast (TWS-6.6-8)
        self._assist_notices = AssistNotices(api)  # broadcasts, help asked of me
        self._on_connected = on_connected
        self._on_config_error = on_config_error
        self._observers = tuple(observers)  # told every event applied (the desk's streams)

    def set_link(self, status: LinkStatus, detail: str = "") -> None:
        api = self.api
        api.topics_changed(
            api.state.apply(LinkEvent(at=api.clock.now(), status=status, detail=detail))
        )

    async def _load_voicemail_settings(self, backend: CallControl) -> None:
        """My voicemail's settings as the phone system keeps them (Preferences sums them up);
        later changes come as events."""
        prefs = backend.voicemail_prefs
        if prefs is None:
            return
        try:
            settings = await prefs.settings()
        except CallControlError as error:  # the page reads them again when opened
            log.warning("voicemail settings not read: %s", error)
            return
        self.api.state.apply(VoicemailSettingsEvent(at=self.api.clock.now(), settings=settings))

    async def run(self) -> None:
        api = self.api
        delay = 1.0
        while True:
            try:
                if api.backend is None:
                    api.backend = self._make_backend()
                backend = api.backend
                self.set_link(LinkStatus.CONNECTING)
                snapshot = await backend.connect()
                api.state.load(snapshot)
                await self._journal.record(SnapshotEvent(at=api.clock.now(), snapshot=snapshot))
                await self._journal.load_history()
                await self._journal.merge_backend_history()
                await self._journal.load_chat()
                await self._load_voicemail_settings(backend)
                await load_assists(api, backend)  # help requests under way
                api.topics_changed(ALL_TOPICS)
                self._on_connected()
                # after the first frame: History's search copy of the shared comments
                if await self._journal.load_shared_comments():
                    api.topics_changed({Topic.HISTORY})
                delay = 1.0
                async for event in backend.events():
                    event = await api.callers.identify(event)
                    topics = api.state.apply(event)
                    written = await self._journal.record(event)
                    await self._journal.record_chat(event)
                    if await self._journal.record_comment(event):
                        topics |= {Topic.HISTORY}
                    if written:  # History lists the journal: it changed
                        topics |= {Topic.HISTORY}
                    for entry in written:
                        if backend.history is None:  # the journal is the history then
                            topics |= api.state.apply(HistoryEvent(at=event.at, entry=entry))
                    self._incoming.observe(event)
                    self._sounds.observe(event)
                    self.chat_notices.observe(event)
                    self._assist_notices.observe(event)
                    for observer in self._observers:
                        observer(event)
                    if topics:
                        api.topics_changed(topics)
                return
            except BackendConfigError as error:  # a bad backend name or option: back to setup
                log.warning("the backend refused its options: %s", error)
                self.set_link(LinkStatus.OFFLINE, error_text(error))
                self._on_config_error(error)
                return
            except (CallControlError, OSError) as error:
                log.warning("backend link lost: %s", error)
                self.set_link(LinkStatus.RECONNECTING, error_text(error))
            except Exception as error:
                log.exception("backend failed")
                self.set_link(LinkStatus.RECONNECTING, error_text(error))
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RECONNECT_DELAY_S)
