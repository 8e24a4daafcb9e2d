"""SIP messages (RFC 3261 §7): pyVoIP's ``SIPMessage`` made tolerant, and how we write ours.

Owns the wire format. :class:`SipMessage` **is** a ``pyVoIP.SIP.SIPMessage``: pyVoIP parses
the start line (``parse_sip_message``/``parse_sip_response``: version check, method, status as
a ``SIPStatus``), every header (``parse_header``: the Via list of dicts with branch,
received and rport, From/To with their tags, CSeq, Call-ID, Content-Length…) and the SDP body
(``parse_body``: the dict :mod:`.sdp` negotiates from). What is patched, and why:

* framing and dispatch (``parse``): pyVoIP's needed exactly one ``\\r\\n\\r\\n`` and single
  spaces, knew four methods (defect #6: OPTIONS, NOTIFY, INFO, REFER, UPDATE, MESSAGE were
  dropped unanswered; here any method token parses, and ``SIPCompatibleMethods`` lists those
  the user agent handles) and raised on a status code missing from ``SIPStatus`` (here the
  class's x00 stands in, RFC 3261 §8.1.3.2, and :attr:`SipMessage.code` keeps the number);
* the header splitter (``parse_raw_header``, defect #7): pyVoIP split on ``": "`` exactly, so
  an empty ``Supported:`` raised and the INVITE vanished; here ``Name:value``, empty values,
  compact and lower-case names, folded lines and comma-joined Via/Route/Record-Route are
  accepted, and every value is also kept raw and in order in :attr:`SipMessage.fields` (pyVoIP
  kept the first occurrence only, which loses Record-Route sets);
* ``parse_header``: the From/To tag (pyVoIP took everything after ``;tag=``, other parameters
  included, and raised on ``sips:``/``tel:``), CSeq spacing, the Content-Type parameters;
* the body (``parse_raw_body``): one SDP line that pyVoIP cannot read (an unknown profile, an
  ``a=rtpmap`` before its ``m=``) is skipped instead of losing the message, LF-only bodies
  work, media-level ``c=`` and direction are recorded per ``m=``; ``message/sipfrag``
  (REFER progress in NOTIFY, which pyVoIP could not parse) gives ``body["sipfrag"]``.

:func:`parse` is the only way in and raises :class:`SipParseError` for anything unusable,
never another exception. Messages we send are written as a :class:`Draft` and turned into a
:class:`SipMessage` by :meth:`Draft.build` (pyVoIP's string builders carry defects #1 and #8),
so every message the user agent holds, ours or the peer's, went through the same parser.
The Via helper reads pyVoIP's Via dicts; URIs and name-addrs are :mod:`.addresses`' (pyVoIP
has no URI parser).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from tws_tui.backends.sip.addresses import (
    NameAddr,
    SipParseError,
    split_list,
)
from tws_tui.backends.sip.upstream import (
    SIPMessage,
    SIPMessageType,
    TransmitType,
    phrase,
    status_of,
)

log = logging.getLogger(__name__)
__all__ = ["Draft", "SipMessage", "SipParseError", "Via", "parse"]

COMPACT = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
    "o": "event",
    "r": "refer-to",
    "b": "referred-by",
    "u": "allow-events",
    "x": "session-expires",
}
#: Header names whose comma-joined values are separate entries.
LIST_HEADERS = frozenset({"via", "route", "record-route"})
CANONICAL = {
    "call-id": "Call-ID",
    "cseq": "CSeq",
    "www-authenticate": "WWW-Authenticate",
    "proxy-authenticate": "Proxy-Authenticate",
    "record-route": "Record-Route",
    "rseq": "RSeq",
    "mime-version": "MIME-Version",
}
#: Methods the user agent handles (pyVoIP 1.6.8: INVITE, ACK, BYE, CANCEL; defect #6).
METHODS = [
    "INVITE",
    "ACK",
    "BYE",
    "CANCEL",
    "OPTIONS",
    "INFO",
    "REFER",
    "NOTIFY",
    "UPDATE",
    "MESSAGE",
]
MAX_SIZE = 65535
_TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")
_STATUS = re.compile(r"^SIP/2\.0 (\d{3})(?: (.*))?$", re.IGNORECASE)
_REQUEST = re.compile(r"^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP/2\.0$", re.IGNORECASE)
_CSEQ = re.compile(r"^(\d{1,10}) ([A-Za-z0-9.!%*_+`'~-]+)$")
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
)
REQUIRED = ("via", "from", "to", "call-id", "cseq")
#: Headers pyVoIP must parse, or the message is dropped (From/To are checked by NameAddr).
_CRITICAL = frozenset({"Via", "CSeq", "Call-ID"})
_DIRECTIONS = frozenset(t.value for t in TransmitType)


def canonical(name: str) -> str:
    name = name.lower()
    return CANONICAL.get(name) or "-".join(part.capitalize() for part in name.split("-"))


@dataclass
class Via:
    """One Via entry, read from the dict pyVoIP's ``parse_header`` made of it."""

    transport: str
    host: str
    port: int | None
    params: dict[str, str]

    @classmethod
    def from_pyvoip(cls, entry: dict[str, Any]) -> Via:
        kind = str(entry.get("type", ""))
        parts = kind.split("/")
        if len(parts) != 3 or parts[0].upper() != "SIP" or not parts[2]:
            raise SipParseError(f"bad Via: {kind[:80]!r}")
        host, port = entry.get("address", ("", ""))
        extra = {
            str(k).lower(): "" if v is None else str(v).strip('"')
            for k, v in entry.items()
            if k not in ("type", "address") and k
        }
        return cls(parts[2].upper(), *sent_by(str(host), str(port)), checked_params(extra))

    @property
    def branch(self) -> str:
        return self.params.get("branch", "")

    def reply_address(self) -> tuple[str, int]:
        """Where a response to this Via goes (RFC 3261 §18.2.2 and RFC 3581 rport);
        pyVoIP sent every response to the registrar (defects #5, #8). Once
        :meth:`SipMessage.mark_source` has run, the host is the datagram's source address,
        never a name to resolve."""
        host = self.params.get("received") or self.host
        rport = self.params.get("rport", "")
        port = int(rport) if rport.isdigit() else (self.port or 5060)
        return host, port

    def __str__(self) -> str:
        text = f"SIP/2.0/{self.transport} {self.host}"
        if self.port is not None:
            text += f":{self.port}"
        for name, value in self.params.items():
            text += f";{name}={value}" if value else f";{name}"
        return text


