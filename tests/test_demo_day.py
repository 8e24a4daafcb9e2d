"""The demo a newcomer sees (``tws-tui --demo``): a working day whatever the hour, and a
receptionist's share of direct calls that never pile up at her desk.

The backend is built as ``--demo`` builds it (:func:`backend_choice`), on a frozen clock set
where the bug showed: Sunday 22 November 2026 at 03:00 in Paris, outside every opening hour of
the simulated company.
"""

from __future__ import annotations

from datetime import datetime

from tws_tui.backends.sim import SimBackend, create
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import ConnectionState, FlowId, FlowMode, QueueId
from tws_tui.settings.backend_choice import backend_choice
from tws_tui.settings.schema import Settings
from tws_tui.simulator.company import VOICEMAIL
from tws_tui.simulator.schedule import zone

SUNDAY_3AM_PARIS = datetime(2026, 11, 22, 3, 0, tzinfo=zone("Europe/Paris"))
ACCUEIL, ACCUEIL_HOURS = QueueId("accueil"), FlowId("accueil-horaires")
SCHEDULED = (ACCUEIL_HOURS, FlowId("support-horaires"))


def demo_backend(clock: ManualClock, seed: int | None = None) -> SimBackend:
    """The backend ``tws-tui --demo [--seed N]`` starts, on ``clock``."""
    name, options, setup = backend_choice(Settings(), demo=True, backend=None, seed=seed)
    assert name == "sim" and not setup
    return create({**options, "clock": clock})


def machine_legs(backend: SimBackend) -> set[str]:
    """The answering machines (voicemail, closed announcement) some caller is on right now."""
    return {
        str(conn.endpoint.number)
        for call in backend.switch.calls.values()
        for conn in call.conns
        if conn.endpoint.machine_s is not None
    }


async def test_a_demo_started_at_3_am_on_a_sunday_has_its_switchboard_open() -> None:
    clock = ManualClock(SUNDAY_3AM_PARIS)
    backend = demo_backend(clock)
    await backend.connect()
    flows = {flow.id: flow for flow in (await backend.snapshot()).call_flows}
    assert all(flow.open_now for flow in flows.values())
    assert [flows[f].mode for f in SCHEDULED] == [FlowMode.DAY, FlowMode.DAY]  # said on screen

    machines: set[str] = set()
    most_waiting = 0
    for _ in range(120):  # two minutes of demo traffic, looked at every second
        clock.advance(1)
        machines |= machine_legs(backend)
        most_waiting = max(most_waiting, len(backend.switch.queues[ACCUEIL].waiting))
    assert machines == set(), "a queue call went to an answering machine"
    assert most_waiting >= 3  # the reception's queue fills, as in office hours

    # The operator still switches by hand: back to the schedule, it is night at 03:00.
    await backend.set_call_flow(ACCUEIL_HOURS, FlowMode.AUTO)
    assert not {f.id: f for f in (await backend.snapshot()).call_flows}[ACCUEIL_HOURS].open_now
    call_id = backend.switch.inject_incoming_call("3900", "+33611111111")
    assert [c.endpoint.number for c in backend.switch.calls[call_id].conns][1] == VOICEMAIL
    await backend.close()


async def watch_the_demo(seed: int, minutes: int) -> tuple[set[str], set[str], int]:
    """``minutes`` of demo traffic at 03:00 on a Sunday, the operator not answering (the worst
    case for her desk), looked at every second: the calls that waited in the reception's queue,
    the outside calls to her extension, and the most calls ringing at her desk at once."""
    clock = ManualClock(SUNDAY_3AM_PARIS)
    backend = demo_backend(clock, seed)
    await backend.connect()
    switch, me = backend.switch, backend.switch.operator
    queued: set[str] = set()
    direct: set[str] = set()
    most_ringing = 0
    for _ in range(minutes * 60):
        clock.advance(1)
        queued |= {call.id for call in switch.queues[ACCUEIL].waiting}
        direct |= {
            call.id
            for call in switch.calls.values()
            if call.called is not None and call.called.number == me.extension
        }
        ringing = [conn for conn in me.conns if conn.state is ConnectionState.ALERTING]
        most_ringing = max(most_ringing, len(ringing))
    await backend.close()
    return queued, direct, most_ringing


async def test_a_receptionist_takes_mostly_queue_calls_and_direct_ones_never_pile_up() -> None:
    """Over 30 minutes (the demo's own seed and two others), direct calls are a minority of
    the reception's calls and at most two ring at her desk at once.

    Measured on seeds 1 to 10: 5 to 20 direct calls against 75 to 109 waiting in the
    reception's queue (4 to 19 % direct), never more than 2 ringing; before, at 03:00 none
    entered the queue (39 to 50 direct, 100 %), and even in office hours 26 to 40 % were
    direct with 3 to 7 ringing at once. A quarter is the bound: above everything measured now,
    below everything measured before; 2 ringing is the generator's own limit (a desk phone's
    two line keys), which the rates alone do not keep (3 at once on seeds 1, 4 and 6)."""
    for seed in (1, 2, 3):
        queued, direct, most_ringing = await watch_the_demo(seed, minutes=30)
        assert direct, seed  # some do come: the banner and F12 show in the demo
        assert len(direct) < (len(queued) + len(direct)) / 4, (seed, len(direct), len(queued))
        assert most_ringing <= 2, (seed, most_ringing)
