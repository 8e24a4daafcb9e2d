"""Request and response bodies of the CTI protocol v1 that are not core model values.

Owns one small value class per command body (the server decodes them strictly: an unknown
member or a wrong type is a 400 ``invalid_request``; the client encodes them with
:func:`tws_tui.wire.codec.encode`), and the few response shapes (token, lists, health). The
OpenAPI document takes its schemas from these classes and from the core model.
"""

from __future__ import annotations

from datetime import datetime

from tws_tui.core.model import (
    AgentState,
    AssistRequest,
    Broadcast,
    Call,
    CallComment,
    CallFlow,
    Capability,
    ChatGroup,
    ChatMessage,
    Contact,
    FlowMode,
    ForwardStep,
    HistoryEntry,
    MessageSlip,
    MonitoredDevice,
    ParkingLot,
    Party,
    PresenceState,
    Queue,
    SharedList,
    Transfer,
    UserId,
    VoicemailMessage,
)
from tws_tui.core.values import value_class

# ---- auth -----------------------------------------------------------------------------------


@value_class
class TokenRequest:
    """``grant_type`` ``password`` (username, password) or ``refresh_token`` (refresh_token)."""

    grant_type: str
    username: str | None = None
    password: str | None = None
    refresh_token: str | None = None
    client_id: str | None = None


@value_class
class UserInfo:
    id: str
    username: str
    name: str
    extension: str
    role: str


@value_class
class TokenResponse:
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user: UserInfo


@value_class
class Health:
    status: str
    epoch: str
    api_version: str


@value_class
class Capabilities:
    api_version: str
    capabilities: tuple[Capability, ...]
    max_body_bytes: int
    ring_buffer: int
    heartbeat_s: float


# ---- commands -------------------------------------------------------------------------------


@value_class
class MakeCallBody:
    destination: str
    device_id: str | None = None
    presented: str | None = None  # the company number the callee sees (call.presented_number)


@value_class
class PresentedNumberBody:
    number: str | None = None  # my default presented number, None: the switch's


@value_class
class DestinationBody:
    destination: str


@value_class
class DigitsBody:
    digits: str


@value_class
class PartyBody:
    party: Party


@value_class
class ParkBody:
    lot_id: str | None = None


@value_class
class PickupBody:
    target_device_id: str
    device_id: str | None = None


@value_class
class TransferBody:
    call_id: str
    destination: str


@value_class
class AgentBody:
    state: AgentState
    reason: str | None = None
    queue_id: str | None = None


@value_class
class QueueRuleBody:
    """A queue forwarding rule as sent: the queue and the id are in the path."""

    destination: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    enabled: bool = True


@value_class
class CallFlowBody:
    mode: FlowMode


@value_class
class PresenceBody:
    state: PresenceState
    note: str | None = None
    label: str | None = None  # a custom state's label (presence.custom)


@value_class
class EnabledBody:
    enabled: bool


@value_class
class CommentBody:
    text: str


@value_class
class NewContactBody:
    """A shared contact as added (``POST``) or replaced (``PUT``): its id is the server's."""

    name: str
    numbers: tuple[tuple[str, str], ...]
    company: str | None = None
    department: str | None = None
    email: str | None = None
    details: tuple[tuple[str, str], ...] = ()


@value_class
class SharedListBody:
    """One of my public lists as I publish it (``PUT /v1/directory/lists/{list_id}``): the
    owner is the caller, the id is in the path; the contacts travel as whole cards."""

    name: str
    contacts: tuple[Contact, ...] = ()


@value_class
class ProfilesBody:
    """My profiles (``GET``/``PUT /v1/me/profiles``): the console's profiles.json document,
    kept whole per user; "" when none was ever kept."""

    document: str


@value_class
class ChatSendBody:
    to: str  # a user id (1:1) or a group id
    text: str  # may be empty for a slip
    slip: MessageSlip | None = None  # a message taken for the receiver ("take a message")
    reply_to: str | None = None  # the id of the message this one answers (quoted)


