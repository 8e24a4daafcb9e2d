"""The ``cti`` backend against the REAL reference server (uvicorn on loopback, no mocks).

What an operator would notice: two operators pressing Enter on the same waiting call (one gets
it, the other a clear "already taken"); the server restarting mid-call (the console says
"reconnecting", then shows exactly the calls there are); the stream cut in the middle of an
event (the event arrives once, by replay); the access token expiring (nothing visible); a wrong
password (a clear sentence); another operator's call (forbidden).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import PASSWORD, CuttingProxy, ServerThread, cti_server, make_backend

from tws_tui.backends import BackendConfigError
from tws_tui.backends.cti import CtiBackend, LoginRefused
from tws_tui.core.errors import (
    AlreadyTaken,
    BackendUnavailable,
    NotSupported,
    PermissionDenied,
)
from tws_tui.core.events import (
    CallEvent,
    CallEventKind,
    ChatEvent,
    Event,
    LinkEvent,
    LinkStatus,
    SnapshotEvent,
)
from tws_tui.core.model import (
    CallId,
    ConnectionState,
    Forward,
    ForwardKind,
    PresenceState,
    UserId,
)
from tws_tui.core.state import ConsoleState
from tws_tui.platform.i18n import _, set_language

__all__ = ["cti_server"]  # the fixture, imported for pytest


class Recorder:
    """Reads a backend's events in the background into a list and a ``ConsoleState``."""

    def __init__(self, backend: CtiBackend) -> None:
        self.backend = backend
        self.events: list[Event] = []
        self.state = ConsoleState()
        self.task = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        async for event in self.backend.events():
            self.events.append(event)
            self.state.apply(event)

    async def wait(
        self, predicate: Callable[[Event], bool], *, after: int = 0, timeout: float = 5
    ) -> Event:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events[after:]:
                if predicate(event):
                    return event
            await asyncio.sleep(0.01)
        raise AssertionError(f"no matching event within {timeout} s; got {self.events[after:]!r}")

    def links(self) -> list[LinkStatus]:
        return [e.status for e in self.events if isinstance(e, LinkEvent)]

    async def stop(self) -> None:
        await self.backend.close()
        await asyncio.wait_for(self.task, 5)


async def connected(
    url: str, username: str = "alice", **options: Any
) -> tuple[CtiBackend, Recorder]:
    backend = make_backend(url, username, **options)
    await asyncio.wait_for(backend.connect(), 10)
    return backend, Recorder(backend)


def is_call(kind: CallEventKind, call_id: str | None = None) -> Callable[[Event], bool]:
    return lambda e: (
        isinstance(e, CallEvent)
        and e.kind is kind
        and (call_id is None or e.call.call_id == call_id)
    )


@pytest.fixture
async def alice_and_bob(cti_server: ServerThread) -> AsyncIterator[tuple[CtiBackend, CtiBackend]]:
    alice, alice_events = await connected(cti_server.url, "alice")
    bob, bob_events = await connected(cti_server.url, "bob")
    yield alice, bob
    await alice_events.stop()
    await bob_events.stop()


