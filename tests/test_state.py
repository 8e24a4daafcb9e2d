"""Every rule of the ConsoleState reducer: snapshots, versions, tombstones, dedup, counters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tws_tui.core.events import (
    CallEvent,
    CallEventKind,
    CallFlowEvent,
    ChatEvent,
    DeviceEvent,
    HistoryEvent,
    LinkEvent,
    LinkStatus,
    OperatorEvent,
    ParkingEvent,
    QueueEvent,
    SnapshotEvent,
    TransferEvent,
)
from tws_tui.core.model import (
    Call,
    CallFlow,
    CallId,
    ChatMessage,
    ConnectionState,
    DeviceId,
    Direction,
    FlowId,
    FlowMode,
    HistoryEntry,
    LineState,
    LotId,
    MonitoredDevice,
    OperatorState,
    Outcome,
    ParkingLot,
    Party,
    Queue,
    QueueForwardRule,
    QueueId,
    QueueRuleId,
    Snapshot,
    Transfer,
    TransferId,
    TransferStatus,
    UserId,
)
from tws_tui.core.state import ConsoleState
from tws_tui.core.topics import Topic

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
ME = OperatorState(UserId("u-me"), "Camille Martin", "100", (DeviceId("d-100"),))


def call(
    call_id: str = "c1", state: ConnectionState = ConnectionState.ALERTING, v: int = 1
) -> Call:
    return Call(
        call_id=CallId(call_id),
        device_id=DeviceId("d-100"),
        state=state,
        direction=Direction.INBOUND,
        remote=Party("+33123456789", "ACME"),
        created_at=T0,
        version=v,
    )


def call_event(c: Call, kind: CallEventKind = CallEventKind.DELIVERED) -> CallEvent:
    return CallEvent(at=T0, kind=kind, call=c)


def test_snapshot_replaces_everything() -> None:
    state = ConsoleState()
    state.apply(call_event(call("old")))
    snapshot = Snapshot(me=ME, calls=(call("new"),), missed_calls=3, cursor="9-1")
    topics = state.apply(SnapshotEvent(at=T0, snapshot=snapshot))
    assert Topic.CALLS in topics and Topic.ME in topics
    assert list(state.calls) == ["new"]
    assert state.me == ME
    assert state.missed_calls == 3
    assert state.cursor == "9-1"


def test_newer_call_version_replaces_older() -> None:
    state = ConsoleState()
    state.apply(call_event(call(v=1)))
    assert state.apply(call_event(call(state=ConnectionState.CONNECTED, v=2))) == {Topic.CALLS}
    assert state.calls[CallId("c1")].state is ConnectionState.CONNECTED


def test_stale_and_duplicate_call_events_are_dropped() -> None:
    state = ConsoleState()
    state.apply(call_event(call(state=ConnectionState.CONNECTED, v=5)))
    assert state.apply(call_event(call(state=ConnectionState.ALERTING, v=4))) == set()
    assert state.apply(call_event(call(state=ConnectionState.CONNECTED, v=5))) == set()
    assert state.calls[CallId("c1")].state is ConnectionState.CONNECTED


def test_cleared_call_is_removed_and_cannot_come_back() -> None:
    state = ConsoleState()
    state.apply(call_event(call(v=1)))
    cleared = call(state=ConnectionState.NULL, v=2)
    assert state.apply(call_event(cleared, CallEventKind.CONNECTION_CLEARED)) == {Topic.CALLS}
    assert state.calls == {}
    # a late event from before the clearing must not resurrect the row
    assert state.apply(call_event(call(state=ConnectionState.CONNECTED, v=2))) == set()
    assert state.calls == {}


def test_transfer_lifecycle_and_final_status_removes_it() -> None:
    state = ConsoleState()
    transfer = Transfer(
        TransferId("t1"), "attended", TransferStatus.RINGBACK, CallId("c1"), "205", CallId("c2"), 1
    )
    assert state.apply(TransferEvent(at=T0, transfer=transfer)) == {Topic.TRANSFERS}
    assert state.transfer_for(CallId("c2")) == transfer
    stale = replace(transfer, status=TransferStatus.DIALING, version=0)
    assert state.apply(TransferEvent(at=T0, transfer=stale)) == set()
    done = replace(transfer, status=TransferStatus.COMPLETED, version=2)
    assert state.apply(TransferEvent(at=T0, transfer=done)) == {Topic.TRANSFERS}
    assert state.transfers == {}
    # a final status for an unknown transfer changes nothing
    assert state.apply(TransferEvent(at=T0, transfer=replace(done, version=3))) == set()


def test_queue_parking_device_operator_are_versioned() -> None:
    state = ConsoleState()
    queue = Queue(QueueId("q1"), "Accueil", version=2)
    assert state.apply(QueueEvent(at=T0, queue=queue)) == {Topic.QUEUES}
    assert state.apply(QueueEvent(at=T0, queue=replace(queue, name="x", version=1))) == set()
    assert state.queues[QueueId("q1")].name == "Accueil"

    lot = ParkingLot(LotId("p"), "Parking", version=1)
    assert state.apply(ParkingEvent(at=T0, lot=lot)) == {Topic.PARKING}
    assert state.apply(ParkingEvent(at=T0, lot=lot)) == set()

    device = MonitoredDevice(DeviceId("d-201"), "Léa", "201", LineState.IDLE, version=1)
    assert state.apply(DeviceEvent(at=T0, device=device)) == {Topic.DEVICES}
    talking = replace(device, line_state=LineState.TALKING, version=2)
    assert state.apply(DeviceEvent(at=T0, device=talking)) == {Topic.DEVICES}
    assert state.apply(DeviceEvent(at=T0, device=device)) == set()
    assert state.devices[DeviceId("d-201")].line_state is LineState.TALKING

    assert state.apply(OperatorEvent(at=T0, me=replace(ME, version=1))) == {Topic.ME}
    assert state.apply(OperatorEvent(at=T0, me=replace(ME, dnd=True, version=1))) == set()
    assert state.me is not None and not state.me.dnd


def test_call_flows_come_with_snapshots_and_are_versioned() -> None:
    state = ConsoleState()
    day = CallFlow(FlowId("f1"), "Accueil – horaires", queue_id=QueueId("q1"), version=2)
    snapshot = Snapshot(
        me=ME, call_flows=(day,), pause_reasons=("Déjeuner", "Réunion"), voicemail_number="3990"
    )
    assert Topic.FLOWS in state.apply(SnapshotEvent(at=T0, snapshot=snapshot))
    assert state.call_flows == {FlowId("f1"): day}
    assert state.pause_reasons == ("Déjeuner", "Réunion") and state.voicemail_number == "3990"

    night = replace(day, mode=FlowMode.NIGHT, open_now=False, version=3)
    assert state.apply(CallFlowEvent(at=T0, flow=night)) == {Topic.FLOWS}
    assert state.apply(CallFlowEvent(at=T0, flow=night)) == set()  # duplicate
    assert state.apply(CallFlowEvent(at=T0, flow=day)) == set()  # late
    assert not state.call_flows[FlowId("f1")].open_now

    state.apply(SnapshotEvent(at=T0, snapshot=Snapshot(me=ME)))
    assert state.call_flows == {} and state.pause_reasons == () and not state.voicemail_number


def test_queue_forward_rules_travel_with_their_queue() -> None:
    state = ConsoleState()
    rule = QueueForwardRule(QueueRuleId("r1"), QueueId("q1"), "+33140000000", version=3)
    queue = Queue(QueueId("q1"), "Accueil", forward_rules=(rule,), version=4)
    state.apply(SnapshotEvent(at=T0, snapshot=Snapshot(me=ME, queues=(queue,))))
    assert state.queues[QueueId("q1")].forward_rules == (rule,)

    off = replace(rule, enabled=False, version=5)
    assert state.apply(QueueEvent(at=T0, queue=replace(queue, forward_rules=(off,), version=6)))
    assert state.apply(QueueEvent(at=T0, queue=queue)) == set()  # late
    assert state.queues[QueueId("q1")].forward_rules == (off,)
    assert state.apply(QueueEvent(at=T0, queue=replace(queue, forward_rules=(), version=7)))
    assert state.queues[QueueId("q1")].forward_rules == ()


def test_queue_forward_rule_active_at() -> None:
    rule = QueueForwardRule(QueueRuleId("r1"), QueueId("q1"), "3990")
    assert rule.active_at(T0)  # from now, until removed
    hour = timedelta(hours=1)
    timed = replace(rule, starts_at=T0, ends_at=T0 + hour)
    assert not timed.active_at(T0 - timedelta(seconds=1))
    assert timed.active_at(T0) and timed.active_at(T0 + hour - timedelta(seconds=1))
    assert not timed.active_at(T0 + hour)
    assert not replace(timed, enabled=False).active_at(T0)
    assert replace(rule, ends_at=T0 + hour).active_at(T0 - hour)


def test_missed_calls_counted_once_and_reset_when_seen() -> None:
    state = ConsoleState()
    missed = HistoryEntry("h1", T0, Direction.INBOUND, Outcome.MISSED, Party("0123456789"))
    answered = replace(missed, id="h2", outcome=Outcome.ANSWERED)
    assert state.apply(HistoryEvent(at=T0, entry=missed)) == {Topic.HISTORY}
    assert state.apply(HistoryEvent(at=T0, entry=missed)) == set()
    state.apply(HistoryEvent(at=T0, entry=answered))
    assert state.missed_calls == 1
    assert [e.id for e in state.history] == ["h2", "h1"]  # newest first
    state.mark_history_seen()
    assert state.missed_calls == 0
    assert all(e.seen for e in state.history)


def test_chat_messages_deduplicated() -> None:
    state = ConsoleState()
    message = ChatMessage("m1", UserId("u-2"), UserId("u-2"), "bonjour", T0)
    assert state.apply(ChatEvent(at=T0, message=message)) == {Topic.CHAT}
    assert state.apply(ChatEvent(at=T0, message=message)) == set()
    assert len(state.chat) == 1


def test_link_status_changes_only_when_different() -> None:
    state = ConsoleState()
    assert state.apply(LinkEvent(at=T0, status=LinkStatus.ONLINE)) == {Topic.LINK}
    assert state.apply(LinkEvent(at=T0, status=LinkStatus.ONLINE)) == set()
    topics = state.apply(LinkEvent(at=T0, status=LinkStatus.RECONNECTING, detail="timeout"))
    assert topics == {Topic.LINK}
    assert state.link_detail == "timeout"


def test_cursor_follows_event_sequence() -> None:
    state = ConsoleState()
    state.apply(LinkEvent(at=T0, seq="17-4", status=LinkStatus.ONLINE))
    assert state.cursor == "17-4"


def test_ringing_and_active_call_queries() -> None:
    state = ConsoleState()
    later = replace(call("c2"), created_at=T0.replace(minute=5))
    state.apply(call_event(later))
    state.apply(call_event(call("c1")))
    state.apply(call_event(call("c3", ConnectionState.CONNECTED)))
    assert [c.call_id for c in state.ringing_calls()] == ["c1", "c2"]  # oldest first
    active = state.active_call()
    assert active is not None and active.call_id == "c3"
    state.apply(QueueEvent(at=T0, queue=Queue(QueueId("q"), "Q", version=1)))
    assert state.waiting_total() == 0
