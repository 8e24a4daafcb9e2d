"""``ConsoleState``: the event-fed store the UI renders from, and its reducer rules.

Rules (each has a unit test):

* a ``SnapshotEvent`` replaces everything (after connect, reconnect or lost events);
* a versioned object (call, transfer, queue, call flow, parking lot, device, operator) is
  replaced only by a strictly newer version: late and duplicated events are dropped;
* a call whose connection is gone (state ``null``) is removed, and a tombstone keeps its last
  version so a late event cannot bring it back;
* a transfer whose status is final (completed, cancelled, failed) is removed;
* history entries and chat messages are deduplicated by id; unseen missed calls are counted;
* the pause reasons an agent may give come with snapshots only.

``apply`` returns the set of *topics* that changed (``Topic.CALLS``, ``Topic.QUEUES``…) so
the UI can refresh only what depends on them; an empty set means the event was dropped.
"""

from __future__ import annotations

from collections import deque
from dataclasses import field, replace
from datetime import datetime

from tws_tui.core.events import (
    AssistEvent,
    BroadcastEvent,
    CallEvent,
    CallFlowEvent,
    ChatEvent,
    ChatGroupEvent,
    ChatReadEvent,
    CommentEvent,
    DeviceEvent,
    Event,
    HistoryEvent,
    LinkEvent,
    LinkStatus,
    OperatorEvent,
    ParkingEvent,
    ProfilesEvent,
    QueueEvent,
    SnapshotEvent,
    TransferEvent,
    VoicemailEvent,
    VoicemailSettingsEvent,
)
from tws_tui.core.model import (
    AssistRequest,
    Broadcast,
    Call,
    CallFlow,
    CallId,
    ChatGroup,
    ChatMessage,
    ConnectionState,
    DeviceId,
    FlowId,
    HistoryEntry,
    LotId,
    MonitoredDevice,
    OperatorState,
    Outcome,
    ParkingLot,
    Queue,
    QueueId,
    Snapshot,
    Transfer,
    TransferId,
    TransferStatus,
    UserId,
    VoicemailSettings,
)
from tws_tui.core.topics import NOTHING, SNAPSHOT_TOPICS, Topic, Topics
from tws_tui.core.values import record_class

FINAL_TRANSFER = frozenset(
    {TransferStatus.COMPLETED, TransferStatus.CANCELLED, TransferStatus.FAILED}
)
RECENT_HISTORY = 200
RECENT_CHAT = 500


