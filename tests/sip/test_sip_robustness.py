"""No datagram kills or wedges the SIP stack (issue 19, "defects found by flooding it").

Every test runs with the phone registered at Kamailio and a call up with baresip, sends its
datagrams from raw UDP sockets straight at the phone's SIP port, then checks the stack is
alive (the socket open, an OPTIONS answered), the call still carries audio both ways, the
registration held and no call rang. The last test floods it with thousands of mutated
requests and makes a new call afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import threading
import time
import uuid
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio
from test_sip_features import call_up, counts_move, kind, wait_bare

from tws_tui.core.events import CallEventKind, LinkEvent

pytestmark = pytest.mark.sip


def request(
    method: str,
    port: int,
    *,
    via: str = "SIP/2.0/UDP 127.0.0.1:@LP@;branch=@BR@",
    version: str = "SIP/2.0",
    cseq: str = "",
    length: str = "",
    body: str = "",
    extra: str = "",
) -> bytes:
    """A request to the phone; ``@LP@`` becomes the sending socket's port."""
    content = body.encode()
    return (
        f"{method} sip:1001@127.0.0.1:{port} {version}\r\n"
        f"Via: {via}\r\n"
        f"From: <sip:probe@127.0.0.1>;tag={uuid.uuid4().hex[:8]}\r\nTo: <sip:1001@127.0.0.1>\r\n"
        f"Call-ID: {uuid.uuid4().hex}\r\nCSeq: {cseq or '1 ' + method}\r\nMax-Forwards: 70\r\n"
        f"Contact: <sip:probe@127.0.0.1:@LP@>\r\n{extra}"
        + ("Content-Type: application/sdp\r\n" if body else "")
        + f"Content-Length: {length or len(content)}\r\n\r\n"
    ).encode().replace(b"@BR@", f"z9hG4bK{uuid.uuid4().hex}".encode()) + content


