"""Call-control endpoints: calls, transfers, queues and agent state, call flows, queue rules,
parking. Each handler checks ownership through the switchboard, then runs one switch request
(commands run under the command lock; see :func:`tws_tui.server.http.dispatch`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tws_tui.core.errors import N_, InvalidState
from tws_tui.core.model import (
    Call,
    Capability,
    ConnectionState,
    ParkedCall,
    QueueForwardRule,
    QueueId,
    QueueRuleId,
    Transfer,
)
from tws_tui.server.http import Ctx, Operation
from tws_tui.server.roles import check_destination
from tws_tui.server.switchboard import Switchboard
from tws_tui.simulator.switch import Switch
from tws_tui.wire import bodies, routes
from tws_tui.wire.routes import TransferStep

#: The per-call on/off switches, by the capability that offers them.
CALL_FLAGS: Mapping[Capability, Callable[[Switch, str, bool], None]] = {
    Capability.MUTE: Switch.set_mute,
    Capability.RECORD: Switch.set_recording,
}
#: The steps of an attended transfer after it started.
TRANSFER_STEPS: Mapping[TransferStep, Callable[[Switch, str], None]] = {
    TransferStep.COMPLETE: Switch.complete_transfer,
    TransferStep.CANCEL: Switch.cancel_transfer,
    TransferStep.ALTERNATE: Switch.alternate,
    TransferStep.CONFERENCE: Switch.conference,
}


def _sb(ctx: Ctx) -> Switchboard:
    return ctx.state.switchboard


def _my_call(ctx: Ctx, call_id: str) -> Call:
    return _sb(ctx).call(ctx.me, call_id)


def _owned_call_id(ctx: Ctx) -> str:
    """The call of the path, once checked to be the caller's own (403 otherwise)."""
    call_id: str = ctx.params["call_id"]
    _sb(ctx).own_call(ctx.me, call_id)
    return call_id


# ---- calls ----------------------------------------------------------------------------------


async def list_calls(ctx: Ctx) -> bodies.CallList:
    return bodies.CallList(_sb(ctx).snapshot(ctx.me).calls)


async def get_call(ctx: Ctx) -> Call:
    return _my_call(ctx, ctx.params["call_id"])


async def make_call(ctx: Ctx) -> Call:
    body: bodies.MakeCallBody = ctx.body
    device = _sb(ctx).own_device(ctx.me, body.device_id)
    call_id = _sb(ctx).switch.make_call(device, body.destination, presented=body.presented)
    return _my_call(ctx, call_id)


async def hangup(ctx: Ctx) -> None:
    call_id = _owned_call_id(ctx)
    _sb(ctx).switch.clear_connection(call_id)


async def answer(ctx: Ctx) -> None:
    call = _my_call(ctx, ctx.params["call_id"])
    if call.state is ConnectionState.CONNECTED:
        return  # answering a connected call is done already (idempotent by state)
    _sb(ctx).switch.answer(call.call_id)


async def clear_call(ctx: Ctx) -> None:
    call_id = _owned_call_id(ctx)
    _sb(ctx).switch.clear_call(call_id)


async def drop_participant(ctx: Ctx) -> None:
    call_id = _owned_call_id(ctx)
    _sb(ctx).switch.drop_participant(call_id, ctx.body.party)


async def hold(ctx: Ctx) -> None:
    call = _my_call(ctx, ctx.params["call_id"])
    if call.state is not ConnectionState.HOLD:
        _sb(ctx).switch.hold(call.call_id)


async def retrieve(ctx: Ctx) -> None:
    call = _my_call(ctx, ctx.params["call_id"])
    if call.state is ConnectionState.HOLD:
        _sb(ctx).switch.retrieve(call.call_id)
    elif call.state is not ConnectionState.CONNECTED:
        raise InvalidState(
            N_("Call {call_id} is {state}, not on hold"), call_id=call.call_id, state=call.state
        )


def _flag(ctx: Ctx, flag: Capability, on: bool) -> None:
    call_id = _owned_call_id(ctx)
    CALL_FLAGS[flag](_sb(ctx).switch, call_id, on)


async def mute_on(ctx: Ctx) -> None:
    _flag(ctx, Capability.MUTE, True)


async def mute_off(ctx: Ctx) -> None:
    _flag(ctx, Capability.MUTE, False)


async def recording_on(ctx: Ctx) -> None:
    _flag(ctx, Capability.RECORD, True)


async def recording_off(ctx: Ctx) -> None:
    _flag(ctx, Capability.RECORD, False)


async def send_dtmf(ctx: Ctx) -> None:
    call_id = _owned_call_id(ctx)
    _sb(ctx).switch.send_dtmf(call_id, ctx.body.digits)


async def deflect(ctx: Ctx) -> None:
    call_id = _owned_call_id(ctx)
    _sb(ctx).switch.deflect(call_id, ctx.body.destination)


async def blind_transfer(ctx: Ctx) -> None:
    call_id = _owned_call_id(ctx)
    _sb(ctx).switch.blind_transfer(call_id, ctx.body.destination)


