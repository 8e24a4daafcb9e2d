"""The console's data model: frozen dataclasses and enums in CSTA (ECMA-269) vocabulary.

Owns every value that crosses the call-control interface: calls (one operator *connection*
each), transfers, queues with their waiting calls and forwarding rules, call flows (day/night
routing), parked calls, supervised devices (BLF), the operator's own state, contacts, history
entries, chat messages and voicemail messages.

Every object that changes over time carries a ``version`` that strictly increases per object,
so a reducer can drop late or duplicated events (see :mod:`tws_tui.core.state`).
Ids are opaque strings. Times are timezone-aware ``datetime`` values.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
from typing import NewType

from tws_tui.core.values import value_class

CallId = NewType("CallId", str)  # OUR connection to a call (CSTA ConnectionID)
DeviceId = NewType("DeviceId", str)  # a line / extension (CSTA deviceID)
UserId = NewType("UserId", str)
QueueId = NewType("QueueId", str)
LotId = NewType("LotId", str)
TransferId = NewType("TransferId", str)
FlowId = NewType("FlowId", str)
QueueRuleId = NewType("QueueRuleId", str)


class ConnectionState(enum.StrEnum):
    """CSTA LocalConnectionState of one connection."""

    NULL = "null"
    INITIATED = "initiated"
    ALERTING = "alerting"
    CONNECTED = "connected"
    HOLD = "hold"
    QUEUED = "queued"
    FAIL = "fail"


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"
    UNKNOWN = "unknown"


class Cause(enum.StrEnum):
    """Subset of CSTA EventCause, ECMA-323 spelling."""

    UNKNOWN = "unknown"
    NEW_CALL = "newCall"
    MAKE_CALL = "makeCall"
    NORMAL_CLEARING = "normalClearing"
    CALL_CANCELLED = "callCancelled"
    BUSY = "busy"
    CALL_NOT_ANSWERED = "callNotAnswered"
    DEST_NOT_OBTAINABLE = "destNotObtainable"
    NETWORK_CONGESTION = "networkCongestion"
    CONSULTATION = "consultation"
    TRANSFER = "transfer"
    SINGLE_STEP_TRANSFER = "singleStepTransfer"
    CONFERENCE = "conference"
    ALTERNATE = "alternate"
    REDIRECTED = "redirected"
    CALL_FORWARD = "callForward"
    CALL_PICKUP = "callPickup"
    PARK = "park"
    DO_NOT_DISTURB = "doNotDisturb"
    ENTERING_DISTRIBUTION = "enteringDistribution"
    DISTRIBUTED = "distributed"
    OVERFLOW = "overflow"
    TIMEOUT = "timeout"


class Action(enum.StrEnum):
    """What may be done to one call right now (dynamic, per call: ``Call.allowed``)."""

    ANSWER = "answer"
    HANGUP = "hangup"
    HOLD = "hold"
    RETRIEVE = "retrieve"
    DEFLECT = "deflect"
    BLIND_TRANSFER = "blind_transfer"
    ATTENDED_TRANSFER = "attended_transfer"
    PARK = "park"
    DTMF = "dtmf"
    MUTE = "mute"
    RECORD = "record"


class Capability(enum.StrEnum):
    """What a backend can do at all (static, CSTA GetCSTAFeatures)."""

    MAKE_CALL = "call.make"
    ANSWER = "call.answer"
    HANGUP = "call.clear_connection"
    CLEAR_CALL = "call.clear_call"  # end the whole call for every party (a conference)
    DROP_PARTICIPANT = "call.drop_participant"  # clear another party's leg of my 3-way
    HOLD = "call.hold"
    DEFLECT = "call.deflect"
    BLIND_TRANSFER = "call.single_step_transfer"
    ATTENDED_TRANSFER = "call.transfer"
    ALTERNATE = "call.alternate"
    CONFERENCE = "call.conference"
    PICKUP = "call.pickup"
    PARK = "call.park"
    DTMF = "call.generate_digits"
    MUTE = "call.mute"
    RECORD = "call.record"
    HANDS_FREE = "audio.hands_free"  # a softphone with local audio: loudspeaker or headset
    QUEUES = "switchboard.queues"
    #: Which company number callers see, by default and per call (Selfcare §2.3).
    PRESENTED_NUMBER = "call.presented_number"
    CALL_FLOWS = "switchboard.call_flows"  # day/night routing: read and force (Webpilot §5)
    QUEUE_RULES = "switchboard.queue_rules"  # per-queue forwarding rules (TWS-6.5.3)
    DND = "device.dnd"
    FORWARDING = "device.forwarding"
    #: The forwards are carried out by this softphone itself (302 / 486), only while it runs;
    #: the phone system's own forwarding would also work with the console closed.
    FORWARDING_BY_PHONE = "device.forwarding.by_phone"
    #: A forward for when my phone is not registered (Selfcare §4): only the switch knows.
    FORWARD_NOT_REACHABLE = "device.forwarding.not_reachable"
    #: A forward for the calls that come while I am in do-not-disturb, its own destination
    #: beside the busy one (Selfcare §4.5).
    FORWARD_DND = "device.forwarding.dnd"
    #: My calls also ring on other numbers, all at once or one after the other (find-me:
    #: Selfcare §4.4, Sophia U1.2), kept and carried out by the phone system.
    FIND_ME = "device.find_me"
    PROFILES = "device.profiles"  # profiles applied through presence and forwards (issue 17)
    #: The *TWS Rules* option (TWS-6.10.6.1-8): a profile rule's options and filters — an
    #: announcement, days, hours, dates, callers by number, contact, list, directory or
    #: pattern. Without it a rule has only its kind, destination, presence and origin.
    PROFILE_RULES_ADVANCED = "device.profiles.advanced"
    #: A forward may play an announcement to the caller before forwarding (TWS-6.10.6.1-7).
    FORWARD_ANNOUNCEMENT = "device.forwarding.announcement"
    OTHERS_FEATURES = "device.others"
    BLF = "monitor.devices"
    PRESENCE = "presence.read"
    PRESENCE_SET = "presence.write"
    #: A state of my own naming ("At reception desk") on one of the base states (TWS §1.6).
    PRESENCE_CUSTOM = "presence.custom"
    AGENT = "agent.state"
    DIRECTORY = "directory.search"
    REVERSE_LOOKUP = "directory.reverse"
    SHARED_LISTS = "directory.shared_lists"  # public contact lists of every user (TWS-2.4.5)
    #: The public directory kept by the phone system: every user sees it and adds to it.
    SHARED_CONTACTS = "directory.shared_contacts"
    HISTORY = "history.read"
    CHAT = "chat"
    VOICEMAIL = "voicemail.read"  # my voicemail messages listed, the new count
    VOICEMAIL_MANAGE = "voicemail.write"  # a message marked heard/new, or deleted
    VOICEMAIL_AUDIO = "voicemail.audio"  # a message's recording fetched (WAV)
    #: My voicemail's settings (TWS-6.9, Selfcare §6.2): greetings, PIN, e-mail copy.
    VOICEMAIL_SETTINGS = "voicemail.settings"
    #: Comments on a call seen by the colleagues who saw the same call (TWS-3.13).
    SHARED_COMMENTS = "history.shared_comments"
    EVENT_REPLAY = "events.replay"


#: The capability that gates each per-call action; a backend without it never allows it.
ACTION_CAPABILITY: Mapping[Action, Capability] = {
    Action.ANSWER: Capability.ANSWER,
    Action.HANGUP: Capability.HANGUP,
    Action.HOLD: Capability.HOLD,
    Action.RETRIEVE: Capability.HOLD,
    Action.DEFLECT: Capability.DEFLECT,
    Action.BLIND_TRANSFER: Capability.BLIND_TRANSFER,
    Action.ATTENDED_TRANSFER: Capability.ATTENDED_TRANSFER,
    Action.PARK: Capability.PARK,
    Action.DTMF: Capability.DTMF,
    Action.MUTE: Capability.MUTE,
    Action.RECORD: Capability.RECORD,
}


@value_class
class Party:
    """One end of a call as the operator sees it. ``number is None`` means a masked number."""

    number: str | None = None
    name: str | None = None
    device_id: DeviceId | None = None
    user_id: UserId | None = None


@value_class
class QueueRef:
    id: QueueId
    name: str


#: ``Call.extra`` key: this pick-up was dialled with the phone system's pickup code because the
#: caller's phone refused the direct one (its answer, e.g. "420 Bad Extension").
EXTRA_PICKUP_FALLBACK = "pickup_fallback"


@value_class
class Call:
    """The operator's connection to one call, full state after the latest change."""

    call_id: CallId
    device_id: DeviceId  # the operator device holding this connection
    state: ConnectionState  # local connection state
    direction: Direction
    remote: Party
    created_at: datetime
    remote_state: ConnectionState | None = None  # ALERTING = ringback, HOLD = held by far end
    conversation_id: str | None = None
    called: Party | None = None  # dialled number / DID / queue number
    redirected_from: Party | None = None
    queue: QueueRef | None = None
    answered_at: datetime | None = None
    muted: bool = False
    recording: bool = False
    consult_of: CallId | None = None  # on a consultation call: the held primary
    conference: tuple[Party, ...] = ()  # the other parties when in a 3-way conference
    cause: Cause = Cause.UNKNOWN  # why the latest change happened (FAIL: why it failed)
    allowed: frozenset[Action] = frozenset()
    version: int = 0
    extra: Mapping[str, str] = field(default_factory=dict)


