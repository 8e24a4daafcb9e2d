"""Registration against a real Kamailio: 401 and 407 digest (qop=auth), wrong password,
registrar down then back, unregister on close."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sip_peers import Kamailio

from tws_tui.core.events import LinkEvent, LinkStatus, SnapshotEvent

pytestmark = pytest.mark.sip


def _link(status: LinkStatus, text: str = "") -> Any:
    return lambda e: isinstance(e, LinkEvent) and e.status is status and text in e.detail


def _contacts(kam: Kamailio) -> str:
    return kam.log.read_text(errors="replace")


async def test_register_with_401_challenge(kamailio: Kamailio, phone_factory: Any) -> None:
    backend, events = await phone_factory(kamailio)
    assert isinstance(events.seen[0], SnapshotEvent)
    online = await events.wait(_link(LinkStatus.ONLINE), 5)
    assert "1001" in online.detail
    assert backend.snapshot  # still usable
    await backend.close()
    log = kamailio.log.read_text(errors="replace")
    assert "REQ REGISTER" in log


async def test_register_with_407_challenge(kamailio407: Kamailio, phone_factory: Any) -> None:
    _backend, events = await phone_factory(kamailio407)
    assert (await events.wait(_link(LinkStatus.ONLINE), 5)).status is LinkStatus.ONLINE


async def test_wrong_password_is_reported_offline_with_the_reason(
    kamailio: Kamailio, phone_factory: Any
) -> None:
    _backend, events = await phone_factory(kamailio, password="nope", wait_online=False)
    event = await events.wait(_link(LinkStatus.OFFLINE, "wrong password"), 10)
    assert event.retry_in_s and event.retry_in_s > 0
    assert not any(_link(LinkStatus.ONLINE)(e) for e in events.seen)


async def test_registrar_down_then_back(tmp_path: Path, phone_factory: Any) -> None:
    kam = Kamailio(tmp_path / "kam", 401).start()
    try:
        _backend, events = await phone_factory(kam, register_expires=3)
        kam.stop()
        down = await events.wait(_link(LinkStatus.PBX_DOWN, "no answer"), 20)
        assert down.retry_in_s is not None
        await asyncio.sleep(0.5)
        start = time.monotonic()
        kam.start()
        back = len(events.seen)
        await events.wait(lambda e: e in events.seen[back:] and _link(LinkStatus.ONLINE)(e), 20)
        assert time.monotonic() - start < 20
    finally:
        kam.stop()


async def test_close_unregisters(kamailio: Kamailio, phone_factory: Any) -> None:
    backend, events = await phone_factory(kamailio)
    await backend.close()
    await events.wait(_link(LinkStatus.OFFLINE, "unregistered"), 5)


def _reach(kam: Kamailio, user: str) -> bytes:
    """An OPTIONS to ``user`` through Kamailio: 200 from the phone, or Kamailio's 404."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.bind(("127.0.0.1", 0))
        lp = s.getsockname()[1]
        s.sendto(
            (
                f"OPTIONS sip:{user}@127.0.0.1:{kam.port} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP 127.0.0.1:{lp};rport;branch=z9hG4bK{uuid.uuid4().hex}\r\n"
                f"From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:{user}@127.0.0.1>\r\n"
                f"Call-ID: {uuid.uuid4().hex}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                "Content-Length: 0\r\n\r\n"
            ).encode(),
            ("127.0.0.1", kam.port),
        )
        try:
            return s.recv(65535)
        except TimeoutError:
            return b""


async def test_reachable_again_within_10_s_after_the_registrar_restarts(
    tmp_path: Path, phone_factory: Any
) -> None:
    """Issue 19, defect 6: a registrar restarted with an empty location table left the phone
    unreachable until its next refresh (up to ~9.5 min with the default 600 s). The
    keep-alive OPTIONS to its own AOR gets Kamailio's 404 and it registers again at once."""
    kam = Kamailio(tmp_path / "kam", 401).start()
    try:
        backend, _events = await phone_factory(kam, register_expires=600, keepalive=2)
        assert (await asyncio.to_thread(_reach, kam, "1001")).startswith(b"SIP/2.0 200")
        kam.stop()
        kam.start()  # same port, empty location table
        restarted = time.monotonic()
        lost = await asyncio.to_thread(_reach, kam, "1001")
        assert lost.startswith(b"SIP/2.0 404"), lost[:60]
        while not (await asyncio.to_thread(_reach, kam, "1001")).startswith(b"SIP/2.0 200"):
            assert time.monotonic() - restarted < 10, "still unreachable 10 s after the restart"
            await asyncio.sleep(0.5)
        print(f"reachable again {time.monotonic() - restarted:.1f} s after the restart")
        assert backend.ua.registration.lost >= 1
        assert backend.ua.registered
    finally:
        kam.stop()