def valid_port(text: str) -> bool:
    """A port number a datagram can be sent to: 1 to 65535, digits only."""
    return text.isascii() and text.isdigit() and len(text) <= 5 and 0 < int(text) <= 65535


def valid_host(host: str) -> bool:
    """An IPv4 address or a DNS name (RFC 3261 §25.1 ``host``; IPv6 is not spoken here)."""
    if not host.isascii():
        return False
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return bool(_HOSTNAME.match(host)) and not host.replace(".", "").isdigit()
    return True


def is_ip(host: str) -> bool:
    """An IPv4 address literal (what a datagram is sent to without a DNS lookup)."""
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def sent_by(host: str, port: str) -> tuple[str, int]:
    """A Via's ``sent-by``, checked: a host we could answer and a port in 1–65535.

    A port outside the range or a NUL in the host made the reply's ``sendto`` raise
    ``OverflowError``/``TypeError``, which asyncio answers by closing the socket for good
    (issue 19, defect 1); such a Via is refused here, before anything is sent."""
    if not valid_host(host):
        raise SipParseError(f"bad Via host {host[:60]!r}")
    if not valid_port(port):
        raise SipParseError(f"bad Via port {port[:12]!r}")
    return host, int(port)


def checked_params(params: dict[str, str]) -> dict[str, str]:
    """Via parameters whose values we would use: ``rport`` empty or a port, ``received``
    an IPv4 address (RFC 3581, RFC 3261 §18.2.1)."""
    rport = params.get("rport")
    if rport and not valid_port(rport):
        raise SipParseError(f"bad Via rport {rport[:12]!r}")
    received = params.get("received")
    if received is not None and not is_ip(received):
        raise SipParseError(f"bad Via received {received[:60]!r}")
    return params