class TransferStatus(enum.StrEnum):
    DIALING = "dialing"
    RINGBACK = "ringback"
    ANSWERED = "answered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


@value_class
class Transfer:
    """An attended transfer under way: the held primary call and its consultation call."""

    transfer_id: TransferId
    mode: str  # "attended" | "blind"
    status: TransferStatus
    transferred_call_id: CallId
    destination: str
    consult_call_id: CallId | None = None
    version: int = 0


@value_class
class QueuedCall:
    call_id: CallId
    queue: QueueRef
    caller: Party
    queued_at: datetime
    called: Party | None = None
    position: int | None = None
    priority: int = 0


class AgentState(enum.StrEnum):
    LOGGED_OFF = "logged_off"
    READY = "ready"
    NOT_READY = "not_ready"
    BUSY = "busy"
    WORKING_AFTER_CALL = "working_after_call"


class RingStrategy(enum.StrEnum):
    """How a queue offers its calls (Sophia SOP-A9: call-group ringing strategies)."""

    MANUAL = "manual"  # a switchboard queue: operators pick the calls up
    RING_ALL = "ring_all"
    LONGEST_IDLE = "longest_idle"
    ROUND_ROBIN = "round_robin"
    IN_ORDER = "in_order"


@value_class
class QueueAgent:
    """One agent logged in to a queue, as the queue's members list shows them (Webpilot
    WPL-14.2-2…8): on a call or not, paused with a reason, or paused by the switch itself."""

    device_id: DeviceId
    name: str
    extension: str | None = None
    state: AgentState = AgentState.READY
    on_call: bool = False
    reason: str | None = None
    auto_paused: bool = False  # the switch paused them (a distributed call left unanswered)


