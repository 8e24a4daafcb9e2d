"""SDP offer/answer for one audio stream (RFC 4566 / RFC 3264): G.711 and telephone-event.

Owns building our offer or answer and reading the peer's: address, port, codecs in the peer's
order, the telephone-event payload type and the stream direction (``sendrecv``, ``sendonly``,
``recvonly``, ``inactive``; ``c=0.0.0.0`` is the old way to say hold).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Static payload types we can encode and decode, by codec name.
CODECS: dict[str, int] = {"PCMU": 0, "PCMA": 8}
CODEC_NAMES = {pt: name for name, pt in CODECS.items()}
EVENT_PT = 101
DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")
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

    def first_codec(self, allowed: list[str]) -> int | None:
        """The first payload in the peer's order that we support and allow."""
        wanted = {CODECS[name] for name in allowed}
        return next((pt for pt in self.payloads if pt in wanted), None)


def parse(body: bytes) -> MediaDescription:
    text = body.decode("utf-8", errors="replace")
    session_addr, media_addr = "", ""
    port, payloads, rtpmap = -1, [], {}
    direction, ptime, in_audio, seen_audio = "sendrecv", 20, False, False
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if len(line) < 2 or line[1] != "=":
            continue
        kind, value = line[0], line[2:].strip()
        if kind == "m":
            in_audio = value.startswith("audio ") and not seen_audio
            if in_audio:
                seen_audio = True
                parts = value.split()
                if len(parts) < 4 or not parts[1].split("/")[0].isdigit():
                    raise SdpError(f"bad m= line {value!r}")
                port = int(parts[1].split("/")[0])
                payloads = [int(p) for p in parts[3:] if p.isdigit()]
        elif kind == "c":
            address = value.split()[-1].split("/")[0] if value.split() else ""
            if in_audio:
                media_addr = address
            elif not seen_audio:
                session_addr = address
        elif kind == "a" and (in_audio or not seen_audio):
            name, _, rest = value.partition(":")
            if name in DIRECTIONS:
                direction = name
            elif name == "rtpmap" and in_audio:
                pt, _, enc = rest.partition(" ")
                if pt.isdigit():
                    rtpmap[int(pt)] = enc.split("/")[0].strip().lower()
            elif name == "ptime" and rest.strip().isdigit():
                ptime = int(rest.strip())
    if port < 0:
        raise SdpError("no audio stream in SDP")
    address = media_addr or session_addr
    if address == "0.0.0.0" and direction == "sendrecv":
        direction = "sendonly"  # RFC 2543 hold
    event_pt = next((pt for pt, enc in rtpmap.items() if enc == "telephone-event"), None)
    audio = [pt for pt in payloads if pt in CODEC_NAMES]
    if port == 0:
        direction = "inactive"
    return MediaDescription(address, port, audio, event_pt, direction, ptime)


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
        f"m=audio {port} RTP/AVP {pts}",
    ]
    lines += [f"a=rtpmap:{pt} {CODEC_NAMES[pt]}/8000" for pt in codecs]
    lines += [f"a=rtpmap:{event_pt} telephone-event/8000", f"a=fmtp:{event_pt} 0-16"]
    lines += ["a=ptime:20", f"a={direction}"]
    return ("\r\n".join(lines) + "\r\n").encode()