class SipMessage(SIPMessage):
    """One request or response, parsed by pyVoIP's ``SIPMessage`` with the fixes above.

    pyVoIP's attributes keep their meaning: ``type``, ``method``, ``status`` (a
    ``SIPStatus``), ``headers`` (its parsed dicts, first occurrence of each name), ``body``
    (the SDP dict, or ``key=value`` pairs) and ``raw`` (the datagram). Added: ``uri`` (the
    request URI), ``code`` and ``reason`` (the status line as sent), ``fields`` (every header
    raw and in order, lower-case names) and ``content`` (the body bytes).
    """

    def __init__(self, data: bytes) -> None:
        self.fields: list[tuple[str, str]] = []
        self.content = b""
        self.method = ""
        self.uri = ""
        self.code = 0
        self.reason = ""
        self._vias: list[Via] = []
        self._from: NameAddr | None = None
        self._to: NameAddr | None = None
        super().__init__(data)

    # ---- parsing (pyVoIP's hooks, patched) ----------------------------------------------

    def parse(self, data: bytes) -> None:
        if len(data) > MAX_SIZE:
            raise SipParseError("message too large")
        data = data.lstrip(b"\r\n")
        head, sep, body = data.partition(b"\r\n\r\n")
        if not sep:
            head, sep, body = data.partition(b"\n\n")
        lines = head.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")
        start = " ".join(lines[0].split())
        if not start:
            raise SipParseError("empty message")
        unfolded: list[str] = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and unfolded:
                unfolded[-1] += " " + line.strip()
            elif line.strip():
                unfolded.append(line)
        self.content = body
        self.SIPCompatibleMethods = METHODS
        if match := _STATUS.match(start):
            self.code, self.reason = int(match.group(1)), (match.group(2) or "").strip()
            if not 100 <= self.code <= 699:
                raise SipParseError(f"bad status code {self.code}")
            self.type = SIPMessageType.RESPONSE
            heading = f"SIP/2.0 {int(status_of(self.code))} {self.reason}"
            super().parse_sip_response(_frame(heading, unfolded))
            self.heading = start.encode()
        elif match := _REQUEST.match(start):
            self.type = SIPMessageType.MESSAGE
            method, self.uri = match.group(1), match.group(2)  # methods are case-sensitive
            super().parse_sip_message(_frame(f"{method} {self.uri} SIP/2.0", unfolded))
        else:
            raise SipParseError(f"bad start line {start[:60]!r}")
        self._check()

    def parse_raw_header(self, headers_raw: list[bytes], handle: Any) -> None:  # type: ignore[override]
        for raw in headers_raw:
            line = raw.decode("utf-8", errors="replace")
            name, colon, value = line.partition(":")
            name = name.strip().lower()
            if not colon or not _TOKEN.match(name):
                raise SipParseError(f"bad header line {line[:60]!r}")
            name = COMPACT.get(name, name)
            value = value.strip()
            if name in LIST_HEADERS:
                self.fields.extend((name, item) for item in split_list(value))
            else:
                self.fields.append((name, value))
        seen: set[str] = set()
        for name, value in self.fields:  # pyVoIP's dicts hold the first occurrence
            if name not in seen:
                seen.add(name)
                handle(canonical(name), self.get_all("via") if name == "via" else value)

    def parse_header(self, header: str, data: Any) -> None:
        if header == "CSeq":
            data = " ".join(data.split())
        elif header == "Content-Type":
            data = data.split(";")[0].strip().lower()
        try:
            super().parse_header(header, data)
        except Exception as error:
            if header in _CRITICAL:
                raise SipParseError(f"bad {header} header: {error}") from None
            self.headers[header] = data  # pyVoIP's own fallback: the raw value
        if header in ("From", "To"):
            party = NameAddr.parse(data)  # also validates the header
            parsed = self.headers.get(header)
            if not isinstance(parsed, dict):  # pyVoIP knows "sip:" only
                parsed = self.headers[header] = {
                    "raw": data,
                    "address": f"{party.uri.user}@{party.uri.host}",
                    "number": party.uri.user or None,
                    "caller": party.display,
                    "host": party.uri.host,
                }
            parsed["tag"] = party.tag
            if header == "From":
                self._from = party
            else:
                self._to = party

    def parse_raw_body(self, body: bytes, handle: Any) -> None:  # type: ignore[override]
        length = self.headers.get("Content-Length")
        if isinstance(length, int) and 0 <= length <= len(self.content):
            self.content = self.content[:length]
        if not self.content:
            return
        kind = self.content_type
        text = self.content.decode("utf-8", errors="replace")
        if kind == "application/sdp":
            for line in text.replace("\r\n", "\n").split("\n"):
                line = line.strip()
                if len(line) >= 2 and line[1] == "=":
                    self._sdp_line(line[0], " ".join(line[2:].split()), handle)
        elif kind == "message/sipfrag":
            match = _STATUS.match(" ".join(text.strip().split("\n")[0].split()))
            if match:
                self.body["sipfrag"] = {
                    "code": int(match.group(1)),
                    "reason": (match.group(2) or "").strip(),
                }
        elif kind == "application/dtmf-relay":
            for line in text.splitlines():
                name, equals, value = line.partition("=")
                if equals and name.strip():
                    try:
                        handle(name.strip().lower(), value.strip())
                    except Exception as error:  # e.g. pyVoIP refuses a Content-Encoding
                        log.debug("dtmf-relay line ignored (%s)", error)

    def _sdp_line(self, kind: str, value: str, handle: Any) -> None:
        media = self.body.get("m") or []
        try:
            handle(kind, value)
        except Exception as error:
            log.debug("SDP line %s=%s ignored (%s)", kind, value[:60], error)
            if kind == "m":  # keep the m= lines counted, so c= and a= land on the right one
                parts = value.split(" ")
                media.append(
                    {
                        "type": parts[0],
                        "port": 0,
                        "port_count": 1,
                        "protocol": None,
                        "methods": parts[3:],
                        "attributes": {pt: {} for pt in parts[3:]},
                    }
                )
                self.body["m"] = media
            return
        if kind == "c":
            self.body["c"][-1]["media"] = len(media) - 1  # -1: session level
        elif kind == "a" and value in _DIRECTIONS:
            (media[-1] if media else self.body)["transmit_type"] = TransmitType(value)

    def _check(self) -> None:
        for name in REQUIRED:
            if not self.get(name):
                raise SipParseError(f"missing {canonical(name)} header")
        cseq = self.headers.get("CSeq")
        shape = _CSEQ.match(" ".join(self.get("cseq").split()))
        if not isinstance(cseq, dict) or shape is None or int(shape.group(1)) >= 2**31:
            raise SipParseError(f"bad CSeq {self.get('cseq')[:40]!r}")
        if self.method and cseq["method"] != self.method:
            raise SipParseError("CSeq method does not match the request")
        length = self.get("content-length", "0")
        if not length.isascii() or not length.isdigit():
            raise SipParseError(f"bad Content-Length {length[:20]!r}")
        if int(length) > len(self.content):  # RFC 3261 §18.3: the datagram ended early
            raise SipParseError(f"Content-Length {length[:20]} beyond the datagram's end")
        self._vias = [Via.from_pyvoip(entry) for entry in self.headers["Via"]]
        if not self._vias or self._from is None or self._to is None:
            raise SipParseError("no usable Via, From or To")

    def mark_source(self, addr: tuple[str, int]) -> None:
        """Note where a request came from in its top Via: ``received`` when the sent-by is
        not that address (RFC 3261 §18.2.1), ``received`` and ``rport`` when the client
        asked for it (RFC 3581). Responses then go back to the source, as a client behind
        NAT needs (issue 19, defect 3), and never to a name that would need a DNS lookup."""
        top = self._vias[0]
        ip, port = addr
        if "rport" in top.params:
            top.params["rport"] = str(port)
            top.params["received"] = ip
        elif top.host != ip:
            top.params["received"] = ip
        else:
            return
        for index, (name, _value) in enumerate(self.fields):
            if name == "via":
                self.fields[index] = ("via", str(top))
                break

    # ---- reading ------------------------------------------------------------------------

    @property
    def is_request(self) -> bool:
        return self.type is SIPMessageType.MESSAGE

    def get(self, name: str, default: str = "") -> str:
        name = name.lower()
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.fields if key == name]

    @property
    def call_id(self) -> str:
        return str(self.headers["Call-ID"])

    @property
    def cseq(self) -> tuple[int, str]:
        cseq = self.headers["CSeq"]
        return int(cseq["check"]), str(cseq["method"]).upper()

    @property
    def from_tag(self) -> str:
        return str(self.headers["From"]["tag"])

    @property
    def to_tag(self) -> str:
        return str(self.headers["To"]["tag"])

    @property
    def from_(self) -> NameAddr:
        assert self._from is not None
        return self._from

    @property
    def to(self) -> NameAddr:
        assert self._to is not None
        return self._to

    @property
    def vias(self) -> list[Via]:
        return list(self._vias)

    @property
    def top_via(self) -> Via:
        return self._vias[0]

    @property
    def content_type(self) -> str:
        value = self.headers.get("Content-Type", "")
        return value if isinstance(value, str) else ""

    @property
    def sipfrag(self) -> tuple[int, str] | None:
        """The status line of a ``message/sipfrag`` body (REFER progress)."""
        frag = self.body.get("sipfrag")
        return (frag["code"], frag["reason"]) if frag else None

    def brief(self) -> str:
        first = f"{self.method} {self.uri}" if self.is_request else f"{self.code} {self.reason}"
        return f"{first} [{self.get('cseq')}] {self.call_id[:24]}"