@value_class
class QueueForwardRule:
    """A queue forwarding rule (TWS-6.5.3-1/-2): the queue's calls go to ``destination``.

    A queue-level setting shared by everyone, whoever created it. While it is active, a call
    dialled to the queue does not enter it but is forwarded to ``destination``. ``id`` is
    ``""`` for a rule not saved yet; activating or deactivating is saving with ``enabled``
    changed. ``starts_at`` ``None`` means from now, ``ends_at`` ``None`` until removed.
    """

    id: QueueRuleId
    queue_id: QueueId
    destination: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    enabled: bool = True
    created_by: str | None = None  # display name of who created it
    version: int = 0

    def active_at(self, at: datetime) -> bool:
        """Enabled, and ``at`` within ``[starts_at, ends_at)``."""
        if not self.enabled:
            return False
        if self.starts_at is not None and at < self.starts_at:
            return False
        return self.ends_at is None or at < self.ends_at


@value_class
class Queue:
    """A queue (switchboard or ACD) with its waiting calls in arrival order and its agents.

    ``strategy``, ``max_waiting`` (callers beyond it overflow, or get busy) and
    ``announce_position`` are the call-group settings (Sophia SOP-A9), shown read-only;
    ``None`` where the backend does not say.
    """

    id: QueueId
    name: str
    number: str | None = None
    waiting: tuple[QueuedCall, ...] = ()
    agents_logged_in: int = 0
    agents_ready: int = 0
    agents_paused: int = 0
    agents_busy: int = 0
    member: bool = False  # am I logged in to it?
    overflow_to: QueueId | None = None
    overflow_after_s: float | None = None
    agents: tuple[QueueAgent, ...] = ()
    strategy: RingStrategy | None = None
    max_waiting: int | None = None
    announce_position: bool | None = None
    forward_rules: tuple[QueueForwardRule, ...] = ()  # TWS-6.5.3, active or not
    version: int = 0

    @property
    def ref(self) -> QueueRef:
        return QueueRef(self.id, self.name)


