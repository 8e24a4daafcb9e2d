"""``JournalRecorder`` driven by the real simulator: every event of ``events()`` is observed.

Each test plays one call through the sim backend (seeded, silent, frozen clock), feeds the
whole event stream into the recorder and reads the journal back from the SQLite file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest

from tws_tui.backends.sim import SimBackend, create
from tws_tui.core.clock import ManualClock
from tws_tui.core.events import CallEvent, Event, SnapshotEvent
from tws_tui.core.model import (
    CallId,
    ConnectionState,
    Direction,
    HistoryEntry,
    Outcome,
    Party,
    QueueId,
    QueueRef,
    Snapshot,
)
from tws_tui.journal import CallJournal, JournalRecorder, journal_id

ACME = Party("+33123456789", "ACME Industries")
FREE = "104"  # a colleague who is available (seed 0)
FREE_2 = "112"
DND = "297"  # a colleague in do-not-disturb (seed 0)
OUTSIDE = "+33140000000"


@dataclass
class Rig:
    backend: SimBackend
    clock: ManualClock
    journal: CallJournal
    recorder: JournalRecorder
    stream: AsyncIterator[Event]
    written: list[HistoryEntry]
    seen: list[Event]

    async def pump(self) -> list[HistoryEntry]:
        """Feed every event buffered so far into the recorder; the entries written now."""
        now: list[HistoryEntry] = []
        while not self.backend._queue.empty():
            event = await anext(self.stream)
            self.seen.append(event)
            now.extend(self.recorder.observe_all(event))
        self.written.extend(now)
        return now

    async def advance(self, seconds: float) -> list[HistoryEntry]:
        self.clock.advance(seconds)
        return await self.pump()

    def ring(self, caller: Party = ACME, to: str = "100") -> str:
        return self.backend.switch.inject_incoming_call(to, caller)

    def my_call(self) -> CallId:
        (call_id,) = self.backend.switch.calls_at("100")
        return call_id

    async def rows(self) -> dict[str, HistoryEntry]:
        return {e.id: e for e in await self.journal.recent()}


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    clock = ManualClock()
    backend = create({"seed": 0, "traffic": False, "clock": clock})
    journal = CallJournal(tmp_path / "journal.sqlite3")
    recorder = JournalRecorder(journal, clock)
    await backend.connect()
    r = Rig(backend, clock, journal, recorder, backend.events(), [], [])
    await r.pump()
    yield r
    await backend.close()
    journal.close()


async def test_answered_inbound_with_duration(rig: Rig) -> None:
    start = rig.clock.now()
    conversation = rig.ring()
    await rig.advance(4)
    await rig.backend.answer(rig.my_call())
    await rig.advance(42)
    await rig.backend.hangup(rig.my_call())
    (entry,) = await rig.pump()
    assert entry.id == conversation
    assert entry.outcome is Outcome.ANSWERED and entry.direction is Direction.INBOUND
    assert entry.remote == ACME and entry.called is not None and entry.called.number == "100"
    assert entry.start == start
    assert entry.answered_at == start + timedelta(seconds=4)
    assert entry.end == start + timedelta(seconds=46) and entry.duration_s == 42
    assert entry.queue is None and entry.transferred_to is None
    assert await rig.journal.recent() == [entry]
    assert rig.journal.missed_unseen() == 0


async def test_missed_inbound_caller_hangs_up_while_ringing(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.advance(7)
    rig.backend.switch.caller_hangs_up(conversation)
    (entry,) = await rig.pump()
    assert entry.outcome is Outcome.MISSED and entry.direction is Direction.INBOUND
    assert entry.answered_at is None and entry.duration_s is None
    assert entry.end is not None and entry.end - entry.start == timedelta(seconds=7)
    assert rig.journal.missed_unseen() == 1
    assert [e.id for e in await rig.journal.recent(missed_only=True)] == [conversation]
    await rig.journal.mark_seen()
    assert rig.journal.missed_unseen() == 0


async def test_outgoing_answered(rig: Rig) -> None:
    call = await rig.backend.make_call(OUTSIDE)
    await rig.advance(10)  # an outside party answers within 3-8 s
    assert rig.backend.switch.state_of(call.call_id) is ConnectionState.CONNECTED
    await rig.advance(30)
    await rig.backend.hangup(call.call_id)
    (entry,) = await rig.pump()
    assert entry.id == journal_id(call)
    assert entry.outcome is Outcome.OUTGOING and entry.direction is Direction.OUTBOUND
    assert entry.remote.number == OUTSIDE and entry.called == Party(OUTSIDE)
    assert entry.answered_at is not None and entry.duration_s is not None
    assert 30 <= entry.duration_s <= 37
    assert entry.start == call.created_at


async def test_outgoing_internal_answered_is_outgoing(rig: Rig) -> None:
    call = await rig.backend.make_call(FREE)
    await rig.advance(10)
    await rig.backend.hangup(call.call_id)
    (entry,) = await rig.pump()
    # a call I place is outbound from my side, whoever answers it
    assert entry.outcome is Outcome.OUTGOING and entry.direction is Direction.OUTBOUND
    assert entry.remote.number == FREE


async def test_outgoing_to_dnd_colleague_fails(rig: Rig) -> None:
    call = await rig.backend.make_call(DND)
    await rig.pump()
    assert rig.backend.switch.state_of(call.call_id) is ConnectionState.FAIL
    await rig.advance(3)
    await rig.backend.hangup(call.call_id)
    (entry,) = await rig.pump()
    assert entry.outcome is Outcome.FAILED
    assert entry.answered_at is None and entry.duration_s is None
    assert entry.remote.number == DND


async def test_outgoing_to_busy_colleague_fails(rig: Rig) -> None:
    rig.backend.switch.make_call(FREE, OUTSIDE)  # the colleague is now on a call
    call = await rig.backend.make_call(FREE)
    await rig.pump()
    assert rig.backend.switch.state_of(call.call_id) is ConnectionState.FAIL
    await rig.backend.hangup(call.call_id)
    (entry,) = await rig.pump()
    assert entry.outcome is Outcome.FAILED and entry.remote.number == FREE


async def test_outgoing_cleared_before_answer_fails(rig: Rig) -> None:
    call = await rig.backend.make_call(FREE)
    await rig.advance(1)  # still ringing (colleagues answer after 2-6 s)
    await rig.backend.hangup(call.call_id)
    (entry,) = await rig.pump()
    assert entry.outcome is Outcome.FAILED


async def test_blind_transfer(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.pump()
    await rig.backend.answer(rig.my_call())
    await rig.advance(20)
    await rig.backend.blind_transfer(rig.my_call(), FREE)
    (entry,) = await rig.pump()
    assert entry.id == conversation
    assert entry.outcome is Outcome.TRANSFERRED and entry.transferred_to == FREE
    assert entry.duration_s == 20 and entry.remote == ACME
    await rig.advance(10)  # the colleague answers: nothing more for me
    assert list((await rig.rows()).keys()) == [conversation]


async def test_attended_transfer(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.pump()
    primary = rig.my_call()
    await rig.backend.answer(primary)
    await rig.advance(15)
    transfer = await rig.backend.start_transfer(primary, FREE)
    await rig.advance(10)  # the colleague answers the consultation
    consult = transfer.consult_call_id
    assert consult is not None
    await rig.advance(5)
    await rig.backend.complete_transfer(transfer.transfer_id)
    entries = await rig.pump()
    by_id = {e.id: e for e in entries}
    assert set(by_id) == set((await rig.rows()).keys()) and len(by_id) == 2
    main = by_id[conversation]
    assert main.outcome is Outcome.TRANSFERRED and main.transferred_to == FREE
    assert main.duration_s == 30 and main.remote == ACME
    (consultation,) = [e for e in entries if e.id != conversation]
    assert consultation.outcome is Outcome.OUTGOING
    assert consultation.remote.number == FREE and consultation.transferred_to is None
    assert consultation.answered_at is not None and consultation.duration_s is not None


async def test_attended_transfer_completed_while_target_rings(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.pump()
    await rig.backend.answer(rig.my_call())
    transfer = await rig.backend.start_transfer(rig.my_call(), FREE)
    await rig.pump()
    await rig.backend.complete_transfer(transfer.transfer_id)
    entries = {e.id: e for e in await rig.pump()}
    assert entries[conversation].outcome is Outcome.TRANSFERRED
    (consultation,) = [e for k, e in entries.items() if k != conversation]
    assert consultation.outcome is Outcome.OUTGOING  # handed over, not failed


async def test_cancelled_consultation_is_failed_and_primary_goes_on(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.pump()
    await rig.backend.answer(rig.my_call())
    transfer = await rig.backend.start_transfer(rig.my_call(), FREE)
    await rig.pump()
    await rig.backend.cancel_transfer(transfer.transfer_id)
    (consultation,) = await rig.pump()
    assert consultation.outcome is Outcome.FAILED
    await rig.advance(10)
    await rig.backend.hangup(rig.my_call())
    (entry,) = await rig.pump()
    assert entry.id == conversation and entry.outcome is Outcome.ANSWERED


async def test_conference_is_not_a_transfer(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.pump()
    primary = rig.my_call()
    await rig.backend.answer(primary)
    transfer = await rig.backend.start_transfer(primary, FREE)
    await rig.advance(10)
    await rig.backend.conference(transfer.transfer_id)
    (consultation,) = await rig.pump()  # the consultation joins the conference
    assert consultation.outcome is Outcome.OUTGOING
    await rig.advance(10)
    await rig.backend.hangup(primary)
    entries = {e.id: e for e in await rig.pump()}
    assert entries[conversation].outcome is Outcome.ANSWERED
    assert entries[conversation].transferred_to is None


async def test_deflect_by_me_is_transferred_not_missed(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.pump()
    await rig.backend.deflect(rig.my_call(), FREE)
    (entry,) = await rig.pump()
    assert entry.id == conversation
    assert entry.outcome is Outcome.TRANSFERRED and entry.transferred_to == FREE
    assert rig.journal.missed_unseen() == 0


async def test_queued_call_answered(rig: Rig) -> None:
    conversation = rig.ring(to="3900")
    await rig.advance(12)
    call = await rig.backend.answer_queued(QueueId("accueil"), CallId(conversation))
    await rig.advance(25)
    await rig.backend.hangup(call.call_id)
    (entry,) = await rig.pump()
    assert entry.id == conversation == journal_id(call)
    assert entry.outcome is Outcome.ANSWERED and entry.remote == ACME
    assert entry.queue == QueueRef(QueueId("accueil"), "Accueil")
    assert entry.called is not None and entry.called.number == "3900"
    assert entry.duration_s == 25


async def test_comments_during_the_call_are_read_back(rig: Rig) -> None:
    rig.ring()
    await rig.pump()
    await rig.backend.answer(rig.my_call())
    await rig.pump()
    (live,) = rig.recorder.following()
    key = rig.recorder.comment(live, "Demande un devis")
    await rig.advance(30)
    rig.recorder.comment(live, "Rappeler jeudi")
    await rig.backend.hangup(rig.my_call())
    (entry,) = await rig.pump()
    assert entry.id == key and entry.comment == "Demande un devis\nRappeler jeudi"
    (back,) = await rig.journal.recent()
    assert back.comment == "Demande un devis\nRappeler jeudi"
    times = [at for at, _ in rig.journal.comments(key)]
    assert times[1] - times[0] == timedelta(seconds=30)
    rig.recorder.comment(key, "Devis envoyé")  # after the call, by journal id
    (back,) = await rig.journal.recent()
    assert back.comment is not None and back.comment.endswith("\nDevis envoyé")


async def test_journal_survives_reopening(rig: Rig, tmp_path: Path) -> None:
    rig.ring()
    await rig.pump()
    await rig.backend.answer(rig.my_call())
    rig.recorder.comment(rig.recorder.following()[0], "note")
    await rig.advance(5)
    await rig.backend.hangup(rig.my_call())
    conversation = rig.ring(Party("+33699999999", "Autre"))
    await rig.advance(3)
    rig.backend.switch.caller_hangs_up(conversation)
    await rig.pump()
    before = await rig.journal.recent()
    rig.journal.close()
    again = CallJournal(tmp_path / "journal.sqlite3")
    assert await again.recent() == before and len(before) == 2
    assert again.missed_unseen() == 1
    again.close()


async def test_late_and_duplicated_events_are_dropped(rig: Rig) -> None:
    rig.ring()
    await rig.pump()
    await rig.backend.answer(rig.my_call())
    await rig.advance(5)
    await rig.backend.hangup(rig.my_call())
    (entry,) = await rig.pump()
    calls = [e for e in rig.seen if isinstance(e, CallEvent)]
    for event in calls:  # replay everything: all of it is old now
        assert rig.recorder.observe(event) is None
    established = next(e for e in calls if e.call.state is ConnectionState.CONNECTED)
    late = replace(established, call=replace(established.call, version=0))
    assert rig.recorder.observe(late) is None
    assert rig.recorder.following() == []
    assert await rig.journal.recent() == [entry]


async def test_a_snapshot_without_the_call_ends_it(rig: Rig) -> None:
    conversation = rig.ring()
    await rig.pump()
    (ringing,) = rig.recorder.following()
    me = (await rig.backend.snapshot()).me
    at = rig.clock.now() + timedelta(seconds=9)
    entry = rig.recorder.observe(SnapshotEvent(at=at, snapshot=Snapshot(me=me)))
    assert entry is not None and entry.id == conversation == journal_id(ringing)
    assert entry.outcome is Outcome.MISSED and entry.end == at
    assert rig.recorder.following() == []


async def test_a_snapshot_starts_following_live_calls(rig: Rig) -> None:
    rig.ring()
    seen_by_nobody = rig.backend._queue
    while not seen_by_nobody.empty():  # events lost (link down): the recorder saw none
        seen_by_nobody.get_nowait()
    await rig.backend.answer(rig.my_call())
    while not seen_by_nobody.empty():
        seen_by_nobody.get_nowait()
    snapshot = await rig.backend.snapshot()
    assert rig.recorder.observe(SnapshotEvent(at=rig.clock.now(), snapshot=snapshot)) is None
    (live,) = rig.recorder.following()
    await rig.advance(8)
    await rig.backend.hangup(live.call_id)
    (entry,) = await rig.pump()
    assert entry.outcome is Outcome.ANSWERED and entry.duration_s == 8
