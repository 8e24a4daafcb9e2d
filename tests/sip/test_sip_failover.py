"""RFC 3263 §4.3 failover against a real DNS server on loopback (dnslib's) and real peers:
the SRV targets of the PBX's name are tried in priority order; a registrar that answers 503
(SIPp) or does not answer at all (a port nobody listens on) hands over to the next one, over
UDP (the same REGISTER sent to the next target) as over TCP (the connection moves to the next
target and the phone registers there), until Kamailio takes the registration."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from typing import Any

import pytest
from sip_peers import Kamailio, Sipp, free_port
from test_sip_transports import test_ca, tls_pbx  # noqa: F401 - the fixtures used here

pytestmark = pytest.mark.sip

ZONE = """
fo.test. 60 IN NAPTR 10 50 "s" "SIP+D2U" "" _sip._udp.fo.test.
fo.test. 60 IN NAPTR 20 50 "s" "SIP+D2T" "" _sip._tcp.fo.test.
_sip._udp.fo.test. 60 IN SRV 10 50 {busy} busy.fo.test.
_sip._udp.fo.test. 60 IN SRV 20 50 {dead} dead.fo.test.
_sip._udp.fo.test. 60 IN SRV 30 50 {port} live.fo.test.
_sip._tcp.fo.test. 60 IN SRV 10 50 {busy_tcp} busy.fo.test.
_sip._tcp.fo.test. 60 IN SRV 20 50 {port} live.fo.test.
busy.fo.test. 60 IN A 127.0.0.1
dead.fo.test. 60 IN A 127.0.0.1
live.fo.test. 60 IN A 127.0.0.1
w.test. 60 IN NAPTR 10 50 "s" "SIP+D2U" "" _sip._udp.w.test.
_sip._udp.w.test. 60 IN SRV 10 0 5001 live.fo.test.
_sip._udp.w.test. 60 IN SRV 10 100 5002 live.fo.test.
_sip._udp.w.test. 60 IN SRV 5 0 5000 live.fo.test.
_sip._udp.six.test. 60 IN SRV 10 50 5070 v6.six.test.
_sip._udp.six.test. 60 IN SRV 20 50 5080 both.six.test.
v6.six.test. 60 IN AAAA ::1
both.six.test. 60 IN A 127.0.0.1
both.six.test. 60 IN AAAA ::1
only6.test. 60 IN AAAA ::1
"""


class Dns:
    def __init__(self, address: str, busy: int, busy_tcp: int, dead: int) -> None:
        self.address, self.busy, self.busy_tcp, self.dead = address, busy, busy_tcp, dead


@pytest.fixture(scope="module")
def fo_dns(tls_pbx: Kamailio) -> Iterator[Dns]:  # noqa: F811 - the imported fixture
    """dnslib's DNS server on loopback serving ZONE: ``busy`` (UDP) and ``busy_tcp`` are
    where a SIPp registrar answering 503 listens, ``dead`` a port nobody listens on, and
    ``live`` is the Kamailio (UDP and TCP)."""
    from dnslib import server as server_mod  # the dev extra (a failure, not a skip, if absent)
    from dnslib.zoneresolver import ZoneResolver

    dns = Dns("", free_port(), free_port(), free_port())
    zone = ZONE.format(busy=dns.busy, busy_tcp=dns.busy_tcp, dead=dns.dead, port=tls_pbx.port)
    port = free_port()
    logger = server_mod.DNSLogger(prefix=False, logf=lambda _text: None)
    server = server_mod.DNSServer(ZoneResolver(zone), port=port, address="127.0.0.1", logger=logger)
    server.start_thread()
    dns.address = f"127.0.0.1:{port}"
    yield dns
    server.stop()


def test_srv_targets_are_ordered_by_priority_then_weight(fo_dns: Dns) -> None:
    """RFC 2782: priority 5 first; within priority 10, weight 100 before weight 0 nearly
    always (a weighted draw, seeded here)."""
    from tws_tui.backends.sip.locate import locate

    random.seed(7)
    firsts = [[t.port for t in locate("w.test", 0, "udp", fo_dns.address)] for _ in range(50)]
    assert all(order[0] == 5000 and sorted(order[1:]) == [5001, 5002] for order in firsts)
    assert sum(order[1] == 5002 for order in firsts) >= 45
    udp = locate("fo.test", 0, "udp", fo_dns.address)
    assert [t.port for t in udp] == [fo_dns.busy, fo_dns.dead, udp[-1].port]


def test_ipv6_only_targets_are_skipped_and_said(
    fo_dns: Dns, caplog: pytest.LogCaptureFixture
) -> None:
    """This stack speaks IPv4: an SRV target with AAAA records only is skipped (logged), one
    with A and AAAA is used by its IPv4 address, and a server with IPv6 addresses only is
    refused in a sentence that says so."""
    from tws_tui.backends.sip.locate import LocateError, locate

    targets = locate("six.test", 0, "udp", fo_dns.address)
    assert [(t.host, t.port) for t in targets] == [("127.0.0.1", 5080)]
    assert "v6.six.test has IPv6 addresses only (::1): skipped" in caplog.text
    with pytest.raises(LocateError, match=r"IPv6 only .*only6\.test.* speaks SIP over IPv4"):
        locate("only6.test", 5060, "udp", fo_dns.address)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_the_next_server_is_taken_on_503_or_no_answer(
    transport: str,
    tls_pbx: Kamailio,  # noqa: F811 - the imported fixture
    fo_dns: Dns,
    phone_factory: Any,
    sipp: Sipp,
) -> None:
    """UDP: 503 from the first registrar (SIPp), no answer from the second, Kamailio third.
    TCP: 503 from the first (SIPp over TCP), Kamailio second. Each time the phone ends up
    registered at Kamailio and says in its counter how many servers it left."""
    busy = fo_dns.busy if transport == "udp" else fo_dns.busy_tcp
    extra = () if transport == "udp" else ("-t", "t1")
    registrar = sipp.start("uas_register_503.xml", "", busy, *extra)
    try:
        await asyncio.sleep(0.3)
        backend, _events = await phone_factory(
            tls_pbx,
            server="fo.test",
            port=0,
            transport=transport,
            dns_server=fo_dns.address,
        )
        endpoint = backend.ua.endpoint
        assert endpoint.server_addr == ("127.0.0.1", tls_pbx.port)
        assert endpoint.failovers == (2 if transport == "udp" else 1)
        assert backend.ua.registered
        assert await asyncio.to_thread(registrar.wait, 5) == 0, sipp.errors()
        assert "SIP/2.0 503 Service Unavailable" in sipp.messages()
    finally:
        registrar.kill()