class FlowMode(enum.StrEnum):
    """How a call flow decides its routing: by its schedule, or forced by the operator."""

    AUTO = "auto"  # follows its schedule (always open without one)
    DAY = "day"  # forced open
    NIGHT = "night"  # forced closed


@value_class
class CallFlow:
    """A call flow / time condition: the day/night switch in front of a queue (or of all).

    Webpilot WPL-5-7 (the time conditions and call flows page: a receptionist switches the
    switchboard to night mode) and §16 (end of day); Sophia SOP-A9.2/A9.3 (a call group open
    on working hours, and where its calls go out of hours). While closed, a call to the
    governed queue does not enter it: it goes to ``closed_destination`` (hung up without one).
    A flow without ``queue_id`` is not tied to one queue (the simulator's "Mode nuit" closes
    them all).
    """

    id: FlowId
    name: str
    mode: FlowMode = FlowMode.AUTO
    open_now: bool = True  # the routing that applies right now (schedule or forced mode)
    schedule: str | None = None  # human readable, e.g. "Lun–Ven 08:30–12:30, 13:30–18:00"
    closed_destination: str | None = None  # a number: voicemail, announcement, on-call line
    queue_id: QueueId | None = None  # the queue it governs; None: not one queue (a night mode)
    version: int = 0


@value_class
class ParkedCall:
    call_id: CallId
    lot_id: LotId
    caller: Party
    parked_at: datetime
    slot: str | None = None
    parked_by: Party | None = None
    timeout_at: datetime | None = None


@value_class
class ParkingLot:
    lot_id: LotId
    name: str
    calls: tuple[ParkedCall, ...] = ()
    version: int = 0


class LineState(enum.StrEnum):
    """BLF line state of a supervised device."""

    IDLE = "idle"
    RINGING = "ringing"
    DIALING = "dialing"
    TALKING = "talking"
    HOLD = "hold"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


class PresenceState(enum.StrEnum):
    """TWS-1.6.1-1 built-in states: Connecté, Absent, Occupé, Déconnecté."""

    AVAILABLE = "available"
    AWAY = "away"
    BUSY = "busy"
    OFFLINE = "offline"


class ForwardKind(enum.StrEnum):
    UNCONDITIONAL = "unconditional"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    #: My phone is not registered (offline, unplugged): Capability.FORWARD_NOT_REACHABLE.
    NOT_REACHABLE = "not_reachable"
    #: While I am in do-not-disturb (before the busy forward): Capability.FORWARD_DND.
    DND = "dnd"


