"""Events a backend emits: each carries the full object after the change (and its version).

Owns the event classes only; how they are applied lives in :mod:`tws_tui.core.state`.
``seq`` is the stream cursor (CTI ``Last-Event-ID``) or ``None`` for locally generated events.
"""

from __future__ import annotations

import enum
from datetime import datetime

from tws_tui.core.model import (
    AssistRequest,
    Broadcast,
    Call,
    CallComment,
    CallFlow,
    CallId,
    Cause,
    ChatGroup,
    ChatMessage,
    HistoryEntry,
    MonitoredDevice,
    OperatorState,
    ParkingLot,
    Party,
    Queue,
    Snapshot,
    Transfer,
    UserId,
    VoicemailMessage,
    VoicemailSettings,
)
from tws_tui.core.values import value_class


class CallEventKind(enum.StrEnum):
    """CSTA call-control events."""

    SERVICE_INITIATED = "service_initiated"
    ORIGINATED = "originated"
    NETWORK_REACHED = "network_reached"
    DELIVERED = "delivered"
    ESTABLISHED = "established"
    HELD = "held"
    RETRIEVED = "retrieved"
    QUEUED = "queued"
    DIVERTED = "diverted"
    TRANSFERRED = "transferred"
    CONFERENCED = "conferenced"
    FAILED = "failed"
    CONNECTION_CLEARED = "connection_cleared"  # our connection is gone: remove the row
    INFORMATION = "information"  # caller id / mute / recording / remote state changed


class LinkStatus(enum.StrEnum):
    """CSTA SystemStatus as the client sees it."""

    CONNECTING = "connecting"
    ONLINE = "online"
    RECONNECTING = "reconnecting"
    PBX_DOWN = "pbx_down"
    OFFLINE = "offline"


@value_class
class Event:
    at: datetime
    seq: str | None = None


@value_class(kw_only=True)
class CallEvent(Event):
    kind: CallEventKind
    call: Call
    cause: Cause = Cause.UNKNOWN
    other_call_id: CallId | None = None  # transferred / conferenced
    new_destination: Party | None = None  # diverted
    request_id: str | None = None


@value_class(kw_only=True)
class TransferEvent(Event):
    transfer: Transfer  # status COMPLETED / CANCELLED / FAILED removes it


@value_class(kw_only=True)
class QueueEvent(Event):
    queue: Queue  # replaces the whole queue, waiting list included


@value_class(kw_only=True)
class CallFlowEvent(Event):
    flow: CallFlow  # a call flow opened, closed or changed mode (replaces the whole flow)


@value_class(kw_only=True)
class ParkingEvent(Event):
    lot: ParkingLot


@value_class(kw_only=True)
class DeviceEvent(Event):
    device: MonitoredDevice


@value_class(kw_only=True)
class OperatorEvent(Event):
    me: OperatorState


@value_class(kw_only=True)
class HistoryEvent(Event):
    entry: HistoryEntry


@value_class(kw_only=True)
class ChatEvent(Event):
    message: ChatMessage


@value_class(kw_only=True)
class AssistEvent(Event):
    """An assistance request I asked or was asked: made, taken or cancelled (TWS-4.4)."""

    request: AssistRequest


@value_class(kw_only=True)
class BroadcastEvent(Event):
    """A broadcast I sent or received (TWP-4.1)."""

    broadcast: Broadcast


@value_class(kw_only=True)
class ChatGroupEvent(Event):
    """A discussion group I am in was made or changed (name, members, administrator); with
    ``gone``, I am no longer in it (I left, was removed, or it was deleted)."""

    group: ChatGroup
    gone: bool = False


@value_class(kw_only=True)
class ChatReadEvent(Event):
    """``reader`` read the conversation ``peer`` (as I see it: the colleague, or the group)
    up to the message ``message_id``, sent at ``read_to``. When ``reader`` is me (another
    console of mine), the conversation is read here too."""

    peer: UserId
    reader: UserId
    message_id: str
    read_to: datetime


@value_class(kw_only=True)
class VoicemailEvent(Event):
    """My voicemail box changed: a message left, heard, marked new or deleted.

    ``new``/``total``: the box's counts after the change; ``message``: the message left, when
    that is the change (``None`` for a mark or a deletion: the list is read again)."""

    new: int
    total: int
    message: VoicemailMessage | None = None


@value_class(kw_only=True)
class VoicemailSettingsEvent(Event):
    """My voicemail's settings changed, from this console or another (greeting, PIN, e-mail)."""

    settings: VoicemailSettings


@value_class(kw_only=True)
class CommentEvent(Event):
    """A comment on a call I saw was added or changed (by me or a colleague, TWS-3.13)."""

    comment: CallComment


@value_class(kw_only=True)
class ProfilesEvent(Event):
    """My profiles changed (issue 17), from this console or another: the whole book, as the
    console's profiles.json holds it (a JSON document; "" when none was ever kept)."""

    document: str


@value_class(kw_only=True)
class LinkEvent(Event):
    status: LinkStatus
    detail: str = ""  # why, in a few words: an English msgid, translated where shown
    retry_in_s: float | None = None


@value_class(kw_only=True)
class SnapshotEvent(Event):
    snapshot: Snapshot  # replaces ALL state
