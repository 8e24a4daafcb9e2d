"""``ContactLog``: a contact's event log's sources and changes (issue 15, TWP-4.1.2), for
``contact_log.py`` beside it.

Whom the log is about (:class:`LogSubject`: a contact, a colleague, the person on a call);
its entries read from each source — the calls with their numbers in the local journal (the
phone system's history is merged into it at each connection, so on every backend) with their
comments, the voice messages they left in my box (the backend's voicemail), the chat
conversation with a colleague (what the backend keeps, and this session's), the SMS exchanged
with their mobile numbers (TWS-3.14.1-2, where the chat sends SMS), my "only me" notes
(``journal.private_notes``) — as :class:`~tws_tui.domain.contact_log.LogEntry` values, merged
by ``domain.contact_log``; a new entry written to the colleague (a chat message, through the
outbox) or only for me (a note); an entry deleted (my note, my message through the chat's own
delete, a call from my journal).
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import UTC, datetime

from tws_tui.console.api import ConsoleApi
from tws_tui.core.errors import CallControlError, InvalidDestination
from tws_tui.core.model import (
    Capability,
    ChatFeature,
    ChatMessage,
    Contact,
    MonitoredDevice,
    Outcome,
    Party,
    UserId,
)
from tws_tui.core.protocols import CallControl, Chat
from tws_tui.core.values import value_class
from tws_tui.domain.contact_log import CallSide, EntryKind, LogEntry
from tws_tui.domain.numbers import match_keys
from tws_tui.domain.sms import mobile_number, sms_peer
from tws_tui.journal.listing import DURATION, ID, NUMBER, OUTCOME, START, placed
from tws_tui.journal.private_notes import about_contact
from tws_tui.journal.store import Row
from tws_tui.platform.i18n import _

#: How many chat messages of the conversation the log reads from the backend.
CHAT_READ = 200


@value_class
class LogSubject:
    """Whom a log is about: their name, their numbers (calls and voice messages are theirs
    by number), the colleague's chat peer (None: not a colleague, no chat), whom my notes on
    them are about (``private_notes.about_contact``)."""

    name: str
    numbers: tuple[str, ...]
    about: str
    peer: UserId | None = None


def _peer(device: MonitoredDevice | None) -> UserId | None:
    if device is None:
        return None
    peer = device.user_id or device.extension
    return UserId(peer) if peer else None


def subject_of_contact(api: ConsoleApi, contact: Contact) -> LogSubject:
    """The log of a contact of Contacts (a colleague's has their chat too)."""
    device = api.state.devices.get(contact.device_id) if contact.device_id else None
    numbers = tuple(number for _label, number in contact.numbers)
    if device is not None and device.extension and device.extension not in numbers:
        numbers += (device.extension,)
    return LogSubject(contact.name, numbers, about_contact(contact), _peer(device))


def subject_of_device(device: MonitoredDevice) -> LogSubject:
    """The log of a colleague (a conversation open on the Chat screen, a colleague's call)."""
    numbers = (device.extension,) if device.extension else ()
    return LogSubject(device.name, numbers, f"device:{device.device_id}", _peer(device))


def subject_of_party(party: Party, colleague: MonitoredDevice | None) -> LogSubject | None:
    """The log of the person on a call: the colleague's when it is one, else by the caller's
    number (None: a masked number, nothing to find them by)."""
    if colleague is not None:
        return subject_of_device(colleague)
    if not party.number:
        return None
    return LogSubject(party.name or party.number, (party.number,), f"number:{party.number}")


class ContactLog:
    """One subject's log: its entries, a new one written, one deleted."""

    def __init__(self, api: ConsoleApi, subject: LogSubject) -> None:
        self.api = api
        self.subject = subject

    def _country(self) -> str:
        directories = self.api.directories()
        return directories.country if directories is not None else "FR"

    def _keys(self) -> frozenset[str]:
        keys = match_keys(list(self.subject.numbers), self._country())
        return frozenset(key for key in keys if key)

    @property
    def can_write_to(self) -> bool:
        """Whether a new entry can go to the contact (a colleague, on a backend with chat)."""
        backend = self.api.backend
        return (
            self.subject.peer is not None
            and backend is not None
            and backend.chat is not None
            and self.api.can(Capability.CHAT)
        )

    @property
    def can_delete_messages(self) -> bool:
        backend = self.api.backend
        chat = backend.chat if backend is not None else None
        return chat is not None and ChatFeature.DELETE in chat.features

    async def entries(self) -> list[LogEntry]:
        """Every entry of the log, from each source, in no order (``domain.contact_log``
        orders them)."""
        found = await self.calls_and_voice_messages()
        found += await self._messages()
        found += await self._sms()
        notes = await self.api.local_journal.private_notes(self.subject.about) or []
        found += [LogEntry(EntryKind.NOTE, str(n.id), n.at, n.text, mine=True) for n in notes]
        return found

    async def calls_and_voice_messages(self) -> list[LogEntry]:
        """The calls with them and the voice messages they left (a 1:1 conversation's thread
        filtered by type shows them, TWS-4.3.8)."""
        wanted = self._keys()
        if not wanted:
            return []
        return await self._calls(wanted) + await self._voice_messages(wanted)

    async def _calls(self, wanted: frozenset[str]) -> list[LogEntry]:
        lines = await self.api.local_journal.lines() or []
        country = self._country()

        def theirs() -> list[Row]:  # 100 000 calls: ~0.15 s, off the console's loop
            keys = match_keys([str(line[NUMBER] or "") for line in lines], country)
            return [line for line, key in zip(lines, keys, strict=True) if key in wanted]

        mine = await asyncio.to_thread(theirs)
        if not mine:
            return []
        ids = {str(line[ID]) for line in mine}
        comments: dict[str, list[str]] = {}
        for comment in reversed(await self.api.local_journal.commented_calls() or []):
            if comment.call_id in ids:
                comments.setdefault(comment.call_id, []).append(comment.text)
        entries = []
        for line in mine:
            if line[OUTCOME] == Outcome.MISSED.value:
                side = CallSide.MISSED
            else:
                side = CallSide.PLACED if placed(line) else CallSide.RECEIVED
            call_id = str(line[ID])
            entries.append(
                LogEntry(
                    EntryKind.CALL,
                    call_id,
                    _when(line[START]),
                    "\n".join(comments.get(call_id, ())),
                    side=side,
                    duration_s=int(str(line[DURATION] or 0)),
                )
            )
        return entries

    async def _voice_messages(self, wanted: frozenset[str]) -> list[LogEntry]:
        backend = self.api.backend
        voicemail = backend.voicemail if backend is not None else None
        if voicemail is None or not self.api.can(Capability.VOICEMAIL):
            return []
        try:
            messages = await voicemail.messages()
        except CallControlError:
            return []  # the box unreachable now: the log shows the rest
        numbers = [m.caller.number or "" for m in messages]
        keys = match_keys(numbers, self._country())
        return [
            LogEntry(EntryKind.VOICEMAIL, m.id, m.at, duration_s=m.duration_s)
            for m, key in zip(messages, keys, strict=True)
            if key in wanted
        ]

    async def _messages(self) -> list[LogEntry]:
        peer = self.subject.peer
        backend = self.api.backend
        chat = backend.chat if backend is not None else None
        if peer is None or chat is None:
            return []
        return await self._conversation(chat, peer, EntryKind.MESSAGE)

    async def _sms(self) -> list[LogEntry]:
        """The SMS conversations with their mobile numbers (none where the chat has no SMS)."""
        backend = self.api.backend
        chat = backend.chat if backend is not None else None
        if chat is None or ChatFeature.SMS not in chat.features:
            return []
        peers = set()
        for number in self.subject.numbers:
            with suppress(InvalidDestination):  # a landline, an extension: no SMS
                peers.add(UserId(sms_peer(mobile_number(number, self._country()))))
        found: list[LogEntry] = []
        for peer in sorted(peers):
            found += await self._conversation(chat, peer, EntryKind.SMS)
        return found

    async def _conversation(self, chat: Chat, peer: UserId, kind: EntryKind) -> list[LogEntry]:
        """The messages with ``peer`` (what the backend keeps, and this session's) as entries
        of ``kind``; a deleted one and a group's notice left out."""
        by_id: dict[str, ChatMessage] = {}
        with suppress(CallControlError):  # unreachable now: this session's messages show
            by_id.update((m.id, m) for m in await chat.conversation(peer, limit=CHAT_READ))
        by_id.update((m.id, m) for m in self.api.state.chat if m.peer == peer)
        me = self.api.state.me
        return [
            LogEntry(kind, m.id, m.at, m.text, mine=me is not None and m.sender == me.user_id)
            for m in by_id.values()
            if not m.deleted and m.notice is None
        ]

    async def write(self, text: str, *, to_contact: bool) -> bool:
        """A new entry: a chat message to the colleague, else a note only for me; False
        when it could not be (already said)."""
        if to_contact:
            backend, peer = self.api.backend, self.subject.peer
            if backend is None or peer is None:
                return False
            await self.api.chat_outbox.send(backend, peer, text)
            return True
        if not await self.api.local_journal.add_private_note(self.subject.about, text):
            self.api.notify(
                _("The note could not be kept: the journal is not available."), severity="error"
            )
            return False
        return True

    async def delete(self, entry: LogEntry) -> bool:
        """Delete ``entry`` (``domain.contact_log.refusal`` said it may be); False when it
        could not be (said)."""
        if entry.kind is EntryKind.NOTE:
            return await self.api.local_journal.delete_private_note(int(entry.key))
        if entry.kind is EntryKind.CALL:
            return bool(await self.api.local_journal.delete([entry.key]))
        peer = self.subject.peer
        if entry.kind is EntryKind.MESSAGE and peer is not None:

            async def take_back(backend: CallControl) -> None:
                if backend.chat is not None:  # its errors said by run_command
                    await backend.chat.delete(peer, entry.key)

            self.api.run_command(take_back)
            return True
        return False


def _when(stored: object) -> datetime:
    moment = datetime.fromisoformat(str(stored))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