#: What a kind of forward needs beyond ``Capability.FORWARDING``.
FORWARD_KIND_CAPABILITY: Mapping[ForwardKind, Capability] = {
    ForwardKind.NOT_REACHABLE: Capability.FORWARD_NOT_REACHABLE,
    ForwardKind.DND: Capability.FORWARD_DND,
}


#: ``Forward.announcement`` for "the default announcement" (my voicemail's, TWS-6.9-3).
DEFAULT_ANNOUNCEMENT = "default"
#: ``Forward.destination`` for the simple answering machine (TWS-6.10.6.1-4): the switch plays
#: the forward's announcement (the default one when it names none) and hangs up
#: (``Capability.FORWARD_ANNOUNCEMENT``: the same service leg as an announcement).
ANSWERING_MACHINE = "answering-machine"


@value_class
class ForwardStep:
    """What my forward did to a call after it left me (``core.protocols.CallSteps``):
    ``what`` is ``"announcement"`` (``detail``: the sound, or ``DEFAULT_ANNOUNCEMENT``;
    ``length_s``: how long the caller heard it), ``"forwarded"`` (``detail``: the number) or
    ``"hung up"`` (the answering machine ended the call after its announcement)."""

    at: datetime
    what: str
    detail: str
    length_s: float = 0.0


@value_class
class Forward:
    enabled: bool
    destination: str | None = None
    ring_time_s: int | None = None
    #: The sound played to the caller before the call is forwarded
    #: (``Capability.FORWARD_ANNOUNCEMENT``): a name of the sound library, or
    #: :data:`DEFAULT_ANNOUNCEMENT`; None: no announcement.
    announcement: str | None = None


class FindMeMode(enum.StrEnum):
    """How my find-me numbers ring (Sophia: "parallèle / séquentielle")."""

    SIMULTANEOUS = "simultaneous"  # all of them with my line
    SEQUENTIAL = "sequential"  # one after the other, each for its ring time, my line too


@value_class
class FindMeNumber:
    """One number my calls also ring on; ``ring_time_s`` is its turn in sequential mode."""

    number: str
    ring_time_s: int = 20


@value_class
class FindMe:
    """Simultaneous ring / find-me (Capability.FIND_ME): while ``enabled``, a call to me also
    rings ``numbers``; whoever answers first has it and the others stop ringing."""

    enabled: bool = False
    mode: FindMeMode = FindMeMode.SIMULTANEOUS
    numbers: tuple[FindMeNumber, ...] = ()


@value_class
class MonitoredDevice:
    """One supervised colleague (a BLF tile)."""

    device_id: DeviceId
    name: str
    extension: str | None
    line_state: LineState
    user_id: UserId | None = None
    department: str | None = None
    presence: PresenceState | None = None
    presence_note: str | None = None
    presence_label: str | None = None  # a custom state's label, shown instead of the base's
    dnd: bool = False
    forward_unconditional: str | None = None
    #: Who is calling the colleague (ringing) or on the line with them, when the phone
    #: system says (a SIP PBX's dialog-info ``<remote><identity>``).
    peer: Party | None = None
    version: int = 0


#: The presented number that shows none: the callee sees a withheld number (Selfcare
#: §2.3-3, anonymous presentation), wherever a company number may be presented.
WITHHELD_NUMBER = "anonymous"


@value_class
class CompanyNumber:
    """A number of a company I answer for, which I may present to the people I call."""

    number: str
    name: str


