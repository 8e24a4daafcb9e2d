"""Capability gating is written once (``backends/gating.py``) and every backend goes through it.

A method whose capability is absent raises ``NotSupported`` before its body (no I/O, no switch
request); a delegated method calls its target with the same arguments; a refused method
always refuses; the three backends' refusals are the same error.
"""

from __future__ import annotations

import pytest

from tws_tui.backends.gating import FEATURES, check, delegate, refusal, refuse, requires
from tws_tui.backends.sim import SimBackend
from tws_tui.backends.sip import SipBackend
from tws_tui.core.errors import NotSupported
from tws_tui.core.model import CallId, Capability, DeviceId
from tws_tui.core.protocols import Calls
from tws_tui.domain.format import describe_error
from tws_tui.platform.i18n import _, set_language


class Target:
    def __init__(self) -> None:
        self.held: list[str] = []

    def hold(self, call_id: str) -> str:
        self.held.append(call_id)
        return f"held {call_id}"


class Toy:
    def __init__(self, *capabilities: Capability) -> None:
        self.capabilities = frozenset(capabilities)
        self.target = Target()
        self.ran: list[str] = []

    @property
    def delegate_to(self) -> Target:
        return self.target

    @requires(Capability.ANSWER)
    async def answer(self, call_id: CallId) -> str:
        self.ran.append(call_id)
        return call_id

    hold = delegate(Capability.HOLD, Target.hold)
    pickup = refuse(Capability.PICKUP, Calls.pickup)


async def test_requires_runs_the_method_only_with_the_capability() -> None:
    toy = Toy()
    with pytest.raises(NotSupported, match="answering from the console"):
        await toy.answer(CallId("c-1"))
    assert toy.ran == []
    able = Toy(Capability.ANSWER)
    assert await able.answer(CallId("c-1")) == "c-1" and able.ran == ["c-1"]
    assert Toy.answer.__name__ == "answer"  # the signature and name are kept


async def test_delegate_calls_the_target_with_the_same_arguments_once_checked() -> None:
    toy = Toy()
    with pytest.raises(NotSupported):
        await toy.hold("c-2")
    assert toy.target.held == []
    able = Toy(Capability.HOLD)
    assert await able.hold("c-2") == "held c-2" and able.target.held == ["c-2"]


async def test_refuse_refuses_even_with_the_capability() -> None:
    for toy in (Toy(), Toy(Capability.PICKUP)):
        with pytest.raises(NotSupported, match="picking up a colleague's call"):
            await toy.pickup(DeviceId("d-1"))


def test_check_is_the_one_refusal() -> None:
    check(Toy(Capability.HOLD), Capability.HOLD)
    with pytest.raises(NotSupported) as caught:
        check(Toy(), Capability.HOLD)
    assert caught.value.msgid == "This phone system does not offer {feature}"
    assert caught.value.params == {"capability": "call.hold", "feature": "call hold"}


def test_every_capability_has_words_and_no_refusal_shows_its_id() -> None:
    """A refusal names the feature in the user's words, never the id ('call.hold')."""
    assert set(FEATURES) == set(Capability)
    set_language("fr")
    try:
        for capability in Capability:
            shown = describe_error(refusal(capability))
            assert _(FEATURES[capability]) in shown and "{" not in shown, shown
            assert "." not in shown, shown  # no dotted id (call.hold)
        assert describe_error(refusal(Capability.HOLD)) == (
            "Indisponible avec cette connexion : "
            "Le système téléphonique n’offre pas la mise en attente"
        )
    finally:
        set_language("en")


async def test_the_backends_refuse_with_the_same_error() -> None:
    others = [c for c in Capability if c is not Capability.PARK]
    refusals = []
    for backend in (
        SimBackend({"traffic": False, "capabilities": others}),
        SipBackend({"server": "127.0.0.1", "username": "1001", "password": "pw"}),
    ):
        with pytest.raises(NotSupported) as caught:
            await backend.park(CallId("c-1"))
        refusals.append((caught.value.msgid, caught.value.params))
    assert refusals[0] == refusals[1]


def test_what_a_backend_tells_keeps_only_what_its_capabilities_offer() -> None:
    """A snapshot, a call and a queue as the sim and cti backends hand them on: a call's
    actions, a queue's forward rules, the call flows and the pause reasons only where the
    capabilities offer them; everything kept with every capability."""
    from dataclasses import replace

    from cti_fixtures import make_backend
    from test_simulator_queue_rules import rule

    from tws_tui.backends.gating import restricted_call, restricted_queue, restricted_snapshot
    from tws_tui.core.events import CallEvent, CallEventKind, QueueEvent, SnapshotEvent
    from tws_tui.core.model import Action
    from tws_tui.simulator.testing import CALLER, Harness

    h = Harness()
    h.switch.inject_incoming_call("100", CALLER)
    whole = h.switch.snapshot()
    whole = replace(whole, queues=(replace(whole.queues[0], forward_rules=(rule(),)),))
    assert whole.calls[0].allowed == {Action.ANSWER, Action.DEFLECT, Action.HANGUP}
    assert whole.call_flows and whole.pause_reasons
    every = frozenset(Capability)
    assert restricted_snapshot(whole, every) == whole
    few = frozenset({Capability.ANSWER, Capability.HANGUP})
    bare = restricted_snapshot(whole, few)
    assert bare.calls[0].allowed == {Action.ANSWER, Action.HANGUP}
    assert bare.queues[0].forward_rules == () and bare.queues[0].id == whole.queues[0].id
    assert (bare.call_flows, bare.pause_reasons) == ((), ())
    assert restricted_call(whole.calls[0], few) == bare.calls[0]
    assert restricted_queue(whole.queues[0], few) == bare.queues[0]
    cti = make_backend("http://127.0.0.1:9", capabilities=[c.value for c in few])
    at = h.switch.clock.now()
    snapshot_told, call_told, queue_told = (
        cti._restrict_event(SnapshotEvent(at=at, snapshot=whole)),
        cti._restrict_event(CallEvent(at=at, kind=CallEventKind.DELIVERED, call=whole.calls[0])),
        cti._restrict_event(QueueEvent(at=at, queue=whole.queues[0])),
    )
    assert isinstance(snapshot_told, SnapshotEvent) and snapshot_told.snapshot == bare
    assert isinstance(call_told, CallEvent) and call_told.call == bare.calls[0]
    assert isinstance(queue_told, QueueEvent) and queue_told.queue == bare.queues[0]
