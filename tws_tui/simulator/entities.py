"""The switch's mutable internals: endpoints (devices), calls, connections, queues, call flows,
transfers.

Owns plain mutable records only (no behaviour beyond tiny helpers); the switch mutates them
and :mod:`tws_tui.simulator.views` turns them into the frozen core model the console sees.
A *connection* is one endpoint's leg in a call (CSTA connectionID); its ``id`` is the
``CallId`` the console uses. A call (``SimCall``) groups connections; its ``id`` is the CSTA
callID, shown as ``Call.conversation_id`` and used for queued and parked calls.
"""

from __future__ import annotations

from dataclasses import field
from datetime import datetime

from tws_tui.core.clock import TimerHandle
from tws_tui.core.model import (
    AgentState,
    CallId,
    Cause,
    ConnectionState,
    DeviceId,
    Direction,
    FindMe,
    FlowId,
    FlowMode,
    Forward,
    ForwardKind,
    LotId,
    Party,
    PresenceState,
    QueueForwardRule,
    QueueId,
    QueueRef,
    RingStrategy,
    TransferId,
    TransferStatus,
    UserId,
)
from tws_tui.core.values import record_class
from tws_tui.simulator.schedule import Schedule


@record_class(eq=False)
class Endpoint:
    """A device: a colleague's or the operator's phone, or an external pseudo-device (an
    outside number, or an answering machine: voicemail box, recorded announcement)."""

    device_id: DeviceId
    number: str | None
    name: str | None
    internal: bool
    extension: str | None = None
    department: str | None = None
    user_id: UserId | None = None
    company: str | None = None
    operator: bool = False  # accepts several calls at once (call waiting), never auto-answers
    presence: PresenceState = PresenceState.AVAILABLE
    presence_note: str | None = None
    presence_label: str | None = None
    presented_number: str | None = None  # the company number its calls show by default
    dnd: bool = False
    hands_free: bool = False
    registered: bool = True
    forwards: dict[ForwardKind, Forward] = field(default_factory=dict)
    find_me: FindMe = FindMe()  # my calls also ring these numbers (Capability.FIND_ME)
    agent: AgentState = AgentState.LOGGED_OFF
    agent_reason: str | None = None
    auto_paused: bool = False  # paused by the switch (a distributed call left unanswered)
    queues: list[QueueId] = field(default_factory=list)  # queues logged in to
    home_queues: list[QueueId] = field(default_factory=list)  # queues assigned to
    conns: list[Conn] = field(default_factory=list)
    idle_since: datetime | None = None
    machine_s: float | None = None  # an answering machine: answers at once, hangs up after

    @property
    def party(self) -> Party:
        return Party(
            self.number, self.name, self.device_id if self.internal else None, self.user_id
        )

    def forward(self, kind: ForwardKind) -> Forward | None:
        fwd = self.forwards.get(kind)
        return fwd if fwd is not None and fwd.enabled and fwd.destination else None


@record_class(eq=False)
class Conn:
    """One endpoint's connection to a call."""

    id: CallId
    call: SimCall
    endpoint: Endpoint
    state: ConnectionState
    direction: Direction
    created_at: datetime
    cause: Cause = Cause.UNKNOWN
    answered_at: datetime | None = None
    originator: bool = False
    muted: bool = False
    recording: bool = False
    consult_of: Conn | None = None
    redirected_from: Party | None = None
    failed: bool = False
    transferred_to: str | None = None
    cleared_by_owner: bool = False
    talk_s: float | None = None  # this party hangs up this long after being answered
    last_remote: Party | None = None
    presented: Party | None = None  # who the other parties see instead of the endpoint
    #: A find-me leg: the connection of the device whose call also rings here.
    find_me_of: Conn | None = None
    timers: dict[str, TimerHandle] = field(default_factory=dict)

    @property
    def alive(self) -> bool:
        return self.state is not ConnectionState.NULL

    @property
    def shown_party(self) -> Party:
        """Who the other parties of the call see: the presented company number, else me."""
        return self.presented or self.endpoint.party


@record_class(eq=False)
class ParkInfo:
    lot_id: LotId
    slot: str
    parked_by: Endpoint
    parked_at: datetime
    timeout_at: datetime


@record_class
class CallStep:
    """One step of a call beyond its connections: ``what`` is ``announcement`` (``detail``:
    the sound played) or ``forwarded`` (``detail``: the number it went on to); ``by``: the
    device whose forward it is."""

    at: datetime
    what: str
    detail: str
    by: str = ""
    length_s: float = 0.0  # an announcement's: how long the caller heard it


@record_class(eq=False)
class SimCall:
    id: str
    created_at: datetime
    conns: list[Conn] = field(default_factory=list)
    called: Party | None = None
    queue: QueueRef | None = None
    waiting_in: QueueId | None = None
    queued_at: datetime | None = None
    priority: int = 0
    patience_s: float | None = None  # a waiting caller abandons after this long
    digits: str = ""
    parked: ParkInfo | None = None
    timers: dict[str, TimerHandle] = field(default_factory=dict)


@record_class(eq=False)
class QueueState:
    id: QueueId
    name: str
    number: str
    overflow_to: QueueId | None = None
    overflow_after_s: float | None = None
    strategy: RingStrategy = RingStrategy.LONGEST_IDLE
    max_waiting: int | None = None  # callers beyond it overflow at once (busy without overflow)
    announce_position: bool = True
    waiting: list[SimCall] = field(default_factory=list)
    ever: set[str] = field(default_factory=set)
    rules: list[QueueForwardRule] = field(default_factory=list)  # forwarding rules, in order

    @property
    def ref(self) -> QueueRef:
        return QueueRef(self.id, self.name)


@record_class(eq=False)
class FlowState:
    """A call flow: opening hours in front of a queue (``queue_id None``: every queue)."""

    id: FlowId
    name: str
    schedule: Schedule | None = None
    closed_destination: str | None = None
    queue_id: QueueId | None = None
    mode: FlowMode = FlowMode.AUTO

    def open_at(self, at: datetime) -> bool:
        """Forced mode first; else the schedule (always open without one)."""
        if self.mode is FlowMode.DAY:
            return True
        if self.mode is FlowMode.NIGHT:
            return False
        return self.schedule is None or self.schedule.is_open(at)


@record_class(eq=False)
class LotState:
    id: LotId
    name: str
    slots: tuple[str, ...]
    calls: list[SimCall] = field(default_factory=list)
    ever: set[str] = field(default_factory=set)

    def free_slot(self) -> str | None:
        used = {c.parked.slot for c in self.calls if c.parked is not None}
        return next((s for s in self.slots if s not in used), None)


@record_class(eq=False)
class Xfer:
    """An attended transfer under way."""

    id: TransferId
    owner: Endpoint
    primary: Conn
    destination: str
    status: TransferStatus = TransferStatus.DIALING
    consult: Conn | None = None
    cancelling: bool = False
    version: int = 0
