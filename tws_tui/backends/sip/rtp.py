"""RTP packets (RFC 3550) and telephone events (RFC 4733) on the wire.

Owns the packet format. Received packets are parsed by **pyVoIP's** ``RTPMessage`` (version,
marker, payload type through an association table of ``PayloadType``\\ s, sequence number,
timestamp, SSRC, CSRC list) in :class:`RtpPacket`, which patches what 1.6.8 gets wrong:

* a header extension (X bit) was left at the start of the payload (``if self.extension:
  pass``) and padding (P bit) at its end; both are removed here, so a peer that adds either
  does not turn into clicks;
* a datagram shorter than its header raised ``ValueError``/``TypeError`` from the bit-string
  helpers; here it is an ``RTPParseError`` like any other bad packet.

Sending builds the 12-byte header with :func:`pack` (pyVoIP had no packet builder: its
transmitter wrote headers inline in ``RTPClient.trans``, on the drifting clock of defect #10).
pyVoIP reports a DTMF digit on the marker packet only, so a lost first packet loses the
digit; :class:`~.media.RtpStream` keys on the event's timestamp instead, with the code table
here.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from tws_tui.backends.sip.upstream import PayloadType, RTPMessage, RTPParseError

HEADER = struct.Struct("!BBHII")
EVENT = struct.Struct("!BBH")
DTMF_EVENTS = {
    **{str(d): d for d in range(10)},
    "*": 10,
    "#": 11,
    "A": 12,
    "B": 13,
    "C": 14,
    "D": 15,
}
EVENT_DIGITS = {code: digit for digit, code in DTMF_EVENTS.items()}
Association = dict[int, PayloadType]


class RtpPacket(RTPMessage):
    """One received packet, parsed by pyVoIP's ``RTPMessage`` (see the module docstring)."""

    payload: bytes

    def parse(self, packet: bytes) -> None:
        if len(packet) < HEADER.size:
            raise RTPParseError(f"RTP packet of {len(packet)} bytes")
        super().parse(packet)
        start = HEADER.size + 4 * self.CC
        if self.extension:
            if len(packet) < start + 4:
                raise RTPParseError("RTP header extension cut short")
            start += 4 + 4 * struct.unpack_from("!H", packet, start + 2)[0]
        end = len(packet)
        if self.padding:
            end -= packet[-1]
        if start > end:
            raise RTPParseError("RTP header longer than the packet")
        self.payload = packet[start:end]


def association(audio: Iterable[PayloadType], event_pt: int | None) -> Association:
    """pyVoIP's payload-type table for a stream: our static codecs and the event type."""
    assoc = {int(pt): pt for pt in audio}
    if event_pt is not None:
        assoc[event_pt] = PayloadType.EVENT
    return assoc


def pack(pt: int, seq: int, ts: int, ssrc: int, payload: bytes, marker: bool = False) -> bytes:
    return HEADER.pack(0x80, pt | (0x80 if marker else 0), seq, ts, ssrc) + payload


def event_payload(code: int, end: bool, duration: int, volume: int = 10) -> bytes:
    """An RFC 4733 telephone-event payload."""
    return EVENT.pack(code, (0x80 if end else 0) | volume, duration)
