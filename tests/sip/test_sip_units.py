"""The ``sip`` backend without peers: options refused with a clear message, capabilities
gated at once, the tolerant parser (and that garbage only ever raises SipParseError), SDP
directions, digest (RFC 2617 vector), the jitter buffer's bounded depth, lazy imports, and
pyVoIP's SIPMessage and RTPMessage as patched here (defects #6, #7, sipfrag, RTP extension and
padding, its import order and stdout output)."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys
from dataclasses import replace

import pytest

from tws_tui import backends
from tws_tui.backends import BackendConfigError
from tws_tui.backends.sip import SipBackend, digest, sdp
from tws_tui.backends.sip.forwarding import ForwardPlan, Verdict, decide
from tws_tui.backends.sip.jitter import JitterBuffer
from tws_tui.backends.sip.message import Draft, SipMessage, SipParseError, parse
from tws_tui.core.errors import BackendUnavailable, InvalidDestination, NotSupported
from tws_tui.core.model import Capability, Forward, ForwardKind, PresenceState, UserId

GOOD = {"server": "127.0.0.1", "username": "1001", "password": "pw"}


@pytest.mark.parametrize(
    ("changes", "named", "expected"),
    [
        ({"server": ""}, "'server'", "host name"),
        ({"server": "sip:pbx"}, "'server'", "host name"),
        ({"port": 70000}, "'port'", "0 to 65535"),
        ({"port": "x"}, "'port'", "integer"),
        ({"transport": "sctp"}, "'transport'", "tls"),
        ({"username": ""}, "'username'", "user name"),
        ({"username": "a b"}, "'username'", "without spaces"),
        ({"codecs": "G729"}, "'codecs'", "PCMU, PCMA"),
        ({"rtp_ports": "abc"}, "'rtp_ports'", "30000-30100"),
        ({"rtp_ports": "5000-4000"}, "'rtp_ports'", "low < high"),
        ({"local_ip": "me"}, "'local_ip'", "IPv4"),
        ({"reject_code": 500}, "'reject_code'", "486"),
        ({"register_expires": 0}, "'register_expires'", "seconds"),
        ({"audio_device": "wav:/nonexistent/x.wav"}, "'audio_device'", "WAV file"),
    ],
)
def test_bad_options_are_refused_naming_the_option(
    changes: dict[str, object], named: str, expected: str
) -> None:
    with pytest.raises(BackendConfigError) as caught:
        backends.load("sip", {**GOOD, **changes})
    assert named in str(caught.value) and expected in str(caught.value)


def test_good_options_from_a_config_file_and_unknown_ones_ignored() -> None:
    backend = backends.load(
        "sip",
        {**GOOD, "port": "5062", "codecs": ["pcma", "PCMU"], "seed": 3, "url": "https://x"},
    )
    assert backend.config.port == 5062 and backend.config.codecs == [8, 0]  # type: ignore[attr-defined]
    assert backend.history is None and backend.directory is None and backend.chat is not None
    assert Capability.CHAT in backend.capabilities
    assert not {Capability.QUEUES, Capability.PARK, Capability.BLF} & backend.capabilities


async def test_missing_capabilities_raise_at_once_and_nothing_works_unconnected() -> None:
    backend = SipBackend(GOOD)
    for coro in (
        backend.park("c1"),
        backend.pickup("d1"),
        backend.answer_queued("q", "c"),
        backend.set_presence(PresenceState.AWAY),
        backend.set_hands_free(True),
    ):
        with pytest.raises(NotSupported):
            await coro
    with pytest.raises(BackendUnavailable):
        await backend.make_call("1002")


def test_forwarding_decides_each_invite_as_the_switch_would() -> None:
    """Issue 17: unconditional 302 now; DND 302 to the busy forward, else 486; busy 302 to
    the busy forward, else it rings (call waiting); no answer rings, 302 after the delay."""
    plan = ForwardPlan(unconditional="3990", busy="3991", no_answer="3992", ring_time_s=7)
    assert decide(plan, busy=False) == Verdict(302, "3990", reason="unconditional")
    plan = ForwardPlan(dnd=True, no_answer="3992")
    assert decide(plan, busy=False) == Verdict(486, reason="dnd")
    assert decide(replace(plan, busy="3991"), busy=False) == Verdict(302, "3991", reason="dnd")
    plan = ForwardPlan(busy="3991", no_answer="3992", ring_time_s=7)
    assert decide(plan, busy=True) == Verdict(302, "3991", reason="busy")
    assert decide(plan, busy=False) == Verdict(0, "3992", 7, "no_answer")
    assert decide(ForwardPlan(), busy=True) == Verdict(0)


async def test_forwards_are_checked_kept_and_told_before_connecting() -> None:
    """A forward to my own number, letters, none, or a delay out of range is refused and
    nothing changes; a good one is in my state (DND too) and in the plan the phone applies."""
    backend = SipBackend(GOOD)
    assert {Capability.FORWARDING, Capability.DND, Capability.FORWARDING_BY_PHONE} <= (
        backend.capabilities
    )
    for forward, said in [
        (Forward(True, "1001"), "own phone"),
        (Forward(True, "sip:1001@127.0.0.1"), "own phone"),
        (Forward(True, "39;90"), "Invalid number"),
        (Forward(True, None), "needs a destination"),
        (Forward(True, "3990", 0), "out of range"),
    ]:
        with pytest.raises(InvalidDestination, match=said):
            await backend.set_forward(ForwardKind.NO_ANSWER, forward)
    assert backend.forwards == {}
    with pytest.raises(NotSupported):
        await backend.set_forward(ForwardKind.BUSY, Forward(True, "2"), user_id=UserId("1002"))
    await backend.set_forward(ForwardKind.NO_ANSWER, Forward(True, " 39 90 ", 12))
    await backend.set_dnd(True)
    me = (await backend.snapshot()).me
    assert me.dnd and me.forwards == {ForwardKind.NO_ANSWER: Forward(True, "3990", 12)}
    assert backend._plan() == ForwardPlan(dnd=True, no_answer="3990", ring_time_s=12)


def test_parser_accepts_what_real_peers_send() -> None:
    raw = (
        b"INVITE sip:1001@h SIP/2.0\r\n"
        b"v: SIP/2.0/UDP 1.2.3.4:5060;branch=z9hG4bKa, SIP/2.0/UDP 5.6.7.8;branch=z9hG4bKb\r\n"
        b"Via: SIP/2.0/UDP 9.9.9.9:5070\r\n ;branch=z9hG4bKc\r\n"
        b"f:<sip:a@h>;tag=1\r\nt: <sip:1001@h>\r\ni: abc\r\nCSeq:  7 INVITE\r\n"
        b"Supported:\r\nl: 4\r\n\r\nbodyEXTRA"
    )
    msg = parse(raw)
    assert [v.host for v in msg.vias] == ["1.2.3.4", "5.6.7.8", "9.9.9.9"]
    assert msg.vias[2].branch == "z9hG4bKc" and msg.get("supported") == ""
    assert msg.from_.tag == "1" and msg.cseq == (7, "INVITE") and msg.content == b"body"


def test_garbage_only_ever_raises_sip_parse_error() -> None:
    rnd = random.Random(7)
    seed = (
        b"OPTIONS sip:x@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;"
        b"tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n"
    )
    for _ in range(3000):
        data = bytearray(seed)
        for _ in range(rnd.randint(1, 8)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        if rnd.random() < 0.3:
            data = data[: rnd.randrange(len(data))]
        with contextlib.suppress(SipParseError):
            parse(bytes(data))


def _with_sdp(body: bytes, content_type: str = "application/sdp") -> SipMessage:
    draft = Draft("INVITE", "sip:1001@h")
    for name, value in (
        ("via", "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1"),
        ("from", "<sip:a@h>;tag=1"),
        ("to", "<sip:1001@h>"),
        ("call-id", "c1"),
        ("cseq", "1 INVITE"),
        ("content-type", content_type),
    ):
        draft.add(name, value)
    draft.content = body
    return draft.build()


def test_sdp_directions_and_old_style_hold() -> None:
    body = sdp.build("10.0.0.1", 4000, [8, 0], direction="sendonly")
    media = sdp.media_of(_with_sdp(body))
    assert media is not None
    assert (media.address, media.port, media.payloads) == ("10.0.0.1", 4000, [8, 0])
    assert media.direction == "sendonly" and media.event_pt == 101
    old = body.replace(b"c=IN IP4 10.0.0.1", b"c=IN IP4 0.0.0.0").replace(b"sendonly", b"x")
    assert sdp.media_of(_with_sdp(old)).direction == "sendonly"  # type: ignore[union-attr]
    with pytest.raises(sdp.SdpError):
        sdp.media_of(_with_sdp(b"v=0\r\nm=video 5 RTP/AVP 31\r\n"))


def test_digest_matches_the_rfc_2617_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest.secrets, "token_hex", lambda n: "0a4f113b")
    auth = digest.DigestAuth("Mufasa", "Circle Of Life")
    value = auth.build(
        {
            "realm": "testrealm@host.com",
            "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "qop": "auth,auth-int",
            "opaque": "5ccc069c403ebaf9f0171e9517f40e41",
        },
        "GET",
        "/dir/index.html",
    )
    assert 'response="6629fae49393a05397450978507c4ef1"' in value and "nc=00000001" in value


def test_jitter_buffer_reorders_and_never_grows() -> None:
    jb = JitterBuffer(depth=2, max_depth=6)
    for seq in (10, 12, 11):
        jb.put(seq, bytes([seq]))
    assert [jb.pop() for _ in range(3)] == [b"\x0a", b"\x0b", b"\x0c"]
    for seq in range(13, 200):  # the peer sends 3 frames per tick: the buffer stays small
        jb.put(seq, b"x")
        if seq % 3 == 0:
            jb.pop()
        assert len(jb) <= 7
    jb2 = JitterBuffer()
    for seq in (65534, 65535, 0, 1):  # sequence wrap
        jb2.put(seq, seq.to_bytes(2, "big"))
    assert [jb2.pop() for _ in range(4)] == [b"\xff\xfe", b"\xff\xff", b"\x00\x00", b"\x00\x01"]


def test_the_sip_backend_is_imported_only_when_chosen() -> None:
    code = (
        "import sys; from tws_tui import backends; n = backends.names(); "
        "print('sip' in n, 'tws_tui.backends.sip' in sys.modules, 'pyVoIP' in sys.modules); "
        "backends.load('sip', {'server': 'h', 'username': 'u'}); "
        "print('textual' in sys.modules, 'numpy' in sys.modules, 'sounddevice' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "False", "False", "False", "False", "False"]


def _raw(start: str, *headers: str, body: bytes = b"") -> bytes:
    base = [
        "Via: SIP/2.0/UDP 10.0.0.9:5070;rport;branch=z9hG4bKx1",
        "From: <sip:1002@h>;tag=ft",
        "To: <sip:1001@h>;tag=tt;x=y",
        "Call-ID: cid@h",
    ]
    return ("\r\n".join([start, *base, *headers]) + "\r\n\r\n").encode() + body


def test_messages_are_pyvoip_sip_messages_with_its_defects_fixed() -> None:
    from tws_tui.backends.sip.upstream import SIPMessage, SIPStatus

    assert SIPMessage.__module__ == "pyVoIP.SIP"
    msg = parse(
        _raw(
            "INVITE sip:1001@h SIP/2.0",
            "CSeq: 7 INVITE",
            "Supported:",  # defect #7: pyVoIP dropped the whole INVITE
            "record-route:<sip:p1;lr>, <sip:p2;lr>",
            "Record-Route: <sip:p3;lr>",
        )
    )
    assert isinstance(msg, SIPMessage) and msg.method == "INVITE"
    # pyVoIP's own dicts are what the user agent reads (Via, CSeq, tags, Call-ID)
    assert msg.headers["Via"][0]["branch"] == "z9hG4bKx1" == msg.top_via.branch
    assert msg.top_via.reply_address() == ("10.0.0.9", 5070)
    assert msg.headers["CSeq"] == {"check": "7", "method": "INVITE"} and msg.cseq == (7, "INVITE")
    assert msg.headers["To"]["tag"] == "tt" == msg.to_tag  # pyVoIP alone said "tt;x=y"
    assert msg.call_id == "cid@h" and msg.headers["Supported"] == [""]
    assert msg.get_all("record-route") == ["<sip:p1;lr>", "<sip:p2;lr>", "<sip:p3;lr>"]
    # a status code pyVoIP does not know counts as its class (RFC 3261 §8.1.3.2)
    odd = parse(_raw("SIP/2.0 299 Fine", "CSeq: 7 INVITE"))
    assert (odd.code, odd.reason, odd.status, odd.is_request) == (299, "Fine", SIPStatus.OK, False)


@pytest.mark.parametrize("method", ["OPTIONS", "NOTIFY", "INFO", "REFER", "UPDATE", "MESSAGE"])
def test_the_methods_pyvoip_dropped_are_parsed(method: str) -> None:  # defect #6
    msg = parse(_raw(f"{method} sip:1001@h SIP/2.0", f"CSeq: 3 {method}"))
    assert msg.is_request and msg.method == method and msg.cseq == (3, method)


def test_sipfrag_and_dtmf_relay_bodies() -> None:
    notify = parse(
        _raw(
            "NOTIFY sip:1001@h SIP/2.0",
            "CSeq: 4 NOTIFY",
            "Event: refer",
            "Content-Type: message/sipfrag;version=2.0",
            body=b"SIP/2.0 180 Ringing\r\n",
        )
    )
    assert notify.sipfrag == (180, "Ringing")
    info = parse(
        _raw(
            "INFO sip:1001@h SIP/2.0",
            "CSeq: 5 INFO",
            "c: Application/DTMF-Relay",
            body=b"Signal=5\r\nDuration=160\r\n",
        )
    )
    assert info.content_type == "application/dtmf-relay" and info.body["signal"] == "5"


def test_sdp_read_from_pyvoips_dict_tolerates_what_it_cannot_parse() -> None:
    body = (
        b"v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\na=sendonly\n"
        b"a=rtpmap:9 G722/8000\n"  # before any m= line: pyVoIP raised
        b"m=video 5000 RTP/SAVPF 96\n"  # a profile pyVoIP's RTPProtocol does not know
        b"c=IN IP4 10.0.0.2\na=rtpmap:96 VP8/90000\n"
        b"m=audio 4000 RTP/AVP 18 8 0 101\nc=IN IP4 10.0.0.3\na=sendrecv\n"
        b"a=rtpmap:101 telephone-event/8000\n"
    )
    msg = _with_sdp(body)
    assert msg.body["m"][1]["attributes"]["101"]["rtpmap"]["name"] == "telephone-event"
    media = sdp.media_of(msg)
    assert media is not None
    assert (media.address, media.port, media.payloads) == ("10.0.0.3", 4000, [8, 0])
    assert media.direction == "sendrecv" and media.event_pt == 101 and media.first_codec([0]) == 0
    with pytest.raises(sdp.SdpError, match="profile"):  # SRTP only: we cannot do it
        sdp.media_of(_with_sdp(b"v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/SAVP 0\r\n"))
    with pytest.raises(sdp.SdpError, match="not application/sdp"):
        sdp.media_of(_with_sdp(b"hello", "text/plain"))


def test_rtp_packets_are_parsed_by_pyvoip_with_extension_and_padding_removed() -> None:
    from tws_tui.backends.sip import codec, rtp
    from tws_tui.backends.sip.upstream import PayloadType, RTPMessage, RTPParseError

    assert RTPMessage.__module__ == "pyVoIP.RTP"

    assoc = rtp.association(codec.AUDIO, 96)
    header = bytearray(rtp.pack(8, 77, 1600, 42, b""))
    header[0] |= 0x20 | 0x10 | 0x01  # padding, extension, one CSRC
    packet = bytes(header) + b"CSRC" + b"\xbe\xde\x00\x01EXT!" + b"a" * 160 + b"\x00\x00\x03"
    parsed = rtp.RtpPacket(packet, assoc)
    assert isinstance(parsed, RTPMessage) and parsed.payload_type is PayloadType.PCMA
    assert (parsed.sequence, parsed.timestamp, parsed.SSRC) == (77, 1600, 42)
    assert parsed.payload == b"a" * 160  # pyVoIP alone kept the extension and the padding
    event = rtp.RtpPacket(rtp.pack(96, 1, 2, 3, rtp.event_payload(11, True, 800), True), assoc)
    assert event.payload_type is PayloadType.EVENT and event.marker
    assert rtp.EVENT_DIGITS[event.payload[0]] == "#"
    for bad in (b"", b"\x80\x00", rtp.pack(97, 1, 2, 3, b"x"), b"\x00" * 20):
        with pytest.raises(RTPParseError):
            rtp.RtpPacket(bad, assoc)


def test_pyvoip_is_imported_in_a_working_order_and_never_prints() -> None:
    code = (
        "from tws_tui.backends.sip.message import Draft\n"
        "print(Draft(status=486).to_bytes().split(b'\\r\\n')[0].decode())\n"
        "import pyVoIP, pyVoIP.SIP, pyVoIP.RTP\n"
        "pyVoIP.SIP.debug('x', 'TODO: Add 500 Error'); pyVoIP.RTP.debug('y', 'z')\n"
        "pyVoIP.debug('w', 'v')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "SIP/2.0 486 Busy Here\n"


def _dialog_info(*dialogs: str) -> bytes:
    return (
        '<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" '
        'version="1" state="full" entity="sip:1002@pbx">' + "".join(dialogs) + "</dialog-info>"
    ).encode()


def _dialog(state: str, direction: str = "", peer: str = "1003", held: bool = False) -> str:
    param = '<param pname="+sip.rendering" pval="no"/>' if held else ""
    return (
        f'<dialog id="d{state}" direction="{direction}"><state>{state}</state>'
        f"<remote><identity>sip:{peer}@pbx</identity></remote>"
        f'<local><target uri="sip:1002@pbx">{param}</target></local></dialog>'
    )


def test_dialog_info_is_read_into_one_line_state() -> None:
    from tws_tui.backends.sip.dialog_info import DialogInfoError, LineInfo, line_info

    assert line_info(_dialog_info()) == LineInfo("idle")
    assert line_info(_dialog_info(_dialog("terminated", "initiator"))) == LineInfo("idle")
    assert line_info(_dialog_info(_dialog("early", "recipient", "2001"))) == LineInfo(
        "ringing", "2001"
    )
    assert line_info(_dialog_info(_dialog("trying", "initiator"))).state == "dialing"
    assert line_info(_dialog_info(_dialog("confirmed", "initiator"))).state == "talking"
    assert line_info(_dialog_info(_dialog("confirmed", held=True))).state == "hold"
    # a call ringing while another is up: ringing wins (what a pickup needs to know)
    both = _dialog_info(_dialog("confirmed"), _dialog("early", "recipient", "2002"))
    assert line_info(both) == LineInfo("ringing", "2002")
    for bad in (
        b"<not-xml",
        b"<presence xmlns='urn:ietf:params:xml:ns:pidf'/>",
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><dialog-info/>',
        b"<x>" + b"a" * 70000 + b"</x>",
    ):
        with pytest.raises(DialogInfoError):
            line_info(bad)


def test_dialog_info_names_who_calls_the_colleague() -> None:
    """``<remote><identity display="…">`` (Asterisk sends it): the caller's name with the
    number; without it (Kamailio's pua_dialoginfo) the number alone; a name is cleaned of
    control characters and cut. The tile shows it (← while ringing, ↔ on a call)."""
    from tws_tui.backends.sip.dialog_info import LineInfo, line_info
    from tws_tui.console.widgets.blf_grid import tile_text
    from tws_tui.core.model import DeviceId, LineState, MonitoredDevice, Party
    from tws_tui.domain.phone_keys import Tile

    named = _dialog("early", "recipient", "0612345678").replace(
        "<identity>", '<identity display="Dupont&#10;  SARL">'
    )
    assert line_info(_dialog_info(named)) == LineInfo("ringing", "0612345678", "Dupont SARL")
    long_name = named.replace("Dupont&#10;  SARL", "x" * 500)
    assert line_info(_dialog_info(long_name)).peer_name == "x" * 64
    talking = _dialog("confirmed", "initiator", "2001").replace(
        "<identity>", '<identity display="Marie">'
    )
    assert line_info(_dialog_info(talking)) == LineInfo("talking", "2001", "Marie")
    device = MonitoredDevice(DeviceId("sip:1003@pbx"), "1003", "1003", LineState.RINGING)
    ringing = replace(device, peer=Party(number="0612345678", name="Dupont"))
    assert tile_text(0, Tile("device", device=ringing))[1] == "  ☎ Ringing ← Dupont"
    by_number = replace(ringing, peer=Party(number="0612345678"))
    assert "← 0612345678" in tile_text(0, Tile("device", device=by_number))[1]
    on_call = replace(device, line_state=LineState.TALKING, peer=Party(number="2001", name="M"))
    assert "↔ M" in tile_text(0, Tile("device", device=on_call))[1]
    assert "←" not in tile_text(0, Tile("device", device=device))[1]


def test_blf_and_trusted_hosts_options() -> None:
    from tws_tui.backends.sip.options import parse_options

    config, _ = parse_options(GOOD | {"blf": "201, 202,201", "trusted_hosts": "10.0.0.7 gw"})
    assert config.blf == ("201", "202") and config.trusted_hosts == ("10.0.0.7", "gw")
    with pytest.raises(BackendConfigError, match="blf"):
        parse_options(GOOD | {"blf": "201 <sip:x>"})
    assert SipBackend(GOOD | {"blf": "201"}).capabilities >= {Capability.BLF}
    assert Capability.BLF not in SipBackend(GOOD).capabilities


def test_pidf_read_and_written() -> None:
    from tws_tui.backends.sip.pidf import PidfError, PresenceInfo, document, presence_of

    for state in ("available", "away", "busy", "offline"):
        assert presence_of(document("sip:1001@pbx", state, "a & <b>")) == PresenceInfo(
            state, "a & <b>"
        )
    on_the_phone = (
        b'<presence xmlns="urn:ietf:params:xml:ns:pidf" '
        b'xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:2@x">'
        b"<tuple id='t'><status><basic>open</basic></status></tuple>"
        b"<rpid:activities><rpid:on-the-phone/></rpid:activities></presence>"
    )
    assert presence_of(on_the_phone).state == "busy"
    no_tuple = b'<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:2@x"/>'
    assert presence_of(no_tuple).state == "offline"
    for bad in (b"<presence", b"<dialog-info/>", b'<!DOCTYPE p [<!ENTITY a "b">]><p/>'):
        with pytest.raises(PidfError):
            presence_of(bad)


def test_ringing_dialog_gives_the_replaces_header_for_the_caller() -> None:
    """What Kamailio's pua_dialoginfo publishes for a callee's early dialog (include_callid,
    include_tags, include_localremote): the Replaces sent to the caller names the caller's
    own tag as to-tag (RFC 3891 §3) and is early-only."""
    from tws_tui.backends.sip.dialog_info import RingingDialog, line_info

    early = (
        '<dialog id="x" call-id="c1@h" local-tag="callee" remote-tag="caller" '
        'direction="recipient"><state>early</state><remote>'
        '<identity>sip:2001@pbx</identity><target uri="sip:2001@10.0.0.9:5062"/></remote>'
        "</dialog>"
    )
    info = line_info(_dialog_info(early))
    assert info.state == "ringing" and info.peer == "2001"
    assert info.ringing == RingingDialog(
        "c1@h", "callee", "caller", "sip:2001@pbx", "sip:2001@10.0.0.9:5062"
    )
    assert info.ringing.replaces() == "c1@h;to-tag=caller;from-tag=callee;early-only"
    # no ids (a PBX that does not publish them), or ids that would break the header: none
    assert line_info(_dialog_info(_dialog("early", "recipient"))).ringing is None
    bad = early.replace('local-tag="callee"', 'local-tag="a;b"')
    assert line_info(_dialog_info(bad)).ringing is None


def test_pickup_options() -> None:
    from tws_tui.backends.sip.options import parse_options

    assert parse_options(GOOD)[0].pickup == "auto"
    assert Capability.PICKUP in SipBackend(GOOD | {"blf": "201"}).capabilities
    assert Capability.PICKUP not in SipBackend(GOOD).capabilities
    with pytest.raises(BackendConfigError, match="pickup"):
        parse_options(GOOD | {"pickup": "replaces"})  # no blf: no dialog to replace
    with pytest.raises(BackendConfigError, match="pickup"):
        parse_options(GOOD | {"pickup": "code"})  # no pickup_code
    with pytest.raises(BackendConfigError, match="pickup"):
        parse_options(GOOD | {"pickup": "magic"})
    assert parse_options(GOOD | {"pickup": "code", "pickup_code": "*8"})[0].pickup == "code"


def test_voicemail_keys_over_asterisk_defaults_and_bad_maps_refused() -> None:
    """``voicemail_keys``: Asterisk's VoiceMailMain by default; an action set replaces its
    default only; an unknown action, a digit that is no DTMF or an action named twice is
    refused naming the option."""
    from tws_tui.backends.sip.options import parse_options
    from tws_tui.core.model import VoicemailMenu

    assert SipBackend(GOOD).voicemail_menu == VoicemailMenu("1", "0", "6", "5", "7")
    menu = parse_options(GOOD | {"voicemail_keys": " pause = *, skip=#9 "})[0].voicemail_menu
    assert menu == VoicemailMenu("1", "*", "#9", "5", "7")
    for bad in ("pause=x", "rewind=4", "pause=1,pause=2", "pause", 7):
        with pytest.raises(BackendConfigError, match="voicemail_keys") as caught:
            parse_options(GOOD | {"voicemail_keys": bad})
        assert "play=1,pause=0" in str(caught.value)


def test_park_options() -> None:
    from tws_tui.backends.sip.options import parse_options

    config, _ = parse_options(GOOD | {"park_slots": "701-703, 750", "park_retrieve_code": "*85"})
    assert config.park_slots == ("701", "702", "703", "750")
    assert config.park_retrieve_code == "*85"
    assert parse_options(GOOD | {"park_slots": "08-10"})[0].park_slots == ("08", "09", "10")
    for bad in ("701-1000", "710-701", "7-<x>", "701-9999"):
        with pytest.raises(BackendConfigError, match="park_slots"):
            parse_options(GOOD | {"park_slots": bad})
    assert Capability.PARK in SipBackend(GOOD | {"park_slots": "701"}).capabilities
    assert Capability.PARK not in SipBackend(GOOD).capabilities


def test_stream_framing_by_content_length_and_crlf_keepalives() -> None:
    """RFC 3261 §18.3: messages back to back on a stream, split by Content-Length (``l:``
    compact form too), in pieces or several per read; CRLFs between them are RFC 5626
    keep-alives (counted); a message without a usable Content-Length cannot be framed."""
    from tws_tui.backends.sip.stream import FramingError, StreamFramer

    one = b"OPTIONS sip:a SIP/2.0\r\nContent-Length: 5\r\n\r\nhello"
    two = b"SIP/2.0 200 OK\r\nl: 0\r\n\r\n"
    framer = StreamFramer()
    assert framer.feed(b"\r\n\r\n" + one[:10]) == []
    assert framer.feed(one[10:] + b"\r\n" + two + two[:3]) == [one, two]
    assert framer.feed(two[3:]) == [two]
    assert framer.pongs == 2
    for bad in (b"INVITE sip:a SIP/2.0\r\n\r\n", b"X\r\nContent-Length: 2000000\r\n\r\n"):
        with pytest.raises(FramingError):
            StreamFramer().feed(bad)
    with pytest.raises(FramingError):
        StreamFramer().feed(b"A" * 70000)