async def park(ctx: Ctx) -> ParkedCall:
    call_id = _owned_call_id(ctx)
    parked: ParkedCall = _sb(ctx).switch.park(call_id, ctx.body.lot_id if ctx.body else None)
    return parked


async def pickup(ctx: Ctx) -> Call:
    body: bodies.PickupBody = ctx.body
    device = _sb(ctx).own_device(ctx.me, body.device_id)
    return _my_call(ctx, _sb(ctx).switch.pickup(device, body.target_device_id))


async def hands_free_on(ctx: Ctx) -> None:
    _sb(ctx).switch.set_hands_free(ctx.me.device_id, True)


async def hands_free_off(ctx: Ctx) -> None:
    _sb(ctx).switch.set_hands_free(ctx.me.device_id, False)


# ---- transfers ------------------------------------------------------------------------------


async def list_transfers(ctx: Ctx) -> bodies.TransferList:
    return bodies.TransferList(_sb(ctx).snapshot(ctx.me).transfers)


async def start_transfer(ctx: Ctx) -> Transfer:
    body: bodies.TransferBody = ctx.body
    _sb(ctx).own_call(ctx.me, body.call_id)
    transfer: Transfer = _sb(ctx).switch.start_transfer(body.call_id, body.destination)
    return transfer


def _transfer_step(ctx: Ctx, step: TransferStep) -> None:
    transfer_id = ctx.params["transfer_id"]
    _sb(ctx).own_transfer(ctx.me, transfer_id)
    TRANSFER_STEPS[step](_sb(ctx).switch, transfer_id)


async def complete_transfer(ctx: Ctx) -> None:
    _transfer_step(ctx, TransferStep.COMPLETE)


async def cancel_transfer(ctx: Ctx) -> None:
    _transfer_step(ctx, TransferStep.CANCEL)


async def alternate(ctx: Ctx) -> None:
    _transfer_step(ctx, TransferStep.ALTERNATE)


async def conference(ctx: Ctx) -> None:
    _transfer_step(ctx, TransferStep.CONFERENCE)


# ---- switchboard ----------------------------------------------------------------------------


async def list_queues(ctx: Ctx) -> bodies.QueueList:
    return bodies.QueueList(_sb(ctx).snapshot(ctx.me).queues)


async def answer_queued(ctx: Ctx) -> Call:
    conn = _sb(ctx).switch.answer_queued(
        ctx.me.device_id, ctx.params["queue_id"], ctx.params["call_id"]
    )
    return _my_call(ctx, conn)


async def set_agent_state(ctx: Ctx) -> None:
    body: bodies.AgentBody = ctx.body
    _sb(ctx).switch.set_agent_state(ctx.me.device_id, body.state, body.reason, body.queue_id)


async def list_call_flows(ctx: Ctx) -> bodies.CallFlowList:
    return bodies.CallFlowList(_sb(ctx).snapshot(ctx.me).call_flows)


async def set_call_flow(ctx: Ctx) -> None:
    _sb(ctx).switch.set_call_flow(ctx.params["flow_id"], ctx.body.mode)


def _save_rule(ctx: Ctx, rule_id: str) -> QueueForwardRule:
    body: bodies.QueueRuleBody = ctx.body
    if body.destination.strip():  # an empty one is the switch's invalid_destination
        check_destination(ctx.state.config.forward_destinations, body.destination)
    rule = QueueForwardRule(
        id=QueueRuleId(rule_id),
        queue_id=QueueId(ctx.params["queue_id"]),
        destination=body.destination,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        enabled=body.enabled,
    )
    saved: QueueForwardRule = _sb(ctx).switch.save_queue_rule(rule, by=ctx.me.name)
    return saved


async def create_queue_rule(ctx: Ctx) -> QueueForwardRule:
    return _save_rule(ctx, "")


async def update_queue_rule(ctx: Ctx) -> QueueForwardRule:
    return _save_rule(ctx, ctx.params["rule_id"])


async def delete_queue_rule(ctx: Ctx) -> None:
    _sb(ctx).switch.delete_queue_rule(ctx.params["queue_id"], ctx.params["rule_id"])


async def list_parking(ctx: Ctx) -> bodies.ParkingList:
    return bodies.ParkingList(_sb(ctx).snapshot(ctx.me).parking)


async def retrieve_parked(ctx: Ctx) -> Call:
    conn = _sb(ctx).switch.retrieve_parked(
        ctx.me.device_id, ctx.params["lot_id"], ctx.params["call_id"]
    )
    return _my_call(ctx, conn)


