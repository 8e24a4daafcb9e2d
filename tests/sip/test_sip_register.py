"""Registration against a real Kamailio: 401 and 407 digest (qop=auth), wrong password,
registrar down then back, unregister on close."""

from __future__ import annotations

import asyncio
import time
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
