"""In-call features against real peers: hold/retrieve both ways (re-INVITE, and UPDATE from
the far end), DTMF both ways (RFC 4733
and SIP INFO), deflect (302), mute, recording to WAV, MESSAGE both ways, and the robustness
of the stack (OPTIONS, 501 for unknown methods, tolerant parsing, a burst of garbage), and
directed pickup by the PBX's feature code."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import threading
import time
import uuid
import wave
from pathlib import Path
from typing import Any

import pytest
from sip_peers import Baresip, Kamailio, Sipp

from tws_tui.core.errors import InvalidDestination, NotSupported
from tws_tui.core.events import CallEvent, CallEventKind, ChatEvent, LinkEvent
from tws_tui.core.model import Action, Capability, Cause, ConnectionState, DeviceId

pytestmark = pytest.mark.sip


def kind(k: CallEventKind, call_id: str | None = None) -> Any:
    return lambda e: (
        isinstance(e, CallEvent) and e.kind is k and (call_id is None or e.call.call_id == call_id)
    )


async def wait_bare(ua: Baresip, event: str, timeout: float = 10.0) -> dict[str, Any]:
    return await asyncio.to_thread(ua.ctl.wait_event, event, timeout)


async def call_up(backend: Any, events: Any, ua: Baresip) -> Any:
    call = await backend.make_call(ua.user)
    await wait_bare(ua, "CALL_INCOMING")
    ua.ctl.cmd("accept")
    await wait_bare(ua, "CALL_ESTABLISHED", 5)
    return (await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 5)).call


async def counts_move(stream: Any, seconds: float = 0.6) -> tuple[int, int]:
    sent, received = stream.packets_sent, stream.packets_received
    await asyncio.sleep(seconds)
    return stream.packets_sent - sent, stream.packets_received - received


async def test_hold_and_retrieve_by_us(phone: Any, bare_a: Baresip) -> None:
    backend, events = phone
    call = await call_up(backend, events, bare_a)
    stream = backend.media.streams[0]
    assert all(n > 20 for n in await counts_move(stream))
    await backend.hold(call.call_id)
    held = await events.wait(kind(CallEventKind.HELD, call.call_id), 5)
    assert held.call.state is ConnectionState.HOLD and Action.RETRIEVE in held.call.allowed
    await asyncio.sleep(0.3)
    assert await counts_move(stream) == (0, 0)  # both sides silent: sendonly / recvonly
    await backend.retrieve(call.call_id)
    back = await events.wait(kind(CallEventKind.RETRIEVED, call.call_id), 5)
    assert back.call.state is ConnectionState.CONNECTED
    await asyncio.sleep(0.3)
    assert all(n > 20 for n in await counts_move(stream))
    await backend.hangup(call.call_id)
    await wait_bare(bare_a, "CALL_CLOSED", 5)


async def test_far_end_hold_is_shown_and_the_call_survives(phone: Any, bare_a: Baresip) -> None:
    backend, events = phone
    call = await call_up(backend, events, bare_a)
    threads = threading.active_count()
    mark = len(events.seen)
    bare_a.ctl.cmd("hold")
    held = await events.wait(
        lambda e: (
            kind(CallEventKind.INFORMATION, call.call_id)(e)
            and e.call.remote_state is ConnectionState.HOLD
        ),
        5,
    )
    assert held in events.seen[mark:] and held.call.state is ConnectionState.CONNECTED
    await asyncio.sleep(0.5)
    bare_a.ctl.cmd("resume")
    await events.wait(
        lambda e: (
            kind(CallEventKind.INFORMATION, call.call_id)(e)
            and e.call.remote_state is ConnectionState.CONNECTED
        ),
        5,
    )
    assert threading.active_count() == threads  # no RTP thread per re-INVITE (defect #5)
    await asyncio.sleep(0.3)
    assert all(n > 20 for n in await counts_move(backend.media.streams[0]))
    await backend.hangup(call.call_id)
    await wait_bare(bare_a, "CALL_CLOSED", 5)


def _update(port: int, leg: Any, cseq: int, direction: str = "", rtp: Any = None) -> bytes:
    """An UPDATE from the far end of ``leg`` (RFC 3311), sent from a test socket."""
    body = b""
    if direction:
        body = (
            f"v=0\r\no=peer 1 {cseq} IN IP4 {rtp[0]}\r\ns=-\r\nc=IN IP4 {rtp[0]}\r\nt=0 0\r\n"
            f"m=audio {rtp[1]} RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
            f"a={direction}\r\n"
        ).encode()
    head = (
        f"UPDATE sip:1001@127.0.0.1:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:@LP@;branch=z9hG4bK{uuid.uuid4().hex}\r\n"
        f"From: <sip:{leg.remote.uri.user}@127.0.0.1>;tag={leg.remote_tag}\r\n"
        f"To: <sip:1001@127.0.0.1>;tag={leg.local_tag}\r\nCall-ID: {leg.call_id}\r\n"
        f"CSeq: {cseq} UPDATE\r\nContact: <{leg.remote_target}>\r\n"
        + ("Content-Type: application/sdp\r\n" if body else "")
        + f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def test_far_end_update_holds_resumes_and_refreshes(phone: Any, bare_a: Baresip) -> None:
    backend, events = phone
    call = await call_up(backend, events, bare_a)
    leg, port = backend.ua.calls[call.call_id], backend.ua.local_port
    stream = backend.media.streams[0]
    peer_rtp = stream.remote
    held = await asyncio.to_thread(_udp, port, _update(port, leg, 100, "sendonly", peer_rtp))
    assert held.startswith(b"SIP/2.0 200") and b"a=recvonly" in held
    await events.wait(
        lambda e: (
            kind(CallEventKind.INFORMATION, call.call_id)(e)
            and e.call.remote_state is ConnectionState.HOLD
        ),
        5,
    )
    refresh = await asyncio.to_thread(_udp, port, _update(port, leg, 101))
    assert refresh.startswith(b"SIP/2.0 200") and b"Content-Length: 0" in refresh
    stale = await asyncio.to_thread(_udp, port, _update(port, leg, 101))  # same CSeq, new branch
    assert stale.startswith(b"SIP/2.0 500")
    back = await asyncio.to_thread(_udp, port, _update(port, leg, 102, "sendrecv", peer_rtp))
    assert back.startswith(b"SIP/2.0 200") and b"a=sendrecv" in back
    await events.wait(
        lambda e: (
            kind(CallEventKind.INFORMATION, call.call_id)(e)
            and e.call.remote_state is ConnectionState.CONNECTED
        ),
        5,
    )
    assert stream.remote == peer_rtp and all(n > 20 for n in await counts_move(stream))
    await backend.hangup(call.call_id)
    await wait_bare(bare_a, "CALL_CLOSED", 5)


async def test_dtmf_both_ways_rfc4733(phone: Any, bare_b: Baresip) -> None:
    backend, events = phone
    call = await call_up(backend, events, bare_b)
    await backend.send_dtmf(call.call_id, "123#")
    got = [(await wait_bare(bare_b, "CALL_DTMF_START", 3)).get("param") for _ in range(4)]
    assert got == ["1", "2", "3", "#"]
    for digit in "59":
        bare_b.ctl.cmd("sndcode", digit)
        await asyncio.sleep(0.3)
    event = await events.wait(
        lambda e: (
            kind(CallEventKind.INFORMATION, call.call_id)(e)
            and e.call.extra.get("dtmf_received") == "59"
        ),
        5,
    )
    assert event.call.extra["dtmf"] == "123#"
    await backend.hangup(call.call_id)


async def test_dtmf_received_by_sip_info(kamailio: Kamailio, phone: Any, sipp: Sipp) -> None:
    backend, events = phone
    uac = sipp.start("uac_info_dtmf.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001")
    try:
        ring = await events.wait(kind(CallEventKind.DELIVERED), 10)
        await backend.answer(ring.call.call_id)
        await events.wait(
            lambda e: (
                kind(CallEventKind.INFORMATION)(e) and e.call.extra.get("dtmf_received") == "7"
            ),
            5,
        )
        await events.wait(kind(CallEventKind.CONNECTION_CLEARED, ring.call.call_id), 5)
        assert await asyncio.to_thread(uac.wait, 10) == 0, sipp.errors()
    finally:
        uac.kill()


async def test_dtmf_sent_by_sip_info_to_a_peer_without_telephone_event(
    kamailio: Kamailio, phone: Any, sipp: Sipp
) -> None:
    """A peer whose answer offers no telephone-event gets the digits as SIP INFO
    (application/dtmf-relay, one request a digit): SIPp behind the proxy checks each body."""
    backend, events = phone
    uas = sipp.start("uas_info_dtmf.xml", "", kamailio.sipp_port)
    try:
        await asyncio.sleep(0.3)
        call = await backend.make_call("9100")
        await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 10)
        assert backend.media.streams[0].event_pt is None  # no RFC 4733 with this peer
        await backend.send_dtmf(call.call_id, "4#")
        await asyncio.sleep(0.5)  # both INFO answered before the BYE
        await backend.hangup(call.call_id)
        assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
    finally:
        uas.kill()
    info = [m for m in sipp.messages().split("\n") if m.startswith("INFO sip:")]
    assert len(info) == 2, sipp.messages()


async def test_deflect_a_ringing_call_with_302(kamailio: Kamailio, phone: Any, sipp: Sipp) -> None:
    backend, events = phone
    uac = sipp.start("uac_deflect.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001")
    try:
        ring = await events.wait(kind(CallEventKind.DELIVERED), 10)
        await backend.deflect(ring.call.call_id, "1003")
        gone = await events.wait(kind(CallEventKind.DIVERTED, ring.call.call_id), 2)
        assert gone.call.state is ConnectionState.NULL and gone.new_destination.number == "1003"
        assert await asyncio.to_thread(uac.wait, 10) == 0, sipp.errors()
    finally:
        uac.kill()


async def test_mute_and_recording(phone: Any, bare_a: Baresip, tmp_path: Path) -> None:
    backend, events = phone
    call = await call_up(backend, events, bare_a)
    await backend.set_mute(call.call_id, True)
    muted = await events.wait(lambda e: kind(CallEventKind.INFORMATION)(e) and e.call.muted, 2)
    assert muted.call.muted and backend.media.streams[0].muted
    await backend.set_recording(call.call_id, True)
    rec = await events.wait(lambda e: kind(CallEventKind.INFORMATION)(e) and e.call.recording, 2)
    path = Path(rec.call.extra["recording_file"])
    await asyncio.sleep(1.0)
    await backend.set_recording(call.call_id, False)
    with wave.open(str(path)) as wav:
        assert wav.getframerate() == 8000 and wav.getnframes() > 6000  # ≈1 s recorded
        frames = wav.readframes(wav.getnframes())
    assert max(frames[1::2]) > 0x10  # the peer's 440 Hz tone is in it
    await backend.hangup(call.call_id)


async def test_message_both_ways(kamailio: Kamailio, phone: Any, sipp: Sipp) -> None:
    backend, events = phone
    code = await asyncio.to_thread(
        sipp.run, "uac_message.xml", f"127.0.0.1:{kamailio.port}", 0, "-s", "1001"
    )
    assert code == 0, sipp.errors()
    got = await events.wait(lambda e: isinstance(e, ChatEvent), 5)
    assert got.message.text.strip() == "Bonjour, le colis est arrivé"
    assert got.message.peer == "2001"
    assert [m.text for m in await backend.chat.conversation("2001")] == [got.message.text]
    # out: SIPp behind the proxy (9xxx) checks the body it receives
    uas = sipp.start("uas_message.xml", "", kamailio.sipp_port)
    try:
        await asyncio.sleep(0.3)
        sent = await backend.chat.send("9100", "Appel pour vous en ligne 2")
        assert sent.sender == "1001" and sent.peer == "9100"
        assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
    finally:
        uas.kill()
    mine = await events.wait(lambda e: isinstance(e, ChatEvent) and e.message.peer == "9100", 2)
    assert mine.message.text == "Appel pour vous en ligne 2"
    # to a number nobody has: an error, not a traceback
    with pytest.raises(Exception, match="404"):
        await backend.chat.send("1888", "personne")


def _udp(port: int, data: bytes, expect: bool = True) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.bind(("127.0.0.1", 0))
        s.sendto(data.replace(b"@LP@", str(s.getsockname()[1]).encode()), ("127.0.0.1", port))
        return s.recv(65535) if expect else b""


def _request(method: str, port: int, extra: str = "", compact: bool = False) -> bytes:
    names = ("v", "f", "t", "i") if compact else ("Via", "From", "To", "Call-ID")
    return (
        f"{method} sip:1001@127.0.0.1:{port} SIP/2.0\r\n"
        f"{names[0]}: SIP/2.0/UDP 127.0.0.1:@LP@;branch=z9hG4bK{uuid.uuid4().hex}\r\n"
        f"{names[1]}:<sip:probe@127.0.0.1>;tag=7\r\n{names[2]}:   <sip:1001@127.0.0.1>\r\n"
        f"{names[3]}: {uuid.uuid4().hex}\r\nCSeq: 1 {method}\r\nMax-Forwards: 70\r\n"
        f"{extra}Content-Length: 0\r\n\r\n"
    ).encode()


async def test_options_unknown_methods_and_tolerant_parsing(phone: Any) -> None:
    backend, _events = phone
    port = backend.ua.local_port
    ok = await asyncio.to_thread(_udp, port, _request("OPTIONS", port))
    assert ok.startswith(b"SIP/2.0 200") and b"Allow: INVITE" in ok
    nope = await asyncio.to_thread(_udp, port, _request("FROBNICATE", port))
    assert nope.startswith(b"SIP/2.0 501")
    # compact names, an empty header, no space after colons, a folded header line
    odd = _request("OPTIONS", port, "Supported:\r\nSubject: a\r\n  folded\r\n", compact=True)
    answer = await asyncio.to_thread(_udp, port, odd)
    assert answer.startswith(b"SIP/2.0 200") and b"branch=z9hG4bK" in answer
    # two Via values folded on one line: the answer goes back with both
    folded = _request("OPTIONS", port).replace(
        b";branch=", b";branch=z9hG4bKtop,\r\n SIP/2.0/UDP 10.9.9.9:5060;x=", 1
    )
    answer = await asyncio.to_thread(_udp, port, folded)
    assert answer.startswith(b"SIP/2.0 200") and answer.count(b"Via:") == 2


def _garbage(port: int, count: int) -> None:
    rnd = random.Random(42)
    samples = [
        b"",
        b"\r\n\r\n",
        b"SIP/2.0 200 OK\r\n\r\n",
        b"INVITE sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n",
        b"INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4:5060;branch=z9\r\n"
        b"From: <sip:a@b>;tag=1\r\nTo: <sip:1001@b>\r\nCall-ID: x\r\nCSeq: abc INVITE\r\n\r\n",
        b"BYE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKq\r\n"
        b"From: <sip:a@b>;tag=1\r\nTo: <sip:1001@b>;tag=nope\r\nCall-ID: y\r\nCSeq: 2 BYE\r\n"
        b"Content-Length: 99999\r\n\r\n",
        b"\xff\xfe" * 700,
        "INVITE sip:ü SIP/2.0\r\nVia: SIP/2.0/UDP ::::\r\n\r\n".encode(),
    ]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(count):
            data = samples[i % len(samples)] if i % 3 else os.urandom(rnd.randint(1, 1400))
            s.sendto(data, ("127.0.0.1", port))
            if i % 50 == 0:
                time.sleep(0.005)


async def test_garbage_burst_leaves_the_phone_registered_and_the_call_up(
    phone: Any, bare_a: Baresip, caplog: pytest.LogCaptureFixture
) -> None:
    backend, events = phone
    caplog.set_level(logging.INFO, logger="tws_tui.backends.sip")
    call = await call_up(backend, events, bare_a)
    mark = len(events.seen)
    stream = backend.media.streams[0]
    await asyncio.to_thread(_garbage, backend.ua.local_port, 1000)
    await asyncio.to_thread(_garbage, stream.local_port, 300)  # and at the RTP port
    await asyncio.sleep(1.0)
    assert backend.ua.dropped > 300
    assert "dropped a malformed datagram" in caplog.text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()  # every datagram was refused by the parser
    assert not [e for e in events.seen[mark:] if isinstance(e, LinkEvent)]
    assert not [e for e in events.seen[mark:] if kind(CallEventKind.CONNECTION_CLEARED)(e)]
    assert backend.ua.registered
    assert all(n > 20 for n in await counts_move(stream))
    await backend.hold(call.call_id)  # the dialog still works end to end
    await events.wait(kind(CallEventKind.HELD, call.call_id), 5)
    await backend.hangup(call.call_id)
    closed = await wait_bare(bare_a, "CALL_CLOSED", 5)
    assert closed
    cleared = await events.wait(kind(CallEventKind.CONNECTION_CLEARED, call.call_id), 2)
    assert cleared.call.cause is Cause.NORMAL_CLEARING


async def test_directed_pickup_dials_the_pbx_pickup_code(
    kamailio: Kamailio, phone_factory: Any, sipp: Sipp
) -> None:
    """Directed pickup by feature code: pickup(1003's device) dials ``*8`` + ``1003``
    through Kamailio, which hands ``*8…`` to SIPp standing for the PBX's pickup service."""
    backend, events = await phone_factory(kamailio, pickup_code="*8")
    assert Capability.PICKUP in backend.capabilities
    uas = sipp.start("-uas", "", kamailio.sipp_port)
    try:
        await asyncio.sleep(0.5)
        call = await backend.pickup(DeviceId("sip:1003@127.0.0.1"))
        await events.wait(kind(CallEventKind.ESTABLISHED, call.call_id), 10)
        assert "INVITE sip:*81003@127.0.0.1" in sipp.messages()
        await backend.hangup(call.call_id)
        assert await asyncio.to_thread(uas.wait, 10) == 0, sipp.errors()
    finally:
        uas.kill()
    with pytest.raises(InvalidDestination):
        await backend.pickup(DeviceId("sip:<x>@127.0.0.1"))
    plain, _ = await phone_factory(kamailio)
    with pytest.raises(NotSupported):
        await plain.pickup(DeviceId("sip:1003@127.0.0.1"))
