"""SIP over TCP and over TLS (RFC 3261 §18) against Kamailio's ``tcp`` and ``tls`` listeners
(``kamailio-tls-modules``), with a CA made by the test (``openssl``): register, call out and
hang up, be called and answer, RFC 5626 CRLF keep-alives answered by the server; the wrong CA
is refused at connect with a clear reason, no traceback. The colleague (baresip 1002) stays on
UDP: Kamailio bridges the transports, and reaches our phone back on its own connection.
RFC 3263: the server found through NAPTR, SRV and A records served by a real DNS server on
loopback (dnslib's), with SRV failover to the next target."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio, TestCa, free_port

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


async def test_a_lost_connection_is_opened_again_and_the_phone_stays_reachable(
    tls_pbx: Kamailio, colleague: Baresip, phone_factory: Any
) -> None:
    """The TCP connection drops (aborted under us): the endpoint opens a new one, registers
    again at once with the new Contact, and a colleague's call reaches the phone on it."""
    colleague.reset()
    backend, events = await phone_factory(tls_pbx, transport="tcp", port=tls_pbx.port)
    endpoint = backend.ua.endpoint
    first = endpoint.local_port
    endpoint.loop.call_soon_threadsafe(endpoint.stream.transport.abort)
    for _ in range(100):
        if endpoint.reopened and endpoint.local_port != first and backend.ua.registered:
            break
        await asyncio.sleep(0.1)
    assert endpoint.reopened == 1 and endpoint.local_port != first
    await asyncio.sleep(1.0)  # the new binding saved by the registrar
    colleague.ctl.cmd("dial", "sip:1001@127.0.0.1")
    ring = await events.wait(
        lambda e: kind(CallEventKind.DELIVERED)(e) and e.call.direction is Direction.INBOUND,
        10,
        "incoming after the reconnection",
    )
    await backend.hangup(ring.call.call_id)
    await wait_bare(colleague, "CALL_CLOSED")


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


ZONE = """
pbx.test. 60 IN NAPTR 10 50 "s" "SIPS+D2T" "" _sips._tcp.pbx.test.
pbx.test. 60 IN NAPTR 20 50 "s" "SIP+D2T" "" _sip._tcp.pbx.test.
pbx.test. 60 IN NAPTR 30 50 "s" "SIP+D2U" "" _sip._udp.pbx.test.
pbx.test. 60 IN A 127.0.0.1
_sip._tcp.pbx.test. 60 IN SRV 10 50 {dead} sip1.pbx.test.
_sip._tcp.pbx.test. 60 IN SRV 20 50 {port} sip2.pbx.test.
_sip._udp.pbx.test. 60 IN SRV 10 50 {port} sip2.pbx.test.
_sips._tcp.pbx.test. 60 IN SRV 10 50 {tls_port} sip2.pbx.test.
sip1.pbx.test. 60 IN A 127.0.0.1
sip2.pbx.test. 60 IN A 127.0.0.1
plain.test. 60 IN A 127.0.0.1
"""


@pytest.fixture(scope="module")
def dns_server(tls_pbx: Kamailio) -> Iterator[str]:
    """A DNS server on loopback (dnslib's, UDP) serving ZONE for ``tls_pbx``; ``dead`` is a
    port nobody listens on (the first SRV target, to fail over from)."""
    from dnslib import server as server_mod  # the dev extra (a failure, not a skip, if absent)
    from dnslib.zoneresolver import ZoneResolver

    zone = ZONE.format(dead=free_port(), port=tls_pbx.port, tls_port=tls_pbx.tls_port)
    port = free_port()
    logger = server_mod.DNSLogger(prefix=False, logf=lambda _text: None)
    server = server_mod.DNSServer(ZoneResolver(zone), port=port, address="127.0.0.1", logger=logger)
    server.start_thread()
    yield f"127.0.0.1:{port}"
    server.stop()


def test_rfc3263_lookups_against_a_dns_server(dns_server: str, tls_pbx: Kamailio) -> None:
    from tws_tui.backends.sip.locate import LocateError, locate

    tcp = locate("pbx.test", 0, "tcp", dns_server)
    assert [(t.port, t.via) for t in tcp][1:] == [(tls_pbx.port, "SRV _sip._tcp.pbx.test.")]
    assert [t.port for t in locate("pbx.test", 0, "udp", dns_server)] == [tls_pbx.port]
    assert [t.port for t in locate("pbx.test", 0, "tls", dns_server)] == [tls_pbx.tls_port]
    # an explicit port: A records only (RFC 3263 §4.2); no SRV: the name's A, default port
    assert [(t.port, t.via) for t in locate("pbx.test", 5999, "tcp", dns_server)] == [(5999, "A")]
    assert [(t.port, t.via) for t in locate("plain.test", 0, "tls", dns_server)] == [(5061, "A")]
    with pytest.raises(LocateError):
        locate("nowhere.test", 0, "udp", dns_server)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_the_phone_finds_its_server_by_naptr_and_srv(
    transport: str, tls_pbx: Kamailio, dns_server: str, phone_factory: Any
) -> None:
    """server = "pbx.test", port = 0: NAPTR → SRV → A through the DNS server; over TCP the
    first SRV target is dead and the phone registers through the second."""
    backend, _events = await phone_factory(
        tls_pbx, server="pbx.test", port=0, transport=transport, dns_server=dns_server
    )
    endpoint = backend.ua.endpoint
    assert endpoint.server_addr == ("127.0.0.1", tls_pbx.port)
    assert endpoint.targets[-1].via == f"SRV _sip._{transport}.pbx.test."
    assert backend.ua.registered


async def test_tls_found_by_srv_checks_the_domain_name(
    tls_pbx: Kamailio, dns_server: str, test_ca: TestCa, phone_factory: Any
) -> None:
    """RFC 5922: over TLS the certificate must name the SIP domain (pbx.test), not the SRV
    target; the test certificate names 127.0.0.1 only, so the phone refuses it, in words."""
    with pytest.raises(BackendUnavailable, match=r"does not name pbx\.test"):
        await phone_factory(
            tls_pbx,
            wait_online=False,
            server="pbx.test",
            port=0,
            transport="tls",
            dns_server=dns_server,
            ca_bundle=str(test_ca.ca_cert),
        )