async def test_two_operators_answering_one_queued_call_one_wins(
    cti_server: ServerThread, alice_and_bob: tuple[CtiBackend, CtiBackend]
) -> None:
    alice, bob = alice_and_bob
    for round_ in range(4):
        queued = cti_server.queue_call(f"+3361234567{round_}")
        first, second = (alice, bob) if round_ % 2 == 0 else (bob, alice)
        results = await asyncio.wait_for(
            asyncio.gather(
                first.answer_queued("accueil", queued),
                second.answer_queued("accueil", queued),
                return_exceptions=True,
            ),
            10,
        )
        winners = [r for r in results if not isinstance(r, BaseException)]
        losers = [r for r in results if isinstance(r, BaseException)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert isinstance(losers[0], AlreadyTaken)
        assert winners[0].conversation_id == queued
        assert winners[0].state is ConnectionState.CONNECTED
        holders = cti_server.call(
            lambda q=queued: [
                c.endpoint.extension
                for c in cti_server.pbx.switch.calls[q].conns
                if c.endpoint.operator
            ]
        )
        assert len(holders) == 1  # exactly one operator took the caller


async def test_server_restart_mid_call_reconnects_then_resyncs_without_loss_or_duplicate(
    cti_server: ServerThread,
) -> None:
    alice, events = await connected(cti_server.url)
    queued = cti_server.queue_call()
    talking = await alice.answer_queued("accueil", queued)
    await events.wait(is_call(CallEventKind.ESTABLISHED, talking.call_id))

    cti_server.kill()
    reconnecting = await events.wait(
        lambda e: isinstance(e, LinkEvent) and e.status is LinkStatus.RECONNECTING
    )
    set_language("fr")
    assert _(reconnecting.detail) != reconnecting.detail  # says why, in the user's words
    set_language("en")
    mark = len(events.events)
    cti_server.ring("100", "+33698765432")  # the PBX lives on: a call rings meanwhile
    cti_server.start()  # same port, new epoch (scaled: new API instances, the same streams)

    if getattr(cti_server, "keeps_streams", False):  # Redis kept the stream: replayed
        await events.wait(
            lambda e: isinstance(e, CallEvent) and e.kind is CallEventKind.DELIVERED,
            after=mark,
            timeout=10,
        )
        assert not any(isinstance(e, SnapshotEvent) for e in events.events[mark:])
    else:
        await events.wait(lambda e: isinstance(e, SnapshotEvent), after=mark, timeout=10)
    await events.wait(
        lambda e: isinstance(e, LinkEvent) and e.status is LinkStatus.ONLINE, after=mark
    )
    expected = set(cti_server.connections_at("100"))
    assert len(expected) == 2
    assert set(events.state.calls) == expected  # nothing lost, nothing extra
    assert events.state.calls[CallId(talking.call_id)].state is ConnectionState.CONNECTED
    seqs = [e.seq for e in events.events if e.seq is not None and not isinstance(e, SnapshotEvent)]
    assert len(seqs) == len(set(seqs))  # no event applied twice
    assert events.links()[:2] == [LinkStatus.ONLINE, LinkStatus.RECONNECTING]
    assert events.links()[-1] is LinkStatus.ONLINE
    await alice.hangup(talking.call_id)  # and the session still works after the restart
    await events.wait(is_call(CallEventKind.CONNECTION_CLEARED, talking.call_id))
    await events.stop()


async def test_stream_cut_mid_event_is_resumed_by_replay(cti_server: ServerThread) -> None:
    proxy = CuttingProxy(cti_server.loop, cti_server.port)
    try:
        alice, events = await connected(proxy.url)
        proxy.cut_in(b"event: call.delivered")
        cti_server.ring("100")
        delivered = await events.wait(is_call(CallEventKind.DELIVERED), timeout=10)
        assert proxy.cuts == 1
        assert LinkStatus.RECONNECTING in events.links()
        assert events.links()[-1] is LinkStatus.ONLINE
        snapshots = [e for e in events.events if isinstance(e, SnapshotEvent)]
        assert len(snapshots) == 1  # the first one only: resumed by replay, not resync
        deliveries = [e for e in events.events if is_call(CallEventKind.DELIVERED)(e)]
        assert deliveries == [delivered]  # exactly once
        assert events.state.calls[delivered.call.call_id].state is ConnectionState.ALERTING
        await alice.answer(delivered.call.call_id)
        await events.wait(is_call(CallEventKind.ESTABLISHED, delivered.call.call_id))
        await events.stop()
    finally:
        proxy.close()


@pytest.fixture
def short_token_server(tmp_path: Path) -> Any:
    server = ServerThread(tmp_path / "server", heartbeat_s=0.5, access_ttl_s=1.0)
    server.start()
    server.add_users()
    yield server
    server.close()


async def test_expired_access_token_is_refreshed_without_a_visible_error(
    short_token_server: ServerThread,
) -> None:
    server = short_token_server
    alice, events = await connected(server.url)
    await asyncio.sleep(2.6)  # the token expired twice; the stream was closed at expiry
    server.ring("100")
    ringing = await events.wait(is_call(CallEventKind.DELIVERED))
    await alice.answer(ringing.call.call_id)
    await events.wait(is_call(CallEventKind.ESTABLISHED, ringing.call.call_id))
    assert alice.session is not None and alice.session.refreshes >= 2
    # The client believes its token fresh, the server knows it expired: 401, refresh, retry.
    await asyncio.sleep(1.1)
    alice.session.expires_at = time.monotonic() + 3600
    await alice.hold(ringing.call.call_id)
    await events.wait(is_call(CallEventKind.HELD, ringing.call.call_id))
    assert events.links() == [LinkStatus.ONLINE]  # never reconnecting, never an error
    await events.stop()


async def test_wrong_password_is_a_clear_error(cti_server: ServerThread) -> None:
    backend = make_backend(cti_server.url, "alice", password="not the password")
    with pytest.raises(LoginRefused) as caught:
        await asyncio.wait_for(backend.connect(), 10)
    assert isinstance(caught.value, BackendConfigError)  # the app goes back to sign-in
    assert "alice" in str(caught.value) and "password" in str(caught.value)
    await backend.close()


async def test_unreachable_server_is_backend_unavailable(cti_server: ServerThread) -> None:
    backend = make_backend("http://127.0.0.1:9", "alice")
    with pytest.raises(BackendUnavailable):
        await asyncio.wait_for(backend.connect(), 10)
    await backend.close()


async def test_a_stored_refresh_token_signs_in_without_the_password(
    cti_server: ServerThread,
) -> None:
    first, events = await connected(cti_server.url)
    token = first.refresh_token
    assert token and token.startswith("twsrt.")
    again = CtiBackend({"url": cti_server.url, "username": "alice", "password": token})
    snapshot = await asyncio.wait_for(again.connect(), 10)
    assert snapshot.me.extension == "100"
    await again.close()
    await events.stop()  # close() signs out: the stored refresh token is revoked
    stale = CtiBackend({"url": cti_server.url, "username": "alice", "refresh_token": token})
    with pytest.raises(LoginRefused):
        await asyncio.wait_for(stale.connect(), 10)
    await stale.close()


async def test_acting_on_another_operators_call_is_forbidden(
    cti_server: ServerThread, alice_and_bob: tuple[CtiBackend, CtiBackend]
) -> None:
    alice, bob = alice_and_bob
    queued = cti_server.queue_call()
    call = await alice.answer_queued("accueil", queued)
    for attempt in (bob.hangup, bob.hold, lambda c: bob.blind_transfer(c, "3990")):
        with pytest.raises(PermissionDenied):
            await attempt(call.call_id)
    with pytest.raises(NotSupported):  # an operator's capabilities lack device.others:
        await bob.set_dnd(True, user_id=UserId("u100"))  # refused before asking (403 there)
    state = cti_server.call(lambda: cti_server.pbx.switch.state_of(call.call_id))
    assert state is ConnectionState.CONNECTED  # untouched


async def test_a_missing_capability_refuses_at_once_without_io() -> None:
    backend = make_backend("http://127.0.0.1:9", capabilities=["call.make", "call.answer"])
    with pytest.raises(NotSupported):
        await backend.hold(CallId("c1"))
    with pytest.raises(NotSupported):
        await backend.answer_queued("accueil", CallId("c1"))  # type: ignore[arg-type]
    assert backend.session is None  # not even an HTTP client was made


async def test_console_services_over_http(cti_server: ServerThread) -> None:
    alice, events = await connected(cti_server.url, "alice")
    bob, bob_events = await connected(cti_server.url, "bob")
    sam, sam_events = await connected(cti_server.url, "sam")
    # calls: make, hold, retrieve, consult and cancel, hang up
    call = await alice.make_call("+33140000000")
    await events.wait(is_call(CallEventKind.SERVICE_INITIATED, call.call_id))
    external = cti_server.call(
        lambda: next(
            c.id
            for c in cti_server.pbx.switch.conns.values()
            if c.endpoint.number == "+33140000000"
        )
    )
    cti_server.call(lambda: cti_server.pbx.switch.answer(external))
    await events.wait(
        lambda e: isinstance(e, CallEvent) and e.call.remote_state is ConnectionState.CONNECTED
    )
    await alice.hold(call.call_id)
    await events.wait(is_call(CallEventKind.HELD, call.call_id))
    await alice.retrieve(call.call_id)
    transfer = await alice.start_transfer(call.call_id, "+33150000000")
    await alice.cancel_transfer(transfer.transfer_id)
    await events.wait(is_call(CallEventKind.RETRIEVED, call.call_id))
    await alice.hangup(call.call_id)
    await events.wait(is_call(CallEventKind.CONNECTION_CLEARED, call.call_id))
    # features, and a supervisor changing someone else's
    await alice.set_presence(PresenceState.AWAY, "lunch")
    await alice.set_forward(ForwardKind.BUSY, Forward(True, "3990"))
    await sam.set_dnd(True, user_id=UserId("u100"))
    me = await events.wait(lambda e: getattr(getattr(e, "me", None), "dnd", False))
    assert me.me.presence is PresenceState.AWAY and me.me.forwards[ForwardKind.BUSY].enabled
    # directory, history, chat
    assert alice.directory is not None and alice.history is not None and alice.chat is not None
    found = await alice.directory.search("Accueil")
    assert any(c.source == "queue" for c in found)
    reverse = await alice.directory.reverse("3900")
    assert reverse is not None and reverse.name == "Accueil"
    assert await alice.directory.reverse("+33100000000") is None
    history = await alice.history.recent()
    assert history and history[0].outcome.value == "outgoing"
    sent = await alice.chat.send(UserId("u180"), "Can you take line 2?")
    got = await bob_events.wait(lambda e: isinstance(e, ChatEvent))
    assert got.message.text == sent.text and got.message.peer == "u100"
    assert [m.text for m in await bob.chat.conversation(UserId("u100"))] == [sent.text]
    for recorder in (events, bob_events, sam_events):
        await recorder.stop()


def test_plain_http_is_refused_off_loopback_unless_allowed() -> None:
    base = {"username": "alice", "password": PASSWORD}
    for url in ("http://10.0.0.5:8765", "http://cti.example.com", "http://[2001:db8::1]:80"):
        with pytest.raises(BackendConfigError) as caught:
            CtiBackend({**base, "url": url})
        assert "allow_http" in str(caught.value)
        CtiBackend({**base, "url": url, "allow_http": True})  # explicitly allowed
    for url in ("http://127.0.0.1:8765", "http://localhost", "http://[::1]:8765", "https://x.fr"):
        CtiBackend({**base, "url": url})