CALLS = "Calls"
XFER = "Transfers"
SB = "Switchboard"
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.LIST_CALLS, list_calls, "My calls", CALLS, response=bodies.CallList),
    Operation(
        routes.MAKE_CALL, make_call, "Make a call (MakeCall)", CALLS,
        response=Call, status=201, idempotency_key=True, command=True,
    ),
    Operation(routes.GET_CALL, get_call, "One of my calls", CALLS, response=Call),
    Operation(routes.HANGUP, hangup, "Hang up (ClearConnection)", CALLS, command=True),
    Operation(
        routes.ANSWER, answer, "Answer (AnswerCall); 204 if connected already", CALLS,
        idempotency_key=True, command=True,
    ),
    Operation(
        routes.CLEAR_CALL, clear_call, "End the call for every party (ClearCall)", CALLS,
        idempotency_key=True, command=True,
    ),
    Operation(
        routes.DROP_PARTICIPANT, drop_participant,
        "Drop one party of my 3-way conference", CALLS,
        idempotency_key=True, command=True,
    ),
    Operation(routes.HOLD, hold, "Hold (HoldCall)", CALLS, command=True),
    Operation(routes.RETRIEVE, retrieve, "Retrieve (RetrieveCall)", CALLS, command=True),
    Operation(routes.MUTE_ON, mute_on, "Mute my microphone", CALLS, command=True),
    Operation(routes.MUTE_OFF, mute_off, "Unmute my microphone", CALLS, command=True),
    Operation(routes.RECORDING_ON, recording_on, "Start recording", CALLS, command=True),
    Operation(routes.RECORDING_OFF, recording_off, "Stop recording", CALLS, command=True),
    Operation(
        routes.SEND_DTMF, send_dtmf, "Send DTMF digits (GenerateDigits)", CALLS,
        idempotency_key=True, command=True,
    ),
    Operation(
        routes.DEFLECT, deflect, "Send a ringing call elsewhere (DeflectCall)", CALLS,
        idempotency_key=True, command=True,
    ),
    Operation(
        routes.BLIND_TRANSFER, blind_transfer, "Blind transfer (SingleStepTransfer)",
        XFER, idempotency_key=True, command=True,
    ),
    Operation(
        routes.PARK, park, "Park the call (ParkCall)", SB,
        response=ParkedCall, status=201, idempotency_key=True, command=True,
    ),
    Operation(
        routes.PICKUP, pickup, "Take a call ringing elsewhere (DirectedPickupCall)",
        CALLS, response=Call, status=201, idempotency_key=True,
        command=True,
    ),
    Operation(routes.HANDS_FREE_ON, hands_free_on, "Audio to the loudspeaker", CALLS,
              command=True),
    Operation(routes.HANDS_FREE_OFF, hands_free_off, "Audio to the headset", CALLS,
              command=True),
    Operation(routes.LIST_TRANSFERS, list_transfers, "My transfers", XFER,
              response=bodies.TransferList),
    Operation(
        routes.START_TRANSFER, start_transfer, "Consult before transferring (ConsultationCall)",
        XFER, response=Transfer, status=201, idempotency_key=True,
        command=True,
    ),
    Operation(
        routes.COMPLETE_TRANSFER, complete_transfer,
        "Complete the transfer (TransferCall)", XFER, idempotency_key=True, command=True,
    ),
    Operation(
        routes.CANCEL_TRANSFER, cancel_transfer,
        "Cancel: drop the consultation, retrieve the caller (ReconnectCall)", XFER,
        idempotency_key=True, command=True,
    ),
    Operation(
        routes.ALTERNATE, alternate,
        "Swap the held and the active call (AlternateCall)", XFER, idempotency_key=True,
        command=True,
    ),
    Operation(
        routes.CONFERENCE, conference,
        "Join all three (ConferenceCall)", XFER, idempotency_key=True, command=True,
    ),
    Operation(routes.LIST_QUEUES, list_queues, "Queues, their waiting calls and agents", SB,
              response=bodies.QueueList),
    Operation(
        routes.ANSWER_QUEUED, answer_queued,
        "Take a waiting call; 409 already_taken when another operator was first", SB,
        response=Call, status=201, idempotency_key=True, command=True,
    ),
    Operation(routes.SET_AGENT_STATE, set_agent_state, "My agent state (SetAgentState)", SB,
              command=True),
    Operation(routes.LIST_CALL_FLOWS, list_call_flows, "Call flows (day/night routing)", SB,
              response=bodies.CallFlowList),
    Operation(routes.SET_CALL_FLOW, set_call_flow,
              "Force a call flow day/night/auto (supervisor)",
              SB, command=True, supervisor=True, audited=True, errors=(403,)),
    Operation(
        routes.CREATE_QUEUE_RULE, create_queue_rule,
        "Create a queue forwarding rule (supervisor; allowed destinations only)",
        SB, response=QueueForwardRule, status=201, idempotency_key=True,
        command=True, supervisor=True, audited=True, errors=(403,),
    ),
    Operation(
        routes.UPDATE_QUEUE_RULE, update_queue_rule,
        "Replace a queue forwarding rule (supervisor; allowed destinations only)", SB,
        response=QueueForwardRule, command=True, supervisor=True, audited=True, errors=(403,),
    ),
    Operation(routes.DELETE_QUEUE_RULE, delete_queue_rule,
              "Delete a queue forwarding rule (supervisor)", SB, command=True,
              supervisor=True, audited=True, errors=(403,)),
    Operation(routes.LIST_PARKING, list_parking, "Parking lots and parked calls", SB,
              response=bodies.ParkingList),
    Operation(
        routes.RETRIEVE_PARKED, retrieve_parked,
        "Take a parked call", SB, response=Call, status=201, idempotency_key=True, command=True,
    ),
)  # fmt: skip