def offer(port: str = "40000", conn: str = "IN IP4 127.0.0.1") -> str:
    return (
        f"v=0\r\no=probe 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc={conn}\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )


def exchange(port: int, data: bytes, source: str = "127.0.0.1", wait: float = 1.0) -> bytes:
    """Send ``data`` from a fresh socket; the first answer, or b"" when none came."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(wait)
        s.bind((source, 0))
        s.sendto(data.replace(b"@LP@", str(s.getsockname()[1]).encode()), ("127.0.0.1", port))
        try:
            return s.recv(65535)
        except TimeoutError:
            return b""


async def send(port: int, data: bytes, source: str = "127.0.0.1", wait: float = 1.0) -> bytes:
    return await asyncio.to_thread(exchange, port, data, source, wait)


async def assert_alive(backend: Any, events: Any, mark: int, call_id: str) -> None:
    """Socket open, OPTIONS answered, registered, the call still up with audio both ways,
    nothing rang and the link never changed."""
    port = backend.ua.local_port
    transport = backend.ua.endpoint._transport
    assert transport is not None and not transport.is_closing(), "the SIP socket was closed"
    assert (await send(port, request("OPTIONS", port))).startswith(b"SIP/2.0 200")
    assert backend.ua.registered
    assert call_id in backend.ua.calls
    assert all(n > 20 for n in await counts_move(backend.media.streams[0]))
    later = events.seen[mark:]
    assert not [e for e in later if isinstance(e, LinkEvent)]
    assert not [e for e in later if kind(CallEventKind.DELIVERED)(e)], "a bad INVITE rang"
    assert not [e for e in later if kind(CallEventKind.CONNECTION_CLEARED)(e)]


@pytest.fixture
async def call(phone: Any, bare_a: Baresip) -> Any:
    backend, events = phone
    up = await call_up(backend, events, bare_a)
    yield up
    with contextlib.suppress(Exception):
        await backend.hangup(up.call_id)


async def test_a_bad_via_port_rport_or_host_is_dropped_and_the_stack_lives(
    phone: Any, call: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Defect 1: a top Via with a port or rport outside 1–65535, or a NUL in the host, made
    the reply's sendto raise OverflowError/TypeError and asyncio closed the socket."""
    backend, events = phone
    caplog.set_level(logging.INFO, logger="tws_tui.backends.sip")
    mark, port = len(events.seen), backend.ua.local_port
    bad_vias = [
        "SIP/2.0/UDP 127.0.0.1:70000;branch=@BR@",
        "SIP/2.0/UDP 127.0.0.1:99999999999999999999;branch=@BR@",
        "SIP/2.0/UDP 127.0.0.1:0;branch=@BR@",
        "SIP/2.0/UDP 127.0.0.1:@LP@;rport=70000;branch=@BR@",
        "SIP/2.0/UDP 127.0.0.1:@LP@;rport=-1;branch=@BR@",
        "SIP/2.0/UDP 127.0.0.1\x00:@LP@;branch=@BR@",
        "SIP/2.0/UDP 127.0.\x00.1;branch=@BR@",
        "SIP/2.0/UDP 127.0.0.1:@LP@;received=nowhere\x00;branch=@BR@",
    ]
    for via in bad_vias:
        for method in ("OPTIONS", "INVITE", "BYE"):
            body = offer() if method == "INVITE" else ""
            answer = await send(port, request(method, port, via=via, body=body), wait=0.3)
            assert answer == b"", (via, answer[:60])
    await assert_alive(backend, events, mark, call.call_id)
    assert backend.ua.endpoint.dropped >= len(bad_vias) * 3
    assert "Fatal write error" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_sdp_with_a_port_out_of_range_or_no_ipv4_address_is_refused(
    phone: Any, call: Any
) -> None:
    """Defect 2 (m=audio 99999 was accepted and broke the media clock for every call), 4
    (c=IN IP6 on an IPv4-only socket), 7 (a host name in c= resolved on the media thread)."""
    backend, events = phone
    mark, port = len(events.seen), backend.ua.local_port
    for body in (
        offer(port="99999"),
        offer(port="-5"),
        offer(conn="IN IP6 ::1"),
        offer(conn="IN IP4 media.example.invalid"),
    ):
        answer = await send(port, request("INVITE", port, body=body))
        assert answer.startswith(b"SIP/2.0 488"), (body, answer[:60])
    await assert_alive(backend, events, mark, call.call_id)


async def test_rport_and_received_send_answers_back_to_the_source(phone: Any, call: Any) -> None:
    """Defect 3: ``rport`` without a value was ignored and ``received`` never applied, so a
    peer behind NAT (its Via naming a private address) never got an answer."""
    backend, events = phone
    mark, port = len(events.seen), backend.ua.local_port
    nat = request("OPTIONS", port, via="SIP/2.0/UDP 10.77.0.9:5999;rport;branch=@BR@")
    answer = await send(port, nat)
    assert answer.startswith(b"SIP/2.0 200"), answer[:60]
    via = next(line for line in answer.split(b"\r\n") if line.startswith(b"Via:"))
    assert b";rport=" in via and b";received=127.0.0.1" in via and b"10.77.0.9:5999" in via
    # no rport: received is added, the answer goes to the source address at the Via's port
    other = request("OPTIONS", port, via="SIP/2.0/UDP 10.77.0.9:@LP@;branch=@BR@")
    answer = await send(port, other)
    assert answer.startswith(b"SIP/2.0 200") and b"received=127.0.0.1" in answer
    await assert_alive(backend, events, mark, call.call_id)


async def test_malformed_requests_are_answered_400_505_or_501_and_never_ring(
    phone: Any, call: Any
) -> None:
    """Defect 4: lower-case ``invite`` rang; Content-Length 99999, ``abc`` or ``-1`` rang;
    ``CSeq: 1  INVITE extra`` was accepted; ``SIP/3.0`` went unanswered."""
    backend, events = phone
    mark, port = len(events.seen), backend.ua.local_port
    cases = [
        (request("invite", port, body=offer()), b"SIP/2.0 501"),
        (request("INVITE", port, body=offer(), length="99999"), b"SIP/2.0 400"),
        (request("INVITE", port, body=offer(), length="abc"), b"SIP/2.0 400"),
        (request("INVITE", port, body=offer(), length="-1"), b"SIP/2.0 400"),
        (request("INVITE", port, body=offer(), cseq="1  INVITE extra"), b"SIP/2.0 400"),
        (request("INVITE", port, body=offer(), cseq="1 BYE"), b"SIP/2.0 400"),
        (request("INVITE", port, body=offer(), version="SIP/3.0"), b"SIP/2.0 505"),
        (request("OPTIONS", port, cseq="99999999999 OPTIONS"), b"SIP/2.0 400"),
    ]
    for data, expected in cases:
        answer = await send(port, data)
        assert answer.startswith(expected), (data[:80], answer[:80])
    refused = backend.ua.endpoint.refused
    assert refused >= 6
    await assert_alive(backend, events, mark, call.call_id)


async def test_requests_from_other_addresses_do_not_ring(
    kamailio: Kamailio, phone_factory: Any, bare_a: Baresip
) -> None:
    """Defect 5: an INVITE sent straight to the phone's port from any address rang it.
    Requests outside a dialog are taken from the SIP server (and ``trusted_hosts``) only."""
    backend, events = await phone_factory(kamailio)
    up = await call_up(backend, events, bare_a)
    mark, port = len(events.seen), backend.ua.local_port
    stranger = request("INVITE", port, body=offer())
    assert await send(port, stranger, source="127.0.0.2", wait=0.5) == b""
    assert backend.ua.endpoint.unwanted == 1
    await assert_alive(backend, events, mark, up.call_id)
    await backend.hangup(up.call_id)
    # trusted_hosts names another address: its INVITE rings
    other, other_events = await phone_factory(kamailio, trusted_hosts="127.0.0.3")
    ring = await send(other.ua.local_port, stranger, source="127.0.0.3")
    assert ring.startswith(b"SIP/2.0 180")
    await other_events.wait(kind(CallEventKind.DELIVERED), 2)


# ---- the flood ----------------------------------------------------------------------------

VALID = [
    "OPTIONS",
    "BYE",
    "INFO",
    "NOTIFY",
    "PRACK",
    "SUBSCRIBE",
    "REGISTER",
]


def mutate(rnd: random.Random, data: bytes) -> bytes:
    """One random malformation of a valid request (the kinds the issue's flood used)."""
    choice = rnd.randrange(10)
    lines = data.split(b"\r\n")
    if choice == 0:  # flip bytes
        buf = bytearray(data)
        for _ in range(rnd.randint(1, 12)):
            buf[rnd.randrange(len(buf))] = rnd.randrange(256)
        return bytes(buf)
    if choice == 1:  # truncate
        return data[: rnd.randrange(1, len(data))]
    if choice == 2:  # drop a header line
        del lines[rnd.randrange(1, len(lines) - 2)]
        return b"\r\n".join(lines)
    if choice == 3:  # a bad Via
        port = rnd.choice([b"70000", b"0", b"-1", b"99999999999999999999", b"65536", b"5x"])
        return data.replace(b"127.0.0.1:@LP@", b"127.0.0.1:" + port, 1)
    if choice == 4:
        return data.replace(b";branch=", b";rport=" + str(rnd.randint(65536, 10**6)).encode()
                            + b";branch=", 1)  # fmt: skip
    if choice == 5:  # NULs and control characters somewhere
        at = rnd.randrange(len(data))
        odd = rnd.choice([b"\x00", b"\x00\x00\x00", b"\x07", b"\r", b"\xff"])
        return data[:at] + odd + data[at:]
    if choice == 6:  # Content-Length lies
        value = rnd.choice([b"99999", b"abc", b"-1", b"1.5", b""])
        return data.replace(b"Content-Length: 0", b"Content-Length: " + value)
    if choice == 7:  # CSeq and start line oddities
        return rnd.choice([
            data.replace(b"CSeq: 1 ", b"CSeq: 1  X extra "),
            data.replace(b" SIP/2.0\r\n", b" SIP/3.0\r\n", 1),
            data.replace(b" SIP/2.0\r\n", b" SIP/2.0 junk\r\n", 1),
            data.lower(),
        ])  # fmt: skip
    if choice == 8:  # an INVITE with a broken body
        body = offer(port=rnd.choice(["99999", "-1", "65536", "70000"]))
        return request("INVITE", 0, body=body).replace(
            b"Content-Length: ", b"Content-Length: " + rnd.choice([b"", b"9"])
        )
    return bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 600)))  # noise