@record_class
class ConsoleState:
    """Everything the console knows, as a pure function of the events applied."""

    me: OperatorState | None = None
    calls: dict[CallId, Call] = field(default_factory=dict)
    transfers: dict[TransferId, Transfer] = field(default_factory=dict)
    queues: dict[QueueId, Queue] = field(default_factory=dict)
    call_flows: dict[FlowId, CallFlow] = field(default_factory=dict)
    pause_reasons: tuple[str, ...] = ()
    voicemail_number: str | None = None
    parking: dict[LotId, ParkingLot] = field(default_factory=dict)
    devices: dict[DeviceId, MonitoredDevice] = field(default_factory=dict)
    missed_calls: int = 0
    #: Messages in my voicemail box not heard yet, and all of them (``VoicemailEvent``).
    voicemail_new: int = 0
    voicemail_total: int = 0
    #: My voicemail's settings as the phone system last said (``VoicemailSettingsEvent``).
    voicemail_settings: VoicemailSettings | None = None
    history: deque[HistoryEntry] = field(default_factory=lambda: deque(maxlen=RECENT_HISTORY))
    chat: deque[ChatMessage] = field(default_factory=lambda: deque(maxlen=RECENT_CHAT))
    #: The discussion groups I am in, by id (asked once, then kept by ``ChatGroupEvent``).
    chat_groups: dict[UserId, ChatGroup] = field(default_factory=dict)
    #: How far the others read each conversation: peer → reader → the time of the last
    #: message they read (``ChatReadEvent``, ``ChatFeature.READ_RECEIPTS``).
    chat_reads: dict[UserId, dict[UserId, datetime]] = field(default_factory=dict)
    #: Messages received from each peer since its conversation was last read.
    chat_unread: dict[UserId, int] = field(default_factory=dict)
    #: Of the unread messages, the slips (messages taken for me), per conversation.
    slips_unread: dict[UserId, int] = field(default_factory=dict)
    #: Assistance requests I asked or was asked, by id, in the order they came (TWS-4.4,
    #: ``AssistEvent``; listed once connected where the phone system keeps them).
    assists: dict[str, AssistRequest] = field(default_factory=dict)
    #: Broadcasts I sent or received, by id, in the order they came (TWP-4.1).
    broadcasts: dict[str, Broadcast] = field(default_factory=dict)
    profiles_document: str | None = None  # my profiles as the phone system last sent them
    link: LinkStatus = LinkStatus.CONNECTING
    link_detail: str = ""
    cursor: str | None = None
    _cleared: dict[CallId, int] = field(default_factory=dict)
    _history_ids: set[str] = field(default_factory=set)
    _chat_ids: set[str] = field(default_factory=set)

    # ---- reducer -------------------------------------------------------------------------

    def apply(self, event: Event) -> Topics:
        """Apply one event; return the topics that changed (empty: dropped)."""
        if event.seq is not None:
            self.cursor = event.seq
        match event:
            case SnapshotEvent(snapshot=snapshot):
                self.load(snapshot)
                return SNAPSHOT_TOPICS
            case CallEvent(call=call):
                return self._apply_call(call)
            case TransferEvent(transfer=transfer):
                return self._apply_transfer(transfer)
            case QueueEvent(queue=queue):
                return self._replace_versioned(self.queues, queue.id, queue, Topic.QUEUES)
            case CallFlowEvent(flow=flow):
                return self._replace_versioned(self.call_flows, flow.id, flow, Topic.FLOWS)
            case ParkingEvent(lot=lot):
                return self._replace_versioned(self.parking, lot.lot_id, lot, Topic.PARKING)
            case DeviceEvent(device=device):
                return self._replace_versioned(
                    self.devices, device.device_id, device, Topic.DEVICES
                )
            case OperatorEvent(me=me):
                if self.me is not None and me.version <= self.me.version:
                    return NOTHING
                self.me = me
                return frozenset({Topic.ME})
            case HistoryEvent(entry=entry):
                return self._apply_history(entry)
            case ChatEvent(message=message):
                if message.id in self._chat_ids:
                    return self._chat_changed(message)
                self._chat_ids.add(message.id)
                self.chat.append(message)
                # not news: a change of one, or a group's notice ("Bob joined")
                changed = message.edited or message.deleted or message.notice is not None
                if not changed and (self.me is None or message.sender != self.me.user_id):
                    self.chat_unread[message.peer] = self.chat_unread.get(message.peer, 0) + 1
                    if message.slip is not None:
                        unread = self.slips_unread.get(message.peer, 0)
                        self.slips_unread[message.peer] = unread + 1
                return frozenset({Topic.CHAT})
            case ChatReadEvent(peer=peer, reader=reader, read_to=read_to):
                return self._apply_read(peer, reader, read_to)
            case AssistEvent(request=request):
                return self.remember_assists([request])
            case BroadcastEvent(broadcast=broadcast):
                return self.remember_broadcasts([broadcast])
            case ChatGroupEvent(group=group, gone=gone):
                return self._apply_group(group, gone=gone)
            case VoicemailEvent(new=new, total=total):
                self.voicemail_new, self.voicemail_total = new, total
                return frozenset({Topic.VOICEMAIL})
            case VoicemailSettingsEvent(settings=settings):
                self.voicemail_settings = settings
                return frozenset({Topic.VOICEMAIL_SETTINGS})
            case CommentEvent():
                return frozenset({Topic.COMMENTS})
            case ProfilesEvent(document=document):
                self.profiles_document = document
                return frozenset({Topic.PROFILES})
            case LinkEvent(status=status, detail=detail):
                if (status, detail) == (self.link, self.link_detail):
                    return NOTHING
                self.link, self.link_detail = status, detail
                return frozenset({Topic.LINK})
        return NOTHING

    def _chat_changed(self, message: ChatMessage) -> Topics:
        """A message seen before comes again: edited or deleted, it replaces the old one."""
        for index, old in enumerate(self.chat):
            if old.id == message.id:
                if old == message:
                    return NOTHING
                self.chat[index] = message
                return frozenset({Topic.CHAT})
        return NOTHING

    def _apply_group(self, group: ChatGroup, *, gone: bool) -> Topics:
        """A group made or changed; gone: I am out of it, its conversation goes too."""
        gid = UserId(group.id)
        if gone:
            self.chat_groups.pop(gid, None)
            self.chat_unread.pop(gid, None)
            kept = [m for m in self.chat if m.peer != gid]
            self.chat.clear()
            self.chat.extend(kept)
        else:
            self.chat_groups[gid] = group
        return frozenset({Topic.CHAT})

    def _apply_read(self, peer: UserId, reader: UserId, read_to: datetime) -> Topics:
        """Someone read ``peer``'s conversation up to ``read_to``: me on another console
        (read here too), or one of the others ("seen")."""
        if self.me is not None and reader == self.me.user_id:
            return self.mark_chat_read(peer)
        return self.remember_reads(peer, {reader: read_to})

    def remember_assists(self, requests: list[AssistRequest]) -> Topics:
        """Assistance requests as the backend says now (made, taken, cancelled)."""
        changed = False
        for request in requests:
            if self.assists.get(request.id) != request:
                self.assists[request.id] = request
                changed = True
        return frozenset({Topic.ASSIST}) if changed else NOTHING

    def remember_broadcasts(self, broadcasts: list[Broadcast]) -> Topics:
        """Broadcasts I sent or received (each once)."""
        new = [b for b in broadcasts if b.id not in self.broadcasts]
        for broadcast in new:
            self.broadcasts[broadcast.id] = broadcast
        return frozenset({Topic.ASSIST}) if new else NOTHING

    def remember_reads(self, peer: UserId, reads: dict[UserId, datetime]) -> Topics:
        """How far others read ``peer``'s conversation (never backwards)."""
        kept = self.chat_reads.setdefault(peer, {})
        changed = False
        for reader, read_to in reads.items():
            if reader not in kept or kept[reader] < read_to:
                kept[reader] = read_to
                changed = True
        return frozenset({Topic.CHAT}) if changed else NOTHING

    def remember_groups(self, groups: list[ChatGroup]) -> Topics:
        """The groups the backend says I am in (asked when the Chat screen first shows)."""
        self.chat_groups = {UserId(group.id): group for group in groups}
        return frozenset({Topic.CHAT})

    def remember_chat(self, messages: list[ChatMessage]) -> Topics:
        """Messages of earlier sessions (already read), before those of this one."""
        old = [m for m in messages if m.id not in self._chat_ids]
        if not old:
            return NOTHING
        self._chat_ids.update(m.id for m in old)
        kept = list(self.chat)
        self.chat.clear()
        self.chat.extend([*old, *kept][-RECENT_CHAT:])
        return frozenset({Topic.CHAT})

    def mark_chat_read(self, peer: UserId) -> Topics:
        """The conversation with ``peer`` has been read: its unread count goes."""
        self.slips_unread.pop(peer, None)
        if self.chat_unread.pop(peer, 0):
            return frozenset({Topic.CHAT})
        return NOTHING

    def load(self, snapshot: Snapshot) -> None:
        """Replace all state by a snapshot (history and chat are kept: they are append-only)."""
        self.me = snapshot.me
        self.calls = {c.call_id: c for c in snapshot.calls if c.state is not ConnectionState.NULL}
        self.transfers = {t.transfer_id: t for t in snapshot.transfers}
        self.queues = {q.id: q for q in snapshot.queues}
        self.call_flows = {f.id: f for f in snapshot.call_flows}
        self.pause_reasons = snapshot.pause_reasons
        self.voicemail_number = snapshot.voicemail_number
        self.parking = {lot.lot_id: lot for lot in snapshot.parking}
        self.devices = {d.device_id: d for d in snapshot.devices}
        self.missed_calls = snapshot.missed_calls
        self.voicemail_new = snapshot.voicemail_new
        self._cleared.clear()
        if snapshot.cursor is not None:
            self.cursor = snapshot.cursor

    def _apply_call(self, call: Call) -> Topics:
        known = self.calls.get(call.call_id)
        newest = known.version if known else self._cleared.get(call.call_id, -1)
        if call.version <= newest:
            return NOTHING
        if call.state is ConnectionState.NULL:
            self.calls.pop(call.call_id, None)
            self._cleared[call.call_id] = call.version
        else:
            self.calls[call.call_id] = call
        return frozenset({Topic.CALLS})

    def _apply_transfer(self, transfer: Transfer) -> Topics:
        known = self.transfers.get(transfer.transfer_id)
        if known is not None and transfer.version <= known.version:
            return NOTHING
        if transfer.status in FINAL_TRANSFER:
            if known is None:
                return NOTHING
            del self.transfers[transfer.transfer_id]
        else:
            self.transfers[transfer.transfer_id] = transfer
        return frozenset({Topic.TRANSFERS})

    def _replace_versioned(self, table: dict, key: object, value: object, topic: Topic) -> Topics:  # type: ignore[type-arg]
        known = table.get(key)
        if known is not None and value.version <= known.version:  # type: ignore[attr-defined]
            return NOTHING
        table[key] = value
        return frozenset({topic})

    def _apply_history(self, entry: HistoryEntry) -> Topics:
        if entry.id in self._history_ids:
            return NOTHING
        self._history_ids.add(entry.id)
        self.history.appendleft(entry)
        if entry.outcome is Outcome.MISSED and not entry.seen:
            self.missed_calls += 1
        return frozenset({Topic.HISTORY})

    def forget_history(self) -> Topics:
        """The history emptied (the journal deleted): no entry, no missed call counted."""
        self.history.clear()
        self._history_ids.clear()
        self.missed_calls = 0
        return frozenset({Topic.HISTORY})

    def mark_history_seen(self) -> None:
        self.missed_calls = 0
        self.history = deque((replace(e, seen=True) for e in self.history), maxlen=RECENT_HISTORY)

    # ---- queries the UI uses -----------------------------------------------------------

    def ringing_calls(self) -> list[Call]:
        """Calls alerting at my device, oldest first."""
        ringing = [c for c in self.calls.values() if c.state is ConnectionState.ALERTING]
        return sorted(ringing, key=lambda c: c.created_at)

    def active_call(self) -> Call | None:
        """The call I am talking on, if any."""
        for call in self.calls.values():
            if call.state is ConnectionState.CONNECTED:
                return call
        return None

    def call_on_the_line(self) -> Call | None:
        """The call my line is on: the one I am talking on, else the newest one I am dialling
        or that failed (a consultation that did not go through): the call keys act on it."""
        active = self.active_call()
        if active is not None:
            return active
        dialling = [
            c
            for c in self.calls.values()
            if c.state in (ConnectionState.INITIATED, ConnectionState.FAIL)
        ]
        return max(dialling, key=lambda c: c.created_at) if dialling else None

    def transfer_for(self, call_id: CallId) -> Transfer | None:
        for transfer in self.transfers.values():
            if call_id in (transfer.transferred_call_id, transfer.consult_call_id):
                return transfer
        return None

    def waiting_total(self) -> int:
        return sum(len(q.waiting) for q in self.queues.values())
