"""SDP offer/answer for one audio stream (RFC 4566 / RFC 3264): G.711 and telephone-event.

Owns the negotiation: reading the peer's session from the SDP **dict pyVoIP's
``SIPMessage.parse_body`` built** (:func:`media_of`: address, port, codecs in the peer's
order, the telephone-event payload type, the stream direction, with ``c=0.0.0.0`` read as the
old way to say hold) and writing our offer or answer (:func:`build`). Codec numbers, names and
clock rates come from ``pyVoIP.RTP.PayloadType``, directions from ``pyVoIP.RTP.TransmitType``,
the profile from ``pyVoIP.RTP.RTPProtocol``.

pyVoIP's dict keeps ``c=`` lines and the direction attribute in one list/dict for the whole
session; :class:`~.message.SipMessage` records which ``m=`` each belongs to (``"media"`` on a
``c`` entry, ``"transmit_type"`` on an ``m`` entry or on the session), and that is what is
read here. pyVoIP's own SDP writer is part of its INVITE/200 builders (offering PCMU only,
direction fixed at start-up), so the writer is ours.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tws_tui.backends.sip.codec import AUDIO, RATE
from tws_tui.backends.sip.upstream import PayloadType, RTPProtocol, TransmitType

if TYPE_CHECKING:
    from tws_tui.backends.sip.message import SipMessage

#: Static payload types we can encode and decode, by codec name (pyVoIP's PayloadType).
CODECS: dict[str, int] = {str(pt): int(pt) for pt in AUDIO}
CODEC_NAMES = {number: name for name, number in CODECS.items()}
EVENT_NAME = str(PayloadType.EVENT)  # "telephone-event"
EVENT_PT = 101
DIRECTIONS = tuple(t.value for t in TransmitType)
MIRROR = {
    "sendrecv": "sendrecv",
    "sendonly": "recvonly",
    "recvonly": "sendonly",
    "inactive": "inactive",
}


class SdpError(ValueError):
    """No usable audio stream in the SDP."""


@dataclass
class MediaDescription:
    address: str
    port: int
    payloads: list[int] = field(default_factory=list)  # audio payload types, peer's order
    event_pt: int | None = None
    direction: str = "sendrecv"
    ptime: int = 20

    def first_codec(self, allowed: list[int]) -> int | None:
        """The first payload in the peer's order that we support and allow."""
        return next((pt for pt in self.payloads if pt in allowed), None)


def media_of(message: SipMessage) -> MediaDescription | None:
    """The audio stream a message's body describes; ``None`` when it has no body.

    Raises :class:`SdpError` when the body is not SDP or has no usable audio stream.
    """
    if not message.content.strip():
        return None
    if message.content_type != "application/sdp":
        raise SdpError(f"body is {message.content_type or 'untyped'}, not application/sdp")
    return describe(message.body)


def describe(body: dict[str, Any]) -> MediaDescription:
    """Our reading of pyVoIP's SDP dict (the first ``m=audio`` line)."""
    media = body.get("m") or []
    index, audio = next(
        ((i, m) for i, m in enumerate(media) if m.get("type") == "audio"), (-1, None)
    )
    if audio is None:
        raise SdpError("no audio stream in SDP")
    if audio.get("protocol") is not RTPProtocol.AVP:
        raise SdpError(f"unsupported audio profile in SDP ({audio.get('protocol')})")
    conns: list[dict[str, Any]] = body.get("c") or []
    mine = [c for c in conns if c.get("media") == index]
    conn = (mine or [c for c in conns if c.get("media", -1) == -1] or [{}])[0]
    address = str(conn.get("address", ""))
    if conn and (conn.get("network_type") != "IN" or conn.get("address_type") != "IP4"):
        raise SdpError("the audio address is not IPv4 (c=IN IP4)")
    if conn and not _ipv4(address):
        # a host name would need a blocking DNS lookup on the media thread (issue 19, defect 7)
        raise SdpError(f"the audio address is not an IPv4 address ({address[:40]})")
    port = int(audio.get("port", 0))
    if not 0 <= port <= 65535:  # 99999 made every 20 ms tick fail (issue 19, defect 2)
        raise SdpError(f"audio port {port} out of range")
    payloads = [int(p) for p in audio.get("methods", []) if p.isdigit()]
    event_pt = next(
        (
            int(pt)
            for pt, attributes in audio.get("attributes", {}).items()
            if pt.isdigit()
            and str(attributes.get("rtpmap", {}).get("name", "")).lower() == EVENT_NAME
        ),
        None,
    )
    transmit = audio.get("transmit_type") or body.get("transmit_type") or TransmitType.SENDRECV
    direction = transmit.value
    ptime = str((body.get("a") or {}).get("ptime", "20")).strip()
    if address == "0.0.0.0" and direction == "sendrecv":
        direction = "sendonly"  # RFC 2543 hold
    if port == 0:
        direction = "inactive"
    return MediaDescription(
        address,
        port,
        [pt for pt in payloads if pt in CODEC_NAMES],
        event_pt,
        direction,
        int(ptime) if ptime.isdigit() else 20,
    )


def _ipv4(address: str) -> bool:
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return True


def build(
    address: str,
    port: int,
    codecs: list[int],
    *,
    direction: str = "sendrecv",
    session_id: int = 1,
    version: int = 1,
    event_pt: int = EVENT_PT,
) -> bytes:
    """An SDP body with one audio stream offering ``codecs`` (payload types) and DTMF events."""
    pts = " ".join(str(pt) for pt in [*codecs, event_pt])
    lines = [
        "v=0",
        f"o=tws-tui {session_id} {version} IN IP4 {address}",
        "s=tws-tui",
        f"c=IN IP4 {address}",
        "t=0 0",
        f"m=audio {port} {RTPProtocol.AVP.value} {pts}",
    ]
    lines += [f"a=rtpmap:{pt} {CODEC_NAMES[pt]}/{RATE}" for pt in codecs]
    lines += [f"a=rtpmap:{event_pt} {EVENT_NAME}/{RATE}", f"a=fmtp:{event_pt} 0-16"]
    lines += ["a=ptime:20", f"a={direction}"]
    return ("\r\n".join(lines) + "\r\n").encode()
