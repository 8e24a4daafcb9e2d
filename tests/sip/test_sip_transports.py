"""SIP over TCP and over TLS (RFC 3261 §18) against Kamailio's ``tcp`` and ``tls`` listeners
(``kamailio-tls-modules``), with a CA made by the test (``openssl``): register, call out and
hang up, be called and answer, RFC 5626 CRLF keep-alives answered by the server; the wrong CA
is refused at connect with a clear reason, no traceback. The colleague (baresip 1002) stays on
UDP: Kamailio bridges the transports, and reaches our phone back on its own connection."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio, TestCa

from tws_tui.core.errors import BackendUnavailable
from tws_tui.core.events import CallEvent, CallEventKind
from tws_tui.core.model import Cause, ConnectionState, Direction

pytestmark = pytest.mark.sip


@pytest.fixture(scope="module")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCa:
    return TestCa(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def tls_pbx(tmp_path_factory: pytest.TempPathFactory, test_ca: TestCa) -> Iterator[Kamailio]:
    kam = Kamailio(tmp_path_factory.mktemp("kamailio_tls"), tls=test_ca).start()
    yield kam
    kam.stop()


@pytest.fixture(scope="module")
def colleague(tls_pbx: Kamailio, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Baresip]:
    ua = Baresip(tmp_path_factory.mktemp("tls1002"), "1002", tls_pbx, 440)
    yield ua
    ua.stop()


def kind(k: CallEventKind, call_id: str | None = None) -> Any:
    return lambda e: (
        isinstance(e, CallEvent) and e.kind is k and (call_id is None or e.call.call_id == call_id)
    )


async def wait_bare(ua: Baresip, event: str, timeout: float = 10.0) -> dict[str, Any]:
    return await asyncio.to_thread(ua.ctl.wait_event, event, timeout)


@pytest.mark.parametrize("transport", ["tcp", "tls"])
async def test_register_call_out_and_in_over_a_stream(
    transport: str,
    tls_pbx: Kamailio,
    colleague: Baresip,
    test_ca: TestCa,
    phone_factory: Any,
) -> None:
    colleague.reset()
    port = tls_pbx.port if transport == "tcp" else tls_pbx.tls_port
    backend, events = await phone_factory(
        tls_pbx, transport=transport, port=port, ca_bundle=str(test_ca.ca_cert), keepalive=1
    )
    endpoint = backend.ua.endpoint
    assert endpoint.stream is not None and endpoint.server_addr == ("127.0.0.1", port)
    assert (endpoint.stream.transport.get_extra_info("ssl_object") is not None) == (
        transport == "tls"
    )
    # call out, talk, hang up
    call = await backend.make_call("1002")
    await wait_bare(colleague, "CALL_INCOMING")
    colleague.ctl.cmd("accept")
    await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 10, "established")
    stream = backend.media.streams[0]
    before = stream.packets_received
    await asyncio.sleep(0.6)
    assert stream.packets_received - before > 10  # audio flows (RTP stays on UDP)
    await backend.hangup(call.call_id)
    await wait_bare(colleague, "CALL_CLOSED")
    # be called: Kamailio reaches us back on our connection
    colleague.ctl.cmd("dial", "sip:1001@127.0.0.1")
    ring = await events.wait(
        lambda e: kind(CallEventKind.DELIVERED)(e) and e.call.direction is Direction.INBOUND,
        10,
        "incoming",
    )
    assert ring.call.direction is Direction.INBOUND and ring.call.remote.number == "1002"
    assert ring.call.state is ConnectionState.ALERTING
    await backend.answer(ring.call.call_id)
    await wait_bare(colleague, "CALL_ESTABLISHED")
    colleague.ctl.cmd("hangup")
    cleared = await events.wait(kind(CallEventKind.CONNECTION_CLEARED, ring.call.call_id), 10)
    assert cleared.call.cause is Cause.NORMAL_CLEARING
    # RFC 5626: CRLFCRLF pings every second, each answered CRLF by Kamailio
    for _ in range(40):
        if endpoint.pongs >= 2:
            break
        await asyncio.sleep(0.1)
    assert endpoint.pongs >= 2
    assert backend.ua.registered


async def test_tls_server_not_signed_by_the_trusted_ca_is_refused_clearly(
    tls_pbx: Kamailio, test_ca: TestCa, phone_factory: Any, tmp_path: Path
) -> None:
    with pytest.raises(BackendUnavailable) as refused:
        await phone_factory(
            tls_pbx,
            wait_online=False,
            transport="tls",
            port=tls_pbx.tls_port,
            ca_bundle=str(test_ca.other_ca),
        )
    text = str(refused.value)
    assert "not signed by a trusted authority" in text and "ca_bundle" in text, text
    assert "Traceback" not in text
    # the system's CAs do not know the test CA either
    with pytest.raises(BackendUnavailable, match="trusted authority"):
        await phone_factory(tls_pbx, wait_online=False, transport="tls", port=tls_pbx.tls_port)
    # the right CA, but the server reached by a name its certificate does not carry
    with pytest.raises(BackendUnavailable, match="does not name localhost"):
        await phone_factory(
            tls_pbx,
            wait_online=False,
            server="localhost",
            transport="tls",
            port=tls_pbx.tls_port,
            ca_bundle=str(test_ca.ca_cert),
        )