def flood(port: int, count: int, seed: int) -> dict[str, int]:
    rnd = random.Random(seed)
    answers: dict[str, int] = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(0.2)
        lp = str(s.getsockname()[1]).encode()
        stop = threading.Event()

        def listen() -> None:
            while not stop.is_set():
                try:
                    data = s.recv(65535)
                except TimeoutError:
                    continue
                except OSError:
                    return
                code = data[8:11].decode(errors="replace")
                answers[code] = answers.get(code, 0) + 1

        reader = threading.Thread(target=listen, daemon=True)
        reader.start()
        for i in range(count):
            base = request(rnd.choice(VALID), port)
            data = mutate(rnd, base).replace(b"@LP@", lp)
            s.sendto(data, ("127.0.0.1", port))
            if i % 20 == 0:
                time.sleep(0.004)  # about 4 000 datagrams/s: the flood of the issue
        time.sleep(1.0)
        stop.set()
        reader.join(2)
    return answers


async def test_a_flood_of_mutated_requests_leaves_the_call_up_and_a_new_call_works(
    phone: Any, call: Any, bare_b: Baresip, caplog: pytest.LogCaptureFixture
) -> None:
    backend, events = phone
    caplog.set_level(logging.INFO, logger="tws_tui.backends.sip")
    mark, ep = len(events.seen), backend.ua.endpoint
    sent, started = 10_000, time.monotonic()
    answers = await asyncio.to_thread(flood, backend.ua.local_port, sent, 19)
    took = time.monotonic() - started
    print(
        f"flood: {sent} datagrams in {took:.1f} s; answers by status {sorted(answers.items())};"
        f" malformed {ep.dropped}, of which answered 400/505 {ep.refused};"
        f" log lines {len(caplog.records)}"
    )
    assert took < 60
    assert ep.refused > 600 and answers.get("400", 0) > 600  # answers still sent
    assert ep.dropped > 2000
    assert len(caplog.records) < 200, "the log was not throttled"
    await assert_alive(backend, events, mark, call.call_id)
    await backend.hold(call.call_id)  # the dialog still works end to end
    await events.wait(kind(CallEventKind.HELD, call.call_id), 5)
    second = await call_up(backend, events, bare_b)  # and a new call works
    assert all(n > 20 for n in await counts_move(backend.media.streams[-1]))
    await backend.hangup(second.call_id)
    await wait_bare(bare_b, "CALL_CLOSED", 5)


async def test_a_socket_closed_under_the_stack_is_opened_again(phone: Any, call: Any) -> None:
    """Defence in depth for defect 1: if asyncio ever closes the socket on a send error
    (its "Fatal write error on datagram transport"), the same port is bound again at once;
    the registration and the call carry on."""
    backend, events = phone
    ep, mark = backend.ua.endpoint, len(events.seen)
    old = ep._transport
    ep.loop.call_soon_threadsafe(old._fatal_error, OverflowError("forced"), "forced by a test")
    for _ in range(50):
        if ep.reopened:
            break
        await asyncio.sleep(0.05)
    assert ep.reopened == 1 and ep._transport is not old
    await assert_alive(backend, events, mark, call.call_id)
    await backend.hold(call.call_id)
    await events.wait(kind(CallEventKind.HELD, call.call_id), 5)
