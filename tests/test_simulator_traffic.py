"""Simulated company and traffic generator: what a first-time user sees in demo mode."""

from __future__ import annotations

import random
import re

from tws_tui.core.events import CallEvent, CallEventKind, DeviceEvent
from tws_tui.core.model import ConnectionState, LineState
from tws_tui.simulator.base import Behaviour
from tws_tui.simulator.company import generate_company
from tws_tui.simulator.testing import Harness
from tws_tui.simulator.traffic import Traffic


def test_company_is_realistic_and_seeded() -> None:
    company = generate_company(random.Random(1))
    assert company.operator.extension == "100" and company.operator.name == "Camille Martin"
    assert company.operator.department == "Accueil"
    colleagues = company.colleagues
    assert len(colleagues) >= 30
    extensions = [p.extension for p in colleagues]
    assert len(set(extensions)) == len(extensions) and "100" not in extensions
    assert all(re.fullmatch(r"[1-9]\d\d", e) for e in extensions)
    departments = {p.department for p in colleagues}
    assert {"Accueil", "Commercial", "Comptabilité", "Support", "Direction"} <= departments
    assert len({p.name for p in colleagues}) == len(colleagues)
    lot = company.lots[0]
    assert lot.name == "Parking" and lot.slots[0] == "701" and lot.slots[-1] == "710"
    numbers = [e.number for e in company.externals]
    assert any(n is None for n in numbers)  # masked callers
    assert any(e.number and e.name is None for e in company.externals)  # unknown numbers
    assert all(re.fullmatch(r"\+33[1-9]\d{8}", n) for n in numbers if n)
    assert generate_company(random.Random(1)) == company
    assert generate_company(random.Random(2)) != company
    assert generate_company(random.Random(1), "200").operator.extension == "200"


def test_traffic_is_off_unless_started() -> None:
    h = Harness(behaviour=Behaviour())
    h.advance(600)
    assert h.events == [] and h.switch.calls == {}


def test_demo_shows_life_within_ten_seconds() -> None:
    for seed in range(5):
        h = Harness(seed=seed, behaviour=Behaviour())
        traffic = Traffic(h.switch, seed)
        traffic.start()
        h.advance(10)
        assert h.state.waiting_total() >= 1, seed
        changed = [
            e for e in h.events
            if isinstance(e, DeviceEvent) and e.device.line_state is not LineState.IDLE
        ]  # fmt: skip
        assert changed, seed
        alerting = [
            e for e in h.events
            if isinstance(e, CallEvent) and e.kind is CallEventKind.DELIVERED
            and e.call.state is ConnectionState.ALERTING
        ]  # fmt: skip
        assert alerting, seed
        traffic.stop()


def test_stop_cancels_every_traffic_timer() -> None:
    h = Harness(seed=4, behaviour=Behaviour())
    traffic = Traffic(h.switch, 4)
    traffic.start()
    h.advance(120)
    traffic.stop()
    assert traffic._handles == {}
    h.advance(600)  # calls under way end by themselves; no new one starts
    known = set(h.switch.calls)
    h.advance(3600)
    assert set(h.switch.calls) <= known


def test_traffic_keeps_going_for_an_hour_without_errors() -> None:
    h = Harness(seed=11, behaviour=Behaviour())
    traffic = Traffic(h.switch, 11)
    traffic.start()
    for _ in range(360):
        h.advance(10)
        for call in h.ringing():
            h.switch.answer(call.call_id)
        active = h.state.active_call()
        if active is not None and active.answered_at is not None:
            h.switch.clear_connection(active.call_id)
    traffic.stop()
    assert len(h.state.history) >= 20
    lines = {e.device.line_state for e in h.events if isinstance(e, DeviceEvent)}
    assert {LineState.RINGING, LineState.TALKING, LineState.DIALING} <= lines