@value_class
class OperatorState:
    """The operator's own identity and logical-device features."""

    user_id: UserId
    name: str
    extension: str
    devices: tuple[DeviceId, ...]
    dnd: bool = False
    forwards: Mapping[ForwardKind, Forward] = field(default_factory=dict)
    find_me: FindMe = FindMe()
    presence: PresenceState = PresenceState.AVAILABLE
    presence_note: str | None = None
    presence_label: str | None = None  # a custom state's label (Capability.PRESENCE_CUSTOM)
    agent: AgentState = AgentState.LOGGED_OFF
    agent_reason: str | None = None
    hands_free: bool = False  # my softphone's audio on the loudspeaker (TWS-3.11.3-1)
    #: The numbers I may present (Capability.PRESENTED_NUMBER); my default, None: the switch's.
    company_numbers: tuple[CompanyNumber, ...] = ()
    presented_number: str | None = None
    version: int = 0


class Outcome(enum.StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    OUTGOING = "outgoing"
    FAILED = "failed"
    TRANSFERRED = "transferred"


@value_class
class HistoryEntry:
    """One call-journal line (a CDR as the operator sees it)."""

    id: str
    start: datetime
    direction: Direction
    outcome: Outcome
    remote: Party
    called: Party | None = None
    queue: QueueRef | None = None
    answered_at: datetime | None = None
    end: datetime | None = None
    duration_s: int | None = None
    transferred_to: str | None = None
    comment: str | None = None
    seen: bool = False
    #: The phone system's id of the whole call (``Call.conversation_id``), when it says: the
    #: console's journal keys the call by it, so the server's line and the one recorded
    #: here are one call, not two.
    conversation_id: str | None = None


@value_class
class Contact:
    id: str
    source: str
    name: str
    numbers: tuple[tuple[str, str], ...]  # (label, number)
    company: str | None = None
    department: str | None = None
    email: str | None = None
    device_id: DeviceId | None = None
    favorite: bool = False
    #: More details, in order (TWS-2.5.1-6/-7): ``(kind, value)`` where kind is ``"email"``
    #: (an e-mail address beyond ``email``), ``"url"``, ``"address"`` (postal, lines joined
    #: by newlines) or a field: ``"job_title"``, ``"assistant"``, ``"birthday"``,
    #: ``"customer_number"``, ``"note"``.
    details: tuple[tuple[str, str], ...] = ()


@value_class
class SharedList:
    """A contact list its owner made public: every user of the phone system can add it to
    their lists (TWS-2.4.5-1) and take it away again (TWS-2.4.6-1); only the owner changes it.

    ``id`` is unique on the phone system (the owner's user name and their own list id);
    ``contacts`` travel as cards (whole, so that any user can add them); the owner's private
    contacts in it are not published (TWS-2.4.3-1: other users do not see them); ``mine`` says
    the list is the signed-in user's own.
    """

    id: str
    name: str
    owner: str
    contacts: tuple[Contact, ...] = ()
    mine: bool = False


@value_class
class MessageSlip:
    """A "while you were out" slip: the message a receptionist takes for an absent colleague
    ("X from Y called, please call back on N, urgent"), carried by a chat message whose text
    is what the caller said (may be empty). Every field is plain text typed or taken from the
    call; the receiver's console shows it literally."""

    caller_name: str = ""
    company: str = ""
    number: str = ""  # the caller's number, as the call gave it
    call_back_on: str = ""  # where to call back (the caller's number unless changed)
    urgent: bool = False
    taken_by: str = ""  # the name of who took the message
    at: datetime | None = None  # when the call was


class ChatFeature(enum.StrEnum):
    """What a backend's chat offers beyond 1:1 messages (``Chat.features``); the console
    offers only what is there and says what is not."""

    GROUPS = "groups"  # discussion groups: listed, their conversations, sending to them
    EDIT = "edit"  # my own messages changed after sending (shown marked as edited)
    DELETE = "delete"  # my own messages taken back (shown as deleted)
    REPLY = "reply"  # a message that answers another, quoting it
    #: groups made, renamed, their members changed, left (``ChatGroupAdmin``)
    MANAGE_GROUPS = "manage_groups"
    #: who read a conversation up to where (``ChatReceipts``): "seen" on my last message
    READ_RECEIPTS = "read_receipts"
    SMS = "sms"  # SMS to mobile numbers through the phone system's gateway (``SmsSender``)
    ATTACHMENTS = "attachments"  # a file sent with a message (``FileSender``)
    #: a text and several files, each with its tags, sent as one message (TWS-4.3.5.3-4,
    #: TWS-4.3.5.4; ``FileMessageSender``)
    FILE_MESSAGES = "file_messages"
    #: assistance requests (TWS-4.4): asked of a colleague, a group or everyone, taken by the
    #: first to accept, cancelled by who asked (``ChatAssist``)
    ASSIST = "assist"
    #: one notification to several colleagues, a group or everyone at once, not a
    #: conversation (TWP-4.1-1, TWP-4.1.3-1; ``ChatBroadcast``)
    BROADCAST = "broadcast"


class AssistState(enum.StrEnum):
    """Where an assistance request stands."""

    OPEN = "open"  # waiting for someone to take it
    TAKEN = "taken"  # someone said "I'm on it" (``AssistRequest.taken_by``)
    CANCELLED = "cancelled"  # who asked took it back


@value_class
class AssistRequest:
    """An assistance request (TWS-4.4): ``requester`` asks for help with a short ``text``;
    ``to`` is a colleague's user id, a group's id, or ``"*"`` (everyone available);
    ``audience`` the user ids it was put before (never the requester). The first of them to
    take it has it (``taken_by``); the others see who did."""

    id: str
    requester: UserId
    to: str
    text: str
    at: datetime
    audience: tuple[str, ...] = ()
    state: AssistState = AssistState.OPEN
    taken_by: UserId | None = None
    requester_name: str = ""
    taken_by_name: str = ""
    settled_at: datetime | None = None  # when it was taken or cancelled


@value_class
class Broadcast:
    """A notification sent to several colleagues at once (TWP-4.1): ``to`` as the sender chose
    (user ids, group ids, ``"*"`` for everyone), ``audience`` the user ids it reached (never
    the sender). Shown to each as a notice; not a conversation."""

    id: str
    sender: UserId
    to: tuple[str, ...]
    text: str
    at: datetime
    audience: tuple[str, ...] = ()
    sender_name: str = ""


@value_class
class ChatAttachment:
    """A file sent in a conversation: its id (to fetch its bytes), name as sent (made safe:
    no folder, no control character), size in bytes and content type (a MIME type)."""

    id: str
    name: str
    size: int
    content_type: str = "application/octet-stream"
    #: Its tags (TWS-4.3.5.4): its type and format at least, set before it was sent.
    tags: tuple[str, ...] = ()


@value_class
class OutgoingFile:
    """A file to send with a message (``FileMessageSender``): its name, bytes and tags."""

    name: str
    data: bytes
    tags: tuple[str, ...] = ()


class GroupNoticeKind(enum.StrEnum):
    """What happened in a discussion group, told in its thread (not a message of anyone's)."""

    JOINED = "joined"  # ``who`` was added by the administrator
    LEFT = "left"  # ``who`` left
    REMOVED = "removed"  # ``who`` was removed by the administrator
    RENAMED = "renamed"  # ``who`` renamed the group ``name``


@value_class
class GroupNotice:
    """A line of a group's thread saying what happened to the group ("Bob joined")."""

    kind: GroupNoticeKind
    who: str  # the user id it is about (who renamed it, for RENAMED)
    name: str = ""  # the group's new name (RENAMED)


class SmsDelivery(enum.StrEnum):
    """Where an SMS I sent stands: handed to the gateway, then the network's report."""

    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


@value_class
class ChatGroup:
    """A discussion group: its conversation's peer is the group's id (a user id never starts
    like one: the CTI server's are ``grp-…``)."""

    id: str
    name: str
    members: tuple[str, ...]  # user ids, in the order they joined
    #: Its administrator (TWS-4.2-3, one per group): who made it, then, when they leave or are
    #: removed, the next member of the list. Only they rename it and change its members.
    created_by: str = ""


@value_class
class ChatMessage:
    id: str
    peer: UserId  # the colleague (or the group's id) this conversation is with
    sender: UserId
    text: str
    at: datetime
    slip: MessageSlip | None = None  # a message taken for the receiver (see MessageSlip)
    edited: bool = False  # changed by its sender after it was sent
    deleted: bool = False  # taken back by its sender (its text is gone)
    reply_to: str | None = None  # the id of the message this one answers
    quote: str = ""  # the start of that message's text, as it was when answered
    #: An SMS (its peer is ``sms:`` and the number): where my SMS stands, None for one
    #: received and for every chat message.
    delivery: SmsDelivery | None = None
    #: A file sent with the message (``ChatFeature.ATTACHMENTS``); its text is its name.
    attachment: ChatAttachment | None = None
    #: The files sent with the text (``ChatFeature.FILE_MESSAGES``), each with its tags; the
    #: text is what was typed, maybe empty.
    files: tuple[ChatAttachment, ...] = ()
    #: A group's notice (someone joined, left, the group renamed): shown as what happened,
    #: not as a message of the sender's (the member it is about); its text is empty.
    notice: GroupNotice | None = None


@value_class
class VoicemailMessage:
    """One message left in my voicemail box (TWS-3.9, Selfcare §6.1)."""

    id: str
    caller: Party  # who left it (number None: a masked number)
    at: datetime
    duration_s: int = 0
    new: bool = True  # not heard yet (Selfcare "non lu")
    has_audio: bool = True  # the phone system can give its recording


@value_class
class VoicemailMenu:
    """The DTMF digits of a phone system's voicemail menu, for a box whose messages are not
    listed to the console but listened to by calling the voicemail (``sip``): what each of
    the console's keys sends while that call is up. The defaults and their source are in
    ``tws_tui.backends.sip_options`` (``voicemail_keys``)."""

    play: str  # start listening to the messages (from the main menu)
    pause: str  # pause, and resume, the message being played
    skip: str  # the next message
    replay: str  # the current message again
    delete: str  # delete the current message


#: How many greetings a voicemail box keeps at most (Selfcare §6.2.3).
MAX_GREETINGS = 5


@value_class
class VoicemailGreeting:
    """One recorded greeting of my voicemail box (Selfcare §6.2.3): callers hear the active one."""

    id: str
    name: str
    duration_s: float = 0.0
    active: bool = False


@value_class
class VoicemailSettings:
    """My voicemail box's settings (TWS-6.9, Selfcare §6.2): up to five greetings (one active),
    whether the PIN is still the default one, and the copy of each message by e-mail."""

    greetings: tuple[VoicemailGreeting, ...] = ()
    pin_is_default: bool = True  # the code is still 0000: the console warns
    email_copy: bool = False
    email: str = ""


@value_class
class CallComment:
    """A comment on a call as the phone system shares it (TWS-3.13): every colleague who saw
    the call (same ``conversation_id``) sees it, with its author and time; only the author
    changes it; its author or a supervisor deletes it."""

    id: str
    conversation_id: str
    author: UserId
    author_name: str
    at: datetime
    text: str
    edited: bool = False
    #: Deleted by its author or a supervisor: its text is gone (a ``CommentEvent`` says so).
    deleted: bool = False


@value_class
class Snapshot:
    """Everything the console shows, at once (CSTA SnapshotDevice for the whole console)."""

    me: OperatorState
    calls: tuple[Call, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    queues: tuple[Queue, ...] = ()
    parking: tuple[ParkingLot, ...] = ()
    devices: tuple[MonitoredDevice, ...] = ()
    missed_calls: int = 0
    cursor: str | None = None
    call_flows: tuple[CallFlow, ...] = ()
    pause_reasons: tuple[str, ...] = ()  # what an agent may give as a pause reason
    voicemail_number: str | None = None  # the phone system's voicemail access, if it says
    voicemail_new: int = 0  # messages in my voicemail box not heard yet