@value_class
class ChatFileBody:
    """A file sent in a conversation: its bytes base64 (RFC 4648) in ``data``, its name (the
    server keeps only a safe last part) and its content type (guessed from the name if
    empty)."""

    to: str  # a user id (1:1) or a group id
    name: str
    data: str
    content_type: str = ""


@value_class
class ChatFileItem:
    """One file of a :class:`ChatFilesBody`: as a :class:`ChatFileBody`'s, with its tags."""

    name: str
    data: str  # base64 (RFC 4648)
    content_type: str = ""
    tags: tuple[str, ...] = ()  # TWS-4.3.5.4: letters, digits and - _ . +, at most 24 each


@value_class
class ChatFilesBody:
    """A text (maybe empty) and 1 to 10 files with their tags, sent as one message
    (TWS-4.3.5.3-4)."""

    to: str  # a user id (1:1) or a group id
    text: str
    files: tuple[ChatFileItem, ...]


@value_class
class SmsSendBody:
    number: str  # a mobile number, national or E.164
    text: str


@value_class
class AssistAskBody:
    to: str  # a colleague's user id, a chat group's id, or "*" (everyone)
    text: str  # what help is needed, one short line


@value_class
class AssistList:
    items: tuple[AssistRequest, ...]


@value_class
class BroadcastBody:
    to: tuple[str, ...]  # user ids, chat group ids, "*" (everyone)
    text: str


@value_class
class BroadcastList:
    items: tuple[Broadcast, ...]


@value_class
class ChatEditBody:
    text: str  # the new text of one of my messages


@value_class
class ChatGroupBody:
    name: str
    members: tuple[str, ...]


@value_class
class ChatGroupNameBody:
    name: str  # a chat group's new name (its administrator only)


@value_class
class ChatReadBody:
    message_id: str  # the last message of the conversation I read


@value_class
class ChatMembersBody:
    members: tuple[str, ...]  # user ids added to a chat group (its administrator only)


# ---- responses ------------------------------------------------------------------------------


@value_class
class Voicemail:
    new: int
    old: int
    items: tuple[VoicemailMessage, ...] = ()


@value_class
class HeardBody:
    heard: bool


@value_class
class GreetingBody:
    """A greeting uploaded: its name and the WAV file, base64 (RFC 4648) in ``audio``."""

    name: str
    audio: str


@value_class
class PinBody:
    """The voicemail PIN changed: the current one, then the new one (4 to 8 digits)."""

    old: str
    new: str


@value_class
class EmailCopyBody:
    """Each voicemail message copied by e-mail (``enabled``) to ``address``."""

    enabled: bool
    address: str = ""


@value_class
class CommentList:
    items: tuple[CallComment, ...] = ()


@value_class
class CallList:
    items: tuple[Call, ...]


@value_class
class TransferList:
    items: tuple[Transfer, ...]


@value_class
class QueueList:
    items: tuple[Queue, ...]


@value_class
class CallFlowList:
    items: tuple[CallFlow, ...]


@value_class
class ParkingList:
    items: tuple[ParkingLot, ...]


@value_class
class DeviceList:
    items: tuple[MonitoredDevice, ...]


@value_class
class ContactList:
    items: tuple[Contact, ...]


@value_class
class SharedListList:
    items: tuple[SharedList, ...]


@value_class
class HistoryList:
    items: tuple[HistoryEntry, ...]


@value_class
class ForwardStepList:
    """What my forwards did to a call of my history, oldest first (issue 17)."""

    items: tuple[ForwardStep, ...]


@value_class
class ChatMessageList:
    items: tuple[ChatMessage, ...]


@value_class
class ChatRead:
    """How far one member read a conversation: the time of the last message they read."""

    reader: UserId
    read_to: datetime


@value_class
class ChatReadList:
    items: tuple[ChatRead, ...]


@value_class
class ChatGroupList:
    items: tuple[ChatGroup, ...]


@value_class
class AuditEntry:
    """One privileged action: when, who, which operation, on what (the path), with what."""

    at: datetime
    username: str
    action: str
    target: str
    detail: str


@value_class
class AuditList:
    items: tuple[AuditEntry, ...]
