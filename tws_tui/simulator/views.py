"""Turn the switch's mutable internals into the frozen core model, as one device sees them.

Owns the *view* rules: what a connection looks like from its device (remote party, remote
state, conference members, allowed actions), a colleague's BLF line state, queue agent counts,
a call flow's routing right now, a queue's forwarding rules.
Every function here is pure; versions are stamped by the switch when it emits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tws_tui.core.allowed import default_allowed
from tws_tui.core.model import (
    Action,
    AgentState,
    Call,
    CallFlow,
    CompanyNumber,
    ConnectionState,
    ForwardKind,
    LineState,
    LotId,
    MonitoredDevice,
    OperatorState,
    ParkedCall,
    ParkingLot,
    Party,
    Queue,
    QueueAgent,
    QueuedCall,
    QueueId,
    Transfer,
)
from tws_tui.simulator.entities import Conn, Endpoint, FlowState, LotState, QueueState, Xfer

LIVE = (ConnectionState.CONNECTED, ConnectionState.HOLD)
_TRANSFERS = frozenset({Action.BLIND_TRANSFER, Action.ATTENDED_TRANSFER, Action.PARK})


def others(conn: Conn) -> list[Conn]:
    return [c for c in conn.call.conns if c is not conn]


def allowed_actions(conn: Conn, in_transfer: bool) -> frozenset[Action]:
    """``default_allowed`` adjusted to the call: ringback, conference, consultation."""
    allowed = set(default_allowed(conn.state))
    rest = others(conn)
    if conn.state is ConnectionState.HOLD:
        allowed.add(Action.ATTENDED_TRANSFER)
    if conn.state in LIVE:
        two_party = len(rest) == 1 and rest[0].state in LIVE
        if not two_party or in_transfer or conn.consult_of is not None:
            allowed -= _TRANSFERS
        if len(rest) > 1:
            allowed.discard(Action.RECORD)  # a conference cannot be recorded (TWS-3.6-1)
        if conn.state is ConnectionState.CONNECTED and not (rest and rest[0].state in LIVE):
            allowed &= {Action.HANGUP, Action.MUTE}  # ringback, queued or failed far end
    return frozenset(allowed)


def remote_of(conn: Conn, queue: QueueState | None) -> tuple[Party, ConnectionState | None]:
    rest = others(conn)
    if rest:
        state = rest[0].state if len(rest) == 1 else ConnectionState.CONNECTED
        return rest[0].shown_party, state
    if queue is not None:
        return Party(queue.number, queue.name), ConnectionState.QUEUED
    return conn.last_remote or Party(), None


def call_view(conn: Conn, queue: QueueState | None, in_transfer: bool) -> Call:
    call = conn.call
    remote, remote_state = remote_of(conn, queue)
    rest = others(conn)
    conference = tuple(c.endpoint.party for c in rest) if len(rest) > 1 else ()
    return Call(
        call_id=conn.id,
        device_id=conn.endpoint.device_id,
        state=conn.state,
        direction=conn.direction,
        remote=remote,
        created_at=conn.created_at,
        remote_state=remote_state,
        conversation_id=call.id,
        called=call.called,
        redirected_from=conn.redirected_from,
        queue=call.queue,
        answered_at=conn.answered_at,
        muted=conn.muted,
        recording=conn.recording,
        consult_of=conn.consult_of.id if conn.consult_of is not None else None,
        conference=conference,
        cause=conn.cause,
        allowed=allowed_actions(conn, in_transfer) if conn.alive else frozenset(),
        extra={"dtmf": call.digits} if call.digits else {},
    )


def line_state(ep: Endpoint) -> LineState:
    if not ep.registered:
        return LineState.UNAVAILABLE
    states = [c.state for c in ep.conns]
    for conn in ep.conns:
        if conn.state is ConnectionState.CONNECTED:
            rest = others(conn)
            return LineState.TALKING if rest and rest[0].state in LIVE else LineState.DIALING
    if ConnectionState.INITIATED in states or ConnectionState.FAIL in states:
        return LineState.DIALING
    if ConnectionState.ALERTING in states:
        return LineState.RINGING
    if ConnectionState.HOLD in states:
        return LineState.HOLD
    return LineState.IDLE


def device_view(ep: Endpoint) -> MonitoredDevice:
    fwd = ep.forward(ForwardKind.UNCONDITIONAL)
    return MonitoredDevice(
        device_id=ep.device_id,
        name=ep.name or "",
        extension=ep.extension,
        line_state=line_state(ep),
        user_id=ep.user_id,
        department=ep.department,
        presence=ep.presence,
        presence_note=ep.presence_note,
        presence_label=ep.presence_label,
        dnd=ep.dnd,
        forward_unconditional=fwd.destination if fwd else None,
    )


def operator_view(ep: Endpoint, company_numbers: tuple[CompanyNumber, ...] = ()) -> OperatorState:
    return OperatorState(
        user_id=ep.user_id or ep.device_id,  # type: ignore[arg-type]
        name=ep.name or "",
        extension=ep.extension or "",
        devices=(ep.device_id,),
        dnd=ep.dnd,
        forwards=dict(ep.forwards),
        find_me=ep.find_me,
        presence=ep.presence,
        presence_note=ep.presence_note,
        presence_label=ep.presence_label,
        agent=ep.agent,
        agent_reason=ep.agent_reason,
        hands_free=ep.hands_free,
        company_numbers=company_numbers,
        presented_number=ep.presented_number,
    )


def is_member(ep: Endpoint, queue_id: QueueId) -> bool:
    """Whether ``ep`` takes part in the queue now (logged in to it, not logged off)."""
    return queue_id in ep.queues and ep.agent is not AgentState.LOGGED_OFF


def queue_view(q: QueueState, agents: Iterable[Endpoint], me: Endpoint | None) -> Queue:
    members = [a for a in agents if is_member(a, q.id)]
    ready = [a for a in members if a.agent is AgentState.READY]
    paused = [
        a for a in members if a.agent in (AgentState.NOT_READY, AgentState.WORKING_AFTER_CALL)
    ]
    busy = [a for a in ready if a.conns]
    waiting = tuple(
        QueuedCall(
            call_id=call.id,  # type: ignore[arg-type]
            queue=q.ref,
            caller=call.conns[0].endpoint.party if call.conns else Party(),
            queued_at=call.queued_at or call.created_at,
            called=call.called,
            position=i,
            priority=call.priority,
        )
        for i, call in enumerate(q.waiting, start=1)
    )
    members_view = tuple(
        QueueAgent(
            device_id=a.device_id,
            name=a.name or a.extension or a.device_id,
            extension=a.extension,
            state=a.agent,
            on_call=bool(a.conns),
            reason=a.agent_reason if a.agent is AgentState.NOT_READY else None,
            auto_paused=a.auto_paused and a.agent is AgentState.NOT_READY,
        )
        for a in sorted(members, key=lambda a: a.name or "")
    )
    return Queue(
        id=q.id,
        name=q.name,
        number=q.number,
        waiting=waiting,
        agents=members_view,
        strategy=q.strategy,
        max_waiting=q.max_waiting,
        announce_position=q.announce_position,
        agents_logged_in=len(members),
        agents_ready=len(ready) - len(busy),
        agents_paused=len(paused),
        agents_busy=len(busy),
        member=me is not None and is_member(me, q.id),
        overflow_to=q.overflow_to,
        overflow_after_s=q.overflow_after_s,
        forward_rules=tuple(q.rules),
    )


def flow_view(flow: FlowState, at: datetime) -> CallFlow:
    return CallFlow(
        id=flow.id,
        name=flow.name,
        mode=flow.mode,
        open_now=flow.open_at(at),
        schedule=flow.schedule.text if flow.schedule is not None else None,
        closed_destination=flow.closed_destination,
        queue_id=flow.queue_id,
    )


def lot_view(lot: LotState) -> ParkingLot:
    calls = []
    for call in lot.calls:
        info = call.parked
        assert info is not None
        calls.append(
            ParkedCall(
                call_id=call.id,  # type: ignore[arg-type]
                lot_id=LotId(lot.id),
                caller=call.conns[0].endpoint.party if call.conns else Party(),
                parked_at=info.parked_at,
                slot=info.slot,
                parked_by=info.parked_by.party,
                timeout_at=info.timeout_at,
            )
        )
    return ParkingLot(lot.id, lot.name, tuple(calls))


def transfer_view(x: Xfer) -> Transfer:
    return Transfer(
        transfer_id=x.id,
        mode="attended",
        status=x.status,
        transferred_call_id=x.primary.id,
        destination=x.destination,
        consult_call_id=x.consult.id if x.consult is not None else None,
        version=x.version,
    )
