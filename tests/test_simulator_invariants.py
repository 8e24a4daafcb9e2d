"""Simulated switch: refused requests change nothing, versions, determinism, features."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tws_tui.core.errors import (
    AlreadyTaken,
    CallControlError,
    InvalidDestination,
    InvalidState,
    NotFound,
)
from tws_tui.core.events import (
    CallEvent,
    DeviceEvent,
    Event,
    OperatorEvent,
    ParkingEvent,
    QueueEvent,
    TransferEvent,
)
from tws_tui.core.model import (
    AgentState,
    Forward,
    ForwardKind,
    LineState,
    PresenceState,
    QueueId,
)
from tws_tui.simulator.base import Behaviour
from tws_tui.simulator.testing import Harness


def busy_console() -> tuple[Harness, dict[str, str]]:
    """Operator with a call on hold, a consultation ringing, a ringing call, a queued call."""
    h = Harness()
    bob = h.colleague()
    held = h.talking_with_caller()
    transfer = h.switch.start_transfer(held, bob.extension)
    ringing = h.ring_me("+33498765432")
    queued = h.switch.inject_incoming_call("3900", "+33477777777")
    taken = h.switch.inject_incoming_call("3900", "+33488888888")
    h.switch.caller_hangs_up(taken)
    ids = {
        "held": held,
        "consult": transfer.consult_call_id or "",
        "transfer": transfer.transfer_id,
        "ringing": ringing,
        "queued": queued,
        "taken": taken,
        "bob": bob.extension,
        "carol": h.colleague(0).extension,
    }
    return h, ids


INVALID: list[tuple[str, type[CallControlError], Callable[[Any, dict[str, str]], object]]] = [
    ("answer a held call", InvalidState, lambda s, i: s.answer(i["held"])),
    ("answer unknown", NotFound, lambda s, i: s.answer("c999")),
    ("hold a ringing call", InvalidState, lambda s, i: s.hold(i["ringing"])),
    ("retrieve a ringing call", InvalidState, lambda s, i: s.retrieve(i["ringing"])),
    ("deflect a held call", InvalidState, lambda s, i: s.deflect(i["held"], "3901")),
    ("deflect to garbage", InvalidDestination, lambda s, i: s.deflect(i["ringing"], "abc")),
    ("dtmf bad digits", InvalidDestination, lambda s, i: s.send_dtmf(i["consult"], "9z")),
    ("dtmf while ringback", InvalidState, lambda s, i: s.send_dtmf(i["consult"], "1")),
    ("mute a ringing call", InvalidState, lambda s, i: s.set_mute(i["ringing"], True)),
    ("record a held call", InvalidState, lambda s, i: s.set_recording(i["held"], True)),
    ("blind-transfer ringing", InvalidState, lambda s, i: s.blind_transfer(i["ringing"], "3901")),
    ("blind-transfer in consult", InvalidState, lambda s, i: s.blind_transfer(i["held"], "3901")),
    ("blind to myself", InvalidState, lambda s, i: s.blind_transfer(i["consult"], "100")),
    ("consult twice", InvalidState, lambda s, i: s.start_transfer(i["held"], "3901")),
    ("complete unknown", NotFound, lambda s, i: s.complete_transfer("t999")),
    ("alternate unanswered", InvalidState, lambda s, i: s.alternate(i["transfer"])),
    ("conference unanswered", InvalidState, lambda s, i: s.conference(i["transfer"])),
    ("park a ringing call", InvalidState, lambda s, i: s.park(i["ringing"])),
    ("park a ringback call", InvalidState, lambda s, i: s.park(i["consult"], "parking")),
    ("retrieve unknown parked", NotFound, lambda s, i: s.retrieve_parked("100", "parking", "x")),
    ("pickup idle", InvalidState, lambda s, i: s.pickup("100", i["carol"])),
    ("pickup unknown", NotFound, lambda s, i: s.pickup("100", "dev-999")),
    ("taken queued", AlreadyTaken, lambda s, i: s.answer_queued("100", "accueil", i["taken"])),
    ("unknown queue", NotFound, lambda s, i: s.answer_queued("100", "zzz", i["queued"])),
    ("agent busy", InvalidState, lambda s, i: s.set_agent_state("100", AgentState.BUSY)),
    ("agent bad queue", NotFound, lambda s, i: s.set_agent_state("100", "ready", None, "zz")),
    ("forward to myself", InvalidDestination, lambda s, i: s.set_forward(
        "100", ForwardKind.UNCONDITIONAL, Forward(True, "100"))),
    ("forward nowhere", InvalidDestination, lambda s, i: s.set_forward(
        "100", ForwardKind.BUSY, Forward(True, None))),
    ("dnd unknown device", NotFound, lambda s, i: s.set_dnd("dev-999", True)),
    ("call garbage", InvalidDestination, lambda s, i: s.make_call("100", "+33 abc")),
]  # fmt: skip


@pytest.mark.parametrize(("what", "error", "request_"), INVALID, ids=[w for w, _, _ in INVALID])
def test_refused_request_raises_typed_error_and_changes_nothing(
    what: str, error: type[CallControlError], request_: Callable[[Any, dict[str, str]], object]
) -> None:
    h, ids = busy_console()
    before_events = len(h.events)
    before = h.switch.snapshot()
    with pytest.raises(CallControlError) as caught:
        request_(h.switch, ids)
    assert type(caught.value) is error, what
    assert str(caught.value)  # a sentence for the operator
    assert len(h.events) == before_events, h.events[before_events:]
    assert h.switch.snapshot() == before


def test_park_in_unknown_lot_and_call_myself_refused() -> None:
    h, ids = busy_console()
    h.switch.retrieve(ids["held"])  # the consultation goes on hold instead
    before = h.switch.snapshot()
    with pytest.raises(NotFound):
        h.switch.park(ids["held"], "nope")
    with pytest.raises(InvalidDestination):
        h.switch.make_call("100", "100")
    assert h.switch.snapshot() == before


def _key(event: Event) -> tuple[str, str] | None:
    match event:
        case CallEvent(call=call):
            return ("call", call.call_id)
        case QueueEvent(queue=queue):
            return ("queue", queue.id)
        case ParkingEvent(lot=lot):
            return ("lot", lot.lot_id)
        case DeviceEvent(device=device):
            return ("device", device.device_id)
        case OperatorEvent():
            return ("me", "")
        case TransferEvent(transfer=transfer):
            return ("transfer", transfer.transfer_id)
    return None


def _version(event: Event) -> int:
    for attr in ("call", "queue", "lot", "device", "me", "transfer"):
        if hasattr(event, attr):
            return int(getattr(event, attr).version)
    raise AssertionError(event)


def run_demo(seed: int, seconds: int = 300) -> list[Event]:
    """Traffic on, the operator answering and transferring; every event recorded."""
    h = Harness(seed=seed, behaviour=Behaviour())
    from tws_tui.simulator.traffic import Traffic

    traffic = Traffic(h.switch, seed)
    traffic.start()
    for second in range(seconds):
        h.advance(1)
        if second == 30:
            h.switch.set_presence("100", PresenceState.AWAY, "Pause")
            h.switch.set_agent_state("100", AgentState.NOT_READY)
        ringing = h.ringing()
        if ringing:
            h.switch.answer(ringing[0].call_id)
        elif second % 15 == 0:
            for queue in h.state.queues.values():
                if queue.waiting:
                    h.switch.answer_queued("100", queue.id, queue.waiting[0].call_id)
                    break
        active = h.state.active_call()
        if active is not None and second % 7 == 0 and active.consult_of is None:
            if second % 2:
                h.switch.blind_transfer(active.call_id, "3901")
            else:
                h.switch.park(active.call_id)
    traffic.stop()
    return h.events


def test_versions_strictly_increase_per_object() -> None:
    events = run_demo(3, 200)
    last: dict[tuple[str, str], int] = {}
    for event in events:
        key = _key(event)
        if key is None:
            continue
        version = _version(event)
        assert version > last.get(key, 0), (key, version, last.get(key))
        last[key] = version
    kinds = {k for k, _ in last}
    assert {"call", "queue", "lot", "device", "me"} <= kinds


def test_same_seed_same_events_other_seed_other_events() -> None:
    first, second, other = run_demo(7), run_demo(7), run_demo(8)
    assert len(first) > 200
    assert first == second
    assert first != other


def test_presence_dnd_forward_show_on_the_colleague_tile() -> None:
    h = Harness()
    bob = h.colleague()
    h.switch.set_presence(bob.extension, PresenceState.AWAY, "Déjeuner")
    h.switch.set_dnd(bob.extension, True)
    h.switch.set_forward(bob.extension, ForwardKind.UNCONDITIONAL, Forward(True, "3900"))
    tile = h.state.devices[bob.device_id]
    assert (tile.presence, tile.presence_note, tile.dnd) == (PresenceState.AWAY, "Déjeuner", True)
    assert tile.forward_unconditional == "3900"
    h.switch.set_registered(bob.extension, False)
    assert h.line(bob) == LineState.UNAVAILABLE


def test_operator_features_show_in_operator_state() -> None:
    h = Harness()
    h.switch.set_dnd("100", True)
    h.switch.set_presence("100", PresenceState.BUSY, "Réunion")
    h.switch.set_forward("100", ForwardKind.BUSY, Forward(True, "3909"))
    me = h.state.me
    assert me is not None and me.dnd and me.presence is PresenceState.BUSY
    assert me.forwards[ForwardKind.BUSY] == Forward(True, "3909", None)
    # DND with a busy forward: an outside call to the operator goes to the overflow queue
    h.switch.inject_incoming_call("100", "+33612345678")
    assert h.ringing() == [] and len(h.state.queues[QueueId("debordement")].waiting) == 1