def _frame(start: str, lines: list[str]) -> bytes:
    """What pyVoIP's start-line parsers accept: one space apart, CRLF, an empty body
    (the body is read from ``content`` by ``parse_raw_body``)."""
    return ("\r\n".join([start, *lines]) + "\r\n\r\n").encode("utf-8")


def parse(data: bytes) -> SipMessage:
    """Parse one datagram; :class:`SipParseError` for anything that is not usable SIP."""
    try:
        return SipMessage(data)
    except SipParseError:
        raise
    except Exception as error:  # a parser bug (ours or pyVoIP's) must not escape as such
        raise SipParseError(f"unparsable message ({type(error).__name__}: {error})") from None


@dataclass
class Draft:
    """A message being written: start line, ordered headers, body; :meth:`build` parses it."""

    method: str = ""
    uri: str = ""
    status: int = 0
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content: bytes = b""

    @classmethod
    def copy_of(cls, message: SipMessage) -> Draft:
        return cls(
            message.method,
            message.uri,
            message.code,
            message.reason,
            list(message.fields),
            message.content,
        )

    def add(self, name: str, value: str | int) -> Draft:
        self.headers.append((name.lower(), str(value)))
        return self

    def set(self, name: str, value: str | int) -> Draft:
        self.remove(name)
        return self.add(name, value)

    def remove(self, name: str) -> None:
        name = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k != name]

    def to_bytes(self) -> bytes:
        if self.method:
            lines = [f"{self.method} {self.uri} SIP/2.0"]
        else:
            lines = [f"SIP/2.0 {self.status} {self.reason or phrase(self.status)}"]
        lines += [f"{canonical(k)}: {v}" for k, v in self.headers if k != "content-length"]
        lines.append(f"Content-Length: {len(self.content)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.content

    def build(self) -> SipMessage:
        """The message as the peer will parse it (a build error is a bug: it raises)."""
        return SipMessage(self.to_bytes())
